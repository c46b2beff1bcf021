//! Markdown to plain text. Headings, paragraphs, list items, table cells and each line of a code block become lines
//! of their own; emphasis, links and images keep their text and lose their markup, so no `**`, `#` or `](` is
//! left; HTML in the Markdown is kept as literal text (a reader sees it rather than losing it silently).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Markdown -> plain text, and the text of the first heading if there is one.
///
/// Headings, paragraphs, list items, table cells and each line of a code block become lines of their own; inline
/// markup is dropped and its text kept; HTML is kept as text (a reader sees it rather than losing it silently).
pub fn to_text(markdown: &str) -> (String, Option<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(md: &str) -> Vec<String> {
        to_text(md).0.lines().map(str::to_string).collect()
    }

    #[test]
    fn markdown_becomes_lines_of_plain_text() {
        let md = "# The *big* headline\n\nA paragraph with **bold**, `code` and a [link](http://x).\n\
                  Soft-wrapped line.\n\n- first item\n- second item\n\n```\nlet x = 1;\nlet y = 2;\n```\n\n\
                  <div>raw html</div>\n\nInline <b>tag</b> here.\n";
        let doc = crate::ingest::from_bytes("story.md", md.as_bytes()).ok();
        let doc = doc.as_ref();
        assert_eq!(doc.map(|d| d.format), Some(crate::ingest::Format::Markdown));
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
        assert!(matches!(
            crate::ingest::from_bytes("x.markdown", b"---\n\n***\n"),
            Err(crate::ingest::IngestError::Empty)
        ));
    }

    #[test]
    fn no_markup_survives() {
        let md = "## Section *one*\n\nA [link](https://example.org \"t\") and ![a chart](c.png), **bold** and __strong__.\n\n\
                  > quoted [ref][r]\n\n[r]: https://example.org\n\n1. first\n2. second\n";
        let text = lines(md).join("\n");
        for markup in ["**", "__", "](", "# ", "![", "[r]", "> "] {
            assert!(!text.contains(markup), "{markup:?} survives in {text:?}");
        }
        assert_eq!(lines(md), ["Section one", "A link and a chart, bold and strong.", "quoted ref", "first", "second"]);
    }
}
