//! Attributions: who is speaking. Citron/PARC-style triples of source, cue and content.
//!
//! The finder runs sentence by sentence: every cue of the lexicon ([`cue`]) looks for its source ([`source`]) and
//! its content ([`content`]); the patterns that attribute without a verb ([`patterns`]: "MAYOR: …", "― Ana Lima",
//! "reportedly") add theirs; overlapping and nested cues are settled here. Then the speakers are resolved across the
//! document ([`speakers`]) and quotations carry their speaker into the sentences they span ([`quotes`]).

mod content;
mod cue;
mod patterns;
mod quotes;
mod source;
mod speakers;
#[cfg(test)]
mod tests;

pub(crate) use cue::is_reporting_verb;
pub(crate) use speakers::Resolver;

use std::borrow::Cow;

use crate::document::{Rule, Sentence};
use crate::lexicon::Normalized;
use crate::lexicon::lexicon;
use crate::span::Span;
use crate::token::Token;
use cue::{CueKind, from_cue, noun_not_verb, parse_cue};
use patterns::{colon_speaker, dash_byline, reportedly};
use quotes::{Quote, carry_quotations, inside_quote, quote_regions, quotes_near};
use source::{SourceWord, parse_source_word};
use speakers::Speakers;

lexicon!(cue_lexicon, "cues.tsv", CueKind, parse_cue);
lexicon!(source_lexicon, "sources.tsv", SourceWord, parse_source_word);

/// One attribution: a source says (cue) something (content).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The attribution verb or phrase ("said in a statement", "according to"); `None` for a quotation continued
    /// from an earlier sentence, whose cue lies there.
    pub cue: Option<Span>,
    /// The speaker as written in this sentence ("National Security Council spokesperson Adrienne Watson", "he");
    /// `None` when the speaker is named in another sentence.
    pub source: Option<Span>,
    /// Who is speaking, resolved: pronouns, "the outlet" and continued quotations point back to the last fitting
    /// source. `None` only when nothing fits.
    pub speaker: Option<String>,
    /// Named person or body, unnamed, or media.
    pub kind: SourceKind,
    /// True when the content is quoted verbatim.
    pub direct_quote: bool,
    /// What is attributed, when it lies in this sentence.
    pub content: Option<Span>,
    /// The lexicon entry or rule that found it.
    pub rule: Rule,
}

/// What kind of source is speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// A named person or body: "Adrienne Watson", "the Pentagon".
    Named,
    /// An unnamed source: "officials", "a South Korean lawmaker", "intelligence".
    Unnamed,
    /// A news outlet or report: "the New York Times", "the report".
    Media,
}

impl SourceKind {
    /// Every kind, in legend order.
    pub const ALL: [SourceKind; 3] = [SourceKind::Named, SourceKind::Unnamed, SourceKind::Media];

    /// Machine name, as used in JSON and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Named => "named",
            SourceKind::Unnamed => "unnamed",
            SourceKind::Media => "media",
        }
    }

    /// What the kind means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Named => "named person or body",
            SourceKind::Unnamed => "unnamed source",
            SourceKind::Media => "news outlet or report",
        }
    }
}

/// Personal pronouns that can be a source.
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you"];

/// Words that open a negated cue, taken into its span: "did not say", "declined to say".
const NEGATORS: &[&str] = &["not", "n't", "never", "declined", "refused"];

/// Determiners before a word that make it a noun, not a verb: "the claims", "a noted author".
const DETERMINERS: &[&str] =
    &["the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "these", "those", "such", "no"];

/// Longest source phrase, in tokens.
const MAX_SOURCE_TOKENS: usize = 10;

/// Find attributions in every sentence, then carry quotations and pronouns across sentences. `toks(i, s)` gives
/// the tokens of sentence `i` (`s`) when its turn comes, so a caller may make them then and drop them after.
pub(crate) fn attribute<'t, 'a: 't>(
    text: &str,
    sentences: &mut [Sentence],
    mut toks: impl FnMut(usize, &mut Sentence) -> Cow<'t, [Token<'a>]>,
) {
    let quotes = quote_regions(text, sentences);
    let mut speakers = Speakers::default();
    for (i, s) in sentences.iter_mut().enumerate() {
        let toks = toks(i, s);
        let found = in_sentence(text, &toks, &quotes);
        for f in found {
            let attribution = match speakers.resolve(text, &f) {
                Some(speaker) => Attribution { speaker: Some(speaker.name), kind: speaker.kind, ..f },
                // A pronoun with nothing before it to point to: the source stays as written, unresolved.
                None => Attribution { speaker: None, kind: SourceKind::Unnamed, ..f },
            };
            s.attributions.push(attribution);
        }
    }
    carry_quotations(text, sentences, &quotes);
}

/// Attributions whose cue lies in this sentence; `speaker` and `kind` are filled in by the caller.
fn in_sentence(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Vec<Attribution> {
    let lex = cue_lexicon();
    let norm = Normalized::new(toks);
    let mut out = Vec::new();
    let mut beliefs = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((end, entry)) = lex.match_at(&norm, i) else {
            i += 1;
            continue;
        };
        if !inside_quote(quotes, toks[i].span)
            && !noun_not_verb(toks, i, end)
            && let Some(a) = from_cue(text, toks, i, end, entry, lex, quotes)
        {
            if entry.category == CueKind::Belief
                && let Some(cue) = a.cue
            {
                beliefs.push(cue);
            }
            out.push(a);
        }
        i = end;
    }
    out.extend(colon_speaker(text, toks, quotes));
    out.extend(dash_byline(text, toks, quotes));
    if out.is_empty() {
        // With another attribution in the sentence, "reportedly" is part of what that source reports.
        out.extend(reportedly(text, toks, quotes));
    }
    drop_overlapping_cues(&mut out);
    drop_nested(&mut out, &beliefs);
    out
}

/// "The mayor said the police believe the driver fled": the belief is part of what the mayor said. A belief cue
/// (`beliefs`, from the lexicon's `belief` entries) inside another attribution's content is a thought reported
/// within reported speech; the outer attribution stays, as in PARC-style annotation where each word has one role.
/// Speech inside speech ("the mayor said the police told her …") stays: it names a second source. So does a
/// belief before its cue ("Officials believe …, according to the Times"): there the outlet reports the belief.
fn drop_nested(found: &mut Vec<Attribution>, beliefs: &[Span]) {
    // Only contents that follow their cue: in "Officials believe …, according to the Times" both stay.
    let mut contents: Vec<Span> = found
        .iter()
        .filter_map(|a| a.content.filter(|c| a.cue.is_some_and(|cue| cue.end <= c.start)))
        .collect();
    contents.sort_by_key(|c| c.start);
    // Furthest end among the contents that start at or before each one: a containment test by binary search.
    let reach: Vec<usize> = contents
        .iter()
        .scan(0, |m, c| {
            *m = (*m).max(c.end);
            Some(*m)
        })
        .collect();
    found.retain(|a| {
        let Some(cue) = a.cue else { return true };
        if !beliefs.contains(&cue) {
            return true;
        }
        let before = contents.partition_point(|c| c.start <= cue.start);
        before == 0 || reach[before - 1] < cue.end
    });
}

/// "declined to discuss" is found twice, from "declined" and from "discuss" with its negation: where two cues
/// overlap, the longer one stays.
fn drop_overlapping_cues(found: &mut Vec<Attribution>) {
    let mut order: Vec<usize> = (0..found.len()).filter(|&k| found[k].cue.is_some()).collect();
    order.sort_by_key(|&k| found[k].cue.map(|c| c.start));
    let mut keep = vec![true; found.len()];
    // Sweep in text order: a run of overlapping cues keeps its longest (the first of equals).
    let mut best: Option<(usize, Span)> = None;
    for k in order {
        let Some(c) = found[k].cue else { continue };
        match best {
            Some((b, bc)) if bc.overlaps(&c) => {
                if c.len() > bc.len() {
                    keep[b] = false;
                    best = Some((k, c));
                } else {
                    keep[k] = false;
                }
            }
            _ => best = Some((k, c)),
        }
    }
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
}

/// A half-open token range.
type Range = (usize, usize);

fn span_of(toks: &[Token<'_>], (a, b): Range) -> Span {
    Span::new(toks[a].span.start, toks[b - 1].span.end)
}

/// Finish an attribution: direct when its content holds a quotation (or is one).
fn build(
    text: &str,
    cue: Span,
    source: Option<Span>,
    content: Option<Span>,
    quotes: &[Quote],
    rule: Rule,
) -> Attribution {
    let direct_quote = content.is_some_and(|c| {
        quotes[quotes_near(quotes, c, 0)].iter().any(|q| q.inner.overlaps(&c)) || c.text(text).contains(['“', '”', '"'])
    });
    Attribution { cue: Some(cue), source, speaker: None, kind: SourceKind::Unnamed, direct_quote, content, rule }
}
