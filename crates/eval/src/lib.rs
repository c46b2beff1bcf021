//! Lectern's measurement: the annotator scored against public gold corpora, next to published reference points.
//!
//! [`run`] reads the corpora in a data directory (by default `../shared/data`, described in its README), annotates
//! their texts with [`annotate::annotate`], and returns a [`Report`]: per layer, precision, recall and F1 (or the
//! layer's own measure) beside the published reference point and the bar Lectern must reach, plus the time taken
//! and the annotator's throughput. A corpus whose file is missing is skipped with a message, never an error.
//!
//! | layer | corpus | measured |
//! |---|---|---|
//! | sentences | Golden Rules | rules passed (pySBD scoring: trimmed segments equal the expected list) |
//! | sentences | FactBank dev, PolNeAR dev | sentence boundary P/R/F1 (sentence end offsets) |
//! | hedges | FactBank dev, WikiWeasel dev | uncertain-sentence P/R/F1 (CoNLL-2010 Task 1), cue P/R/F1 by token overlap, per category |
//! | attributions | PolNeAR dev | cue, source, content P/R/F1 (overlap and exact); sentence "has an attribution"; share of unquoted attributions found |
//! | claims | ClaimBuster | check-worthy P/R/F1 at 0.5 and ROC AUC of a per-sentence score |
//!
//! Corpus text is only ever printed to the terminal (`--errors`); nothing here writes it to a file.
//!
//! ```no_run
//! let report = eval::run(&eval::Options { limit_docs: Some(eval::QUICK_DOCS), ..eval::Options::default() });
//! println!("{report}");
//! ```

pub mod bars;
pub mod corpus;
pub mod gold;
pub mod layers;
pub mod logistic;
pub mod metrics;
pub mod report;
pub mod text;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use annotate::Annotated;
use serde::Serialize;

pub use layers::claims::Scorer;
pub use report::{ErrorListing, Report, Row, Score};

/// The annotation layers measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Sentence segmentation.
    Sentences,
    /// Hedge (uncertainty) cues.
    Hedges,
    /// Attributions: source, cue, content.
    Attributions,
    /// Check-worthy claims.
    Claims,
}

impl Layer {
    /// Every layer, in report order.
    pub const ALL: [Layer; 4] = [Layer::Sentences, Layer::Hedges, Layer::Attributions, Layer::Claims];

    /// Its name on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Sentences => "sentences",
            Layer::Hedges => "hedges",
            Layer::Attributions => "attributions",
            Layer::Claims => "claims",
        }
    }
}

impl FromStr for Layer {
    type Err = String;

    fn from_str(s: &str) -> Result<Layer, String> {
        Layer::ALL.into_iter().find(|l| l.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Layer::ALL.iter().map(|l| l.as_str()).collect();
            format!("unknown layer {s:?}; expected one of: {}", names.join(", "))
        })
    }
}

/// The `--quick` subset: this many documents per corpus.
pub const QUICK_DOCS: usize = 25;

/// In a subset run, ClaimBuster (single sentences, no documents) gets this many sentences per document allowed,
/// about one news article's worth.
pub const CLAIMS_PER_DOC: usize = 40;

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The data directory (the layout of `../shared/data/README.md`).
    pub data: PathBuf,
    /// Collect false positives and negatives of this layer.
    pub errors: Option<Layer>,
    /// Most error examples to keep, in all.
    pub limit: usize,
    /// Run on N documents of each corpus only, evenly spaced through it (FactBank, WikiWeasel, PolNeAR: documents;
    /// ClaimBuster: N × [`CLAIMS_PER_DOC`] sentences; the 48 Golden Rules always run). `None` runs everything.
    pub limit_docs: Option<usize>,
    /// Which part of PolNeAR the sentence and attribution rows score.
    pub polnear: PolnearPart,
}

/// A part of PolNeAR: the development articles, where the bars apply, or the training articles, ten times as many,
/// which show whether rules written against the development part carry over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PolnearPart {
    #[default]
    Dev,
    Train,
}

impl PolnearPart {
    /// Its folder under `polnear/`, and its compartment in `sentences.tsv`.
    pub fn dir(self) -> &'static str {
        match self {
            PolnearPart::Dev => "dev",
            PolnearPart::Train => "train",
        }
    }

    /// Its name in the report.
    pub fn corpus(self) -> &'static str {
        match self {
            PolnearPart::Dev => "PolNeAR dev",
            PolnearPart::Train => "PolNeAR train",
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            data: PathBuf::from("../shared/data"),
            errors: None,
            limit: 40,
            limit_docs: None,
            polnear: PolnearPart::Dev,
        }
    }
}

impl Options {
    /// The subset, in words, for the report.
    fn subset(&self) -> String {
        match self.limit_docs {
            None => "full".to_string(),
            Some(n) => format!(
                "subset: {n} documents per corpus and {} ClaimBuster sentences, evenly spaced; all Golden Rules",
                n.saturating_mul(CLAIMS_PER_DOC)
            ),
        }
    }
}

/// Run every layer with the claims scored by the annotator's model ([`layers::claims::MODEL`]).
pub fn run(opts: &Options) -> Report {
    run_with_scorer(opts, &layers::claims::MODEL)
}

/// Run every layer, scoring check-worthiness with `scorer`.
pub fn run_with_scorer(opts: &Options, scorer: &Scorer<'_>) -> Report {
    let started = Instant::now();
    let mut ctx = Ctx::new(opts);
    layers::sentences::run(&mut ctx);
    layers::hedges::run(&mut ctx);
    layers::attributions::run(&mut ctx);
    layers::claims::run(&mut ctx, scorer);
    let mut errors = ctx.errors;
    if let Some(e) = &mut errors {
        e.trim(opts.limit);
    }
    let secs = ctx.annotate_time.as_secs_f64();
    Report {
        data_dir: opts.data.display().to_string(),
        subset: opts.subset(),
        rows: ctx.rows,
        corpora: ctx.corpora,
        golden_rules_failed: ctx.golden_rules_failed,
        throughput: report::Throughput {
            bytes: ctx.annotate_bytes,
            calls: ctx.annotate_calls,
            annotate_seconds: secs,
            mb_per_s: (secs > 0.0).then(|| ctx.annotate_bytes as f64 / secs / 1e6),
        },
        notes: ctx.notes,
        seconds: started.elapsed().as_secs_f64(),
        errors,
    }
}

/// What the layers share while running: options, the growing report, and the timed annotator.
pub(crate) struct Ctx<'a> {
    pub opts: &'a Options,
    pub rows: Vec<Row>,
    pub corpora: Vec<report::CorpusRun>,
    pub notes: Vec<String>,
    pub golden_rules_failed: Vec<u32>,
    pub errors: Option<ErrorListing>,
    annotate_time: Duration,
    annotate_bytes: u64,
    annotate_calls: u64,
}

impl<'a> Ctx<'a> {
    fn new(opts: &'a Options) -> Ctx<'a> {
        Ctx {
            opts,
            rows: Vec::new(),
            corpora: Vec::new(),
            notes: Vec::new(),
            golden_rules_failed: Vec::new(),
            errors: opts
                .errors
                .map(|layer| ErrorListing { layer: Some(layer), ..ErrorListing::default() }),
            annotate_time: Duration::ZERO,
            annotate_bytes: 0,
            annotate_calls: 0,
        }
    }

    /// The annotator, timed for the throughput figure.
    pub fn annotate(&mut self, text: &str) -> Annotated {
        let t = Instant::now();
        let out = annotate::annotate(text);
        self.annotate_time += t.elapsed();
        self.annotate_bytes += text.len() as u64;
        self.annotate_calls += 1;
        out
    }

    /// True when error examples of `layer` were asked for.
    pub fn wants_errors(&self, layer: Layer) -> bool {
        self.opts.errors == Some(layer)
    }

    /// Add an error section (only kept when this layer's errors were asked for).
    pub fn error_section(&mut self, layer: Layer, section: report::ErrorSection) {
        if self.wants_errors(layer)
            && let Some(e) = &mut self.errors
        {
            e.sections.push(section);
        }
    }

    /// Which of `len` items to use: all of them, or in a subset run `limit_docs × per_doc` of them evenly spaced
    /// (corpus files are often ordered, e.g. ClaimBuster by label, so the first N would be a biased sample).
    pub fn pick(&self, len: usize, per_doc: usize) -> Vec<usize> {
        match self.opts.limit_docs {
            None => (0..len).collect(),
            Some(n) => report::spread((0..len).collect(), n.saturating_mul(per_doc)),
        }
    }

    /// Record a corpus that ran.
    pub fn ran(
        &mut self,
        layer: Layer,
        corpus: &'static str,
        path: &str,
        amount: (usize, usize, &'static str),
        t: Instant,
    ) {
        let (items, of, unit) = amount;
        let status = report::Status::Ran { items, of, unit, seconds: t.elapsed().as_secs_f64() };
        self.corpora
            .push(report::CorpusRun { layer, corpus, path: path.to_string(), status });
    }

    /// Record a corpus that was skipped, and why.
    pub fn skipped(&mut self, layer: Layer, corpus: &'static str, path: &str, reason: &corpus::LoadError) {
        let status = report::Status::Skipped { reason: reason.to_string() };
        self.corpora
            .push(report::CorpusRun { layer, corpus, path: path.to_string(), status });
    }

    /// A path inside the data directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.opts.data.join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names_round_trip() {
        for l in Layer::ALL {
            assert_eq!(l.as_str().parse::<Layer>(), Ok(l));
        }
        assert!("hedge".parse::<Layer>().is_err_and(|e| e.contains("hedges")));
    }

    #[test]
    fn missing_data_skips_every_corpus_with_a_reason() {
        let opts = Options { data: PathBuf::from("/nonexistent/lectern-eval-data"), ..Options::default() };
        let report = run(&opts);
        assert!(report.rows.is_empty());
        assert!(!report.corpora.is_empty());
        for c in &report.corpora {
            match &c.status {
                report::Status::Skipped { reason } => assert!(reason.contains("not found"), "{reason}"),
                report::Status::Ran { .. } => panic!("{} ran without data", c.corpus),
            }
        }
        let shown = report.to_string();
        assert!(shown.contains("SKIPPED"));
        let json = serde_json::to_value(&report).expect("serialisable");
        assert_eq!(json["subset"], "full");
        assert!(json.get("errors").is_none());
    }
}
