//! What the encoder reads: the document's sentences packed into windows of WordPiece tokens, each token typed by
//! what the rules found there.
//!
//! Consecutive sentences go into one window while it holds at most [`MAX_PIECES`] pieces; a longer sentence is cut
//! into pieces of that size. So every token is encoded once, with the sentences around it as context, and no window
//! ever exceeds the encoder's positions. `tools/tagger/data.py` packs the training windows the same way.

use crate::document::Sentence;
use crate::span::Span;
use crate::tagger::wordpiece::{Piece, WordPiece};

/// Most pieces in a window, `[CLS]` and `[SEP]` not counted (the encoder has 512 positions; 256 keeps attention
/// cheap and is what it was trained on).
pub const MAX_PIECES: usize = 254;

/// What the rules found at a token: the token type the encoder reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleRole {
    /// No attribution of the rules covers it.
    Nothing = 0,
    /// Inside a source span of the rules.
    Source = 1,
    /// Inside a cue span.
    Cue = 2,
    /// Inside a content span.
    Content = 3,
}

impl RuleRole {
    /// Where spans overlap, a cue wins over a source and a source over a content (as in training).
    fn rank(self) -> u8 {
        match self {
            RuleRole::Nothing => 0,
            RuleRole::Content => 1,
            RuleRole::Source => 2,
            RuleRole::Cue => 3,
        }
    }
}

/// A window: its pieces and their token types.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The pieces, in text order.
    pub pieces: Vec<Piece>,
    /// The token type of each piece.
    pub types: Vec<u32>,
}

/// The rules' spans of every sentence, as (span, role) in text order of their starts.
fn rule_spans(sentences: &[Sentence]) -> Vec<(Span, RuleRole)> {
    let mut spans = Vec::new();
    for a in sentences.iter().flat_map(|s| &s.attributions) {
        for (span, role) in [(a.source, RuleRole::Source), (a.cue, RuleRole::Cue), (a.content, RuleRole::Content)] {
            if let Some(span) = span.filter(|s| !s.is_empty()) {
                spans.push((span, role));
            }
        }
    }
    spans.sort_by_key(|(s, _)| s.start);
    spans
}

/// The role of the rules at byte `at`: the highest-ranked span containing it. `open` holds spans that started at or
/// before `at` and may still cover it; positions come in ascending order, so the whole pass is linear in practice.
fn role_at(at: usize, spans: &[(Span, RuleRole)], next: &mut usize, open: &mut Vec<(Span, RuleRole)>) -> RuleRole {
    while *next < spans.len() && spans[*next].0.start <= at {
        open.push(spans[*next]);
        *next += 1;
    }
    open.retain(|(s, _)| s.end > at);
    open.iter()
        .map(|&(_, r)| r)
        .max_by_key(|r| r.rank())
        .unwrap_or(RuleRole::Nothing)
}

/// The windows of a document whose sentences (with the rules' attributions, or none to leave the rules out) are
/// given; `rules_as_input` says whether the model was trained to read the rules' roles.
pub fn windows(text: &str, sentences: &[Sentence], tokenizer: &WordPiece, rules_as_input: bool) -> Vec<Window> {
    let spans = if rules_as_input { rule_spans(sentences) } else { Vec::new() };
    let (mut next, mut open) = (0, Vec::new());
    let mut out = Vec::new();
    let mut current = Window { pieces: Vec::new(), types: Vec::new() };
    for s in sentences {
        let pieces = tokenizer.pieces(text, s.span);
        for chunk in pieces.chunks(MAX_PIECES) {
            if !current.pieces.is_empty() && current.pieces.len() + chunk.len() > MAX_PIECES {
                out.push(std::mem::replace(&mut current, Window { pieces: Vec::new(), types: Vec::new() }));
            }
            for p in chunk {
                current.pieces.push(*p);
                current.types.push(role_at(p.span.start, &spans, &mut next, &mut open) as u32);
            }
        }
    }
    if !current.pieces.is_empty() {
        out.push(current);
    }
    out
}
