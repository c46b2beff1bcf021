//! Cues made by rules rather than by one lexicon row: a modal joined to its probability adverb ("would also
//! likely"), a form of "be" joined to a doxastic participle ("is expected"), a clause-initial inverted condition
//! ("Should Kim agree, …") and the limiter "as far as … knows".

use super::{Hedge, HedgeCategory};
use crate::document::Rule;
use crate::span::Span;
use crate::token::Token;

/// Adverbs that may stand inside a multi-word modal cue: "would *also* likely".
pub(super) const INNER_ADVERBS: &[&str] =
    &["also", "still", "most", "very", "quite", "even", "now", "then", "only", "all"];

/// Modals that combine with a following probability adverb into one cue.
pub(super) const MODALS: &[&str] = &["would", "will", "could", "may", "might", "can", "should", "must", "'ll", "wo"];

/// Adverbs of probability that a preceding modal joins: "would likely", "will probably".
pub(super) const PROBABILITY_ADVERBS: &[&str] =
    &["likely", "probably", "possibly", "perhaps", "conceivably", "certainly", "definitely", "surely", "presumably"];

/// Forms of "be" joined to a following doxastic participle: "is expected", "were believed".
pub(super) const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "'s", "’s"];

/// Verbs of knowing that close an "as far as … knows" limiter.
pub(super) const KNOW_VERBS: &[&str] =
    &["know", "knows", "knew", "known", "tell", "aware", "see", "understand", "understands"];

/// True when token `i` begins a clause: the sentence start, or after an opening quote or bracket.
pub(super) fn is_clause_start(toks: &[Token<'_>], i: usize) -> bool {
    toks[..i]
        .iter()
        .all(|t| !t.word && matches!(t.text, "“" | "\"" | "‘" | "'" | "(" | "[" | "—" | "-"))
}

/// "Should Kim agree, …": a clause-initial "Should", "Were" or "Had" before a subject, in a sentence that is not a
/// question and goes on after a comma.
pub(super) fn inverted_condition(toks: &[Token<'_>], i: usize) -> bool {
    let t = &toks[i];
    if !(t.is("should") || t.is("were") || t.is("had")) || !is_clause_start(toks, i) {
        return false;
    }
    let question = toks.last().is_some_and(|l| l.text == "?") || toks.iter().rev().take(3).any(|l| l.text == "?");
    let subject = toks.get(i + 1).is_some_and(|n| n.word && !n.is_any(&["not", "n't"]));
    let comma = toks[i..].iter().any(|x| x.text == ",");
    subject && comma && !question
}

/// "(at least) as far as <a few words> knows": returns one past the last token.
pub(super) fn as_far_as_knows(toks: &[Token<'_>], i: usize) -> Option<usize> {
    let lead = if toks[i].is("at") && toks.get(i + 1).is_some_and(|t| t.is("least")) { 2 } else { 0 };
    let k = i + lead;
    let opens = toks.get(k)?.is("as") && toks.get(k + 1)?.is("far") && toks.get(k + 2)?.is("as");
    if !opens {
        return None;
    }
    (k + 3..(k + 11).min(toks.len()))
        .take_while(|&j| toks[j].word)
        .find(|&j| toks[j].is_any(KNOW_VERBS))
        .map(|j| j + 1)
}

/// "is expected": a doxastic participle takes the form of "be" before it into its span.
pub(super) fn join_be_forms(toks: &[Token<'_>], hedges: &mut [(usize, usize, Hedge)]) {
    for (i, _, h) in hedges.iter_mut() {
        let participle = toks[*i].text.ends_with("ed") || toks[*i].is("thought");
        if h.category != HedgeCategory::Doxastic || !participle || *i == 0 {
            continue;
        }
        let be = &toks[*i - 1];
        if be.is_any(BE_FORMS) {
            *i -= 1;
            h.span.start = be.span.start;
            h.rule =
                Rule::named("be-participle", "belief or expectation in the passive: nobody is named as holding it");
        }
    }
}

/// "would also likely": a modal, up to two inner adverbs and a probability adverb become one cue.
pub(super) fn join_modal_adverbs(toks: &[Token<'_>], hedges: &mut Vec<(usize, usize, Hedge)>) {
    let mut k = 0;
    while k < hedges.len() {
        let (start, end) = (hedges[k].0, hedges[k].1);
        // The modal need not itself be a hedge ("will"), so look back from each probability adverb.
        if end - start == 1 && toks[start].is_any(PROBABILITY_ADVERBS) {
            let mut j = start;
            let mut inner = 0;
            while j > 0 && toks[j - 1].is_any(INNER_ADVERBS) && inner < 2 {
                j -= 1;
                inner += 1;
            }
            if j > 0 && toks[j - 1].is_any(MODALS) {
                let m = j - 1;
                let span = Span::new(toks[m].span.start, hedges[k].2.span.end);
                let rule = Rule::named("modal-adverb", "a modal strengthened or weakened by an adverb of probability");
                // Drop a separate hedge on the modal itself.
                if k > 0 && hedges[k - 1].0 >= m {
                    hedges.remove(k - 1);
                    k -= 1;
                }
                hedges[k] = (m, end, Hedge { span, category: HedgeCategory::Epistemic, rule });
            }
        }
        k += 1;
    }
}
