//! Wire formats: how annotated documents and the library leave Lectern. Only this module defines them; the CLI
//! and the server both write through it, so the two cannot drift apart.
//!
//! - [`lectern`]: Lectern's own JSON (and JSON Lines), documented in `docs/json-format.md`, plus the library
//!   listing and errors of the HTTP API;
//! - [`shares`]: share links, for the owner;
//! - the exports, one writer each, for tools other than Lectern: [`web_annotation`] (W3C Web Annotation, for
//!   Hypothesis, Recogito and other annotation stores), [`brat`] (brat standoff, the corpus format of PolNeAR, for
//!   brat and INCEpTION), [`csv`] (a table of sentences, for spreadsheets), [`brief`] (a reading brief in Markdown,
//!   for people).
//!
//! [`ExportFormat`] names every format a document can be exported in, with its file extension and media type;
//! [`export`] writes one. Every export points into the document text in characters, through `offsets` (the one
//! place that converts the annotator's byte spans), and leaves out a span that does not fit the text.

pub mod brat;
pub mod brief;
pub mod csv;
pub mod lectern;
mod offsets;
pub mod review;
pub mod shares;
pub mod web_annotation;

use std::io::{self, Write};

use crate::entry::Entry;

/// A format a document can be exported in. Its machine name ([`ExportFormat::as_str`]) is the one used
/// everywhere: on the command line, in URLs and in file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Lectern's own JSON, one pretty-printed object ([`lectern`]).
    Json,
    /// Lectern's own JSON, one compact object on one line ([`lectern`]).
    Jsonl,
    /// W3C Web Annotation, JSON-LD ([`web_annotation`]).
    W3c,
    /// brat standoff: the `.ann` file beside the text ([`brat`]).
    Brat,
    /// One row per sentence ([`csv`]).
    Csv,
    /// A reading brief ([`brief`]).
    Markdown,
    /// A standalone reading page. Written by the templates, not here: [`export`] answers
    /// [`ExportError::Unavailable`].
    Html,
}

impl ExportFormat {
    /// Every format, in the order a menu lists them.
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Json,
        ExportFormat::Jsonl,
        ExportFormat::W3c,
        ExportFormat::Brat,
        ExportFormat::Csv,
        ExportFormat::Markdown,
        ExportFormat::Html,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::W3c => "w3c",
            ExportFormat::Brat => "brat",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Html => "html",
        }
    }

    /// The format with this machine name.
    pub fn parse(name: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// What a menu calls it.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON (Lectern's format)",
            ExportFormat::Jsonl => "JSON Lines (one line, for corpora)",
            ExportFormat::W3c => "W3C Web Annotation (JSON-LD)",
            ExportFormat::Brat => "brat standoff (.txt and .ann, with annotation.conf)",
            ExportFormat::Csv => "CSV of sentences (spreadsheets)",
            ExportFormat::Markdown => "Reading brief (Markdown)",
            ExportFormat::Html => "Standalone page (HTML, opens offline)",
        }
    }

    /// File extension, without the dot. brat's `.ann` goes with a `.txt` of the document text.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::W3c => "jsonld",
            ExportFormat::Brat => "ann",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
        }
    }

    /// Media type, for `Content-Type`. Web Annotation's is JSON-LD with the profile its specification registers;
    /// brat standoff has none registered and is plain text.
    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Json => "application/json",
            ExportFormat::Jsonl => "application/jsonl; charset=utf-8",
            ExportFormat::W3c => "application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\"",
            ExportFormat::Brat => "text/plain; charset=utf-8",
            ExportFormat::Csv => "text/csv; charset=utf-8; header=present",
            ExportFormat::Markdown => "text/markdown; charset=utf-8",
            ExportFormat::Html => "text/html; charset=utf-8",
        }
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why [`export`] wrote nothing, or not all of it.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The format is not written by this module.
    #[error("the {0} export is not available here")]
    Unavailable(ExportFormat),
    /// Writing failed.
    #[error("cannot write the export")]
    Io(#[from] io::Error),
}

/// Write `entry` in `format` to `out`. `base` is the address Lectern is served at (`http://192.168.1.20:3000`),
/// for the formats that link back to the reading page ([`ExportFormat::W3c`], [`ExportFormat::Markdown`]); without
/// it they use a `urn:lectern:` name or a relative link. For [`ExportFormat::Brat`] this writes the `.ann` file;
/// its text file is the document text, unchanged ([`brat::files`] gives both).
pub fn export(format: ExportFormat, entry: &Entry, base: Option<&str>, mut out: impl Write) -> Result<(), ExportError> {
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &lectern::DocumentJson::new(entry)).map_err(io::Error::from)?
        }
        ExportFormat::Jsonl => {
            serde_json::to_writer(&mut out, &lectern::DocumentJson::new(entry)).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
        ExportFormat::W3c => web_annotation::write(entry, base, out)?,
        ExportFormat::Brat => out.write_all(brat::ann(entry).as_bytes())?,
        ExportFormat::Csv => csv::write(entry, out)?,
        ExportFormat::Markdown => out.write_all(brief::brief(entry, base).as_bytes())?,
        ExportFormat::Html => return Err(ExportError::Unavailable(format)),
    }
    Ok(())
}

/// `text` percent-encoded for a path segment or a URN: everything but ASCII letters, digits, `-._~` is escaped,
/// so the result can be put into any IRI or Markdown link without ending it.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The address Lectern is served at, without a trailing slash; `""` for none (links are then relative). Bytes that
/// may not stand in a URL, and parentheses (which end a Markdown link), are percent-encoded.
pub(crate) fn base_url(base: Option<&str>) -> String {
    let base = base.map_or("", |b| b.trim().trim_end_matches('/'));
    let mut out = String::with_capacity(base.len());
    for c in base.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'*+,;=%".contains(c) {
            out.push(c);
        } else {
            out.push_str(&percent_encode(c.encode_utf8(&mut [0; 4])));
        }
    }
    out
}

/// The reading page of document `id`, under `base`.
pub(crate) fn reading_page(base: Option<&str>, id: &str) -> String {
    format!("{}/d/{}", base_url(base), percent_encode(id))
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_their_own_names_and_nothing_else() {
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(f.as_str()), Some(f));
            assert!(!f.extension().is_empty() && !f.extension().contains('.'));
            assert!(f.mime().contains('/'));
        }
        let mut names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ExportFormat::ALL.len());
        assert_eq!(ExportFormat::parse("JSON"), None);
        assert_eq!(ExportFormat::parse("xml"), None);
    }

    #[test]
    fn export_writes_every_format_but_html() {
        let entry = fixtures::annotated(fixtures::HOSTILE);
        for f in ExportFormat::ALL {
            let mut out = Vec::new();
            let got = export(f, &entry, Some("http://127.0.0.1:3000/"), &mut out);
            if f == ExportFormat::Html {
                assert!(matches!(got, Err(ExportError::Unavailable(ExportFormat::Html))));
                assert!(out.is_empty());
            } else {
                assert!(got.is_ok(), "{f}: {got:?}");
                assert!(String::from_utf8(out).is_ok_and(|s| !s.is_empty()), "{f}");
            }
        }
        let mut jsonl = Vec::new();
        export(ExportFormat::Jsonl, &entry, None, &mut jsonl).expect("writes to memory");
        let jsonl = String::from_utf8(jsonl).expect("utf-8");
        assert_eq!(jsonl.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&jsonl).expect("one JSON object");
        assert_eq!(v["lectern"], 1);
    }

    #[test]
    fn links_are_escaped_and_relative_without_a_base() {
        assert_eq!(percent_encode("a b/(c)é"), "a%20b%2F%28c%29%C3%A9");
        assert_eq!(reading_page(None, "kim-putin"), "/d/kim-putin");
        assert_eq!(reading_page(Some("http://h:3000/"), "x y"), "http://h:3000/d/x%20y");
        assert_eq!(base_url(Some(" http://h/a b)<x>/ ")), "http://h/a%20b%29%3Cx%3E");
    }
}
