//! The fingerprint both build scripts compute (Lectern's `LECTERN_BUILD`, the annotator's `ANNOTATE_FINGERPRINT`):
//! FNV-1a over the paths (relative to the package, `/`-separated) and bytes of every file under some folders, in
//! path order. Each folder is also named to Cargo, so a change in it runs the build script again.

use std::path::{Path, PathBuf};

/// The fingerprint of every file under `dirs` of the package at `root`.
pub fn fingerprint(root: &Path, dirs: &[&str]) -> u64 {
    let mut files = Vec::new();
    for dir in dirs {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        feed(relative.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&[0]);
        feed(&std::fs::read(file).unwrap_or_default());
        feed(&[0]);
    }
    hash
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
