//! Attributions on PolNeAR dev (or train, with `--polnear train`): cue, source and content P/R/F1, sentence-level
//! "has an attribution", and the share of unquoted attributions found.
//!
//! Each article is annotated whole. Gold spans are the arguments of the `Attribution` events of the article's first
//! annotator (a span shared by two events counts once); offsets are converted from characters to bytes with
//! [`CharIndex`], so everything below is in bytes. Matching is one to one per article and role:
//! - **overlap**: a predicted span matches a gold span if they share at least one character (any fragment of a
//!   discontinuous gold span);
//! - **exact**: same start and end once whitespace, punctuation and quote marks are trimmed from both ends of both
//!   (a discontinuous gold span is compared by its hull).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use annotate::{Annotated, CharIndex};

use crate::corpus::brat::{Standoff, base_role};
use crate::corpus::polnear::{self, Sentences};
use crate::metrics::{Counts, Matching, match_one_to_one};
use crate::report::{ErrorSection, Score};
use crate::text::{clip, context, is_quote_mark, overlaps, trim_marks};
use crate::{Ctx, Layer, Row, bars};

const ROOT: &str = "polnear";
const SENTENCES: &str = "polnear/sentences.tsv";

/// Characters of context on each side in error listings.
const WIDTH: usize = 60;

/// The parts of an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Who speaks.
    Source,
    /// The verb or phrase of attribution.
    Cue,
    /// What is attributed.
    Content,
}

impl Role {
    /// Every role, in report order.
    pub const ALL: [Role; 3] = [Role::Cue, Role::Source, Role::Content];

    fn index(self) -> usize {
        match self {
            Role::Cue => 0,
            Role::Source => 1,
            Role::Content => 2,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Role::Cue => "cue",
            Role::Source => "source",
            Role::Content => "content",
        }
    }

    /// The role of a brat event argument ("Content2" is a content), or `None` for the trigger and unknown roles.
    pub fn of_brat(role: &str) -> Option<Role> {
        match base_role(role) {
            "Source" => Some(Role::Source),
            "Cue" => Some(Role::Cue),
            "Content" => Some(Role::Content),
            _ => None,
        }
    }
}

/// A gold span: one or more byte fragments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSpan {
    /// Byte ranges, in the order annotated.
    pub fragments: Vec<(usize, usize)>,
}

impl GoldSpan {
    /// From the first fragment's start to the last one's end.
    pub fn hull(&self) -> (usize, usize) {
        let start = self.fragments.iter().map(|f| f.0).min().unwrap_or(0);
        let end = self.fragments.iter().map(|f| f.1).max().unwrap_or(0);
        (start, end)
    }

    /// True when some fragment shares a byte with `span`.
    pub fn overlaps(&self, span: (usize, usize)) -> bool {
        self.fragments.iter().any(|f| overlaps(*f, span))
    }
}

/// One gold attribution relation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    /// Its cue.
    pub cue: Option<GoldSpan>,
    /// Its source (none for `Attribution-no-source`).
    pub source: Option<GoldSpan>,
    /// Its content spans (usually one).
    pub content: Vec<GoldSpan>,
}

/// The gold annotation of one article, in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gold {
    /// Distinct spans per role, indexed by [`Role::ALL`] order.
    pub spans: [Vec<GoldSpan>; 3],
    /// The attribution relations.
    pub attributions: Vec<GoldAttribution>,
}

/// The gold spans and relations of `standoff` over `text` (character offsets converted to bytes).
pub fn gold(standoff: &Standoff, text: &str) -> Gold {
    let index = CharIndex::new(text);
    let bounds: HashMap<&str, _> = standoff.text_bounds.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut seen: [HashSet<&str>; 3] = Default::default();
    let mut out = Gold::default();
    for event in standoff.events.iter().filter(|e| e.kind.starts_with("Attribution")) {
        let mut relation = GoldAttribution::default();
        for (role, id) in &event.args {
            let (Some(role), Some(bound)) = (Role::of_brat(role), bounds.get(id.as_str())) else { continue };
            let span = GoldSpan {
                fragments: bound
                    .fragments
                    .iter()
                    .map(|&(a, b)| (index.byte_of(a), index.byte_of(b)))
                    .collect(),
            };
            if seen[role.index()].insert(id.as_str()) {
                out.spans[role.index()].push(span.clone());
            }
            match role {
                Role::Cue => relation.cue = Some(span),
                Role::Source => relation.source = Some(span),
                Role::Content => relation.content.push(span),
            }
        }
        out.attributions.push(relation);
    }
    out
}

/// A predicted span and the rule that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicted {
    /// Byte range.
    pub span: (usize, usize),
    /// The annotator's rule id.
    pub rule: String,
}

/// Distinct predicted spans per role, in [`Role::ALL`] order.
pub fn predicted(doc: &Annotated) -> [Vec<Predicted>; 3] {
    let mut out: [Vec<Predicted>; 3] = Default::default();
    for a in doc.sentences.iter().flat_map(|s| &s.attributions) {
        for (role, span) in [(Role::Cue, a.cue), (Role::Source, a.source), (Role::Content, a.content)] {
            let Some(span) = span else { continue };
            let list = &mut out[role.index()];
            let span = (span.start, span.end);
            if span.0 < span.1 && !list.iter().any(|p| p.span == span) {
                list.push(Predicted { span, rule: a.rule.id.clone() });
            }
        }
    }
    out
}

/// Pair predictions with gold spans of one role that share a character.
pub fn match_overlap(pred: &[Predicted], gold: &[GoldSpan]) -> Matching {
    match_one_to_one(pred.len(), gold.len(), |p, g| gold[g].overlaps(pred[p].span))
}

/// Pair predictions with gold spans of one role that are equal once trimmed of whitespace, punctuation and quotes.
pub fn match_exact(text: &str, pred: &[Predicted], gold: &[GoldSpan]) -> Matching {
    let gold_trimmed: Vec<(usize, usize)> = gold.iter().map(|g| trim_marks(text, g.hull())).collect();
    match_one_to_one(pred.len(), gold.len(), |p, g| {
        let t = trim_marks(text, pred[p].span);
        t.0 < t.1 && t == gold_trimmed[g]
    })
}

/// True when the gold attribution's content has a double quote mark in it (a direct quotation).
fn quoted(text: &str, a: &GoldAttribution) -> bool {
    a.content
        .iter()
        .flat_map(|c| &c.fragments)
        .any(|&(x, y)| text.get(x..y).unwrap_or("").contains(is_quote_mark))
}

/// True when a predicted cue overlaps the gold cue or a predicted source overlaps the gold source.
fn found(a: &GoldAttribution, pred: &[Vec<Predicted>; 3]) -> bool {
    let hit = |gold: &Option<GoldSpan>, role: Role| {
        gold.as_ref()
            .is_some_and(|g| pred[role.index()].iter().any(|p| g.overlaps(p.span)))
    };
    hit(&a.cue, Role::Cue) || hit(&a.source, Role::Source)
}

/// Counts over the articles.
#[derive(Default)]
pub(crate) struct Tally {
    overlap: [Counts; 3],
    exact: [Counts; 3],
    sentences: Counts,
    unquoted: (usize, usize),
    quoted: (usize, usize),
    without_content: usize,
    missed: Vec<(String, String)>,
    spurious: [Vec<(String, String)>; 3],
}

impl Tally {
    pub(crate) fn add(
        &mut self,
        text: &str,
        gold: &Gold,
        pred: &[Vec<Predicted>; 3],
        sentences: Option<&[(usize, usize)]>,
        examples: bool,
    ) {
        for role in Role::ALL {
            let i = role.index();
            let m = match_overlap(&pred[i], &gold.spans[i]);
            self.overlap[i].merge(m.counts());
            self.exact[i].merge(match_exact(text, &pred[i], &gold.spans[i]).counts());
            if examples && role != Role::Content {
                for (p, _) in m.pred_to_gold.iter().enumerate().filter(|(_, g)| g.is_none()) {
                    let p = &pred[i][p];
                    let words = text.get(p.span.0..p.span.1).unwrap_or("").to_lowercase();
                    let e = format!("{} [{}]", context(text, p.span, WIDTH), p.rule);
                    self.spurious[i].push((e, format!("{} ({})", clip(&words, 30), p.rule)));
                }
            }
        }
        if let Some(sentences) = sentences {
            for &s in sentences {
                let g = gold.spans.iter().flatten().any(|g| g.overlaps(s));
                let p = pred.iter().flatten().any(|p| overlaps(p.span, s));
                self.sentences.add(p, g);
            }
        }
        for a in &gold.attributions {
            if a.content.is_empty() {
                self.without_content += 1;
                continue;
            }
            let is_quoted = quoted(text, a);
            let hit = found(a, pred);
            let share = if is_quoted { &mut self.quoted } else { &mut self.unquoted };
            share.0 += usize::from(hit);
            share.1 += 1;
            if examples && !hit {
                let anchor = a
                    .cue
                    .as_ref()
                    .or(a.source.as_ref())
                    .or(a.content.first())
                    .map_or((0, 0), GoldSpan::hull);
                let piece = |g: &Option<GoldSpan>| {
                    g.as_ref()
                        .map_or("-".to_string(), |g| clip(text.get(g.hull().0..g.hull().1).unwrap_or(""), 40))
                };
                let e = format!(
                    "{} [gold cue “{}”, source “{}”, {}]",
                    context(text, anchor, WIDTH),
                    piece(&a.cue),
                    piece(&a.source),
                    if is_quoted { "quoted" } else { "unquoted" }
                );
                self.missed.push((e, piece(&a.cue).to_lowercase()));
            }
        }
    }
}

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let t = Instant::now();
    let part = ctx.opts.polnear;
    let (corpus, dir) = (part.corpus(), part.dir());
    let folder = format!("polnear/{dir}");
    let root = ctx.path(ROOT);
    let names = match polnear::article_names(&root, dir) {
        Ok(n) => n,
        Err(e) => return ctx.skipped(Layer::Attributions, corpus, &folder, &e),
    };
    let all = names.len();
    let picked: Vec<String> = ctx.pick(all, 1).into_iter().map(|i| names[i].clone()).collect();
    let articles = match polnear::load_articles(&root, dir, &picked) {
        Ok(a) => a,
        Err(e) => return ctx.skipped(Layer::Attributions, corpus, &folder, &e),
    };
    let sentences: Option<Sentences> = match polnear::load_sentences(&ctx.path(SENTENCES), dir) {
        Ok(s) => Some(s),
        Err(e) => {
            ctx.notes.push(format!("{corpus}: no sentence-level attribution score ({e})."));
            None
        }
    };
    let examples = ctx.wants_errors(Layer::Attributions);
    let mut tally = Tally::default();
    let mut unannotated = 0;
    let mut without_sentences = 0;
    for article in &articles {
        if article.annotator.is_none() {
            unannotated += 1;
            continue;
        }
        let gold = gold(&article.standoff, &article.text);
        let pred = predicted(&ctx.annotate(&article.text));
        let index = CharIndex::new(&article.text);
        let sentence_bytes: Option<Vec<(usize, usize)>> = sentences
            .as_ref()
            .and_then(|s| s.get(&article.name))
            .map(|v| v.iter().map(|&(a, b)| (index.byte_of(a), index.byte_of(b))).collect());
        if sentences.is_some() && sentence_bytes.is_none() {
            without_sentences += 1;
        }
        tally.add(&article.text, &gold, &pred, sentence_bytes.as_deref(), examples);
    }
    rows(ctx, corpus, &tally, sentences.is_some());
    notes(ctx, &tally, unannotated, without_sentences);
    for role in [Role::Cue, Role::Source] {
        let list = std::mem::take(&mut tally.spurious[role.index()]);
        let title = format!("{corpus}: predicted {}s overlapping no gold {}", role.as_str(), role.as_str());
        ctx.error_section(Layer::Attributions, ErrorSection::new(title, list));
    }
    let title = format!("{corpus}: gold attributions not found (no predicted cue or source overlaps them)");
    ctx.error_section(Layer::Attributions, ErrorSection::new(title, std::mem::take(&mut tally.missed)));
    ctx.ran(Layer::Attributions, corpus, &folder, (articles.len() - unannotated, all, "articles"), t);
}

/// The rows of `tally`, for `corpus`; PolNeAR's reference points and bars apply to PolNeAR only.
pub(crate) fn rows(ctx: &mut Ctx<'_>, corpus: &'static str, tally: &Tally, with_sentences: bool) {
    let polnear = corpus == ctx.opts.polnear.corpus();
    let refs = if !polnear {
        [(None, None); 3]
    } else {
        [
            (Some(bars::REF_CUE_OVERLAP), Some(bars::ATTRIBUTION_CUE)),
            (Some(bars::REF_SOURCE_OVERLAP), Some(bars::ATTRIBUTION_SOURCE)),
            (Some(bars::REF_CONTENT_OVERLAP), Some(bars::ATTRIBUTION_CONTENT)),
        ]
    };
    for role in Role::ALL {
        let (reference, bar) = refs[role.index()];
        let metric = format!("{} (overlap)", role.as_str());
        ctx.rows.push(Row::new(
            Layer::Attributions,
            corpus,
            metric,
            Score::prf(tally.overlap[role.index()]),
            reference,
            bar,
        ));
    }
    for role in Role::ALL {
        let reference = (polnear && role == Role::Source).then_some(bars::REF_SOURCE_EXACT);
        let metric = format!("{} (exact)", role.as_str());
        ctx.rows.push(Row::new(
            Layer::Attributions,
            corpus,
            metric,
            Score::prf(tally.exact[role.index()]),
            reference,
            None,
        ));
    }
    if with_sentences {
        let score = Score::prf(tally.sentences);
        ctx.rows
            .push(Row::new(Layer::Attributions, corpus, "sentence has attribution", score, None, None));
    }
    for (metric, (found, total)) in
        [("unquoted attributions found", tally.unquoted), ("quoted attributions found", tally.quoted)]
    {
        let score = Score::Share { value: crate::metrics::ratio(found, total), found, total };
        ctx.rows.push(Row::new(Layer::Attributions, corpus, metric, score, None, None));
    }
}

fn notes(ctx: &mut Ctx<'_>, tally: &Tally, unannotated: usize, without_sentences: usize) {
    let corpus = ctx.opts.polnear.corpus();
    ctx.notes.push(
        "PolNeAR is univocal: each token has one role in at most one attribution, so an attribution nested in \
         another's content is not annotated separately; predicting it costs precision."
            .into(),
    );
    ctx.notes.push(
        "PolNeAR also annotates thoughts, intentions and other internal states, and non-speech sources (polls, \
         documents), and some cues are bare punctuation (a colon or dash before a quote): a speech-verb annotator \
         loses recall there, and trimmed exact matching can never match a punctuation-only cue."
            .into(),
    );
    ctx.notes.push(
        "Exact matching trims whitespace, punctuation and quote marks but not words: a gold content often starts \
         with 'that', and a discontinuous gold span is compared by its hull."
            .into(),
    );
    ctx.notes.push(format!(
        "Attribution shares count gold relations with a content span ({} without one are left out); 'quoted' means \
         the content holds a double quote mark; 'found' means a predicted cue or source overlaps the gold one.",
        tally.without_content
    ));
    if unannotated > 0 {
        ctx.notes
            .push(format!("{corpus}: {unannotated} article(s) have no annotation file and are left out."));
    }
    if without_sentences > 0 {
        ctx.notes.push(format!(
            "{corpus}: {without_sentences} article(s) have no sentence offsets: left out of 'sentence has \
             attribution' only."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::brat;

    fn pred(text: &str, word: &str) -> Predicted {
        let start = text.find(word).expect("word in text");
        Predicted { span: (start, start + word.len()), rule: "rule/test".into() }
    }

    fn gold_span(text: &str, word: &str) -> GoldSpan {
        let start = text.find(word).expect("word in text");
        GoldSpan { fragments: vec![(start, start + word.len())] }
    }

    #[test]
    fn overlap_versus_exact() {
        let t = "The council said that “the bridge is safe.”";
        let gold = [gold_span(t, "that “the bridge is safe.”")];
        let content = [pred(t, "“the bridge is safe.”")];
        assert_eq!(match_overlap(&content, &gold).counts(), Counts { tp: 1, fp: 0, fn_: 0 });
        // "that" is a word, not trimmed: no exact match.
        assert_eq!(match_exact(t, &content, &gold).counts(), Counts { tp: 0, fp: 1, fn_: 1 });
        // Quote marks and final punctuation are trimmed from both sides.
        let gold = [gold_span(t, "the bridge is safe.")];
        assert_eq!(match_exact(t, &content, &gold).counts(), Counts { tp: 1, fp: 0, fn_: 0 });
        // Adjacent is not overlapping.
        let source = [pred(t, "The council")];
        assert_eq!(match_overlap(&source, &[gold_span(t, " said")]).counts(), Counts { tp: 0, fp: 1, fn_: 1 });
    }

    #[test]
    fn each_gold_span_is_counted_once() {
        let t = "Officials said and said again.";
        let gold = [gold_span(t, "Officials said and said again")];
        let preds = [pred(t, "said"), pred(t, "again")];
        assert_eq!(match_overlap(&preds, &gold).counts(), Counts { tp: 1, fp: 1, fn_: 0 });
    }

    #[test]
    fn discontinuous_gold_overlaps_by_any_fragment() {
        let g = GoldSpan { fragments: vec![(0, 5), (20, 30)] };
        assert!(g.overlaps((25, 40)));
        assert!(!g.overlaps((6, 19)));
        assert_eq!(g.hull(), (0, 30));
    }

    #[test]
    fn gold_from_standoff_in_bytes() {
        // "’" is 3 bytes but 1 character: offsets after it move.
        let text = "Kim’s aide said “it is over,” he added.";
        let ann = "T1\tSource 6 10\taide\n\
                   T2\tCue 11 15\tsaid\n\
                   T3\tContent 16 29\t“it is over,”\n\
                   T4\tAttribution 11 15\tsaid\n\
                   E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n\
                   T5\tCue 33 38\tadded\n\
                   T6\tAttribution 33 38\tadded\n\
                   E2\tAttribution:T6 Source:T1 Cue:T5 Content:T3\n\
                   T7\tDiscard 0 3\tKim\n";
        let standoff = brat::parse(ann).expect("valid");
        let g = gold(&standoff, text);
        let words = |spans: &[GoldSpan]| -> Vec<String> {
            spans.iter().map(|s| text[s.hull().0..s.hull().1].to_string()).collect()
        };
        assert_eq!(words(&g.spans[Role::Cue.index()]), ["said", "added"]);
        // The shared source and content count once.
        assert_eq!(words(&g.spans[Role::Source.index()]), ["aide"]);
        assert_eq!(words(&g.spans[Role::Content.index()]), ["“it is over,”"]);
        assert_eq!(g.attributions.len(), 2);
        assert!(quoted(text, &g.attributions[0]));
    }

    #[test]
    fn predicted_spans_from_the_annotator_are_distinct_and_nonempty() {
        let text = "The mayor said the bridge would reopen.";
        let p = predicted(&annotate::annotate(text));
        for role in Role::ALL {
            let spans = &p[role.index()];
            let mut unique = spans.iter().map(|x| x.span).collect::<Vec<_>>();
            unique.dedup();
            assert_eq!(unique.len(), spans.len());
            assert!(spans.iter().all(|x| x.span.0 < x.span.1 && x.span.1 <= text.len()));
        }
        assert!(p[Role::Cue.index()].iter().any(|x| &text[x.span.0..x.span.1] == "said"));
    }

    #[test]
    fn tally_shares_and_sentences() {
        let t = "Ann said it rained. Bob thinks so. Nothing here.";
        let g = Gold {
            spans: [
                vec![gold_span(t, "said"), gold_span(t, "thinks")],
                vec![gold_span(t, "Ann"), gold_span(t, "Bob")],
                vec![gold_span(t, "it rained"), gold_span(t, "so")],
            ],
            attributions: vec![
                GoldAttribution {
                    cue: Some(gold_span(t, "said")),
                    source: Some(gold_span(t, "Ann")),
                    content: vec![gold_span(t, "it rained")],
                },
                GoldAttribution {
                    cue: Some(gold_span(t, "thinks")),
                    source: Some(gold_span(t, "Bob")),
                    content: vec![gold_span(t, "so")],
                },
            ],
        };
        let p: [Vec<Predicted>; 3] = [vec![pred(t, "said")], vec![pred(t, "Ann")], vec![pred(t, "it rained.")]];
        let sentences = [(0, 19), (20, 34), (35, 48)];
        let mut tally = Tally::default();
        tally.add(t, &g, &p, Some(&sentences), true);
        assert_eq!(tally.overlap[Role::Cue.index()], Counts { tp: 1, fp: 0, fn_: 1 });
        assert_eq!(tally.exact[Role::Content.index()], Counts { tp: 1, fp: 0, fn_: 1 });
        assert_eq!(tally.sentences, Counts { tp: 1, fp: 0, fn_: 1 });
        assert_eq!(tally.unquoted, (1, 2));
        assert_eq!(tally.quoted, (0, 0));
        assert_eq!(tally.missed.len(), 1);
        assert_eq!(tally.missed[0].1, "thinks");
    }
}
