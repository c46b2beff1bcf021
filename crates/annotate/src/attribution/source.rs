//! Source phrases: the noun phrase that names who speaks, found by scanning away from the cue.
//!
//! Not a parser: the scan stops at clause words and punctuation, keeps prepositions inside a source ("officials at
//! the ministry"), steps over parentheticals between commas or dashes, and follows relative pronouns and "and said"
//! back to the sentence's subject. The source-word lexicon (`lexicons/sources.tsv`) says which words name outlets,
//! groups, titles and documents.

use super::cue::is_reporting_verb;
use super::{MAX_SOURCE_TOKENS, NEGATORS, PRONOUNS, Range, source_lexicon};
use crate::lexicon::Entry;
use crate::token::Token;

/// Words that say what kind of source speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceWord {
    /// An outlet or a report.
    Media,
    /// A common noun for people or bodies that are not named.
    Group,
    /// A role that precedes a name.
    Title,
    /// A document or a measurement that can show or find something: a poll, a study.
    Document,
}

pub(super) fn parse_source_word(name: &str) -> Option<SourceWord> {
    match name {
        "media" => Some(SourceWord::Media),
        "group" => Some(SourceWord::Group),
        "title" => Some(SourceWord::Title),
        "document" => Some(SourceWord::Document),
        _ => None,
    }
}

/// Words that end a source phrase when scanning away from the cue: clause words a noun phrase cannot contain.
pub(super) const CLAUSE_WORDS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "but",
    "or",
    "because",
    "while",
    "when",
    "as",
    "if",
    "so",
    "than",
    "where",
    "after",
    "before",
    "since",
    "although",
    "though",
    "to",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "should",
    "must",
    "do",
    "does",
    "did",
    "not",
    "has",
    "have",
    "had",
    "said",
    "says",
    "told",
    "and",
    "also",
    "then",
    "there",
    "here",
    "it's",
    "what",
    "how",
    "why",
    "whether",
    "about",
    "into",
    "on",
    "at",
    "in",
    "over",
    "under",
    "by",
    "against",
    "between",
    "citing",
    "quoting",
    "according",
    "per",
    "quoted",
    "cited",
    "interviewed",
    "contacted",
    "briefed",
    "surveyed",
    "polled",
    "asked",
];

/// Participles that open a post-modifier, ending a source phrase: "a statement *released* on Friday".
pub(super) const POST_MODIFIERS: &[&str] = &[
    "released",
    "issued",
    "published",
    "posted",
    "obtained",
    "seen",
    "reviewed",
    "sent",
    "filed",
    "made",
    "given",
    "provided",
    "distributed",
    "signed",
    "dated",
    "prepared",
    "commissioned",
    "conducted",
    "shared",
    "late",
    "early",
    "last",
    "earlier",
    "on",
    "this",
    "yesterday",
    "today",
];

/// Words between a cue and its source that are skipped: adverbs, auxiliaries.
pub(super) const SKIPPABLE: &[&str] = &[
    "also",
    "later",
    "once",
    "then",
    "still",
    "already",
    "has",
    "have",
    "had",
    "would",
    "will",
    "did",
    "does",
    "do",
    "could",
    "can",
    "may",
    "might",
    "had",
    "previously",
    "recently",
    "repeatedly",
    "publicly",
    "privately",
    "reportedly",
    "separately",
    "earlier",
    "again",
    "even",
    "just",
    "further",
    "first",
    "initially",
    "last",
    "week",
    "month",
];

/// The source phrase right after token `at`: up to a punctuation mark or a clause word. Unless `any_phrase`, the
/// phrase must look like a source (see [`plausible_source`]).
pub(super) fn source_after(toks: &[Token<'_>], at: usize, any_phrase: bool) -> Option<Range> {
    let mut end = at;
    while end < toks.len() && end - at < MAX_SOURCE_TOKENS {
        let t = &toks[end];
        let clause_word = t.is_any(CLAUSE_WORDS) && !t.is_any(&["of", "for", "at", "in", "on"]);
        if !t.word || (end > at && (clause_word || t.is_any(POST_MODIFIERS))) {
            break;
        }
        if end == at && t.is_any(CLAUSE_WORDS) {
            return None;
        }
        end += 1;
    }
    (end > at && (any_phrase || plausible_source(&toks[at..end]))).then_some((at, end))
}

/// The source phrase before the cue at `i`, scanning left; also returns where the cue starts once negators
/// ("did not", "declined to") are taken into it.
pub(super) fn source_before(toks: &[Token<'_>], i: usize) -> (usize, Option<Range>) {
    let mut cue_start = i;
    // "did not say", "declined to comment", "did not immediately respond": negation belongs to the cue.
    let mut j = i;
    while j > 1 && is_ly_adverb(&toks[j - 1]) && toks[j - 2].is_any(NEGATORS) {
        j -= 1;
    }
    while j > 0 && (toks[j - 1].is_any(NEGATORS) || (toks[j - 1].is("to") && j >= 2 && toks[j - 2].is_any(NEGATORS))) {
        j -= 1;
    }
    if j < i {
        while j > 0 && toks[j - 1].is_any(&["did", "does", "do", "would", "has", "had", "have", "could", "will"]) {
            j -= 1;
        }
        cue_start = j;
    }
    // Skip adverbs and auxiliaries between subject and cue; "is confirming" skips its "is".
    let progressive = toks[i].text.ends_with("ing");
    let mut k = cue_start;
    while k > 0
        && (toks[k - 1].is_any(SKIPPABLE)
            || is_ly_adverb(&toks[k - 1])
            || (progressive && toks[k - 1].is_any(&["is", "are", "was", "were", "been"])))
    {
        k -= 1;
    }
    if k == 0 {
        return (cue_start, None);
    }
    let t = &toks[k - 1];
    if t.is_any(PRONOUNS) {
        return (cue_start, Some((k - 1, k)));
    }
    if t.text == "," && toks[i].text.ends_with("ing") {
        // "The mayor waved the report away, saying …": the participle's subject opens the sentence.
        return (cue_start, leading_subject(toks, k - 1));
    }
    if t.text == ")" {
        // "Sen. Ann Roe (R-Ohio) said": the bracket belongs to the source.
        let open = (k.saturating_sub(8)..k - 1).rev().find(|&o| toks[o].text == "(");
        return (cue_start, open.and_then(|o| noun_phrase_before(toks, o)).map(|(a, _)| (a, k)));
    }
    if t.is_any(&["that", "who", "which"]) && k >= 2 {
        // A relative clause: the source is the phrase the pronoun refers to, before its comma if it has one
        // ("the senator, who said …").
        let end = if toks[k - 2].text == "," && k >= 3 { k - 2 } else { k - 1 };
        // The antecedent starts after the main clause's verb: "The coach praised *the goalkeeper*, who says …".
        let np = noun_phrase_before(toks, end).map(|(a, b)| {
            let verb = (a..b).rev().find(|&v| {
                let t = &toks[v];
                !t.capitalized() && (is_reporting_verb(t) || t.text.ends_with("ed"))
            });
            (verb.map_or(a, |v| v + 1), b)
        });
        return (cue_start, np.filter(|&(a, b)| a < b));
    }
    if t.text == "," {
        // "Two people familiar with the talks, who asked not to be named, said": skip the parenthetical. A name
        // with appositions ("Tom Berg, the mayor of Oslo, said") keeps them in its span.
        let Some(mut open) = parenthetical(toks, k - 1) else { return (cue_start, None) };
        let mut np = noun_phrase_before(toks, open);
        for _ in 0..2 {
            let Some((a, _)) = np else { break };
            let starts_det = toks[a].is_any(&["the", "a", "an"]) || word_is(&toks[a], SourceWord::Title);
            let Some(outer) = (a > 1 && toks[a - 1].text == ",").then(|| parenthetical(toks, open)).flatten() else {
                break;
            };
            if !starts_det {
                break;
            }
            open = outer;
            np = noun_phrase_before(toks, open);
        }
        let apposed = np.map(|(a, b)| {
            let named = toks[a..b].iter().all(|t| t.capitalized() || !t.word);
            if named { (a, k - 1) } else { (a, b) }
        });
        return (cue_start, apposed);
    }
    if is_dash(t) {
        // "Jim Bell -- a lawyer for the family -- said": the source stands before the parenthetical dashes.
        // "--" is two tokens: step over the whole run of dashes on each side.
        let close = (0..k).rev().take_while(|&c| is_dash(&toks[c])).last().unwrap_or(k - 1);
        let floor = close.saturating_sub(MAX_PARENTHETICAL_TOKENS);
        let open = (floor..close)
            .rev()
            .take_while(|&o| !matches!(toks[o].text, "“" | "”" | "\"" | ";"))
            .find(|&o| is_dash(&toks[o]))
            .map(|o| (0..=o).rev().take_while(|&d| is_dash(&toks[d])).last().unwrap_or(o));
        return (cue_start, open.and_then(|o| noun_phrase_before(toks, o)));
    }
    if t.is_any(&["and", "but"]) {
        // "Sen. Rand Paul called the bill a disgrace and said …": the subject opens the sentence.
        return (cue_start, leading_subject(toks, k - 1));
    }
    (cue_start, noun_phrase_before(toks, k))
}

/// A dash that sets off a parenthetical: "—", "–", or a hyphen written apart ("-"; "--" is two of them).
pub(super) fn is_dash(t: &Token<'_>) -> bool {
    matches!(t.text, "—" | "–" | "-")
}

/// Longest parenthetical between commas, in tokens.
pub(super) const MAX_PARENTHETICAL_TOKENS: usize = 25;

/// When token `comma` closes a parenthetical that opened at an earlier comma (a relative clause "who …", an
/// apposition "a spokesman for …", a state "R-Ky."), the index of that opening comma.
pub(super) fn parenthetical(toks: &[Token<'_>], comma: usize) -> Option<usize> {
    let floor = comma.saturating_sub(MAX_PARENTHETICAL_TOKENS);
    let open = (floor..comma)
        .rev()
        .take_while(|&k| !matches!(toks[k].text, "“" | "”" | "\"" | ";"))
        .find(|&k| toks[k].text == ",")?;
    let first = toks.get(open + 1)?;
    let inner = &toks[open + 1..comma];
    let relative = first.is_any(&["who", "whose", "whom", "which"]);
    let apposition = first.is_any(&["a", "an", "the", "one", "another", "now", "then", "formerly", "himself"])
        || inner.iter().any(|t| word_is(t, SourceWord::Title));
    let setting = first.is_any(&["at", "in", "on", "during", "after", "before", "speaking", "writing", "asked"]);
    let short_name = inner.len() <= 3
        && inner
            .iter()
            .all(|t| !t.word || t.capitalized() || t.text.contains('-') || t.text.starts_with(char::is_numeric));
    (open > 0 && (relative || apposition || setting || short_name)).then_some(open)
}

/// Words that open an object: a lowercase word before one of them is a verb ("fought *the* report").
pub(super) const OBJECT_STARTS: &[&str] =
    &["the", "a", "an", "his", "her", "their", "its", "that", "to", "him", "them", "it", "this"];

/// The noun phrase that opens the sentence ("Sen. Rand Paul, R-Ky., …"), when it looks like a source.
pub(super) fn leading_subject(toks: &[Token<'_>], limit: usize) -> Option<Range> {
    let mut a = toks.iter().position(|t| t.word)?;
    // "On Thursday, however, the mayor …": opening adverbials set off by commas come before the subject.
    for _ in 0..3 {
        let Some(after) = past_opener(toks, a, limit) else { break };
        let Some(next) = (after..limit).find(|&k| toks[k].word) else { break };
        a = next;
    }
    let mut b = a;
    let mut lowercase_run = 0;
    while b < limit && b - a < MAX_SOURCE_TOKENS && toks[b].word && !toks[b].is_any(CLAUSE_WORDS) {
        let t = &toks[b];
        let nominal = t.capitalized() || t.is_any(&["the", "a", "an"]) || word_is(t, SourceWord::Group);
        // A lowercase noun after the name ("The Roe campaign"), but not a verb ("rejected", "says").
        let before_object = toks.get(b + 1).is_some_and(|n| n.is_any(OBJECT_STARTS));
        let noun_like =
            !t.capitalized() && !t.text.ends_with("ed") && !is_reporting_verb(t) && !before_object && lowercase_run < 2;
        if !nominal && !noun_like {
            break;
        }
        lowercase_run = if t.capitalized() { 0 } else { lowercase_run + 1 };
        b += 1;
    }
    (b > a && plausible_source(&toks[a..b]) && !toks[a..b].iter().all(|t| t.is_any(&["the", "a", "an"])))
        .then_some((a, b))
}

/// Words that open an adverbial phrase before a sentence's subject: "In his speech, …", "Later, …".
pub(super) const OPENERS: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "later",
    "earlier",
    "however",
    "meanwhile",
    "still",
    "yet",
    "but",
    "and",
    "also",
    "last",
    "since",
    "by",
    "for",
    "with",
    "under",
    "then",
    "now",
    "today",
    "yesterday",
    "separately",
    "instead",
    "again",
    "asked",
    "speaking",
];

/// When token `at` opens an adverbial phrase ("In March, …", "However, …"), the index just past the comma that closes
/// it: within eight tokens and before `limit`.
pub(super) fn past_opener(toks: &[Token<'_>], at: usize, limit: usize) -> Option<usize> {
    if !toks.get(at)?.is_any(OPENERS) {
        return None;
    }
    (at + 1..limit.min(at + 8)).find(|&k| toks[k].text == ",").map(|k| k + 1)
}

pub(super) fn is_ly_adverb(t: &Token<'_>) -> bool {
    t.word
        && !t.capitalized()
        && t.text.len() > 4
        && t.text.ends_with("ly")
        && !t.is_any(&["only", "early", "family", "tally", "rally", "ally", "supply", "assembly", "reply", "july"])
}

/// The noun phrase ending just before token `end`, with a name in apposition after a title phrase
/// ("Russia's Ambassador to North Korea, Alexander Matsegora").
pub(super) fn noun_phrase_before(toks: &[Token<'_>], end: usize) -> Option<Range> {
    let mut start = end;
    while start > 0 && end - start < MAX_SOURCE_TOKENS {
        let t = &toks[start - 1];
        if !t.word || (t.is_any(CLAUSE_WORDS) && !inner_preposition(toks, start - 1)) {
            break;
        }
        start -= 1;
    }
    if start == end {
        return None;
    }
    // Apposition: "<title phrase>, <Name>" where the title phrase starts the clause.
    if start >= 2 && toks[start - 1].text == "," && toks[start..end].iter().all(|t| t.capitalized()) {
        let comma = start - 1;
        let mut a = comma;
        while a > 0
            && toks[a - 1].word
            && (toks[a - 1].capitalized() || toks[a - 1].is_any(&["of", "to", "for", "the"]))
        {
            a -= 1;
        }
        let clause_start = a == 0 || !toks[a - 1].word;
        let has_title = toks[a..comma].iter().any(|t| word_is(t, SourceWord::Title));
        if clause_start && has_title && a < comma {
            start = a;
        }
    }
    Some((start, end))
}

/// A preposition inside a source phrase: "officials *at* the ministry", "Ambassador *to* France", "people
/// familiar *with* the talks" — it follows a source word, a name, a plural noun or "familiar"/"close".
pub(super) fn inner_preposition(toks: &[Token<'_>], k: usize) -> bool {
    toks[k].is_any(&["of", "for", "at", "with", "from", "in", "to"])
        && k > 0
        && toks[k - 1].word
        && (toks[k - 1].capitalized()
            || toks[k - 1].is_any(&["familiar", "close"])
            || (toks[k - 1].text.len() > 3 && toks[k - 1].text.ends_with('s'))
            || word_is(&toks[k - 1], SourceWord::Group)
            || word_is(&toks[k - 1], SourceWord::Title))
}

/// True when the token (alone) is a source word of this category.
pub(super) fn word_is(t: &Token<'_>, cat: SourceWord) -> bool {
    source_lexicon().category_of(t) == Some(cat)
}

/// Source-word matches in a phrase.
pub(super) fn source_words<'a>(phrase: &[Token<'_>]) -> Vec<(usize, usize, &'a Entry<SourceWord>)> {
    source_lexicon().find_all(phrase)
}

/// A source phrase must hold a name, a source word or a pronoun: "hard to believe" has no source.
pub(super) fn plausible_source(phrase: &[Token<'_>]) -> bool {
    phrase.iter().any(|t| t.capitalized() || t.is_any(PRONOUNS)) || !source_words(phrase).is_empty()
}
