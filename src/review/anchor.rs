//! Finding a passage again: a note (or a correction) remembers the sentence's permalink id and the passage's text
//! with some text before and after it, as a W3C `TextQuoteSelector` does. In a document that changed, the passage is
//! looked for first in the sentence with that id, then anywhere; among several places the one whose surroundings
//! match best wins. When the text itself is gone, the passage is not found, and the note says its passage changed.

use annotate::CharIndex;

/// Characters of context kept on each side of a passage.
pub const CONTEXT: usize = 32;

/// A passage by its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quote {
    /// The passage.
    pub exact: String,
    /// Up to [`CONTEXT`] characters before it.
    pub prefix: String,
    /// Up to [`CONTEXT`] characters after it.
    pub suffix: String,
}

/// Where a passage is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The sentence it lies in (index into the annotation's sentences).
    pub sentence: usize,
    /// Its first byte in the text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// False when it was not in the sentence it was written on (that sentence changed or moved).
    pub in_place: bool,
}

/// The quote of the bytes `start..end` of `text`, with its context; `None` if the range does not fit the text.
pub fn quote(text: &str, start: usize, end: usize) -> Option<Quote> {
    let exact = text.get(start..end)?;
    let before = text.get(..start)?;
    let after = text.get(end..)?;
    let prefix: String = before
        .chars()
        .rev()
        .take(CONTEXT)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let suffix: String = after.chars().take(CONTEXT).collect();
    Some(Quote { exact: exact.to_string(), prefix, suffix })
}

/// How well the surroundings of `at` (bytes) match the quote's context: characters in common next to it.
fn fit(text: &str, at: usize, end: usize, quote: &Quote) -> usize {
    let before = text.get(..at).unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    let left = before
        .chars()
        .rev()
        .zip(quote.prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let right = after.chars().zip(quote.suffix.chars()).take_while(|(a, b)| a == b).count();
    left + right
}

/// Every place `needle` occurs in `hay[from..to]`, as byte ranges of `hay`.
fn places(hay: &str, from: usize, to: usize, needle: &str) -> Vec<(usize, usize)> {
    let Some(window) = hay.get(from..to) else { return Vec::new() };
    if needle.is_empty() {
        return Vec::new();
    }
    window
        .match_indices(needle)
        .map(|(i, m)| (from + i, from + i + m.len()))
        .collect()
}

/// Find `quote` in `text`, preferring the sentence `sentence` (an index into `spans`, the sentences' byte spans).
pub fn find(text: &str, spans: &[(usize, usize)], sentence: Option<usize>, quote: &Quote) -> Option<Found> {
    let best = |candidates: Vec<(usize, usize)>| {
        candidates
            .into_iter()
            .max_by_key(|&(s, e)| (fit(text, s, e, quote), usize::MAX - s))
    };
    let sentence_of = |at: usize| spans.iter().position(|&(s, e)| s <= at && at < e.max(s + 1));
    if let Some(i) = sentence
        && let Some(&(s, e)) = spans.get(i)
        && let Some((start, end)) = best(places(text, s, e, &quote.exact))
    {
        return Some(Found { sentence: i, start, end, in_place: true });
    }
    let (start, end) = best(places(text, 0, text.len(), &quote.exact))?;
    Some(Found { sentence: sentence_of(start)?, start, end, in_place: false })
}

/// `found` in characters, for the wire.
pub fn chars(index: &CharIndex, found: &Found) -> (usize, usize) {
    let span = index.chars_of(annotate::Span::new(found.start, found.end));
    (span.start, span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The mayor said the plan would work. The plan would work, aides said. A third sentence.";

    fn spans() -> Vec<(usize, usize)> {
        vec![(0, 35), (36, 68), (69, 86)]
    }

    #[test]
    fn a_quote_is_found_in_its_sentence_first_and_by_its_context() {
        let q = quote(TEXT, 40, 55).unwrap_or_default();
        assert_eq!(q.exact, "plan would work");
        assert_eq!(find(TEXT, &spans(), Some(1), &q), Some(Found { sentence: 1, start: 40, end: 55, in_place: true }));
        // The same words stand in the first sentence too; the context says which is meant.
        let first = quote(TEXT, 19, 34).unwrap_or_default();
        assert_eq!(find(TEXT, &spans(), Some(0), &first).map(|f| f.start), Some(19));
    }

    #[test]
    fn a_quote_follows_its_text_when_the_document_changes() {
        let q = quote(TEXT, 40, 55).unwrap_or_default();
        let edited = format!("A new first paragraph.\n{TEXT}");
        let spans = [(0, 22), (23, 58), (59, 91), (92, 109)];
        // Its sentence is still there (its id now names sentence 2): found in it.
        assert_eq!(find(&edited, &spans, Some(2), &q), Some(Found { sentence: 2, start: 63, end: 78, in_place: true }));
        // Its sentence was edited (its id names none): found anywhere, the context choosing between two places.
        assert_eq!(find(&edited, &spans, None, &q), Some(Found { sentence: 2, start: 63, end: 78, in_place: false }));
        // Its words are gone: not found.
        let gone = edited.replace("The plan would work,", "The scheme may fail,");
        let whole = Quote { exact: "The plan would work,".into(), ..q };
        assert_eq!(find(&gone, &spans, Some(2), &whole), None);
    }

    #[test]
    fn context_is_cut_at_characters() {
        let q = quote("👩‍👩‍👧 said: it may rain", 25, 28).unwrap_or_default();
        assert_eq!(q.exact, "it ");
        assert!(q.prefix.ends_with("said: "));
        assert!(quote("abc", 1, 9).is_none());
    }
}
