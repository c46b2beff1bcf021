//! HTML pages to text: the article is found with a readability port (dom_smoothie), which also gives its title,
//! byline, date and site; the article's HTML is then walked into paragraphs of text, one per block (`<p>`, a
//! heading, a list item, a table cell), with `<br>` a line break and entities decoded by the HTML parser, so no
//! markup reaches the text. The byline is the reporter: it goes into the metadata, never into the text, so it can
//! never be taken for a source.
//!
//! Nothing is dropped silently: every line of the page's text that is not in the article is listed in
//! [`Meta::removed`], named by the part of the page it was in (navigation, comments, share buttons, …).
//!
//! Hostile pages are bounded: a page nested deeper than [`MAX_DEPTH`] or with more than [`MAX_ELEMENTS`] elements
//! is refused with a clear error, and the extraction runs on a thread of its own with a large stack, where a panic
//! of the parser becomes an error instead of ending the process.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::encoding::{self, EncodingSource};
use super::{IngestError, Meta, Removed, on_big_stack};

/// Deepest nesting of elements read; real pages stay far below.
pub const MAX_DEPTH: usize = 2_000;

/// Most elements the readability pass looks at.
pub const MAX_ELEMENTS: usize = 300_000;

/// Most removed parts listed, and the longest text kept of each.
const MAX_REMOVED: usize = 300;
const MAX_REMOVED_CHARS: usize = 2_000;

/// A page read.
pub struct Page {
    /// The article's text: its title as the first line, then one line per paragraph.
    pub text: String,
    /// Its title.
    pub title: Option<String>,
    /// Byline, date, site, encoding, what was removed.
    pub meta: Meta,
}

/// Read the page in `bytes`, decoded as `declared` (the server's charset) or its own `<meta charset>` says.
pub fn extract(bytes: &[u8], declared: &[(EncodingSource, &str)], url: Option<&str>) -> Result<Page, IngestError> {
    let own = encoding::html_declared(bytes);
    let mut labels = declared.to_vec();
    if let Some(label) = own.as_deref() {
        labels.push((EncodingSource::Declared, label));
    }
    let decoded = encoding::decode(bytes, &labels);
    if decoded.text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    let depth = max_depth(&decoded.text);
    if depth > MAX_DEPTH {
        return Err(IngestError::Html(format!(
            "its elements are nested {depth} levels deep (Lectern reads up to {MAX_DEPTH})"
        )));
    }
    let url = url.map(str::to_string);
    let html = decoded.text;
    let read = on_big_stack("lectern-html", move || read_page(&html, url.as_deref()))
        .map_err(|()| IngestError::Html("the HTML parser failed on it".into()))?;
    let mut page = read?;
    page.meta.encoding = Some((decoded.encoding.to_string(), decoded.source));
    Ok(page)
}

fn read_page(html: &str, url: Option<&str>) -> Result<Page, IngestError> {
    let document = Html::parse_document(html);
    let elements = document.tree.values().filter(|n| n.is_element()).count();
    if elements > MAX_ELEMENTS {
        return Err(IngestError::Html(format!("it has {elements} elements (Lectern reads up to {MAX_ELEMENTS})")));
    }
    let page_lines = lines(&document);
    let mut notes = Vec::new();
    let dropped = dropped_elements(&document);
    if !dropped.is_empty() {
        notes.push(format!("The page's {dropped} were left out: they are not text."));
    }
    let config = dom_smoothie::Config { max_elements_to_parse: MAX_ELEMENTS, ..dom_smoothie::Config::default() };
    // The URL only helps resolve links; one that is not absolute is left out rather than refused.
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let article = dom_smoothie::Readability::new(html, url, Some(config.clone()))
        .or_else(|_| dom_smoothie::Readability::new(html, None, Some(config)))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let (title, byline, published, site, mut kept) = match article {
        Some(a) => {
            let fragment = Html::parse_fragment(&a.content);
            let kept: Vec<String> = lines(&fragment).into_iter().map(|l| l.text).collect();
            (Some(a.title), a.byline, a.published_time, a.site_name, kept)
        }
        None => {
            notes.push(
                "Lectern found no article in this page, so it kept the page's text outside its navigation, header \
                 and footer."
                    .to_string(),
            );
            let kept = page_lines.iter().filter(|l| l.part.is_none()).map(|l| l.text.clone()).collect();
            (page_title(&document), None, None, None, kept)
        }
    };
    // Parts that are never the article (an advert or a share bar inside the story's markup) leave it even when the
    // readability pass kept them.
    let boilerplate: HashSet<&str> = page_lines
        .iter()
        .filter(|l| l.part.is_some_and(|p| NEVER_ARTICLE.contains(&p)))
        .map(|l| l.text.as_str())
        .collect();
    kept.retain(|l| !boilerplate.contains(l.as_str()));
    let title = title
        .map(|t| squeeze(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| page_title(&document));
    let byline = byline.map(|b| clean_byline(&b)).filter(|b| !b.is_empty());
    // The byline is metadata: a line of the article that is only the byline leaves the text.
    if let Some(b) = &byline {
        kept.retain(|l| clean_byline(l) != *b);
    }
    if let Some(t) = &title
        && kept.first().is_none_or(|first| !same_line(first, t))
    {
        kept.insert(0, t.clone());
    }
    let removed = removed(&page_lines, &kept, byline.as_deref());
    let text = kept.join("\n");
    let meta = Meta {
        byline,
        published: published.map(|p| squeeze(&p)).filter(|p| !p.is_empty()),
        site: site.map(|s| squeeze(&s)).filter(|s| !s.is_empty()),
        removed,
        notes,
        ..Meta::default()
    };
    Ok(Page { text, title, meta })
}

/// Parts of a page whose text is never part of the article.
const NEVER_ARTICLE: [&str; 7] = [
    "advertisement",
    "share buttons",
    "comments",
    "newsletter sign-up",
    "cookie notice",
    "related links",
    "navigation",
];

/// A line of a page's text and the part of the page it is in (`None`: the body proper).
struct Line {
    text: String,
    part: Option<&'static str>,
}

/// Elements whose content is not text a reader reads.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "option"
            | "map"
    )
}

/// Elements that start and end a line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "legend"
    )
}

/// The part of a page an element stands for, by its name, role, class or id.
fn part_of(el: &scraper::node::Element) -> Option<&'static str> {
    match el.name() {
        "nav" => return Some("navigation"),
        "header" => return Some("page header"),
        "footer" => return Some("page footer"),
        "aside" => return Some("sidebar"),
        "form" => return Some("form"),
        _ => {}
    }
    match el.attr("role") {
        Some("navigation") => return Some("navigation"),
        Some("banner") => return Some("page header"),
        Some("contentinfo") => return Some("page footer"),
        Some("complementary") => return Some("sidebar"),
        _ => {}
    }
    let words: Vec<String> = [el.attr("class").unwrap_or(""), el.attr("id").unwrap_or("")]
        .iter()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |pred: &dyn Fn(&str) -> bool| words.iter().any(|w| pred(w));
    if has(&|w| w.starts_with("comment")) {
        Some("comments")
    } else if has(&|w| w == "share" || w == "sharing" || w == "social") {
        Some("share buttons")
    } else if has(&|w| w == "related" || w == "recommended" || w == "popular" || w == "trending" || w == "more") {
        Some("related links")
    } else if has(&|w| w == "ad" || w == "ads" || w.starts_with("advert") || w.starts_with("sponsor") || w == "promo") {
        Some("advertisement")
    } else if has(&|w| w.starts_with("newsletter") || w == "subscribe" || w == "signup") {
        Some("newsletter sign-up")
    } else if has(&|w| w == "cookie" || w == "cookies" || w == "consent") {
        Some("cookie notice")
    } else if has(&|w| w == "breadcrumb" || w == "breadcrumbs" || w == "menu") {
        Some("navigation")
    } else {
        None
    }
}

/// The lines of text of `html`, each with the part of the page it is in. The walk is iterative (no recursion),
/// whatever the depth.
fn lines(html: &Html) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_part: Option<&'static str> = None;
    // Open elements that matter: skipped subtrees, parts, <pre>.
    let mut skip = 0usize;
    let mut parts: Vec<(ego_tree::NodeId, &'static str)> = Vec::new();
    let mut pre = 0usize;
    let flush = |current: &mut String, part: Option<&'static str>, out: &mut Vec<Line>| {
        let text = squeeze(current);
        if !text.is_empty() {
            out.push(Line { text, part });
        }
        current.clear();
    };
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if skip > 0 || is_skipped(name) {
                        skip += 1;
                        continue;
                    }
                    if name == "br" {
                        if pre > 0 {
                            current.push('\n');
                        } else {
                            flush(&mut current, current_part, &mut out);
                        }
                        continue;
                    }
                    if is_block(name) {
                        flush(&mut current, current_part, &mut out);
                    }
                    if let Some(p) = part_of(el) {
                        parts.push((node.id(), p));
                    }
                    if name == "pre" {
                        pre += 1;
                    }
                    if current.is_empty() {
                        current_part = parts.last().map(|(_, p)| *p);
                    }
                }
                Node::Text(t) if skip == 0 => {
                    if current.trim().is_empty() {
                        current_part = parts.last().map(|(_, p)| *p);
                    }
                    if pre > 0 {
                        // Preformatted text keeps its lines.
                        let mut pieces = t.split('\n').peekable();
                        while let Some(piece) = pieces.next() {
                            current.push_str(piece);
                            if pieces.peek().is_some() {
                                flush(&mut current, current_part, &mut out);
                            }
                        }
                    } else {
                        current.push_str(t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(el) = node.value() else { continue };
                let name = el.name();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if is_block(name) {
                    flush(&mut current, current_part, &mut out);
                }
                if name == "pre" {
                    pre = pre.saturating_sub(1);
                }
                if parts.last().is_some_and(|(id, _)| *id == node.id()) {
                    parts.pop();
                }
            }
        }
    }
    flush(&mut current, current_part, &mut out);
    out
}

/// Whitespace runs (non-breaking spaces included) made one space, trimmed.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_line(a: &str, b: &str) -> bool {
    squeeze(a).to_lowercase() == squeeze(b).to_lowercase()
}

/// A byline without its "By".
fn clean_byline(b: &str) -> String {
    let b = squeeze(b);
    let lower = b.to_lowercase();
    match lower.strip_prefix("by ") {
        Some(_) => b[3..].trim().to_string(),
        None => b,
    }
}

/// The `<title>` of the page.
fn page_title(html: &Html) -> Option<String> {
    let sel = scraper::Selector::parse("title").ok()?;
    html.select(&sel)
        .next()
        .map(|t| squeeze(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty())
}

/// What elements that carry no text the page had, e.g. "12 scripts and 2 style sheets".
fn dropped_elements(html: &Html) -> String {
    let count = |name: &str| {
        html.tree
            .values()
            .filter(|n| n.as_element().is_some_and(|e| e.name() == name))
            .count()
    };
    let mut parts = Vec::new();
    for (name, one, many) in [
        ("script", "script", "scripts"),
        ("style", "style sheet", "style sheets"),
        ("iframe", "embedded frame", "embedded frames"),
        ("form", "form", "forms"),
    ] {
        match count(name) {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {many}")),
        }
    }
    match parts.len() {
        0 => String::new(),
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} and {last}", parts.join(", "))
        }
    }
}

/// The page's lines that are not in the article, grouped by the part of the page they were in.
fn removed(page: &[Line], kept: &[String], byline: Option<&str>) -> Vec<Removed> {
    let kept_set: HashSet<String> = kept.iter().map(|l| l.to_lowercase()).collect();
    let joined = kept.join("\n").to_lowercase();
    // A substring search for lines not found whole, only while the article is of a reasonable size.
    let search = joined.len() < 400_000;
    let mut out: Vec<Removed> = Vec::new();
    for line in page {
        let lower = line.text.to_lowercase();
        if kept_set.contains(&lower) || (search && lower.len() >= 12 && joined.contains(&lower)) {
            continue;
        }
        let what = if byline.is_some_and(|b| clean_byline(&line.text) == b) {
            "byline"
        } else {
            line.part.unwrap_or("other text outside the article")
        };
        if let Some(last) = out.last_mut()
            && last.what == what
            && last.text.chars().count() < MAX_REMOVED_CHARS
        {
            last.text.push('\n');
            last.text.push_str(&line.text);
        } else if out.len() >= MAX_REMOVED {
            break;
        } else {
            out.push(Removed { what: what.to_string(), text: line.text.clone() });
        }
    }
    for r in &mut out {
        if r.text.chars().count() > MAX_REMOVED_CHARS {
            r.text = r.text.chars().take(MAX_REMOVED_CHARS - 1).collect::<String>() + "…";
        }
    }
    out
}

/// How deeply the elements of `html` nest, read with a light scan of its tags (before any parser runs). Void
/// elements and those whose end tag may be left out (`<p>`, `<li>`, table cells) do not count; the content of
/// `<script>` and `<style>` and comments are passed over.
pub fn max_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let Some(&first) = b.get(i) else { break };
        if first == b'!' || first == b'?' {
            i = find(b, i, b">").map_or(b.len(), |e| e + 1);
            continue;
        }
        let closing = first == b'/';
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |e| start + e);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        let close = find(b, end, b">").unwrap_or(b.len());
        let self_closing = close > 0 && b.get(close - 1) == Some(&b'/');
        i = (close + 1).min(b.len());
        if closing {
            if !is_void(&name) && !has_optional_end(&name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if name == "script" || name == "style" {
            let end_tag = format!("</{name}");
            i = find_ci(b, i, end_tag.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if !self_closing && !is_void(&name) && !has_optional_end(&name) {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn has_optional_end(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "colgroup"
            | "caption"
            | "html"
            | "head"
            | "body"
    )
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

fn find_ci(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        extract(html.as_bytes(), &[], None).unwrap_or_else(|e| panic!("extract: {e}"))
    }

    #[test]
    fn markup_never_reaches_the_text() {
        let p = page(
            "<html><head><title>Fish &amp; chips tax</title></head><body><article><h1>Fish &amp; chips tax</h1>\
             <p>The council&#8217;s plan would add 5&nbsp;% to a portion,<br>officials said on Monday in a long \
             statement to reporters gathered outside the town hall for the announcement.</p>\
             <p>Opponents <em>could</em> force a vote, a spokesperson said, citing the rules of the chamber and the \
             votes of three members who have already declared their opposition to it.</p></article></body></html>",
        );
        assert!(!p.text.contains('<') && !p.text.contains("&amp;") && !p.text.contains("&#"), "{:?}", p.text);
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(lines[0], "Fish & chips tax");
        assert!(lines.contains(&"The council’s plan would add 5 % to a portion,"), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("officials said on Monday")), "<br> is a line break: {lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("Opponents could force a vote")));
    }

    #[test]
    fn nesting_depth_is_read_without_a_parser() {
        assert_eq!(max_depth("<html><body><div><p>a<p>b</div></body></html>"), 1);
        assert_eq!(max_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(max_depth("<script>if (a<b) { x = '<div><div>' }</script><br/><img src=x>"), 0);
        assert_eq!(max_depth("<!-- <div><div> --><span>x</span>"), 1);
    }

    #[test]
    fn a_deeply_nested_page_is_refused_clearly() {
        let bomb = format!("<html><body>{}deep{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let err = extract(bomb.as_bytes(), &[], None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("nested 100000 levels deep"), "{err}");
        // Unclosed paragraphs and list items are not nesting.
        let sloppy =
            format!("<html><body><ul>{}</ul></body></html>", "<li><p>An item that says something.".repeat(3000));
        assert!(extract(sloppy.as_bytes(), &[], None).is_ok());
    }

    #[test]
    fn bylines_are_cleaned() {
        assert_eq!(clean_byline("  By  Jane Doe "), "Jane Doe");
        assert_eq!(clean_byline("Jane Doe and John Roe"), "Jane Doe and John Roe");
    }
}
