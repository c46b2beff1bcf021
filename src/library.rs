//! The [`Library`]: the store with the annotator in front of it and a feed of changes behind it. Every way a
//! document comes in (a file on the command line, a watched file that changed, an upload, a paste, the API) goes
//! through [`Library::add`], and every change is announced on [`Library::subscribe`] for the pages that are open.
//!
//! Its methods block (they annotate and write the database): the server calls them on blocking threads.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::broadcast;

use crate::entry::Entry;
use crate::ingest::{self, IngestError, Input};
use crate::store::{AddedBy, NewDocument, Outcome, Store, StoreError};

/// How many changes a slow subscriber may fall behind before it is told it missed some.
const FEED_CAPACITY: usize = 256;

/// A change to the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// To which document.
    pub id: String,
    /// Its revision after the change (0 when deleted).
    pub revision: i64,
    /// For [`ChangeKind::Refining`]: how many bytes of the text the model has read, of how many.
    pub progress: Option<(u64, u64)>,
}

/// What happened to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// It was added.
    Added,
    /// Its text changed (a watched file was edited), or it was annotated again.
    Updated,
    /// It was deleted.
    Deleted,
    /// Files began or finished being added (no document named).
    Progress,
    /// A note was written, edited, resolved or deleted.
    Note,
    /// A correction was made or undone: the reviewed view changed.
    Corrected,
    /// The learned model is reading the document (with how far it has got).
    Refining,
    /// The learned model's annotation replaced the rules' one.
    Refined,
}

impl ChangeKind {
    /// The event name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Updated => "updated",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Progress => "progress",
            ChangeKind::Note => "note",
            ChangeKind::Corrected => "corrected",
            ChangeKind::Refining => "annotating",
            ChangeKind::Refined => "annotated",
        }
    }
}

/// `base` (the annotator's view) with `corrections` applied and `notes` placed.
pub fn review(
    base: &Entry,
    notes: Vec<crate::review::notes::Note>,
    corrections: &[crate::review::corrections::Correction],
) -> Entry {
    let text = &base.document.text;
    let ids = crate::view::sentence_ids(text, &base.annotated);
    let applied = crate::review::corrections::apply(text, &base.annotated, &ids, corrections);
    let spans: Vec<(usize, usize)> = applied.annotated.sentences.iter().map(|s| (s.span.start, s.span.end)).collect();
    let placed = notes
        .into_iter()
        .map(|note| {
            let sentence = ids.iter().position(|id| id.as_deref() == Some(note.sentence.as_str()));
            let found = crate::review::anchor::find(text, &spans, sentence, &note.quote);
            crate::entry::Placed { note, found }
        })
        .collect();
    let review = crate::entry::Review {
        applied: applied.changes,
        unattached: applied.unattached,
        notes: placed,
        original: base.annotated.clone(),
    };
    Entry {
        review: Some(Arc::new(review)),
        record: base.record.clone(),
        ..Entry::from_parts(base.document.clone(), applied.annotated)
    }
}

/// The learned model's state.
#[derive(Debug, Default)]
enum Refiner {
    /// Not used (`--fast`).
    #[default]
    Off,
    /// Being loaded.
    Loading,
    /// Loaded: documents are refined.
    Ready,
    /// It could not be loaded, and why.
    Failed(String),
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// It could not be read or decoded.
    #[error("{0}")]
    Load(#[from] IngestError),
    /// It could not be stored.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The documents, their annotations, and the feed of changes.
#[derive(Debug)]
pub struct Library {
    store: Store,
    /// Reviewed views (corrections applied, notes placed), by document, revision, review count and the pipeline
    /// that made the annotation under them.
    reviewed: quick_cache::sync::Cache<(String, i64, i64, crate::entry::Made), Arc<Entry>>,
    feed: broadcast::Sender<Change>,
    /// Files being read and annotated now, by a number of their own, for the library page.
    pending: std::sync::Mutex<Vec<(u64, String)>>,
    next_pending: std::sync::atomic::AtomicU64,
    /// The learned tagger, when documents are refined by the accurate pipeline after the rules' first pass.
    model: std::sync::Mutex<Refiner>,
    /// Wakes the refiner when there may be work.
    work: (std::sync::Mutex<bool>, std::sync::Condvar),
}

/// A file being added, from [`Library::begin_import`] to [`Library::end_import`].
#[derive(Debug)]
pub struct Pending(u64);

impl Library {
    /// The library kept in `store`.
    pub fn new(store: Store) -> Library {
        let (feed, _) = broadcast::channel(FEED_CAPACITY);
        Library {
            store,
            reviewed: quick_cache::sync::Cache::new(256),
            feed,
            pending: std::sync::Mutex::default(),
            next_pending: std::sync::atomic::AtomicU64::new(1),
            model: std::sync::Mutex::new(Refiner::Off),
            work: (std::sync::Mutex::new(false), std::sync::Condvar::new()),
        }
    }

    /// Whether documents are refined by the learned model (it is loading, or loaded).
    pub fn refines(&self) -> bool {
        matches!(*self.refiner(), Refiner::Loading | Refiner::Ready)
    }

    /// Why the learned model could not be loaded, if it could not.
    pub fn model_error(&self) -> Option<String> {
        match &*self.refiner() {
            Refiner::Failed(e) => Some(e.clone()),
            _ => None,
        }
    }

    fn refiner(&self) -> std::sync::MutexGuard<'_, Refiner> {
        self.model.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn wake_refiner(&self) {
        let (lock, wake) = &self.work;
        *lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        wake.notify_all();
    }

    /// Start refining in the background, on a thread of its own: `load` loads the learned model there (so that
    /// serving starts at once), then every document the rules alone annotated (newest first, and each new one as it
    /// comes) is annotated again by the accurate pipeline, which announces its progress ([`ChangeKind::Refining`])
    /// and its result ([`ChangeKind::Refined`]). Pages show the rules' annotation at once and the model's when it
    /// is ready. A model that cannot be loaded is said on standard error and on every reading page
    /// ([`Library::model_error`]).
    pub fn start_refiner(self: &Arc<Library>, load: impl FnOnce() -> Result<annotate::Model, String> + Send + 'static) {
        *self.refiner() = Refiner::Loading;
        let library = Arc::downgrade(self);
        let spawned = std::thread::Builder::new().name("lectern-refiner".into()).spawn(move || {
            let model = match load() {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("lectern: error: {e}");
                    if let Some(lib) = library.upgrade() {
                        *lib.refiner() = Refiner::Failed(e);
                    }
                    return;
                }
            };
            if let Some(lib) = library.upgrade() {
                *lib.refiner() = Refiner::Ready;
            }
            // Documents whose refinement failed are not tried again in this run (the rules' annotation stays).
            let mut failed = std::collections::HashSet::new();
            loop {
                // The library gone (the server stopped), the refiner ends.
                let Some(lib) = library.upgrade() else { return };
                let next = match lib.store.unrefined(failed.len() + 1) {
                    Ok(ids) => ids.into_iter().find(|id| !failed.contains(id)),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot list documents to refine");
                        None
                    }
                };
                match next {
                    Some(id) => {
                        if let Err(e) = lib.refine(&model, &id) {
                            tracing::warn!(document = %id, error = %e, "refining failed");
                            failed.insert(id);
                        }
                    }
                    None => {
                        let (lock, wake) = &lib.work;
                        let mut ready = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        if !*ready {
                            // Woken by a new document, or every few seconds to see whether the library is gone.
                            ready = wake
                                .wait_timeout(ready, std::time::Duration::from_secs(2))
                                .map(|(g, _)| g)
                                .unwrap_or_else(|e| e.into_inner().0);
                        }
                        *ready = false;
                    }
                }
            }
        });
        if let Err(e) = spawned {
            *self.refiner() = Refiner::Failed(format!("the learned model's thread could not start: {e}"));
        }
    }

    /// Annotate document `id` with the accurate pipeline and store the result, announcing progress on the way.
    fn refine(&self, model: &annotate::Model, id: &str) -> Result<(), StoreError> {
        let Some(entry) = self.store.get(id)? else { return Ok(()) };
        if entry.record.made == crate::entry::Made::Model {
            return Ok(());
        }
        let text = &entry.document.text;
        let total = text.len() as u64;
        let revision = entry.record.revision;
        self.announce_progress(id, revision, (0, total));
        let mut last = std::time::Instant::now();
        let annotated = annotate::annotate_with_progress(text, annotate::Pipeline::Accurate(model), &mut |done| {
            // A few events a second at most, however small the windows.
            if last.elapsed() >= std::time::Duration::from_millis(300) {
                last = std::time::Instant::now();
                self.announce_progress(id, revision, (done as u64, total));
            }
        });
        if self.store.save_refined(id, revision, text, &annotated)? {
            self.announce(ChangeKind::Refined, id, revision);
        }
        Ok(())
    }

    fn announce_progress(&self, id: &str, revision: i64, progress: (u64, u64)) {
        let _ = self.feed.send(Change {
            kind: ChangeKind::Refining,
            id: id.to_string(),
            revision,
            progress: Some(progress),
        });
    }

    /// The store, for reads.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.feed.subscribe()
    }

    fn announce(&self, kind: ChangeKind, id: &str, revision: i64) {
        // No subscriber is not an error: nobody has a page open.
        let _ = self.feed.send(Change { kind, id: id.to_string(), revision, progress: None });
    }

    /// Annotate and store `new` (see [`Store::add`] for what happens to repeated texts and watched files), and
    /// announce it.
    pub fn add(&self, new: NewDocument) -> Result<(Arc<Entry>, Outcome), StoreError> {
        self.add_with(new, annotate::annotate)
    }

    /// [`Library::add`] with an annotation made by `annotate` (tests store hand-made annotations this way).
    pub fn add_with(
        &self,
        new: NewDocument,
        annotate: impl FnOnce(&str) -> annotate::Annotated,
    ) -> Result<(Arc<Entry>, Outcome), StoreError> {
        let (entry, outcome) = self.store.add(new, annotate)?;
        match outcome {
            Outcome::Created => self.announce(ChangeKind::Added, &entry.document.id, entry.record.revision),
            Outcome::Updated => self.announce(ChangeKind::Updated, &entry.document.id, entry.record.revision),
            Outcome::Existing | Outcome::Unchanged => {}
        }
        if matches!(outcome, Outcome::Created | Outcome::Updated) {
            self.wake_refiner();
        }
        Ok((entry, outcome))
    }

    /// Import the file at `path` (at most `max_bytes`), to be watched: its canonical path is the document's origin,
    /// so importing it again after an edit replaces the text instead of adding a second document.
    pub fn import_file(&self, path: &Path, max_bytes: u64) -> Result<(Arc<Entry>, Outcome), ImportError> {
        let document = ingest::load_limited(&Input::File(path.to_path_buf()), max_bytes)?;
        let origin = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let new = NewDocument { document, origin: Some(origin.display().to_string()), added_by: AddedBy::File };
        Ok(self.add(new)?)
    }

    /// The reviewed view of document `id`: its annotation with colleagues' corrections applied and their notes
    /// placed (the annotator's own view when nobody reviewed it). Blocks: reads the database when not kept.
    pub fn reviewed(&self, id: &str) -> Result<Option<Arc<Entry>>, StoreError> {
        let Some(base) = self.store.get(id)? else { return Ok(None) };
        if base.record.review == 0 {
            return Ok(Some(base));
        }
        let key = (id.to_string(), base.record.revision, base.record.review, base.record.made);
        if let Some(entry) = self.reviewed.get(&key) {
            return Ok(Some(entry));
        }
        let notes = self.store.notes(id)?;
        let corrections = self.store.corrections(id)?;
        let entry = Arc::new(review(&base, notes, &corrections));
        self.reviewed.insert(key, Arc::clone(&entry));
        Ok(Some(entry))
    }

    /// The reviewed view of document `id` if it is kept in memory: no database read, so an async worker may ask.
    pub fn reviewed_cached(&self, id: &str) -> Option<Arc<Entry>> {
        let base = self.store.cached(id)?;
        if base.record.review == 0 {
            return Some(base);
        }
        self.reviewed
            .get(&(id.to_string(), base.record.revision, base.record.review, base.record.made))
    }

    /// The reviewed view of every document, oldest first; with `corrected_only`, of those someone corrected.
    pub fn export(&self, corrected_only: bool) -> Result<Vec<Arc<Entry>>, StoreError> {
        let ids = if corrected_only { self.store.corrected_ids()? } else { self.store.ids()? };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(entry) = self.reviewed(&id)? {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// Say that document `id` was reviewed (a note or a correction): open pages hear of it.
    pub fn reviewed_changed(&self, id: &str, kind: ChangeKind) {
        let revision = self.store.cached(id).map_or(0, |e| e.record.revision);
        self.announce(kind, id, revision);
    }

    /// Say that `name` is being added (the library page lists it as being annotated).
    pub fn begin_import(&self, name: &str) -> Pending {
        let n = self.next_pending.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((n, name.to_string()));
        self.announce(ChangeKind::Progress, "", 0);
        Pending(n)
    }

    /// `pending` is done (added or refused).
    pub fn end_import(&self, pending: Pending) {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|(n, _)| *n != pending.0);
        self.announce(ChangeKind::Progress, "", 0);
    }

    /// The names of the files being added now.
    pub fn pending(&self) -> Vec<String> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(_, n)| n.clone())
            .collect()
    }

    /// Delete document `id`; false if there was none.
    pub fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let deleted = self.store.delete(id)?;
        if deleted {
            self.announce(ChangeKind::Deleted, id, 0);
        }
        Ok(deleted)
    }

    /// Recompute stale annotations in batches, announcing each; returns how many were recomputed.
    pub fn refresh_stale(&self) -> Result<usize, StoreError> {
        let mut done = 0;
        let mut previous = Vec::new();
        loop {
            let ids = self.store.refresh_stale(16)?;
            // A batch that comes back the same could not be written: stop rather than spin.
            if ids.is_empty() || ids == previous {
                return Ok(done);
            }
            previous.clone_from(&ids);
            done += ids.len();
            for id in ids {
                let revision = self.store.get(&id)?.map_or(0, |e| e.record.revision);
                self.announce(ChangeKind::Updated, &id, revision);
            }
            self.wake_refiner();
        }
    }
}
