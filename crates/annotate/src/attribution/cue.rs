//! Cues: the lexicon of attributing verbs and phrases (`lexicons/cues.tsv`), and how each kind of cue finds its source.
//!
//! A speech cue ("said") takes its subject or, after a quotation, the name that follows it; a belief cue ("believe")
//! needs a subject that looks like a source; a clause cue ("shows") attributes only before a clause; a prepositional
//! cue ("according to") takes the phrase after it. Nouns spelled like cues ("the claims") and passives ("was
//! disclosed by …") are told apart here.

use super::content::{prep_content, speech_content};
use super::quotes::Quote;
use super::source::{SourceWord, plausible_source, source_after, source_before, word_is};
use super::{
    Attribution, DETERMINERS, MAX_SOURCE_TOKENS, NEGATORS, PRONOUNS, Range, build, cue_lexicon, source_lexicon, span_of,
};
use crate::document::Rule;
use crate::lexicon::{Entry, Lexicon};
use crate::span::Span;
use crate::token::Token;

/// How a cue relates to its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// A verb of saying; the source is its subject ("Watson said") or follows it ("said Watson").
    Speech,
    /// A verb of belief; the source is its subject ("officials believe").
    Belief,
    /// A verb that attributes only before a clause or a quotation ("the poll shows that …").
    Clause,
    /// A preposition; the source follows it ("according to the Times").
    Prep,
}

pub(super) fn parse_cue(name: &str) -> Option<CueKind> {
    match name {
        "speech" => Some(CueKind::Speech),
        "belief" => Some(CueKind::Belief),
        "clause" => Some(CueKind::Clause),
        "prep" => Some(CueKind::Prep),
        _ => None,
    }
}

/// Nouns naming where something was said, extending a cue: "said *in a statement*".
pub(super) const VENUES: &[&str] = &[
    "statement",
    "interview",
    "conference",
    "briefing",
    "speech",
    "email",
    "e-mail",
    "letter",
    "post",
    "tweet",
    "hearing",
    "rally",
    "call",
    "memo",
    "filing",
    "podcast",
    "address",
    "release",
    "note",
    "Twitter",
    "Facebook",
    "X",
    "television",
    "radio",
    "broadcast",
    "op-ed",
    "testimony",
];

/// Cue words that are as often plural nouns: "the swing states", "his claims", "news reports".
pub(super) const NOUN_LIKE_CUES: &[&str] = &[
    "states", "claims", "reports", "notes", "fears", "calls", "shows", "charges", "chants", "demands", "remarks",
    "blasts", "vows", "hints", "repeats", "boasts", "jokes", "quips", "mocks", "shouts", "yells", "screams", "slams",
    "praises", "laments", "mentions", "replies",
];

/// True when a one-word cue such as "states" is used as a noun: capitalised inside the sentence ("United
/// States"), or not followed by what a verb of saying takes ("that", a quotation, a clause).
pub(super) fn noun_not_verb(toks: &[Token<'_>], i: usize, end: usize) -> bool {
    let t = &toks[i];
    if end - i != 1 || !t.is_any(NOUN_LIKE_CUES) {
        return false;
    }
    if t.capitalized() && i > 0 {
        return true;
    }
    // "states" is far more often the noun ("in twelve states the law …"): as a verb it must introduce a clause.
    if t.is("states") {
        return !toks.get(end).is_some_and(|n| n.is_any(&["that", ":", "“", "\""]));
    }
    let next = toks.get(end);
    let takes_clause = next.is_some_and(|n| {
        n.is_any(&["that", ":", ",", "“", "\"", "the", "a", "an", "he", "she", "they", "it", "his", "her", "its"])
            || n.is_any(&["their", "we", "i", "this", "there"])
            || n.capitalized()
            || (t.is("vows") && n.is("to"))
    });
    // "…, the Gazette reports.": at the end of the sentence, after its content, the word is the verb.
    let closes_sentence = next.is_none_or(|n| matches!(n.text, "." | "!" | "?"))
        && toks[..i].iter().rev().take(MAX_SOURCE_TOKENS + 1).any(|t| t.text == ",");
    // The word before must be the source's head: a name or a source word, not an adjective or a possessive
    // ("over unpaid claims.", "heard Smith's claims.").
    let source_head = i > 0 && {
        let p = &toks[i - 1];
        let possessive = p.text.ends_with("'s") || p.text.ends_with("’s");
        p.word && !possessive && (p.capitalized() || source_lexicon().category_of(p).is_some())
    };
    if closes_sentence && source_head {
        return false;
    }
    let after_noun_word = i > 0 && toks[i - 1].is_any(&["of", "the", "swing", "united", "battleground", "these"]);
    !takes_clause || after_noun_word
}

/// Build the attribution of the cue at tokens `i..end`, or `None` when no source can be found for it.
pub(super) fn from_cue(
    text: &str,
    toks: &[Token<'_>],
    i: usize,
    end: usize,
    entry: &Entry<CueKind>,
    lex: &Lexicon<CueKind>,
    quotes: &[Quote],
) -> Option<Attribution> {
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    let id = lex.rule_id(entry);
    match entry.category {
        CueKind::Prep => {
            if toks[i].is("per") && !per_is_attribution(toks, i) {
                return None;
            }
            // "according to" and "per" name a source whatever follows; "citing" may cite a reason instead.
            let any_phrase = !toks[i].is_any(&["citing", "quoting"]);
            let src = source_after(toks, end, any_phrase)?;
            let content = prep_content(toks, i, src.1);
            let cue = Span::new(toks[i].span.start, toks[end - 1].span.end);
            Some(build(
                text,
                cue,
                Some(span_of(toks, src)),
                content,
                quotes,
                Rule { id, why: "the source follows the cue: what comes before or after rests on it".into() },
            ))
        }
        CueKind::Speech | CueKind::Belief | CueKind::Clause => {
            if prev.is_some_and(|p| p.is_any(DETERMINERS)) {
                return None;
            }
            // "flew to Oslo to discuss the deal": an infinitive's subject is not the phrase before "to" (and when
            // the governing verb attributes, "plans to announce", that verb is the cue).
            if prev.is_some_and(|p| p.is("to")) && !(i >= 2 && toks[i - 2].is_any(NEGATORS)) {
                return None;
            }
            let opens_quote = |k: usize| toks.get(k).is_some_and(|n| n.is_any(&["“", "\""]));
            // "She continued, “For us …”": a comma and a quotation take a clause too.
            let clause_follows = toks.get(end).is_some_and(|n| n.is_any(&["that", ":", "“", "\"", "whether"]))
                || (toks.get(end).is_some_and(|n| n.text == ",") && opens_quote(end + 1));
            // A passive ("was not disclosed … by X") takes its source from the "by" phrase.
            if let Some((cue_start, src)) = passive(toks, i, end) {
                let cue = Span::new(toks[cue_start].span.start, toks[end - 1].span.end);
                return Some(build(
                    text,
                    cue,
                    Some(span_of(toks, src)),
                    None,
                    quotes,
                    Rule::named("passive-by", "a passive cue whose source is named after \"by\""),
                ));
            }
            let cue_end = extend_venue(toks, end);
            let (cue_start, subject) = source_before(toks, i);
            // "The poll shows the mayor ahead": a document may show without "that"; anything else needs the clause.
            let document = subject.is_some_and(|(a, b)| toks[a..b].iter().any(|t| word_is(t, SourceWord::Document)));
            if entry.category == CueKind::Clause && !clause_follows && !document {
                return None;
            }
            // Whoever is the subject of "said" speaks; a subject of "believe" must look like a source.
            let subject = subject.filter(|&(a, b)| entry.category == CueKind::Speech || plausible_source(&toks[a..b]));
            let (source, rule) = match subject {
                Some(src) => (src, Rule { id, why: "the source is the subject of the cue".into() }),
                // A participle after a comma ("…, saying the team won") has its subject before it, never after.
                None if entry.category == CueKind::Speech
                    && inverted_allowed(toks, cue_start)
                    && !toks[i].text.ends_with("ing") =>
                {
                    // "…,” said Watson" — but in "…, said it would" the pronoun opens the reported clause.
                    let determined = toks.get(cue_end).is_some_and(|t| t.is_any(&["the", "a", "an"]));
                    let src = source_after(toks, cue_end, determined).filter(|&(a, _)| !toks[a].is_any(PRONOUNS))?;
                    (src, Rule::named("inverted", "the source follows the cue: \"…,\" said the minister"))
                }
                None => return None,
            };
            let cue = Span::new(toks[cue_start].span.start, toks[cue_end - 1].span.end);
            let content = speech_content(toks, quotes, source, cue_start, cue_end);
            Some(build(text, cue, Some(span_of(toks, source)), content, quotes, rule))
        }
    }
}

/// "per the report" attributes; "per cent", "5 dollars per share" do not.
pub(super) fn per_is_attribution(toks: &[Token<'_>], i: usize) -> bool {
    let after_break = i == 0 || !toks[i - 1].word;
    let next = toks.get(i + 1);
    after_break && next.is_some_and(|n| n.is_any(DETERMINERS) || n.capitalized())
}

/// An inverted source ("…,” said Watson) only follows a cue that stands after a comma or a closing quote.
pub(super) fn inverted_allowed(toks: &[Token<'_>], cue_start: usize) -> bool {
    cue_start > 0 && matches!(toks[cue_start - 1].text, "," | "”" | "\"" | "'" | "’")
}

/// "said in a statement", "said at a press conference", "said on Twitter": one past the extended cue.
pub(super) fn extend_venue(toks: &[Token<'_>], end: usize) -> usize {
    let Some(p) = toks.get(end) else { return end };
    if !p.is_any(&["in", "at", "during", "on", "via"]) {
        return end;
    }
    // Up to three words after the preposition, the last of them a venue.
    let window = toks.iter().enumerate().take(end + 5).skip(end + 1);
    window
        .take_while(|(_, t)| t.word)
        .find(|(_, t)| t.is_any(VENUES))
        .map_or(end, |(k, _)| k + 1)
}

/// A passive cue "was (not) disclosed … by NP": the first token of the cue (the form of "be") and the source.
pub(super) fn passive(toks: &[Token<'_>], i: usize, end: usize) -> Option<(usize, Range)> {
    let mut j = i;
    while j > 0 && toks[j - 1].is_any(NEGATORS) {
        j -= 1;
    }
    if j == 0 || !toks[j - 1].is_any(&["was", "were", "is", "are", "been", "be"]) {
        return None;
    }
    let be = j - 1;
    // "by" within a few words (a day, "publicly") of the participle.
    let by = (end..(end + 4).min(toks.len()))
        .take_while(|&k| toks[k].word)
        .find(|&k| toks[k].is("by"))?;
    let src = source_after(toks, by + 1, true)?;
    Some((be, src))
}

/// True when the token (alone) is a verb of saying in the cue lexicon ("said", "announced").
pub(crate) fn is_reporting_verb(t: &Token<'_>) -> bool {
    cue_lexicon().category_of(t) == Some(CueKind::Speech)
}
