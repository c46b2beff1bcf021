//! Check-worthiness on ClaimBuster: P/R/F1 at threshold 0.5 and ROC AUC of a per-sentence score in [0, 1].
//!
//! The score comes from a [`Scorer`], any `Fn(&str) -> f32`. Until the annotator's own per-sentence `checkworthy`
//! score exists, the run uses [`INTERIM`], a deliberately simple baseline labelled "interim" in the output. Wiring
//! the real score is one line, e.g.:
//!
//! ```text
//! let scorer = eval::Scorer { name: "annotator checkworthy", interim: false,
//!     score: &|t: &str| annotate::annotate(t).sentences.iter().map(|s| s.checkworthy).fold(0.0, f32::max) };
//! ```

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
    /// True for a stand-in; its rows say "interim".
    pub interim: bool,
    /// Score in [0, 1] for one sentence.
    pub score: &'a dyn Fn(&str) -> f32,
}

/// The interim baseline: [`interim_checkworthy`].
pub const INTERIM: Scorer<'static> = Scorer {
    name: "interim baseline: 1.0 if the sentence has a digit or a capitalised word after its first token, else 0.3",
    interim: true,
    score: &interim_checkworthy,
};

/// Interim check-worthiness: 1.0 when the sentence contains a digit or a capitalised word after its first token
/// (a rough sign of a number or a named entity: something checkable), else 0.3. The pronoun "I" and its
/// contractions do not count as capitalised words. A baseline to measure against, not a model.
pub fn interim_checkworthy(sentence: &str) -> f32 {
    if interim_reason(sentence).is_some() { 1.0 } else { 0.3 }
}

/// Why [`interim_checkworthy`] gives 1.0, if it does.
fn interim_reason(sentence: &str) -> Option<&'static str> {
    if sentence.chars().any(|c| c.is_ascii_digit()) {
        return Some("digit");
    }
    let capitalised = sentence.split_whitespace().skip(1).any(|token| {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let pronoun = matches!(word, "I" | "I'm" | "I’m" | "I've" | "I’ve" | "I'll" | "I’ll" | "I'd" | "I’d");
        !pronoun && word.chars().next().is_some_and(char::is_uppercase)
    });
    capitalised.then_some("capitalised word")
}

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
    let all = items.len();
    let picked = ctx.pick(all, crate::CLAIMS_PER_DOC);
    let items: Vec<Item> = if picked.len() == all { items } else { picked.iter().map(|&i| items[i].clone()).collect() };
    let items = items.as_slice();
    let eval = evaluate(items, scorer.score);
    let tag = if scorer.interim { " (interim score)" } else { "" };
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
                (true, false) => fp.push((line, interim_reason(&item.text).unwrap_or("").to_string())),
                (false, true) => missed.push((line, String::new())),
                _ => {}
            }
        }
        let why = if scorer.interim { " (pattern: what triggered the interim score)" } else { "" };
        ctx.error_section(
            Layer::Claims,
            ErrorSection::new(format!("{CORPUS}: not check-worthy, scored ≥ {THRESHOLD}{why}"), fp),
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
    fn interim_baseline() {
        assert_eq!(interim_checkworthy("Unemployment fell to 4 percent."), 1.0);
        assert_eq!(interim_checkworthy("The plan came from Ohio."), 1.0);
        assert_eq!(interim_checkworthy("Thank you very much."), 0.3);
        // The first token and the pronoun "I" do not count.
        assert_eq!(interim_checkworthy("Well, I think I'm right."), 0.3);
        assert_eq!(interim_checkworthy("“We will win,” she said."), 0.3);
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
