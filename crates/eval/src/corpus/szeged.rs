//! The Szeged Uncertainty Corpus (`szeged-uncertainty/*.xml`): sentences with inline uncertainty cues.
//!
//! ```text
//! <Document><DocID>…</DocID><DocumentPart><Sentence id="S1.3">Analysts <ccue type="speculation_hypo_doxastic _">
//! expect</ccue> the trend to continue.</Sentence></DocumentPart></Document>
//! ```
//!
//! A sentence's text is all the text inside `<Sentence>`, whatever markup it sits in; each `<ccue>` is one gold cue,
//! its span a byte range of that text. Cue elements may nest (each is then a cue of its own) or sit inside other
//! elements such as `<xcope>`. Element names are matched without regard to case (the DTD says `sentence`, the files
//! say `Sentence`).

use std::path::Path;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{LoadError, ParseError};

/// One document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The `<DocID>` text, e.g. a file name or a Wikipedia article id.
    pub id: String,
    /// Sentences in document order.
    pub sentences: Vec<Sentence>,
}

/// One gold sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    /// The `id` attribute, e.g. "S1.3".
    pub id: String,
    /// All text content, entities resolved.
    pub text: String,
    /// Uncertainty cues in order of their start.
    pub cues: Vec<Cue>,
}

impl Sentence {
    /// CoNLL-2010 Task 1: a sentence is uncertain iff it has a cue.
    pub fn uncertain(&self) -> bool {
        !self.cues.is_empty()
    }
}

/// One gold cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Byte offset of the first byte in [`Sentence::text`].
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The `type` attribute as written, e.g. "speculation_modal_probable_".
    pub kind: String,
}

/// Gold cue categories, mapped onto the annotator's hedge categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// `speculation_modal_probable_`, `speculation_modal_possible_`.
    Epistemic,
    /// `speculation_hypo_doxastic`.
    Doxastic,
    /// `speculation_hypo_condition`.
    Conditional,
    /// `speculation_hypo_investigation`.
    Investigation,
    /// Any other type (none occurs in the news and Wikipedia files; other parts of the corpus may differ).
    Other,
}

impl Category {
    /// Map a Szeged `type` attribute; surrounding spaces and underscores are not significant.
    pub fn of(kind: &str) -> Category {
        match kind.trim_matches(|c: char| c == '_' || c.is_whitespace()) {
            "speculation_modal_probable" | "speculation_modal_possible" => Category::Epistemic,
            "speculation_hypo_doxastic" => Category::Doxastic,
            "speculation_hypo_condition" => Category::Conditional,
            "speculation_hypo_investigation" => Category::Investigation,
            _ => Category::Other,
        }
    }

    /// The name used in the report: the annotator's category name, or "other".
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Epistemic => "epistemic",
            Category::Doxastic => "doxastic",
            Category::Conditional => "conditional",
            Category::Investigation => "investigation",
            Category::Other => "other",
        }
    }
}

/// Read and parse one corpus file.
pub fn load(path: &Path) -> Result<Vec<Document>, LoadError> {
    parse(&super::read(path)?).map_err(|e| LoadError::parse(path, e))
}

/// Element names the parser acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Document,
    DocId,
    Sentence,
    Cue,
    Other,
}

impl Tag {
    fn of(e: &BytesStart<'_>) -> Tag {
        let name = e.local_name();
        let name: &str = name.as_ref();
        if name.eq_ignore_ascii_case("document") {
            Tag::Document
        } else if name.eq_ignore_ascii_case("docid") {
            Tag::DocId
        } else if name.eq_ignore_ascii_case("sentence") {
            Tag::Sentence
        } else if name.eq_ignore_ascii_case("ccue") {
            Tag::Cue
        } else {
            Tag::Other
        }
    }
}

/// Parser state: what is open.
#[derive(Default)]
struct State {
    docs: Vec<Document>,
    doc: Option<Document>,
    in_doc_id: bool,
    sentence: Option<Sentence>,
    /// Open cues: start offset and type, innermost last.
    open_cues: Vec<(usize, String)>,
}

impl State {
    fn text(&mut self, s: &str) {
        if let Some(sentence) = &mut self.sentence {
            sentence.text.push_str(s);
        } else if self.in_doc_id
            && let Some(doc) = &mut self.doc
        {
            doc.id.push_str(s);
        }
    }

    fn start(&mut self, tag: Tag, e: &BytesStart<'_>) -> Result<(), ParseError> {
        match tag {
            Tag::Document => self.doc = Some(Document::default()),
            Tag::DocId => self.in_doc_id = true,
            Tag::Sentence => {
                self.sentence = Some(Sentence { id: attribute(e, "id")?, ..Sentence::default() });
                self.open_cues.clear();
            }
            Tag::Cue => {
                if let Some(sentence) = &self.sentence {
                    self.open_cues.push((sentence.text.len(), attribute(e, "type")?));
                }
            }
            Tag::Other => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: Tag) -> Result<(), ParseError> {
        match tag {
            Tag::Document => {
                let doc = self
                    .doc
                    .take()
                    .ok_or_else(|| ParseError("</Document> without <Document>".into()))?;
                self.docs.push(doc);
            }
            Tag::DocId => self.in_doc_id = false,
            Tag::Sentence => {
                let mut sentence = self
                    .sentence
                    .take()
                    .ok_or_else(|| ParseError("</Sentence> without <Sentence>".into()))?;
                if !self.open_cues.is_empty() {
                    return Err(ParseError(format!("sentence {} ends inside a cue", sentence.id)));
                }
                sentence.cues.sort_by_key(|c| (c.start, c.end));
                // A sentence outside any <Document> still counts: it gets a document of its own.
                self.doc.get_or_insert_with(Document::default).sentences.push(sentence);
            }
            Tag::Cue => {
                if let Some(sentence) = &mut self.sentence {
                    let (start, kind) = self
                        .open_cues
                        .pop()
                        .ok_or_else(|| ParseError("</ccue> without <ccue>".into()))?;
                    sentence.cues.push(Cue { start, end: sentence.text.len(), kind });
                }
            }
            Tag::Other => {}
        }
        Ok(())
    }
}

/// The value of attribute `name`, entities resolved; empty when absent.
fn attribute(e: &BytesStart<'_>, name: &str) -> Result<String, ParseError> {
    let attr = e.try_get_attribute(name).map_err(|err| ParseError(err.to_string()))?;
    match attr {
        None => Ok(String::new()),
        Some(a) => Ok(a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| ParseError(err.to_string()))?
            .into()),
    }
}

/// The text an entity or character reference stands for; an unknown entity is kept as written.
fn resolve(r: &BytesRef<'_>) -> Result<String, ParseError> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| ParseError(e.to_string()))? {
        return Ok(c.to_string());
    }
    let name: &str = r;
    Ok(resolve_predefined_entity(name).map_or_else(|| format!("&{name};"), str::to_string))
}

/// Parse a whole corpus file.
pub fn parse(xml: &str) -> Result<Vec<Document>, ParseError> {
    let mut reader = Reader::from_str(xml);
    let mut state = State::default();
    // Element stack, so that an end tag maps to the same `Tag` as its start tag.
    let mut stack: Vec<Tag> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ParseError(format!("at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(e) => {
                let tag = Tag::of(&e);
                stack.push(tag);
                state.start(tag, &e)?;
            }
            Event::End(_) => {
                let tag = stack.pop().ok_or_else(|| ParseError("unbalanced end tag".into()))?;
                state.end(tag)?;
            }
            Event::Empty(e) => {
                // `<Sentence/>` or `<ccue/>`: opened and closed at once.
                let tag = Tag::of(&e);
                state.start(tag, &e)?;
                state.end(tag)?;
            }
            Event::Text(t) => state.text(&t.xml10_content()),
            Event::CData(t) => state.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let s = resolve(&r)?;
                state.text(&s);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(doc) = state.doc.take() {
        state.docs.push(doc);
    }
    Ok(state.docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-written, in the corpus's shape: nested markup, a nested cue, an entity, two documents.
    const SNIPPET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Annotation><DocumentSet> <Document type="unknown"><DocID type="FILENAME">one.txt</DocID>
<DocumentPart><Sentence id="S1.1">The ferry left on time.</Sentence><Sentence id="S1.2">Crews <ccue type="speculation_modal_probable_">may</ccue> <xcope id="X1">repaint <ccue type="speculation_hypo_doxastic _">it</ccue></xcope> soon &amp; quietly.</Sentence></DocumentPart></Document>
<Document><DocID>two</DocID><DocumentPart><sentence id="S1.1"><ccue type="speculation_hypo_condition _">If <ccue type="weasel">so</ccue></ccue>, fine.</sentence></DocumentPart></Document></DocumentSet></Annotation>"#;

    #[test]
    fn parses_documents_sentences_and_cues() {
        let docs = parse(SNIPPET).expect("valid snippet");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "one.txt");
        let s = &docs[0].sentences;
        assert_eq!(s.len(), 2);
        assert!(!s[0].uncertain());
        assert_eq!(s[1].id, "S1.2");
        assert_eq!(s[1].text, "Crews may repaint it soon & quietly.");
        let cue_texts: Vec<&str> = s[1].cues.iter().map(|c| &s[1].text[c.start..c.end]).collect();
        assert_eq!(cue_texts, ["may", "it"]);
        assert_eq!(Category::of(&s[1].cues[0].kind), Category::Epistemic);
        assert_eq!(Category::of(&s[1].cues[1].kind), Category::Doxastic);
    }

    #[test]
    fn nested_cues_are_each_a_cue() {
        let docs = parse(SNIPPET).expect("valid snippet");
        let s = &docs[1].sentences[0];
        assert_eq!(docs[1].id, "two");
        assert_eq!(s.text, "If so, fine.");
        let cues: Vec<(&str, Category)> = s
            .cues
            .iter()
            .map(|c| (&s.text[c.start..c.end], Category::of(&c.kind)))
            .collect();
        assert_eq!(cues, [("If so", Category::Conditional), ("so", Category::Other)]);
    }

    #[test]
    fn category_mapping_ignores_padding() {
        assert_eq!(Category::of("speculation_modal_possible_"), Category::Epistemic);
        assert_eq!(Category::of("speculation_hypo_investigation _"), Category::Investigation);
        assert_eq!(Category::of("negation"), Category::Other);
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(parse("<Document><Sentence id=\"a\">x</Document>").is_err());
        assert!(parse("<Sentence id=\"a\"><ccue type=\"x\">x</Sentence>").is_err());
    }
}
