//! The evaluation run end to end on the shared corpora (`../shared/data`, or `$LECTERN_DATA`), on the `--quick`
//! subset. The corpora are not part of the repository: without them this test says so and checks nothing else.

use std::io::Write;
use std::path::PathBuf;

use eval::report::Status;
use eval::{Layer, Options, QUICK_DOCS, Score};

fn data_dir() -> PathBuf {
    std::env::var_os("LECTERN_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// Written straight to stderr, so it shows even when the test passes.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn quick_run_on_the_shared_corpora() {
    let data = data_dir();
    if !data.join("README.md").exists() {
        say(&format!("SKIPPED quick_run_on_the_shared_corpora: no corpora at {} (set LECTERN_DATA)", data.display()));
        return;
    }
    let opts = Options {
        data,
        errors: Some(Layer::Hedges),
        limit: 6,
        limit_docs: Some(QUICK_DOCS),
        accurate: true,
        ..Options::default()
    };
    let report = eval::run(&opts);
    say(&report.to_string());

    for c in &report.corpora {
        assert!(matches!(c.status, Status::Ran { .. }), "{} did not run: {:?}", c.corpus, c.status);
    }
    for layer in Layer::ALL {
        assert!(report.rows.iter().any(|r| r.layer == layer), "no row for {}", layer.as_str());
    }
    for row in &report.rows {
        match &row.score {
            Score::Prf { precision, recall, f1, counts } => {
                for v in [precision, recall, f1].into_iter().flatten() {
                    assert!((0.0..=1.0).contains(v), "{} {}: {v}", row.corpus, row.metric);
                }
                assert!(counts.tp + counts.fp + counts.fn_ > 0, "{} {}: nothing counted", row.corpus, row.metric);
            }
            Score::Passed { passed, total } => {
                assert_eq!(*total, 48);
                assert!(passed <= total);
            }
            Score::Share { value, found, total } => {
                assert!(found <= total && value.is_some_and(|v| (0.0..=1.0).contains(&v)));
            }
            Score::Auc { value, positives, negatives } => {
                assert!(*positives > 0 && *negatives > 0);
                assert!(value.is_some_and(|v| (0.0..=1.0).contains(&v)));
            }
            // Approximator cues on a news corpus: counted, and a quick subset of news finds some.
            Score::Count { count } => {
                assert!(row.corpus != "FactBank dev" || *count > 0, "{} {}: {count}", row.corpus, row.metric)
            }
        }
    }
    assert!(report.subset.contains(&QUICK_DOCS.to_string()));
    assert!(report.throughput.bytes > 0 && report.throughput.mb_per_s.is_some());

    let errors = report.errors.as_ref().expect("errors were asked for");
    assert_eq!(errors.layer, Some(Layer::Hedges));
    assert!(!errors.sections.is_empty());
    assert!(errors.sections.iter().map(|s| s.examples.len()).sum::<usize>() <= 6);

    let json = serde_json::to_value(&report).expect("serialisable");
    assert!(json.get("errors").is_none(), "corpus text must not reach the JSON");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(report.rows.len()));
}
