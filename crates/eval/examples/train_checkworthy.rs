//! Train the check-worthiness model and write `crates/annotate/models/checkworthy.tsv`.
//!
//! ```text
//! cargo run --release -p eval --example train_checkworthy -- [CLAIMBUSTER_JSON] [OUT_TSV]
//! ```
//! Defaults: `../shared/data/claimbuster/train.json` (ClaimBuster: `[{sentence_id, label, text}]`, label 1 =
//! check-worthy factual claim) and `crates/annotate/models/checkworthy.tsv`.
//!
//! Only the items at even positions are used (`annotate::checkworthy::is_training_position`); the odd half is held
//! out, and this command reports the model's scores on it, as `lectern eval` does. Within the training half it also
//! reports 5-fold cross-validated scores. The method is `eval::logistic` (deterministic), over the features of
//! `annotate::checkworthy::features`; the file keeps the features seen at least `MIN_COUNT` times whose weight is at
//! least `MIN_ABS_WEIGHT` in size.

use std::process::ExitCode;

use annotate::checkworthy::{is_training_position, text_features};
use eval::corpus::claimbuster;
use eval::logistic::{Dataset, Settings, train};
use eval::metrics::{Counts, roc_auc};

const MIN_COUNT: usize = 3;
const SETTINGS: Settings = Settings { epochs: 300, l2: 1e-3, learning_rate: 0.05 };
const MIN_ABS_WEIGHT: f64 = 0.1;
const FOLDS: usize = 5;

/// "P … R … F1@0.5 … AUC …" of scored items.
fn summary(scored: &[(f32, bool)]) -> String {
    let mut counts = Counts::default();
    for &(s, y) in scored {
        counts.add(s >= 0.5, y);
    }
    let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3}"));
    let auc = roc_auc(scored);
    format!("P {} R {} F1@0.5 {} AUC {}", f(counts.precision()), f(counts.recall()), f(counts.f1()), f(auc))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let input = args.first().map_or("../shared/data/claimbuster/train.json", String::as_str);
    let output = args.get(1).map_or("crates/annotate/models/checkworthy.tsv", String::as_str);
    let items = match claimbuster::load(std::path::Path::new(input)) {
        Ok(items) => items,
        Err(e) => {
            eprintln!("train_checkworthy: {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let examples = items.iter().map(|i| (text_features(&i.text), i.checkworthy())).collect();
    let d = Dataset::new(examples, MIN_COUNT, &|i| is_training_position(i));
    eprintln!(
        "{} sentences, {} features seen at least {MIN_COUNT} times in the training half",
        d.rows.len(),
        d.names.len()
    );

    let train_rows: Vec<usize> = (0..d.rows.len()).filter(|&i| is_training_position(i)).collect();
    let mut scored = Vec::new();
    for fold in 0..FOLDS {
        let in_fold = |i: usize| is_training_position(i) && (i / 2) % FOLDS == fold;
        let w = train(&d, SETTINGS, &|i| is_training_position(i) && !in_fold(i));
        scored.extend(
            train_rows
                .iter()
                .filter(|&&i| in_fold(i))
                .map(|&i| (w.predict(&d.rows[i]) as f32, d.labels[i])),
        );
    }
    println!("{FOLDS}-fold cross-validation on the training half: {}", summary(&scored));

    let w = train(&d, SETTINGS, &|i| is_training_position(i));
    let held_out: Vec<(f32, bool)> = (0..d.rows.len())
        .filter(|&i| !is_training_position(i))
        .map(|i| (w.predict(&d.rows[i]) as f32, d.labels[i]))
        .collect();
    let held = summary(&held_out);
    println!("held-out half: {held}");
    let header = format!(
        "Check-worthiness weights: feature <TAB> weight. Written by\n\
         cargo run --release -p eval --example train_checkworthy (see that file for the method).\n\
         Trained on the {} even-positioned ClaimBuster sentences; held-out half: {held}.",
        train_rows.len()
    );
    let (tsv, kept) = w.to_tsv(&d.names, &header, MIN_ABS_WEIGHT);
    if let Err(e) = std::fs::write(output, tsv) {
        eprintln!("train_checkworthy: {output}: {e}");
        return ExitCode::FAILURE;
    }
    println!("wrote {kept} weights to {output}");
    ExitCode::SUCCESS
}
