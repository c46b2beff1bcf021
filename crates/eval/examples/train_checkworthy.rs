//! Train the check-worthiness model and write `crates/annotate/models/checkworthy.tsv`.
//!
//! ```text
//! cargo run --release -p eval --example train_checkworthy -- [CLAIMBUSTER_JSON] [OUT_TSV]
//! ```
//! Defaults: `../shared/data/claimbuster/train.json` (ClaimBuster: `[{sentence_id, label, text}]`, label 1 =
//! check-worthy factual claim) and `crates/annotate/models/checkworthy.tsv`.
//!
//! Only the items at even positions are used (`annotate::checkworthy::is_training_position`); the odd half is held out,
//! and this command reports the model's scores on it, as `lectern eval` does, once, for the model it ships: nothing is
//! chosen by those scores. The method is `eval::logistic` (deterministic), over the features of
//! `annotate::checkworthy::features`, seen at least `MIN_COUNT` times. Everything is chosen by 5-fold cross-validation
//! within the training half (fold = (position / 2) mod 5):
//!
//! 1. the L2 penalty, from `L2_GRID`: the one with the best cross-validated ROC AUC (it does not depend on a threshold,
//!    so it is the steadier of the two measures on 4,000 sentences);
//! 2. whether to average it with an NB-SVM model over the word, word-pair and word-triple features (logistic regression
//!    on features scaled by their naive-Bayes log-count ratios, `eval::logistic::nb_ratios`), and that model's penalty
//!    from `NB_L2_GRID`, again by cross-validated AUC. Both models are linear in the same binary features, so their
//!    average is one weight per feature and the file format does not change;
//! 3. a shift of the bias (`eval::logistic::best_offset` on the pooled cross-validated log-odds), so that 0.5 is where
//!    the model's F1 is best rather than where the balanced class weights happen to put it.
//!
//! The file keeps the features whose weight is at least `MIN_ABS_WEIGHT` in size, and every score reported here is
//! measured with only those, so it is the shipped model's.

use std::process::ExitCode;

use annotate::checkworthy::{is_training_position, text_features};
use eval::corpus::claimbuster;
use eval::logistic::{Dataset, Settings, Weights, average, best_offset, nb_ratios, train, train_scaled};
use eval::metrics::{Counts, roc_auc};

const MIN_COUNT: usize = 2;
const EPOCHS: usize = 300;
const LEARNING_RATE: f64 = 0.05;
const L2_GRID: [f64; 4] = [1e-3, 3e-3, 1e-2, 3e-2];
/// L2 penalties tried for the NB-SVM half of the ensemble, over word, word-pair and word-triple features only.
const NB_L2_GRID: [f64; 3] = [1e-3, 3e-3, 1e-2];
/// Naive-Bayes count smoothing.
const NB_ALPHA: f64 = 1.0;
const MIN_ABS_WEIGHT: f64 = 0.02;
const FOLDS: usize = 5;
/// The bias shift is looked for within ± this, in steps of `OFFSET_STEP` (log-odds).
const OFFSET_RANGE: f64 = 1.0;
const OFFSET_STEP: f64 = 0.05;

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

/// One setting tried: its penalties, its models trained without each fold, their cross-validated AUC and pooled
/// log-odds.
#[derive(Clone)]
struct Candidate {
    l2: f64,
    nb_l2: Option<f64>,
    models: Vec<Weights>,
    auc: f64,
    logits: Vec<(f64, bool)>,
}

/// Whether training-half item `i` is in cross-validation fold `fold`.
fn in_fold(i: usize, fold: usize) -> bool {
    (i / 2) % FOLDS == fold
}

/// Probabilities of pooled log-odds shifted by `offset`, for [`summary`].
fn probabilities(logits: &[(f64, bool)], offset: f64) -> Vec<(f32, bool)> {
    logits
        .iter()
        .map(|&(z, y)| ((1.0 / (1.0 + (-(z + offset)).exp())) as f32, y))
        .collect()
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
    let settings = |l2: f64| Settings { epochs: EPOCHS, l2, learning_rate: LEARNING_RATE };
    let fold_rows = |fold: usize| move |i: usize| is_training_position(i) && !in_fold(i, fold);
    // The NB-SVM model's features: words, word pairs and word triples.
    let in_nb_view = |name: &str| ["w=", "b=", "t="].iter().any(|p| name.starts_with(p));
    let nb_model = |l2: f64, use_row: &dyn Fn(usize) -> bool| {
        train_scaled(&d, settings(l2), use_row, &nb_ratios(&d, use_row, NB_ALPHA, &in_nb_view))
    };
    // Pooled cross-validated log-odds of the training half: each fold scored by the (pruned) model trained without it.
    let pooled = |models: &[Weights]| -> Vec<(f64, bool)> {
        let mut logits = Vec::new();
        for (fold, w) in models.iter().enumerate() {
            let w = w.pruned(MIN_ABS_WEIGHT);
            let rows = train_rows.iter().filter(|&&i| in_fold(i, fold));
            logits.extend(rows.map(|&i| (w.logit(&d.rows[i]), d.labels[i])));
        }
        logits
    };
    let report = |what: &str, logits: &[(f64, bool)]| {
        let (offset, f1) = best_offset(logits, OFFSET_RANGE, OFFSET_STEP);
        println!(
            "{what}: {FOLDS}-fold cross-validation on the training half: {}; best bias shift {offset:+.2} gives F1@0.5 {f1:.3}",
            summary(&probabilities(logits, 0.0))
        );
        roc_auc(&probabilities(logits, 0.0)).unwrap_or(0.0)
    };

    // 1. The logistic model's penalty.
    let mut best: Option<Candidate> = None;
    for l2 in L2_GRID {
        let models: Vec<Weights> = (0..FOLDS).map(|fold| train(&d, settings(l2), &fold_rows(fold))).collect();
        let logits = pooled(&models);
        let auc = report(&format!("logistic, l2 {l2:e}"), &logits);
        if best.as_ref().is_none_or(|b| auc > b.auc) {
            best = Some(Candidate { l2, nb_l2: None, models, auc, logits });
        }
    }
    let Some(plain) = best else {
        return ExitCode::FAILURE;
    };
    // 2. Averaged with an NB-SVM model, if that helps.
    let mut best = plain.clone();
    for nb_l2 in NB_L2_GRID {
        let models: Vec<Weights> = (0..FOLDS)
            .map(|fold| average(&[plain.models[fold].clone(), nb_model(nb_l2, &fold_rows(fold))]))
            .collect();
        let logits = pooled(&models);
        let auc = report(&format!("averaged with NB-SVM over words, word pairs and triples, l2 {nb_l2:e}"), &logits);
        if auc > best.auc {
            best = Candidate { nb_l2: Some(nb_l2), models, auc, logits, ..plain };
        }
    }
    // 3. The bias shift.
    let Candidate { l2, nb_l2, logits, .. } = best;
    let (offset, _) = best_offset(&logits, OFFSET_RANGE, OFFSET_STEP);
    let cv = summary(&probabilities(&logits, offset));
    let method = match nb_l2 {
        Some(nb) => format!(
            "the average of a logistic model (L2 {l2:e}) and an NB-SVM model over words, word pairs and triples (L2 {nb:e})"
        ),
        None => format!("a logistic model (L2 {l2:e})"),
    };
    println!("chosen: {method}, bias shifted by {offset:+.2}; cross-validated: {cv}");

    let all = |i: usize| is_training_position(i);
    let w = train(&d, settings(l2), &all);
    let w = match nb_l2 {
        Some(nb) => average(&[w, nb_model(nb, &all)]),
        None => w,
    };
    let w = w.pruned(MIN_ABS_WEIGHT).shifted(offset);
    let held_out: Vec<(f32, bool)> = (0..d.rows.len())
        .filter(|&i| !is_training_position(i))
        .map(|i| (w.predict(&d.rows[i]) as f32, d.labels[i]))
        .collect();
    let held = summary(&held_out);
    println!("held-out half: {held}");
    let header = format!(
        "Check-worthiness weights: feature <TAB> weight. Written by\n\
         cargo run --release -p eval --example train_checkworthy (see that file for the method).\n\
         Trained on the {} even-positioned ClaimBuster sentences: features seen at least {MIN_COUNT} times,\n\
         {method},\n\
         and a bias shift of {offset:+.2}, chosen by {FOLDS}-fold cross-validation on them.\n\
         Cross-validated: {cv}.\n\
         Held-out half: {held}.",
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
