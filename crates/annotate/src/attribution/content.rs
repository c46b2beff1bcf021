//! Contents: what is attributed, as a span of the sentence.
//!
//! A quotation next to the source or the cue wins; otherwise the clause after the cue ("said that …") or the clause
//! before the source ("…, officials said"), trimmed of punctuation at its edges.

use super::quotes::{Quote, quotes_near};
use super::source::past_opener;
use super::{NEGATORS, Range};
use crate::span::Span;
use crate::token::{MONTHS, Token, WEEKDAYS};

/// Content of a prepositional cue: the clause after "according to X," when the cue opens the sentence, else the
/// clause before it.
pub(super) fn prep_content(toks: &[Token<'_>], cue: usize, source_end: usize) -> Option<Span> {
    let first_word = toks.iter().position(|t| t.word)?;
    if cue <= first_word + 1 {
        let after = (source_end..toks.len()).find(|&k| toks[k].word)?;
        return clause(toks, after, toks.len());
    }
    clause(toks, 0, cue)
}

/// Content of a speech or belief cue: a quotation right before the source or right after the cue ("“…,” Watson
/// said", "Watson said: “…”"), else what follows the cue ("said that …"), else the clause before the source.
pub(super) fn speech_content(
    toks: &[Token<'_>],
    quotes: &[Quote],
    source: Range,
    cue_start: usize,
    cue_end: usize,
) -> Option<Span> {
    let before = source.0.min(cue_start);
    let after = source.1.max(cue_end);
    let sentence = Span::new(toks.first()?.span.start, toks.last()?.span.end);
    // The nearest quotation closing before the attribution, with only punctuation between.
    let prefix_end = toks[..before].iter().rposition(|t| t.word).map(|k| toks[k].span.end);
    for q in &quotes[quotes_near(quotes, sentence, 0)] {
        let closes_before = toks[..before].last().is_some_and(|t| t.span.start >= q.inner.end)
            && prefix_end.is_some_and(|e| e <= q.inner.end);
        let opens_after = toks[after..]
            .iter()
            .take_while(|t| !t.word)
            .any(|t| t.span.end <= q.inner.start)
            && toks.get(after).is_some_and(|t| !t.word && t.span.start < q.inner.start);
        if closes_before || opens_after {
            return q.inner.intersection(&sentence).and_then(|c| trim_span(toks, c));
        }
    }
    let trailing_words = toks[after..].iter().filter(|t| t.word).count();
    // "… but it did not say when": a denial carries nothing, least of all the clause before it.
    if toks[cue_start..cue_end].iter().any(|t| t.is_any(NEGATORS)) && trailing_words < 3 {
        return None;
    }
    if trailing_words >= 3 && !content_precedes(toks, before, after) {
        let mut a = past_setting(toks, after);
        while a < toks.len() && toks[a].is_any(&["that", ":", ","]) {
            a += 1;
        }
        // Stop before a later attribution: ", per the report", ", according to …".
        let stop = (a..toks.len())
            .find(|&k| {
                toks[k].text == "," && toks.get(k + 1).is_some_and(|n| n.is_any(&["per", "according", "citing"]))
            })
            .unwrap_or(toks.len());
        return clause(toks, a, stop).map(|c| balance_quotes(toks, c));
    }
    clause(toks, 0, before).map(|c| balance_quotes(toks, c))
}

/// Words besides the months that make a time after a cue: "said *last week* that …", "said *on Tuesday* that …".
const TIME_NOUNS: &[&str] = &[
    "week",
    "month",
    "year",
    "night",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "today",
    "yesterday",
    "tonight",
    "earlier",
    "later",
    "recently",
];

/// A word of [`TIME_NOUNS`] or a month other than "May" (also a name: "said May that …").
fn time_noun(t: &Token<'_>) -> bool {
    t.is_any(TIME_NOUNS) || (t.is_any(MONTHS) && !t.is("may"))
}

/// Where the content starts after the cue's end `after`: past a time ("on Tuesday", "last week", "earlier this
/// month") that comes before "that", which is when the cue happened and not what was said.
fn past_setting(toks: &[Token<'_>], after: usize) -> usize {
    let Some(first) = toks.get(after) else { return after };
    if !(is_setting(first) || time_noun(first)) {
        return after;
    }
    let that = (after + 1..toks.len().min(after + 6))
        .take_while(|&k| toks[k].word)
        .find(|&k| toks[k].is("that"));
    let timely = |k: usize| {
        toks[k].is_any(WEEKDAYS) || time_noun(&toks[k]) || toks[k].text.starts_with(|c: char| c.is_ascii_digit())
    };
    match that {
        Some(t) if (after..t).any(timely) => t,
        _ => after,
    }
}

/// `c` without a quote mark at its edge that has no partner inside it: the content of `said the project "will
/// create jobs` does not start or end with a stray mark.
fn balance_quotes(toks: &[Token<'_>], c: Span) -> Span {
    let marks: Vec<&Token<'_>> = toks
        .iter()
        .filter(|t| c.contains(&t.span) && matches!(t.text, "“" | "”" | "\""))
        .collect();
    if marks.len().is_multiple_of(2) {
        return c;
    }
    let inner: Vec<&Token<'_>> = toks.iter().filter(|t| c.contains(&t.span) && t.word).collect();
    let (Some(first), Some(last)) = (inner.first(), inner.last()) else { return c };
    match (marks.first(), marks.last()) {
        (Some(m), _) if m.span.start == c.start && marks.len() == 1 => Span::new(first.span.start, c.end),
        (_, Some(m)) if m.span.end == c.end && marks.len() == 1 => Span::new(c.start, last.span.end),
        _ => c,
    }
}

/// Words that open what follows a trailing "X said" when it is not the content: a time, a place, an occasion.
pub(super) const AFTER_TRAILING_CUE: &[&str] = &[
    "on",
    "in",
    "at",
    "after",
    "before",
    "during",
    "while",
    "as",
    "when",
    "last",
    "this",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "later",
    "recently",
    "via",
    "through",
    "from",
    "to",
];

/// "The bridge will close for a month, the mayor said Friday after a visit": the words after a trailing cue are its
/// setting, and the content is the clause before the source. So is it after a quotation closed with a comma
/// ("…,'' said Ann Roe, an engineer"). Not when the cue goes on with "that" or a quotation.
pub(super) fn content_precedes(toks: &[Token<'_>], before: usize, after: usize) -> bool {
    // Words of the clause before the source, after an opening adverbial ("In March, the plant will close, …").
    let first = toks.iter().position(|t| t.word).unwrap_or(before);
    let clause_start = past_opener(toks, first, before).unwrap_or(first);
    // Counting stops at four words, so a sentence with thousands of cues stays linear.
    let words_before = toks[clause_start.min(before)..before].iter().filter(|t| t.word).take(4).count();
    let set_off = before > 0 && matches!(toks[before - 1].text, "," | "”" | "'" | "\"");
    // "…, the mayor told the council on Monday": a short object of told/warned comes before the setting.
    let mut n = after;
    if after > 0 && toks[after - 1].is_any(OBJECT_CUES) {
        while n < toks.len() && n - after < 3 && toks[n].word && !is_setting(&toks[n]) {
            n += 1;
        }
    }
    let next = toks.get(n);
    let setting = next.is_none_or(|t| t.text == "," || is_setting(t));
    let goes_on = next.is_some_and(|t| t.is_any(&["that", "“", "\""]));
    words_before >= 4 && set_off && setting && !goes_on
}

/// Cues that take a person as object before what they report: "told the council", "warned lawmakers".
pub(super) const OBJECT_CUES: &[&str] =
    &["told", "tells", "warned", "warns", "assured", "reminded", "informed", "urged"];

pub(super) fn is_setting(t: &Token<'_>) -> bool {
    t.is_any(AFTER_TRAILING_CUE) || t.is_any(WEEKDAYS)
}

/// `span` shrunk to the tokens inside it, without leading or trailing punctuation.
pub(super) fn trim_span(toks: &[Token<'_>], span: Span) -> Option<Span> {
    let a = toks.iter().position(|t| span.contains(&t.span))?;
    let b = toks.iter().rposition(|t| span.contains(&t.span))? + 1;
    clause(toks, a, b)
}

/// The tokens `a..b` as a span, without leading or trailing punctuation other than quote marks; `None` when no
/// word is left.
pub(super) fn clause(toks: &[Token<'_>], a: usize, b: usize) -> Option<Span> {
    let keep = |t: &Token<'_>| t.word || matches!(t.text, "“" | "”" | "\"");
    let first = (a..b).find(|&k| keep(&toks[k]))?;
    let last = (first..b).rev().find(|&k| keep(&toks[k]))?;
    let words = toks[first..=last].iter().filter(|t| t.word).count();
    (words > 0).then(|| Span::new(toks[first].span.start, toks[last].span.end))
}
