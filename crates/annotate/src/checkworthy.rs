//! Check-worthiness: how much a sentence reads like a factual claim worth checking, as a score in `[0, 1]`.
//!
//! A logistic model over features a reader can inspect: the sentence's words and word pairs (lowercased, every
//! number written `0`), and a few signals fact-checkers look for (a number, a year, a percentage, money, a
//! comparison, a question, the annotator's own hedges and attributions). The weights live in
//! `models/checkworthy.tsv` (`feature <TAB> weight`, one line each, `bias` first), trained by
//! `cargo run --release -p eval --example train_checkworthy` on the even-numbered half of the ClaimBuster
//! sentences ([`is_training_position`]); the odd-numbered half is held out for `lectern eval`.

use std::sync::OnceLock;

use crate::document::Sentence;
use crate::model::LinearModel;
use crate::token::tokens;

/// The shipped model, parsed once.
fn model() -> &'static LinearModel {
    static M: OnceLock<LinearModel> = OnceLock::new();
    M.get_or_init(|| LinearModel::parse(include_str!("../models/checkworthy.tsv")))
}

/// Words that compare or measure change, a sign of a checkable claim.
const COMPARATIVES: &[&str] = &[
    "more",
    "less",
    "fewer",
    "higher",
    "lower",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "cut",
    "cuts",
    "doubled",
    "tripled",
    "rose",
    "fell",
    "grew",
    "dropped",
    "most",
    "least",
    "largest",
    "biggest",
    "highest",
    "lowest",
    "record",
    "only",
    "first",
    "never",
    "ever",
];

/// The features of one sentence (binary: present or not), by name.
///
/// Public so that the training command computes exactly what scoring uses.
pub fn features(text: &str, s: &Sentence) -> Vec<String> {
    let toks = tokens(text, s.span);
    let words: Vec<String> = toks
        .iter()
        .filter(|t| t.word || matches!(t.text, "%" | "$" | "?"))
        .map(|t| {
            let lower = t.text.to_lowercase().replace('’', "'");
            if lower.starts_with(|c: char| c.is_ascii_digit()) { "0".to_string() } else { lower }
        })
        .collect();
    let mut f: Vec<String> = Vec::with_capacity(words.len() * 2 + 12);
    for w in &words {
        f.push(format!("w={w}"));
    }
    for pair in words.windows(2) {
        f.push(format!("b={} {}", pair[0], pair[1]));
    }
    if let Some(first) = words.first() {
        f.push(format!("first={first}"));
    }
    let body = s.span.text(text);
    let has_digit = body.chars().any(|c| c.is_ascii_digit());
    let year = toks.iter().any(|t| {
        t.text.len() == 4
            && (t.text.starts_with("19") || t.text.starts_with("20"))
            && t.text.chars().all(|c| c.is_ascii_digit())
    });
    let flags = [
        (
            "has:number",
            has_digit
                || words
                    .iter()
                    .any(|w| ["million", "billion", "trillion", "thousand", "hundred"].contains(&w.as_str())),
        ),
        ("has:year", year),
        ("has:percent", words.iter().any(|w| w == "%" || w == "percent")),
        ("has:money", words.iter().any(|w| w == "$" || w == "dollars")),
        ("has:comparative", words.iter().any(|w| COMPARATIVES.contains(&w.as_str()))),
        ("is:question", body.trim_end_matches(['”', '"', ')']).ends_with('?')),
        ("has:hedge", !s.hedges.is_empty()),
        ("has:attribution", !s.attributions.is_empty()),
        ("len:short", words.len() < 8),
        ("len:long", words.len() > 25),
    ];
    f.extend(flags.iter().filter(|(_, on)| *on).map(|(name, _)| (*name).to_string()));
    f.sort_unstable();
    f.dedup();
    f
}

/// Check-worthiness of sentence `s` of `text`, in `[0, 1]`.
pub(crate) fn score(text: &str, s: &Sentence) -> f32 {
    model().score(&features(text, s))
}

/// The features of a whole text taken as one statement: the union of its sentences' features. Used to train and
/// to evaluate on corpora whose items are single statements that the segmenter may split.
pub fn text_features(text: &str) -> Vec<String> {
    let doc = crate::annotate(text);
    let mut f: Vec<String> = doc.sentences.iter().flat_map(|s| features(text, s)).collect();
    f.sort_unstable();
    f.dedup();
    f
}

/// Which items of a labelled corpus the shipped model was trained on: those at even positions (0, 2, 4, …). The
/// odd positions are held out, so that an evaluation on the same file measures sentences the model never saw.
pub fn is_training_position(position: usize) -> bool {
    position.is_multiple_of(2)
}

/// Check-worthiness of a whole text taken as one statement, in `[0, 1]`.
pub fn score_text(text: &str) -> f32 {
    model().score(&text_features(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_parse_completely() {
        assert!(model().problems.is_empty(), "{:?}", model().problems);
        assert!(model().weights.len() > 100);
    }

    #[test]
    fn features_are_readable_and_numbers_fold_to_zero() {
        let text = "Unemployment fell to 4.1 percent in 2019.";
        let doc = crate::annotate(text);
        let f = features(text, &doc.sentences[0]);
        for want in
            ["w=unemployment", "b=fell to", "w=0", "has:number", "has:year", "has:percent", "first=unemployment"]
        {
            assert!(f.iter().any(|x| x == want), "missing {want} in {f:?}");
        }
        assert!(!f.iter().any(|x| x.contains("4.1")));
    }

    #[test]
    fn scores_are_probabilities() {
        for t in ["", "?", "The rate rose 3% in 2020.", "Thank you all."] {
            let s = score_text(t);
            assert!((0.0..=1.0).contains(&s));
        }
        assert!(score_text("Unemployment fell to 4.1 percent in 2019.") > score_text("Thank you all very much."));
    }
}
