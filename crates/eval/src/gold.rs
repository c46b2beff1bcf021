//! Scoring against a folder of gold annotations in brat standoff, `name.txt` beside `name.ann`: the corrected
//! documents a newsroom exports from Lectern (`lectern export --corrections`), or any folder laid out like
//! PolNeAR. Attributions are scored exactly as on PolNeAR (the same reader, the same matching: cue, source and
//! content by overlap and exactly, one to one); hedges, the `Hedge` spans of Lectern's own export, as cues that
//! share a word with a gold cue (the matching of the Szeged corpora), over the whole document.

use std::path::Path;
use std::time::Instant;

use annotate::{Annotated, CharIndex};

use crate::corpus::{self, LoadError, brat};
use crate::layers::attributions::{self, Tally, gold, predicted};
use crate::layers::hedges::{Cue, match_cues};
use crate::metrics::Counts;
use crate::report::{self, Report, Row, Score};
use crate::{Ctx, Layer, Options};

/// The corpus name of a gold folder in the report.
pub const CORPUS: &str = "gold folder";

/// One document of a gold folder.
#[derive(Debug, Clone)]
pub struct GoldDocument {
    /// Its name (the files' stem).
    pub name: String,
    /// The text.
    pub text: String,
    /// Its annotations.
    pub standoff: brat::Standoff,
}

/// The documents of `dir`: every `name.ann` with a `name.txt` beside it, by name.
pub fn load(dir: &Path) -> Result<Vec<GoldDocument>, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LoadError::Missing { path: dir.to_path_buf() }
        } else {
            LoadError::Io { path: dir.to_path_buf(), source }
        }
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".ann")).map(str::to_string))
        .filter(|n| dir.join(format!("{n}.txt")).is_file())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let ann_path = dir.join(format!("{name}.ann"));
            let text = corpus::read(&dir.join(format!("{name}.txt")))?;
            let standoff = brat::parse(&corpus::read(&ann_path)?).map_err(|e| LoadError::parse(&ann_path, e))?;
            Ok(GoldDocument { name, text, standoff })
        })
        .collect()
}

/// The gold hedge cues of a document (its `Hedge` spans), in bytes.
fn gold_hedges(doc: &GoldDocument) -> Vec<Cue> {
    let index = CharIndex::new(&doc.text);
    doc.standoff
        .text_bounds
        .iter()
        .filter(|t| t.label == "Hedge")
        .map(|t| {
            let (a, b) = t.hull();
            Cue { span: (index.byte_of(a), index.byte_of(b)), category: "hedge", why: t.id.clone() }
        })
        .collect()
}

fn predicted_hedges(a: &Annotated) -> Vec<Cue> {
    a.sentences
        .iter()
        .flat_map(|s| &s.hedges)
        .map(|h| Cue { span: (h.span.start, h.span.end), category: h.category.as_str(), why: h.rule.id.clone() })
        .collect()
}

/// Score `annotate` against the gold folder `dir`.
pub fn run(dir: &Path, annotate: &dyn Fn(&str) -> Annotated) -> Report {
    let started = Instant::now();
    let opts = Options { data: dir.to_path_buf(), ..Options::default() };
    let mut ctx = Ctx::new(&opts, annotate::Pipeline::Fast);
    let path = dir.display().to_string();
    match load(dir) {
        Err(e) => {
            ctx.skipped(Layer::Attributions, CORPUS, &path, &e);
        }
        Ok(docs) if docs.is_empty() => {
            ctx.notes
                .push(format!("{path} holds no name.ann with a name.txt beside it: nothing to score."));
        }
        Ok(docs) => {
            let mut tally = Tally::default();
            let mut hedges = Counts::default();
            let mut seconds = 0.0;
            for doc in &docs {
                let t = Instant::now();
                let annotated = annotate(&doc.text);
                seconds += t.elapsed().as_secs_f64();
                tally.add(&doc.text, &gold(&doc.standoff, &doc.text), &predicted(&annotated), None, false);
                hedges.merge(match_cues(&doc.text, &predicted_hedges(&annotated), &gold_hedges(doc)).counts());
            }
            attributions::rows(&mut ctx, CORPUS, &tally, false);
            ctx.rows
                .push(Row::new(Layer::Hedges, CORPUS, "cues (shared word)", Score::prf(hedges), None, None));
            ctx.ran(Layer::Attributions, CORPUS, &path, (docs.len(), docs.len(), "documents"), started);
            let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
            let n = if docs.len() == 1 { "1 document".to_string() } else { format!("{} documents", docs.len()) };
            ctx.notes.push(format!("{n}, {bytes} bytes, annotated in {seconds:.2} s."));
        }
    }
    Report {
        data_dir: path,
        subset: "full".to_string(),
        rows: ctx.rows,
        corpora: ctx.corpora,
        golden_rules_failed: Vec::new(),
        throughput: report::Throughput::default(),
        accurate_throughput: None,
        speeds: Vec::new(),
        notes: ctx.notes,
        seconds: started.elapsed().as_secs_f64(),
        errors: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, txt: &str, ann: &str) {
        std::fs::write(dir.join(format!("{name}.txt")), txt).ok();
        std::fs::write(dir.join(format!("{name}.ann")), ann).ok();
    }

    #[test]
    fn a_folder_is_scored_with_the_corpus_scorer() {
        let dir = std::env::temp_dir().join(format!("lectern-gold-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok();
        let text = "The mayor said the bridge may close.";
        let ann = "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 35\tthe bridge may close\n\
                   T4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\nT5\tHedge 26 29\tmay\n";
        write(&dir, "a", text, ann);
        std::fs::write(dir.join("lonely.ann"), "T1\tHedge 0 1\tx\n").ok();
        let perfect = |t: &str| annotate::annotate(t);
        let report = run(&dir, &perfect);
        let f1 = |metric: &str| report.rows.iter().find(|r| r.metric == metric).and_then(|r| r.score.headline());
        assert_eq!(f1("cue (overlap)"), Some(1.0), "{:?}", report.rows);
        assert_eq!(f1("source (overlap)"), Some(1.0));
        assert_eq!(f1("cues (shared word)"), Some(1.0));
        let nothing = |t: &str| {
            let mut a = annotate::annotate(t);
            for s in &mut a.sentences {
                s.attributions.clear();
                s.hedges.clear();
            }
            a
        };
        let report = run(&dir, &nothing);
        let recall = report
            .rows
            .iter()
            .find(|r| r.metric == "cue (overlap)")
            .map(|r| r.score.clone());
        assert!(matches!(recall, Some(Score::Prf { recall: Some(r), .. }) if r == 0.0), "{recall:?}");
        assert_eq!(report.corpora.len(), 1, "lonely.ann has no text and is not a document");
        let _ = std::fs::remove_dir_all(&dir);
        let missing = run(&dir, &perfect);
        assert!(missing.rows.is_empty() && matches!(missing.corpora[0].status, report::Status::Skipped { .. }));
    }
}
