//! Hedge cues: the words by which a text says how sure it is.
//!
//! A phrase lexicon (`lexicons/hedges.tsv`) proposes cues; a row may name a context rule ([`context`]) that keeps
//! or drops its match by the words around it ("May 5" is a date, "fear of heights" a noun), and rules beyond single
//! rows ([`join`]) join a modal to its adverb, a form of "be" to its participle, and find patterns no row can hold
//! ("Should Kim agree, …", "as far as anyone knows").

mod context;
mod join;
#[cfg(test)]
pub(crate) mod tests;

use crate::document::Rule;
use crate::lexicon::lexicon;
use crate::span::Span;
use crate::token::Token;
use context::Context;
use join::{as_far_as_knows, inverted_condition, join_be_forms, join_modal_adverbs};

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

/// A lexicon category: a hedge category, or `Not` for a phrase that must not be read as a hedge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// A hedge of this category, kept or dropped by the row's context rule when it names one.
    Hedge(HedgeCategory, Option<Context>),
    Not,
}

/// A row's category field: `not`, a category (`epistemic`), or a category and the context rule that judges its
/// matches (`epistemic:not-month`).
fn parse_cue(name: &str) -> Option<Cue> {
    if name == "not" {
        return Some(Cue::Not);
    }
    match name.split_once(':') {
        Some((category, rule)) => Some(Cue::Hedge(HedgeCategory::parse(category)?, Some(Context::parse(rule)?))),
        None => HedgeCategory::parse(name).map(|c| Cue::Hedge(c, None)),
    }
}

lexicon!(lexicon, "hedges.tsv", Cue, parse_cue);

/// Hedge cues among a sentence's tokens `toks`, in order, not overlapping.
pub(crate) fn find(toks: &[Token<'_>]) -> Vec<Hedge> {
    let lex = lexicon();
    let mut out: Vec<(usize, usize, Hedge)> = Vec::new();
    let mut i = 0;
    let norm = crate::lexicon::Normalized::new(toks);
    while i < toks.len() {
        if let Some(end) = as_far_as_knows(toks, i) {
            let span = Span::new(toks[i].span.start, toks[end - 1].span.end);
            let rule = Rule::named("as-far-as-knows", "limits a claim to what somebody knows");
            out.push((i, end, Hedge { span, category: HedgeCategory::Approximator, rule }));
            i = end;
            continue;
        }
        if inverted_condition(toks, i) {
            let rule =
                Rule::named("inverted-condition", "\"Should X …\" / \"Were X …\" states a condition, like \"if\"");
            out.push((i, i + 1, Hedge { span: toks[i].span, category: HedgeCategory::Conditional, rule }));
            i += 1;
            continue;
        }
        let Some((end, entry)) = lex.match_at(&norm, i) else {
            i += 1;
            continue;
        };
        if let Cue::Hedge(category, rule) = entry.category
            && rule.is_none_or(|r| context::allows(r, toks, i, end))
        {
            let category = rule.map_or(category, |r| r.category(toks, i, end, category));
            let span = Span::new(toks[i].span.start, toks[end - 1].span.end);
            let rule = Rule { id: lex.rule_id(entry), why: lexicon_why(category, entry.example) };
            out.push((i, end, Hedge { span, category, rule }));
        }
        i = end;
    }
    join_be_forms(toks, &mut out);
    join_modal_adverbs(toks, &mut out);
    out.into_iter().map(|(_, _, h)| h).collect()
}

/// The reader-facing reason for a lexicon match: the category and the entry's own example.
fn lexicon_why(category: HedgeCategory, example: &str) -> String {
    format!("{}, as in: {example}", category.describe())
}
