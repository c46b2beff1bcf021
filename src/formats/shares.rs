//! Share links on the wire: `GET /api/shares` lists them, `POST /api/shares` answers with the new one (and, that
//! once, its URL and QR code).

use serde::Serialize;

use crate::store::{Share, ShareScope};

/// The wire form of a link.
#[derive(Debug, Serialize)]
pub struct ShareJson<'a> {
    /// Its id (revoke with `DELETE /api/shares/{id}`).
    pub id: &'a str,
    /// Whom it is for.
    pub label: &'a str,
    /// `library` or `documents`.
    pub scope: &'static str,
    /// For `documents`: their ids.
    pub documents: Vec<&'a str>,
    /// When it was made: seconds since the Unix epoch.
    pub created: i64,
    /// When it was last opened, if ever.
    pub opened: Option<i64>,
    /// How often it was opened.
    pub opens: i64,
    /// Only when just made: the link to send (the token is not stored and cannot be shown again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Only when just made: the same link on the server's other addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<&'a [String]>,
    /// Only when just made: a QR code of `url`, as `{ "size", "path" }` for an SVG.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qr: Option<QrJson<'a>>,
}

/// A QR code as SVG geometry.
#[derive(Debug, Serialize)]
pub struct QrJson<'a> {
    /// Side of the square in modules (quiet zone included): the SVG's `viewBox` is `0 0 size size`.
    pub size: usize,
    /// The dark modules as one path.
    pub path: &'a str,
}

impl<'a> ShareJson<'a> {
    /// The wire form of `s`, without the fields only a new link has.
    pub fn new(s: &'a Share) -> ShareJson<'a> {
        let (scope, documents) = match &s.scope {
            ShareScope::Library => ("library", Vec::new()),
            ShareScope::Documents(ids) => ("documents", ids.iter().map(String::as_str).collect()),
        };
        ShareJson {
            id: &s.id,
            label: &s.label,
            scope,
            documents,
            created: s.created,
            opened: s.opened,
            opens: s.opens,
            url: None,
            urls: None,
            qr: None,
        }
    }
}
