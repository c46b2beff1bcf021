//! Hedges on the Szeged Uncertainty Corpus: FactBank (news) and WikiWeasel (Wikipedia).
//!
//! Each gold sentence is annotated on its own. Sentence level (CoNLL-2010 Task 1): a sentence is uncertain iff it
//! has a gold cue, and predicted uncertain iff the annotator finds at least one hedge of the four Szeged categories
//! in it. Lectern's fifth category, approximators ("roughly", "in part"), is outside the Szeged scheme, which does
//! not annotate imprecision: those cues are left out of the scores and counted on a row of their own. Cue level: predicted and
//! gold cues are paired one to one when they share a word ([`crate::text::share_token`]); per category, only cues
//! of the same category are paired (Szeged types mapped by [`szeged::Category`]).

use std::time::Instant;

use crate::corpus::szeged::{self, Category};
use crate::metrics::{Counts, Matching, match_one_to_one};
use crate::report::{ErrorSection, Score};
use crate::text::{context, share_token, word_tokens};
use crate::{Ctx, Layer, Row, bars};

/// A corpus of this layer: table name, path, reference point, bar.
struct Corpus {
    name: &'static str,
    path: &'static str,
    reference: &'static str,
    bar: bars::Bar,
}

const CORPORA: [Corpus; 2] = [
    Corpus {
        name: "FactBank dev",
        path: "szeged-uncertainty/factbank-dev.xml",
        reference: bars::REF_HEDGE_NEWS,
        bar: bars::HEDGE_SENTENCES_NEWS,
    },
    Corpus {
        name: "WikiWeasel dev",
        path: "szeged-uncertainty/wiki-dev.xml",
        reference: bars::REF_HEDGE_WIKI,
        bar: bars::HEDGE_SENTENCES_WIKI,
    },
];

/// Characters of context on each side of a cue in error listings.
const WIDTH: usize = 50;

/// A cue, predicted or gold, within one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Byte range in the sentence text.
    pub span: (usize, usize),
    /// Category name: the annotator's, or the mapped gold category.
    pub category: &'static str,
    /// The rule id (predicted) or the Szeged type (gold).
    pub why: String,
}

/// Pair predicted and gold cues of one sentence, one to one, when they share a word.
pub fn match_cues(text: &str, pred: &[Cue], gold: &[Cue]) -> Matching {
    let tokens = word_tokens(text);
    match_one_to_one(pred.len(), gold.len(), |p, g| share_token(&tokens, pred[p].span, gold[g].span))
}

/// Counts of one corpus.
#[derive(Default)]
struct Tally {
    uncertain: Counts,
    certain: Counts,
    cues: Counts,
    /// Per category name, in first-seen order after the fixed ones.
    categories: Vec<(&'static str, Counts)>,
    false_positives: Vec<(String, String)>,
    missed: Vec<(String, String)>,
}

impl Tally {
    fn new() -> Tally {
        let fixed = ["epistemic", "doxastic", "conditional", "investigation", "approximator", "other"];
        Tally { categories: fixed.iter().map(|c| (*c, Counts::default())).collect(), ..Tally::default() }
    }

    fn category(&mut self, name: &'static str) -> &mut Counts {
        let i = match self.categories.iter().position(|(c, _)| *c == name) {
            Some(i) => i,
            None => {
                self.categories.push((name, Counts::default()));
                self.categories.len() - 1
            }
        };
        &mut self.categories[i].1
    }

    fn add(&mut self, text: &str, pred: &[Cue], gold: &[Cue], examples: bool) {
        let (p_unc, g_unc) = (!pred.is_empty(), !gold.is_empty());
        self.uncertain.add(p_unc, g_unc);
        self.certain.add(!p_unc, !g_unc);
        let m = match_cues(text, pred, gold);
        self.cues.merge(m.counts());
        let mut names: Vec<&'static str> = pred.iter().chain(gold).map(|c| c.category).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let p: Vec<Cue> = pred.iter().filter(|c| c.category == name).cloned().collect();
            let g: Vec<Cue> = gold.iter().filter(|c| c.category == name).cloned().collect();
            self.category(name).merge(match_cues(text, &p, &g).counts());
        }
        if examples {
            let lower = |c: &Cue| text.get(c.span.0..c.span.1).unwrap_or("").to_lowercase();
            for (p, _) in m.pred_to_gold.iter().enumerate().filter(|(_, g)| g.is_none()) {
                let c = &pred[p];
                let flag = if g_unc { "" } else { " — sentence wrongly uncertain" };
                let e = format!("{} [{} · {}]{flag}", context(text, c.span, WIDTH), c.category, c.why);
                self.false_positives.push((e, format!("{} ({})", lower(c), c.why)));
            }
            for (g, _) in m.gold_to_pred.iter().enumerate().filter(|(_, p)| p.is_none()) {
                let c = &gold[g];
                let flag = if p_unc { "" } else { " — sentence missed" };
                let e = format!("{} [gold {} · {}]{flag}", context(text, c.span, WIDTH), c.category, c.why.trim());
                self.missed.push((e, lower(c)));
            }
        }
    }
}

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    for corpus in &CORPORA {
        one(ctx, corpus);
    }
    ctx.notes.push(
        "Hedge cues are paired one to one: a predicted multi-word cue spanning two adjacent gold cues (a modal and \
         a hedging verb, say) matches one of them and the other counts as missed. Per-category rows pair cues of \
         the same category only. Approximators have no Szeged counterpart: they are left out of every hedge score \
         and only counted."
            .into(),
    );
}

fn one(ctx: &mut Ctx<'_>, corpus: &Corpus) {
    let t = Instant::now();
    let docs = match szeged::load(&ctx.path(corpus.path)) {
        Ok(d) => d,
        Err(e) => return ctx.skipped(Layer::Hedges, corpus.name, corpus.path, &e),
    };
    let picked = ctx.pick(docs.len(), 1);
    let examples = ctx.wants_errors(Layer::Hedges);
    let mut tally = Tally::new();
    let mut approximator_cues = 0;
    for sentence in picked.iter().flat_map(|&i| &docs[i].sentences) {
        let text = &sentence.text;
        let annotated = ctx.annotate(text);
        let hedges = annotated.sentences.iter().flat_map(|s| &s.hedges);
        let (approximators, scored): (Vec<_>, Vec<_>) =
            hedges.partition(|h| h.category == annotate::HedgeCategory::Approximator);
        approximator_cues += approximators.len();
        let pred: Vec<Cue> = scored
            .iter()
            .map(|h| Cue { span: (h.span.start, h.span.end), category: h.category.as_str(), why: h.rule.id.clone() })
            .collect();
        let gold: Vec<Cue> = sentence
            .cues
            .iter()
            .map(|c| Cue { span: (c.start, c.end), category: Category::of(&c.kind).as_str(), why: c.kind.clone() })
            .collect();
        tally.add(text, &pred, &gold, examples);
    }
    let name = corpus.name;
    let row = |metric: &str, counts: Counts| Row::new(Layer::Hedges, name, metric, Score::prf(counts), None, None);
    ctx.rows.push(Row::new(
        Layer::Hedges,
        name,
        "uncertain sentences",
        Score::prf(tally.uncertain),
        Some(corpus.reference),
        Some(corpus.bar),
    ));
    ctx.rows.push(row("certain sentences", tally.certain));
    ctx.rows.push(row("cues (token overlap)", tally.cues));
    for (category, counts) in &tally.categories {
        if *counts != Counts::default() {
            ctx.rows.push(row(&format!("cues: {category}"), *counts));
        }
    }
    ctx.rows.push(Row::new(
        Layer::Hedges,
        name,
        "approximator cues (not scored: outside the Szeged scheme)",
        Score::Count { count: approximator_cues },
        None,
        None,
    ));
    ctx.error_section(
        Layer::Hedges,
        ErrorSection::new(format!("{name}: false positive cues (predicted, not gold)"), tally.false_positives),
    );
    ctx.error_section(
        Layer::Hedges,
        ErrorSection::new(format!("{name}: missed cues (gold, not predicted)"), tally.missed),
    );
    ctx.ran(Layer::Hedges, name, corpus.path, (picked.len(), docs.len(), "documents"), t);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(text: &str, word: &str, category: &'static str) -> Cue {
        let start = text.find(word).expect("word in text");
        Cue { span: (start, start + word.len()), category, why: String::new() }
    }

    #[test]
    fn cues_match_by_shared_word_one_to_one() {
        let t = "The plant would seem to be closing, and it may reopen.";
        let pred = [cue(t, "would seem", "epistemic"), cue(t, "may", "epistemic")];
        let gold = [cue(t, "would", "epistemic"), cue(t, "seem", "doxastic"), cue(t, "reopen", "other")];
        let m = match_cues(t, &pred, &gold);
        // "would seem" pairs with one of "would"/"seem"; "may" pairs with nothing.
        assert_eq!(m.counts(), Counts { tp: 1, fp: 1, fn_: 2 });
    }

    #[test]
    fn sentence_and_category_tallies() {
        let t = "Officials may delay the vote if it rains.";
        let mut tally = Tally::new();
        let pred = [cue(t, "may", "epistemic"), cue(t, "if", "epistemic")];
        let gold = [cue(t, "may", "epistemic"), cue(t, "if", "conditional")];
        tally.add(t, &pred, &gold, true);
        let certain = "The vote was held.";
        tally.add(certain, &[cue(certain, "held", "approximator")], &[], true);
        assert_eq!(tally.uncertain, Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(tally.certain, Counts { tp: 0, fp: 0, fn_: 1 });
        assert_eq!(tally.cues, Counts { tp: 2, fp: 1, fn_: 0 });
        let of = |name: &str| tally.categories.iter().find(|(c, _)| *c == name).map(|(_, c)| *c);
        assert_eq!(of("epistemic"), Some(Counts { tp: 1, fp: 1, fn_: 0 }));
        assert_eq!(of("conditional"), Some(Counts { tp: 0, fp: 0, fn_: 1 }));
        assert_eq!(of("approximator"), Some(Counts { tp: 0, fp: 1, fn_: 0 }));
        assert_eq!(tally.false_positives.len(), 1);
        assert!(tally.false_positives[0].0.contains("wrongly uncertain"));
        assert!(tally.missed.is_empty());
    }
}
