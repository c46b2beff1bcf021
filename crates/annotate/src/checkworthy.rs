//! Check-worthiness: how much a sentence reads like a factual claim worth checking, as a score in `[0, 1]`.
//!
//! A logistic model over features a reader can inspect: the sentence's words, word pairs and word triples (lowercased,
//! every number written `0`), the 2- to 4-character pieces of each word (`c=…`, with a space marking the word's start
//! and end, so endings like "-ed" or "-est" and shared stems count), and signals fact-checkers look for (a number, a
//! year, a percentage, money, a comparison or superlative, "has been", capitalised names; against: a question, a
//! first-person opinion such as "I think", speech fillers, the annotator's own hedges). The weights live in
//! `models/checkworthy.tsv` (`feature <TAB> weight`, one line each, `bias` first), trained by
//! `cargo run --release -p eval --example train_checkworthy` on the even-numbered half of the ClaimBuster
//! sentences ([`is_training_position`]); the odd-numbered half is held out for `lectern eval`. The trainer averages
//! a logistic model over all these features with an NB-SVM model over the words, word pairs and triples; both are
//! linear, so the file still holds one weight per feature.
//!
//! Scoring streams the features into the model without building their names ([`Feature`]), so the character
//! pieces cost a hash lookup each; [`features`] names them for training, and a test checks the two agree.

use std::sync::OnceLock;

use crate::document::Sentence;
use crate::model::{Feature, LinearModel};
use crate::token::{Token, tokens};

/// The shipped model, parsed once.
fn model() -> &'static LinearModel {
    static M: OnceLock<LinearModel> = OnceLock::new();
    M.get_or_init(|| LinearModel::parse(include_str!("../models/checkworthy.tsv")).with_char_prefix(CHAR_PREFIX))
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

/// First-person phrases of opinion, intent or exhortation: what a speaker wants or believes, not what is.
const OPINION: &[[&str; 2]] = &[
    ["i", "think"],
    ["i", "believe"],
    ["i", "want"],
    ["i", "will"],
    ["i'll", "be"],
    ["we", "need"],
    ["we", "must"],
    ["we", "should"],
    ["we", "will"],
    ["we're", "going"],
    ["let", "me"],
    ["let's", "be"],
];

/// Hesitation and filler words of speech.
const FILLERS: &[&str] = &["uh", "um", "er", "ah", "well", "oh"];

/// Shortest and longest character n-grams taken from each word (see [`char_ngrams`]).
const CHAR_NGRAMS: (usize, usize) = (2, 4);

/// How character n-gram features are named: this, then the characters.
const CHAR_PREFIX: &str = "c=";

/// The character n-grams of one word, marked at both ends with a space: "rose" gives "c= r", "c=ro", …, "c=e ",
/// then "c= ro", …, "c=se ", then "c= ros", …, "c=ose ". They let the model weigh word stems and endings ("-ed",
/// "-est", "-tion") that no whole-word feature shares.
fn char_ngrams(word: &str, padded: &mut Vec<char>, emit: &mut dyn FnMut(Feature<'_>)) {
    padded.clear();
    padded.push(' ');
    padded.extend(word.chars());
    padded.push(' ');
    for n in CHAR_NGRAMS.0..=CHAR_NGRAMS.1 {
        for gram in padded.windows(n) {
            emit(Feature::Chars(gram));
        }
    }
}

/// Hand each feature of one sentence (its tokens `toks`) to `emit`, as a name; a feature may come more than once.
fn each_feature(text: &str, s: &Sentence, toks: &[Token<'_>], emit: &mut dyn FnMut(Feature<'_>)) {
    let words: Vec<String> = toks
        .iter()
        .filter(|t| t.word || matches!(t.text, "%" | "$" | "?"))
        .map(|t| {
            if t.text.starts_with(|c: char| c.is_ascii_digit()) {
                "0".to_string()
            } else {
                t.text.to_lowercase().replace('’', "'")
            }
        })
        .collect();
    let mut buf = String::with_capacity(64);
    let mut with = |prefix: &str, parts: &[&str], emit: &mut dyn FnMut(Feature<'_>)| {
        buf.clear();
        buf.push_str(prefix);
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                buf.push(' ');
            }
            buf.push_str(part);
        }
        emit(Feature::Name(&buf));
    };
    for w in &words {
        with("w=", &[w], emit);
    }
    for pair in words.windows(2) {
        with("b=", &[&pair[0], &pair[1]], emit);
    }
    for triple in words.windows(3) {
        with("t=", &[&triple[0], &triple[1], &triple[2]], emit);
    }
    if let Some(first) = words.first() {
        with("first=", &[first], emit);
    }
    let mut padded: Vec<char> = Vec::with_capacity(32);
    for w in words.iter().filter(|w| w.starts_with(char::is_alphanumeric)) {
        char_ngrams(w, &mut padded, emit);
    }
    let body = s.span.text(text);
    let has_digit = body.chars().any(|c| c.is_ascii_digit());
    let year = toks.iter().any(|t| {
        t.text.len() == 4
            && (t.text.starts_with("19") || t.text.starts_with("20"))
            && t.text.chars().all(|c| c.is_ascii_digit())
    });
    let has_pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    // Capitalised words past the first: names of people, places, laws and bodies.
    let names = toks
        .iter()
        .filter(|t| t.word)
        .skip(1)
        .filter(|t| t.capitalized() && !t.is("I"))
        .count();
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
        ("has:superlative", words.iter().any(|w| w.len() > 5 && w.ends_with("est"))),
        ("has:opinion", OPINION.iter().any(|[a, b]| has_pair(a, b))),
        ("has:perfect", ["has", "have", "had"].iter().any(|h| has_pair(h, "been"))),
        ("has:filler", words.iter().any(|w| FILLERS.contains(&w.as_str())) || body.contains("--")),
        ("names:1", names == 1),
        ("names:2+", names >= 2),
        ("is:question", body.trim_end_matches(['”', '"', ')']).ends_with('?')),
        ("has:hedge", !s.hedges.is_empty()),
        ("has:attribution", !s.attributions.is_empty()),
        ("len:short", words.len() < 8),
        ("len:long", words.len() > 25),
    ];
    for (name, on) in flags {
        if on {
            emit(Feature::Name(name));
        }
    }
}

/// The features of one sentence (binary: present or not), by name, sorted and each once.
///
/// Public so that the training command computes exactly what scoring uses.
pub fn features(text: &str, s: &Sentence) -> Vec<String> {
    let mut f: Vec<String> = Vec::new();
    each_feature(text, s, &tokens(text, s.span), &mut |x| match x {
        Feature::Name(name) => f.push(name.to_string()),
        Feature::Chars(chars) => f.push(CHAR_PREFIX.chars().chain(chars.iter().copied()).collect()),
    });
    f.sort_unstable();
    f.dedup();
    f
}

/// Check-worthiness of sentence `s` of `text` (its tokens `toks`), in `[0, 1]`.
pub(crate) fn score(text: &str, s: &Sentence, toks: &[Token<'_>]) -> f32 {
    model().score_with(|emit| each_feature(text, s, toks, emit))
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
        for want in [
            "w=unemployment",
            "b=fell to",
            "t=fell to 0",
            "w=0",
            "has:number",
            "has:year",
            "has:percent",
            "first=unemployment",
        ] {
            assert!(f.iter().any(|x| x == want), "missing {want} in {f:?}");
        }
        assert!(!f.iter().any(|x| x.contains("4.1")));
    }

    #[test]
    fn scoring_sees_exactly_the_training_features() {
        let text = "Mr. Lee said the city's budget grew by $3 million since 2015 -- uh, the highest ever. Did it? Café prices doubled, I think.";
        let doc = crate::annotate(text);
        assert!(doc.sentences.len() >= 2);
        for s in &doc.sentences {
            let f = features(text, s);
            assert!(f.iter().any(|x| x.starts_with(CHAR_PREFIX)), "{f:?}");
            assert_eq!(score(text, s, &tokens(text, s.span)), model().score(&f));
        }
    }

    #[test]
    fn character_ngrams_mark_word_edges() {
        let text = "Prices rose.";
        let doc = crate::annotate(text);
        let f = features(text, &doc.sentences[0]);
        for want in ["c= r", "c=ro", "c=se ", "c= ros", "c=ose ", "c=rose", "has:comparative"] {
            assert!(f.iter().any(|x| x == want), "missing {want:?} in {f:?}");
        }
        assert!(!f.iter().any(|x| x == "c= rose "), "n-grams stop at {} characters", CHAR_NGRAMS.1);
    }

    #[test]
    fn scores_are_probabilities() {
        for t in ["", "?", "The rate rose 3% in 2020.", "Thank you all.", "\u{1F600}\u{1F600} --", "ǅ 𝔘 ’’ 0.5%"]
        {
            let s = score_text(t);
            assert!((0.0..=1.0).contains(&s));
        }
        assert!(score_text("Unemployment fell to 4.1 percent in 2019.") > score_text("Thank you all very much."));
    }
}
