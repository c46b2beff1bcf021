//! Claim cards: each sentence that makes a claim, with who asserts it, how it is hedged and how check-worthy it
//! reads; and the fact-checker's short list, the writer's own claims ranked by check-worthiness.

use annotate::{Annotated, Claim, HedgeCategory, SourceKind};

use super::summary::{self, Certainty};
use super::{Layer, classes};

/// How many claims the check-first list holds at most.
pub const CHECK_FIRST: usize = 5;

/// The check-worthiness from which a claim is called check-worthy (the threshold the model was trained for).
pub const CHECK_WORTHY: f32 = 0.5;

/// One claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCard<'a> {
    /// The sentence's element id.
    pub sid: String,
    /// The sentence's number for readers (from 1).
    pub number: usize,
    /// The sentence.
    pub text: &'a str,
    /// Attributed or unattributed.
    pub claim: Claim,
    /// How it is put.
    pub certainty: Certainty,
    /// Who asserts it, each once, in order: for an attributed claim, its sources; for the writer's own claim, the
    /// sources it cites for part of what it says (often none).
    pub voices: Vec<Voice<'a>>,
    /// Its hedge cues.
    pub hedges: Vec<HedgeRef<'a>>,
    /// Check-worthiness in [0, 1].
    pub checkworthy: f32,
    /// Check-worthiness with two decimals.
    pub score: String,
    /// Check-worthiness on a 0..100 axis, for the meter.
    pub meter: u32,
    /// True from [`CHECK_WORTHY`] up.
    pub worthy: bool,
}

/// A speaker as a card names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice<'a> {
    /// Resolved speaker.
    pub speaker: &'a str,
    /// Named, unnamed or media.
    pub kind: SourceKind,
    /// CSS classes of a source sample of this kind.
    pub class: String,
}

/// A hedge as a card names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HedgeRef<'a> {
    /// The cue.
    pub text: &'a str,
    /// Its category.
    pub category: HedgeCategory,
    /// CSS classes of a hedge sample of this category.
    pub class: String,
}

/// A card for every sentence of `annotated` that makes a claim and is shown (`ids[i]` is its element id).
pub fn cards<'a>(text: &'a str, annotated: &'a Annotated, ids: &[Option<String>]) -> Vec<ClaimCard<'a>> {
    annotated
        .sentences
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let sid = ids.get(i)?.clone()?;
            let certainty = Certainty::of_sentence(s)?;
            let mut voices: Vec<Voice<'a>> = Vec::new();
            for a in &s.attributions {
                if let Some(speaker) = a.speaker.as_deref()
                    && !voices.iter().any(|v| v.speaker == speaker)
                {
                    voices.push(Voice { speaker, kind: a.kind, class: classes(Layer::Source, Some(a.kind.as_str())) });
                }
            }
            let checkworthy = summary::checkworthy(s.checkworthy);
            Some(ClaimCard {
                sid,
                number: i + 1,
                text: text.get(s.span.start..s.span.end)?,
                claim: s.claim,
                certainty,
                voices,
                hedges: s
                    .hedges
                    .iter()
                    .filter_map(|h| {
                        Some(HedgeRef {
                            text: text.get(h.span.start..h.span.end)?,
                            category: h.category,
                            class: classes(Layer::Hedge, Some(h.category.as_str())),
                        })
                    })
                    .collect(),
                checkworthy,
                score: summary::two_decimals(checkworthy),
                meter: summary::scaled(checkworthy, summary::BAR_WIDTH),
                worthy: checkworthy >= CHECK_WORTHY,
            })
        })
        .collect()
}

/// The writer's own claims (unattributed), most check-worthy first, at most [`CHECK_FIRST`]; ties keep text order.
pub fn check_first<'a>(cards: &[ClaimCard<'a>]) -> Vec<ClaimCard<'a>> {
    let mut own: Vec<&ClaimCard<'a>> = cards.iter().filter(|c| c.claim == Claim::Unattributed).collect();
    own.sort_by(|a, b| b.checkworthy.total_cmp(&a.checkworthy).then(a.number.cmp(&b.number)));
    own.into_iter().take(CHECK_FIRST).cloned().collect()
}
