//! No corpus text in the repository: the gold corpora in `../shared/data` are for measurement only, so no run of
//! eight words from any of them may appear in Lectern's sources, lexicons, templates or docs. Without the corpora this
//! test says so and checks nothing.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Words in a run that counts as copied text: long enough that the stock phrases of news rarely match by chance
/// (seven-word runs did, for a boilerplate no-comment line), short enough to catch a copied sentence.
const RUN: usize = 8;

fn data_dir() -> PathBuf {
    std::env::var_os("LECTERN_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Lowercase words (letters and digits); with `markup`, what lies between `<` and `>` is left out (the corpora's
/// XML tags). Lectern's own files are read whole: in code a `<` is as often a comparison.
fn words(text: &str, markup: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' if markup => in_tag = true,
            '>' if markup => in_tag = false,
            c if !in_tag && c.is_alphanumeric() => word.extend(c.to_lowercase()),
            _ => {}
        }
        if !c.is_alphanumeric() && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn run_hash(run: &[String]) -> u64 {
    let mut h = DefaultHasher::new();
    run.hash(&mut h);
    h.finish()
}

fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | ".git" | "node_modules") {
                files(&path, keep, out);
            }
        } else if keep(&path) {
            out.push(path);
        }
    }
}

fn extension_in(path: &Path, exts: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e))
}

#[test]
fn no_run_of_corpus_words_in_the_repository() {
    let data = data_dir();
    if !data.join("README.md").exists() {
        let _ =
            writeln!(std::io::stderr(), "SKIPPED no_corpus_text: no corpora at {} (set LECTERN_DATA)", data.display());
        return;
    }
    // The corpora's text: PolNeAR articles and annotations, the Szeged XML, ClaimBuster, Golden Rules, the other
    // corpora's files (not their READMEs).
    let mut corpus_files = Vec::new();
    let corpus_text =
        |p: &Path| extension_in(p, &["txt", "xml", "json", "csv", "ann", "tsv"]) && !p.ends_with("README.md");
    files(&data, &corpus_text, &mut corpus_files);
    assert!(!corpus_files.is_empty(), "no corpus files under {}", data.display());
    let mut runs = HashSet::new();
    for path in &corpus_files {
        let Ok(bytes) = std::fs::read(path) else { continue };
        let w = words(&String::from_utf8_lossy(&bytes), extension_in(path, &["xml"]));
        runs.extend(w.windows(RUN).map(run_hash));
    }

    // Lectern's own text. The bundled demo article is the project's fixture, not corpus text, and is checked too.
    let mut ours = Vec::new();
    let our_text = |p: &Path| extension_in(p, &["rs", "tsv", "md", "html", "js", "css", "toml", "txt", "json", "sh"]);
    files(&repo_root(), &our_text, &mut ours);
    assert!(ours.len() > 20, "found only {} files in the repository", ours.len());
    let mut copied = Vec::new();
    for path in &ours {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let w = words(&text, false);
        for run in w.windows(RUN) {
            if runs.contains(&run_hash(run)) {
                copied.push(format!("{}: “{}”", path.display(), run.join(" ")));
            }
        }
    }
    assert!(copied.is_empty(), "{} runs of corpus text in the repository:\n{}", copied.len(), copied.join("\n"));
}
