//! Check-worthiness on ClaimBuster: P/R/F1 at threshold 0.5 and ROC AUC of a per-sentence score in [0, 1].
//!
//! The score comes from a [`Scorer`], any `Fn(&str) -> f32`; the run uses [`MODEL`], the annotator's own
//! check-worthiness model. That model was trained on the even-positioned items of this very file
//! (`annotate::checkworthy::is_training_position`), so only the odd-positioned, held-out items are scored here.

use std::time::Instant;

use crate::corpus::claimbuster::{self, Item};
use crate::metrics::{Counts, roc_auc};
use crate::report::{ErrorSection, Score};
use crate::text::clip;
use crate::{Ctx, Layer, Row, bars};

const PATH: &str = "claimbuster/train.json";
const CORPUS: &str = "ClaimBuster";

/// A sentence is predicted check-worthy when its score is at least this.
pub const THRESHOLD: f32 = 0.5;

/// A check-worthiness scorer and how to label it in the report.
#[derive(Clone, Copy)]
pub struct Scorer<'a> {
    /// What it is, for the notes.
    pub name: &'static str,
    /// Score in [0, 1] for one sentence.
    pub score: &'a dyn Fn(&str) -> f32,
}

/// The annotator's check-worthiness model, scoring each ClaimBuster item as one statement.
pub const MODEL: Scorer<'static> = Scorer {
    name: "the annotator's check-worthiness model (annotate::checkworthy), trained on the even-positioned items",
    score: &annotate::checkworthy::score_text,
};

/// Scores of a scorer on labelled items.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Decisions at [`THRESHOLD`].
    pub counts: Counts,
    /// ROC AUC of the scores.
    pub auc: Option<f64>,
    /// Each item's score, in item order.
    pub scores: Vec<f32>,
}

/// Score every item and compare with its label.
pub fn evaluate(items: &[Item], score: &dyn Fn(&str) -> f32) -> Evaluation {
    let scores: Vec<f32> = items.iter().map(|i| score(&i.text)).collect();
    let mut counts = Counts::default();
    for (item, s) in items.iter().zip(&scores) {
        counts.add(*s >= THRESHOLD, item.checkworthy());
    }
    let pairs: Vec<(f32, bool)> = scores.iter().zip(items).map(|(s, i)| (*s, i.checkworthy())).collect();
    Evaluation { counts, auc: roc_auc(&pairs), scores }
}

pub(crate) fn run(ctx: &mut Ctx<'_>, scorer: &Scorer<'_>) {
    let t = Instant::now();
    let items = match claimbuster::load(&ctx.path(PATH)) {
        Ok(i) => i,
        Err(e) => return ctx.skipped(Layer::Claims, CORPUS, PATH, &e),
    };
    // Only the half the model did not learn from.
    let items: Vec<Item> = items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !annotate::checkworthy::is_training_position(*i))
        .map(|(_, item)| item)
        .collect();
    let all = items.len();
    let picked = ctx.pick(all, crate::CLAIMS_PER_DOC);
    let items: Vec<Item> = if picked.len() == all { items } else { picked.iter().map(|&i| items[i].clone()).collect() };
    let items = items.as_slice();
    let eval = evaluate(items, scorer.score);
    let tag = " (held-out half)";
    ctx.rows.push(Row::new(
        Layer::Claims,
        CORPUS,
        format!("check-worthy @{THRESHOLD}{tag}"),
        Score::prf(eval.counts),
        Some(bars::REF_CHECKWORTHY),
        Some(bars::CHECKWORTHY),
    ));
    let positives = items.iter().filter(|i| i.checkworthy()).count();
    ctx.rows.push(Row::new(
        Layer::Claims,
        CORPUS,
        format!("ROC AUC{tag}"),
        Score::Auc { value: eval.auc, positives, negatives: items.len() - positives },
        None,
        None,
    ));
    ctx.notes.push(format!("ClaimBuster scored by: {}.", scorer.name));
    if ctx.wants_errors(Layer::Claims) {
        let mut fp = Vec::new();
        let mut missed = Vec::new();
        for (item, s) in items.iter().zip(&eval.scores) {
            let line = format!("[{s:.2}] {}", clip(&item.text, 160));
            match (*s >= THRESHOLD, item.checkworthy()) {
                (true, false) => fp.push((line, String::new())),
                (false, true) => missed.push((line, String::new())),
                _ => {}
            }
        }
        ctx.error_section(
            Layer::Claims,
            ErrorSection::new(format!("{CORPUS}: not check-worthy, scored ≥ {THRESHOLD}"), fp),
        );
        ctx.error_section(
            Layer::Claims,
            ErrorSection::new(format!("{CORPUS}: check-worthy, scored < {THRESHOLD}"), missed),
        );
    }
    ctx.ran(Layer::Claims, CORPUS, PATH, (items.len(), all, "sentences"), t);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(label: u8, text: &str) -> Item {
        Item { sentence_id: 0, label, text: text.to_string() }
    }

    #[test]
    fn evaluation_at_threshold_and_auc() {
        let items = [item(1, "a"), item(1, "b"), item(0, "c"), item(0, "d")];
        let score = |t: &str| match t {
            "a" => 0.9,
            "b" => 0.4,
            "c" => 0.6,
            _ => 0.1,
        };
        let e = evaluate(&items, &score);
        assert_eq!(e.counts, Counts { tp: 1, fp: 1, fn_: 1 });
        // Pairs: (0.9 > 0.6), (0.9 > 0.1), (0.4 < 0.6), (0.4 > 0.1) -> 3/4.
        assert_eq!(e.auc, Some(0.75));
        let constant = evaluate(&items, &|_: &str| 0.5);
        assert_eq!(constant.auc, Some(0.5));
        assert_eq!(constant.counts, Counts { tp: 2, fp: 2, fn_: 0 });
    }
}
