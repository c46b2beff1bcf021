//! Claim labels: does a sentence assert something, and on whose authority?

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

/// The claim label of a sentence whose hedges and attributions are known.
pub(crate) fn label(_text: &str, s: &crate::Sentence) -> Claim {
    if s.attributions.is_empty() { Claim::Unattributed } else { Claim::Attributed }
}
