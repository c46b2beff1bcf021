//! Annotated text -> flat views the templates can render without any logic of their own.
//!
//! Annotations overlap: a cue word may also be a hedge, a quotation (content) contains hedges, a source may sit
//! inside content. HTML elements must nest, so each sentence is cut at every span boundary into [`Segment`]s; a
//! segment is a run of text with the same set of [`Mark`]s, and the template opens one `<mark>` per label around
//! it. The text is only ever sliced here, at byte offsets the annotator produced and this module re-checks, and
//! only ever printed through askama's escaper.
//!
//! [`Layer`] owns everything a layer is called: its `data-layer` value, its CSS class, its key and its legend
//! text. [`reading`] gathers everything the reading page shows; the submodules compute its parts: stable sentence
//! ids ([`permalink`]), the source ledger ([`ledger`]), claim cards ([`claims`]), the explanations behind each
//! highlight ([`notes`]), the numbers drawn as charts ([`summary`]) and the keyboard shortcuts ([`keys`]).

pub mod claims;
pub mod dates;
pub mod keys;
pub mod ledger;
pub mod notes;
pub mod permalink;
pub mod review;
pub mod summary;

use std::cmp::Reverse;
use std::sync::Arc;

use annotate::{Annotated, Attribution, Claim, HedgeCategory, Rule, SourceKind, Span};

pub use claims::ClaimCard;
pub use ledger::SourceView;
pub use notes::{AttributionNote, HedgeNote};
pub use summary::{Certainty, CertaintySummary, Sourcing, Spark};

/// A kind of highlight. Declared from the outermost to the innermost element when marks nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// The claim label of a whole sentence.
    Claim,
    /// What a source is reported to say.
    Content,
    /// Who is speaking.
    Source,
    /// The attribution verb or phrase.
    Cue,
    /// A word that says how sure the text is.
    Hedge,
}

impl Layer {
    /// Every layer, in legend order.
    pub const ALL: [Layer; 5] = [Layer::Hedge, Layer::Source, Layer::Cue, Layer::Content, Layer::Claim];

    /// The layers a page opens with switched off: content covers most of a news story, so it is shown where the
    /// reader points (the parts of the attribution they point at are outlined) until they switch it on.
    pub const QUIET: [Layer; 1] = [Layer::Content];

    /// Whether the layer is one of [`Layer::QUIET`].
    pub fn quiet(self) -> bool {
        Layer::QUIET.contains(&self)
    }

    /// The `data-layer` attribute value: a stable hook for tests and user style sheets.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Claim => "claim",
            Layer::Content => "content",
            Layer::Source => "source",
            Layer::Cue => "cue",
            Layer::Hedge => "hedge",
        }
    }

    /// The CSS class that styles the layer.
    pub fn class(self) -> &'static str {
        match self {
            Layer::Claim => "hl-claim",
            Layer::Content => "hl-content",
            Layer::Source => "hl-source",
            Layer::Cue => "hl-cue",
            Layer::Hedge => "hl-hedge",
        }
    }

    /// The layer called `name` (its [`Layer::name`]).
    pub fn parse(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The layers named in a comma-separated list (`hedge,cue`), each once, in legend order; unknown names are
    /// ignored, so an old or mistyped link still opens.
    pub fn parse_list(list: &str) -> Vec<Layer> {
        let named: Vec<Layer> = list.split(',').filter_map(|n| Layer::parse(n.trim())).collect();
        Layer::ALL.into_iter().filter(|l| named.contains(l)).collect()
    }

    /// A set of layers as bits, one per layer in legend order (for cache keys).
    pub fn bits(layers: &[Layer]) -> u8 {
        Layer::ALL
            .iter()
            .enumerate()
            .filter(|(_, l)| layers.contains(l))
            .fold(0, |b, (i, _)| b | (1 << i))
    }

    /// The number key that shows or hides the layer: its place in the legend, from 1.
    pub fn key(self) -> usize {
        Layer::ALL.iter().position(|&l| l == self).map_or(0, |i| i + 1)
    }

    /// The CSS class of one variant of the layer, e.g. `hl-hedge-epistemic`.
    pub fn variant_class(self, variant: &str) -> String {
        format!("{}-{variant}", self.class())
    }

    /// The layer's name for a reader.
    pub fn label(self) -> &'static str {
        match self {
            Layer::Claim => "Claim",
            Layer::Content => "Content",
            Layer::Source => "Source",
            Layer::Cue => "Cue",
            Layer::Hedge => "Hedge",
        }
    }

    /// What one highlight of the layer is, in a sentence's words ("the attribution cue").
    pub fn words(self) -> &'static str {
        match self {
            Layer::Claim => "claim label",
            Layer::Content => "attributed content",
            Layer::Source => "source",
            Layer::Cue => "attribution cue",
            Layer::Hedge => "hedge",
        }
    }

    /// What the highlight means and how it looks, for the legend.
    pub fn legend(self) -> &'static str {
        match self {
            Layer::Claim => {
                "The number before each sentence: filled when the writer states the claim as fact, outlined when a \
                 source carries it, plain when there is no claim (a question, an appeal)."
            }
            Layer::Content => {
                "What a source is reported to say. Point at a source or cue to see it outlined; tick to set all of \
                 it in italics with a faint line beneath."
            }
            Layer::Source => {
                "Tinted background: who is speaking. Unnamed sources are also hatched, news outlets framed with \
                 dots."
            }
            Layer::Cue => "Bold with a solid underline: the verb or phrase that attributes (said, according to).",
            Layer::Hedge => "Wavy underline: a word that says how sure the text is (may, is expected to, if).",
        }
    }
}

/// One highlight: an annotation's span with everything a template prints about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The layer: decides `data-layer` and nesting order.
    pub layer: Layer,
    /// CSS classes, e.g. `hl-hedge hl-hedge-epistemic`.
    pub class: String,
    /// Why it is highlighted: category or speaker and kind, the rule's explanation and id.
    pub title: String,
    /// Stable id of the annotation (the `data-ann` attribute): `s{sentence}-h{hedge}` for a hedge,
    /// `s{sentence}-a{attribution}-{source|cue|content}` for the parts of an attribution, using the indices of the
    /// JSON API. A mark cut into several segments repeats the id on each piece.
    pub id: String,
    /// The element id of the explanation shown on hover or focus ([`notes`]); the source, cue and content of one
    /// attribution share it.
    pub note: String,
    /// What a person did to it, when someone confirmed, fixed or added it ("Sam fixed this; the annotator had
    /// said: …").
    pub corrected: Option<String>,
    /// Byte span in the text.
    span: Span,
}

/// A run of text with one set of marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text, unescaped (the template escapes it).
    pub text: &'a str,
    /// The marks covering the whole run, outermost first.
    pub marks: Vec<Arc<Mark>>,
    /// Byte offset where the run starts.
    start: usize,
}

impl Segment<'_> {
    /// True when `mark` begins in this run: its first piece carries the title, so that a mark cut into many pieces
    /// does not repeat its explanation on each (the page would grow with the square of the nesting).
    pub fn opens(&self, mark: &Mark) -> bool {
        mark.span.start >= self.start
    }
}

/// One sentence, cut into segments.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceView<'a> {
    /// Index in the annotation (and in the JSON API).
    pub index: usize,
    /// The element id, derived from the sentence's text ([`permalink`]): `s-1a2b3c4d`.
    pub sid: String,
    /// The sentence's number for readers, from 1.
    pub number: usize,
    /// How the claim is put; `None` without a claim.
    pub certainty: Option<Certainty>,
    /// The claim label (`data-claim`).
    pub claim: Claim,
    /// CSS classes for the claim margin marker.
    pub class: String,
    /// What the claim label means for this sentence.
    pub title: String,
    /// What a person did to its claim label, if anyone set or confirmed it.
    pub corrected: Option<String>,
    /// Open note threads on it.
    pub notes: usize,
    /// Its first character in the text (for the page's script, which lights noted passages).
    pub start: usize,
    /// The sentence's text in order; joined, the segments give the sentence back exactly.
    pub segments: Vec<Segment<'a>>,
}

/// One paragraph of sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphView<'a> {
    /// True for the headline: the first of several paragraphs when it does not end like a sentence.
    pub headline: bool,
    /// The sentences, in order.
    pub sentences: Vec<SentenceView<'a>>,
}

/// A link to a sentence: its element id and its number for readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceLink {
    /// Element id.
    pub sid: String,
    /// Number from 1.
    pub number: usize,
}

/// One line of the legend: a sample styled like the highlight, its name and its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendItem {
    /// CSS classes of the sample.
    pub class: String,
    /// Machine name (as in JSON).
    pub name: &'static str,
    /// Meaning for a reader.
    pub text: &'static str,
}

/// A layer in the legend, which is also its switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerItem {
    /// The layer.
    pub layer: Layer,
    /// How it looks and what it means.
    pub item: LegendItem,
    /// Whether it is shown when the page opens.
    pub shown: bool,
}

/// The full legend: layers, hedge categories, source kinds and claim labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legend {
    /// Every layer, with how it looks and whether it is shown.
    pub layers: Vec<LayerItem>,
    /// Every hedge category.
    pub hedges: Vec<LegendItem>,
    /// Every source kind.
    pub kinds: Vec<LegendItem>,
    /// Every claim label.
    pub claims: Vec<LegendItem>,
}

impl Legend {
    /// The legend; the same for every document.
    pub fn new() -> Legend {
        let item = |layer: Layer, variant: Option<&'static str>, name: &'static str, text: &'static str| LegendItem {
            class: classes(layer, variant),
            name,
            text,
        };
        Legend {
            layers: Layer::ALL
                .iter()
                .map(|&l| LayerItem { layer: l, item: item(l, None, l.name(), l.legend()), shown: true })
                .collect(),
            hedges: HedgeCategory::ALL
                .iter()
                .map(|c| item(Layer::Hedge, Some(c.as_str()), c.as_str(), c.describe()))
                .collect(),
            kinds: SourceKind::ALL
                .iter()
                .map(|k| item(Layer::Source, Some(k.as_str()), k.as_str(), k.describe()))
                .collect(),
            claims: Claim::ALL
                .iter()
                .map(|c| item(Layer::Claim, Some(c.as_str()), c.as_str(), c.describe()))
                .collect(),
        }
    }
}

impl Legend {
    /// The legend with `hidden` layers switched off.
    pub fn hiding(mut self, hidden: &[Layer]) -> Legend {
        for l in &mut self.layers {
            l.shown = !hidden.contains(&l.layer);
        }
        self
    }
}

impl Default for Legend {
    fn default() -> Legend {
        Legend::new()
    }
}

/// `hl-x` or `hl-x hl-x-variant`.
pub(crate) fn classes(layer: Layer, variant: Option<&str>) -> String {
    match variant {
        Some(v) => format!("{} {}", layer.class(), layer.variant_class(v)),
        None => layer.class().to_string(),
    }
}

/// Everything the reading page shows of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<'a> {
    /// The text.
    pub paragraphs: Vec<ParagraphView<'a>>,
    /// The source ledger.
    pub ledger: Vec<SourceView<'a>>,
    /// How the claims are put.
    pub certainty: CertaintySummary,
    /// What the attributed claims rest on.
    pub sourcing: Sourcing,
    /// A card per claim, in text order.
    pub cards: Vec<ClaimCard<'a>>,
    /// The writer's own claims, most check-worthy first.
    pub check_first: Vec<ClaimCard<'a>>,
    /// Explanations of the hedges.
    pub hedge_notes: Vec<HedgeNote<'a>>,
    /// Explanations of the attributions.
    pub attribution_notes: Vec<AttributionNote<'a>>,
    /// The document sentence by sentence: one bar each, its fill how the claim is put, its height how
    /// check-worthy the sentence reads.
    pub strip: Spark,
    /// Colleagues' note threads, oldest first.
    pub threads: Vec<review::Thread>,
    /// Colleagues' corrections, in the order they were made.
    pub corrections: Vec<review::CorrectionView>,
}

/// Everything the reading page shows of `annotated`, an annotation of `text`, with `reviewed`'s notes and
/// corrections when it is a reviewed view (`annotated` then has the corrections applied). Never panics; what does
/// not fit the text is left out.
pub fn reading<'a>(text: &'a str, annotated: &'a Annotated, reviewed: Option<&crate::entry::Review>) -> Reading<'a> {
    let ids = sentence_ids(text, annotated);
    let changes: &[crate::review::corrections::Change] = reviewed.map_or(&[], |r| &r.applied);
    let counts = reviewed
        .map(|r| review::open_counts(r, annotated.sentences.len()))
        .unwrap_or_default();
    let cards = claims::cards(text, annotated, &ids);
    let (hedge_notes, attribution_notes) = notes::notes(text, annotated);
    let shown = annotated
        .sentences
        .iter()
        .zip(&ids)
        .filter(|(_, id)| id.is_some())
        .map(|(s, _)| s);
    let numbered = annotated
        .sentences
        .iter()
        .zip(&ids)
        .enumerate()
        .filter(|(_, (_, id))| id.is_some());
    Reading {
        strip: summary::spark(numbered.map(|(i, (s, _))| (i + 1, s))),
        threads: reviewed.map(|r| review::threads(text, r, &ids)).unwrap_or_default(),
        corrections: reviewed.map(|r| review::corrections(r, &ids)).unwrap_or_default(),
        paragraphs: paragraphs_with(text, annotated, &ids, changes, &counts),
        ledger: ledger::ledger(text, annotated, &ids),
        certainty: CertaintySummary::of(shown.clone()),
        sourcing: Sourcing::of(shown),
        check_first: claims::check_first(&cards),
        cards,
        hedge_notes,
        attribution_notes,
    }
}

/// The element id of every sentence of `annotated` that fits `text` ([`permalink`]); `None` for one that does
/// not (and is not shown).
pub fn sentence_ids(text: &str, annotated: &Annotated) -> Vec<Option<String>> {
    let shown: Vec<&str> = annotated.sentences.iter().filter_map(|s| sentence_text(text, s.span)).collect();
    let mut ids = permalink::ids(shown).into_iter();
    annotated
        .sentences
        .iter()
        .map(|s| sentence_text(text, s.span).and_then(|_| ids.next()))
        .collect()
}

/// The text of a sentence span, when it fits.
fn sentence_text(text: &str, span: Span) -> Option<&str> {
    if fits(text, span) { text.get(span.start..span.end) } else { None }
}

/// The sources panel: every speaker with the sentences they carry.
pub fn sources<'a>(text: &str, annotated: &'a Annotated) -> Vec<SourceView<'a>> {
    ledger::ledger(text, annotated, &sentence_ids(text, annotated))
}

/// The document as paragraphs of sentences of segments.
///
/// Never panics: a span that does not fit `text` (out of bounds, reversed, not on a character boundary) is left
/// out, as is a sentence that does not fit.
pub fn paragraphs<'a>(text: &'a str, annotated: &Annotated) -> Vec<ParagraphView<'a>> {
    paragraphs_with(text, annotated, &sentence_ids(text, annotated), &[], &[])
}

/// [`paragraphs`], with the sentence ids already computed, marking what `changes` changed and counting each
/// sentence's open notes (`notes`, by sentence index).
fn paragraphs_with<'a>(
    text: &'a str,
    annotated: &Annotated,
    ids: &[Option<String>],
    changes: &[crate::review::corrections::Change],
    notes: &[usize],
) -> Vec<ParagraphView<'a>> {
    let corrected = crate::review::corrections::marks(changes);
    let marks = marks(text, annotated, &corrected);
    let chars = annotate::CharIndex::new(text);
    let sentences: Vec<(usize, &annotate::Sentence, &str)> = annotated
        .sentences
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s, ids.get(i)?.as_deref()?)))
        .collect();

    // Which marks touch which sentence. Sentences are in order and do not overlap, so a binary search finds the
    // first one a mark reaches.
    let mut touching: Vec<Vec<Arc<Mark>>> = vec![Vec::new(); sentences.len()];
    for mark in &marks {
        let first = sentences.partition_point(|(_, s, _)| s.span.end <= mark.span.start);
        for (k, (_, s, _)) in sentences.iter().enumerate().skip(first) {
            if s.span.start >= mark.span.end {
                break;
            }
            touching[k].push(Arc::clone(mark));
        }
    }

    let headline_paragraph = annotated
        .paragraphs
        .first()
        .filter(|p| annotated.paragraphs.len() > 1 && !ends_like_a_sentence(p.text(text)))
        .map(|_| 0);

    // Group the sentences into paragraphs, then draw each paragraph's margin chart.
    let mut groups: Vec<(bool, Vec<(SentenceView<'a>, &annotate::Sentence)>)> = Vec::new();
    let mut current: Option<usize> = None;
    for ((index, sentence, sid), marks) in sentences.into_iter().zip(touching) {
        let view = SentenceView {
            index,
            sid: sid.to_string(),
            number: index + 1,
            certainty: Certainty::of_sentence(sentence),
            claim: sentence.claim,
            class: classes(Layer::Claim, Some(sentence.claim.as_str())),
            title: format!(
                "{} Check-worthiness {}.",
                claim_title(sentence.claim, &sentence.attributions),
                summary::two_decimals(sentence.checkworthy)
            ),
            corrected: corrected
                .get(&(index, crate::review::corrections::Item::Claim))
                .map(crate::review::corrections::Marked::say),
            notes: notes.get(index).copied().unwrap_or(0),
            start: chars.char_of(sentence.span.start),
            segments: segments(text, sentence.span, &marks),
        };
        match groups.last_mut() {
            Some((_, p)) if current == Some(sentence.paragraph) => p.push((view, sentence)),
            _ => {
                current = Some(sentence.paragraph);
                groups.push((headline_paragraph == Some(sentence.paragraph), vec![(view, sentence)]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(headline, sentences)| ParagraphView {
            headline,
            sentences: sentences.into_iter().map(|(v, _)| v).collect(),
        })
        .collect()
}

/// Cut `sentence` at every boundary of `marks` (clipped to the sentence).
fn segments<'a>(text: &'a str, sentence: Span, marks: &[Arc<Mark>]) -> Vec<Segment<'a>> {
    let mut cuts = vec![sentence.start, sentence.end];
    for m in marks {
        cuts.push(m.span.start.clamp(sentence.start, sentence.end));
        cuts.push(m.span.end.clamp(sentence.start, sentence.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let (a, b) = (w[0], w[1]);
            let text = text.get(a..b)?;
            let mut covering: Vec<Arc<Mark>> =
                marks.iter().filter(|m| m.span.start <= a && b <= m.span.end).cloned().collect();
            covering.sort_by_key(|m| (m.layer, m.span.start, Reverse(m.span.end)));
            Some(Segment { text, marks: covering, start: a })
        })
        .collect()
}

/// `class` and `title` of a mark a person checked: a class to tell it by (`hl-confirmed` when they only confirmed
/// it, `hl-corrected` when they changed or added it), and what they did.
fn corrected_mark(
    class: String,
    title: String,
    marked: Option<&crate::review::corrections::Marked<'_>>,
) -> (String, String, Option<String>) {
    match marked {
        Some(m) => {
            let said = m.say();
            let how = if m.changed || m.first.was.is_none() { "hl-corrected" } else { "hl-confirmed" };
            (format!("{class} {how}"), format!("{title} {said}."), Some(said))
        }
        None => (class, title, None),
    }
}

/// Every hedge and attribution part of the document as a mark, in text order; those a person changed (`corrected`,
/// by sentence and item) say so.
fn marks(
    text: &str,
    annotated: &Annotated,
    corrected: &std::collections::HashMap<
        (usize, crate::review::corrections::Item),
        crate::review::corrections::Marked<'_>,
    >,
) -> Vec<Arc<Mark>> {
    use crate::review::corrections::{Item, Layer as Part};
    let mut out = Vec::new();
    for (i, s) in annotated.sentences.iter().enumerate() {
        for (j, h) in s.hedges.iter().enumerate() {
            let title = format!("Hedge, {}: {}.{}", h.category.as_str(), h.category.describe(), because(&h.rule));
            let marked = corrected.get(&(i, Item::Hedge(h.span)));
            let (class, title, said) = corrected_mark(classes(Layer::Hedge, Some(h.category.as_str())), title, marked);
            out.push(Mark {
                layer: Layer::Hedge,
                class,
                title,
                id: format!("s{i}-h{j}"),
                note: notes::hedge_id(i, j),
                corrected: said,
                span: h.span,
            });
        }
        for (j, a) in s.attributions.iter().enumerate() {
            let who = speaker_phrase(a);
            let parts = [
                (Layer::Source, a.source, format!("Source: {who}.")),
                (Layer::Cue, a.cue, format!("Attribution cue: introduces what {who} says.")),
                (
                    Layer::Content,
                    a.content,
                    format!(
                        "Attributed content: what {who} says, {}.",
                        if a.direct_quote { "quoted verbatim" } else { "in the writer's words" }
                    ),
                ),
            ];
            for (layer, span, what) in parts {
                let Some(span) = span else { continue };
                let variant = (layer == Layer::Source).then(|| a.kind.as_str());
                let part = match layer {
                    Layer::Source => Part::Source,
                    Layer::Cue => Part::Cue,
                    _ => Part::Content,
                };
                let marked = corrected.get(&(i, Item::Part(part, span)));
                let (class, title, said) =
                    corrected_mark(classes(layer, variant), format!("{what}{}", because(&a.rule)), marked);
                out.push(Mark {
                    layer,
                    class,
                    title,
                    id: format!("s{i}-a{j}-{}", layer.name()),
                    note: notes::attribution_id(i, j),
                    corrected: said,
                    span,
                });
            }
        }
    }
    out.retain(|m| fits(text, m.span));
    out.sort_by_key(|m| (m.span.start, Reverse(m.span.end), m.layer));
    out.into_iter().map(Arc::new).collect()
}

/// "Adrienne Watson (named person or body)", a phrase for a speaker written but not resolved ("she" with no one
/// before her), or one for a report with no source at all ("reportedly").
fn speaker_phrase(a: &Attribution) -> String {
    match (&a.speaker, a.source) {
        (Some(s), _) => format!("{s} ({})", a.kind.describe()),
        (None, Some(_)) => format!("an unresolved speaker ({})", a.kind.describe()),
        (None, None) => "a source the writer does not name".to_string(),
    }
}

/// Who found a span, for a reader: a rule, the learned model, or both (or a colleague, for what a person added).
pub fn found_by(rule: &Rule) -> String {
    if rule.id.starts_with("person/") {
        return "Marked by a colleague.".to_string();
    }
    let sure = rule
        .confidence()
        .map(|c| format!(" ({:.0}% sure)", f64::from(c) * 100.0))
        .unwrap_or_default();
    match rule.made_by() {
        annotate::MadeBy::Rules => "Found by a rule.".to_string(),
        annotate::MadeBy::Model => format!("Found by the learned model{sure}."),
        annotate::MadeBy::Both => format!("Found by a rule; the learned model agrees{sure}."),
    }
}

/// " Found by …: … (rule …)" for a title; just who found it and the rule id when the rule has no explanation.
fn because(rule: &Rule) -> String {
    let why = rule.why.trim().trim_end_matches('.');
    let by = found_by(rule);
    match (why.is_empty(), rule.id.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!(" {by} Rule {}.", rule.id),
        (false, true) => format!(" {by} Why: {why}."),
        (false, false) => format!(" {by} Why: {why} (rule {}).", rule.id),
    }
}

/// The title of a sentence's claim marker.
fn claim_title(claim: Claim, attributions: &[Attribution]) -> String {
    let mut speakers: Vec<&str> = attributions.iter().filter_map(|a| a.speaker.as_deref()).collect();
    speakers.dedup();
    match claim {
        Claim::Attributed if !speakers.is_empty() => {
            format!("Attributed claim: {}, here {}.", claim.describe(), speakers.join(", "))
        }
        Claim::Attributed => format!("Attributed claim: {}.", claim.describe()),
        Claim::Unattributed => format!("Unattributed claim: {}.", claim.describe()),
        Claim::None => format!("No claim: {}.", claim.describe()),
    }
}

/// True when `span` is non-empty, in bounds and on character boundaries of `text`.
fn fits(text: &str, span: Span) -> bool {
    span.start < span.end && text.get(span.start..span.end).is_some()
}

/// True when `text` ends with sentence-final punctuation, possibly followed by closing quotes or brackets.
fn ends_like_a_sentence(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use annotate::{Hedge, Sentence, Source};

    fn rule(id: &str) -> Rule {
        Rule { id: id.to_string(), why: format!("because of {id}") }
    }

    /// The byte span of the `n`th occurrence (from 0) of `needle` in `text`.
    fn at(text: &str, needle: &str, n: usize) -> Span {
        let start = text
            .match_indices(needle)
            .nth(n)
            .map(|(i, _)| i)
            .expect("needle occurs in the test text");
        Span::new(start, start + needle.len())
    }

    /// A sentence over `span` stated by the writer, with nothing else found in it.
    fn sentence(span: Span, paragraph: usize) -> Sentence {
        Sentence { claim: Claim::Unattributed, ..Sentence::new(span, paragraph) }
    }

    fn hedge(span: Span) -> Hedge {
        Hedge { span, category: HedgeCategory::Epistemic, rule: rule("lexicon/hedges:would") }
    }

    fn attribution(source: Option<Span>, cue: Option<Span>, content: Option<Span>) -> Attribution {
        Attribution {
            cue,
            source,
            speaker: Some("Adrienne Watson".to_string()),
            kind: SourceKind::Named,
            direct_quote: true,
            content,
            rule: rule("rule/said"),
        }
    }

    /// An annotation of these parts, made from the annotator's own (empty) output so that any other field has a
    /// real value.
    fn annotated(sentences: Vec<Sentence>, paragraphs: Vec<Span>, sources: Vec<Source>) -> Annotated {
        let mut a = annotate::annotate("");
        a.sentences = sentences;
        a.paragraphs = paragraphs;
        a.sources = sources;
        a
    }

    /// Segments in a compact notation: plain text as is, marked text as `{layer+layer|text}` (outermost first).
    fn notation(p: &[ParagraphView<'_>]) -> String {
        let mut out = Vec::new();
        for para in p {
            for s in &para.sentences {
                let mut line = String::new();
                for seg in &s.segments {
                    if seg.marks.is_empty() {
                        line.push_str(seg.text);
                    } else {
                        let layers: Vec<&str> = seg.marks.iter().map(|m| m.layer.name()).collect();
                        line.push_str(&format!("{{{}|{}}}", layers.join("+"), seg.text));
                    }
                }
                out.push(line);
            }
        }
        out.join(" / ")
    }

    #[test]
    fn unmarked_sentences_are_one_segment_each() {
        let text = "Headline\nOne. Two.";
        let doc = annotated(
            vec![
                sentence(at(text, "Headline", 0), 0),
                sentence(at(text, "One.", 0), 1),
                sentence(at(text, "Two.", 0), 1),
            ],
            vec![at(text, "Headline", 0), at(text, "One. Two.", 0)],
            Vec::new(),
        );
        let p = paragraphs(text, &doc);
        assert_eq!(notation(&p), "Headline / One. / Two.");
        assert_eq!(p.len(), 2);
        assert!(p[0].headline);
        assert!(!p[1].headline);
        assert_eq!(p[1].sentences.iter().map(|s| s.index).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn overlapping_spans_nest_content_source_cue_hedge() {
        let text = "“Kim may go,” Watson believes.";
        let mut s = sentence(Span::new(0, text.len()), 0);
        s.hedges = vec![hedge(at(text, "may", 0)), hedge(at(text, "believes", 0))];
        s.attributions = vec![attribution(
            Some(at(text, "Watson", 0)),
            Some(at(text, "believes", 0)),
            Some(at(text, "“Kim may go,”", 0)),
        )];
        let doc = annotated(vec![s], vec![Span::new(0, text.len())], Vec::new());
        assert_eq!(
            notation(&paragraphs(text, &doc)),
            "{content|“Kim }{content+hedge|may}{content| go,”} {source|Watson} {cue+hedge|believes}."
        );
    }

    #[test]
    fn a_cut_mark_keeps_its_id_and_title_on_every_piece() {
        let text = "Officials said it could rain.";
        let mut s = sentence(Span::new(0, text.len()), 0);
        s.hedges = vec![hedge(at(text, "could", 0))];
        s.attributions = vec![attribution(None, Some(at(text, "said", 0)), Some(at(text, "it could rain", 0)))];
        let doc = annotated(vec![s], vec![Span::new(0, text.len())], Vec::new());
        let p = paragraphs(text, &doc);
        let content: Vec<&Arc<Mark>> = p[0].sentences[0]
            .segments
            .iter()
            .flat_map(|g| &g.marks)
            .filter(|m| m.layer == Layer::Content)
            .collect();
        assert_eq!(content.len(), 3);
        assert!(
            content
                .iter()
                .all(|m| m.id == "s0-a0-content" && m.title.contains("Adrienne Watson"))
        );
        let hedge_ids: Vec<&str> = p[0].sentences[0]
            .segments
            .iter()
            .flat_map(|g| &g.marks)
            .filter(|m| m.layer == Layer::Hedge)
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(hedge_ids, ["s0-h0"]);
    }

    #[test]
    fn segments_join_back_into_each_sentence() {
        let text = "A “quoted” word — 🙂 here. Another one, officials said.";
        let first = at(text, "A “quoted” word — 🙂 here.", 0);
        let second = at(text, "Another one, officials said.", 0);
        let mut s2 = sentence(second, 0);
        s2.attributions = vec![attribution(
            Some(at(text, "officials", 0)),
            Some(at(text, "said", 0)),
            Some(at(text, "Another one", 0)),
        )];
        let mut s1 = sentence(first, 0);
        s1.hedges = vec![hedge(at(text, "🙂", 0))];
        let doc = annotated(vec![s1, s2], vec![Span::new(0, text.len())], Vec::new());
        let p = paragraphs(text, &doc);
        for (view, span) in p[0].sentences.iter().zip([first, second]) {
            let joined: String = view.segments.iter().map(|g| g.text).collect();
            assert_eq!(joined, span.text(text));
        }
    }

    #[test]
    fn a_span_crossing_sentences_is_split_between_them() {
        let text = "One two. Three four.";
        let mut s1 = sentence(at(text, "One two.", 0), 0);
        s1.hedges = vec![hedge(at(text, "two. Three", 0))];
        let doc =
            annotated(vec![s1, sentence(at(text, "Three four.", 0), 0)], vec![Span::new(0, text.len())], Vec::new());
        assert_eq!(notation(&paragraphs(text, &doc)), "One {hedge|two.} / {hedge|Three} four.");
    }

    #[test]
    fn spans_that_do_not_fit_are_dropped_without_panicking() {
        let text = "Kim’s train.";
        let mut s = sentence(Span::new(0, text.len()), 0);
        s.hedges = vec![
            hedge(Span { start: 4, end: 5 }),   // inside the 3-byte apostrophe
            hedge(Span { start: 9, end: 400 }), // past the end
            hedge(Span { start: 6, end: 6 }),   // empty
            hedge(Span { start: 8, end: 4 }),   // reversed
            hedge(at(text, "train", 0)),        // fine
        ];
        let broken = sentence(Span { start: 2, end: 999 }, 0);
        let doc = annotated(vec![s, broken], vec![Span::new(0, text.len())], Vec::new());
        assert_eq!(notation(&paragraphs(text, &doc)), "Kim’s {hedge|train}.");
    }

    #[test]
    fn headline_only_when_the_first_paragraph_does_not_end_a_sentence() {
        let check = |text: &str, expected: bool| {
            let paras: Vec<Span> = text
                .split('\n')
                .scan(0, |pos, line| {
                    let span = Span::new(*pos, *pos + line.len());
                    *pos += line.len() + 1;
                    Some(span)
                })
                .collect();
            let doc = annotated(paras.iter().enumerate().map(|(i, &p)| sentence(p, i)).collect(), paras, Vec::new());
            assert_eq!(paragraphs(text, &doc)[0].headline, expected, "{text:?}");
        };
        check("Kim to meet Putin\nBody.", true);
        check("U.S. to sanction Russia\nBody.", true);
        check("It rained.\nBody.", false);
        check("“Go now!”\nBody.", false);
        check("Is it over?\nBody.", false);
        check("Only one line", false);
    }

    #[test]
    fn layers_have_distinct_names_and_classes() {
        let mut names: Vec<&str> = Layer::ALL.iter().map(|l| l.name()).collect();
        let mut classes: Vec<&str> = Layer::ALL.iter().map(|l| l.class()).collect();
        names.sort_unstable();
        names.dedup();
        classes.sort_unstable();
        classes.dedup();
        assert_eq!(names.len(), Layer::ALL.len());
        assert_eq!(classes.len(), Layer::ALL.len());
        assert!(Layer::ALL.iter().all(|l| !l.legend().is_empty()));
    }

    #[test]
    fn legend_covers_every_category_kind_and_claim() {
        let legend = Legend::new();
        assert_eq!(legend.layers.len(), Layer::ALL.len());
        assert_eq!(legend.hedges.len(), HedgeCategory::ALL.len());
        assert_eq!(legend.kinds.len(), SourceKind::ALL.len());
        assert_eq!(legend.claims.len(), Claim::ALL.len());
        assert_eq!(legend.hedges[0].class, "hl-hedge hl-hedge-epistemic");
    }

    #[test]
    fn sources_panel_lists_speakers_with_their_sentences() {
        let doc = annotated(
            Vec::new(),
            Vec::new(),
            vec![Source { speaker: "Watson".into(), kind: SourceKind::Named, sentences: vec![2, 3] }],
        );
        let s = sources("", &doc);
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].speaker, s[0].sentences), ("Watson", [2, 3].as_slice()));
        assert_eq!(s[0].class, "hl-source hl-source-named");
    }

    #[test]
    fn layer_lists_parse_leniently_in_legend_order() {
        assert_eq!(Layer::parse_list("cue,hedge"), [Layer::Hedge, Layer::Cue]);
        assert_eq!(Layer::parse_list(" claim , nonsense,,cue,cue"), [Layer::Cue, Layer::Claim]);
        assert!(Layer::parse_list("").is_empty());
        assert!(Layer::parse_list("HEDGE").is_empty(), "names are exact");
        assert_eq!(Layer::ALL.map(Layer::key), [1, 2, 3, 4, 5]);
        let legend = Legend::new().hiding(&[Layer::Cue]);
        let shown: Vec<bool> = legend.layers.iter().map(|l| l.shown).collect();
        assert_eq!(shown, [true, true, false, true, true]);
    }

    #[test]
    fn the_style_sheet_styles_every_class_the_view_emits() {
        let css = include_str!("../static/app.css");
        let mut wanted: Vec<String> = Layer::ALL.iter().map(|l| format!(".{}", l.class())).collect();
        wanted.extend(
            HedgeCategory::ALL
                .iter()
                .map(|c| format!(".{}", Layer::Hedge.variant_class(c.as_str()))),
        );
        wanted.extend(
            SourceKind::ALL
                .iter()
                .map(|k| format!(".{}", Layer::Source.variant_class(k.as_str()))),
        );
        wanted.extend(
            Claim::ALL
                .iter()
                .map(|c| format!(".{}", Layer::Claim.variant_class(c.as_str()))),
        );
        wanted.extend(Certainty::ALL.iter().map(|c| format!(".{}", c.class())));
        wanted.extend(summary::Reliance::ALL.iter().map(|r| format!(".{}", r.class())));
        wanted.push(format!(".{}", summary::NO_CLAIM_CLASS));
        wanted.extend(Layer::ALL.iter().map(|l| format!("#show-{}:not(:checked)", l.name())));
        for class in wanted {
            assert!(css.contains(&class), "app.css styles {class}");
        }
    }

    /// A small document with every part the reading page shows: a headline, a quotation with its source and cue,
    /// a repeated sentence, and claims of every kind.
    fn reading_fixture() -> (&'static str, Annotated) {
        let text = "Talks may resume\nThe deal is done. “We are close,” Watson said. No comment.\nNo comment. \
                    Officials told reporters talks could fail.";
        let mut s0 = sentence(at(text, "Talks may resume", 0), 0);
        s0.hedges = vec![hedge(at(text, "may", 0))];
        s0.checkworthy = 0.2;
        let mut s1 = sentence(at(text, "The deal is done.", 0), 1);
        s1.checkworthy = 0.9;
        let mut s2 = sentence(at(text, "“We are close,” Watson said.", 0), 1);
        s2.claim = Claim::Attributed;
        s2.attributions = vec![attribution(
            Some(at(text, "Watson", 0)),
            Some(at(text, "said", 0)),
            Some(at(text, "“We are close,”", 0)),
        )];
        let mut s3 = sentence(at(text, "No comment.", 0), 1);
        s3.claim = Claim::None;
        let mut s4 = sentence(at(text, "No comment.", 1), 2);
        s4.checkworthy = 0.4;
        let mut s5 = sentence(at(text, "Officials told reporters talks could fail.", 0), 2);
        s5.claim = Claim::Attributed;
        s5.hedges = vec![hedge(at(text, "could", 0))];
        let mut a = attribution(Some(at(text, "Officials", 0)), Some(at(text, "told", 0)), None);
        a.speaker = Some("Officials".into());
        a.kind = SourceKind::Unnamed;
        a.direct_quote = false;
        s5.attributions = vec![a];
        let doc = annotated(
            vec![s0, s1, s2, s3, s4, s5],
            vec![
                at(text, "Talks may resume", 0),
                at(text, "The deal is done. “We are close,” Watson said. No comment.", 0),
                at(text, "No comment. Officials told reporters talks could fail.", 0),
            ],
            vec![
                Source { speaker: "Adrienne Watson".into(), kind: SourceKind::Named, sentences: vec![2] },
                Source { speaker: "Officials".into(), kind: SourceKind::Unnamed, sentences: vec![5] },
            ],
        );
        (text, doc)
    }

    #[test]
    fn sentences_get_content_ids_and_repeats_a_counter() {
        let (text, doc) = reading_fixture();
        let ids = sentence_ids(text, &doc);
        let ids: Vec<&str> = ids.iter().map(|i| i.as_deref().unwrap_or("-")).collect();
        assert_eq!(ids[4], format!("{}-2", ids[3]), "the second “No comment.” is told apart");
        let views: Vec<String> = paragraphs(text, &doc)
            .iter()
            .flat_map(|p| p.sentences.iter().map(|s| s.sid.clone()))
            .collect();
        assert_eq!(views, ids, "the page uses the same ids");
        // Dropping the headline changes no other sentence's id.
        let mut shorter = doc.clone();
        shorter.sentences.remove(0);
        let rest = sentence_ids(text, &shorter);
        assert_eq!(rest.iter().map(|i| i.as_deref().unwrap_or("-")).collect::<Vec<_>>(), ids[1..]);
    }

    #[test]
    fn reading_gathers_ledger_cards_notes_and_charts() {
        let (text, doc) = reading_fixture();
        let r = reading(text, &doc, None);
        let ids = sentence_ids(text, &doc);
        let sid = |i: usize| ids[i].clone().unwrap_or_default();

        assert_eq!(r.ledger.len(), 2);
        let watson = &r.ledger[0];
        assert_eq!((watson.direct, watson.indirect), (1, 0));
        assert_eq!(watson.cues, ["said"]);
        assert_eq!(watson.links, [SentenceLink { sid: sid(2), number: 3 }]);
        assert_eq!(watson.targets, sid(2));
        assert_eq!((r.ledger[1].direct, r.ledger[1].indirect), (0, 1));

        let numbers: Vec<usize> = r.cards.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [1, 2, 3, 5, 6], "every claim, none for “No comment.” without a claim");
        let voices: Vec<(&str, SourceKind, &str)> = r.cards[2]
            .voices
            .iter()
            .map(|v| (v.speaker, v.kind, v.class.as_str()))
            .collect();
        assert_eq!(voices, [("Adrienne Watson", SourceKind::Named, "hl-source hl-source-named")]);
        let hedges: Vec<(&str, HedgeCategory)> = r.cards[4].hedges.iter().map(|h| (h.text, h.category)).collect();
        assert_eq!(hedges, [("could", HedgeCategory::Epistemic)]);
        assert_eq!((r.cards[1].score.as_str(), r.cards[1].meter, r.cards[1].worthy), ("0.90", 90, true));
        let check: Vec<usize> = r.check_first.iter().map(|c| c.number).collect();
        assert_eq!(check, [2, 5, 1], "the writer's own claims, most check-worthy first");

        assert_eq!(
            (r.certainty.claims, r.certainty.asserted, r.certainty.attributed, r.certainty.hedged),
            (5, 2, 2, 2)
        );
        assert_eq!((r.sourcing.attributed, r.sourcing.unnamed_only, r.sourcing.percent), (2, 1, 50));

        assert_eq!(r.strip.bars.len(), 6, "one bar per sentence");
        let titles: Vec<&str> = r.strip.bars.iter().map(|b| b.title.as_str()).collect();
        assert!(titles[0].starts_with("Sentence 1:") && titles[5].starts_with("Sentence 6:"), "{titles:?}");

        // Every mark points at an explanation that exists.
        let note_ids: Vec<&str> = r
            .hedge_notes
            .iter()
            .map(|n| n.id.as_str())
            .chain(r.attribution_notes.iter().map(|n| n.id.as_str()))
            .collect();
        let marks: Vec<Arc<Mark>> = r
            .paragraphs
            .iter()
            .flat_map(|p| &p.sentences)
            .flat_map(|s| &s.segments)
            .flat_map(|g| g.marks.iter().cloned())
            .collect();
        assert!(!marks.is_empty());
        for m in &marks {
            assert!(note_ids.contains(&m.note.as_str()), "mark {} explains itself via {}", m.id, m.note);
        }
        let triple = &r.attribution_notes[0];
        assert_eq!(
            (triple.source, triple.cue, triple.content.as_deref(), triple.direct),
            (Some("Watson"), Some("said"), Some("“We are close,”"), true)
        );
    }

    #[test]
    fn titles_say_why() {
        let a = attribution(None, None, None);
        assert_eq!(
            claim_title(Claim::Attributed, std::slice::from_ref(&a)),
            "Attributed claim: claim carried by a source, here Adrienne Watson."
        );
        assert_eq!(because(&rule("rule/said")), " Found by a rule. Why: because of rule/said (rule rule/said).");
        assert!(because(&rule("model/tagger@0.91")).starts_with(" Found by the learned model (91% sure)."));
        assert!(
            because(&rule("lexicon/cues.tsv:said+model@0.88"))
                .starts_with(" Found by a rule; the learned model agrees (88% sure).")
        );
        assert_eq!(because(&Rule { id: String::new(), why: String::new() }), "");
    }

    #[test]
    fn a_report_without_a_source_says_so() {
        let text = "The old bridge was reportedly closed for repairs.";
        let doc = annotate::annotate(text);
        let titles: Vec<String> = marks(text, &doc, &Default::default()).iter().map(|m| m.title.clone()).collect();
        let cue = titles.iter().find(|t| t.starts_with("Attribution cue")).expect("a cue mark");
        assert!(cue.contains("a source the writer does not name"), "{cue}");
        assert!(!titles.iter().any(|t| t.contains("unresolved")), "{titles:?}");
    }
}
