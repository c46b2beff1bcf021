//! Small text helpers shared by the layers: word tokens for cue matching, trimming for exact matching, and short
//! context snippets for error listings. All offsets are byte offsets on `char` boundaries.

use std::ops::Range;

/// Byte ranges of the words of `text`: maximal runs of alphanumeric characters. Punctuation and whitespace belong
/// to no word, so two cues "share a token" only if they share a word.
pub fn word_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Indices of the `tokens` (sorted, disjoint) that overlap `span`.
fn tokens_in(tokens: &[(usize, usize)], span: (usize, usize)) -> Range<usize> {
    if span.0 >= span.1 {
        return 0..0;
    }
    let first = tokens.partition_point(|t| t.1 <= span.0);
    let end = tokens.partition_point(|t| t.0 < span.1);
    first..end.max(first)
}

/// True when the two spans cover at least one common word of `tokens`.
pub fn share_token(tokens: &[(usize, usize)], a: (usize, usize), b: (usize, usize)) -> bool {
    let (x, y) = (tokens_in(tokens, a), tokens_in(tokens, b));
    x.start.max(y.start) < x.end.min(y.end)
}

/// True when the half-open ranges share at least one position (an empty range overlaps nothing).
pub fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

/// Quote marks that open or close a direct quotation (double quotes only: `’` is mostly an apostrophe).
pub fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Characters trimmed from both ends before exact matching: whitespace, ASCII punctuation, quote marks, dashes,
/// ellipses.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || is_quote_mark(c)
        || matches!(c, '‘' | '’' | '‹' | '›' | '—' | '–' | '…')
}

/// `span` shrunk past surrounding whitespace, punctuation and quote marks; empty (start == end) if nothing is left.
pub fn trim_marks(text: &str, span: (usize, usize)) -> (usize, usize) {
    let Some(body) = text.get(span.0..span.1) else { return (span.0, span.0) };
    let left = body.len() - body.trim_start_matches(is_trimmed).len();
    let right = body.trim_end_matches(is_trimmed).len();
    if right <= left { (span.0 + left, span.0 + left) } else { (span.0 + left, span.0 + right) }
}

/// Byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text.get(..at)
        .and_then(|s| s.char_indices().rev().nth(n.saturating_sub(1)).map(|(i, _)| i))
        .unwrap_or(0)
}

/// Byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.char_indices().nth(n).map(|(i, _)| at + i))
        .unwrap_or(text.len())
}

/// Each whitespace run (newlines included) as one space, so a snippet stays on one line.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// At most `max` characters of `s` on one line, with "…" when cut.
pub fn clip(s: &str, max: usize) -> String {
    let line = one_line(s).trim().to_string();
    if line.chars().count() <= max {
        line
    } else {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// `span` of `text` marked as `⟦…⟧`, with up to `width` characters of context on each side, on one line.
pub fn context(text: &str, span: (usize, usize), width: usize) -> String {
    let (a, b) = (span.0.min(text.len()), span.1.min(text.len()));
    let left = back_chars(text, a, width);
    let right = forward_chars(text, b, width);
    let get = |r: Range<usize>| text.get(r).unwrap_or("");
    format!(
        "{}{}⟦{}⟧{}{}",
        if left > 0 { "…" } else { "" },
        one_line(get(left..a)).trim_start(),
        clip(get(a..b), 160),
        one_line(get(b..right)),
        if right < text.len() { "…" } else { "" },
    )
}

/// A sentence boundary at byte `at`, shown as `left ‖ right` with `width` characters on each side.
pub fn boundary(text: &str, at: usize, width: usize) -> String {
    let at = at.min(text.len());
    let get = |r: Range<usize>| text.get(r).unwrap_or("");
    format!(
        "…{} ‖ {}…",
        one_line(get(back_chars(text, at, width)..at)).trim(),
        one_line(get(at..forward_chars(text, at, width))).trim()
    )
}

/// The last whitespace-separated word before byte `at`, clipped: the usual suspect at a wrong boundary.
pub fn word_before(text: &str, at: usize) -> String {
    let before = text.get(..at.min(text.len())).unwrap_or("");
    clip(before.split_whitespace().next_back().unwrap_or(""), 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_alphanumeric_runs() {
        let t = "It’s 5 o'clock—late.";
        let words: Vec<&str> = word_tokens(t).iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(words, ["It", "s", "5", "o", "clock", "late"]);
    }

    #[test]
    fn sharing_a_token_needs_a_common_word() {
        let t = "may well be, perhaps";
        let toks = word_tokens(t);
        assert!(share_token(&toks, (0, 8), (4, 8)));
        // Partial overlap of one word is enough: both cover part of "well".
        assert!(share_token(&toks, (0, 5), (5, 11)));
        // Adjacent spans share no word.
        assert!(!share_token(&toks, (0, 3), (4, 8)));
        // Only a comma in common: not a token.
        assert!(!share_token(&toks, (9, 12), (11, 20)));
        // Empty span.
        assert!(!share_token(&toks, (2, 2), (0, 8)));
    }

    #[test]
    fn overlap_is_half_open() {
        assert!(overlaps((0, 5), (4, 9)));
        assert!(!overlaps((0, 5), (5, 9)));
        assert!(!overlaps((3, 3), (0, 9)));
    }

    #[test]
    fn trimming_for_exact_matching() {
        let t = "  “the bridge is safe,” ";
        let (a, b) = trim_marks(t, (0, t.len()));
        assert_eq!(&t[a..b], "the bridge is safe");
        assert_eq!(trim_marks("(...)", (0, 5)).0, trim_marks("(...)", (0, 5)).1);
        assert_eq!(trim_marks("x", (3, 9)), (3, 3));
    }

    #[test]
    fn context_marks_the_span_on_one_line() {
        let t = "First line.\nThe mayor said it would open.";
        let at = t.find("said").expect("present");
        assert_eq!(context(t, (at, at + 4), 10), "…The mayor ⟦said⟧ it would …");
        assert_eq!(context(t, (0, 5), 3), "⟦First⟧ li…");
        assert_eq!(boundary(t, 11, 5), "…line. ‖ The…");
        assert_eq!(word_before(t, 11), "line.");
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("é é é é", 3), "é é…");
        assert_eq!(clip("short", 10), "short");
    }
}
