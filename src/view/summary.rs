//! Numbers at a glance, computed here and drawn by the templates as inline SVG (no chart library): how the
//! document's claims are asserted ([`Certainty`]), how much of its sourcing is anonymous ([`Sourcing`]), and a
//! small bar chart per paragraph ([`Spark`]) for the margin.
//!
//! Every shape has a channel besides colour (solid, hatched, outlined), and every chart comes with the same
//! numbers as text.

use annotate::{Claim, Sentence, SourceKind};

/// How a claim is put: by the writer or through a source, hedged or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Certainty {
    /// The writer states it as fact, without a hedge.
    Asserted,
    /// The writer states it with a hedge ("would likely", "is expected to").
    WriterHedged,
    /// A source carries it, without a hedge.
    Attributed,
    /// A source carries it, and it is hedged.
    AttributedHedged,
}

impl Certainty {
    /// Every kind, in the order of the summary bar.
    pub const ALL: [Certainty; 4] =
        [Certainty::Asserted, Certainty::WriterHedged, Certainty::Attributed, Certainty::AttributedHedged];

    /// How a sentence with this claim label is put; `None` for a sentence without a claim.
    pub fn of(claim: Claim, hedged: bool) -> Option<Certainty> {
        match (claim, hedged) {
            (Claim::Unattributed, false) => Some(Certainty::Asserted),
            (Claim::Unattributed, true) => Some(Certainty::WriterHedged),
            (Claim::Attributed, false) => Some(Certainty::Attributed),
            (Claim::Attributed, true) => Some(Certainty::AttributedHedged),
            (Claim::None, _) => None,
        }
    }

    /// How a sentence is put.
    pub fn of_sentence(s: &Sentence) -> Option<Certainty> {
        Certainty::of(s.claim, !s.hedges.is_empty())
    }

    /// The CSS class of its shapes.
    pub fn class(self) -> &'static str {
        match self {
            Certainty::Asserted => "cert-asserted",
            Certainty::WriterHedged => "cert-hedged",
            Certainty::Attributed => "cert-attributed",
            Certainty::AttributedHedged => "cert-attributed-hedged",
        }
    }

    /// A reader's name for it.
    pub fn label(self) -> &'static str {
        match self {
            Certainty::Asserted => "stated as fact by the writer",
            Certainty::WriterHedged => "hedged by the writer",
            Certainty::Attributed => "attributed to a source",
            Certainty::AttributedHedged => "attributed and hedged",
        }
    }

    /// How its shapes look, for the key.
    pub fn looks(self) -> &'static str {
        match self {
            Certainty::Asserted => "solid",
            Certainty::WriterHedged => "hatched",
            Certainty::Attributed => "outlined",
            Certainty::AttributedHedged => "outlined and hatched",
        }
    }

    /// True when the claim is hedged.
    pub fn hedged(self) -> bool {
        matches!(self, Certainty::WriterHedged | Certainty::AttributedHedged)
    }
}

/// What an attributed claim rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reliance {
    /// Only unnamed sources ("officials", "a lawmaker").
    UnnamedOnly,
    /// Unnamed sources beside named ones or a news outlet.
    PartlyUnnamed,
    /// Named people or bodies, or news outlets, and no unnamed source.
    Identified,
    /// Labelled attributed, but no attribution was found in the sentence.
    Unresolved,
}

impl Reliance {
    /// Every kind, in the order of the gauge.
    pub const ALL: [Reliance; 4] =
        [Reliance::UnnamedOnly, Reliance::PartlyUnnamed, Reliance::Identified, Reliance::Unresolved];

    /// What an attributed sentence rests on.
    pub fn of(s: &Sentence) -> Reliance {
        let unnamed = s.attributions.iter().filter(|a| a.kind == SourceKind::Unnamed).count();
        match (unnamed, s.attributions.len()) {
            (_, 0) => Reliance::Unresolved,
            (u, n) if u == n => Reliance::UnnamedOnly,
            (0, _) => Reliance::Identified,
            _ => Reliance::PartlyUnnamed,
        }
    }

    /// The CSS class of its part of the gauge.
    pub fn class(self) -> &'static str {
        match self {
            Reliance::UnnamedOnly => "rel-unnamed",
            Reliance::PartlyUnnamed => "rel-partly",
            Reliance::Identified => "rel-identified",
            Reliance::Unresolved => "rel-unresolved",
        }
    }

    /// A reader's name for it.
    pub fn label(self) -> &'static str {
        match self {
            Reliance::UnnamedOnly => "only unnamed sources",
            Reliance::PartlyUnnamed => "unnamed beside named sources",
            Reliance::Identified => "named sources or outlets only",
            Reliance::Unresolved => "source not found",
        }
    }

    /// How its part of the gauge looks, for the key.
    pub fn looks(self) -> &'static str {
        match self {
            Reliance::UnnamedOnly => "solid",
            Reliance::PartlyUnnamed => "hatched",
            Reliance::Identified => "outlined",
            Reliance::Unresolved => "dotted outline",
        }
    }
}

/// One part of a stacked bar: what it counts, how many, and where it is drawn on a 0..[`BAR_WIDTH`] axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share<T> {
    /// What this part counts.
    pub what: T,
    /// How many.
    pub count: usize,
    /// Start on the bar's axis.
    pub x: u32,
    /// Width on the bar's axis; the widths of a bar add up to [`BAR_WIDTH`] (or 0 when nothing is counted).
    pub width: u32,
}

/// The length of a stacked bar's axis (its SVG `viewBox` width).
pub const BAR_WIDTH: u32 = 100;

/// `counts` as consecutive parts of a [`BAR_WIDTH`] bar, by largest remainder so the widths add up exactly.
pub fn shares<T: Copy>(counts: &[(T, usize)]) -> Vec<Share<T>> {
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let mut widths: Vec<(u32, usize)> = counts
        .iter()
        .map(|&(_, n)| {
            let exact = n * BAR_WIDTH as usize;
            (
                u32::try_from(exact.checked_div(total).unwrap_or(0)).unwrap_or(BAR_WIDTH),
                exact.checked_rem(total).unwrap_or(0),
            )
        })
        .collect();
    let assigned: u32 = widths.iter().map(|(w, _)| w).sum();
    if total > 0 {
        let mut order: Vec<usize> = (0..widths.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(widths[i].1));
        for &i in order.iter().take(BAR_WIDTH.saturating_sub(assigned) as usize) {
            widths[i].0 += 1;
        }
    }
    let mut x = 0;
    counts
        .iter()
        .zip(widths)
        .map(|(&(what, count), (width, _))| {
            let share = Share { what, count, x, width };
            x += width;
            share
        })
        .collect()
}

/// `part` of `whole` as a whole percentage, rounded; 0 of nothing is 0.
pub fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// The document-level certainty summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertaintySummary {
    /// Sentences that make a claim.
    pub claims: usize,
    /// Claims the writer states as fact, unhedged.
    pub asserted: usize,
    /// Claims carried by a source, hedged or not.
    pub attributed: usize,
    /// Hedged claims, by the writer or a source.
    pub hedged: usize,
    /// The stacked bar, in [`Certainty::ALL`] order.
    pub shares: Vec<Share<Certainty>>,
}

impl CertaintySummary {
    /// Count the claims of `sentences`.
    pub fn of<'s>(sentences: impl IntoIterator<Item = &'s Sentence>) -> CertaintySummary {
        let all: Vec<Certainty> = sentences.into_iter().filter_map(Certainty::of_sentence).collect();
        let count = |c: Certainty| all.iter().filter(|&&x| x == c).count();
        CertaintySummary {
            claims: all.len(),
            asserted: count(Certainty::Asserted),
            attributed: count(Certainty::Attributed) + count(Certainty::AttributedHedged),
            hedged: all.iter().filter(|c| c.hedged()).count(),
            shares: shares(&Certainty::ALL.map(|c| (c, count(c)))),
        }
    }
}

/// The anonymous-sourcing gauge: what the document's attributed claims rest on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourcing {
    /// Sentences whose claim is carried by a source.
    pub attributed: usize,
    /// Of those, how many rest on unnamed sources only.
    pub unnamed_only: usize,
    /// Of those, how many cite unnamed sources beside others.
    pub partly_unnamed: usize,
    /// `unnamed_only` as a percentage of `attributed`.
    pub percent: usize,
    /// The gauge, in [`Reliance::ALL`] order; kinds that do not occur are left out.
    pub shares: Vec<Share<Reliance>>,
}

impl Sourcing {
    /// Weigh the attributed claims of `sentences`.
    pub fn of<'s>(sentences: impl IntoIterator<Item = &'s Sentence>) -> Sourcing {
        let all: Vec<Reliance> = sentences
            .into_iter()
            .filter(|s| s.claim == Claim::Attributed)
            .map(Reliance::of)
            .collect();
        let count = |r: Reliance| all.iter().filter(|&&x| x == r).count();
        let unnamed_only = count(Reliance::UnnamedOnly);
        let present: Vec<(Reliance, usize)> =
            Reliance::ALL.iter().map(|&r| (r, count(r))).filter(|&(_, n)| n > 0).collect();
        Sourcing {
            attributed: all.len(),
            unnamed_only,
            partly_unnamed: count(Reliance::PartlyUnnamed),
            percent: percent(unnamed_only, all.len()),
            shares: shares(&present),
        }
    }
}

/// A paragraph's bar chart for the margin: one bar per sentence, its height the sentence's check-worthiness, its
/// fill how the claim is put; a sentence without a claim is a low stub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spark {
    /// `viewBox` width.
    pub width: u32,
    /// `viewBox` height.
    pub height: u32,
    /// The bars, in sentence order.
    pub bars: Vec<SparkBar>,
    /// What the chart says, in words (its accessible name).
    pub label: String,
}

/// One sentence's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparkBar {
    /// Left edge.
    pub x: u32,
    /// Top edge (SVG's y grows downwards).
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// CSS class: a [`Certainty::class`], or [`NO_CLAIM_CLASS`].
    pub class: &'static str,
    /// What the bar stands for (its SVG `<title>`).
    pub title: String,
}

/// Width of one bar in the margin chart.
pub const SPARK_BAR: u32 = 8;
/// Space between two bars.
pub const SPARK_GAP: u32 = 3;
/// Height of the chart: a bar of check-worthiness 1.
pub const SPARK_HEIGHT: u32 = 32;
/// Lowest bar, so that a sentence of check-worthiness 0 still shows.
const SPARK_MIN: u32 = 3;
/// The class of a bar for a sentence without a claim.
pub const NO_CLAIM_CLASS: &str = "cert-none";

/// The margin chart of a paragraph whose sentences are given as (number shown to readers, sentence).
pub fn spark<'s>(sentences: impl IntoIterator<Item = (usize, &'s Sentence)>) -> Spark {
    let mut bars = Vec::new();
    let mut counts = [0usize; Certainty::ALL.len()];
    let mut no_claim = 0;
    for (k, (number, s)) in sentences.into_iter().enumerate() {
        let k = u32::try_from(k).unwrap_or(u32::MAX / (SPARK_BAR + SPARK_GAP));
        let score = checkworthy(s.checkworthy);
        let certainty = Certainty::of_sentence(s);
        // Without a claim there is nothing to check: a stub, whatever the model says.
        let height = if certainty.is_some() { scaled(score, SPARK_HEIGHT).max(SPARK_MIN) } else { SPARK_MIN };
        let (class, what) = match certainty {
            Some(c) => {
                if let Some(i) = Certainty::ALL.iter().position(|&x| x == c) {
                    counts[i] += 1;
                }
                (c.class(), format!("claim {}", c.label()))
            }
            None => {
                no_claim += 1;
                (NO_CLAIM_CLASS, "no claim".to_string())
            }
        };
        bars.push(SparkBar {
            x: k * (SPARK_BAR + SPARK_GAP),
            y: SPARK_HEIGHT - height,
            width: SPARK_BAR,
            height,
            class,
            title: format!("Sentence {number}: {what}; check-worthiness {}", two_decimals(score)),
        });
    }
    let n = u32::try_from(bars.len()).unwrap_or(u32::MAX / (SPARK_BAR + SPARK_GAP));
    let mut parts: Vec<String> = Certainty::ALL
        .iter()
        .zip(counts)
        .filter(|&(_, n)| n > 0)
        .map(|(c, n)| format!("{n} {}", c.label()))
        .collect();
    if no_claim > 0 {
        parts.push(format!("{no_claim} without a claim"));
    }
    let sentences = if n == 1 { "sentence" } else { "sentences" };
    Spark {
        width: (n * (SPARK_BAR + SPARK_GAP)).saturating_sub(SPARK_GAP).max(SPARK_BAR),
        height: SPARK_HEIGHT,
        label: format!("{n} {sentences}: {}. Bar height is check-worthiness.", parts.join(", ")),
        bars,
    }
}

/// A check-worthiness score clamped to [0, 1]; anything not a number counts as 0.
pub fn checkworthy(score: f32) -> f32 {
    if score.is_nan() { 0.0 } else { score.clamp(0.0, 1.0) }
}

/// `score` (in [0, 1]) of `full`, rounded.
pub fn scaled(score: f32, full: u32) -> u32 {
    // `score` is clamped to [0, 1] and `full` is small, so the product fits and is not negative.
    (checkworthy(score) * full as f32).round() as u32
}

/// A score as a reader sees it: two decimals.
pub fn two_decimals(score: f32) -> String {
    format!("{:.2}", checkworthy(score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use annotate::{Attribution, Hedge, HedgeCategory, Rule, Span};

    fn sentence(claim: Claim, hedged: bool, kinds: &[SourceKind], checkworthy: f32) -> Sentence {
        let mut s = annotate::annotate("x").sentences.into_iter().next().expect("a sentence");
        let rule = Rule { id: "rule/t".into(), why: "t".into() };
        s.claim = claim;
        s.checkworthy = checkworthy;
        s.hedges = if hedged {
            vec![Hedge { span: Span::new(0, 1), category: HedgeCategory::Epistemic, rule: rule.clone() }]
        } else {
            Vec::new()
        };
        s.attributions = kinds
            .iter()
            .map(|&kind| Attribution {
                cue: None,
                source: None,
                speaker: None,
                kind,
                direct_quote: false,
                content: None,
                rule: rule.clone(),
            })
            .collect();
        s
    }

    #[test]
    fn certainty_partitions_claims() {
        assert_eq!(Certainty::of(Claim::Unattributed, false), Some(Certainty::Asserted));
        assert_eq!(Certainty::of(Claim::Unattributed, true), Some(Certainty::WriterHedged));
        assert_eq!(Certainty::of(Claim::Attributed, false), Some(Certainty::Attributed));
        assert_eq!(Certainty::of(Claim::Attributed, true), Some(Certainty::AttributedHedged));
        assert_eq!(Certainty::of(Claim::None, true), None);
        let mut classes: Vec<&str> = Certainty::ALL.iter().map(|c| c.class()).collect();
        classes.dedup();
        assert_eq!(classes.len(), Certainty::ALL.len());
    }

    #[test]
    fn shares_add_up_to_the_bar_by_largest_remainder() {
        let got = shares(&[('a', 1), ('b', 1), ('c', 1)]);
        assert_eq!(got.iter().map(|s| s.width).sum::<u32>(), BAR_WIDTH);
        assert_eq!(got.iter().map(|s| s.width).collect::<Vec<_>>(), [34, 33, 33]);
        assert_eq!(got.iter().map(|s| s.x).collect::<Vec<_>>(), [0, 34, 67]);
        let got = shares(&[('a', 0), ('b', 3), ('c', 7)]);
        assert_eq!(got.iter().map(|s| (s.x, s.width)).collect::<Vec<_>>(), [(0, 0), (0, 30), (30, 70)]);
        let empty = shares(&[('a', 0), ('b', 0)]);
        assert!(empty.iter().all(|s| s.width == 0 && s.x == 0));
        assert!(shares::<char>(&[]).is_empty());
    }

    #[test]
    fn percent_rounds_and_survives_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn summary_counts_fact_attributed_and_hedged() {
        let s = [
            sentence(Claim::Unattributed, false, &[], 0.9),
            sentence(Claim::Unattributed, true, &[], 0.2),
            sentence(Claim::Attributed, true, &[SourceKind::Named], 0.5),
            sentence(Claim::Attributed, false, &[SourceKind::Unnamed], 0.5),
            sentence(Claim::None, true, &[], 0.1),
        ];
        let sum = CertaintySummary::of(&s);
        assert_eq!((sum.claims, sum.asserted, sum.attributed, sum.hedged), (4, 1, 2, 2));
        assert_eq!(sum.shares.iter().map(|s| s.count).collect::<Vec<_>>(), [1, 1, 1, 1]);
        assert_eq!(sum.shares.iter().map(|s| s.width).sum::<u32>(), BAR_WIDTH);
    }

    #[test]
    fn sourcing_weighs_attributed_claims_only() {
        let s = [
            sentence(Claim::Attributed, false, &[SourceKind::Unnamed], 0.5),
            sentence(Claim::Attributed, false, &[SourceKind::Unnamed, SourceKind::Unnamed], 0.5),
            sentence(Claim::Attributed, false, &[SourceKind::Media, SourceKind::Unnamed], 0.5),
            sentence(Claim::Attributed, false, &[SourceKind::Named], 0.5),
            sentence(Claim::Unattributed, false, &[SourceKind::Unnamed], 0.5),
            sentence(Claim::Attributed, false, &[], 0.5),
        ];
        let g = Sourcing::of(&s);
        assert_eq!((g.attributed, g.unnamed_only, g.partly_unnamed, g.percent), (5, 2, 1, 40));
        let parts: Vec<(Reliance, usize)> = g.shares.iter().map(|s| (s.what, s.count)).collect();
        assert_eq!(
            parts,
            [
                (Reliance::UnnamedOnly, 2),
                (Reliance::PartlyUnnamed, 1),
                (Reliance::Identified, 1),
                (Reliance::Unresolved, 1)
            ]
        );
        let none = Sourcing::of(&s[4..5]);
        assert_eq!((none.attributed, none.percent), (0, 0));
        assert!(none.shares.is_empty(), "nothing to draw without attributed claims");
    }

    #[test]
    fn spark_bars_scale_with_check_worthiness_and_say_what_they_are() {
        let s = [
            sentence(Claim::Unattributed, false, &[], 1.0),
            sentence(Claim::Attributed, true, &[SourceKind::Named], 0.5),
            sentence(Claim::None, false, &[], 0.9),
            sentence(Claim::Unattributed, true, &[], f32::NAN),
        ];
        let spark = spark(s.iter().enumerate().map(|(i, s)| (i + 4, s)));
        assert_eq!(spark.width, 4 * SPARK_BAR + 3 * SPARK_GAP);
        let geometry: Vec<(u32, u32, u32)> = spark.bars.iter().map(|b| (b.x, b.y, b.height)).collect();
        assert_eq!(geometry, [(0, 0, 32), (11, 16, 16), (22, 29, 3), (33, 29, 3)], "no claim or no score: a stub");
        let classes: Vec<&str> = spark.bars.iter().map(|b| b.class).collect();
        assert_eq!(classes, ["cert-asserted", "cert-attributed-hedged", NO_CLAIM_CLASS, "cert-hedged"]);
        assert_eq!(spark.bars[0].title, "Sentence 4: claim stated as fact by the writer; check-worthiness 1.00");
        assert_eq!(
            spark.label,
            "4 sentences: 1 stated as fact by the writer, 1 hedged by the writer, 1 attributed and hedged, 1 without \
             a claim. Bar height is check-worthiness."
        );
    }
}
