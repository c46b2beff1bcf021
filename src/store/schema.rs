//! The database schema and its migrations. `PRAGMA user_version` holds the number of migrations applied; each
//! migration runs in its own transaction, so a database is always at one version or the next, never between.
//! A database from a newer Lectern (a higher version than [`MIGRATIONS`] knows) is refused rather than guessed at.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: documents, their annotations, full-text search, share links.
    r#"
    CREATE TABLE documents (
        key      INTEGER PRIMARY KEY,
        id       TEXT NOT NULL UNIQUE,      -- the URL id, a slug of the name or title
        title    TEXT NOT NULL,
        name     TEXT NOT NULL,             -- file name as given, or <pasted>, <stdin>
        format   TEXT NOT NULL,             -- what the text was converted from
        origin   TEXT UNIQUE,               -- the watched file's canonical path, if any
        text     TEXT NOT NULL,             -- the annotated text; every offset points into it
        hash     BLOB NOT NULL,             -- SHA-256 of text: identical content is one document
        bytes    INTEGER NOT NULL,          -- length of text in bytes
        chars    INTEGER NOT NULL,          -- length of text in characters
        added    INTEGER NOT NULL,          -- seconds since the Unix epoch
        updated  INTEGER NOT NULL,
        revision INTEGER NOT NULL,          -- 1, then one more for each change of the text
        added_by TEXT NOT NULL              -- owner, file, or share:<id>
    );
    CREATE INDEX documents_by_added ON documents (added DESC, key DESC);
    CREATE INDEX documents_by_hash ON documents (hash);

    CREATE TABLE annotations (
        document      INTEGER PRIMARY KEY REFERENCES documents (key) ON DELETE CASCADE,
        annotator     TEXT NOT NULL,        -- annotate::VERSION that made it
        data          BLOB NOT NULL,        -- store::codec
        sentences     INTEGER NOT NULL,
        hedges        INTEGER NOT NULL,
        attributions  INTEGER NOT NULL,
        sources       INTEGER NOT NULL,
        attributed    INTEGER NOT NULL,
        unattributed  INTEGER NOT NULL,
        no_claim      INTEGER NOT NULL,
        unnamed_only  INTEGER NOT NULL,
        hedged_claims INTEGER NOT NULL
    );
    CREATE INDEX annotations_by_annotator ON annotations (annotator);

    CREATE VIRTUAL TABLE documents_fts USING fts5 (
        title, text, content = 'documents', content_rowid = 'key', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts (rowid, title, text) VALUES (new.key, new.title, new.text);
    END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.key, old.title, old.text);
    END;
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.key, old.title, old.text);
        INSERT INTO documents_fts (rowid, title, text) VALUES (new.key, new.title, new.text);
    END;

    CREATE TABLE shares (
        id         TEXT PRIMARY KEY,        -- public id: names the cookie and the revoke address
        token_hash BLOB NOT NULL UNIQUE,    -- SHA-256 of the secret token; the token itself is never stored
        label      TEXT NOT NULL,
        whole      INTEGER NOT NULL,        -- 1: the whole library; 0: the documents in share_documents
        created    INTEGER NOT NULL,
        opened     INTEGER,                 -- when the link was last exchanged for a cookie
        opens      INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE share_documents (
        share    TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
        document INTEGER NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
        PRIMARY KEY (share, document)
    ) WITHOUT ROWID;
    CREATE INDEX share_documents_by_document ON share_documents (document);
    "#,
    // 2: what was found out while reading a document (byline, site, link, encoding, what was removed).
    r#"
    ALTER TABLE documents ADD COLUMN meta TEXT NOT NULL DEFAULT '{}';  -- store::codec::encode_meta
    "#,
    // 3: colleagues' notes and corrections; `review` counts their changes, so a page shows the latest.
    r#"
    ALTER TABLE documents ADD COLUMN review INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE notes (
        id         TEXT PRIMARY KEY,
        document   INTEGER NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
        parent     TEXT REFERENCES notes (id) ON DELETE CASCADE,  -- the note this one replies to (one level)
        sentence   TEXT NOT NULL,           -- the sentence's permalink id when the note was written
        exact      TEXT NOT NULL,           -- the passage noted, and some text before and after it
        prefix     TEXT NOT NULL,
        suffix     TEXT NOT NULL,
        body       TEXT NOT NULL,
        author     TEXT NOT NULL,           -- the name shown
        author_key TEXT NOT NULL,           -- who may edit it: owner, or viewer:<the viewer's key>
        created    INTEGER NOT NULL,
        edited     INTEGER,
        resolved   INTEGER
    );
    CREATE INDEX notes_by_document ON notes (document, created);
    CREATE TABLE corrections (
        id          TEXT PRIMARY KEY,
        document    INTEGER NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
        sentence    TEXT NOT NULL,          -- permalink id
        layer       TEXT NOT NULL,          -- source, cue, content, hedge, claim
        action      TEXT NOT NULL,          -- confirm, reject, fix, add
        target_exact TEXT,                  -- the annotator's span corrected, as text and characters
        target_start INTEGER,
        target_end   INTEGER,
        span_exact  TEXT,                   -- the span a person chose instead (fix, add)
        span_start  INTEGER,
        span_end    INTEGER,
        value       TEXT,                   -- kind, category or claim label
        author      TEXT NOT NULL,
        author_key  TEXT NOT NULL,
        created     INTEGER NOT NULL
    );
    CREATE INDEX corrections_by_document ON corrections (document, created);
    "#,
];

/// The schema version this Lectern writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Bring `conn` to [`VERSION`]. Safe when several processes open a new library at once: each migration checks the
/// version again once it holds the write lock.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > VERSION {
        return Err(StoreError::NewerSchema { found, supported: VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another Lectern opening the same library may have migrated it while this one waited for the lock.
        let now: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if now > i as u32 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
        tracing::debug!(version = i + 1, "library schema migrated");
    }
    Ok(())
}
