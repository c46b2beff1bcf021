//! Notes: a colleague's comment on a passage (or a whole sentence), with replies one level deep, that can be
//! resolved. The body is plain text with a little Markdown at most: emphasis, strong emphasis and links (http,
//! https and mailto only). It is read into [`Part`]s here, and pages print the parts through the escaper (and the
//! page script builds them with `textContent`), so no note can ever become markup.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::anchor::Quote;

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 5_000;

/// A stored note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Its id.
    pub id: String,
    /// The note it replies to.
    pub parent: Option<String>,
    /// The permalink id of the sentence it was written on.
    pub sentence: String,
    /// The passage.
    pub quote: Quote,
    /// What it says.
    pub body: String,
    /// Who wrote it (the name shown).
    pub author: String,
    /// Who may edit it: `owner` or `viewer:<key>`.
    pub author_key: String,
    /// When it was written, in seconds since the Unix epoch.
    pub created: i64,
    /// When it was last edited.
    pub edited: Option<i64>,
    /// When it was resolved.
    pub resolved: Option<i64>,
}

/// A piece of a note's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Plain text.
    Text(String),
    /// Emphasised text.
    Em(String),
    /// Strongly emphasised text.
    Strong(String),
    /// A link: its text and where it goes.
    Link {
        /// What it says.
        text: String,
        /// Where it goes (http, https or mailto).
        href: String,
    },
    /// A new paragraph.
    Break,
}

/// Whether a link may be followed from a note.
fn safe_href(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The parts of a note's body. Markdown beyond emphasis and links is kept as the text it is (a heading's `#` is
/// dropped, its words kept); raw HTML is text.
pub fn parts(body: &str) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let (mut em, mut strong) = (0usize, 0usize);
    let mut link: Option<(String, String)> = None;
    let mut blocks = 0usize;
    let push_text = |out: &mut Vec<Part>, text: &str, em: usize, strong: usize, link: &mut Option<(String, String)>| {
        if let Some((_, t)) = link.as_mut() {
            t.push_str(text);
            return;
        }
        let part = if strong > 0 {
            Part::Strong(text.to_string())
        } else if em > 0 {
            Part::Em(text.to_string())
        } else {
            Part::Text(text.to_string())
        };
        match (out.last_mut(), &part) {
            (Some(Part::Text(prev)), Part::Text(t)) => prev.push_str(t),
            _ => out.push(part),
        }
    };
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::BlockQuote(_) | Tag::CodeBlock(_)) => {
                if blocks > 0 && !matches!(out.last(), Some(Part::Break) | None) {
                    out.push(Part::Break);
                }
                blocks += 1;
            }
            Event::Start(Tag::Emphasis) => em += 1,
            Event::End(TagEnd::Emphasis) => em = em.saturating_sub(1),
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.to_string(), String::new())),
            Event::End(TagEnd::Link) => {
                if let Some((href, text)) = link.take() {
                    if safe_href(&href) {
                        out.push(Part::Link { text: if text.is_empty() { href.clone() } else { text }, href });
                    } else {
                        push_text(&mut out, &text, em, strong, &mut None);
                    }
                }
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => push_text(&mut out, &t, em, strong, &mut link),
            Event::SoftBreak | Event::HardBreak => push_text(&mut out, " ", em, strong, &mut link),
            Event::FootnoteReference(t) => push_text(&mut out, &format!("[{t}]"), em, strong, &mut link),
            _ => {}
        }
    }
    out
}

/// A body someone typed, trimmed and capped at [`MAX_NOTE_CHARS`]; `None` when empty.
pub fn clean_body(body: &str) -> Option<String> {
    let body = body.replace("\r\n", "\n");
    let body: String = body
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .take(MAX_NOTE_CHARS)
        .collect();
    (!body.is_empty()).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_and_links_only_and_no_markup_survives() {
        let p = parts(
            "Check *this* and **that**: see [the report](https://example.org/r?a=1&b=2).\n\nSecond <script>alert(1)</script> para.",
        );
        assert_eq!(
            p,
            [
                Part::Text("Check ".into()),
                Part::Em("this".into()),
                Part::Text(" and ".into()),
                Part::Strong("that".into()),
                Part::Text(": see ".into()),
                Part::Link { text: "the report".into(), href: "https://example.org/r?a=1&b=2".into() },
                Part::Text(".".into()),
                Part::Break,
                Part::Text("Second <script>alert(1)</script> para.".into()),
            ]
        );
    }

    #[test]
    fn unsafe_links_are_text() {
        let p = parts("[click](javascript:alert(1)) and [x](data:text/html,hi)");
        assert!(p.iter().all(|x| !matches!(x, Part::Link { .. })), "{p:?}");
        assert_eq!(p, [Part::Text("click and x".into())]);
    }

    #[test]
    fn bodies_are_trimmed_and_capped() {
        assert_eq!(clean_body("  \r\n "), None);
        assert_eq!(clean_body(" a\r\nb\u{7} ").as_deref(), Some("a\nb"));
        assert_eq!(clean_body(&"x".repeat(9_000)).map(|b| b.chars().count()), Some(MAX_NOTE_CHARS));
    }
}
