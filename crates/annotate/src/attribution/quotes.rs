//! Quotations: where they lie in the text, and the speaker they carry into every sentence they span.
//!
//! News writes a long quotation over several sentences and names its speaker once; a sentence inside it, or one
//! that opens with a quotation right after a quoted sentence, keeps that speaker.

use super::{Attribution, SourceKind};
use crate::document::{Rule, Sentence};
use crate::segment::quotations;
use crate::span::Span;

/// A quotation in the whole text, by its interior.
#[derive(Debug, Clone, Copy)]
pub(super) struct Quote {
    pub(super) inner: Span,
}

/// Quotations of every paragraph, as interiors in the whole text.
pub(super) fn quote_regions(text: &str, sentences: &[Sentence]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sentences.len() {
        // The paragraph runs from its first sentence to its last; sentences of a paragraph are consecutive.
        let p = sentences[i].paragraph;
        let j = i + sentences[i..].iter().take_while(|s| s.paragraph == p).count();
        let para = Span::new(sentences[i].span.start, sentences[j - 1].span.end);
        out.extend(
            quotations(para.text(text))
                .into_iter()
                .map(|q| Quote { inner: q.shift(para.start) }),
        );
        i = j;
    }
    out
}

/// Indices of the quotations that overlap `span` widened by `reach` bytes on each side. Quotations are disjoint and
/// in text order, so both searches are binary: a long document with many quotations stays linear overall.
pub(super) fn quotes_near(quotes: &[Quote], span: Span, reach: usize) -> std::ops::Range<usize> {
    let lo = quotes.partition_point(|q| q.inner.end + reach < span.start);
    let hi = quotes.partition_point(|q| q.inner.start <= span.end + reach);
    lo..hi.max(lo)
}

pub(super) fn inside_quote(quotes: &[Quote], span: Span) -> bool {
    quotes[quotes_near(quotes, span, 0)].iter().any(|q| q.inner.contains(&span))
}

/// Sentences inside a quotation whose speaker is known elsewhere get that speaker: a quotation that runs over
/// several sentences, and a paragraph that opens with a quotation right after a quoted speaker's paragraph.
pub(super) fn carry_quotations(text: &str, sentences: &mut [Sentence], quotes: &[Quote]) {
    // The speaker of each quotation, from a direct attribution whose content overlaps it.
    let mut quote_speaker: Vec<Option<(String, SourceKind)>> = vec![None; quotes.len()];
    for s in sentences.iter() {
        for a in s.attributions.iter().filter(|a| a.direct_quote) {
            let (Some(c), Some(name)) = (a.content, &a.speaker) else { continue };
            let around = a.cue.map_or(c, |cue| Span::new(c.start.min(cue.start), c.end.max(cue.end)));
            for k in quotes_near(quotes, around, ADJACENT_REACH) {
                if quotes[k].inner.overlaps(&c) || adjacent(text, quotes[k].inner, a.cue) {
                    quote_speaker[k] = Some((name.clone(), a.kind));
                }
            }
        }
    }
    // The speaker of the previous sentence's quotation, if it had one.
    let mut previous_quoted: Option<(String, SourceKind)> = None;
    for s in sentences.iter_mut() {
        if s.attributions.is_empty() {
            let opens = s.span.text(text).starts_with(['“', '"']);
            let inside = quotes_near(quotes, s.span, 0)
                .find(|&k| quotes[k].inner.overlaps(&s.span) && quotes[k].inner.start <= s.span.start + 3);
            let from_quote = inside.and_then(|q| quote_speaker[q].clone()).map(|sp| (sp, CONTINUED));
            let from_previous = || Some((previous_quoted.clone()?, NEXT_QUOTE)).filter(|_| opens);
            if let Some(((name, kind), (rule, why))) = from_quote.or_else(from_previous) {
                let content = inside
                    .map(|q| quotes[q].inner)
                    .and_then(|q| q.intersection(&s.span))
                    .or(Some(s.span));
                s.attributions.push(Attribution {
                    cue: None,
                    source: None,
                    speaker: Some(name),
                    kind,
                    direct_quote: true,
                    content,
                    rule: Rule::named(rule, why),
                });
            }
        }
        previous_quoted = s
            .attributions
            .iter()
            .rev()
            .find(|a| a.direct_quote)
            .and_then(|a| Some((a.speaker.clone()?, a.kind)));
    }
}

/// Rule of a sentence inside a quotation whose speaker is named in another sentence of it.
pub(super) const CONTINUED: (&str, &str) =
    ("continued-quote", "a quotation continued from a sentence that names its speaker");

/// Rule of a quotation that follows a quoted sentence with no speaker of its own, as news writing does.
pub(super) const NEXT_QUOTE: (&str, &str) =
    ("quote-continues-speaker", "a quotation right after another speaker's quotation, with no new speaker named");

/// How far, in bytes, a cue may stand from the quotation it introduces or closes.
pub(super) const ADJACENT_REACH: usize = 120;

/// True when the quotation and the cue stand close together (either side), with less than a clause of words
/// between them: "“…,” Watson said", "Watson said: “…”".
pub(super) fn adjacent(text: &str, quote: Span, cue: Option<Span>) -> bool {
    let Some(cue) = cue else { return false };
    let gap = if cue.start >= quote.end { text.get(quote.end..cue.start) } else { text.get(cue.end..quote.start) };
    gap.is_some_and(|g| g.len() < ADJACENT_REACH && g.chars().filter(|c| c.is_alphabetic()).count() < 80)
}
