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
    /// Reviewed views (corrections applied, notes placed), by document, revision and review count.
    reviewed: quick_cache::sync::Cache<(String, i64, i64), Arc<Entry>>,
    feed: broadcast::Sender<Change>,
    /// Files being read and annotated now, by a number of their own, for the library page.
    pending: std::sync::Mutex<Vec<(u64, String)>>,
    next_pending: std::sync::atomic::AtomicU64,
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
        }
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
        let _ = self.feed.send(Change { kind, id: id.to_string(), revision });
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
        let key = (id.to_string(), base.record.revision, base.record.review);
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
        self.reviewed.get(&(id.to_string(), base.record.revision, base.record.review))
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
        }
    }
}
