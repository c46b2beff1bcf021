//! Ingest: bytes (a file, standard input, an upload, a paste, a fetched link) -> a [`Document`] of clean text with
//! what is known about it ([`Meta`]), or a typed [`IngestError`].
//!
//! This is the boundary where odd input is turned into text or rejected, so that everything behind it (the
//! annotator, the views, the exports) can take a `&str` of real text for granted. One converter per format:
//! plain text is kept exactly as it is (only a byte-order mark is removed), because every offset Lectern reports
//! points into it; Markdown ([`markdown`]), HTML pages ([`html`]), PDFs ([`pdf`]) and Word files ([`docx`]) are
//! converted to plain text once, here, and the converted text is what is annotated, stored and served. Text in
//! any encoding is decoded ([`encoding`]); links are fetched ([`link`]).

mod docx;
pub mod encoding;
mod html;
pub mod link;
mod markdown;
mod pdf;
mod read;

use std::path::Path;

pub use encoding::EncodingSource;
pub use read::{Input, load, load_limited};

/// A default limit for reading an input whole: 10 MiB, far more than any news article. `lectern annotate` reads
/// without a limit; the server's is `--max-upload`.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Longest title, in characters; longer first lines are cut and end with "…".
pub const MAX_TITLE_CHARS: usize = 120;

/// Share of control characters (other than newline, carriage return, tab and form feed) above which decoded text is
/// still treated as binary data, in percent.
const MAX_CONTROL_PERCENT: usize = 10;

/// The bundled demo article, embedded in the binary.
const DEMO_TEXT: &str = include_str!("../../demo/kim-putin-article.txt");

/// File name of the bundled demo article.
const DEMO_NAME: &str = "kim-putin-article.txt";

/// What a document was written in; it decides how it is turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, served unchanged.
    Plain,
    /// Markdown (`.md`, `.markdown`), converted to plain text.
    Markdown,
    /// An HTML page (`.html`, `.htm`), whose article is extracted.
    Html,
    /// A PDF with text in it.
    Pdf,
    /// A Word document (`.docx`).
    Docx,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [Format::Plain, Format::Markdown, Format::Html, Format::Pdf, Format::Docx];

    /// The format a file name's extension names, if it names one.
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref()? {
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "txt" | "text" => Some(Format::Plain),
            _ => None,
        }
    }

    /// The format a file name implies: by its extension, plain text otherwise.
    pub fn from_name(name: &str) -> Format {
        Format::from_extension(name).unwrap_or(Format::Plain)
    }

    /// The format a `Content-Type` names, if it names one Lectern reads (`text/plain` says little: it is often
    /// sent for anything, so it names none).
    pub fn from_media_type(content_type: &str) -> Option<Format> {
        let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match media.as_str() {
            "text/html" | "application/xhtml+xml" => Some(Format::Html),
            "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
            "application/pdf" => Some(Format::Pdf),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Some(Format::Docx),
            _ => None,
        }
    }

    /// The format the bytes themselves show (a PDF header, a zip holding a Word document, an HTML start).
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"%PDF-") {
            return Some(Format::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") && bytes.windows(5).take(64 * 1024).any(|w| w == b"word/") {
            return Some(Format::Docx);
        }
        let start: Vec<u8> = bytes
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
            .take(64)
            .map(u8::to_ascii_lowercase)
            .collect();
        let html =
            [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<article", b"<!--", b"<meta", b"<p>", b"<div"];
        html.iter().any(|p| start.starts_with(p)).then_some(Format::Html)
    }

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    /// The format with this machine name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// A reader's name for it.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Plain => "plain text",
            Format::Markdown => "Markdown",
            Format::Html => "a web page",
            Format::Pdf => "a PDF",
            Format::Docx => "a Word document",
        }
    }
}

/// Whether typed or pasted text is HTML rather than text that mentions a tag: it starts with a tag (or a comment
/// or doctype) and closes one somewhere.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    if Format::sniff(bytes) == Some(Format::Html) {
        return true;
    }
    let start: Vec<u8> = bytes.iter().skip_while(|b| b.is_ascii_whitespace()).take(2).copied().collect();
    let opens = start.first() == Some(&b'<') && start.get(1).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'!');
    opens && bytes.windows(2).any(|w| w == b"</" || w == b"/>")
}

/// A loaded document: clean text, the names it is known by, and what is known about where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// URL-safe identifier: a slug of the file name's stem (made unique when stored or collected).
    pub id: String,
    /// File name as given, without directories (`<stdin>` for standard input, `<pasted>`, `<api>`, or the last
    /// part of a link).
    pub name: String,
    /// The article's title, its first heading, or its first non-empty line; at most [`MAX_TITLE_CHARS`].
    pub title: String,
    /// The text that is annotated and served; every offset points into it.
    pub text: String,
    /// The format the text was written in.
    pub format: Format,
    /// What else was found out while reading it.
    pub meta: Meta,
}

/// What a converter found besides the text. Everything is optional: a plain-text file knows only its encoding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Who wrote it (a web page's or a Word file's byline): the reporter, never a source.
    pub byline: Option<String>,
    /// When it was published, as the page says it.
    pub published: Option<String>,
    /// The site or publication.
    pub site: Option<String>,
    /// The link it was fetched from.
    pub url: Option<String>,
    /// The encoding of the bytes, and what decided it (`None` for formats with their own, such as PDF).
    pub encoding: Option<(String, EncodingSource)>,
    /// What conversion left out of the text, so that nothing is lost silently (a web page's navigation, adverts,
    /// comments; a PDF's running headers).
    pub removed: Vec<Removed>,
    /// Remarks on the conversion for the reader ("line-break hyphens were joined in 12 words").
    pub notes: Vec<String>,
}

/// A part of the original left out of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// What it was, for a reader: "navigation", "comments", "running header"…
    pub what: String,
    /// Its text.
    pub text: String,
}

/// What is known of bytes before they are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hint<'a> {
    /// The format, when the person or program adding it said so.
    pub format: Option<Format>,
    /// The `Content-Type` the bytes came with (an HTTP answer, an upload).
    pub content_type: Option<&'a str>,
    /// The link they were fetched from.
    pub url: Option<&'a str>,
}

/// Why an input was rejected. The messages are lower-case reasons meant to follow the input's name.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Nothing but whitespace (or nothing at all), or a page or file with no text in it.
    #[error("empty: there is no text to annotate")]
    Empty,
    /// Binary data rather than text.
    #[error("binary data, not text ({0})")]
    Binary(&'static str),
    /// Larger than the limit.
    #[error("too large: more than {}", crate::size::human(*.limit))]
    TooLarge {
        /// The limit that was exceeded, in bytes.
        limit: u64,
    },
    /// A web page that cannot be read.
    #[error("not a web page Lectern can read: {0}")]
    Html(String),
    /// A PDF that cannot be read.
    #[error("not a PDF Lectern can read: {0}")]
    Pdf(String),
    /// A Word document that cannot be read.
    #[error("not a Word document Lectern can read: {0}")]
    Docx(String),
    /// A link that could not be fetched.
    #[error("{0}")]
    Link(#[from] link::FetchError),
    /// The input could not be read.
    #[error("{}", read::describe_io(.0))]
    Io(#[from] std::io::Error),
}

/// Decode `bytes` named `name` (a file name; its extension picks the format) into a document.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Document, IngestError> {
    from_bytes_with(name, bytes, &Hint::default())
}

/// Decode `bytes` named `name` into a document, with what is known of them. The format is, in order: the one
/// given, the one the `Content-Type` names, the one the file name's extension names, the one the bytes show, and
/// plain text.
pub fn from_bytes_with(name: &str, bytes: &[u8], hint: &Hint<'_>) -> Result<Document, IngestError> {
    let format = hint
        .format
        .or_else(|| hint.content_type.and_then(Format::from_media_type))
        .or_else(|| Format::from_extension(name))
        .or_else(|| Format::sniff(bytes))
        .unwrap_or(Format::Plain);
    let declared: Vec<(EncodingSource, &str)> = hint
        .content_type
        .and_then(encoding::charset_of)
        .map(|c| (EncodingSource::Http, c))
        .into_iter()
        .collect();
    let (text, title, mut meta) = match format {
        Format::Plain | Format::Markdown => {
            let decoded = text_of(bytes, &declared)?;
            let meta = Meta { encoding: Some((decoded.encoding.to_string(), decoded.source)), ..Meta::default() };
            if format == Format::Plain {
                (decoded.text, None, meta)
            } else {
                let (converted, heading) = markdown::to_text(&decoded.text);
                (converted, heading, meta)
            }
        }
        Format::Html => {
            let page = html::extract(bytes, &declared, hint.url)?;
            (page.text, page.title, page.meta)
        }
        Format::Pdf => {
            let doc = pdf::extract(bytes)?;
            (doc.text, doc.title, doc.meta)
        }
        Format::Docx => {
            let doc = docx::extract(bytes)?;
            (doc.text, doc.title, doc.meta)
        }
    };
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    meta.url = meta.url.or_else(|| hint.url.map(str::to_string));
    let title = title.and_then(|t| clean_title(&t)).unwrap_or_else(|| title_of(&text));
    Ok(Document { id: slug(stem(name)), name: name.to_string(), title, text, format, meta })
}

/// The bundled demo article as a document with the id `kim-putin-article`.
pub fn demo() -> Document {
    from_bytes(DEMO_NAME, DEMO_TEXT.as_bytes()).expect("the bundled demo article is valid UTF-8 text")
}

/// Stack of the threads that run the parsers of untrusted formats (HTML, PDF): deep structures recurse deeply.
const PARSER_STACK: usize = 256 * 1024 * 1024;

/// Run `f` on a thread of its own with a large stack; `Err(())` if it panicked (pdf-extract does on some fonts),
/// so that a bad file is an error, not the end of the process.
fn on_big_stack<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> Result<T, ()> {
    std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(PARSER_STACK)
        .spawn(f)
        .map_err(|_| ())?
        .join()
        .map_err(|_| ())
}

/// Bytes of a text format -> text, in its encoding: rejected when empty or binary.
fn text_of(bytes: &[u8], declared: &[(EncodingSource, &str)]) -> Result<encoding::Decoded, IngestError> {
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if !has_bom && bytes.contains(&0) {
        return Err(IngestError::Binary("it contains NUL bytes"));
    }
    let decoded = encoding::decode(bytes, declared);
    check_text(&decoded.text)?;
    Ok(decoded)
}

/// Decoded text that is empty or mostly control characters is no document.
fn check_text(text: &str) -> Result<(), IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    let total = text.chars().count();
    let control = text
        .chars()
        .filter(|&c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}')
        .count();
    if control * 100 > total * MAX_CONTROL_PERCENT {
        return Err(IngestError::Binary("it is mostly control characters"));
    }
    Ok(())
}

impl Document {
    /// The name as a page shows it: the file name, or what the placeholder names stand for.
    pub fn shown_name(&self) -> &str {
        shown_name(&self.name)
    }
}

/// `name` as a page shows it: `<pasted>`, `<api>` and `<stdin>` say how the text came in.
pub fn shown_name(name: &str) -> &str {
    match name {
        "<pasted>" => "pasted text",
        "<api>" => "sent to the API",
        "<stdin>" => "standard input",
        other => other,
    }
}

/// A text someone gave as a title: control characters dropped, whitespace runs made one space, capped at
/// [`MAX_TITLE_CHARS`]; `None` if nothing is left.
pub fn clean_title(given: &str) -> Option<String> {
    let words: Vec<&str> = given
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let title = title_of(&words.join(" "));
    (!title.is_empty()).then_some(title)
}

/// Decode text someone typed or pasted (or sent to the API): as [`from_bytes_with`] with `hint`, with line ends
/// made `\n` (a browser sends a text area's lines with `\r\n`, which would make the same text a different
/// document), the `title` given in place of the first one if there is one, and an id made from the title rather
/// than from `name`.
pub fn from_text(name: &str, bytes: &[u8], title: Option<&str>, hint: Hint<'_>) -> Result<Document, IngestError> {
    // Byte by byte: CR LF is the same two bytes in every encoding a browser sends a form in, except UTF-16.
    let normalised: Vec<u8>;
    let bytes = if bytes.contains(&b'\r')
        && encoding_rs::Encoding::for_bom(bytes).is_none_or(|(e, _)| e == encoding_rs::UTF_8)
    {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        normalised = out;
        normalised.as_slice()
    } else {
        bytes
    };
    let mut doc = from_bytes_with(name, bytes, &hint)?;
    if let Some(title) = title.and_then(clean_title) {
        doc.title = title;
    }
    doc.id = slug(&doc.title);
    Ok(doc)
}

/// The first non-empty line of `text`, trimmed and capped at [`MAX_TITLE_CHARS`].
fn title_of(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line.to_string();
    }
    let cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A file name without directories and without its last extension.
fn stem(name: &str) -> &str {
    Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name)
}

/// A URL-safe slug: ASCII letters and digits, lower-cased, runs of anything else as one `-`; `document` if empty.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "document".to_string() } else { out }
}

/// Hands out unique document ids: the second `report` becomes `report-2`, the third `report-3`.
#[derive(Debug, Default)]
pub struct Ids {
    taken: std::collections::HashSet<String>,
}

impl Ids {
    /// `wanted` if it is still free, else `wanted-N` with the smallest free N ≥ 2.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(bytes: &[u8]) -> IngestError {
        match from_bytes("x.txt", bytes) {
            Ok(doc) => panic!("expected an error, got {doc:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_text_is_kept_exactly_except_the_bom() {
        let text = "Headline\r\n\r\n  “Quoted,” she said.  \n";
        assert_eq!(from_bytes("a.txt", text.as_bytes()).map(|d| d.text).ok().as_deref(), Some(text));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(from_bytes("a.txt", &with_bom).map(|d| d.text).ok().as_deref(), Some(text));
    }

    #[test]
    fn empty_and_whitespace_only_are_rejected() {
        assert!(matches!(reject(b""), IngestError::Empty));
        assert!(matches!(reject(b" \n\r\n\t "), IngestError::Empty));
        assert!(matches!(reject(b"\xEF\xBB\xBF\n"), IngestError::Empty));
        assert!(matches!(reject("\u{3000}\u{a0}".as_bytes()), IngestError::Empty));
    }

    #[test]
    fn binary_data_is_rejected() {
        assert!(matches!(reject(b"PNG\x00\x01\x02text"), IngestError::Binary(_)));
        assert!(matches!(reject(b"\x01\x02\x03\x04\x05ab"), IngestError::Binary(_)));
        assert!(from_bytes("a.txt", b"Tabs\tand\x0cform feeds are text.").is_ok());
    }

    #[test]
    fn titles_are_the_first_line_trimmed_and_capped() {
        let doc = from_bytes("a.txt", b"\n\n   Kim to meet Putin  \nBody.").ok();
        assert_eq!(doc.map(|d| d.title).as_deref(), Some("Kim to meet Putin"));
        let long = "word ".repeat(100);
        let title = title_of(&long);
        assert!(title.chars().count() <= MAX_TITLE_CHARS);
        assert!(title.ends_with('…'));
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("Kim Putin (draft) v2"), "kim-putin-draft-v2");
        assert_eq!(slug("--Über__Report--"), "über-report");
        assert_eq!(slug("новости дня"), "новости-дня");
        assert_eq!(slug("“”"), "document");
        assert_eq!(stem("dir.d/report.final.txt"), "report.final");
    }

    #[test]
    fn ids_are_made_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.claim("report"), "report");
        assert_eq!(ids.claim("report"), "report-2");
        assert_eq!(ids.claim("report-2"), "report-2-2");
        assert_eq!(ids.claim("report"), "report-3");
    }

    #[test]
    fn demo_has_the_documented_id() {
        let demo = demo();
        assert_eq!(demo.id, "kim-putin-article");
        assert_eq!(demo.title, "Kim Jong-un expected to meet with Putin in Russia to discuss weapons");
        assert_eq!(demo.format, Format::Plain);
    }

    fn typed(format: Format) -> Hint<'static> {
        Hint { format: Some(format), ..Hint::default() }
    }

    #[test]
    fn typed_text_gets_unix_line_ends_a_given_title_and_an_id_from_it() {
        let doc = from_text(
            "<pasted>",
            b"First line\r\nSecond line.\r\n",
            Some("  A  <b>title</b>\u{7} "),
            typed(Format::Plain),
        );
        let doc = doc.ok();
        assert_eq!(doc.as_ref().map(|d| d.text.as_str()), Some("First line\nSecond line.\n"));
        assert_eq!(doc.as_ref().map(|d| d.title.as_str()), Some("A <b>title</b>"));
        assert_eq!(doc.as_ref().map(|d| d.id.as_str()), Some("a-b-title-b"));
        assert_eq!(doc.as_ref().map(|d| d.name.as_str()), Some("<pasted>"));
        let untitled = from_text("<api>", b"Kim to visit\nBody.", None, typed(Format::Plain)).ok();
        assert_eq!(untitled.map(|d| (d.title, d.id)), Some(("Kim to visit".to_string(), "kim-to-visit".to_string())));
        let md = from_text("<api>", b"# Head\n\n**Bold** body.", None, typed(Format::Markdown)).ok();
        assert_eq!(
            md.map(|d| (d.format, d.text)),
            Some((crate::ingest::Format::Markdown, "Head\nBold body.".to_string()))
        );
        assert!(matches!(from_text("<pasted>", b"  \r\n ", None, typed(Format::Plain)), Err(IngestError::Empty)));
        let legacy = from_text("<pasted>", b"caf\xe9 cr\xe8me\r\n", None, typed(Format::Plain)).ok();
        assert_eq!(
            legacy.map(|d| d.text).as_deref(),
            Some("café crème\n"),
            "text in another encoding loses its CR too"
        );
    }

    #[test]
    fn legacy_encodings_are_decoded_and_said() {
        let doc = from_bytes("x.txt", b"Caf\xe9 owners \x93expect\x94 a \x80 5 fee, the mayor said.").ok();
        assert_eq!(doc.as_ref().map(|d| d.text.as_str()), Some("Café owners “expect” a € 5 fee, the mayor said."));
        assert_eq!(doc.and_then(|d| d.meta.encoding), Some(("windows-1252".to_string(), EncodingSource::Detected)));
        let doc = from_bytes_with(
            "x.txt",
            b"Caf\xe9",
            &Hint { content_type: Some("text/plain; charset=iso-8859-1"), ..Hint::default() },
        );
        assert_eq!(doc.ok().and_then(|d| d.meta.encoding), Some(("windows-1252".to_string(), EncodingSource::Http)));
    }

    #[test]
    fn the_format_comes_from_what_is_known_in_order() {
        let md = b"# Title\n\nBody **bold**.";
        assert_eq!(from_bytes("a.md", md).map(|d| d.format).ok(), Some(Format::Markdown));
        let hinted = from_bytes_with("a.txt", md, &Hint { format: Some(Format::Markdown), ..Hint::default() });
        assert_eq!(hinted.map(|d| d.text).ok().as_deref(), Some("Title\nBody bold."));
        let page = b"<!doctype html><title>T</title><p>Para one is here.</p>";
        assert_eq!(from_bytes("download", page).map(|d| d.format).ok(), Some(Format::Html), "sniffed");
        let typed = Hint { content_type: Some("text/html; charset=utf-8"), ..Hint::default() };
        assert_eq!(
            from_bytes_with("story", b"<p>A short page.</p>", &typed).map(|d| d.format).ok(),
            Some(Format::Html)
        );
        assert_eq!(Format::sniff(b"%PDF-1.7\n"), Some(Format::Pdf));
        assert_eq!(Format::sniff(b"Just text <b>"), None);
        assert!(looks_like_html(b"  <h1>Pasted</h1><p>page"));
        assert!(!looks_like_html(b"Use <b> for bold"));
        assert!(!looks_like_html(b"<3 this story"));
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::from_name("a.MD"), Format::Markdown);
        assert_eq!(Format::from_name("a.markdown"), Format::Markdown);
        assert_eq!(Format::from_name("a.txt"), Format::Plain);
        assert_eq!(Format::from_name("<stdin>"), Format::Plain);
        assert_eq!(Format::from_name("page.HTM"), Format::Html);
        assert_eq!(Format::from_name("report.pdf"), Format::Pdf);
        assert_eq!(Format::from_name("memo.docx"), Format::Docx);
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
    }
}
