//! Rendered pages and JSON, kept ready to send: per document, revision and annotator version (and, for a reading
//! page, the layers it hides and whether the owner or a viewer asks, since their pages differ), each with an
//! `ETag` and compressed once with gzip and Brotli. A request whose `If-None-Match` names the tag gets `304 Not
//! Modified`; one that accepts Brotli or gzip gets the compressed bytes, so nothing is rendered or compressed twice.
//!
//! Entries never go stale: a change to a document is a new revision, hence a new key; old keys are evicted by
//! size. The tag also carries the build's fingerprint, so a page kept by a browser is not reused after an upgrade.

use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Most entries, and their total size in bytes (all three encodings).
const ITEMS: usize = 4_096;
const WEIGHT: u64 = 256 * 1024 * 1024;

/// This build of Lectern (templates, static files, sources), from `build.rs`.
pub const BUILD: &str = env!("LECTERN_BUILD");

/// What a cached response is of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The document.
    pub id: String,
    /// Its revision.
    pub revision: i64,
    /// Its review count (notes and corrections written, changed or removed); 0 for the annotator's view.
    pub review: i64,
    /// The pipeline that made its annotation.
    pub made: crate::entry::Made,
    /// Which rendering: a reading page for the owner or a viewer with these layers hidden, or the JSON.
    pub kind: Kind,
}

/// Which rendering of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The reading page; `hidden` is a bit per hidden layer.
    Page {
        /// The owner's page (with the share and delete controls).
        owner: bool,
        /// The hidden layers, one bit each in `Layer::ALL` order.
        hidden: u8,
        /// The annotator's view, without colleagues' notes and corrections.
        annotator: bool,
        /// The learned model is (or will be) refining annotations; false when it is off or failed to load.
        refining: bool,
    },
    /// The document's JSON.
    Json {
        /// The annotator's view.
        annotator: bool,
    },
}

/// A response ready to send.
#[derive(Debug)]
pub struct Cached {
    /// The `ETag`, quoted.
    pub etag: HeaderValue,
    /// The media type.
    pub content_type: &'static str,
    /// The body as rendered.
    pub identity: Bytes,
    /// The body compressed with gzip.
    pub gzip: Bytes,
    /// The body compressed with Brotli.
    pub br: Bytes,
}

#[derive(Debug, Clone, Copy)]
struct Weight;

impl quick_cache::Weighter<Key, Arc<Cached>> for Weight {
    fn weight(&self, _: &Key, c: &Arc<Cached>) -> u64 {
        (c.identity.len() + c.gzip.len() + c.br.len() + 256) as u64
    }
}

/// The cache.
pub struct Cache {
    entries: quick_cache::sync::Cache<Key, Arc<Cached>, Weight>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("entries", &self.entries.len()).finish()
    }
}

impl Default for Cache {
    fn default() -> Cache {
        Cache { entries: quick_cache::sync::Cache::with_weighter(ITEMS, WEIGHT, Weight) }
    }
}

impl Cache {
    /// The response for `key`, if it is kept.
    pub fn get(&self, key: &Key) -> Option<Arc<Cached>> {
        self.entries.get(key)
    }

    /// Keep `body` as the response for `key` (compressing it now), and return it.
    pub fn insert(&self, key: Key, content_type: &'static str, body: Vec<u8>) -> Arc<Cached> {
        let etag = tag(&key);
        let cached = Arc::new(Cached {
            etag,
            content_type,
            gzip: Bytes::from(gzip(&body)),
            br: Bytes::from(brotli(&body)),
            identity: Bytes::from(body),
        });
        self.entries.insert(key, Arc::clone(&cached));
        cached
    }
}

/// The `ETag` of `key`: the document, its revision, the annotator, the build and the rendering.
fn tag(key: &Key) -> HeaderValue {
    let kind = match key.kind {
        Kind::Page { owner, hidden, annotator, refining } => {
            format!("p{}{hidden:02x}{}{}", u8::from(owner), u8::from(annotator), u8::from(refining))
        }
        Kind::Json { annotator } => format!("j{}", u8::from(annotator)),
    };
    let fingerprint = fnv(format!("{}\u{0}{}\u{0}{}\u{0}{BUILD}", key.id, key.revision, annotate::VERSION).as_bytes());
    let made = key.made.as_str();
    HeaderValue::from_str(&format!("\"{fingerprint:016x}-{}.{}-{made}-{kind}\"", key.revision, key.review))
        .unwrap_or(HeaderValue::from_static("\"0\""))
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::new(6));
    // Writing into a vector cannot fail.
    let _ = enc.write_all(body);
    enc.finish().unwrap_or_default()
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() / 5);
    let params = brotli::enc::BrotliEncoderParams { quality: 6, lgwin: 22, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out
}

/// Whether the request's `If-None-Match` names `etag`.
fn not_modified(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(asked) = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else { return false };
    let ours = etag.to_str().unwrap_or("");
    asked
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == ours || t == "*")
}

/// The best encoding the request accepts of those kept: `br`, `gzip`, or none.
fn accepted(request: &HeaderMap) -> Option<&'static str> {
    let accept = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok())?;
    let takes = |name: &str| {
        accept.split(',').any(|part| {
            let mut bits = part.split(';');
            let coding = bits.next().unwrap_or("").trim();
            let refused = bits.any(|q| matches!(q.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if takes("br") {
        Some("br")
    } else if takes("gzip") {
        Some("gzip")
    } else {
        None
    }
}

/// The response for `request` from `cached`: 304 when the client's copy is current, else the body in the best
/// encoding it accepts.
pub fn respond(cached: &Cached, request: &HeaderMap) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, cached.etag.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    if not_modified(request, &cached.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(cached.content_type));
    let body = match accepted(request) {
        Some(coding) => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            if coding == "br" { cached.br.clone() } else { cached.gzip.clone() }
        }
        None => cached.identity.clone(),
    };
    (headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn key(revision: i64, kind: Kind) -> Key {
        Key { id: "a".into(), revision, review: 0, made: crate::entry::Made::Rules, kind }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn tags_differ_by_revision_and_rendering() {
        let page = Kind::Page { owner: true, hidden: 0, annotator: false, refining: false };
        assert_ne!(tag(&key(1, page)), tag(&key(2, page)));
        assert_ne!(
            tag(&key(1, page)),
            tag(&key(1, Kind::Page { owner: false, hidden: 0, annotator: false, refining: false }))
        );
        assert_ne!(
            tag(&key(1, page)),
            tag(&key(1, Kind::Page { owner: true, hidden: 3, annotator: false, refining: false }))
        );
        assert_ne!(
            tag(&key(1, page)),
            tag(&key(1, Kind::Page { owner: true, hidden: 0, annotator: true, refining: false }))
        );
        assert_ne!(tag(&key(1, page)), tag(&key(1, Kind::Json { annotator: false })));
        assert_ne!(tag(&key(1, page)), tag(&Key { review: 1, ..key(1, page) }), "a note is a new page");
        let refined = Key { made: crate::entry::Made::Model, ..key(1, page) };
        assert_ne!(tag(&key(1, page)), tag(&refined), "so is the model's annotation");
        assert_eq!(tag(&key(1, page)), tag(&key(1, page)));
    }

    #[test]
    fn the_best_accepted_encoding_is_sent_and_decodes_to_the_body() {
        let cache = Cache::default();
        let body = "<p>Le café est fermé.</p>".repeat(200).into_bytes();
        let c = cache.insert(key(1, Kind::Json { annotator: false }), "text/html; charset=utf-8", body.clone());
        assert!(c.gzip.len() < body.len() / 4 && c.br.len() < body.len() / 4);
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&c.gzip[..]).read_to_end(&mut unzipped).ok();
        assert_eq!(unzipped, body);
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut &c.br[..], &mut unbrotli).ok();
        assert_eq!(unbrotli, body);
        assert_eq!(accepted(&headers(&[("accept-encoding", "gzip, deflate, br")])), Some("br"));
        assert_eq!(accepted(&headers(&[("accept-encoding", "gzip;q=1.0, br;q=0")])), Some("gzip"));
        assert_eq!(accepted(&headers(&[("accept-encoding", "identity")])), None);
        assert_eq!(accepted(&HeaderMap::new()), None);
    }

    #[test]
    fn a_current_copy_gets_304() {
        let cache = Cache::default();
        let c = cache.insert(key(1, Kind::Json { annotator: false }), "application/json", b"{}".to_vec());
        let tag = c.etag.to_str().unwrap_or("").to_string();
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("W/{tag}, \"other\"")).unwrap_or(HeaderValue::from_static("x")),
        );
        assert_eq!(respond(&c, &h).status(), StatusCode::NOT_MODIFIED);
        assert_eq!(respond(&c, &headers(&[("if-none-match", "\"other\"")])).status(), StatusCode::OK);
    }
}
