//! Choose the check-worthiness bias of the accurate pipeline and write it into a tagger weights file.
//!
//! ```text
//! cargo run --release -p eval --example tune_checkworthy_window -- WEIGHTS [CLAIMBUSTER_JSON]
//! ```
//! The training script (`tools/tagger/train.py`) calibrates the check-worthiness head on single sentences with no
//! rules' spans, but the accurate pipeline reads each sentence in its window with the rules' spans as token types,
//! which moves the scores. This finds the bias shift (log-odds, -3 to 3 in steps of 0.05): the middle of those
//! within 0.01 of the best F1 at 0.5
//! through `annotate_with` on the same held-out fold of ClaimBuster's *training* half that train.py used (even
//! positions `i` with `(i / 2) % 5 == 0`; the odd half, which `lectern eval` scores, is never read), and stores it
//! as `checkworthy_window_shift` in the file's metadata. The file's SHA-256 changes: record the new one.

use std::process::ExitCode;

use annotate::{Model, Pipeline, annotate_with, tagger::sha256_hex};
use eval::corpus::claimbuster;

/// Shifts whose F1 is within this of the best count as equally good.
const PLATEAU: f64 = 0.01;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(weights) = args.first() else {
        eprintln!("usage: tune_checkworthy_window WEIGHTS [CLAIMBUSTER_JSON]");
        return ExitCode::FAILURE;
    };
    let input = args.get(1).map_or("../shared/data/claimbuster/train.json", String::as_str);
    let bytes = match std::fs::read(weights) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("tune_checkworthy_window: {weights}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let model = match Model::load(std::path::Path::new(weights), &sha256_hex(&bytes)) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("tune_checkworthy_window: {e}");
            return ExitCode::FAILURE;
        }
    };
    let items = match claimbuster::load(std::path::Path::new(input)) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("tune_checkworthy_window: {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let current = model.checkworthy_window_shift();
    // Log-odds before the shift, of each held-out training item.
    let scored: Vec<(f32, bool)> = items
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0 && (i / 2) % 5 == 0)
        .map(|(_, item)| {
            let doc = annotate_with(&item.text, Pipeline::Accurate(&model));
            let p = doc
                .sentences
                .iter()
                .map(|s| s.checkworthy)
                .fold(0.0, f32::max)
                .clamp(1e-6, 1.0 - 1e-6);
            ((p / (1.0 - p)).ln() - current, item.checkworthy())
        })
        .collect();
    let f1 = |shift: f32| {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for &(z, y) in &scored {
            match (z + shift >= 0.0, y) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        2.0 * f64::from(tp) / f64::from((2 * tp + fp + fn_).max(1))
    };
    // F1 is flat near its best on 800 sentences, and its single best point is noise: take the middle of the shifts
    // scoring within PLATEAU of the best.
    let grid: Vec<(f32, f64)> = (-60..=60).map(|k| k as f32 * 0.05).map(|s| (s, f1(s))).collect();
    let top = grid.iter().map(|g| g.1).fold(0.0, f64::max);
    let near: Vec<f32> = grid.iter().filter(|g| g.1 >= top - PLATEAU).map(|g| g.0).collect();
    let shift = near[near.len() / 2];
    let best = f1(shift);
    let curve: Vec<String> = (-6..=6)
        .map(|k| format!("{:+.1}:{:.3}", k as f32 * 0.5, f1(k as f32 * 0.5)))
        .collect();
    eprintln!("F1 by shift: {}", curve.join(" "));
    println!(
        "{} held-out training items: F1@0.5 {:.3} with the shift trained on single sentences ({current:+.2}), {best:.3} with {shift:+.2}",
        scored.len(),
        f1(current)
    );
    // Rewrite the header's metadata; the tensors' bytes stay as they are.
    let Some(len) = bytes.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(u64::from_le_bytes) else {
        eprintln!("tune_checkworthy_window: {weights}: no header");
        return ExitCode::FAILURE;
    };
    let end = 8 + len as usize;
    let mut header: serde_json::Value = match bytes.get(8..end).map(serde_json::from_slice) {
        Some(Ok(h)) => h,
        _ => {
            eprintln!("tune_checkworthy_window: {weights}: unreadable header");
            return ExitCode::FAILURE;
        }
    };
    header["__metadata__"]["checkworthy_window_shift"] = serde_json::Value::String(format!("{shift:.4}"));
    let mut text = header.to_string();
    // safetensors headers are padded with spaces to a multiple of 8 bytes.
    while !text.len().is_multiple_of(8) {
        text.push(' ');
    }
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&bytes[end..]);
    if let Err(e) = std::fs::write(weights, &out) {
        eprintln!("tune_checkworthy_window: {weights}: {e}");
        return ExitCode::FAILURE;
    }
    println!("wrote checkworthy_window_shift {shift:+.4} into {weights}; SHA-256 now {}", sha256_hex(&out));
    ExitCode::SUCCESS
}
