//! The accurate pipeline's attributions: the learned tagger's spans combined with the rules' attributions.
//!
//! Each side gives what it is best at. The tagger finds more (beliefs, intentions, open-class cues the lexicon
//! lacks) and draws PolNeAR's boundaries; the rules resolve speakers across the document, know a source's kind and
//! carry quotations across sentences. So:
//!
//! 1. the tagger's spans are grouped into triples: each cue takes the nearest source and content of its sentence
//!    with no other cue between them;
//! 2. a rules' attribution whose cue the tagger also found is kept with the tagger's spans and the rules'
//!    speaker and kind (`MadeBy::Both`); one the tagger did not confirm is dropped when
//!    [`KEEP_UNCONFIRMED`] says so; a quotation the rules carried into a sentence stays unless a tagged content
//!    already covers it;
//! 3. the tagger's other triples become attributions of their own (`MadeBy::Model`), their speakers resolved by the
//!    rules' resolver in text order;
//! 4. a content running over several sentences is listed in each of them (the same span, so it counts once), so
//!    every sentence shows its part.
//!
//! Every attribution's [`Rule`] says who made it and, for the tagger, how sure it was.

use crate::attribution::{Attribution, Resolver, SourceKind};
use crate::document::{MadeBy, Rule, Sentence};
use crate::hedge::{Hedge, HedgeCategory};
use crate::span::Span;
use crate::tagger::{Role, Tagged};

/// Whether a rules' attribution with a cue the tagger did not find is kept. Measured on PolNeAR dev through
/// `lectern eval` (see docs/annotator.md): the tagger's silence is evidence against it.
pub const KEEP_UNCONFIRMED: bool = false;

/// Whether a rules' subject right before a cue the tagger confirmed is kept when the tagger found no source.
const RULES_SUBJECT_KEPT: bool = true;

/// Whether a content the tagger found without a cue or a source (and outside a quotation the rules carried) is
/// dropped rather than made an attribution of its own.
const LONE_CONTENTS_DROPPED: bool = true;

/// The tagger's spans of one sentence, by role, as indices into the document's tagged spans.
#[derive(Debug, Default)]
struct Found {
    cues: Vec<usize>,
    sources: Vec<usize>,
    contents: Vec<usize>,
}

/// A triple of the tagger's: a cue (or none, for a lone content or source) with its source and content.
#[derive(Debug, Clone, Copy)]
struct Triple {
    cue: Option<Tagged>,
    source: Option<Tagged>,
    content: Option<Tagged>,
}

impl Triple {
    fn confidence(&self) -> f32 {
        self.cue.or(self.source).or(self.content).map_or(0.0, |t| t.confidence)
    }
}

/// A cue or source without the sentence punctuation a piece can bring at its ends ("the Associated Press.").
fn trim_punctuation(text: &str, span: Span) -> Span {
    let Some(part) = text.get(span.range()) else { return span };
    let edge = |c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?');
    let start = span.start + (part.len() - part.trim_start_matches(edge).len());
    let end = span.start + part.trim_end_matches(edge).len();
    if start < end { Span::new(start, end) } else { span }
}

/// The sentence holding byte `at` (or the next one after it); `None` past the last.
fn sentence_of(sentences: &[Sentence], at: usize) -> Option<usize> {
    let k = sentences.partition_point(|s| s.span.end <= at);
    (k < sentences.len()).then_some(k)
}

/// Bytes between two spans; 0 when they overlap.
fn distance(a: Span, b: Span) -> usize {
    if a.end <= b.start { b.start - a.end } else { a.start.saturating_sub(b.end) }
}

/// Replace the rules' attributions of `sentences` with the combined ones (see the module doc).
pub(crate) fn combine(text: &str, sentences: &mut [Sentence], tagged: &[Tagged]) {
    // A cue or source stays inside the sentence it starts in (a window holds several); a content may run on to
    // the end of its paragraph, never into the next one (a window also holds several paragraphs).
    // Where each sentence's paragraph ends, found once (one pass from the end).
    let mut paragraph_ends = vec![0; sentences.len()];
    for k in (0..sentences.len()).rev() {
        let same = sentences
            .get(k + 1)
            .is_some_and(|next| next.paragraph == sentences[k].paragraph);
        paragraph_ends[k] = if same { paragraph_ends[k + 1] } else { sentences[k].span.end };
    }
    let tagged: Vec<Tagged> = tagged
        .iter()
        .filter_map(|t| {
            let k = sentence_of(sentences, t.span.start)?;
            let s = &sentences[k];
            let paragraph = Span::new(s.span.start.min(t.span.start), paragraph_ends[k]);
            let span =
                if t.role == Role::Content { t.span.intersection(&paragraph) } else { t.span.intersection(&s.span) };
            let span = span.map(|x| if t.role == Role::Content { x } else { trim_punctuation(text, x) });
            span.filter(|x| !x.is_empty()).map(|span| Tagged { span, ..*t })
        })
        .collect();
    let tagged = tagged.as_slice();
    let mut found: Vec<Found> = (0..sentences.len()).map(|_| Found::default()).collect();
    for (k, t) in tagged.iter().enumerate() {
        let Some(i) = sentence_of(sentences, t.span.start) else { continue };
        let f = &mut found[i];
        match t.role {
            Role::Cue => f.cues.push(k),
            Role::Source => f.sources.push(k),
            Role::Content => f.contents.push(k),
        }
    }
    // Contents that start in an earlier sentence and run into this one can belong to its cue ("“…. …,” he said").
    let mut running: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (k, t) in tagged.iter().enumerate().filter(|(_, t)| t.role == Role::Content) {
        let Some(first) = sentence_of(sentences, t.span.start) else { continue };
        for (j, s) in sentences.iter().enumerate().skip(first + 1) {
            if s.span.start >= t.span.end {
                break;
            }
            running[j].push(k);
        }
    }
    let mut claimed = vec![false; tagged.len()];
    let mut resolver = Resolver::default();
    for (i, s) in sentences.iter_mut().enumerate() {
        let triples = group(tagged, &found[i], &running[i], &mut claimed);
        let rules = std::mem::take(&mut s.attributions);
        let hedges = std::mem::take(&mut s.hedges);
        s.attributions = merge_sentence(text, &hedges, rules, triples, &mut resolver);
        s.hedges = hedges;
    }
    spread_contents(sentences);
}

/// The tagger's triples of one sentence. Each cue, in order, takes the nearest unclaimed source and content with
/// no other cue between; what is left forms triples of its own.
fn group(tagged: &[Tagged], found: &Found, running: &[usize], claimed: &mut [bool]) -> Vec<Triple> {
    let cue_spans: Vec<Span> = found.cues.iter().map(|&c| tagged[c].span).collect();
    let no_cue_between = |a: Span, b: Span, this: Span| {
        let (lo, hi) = if a.end <= b.start { (a.end, b.start) } else { (b.end, a.start) };
        !cue_spans.iter().any(|c| *c != this && c.start >= lo && c.end <= hi)
    };
    let mut out = Vec::new();
    for &c in &found.cues {
        let cue = tagged[c].span;
        let mut nearest = |candidates: &mut dyn Iterator<Item = &usize>| -> Option<usize> {
            let best = candidates
                .copied()
                .filter(|&k| !claimed[k] && no_cue_between(tagged[k].span, cue, cue))
                .min_by_key(|&k| distance(tagged[k].span, cue))?;
            claimed[best] = true;
            Some(best)
        };
        let source = nearest(&mut found.sources.iter());
        let content = nearest(&mut found.contents.iter().chain(running));
        claimed[c] = true;
        out.push(Triple {
            cue: Some(tagged[c]),
            source: source.map(|k| tagged[k]),
            content: content.map(|k| tagged[k]),
        });
    }
    for &k in found.sources.iter().chain(&found.contents) {
        if !claimed[k] {
            claimed[k] = true;
            let t = Some(tagged[k]);
            let (source, content) = if tagged[k].role == Role::Source { (t, None) } else { (None, t) };
            out.push(Triple { cue: None, source, content });
        }
    }
    out
}

/// True when `source` ends right before `cue`: nothing between them but spaces and at most one word ("recently").
fn just_before(text: &str, source: Span, cue: Option<Span>) -> bool {
    let Some(cue) = cue else { return false };
    if source.end > cue.start {
        return false;
    }
    text.get(source.end..cue.start).is_some_and(|gap| {
        gap.split_whitespace().count() <= 1 && gap.chars().all(|c| c.is_alphabetic() || c.is_whitespace())
    })
}

fn overlaps(a: Option<Span>, b: Option<Span>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.overlaps(&b))
}

/// True when the content holds a quotation mark: quoted speech.
fn quoted(text: &str, content: Option<Span>) -> bool {
    content.is_some_and(|c| c.text(text).contains(['“', '”', '"']))
}

/// One sentence's attributions from the rules' and the tagger's triples.
fn merge_sentence(
    text: &str,
    hedges: &[Hedge],
    rules: Vec<Attribution>,
    triples: Vec<Triple>,
    resolver: &mut Resolver,
) -> Vec<Attribution> {
    let mut used = vec![false; triples.len()];
    let mut out = Vec::new();
    for r in rules {
        let pair = match r.cue {
            Some(cue) => (0..triples.len()).find(|&k| !used[k] && overlaps(triples[k].cue.map(|t| t.span), Some(cue))),
            // A quotation the rules carried here: the tagger's content over it takes its speaker.
            None => (0..triples.len()).find(|&k| {
                !used[k] && triples[k].cue.is_none() && overlaps(triples[k].content.map(|t| t.span), r.content)
            }),
        };
        match pair {
            Some(k) => {
                used[k] = true;
                let t = triples[k];
                // The tagger's boundaries, and only its spans: where it saw no source or content for the cue, the
                // rules' guess there costs more than it adds (measured on PolNeAR dev); the speaker stays known.
                // Except a subject right before the cue ("Ambassador Alexander Matsegora recently mused"), which
                // the rules find well.
                let subject = r
                    .source
                    .filter(|src| RULES_SUBJECT_KEPT && just_before(text, *src, t.cue.map(|x| x.span)));
                let source = t.source.map(|x| x.span).or(subject);
                let content = t.content.map(|x| x.span);
                let same_source = source == r.source || overlaps(source, r.source);
                let mut a = Attribution {
                    cue: t.cue.map(|x| x.span).or(r.cue),
                    source,
                    content,
                    direct_quote: r.direct_quote || quoted(text, content),
                    rule: r.rule.confirmed(t.confidence()),
                    ..r.clone()
                };
                let (speaker, kind) = resolver.resolve(text, &a);
                if !same_source && a.source.is_some() {
                    (a.speaker, a.kind) = (speaker, kind);
                }
                out.push(a);
            }
            None if r.cue.is_none() || KEEP_UNCONFIRMED => {
                resolver.resolve(text, &r);
                out.push(r);
            }
            None => {}
        }
    }
    for (k, t) in triples.iter().enumerate().filter(|(k, _)| !used[*k]) {
        let content = t.content.map(|x| x.span);
        // A lone content is no attribution of its own: inside a quotation the rules carried it is that quotation,
        // and elsewhere it would make the writer's own claim an attributed one.
        if t.cue.is_none()
            && t.source.is_none()
            && (LONE_CONTENTS_DROPPED || out.iter().any(|a| a.cue.is_none() && overlaps(a.content, content)))
        {
            continue;
        }
        // A cue the tagger alone found that is no more than a hedge of possibility ("would", "could", "likely")
        // says how sure the writer is, not who speaks ("could not say" is a cue). (Beliefs and expectations, "officials believe", are cues as well as hedges.)
        if t.cue.is_some_and(|c| {
            hedges
                .iter()
                .any(|h| h.category == HedgeCategory::Epistemic && h.span.contains(&c.span))
        }) {
            continue;
        }
        let why = match (t.cue, t.source) {
            (Some(_), _) => "the learned tagger found this attribution",
            (None, Some(_)) => "the learned tagger found a source here",
            (None, None) => "the learned tagger found attributed content here",
        };
        let mut a = Attribution {
            cue: t.cue.map(|x| x.span),
            source: t.source.map(|x| x.span),
            speaker: None,
            kind: SourceKind::Unnamed,
            direct_quote: quoted(text, content),
            content,
            rule: Rule::model(triples[k].confidence(), why),
        };
        (a.speaker, a.kind) = resolver.resolve(text, &a);
        out.push(a);
    }
    out.sort_by_key(|a| a.cue.or(a.source).or(a.content).map_or(0, |s| s.start));
    out
}

/// A content that runs over several sentences is listed in each later one too, with the same span, speaker and
/// rule (so a reader sees every part, and a measure counting distinct spans counts it once).
fn spread_contents(sentences: &mut [Sentence]) {
    let mut carried: Vec<(usize, Attribution)> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        for a in s.attributions.iter().filter(|a| a.rule.made_by() != MadeBy::Rules) {
            let Some(c) = a.content else { continue };
            let first = sentences.partition_point(|s| s.span.end <= c.start);
            for (j, other) in sentences
                .iter()
                .enumerate()
                .skip(first)
                .take_while(|(_, s)| s.span.start < c.end)
            {
                if j != i && !other.attributions.iter().any(|b| b.content == Some(c)) {
                    let continued = Attribution { cue: None, source: None, ..a.clone() };
                    carried.push((j, continued));
                }
            }
        }
    }
    for (j, a) in carried {
        let s = &mut sentences[j];
        // A quotation the rules carried into this sentence is now part of the tagged content.
        s.attributions
            .retain(|b| !(b.cue.is_none() && b.rule.made_by() == MadeBy::Rules && overlaps(b.content, a.content)));
        if !s.attributions.iter().any(|b| b.content == a.content) {
            s.attributions.push(a);
        }
    }
}
