//! Train the check-worthiness model and write `models/checkworthy.tsv`.
//!
//! ```text
//! cargo run --release -p annotate --example train_checkworthy -- [CLAIMBUSTER_JSON] [OUT_TSV]
//! ```
//! Defaults: `../shared/data/claimbuster/train.json` (ClaimBuster: `[{sentence_id, label, text}]`, label 1 =
//! check-worthy factual claim) and `crates/annotate/models/checkworthy.tsv`.
//!
//! Only the items at even positions are used (`annotate::checkworthy::is_training_position`); the odd half is held
//! out, and this command reports the model's scores on it, as `lectern eval` does.
//!
//! L2-regularised logistic regression on binary features (see `annotate::checkworthy::features`), classes weighted
//! to balance, full-batch gradient descent with Adam from zero weights: deterministic, so the same data gives the
//! same file. It reports 5-fold cross-validated precision, recall, F1 at 0.5 and ROC AUC within the training half
//! (folds by position modulo 5), trains on the whole training half, reports the held-out half, and keeps the
//! features seen at least `MIN_COUNT` times in the training half whose weight matters (|w| ≥ `MIN_ABS_WEIGHT`).

use std::collections::HashMap;
use std::process::ExitCode;

use annotate::checkworthy::{is_training_position, text_features};

const MIN_COUNT: usize = 3;
const EPOCHS: usize = 300;
const L2: f64 = 1e-3;
const LEARNING_RATE: f64 = 0.05;
const MIN_ABS_WEIGHT: f64 = 0.1;
const FOLDS: usize = 5;

struct Data {
    rows: Vec<Vec<usize>>,
    labels: Vec<bool>,
    names: Vec<String>,
}

fn load(path: &str) -> Result<Data, String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let items: serde_json::Value = serde_json::from_str(&raw).map_err(|e| format!("{path}: {e}"))?;
    let items = items.as_array().ok_or(format!("{path}: not a JSON list"))?;
    let mut feats = Vec::with_capacity(items.len());
    let mut labels = Vec::with_capacity(items.len());
    for it in items {
        let text = it["text"].as_str().unwrap_or("");
        feats.push(text_features(text));
        labels.push(it["label"].as_i64() == Some(1));
    }
    let mut count: HashMap<&str, usize> = HashMap::new();
    for f in feats
        .iter()
        .enumerate()
        .filter(|(i, _)| is_training_position(*i))
        .map(|(_, f)| f)
    {
        for x in f {
            *count.entry(x.as_str()).or_default() += 1;
        }
    }
    let mut names: Vec<String> = count
        .iter()
        .filter(|&(_, &c)| c >= MIN_COUNT)
        .map(|(n, _)| (*n).to_string())
        .collect();
    names.sort();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let rows = feats
        .iter()
        .map(|f| f.iter().filter_map(|x| index.get(x.as_str()).copied()).collect())
        .collect();
    Ok(Data { rows, labels, names })
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Weights (last entry: bias) trained on the rows selected by `use_row`.
fn train(d: &Data, use_row: &dyn Fn(usize) -> bool) -> Vec<f64> {
    let n = d.names.len();
    let mut w = vec![0.0; n + 1];
    let (mut m, mut v) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    let pos = (0..d.rows.len()).filter(|&i| use_row(i) && d.labels[i]).count() as f64;
    let neg = (0..d.rows.len()).filter(|&i| use_row(i) && !d.labels[i]).count() as f64;
    let (wp, wn) = ((pos + neg) / (2.0 * pos.max(1.0)), (pos + neg) / (2.0 * neg.max(1.0)));
    let total = pos + neg;
    for t in 1..=EPOCHS {
        let mut g = vec![0.0; n + 1];
        for (i, row) in d.rows.iter().enumerate().filter(|&(i, _)| use_row(i)) {
            let z = w[n] + row.iter().map(|&j| w[j]).sum::<f64>();
            let y = if d.labels[i] { 1.0 } else { 0.0 };
            let err = (sigmoid(z) - y) * if d.labels[i] { wp } else { wn } / total;
            for &j in row {
                g[j] += err;
            }
            g[n] += err;
        }
        for j in 0..n {
            g[j] += L2 * w[j];
        }
        let (b1, b2) = (0.9f64, 0.999f64);
        for j in 0..=n {
            m[j] = b1 * m[j] + (1.0 - b1) * g[j];
            v[j] = b2 * v[j] + (1.0 - b2) * g[j] * g[j];
            let mh = m[j] / (1.0 - b1.powi(t as i32));
            let vh = v[j] / (1.0 - b2.powi(t as i32));
            w[j] -= LEARNING_RATE * mh / (vh.sqrt() + 1e-8);
        }
    }
    w
}

fn predict(w: &[f64], row: &[usize]) -> f64 {
    let n = w.len() - 1;
    sigmoid(w[n] + row.iter().map(|&j| w[j]).sum::<f64>())
}

/// ROC AUC by the rank statistic, ties counted half.
fn auc(scores: &[(f64, bool)]) -> f64 {
    let mut s: Vec<(f64, bool)> = scores.to_vec();
    s.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut rank_sum, mut i) = (0.0, 0);
    while i < s.len() {
        let mut j = i;
        while j < s.len() && s[j].0 == s[i].0 {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        rank_sum += avg * s[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let pos = s.iter().filter(|x| x.1).count() as f64;
    let neg = s.len() as f64 - pos;
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg).max(1.0)
}

/// Precision, recall and F1 at 0.5.
fn prf(scored: &[(f64, bool)]) -> (f64, f64, f64) {
    let tp = scored.iter().filter(|s| s.0 >= 0.5 && s.1).count() as f64;
    let fp = scored.iter().filter(|s| s.0 >= 0.5 && !s.1).count() as f64;
    let fneg = scored.iter().filter(|s| s.0 < 0.5 && s.1).count() as f64;
    let (p, r) = (tp / (tp + fp).max(1.0), tp / (tp + fneg).max(1.0));
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let input = args.first().map_or("../shared/data/claimbuster/train.json", String::as_str);
    let output = args.get(1).map_or("crates/annotate/models/checkworthy.tsv", String::as_str);
    let d = match load(input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("train_checkworthy: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("{} sentences, {} features seen at least {MIN_COUNT} times", d.rows.len(), d.names.len());
    let train_rows: Vec<usize> = (0..d.rows.len()).filter(|&i| is_training_position(i)).collect();
    let mut scored = Vec::with_capacity(train_rows.len());
    for fold in 0..FOLDS {
        let in_fold = |i: usize| is_training_position(i) && (i / 2) % FOLDS == fold;
        let w = train(&d, &|i| is_training_position(i) && !in_fold(i));
        scored.extend(
            train_rows
                .iter()
                .filter(|&&i| in_fold(i))
                .map(|&i| (predict(&w, &d.rows[i]), d.labels[i])),
        );
    }
    let (p, r, f1) = prf(&scored);
    println!(
        "{FOLDS}-fold cross-validation on the training half: P {p:.3} R {r:.3} F1@0.5 {f1:.3} AUC {:.3}",
        auc(&scored)
    );
    let w = train(&d, &|i| is_training_position(i));
    let held_out: Vec<(f64, bool)> = (0..d.rows.len())
        .filter(|&i| !is_training_position(i))
        .map(|i| (predict(&w, &d.rows[i]), d.labels[i]))
        .collect();
    let (hp, hr, hf1) = prf(&held_out);
    println!("held-out half: P {hp:.3} R {hr:.3} F1@0.5 {hf1:.3} AUC {:.3}", auc(&held_out));
    let n = d.names.len();
    let mut kept: Vec<(&str, f64)> = d
        .names
        .iter()
        .zip(&w)
        .filter(|(_, x)| x.abs() >= MIN_ABS_WEIGHT)
        .map(|(n, &x)| (n.as_str(), x))
        .collect();
    kept.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(b.0)));
    let mut out = String::new();
    out.push_str("# Check-worthiness weights: feature <TAB> weight. Written by\n");
    out.push_str("# cargo run --release -p annotate --example train_checkworthy (see that file for the method).\n");
    out.push_str(&format!(
        "# Trained on the {} even-positioned ClaimBuster sentences; held-out half: F1@0.5 {hf1:.3}, AUC {:.3}.\n",
        train_rows.len(),
        auc(&held_out)
    ));
    out.push_str(&format!("bias\t{:.4}\n", w[n]));
    for (name, x) in &kept {
        out.push_str(&format!("{name}\t{x:.4}\n"));
    }
    if let Err(e) = std::fs::write(output, out) {
        eprintln!("train_checkworthy: {output}: {e}");
        return ExitCode::FAILURE;
    }
    println!("wrote {} weights to {output}", kept.len());
    ExitCode::SUCCESS
}
