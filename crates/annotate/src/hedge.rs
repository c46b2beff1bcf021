//! Hedge cues: the words by which a text says how sure it is.

use crate::document::Rule;
use crate::span::Span;

/// A hedge cue found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Hedge {
    /// The cue, e.g. "would likely" or "as soon as" (one span for a multi-word cue).
    pub span: Span,
    /// What kind of uncertainty it expresses.
    pub category: HedgeCategory,
    /// The lexicon entry or rule that found it.
    pub rule: Rule,
}

/// Kinds of uncertainty, following the Szeged Uncertainty Corpus used to measure Lectern on news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HedgeCategory {
    /// Possibility or probability: could, may, might, would, likely, possibly, perhaps.
    Epistemic,
    /// A belief or expectation rather than knowledge: believe, think, expect, "is expected to", seems.
    Doxastic,
    /// Truth depends on a condition: if, unless, "Should Kim agree …".
    Conditional,
    /// Something is under investigation or in question: whether, examine.
    Investigation,
    /// Imprecision or limits of knowledge: "as soon as", "at least as far as … knows", "in part", about.
    Approximator,
}

impl HedgeCategory {
    /// Every category, in legend order.
    pub const ALL: [HedgeCategory; 5] = [
        HedgeCategory::Epistemic,
        HedgeCategory::Doxastic,
        HedgeCategory::Conditional,
        HedgeCategory::Investigation,
        HedgeCategory::Approximator,
    ];

    /// Machine name, as used in JSON, CSS and lexicon files.
    pub fn as_str(self) -> &'static str {
        match self {
            HedgeCategory::Epistemic => "epistemic",
            HedgeCategory::Doxastic => "doxastic",
            HedgeCategory::Conditional => "conditional",
            HedgeCategory::Investigation => "investigation",
            HedgeCategory::Approximator => "approximator",
        }
    }

    /// Parse a machine name.
    pub fn parse(name: &str) -> Option<HedgeCategory> {
        HedgeCategory::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// What the category means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            HedgeCategory::Epistemic => "possibility or probability",
            HedgeCategory::Doxastic => "belief or expectation, not knowledge",
            HedgeCategory::Conditional => "true only under a condition",
            HedgeCategory::Investigation => "open question under investigation",
            HedgeCategory::Approximator => "imprecise or limited claim",
        }
    }
}

/// Hedge cues inside `sentence`, in order.
pub(crate) fn find(_text: &str, _sentence: Span) -> Vec<Hedge> {
    Vec::new()
}
