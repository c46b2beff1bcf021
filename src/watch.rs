//! Watching the files given on the command line: when one changes on disk, it is read and annotated again and
//! the library's document gets the new text (same id, one more revision), which the open reading pages hear of
//! over their event stream.
//!
//! The watch is on each file's folder, not on the file: editors often save by writing a new file and renaming it
//! over the old one, which a watch on the file itself would lose. Events are debounced, so a burst of writes is
//! read once. A file that cannot be read (removed, half-written, no longer text) leaves the library's last good
//! version in place, with a warning.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::library::Library;
use crate::store::Outcome;

/// How long a file must be quiet before it is read again.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// The running watch; dropping it stops watching.
pub struct Watch {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// A file's folder (canonical) and name: how events are matched to the files given.
fn key(path: &Path) -> Option<(PathBuf, std::ffi::OsString)> {
    let name = path.file_name()?.to_os_string();
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some((std::fs::canonicalize(parent).ok()?, name))
}

/// Watch `files` and import each again into `library` when it changes (at most `max_bytes`).
pub fn start(library: Arc<Library>, files: &[PathBuf], max_bytes: u64) -> notify::Result<Watch> {
    let mut watched: HashMap<(PathBuf, std::ffi::OsString), PathBuf> = HashMap::new();
    for f in files {
        if let Some(k) = key(f) {
            watched.insert(k, f.clone());
        }
    }
    let targets = watched.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    tracing::warn!(error = %e, "file watch error");
                }
                return;
            }
        };
        let mut changed: Vec<&PathBuf> = Vec::new();
        for event in &events {
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            for p in &event.paths {
                let k = p
                    .file_name()
                    .map(|n| (p.parent().map(Path::to_path_buf).unwrap_or_default(), n.to_os_string()));
                let found = k
                    .and_then(|(dir, name)| std::fs::canonicalize(&dir).ok().map(|d| (d, name)))
                    .and_then(|k| targets.get(&k));
                if let Some(file) = found
                    && !changed.contains(&file)
                {
                    changed.push(file);
                }
            }
        }
        for file in changed {
            reimport(&library, file, max_bytes);
        }
    })?;
    let mut dirs: Vec<&PathBuf> = watched.keys().map(|(d, _)| d).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        debouncer.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(Watch { _debouncer: debouncer })
}

fn reimport(library: &Library, file: &Path, max_bytes: u64) {
    if !file.exists() {
        tracing::warn!(file = %file.display(), "the file was removed; the library keeps its last version");
        return;
    }
    let origin = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    if !matches!(library.store().id_by_origin(&origin.display().to_string()), Ok(Some(_))) {
        // Deleted from the library since: a later save does not bring it back.
        tracing::debug!(file = %file.display(), "changed, but no longer in the library");
        return;
    }
    match library.import_file(file, max_bytes) {
        Ok((entry, Outcome::Updated)) => tracing::info!(
            file = %file.display(),
            document = %entry.document.id,
            revision = entry.record.revision,
            "file changed: annotated again"
        ),
        Ok(_) => tracing::debug!(file = %file.display(), "file touched, text unchanged"),
        Err(err) => {
            tracing::warn!(file = %file.display(), error = %err, "cannot read the changed file; keeping the last version")
        }
    }
}
