//! Share links: a random secret token (256 bits) per link, of which only the SHA-256 is stored. A viewer's
//! browser presents the token (first in the link, then in a cookie); [`Store::check`] compares its hash with every
//! valid link's in constant time. Revoking deletes the link, and the in-memory list of valid links with it, so the
//! next request holding that token is refused.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Store, StoreError, now};

/// Bytes of randomness in a token (256 bits; the issue asks for at least 128).
const TOKEN_BYTES: usize = 32;

/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 80;

/// What a link opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareScope {
    /// Every document, now and later.
    Library,
    /// These documents (by id).
    Documents(Vec<String>),
}

/// A share link as the owner sees it (the token is not kept, so it cannot be shown again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// Public id: names its cookie and its revoke address.
    pub id: String,
    /// The owner's note on whom it is for; may be empty.
    pub label: String,
    /// What it opens.
    pub scope: ShareScope,
    /// When it was made, in seconds since the Unix epoch.
    pub created: i64,
    /// When it was last opened, if ever.
    pub opened: Option<i64>,
    /// How often it was opened.
    pub opens: i64,
}

/// A link to make.
#[derive(Debug, Clone)]
pub struct NewShare {
    /// Whom it is for.
    pub label: String,
    /// The whole library (`None`) or one document.
    pub document: Option<String>,
}

/// A valid link, as requests are checked against it.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The link's id.
    pub id: String,
    token_hash: [u8; 32],
    /// Opens the whole library.
    pub whole: bool,
    /// Otherwise: the ids of the documents it opens.
    pub documents: HashSet<String>,
}

impl Grant {
    /// Whether this link opens document `id`.
    pub fn opens(&self, id: &str) -> bool {
        self.whole || self.documents.contains(id)
    }
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Every valid link, with its documents.
pub(super) fn load_grants(c: &Connection) -> Result<Vec<Grant>, StoreError> {
    let mut stmt = c.prepare("SELECT id, token_hash, whole FROM shares")?;
    let mut grants = stmt
        .query_map([], |r| {
            let bytes: Vec<u8> = r.get(1)?;
            let mut token_hash = [0u8; 32];
            if bytes.len() == 32 {
                token_hash.copy_from_slice(&bytes);
            }
            Ok(Grant { id: r.get(0)?, token_hash, whole: r.get(2)?, documents: HashSet::new() })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut docs =
        c.prepare("SELECT d.id FROM share_documents s JOIN documents d ON d.key = s.document WHERE s.share = ?1")?;
    for g in &mut grants {
        g.documents = docs.query_map([&g.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    }
    Ok(grants)
}

impl Store {
    /// Make a link; returns it and its secret token, which is shown once and never stored.
    pub fn create_share(&self, new: &NewShare) -> Result<(Share, String), StoreError> {
        let mut secret = [0u8; TOKEN_BYTES];
        let mut id_bytes = [0u8; 8];
        getrandom::fill(&mut secret).map_err(|e| StoreError::Random(e.to_string()))?;
        getrandom::fill(&mut id_bytes).map_err(|e| StoreError::Random(e.to_string()))?;
        let token = URL_SAFE_NO_PAD.encode(secret);
        let id: String = id_bytes.iter().map(|b| format!("{b:02x}")).collect();
        let label: String = new
            .label
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_LABEL_CHARS)
            .collect();
        let created = now();
        let token_hash = hash(&token);
        let documents = {
            let mut conn = self.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let key: Option<i64> = match &new.document {
                Some(doc) => Some(
                    tx.query_row("SELECT key FROM documents WHERE id = ?1", [doc], |r| r.get(0))
                        .optional()?
                        .ok_or(StoreError::Missing("document"))?,
                ),
                None => None,
            };
            tx.execute(
                "INSERT INTO shares (id, token_hash, label, whole, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, &token_hash[..], label, key.is_none(), created],
            )?;
            if let Some(key) = key {
                tx.execute("INSERT INTO share_documents (share, document) VALUES (?1, ?2)", params![id, key])?;
            }
            tx.commit()?;
            new.document.iter().cloned().collect::<HashSet<String>>()
        };
        let grant = Grant { id: id.clone(), token_hash, whole: new.document.is_none(), documents };
        self.grants
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(grant);
        let scope = match &new.document {
            None => ShareScope::Library,
            Some(d) => ShareScope::Documents(vec![d.clone()]),
        };
        Ok((Share { id, label, scope, created, opened: None, opens: 0 }, token))
    }

    /// Every link, newest first.
    pub fn shares(&self) -> Result<Vec<Share>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, label, whole, created, opened, opens FROM shares ORDER BY created DESC, rowid DESC",
            )?;
            let mut docs = c.prepare(
                "SELECT d.id FROM share_documents s JOIN documents d ON d.key = s.document WHERE s.share = ?1 \
                 ORDER BY d.id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::with_capacity(rows.len());
            for (id, label, whole, created, opened, opens) in rows {
                let scope = if whole {
                    ShareScope::Library
                } else {
                    ShareScope::Documents(docs.query_map([&id], |r| r.get(0))?.collect::<Result<_, _>>()?)
                };
                out.push(Share { id, label, scope, created, opened, opens });
            }
            Ok(out)
        })
    }

    /// Revoke link `id`: it stops working at once. False if there was none.
    pub fn revoke(&self, id: &str) -> Result<bool, StoreError> {
        let n = self.writer().execute("DELETE FROM shares WHERE id = ?1", [id])?;
        self.grants
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|g| g.id != id);
        Ok(n > 0)
    }

    /// The valid link whose token is `token`, compared with every link's in constant time.
    pub fn check(&self, token: &str) -> Option<Grant> {
        let presented = hash(token);
        let grants = self.grants.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut found: Option<&Grant> = None;
        for g in grants.iter() {
            // Every link is compared whatever matched before: the time taken says nothing about the token.
            let equal: bool = g.token_hash.ct_eq(&presented).into();
            if equal {
                found = Some(g);
            }
        }
        found.cloned()
    }

    /// The valid link with id `id`.
    pub fn grant(&self, id: &str) -> Option<Grant> {
        let grants = self.grants.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        grants.iter().find(|g| g.id == id).cloned()
    }

    /// Record that link `id` was opened (exchanged for a cookie).
    pub fn opened(&self, id: &str) -> Result<(), StoreError> {
        self.writer()
            .execute("UPDATE shares SET opened = ?2, opens = opens + 1 WHERE id = ?1", params![id, now()])?;
        Ok(())
    }

    /// Document `id` was granted to these links (a viewer added it).
    pub(super) fn granted(&self, shares: &[String], id: &str) {
        let mut grants = self.grants.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        for g in grants.iter_mut().filter(|g| !g.whole && shares.contains(&g.id)) {
            g.documents.insert(id.to_string());
        }
    }

    /// Document `id` is gone.
    pub(super) fn ungranted(&self, id: &str) {
        let mut grants = self.grants.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        for g in grants.iter_mut() {
            g.documents.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::TempStore;
    use super::super::{AddedBy, ListQuery, NewDocument, Visible};
    use super::*;
    use crate::ingest::from_bytes;

    fn add(s: &Store, name: &str, text: &str, by: AddedBy) -> String {
        let document = from_bytes(name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let (e, _) = s
            .add(NewDocument { document, origin: None, added_by: by }, annotate::annotate)
            .unwrap_or_else(|e| panic!("{e}"));
        e.document.id.clone()
    }

    fn share(s: &Store, document: Option<&str>) -> (Share, String) {
        s.create_share(&NewShare { label: "for Sam".into(), document: document.map(str::to_string) })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn tokens_are_long_random_and_only_their_hash_is_stored() {
        let s = TempStore::new("tokens");
        let (a, ta) = share(&s, None);
        let (_, tb) = share(&s, None);
        assert_ne!(ta, tb);
        assert!(ta.len() >= 43 && ta.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{ta}");
        let stored: Vec<u8> = s
            .writer()
            .query_row("SELECT token_hash FROM shares WHERE id = ?1", [&a.id], |r| r.get(0))
            .unwrap_or_default();
        assert_eq!(stored, hash(&ta).to_vec());
        let dump: String = s
            .writer()
            .query_row("SELECT group_concat(id || label || hex(token_hash)) FROM shares", [], |r| r.get(0))
            .unwrap_or_default();
        assert!(!dump.contains(&ta), "the token itself is nowhere in the database");
    }

    #[test]
    fn a_token_opens_its_scope_until_revoked_also_after_reopening() {
        let s = TempStore::new("scope");
        let a = add(&s, "a.txt", "Alpha.", AddedBy::Owner);
        let b = add(&s, "b.txt", "Beta.", AddedBy::Owner);
        let (one, t1) = share(&s, Some(&a));
        let (_, tall) = share(&s, None);
        let g = s.check(&t1);
        assert!(g.as_ref().is_some_and(|g| g.opens(&a) && !g.opens(&b)));
        assert!(s.check(&tall).is_some_and(|g| g.opens(&a) && g.opens(&b)));
        assert!(s.check("not a token").is_none());
        assert!(s.check(&t1[..t1.len() - 1]).is_none());
        let reopened = Store::open(s.dir()).unwrap_or_else(|e| panic!("{e}"));
        assert!(reopened.check(&t1).is_some_and(|g| g.opens(&a) && !g.opens(&b)));
        assert_eq!(s.revoke(&one.id).ok(), Some(true));
        assert!(s.check(&t1).is_none(), "a revoked link stops working at once");
        assert!(s.check(&tall).is_some());
        assert_eq!(s.shares().map(|v| v.len()).ok(), Some(1));
    }

    #[test]
    fn a_viewer_who_adds_a_document_can_read_it_and_lists_show_only_what_is_shared() {
        let s = TempStore::new("viewer");
        let a = add(&s, "a.txt", "Alpha.", AddedBy::Owner);
        add(&s, "b.txt", "Beta.", AddedBy::Owner);
        let (one, t1) = share(&s, Some(&a));
        let c = add(&s, "c.txt", "Gamma, from a colleague.", AddedBy::Viewer(vec![one.id.clone()]));
        assert!(s.check(&t1).is_some_and(|g| g.opens(&c)));
        let reopened = Store::open(s.dir()).unwrap_or_else(|e| panic!("{e}"));
        assert!(reopened.check(&t1).is_some_and(|g| g.opens(&c)), "the grant is stored");
        let shares = [one.id.clone()];
        let q = ListQuery { search: None, visible: Visible::Shares(&shares), offset: 0, limit: 10 };
        let listed: Vec<String> = s.list(&q).unwrap_or_default().rows.into_iter().map(|r| r.id).collect();
        assert_eq!(listed, [c.clone(), a.clone()]);
        let q = ListQuery { search: Some("beta"), ..q };
        assert_eq!(s.list(&q).map(|p| p.total).ok(), Some(0), "search stays inside the shared documents");
        assert_eq!(s.delete(&c).ok(), Some(true));
        assert!(s.check(&t1).is_some_and(|g| !g.opens(&c)));
    }

    #[test]
    fn labels_are_trimmed_and_capped() {
        let s = TempStore::new("labels");
        let (sh, _) = s
            .create_share(&NewShare { label: format!("  {}\u{7}  ", "x".repeat(200)), document: None })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sh.label.chars().count(), MAX_LABEL_CHARS);
        assert!(
            s.create_share(&NewShare { label: String::new(), document: Some("nope".into()) })
                .is_err()
        );
    }
}
