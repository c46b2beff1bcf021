//! Fetching a link: `http://` and `https://` only, at most [`MAX_REDIRECTS`] redirects, a time limit, a size limit
//! read as the body arrives, and a clear error for each way it can fail. The page is then read like an uploaded
//! file of its type, and the link (after redirects) is kept as the document's origin.

use std::time::Duration;

use super::{Document, Hint, IngestError, clean_title, from_bytes_with, slug};

/// Most redirects followed.
pub const MAX_REDIRECTS: usize = 5;

/// Longest time a whole fetch may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Longest time to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a link could not be fetched. The messages follow the link in a sentence.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not a URL.
    #[error("not a link Lectern can fetch ({0})")]
    BadUrl(String),
    /// Not http or https.
    #[error("only http:// and https:// links can be fetched, not {0}: links")]
    Scheme(String),
    /// No connection.
    #[error("cannot reach {host} ({reason})")]
    Connect {
        /// The host.
        host: String,
        /// Why.
        reason: String,
    },
    /// Too slow.
    #[error("no complete answer within {} seconds", .0.as_secs_f32())]
    Timeout(Duration),
    /// A redirect loop or chain.
    #[error("it redirects more than {MAX_REDIRECTS} times")]
    Redirects,
    /// The server said no.
    #[error("the server answered {status}{}", if .reason.is_empty() { String::new() } else { format!(" {}", .reason) })]
    Status {
        /// The HTTP status code.
        status: u16,
        /// Its reason phrase.
        reason: String,
    },
    /// Larger than the limit.
    #[error("it is larger than {}", crate::size::human(*.0))]
    TooLarge(u64),
    /// Not something Lectern reads.
    #[error("it is {0}, not a page or document Lectern reads")]
    NotDocument(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// What a fetch brought back.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The link after redirects.
    pub url: String,
    /// The body.
    pub bytes: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
}

/// Whether `s` is meant as a link (`http://…`, `https://…`) rather than a file name.
pub fn looks_like_url(s: &str) -> bool {
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The client: the system's certificate store through rustls (its ring provider), redirects capped.
fn client(timeout: Duration) -> Result<reqwest::Client, FetchError> {
    // Installing the provider twice is harmless: the first one stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .user_agent(concat!("Lectern/", env!("CARGO_PKG_VERSION"), " (annotated reading)"))
        .build()
        .map_err(|e| FetchError::Other(format!("cannot set up fetching ({e})")))
}

/// Media types Lectern reads, besides the ones [`super::Format::from_media_type`] names.
fn readable(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    super::Format::from_media_type(&media).is_some()
        || media.starts_with("text/")
        || media.is_empty()
        || media == "application/octet-stream"
}

/// Fetch `url`, reading at most `max_bytes` of body, within [`TIMEOUT`].
pub async fn fetch(url: &str, max_bytes: u64) -> Result<Fetched, FetchError> {
    fetch_within(url, max_bytes, TIMEOUT).await
}

/// Fetch `url`, reading at most `max_bytes` of body, within `timeout` in all.
pub async fn fetch_within(url: &str, max_bytes: u64, timeout: Duration) -> Result<Fetched, FetchError> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| FetchError::BadUrl(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::Scheme(parsed.scheme().to_string()));
    }
    let host = parsed.host_str().unwrap_or("").to_string();
    let explain = |e: reqwest::Error| -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(timeout)
        } else if e.is_redirect() {
            FetchError::Redirects
        } else if e.is_connect() {
            let reason = std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string());
            FetchError::Connect { host: host.clone(), reason: reason.chars().take(200).collect() }
        } else {
            FetchError::Other(e.to_string().chars().take(200).collect())
        }
    };
    let mut response = client(timeout)?.get(parsed.clone()).send().await.map_err(explain)?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
        });
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(ct) = content_type.as_deref()
        && !readable(ct)
    {
        return Err(FetchError::NotDocument(ct.split(';').next().unwrap_or(ct).trim().to_string()));
    }
    if response.content_length().is_some_and(|n| n > max_bytes) {
        return Err(FetchError::TooLarge(max_bytes));
    }
    let final_url = response.url().to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(explain)? {
        if bytes.len() as u64 + chunk.len() as u64 > max_bytes {
            return Err(FetchError::TooLarge(max_bytes));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Fetched { url: final_url, bytes, content_type })
}

/// The document at `url`: fetched, then read as its `Content-Type` (or its name, or its bytes) says.
pub async fn fetch_document(url: &str, max_bytes: u64) -> Result<Document, IngestError> {
    let fetched = fetch(url, max_bytes).await?;
    document(&fetched)
}

/// [`fetch_document`] for code that is not async (the command line). Must not be called on an async worker.
pub fn fetch_document_blocking(url: &str, max_bytes: u64) -> Result<Document, IngestError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| FetchError::Other(format!("cannot start fetching ({e})")))?;
    runtime.block_on(fetch_document(url, max_bytes))
}

/// Read what a fetch brought back. Named after the link's last part (or its host); the id comes from the title.
pub fn document(fetched: &Fetched) -> Result<Document, IngestError> {
    let name = name_of(&fetched.url);
    let hint = Hint { format: None, content_type: fetched.content_type.as_deref(), url: Some(&fetched.url) };
    let mut doc = from_bytes_with(&name, &fetched.bytes, &hint)?;
    doc.meta.url = Some(fetched.url.clone());
    if let Some(t) = clean_title(&doc.title) {
        doc.id = slug(&t);
    }
    Ok(doc)
}

/// A file name for a link: its last path segment, or its host.
fn name_of(url: &str) -> String {
    let Ok(u) = reqwest::Url::parse(url) else { return "link".to_string() };
    let last = u
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string))
        .filter(|s| !s.is_empty());
    last.or_else(|| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "link".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_told_from_file_names() {
        assert!(looks_like_url("https://example.org/news/story"));
        assert!(!looks_like_url("story.html"));
        assert!(!looks_like_url("ftp://example.org/x"));
    }

    #[test]
    fn names_come_from_the_path_or_the_host() {
        assert_eq!(name_of("https://example.org/news/2026/bridge-plan.html?x=1"), "bridge-plan.html");
        assert_eq!(name_of("https://example.org/"), "example.org");
    }

    #[test]
    fn other_schemes_and_bad_links_are_refused_before_any_connection() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let err = rt
            .block_on(fetch("file:///etc/passwd", 1000))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("only http:// and https://"), "{err}");
        assert!(matches!(rt.block_on(fetch("not a link", 1000)), Err(FetchError::BadUrl(_))));
    }
}
