//! Speed of a pipeline on the demo article (`demo/kim-putin-article.txt`, Lectern's own sample text, compiled in):
//! the median of a few runs, in milliseconds, beside the budget it must stay under.

use std::time::Instant;

use serde::Serialize;

/// The demo article.
pub const DEMO: &str = include_str!("../../../demo/kim-putin-article.txt");

/// Runs timed per pipeline; the median is reported.
const RUNS: usize = 3;

/// How long one pipeline took on the demo article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Speed {
    /// `fast` or `accurate`.
    pub pipeline: &'static str,
    /// Median milliseconds of one `annotate_with` call on the demo article.
    pub demo_ms: f64,
    /// Bytes of the demo article.
    pub demo_bytes: usize,
}

/// Time `pipeline` on the demo article.
pub fn demo(pipeline: annotate::Pipeline<'_>) -> Speed {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let doc = annotate::annotate_with(DEMO, pipeline);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(doc);
            ms
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let name = match pipeline {
        annotate::Pipeline::Fast => "fast",
        annotate::Pipeline::Accurate(_) => "accurate",
    };
    Speed { pipeline: name, demo_ms: times[RUNS / 2], demo_bytes: DEMO.len() }
}
