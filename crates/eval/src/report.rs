//! The result of a run: rows of scores beside their reference points and bars, what ran, and how fast.
//!
//! [`Report`] serialises to JSON (`--json`) field by field as documented here, and prints as a compact table for
//! people through `Display`. Error listings ([`ErrorListing`]) quote corpus text, so they are printed to the
//! terminal only and never serialised.

use std::fmt;

use serde::Serialize;

use crate::Layer;
use crate::bars::Bar;
use crate::metrics::Counts;

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The data directory that was read.
    pub data_dir: String,
    /// Which part of the corpora ran: "full", or the per-corpus limits of a subset run.
    pub subset: String,
    /// One row per measured number, in table order.
    pub rows: Vec<Row>,
    /// Each corpus file or directory, whether it ran (and how much of it, how long) or was skipped (and why).
    pub corpora: Vec<CorpusRun>,
    /// Ids of the Golden Rules that failed, ascending (empty when all passed or the rules were skipped).
    pub golden_rules_failed: Vec<u32>,
    /// Speed of the fast pipeline (`annotate()`, the rules) over every text this run annotated.
    pub throughput: Throughput,
    /// Speed of the accurate pipeline over the texts it annotated (PolNeAR), when it ran.
    pub accurate_throughput: Option<Throughput>,
    /// Each pipeline's time on the demo article.
    pub speeds: Vec<crate::speed::Speed>,
    /// What makes a comparison unfair or a number hard to read; one sentence each.
    pub notes: Vec<String>,
    /// Wall-clock seconds of the whole run.
    pub seconds: f64,
    /// False positives and negatives of one layer, when asked for. Never serialised: it quotes corpus text.
    #[serde(skip)]
    pub errors: Option<ErrorListing>,
}

/// One measured number.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The annotation layer.
    pub layer: Layer,
    /// The corpus, e.g. "FactBank dev".
    pub corpus: &'static str,
    /// What is measured, e.g. "uncertain sentences" or "cue (overlap)".
    pub metric: String,
    /// The score.
    pub score: Score,
    /// The published reference point for this number, if there is one.
    pub reference: Option<&'static str>,
    /// The bar Lectern must reach, if there is one.
    pub bar: Option<Bar>,
    /// Whether the score reaches the bar (`None` without a bar or without a score).
    pub pass: Option<bool>,
    /// The same measure for the accurate pipeline (rules and the learned tagger), when it ran on this layer.
    pub accurate: Option<Score>,
    /// Whether the accurate score reaches the bar.
    pub accurate_pass: Option<bool>,
}

impl Row {
    /// A row; `pass` is worked out from the score and the bar.
    pub fn new(
        layer: Layer,
        corpus: &'static str,
        metric: impl Into<String>,
        score: Score,
        reference: Option<&'static str>,
        bar: Option<Bar>,
    ) -> Row {
        let pass = bar.and_then(|b| score.headline().map(|v| v >= b.min));
        Row { layer, corpus, metric: metric.into(), score, reference, bar, pass, accurate: None, accurate_pass: None }
    }

    /// Record the accurate pipeline's score of this measure.
    pub fn set_accurate(&mut self, score: Score) {
        self.accurate_pass = self.bar.and_then(|b| score.headline().map(|v| v >= b.min));
        self.accurate = Some(score);
    }
}

/// A score, by kind. Fractions are in [0, 1]; `null` means undefined (a zero denominator).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Score {
    /// Precision, recall and F1 with the counts they come from.
    Prf {
        /// `tp / (tp + fp)`.
        precision: Option<f64>,
        /// `tp / (tp + fn)`.
        recall: Option<f64>,
        /// `2tp / (2tp + fp + fn)`.
        f1: Option<f64>,
        /// The counts.
        counts: Counts,
    },
    /// Cases passed out of a total (Golden Rules).
    Passed {
        /// Cases passed.
        passed: usize,
        /// Cases run.
        total: usize,
    },
    /// A share of gold items found.
    Share {
        /// `found / total`.
        value: Option<f64>,
        /// Gold items found.
        found: usize,
        /// Gold items.
        total: usize,
    },
    /// A plain count of items, not scored.
    Count {
        /// How many.
        count: usize,
    },
    /// Area under the ROC curve.
    Auc {
        /// The area, in [0, 1]; 0.5 is chance.
        value: Option<f64>,
        /// Number of positive items.
        positives: usize,
        /// Number of negative items.
        negatives: usize,
    },
}

impl Score {
    /// Precision, recall and F1 of these counts.
    pub fn prf(counts: Counts) -> Score {
        Score::Prf { precision: counts.precision(), recall: counts.recall(), f1: counts.f1(), counts }
    }

    /// The number compared with a bar: F1, the count passed, the share, or the area.
    pub fn headline(&self) -> Option<f64> {
        match self {
            Score::Prf { f1, .. } => *f1,
            Score::Passed { passed, .. } => Some(*passed as f64),
            Score::Share { value, .. } | Score::Auc { value, .. } => *value,
            Score::Count { .. } => None,
        }
    }
}

/// What happened to one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusRun {
    /// The layer it was used for.
    pub layer: Layer,
    /// Its name in the table.
    pub corpus: &'static str,
    /// Its path relative to the data directory.
    pub path: String,
    /// Ran or skipped.
    pub status: Status,
}

/// Whether a corpus ran.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// It ran on `items` of its `of` items.
    Ran {
        /// Items used (documents, sentences or rules, see `unit`).
        items: usize,
        /// Items available.
        of: usize,
        /// What an item is.
        unit: &'static str,
        /// Seconds spent reading, annotating and scoring it.
        seconds: f64,
    },
    /// It was skipped.
    Skipped {
        /// Why, e.g. "../shared/data/polnear/dev/text not found".
        reason: String,
    },
}

/// Speed of the full annotation pipeline.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Throughput {
    /// UTF-8 bytes passed to `annotate()`.
    pub bytes: u64,
    /// Number of `annotate()` calls.
    pub calls: u64,
    /// Seconds spent inside `annotate()`.
    pub annotate_seconds: f64,
    /// `bytes / annotate_seconds / 10^6`.
    pub mb_per_s: Option<f64>,
}

/// False positives and negatives of one layer, for someone improving the rules.
#[derive(Debug, Clone, Default)]
pub struct ErrorListing {
    /// The layer.
    pub layer: Option<Layer>,
    /// Most examples shown, across sections.
    pub limit: usize,
    /// One section per kind of error and corpus.
    pub sections: Vec<ErrorSection>,
}

/// One kind of error on one corpus.
#[derive(Debug, Clone, Default)]
pub struct ErrorSection {
    /// E.g. "FactBank dev: missed cues (gold, not predicted)".
    pub title: String,
    /// How many errors of this kind there are.
    pub total: usize,
    /// Examples with context, spread evenly over the corpus.
    pub examples: Vec<String>,
    /// The most frequent patterns (e.g. the cue word) with their counts, most frequent first.
    pub patterns: Vec<(String, usize)>,
}

impl ErrorSection {
    /// A section from every error found (`(example, pattern)` pairs); examples are trimmed later to the limit.
    pub fn new(title: String, errors: Vec<(String, String)>) -> ErrorSection {
        let total = errors.len();
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (_, p) in &errors {
            if !p.is_empty() {
                *counts.entry(p.as_str()).or_default() += 1;
            }
        }
        let mut patterns: Vec<(String, usize)> = counts.into_iter().map(|(p, n)| (p.to_string(), n)).collect();
        patterns.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        patterns.truncate(12);
        ErrorSection { title, total, examples: errors.into_iter().map(|(e, _)| e).collect(), patterns }
    }
}

impl ErrorListing {
    /// Keep at most `limit` examples in all, shared between sections, each section's spread evenly over it.
    pub fn trim(&mut self, limit: usize) {
        self.limit = limit;
        let n = self.sections.len().max(1);
        for (i, section) in self.sections.iter_mut().enumerate() {
            let quota = limit / n + usize::from(i < limit % n);
            section.examples = spread(std::mem::take(&mut section.examples), quota);
        }
    }
}

/// At most `n` items taken at even intervals, so the examples do not all come from the first document.
pub fn spread<T>(items: Vec<T>, n: usize) -> Vec<T> {
    let len = items.len();
    if len <= n {
        return items;
    }
    let keep: Vec<usize> = (0..n).map(|i| i * len / n).collect();
    items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.binary_search(i).is_ok())
        .map(|(_, x)| x)
        .collect()
}

/// A fraction as "0.853", or "-" when undefined.
fn fraction(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

impl Row {
    /// The P, R and F1 cells of the table, of the fast pipeline's score.
    fn cells(&self) -> [String; 3] {
        cells(&self.score)
    }
}

/// The P, R and F1 cells of a score.
fn cells(score: &Score) -> [String; 3] {
    {
        match score {
            Score::Prf { precision, recall, f1, .. } => [fraction(*precision), fraction(*recall), fraction(*f1)],
            Score::Passed { passed, total } => [String::new(), String::new(), format!("{passed}/{total}")],
            Score::Share { value, found, total } => {
                [String::new(), String::new(), format!("{} ({found}/{total})", fraction(*value))]
            }
            Score::Auc { value, .. } => [String::new(), String::new(), fraction(*value)],
            Score::Count { count } => [String::new(), String::new(), count.to_string()],
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Lectern eval: data {} ({})", self.data_dir, self.subset)?;
        writeln!(
            f,
            "(fast = the rules alone; accurate = the rules and the learned tagger, where it changes the layer)"
        )?;
        let header =
            ["layer", "corpus", "metric", "P", "R", "F1", "acc. P", "acc. R", "acc. F1", "reference", "bar", "pass"];
        let verdict = |pass: Option<bool>| match pass {
            Some(true) => "pass",
            Some(false) => "FAIL",
            None => "",
        };
        let body: Vec<[String; 12]> = self
            .rows
            .iter()
            .map(|r| {
                let [p, rc, f1] = r.cells();
                let [ap, arc, af1] = r.accurate.as_ref().map_or_else(Default::default, cells);
                let pass = match (r.pass, r.accurate_pass) {
                    (p, None) => verdict(p).to_string(),
                    (p, Some(a)) => format!("{} / {}", verdict(p), verdict(Some(a))),
                };
                [
                    r.layer.as_str().to_string(),
                    r.corpus.to_string(),
                    r.metric.clone(),
                    p,
                    rc,
                    f1,
                    ap,
                    arc,
                    af1,
                    r.reference.unwrap_or("").to_string(),
                    r.bar.map_or("", |b| b.display).to_string(),
                    pass,
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &body {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: &[&str]| -> fmt::Result {
            let mut out = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                let sep = if i == 0 { "" } else { " | " };
                // Numbers right-aligned, text left-aligned.
                if (3..=8).contains(&i) {
                    out.push_str(&format!("{sep}{cell:>w$}"));
                } else {
                    out.push_str(&format!("{sep}{cell:<w$}"));
                }
            }
            writeln!(f, "{}", out.trim_end())
        };
        line(f, &header)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(f, "{}", rule.join("-|-"))?;
        for row in &body {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            line(f, &cells)?;
        }
        if !self.golden_rules_failed.is_empty() {
            let ids: Vec<String> = self.golden_rules_failed.iter().map(|id| format!("#{id}")).collect();
            writeln!(f, "\nGolden Rules that fail, by rule number: {}", ids.join(", "))?;
        }
        writeln!(f, "\nCorpora:")?;
        for c in &self.corpora {
            match &c.status {
                Status::Ran { items, of, unit, seconds } => writeln!(
                    f,
                    "  {:<12} {:<16} {items}/{of} {unit}, {seconds:.2} s  ({})",
                    c.layer.as_str(),
                    c.corpus,
                    c.path
                )?,
                Status::Skipped { reason } => {
                    writeln!(f, "  {:<12} {:<16} SKIPPED: {reason}", c.layer.as_str(), c.corpus)?
                }
            }
        }
        let speed = |f: &mut fmt::Formatter<'_>, name: &str, t: &Throughput| {
            writeln!(
                f,
                "  {name:<9} {} KB/s ({:.2} MB in {} calls, {:.2} s)",
                t.mb_per_s.map_or_else(|| "-".to_string(), |v| format!("{:.0}", v * 1e3)),
                t.bytes as f64 / 1e6,
                t.calls,
                t.annotate_seconds
            )
        };
        writeln!(f, "\nThroughput (annotating the corpora):")?;
        speed(f, "fast", &self.throughput)?;
        if let Some(t) = &self.accurate_throughput {
            speed(f, "accurate", t)?;
        }
        for s in &self.speeds {
            writeln!(
                f,
                "  {:<9} demo article ({} bytes): {:.1} ms (median of 3)",
                s.pipeline, s.demo_bytes, s.demo_ms
            )?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "\nNotes:")?;
            for n in &self.notes {
                writeln!(f, "  - {n}")?;
            }
        }
        writeln!(f, "\nTotal time: {:.2} s", self.seconds)?;
        if let Some(errors) = &self.errors {
            write!(f, "\n{errors}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ErrorListing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layer = self.layer.map_or("", Layer::as_str);
        writeln!(f, "Errors: {layer} (up to {} examples in all; corpus text, for the terminal only)", self.limit)?;
        if self.sections.is_empty() {
            writeln!(f, "  (nothing to show: the corpora of this layer were skipped)")?;
        }
        for s in &self.sections {
            writeln!(f, "\n== {} ({} in all)", s.title, s.total)?;
            if !s.patterns.is_empty() {
                let p: Vec<String> = s.patterns.iter().map(|(p, n)| format!("{p} ×{n}")).collect();
                writeln!(f, "   most frequent: {}", p.join(", "))?;
            }
            for e in &s.examples {
                writeln!(f, "   - {e}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bars;

    #[test]
    fn pass_compares_the_headline_with_the_bar() {
        let good = Row::new(
            Layer::Hedges,
            "c",
            "m",
            Score::prf(Counts { tp: 9, fp: 1, fn_: 1 }),
            None,
            Some(bars::HEDGE_SENTENCES_NEWS),
        );
        assert_eq!(good.pass, Some(true));
        let bad = Row::new(
            Layer::Sentences,
            "c",
            "m",
            Score::Passed { passed: 45, total: 48 },
            None,
            Some(bars::GOLDEN_RULES),
        );
        assert_eq!(bad.pass, Some(false));
        let none =
            Row::new(Layer::Claims, "c", "m", Score::Auc { value: None, positives: 0, negatives: 3 }, None, None);
        assert_eq!(none.pass, None);
    }

    #[test]
    fn spread_takes_even_intervals() {
        assert_eq!(spread((0..10).collect(), 3), vec![0, 3, 6]);
        assert_eq!(spread(vec![1, 2], 5), vec![1, 2]);
        assert!(spread((0..4).collect::<Vec<_>>(), 0).is_empty());
    }

    #[test]
    fn sections_share_the_limit_and_count_patterns() {
        let errs = |n: usize| (0..n).map(|i| (format!("e{i}"), if i % 2 == 0 { "may" } else { "" }.to_string()));
        let mut listing = ErrorListing {
            layer: Some(Layer::Hedges),
            limit: 0,
            sections: vec![
                ErrorSection::new("a".into(), errs(10).collect()),
                ErrorSection::new("b".into(), errs(1).collect()),
            ],
        };
        assert_eq!(listing.sections[0].patterns, vec![("may".to_string(), 5)]);
        listing.trim(5);
        assert_eq!(listing.sections[0].examples.len(), 3);
        assert_eq!(listing.sections[1].examples.len(), 1);
        assert_eq!(listing.sections[0].total, 10);
    }
}
