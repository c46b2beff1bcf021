//! Throughput of the rules pipeline, stage by stage and whole, on news: the PolNeAR train articles joined into one
//! text (read at run time from `../shared/data/polnear/train/text` beside the repository; no corpus text is kept
//! in the repository). Every benchmark counts the bytes of the whole text, so criterion prints MB/s of news through
//! that stage and the stages compare directly. `sentencex` alone, over the same paragraphs, is the baseline for
//! segmentation.
//!
//! Run with `cargo bench -p annotate --bench stages`. `LECTERN_BENCH_DATA` names another data folder;
//! `LECTERN_BENCH_BYTES` keeps only the first articles up to about that many bytes (for a quick run).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use annotate::stages;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// The data folder: `LECTERN_BENCH_DATA`, else `../shared/data` from the repository root.
fn data_dir() -> PathBuf {
    match std::env::var_os("LECTERN_BENCH_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

/// The PolNeAR train articles in file-name order, joined by blank lines, or why they could not be read.
fn corpus() -> Result<String, String> {
    let dir = data_dir().join("polnear/train/text");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let limit = std::env::var("LECTERN_BENCH_BYTES").ok().and_then(|b| b.parse::<usize>().ok());
    let mut text = String::new();
    for file in files {
        if limit.is_some_and(|l| text.len() >= l) {
            break;
        }
        let article = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        text.push_str(&article);
        text.push_str("\n\n");
    }
    if text.is_empty() {
        return Err(format!("{}: no .txt articles", dir.display()));
    }
    Ok(text)
}

fn stages_bench(c: &mut Criterion) {
    let text = match corpus() {
        Ok(text) => text,
        Err(why) => {
            eprintln!("skipping the annotator benchmarks: the PolNeAR train texts are not readable ({why})");
            return;
        }
    };
    let text = text.as_str();
    let segmented = stages::segment(text);
    let toks = stages::tokens(text, &segmented);
    let with_hedges = stages::hedges(&segmented, &toks);
    let mut with_attributions = with_hedges.clone();
    stages::attributions(text, &mut with_attributions, &toks);
    eprintln!(
        "annotator benchmarks over {} bytes: {} sentences, {} tokens",
        text.len(),
        segmented.sentences(),
        toks.count()
    );

    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(8));

    g.bench_function("sentencex", |b| {
        b.iter(|| {
            let mut n = 0;
            for line in black_box(text).split('\n') {
                n += sentencex::get_sentence_boundaries("en", line).len();
            }
            n
        })
    });
    g.bench_function("segment", |b| b.iter(|| stages::segment(black_box(text))));
    g.bench_function("tokens", |b| b.iter(|| stages::tokens(black_box(text), &segmented)));
    g.bench_function("hedges", |b| b.iter(|| stages::hedges(&segmented, black_box(&toks))));
    g.bench_function("attributions", |b| {
        b.iter_batched_ref(
            || with_hedges.clone(),
            |s| stages::attributions(text, s, black_box(&toks)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("claims", |b| {
        b.iter_batched_ref(
            || with_attributions.clone(),
            |s| stages::claims(text, s, black_box(&toks)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("checkworthiness", |b| {
        b.iter_batched_ref(
            || with_attributions.clone(),
            |s| stages::checkworthiness(text, s, black_box(&toks)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("pipeline", |b| b.iter(|| annotate::annotate(black_box(text))));
    g.finish();
}

criterion_group!(benches, stages_bench);
criterion_main!(benches);
