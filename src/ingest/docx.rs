//! Word documents (`.docx`) to text: a `.docx` is a zip archive whose `word/document.xml` holds the paragraphs
//! (`w:p`) and their runs of text (`w:t`). Each paragraph becomes a line; tabs become spaces and line breaks end a
//! line; deleted text of tracked changes and field codes are left out. The title and author come from
//! `docProps/core.xml` (the author goes to the byline: a press release's author is its writer, not a source).
//!
//! Archives are read with limits: no part may unpack to more than [`MAX_PART`] bytes, so a zip bomb is an error.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{IngestError, Meta};

/// Most bytes one part of the archive may unpack to.
pub const MAX_PART: u64 = 64 * 1024 * 1024;

/// A Word document read.
pub struct Extracted {
    /// One line per paragraph.
    pub text: String,
    /// The document's title property, if set.
    pub title: Option<String>,
    /// Its author as the byline.
    pub meta: Meta,
}

/// Read the Word document in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Docx(format!("it is not a readable zip archive ({e})")))?;
    let body = part(&mut zip, "word/document.xml")?
        .ok_or_else(|| IngestError::Docx("it has no word/document.xml (is it a Word document?)".into()))?;
    let text = paragraphs(&body)?;
    let (title, author) = match part(&mut zip, "docProps/core.xml")? {
        Some(core) => properties(&core),
        None => (None, None),
    };
    Ok(Extracted { text, title, meta: Meta { byline: author, ..Meta::default() } })
}

/// The part `name` of the archive, unpacked (at most [`MAX_PART`] bytes), if it is there.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, IngestError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(IngestError::Docx(format!("its part {name} cannot be read ({e})"))),
    };
    let mut out = Vec::new();
    file.take(MAX_PART + 1)
        .read_to_end(&mut out)
        .map_err(|e| IngestError::Docx(format!("its part {name} cannot be unpacked ({e})")))?;
    if out.len() as u64 > MAX_PART {
        return Err(IngestError::Docx(format!(
            "its part {name} unpacks to more than {}",
            crate::size::human(MAX_PART)
        )));
    }
    Ok(Some(out))
}

/// The paragraphs of `word/document.xml`, one per line.
fn paragraphs(xml: &[u8]) -> Result<String, IngestError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // Inside w:t (text to keep), inside w:delText or w:instrText (text to leave out).
    let (mut in_text, mut skipping) = (false, 0usize);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"delText" | b"instrText" => skipping += 1,
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"tab" => current.push(' '),
                b"br" | b"cr" => push_line(&mut lines, &mut current),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"delText" | b"instrText" => skipping = skipping.saturating_sub(1),
                b"p" => push_line(&mut lines, &mut current),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text && skipping == 0 => {
                let text = t
                    .unescape()
                    .map_err(|e| IngestError::Docx(format!("its text cannot be read ({e})")))?;
                current.push_str(&text);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(IngestError::Docx(format!("its XML is broken ({e})"))),
        }
        buf.clear();
    }
    push_line(&mut lines, &mut current);
    Ok(lines.join("\n"))
}

fn push_line(lines: &mut Vec<String>, current: &mut String) {
    let line = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !line.is_empty() {
        lines.push(line);
    }
    current.clear();
}

/// `dc:title` and `dc:creator` of `docProps/core.xml`.
fn properties(xml: &[u8]) -> (Option<String>, Option<String>) {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut title, mut creator) = (None, None);
    let mut field: Option<&'static str> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                field = match e.local_name().as_ref() {
                    b"title" => Some("title"),
                    b"creator" => Some("creator"),
                    _ => None,
                }
            }
            Ok(Event::Text(t)) => {
                if let (Some(f), Ok(text)) = (field, t.unescape()) {
                    let value = Some(text.trim().to_string()).filter(|v| !v.is_empty());
                    if f == "title" {
                        title = value;
                    } else {
                        creator = value;
                    }
                }
            }
            Ok(Event::End(_)) => field = None,
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    (title, creator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        let xml = br#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>The port </w:t></w:r><w:r><w:t xml:space="preserve">may close &amp; reopen.</w:t></w:r></w:p>
            <w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/><w:t>C</w:t></w:r></w:p>
            <w:p><w:r><w:delText>Deleted words.</w:delText><w:instrText>PAGE</w:instrText><w:t>Kept.</w:t></w:r></w:p>
            <w:p></w:p></w:body></w:document>"#;
        assert_eq!(paragraphs(xml).ok().as_deref(), Some("The port may close & reopen.\nA B\nC\nKept."));
        assert!(
            matches!(paragraphs(b"<w:p><w:t>mismatched</w:p></w:t>"), Err(IngestError::Docx(m)) if m.contains("XML"))
        );
    }

    #[test]
    fn not_a_word_document_is_said_so() {
        assert!(matches!(extract(b"PK\x03\x04 not really"), Err(IngestError::Docx(_))));
        assert!(matches!(extract(b"plain"), Err(IngestError::Docx(m)) if m.contains("zip")));
    }
}
