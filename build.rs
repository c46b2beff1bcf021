//! Computes Lectern's build fingerprint: a hash of the templates, the static files and the application's sources.
//! A cached page's `ETag` includes it, so a browser never keeps a page made by another build of Lectern (the
//! annotator's own version stamp, `annotate::VERSION`, covers what it finds). FNV-1a over paths and bytes.

#[path = "crates/annotate/fingerprint.rs"]
mod fingerprint;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let hash = fingerprint::fingerprint(&root, &["templates", "static", "src"]);
    println!("cargo:rustc-env=LECTERN_BUILD={hash:016x}");
}
