//! The annotator's output: a document as sentences carrying their hedges, attributions and claim label.

use crate::attribution::{Attribution, SourceKind};
use crate::claim::Claim;
use crate::hedge::Hedge;
use crate::span::Span;

/// Everything the annotator found in one text. All spans are byte offsets into that text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotated {
    /// Sentences in text order; they do not overlap, and what lies between two of them is whitespace only.
    pub sentences: Vec<Sentence>,
    /// Paragraphs (the text split at newlines, trimmed), in order; each sentence lies inside one of them.
    pub paragraphs: Vec<Span>,
    /// Every distinct speaker, in order of first appearance, with the sentences they carry.
    pub sources: Vec<Source>,
}

/// One sentence and what was found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// The sentence, trimmed of surrounding whitespace; never empty.
    pub span: Span,
    /// Index into [`Annotated::paragraphs`].
    pub paragraph: usize,
    /// Whether the sentence asserts something, and through whom.
    pub claim: Claim,
    /// How much the sentence reads like a factual claim worth checking, in `[0, 1]` (see [`crate::checkworthy`]).
    pub checkworthy: f32,
    /// Hedge cues, in text order, not overlapping one another.
    pub hedges: Vec<Hedge>,
    /// Attributions whose cue (or, for a continued quotation, whose content) lies in this sentence.
    pub attributions: Vec<Attribution>,
}

impl Sentence {
    /// A sentence over `span` in paragraph `paragraph` with nothing found in it yet: no hedges, no attributions,
    /// claim `None`, check-worthiness 0.
    pub fn new(span: Span, paragraph: usize) -> Sentence {
        Sentence { span, paragraph, claim: Claim::None, checkworthy: 0.0, hedges: Vec::new(), attributions: Vec::new() }
    }
}

/// A speaker and the sentences whose claims they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The speaker as named in the text, e.g. "Adrienne Watson", "top US officials", "the New York Times".
    pub speaker: String,
    /// Named person or body, unnamed, or media.
    pub kind: SourceKind,
    /// Indices into [`Annotated::sentences`], ascending, without repeats.
    pub sentences: Vec<usize>,
}

/// Which lexicon entry or rule produced a span, so a reader can be told why it is highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier: `lexicon/<file>:<entry>` for a lexicon entry, `rule/<name>` for a rule; the learned
    /// tagger's mark and confidence follow for what it made or confirmed (see [`MadeBy`]).
    pub id: String,
    /// One sentence a reader can understand, e.g. "modal verb of possibility".
    pub why: String,
}

impl Rule {
    /// A rule that is not a lexicon entry.
    pub fn named(name: &str, why: &str) -> Rule {
        Rule { id: format!("rule/{name}"), why: why.to_string() }
    }

    /// A span the learned tagger found and no rule did, with the model's confidence in `[0, 1]`: id
    /// `model/tagger@0.93`.
    pub fn model(confidence: f32, why: &str) -> Rule {
        let c = clamp_confidence(confidence);
        Rule {
            id: format!("{MODEL_ID}{CONFIDENCE_MARK}{c:.2}"),
            why: format!("{why} (the tagger is {:.0}% sure)", c * 100.0),
        }
    }

    /// This rule's finding, confirmed by the learned tagger with `confidence`: id `<rule id>+model@0.93`.
    pub fn confirmed(&self, confidence: f32) -> Rule {
        let c = clamp_confidence(confidence);
        Rule {
            id: format!("{}{BOTH_MARK}{CONFIDENCE_MARK}{c:.2}", self.base_id()),
            why: format!("{}; the tagger agrees ({:.0}% sure)", self.why, c * 100.0),
        }
    }

    /// Who made the span: the rules, the learned tagger, or both. Read from the id (see [`MadeBy`]), so it survives
    /// anything that keeps the rule, such as the store.
    pub fn made_by(&self) -> MadeBy {
        if self.id.starts_with(MODEL_ID) {
            MadeBy::Model
        } else if self.id.contains(BOTH_MARK) {
            MadeBy::Both
        } else {
            MadeBy::Rules
        }
    }

    /// The tagger's confidence in the span, when the tagger made or confirmed it.
    pub fn confidence(&self) -> Option<f32> {
        if self.made_by() == MadeBy::Rules {
            return None;
        }
        let (_, c) = self.id.rsplit_once(CONFIDENCE_MARK)?;
        c.parse().ok()
    }

    /// The id of the rule or lexicon entry alone, without the tagger's mark.
    pub fn base_id(&self) -> &str {
        match self.made_by() {
            MadeBy::Both => self.id.split_once(BOTH_MARK).map_or(self.id.as_str(), |(base, _)| base),
            MadeBy::Model => MODEL_ID,
            MadeBy::Rules => &self.id,
        }
    }
}

/// The id of what the learned tagger alone found.
const MODEL_ID: &str = "model/tagger";
/// Joins a rule's id and the tagger's agreement.
const BOTH_MARK: &str = "+model";
/// Precedes the tagger's confidence, written with two decimals.
const CONFIDENCE_MARK: char = '@';

fn clamp_confidence(c: f32) -> f32 {
    if c.is_nan() { 0.0 } else { c.clamp(0.0, 1.0) }
}

/// Who made a span. Rule ids say it: `lexicon/…` and `rule/…` are the rules', `model/tagger@0.93` the tagger's
/// alone, `<rule id>+model@0.93` a rule's finding that the tagger confirmed, with the tagger's confidence after `@`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MadeBy {
    /// A lexicon entry or a rule, without the tagger.
    Rules,
    /// The learned tagger, where no rule found it.
    Model,
    /// A rule, and the tagger agrees.
    Both,
}

impl MadeBy {
    /// Every value, in legend order.
    pub const ALL: [MadeBy; 3] = [MadeBy::Rules, MadeBy::Model, MadeBy::Both];

    /// Machine name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MadeBy::Rules => "rules",
            MadeBy::Model => "model",
            MadeBy::Both => "both",
        }
    }

    /// What it means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            MadeBy::Rules => "found by a rule",
            MadeBy::Model => "found by the learned tagger",
            MadeBy::Both => "found by a rule and confirmed by the learned tagger",
        }
    }
}

/// The document's speakers in order of first appearance, each with the sentences they carry.
pub fn sources(sentences: &[Sentence]) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, s) in sentences.iter().enumerate() {
        for a in &s.attributions {
            let Some(speaker) = a.speaker.as_deref() else { continue };
            match index.get(speaker) {
                Some(&k) => {
                    if out[k].sentences.last() != Some(&i) {
                        out[k].sentences.push(i);
                    }
                }
                None => {
                    index.insert(speaker, out.len());
                    out.push(Source { speaker: speaker.to_string(), kind: a.kind, sentences: vec![i] });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_round_trips_through_the_id() {
        let rule = Rule::named("inverted", "the source follows the cue");
        assert_eq!((rule.made_by(), rule.confidence(), rule.base_id()), (MadeBy::Rules, None, "rule/inverted"));
        let both = rule.confirmed(0.934);
        assert_eq!(both.id, "rule/inverted+model@0.93");
        assert_eq!((both.made_by(), both.confidence(), both.base_id()), (MadeBy::Both, Some(0.93), "rule/inverted"));
        assert!(both.why.starts_with("the source follows the cue") && both.why.contains("93%"), "{}", both.why);
        let model = Rule::model(1.7, "the tagger found a cue");
        assert_eq!((model.made_by(), model.confidence()), (MadeBy::Model, Some(1.0)));
        assert_eq!(Rule::model(f32::NAN, "x").confidence(), Some(0.0));
        // A lexicon entry with '@' in it stays the rules'.
        let lexicon = Rule { id: "lexicon/cues:per @".into(), why: String::new() };
        assert_eq!((lexicon.made_by(), lexicon.confidence()), (MadeBy::Rules, None));
    }
}
