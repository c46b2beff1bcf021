//! From per-piece label probabilities to spans: constrained BIO decoding, then spans with their confidence.
//!
//! The head gives each piece a distribution over seven labels (`O`, and `B-`/`I-` of source, cue and content).
//! Decoding takes the most probable sequence in which an `I-X` only continues a `B-X` or an `I-X` (Viterbi over
//! log-probabilities), so every span has a clear start. A span's confidence is the mean probability of the labels
//! chosen for its pieces. `tools/tagger/data.py` decodes the same way when it measures.

use crate::span::Span;

/// The role of a span the tagger found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Who is speaking.
    Source,
    /// The words that attribute.
    Cue,
    /// What is attributed.
    Content,
}

impl Role {
    /// Every role, in label order.
    pub const ALL: [Role; 3] = [Role::Source, Role::Cue, Role::Content];

    /// Its name, as in the weights file's label list (`B-source` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Cue => "cue",
            Role::Content => "content",
        }
    }
}

/// A BIO label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Outside every span.
    Outside,
    /// The first piece of a span.
    Begin(Role),
    /// A later piece of a span.
    Inside(Role),
}

impl Label {
    /// The labels in the head's output order.
    pub const ALL: [Label; 7] = [
        Label::Outside,
        Label::Begin(Role::Source),
        Label::Inside(Role::Source),
        Label::Begin(Role::Cue),
        Label::Inside(Role::Cue),
        Label::Begin(Role::Content),
        Label::Inside(Role::Content),
    ];

    /// The name used in the weights file: `O`, `B-source`, `I-cue`, …
    pub fn name(self) -> String {
        match self {
            Label::Outside => "O".to_string(),
            Label::Begin(r) => format!("B-{}", r.as_str()),
            Label::Inside(r) => format!("I-{}", r.as_str()),
        }
    }

    /// Whether this label may follow `prev`.
    fn may_follow(self, prev: Label) -> bool {
        match self {
            Label::Inside(r) => prev == Label::Begin(r) || prev == Label::Inside(r),
            _ => true,
        }
    }
}

/// A span the tagger found: byte span in the text, role, and the model's confidence in `(0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tagged {
    /// The bytes, from the first piece's start to the last piece's end.
    pub span: Span,
    /// Source, cue or content.
    pub role: Role,
    /// Mean probability of the chosen labels of its pieces.
    pub confidence: f32,
}

/// The best label index sequence under the BIO constraint. `log_probs[t][j]` is the log-probability of label
/// `Label::ALL[j]` at piece `t`; rows with another width than [`Label::ALL`] are read as far as they go.
pub fn viterbi(log_probs: &[Vec<f32>]) -> Vec<usize> {
    const N: usize = Label::ALL.len();
    let at = |row: &Vec<f32>, j: usize| row.get(j).copied().unwrap_or(f32::NEG_INFINITY);
    let Some(first) = log_probs.first() else { return Vec::new() };
    let start = |j: usize| if Label::ALL[j].may_follow(Label::Outside) { at(first, j) } else { f32::NEG_INFINITY };
    let mut score: [f32; N] = std::array::from_fn(start);
    let mut back: Vec<[usize; N]> = Vec::with_capacity(log_probs.len());
    for row in &log_probs[1..] {
        let mut next = [f32::NEG_INFINITY; N];
        let mut from = [0usize; N];
        for j in 0..N {
            for (i, &prev) in score.iter().enumerate() {
                if Label::ALL[j].may_follow(Label::ALL[i]) && prev > next[j] {
                    next[j] = prev;
                    from[j] = i;
                }
            }
            next[j] += at(row, j);
        }
        back.push(from);
        score = next;
    }
    let mut j = (0..N).fold(0, |best, k| if score[k] > score[best] { k } else { best });
    let mut path = vec![j];
    for from in back.iter().rev() {
        j = from[j];
        path.push(j);
    }
    path.reverse();
    path
}

/// The spans of a decoded window: runs of `B-X I-X …` over `pieces` (their byte spans), each with its confidence.
pub fn spans(path: &[usize], pieces: &[Span], log_probs: &[Vec<f32>]) -> Vec<Tagged> {
    let mut out: Vec<Tagged> = Vec::new();
    let mut open: Option<(Role, Span, f32, usize)> = None;
    let close = |open: &mut Option<(Role, Span, f32, usize)>, out: &mut Vec<Tagged>| {
        if let Some((role, span, sum, n)) = open.take() {
            out.push(Tagged { span, role, confidence: sum / n as f32 });
        }
    };
    for (t, (&j, piece)) in path.iter().zip(pieces).enumerate() {
        let p = log_probs.get(t).and_then(|row| row.get(j)).map_or(0.0, |lp| lp.exp());
        match Label::ALL.get(j).copied().unwrap_or(Label::Outside) {
            Label::Begin(role) => {
                close(&mut open, &mut out);
                open = Some((role, *piece, p, 1));
            }
            Label::Inside(role) => match &mut open {
                Some((r, span, sum, n)) if *r == role => {
                    span.end = piece.end;
                    *sum += p;
                    *n += 1;
                }
                _ => close(&mut open, &mut out),
            },
            Label::Outside => close(&mut open, &mut out),
        }
    }
    close(&mut open, &mut out);
    out
}

/// Join consecutive spans of one role whose gap holds no letter or digit and is at most `max_gap` characters long: a
/// quotation cut by a window's edge, or a content interrupted by a quote mark. The joined span keeps the lower
/// confidence. `spans` must be in text order.
pub fn merge(text: &str, spans: Vec<Tagged>, max_gap: usize) -> Vec<Tagged> {
    let mut out: Vec<Tagged> = Vec::with_capacity(spans.len());
    for s in spans {
        if let Some(last) = out.last_mut()
            && last.role == s.role
            && s.span.start >= last.span.end
            && text
                .get(last.span.end..s.span.start)
                .is_some_and(|gap| gap.chars().count() <= max_gap && !gap.chars().any(char::is_alphanumeric))
        {
            last.span.end = s.span.end;
            last.confidence = last.confidence.min(s.confidence);
            continue;
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Log-probabilities that make `labels` (indices) clearly the most likely, piece by piece.
    fn rows(labels: &[usize]) -> Vec<Vec<f32>> {
        labels
            .iter()
            .map(|&j| {
                (0..7)
                    .map(|k| if k == j { (0.9f32).ln() } else { (0.1f32 / 6.0).ln() })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn an_inside_after_outside_is_not_allowed() {
        // O I-cue I-cue: the decoder must start the cue with B-cue somewhere, or drop it.
        let mut lp = rows(&[0, 4, 4]);
        lp[1][3] = (0.3f32).ln();
        let path = viterbi(&lp);
        assert_eq!(path, vec![0, 3, 4]);
        assert_eq!(viterbi(&[]), Vec::<usize>::new());
    }

    #[test]
    fn spans_with_confidence() {
        let pieces: Vec<Span> = (0..5).map(|k| Span::new(k * 2, k * 2 + 1)).collect();
        let path = [1, 2, 0, 3, 5];
        let lp = rows(&path);
        let got = spans(&path, &pieces, &lp);
        assert_eq!(got.len(), 3);
        assert_eq!((got[0].role, got[0].span), (Role::Source, Span::new(0, 3)));
        assert_eq!((got[1].role, got[1].span), (Role::Cue, Span::new(6, 7)));
        assert_eq!((got[2].role, got[2].span), (Role::Content, Span::new(8, 9)));
        assert!((got[0].confidence - 0.9).abs() < 1e-4);
    }

    #[test]
    fn merging_needs_a_wordless_short_gap_and_one_role() {
        let text = "“Yes.” “No.” and more";
        let t = |a: usize, b: usize, role: Role| Tagged { span: Span::new(a, b), role, confidence: 0.8 };
        let yes = text.find("Yes").unwrap_or(0);
        let no = text.find("No").unwrap_or(0);
        let more = text.find("more").unwrap_or(0);
        let merged = merge(text, vec![t(yes, yes + 4, Role::Content), t(no, no + 3, Role::Content)], 12);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].span.text(text), "Yes.” “No.");
        let apart = merge(text, vec![t(no, no + 3, Role::Content), t(more, more + 4, Role::Content)], 12);
        assert_eq!(apart.len(), 2, "a word in the gap keeps them apart");
        let roles = merge(text, vec![t(yes, yes + 4, Role::Content), t(no, no + 3, Role::Cue)], 12);
        assert_eq!(roles.len(), 2);
    }
}
