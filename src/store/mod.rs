//! The library's storage: one SQLite file (`lectern.db`) in the data directory, in WAL mode.
//!
//! **Only the store writes the database.** Everything else asks it for immutable snapshots ([`Arc<Entry>`]) and
//! hands it whole documents to add. Every write is one transaction, so a process killed at any moment (even with
//! SIGKILL) leaves each document either wholly stored (text, annotation, search index, share grants) or absent,
//! and the file opens cleanly afterwards.
//!
//! Each stored annotation carries the [`annotate::VERSION`] that made it. A row made by another annotator is
//! recomputed (when it is read, and by [`Store::refresh_stale`] in the background), so a stored result never
//! outlives the rules that made it.
//!
//! The methods block: call them from a blocking thread (`tokio::task::spawn_blocking`), never from an async worker.
//! One connection writes (behind a mutex); reads use a small pool of their own connections, which WAL lets run
//! beside the writer.

mod codec;
mod documents;
mod review;
mod schema;
mod shares;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags};

pub use documents::{AddedBy, Health, ListPage, ListQuery, NewDocument, Outcome, Row, Snippet, Visible};
pub use review::{NewNote, NoteEdit};
pub use shares::{Grant, NewShare, Share, ShareScope};

use crate::entry::Entry;

/// File name of the database inside the data directory.
pub const FILE_NAME: &str = "lectern.db";

/// How long a statement waits for a lock held by another connection before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Most reading connections kept open for reuse.
const MAX_IDLE_READERS: usize = 8;

/// Most annotated documents kept decoded in memory, and their total weight (about the bytes they take).
const CACHE_ITEMS: usize = 256;
const CACHE_WEIGHT: u64 = 512 * 1024 * 1024;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be created.
    #[error("cannot create the library folder {}: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database could not be opened or is not a Lectern library.
    #[error("cannot open the library {}: {reason}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why, for a person.
        reason: String,
    },
    /// The database was made by a newer Lectern.
    #[error("the library was made by a newer Lectern (schema {found}; this one knows up to {supported})")]
    NewerSchema {
        /// Its schema version.
        found: u32,
        /// The highest this Lectern knows.
        supported: u32,
    },
    /// A document, share or other row that was asked for does not exist.
    #[error("no such {0}")]
    Missing(&'static str),
    /// The operating system gave no randomness for a token.
    #[error("no randomness for a share token: {0}")]
    Random(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// The library's database.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Decoded entries by document id.
    cache: quick_cache::sync::Cache<String, Arc<Entry>, Weight>,
    /// Raised by every write; a read that saw another value than it started with does not fill the cache.
    generation: AtomicU64,
    /// The share links that are valid now, for checking tokens without a query.
    grants: RwLock<Vec<Grant>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

/// Weighs cached entries by the size of their text (their annotation grows with it).
#[derive(Debug, Clone, Copy)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Entry>> for Weight {
    fn weight(&self, _: &String, entry: &Arc<Entry>) -> u64 {
        // Tokens, spans and strings of the annotation take several times the text.
        (entry.document.text.len() as u64).saturating_mul(8).saturating_add(4096)
    }
}

impl Store {
    /// Open (creating if needed) the library in the folder `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
        let path = dir.join(FILE_NAME);
        Store::open_file(&path).map_err(|err| match err {
            StoreError::Sqlite(e) => StoreError::Open { reason: describe_open_error(&e), path: path.clone() },
            other => other,
        })
    }

    fn open_file(path: &Path) -> Result<Store, StoreError> {
        let mut writer = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
        // WAL: readers never wait for the writer, and a commit is atomic on disk. NORMAL synchronisation keeps
        // every committed transaction across a crash of the process; only a power cut can lose the last ones.
        let mode: String = writer.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: format!("the file system does not allow write-ahead logging (journal mode {mode})"),
            });
        }
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&mut writer)?;
        let grants = shares::load_grants(&writer)?;
        let store = Store {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            cache: quick_cache::sync::Cache::with_weighter(CACHE_ITEMS, CACHE_WEIGHT, Weight),
            generation: AtomicU64::new(0),
            grants: RwLock::new(grants),
        };
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The writing connection. A panic while it was held cannot leave a transaction open (rusqlite rolls back
    /// on drop), so a poisoned lock is still a usable connection.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Run `f` on a reading connection from the pool.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let idle = self.readers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        let conn = match idle {
            Some(c) => c,
            None => connect(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?,
        };
        let out = f(&conn);
        let mut pool = self.readers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if pool.len() < MAX_IDLE_READERS {
            pool.push(conn);
        }
        out
    }

    /// Note a write: cached reads that started before it will not be cached.
    fn wrote(&self, id: &str) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.cache.remove(id);
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// A connection with the settings every connection needs.
fn connect(path: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Reading the schema version touches the file: a file that is not a database fails here, at open time.
    let _: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    Ok(conn)
}

/// A reason a person can act on, for an error while opening.
fn describe_open_error(err: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            "the file is damaged or is not a Lectern library (move it away, or choose another folder with --data)"
                .to_string()
        }
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            "the folder or the file cannot be written (check its permissions, or choose another folder with --data)"
                .to_string()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "another program holds it locked (is another Lectern using this folder?)".to_string()
        }
        Some(ErrorCode::DiskFull) => "the disk is full".to_string(),
        _ => err.to_string(),
    }
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The platform's data directory for Lectern (e.g. `~/.local/share/lectern` on Linux), if there is a home.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "lectern").map(|d| d.data_dir().to_path_buf())
}

#[cfg(test)]
pub(crate) mod testing {
    //! A store in a fresh temporary folder, removed on drop.

    use super::*;

    pub struct TempStore {
        pub store: Store,
        dir: PathBuf,
    }

    impl TempStore {
        pub fn new(tag: &str) -> TempStore {
            static N: AtomicU64 = AtomicU64::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("lectern-store-{}-{n}-{tag}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            let store = Store::open(&dir).unwrap_or_else(|e| panic!("open a store in {}: {e}", dir.display()));
            TempStore { store, dir }
        }

        pub fn dir(&self) -> &Path {
            &self.dir
        }
    }

    impl Drop for TempStore {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    impl std::ops::Deref for TempStore {
        type Target = Store;
        fn deref(&self) -> &Store {
            &self.store
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::TempStore;
    use super::*;

    #[test]
    fn a_new_library_is_at_the_current_schema_in_wal_mode() {
        let s = TempStore::new("schema");
        let conn = s.writer();
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap_or(0);
        assert_eq!(version, schema::VERSION);
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap_or_default();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn reopening_keeps_the_schema_and_a_newer_one_is_refused() {
        let s = TempStore::new("reopen");
        let dir = s.dir().to_path_buf();
        s.writer().pragma_update(None, "user_version", schema::VERSION + 1).ok();
        let err = Store::open(&dir).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("newer Lectern"), "{err}");
    }

    #[test]
    fn two_processes_opening_a_new_library_at_once_both_succeed() {
        let dir = std::env::temp_dir().join(format!("lectern-store-{}-race", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let opened: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| Store::open(&dir).is_ok())).collect();
            handles.into_iter().map(|h| h.join().unwrap_or(false)).collect()
        });
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(opened, [true; 4]);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("lectern-store-{}-garbage", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join(FILE_NAME), vec![0x5a; 8192]).ok();
        let err = Store::open(&dir).err().map(|e| e.to_string()).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(err.contains("damaged or is not a Lectern library"), "{err}");
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_a_clear_error() {
        let file = std::env::temp_dir().join(format!("lectern-store-{}-a-file", std::process::id()));
        std::fs::write(&file, b"x").ok();
        let err = Store::open(&file.join("library")).err();
        let _ = std::fs::remove_file(&file);
        assert!(matches!(err, Some(StoreError::CreateDir { .. })), "{err:?}");
    }
}
