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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::document::Sentence;
use crate::model::{Feature, Fnv, LinearModel, chars_key};
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

/// A token as the word features name it: lowercased, `’` straightened, and any number written `0`.
fn normalized(token: &str) -> String {
    if token.starts_with(|c: char| c.is_ascii_digit()) {
        "0".to_string()
    } else {
        token.to_lowercase().replace('’', "'")
    }
}

/// Hand each feature of one sentence (its tokens `toks`) to `emit`, as a name; a feature may come more than once.
fn each_feature(text: &str, s: &Sentence, toks: &[Token<'_>], emit: &mut dyn FnMut(Feature<'_>)) {
    let words: Vec<String> = toks
        .iter()
        .filter(|t| t.word || matches!(t.text, "%" | "$" | "?"))
        .map(|t| normalized(t.text))
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

/// The features of a whole text taken as one statement: the union of its sentences' features. Used to train and
/// to evaluate on corpora whose items are single statements that the segmenter may split.
pub fn text_features(text: &str) -> Vec<String> {
    let doc = crate::annotate(text);
    let mut f: Vec<String> = doc.sentences.iter().flat_map(|s| features(text, s)).collect();
    f.sort_unstable();
    f.dedup();
    f
}

/// The shipped model arranged for scoring by word ids: every word that any word, pair, triple or first-word
/// feature names gets a small id, so that those features are looked up by ids instead of by built names.
#[derive(Debug)]
struct Compiled {
    /// The model's words, by their normalised text.
    vocabulary: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    /// `w=` feature of each word id.
    word: Vec<Option<u32>>,
    /// `first=` feature of each word id.
    first: Vec<Option<u32>>,
    /// Where each word id stands in some pair or triple feature ([`role`] bits), so that most lookups are skipped.
    roles: Vec<u8>,
    /// `b=` features by [`pair_key`].
    pair: HashMap<u64, u32, BuildHasherDefault<Mix>>,
    /// `t=` features by [`triple_key`].
    triple: HashMap<u64, u32, BuildHasherDefault<Mix>>,
    /// The signal features, in the order of [`Signal`].
    signals: [Option<u32>; SIGNALS.len()],
}

/// Bits of a word id in a pair or triple key: the model's vocabulary is far smaller.
const ID_BITS: u32 = 21;

fn pair_key(a: u32, b: u32) -> u64 {
    u64::from(a) | (u64::from(b) << ID_BITS)
}

fn triple_key(a: u32, b: u32, c: u32) -> u64 {
    pair_key(a, b) | (u64::from(c) << (2 * ID_BITS))
}

/// A hasher for integer keys: one multiply mixes them well enough for a table of a few thousand.
#[derive(Debug, Clone, Copy, Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        let x = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 29);
    }
}

/// The signal features by name, in the order their flags are computed in [`Scorer::score`].
const SIGNALS: [&str; 16] = [
    "has:number",
    "has:year",
    "has:percent",
    "has:money",
    "has:comparative",
    "has:superlative",
    "has:opinion",
    "has:perfect",
    "has:filler",
    "names:1",
    "names:2+",
    "is:question",
    "has:hedge",
    "has:attribution",
    "len:short",
    "len:long",
];

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| Compiled::new(model()))
}

impl Compiled {
    fn new(m: &LinearModel) -> Compiled {
        let mut c = Compiled {
            vocabulary: HashMap::default(),
            word: Vec::new(),
            first: Vec::new(),
            roles: Vec::new(),
            pair: HashMap::default(),
            triple: HashMap::default(),
            signals: [None; SIGNALS.len()],
        };
        // In file order, so that ids do not depend on the table's iteration order.
        let mut names: Vec<(&str, usize)> = m.index.iter().map(|(n, &i)| (n.as_str(), i)).collect();
        names.sort_unstable_by_key(|&(_, i)| i);
        for (name, i) in names {
            let Ok(i) = u32::try_from(i) else { continue };
            if let Some(k) = SIGNALS.iter().position(|&s| s == name) {
                c.signals[k] = Some(i);
            } else if let Some(w) = name.strip_prefix("w=") {
                let id = c.id(w);
                c.word[id as usize] = Some(i);
            } else if let Some(w) = name.strip_prefix("first=") {
                let id = c.id(w);
                c.first[id as usize] = Some(i);
            } else if let Some(rest) = name.strip_prefix("b=") {
                if let Some((a, b)) = rest.split_once(' ')
                    && !b.contains(' ')
                {
                    let (a, b) = (c.id(a), c.id(b));
                    c.pair.insert(pair_key(a, b), i);
                    c.roles[a as usize] |= role::PAIR_FIRST;
                    c.roles[b as usize] |= role::PAIR_SECOND;
                }
            } else if let Some(rest) = name.strip_prefix("t=") {
                let parts: Vec<&str> = rest.split(' ').collect();
                if let [a, b, d] = parts[..] {
                    let (a, b, d) = (c.id(a), c.id(b), c.id(d));
                    c.triple.insert(triple_key(a, b, d), i);
                    c.roles[a as usize] |= role::TRIPLE_FIRST;
                    c.roles[b as usize] |= role::TRIPLE_SECOND;
                    c.roles[d as usize] |= role::TRIPLE_THIRD;
                }
            }
        }
        c
    }

    /// The id of normalised word `w`, given one if it has none yet.
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.vocabulary.get(w) {
            return id;
        }
        let id = u32::try_from(self.word.len()).unwrap_or(u32::MAX);
        self.vocabulary.insert(w.to_string(), id);
        self.word.push(None);
        self.first.push(None);
        self.roles.push(0);
        id
    }
}

/// Places a word id takes in the model's pair and triple features, one bit each.
mod role {
    pub const PAIR_FIRST: u8 = 1 << 0;
    pub const PAIR_SECOND: u8 = 1 << 1;
    pub const TRIPLE_FIRST: u8 = 1 << 2;
    pub const TRIPLE_SECOND: u8 = 1 << 3;
    pub const TRIPLE_THIRD: u8 = 1 << 4;
}

/// Word traits that the signals read, one bit each.
mod bit {
    pub const NUMBER_WORD: u16 = 1 << 0;
    pub const PERCENT: u16 = 1 << 1;
    pub const MONEY: u16 = 1 << 2;
    pub const COMPARATIVE: u16 = 1 << 3;
    pub const SUPERLATIVE: u16 = 1 << 4;
    pub const FILLER: u16 = 1 << 5;
    pub const YEAR: u16 = 1 << 6;
    pub const NAME: u16 = 1 << 7;
}

/// Words that open or close the opinion and perfect pairs, by their position here plus one (0: none of them).
const PAIR_WORDS: &[&str] = &[
    "i", "think", "believe", "want", "will", "i'll", "be", "we", "need", "must", "should", "we're", "going", "let",
    "me", "let's", "has", "have", "had", "been",
];

/// The code of word `w` in pairs: its position in [`PAIR_WORDS`] plus one, or 0.
fn pair_code(w: &str) -> u8 {
    PAIR_WORDS
        .iter()
        .position(|&p| p == w)
        .map_or(0, |k| u8::try_from(k + 1).unwrap_or(0))
}

/// True when the words of codes `a` and `b` ([`pair_code`]) are one of `pairs`.
fn is_pair(a: u8, b: u8, pairs: &[[&str; 2]]) -> bool {
    let word = |code: u8| PAIR_WORDS.get(usize::from(code).wrapping_sub(1)).copied();
    match (word(a), word(b)) {
        (Some(x), Some(y)) => pairs.iter().any(|&[p, q]| p == x && q == y),
        _ => false,
    }
}

/// "has been", "have been", "had been".
const PERFECT: &[[&str; 2]] = &[["has", "been"], ["have", "been"], ["had", "been"]];

/// What the scorer knows about one distinct token text: its model id, its character n-gram features and traits.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// Model word id of its normalised form, or `u32::MAX` when the model names no feature with it.
    id: u32,
    /// Its character n-gram features: `grams[start..end]` of the scorer.
    grams: (u32, u32),
    bits: u16,
    pair: u8,
}

/// The positions of the bits set in `words`, ascending.
fn ones(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(k, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let bit = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            Some(k * 64 + bit)
        })
    })
}

/// A hasher for token texts, eight bytes at a step.
#[derive(Debug, Clone, Copy, Default)]
struct Words(u64);

impl Hasher for Words {
    fn finish(&self) -> u64 {
        let x = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^ (x >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(b)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        }
        let rest = chunks.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        self.0 =
            (self.0.rotate_left(23) ^ u64::from_le_bytes(b) ^ rest.len() as u64).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
}

/// Scores the sentences of one document, remembering what it worked out for each distinct token text.
#[derive(Debug, Default)]
pub(crate) struct Scorer<'a> {
    known: HashMap<&'a str, Word, BuildHasherDefault<Words>>,
    grams: Vec<u32>,
    present: Vec<u32>,
    seen: Vec<u64>,
    ids: Vec<u32>,
    padded: Vec<char>,
}

impl<'a> Scorer<'a> {
    fn word(&mut self, token: &'a str) -> Word {
        if let Some(&w) = self.known.get(token) {
            return w;
        }
        let c = compiled();
        let norm = normalized(token);
        let id = c.vocabulary.get(norm.as_str()).copied().unwrap_or(u32::MAX);
        let start = u32::try_from(self.grams.len()).unwrap_or(u32::MAX);
        if norm.starts_with(char::is_alphanumeric) {
            let m = model();
            let grams = &mut self.grams;
            char_ngrams(&norm, &mut self.padded, &mut |f| {
                if let Feature::Chars(chars) = f
                    && let Some(&i) = m.char_index.get(&chars_key(chars))
                {
                    grams.push(u32::try_from(i).unwrap_or(u32::MAX));
                }
            });
        }
        let end = u32::try_from(self.grams.len()).unwrap_or(u32::MAX);
        let w = norm.as_str();
        let mut bits = 0;
        let mut set = |on: bool, b: u16| {
            if on {
                bits |= b;
            }
        };
        set(["million", "billion", "trillion", "thousand", "hundred"].contains(&w), bit::NUMBER_WORD);
        set(w == "%" || w == "percent", bit::PERCENT);
        set(w == "$" || w == "dollars", bit::MONEY);
        set(COMPARATIVES.contains(&w), bit::COMPARATIVE);
        set(w.len() > 5 && w.ends_with("est"), bit::SUPERLATIVE);
        set(FILLERS.contains(&w), bit::FILLER);
        set(
            token.len() == 4
                && (token.starts_with("19") || token.starts_with("20"))
                && token.chars().all(|c| c.is_ascii_digit()),
            bit::YEAR,
        );
        set(token.chars().next().is_some_and(char::is_uppercase) && !token.eq_ignore_ascii_case("I"), bit::NAME);
        let word = Word { id, grams: (start, end), bits, pair: pair_code(w) };
        self.known.insert(token, word);
        word
    }

    /// Check-worthiness of sentence `s` of `text` (its tokens `toks`), in `[0, 1]`: the same as the model's score
    /// of the sentence's named features ([`features`]).
    pub fn score(&mut self, text: &str, s: &Sentence, toks: &[Token<'a>]) -> f32 {
        let c = compiled();
        let m = model();
        self.present.clear();
        self.ids.clear();
        let mut any = 0u16;
        let mut year = false;
        let mut names = 0;
        let mut first_word = true;
        let (mut opinion, mut perfect) = (false, false);
        let mut previous_pair = 0u8;
        let mut n_words = 0;
        for t in toks {
            if !(t.word || matches!(t.text, "%" | "$" | "?")) {
                continue;
            }
            let w = self.word(t.text);
            if t.word {
                // Only words can be years (four digits) or names.
                year |= w.bits & bit::YEAR != 0;
                if !first_word && w.bits & bit::NAME != 0 {
                    names += 1;
                }
                first_word = false;
            }
            any |= w.bits;
            n_words += 1;
            let (a, b) = (previous_pair, w.pair);
            opinion |= is_pair(a, b, OPINION);
            perfect |= is_pair(a, b, PERFECT);
            previous_pair = b;
            self.ids.push(w.id);
            self.present
                .extend_from_slice(&self.grams[w.grams.0 as usize..w.grams.1 as usize]);
        }
        let known = |id: u32| id != u32::MAX;
        let has = |id: u32, r: u8| c.roles.get(id as usize).is_some_and(|&x| x & r != 0);
        for &id in &self.ids {
            if known(id)
                && let Some(i) = c.word[id as usize]
            {
                self.present.push(i);
            }
        }
        for p in self.ids.windows(2) {
            if has(p[0], role::PAIR_FIRST)
                && has(p[1], role::PAIR_SECOND)
                && let Some(&i) = c.pair.get(&pair_key(p[0], p[1]))
            {
                self.present.push(i);
            }
        }
        for t in self.ids.windows(3) {
            if has(t[0], role::TRIPLE_FIRST)
                && has(t[1], role::TRIPLE_SECOND)
                && has(t[2], role::TRIPLE_THIRD)
                && let Some(&i) = c.triple.get(&triple_key(t[0], t[1], t[2]))
            {
                self.present.push(i);
            }
        }
        if let Some(&id) = self.ids.first()
            && known(id)
            && let Some(i) = c.first[id as usize]
        {
            self.present.push(i);
        }
        let body = s.span.text(text);
        let has_digit = body.bytes().any(|b| b.is_ascii_digit());
        let on = |b: u16| any & b != 0;
        let flags = [
            has_digit || on(bit::NUMBER_WORD),
            year,
            on(bit::PERCENT),
            on(bit::MONEY),
            on(bit::COMPARATIVE),
            on(bit::SUPERLATIVE),
            opinion,
            perfect,
            on(bit::FILLER) || body.contains("--"),
            names == 1,
            names >= 2,
            body.trim_end_matches(['”', '"', ')']).ends_with('?'),
            !s.hedges.is_empty(),
            !s.attributions.is_empty(),
            n_words < 8,
            n_words > 25,
        ];
        for (on, feature) in flags.into_iter().zip(c.signals) {
            if on && let Some(i) = feature {
                self.present.push(i);
            }
        }
        // Each feature once, in ascending order (the order the model sums them in): a bit per feature.
        self.seen.resize(m.weights.len().div_ceil(64), 0);
        for &i in &self.present {
            if let Some(word) = self.seen.get_mut(i as usize / 64) {
                *word |= 1 << (i % 64);
            }
        }
        let z = m.bias + ones(&self.seen).map(|i| m.weights[i]).sum::<f32>();
        self.seen.fill(0);
        1.0 / (1.0 + (-z).exp())
    }
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
            assert_eq!(Scorer::default().score(text, s, &tokens(text, s.span)), model().score(&f));
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
