//! Lectern's integration tests: one binary, driving the real server (in-process on `127.0.0.1:0`, and the built
//! `lectern` binary with `--port 0`) and asserting on parsed JSON and parsed HTML; and a real browser (headless
//! Chromium through chromedriver) on the reading view.

mod api;
mod browser;
mod browser_library;
mod browser_review;
mod cli;
mod exports;
mod fuzz;
mod hostile;
mod http;
mod ingest;
mod library;
mod lifecycle;
mod model;
mod review;
mod sharing;
mod support;
mod timing;
mod webdriver;
