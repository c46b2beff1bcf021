//! Documents and their annotations: add (deduplicated by content), replace from a watched file, read, list and
//! search, delete, and recompute annotations made by another annotator version.

use std::sync::Arc;

use annotate::Annotated;
use rusqlite::{Connection, OptionalExtension, Row as SqlRow, TransactionBehavior, params, params_from_iter};
use sha2::{Digest, Sha256};

use super::{Store, StoreError, codec, now};
use crate::entry::{Entry, Made, Record, Stats};
use crate::ingest::{Document, Format, slug};

/// Longest id made from a name or title, in bytes; longer slugs are cut at a word boundary.
const MAX_ID_BYTES: usize = 60;

/// A document to add.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// The loaded document; its `id` is the wanted id, made unique when stored.
    pub document: Document,
    /// The file it comes from, canonicalised, when it is to be watched; a document with the same origin is
    /// replaced rather than added again.
    pub origin: Option<String>,
    /// Who adds it.
    pub added_by: AddedBy,
}

/// Who added a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedBy {
    /// The person at the machine, from the browser or the API.
    Owner,
    /// A file given on the command line.
    File,
    /// A viewer holding these share links (the first is recorded; the new document is granted to every link
    /// that names documents, so the viewer can read what they added).
    Viewer(Vec<String>),
}

impl AddedBy {
    fn column(&self) -> String {
        match self {
            AddedBy::Owner => "owner".to_string(),
            AddedBy::File => "file".to_string(),
            AddedBy::Viewer(shares) => format!("share:{}", shares.first().map_or("", String::as_str)),
        }
    }
}

/// What adding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new document.
    Created,
    /// The same text was already there: that document is returned, nothing is added.
    Existing,
    /// A watched file's document got the file's new text.
    Updated,
    /// A watched file's document already had this text.
    Unchanged,
}

/// Which documents a listing may show.
#[derive(Debug, Clone, Copy)]
pub enum Visible<'a> {
    /// All of them (the owner, or a link to the whole library).
    All,
    /// Those granted to these share links.
    Shares(&'a [String]),
}

/// A page of the library.
#[derive(Debug, Clone, Copy)]
pub struct ListQuery<'a> {
    /// Words to search for (all of them, the last as a prefix); `None` or blank lists everything, newest first.
    pub search: Option<&'a str>,
    /// Which documents may be listed.
    pub visible: Visible<'a>,
    /// Rows to skip.
    pub offset: usize,
    /// Most rows to return.
    pub limit: usize,
}

/// One page of rows and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct ListPage {
    /// The rows of this page.
    pub rows: Vec<Row>,
    /// Rows matching the query, on every page.
    pub total: usize,
}

/// A document as the library lists it: no text, its counts.
#[derive(Debug, Clone)]
pub struct Row {
    /// URL id.
    pub id: String,
    /// Title.
    pub title: String,
    /// File name.
    pub name: String,
    /// Length of the text in bytes.
    pub bytes: u64,
    /// Length of the text in characters.
    pub chars: u64,
    /// Where it is kept.
    pub record: Record,
    /// The annotation's counts.
    pub stats: Stats,
    /// For a search: a passage of the text around the matches.
    pub snippet: Option<Snippet>,
}

/// A passage of text in pieces, each a match of the search or not. The pieces are plain text: the page escapes
/// them and marks the matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// `(text, is a match)` in order.
    pub pieces: Vec<(String, bool)>,
}

/// Characters SQLite puts around matches in a snippet; they cannot occur in a stored text (loading rejects control
/// characters like these only above a share, so they are removed from snippets first).
const MATCH_OPEN: char = '\u{2}';
const MATCH_CLOSE: char = '\u{3}';

impl Snippet {
    fn parse(raw: &str) -> Snippet {
        let mut pieces = Vec::new();
        let mut current = String::new();
        let mut matching = false;
        for c in raw.chars() {
            match c {
                MATCH_OPEN | MATCH_CLOSE => {
                    if !current.is_empty() {
                        pieces.push((std::mem::take(&mut current), matching));
                    }
                    matching = c == MATCH_OPEN;
                }
                '\n' | '\r' | '\t' => current.push(' '),
                c if c.is_control() => {}
                c => current.push(c),
            }
        }
        if !current.is_empty() {
            pieces.push((current, matching));
        }
        Snippet { pieces }
    }
}

/// SHA-256 of a text: two documents with the same text are the same document.
pub fn content_hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The counts columns of `annotations`, in order.
const STATS_COLUMNS: &str = "sentences, hedges, attributions, sources, attributed, unattributed, no_claim, \
                             unnamed_only, hedged_claims";

/// The FTS5 query for what a person typed: every word must occur, the last may be the start of a word. Each word
/// is quoted, so no input is a syntax error (`"`, `AND`, `*`, `:` are just text). `None` when there is no word.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<&str> = typed.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let ends_in_word = typed.chars().last().is_some_and(char::is_alphanumeric);
    let n = words.len();
    let quoted: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| if i + 1 == n && ends_in_word { format!("\"{w}\"*") } else { format!("\"{w}\"") })
        .collect();
    (!quoted.is_empty()).then(|| quoted.join(" "))
}

impl Store {
    /// Add `new`, annotating its text with `annotate` only when it is not there already:
    /// - a document with the same origin (a watched file) gets the new text, or is left alone when the text is
    ///   the same;
    /// - otherwise a document with the same text is returned as it is;
    /// - otherwise a new document is stored, under a unique id.
    ///
    /// Text, annotation, search index and grants are written in one transaction.
    pub fn add(
        &self,
        new: NewDocument,
        annotate: impl FnOnce(&str) -> Annotated,
    ) -> Result<(Arc<Entry>, Outcome), StoreError> {
        let hash = content_hash(&new.document.text);
        if let Some(origin) = new.origin.as_deref() {
            let found = self.read(|c| key_by(c, "origin", origin))?;
            if let Some((key, id)) = found {
                let same = self.read(|c| {
                    Ok(c.query_row("SELECT hash = ?2 FROM documents WHERE key = ?1", params![key, &hash[..]], |r| {
                        r.get::<_, bool>(0)
                    })
                    .optional()?)
                })?;
                if same == Some(true) {
                    return Ok((self.require(&id)?, Outcome::Unchanged));
                }
                let annotated = annotate(&new.document.text);
                self.replace(key, &id, &new.document, &hash, &annotated)?;
                return Ok((self.require(&id)?, Outcome::Updated));
            }
        }
        if let Some(entry) = self.existing(&hash, new.origin.as_deref(), &new.added_by)? {
            return Ok((entry, Outcome::Existing));
        }
        let annotated = annotate(&new.document.text);
        let id = {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another request may have added the same text meanwhile: check again under the write lock.
            let dup: Option<String> = tx
                .query_row("SELECT id FROM documents WHERE hash = ?1", [&hash[..]], |r| r.get(0))
                .optional()?;
            if let Some(id) = dup {
                drop(tx);
                drop(conn);
                return Ok((self.require(&id)?, Outcome::Existing));
            }
            let id = free_id(&tx, &new.document.id)?;
            let time = now();
            let doc = &new.document;
            tx.execute(
                "INSERT INTO documents (id, title, name, format, origin, text, hash, bytes, chars, added, updated, \
                 revision, added_by, meta) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1, ?11, ?12)",
                params![
                    id,
                    doc.title,
                    doc.name,
                    doc.format.as_str(),
                    new.origin,
                    doc.text,
                    &hash[..],
                    doc.text.len() as i64,
                    doc.text.chars().count() as i64,
                    time,
                    new.added_by.column(),
                    codec::encode_meta(&doc.meta),
                ],
            )?;
            let key = tx.last_insert_rowid();
            write_annotation(&tx, key, &doc.text, &annotated)?;
            if let AddedBy::Viewer(shares) = &new.added_by {
                grant(&tx, shares, key)?;
            }
            tx.commit()?;
            id
        };
        self.wrote(&id);
        if let AddedBy::Viewer(shares) = &new.added_by {
            self.granted(shares, &id);
        }
        Ok((self.require(&id)?, Outcome::Created))
    }

    /// The document with this text, if there is one; a watched file's origin is recorded on it if it has none.
    fn existing(
        &self,
        hash: &[u8; 32],
        origin: Option<&str>,
        added_by: &AddedBy,
    ) -> Result<Option<Arc<Entry>>, StoreError> {
        let found = self.read(|c| {
            Ok(c.query_row("SELECT key, id, origin FROM documents WHERE hash = ?1", [&hash[..]], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
            })
            .optional()?)
        })?;
        let Some((key, id, had_origin)) = found else { return Ok(None) };
        if let (Some(origin), None) = (origin, had_origin) {
            self.writer()
                .execute("UPDATE documents SET origin = ?2 WHERE key = ?1 AND origin IS NULL", params![key, origin])?;
            self.wrote(&id);
        }
        if let AddedBy::Viewer(shares) = added_by {
            // A viewer who adds a text that is already here can read it afterwards, as if they had added it.
            grant(&self.writer(), shares, key)?;
            self.granted(shares, &id);
        }
        self.get(&id)
    }

    /// Replace the text of document `key` (a watched file changed) and its annotation, in one transaction.
    fn replace(
        &self,
        key: i64,
        id: &str,
        doc: &Document,
        hash: &[u8; 32],
        annotated: &Annotated,
    ) -> Result<(), StoreError> {
        {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE documents SET title = ?2, name = ?3, format = ?4, text = ?5, hash = ?6, bytes = ?7, \
                 chars = ?8, updated = ?9, revision = revision + 1, meta = ?10 WHERE key = ?1",
                params![
                    key,
                    doc.title,
                    doc.name,
                    doc.format.as_str(),
                    doc.text,
                    &hash[..],
                    doc.text.len() as i64,
                    doc.text.chars().count() as i64,
                    now(),
                    codec::encode_meta(&doc.meta),
                ],
            )?;
            write_annotation(&tx, key, &doc.text, annotated)?;
            tx.commit()?;
        }
        self.wrote(id);
        Ok(())
    }

    /// The document `id`, annotated: from the cache, or read and decoded (and annotated again if its annotation
    /// was made by another annotator version, or cannot be read).
    pub fn get(&self, id: &str) -> Result<Option<Arc<Entry>>, StoreError> {
        if let Some(entry) = self.cache.get(id) {
            return Ok(Some(entry));
        }
        let generation = self.generation();
        let Some(stored) = self.read(|c| load(c, id))? else { return Ok(None) };
        let entry = match stored.annotation {
            Some(a) => Arc::new(Entry { record: stored.record, ..Entry::from_parts(stored.document, a) }),
            None => {
                let entry = Entry::annotate(stored.document);
                self.save_annotation(stored.key, stored.record.revision, &entry)?;
                Arc::new(Entry { record: stored.record, ..entry })
            }
        };
        if self.generation() == generation {
            self.cache.insert(id.to_string(), Arc::clone(&entry));
        }
        Ok(Some(entry))
    }

    /// The document `id` if it is decoded in memory already: no database read, so an async worker may ask.
    pub fn cached(&self, id: &str) -> Option<Arc<Entry>> {
        self.cache.get(id)
    }

    /// [`Store::get`] for a document that was just written.
    fn require(&self, id: &str) -> Result<Arc<Entry>, StoreError> {
        self.get(id)?.ok_or(StoreError::Missing("document"))
    }

    /// Store a recomputed annotation, unless the text changed meanwhile (then the new text's annotation wins).
    fn save_annotation(&self, key: i64, revision: i64, entry: &Entry) -> Result<(), StoreError> {
        {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: Option<i64> = tx
                .query_row("SELECT revision FROM documents WHERE key = ?1", [key], |r| r.get(0))
                .optional()?;
            if current != Some(revision) {
                return Ok(());
            }
            write_annotation(&tx, key, &entry.document.text, &entry.annotated)?;
            tx.commit()?;
        }
        self.wrote(&entry.document.id);
        Ok(())
    }

    /// Recompute up to `limit` annotations made by another annotator version (or unreadable), oldest first.
    /// Returns the ids recomputed; an empty list means none is stale.
    pub fn refresh_stale(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT d.id FROM documents d LEFT JOIN annotations a ON a.document = d.key \
                 WHERE a.annotator IS NULL OR a.annotator NOT IN (?1, ?3) ORDER BY d.key LIMIT ?2",
            )?;
            let ids = stmt
                .query_map(params![Made::Rules.stamp(), limit as i64, Made::Model.stamp()], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })?;
        for id in &ids {
            self.cache.remove(id);
            // `get` recomputes what is stale and stores it.
            self.get(id)?;
        }
        Ok(ids)
    }

    /// Up to `limit` documents whose annotation the rules alone made, newest first: what the model's pass has
    /// still to refine.
    pub fn unrefined(&self, limit: usize) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT d.id FROM documents d JOIN annotations a ON a.document = d.key WHERE a.annotator = ?1 \
                 ORDER BY d.key DESC LIMIT ?2",
            )?;
            let ids = stmt
                .query_map(params![Made::Rules.stamp(), limit as i64], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(ids)
        })
    }

    /// Store the accurate pipeline's annotation of document `id` made from its text at `revision`, unless the text
    /// changed meanwhile; true when it was stored.
    pub fn save_refined(&self, id: &str, revision: i64, text: &str, annotated: &Annotated) -> Result<bool, StoreError> {
        {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: Option<(i64, i64)> = tx
                .query_row("SELECT key, revision FROM documents WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((key, _)) = current.filter(|&(_, r)| r == revision) else { return Ok(false) };
            write_made(&tx, key, text, annotated, Made::Model)?;
            tx.commit()?;
        }
        self.wrote(id);
        Ok(true)
    }

    /// How many stored annotations were made by another annotator version.
    pub fn stale_count(&self) -> Result<usize, StoreError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM documents d LEFT JOIN annotations a ON a.document = d.key \
                 WHERE a.annotator IS NULL OR a.annotator NOT IN (?1, ?2)",
                [Made::Rules.stamp(), Made::Model.stamp()],
                |r| r.get::<_, i64>(0),
            )? as usize)
        })
    }

    /// Delete the document `id` with its annotation, search entry and grants. False if there was none.
    pub fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let n = self.writer().execute("DELETE FROM documents WHERE id = ?1", [id])?;
        self.wrote(id);
        self.ungranted(id);
        Ok(n > 0)
    }

    /// How many documents there are.
    pub fn count(&self) -> Result<usize, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))? as usize))
    }

    /// The id of the document imported from `origin`, if any.
    pub fn id_by_origin(&self, origin: &str) -> Result<Option<String>, StoreError> {
        Ok(self.read(|c| key_by(c, "origin", origin))?.map(|(_, id)| id))
    }

    /// One page of the library: newest first, or best match first for a search.
    pub fn list(&self, q: &ListQuery<'_>) -> Result<ListPage, StoreError> {
        let search = q.search.and_then(fts_query);
        self.read(|c| list(c, q, search.as_deref()))
    }
}

/// What [`Store::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// SQLite's `integrity_check`: `"ok"` for a sound file.
    pub integrity: String,
    /// Whether the search index agrees with the documents.
    pub search_index_ok: bool,
    /// Documents stored.
    pub documents: usize,
    /// Documents without an annotation row.
    pub unannotated: usize,
    /// Documents whose text does not match its content hash or its recorded length.
    pub damaged: usize,
}

impl Health {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.integrity == "ok" && self.search_index_ok && self.unannotated == 0 && self.damaged == 0
    }
}

impl Store {
    /// Check the whole library: the file's integrity, the search index, and that every document is whole (its
    /// text matches its hash and length, and it has an annotation). Reads everything: for tests and repairs, not
    /// for every start.
    pub fn verify(&self) -> Result<Health, StoreError> {
        self.read(|c| {
            let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            let mut stmt = c.prepare(
                "SELECT d.text, d.hash, d.bytes, a.document IS NOT NULL FROM documents d \
                 LEFT JOIN annotations a ON a.document = d.key",
            )?;
            let (mut documents, mut unannotated, mut damaged) = (0, 0, 0);
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                documents += 1;
                let text: String = r.get(0)?;
                let hash: Vec<u8> = r.get(1)?;
                let bytes: i64 = r.get(2)?;
                if content_hash(&text).as_slice() != hash.as_slice() || text.len() as i64 != bytes {
                    damaged += 1;
                }
                if !r.get::<_, bool>(3)? {
                    unannotated += 1;
                }
            }
            Ok((integrity, documents, unannotated, damaged))
        })
        .map(|(integrity, documents, unannotated, damaged)| {
            // The FTS5 integrity check writes nothing but needs a connection that may write.
            let search_index_ok = self
                .writer()
                .execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)", [])
                .is_ok();
            Health { integrity, search_index_ok, documents, unannotated, damaged }
        })
    }
}

/// A stored document, its record and its annotation if that is current and readable.
struct Stored {
    key: i64,
    document: Document,
    record: Record,
    annotation: Option<Annotated>,
}

fn load(c: &Connection, id: &str) -> Result<Option<Stored>, StoreError> {
    let row = c
        .query_row(
            "SELECT d.key, d.id, d.name, d.title, d.text, d.format, d.added, d.updated, d.revision, d.origin, \
             a.annotator, a.data, d.meta, d.review FROM documents d LEFT JOIN annotations a ON a.document = d.key \
             WHERE d.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Document {
                        id: r.get(1)?,
                        name: r.get(2)?,
                        title: r.get(3)?,
                        text: r.get(4)?,
                        format: Format::parse(&r.get::<_, String>(5)?).unwrap_or(Format::Plain),
                        meta: codec::decode_meta(&r.get::<_, String>(12)?),
                    },
                    Record {
                        added: r.get(6)?,
                        updated: r.get(7)?,
                        revision: r.get(8)?,
                        origin: r.get(9)?,
                        review: r.get(13)?,
                        made: Made::Rules,
                    },
                    r.get::<_, Option<String>>(10)?,
                    r.get::<_, Option<Vec<u8>>>(11)?,
                ))
            },
        )
        .optional()?;
    let Some((key, document, mut record, annotator, data)) = row else { return Ok(None) };
    let made = annotator.as_deref().and_then(Made::of_stamp);
    record.made = made.unwrap_or_default();
    let annotation = match (made, data) {
        (Some(_), Some(bytes)) => match codec::decode(&bytes) {
            Ok(a) => Some(a),
            Err(err) => {
                tracing::warn!(document = %document.id, error = %err, "annotating again");
                None
            }
        },
        _ => None,
    };
    Ok(Some(Stored { key, document, record, annotation }))
}

/// `(key, id)` of the document whose `column` is `value`.
fn key_by(c: &Connection, column: &'static str, value: &str) -> Result<Option<(i64, String)>, StoreError> {
    let sql = format!("SELECT key, id FROM documents WHERE {column} = ?1");
    Ok(c.query_row(&sql, [value], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

/// Grant document `key` to those of `shares` that name documents (a link to the whole library opens it anyway).
fn grant(c: &Connection, shares: &[String], key: i64) -> Result<(), StoreError> {
    for share in shares {
        c.execute(
            "INSERT OR IGNORE INTO share_documents (share, document) SELECT id, ?2 FROM shares \
             WHERE id = ?1 AND whole = 0",
            params![share, key],
        )?;
    }
    Ok(())
}

/// `wanted` cut to [`MAX_ID_BYTES`], or with `-2`, `-3`… if it is taken.
fn free_id(c: &Connection, wanted: &str) -> Result<String, StoreError> {
    let mut base = if wanted.is_empty() { "document".to_string() } else { wanted.to_string() };
    if base.len() > MAX_ID_BYTES {
        let mut cut = MAX_ID_BYTES;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        base.truncate(cut);
        if let Some(dash) = base.rfind('-').filter(|&d| d > MAX_ID_BYTES / 2) {
            base.truncate(dash);
        }
        base = slug(&base);
    }
    let taken = |id: &str| -> Result<bool, StoreError> {
        Ok(c.query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    };
    if !taken(&base)? {
        return Ok(base);
    }
    for n in 2.. {
        let id = format!("{base}-{n}");
        if !taken(&id)? {
            return Ok(id);
        }
    }
    Err(StoreError::Missing("free id"))
}

/// Write (or overwrite) the annotation of document `key` made by the rules, with the current annotator's stamp.
fn write_annotation(c: &Connection, key: i64, text: &str, a: &Annotated) -> Result<(), StoreError> {
    write_made(c, key, text, a, Made::Rules)
}

/// Write (or overwrite) the annotation of document `key` made by `made`, with its stamp.
fn write_made(c: &Connection, key: i64, text: &str, a: &Annotated, made: Made) -> Result<(), StoreError> {
    let s = Stats::of(text, a);
    let n = |x: usize| x as i64;
    c.execute(
        &format!(
            "INSERT OR REPLACE INTO annotations (document, annotator, data, {STATS_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ),
        params![
            key,
            made.stamp(),
            codec::encode(a),
            n(s.sentences),
            n(s.hedges),
            n(s.attributions),
            n(s.sources),
            n(s.attributed),
            n(s.unattributed),
            n(s.no_claim),
            n(s.unnamed_only),
            n(s.hedged_claims),
        ],
    )?;
    Ok(())
}

/// The columns of a listed row, after `d.` and `a.` aliases.
const ROW_COLUMNS: &str = "d.id, d.title, d.name, d.bytes, d.chars, d.added, d.updated, d.revision, d.origin, \
    a.sentences, a.hedges, a.attributions, a.sources, a.attributed, a.unattributed, a.no_claim, a.unnamed_only, \
    a.hedged_claims";

fn row(r: &SqlRow<'_>, snippet: bool) -> rusqlite::Result<Row> {
    let u = |i: usize| -> rusqlite::Result<usize> { Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as usize) };
    let chars = u(4)?;
    Ok(Row {
        id: r.get(0)?,
        title: r.get(1)?,
        name: r.get(2)?,
        bytes: u(3)? as u64,
        chars: chars as u64,
        record: Record {
            added: r.get(5)?,
            updated: r.get(6)?,
            revision: r.get(7)?,
            origin: r.get(8)?,
            review: 0,
            made: Made::Rules,
        },
        stats: Stats {
            chars,
            sentences: u(9)?,
            hedges: u(10)?,
            attributions: u(11)?,
            sources: u(12)?,
            attributed: u(13)?,
            unattributed: u(14)?,
            no_claim: u(15)?,
            unnamed_only: u(16)?,
            hedged_claims: u(17)?,
        },
        snippet: if snippet { r.get::<_, Option<String>>(18)?.map(|s| Snippet::parse(&s)) } else { None },
    })
}

fn list(c: &Connection, q: &ListQuery<'_>, search: Option<&str>) -> Result<ListPage, StoreError> {
    // The visibility condition and its parameters (share ids), after any search parameter.
    let mut args: Vec<String> = search.map(str::to_string).into_iter().collect();
    let scope = match q.visible {
        Visible::All => String::new(),
        Visible::Shares(shares) => {
            if shares.is_empty() {
                return Ok(ListPage::default());
            }
            let first = args.len() + 1;
            let marks: Vec<String> = (first..first + shares.len()).map(|i| format!("?{i}")).collect();
            args.extend(shares.iter().cloned());
            format!(" AND d.key IN (SELECT document FROM share_documents WHERE share IN ({}))", marks.join(", "))
        }
    };
    let page = format!(" LIMIT {} OFFSET {}", q.limit, q.offset);
    let (count_sql, rows_sql) = match search {
        None => (
            format!("SELECT count(*) FROM documents d WHERE 1{scope}"),
            format!(
                "SELECT {ROW_COLUMNS} FROM documents d JOIN annotations a ON a.document = d.key WHERE 1{scope} \
                 ORDER BY d.added DESC, d.key DESC{page}"
            ),
        ),
        Some(_) => (
            format!(
                "SELECT count(*) FROM documents_fts f JOIN documents d ON d.key = f.rowid \
                 WHERE documents_fts MATCH ?1{scope}"
            ),
            format!(
                "SELECT {ROW_COLUMNS}, snippet(documents_fts, 1, char(2), char(3), '…', 24) FROM documents_fts f \
                 JOIN documents d ON d.key = f.rowid JOIN annotations a ON a.document = d.key \
                 WHERE documents_fts MATCH ?1{scope} ORDER BY f.rank{page}"
            ),
        ),
    };
    let total = c.query_row(&count_sql, params_from_iter(args.iter()), |r| r.get::<_, i64>(0))? as usize;
    let mut stmt = c.prepare(&rows_sql)?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| row(r, search.is_some()))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListPage { rows, total })
}

#[cfg(test)]
mod tests {
    use super::super::testing::TempStore;
    use super::*;
    use crate::ingest::from_bytes;

    fn new(name: &str, text: &str) -> NewDocument {
        let document = from_bytes(name, text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        NewDocument { document, origin: None, added_by: AddedBy::Owner }
    }

    fn add(s: &Store, name: &str, text: &str) -> (Arc<Entry>, Outcome) {
        s.add(new(name, text), annotate::annotate)
            .unwrap_or_else(|e| panic!("add {name}: {e}"))
    }

    fn ids(page: &ListPage) -> Vec<&str> {
        page.rows.iter().map(|r| r.id.as_str()).collect()
    }

    const ALL: ListQuery<'static> = ListQuery { search: None, visible: Visible::All, offset: 0, limit: 50 };

    #[test]
    fn added_documents_come_back_annotated_and_survive_reopening() {
        let s = TempStore::new("add");
        let text = "Kim would likely travel by train, officials said.\nThe meeting is expected soon.";
        let (entry, outcome) = add(&s, "kim.txt", text);
        assert_eq!(outcome, Outcome::Created);
        assert_eq!(entry.document.id, "kim");
        assert_eq!(entry.record.revision, 1);
        assert!(entry.record.added > 0);
        assert_eq!(entry.annotated, annotate::annotate(text));
        let reopened = Store::open(s.dir()).unwrap_or_else(|e| panic!("reopen: {e}"));
        let again = reopened.get("kim").ok().flatten();
        assert_eq!(again.as_ref().map(|e| e.document.text.as_str()), Some(text));
        assert_eq!(again.map(|e| e.annotated.clone()), Some(entry.annotated.clone()));
    }

    #[test]
    fn refined_annotations_are_kept_apart_from_the_rules_and_survive_reopening() {
        let s = TempStore::new("refine");
        let (old, _) = add(&s, "old.txt", "The plan could fail, officials said.");
        let (new, _) = add(&s, "new.txt", "The mayor said the bridge would reopen.");
        assert_eq!(new.record.made, Made::Rules);
        // Newest first, rules-made only.
        assert_eq!(s.unrefined(10).ok(), Some(vec!["new".to_string(), "old".to_string()]));
        assert_eq!(s.unrefined(1).ok(), Some(vec!["new".to_string()]));
        // A stand-in for the model's output: any annotation of the same text stored as the model's.
        let refined = annotate::annotate("The mayor said the bridge would reopen.");
        let text = new.document.text.clone();
        assert_eq!(s.save_refined("new", new.record.revision, &text, &refined).ok(), Some(true));
        // A refinement of an older revision is dropped: the text changed meanwhile.
        assert_eq!(
            s.save_refined("old", old.record.revision + 1, &old.document.text, &refined)
                .ok(),
            Some(false)
        );
        assert_eq!(s.unrefined(10).ok(), Some(vec!["old".to_string()]));
        let reopened = Store::open(s.dir()).unwrap_or_else(|e| panic!("reopen: {e}"));
        let again = reopened.get("new").ok().flatten();
        assert_eq!(again.as_ref().map(|e| e.record.made), Some(Made::Model));
        assert_eq!(reopened.get("old").ok().flatten().map(|e| e.record.made), Some(Made::Rules));
        // Neither stamp is stale.
        assert_eq!(reopened.stale_count().ok(), Some(0));
    }

    #[test]
    fn the_same_text_twice_is_one_document() {
        let s = TempStore::new("dedupe");
        let (first, _) = add(&s, "a.txt", "One text.\nWith two lines.");
        let (second, outcome) = add(&s, "other-name.txt", "One text.\nWith two lines.");
        assert_eq!(outcome, Outcome::Existing);
        assert_eq!(second.document.id, first.document.id);
        assert_eq!(s.count().ok(), Some(1));
    }

    #[test]
    fn ids_are_unique_slugs_and_long_ones_are_cut() {
        let s = TempStore::new("ids");
        assert_eq!(add(&s, "report.txt", "First.").0.document.id, "report");
        assert_eq!(add(&s, "report.md", "Second.").0.document.id, "report-2");
        let long = format!("{}.txt", "word ".repeat(40));
        let id = add(&s, &long, "Third.").0.document.id.clone();
        assert!(id.len() <= MAX_ID_BYTES && id.starts_with("word-word") && !id.ends_with('-'), "{id}");
    }

    #[test]
    fn a_watched_origin_is_replaced_not_added_again() {
        let s = TempStore::new("origin");
        let with_origin =
            |text: &str| NewDocument { origin: Some("/tmp/x/story.txt".into()), ..new("story.txt", text) };
        let (a, o) = s
            .add(with_origin("Version one."), annotate::annotate)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o, Outcome::Created);
        let (b, o) = s
            .add(with_origin("Version one."), annotate::annotate)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((o, b.record.revision), (Outcome::Unchanged, 1));
        let (c, o) = s
            .add(with_origin("Version two, longer."), annotate::annotate)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((o, c.record.revision), (Outcome::Updated, 2));
        assert_eq!(c.document.id, a.document.id);
        assert_eq!(c.document.text, "Version two, longer.");
        assert_eq!(s.count().ok(), Some(1));
        let found = s.list(&ListQuery { search: Some("longer"), ..ALL }).map(|p| p.total).ok();
        assert_eq!(found, Some(1), "the search index follows the new text");
        assert_eq!(s.list(&ListQuery { search: Some("one"), ..ALL }).map(|p| p.total).ok(), Some(0));
    }

    #[test]
    fn the_list_is_newest_first_paged_and_counts_claims() {
        let s = TempStore::new("list");
        for i in 0..5 {
            add(&s, &format!("d{i}.txt"), &format!("Document number {i}. Officials said it would likely rain."));
        }
        let page = s.list(&ListQuery { offset: 1, limit: 2, ..ALL }).unwrap_or_default();
        assert_eq!(page.total, 5);
        assert_eq!(ids(&page), ["d3", "d2"]);
        let row = &page.rows[0];
        assert_eq!((row.stats.sentences, row.stats.attributed, row.stats.unnamed_only), (2, 1, 1));
        assert_eq!(row.stats.hedged_claims, 1);
    }

    #[test]
    fn search_finds_every_word_prefixes_and_shows_where() {
        let s = TempStore::new("search");
        add(&s, "a.txt", "Moscow talks\nThe summit in Vladivostok is expected to cover weapons.");
        add(&s, "b.txt", "Budget\nThe council approved the budget on Tuesday.");
        let found = |q: &str| s.list(&ListQuery { search: Some(q), ..ALL }).unwrap_or_default();
        assert_eq!(ids(&found("weapons summit")), ["a"]);
        assert_eq!(ids(&found("vladi")), ["a"], "the last word is a prefix");
        assert_eq!(ids(&found("budget")), ["b"]);
        assert_eq!(found("weapons budget").total, 0, "every word must occur");
        let page = found("weapons");
        let snippet = page.rows[0].snippet.clone().unwrap_or_default();
        assert!(snippet.pieces.contains(&("weapons".to_string(), true)), "{snippet:?}");
        for hostile in ["\"", "a AND", "NEAR(", "*", "col:umn", "'); DROP TABLE documents; --"] {
            assert!(s.list(&ListQuery { search: Some(hostile), ..ALL }).is_ok(), "{hostile:?} is just text");
        }
        assert_eq!(s.count().ok(), Some(2));
    }

    #[test]
    fn deleting_removes_text_annotation_and_search_entry() {
        let s = TempStore::new("delete");
        add(&s, "a.txt", "Gone soon.");
        assert_eq!(s.delete("a").ok(), Some(true));
        assert_eq!(s.delete("a").ok(), Some(false));
        assert!(s.get("a").ok().flatten().is_none());
        assert_eq!(s.list(&ListQuery { search: Some("gone"), ..ALL }).map(|p| p.total).ok(), Some(0));
        let orphans: i64 = s
            .writer()
            .query_row("SELECT count(*) FROM annotations", [], |r| r.get(0))
            .unwrap_or(-1);
        assert_eq!(orphans, 0);
    }

    #[test]
    fn annotations_from_another_annotator_version_are_recomputed() {
        let s = TempStore::new("stale");
        let text = "Officials said the talks could resume.";
        add(&s, "a.txt", text);
        // Pretend an older annotator made it, with an annotation that is now wrong.
        let empty = codec::encode(&annotate::annotate(""));
        s.writer()
            .execute("UPDATE annotations SET annotator = 'old', data = ?1, sentences = 0", [empty])
            .ok();
        s.wrote("a");
        assert_eq!(s.stale_count().ok(), Some(1));
        assert_eq!(s.refresh_stale(10).ok(), Some(vec!["a".to_string()]));
        assert_eq!(s.stale_count().ok(), Some(0));
        let entry = s.get("a").ok().flatten();
        assert_eq!(entry.map(|e| e.annotated.clone()), Some(annotate::annotate(text)));
        let listed = s.list(&ALL).unwrap_or_default();
        assert_eq!(listed.rows[0].stats.sentences, 1, "the counts are recomputed too");
    }

    #[test]
    fn a_damaged_annotation_is_recomputed_not_an_error() {
        let s = TempStore::new("damaged");
        add(&s, "a.txt", "It may rain.");
        s.writer().execute("UPDATE annotations SET data = x'00ff'", []).ok();
        s.wrote("a");
        let entry = s.get("a").ok().flatten();
        assert_eq!(entry.map(|e| e.stats.hedges), Some(1));
    }

    #[test]
    fn listing_and_searching_use_indexes() {
        let s = TempStore::new("plan");
        let conn = s.writer();
        let plan = |sql: &str| -> String {
            let mut stmt = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap_or_else(|e| panic!("{e}"));
            let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap_or_else(|e| panic!("{e}"));
            rows.filter_map(Result::ok).collect::<Vec<_>>().join("; ")
        };
        let newest = plan(&format!(
            "SELECT {ROW_COLUMNS} FROM documents d JOIN annotations a ON a.document = d.key \
             ORDER BY d.added DESC, d.key DESC LIMIT 50 OFFSET 0"
        ));
        assert!(newest.contains("USING INDEX documents_by_added") && !newest.contains("TEMP B-TREE"), "{newest}");
        let search = plan(&format!(
            "SELECT {ROW_COLUMNS} FROM documents_fts f JOIN documents d ON d.key = f.rowid \
             JOIN annotations a ON a.document = d.key WHERE documents_fts MATCH 'x' ORDER BY f.rank LIMIT 50"
        ));
        assert!(search.contains("VIRTUAL TABLE INDEX") && search.contains("USING INTEGER PRIMARY KEY"), "{search}");
        let by_hash = plan("SELECT id FROM documents WHERE hash = x'00'");
        assert!(by_hash.contains("documents_by_hash"), "{by_hash}");
    }

    #[test]
    fn a_sound_library_verifies_and_a_damaged_one_does_not() {
        let s = TempStore::new("verify");
        add(&s, "a.txt", "One document.");
        add(&s, "b.txt", "Another document.");
        let health = s.verify().unwrap_or_else(|e| panic!("{e}"));
        assert!(health.is_ok(), "{health:?}");
        assert_eq!(health.documents, 2);
        s.writer().execute("UPDATE documents SET bytes = 1 WHERE id = 'a'", []).ok();
        s.writer()
            .execute("DELETE FROM annotations WHERE document = (SELECT key FROM documents WHERE id = 'b')", [])
            .ok();
        let health = s.verify().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((health.damaged, health.unannotated), (1, 1));
        assert!(!health.is_ok());
    }

    #[test]
    fn fts_queries_quote_every_word() {
        assert_eq!(fts_query("Kim  Putin").as_deref(), Some("\"Kim\" \"Putin\"*"));
        assert_eq!(fts_query("kim \"putin\" ").as_deref(), Some("\"kim\" \"putin\""));
        assert_eq!(fts_query("\"*:()").as_deref(), None);
        assert_eq!(fts_query("Über-Bericht").as_deref(), Some("\"Über\" \"Bericht\"*"));
    }
}
