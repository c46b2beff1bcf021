//! Text PDFs to text, in reading order with paragraphs: the text of each page comes from pdf-extract; lines that
//! repeat at the top or bottom of the pages (running headers and footers, page numbers) are dropped and listed as
//! removed; the lines of a paragraph are joined, and a word broken at a line end with a hyphen is made whole again.
//!
//! pdf-extract panics on some fonts and structures: the extraction runs on a thread of its own with a large stack,
//! so a bad PDF is a clear error and never takes the process down.

use std::collections::HashMap;

use super::{IngestError, Meta, Removed, on_big_stack};

/// A PDF read.
pub struct Extracted {
    /// Its text, one line per paragraph.
    pub text: String,
    /// Its title: none is taken from the file (its metadata is often a file name); the first line serves.
    pub title: Option<String>,
    /// What was dropped, and how the text was put together.
    pub meta: Meta,
}

/// Read the PDF in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(IngestError::Pdf("it does not start like a PDF".into()));
    }
    let owned = bytes.to_vec();
    let pages = on_big_stack("lectern-pdf", move || pdf_extract::extract_text_from_mem_by_pages(&owned))
        .map_err(|()| IngestError::Pdf("its fonts or structure could not be read".into()))?
        .map_err(|e| IngestError::Pdf(short(&e.to_string())))?;
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.lines().map(|l| l.trim().to_string()).collect())
        .collect();
    if pages.iter().all(|p| p.iter().all(String::is_empty)) {
        return Err(IngestError::Pdf(
            "it has no text in it (a scan? Lectern reads PDFs that contain text, not images of text)".into(),
        ));
    }
    let (pages, removed) = drop_running_lines(pages);
    let (text, joined) = paragraphs(&pages);
    let mut notes = Vec::new();
    if joined > 0 {
        let words = if joined == 1 { "word was" } else { "words were" };
        notes.push(format!("{joined} {words} broken at a line end with a hyphen and joined again."));
    }
    notes.push(format!(
        "Read from {} of a PDF.",
        if pages.len() == 1 { "1 page".to_string() } else { format!("{} pages", pages.len()) }
    ));
    Ok(Extracted { text, title: None, meta: Meta { removed, notes, ..Meta::default() } })
}

/// The first line of an error message, not too long.
fn short(message: &str) -> String {
    let line = message.lines().next().unwrap_or("unknown error");
    line.chars().take(200).collect()
}

/// A line as it repeats from page to page: digits stand for any number (page numbers change).
fn shape(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c.to_ascii_lowercase() })
        .collect()
}

/// A line that is only a page number: "7", "Page 7", "7 of 12", "- 7 -", "Page 7 of 12".
fn is_page_number(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '-' || c == '–' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_digit()) || ["page", "p.", "of"].contains(&w.to_lowercase().as_str()))
}

/// How many of a page's first and last lines may be running headers or footers.
const EDGE: usize = 2;

/// Drop the lines that repeat at the top or bottom of at least half the pages (and of two or more), and lone page
/// numbers there; return the pages and what was dropped.
fn drop_running_lines(pages: Vec<Vec<String>>) -> (Vec<Vec<String>>, Vec<Removed>) {
    let edges = |page: &[String]| -> Vec<usize> {
        let filled: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
        let mut at: Vec<usize> = filled.iter().take(EDGE).copied().collect();
        at.extend(filled.iter().rev().take(EDGE).copied());
        at.sort_unstable();
        at.dedup();
        at
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in &pages {
        let mut shapes: Vec<String> = edges(page).into_iter().map(|i| shape(&page[i])).collect();
        shapes.dedup();
        for s in shapes {
            *seen.entry(s).or_default() += 1;
        }
    }
    let needed = (pages.len() / 2).max(2);
    let mut removed: Vec<(String, String, usize)> = Vec::new();
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        let drop: Vec<usize> = edges(&page)
            .into_iter()
            .filter(|&i| seen.get(&shape(&page[i])).copied().unwrap_or(0) >= needed || is_page_number(&page[i]))
            .collect();
        let mut kept = Vec::with_capacity(page.len());
        for (i, line) in page.into_iter().enumerate() {
            if drop.contains(&i) {
                let what = if is_page_number(&line) { "page number" } else { "running header or footer" };
                match removed.iter_mut().find(|(w, l, _)| *w == what && shape(l) == shape(&line)) {
                    Some(r) => r.2 += 1,
                    None => removed.push((what.to_string(), line, 1)),
                }
            } else {
                kept.push(line);
            }
        }
        out.push(kept);
    }
    let removed = removed
        .into_iter()
        .map(|(what, text, n)| Removed { what: if n > 1 { format!("{what}, on {n} pages") } else { what }, text })
        .collect();
    (out, removed)
}

/// Join the lines of the pages into paragraphs, one per line of the result: an empty line ends a paragraph, a page
/// end ends one only after a sentence end, and a hyphen at a line end before a lower-case letter is a broken word.
/// Returns the text and how many broken words were joined.
fn paragraphs(pages: &[Vec<String>]) -> (String, usize) {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut joined = 0;
    let end_paragraph = |current: &mut String, out: &mut Vec<String>| {
        if !current.trim().is_empty() {
            out.push(current.trim().to_string());
        }
        current.clear();
    };
    for page in pages {
        // Empty lines where a dropped header or footer stood say nothing about paragraphs.
        let first = page.iter().position(|l| !l.is_empty()).unwrap_or(page.len());
        let last = page.iter().rposition(|l| !l.is_empty()).map_or(first, |i| i + 1);
        for line in &page[first..last.max(first)] {
            if line.is_empty() {
                end_paragraph(&mut current, &mut out);
                continue;
            }
            if current.is_empty() {
                current.push_str(line);
                continue;
            }
            let broken = current.ends_with('-')
                && current.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && line.chars().next().is_some_and(char::is_lowercase);
            if broken {
                current.pop();
                joined += 1;
            } else {
                current.push(' ');
            }
            current.push_str(line);
        }
        // A paragraph running on to the next page goes on; one that ended a sentence ends here.
        if current.trim_end().ends_with(['.', '!', '?', '"', '”', ':']) {
            end_paragraph(&mut current, &mut out);
        }
    }
    end_paragraph(&mut current, &mut out);
    (out.join("\n"), joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn running_headers_and_page_numbers_go_and_are_listed() {
        let pages = vec![
            page(&["Annual Report 2026", "", "First page text.", "Page 1 of 3"]),
            page(&["Annual Report 2026", "", "Second page text.", "Page 2 of 3"]),
            page(&["Annual Report 2026", "", "Third page text, which mentions the Annual Report 2026.", "Page 3 of 3"]),
        ];
        let (pages, removed) = drop_running_lines(pages);
        assert_eq!(pages[0], ["", "First page text."]);
        assert_eq!(pages[2], ["", "Third page text, which mentions the Annual Report 2026."]);
        let listed: Vec<(&str, &str)> = removed.iter().map(|r| (r.what.as_str(), r.text.as_str())).collect();
        assert_eq!(
            listed,
            [
                ("running header or footer, on 3 pages", "Annual Report 2026"),
                ("page number, on 3 pages", "Page 1 of 3")
            ]
        );
    }

    #[test]
    fn lines_become_paragraphs_and_broken_words_are_whole_again() {
        let pages = vec![
            page(&[
                "",
                "The council would like-",
                "ly vote, a well-known aide said.",
                "",
                "A new para-",
                "graph goes on",
                "",
            ]),
            page(&["", "over the page and ends here.", "", "Last one."]),
        ];
        let (text, joined) = paragraphs(&pages);
        assert_eq!(
            text,
            "The council would likely vote, a well-known aide said.\nA new paragraph goes on over the page and ends here.\nLast one."
        );
        assert_eq!(joined, 2);
    }

    #[test]
    fn page_numbers_are_recognised() {
        for yes in ["7", "Page 7", "page 7 of 12", "- 7 -", "7 / 12", "p. 3"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["7 dwarfs", "Chapter 7: the vote", "In 2026", ""] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn not_a_pdf_is_said_so() {
        assert!(matches!(extract(b"plain text"), Err(IngestError::Pdf(m)) if m.contains("does not start")));
        assert!(matches!(extract(b"%PDF-1.4\n garbage garbage"), Err(IngestError::Pdf(_))));
    }
}
