//! Loading: bytes from a file or stdin -> a [`Document`] of clean text, or a typed [`LoadError`].
//!
//! This is the boundary where odd input is rejected, so that everything behind it (the annotator, the views, the
//! JSON) can take a `&str` of real text for granted. Plain text is kept exactly as it is (only a leading byte-order
//! mark is removed), because every offset Lectern reports points into it. Markdown is converted to plain text once,
//! here, and the converted text is what is annotated and served.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Largest input Lectern reads: 10 MiB, far more than any news article, small enough to annotate in memory.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Longest title, in characters; longer first lines are cut and end with "…".
pub const MAX_TITLE_CHARS: usize = 120;

/// Share of control characters (other than newline, carriage return, tab and form feed) above which valid UTF-8
/// is still treated as binary data, in percent.
const MAX_CONTROL_PERCENT: usize = 10;

/// The bundled demo article, embedded in the binary.
const DEMO_TEXT: &str = include_str!("../demo/kim-putin-article.txt");

/// File name of the bundled demo article.
const DEMO_NAME: &str = "kim-putin-article.txt";

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-` on the command line).
    Stdin,
    /// A file path.
    File(PathBuf),
}

impl Input {
    /// `-` means stdin; anything else is a path.
    pub fn from_arg(arg: PathBuf) -> Input {
        if arg.as_os_str() == "-" { Input::Stdin } else { Input::File(arg) }
    }
}

impl fmt::Display for Input {
    /// The name used in messages: the path as given, or `<stdin>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Stdin => f.write_str("<stdin>"),
            Input::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// How the original text was written; it decides whether it is converted before annotating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, served unchanged.
    Plain,
    /// Markdown (`.md`, `.markdown`), converted to plain text.
    Markdown,
}

impl Format {
    /// The format a file name implies: Markdown for `.md` and `.markdown`, plain text otherwise.
    pub fn from_name(name: &str) -> Format {
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "markdown") => Format::Markdown,
            _ => Format::Plain,
        }
    }

    /// Every format.
    pub const ALL: [Format; 2] = [Format::Plain, Format::Markdown];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Markdown => "markdown",
        }
    }

    /// The format with this machine name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// A loaded document: clean text plus the names it is known by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// URL-safe identifier: a slug of the file name's stem (made unique by [`Ids`] when documents are collected).
    pub id: String,
    /// File name as given, without directories (`<stdin>` for standard input).
    pub name: String,
    /// First heading or first non-empty line, trimmed, at most [`MAX_TITLE_CHARS`] characters.
    pub title: String,
    /// The text that is annotated and served; every offset points into it.
    pub text: String,
    /// The format the text was written in.
    pub format: Format,
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

/// Why an input was rejected. The messages are lower-case reasons meant to follow the input's name.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not UTF-8; `offset` is the first invalid byte, counted from the start of the input.
    #[error("not valid UTF-8 (invalid byte at offset {offset}); convert it to UTF-8 first")]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// Nothing but whitespace (or nothing at all).
    #[error("empty: there is no text to annotate")]
    Empty,
    /// Binary data rather than text.
    #[error("binary data, not text ({0})")]
    Binary(&'static str),
    /// Larger than [`MAX_BYTES`].
    #[error("too large: more than {}", crate::size::human(*.limit))]
    TooLarge {
        /// The limit that was exceeded, in bytes.
        limit: u64,
    },
    /// The input could not be read.
    #[error("{}", describe_io(.0))]
    Io(#[from] io::Error),
}

/// A short reason for an I/O error, without the OS error number where a plain phrase says it better.
fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => err.to_string(),
    }
}

/// Read and decode `input` into a document, refusing more than [`MAX_BYTES`].
pub fn load(input: &Input) -> Result<Document, LoadError> {
    load_limited(input, MAX_BYTES)
}

/// Read and decode `input` into a document, refusing more than `max_bytes`.
pub fn load_limited(input: &Input, max_bytes: u64) -> Result<Document, LoadError> {
    let (name, bytes) = match input {
        Input::Stdin => ("<stdin>".to_string(), read_limited(io::stdin().lock(), max_bytes)?),
        Input::File(path) => {
            let name = path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            (name, read_file(path, max_bytes)?)
        }
    };
    from_bytes(&name, &bytes)
}

/// Read a file, refusing directories and anything over `max` bytes before reading it all.
fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, LoadError> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory).into());
    }
    if meta.len() > max {
        return Err(LoadError::TooLarge { limit: max });
    }
    // Special files (pipes, /dev/zero) report no size: the limit is enforced while reading too.
    read_limited(file, max)
}

/// Read at most `max` bytes, failing with [`LoadError::TooLarge`] when there is more.
fn read_limited(reader: impl Read, max: u64) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(LoadError::TooLarge { limit: max });
    }
    Ok(bytes)
}

/// Decode `bytes` named `name` (a file name; its extension picks the format) into a document.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Document, LoadError> {
    let text = decode(bytes)?;
    let format = Format::from_name(name);
    let (text, heading) = match format {
        Format::Plain => (text, None),
        Format::Markdown => {
            let (converted, heading) = markdown_to_text(&text);
            if converted.trim().is_empty() {
                return Err(LoadError::Empty);
            }
            (converted, heading)
        }
    };
    let title = title_of(heading.as_deref().unwrap_or(&text));
    Ok(Document { id: slug(stem(name)), name: name.to_string(), title, text, format })
}

/// The bundled demo article as a document with the id `kim-putin-article`.
pub fn demo() -> Document {
    from_bytes(DEMO_NAME, DEMO_TEXT.as_bytes()).expect("the bundled demo article is valid UTF-8 text")
}

/// Bytes -> text: a UTF-8 byte-order mark is removed, everything else is kept exactly.
fn decode(bytes: &[u8]) -> Result<String, LoadError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (skipped, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    if body.trim_ascii().is_empty() {
        return Err(LoadError::Empty);
    }
    if body.contains(&0) {
        return Err(LoadError::Binary("it contains NUL bytes"));
    }
    let text = std::str::from_utf8(body).map_err(|e| LoadError::NotUtf8 { offset: skipped + e.valid_up_to() })?;
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    let total = text.chars().count();
    let control = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if control * 100 > total * MAX_CONTROL_PERCENT {
        return Err(LoadError::Binary("it is mostly control characters"));
    }
    Ok(text.to_string())
}

/// Markdown -> plain text, and the text of the first heading if there is one.
///
/// Headings, paragraphs, list items, table cells and each line of a code block become lines of their own; inline
/// markup is dropped and its text kept; HTML is kept as text (a reader sees it rather than losing it silently).
fn markdown_to_text(markdown: &str) -> (String, Option<String>) {
    let mut out = String::new();
    let mut heading: Option<String> = None;
    let mut in_first_heading = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(tag) => {
                if is_block(&tag) {
                    line_break(&mut out);
                }
                if matches!(tag, Tag::Heading { .. }) && heading.is_none() {
                    heading = Some(String::new());
                    in_first_heading = true;
                }
            }
            Event::End(tag) => {
                if matches!(tag, TagEnd::Heading(_)) {
                    in_first_heading = false;
                }
                if is_block_end(tag) {
                    line_break(&mut out);
                }
            }
            Event::Text(s)
            | Event::Code(s)
            | Event::Html(s)
            | Event::InlineHtml(s)
            | Event::InlineMath(s)
            | Event::DisplayMath(s) => {
                out.push_str(&s);
                if in_first_heading && let Some(h) = heading.as_mut() {
                    h.push_str(&s);
                }
            }
            Event::FootnoteReference(s) => {
                out.push('[');
                out.push_str(&s);
                out.push(']');
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    let text = out
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    (text, heading.filter(|h| !h.trim().is_empty()))
}

/// Tags whose content starts on a new line.
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
    )
}

/// Tag ends after which the next content starts on a new line.
fn is_block_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
}

/// End the current line unless the output is empty or already ends one.
fn line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
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

/// Decode text someone typed or pasted (or sent to the API): as [`from_bytes`], with line ends made `\n` (a
/// browser sends a text area's lines with `\r\n`, which would make the same text a different document), the
/// `title` given in place of the first line if there is one, and an id made from the title rather than from `name`.
pub fn from_text(name: &str, bytes: &[u8], title: Option<&str>, format: Format) -> Result<Document, LoadError> {
    let normalised;
    let bytes = if bytes.contains(&b'\r') {
        normalised = String::from_utf8_lossy(bytes).replace("\r\n", "\n").into_bytes();
        if std::str::from_utf8(bytes).is_ok() { normalised.as_slice() } else { bytes }
    } else {
        bytes
    };
    let file_name = match format {
        Format::Markdown => format!("{name}.md"),
        Format::Plain => name.to_string(),
    };
    let mut doc = from_bytes(&file_name, bytes)?;
    doc.name = name.to_string();
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

    fn reject(bytes: &[u8]) -> LoadError {
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
    fn not_utf8_reports_the_offset_in_the_original_bytes() {
        assert!(matches!(reject(b"caf\xE9 au lait"), LoadError::NotUtf8 { offset: 3 }));
        assert!(matches!(reject(b"\xEF\xBB\xBFab\xFF"), LoadError::NotUtf8 { offset: 5 }));
    }

    #[test]
    fn empty_and_whitespace_only_are_rejected() {
        assert!(matches!(reject(b""), LoadError::Empty));
        assert!(matches!(reject(b" \n\r\n\t "), LoadError::Empty));
        assert!(matches!(reject(b"\xEF\xBB\xBF\n"), LoadError::Empty));
        assert!(matches!(reject("\u{3000}\u{a0}".as_bytes()), LoadError::Empty));
    }

    #[test]
    fn binary_data_is_rejected() {
        assert!(matches!(reject(b"PNG\x00\x01\x02text"), LoadError::Binary(_)));
        assert!(matches!(reject(b"\x01\x02\x03\x04\x05ab"), LoadError::Binary(_)));
        assert!(from_bytes("a.txt", b"Tabs\tand\x0cform feeds are text.").is_ok());
    }

    #[test]
    fn too_large_is_rejected_while_reading() {
        let big = io::repeat(b'a').take(MAX_BYTES + 10);
        assert!(matches!(read_limited(big, MAX_BYTES), Err(LoadError::TooLarge { .. })));
        let fits = io::repeat(b'a').take(MAX_BYTES);
        assert_eq!(read_limited(fits, MAX_BYTES).map(|b| b.len() as u64).ok(), Some(MAX_BYTES));
        assert!(matches!(read_limited(io::repeat(b'a').take(11), 10), Err(LoadError::TooLarge { limit: 10 })));
    }

    #[test]
    fn missing_file_says_so() {
        let err = load(&Input::File(PathBuf::from("/nonexistent/lectern/x.txt")));
        assert!(matches!(&err, Err(LoadError::Io(e)) if e.kind() == io::ErrorKind::NotFound));
        assert_eq!(err.err().map(|e| e.to_string()).as_deref(), Some("no such file"));
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

    #[test]
    fn markdown_becomes_lines_of_plain_text() {
        let md = "# The *big* headline\n\nA paragraph with **bold**, `code` and a [link](http://x).\n\
                  Soft-wrapped line.\n\n- first item\n- second item\n\n```\nlet x = 1;\nlet y = 2;\n```\n\n\
                  <div>raw html</div>\n\nInline <b>tag</b> here.\n";
        let doc = from_bytes("story.md", md.as_bytes()).ok();
        let doc = doc.as_ref();
        assert_eq!(doc.map(|d| d.format), Some(Format::Markdown));
        assert_eq!(doc.map(|d| d.title.as_str()), Some("The big headline"));
        let lines: Vec<&str> = doc.map(|d| d.text.lines().collect()).unwrap_or_default();
        assert_eq!(
            lines,
            [
                "The big headline",
                "A paragraph with bold, code and a link. Soft-wrapped line.",
                "first item",
                "second item",
                "let x = 1;",
                "let y = 2;",
                "<div>raw html</div>",
                "Inline <b>tag</b> here.",
            ]
        );
    }

    #[test]
    fn markdown_without_text_is_empty() {
        assert!(matches!(from_bytes("x.markdown", b"---\n\n***\n"), Err(LoadError::Empty)));
    }

    #[test]
    fn typed_text_gets_unix_line_ends_a_given_title_and_an_id_from_it() {
        let doc =
            from_text("<pasted>", b"First line\r\nSecond line.\r\n", Some("  A  <b>title</b>\u{7} "), Format::Plain);
        let doc = doc.ok();
        assert_eq!(doc.as_ref().map(|d| d.text.as_str()), Some("First line\nSecond line.\n"));
        assert_eq!(doc.as_ref().map(|d| d.title.as_str()), Some("A <b>title</b>"));
        assert_eq!(doc.as_ref().map(|d| d.id.as_str()), Some("a-b-title-b"));
        assert_eq!(doc.as_ref().map(|d| d.name.as_str()), Some("<pasted>"));
        let untitled = from_text("<api>", b"Kim to visit\nBody.", None, Format::Plain).ok();
        assert_eq!(untitled.map(|d| (d.title, d.id)), Some(("Kim to visit".to_string(), "kim-to-visit".to_string())));
        let md = from_text("<api>", b"# Head\n\n**Bold** body.", None, Format::Markdown).ok();
        assert_eq!(md.map(|d| (d.format, d.text)), Some((Format::Markdown, "Head\nBold body.".to_string())));
        assert!(matches!(from_text("<pasted>", b"  \r\n ", None, Format::Plain), Err(LoadError::Empty)));
        assert!(matches!(from_text("<pasted>", b"caf\xe9\r\n", None, Format::Plain), Err(LoadError::NotUtf8 { .. })));
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::from_name("a.MD"), Format::Markdown);
        assert_eq!(Format::from_name("a.markdown"), Format::Markdown);
        assert_eq!(Format::from_name("a.txt"), Format::Plain);
        assert_eq!(Format::from_name("<stdin>"), Format::Plain);
    }
}
