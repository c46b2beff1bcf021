//! The encoder's tokenizer: BERT's uncased WordPiece, as the training tokenizer (`tokenizer.json` of MiniLM:
//! `BertNormalizer` with lowercasing, `BertPreTokenizer`, `WordPiece` with `##` continuations) does it, with byte
//! offsets into the original text.
//!
//! Written out rather than taken from a tokenizer library so that it costs no dependency tree and every piece keeps
//! the [`Span`] of the original characters it came from. Steps, in the training tokenizer's order:
//! 1. clean: drop NUL, U+FFFD and other control characters (Unicode `C*`, except tab and line ends); whitespace
//!    becomes a space;
//! 2. CJK ideographs stand alone;
//! 3. canonical decomposition (NFD), dropping non-spacing marks (accents), then lowercase;
//! 4. split at whitespace, and every punctuation character (ASCII punctuation or Unicode `P*`) is a word of its own;
//! 5. each word becomes its longest vocabulary prefix, then `##`-continuations, greedily; a word with a part the
//!    vocabulary lacks, or longer than 100 characters, is one `[UNK]`.

use std::collections::HashMap;

use unicode_categories::UnicodeCategories;
use unicode_normalization::UnicodeNormalization;

use crate::span::Span;

/// A word longer than this (in characters, after normalising) is one unknown piece, as in training.
const MAX_WORD_CHARS: usize = 100;

/// One WordPiece token: its vocabulary id and the original bytes it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Index into the vocabulary.
    pub id: u32,
    /// The original text it stands for, in bytes.
    pub span: Span,
}

/// The vocabulary and the ids of the special tokens.
#[derive(Debug, Clone)]
pub struct WordPiece {
    vocab: HashMap<String, u32>,
    /// `[CLS]`, which opens every window.
    pub cls: u32,
    /// `[SEP]`, which closes every window.
    pub sep: u32,
    unk: u32,
}

impl WordPiece {
    /// A tokenizer over `vocab`, one token per line, the line number being its id. `None` when a special token
    /// (`[CLS]`, `[SEP]`, `[UNK]`) is missing.
    pub fn new(vocab: &str) -> Option<WordPiece> {
        let vocab: HashMap<String, u32> =
            vocab.split('\n').enumerate().map(|(i, w)| (w.to_string(), i as u32)).collect();
        let special = |w: &str| vocab.get(w).copied();
        Some(WordPiece { cls: special("[CLS]")?, sep: special("[SEP]")?, unk: special("[UNK]")?, vocab })
    }

    /// Number of tokens in the vocabulary.
    pub fn len(&self) -> usize {
        self.vocab.len()
    }

    /// True when the vocabulary is empty (never for a loaded model).
    pub fn is_empty(&self) -> bool {
        self.vocab.is_empty()
    }

    /// The pieces of `text[span]`, with spans in the whole `text`.
    pub fn pieces(&self, text: &str, span: Span) -> Vec<Piece> {
        let mut out = Vec::new();
        let Some(part) = text.get(span.range()) else { return out };
        let mut word: Vec<(char, Span)> = Vec::new();
        let flush = |word: &mut Vec<(char, Span)>, out: &mut Vec<Piece>| {
            if !word.is_empty() {
                self.word_pieces(word, out);
                word.clear();
            }
        };
        for (at, c) in part.char_indices() {
            let orig = Span::new(span.start + at, span.start + at + c.len_utf8());
            if c == '\0' || c == '\u{fffd}' || is_control(c) {
                continue;
            }
            if is_whitespace(c) {
                flush(&mut word, &mut out);
                continue;
            }
            if is_cjk(c) {
                flush(&mut word, &mut out);
                word.push((c, orig));
                flush(&mut word, &mut out);
                continue;
            }
            // Accents off, then lowercase; one original character may become several (or none).
            for d in std::iter::once(c).nfd().filter(|d| !d.is_mark_nonspacing()) {
                for l in d.to_lowercase() {
                    if is_punctuation(l) {
                        flush(&mut word, &mut out);
                        word.push((l, orig));
                        flush(&mut word, &mut out);
                    } else if is_whitespace(l) {
                        flush(&mut word, &mut out);
                    } else {
                        word.push((l, orig));
                    }
                }
            }
        }
        flush(&mut word, &mut out);
        out
    }

    /// Greedy longest-match-first WordPiece of one word.
    fn word_pieces(&self, word: &[(char, Span)], out: &mut Vec<Piece>) {
        let whole = Span::new(word[0].1.start, word[word.len() - 1].1.end);
        if word.len() > MAX_WORD_CHARS {
            out.push(Piece { id: self.unk, span: whole });
            return;
        }
        let first = out.len();
        let mut start = 0;
        let mut buf = String::new();
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                buf.clear();
                if start > 0 {
                    buf.push_str("##");
                }
                buf.extend(word[start..end].iter().map(|(c, _)| c));
                if let Some(&id) = self.vocab.get(&buf) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            let Some(id) = found else {
                out.truncate(first);
                out.push(Piece { id: self.unk, span: whole });
                return;
            };
            out.push(Piece { id, span: Span::new(word[start].1.start, word[end - 1].1.end) });
            start = end;
        }
    }
}

/// Whitespace as BERT counts it: tab and line ends too.
fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Control and other `C*` characters, which the cleaner drops (tab and line ends are whitespace instead).
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

/// CJK ideographs, which BERT surrounds with spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B920..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer() -> WordPiece {
        let vocab =
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "may", "##or", "said", ",", "'", "s", "cafe", "u", ".", "日"];
        WordPiece::new(&vocab.join("\n")).expect("special tokens present")
    }

    fn show(text: &str) -> Vec<(u32, &str)> {
        tokenizer()
            .pieces(text, Span::new(0, text.len()))
            .iter()
            .map(|p| (p.id, p.span.text(text)))
            .collect()
    }

    #[test]
    fn lowercases_splits_punctuation_and_continues_words() {
        assert_eq!(show("The Mayor's"), [(4, "The"), (5, "May"), (6, "or"), (9, "'"), (10, "s")]);
        assert_eq!(show("said,"), [(7, "said"), (8, ",")]);
    }

    #[test]
    fn accents_stripped_with_original_offsets() {
        // "é" is two bytes; the piece covers all of "Café".
        assert_eq!(show("Café."), [(11, "Café"), (13, ".")]);
    }

    #[test]
    fn unknown_words_and_ideographs() {
        assert_eq!(show("zebra"), [(1, "zebra")]);
        // A word with a known head but an unknown rest is one unknown piece.
        assert_eq!(show("mayx"), [(1, "mayx")]);
        assert_eq!(show("日日"), [(14, "日"), (14, "日")]);
        assert_eq!(show(&"a".repeat(101)).len(), 1);
    }

    #[test]
    fn controls_dropped_and_hostile_text_keeps_offsets_on_boundaries() {
        // Dropped characters join what stands around them, as in training: "ma\u{200b}y" is "may".
        assert_eq!(show("the\u{0} ma\u{200b}y"), [(4, "the"), (5, "ma\u{200b}y")]);
        let text = "\u{fffd}“x”\n\t’ 𝕏 e\u{301}";
        for p in tokenizer().pieces(text, Span::new(0, text.len())) {
            assert!(text.get(p.span.range()).is_some(), "{p:?}");
        }
        assert!(WordPiece::new("a\nb").is_none());
    }
}
