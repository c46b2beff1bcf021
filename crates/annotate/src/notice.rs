//! Notices: sentences that say when and where something happens ("The council meets at 6 p.m. in City Hall.").
//!
//! A notice states a fact, but not one a fact-checker checks first, and a model of check-worthiness learned from
//! political debates scores it high (a time, a place, a named body). A sentence is a notice when it has a predicate
//! of `lexicons/notices.tsv` ("meets", "will be held", "opens"), a time ("at 6 p.m.", "at noon", "on Tuesday"),
//! at most [`MAX_WORDS`] words, and nothing else a fact-checker weighs: no number beyond the time and the date, no
//! comparison or amount, no source and no hedge. Its check-worthiness is capped at [`CAP`], in both pipelines.

use crate::document::Sentence;
use crate::lexicon::lexicon;
use crate::token::{MONTHS, Token, WEEKDAYS};

/// The highest check-worthiness a notice keeps: well under the 0.5 at which a sentence counts as check-worthy.
pub const CAP: f32 = 0.2;

/// Longer sentences say more than when and where.
pub const MAX_WORDS: usize = 30;

/// The one category of the notice lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoticeWord {
    /// A predicate of a scheduled event: it meets, opens, begins, is held.
    Event,
}

fn parse(s: &str) -> Option<NoticeWord> {
    (s == "event").then_some(NoticeWord::Event)
}

lexicon!(notice_lexicon, "notices.tsv", NoticeWord, parse);

/// Words of clock time.
const CLOCK: &[&str] = &["a.m", "p.m", "am", "pm", "noon", "midnight"];

/// Months as news abbreviates them ("Sept. 12"), besides their full names ([`MONTHS`]).
const ABBREVIATED_MONTHS: &[&str] =
    &["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];

/// Words of amount or comparison: a sentence with one says more than when and where.
const WEIGHED: &[&str] = &[
    "than", "more", "less", "fewer", "most", "least", "percent", "per", "million", "billion", "trillion", "record",
    "half", "double", "twice", "%", "$", "£", "€",
];

fn clock(t: &Token<'_>) -> bool {
    CLOCK.iter().any(|c| t.text.trim_end_matches('.').eq_ignore_ascii_case(c))
}

fn number(t: &Token<'_>) -> bool {
    t.text.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn month(t: &Token<'_>) -> bool {
    let word = t.text.trim_end_matches('.');
    MONTHS.iter().chain(ABBREVIATED_MONTHS).any(|m| word.eq_ignore_ascii_case(m))
}

/// True when the number at index `i` of `tokens` is part of a time or a date: "6 p.m.", "6:30", "6pm", "May 5",
/// "Sept. 12th".
fn timely(tokens: &[Token<'_>], i: usize) -> bool {
    let lower = tokens[i].text.to_ascii_lowercase();
    let rest = lower.trim_start_matches(|c: char| c.is_ascii_digit()).trim_end_matches('.');
    let after_month = i >= 1 && month(&tokens[i - 1]);
    if !rest.is_empty() {
        // Glued: "6pm", "12th".
        return CLOCK.contains(&rest) || (after_month && ["st", "nd", "rd", "th"].contains(&rest));
    }
    let next = tokens.get(i + 1);
    let next_is_clock = next.is_some_and(clock);
    let next_is_colon = next.is_some_and(|n| n.text == ":");
    let after_colon = i >= 2 && tokens[i - 1].text == ":" && number(&tokens[i - 2]);
    next_is_clock || next_is_colon || after_colon || after_month
}

/// True when the sentence is a notice of when and where something happens.
pub(crate) fn is_notice(sentence: &Sentence, tokens: &[Token<'_>]) -> bool {
    if !sentence.hedges.is_empty() || !sentence.attributions.is_empty() {
        return false;
    }
    if tokens.iter().filter(|t| t.word).count() > MAX_WORDS {
        return false;
    }
    // A conjunction: the most selective test (a time) first, the lexicon last.
    let has_time = tokens.iter().enumerate().any(|(i, t)| {
        clock(t) || t.is_any(WEEKDAYS) || t.is("tonight") || t.is("tomorrow") || (number(t) && timely(tokens, i))
    });
    has_time
        && !tokens.iter().enumerate().any(|(i, t)| number(t) && !timely(tokens, i))
        && !tokens.iter().any(|t| t.is_any(WEIGHED))
        && !notice_lexicon().find_all(tokens).is_empty()
}

/// The check-worthiness of `sentence`, `score` capped at [`CAP`] when it is a notice.
pub(crate) fn damp(sentence: &Sentence, tokens: &[Token<'_>], score: f32) -> f32 {
    if is_notice(sentence, tokens) { score.min(CAP) } else { score }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use crate::token::tokens;

    fn notice(text: &str) -> bool {
        let doc = crate::annotate(text);
        let s = &doc.sentences[0];
        is_notice(s, &tokens(text, s.span))
    }

    #[test]
    fn the_lexicon_parses_and_every_example_is_a_notice() {
        let lex = notice_lexicon();
        assert!(lex.problems.is_empty(), "{:?}", lex.problems);
        for e in &lex.entries {
            assert!(notice(e.example), "{:?} ({})", e.example, e.phrase);
        }
    }

    #[test]
    fn schedule_notices_are_found() {
        for text in [
            "The council meets at 6 p.m. in City Hall.",
            "The hearing will be held Tuesday at 10 a.m. at the county courthouse.",
            "The library opens at noon on Saturdays.",
            "The school board meets on Sept. 12 at 6:30 p.m.",
        ] {
            assert!(notice(text), "{text}");
        }
    }

    #[test]
    fn a_claim_with_a_time_is_not_a_notice() {
        for text in [
            // An amount, a number that is not a time, a comparison.
            "The council meets at 6 p.m. after cutting the budget by 12 percent.",
            "The factory opens on Monday, creating 300 jobs.",
            "The clinic opens on Monday with more beds than the old hospital had.",
            // A source, a hedge.
            "The council meets at 6 p.m., the mayor said.",
            "The council may meet on Tuesday.",
            // No time, no event.
            "The council meets in City Hall.",
            "Unemployment fell on Tuesday to its lowest level since the war.",
        ] {
            assert!(!notice(text), "{text}");
        }
    }

    #[test]
    fn a_notice_is_not_checked_first() {
        let doc = crate::annotate("The council meets at 6 p.m. in City Hall.");
        assert!(doc.sentences[0].checkworthy <= CAP);
        let s = &doc.sentences[0];
        let t = tokens("The council meets at 6 p.m. in City Hall.", s.span);
        assert_eq!(damp(s, &t, 0.9), CAP);
        let other = Sentence::new(Span::new(0, 5), 0);
        assert_eq!(damp(&other, &tokens("Taxes rose 3 percent.", Span::new(0, 21)), 0.9), 0.9);
    }
}
