//! Notes and corrections in the database. Every write also raises the document's `review` count, so that what is
//! kept of its pages (and of its reviewed annotation) is known to be stale.

use rusqlite::{Connection, OptionalExtension, Row as SqlRow, TransactionBehavior, params};

use super::{Store, StoreError, now};
use crate::review::anchor::Quote;
use crate::review::corrections::{Action, Correction, Layer, Quoted};
use crate::review::notes::Note;

/// A note to store.
#[derive(Debug, Clone)]
pub struct NewNote {
    /// The note it replies to.
    pub parent: Option<String>,
    /// The permalink id of its sentence.
    pub sentence: String,
    /// Its passage.
    pub quote: Quote,
    /// What it says (already cleaned).
    pub body: String,
    /// The name shown.
    pub author: String,
    /// Who may change it.
    pub author_key: String,
}

/// What may change in a note.
#[derive(Debug, Clone, Default)]
pub struct NoteEdit {
    /// A new body.
    pub body: Option<String>,
    /// Resolved (true) or open again (false).
    pub resolved: Option<bool>,
}

fn random_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn key_of(c: &Connection, id: &str) -> Result<i64, StoreError> {
    c.query_row("SELECT key FROM documents WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::Missing("document"))
}

fn bump(c: &Connection, key: i64) -> Result<(), StoreError> {
    c.execute("UPDATE documents SET review = review + 1 WHERE key = ?1", [key])?;
    Ok(())
}

const NOTE_COLUMNS: &str =
    "id, parent, sentence, exact, prefix, suffix, body, author, author_key, created, edited, resolved";

fn note(r: &SqlRow<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        parent: r.get(1)?,
        sentence: r.get(2)?,
        quote: Quote { exact: r.get(3)?, prefix: r.get(4)?, suffix: r.get(5)? },
        body: r.get(6)?,
        author: r.get(7)?,
        author_key: r.get(8)?,
        created: r.get(9)?,
        edited: r.get(10)?,
        resolved: r.get(11)?,
    })
}

const CORRECTION_COLUMNS: &str = "id, sentence, layer, action, target_exact, target_start, target_end, span_exact, \
                                  span_start, span_end, value, author, author_key, created";

fn quoted(exact: Option<String>, start: Option<i64>, end: Option<i64>) -> Option<Quoted> {
    Some(Quoted { exact: exact?, start: usize::try_from(start?).ok()?, end: usize::try_from(end?).ok()? })
}

fn correction(r: &SqlRow<'_>) -> rusqlite::Result<Option<Correction>> {
    let (layer, action): (String, String) = (r.get(2)?, r.get(3)?);
    let (Some(layer), Some(action)) = (Layer::parse(&layer), Action::parse(&action)) else { return Ok(None) };
    Ok(Some(Correction {
        id: r.get(0)?,
        sentence: r.get(1)?,
        layer,
        action,
        target: quoted(r.get(4)?, r.get(5)?, r.get(6)?),
        span: quoted(r.get(7)?, r.get(8)?, r.get(9)?),
        value: r.get(10)?,
        author: r.get(11)?,
        author_key: r.get(12)?,
        created: r.get(13)?,
    }))
}

impl Store {
    /// Store a note on document `id`; a reply must name a note of the same document that is not itself a reply.
    pub fn add_note(&self, id: &str, new: &NewNote) -> Result<Note, StoreError> {
        let note_id = random_id()?;
        let created = now();
        {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let key = key_of(&tx, id)?;
            if let Some(parent) = &new.parent {
                let ok: Option<Option<String>> = tx
                    .query_row("SELECT parent FROM notes WHERE id = ?1 AND document = ?2", params![parent, key], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if !matches!(ok, Some(None)) {
                    return Err(StoreError::Missing("note to reply to"));
                }
            }
            tx.execute(
                "INSERT INTO notes (id, document, parent, sentence, exact, prefix, suffix, body, author, author_key, \
                 created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    note_id,
                    key,
                    new.parent,
                    new.sentence,
                    new.quote.exact,
                    new.quote.prefix,
                    new.quote.suffix,
                    new.body,
                    new.author,
                    new.author_key,
                    created
                ],
            )?;
            bump(&tx, key)?;
            tx.commit()?;
        }
        self.wrote(id);
        Ok(Note {
            id: note_id,
            parent: new.parent.clone(),
            sentence: new.sentence.clone(),
            quote: new.quote.clone(),
            body: new.body.clone(),
            author: new.author.clone(),
            author_key: new.author_key.clone(),
            created,
            edited: None,
            resolved: None,
        })
    }

    /// The notes of document `id`, oldest first.
    pub fn notes(&self, id: &str) -> Result<Vec<Note>, StoreError> {
        self.read(|c| {
            let key = key_of(c, id)?;
            let mut stmt =
                c.prepare(&format!("SELECT {NOTE_COLUMNS} FROM notes WHERE document = ?1 ORDER BY created, rowid"))?;
            let notes = stmt.query_map([key], note)?.collect::<Result<Vec<_>, _>>()?;
            Ok(notes)
        })
    }

    /// The note `note` of document `id`.
    pub fn note(&self, id: &str, note_id: &str) -> Result<Option<Note>, StoreError> {
        self.read(|c| {
            let key = key_of(c, id)?;
            Ok(c.query_row(
                &format!("SELECT {NOTE_COLUMNS} FROM notes WHERE document = ?1 AND id = ?2"),
                params![key, note_id],
                note,
            )
            .optional()?)
        })
    }

    /// Change a note; false if there is none.
    pub fn edit_note(&self, id: &str, note_id: &str, edit: &NoteEdit) -> Result<bool, StoreError> {
        let changed = {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let key = key_of(&tx, id)?;
            let mut n = 0;
            if let Some(body) = &edit.body {
                n += tx.execute(
                    "UPDATE notes SET body = ?3, edited = ?4 WHERE document = ?1 AND id = ?2",
                    params![key, note_id, body, now()],
                )?;
            }
            if let Some(resolved) = edit.resolved {
                let at = resolved.then(now);
                n += tx.execute(
                    "UPDATE notes SET resolved = ?3 WHERE document = ?1 AND id = ?2",
                    params![key, note_id, at],
                )?;
            }
            if n > 0 {
                bump(&tx, key)?;
            }
            tx.commit()?;
            n > 0
        };
        self.wrote(id);
        Ok(changed)
    }

    /// Delete a note (and its replies); false if there is none.
    pub fn delete_note(&self, id: &str, note_id: &str) -> Result<bool, StoreError> {
        let n = {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let key = key_of(&tx, id)?;
            let n = tx.execute("DELETE FROM notes WHERE document = ?1 AND id = ?2", params![key, note_id])?;
            if n > 0 {
                bump(&tx, key)?;
            }
            tx.commit()?;
            n
        };
        self.wrote(id);
        Ok(n > 0)
    }

    /// Store a correction of document `id`; its `id` and `created` are made here.
    pub fn add_correction(&self, id: &str, c: &Correction) -> Result<Correction, StoreError> {
        let stored = Correction { id: random_id()?, created: now(), ..c.clone() };
        {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let key = key_of(&tx, id)?;
            let part = |q: &Option<Quoted>| {
                (
                    q.as_ref().map(|q| q.exact.clone()),
                    q.as_ref().map(|q| q.start as i64),
                    q.as_ref().map(|q| q.end as i64),
                )
            };
            let (te, ts, tend) = part(&stored.target);
            let (se, ss, send) = part(&stored.span);
            tx.execute(
                &format!(
                    "INSERT INTO corrections (document, {CORRECTION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                     ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                ),
                params![
                    key,
                    stored.id,
                    stored.sentence,
                    stored.layer.as_str(),
                    stored.action.as_str(),
                    te,
                    ts,
                    tend,
                    se,
                    ss,
                    send,
                    stored.value,
                    stored.author,
                    stored.author_key,
                    stored.created
                ],
            )?;
            bump(&tx, key)?;
            tx.commit()?;
        }
        self.wrote(id);
        Ok(stored)
    }

    /// The corrections of document `id`, in the order they were made (rows this Lectern cannot read are left out).
    pub fn corrections(&self, id: &str) -> Result<Vec<Correction>, StoreError> {
        self.read(|c| {
            let key = key_of(c, id)?;
            let mut stmt = c.prepare(&format!(
                "SELECT {CORRECTION_COLUMNS} FROM corrections WHERE document = ?1 ORDER BY created, rowid"
            ))?;
            let rows = stmt.query_map([key], correction)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows.into_iter().flatten().collect())
        })
    }

    /// Undo correction `cid` of document `id`; false if there is none.
    pub fn delete_correction(&self, id: &str, cid: &str) -> Result<bool, StoreError> {
        let n = {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let key = key_of(&tx, id)?;
            let n = tx.execute("DELETE FROM corrections WHERE document = ?1 AND id = ?2", params![key, cid])?;
            if n > 0 {
                bump(&tx, key)?;
            }
            tx.commit()?;
            n
        };
        self.wrote(id);
        Ok(n > 0)
    }

    /// The ids of every document, oldest first.
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT id FROM documents ORDER BY key")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
    }

    /// The ids of the documents that have corrections, oldest first.
    pub fn corrected_ids(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT d.id FROM documents d WHERE EXISTS (SELECT 1 FROM corrections c WHERE c.document = d.key) \
                 ORDER BY d.key",
            )?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::TempStore;
    use super::super::{AddedBy, NewDocument};
    use super::*;

    fn doc(s: &Store) -> String {
        let document =
            crate::ingest::from_bytes("a.txt", b"The mayor may resign, aides said.").unwrap_or_else(|e| panic!("{e}"));
        let (e, _) = s
            .add(NewDocument { document, origin: None, added_by: AddedBy::Owner }, annotate::annotate)
            .unwrap_or_else(|e| panic!("{e}"));
        e.document.id.clone()
    }

    fn new_note(parent: Option<String>) -> NewNote {
        NewNote {
            parent,
            sentence: "s-1".into(),
            quote: Quote { exact: "may resign".into(), prefix: "mayor ".into(), suffix: ", aides".into() },
            body: "Who says so?".into(),
            author: "Sam".into(),
            author_key: "viewer:k".into(),
        }
    }

    #[test]
    fn notes_are_stored_replied_to_edited_resolved_and_deleted_and_each_write_raises_the_review_count() {
        let s = TempStore::new("notes");
        let id = doc(&s);
        let review = |s: &Store| s.get(&id).ok().flatten().map(|e| e.record.review).unwrap_or(-1);
        assert_eq!(review(&s), 0);
        let n = s.add_note(&id, &new_note(None)).unwrap_or_else(|e| panic!("{e}"));
        let reply = s.add_note(&id, &new_note(Some(n.id.clone()))).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.add_note(&id, &new_note(Some(reply.id.clone()))).is_err(), "replies are one level deep");
        assert!(s.add_note(&id, &new_note(Some("nope".into()))).is_err());
        assert_eq!(review(&s), 2);
        assert_eq!(s.notes(&id).map(|v| v.len()).ok(), Some(2));
        let edit = NoteEdit { body: Some("Edited.".into()), resolved: Some(true) };
        assert_eq!(s.edit_note(&id, &n.id, &edit).ok(), Some(true));
        let stored = s.note(&id, &n.id).ok().flatten();
        assert!(
            stored
                .as_ref()
                .is_some_and(|x| x.body == "Edited." && x.edited.is_some() && x.resolved.is_some())
        );
        assert_eq!(s.delete_note(&id, &n.id).ok(), Some(true));
        assert_eq!(s.notes(&id).map(|v| v.len()).ok(), Some(0), "its replies go with it");
        assert!(review(&s) > 2);
    }

    #[test]
    fn corrections_are_stored_in_order_and_undone() {
        let s = TempStore::new("corrections");
        let id = doc(&s);
        let c = Correction {
            id: String::new(),
            sentence: "s-1".into(),
            layer: Layer::Hedge,
            action: Action::Reject,
            target: Some(Quoted { start: 10, end: 13, exact: "may".into() }),
            span: None,
            value: None,
            author: "Sam".into(),
            author_key: "owner".into(),
            created: 0,
        };
        let first = s.add_correction(&id, &c).unwrap_or_else(|e| panic!("{e}"));
        let second = s
            .add_correction(
                &id,
                &Correction {
                    layer: Layer::Claim,
                    action: Action::Fix,
                    target: None,
                    value: Some("none".into()),
                    ..c.clone()
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let listed = s.corrections(&id).unwrap_or_default();
        assert_eq!(listed.iter().map(|x| x.id.clone()).collect::<Vec<_>>(), [first.id.clone(), second.id.clone()]);
        assert_eq!(listed[0].target, c.target);
        assert_eq!(s.corrected_ids().ok(), Some(vec![id.clone()]));
        assert_eq!(s.delete_correction(&id, &first.id).ok(), Some(true));
        assert_eq!(s.corrections(&id).map(|v| v.len()).ok(), Some(1));
        assert!(s.delete(&id).is_ok());
        assert!(s.corrections(&id).is_err(), "the document is gone");
    }
}
