//! Claim labels: does a sentence assert something, and on whose authority?

use crate::attribution::Attribution;
use crate::document::Sentence;
use crate::token::{Token, tokens};

/// The claim status of one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Claim {
    /// A proposition asserted through a source ("…, officials said").
    Attributed,
    /// A proposition the writer asserts in their own voice.
    Unattributed,
    /// No proposition: a question, an exhortation, a fragment.
    None,
}

impl Claim {
    /// Every label, in legend order.
    pub const ALL: [Claim; 3] = [Claim::Attributed, Claim::Unattributed, Claim::None];

    /// Machine name, as used in JSON and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            Claim::Attributed => "attributed",
            Claim::Unattributed => "unattributed",
            Claim::None => "none",
        }
    }

    /// What the label means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            Claim::Attributed => "claim carried by a source",
            Claim::Unattributed => "claim stated by the writer as fact",
            Claim::None => "no claim (question, exhortation or fragment)",
        }
    }
}

/// Words opening an exhortation (after an optional "We"/"I"): "We urge the DPRK to …".
const EXHORTING_VERBS: &[&str] = &["urge", "call", "ask", "appeal", "implore", "demand", "encourage", "beg", "invite"];

/// Imperatives that open a sentence with no claim: "Let us …", "Please …".
const IMPERATIVES: &[&str] = &["let", "let's", "please", "imagine", "remember", "join", "stop", "don't"];

/// Words in a cue that deny rather than carry: "was not disclosed", "declined to say".
const DENIALS: &[&str] = &["not", "n't", "never", "declined", "refused"];

/// The claim label of a sentence whose hedges and attributions are known.
///
/// A question or an exhortation asserts nothing (even inside a quotation). Otherwise a sentence is attributed
/// when an attribution carries its content; an attribution whose cue is negated ("was not disclosed by …") carries
/// nothing, so the rest of the sentence is the writer's.
pub(crate) fn label(text: &str, s: &Sentence, toks: &[Token<'_>]) -> Claim {
    if is_question(toks) || is_exhortation(toks) {
        return Claim::None;
    }
    let carries = |a: &Attribution| a.cue.is_none_or(|cue| !tokens(text, cue).iter().any(|t| t.is_any(DENIALS)));
    if s.attributions.iter().any(carries) { Claim::Attributed } else { Claim::Unattributed }
}

/// Ends with a question mark (before any closing quote or bracket).
fn is_question(toks: &[Token<'_>]) -> bool {
    toks.iter()
        .rev()
        .find(|t| !matches!(t.text, "”" | "\"" | "’" | "'" | ")" | "]"))
        .is_some_and(|t| t.text == "?")
}

/// Opens (after a quote mark) with "We urge", "I call on", or an imperative.
fn is_exhortation(toks: &[Token<'_>]) -> bool {
    let words: Vec<&Token<'_>> = toks.iter().filter(|t| t.word).take(3).collect();
    match words.as_slice() {
        [first, verb, ..] if first.is_any(&["we", "i"]) => verb.is_any(EXHORTING_VERBS),
        [first, ..] => first.is_any(IMPERATIVES),
        [] => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate;

    fn claim(text: &str) -> Claim {
        annotate(text).sentences[0].claim
    }

    #[test]
    fn writer_states_it() {
        assert_eq!(claim("The river rose two metres overnight."), Claim::Unattributed);
    }

    #[test]
    fn a_source_carries_it() {
        assert_eq!(claim("The river rose two metres, officials said."), Claim::Attributed);
        assert_eq!(claim("According to the council, the river rose two metres."), Claim::Attributed);
    }

    #[test]
    fn questions_and_exhortations_assert_nothing() {
        assert_eq!(claim("Will the river rise again?"), Claim::None);
        assert_eq!(claim("“We urge residents to leave their homes now.”"), Claim::None);
        assert_eq!(claim("Please stay indoors until the storm passes."), Claim::None);
    }

    #[test]
    fn a_denied_disclosure_carries_no_claim() {
        assert_eq!(
            claim("The cost was not disclosed by the mayor, Jane Doe, but the bridge will reopen soon."),
            Claim::Unattributed
        );
    }
}
