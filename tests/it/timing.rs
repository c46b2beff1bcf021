//! How long the server takes to answer the demo's reading page: the whole router in-process (routing, middleware,
//! building the view, rendering the template, compressing it as a browser asks for it), no socket. Each run starts
//! with an empty page cache, so every run renders; many runs, the median and the 95th percentile are printed and
//! the 95th percentile must stay within the budget. The same page from the cache is timed too, for comparison.
//!
//! `cargo test --release --test it render_time -- --nocapture` prints the numbers of an optimised build.

use std::time::{Duration, Instant};

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use lectern::server::{AppState, Options, router};
use tower::ServiceExt;

use crate::support::{demo_library, library_of};

/// Renders measured.
const RUNS: usize = 200;

/// Renders before measuring (caches, allocator).
const WARM_UP: usize = 10;

/// The reading page of the demo must be answered within this, server-side.
const BUDGET: Duration = Duration::from_millis(50);

/// The `q`-quantile of sorted `times`.
fn quantile(times: &[Duration], q: f64) -> Duration {
    let last = times.len().saturating_sub(1);
    // `q` is in [0, 1] and `last` is small: the product is a valid index.
    times.get(((last as f64) * q).round() as usize).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::test]
async fn render_time_of_the_demo_page_is_within_budget() {
    let (library, _data) = library_of(demo_library());
    let state = AppState::new(library, Options::new());
    for (encoding, label, cached) in
        [("gzip", "gzip", false), ("identity", "uncompressed", false), ("gzip", "gzip, from the cache", true)]
    {
        let mut times = Vec::with_capacity(RUNS);
        let mut size = 0;
        let mut app = router(state.clone());
        for run in 0..WARM_UP + RUNS {
            if !cached {
                // A fresh page cache: this run renders and compresses the page.
                app = router(AppState { cache: std::sync::Arc::default(), ..state.clone() });
            }
            let request = Request::get("/d/kim-putin-article")
                .header(header::ACCEPT_ENCODING, encoding)
                // The peer address the connection loop attaches: this machine, the owner.
                .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))))
                .body(Body::empty())
                .expect("a valid request");
            let start = Instant::now();
            let response = app.clone().oneshot(request).await.expect("the router answers");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the body");
            let took = start.elapsed();
            assert_eq!(status, StatusCode::OK);
            assert!(!body.is_empty());
            size = body.len();
            if run >= WARM_UP {
                times.push(took);
            }
        }
        times.sort_unstable();
        let (median, p95, max) = (quantile(&times, 0.5), quantile(&times, 0.95), quantile(&times, 1.0));
        let build = if cfg!(debug_assertions) { "debug build" } else { "release build" };
        println!(
            "render time /d/kim-putin-article ({label}, {size} bytes, {build}): {RUNS} runs, median {:.2} ms, p95 \
             {:.2} ms, max {:.2} ms",
            ms(median),
            ms(p95),
            ms(max)
        );
        assert!(p95 < BUDGET, "p95 {:.2} ms is over the {} ms budget", ms(p95), BUDGET.as_millis());
    }
}
