//! Static files (`static/`), embedded in the binary and served under a versioned prefix:
//! `/static/<hash>/app.css`, where `<hash>` is the start of the file's SHA-256. A new build with changed CSS gets
//! a new URL, so browsers may cache every asset for a year and never see a stale one.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::{EmbeddedFile, RustEmbed};

use super::error::AppError;

/// `static/`, compiled into the binary.
#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// Cache policy for a URL whose version matches the content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Cache policy for anything else: revalidate with the ETag.
const REVALIDATE: &str = "no-cache";

/// The versioned URL of a static file, e.g. `/static/1a2b3c4d5e6f/app.css`.
pub fn url(file: &str) -> String {
    let version = Static::get(file).map_or_else(|| "0".to_string(), |f| version(&f));
    format!("/static/{version}/{file}")
}

/// The version part of a file's URL: the first 6 bytes of its SHA-256, in hex.
fn version(file: &EmbeddedFile) -> String {
    hex(&file.metadata.sha256_hash()[..6])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /static/{version}/{*file}`. A current version is cached for a year; an old one (a page from before an
/// upgrade) still gets the current file, revalidated each time.
pub async fn asset(Path((version, file)): Path<(String, String)>, headers: HeaderMap) -> Result<Response, AppError> {
    let found = Static::get(&file).ok_or(AppError::NotFound)?;
    let cache = if version == self::version(&found) { IMMUTABLE } else { REVALIDATE };
    Ok(respond(&found, cache, &headers))
}

/// `GET /favicon.ico`, for browsers that ask before reading the page's icon link: the SVG icon.
pub async fn favicon(headers: HeaderMap) -> Result<Response, AppError> {
    let found = Static::get("favicon.svg").ok_or(AppError::NotFound)?;
    Ok(respond(&found, "public, max-age=86400", &headers))
}

/// The file with its type, ETag and cache policy, or 304 when the client's copy is current.
fn respond(file: &EmbeddedFile, cache: &'static str, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()));
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let headers = [(header::ETAG, etag_value), (header::CACHE_CONTROL, HeaderValue::from_static(cache))];
    if matches_etag(request, &etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let mime =
        HeaderValue::from_str(file.metadata.mimetype()).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (headers, [(header::CONTENT_TYPE, mime)], file.data.clone()).into_response()
}

/// True when `If-None-Match` lists `etag` (or `*`).
fn matches_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_versioned_by_content() {
        let css = url("app.css");
        assert!(css.starts_with("/static/") && css.ends_with("/app.css"), "{css}");
        assert_eq!(css.len(), "/static/".len() + 12 + "/app.css".len());
        assert_ne!(url("app.css"), url("favicon.svg").replace("favicon.svg", "app.css"));
    }

    /// The `--name: light-dark(#light, #dark)` colours of `app.css`.
    fn palette() -> Vec<(String, [String; 2])> {
        let css = include_str!("../../static/app.css");
        css.lines()
            .filter_map(|line| {
                let (name, value) = line.trim().split_once(':')?;
                let pair = value.trim().strip_prefix("light-dark(")?.strip_suffix(");")?;
                let (light, dark) = pair.split_once(',')?;
                Some((name.trim().to_string(), [light.trim().to_string(), dark.trim().to_string()]))
            })
            .collect()
    }

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Text on every background it is drawn on, and the lines that carry a layer against the page, meet WCAG AA
    /// (4.5:1 for text, 3:1 for graphics) in both schemes. axe checks the page too, but cannot judge text over
    /// the hatching and the content line, which are background gradients.
    #[test]
    fn colours_meet_wcag_aa_in_light_and_dark() {
        let palette = palette();
        let colour = |name: &str, scheme: usize| -> String {
            palette
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, pair)| pair[scheme].clone())
                .unwrap_or_else(|| panic!("app.css defines {name}"))
        };
        let text_on = [
            "--paper",
            "--panel",
            "--raised",
            "--source-named",
            "--source-unnamed",
            "--source-unnamed-hatch",
            "--source-media",
            "--current",
            "--speaker",
        ];
        let lines = [
            "--hedge-epistemic",
            "--hedge-doxastic",
            "--hedge-conditional",
            "--hedge-investigation",
            "--hedge-approximator",
            "--content-line",
            "--claim-attributed",
            "--claim-unattributed",
            "--claim-none",
            "--focus",
            "--speaker-line",
            "--source-media-line",
        ];
        for (scheme, name) in [(0, "light"), (1, "dark")] {
            for bg in text_on {
                let ratio = contrast(&colour("--ink", scheme), &colour(bg, scheme));
                assert!(ratio >= 4.5, "{name}: text on {bg} is {ratio:.1}:1");
            }
            for bg in ["--paper", "--panel"] {
                for fg in ["--muted", "--link"] {
                    let ratio = contrast(&colour(fg, scheme), &colour(bg, scheme));
                    assert!(ratio >= 4.5, "{name}: {fg} on {bg} is {ratio:.1}:1");
                }
            }
            for line in lines {
                let ratio = contrast(&colour(line, scheme), &colour("--paper", scheme));
                assert!(ratio >= 3.0, "{name}: {line} against the page is {ratio:.1}:1");
            }
        }
        assert!(palette.len() > 20, "the palette was read: {palette:?}");
    }

    #[test]
    fn etags_match_lists_and_weak_tags() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"a\", W/\"b\""));
        assert!(matches_etag(&h, "\"b\""));
        assert!(!matches_etag(&h, "\"c\""));
        assert!(!matches_etag(&HeaderMap::new(), "\"a\""));
    }
}
