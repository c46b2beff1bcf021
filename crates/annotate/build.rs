//! Computes the annotator's version stamp: the crate version plus a fingerprint of everything that decides its
//! output (the sources, the lexicons and the model weights). Lectern stores this stamp beside every stored
//! annotation and recomputes annotations whose stamp differs, so a change to any rule, lexicon entry or weight is
//! never hidden behind a stale result. The fingerprint is FNV-1a over the files' paths and bytes, in path order.

#[path = "fingerprint.rs"]
mod fingerprint;

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let hash = fingerprint::fingerprint(&root, &["src", "lexicons", "models"]);
    println!("cargo:rustc-env=ANNOTATE_FINGERPRINT={hash:016x}");
}
