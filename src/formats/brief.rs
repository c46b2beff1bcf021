//! A reading brief: what a reader or an editor wants to know about a document before trusting it, in Markdown,
//! to paste into notes, a ticket or a chat. It holds the title, the counts the reading page shows (sentences,
//! sources, the share of attributed claims resting only on unnamed sources, hedged claims), the source ledger and
//! every claim with who asserts it, its hedges and its check-worthiness, each linked to its sentence on the reading
//! page (`{base}/d/{id}#{sentence id}`, or relative `/d/…` without a base).
//!
//! The numbers come from the same code as the reading page's: [`Sourcing`] and [`CertaintySummary`] for the
//! counts, [`crate::view::sources`] for the ledger and [`crate::view::claims`] for the claims, so the brief cannot
//! disagree with the page.
//!
//! Document text is data, never Markdown: every piece of it (title, sentences, speakers, cues) is put on one line
//! and each character Markdown or HTML could read as markup is escaped with a backslash ([`escape`]), so a
//! document cannot inject emphasis, links, images, headings, tables or raw HTML into the brief. (A renderer that
//! turns bare URLs into links will still do so for a URL written in the text.)

use std::fmt::Write as _;

use crate::entry::Entry;
use crate::formats::reading_page;
use crate::view::claims::{self, CHECK_WORTHY, ClaimCard};
use crate::view::ledger::SourceView;
use crate::view::summary::{CertaintySummary, Sourcing};
use crate::view::{SentenceLink, sentence_ids, sources};

/// The brief of `entry`, whose reading page is served under `base` (`http://192.168.1.20:3000`), if given.
pub fn brief(entry: &Entry, base: Option<&str>) -> String {
    let doc = &entry.document;
    let page = reading_page(base, &doc.id);
    let link = |l: &SentenceLink| format!("[{}]({page}#{})", l.number, l.sid);
    let mut out = String::new();
    let title = [doc.title.as_str(), doc.shown_name()]
        .into_iter()
        .find(|t| !t.trim().is_empty());
    let _ = writeln!(out, "# {}\n", escape(title.unwrap_or("Untitled document")));
    let _ = writeln!(out, "A reading brief of [{}]({page}), by Lectern.\n", escape(doc.shown_name()));

    let sentences = &entry.annotated.sentences;
    let certainty = CertaintySummary::of(sentences);
    let sourcing = Sourcing::of(sentences);
    let ledger = sources(&doc.text, &entry.annotated);
    let _ = writeln!(out, "## At a glance\n");
    let _ = writeln!(out, "- Sentences: {}", sentences.len());
    let _ = writeln!(out, "- Sources: {}", ledger.len());
    let _ = writeln!(
        out,
        "- Claims: {} ({} attributed to a source, {} stated by the writer)",
        certainty.claims,
        certainty.attributed,
        certainty.claims.saturating_sub(certainty.attributed)
    );
    let _ = writeln!(
        out,
        "- Anonymous sourcing: {}% of attributed claims rest only on unnamed sources ({} of {})",
        sourcing.percent, sourcing.unnamed_only, sourcing.attributed
    );
    let _ = writeln!(out, "- Hedged claims: {} of {}\n", certainty.hedged, certainty.claims);

    let _ = writeln!(out, "## Sources\n");
    if ledger.is_empty() {
        let _ = writeln!(out, "No source is cited.\n");
    } else {
        let _ = writeln!(out, "| Speaker | Kind | Sentences | Direct | Indirect | Cue words |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for s in &ledger {
            let _ = writeln!(out, "{}", source_row(s, &link));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Claims\n");
    let cards = claims::cards(&doc.text, &entry.annotated, &sentence_ids(&doc.text, &entry.annotated));
    if cards.is_empty() {
        let _ = writeln!(out, "No sentence makes a claim.\n");
    }
    for c in &cards {
        claim(&mut out, c, &link);
    }
    if let Some(review) = &entry.review {
        notes(&mut out, entry, review, &page);
    }
    out
}

/// The notes (with their replies) and the corrections of a reviewed document.
fn notes(out: &mut String, entry: &Entry, review: &crate::entry::Review, page: &str) {
    let ids = sentence_ids(&entry.document.text, &entry.annotated);
    let threads = crate::view::review::threads(&entry.document.text, review, &ids);
    if !threads.is_empty() {
        let _ = writeln!(out, "## Notes\n");
    }
    for t in &threads {
        let on = match &t.at {
            Some((sid, number)) => format!("on [sentence {number}]({page}#{sid})"),
            None => "on a passage that is no longer in the text".to_string(),
        };
        let resolved = if t.resolved { " (resolved)" } else { "" };
        let _ = writeln!(
            out,
            "- **{}** {on}{resolved}, about “{}”: {}",
            escape(&t.note.author),
            escape(&t.short_quote()),
            note_text(&t.note.parts)
        );
        for r in &t.replies {
            let _ = writeln!(out, "  - **{}** replied: {}", escape(&r.author), note_text(&r.parts));
        }
    }
    if !threads.is_empty() {
        out.push('\n');
    }
    let corrections = crate::view::review::corrections(review, &ids);
    if !corrections.is_empty() {
        let _ = writeln!(out, "## Corrections\n");
        let _ = writeln!(out, "The counts and claims above include these corrections of the annotator.\n");
    }
    for c in &corrections {
        let at = match &c.at {
            Some((sid, number)) => format!(" in [sentence {number}]({page}#{sid})"),
            None => String::new(),
        };
        let gone = c
            .unattached
            .map(|why| format!(" (no longer applies: {why})"))
            .unwrap_or_default();
        let _ = writeln!(out, "- **{}** {}{at}{gone}", escape(&c.author), escape(&c.what));
    }
    if !corrections.is_empty() {
        out.push('\n');
    }
}

/// A note's body as Markdown: its text escaped, its emphasis and links (http, https, mailto) written anew, its
/// paragraphs joined on one line.
fn note_text(parts: &[crate::review::notes::Part]) -> String {
    use crate::review::notes::Part;
    let href = |h: &str| -> String {
        h.chars()
            .map(|c| match c {
                '(' => "%28".to_string(),
                ')' => "%29".to_string(),
                '<' => "%3C".to_string(),
                '>' => "%3E".to_string(),
                c if c.is_whitespace() => "%20".to_string(),
                c => c.to_string(),
            })
            .collect()
    };
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => escape(t),
            Part::Em(t) => format!("*{}*", escape(t)),
            Part::Strong(t) => format!("**{}**", escape(t)),
            Part::Link { text, href: h } => format!("[{}]({})", escape(text), href(h)),
            Part::Break => " / ".to_string(),
        })
        .collect()
}

/// A row of the sources table.
fn source_row(s: &SourceView<'_>, link: &impl Fn(&SentenceLink) -> String) -> String {
    let sentences: Vec<String> = s.links.iter().map(link).collect();
    let cues: Vec<String> = s.cues.iter().map(|c| escape(c)).collect();
    format!(
        "| {} | {} | {} | {} | {} | {} |",
        escape(s.speaker),
        s.kind.as_str(),
        sentences.join(", "),
        s.direct,
        s.indirect,
        cues.join(", ")
    )
}

/// One claim: a heading, the sentence quoted, who asserts it, its hedges and its check-worthiness.
fn claim(out: &mut String, c: &ClaimCard<'_>, link: &impl Fn(&SentenceLink) -> String) {
    let _ = writeln!(out, "### Sentence {}: {}\n", c.number, c.certainty.label());
    let _ = writeln!(out, "> {}\n", escape(c.text));
    let by = labelled(c.voices.iter().map(|v| (v.speaker, v.kind.as_str())), "the writer");
    let hedges = labelled(c.hedges.iter().map(|h| (h.text, h.category.as_str())), "none");
    let worthy = if c.worthy { "check-worthy" } else { "below the check-worthy mark" };
    let _ = writeln!(out, "- Asserted by: {by}");
    let _ = writeln!(out, "- Hedges: {hedges}");
    let _ = writeln!(out, "- Check-worthiness: {} ({worthy}, from {CHECK_WORTHY:.2})", c.score);
    let _ = writeln!(out, "- In context: {}\n", link(&SentenceLink { sid: c.sid.clone(), number: c.number }));
}

/// `text (label)` for each item, document text escaped, joined by commas; `empty` for no items.
fn labelled<'t>(items: impl Iterator<Item = (&'t str, &'static str)>, empty: &str) -> String {
    let all: Vec<String> = items.map(|(text, label)| format!("{} ({label})", escape(text))).collect();
    if all.is_empty() { empty.to_string() } else { all.join(", ") }
}

/// Characters escaped wherever they stand: CommonMark's inline markup (emphasis, code, links, images, autolinks,
/// raw HTML, entities, escapes), GitHub's (tables, strikethrough, footnotes) and common extensions (math,
/// highlights, attributes); `#` too, so nothing can close a heading.
pub const MARKUP: &[char] =
    &['\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '<', '>', '#', '!', '|', '~', '&', '$', '^', '='];

/// `text` as Markdown that shows exactly it: on one line (runs of whitespace, line breaks included, become one
/// space), every [`MARKUP`] character escaped, and whatever could open a block at the start of a line (a list
/// marker `-`, `+` or `1.`) escaped there.
pub fn escape(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let line = words.join(" ");
    let mut out = String::with_capacity(line.len() + 8);
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in line.chars().enumerate() {
        let opens_a_block = (i == 0 && matches!(c, '-' | '+')) || (i == digits && i > 0 && c == '.');
        if MARKUP.contains(&c) || opens_a_block {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::*;
    use crate::formats::fixtures;

    /// Everything a Markdown reader (GitHub's flavour) makes of `md`, other than text, structure we write
    /// ourselves and breaks.
    fn markup(md: &str) -> Vec<String> {
        let events = Parser::new_ext(md, Options::all() - Options::ENABLE_SMART_PUNCTUATION);
        events
            .filter_map(|e| match e {
                Event::Text(_) | Event::SoftBreak => None,
                Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::List(_) | Tag::Item | Tag::BlockQuote(_))
                | Event::End(
                    TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_),
                ) => None,
                Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
                | Event::End(TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell) => None,
                Event::Start(Tag::Link { dest_url, .. }) => Some(format!("link {dest_url}")),
                Event::End(TagEnd::Link) => None,
                other => Some(format!("{other:?}")),
            })
            .collect()
    }

    /// The text a Markdown reader shows for `md`, one string per block.
    fn shown(md: &str) -> String {
        let mut out = String::new();
        for e in Parser::new_ext(md, Options::all() - Options::ENABLE_SMART_PUNCTUATION) {
            match e {
                Event::Text(t) => out.push_str(&t),
                Event::SoftBreak => out.push(' '),
                Event::End(_) => out.push('\n'),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn escaped_text_reads_back_as_itself_and_as_nothing_else() {
        for text in [
            fixtures::TITLE,
            "*bold* _it_ `code` [a](b) ![i](j) <script>alert(1)</script> &amp; | ~~x~~ $x$ \\ [^1] ==h== {.c}",
            "<http://example.com/x> <a@example.com> <!-- c --> <?php ?> <![CDATA[x]]>",
            "- a list? + or this",
            "1. numbered",
            "12) numbered",
            "# heading #",
            "> quoted",
            "line one\n===\n---\n    indented\r\n\u{2028}next 🙂",
        ] {
            let md = escape(text);
            assert_eq!(markup(&md), Vec::<String>::new(), "{text:?} -> {md:?}");
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(shown(&md).trim_end(), expected, "{text:?} -> {md:?}");
            let quoted = format!("> {md}");
            assert_eq!(markup(&quoted), Vec::<String>::new(), "in a quotation: {quoted:?}");
        }
    }

    #[test]
    fn the_brief_counts_links_and_escapes() {
        let entry = fixtures::annotated(fixtures::HOSTILE);
        let md = brief(&entry, Some("http://192.168.1.20:3000/"));
        let ids = sentence_ids(&entry.document.text, &entry.annotated);
        let links: Vec<String> = markup(&md)
            .into_iter()
            .filter_map(|m| m.strip_prefix("link ").map(String::from))
            .collect();
        let unexpected: Vec<String> = markup(&md).into_iter().filter(|m| !m.starts_with("link ")).collect();
        assert_eq!(unexpected, Vec::<String>::new(), "only the links we write:\n{md}");
        let page = "http://192.168.1.20:3000/d/hostile-1";
        assert_eq!(links[0], page);
        for l in &links[1..] {
            let sid = l.strip_prefix(&format!("{page}#")).expect("a sentence link");
            assert!(ids.iter().any(|i| i.as_deref() == Some(sid)), "{l}");
        }
        let first = shown(&md).lines().next().map(str::to_string);
        assert_eq!(first.as_deref(), Some(fixtures::TITLE), "the title is shown as written");
        let sourcing = Sourcing::of(&entry.annotated.sentences);
        let certainty = CertaintySummary::of(&entry.annotated.sentences);
        let glance = format!(
            "Anonymous sourcing: {}% of attributed claims rest only on unnamed sources ({} of {})",
            sourcing.percent, sourcing.unnamed_only, sourcing.attributed
        );
        assert!(shown(&md).contains(&glance), "{md}");
        assert!(shown(&md).contains(&format!("Hedged claims: {} of {}", certainty.hedged, certainty.claims)));
        let headings = md.lines().filter(|l| l.starts_with("### Sentence ")).count();
        assert_eq!(headings, certainty.claims, "one section per claim");
        assert!(shown(&md).contains("Ann O'Neil"), "{md}");
        assert!(shown(&md).contains("<script>alert(1)</script>"), "markup is shown as text");
    }

    #[test]
    fn without_a_base_links_are_relative_and_odd_speakers_stay_text() {
        let entry = fixtures::crossing();
        let md = brief(&entry, None);
        let marks = markup(&md);
        assert!(marks.iter().all(|m| m.starts_with("link /d/hostile-1")), "{marks:?}\n{md}");
        assert!(shown(&md).contains("the *city* engineer <b> (unnamed)"), "{md}");
        assert!(shown(&md).contains("“The 𝔊 bridge, \"old\" and unsafe, will close,” said the *city* engineer."));
        assert!(shown(&md).contains("Hedges: might reopen (epistemic)"), "{md}");
        let empty = Entry::from_parts(fixtures::document(""), annotate::Annotated::default());
        let md = brief(&empty, None);
        assert!(md.contains("No source is cited.") && md.contains("No sentence makes a claim."), "{md}");
    }
}
