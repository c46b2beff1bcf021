//! Corrections: a person confirms, rejects or fixes something the annotator found, or adds what it missed. The
//! annotator's output is never changed: [`apply`] makes the reviewed annotation from it and the corrections, in the
//! order they were made, and says for every corrected item who changed it, when, and what the annotator had said.
//!
//! What a correction may do, by layer:
//! - a **hedge**: confirm, reject (it goes), fix (its category, its boundaries), add one over a chosen span;
//! - a **source**, **cue** or **content** (the parts of an attribution): confirm, reject (the whole attribution
//!   goes), fix (new boundaries; for a source also its kind, which is the speaker's wherever they speak), add a missed
//!   part (it joins the sentence's attribution that lacks that part, or starts a new one);
//! - a sentence's **claim** label: fix (or confirm) it.
//!
//! Items are found again by the sentence's permalink id and by their text, so a correction outlives a change
//! elsewhere in the document and a new annotator version; one that finds nothing is kept and listed as unattached.

use annotate::{Annotated, Attribution, CharIndex, Claim, Hedge, HedgeCategory, Rule, SourceKind, Span};

/// The layer a correction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// An attribution's source.
    Source,
    /// An attribution's cue.
    Cue,
    /// An attribution's content.
    Content,
    /// A hedge.
    Hedge,
    /// The sentence's claim label.
    Claim,
}

impl Layer {
    /// Every layer.
    pub const ALL: [Layer; 5] = [Layer::Source, Layer::Cue, Layer::Content, Layer::Hedge, Layer::Claim];

    /// Machine name (as the API and the store spell it).
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Source => "source",
            Layer::Cue => "cue",
            Layer::Content => "content",
            Layer::Hedge => "hedge",
            Layer::Claim => "claim",
        }
    }

    /// The layer with this machine name.
    pub fn parse(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// What a correction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The annotator was right.
    Confirm,
    /// The annotator was wrong: the item goes.
    Reject,
    /// The annotator was nearly right: the item changes.
    Fix,
    /// The annotator missed it.
    Add,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 4] = [Action::Confirm, Action::Reject, Action::Fix, Action::Add];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Reject => "reject",
            Action::Fix => "fix",
            Action::Add => "add",
        }
    }

    /// The action with this machine name.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// A reader's word for it, in the past tense.
    pub fn done(self) -> &'static str {
        match self {
            Action::Confirm => "confirmed",
            Action::Reject => "rejected",
            Action::Fix => "fixed",
            Action::Add => "added",
        }
    }
}

/// A span by its characters in the document and its text (to be found again if the characters move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The text then.
    pub exact: String,
}

/// A stored correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// Its id.
    pub id: String,
    /// The permalink id of its sentence.
    pub sentence: String,
    /// What it is about.
    pub layer: Layer,
    /// What it does.
    pub action: Action,
    /// The annotator's item it is about (`None` for a claim, or an addition).
    pub target: Option<Quoted>,
    /// The span chosen instead (fixed boundaries, or what is added).
    pub span: Option<Quoted>,
    /// The kind (a source), category (a hedge) or claim label chosen.
    pub value: Option<String>,
    /// Who made it.
    pub author: String,
    /// Who may undo it: `owner` or `viewer:<key>`.
    pub author_key: String,
    /// When, in seconds since the Unix epoch.
    pub created: i64,
}

/// Which item of its sentence a correction left in the reviewed annotation, by its span there (byte offsets): the
/// span names the item however later corrections reorder the sentence's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    /// The hedge over this span.
    Hedge(Span),
    /// The attribution whose part of this layer is this span.
    Part(Layer, Span),
    /// The sentence's claim label.
    Claim,
    /// An item that is gone (rejected).
    Gone,
}

/// One correction as applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The correction.
    pub correction: Correction,
    /// Its sentence in the reviewed annotation.
    pub sentence: usize,
    /// The item it left (after the corrections before it).
    pub item: Item,
    /// What the annotator had said, for a reader ("unnamed source", "hedge, epistemic: may"); `None` for an addition.
    pub was: Option<String>,
}

/// The reviewed annotation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The annotation with every correction that found its item applied.
    pub annotated: Annotated,
    /// Those corrections, in order.
    pub changes: Vec<Change>,
    /// The corrections whose sentence or item is not in the document any more, and why.
    pub unattached: Vec<(Correction, &'static str)>,
}

impl Applied {
    /// The changes on sentence `i`.
    pub fn on_sentence(&self, i: usize) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.sentence == i)
    }

    /// The latest change that left `item` of sentence `i`, if any.
    pub fn of(&self, i: usize, item: Item) -> Option<&Change> {
        self.changes.iter().rev().find(|c| c.sentence == i && c.item == item)
    }
}

/// What people did to one item of the reviewed annotation: the first change (whose `was` is what the annotator
/// had said) and the latest (who last changed it, and how).
#[derive(Debug, Clone, Copy)]
pub struct Marked<'a> {
    /// The first change to the item.
    pub first: &'a Change,
    /// The latest change to the item.
    pub last: &'a Change,
    /// How many changes it had.
    pub count: usize,
    /// Whether any of them changed it (more than confirming it).
    pub changed: bool,
}

impl Marked<'_> {
    /// "Sam confirmed this", "Sam fixed this (the annotator had said: unnamed source: officials)".
    pub fn say(&self) -> String {
        let c = &self.last.correction;
        let by = format!("{} {} this", c.author, c.action.done());
        match &self.first.was {
            Some(was) if self.changed => format!("{by}; the annotator had said: {was}"),
            Some(_) => by,
            None => format!("{by}; the annotator had missed it"),
        }
    }
}

/// Every item a change left, by sentence and item, with its first and latest change.
pub fn marks(changes: &[Change]) -> std::collections::HashMap<(usize, Item), Marked<'_>> {
    let mut out: std::collections::HashMap<(usize, Item), Marked<'_>> = std::collections::HashMap::new();
    for c in changes.iter().filter(|c| c.item != Item::Gone) {
        out.entry((c.sentence, c.item))
            .and_modify(|m| {
                m.last = c;
                m.count += 1;
                m.changed |= c.correction.action != Action::Confirm;
            })
            .or_insert(Marked { first: c, last: c, count: 1, changed: c.correction.action != Action::Confirm });
    }
    out
}

/// Earlier changes on sentence `si` that left `from` now point at `to` (a later fix moved the item, or a later
/// rejection took it away).
fn retarget(changes: &mut [Change], si: usize, from: Item, to: Item) {
    for c in changes.iter_mut().filter(|c| c.sentence == si && c.item == from) {
        c.item = to;
    }
}

/// Why a correction could not be applied.
const NO_SENTENCE: &str = "its sentence is not in the document any more";
const NO_ITEM: &str = "what it corrected is not in the sentence any more";
const BAD_SPAN: &str = "its span does not fit the sentence";
const BAD_VALUE: &str = "it names no kind, category or claim label this Lectern knows";

/// The reviewed annotation of `text`: `annotated` with `corrections` applied in order. `sentence_ids` are the
/// permalink ids of `annotated`'s sentences (`view::sentence_ids`).
pub fn apply(
    text: &str,
    annotated: &Annotated,
    sentence_ids: &[Option<String>],
    corrections: &[Correction],
) -> Applied {
    let index = CharIndex::new(text);
    let mut out = Applied { annotated: annotated.clone(), ..Applied::default() };
    let mut relabelled = vec![false; annotated.sentences.len()];
    let mut touched = vec![false; annotated.sentences.len()];
    for c in corrections {
        let Some(si) = sentence_ids.iter().position(|id| id.as_deref() == Some(c.sentence.as_str())) else {
            out.unattached.push((c.clone(), NO_SENTENCE));
            continue;
        };
        let result = apply_one(text, &index, &mut out.annotated, &mut out.changes, si, c);
        match result {
            Ok((item, was)) => {
                if c.layer == Layer::Claim {
                    relabelled[si] = true;
                } else if c.action != Action::Confirm {
                    touched[si] = true;
                }
                out.changes.push(Change { correction: c.clone(), sentence: si, item, was });
            }
            Err(why) => out.unattached.push((c.clone(), why)),
        }
    }
    // A sentence whose attributions changed and whose label nobody set carries a claim as its attributions say.
    for (i, s) in out.annotated.sentences.iter_mut().enumerate() {
        if touched[i] && !relabelled[i] && s.claim != Claim::None {
            s.claim = if s.attributions.is_empty() { Claim::Unattributed } else { Claim::Attributed };
        }
    }
    out.annotated.sources = annotate::document::sources(&out.annotated.sentences);
    out
}

/// Characters `start..end` as a byte span, when they are in the text.
pub fn bytes_of(index: &CharIndex, start: usize, end: usize) -> Option<Span> {
    (start <= end && end <= index.len_chars()).then(|| Span::new(index.byte_of(start), index.byte_of(end)))
}

/// A quoted span as bytes inside sentence `si`, when it fits.
fn bytes_in(text: &str, index: &CharIndex, sentence: Span, q: &Quoted) -> Option<Span> {
    let span = bytes_of(index, q.start, q.end)?;
    (span.start < span.end && sentence.contains(&span) && text.get(span.start..span.end).is_some()).then_some(span)
}

/// Find the item `target` names among `spans` (byte spans of the sentence's items of one layer): by its characters,
/// or else by its text.
fn locate(text: &str, index: &CharIndex, spans: &[Option<Span>], target: &Quoted) -> Option<usize> {
    let at = bytes_of(index, target.start, target.end);
    spans.iter().position(|s| s.is_some() && *s == at).or_else(|| {
        spans
            .iter()
            .position(|s| s.and_then(|s| text.get(s.start..s.end)) == Some(target.exact.as_str()))
    })
}

fn person(c: &Correction) -> Rule {
    Rule { id: format!("person/{}", c.id), why: format!("marked by {}", c.author) }
}

fn category(value: Option<&str>) -> Option<HedgeCategory> {
    HedgeCategory::ALL.into_iter().find(|k| Some(k.as_str()) == value)
}

fn kind(value: Option<&str>) -> Option<SourceKind> {
    SourceKind::ALL.into_iter().find(|k| Some(k.as_str()) == value)
}

fn claim(value: Option<&str>) -> Option<Claim> {
    Claim::ALL.into_iter().find(|k| Some(k.as_str()) == value)
}

fn part(a: &Attribution, layer: Layer) -> Option<Span> {
    match layer {
        Layer::Source => a.source,
        Layer::Cue => a.cue,
        Layer::Content => a.content,
        Layer::Hedge | Layer::Claim => None,
    }
}

fn set_part(a: &mut Attribution, layer: Layer, span: Span, text: &str) {
    match layer {
        Layer::Source => {
            a.source = Some(span);
            a.speaker = text
                .get(span.start..span.end)
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        Layer::Cue => a.cue = Some(span),
        Layer::Content => a.content = Some(span),
        Layer::Hedge | Layer::Claim => {}
    }
}

/// Apply `c` to sentence `si` of `a`: the item it leaves and what the annotator had said.
fn apply_one(
    text: &str,
    index: &CharIndex,
    a: &mut Annotated,
    earlier: &mut [Change],
    si: usize,
    c: &Correction,
) -> Result<(Item, Option<String>), &'static str> {
    let sentence_span = a.sentences[si].span;
    let slice = |s: Span| text.get(s.start..s.end).unwrap_or("").to_string();
    let new_span = || c.span.as_ref().and_then(|q| bytes_in(text, index, sentence_span, q));
    match c.layer {
        Layer::Claim => {
            let label = claim(c.value.as_deref()).ok_or(BAD_VALUE)?;
            let s = &mut a.sentences[si];
            let was = format!("claim: {}", s.claim.as_str());
            if c.action != Action::Confirm {
                s.claim = label;
            }
            Ok((Item::Claim, Some(was)))
        }
        Layer::Hedge => {
            let hedges: Vec<Option<Span>> = a.sentences[si].hedges.iter().map(|h| Some(h.span)).collect();
            if c.action == Action::Add {
                let span = new_span().ok_or(BAD_SPAN)?;
                let cat = category(c.value.as_deref()).ok_or(BAD_VALUE)?;
                let s = &mut a.sentences[si];
                // A hedge it overlaps gives way to it.
                for h in s.hedges.iter().filter(|h| h.span.start < span.end && span.start < h.span.end) {
                    retarget(earlier, si, Item::Hedge(h.span), Item::Gone);
                }
                s.hedges.retain(|h| h.span.end <= span.start || h.span.start >= span.end);
                s.hedges.push(Hedge { span, category: cat, rule: person(c) });
                s.hedges.sort_by_key(|h| h.span.start);
                return Ok((Item::Hedge(span), None));
            }
            let target = c.target.as_ref().ok_or(NO_ITEM)?;
            let j = locate(text, index, &hedges, target).ok_or(NO_ITEM)?;
            let s = &mut a.sentences[si];
            let was = format!("hedge, {}: {}", s.hedges[j].category.as_str(), slice(s.hedges[j].span));
            let old = Item::Hedge(s.hedges[j].span);
            match c.action {
                Action::Confirm => Ok((old, Some(was))),
                Action::Reject => {
                    s.hedges.remove(j);
                    retarget(earlier, si, old, Item::Gone);
                    Ok((Item::Gone, Some(was)))
                }
                Action::Fix => {
                    let cat = match c.value.as_deref() {
                        Some(cat) => Some(category(Some(cat)).ok_or(BAD_VALUE)?),
                        None => None,
                    };
                    let span = match c.span {
                        Some(_) => Some(new_span().ok_or(BAD_SPAN)?),
                        None => None,
                    };
                    if let Some(cat) = cat {
                        s.hedges[j].category = cat;
                    }
                    if let Some(span) = span {
                        s.hedges[j].span = span;
                    }
                    let now = Item::Hedge(s.hedges[j].span);
                    s.hedges.sort_by_key(|h| h.span.start);
                    retarget(earlier, si, old, now);
                    Ok((now, Some(was)))
                }
                Action::Add => unreachable_add(),
            }
        }
        layer @ (Layer::Source | Layer::Cue | Layer::Content) => {
            if c.action == Action::Add {
                let span = new_span().ok_or(BAD_SPAN)?;
                let s = &mut a.sentences[si];
                // The part joins the attribution of the sentence that lacks it (the latest), or starts one.
                let j = match s.attributions.iter().rposition(|x| part(x, layer).is_none()) {
                    Some(j) => j,
                    None => {
                        s.attributions.push(Attribution {
                            cue: None,
                            source: None,
                            speaker: None,
                            kind: SourceKind::Unnamed,
                            direct_quote: false,
                            content: None,
                            rule: person(c),
                        });
                        s.attributions.len() - 1
                    }
                };
                set_part(&mut s.attributions[j], layer, span, text);
                if layer == Layer::Source
                    && let Some(k) = kind(c.value.as_deref())
                {
                    s.attributions[j].kind = k;
                }
                return Ok((Item::Part(layer, span), None));
            }
            let target = c.target.as_ref().ok_or(NO_ITEM)?;
            let spans: Vec<Option<Span>> = a.sentences[si].attributions.iter().map(|x| part(x, layer)).collect();
            let j = locate(text, index, &spans, target).ok_or(NO_ITEM)?;
            let old = a.sentences[si].attributions[j].clone();
            let was = match layer {
                Layer::Source => {
                    format!("{} source: {}", old.kind.as_str(), old.speaker.as_deref().unwrap_or(&target.exact))
                }
                _ => format!("{}: {}", layer.as_str(), target.exact),
            };
            let at = |x: &Attribution, l: Layer| part(x, l).map(|span| Item::Part(l, span));
            let old = at(&old, layer).unwrap_or(Item::Gone);
            match c.action {
                Action::Confirm => Ok((old, Some(was))),
                Action::Reject => {
                    let gone = a.sentences[si].attributions.remove(j);
                    for l in [Layer::Source, Layer::Cue, Layer::Content] {
                        if let Some(item) = at(&gone, l) {
                            retarget(earlier, si, item, Item::Gone);
                        }
                    }
                    Ok((Item::Gone, Some(was)))
                }
                Action::Fix => {
                    let k = match (layer, c.value.as_deref()) {
                        (Layer::Source, Some(value)) => Some(kind(Some(value)).ok_or(BAD_VALUE)?),
                        _ => None,
                    };
                    if c.span.is_some() {
                        let span = new_span().ok_or(BAD_SPAN)?;
                        set_part(&mut a.sentences[si].attributions[j], layer, span, text);
                    }
                    let now = at(&a.sentences[si].attributions[j], layer).unwrap_or(Item::Gone);
                    retarget(earlier, si, old, now);
                    if let Some(k) = k {
                        // A kind is the speaker's: wherever the annotator heard them, they are this kind.
                        let speaker = a.sentences[si].attributions[j].speaker.clone();
                        for s in &mut a.sentences {
                            for x in &mut s.attributions {
                                if x.speaker.is_some() && x.speaker == speaker {
                                    x.kind = k;
                                }
                            }
                        }
                        a.sentences[si].attributions[j].kind = k;
                    }
                    Ok((now, Some(was)))
                }
                Action::Add => unreachable_add(),
            }
        }
    }
}

/// Additions return before this point; a correction reaching it is one this function cannot apply.
fn unreachable_add() -> Result<(Item, Option<String>), &'static str> {
    Err(NO_ITEM)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "A spokesperson for the mayor, Jordan Ames, said the bridge may close. \
                        Officials said it would reopen. Ames added that repairs could take a year.";

    fn ids(a: &Annotated) -> Vec<Option<String>> {
        crate::view::sentence_ids(TEXT, a)
    }

    fn chars(needle: &str) -> Quoted {
        let at = TEXT.find(needle).unwrap_or(0);
        let start = TEXT[..at].chars().count();
        Quoted { start, end: start + needle.chars().count(), exact: needle.to_string() }
    }

    fn correction(
        sentence: usize,
        layer: Layer,
        action: Action,
        target: Option<&str>,
        span: Option<&str>,
        value: Option<&str>,
    ) -> Correction {
        let a = annotate::annotate(TEXT);
        Correction {
            id: format!("c{sentence}{}{}", layer.as_str(), action.as_str()),
            sentence: ids(&a)[sentence].clone().unwrap_or_default(),
            layer,
            action,
            target: target.map(chars),
            span: span.map(chars),
            value: value.map(str::to_string),
            author: "Sam".into(),
            author_key: "viewer:k".into(),
            created: 1,
        }
    }

    #[test]
    fn a_kind_fix_is_the_speakers_everywhere_and_the_figures_follow() {
        let a = annotate::annotate(TEXT);
        let source = a.sentences[0]
            .attributions
            .first()
            .and_then(|x| x.source)
            .map(|s| s.text(TEXT).to_string());
        let source = source.expect("the annotator finds a source in the first sentence");
        let fix = correction(0, Layer::Source, Action::Fix, Some(&source), None, Some("named"));
        let out = apply(TEXT, &a, &ids(&a), &[fix]);
        assert!(out.unattached.is_empty(), "{:?}", out.unattached);
        let speaker = out.annotated.sentences[0].attributions[0].speaker.clone();
        for s in &out.annotated.sentences {
            for x in s.attributions.iter().filter(|x| x.speaker == speaker) {
                assert_eq!(x.kind, SourceKind::Named);
            }
        }
        assert!(
            out.annotated
                .sources
                .iter()
                .any(|s| Some(&s.speaker) == speaker.as_ref() && s.kind == SourceKind::Named)
        );
        let first = out.annotated.sentences[0].attributions[0].source;
        assert_eq!(Some(out.changes[0].item), first.map(|s| Item::Part(Layer::Source, s)));
        assert!(
            out.changes[0]
                .was
                .as_deref()
                .is_some_and(|w| w.starts_with("unnamed source") || w.starts_with("named source"))
        );
        assert_eq!(a, annotate::annotate(TEXT), "the annotator's output is untouched");
    }

    #[test]
    fn a_source_gets_new_boundaries_and_its_speaker_follows() {
        let a = annotate::annotate(TEXT);
        let source = a.sentences[0]
            .attributions
            .first()
            .and_then(|x| x.source)
            .map(|s| s.text(TEXT).to_string());
        let source = source.expect("the annotator finds a source in the first sentence");
        let fix = correction(0, Layer::Source, Action::Fix, Some(&source), Some("Jordan Ames"), Some("named"));
        let out = apply(TEXT, &a, &ids(&a), &[fix]);
        let x = &out.annotated.sentences[0].attributions[0];
        assert_eq!(x.source.map(|s| s.text(TEXT)), Some("Jordan Ames"));
        assert_eq!((x.speaker.as_deref(), x.kind), (Some("Jordan Ames"), SourceKind::Named));
    }

    #[test]
    fn hedges_are_rejected_fixed_and_added() {
        let a = annotate::annotate(TEXT);
        let reject = correction(0, Layer::Hedge, Action::Reject, Some("may"), None, None);
        let add = correction(2, Layer::Hedge, Action::Add, None, Some("take a year"), Some("approximator"));
        let out = apply(TEXT, &a, &ids(&a), &[reject, add]);
        assert!(out.annotated.sentences[0].hedges.iter().all(|h| h.span.text(TEXT) != "may"));
        let added = out.annotated.sentences[2]
            .hedges
            .iter()
            .find(|h| h.span.text(TEXT) == "take a year");
        assert_eq!(
            added.map(|h| (h.category, h.rule.id.starts_with("person/"))),
            Some((HedgeCategory::Approximator, true))
        );
        assert_eq!(out.changes.iter().map(|c| c.item).collect::<Vec<_>>().first(), Some(&Item::Gone));
    }

    #[test]
    fn earlier_changes_follow_the_item_through_later_ones() {
        let a = annotate::annotate(TEXT);
        let confirm = correction(2, Layer::Hedge, Action::Confirm, Some("could"), None, None);
        let add = correction(2, Layer::Hedge, Action::Add, None, Some("Ames added"), Some("epistemic"));
        let reject = correction(2, Layer::Hedge, Action::Reject, Some("could"), None, None);
        let out = apply(TEXT, &a, &ids(&a), &[confirm.clone(), add.clone()]);
        let could = out.annotated.sentences[2]
            .hedges
            .iter()
            .find(|h| h.span.text(TEXT) == "could")
            .map(|h| h.span);
        assert_eq!(could.map(Item::Hedge), Some(out.changes[0].item), "a hedge added before it does not lose it");
        let out = apply(TEXT, &a, &ids(&a), &[confirm, add, reject]);
        assert_eq!(out.changes[0].item, Item::Gone, "confirmed, then rejected: gone");
        assert!(matches!(out.changes[1].item, Item::Hedge(s) if s.text(TEXT) == "Ames added"));
    }

    #[test]
    fn a_rejected_attribution_goes_and_the_claim_follows_unless_set() {
        let a = annotate::annotate(TEXT);
        let cue = a.sentences[1]
            .attributions
            .first()
            .and_then(|x| x.cue)
            .map(|s| s.text(TEXT).to_string());
        let cue = cue.expect("the annotator finds a cue in the second sentence");
        let reject = correction(1, Layer::Cue, Action::Reject, Some(&cue), None, None);
        let out = apply(TEXT, &a, &ids(&a), std::slice::from_ref(&reject));
        assert!(out.annotated.sentences[1].attributions.is_empty());
        assert_eq!(out.annotated.sentences[1].claim, Claim::Unattributed);
        let label = correction(1, Layer::Claim, Action::Fix, None, None, Some("none"));
        let out = apply(TEXT, &a, &ids(&a), &[reject, label]);
        assert_eq!(out.annotated.sentences[1].claim, Claim::None);
    }

    #[test]
    fn corrections_that_find_nothing_are_kept_unattached_with_a_reason() {
        let a = annotate::annotate(TEXT);
        let mut lost = correction(0, Layer::Hedge, Action::Reject, Some("may"), None, None);
        lost.sentence = "s-00000000".into();
        let missing = correction(0, Layer::Hedge, Action::Reject, Some("bridge"), None, None);
        let outside = correction(0, Layer::Hedge, Action::Add, None, Some("Officials"), Some("epistemic"));
        let bad = correction(0, Layer::Claim, Action::Fix, None, None, Some("maybe"));
        let out = apply(TEXT, &a, &ids(&a), &[lost, missing, outside, bad]);
        let why: Vec<&str> = out.unattached.iter().map(|(_, w)| *w).collect();
        assert_eq!(why, [NO_SENTENCE, NO_ITEM, BAD_SPAN, BAD_VALUE]);
        assert_eq!(out.annotated, a, "nothing changed");
    }

    #[test]
    fn a_missed_attribution_is_added_part_by_part() {
        let text = "Repairs could take a year, the engineer believes.";
        let a = annotate::Annotated {
            sentences: annotate::annotate(text)
                .sentences
                .into_iter()
                .map(|mut s| {
                    s.attributions.clear();
                    s
                })
                .collect(),
            ..annotate::annotate(text)
        };
        let sid = crate::view::sentence_ids(text, &a)[0].clone().unwrap_or_default();
        let q = |needle: &str| {
            let at = text.find(needle).unwrap_or(0);
            Quoted { start: at, end: at + needle.len(), exact: needle.to_string() }
        };
        let add = |layer, needle: &str, value: Option<&str>| Correction {
            id: format!("add-{needle}"),
            sentence: sid.clone(),
            layer,
            action: Action::Add,
            target: None,
            span: Some(q(needle)),
            value: value.map(str::to_string),
            author: "Sam".into(),
            author_key: "owner".into(),
            created: 1,
        };
        let out = apply(
            text,
            &a,
            &[Some(sid.clone())],
            &[
                add(Layer::Cue, "believes", None),
                add(Layer::Source, "the engineer", Some("unnamed")),
                add(Layer::Content, "Repairs could take a year", None),
            ],
        );
        let x = &out.annotated.sentences[0].attributions;
        assert_eq!(x.len(), 1, "one attribution, three parts");
        assert_eq!(x[0].cue.map(|s| s.text(text)), Some("believes"));
        assert_eq!(x[0].speaker.as_deref(), Some("the engineer"));
        assert_eq!(out.annotated.sources.len(), 1);
        assert_eq!(out.annotated.sentences[0].claim, Claim::Attributed);
    }
}
