//! Lectern's measurement: the annotator scored against public gold corpora, next to published reference points.
//!
//! [`run`] reads the corpora in a data directory (by default `../shared/data`, described in its README), annotates
//! their texts with [`annotate::annotate`] (the fast pipeline: the rules) and, where the learned tagger changes a
//! layer (attributions, check-worthiness), again with the accurate pipeline (`annotate::Pipeline::Accurate`, when
//! its weights load), and returns a [`Report`] with both side by side: per layer, precision, recall and F1 (or the
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
pub mod speed;
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
    /// Also run the accurate pipeline (the rules with the learned tagger) on the attribution and claim layers,
    /// side by side with the fast one.
    pub accurate: bool,
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
            accurate: false,
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

/// Run every layer with the fast pipeline (the rules), and, with [`Options::accurate`], the attribution and claim
/// layers also with the accurate pipeline (rules and the learned tagger, [`annotate::Pipeline::Accurate`]) when its
/// weights load; when they do not, the report's notes say why and the accurate columns stay empty.
pub fn run(opts: &Options) -> Report {
    if !opts.accurate {
        return run_pipelines(opts, &layers::claims::MODEL, None);
    }
    match annotate::Model::load_default() {
        Ok(model) => run_pipelines(opts, &layers::claims::MODEL, Some(&model)),
        Err(e) => {
            let mut report = run_pipelines(opts, &layers::claims::MODEL, None);
            report.notes.push(format!("The accurate pipeline did not run: {e}."));
            report
        }
    }
}

/// Run every layer with the fast pipeline, scoring check-worthiness with `scorer`.
pub fn run_with_scorer(opts: &Options, scorer: &Scorer<'_>) -> Report {
    run_pipelines(opts, scorer, None)
}

/// Run every layer with the fast pipeline (check-worthiness scored by `scorer`) and, given a model, the attribution
/// and claim layers again with the accurate pipeline; its scores go into each row's `accurate` column, and its
/// speed into [`Report::accurate_throughput`] and [`Report::speeds`].
pub fn run_pipelines(opts: &Options, scorer: &Scorer<'_>, model: Option<&annotate::Model>) -> Report {
    let started = Instant::now();
    let mut ctx = Ctx::new(opts, annotate::Pipeline::Fast);
    layers::sentences::run(&mut ctx);
    layers::hedges::run(&mut ctx);
    layers::attributions::run(&mut ctx);
    layers::claims::run(&mut ctx, scorer);
    let mut errors = ctx.errors.take();
    if let Some(e) = &mut errors {
        e.trim(opts.limit);
    }
    let mut speeds = vec![speed::demo(annotate::Pipeline::Fast)];
    let accurate_throughput = model.map(|model| {
        let mut acc = Ctx::new(opts, annotate::Pipeline::Accurate(model));
        acc.errors = None;
        layers::attributions::run(&mut acc);
        let throughput_after_attributions = acc.throughput();
        // The item annotated as the accurate pipeline annotates an article: its sentences in one window, typed by
        // the rules; an item the segmenter splits scores as its most check-worthy sentence.
        let score = |text: &str| {
            let doc = annotate::annotate_with(text, annotate::Pipeline::Accurate(model));
            doc.sentences.iter().map(|s| s.checkworthy).fold(0.0, f32::max)
        };
        let scorer = Scorer {
            name: "the accurate pipeline: the learned tagger's check-worthiness head on each sentence as encoded in \
                   its window",
            score: &score,
        };
        layers::claims::run(&mut acc, &scorer);
        for row in acc.rows {
            if let Some(fast) = ctx.rows.iter_mut().find(|r| r.corpus == row.corpus && r.metric == row.metric) {
                fast.set_accurate(row.score);
            }
        }
        ctx.notes
            .extend(acc.notes.into_iter().filter(|n| n.starts_with("ClaimBuster scored by")));
        ctx.notes.push(format!(
            "The accurate pipeline's tagger: weights SHA-256 {}; it {} the rules' spans.",
            model.sha256(),
            if model.reads_rules() { "reads" } else { "does not read" }
        ));
        if opts.polnear == PolnearPart::Train {
            ctx.notes.push(
                "The tagger was trained on PolNeAR train (all but every tenth article): its accurate scores there are \
                 not a measurement of how it does on unseen text."
                    .into(),
            );
        }
        speeds.push(speed::demo(annotate::Pipeline::Accurate(model)));
        throughput_after_attributions
    });
    Report {
        data_dir: opts.data.display().to_string(),
        subset: opts.subset(),
        throughput: ctx.throughput(),
        rows: ctx.rows,
        corpora: ctx.corpora,
        golden_rules_failed: ctx.golden_rules_failed,
        accurate_throughput,
        speeds,
        notes: ctx.notes,
        seconds: started.elapsed().as_secs_f64(),
        errors,
    }
}

/// What the layers share while running: options, the growing report, and the timed annotator.
pub(crate) struct Ctx<'a> {
    pub opts: &'a Options,
    pipeline: annotate::Pipeline<'a>,
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
    fn new(opts: &'a Options, pipeline: annotate::Pipeline<'a>) -> Ctx<'a> {
        Ctx {
            opts,
            pipeline,
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
        let out = annotate::annotate_with(text, self.pipeline);
        self.annotate_time += t.elapsed();
        self.annotate_bytes += text.len() as u64;
        self.annotate_calls += 1;
        out
    }

    /// Speed of every annotation this context made.
    fn throughput(&self) -> report::Throughput {
        let secs = self.annotate_time.as_secs_f64();
        report::Throughput {
            bytes: self.annotate_bytes,
            calls: self.annotate_calls,
            annotate_seconds: secs,
            mb_per_s: (secs > 0.0).then(|| self.annotate_bytes as f64 / secs / 1e6),
        }
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
