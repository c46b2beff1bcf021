//! A document's annotation as [W3C Web Annotation](https://www.w3.org/TR/annotation-model/) (JSON-LD), so that
//! annotation tools and stores (Hypothesis, Recogito, any Web Annotation server) can read what Lectern found.
//!
//! The export is one `AnnotationCollection` whose `first` page holds every annotation, in text order:
//!
//! - one per sentence, its **claim** label (`motivation: "classifying"`), with the sentence's permalink id
//!   (`view::permalink`) as the end of its `id`;
//! - one per **hedge** cue (`"classifying"`);
//! - one per **attribution part**: the source, the cue and the content of one attribution are three annotations
//!   (`"tagging"`) whose ids share the prefix `…#attribution-{n}-` and end in their role, and each links to the other
//!   two through `SpecificResource` bodies with `purpose: "linking"`.
//!
//! Bodies are `TextualBody`s: `tagging` names the layer (`claim`, `hedge`, `source`, `cue`, `content`), which is
//! what Hypothesis and Recogito show as tags; `classifying` the category, source kind or claim label;
//! `identifying` the resolved speaker of an attribution; `describing` all of it in a sentence for people, with the
//! id of the rule that made it. That rule is also the annotation's `creator` (a `Software` agent), and the annotator
//! with its version stamp is the collection's `generator`.
//!
//! Colleagues' notes follow, as people write them in Hypothesis: `motivation: "commenting"`, a `TextualBody` with
//! `purpose: "commenting"` holding the note as written (`format: "text/markdown"`), a `Person` as `creator`, and
//! `created` (and `modified`) times; a reply is `"replying"` and targets the note it answers. A note whose passage
//! is no longer in the text keeps its quote alone, with no position.
//!
//! Every target has a `TextQuoteSelector` (the exact text with up to 32 characters either side) and a
//! `TextPositionSelector` in **characters** of the document text (what `lectern` JSON calls `text`). The target's
//! `source` is the reading page when the address Lectern is served at is given, else `urn:lectern:document:{id}`;
//! ids are always `urn:lectern:` names, so they do not change with the address. A span that does not fit the text,
//! or covers nothing, is left out.

use std::io::{self, Write};

use serde::Serialize;

use annotate::{Attribution, Hedge, Rule, Sentence};

use super::offsets::{Located, Offsets, Part};
use super::{percent_encode, reading_page};
use crate::entry::Entry;
use crate::view::{sentence_ids, summary};

/// The JSON-LD context of the Web Annotation vocabulary.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// Characters of context on each side of a quote.
pub const QUOTE_CONTEXT: usize = 32;

/// All annotations of one document.
#[derive(Debug, Serialize)]
pub struct AnnotationCollection<'a> {
    /// Always [`CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// `urn:lectern:document:{id}#annotations`.
    pub id: String,
    /// `AnnotationCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The document's title.
    pub label: &'a str,
    /// How many annotations there are.
    pub total: usize,
    /// The annotator that made them.
    pub generator: Agent,
    /// The one page, which holds them all.
    pub first: AnnotationPage<'a>,
    /// The id of that page.
    pub last: String,
}

/// A page of a collection (`"type": "AnnotationPage"`).
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub struct AnnotationPage<'a> {
    /// `urn:lectern:document:{id}#annotations-page-1`.
    pub id: String,
    /// Position of the first item in the collection: 0.
    pub start_index: usize,
    /// The annotations.
    pub items: Vec<Annotation<'a>>,
}

/// One annotation (`"type": "Annotation"`).
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub struct Annotation<'a> {
    /// `urn:lectern:document:{id}#…`.
    pub id: String,
    /// `classifying` (claims, hedges), `tagging` (attribution parts), `commenting` (notes) or `replying`.
    pub motivation: &'static str,
    /// The rule that made it (hedges and attributions), or the person who wrote it (notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<Creator>,
    /// When a note was written (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When a note was last edited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// What it says.
    pub body: Vec<Body>,
    /// What it says it of: a span of the document, or (a reply) the note it answers.
    pub target: AnyTarget<'a>,
}

/// Who made an annotation.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type")]
pub enum Creator {
    /// A rule of the annotator.
    Software {
        /// `urn:lectern:rule:{rule id}`.
        id: String,
        /// The rule id.
        name: String,
    },
    /// A colleague, by the name they gave.
    Person {
        /// Their display name.
        name: String,
    },
}

/// A target: a span of the document, or another annotation (what a reply answers).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AnyTarget<'a> {
    /// A span.
    Span(Target<'a>),
    /// An annotation's id.
    Annotation(String),
}

/// Software that made annotations (`"type": "Software"`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename = "Software")]
pub struct Agent {
    /// `urn:lectern:annotator:{version}` or `urn:lectern:rule:{rule id}`.
    pub id: String,
    /// Its name for people.
    pub name: String,
}

/// A body: text with a purpose, or a link to another annotation.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub enum Body {
    /// Text: a tag, a class, a speaker or a description.
    TextualBody {
        /// `tagging`, `classifying`, `identifying`, `describing` or `commenting`.
        purpose: &'static str,
        /// The text.
        value: String,
        /// `text/markdown` for a note.
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<&'static str>,
    },
    /// Another annotation of the same attribution.
    SpecificResource {
        /// `linking`.
        purpose: &'static str,
        /// Its id.
        source: String,
    },
}

/// A span of the document.
#[derive(Debug, Serialize)]
pub struct Target<'a> {
    /// The document: its reading page, or its `urn:lectern:` name.
    pub source: String,
    /// The span, quoted and by position (a note whose passage changed: quoted only).
    pub selector: Vec<Selector<'a>>,
}

/// How a target is found in the document.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub enum Selector<'a> {
    /// The covered text with some context.
    TextQuoteSelector {
        /// The covered text.
        exact: &'a str,
        /// Up to [`QUOTE_CONTEXT`] characters before it.
        #[serde(skip_serializing_if = "str::is_empty")]
        prefix: &'a str,
        /// Up to [`QUOTE_CONTEXT`] characters after it.
        #[serde(skip_serializing_if = "str::is_empty")]
        suffix: &'a str,
    },
    /// Character offsets, half-open.
    TextPositionSelector {
        /// First character.
        start: usize,
        /// One past the last character.
        end: usize,
    },
}

fn text(purpose: &'static str, value: impl Into<String>) -> Body {
    Body::TextualBody { purpose, value: value.into(), format: None }
}

fn software(id: String, name: String) -> Agent {
    Agent { id, name }
}

fn rule_agent(rule: &Rule) -> Creator {
    Creator::Software { id: format!("urn:lectern:rule:{}", percent_encode(&rule.id)), name: rule.id.clone() }
}

/// Builds the annotations of one document.
struct Builder<'a> {
    offsets: Offsets<'a>,
    /// `urn:lectern:document:{id}`, the prefix of every id.
    name: String,
    /// What targets point at.
    source: String,
    items: Vec<Annotation<'a>>,
}

impl<'a> Builder<'a> {
    fn target(&self, at: &Located<'a>) -> Target<'a> {
        let (prefix, suffix) = self.offsets.context(at, QUOTE_CONTEXT);
        Target {
            source: self.source.clone(),
            selector: vec![
                Selector::TextQuoteSelector { exact: at.text, prefix, suffix },
                Selector::TextPositionSelector { start: at.start, end: at.end },
            ],
        }
    }

    fn push(
        &mut self,
        id: String,
        motivation: &'static str,
        creator: Option<&Rule>,
        body: Vec<Body>,
        at: &Located<'a>,
    ) {
        let target = AnyTarget::Span(self.target(at));
        let creator = creator.map(rule_agent);
        self.items
            .push(Annotation { id, motivation, creator, created: None, modified: None, body, target });
    }

    /// A colleague's note: on its passage where it is now (or on its quote alone), or on the note it replies to.
    fn note(&mut self, p: &'a crate::entry::Placed) {
        let n = &p.note;
        let id = |note: &str| format!("{}#note-{note}", self.name);
        let target = match &n.parent {
            Some(parent) => AnyTarget::Annotation(id(parent)),
            None => match p.found {
                Some(f) => match self.offsets.locate(annotate::Span::new(f.start, f.end)) {
                    Some(at) => AnyTarget::Span(self.target(&at)),
                    None => return,
                },
                None => AnyTarget::Span(Target {
                    source: self.source.clone(),
                    selector: vec![Selector::TextQuoteSelector {
                        exact: &n.quote.exact,
                        prefix: &n.quote.prefix,
                        suffix: &n.quote.suffix,
                    }],
                }),
            },
        };
        let time = |t: i64| crate::view::dates::date(t).iso;
        self.items.push(Annotation {
            id: id(&n.id),
            motivation: if n.parent.is_some() { "replying" } else { "commenting" },
            creator: Some(Creator::Person { name: n.author.clone() }),
            created: Some(time(n.created)),
            modified: n.edited.map(time),
            body: vec![Body::TextualBody {
                purpose: "commenting",
                value: n.body.clone(),
                format: Some("text/markdown"),
            }],
            target,
        });
    }

    fn claim(&mut self, sid: &str, s: &Sentence) {
        let Some(at) = self.offsets.locate_visible(s.span) else { return };
        let label = s.claim.as_str();
        let score = summary::two_decimals(s.checkworthy);
        let describe = format!("Claim: {label}, {}. Check-worthiness {score}.", s.claim.describe());
        let body = vec![text("tagging", "claim"), text("classifying", label), text("describing", describe)];
        self.push(format!("{}#{sid}", self.name), "classifying", None, body, &at);
    }

    fn hedge(&mut self, n: usize, h: &Hedge) {
        let Some(at) = self.offsets.locate_visible(h.span) else { return };
        let category = h.category.as_str();
        let describe = format!("Hedge: {category}, {}. Found by {}: {}.", h.category.describe(), h.rule.id, h.rule.why);
        let body = vec![text("tagging", "hedge"), text("classifying", category), text("describing", describe)];
        self.push(format!("{}#hedge-{n}", self.name), "classifying", Some(&h.rule), body, &at);
    }

    fn attribution(&mut self, n: usize, a: &Attribution) {
        let parts: Vec<(Part, Located<'a>)> = Part::ALL
            .into_iter()
            .filter_map(|p| Some((p, self.offsets.locate_visible(p.of(a)?)?)))
            .collect();
        let name = self.name.clone();
        let id = |p: Part| format!("{name}#attribution-{n}-{}", p.as_str());
        let speaker = a.speaker.as_deref();
        let how = if a.direct_quote { "quoted directly" } else { "in the writer's words" };
        for (part, at) in &parts {
            let describe = format!(
                "{} of attribution {n}: {} ({}), {how}. Found by {}: {}.",
                part.title(),
                speaker.unwrap_or("speaker not resolved"),
                a.kind.describe(),
                a.rule.id,
                a.rule.why,
            );
            let mut body = vec![text("tagging", part.as_str()), text("classifying", a.kind.as_str())];
            body.extend(speaker.map(|s| text("identifying", s)));
            body.push(text("describing", describe));
            body.extend(
                parts
                    .iter()
                    .filter(|(other, _)| other != part)
                    .map(|&(other, _)| Body::SpecificResource { purpose: "linking", source: id(other) }),
            );
            self.push(id(*part), "tagging", Some(&a.rule), body, at);
        }
    }
}

/// The collection of `entry`'s annotations. `base` is the address Lectern is served at, if targets should point
/// at the reading page (`{base}/d/{id}`) rather than at the document's `urn:lectern:` name.
pub fn collection<'a>(entry: &'a Entry, base: Option<&str>) -> AnnotationCollection<'a> {
    let doc = &entry.document;
    let name = format!("urn:lectern:document:{}", percent_encode(&doc.id));
    let source = if base.is_some() { reading_page(base, &doc.id) } else { name.clone() };
    let mut b = Builder { offsets: Offsets::new(&doc.text), name, source, items: Vec::new() };
    let ids = sentence_ids(&doc.text, &entry.annotated);
    let (mut hedges, mut attributions) = (0, 0);
    for (s, sid) in entry.annotated.sentences.iter().zip(&ids) {
        if let Some(sid) = sid {
            b.claim(sid, s);
        }
        for h in &s.hedges {
            hedges += 1;
            b.hedge(hedges, h);
        }
        for a in &s.attributions {
            attributions += 1;
            b.attribution(attributions, a);
        }
    }
    if let Some(review) = &entry.review {
        for p in review.notes.iter().filter(|p| p.note.parent.is_none()) {
            b.note(p);
        }
        for p in review.notes.iter().filter(|p| p.note.parent.is_some()) {
            b.note(p);
        }
    }
    let page = format!("{}#annotations-page-1", b.name);
    AnnotationCollection {
        context: CONTEXT,
        id: format!("{}#annotations", b.name),
        kind: "AnnotationCollection",
        label: &doc.title,
        total: b.items.len(),
        generator: software(
            format!("urn:lectern:annotator:{}", percent_encode(annotate::VERSION)),
            format!("Lectern annotator {}", annotate::VERSION),
        ),
        first: AnnotationPage { id: page.clone(), start_index: 0, items: b.items },
        last: page,
    }
}

/// Write [`collection`] to `out`, pretty-printed.
pub fn write(entry: &Entry, base: Option<&str>, out: impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(out, &collection(entry, base)).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::formats::fixtures;

    fn export(entry: &Entry, base: Option<&str>) -> Value {
        let mut out = Vec::new();
        write(entry, base, &mut out).expect("writes to memory");
        serde_json::from_slice(&out).expect("the export is JSON")
    }

    fn items(v: &Value) -> &[Value] {
        v["first"]["items"].as_array().map_or(&[], Vec::as_slice)
    }

    /// The body values of `a` with this purpose.
    fn bodies<'v>(a: &'v Value, purpose: &str) -> Vec<&'v str> {
        a["body"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["purpose"] == purpose)
            .filter_map(|b| b["value"].as_str().or_else(|| b["source"].as_str()))
            .collect()
    }

    fn selector<'v>(a: &'v Value, kind: &str) -> &'v Value {
        a["target"]["selector"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["type"] == kind)
            .expect("both selectors")
    }

    /// Every span the entry's annotation holds that fits its text and covers something: `(layer, start, end)` in
    /// characters, counted here without `CharIndex`.
    fn spans(entry: &Entry) -> BTreeSet<(String, usize, usize)> {
        let text = &entry.document.text;
        let chars = |b: usize| text.get(..b).map(|t| t.chars().count());
        let mut out = BTreeSet::new();
        for s in &entry.annotated.sentences {
            let parts = s.attributions.iter().flat_map(|a| Part::ALL.map(|p| (p.as_str(), p.of(a))));
            let hedges = s.hedges.iter().map(|h| ("hedge", Some(h.span)));
            for (layer, span) in [("claim", Some(s.span))].into_iter().chain(hedges).chain(parts) {
                let Some(span) = span.filter(|s| text.get(s.start..s.end).is_some_and(|t| !t.is_empty())) else {
                    continue;
                };
                out.extend(chars(span.start).zip(chars(span.end)).map(|(a, b)| (layer.to_string(), a, b)));
            }
        }
        out
    }

    /// Checks the selectors of every annotation against the text and returns its `(layer, start, end)`s.
    fn round_trip(entry: &Entry, v: &Value) -> BTreeSet<(String, usize, usize)> {
        let chars: Vec<char> = entry.document.text.chars().collect();
        let slice = |a: usize, b: usize| chars.get(a..b).map(|c| c.iter().collect::<String>());
        assert_eq!(v["@context"], CONTEXT);
        assert_eq!(v["type"], "AnnotationCollection");
        assert_eq!((&v["first"]["type"], &v["generator"]["type"]), (&"AnnotationPage".into(), &"Software".into()));
        assert_eq!(v["total"].as_u64(), Some(items(v).len() as u64));
        let mut got = BTreeSet::new();
        for a in items(v) {
            assert_eq!(a["type"], "Annotation");
            let pos = selector(a, "TextPositionSelector");
            let quote = selector(a, "TextQuoteSelector");
            let (start, end) =
                (pos["start"].as_u64().expect("start") as usize, pos["end"].as_u64().expect("end") as usize);
            assert_eq!(slice(start, end).as_deref(), quote["exact"].as_str(), "{a}");
            let prefix = quote["prefix"].as_str().unwrap_or("");
            let suffix = quote["suffix"].as_str().unwrap_or("");
            assert_eq!(slice(start - prefix.chars().count(), start).as_deref(), Some(prefix));
            assert_eq!(slice(end, end + suffix.chars().count()).as_deref(), Some(suffix));
            assert!(prefix.chars().count() <= QUOTE_CONTEXT && suffix.chars().count() <= QUOTE_CONTEXT);
            assert!(prefix.chars().count() == QUOTE_CONTEXT.min(start), "as much context as there is");
            let tags = bodies(a, "tagging");
            assert_eq!(tags.len(), 1, "one layer: {a}");
            assert_eq!(bodies(a, "classifying").len(), 1, "one class: {a}");
            got.insert((tags[0].to_string(), start, end));
        }
        got
    }

    #[test]
    fn positions_and_quotes_agree_and_cover_every_span() {
        for entry in [fixtures::annotated(fixtures::HOSTILE), fixtures::crossing()] {
            let v = export(&entry, None);
            assert_eq!(round_trip(&entry, &v), spans(&entry));
        }
    }

    #[test]
    fn hostile_text_stays_text_and_offsets_count_characters() {
        let entry = fixtures::annotated(fixtures::HOSTILE);
        let v = export(&entry, None);
        assert_eq!(v["label"], fixtures::TITLE);
        let hedge = items(&v)
            .iter()
            .find(|a| bodies(a, "tagging") == ["hedge"] && selector(a, "TextQuoteSelector")["exact"] == "would likely")
            .expect("the hedge");
        let before = &fixtures::HOSTILE[..fixtures::HOSTILE.find("would likely").expect("in the text")];
        assert_eq!(selector(hedge, "TextPositionSelector")["start"].as_u64(), Some(before.chars().count() as u64));
        assert!(before.len() > before.chars().count() + 4, "emoji and 𝔊 lie before it");
        assert_eq!(bodies(hedge, "classifying"), ["epistemic"]);
        assert!(hedge["creator"]["name"].as_str().is_some_and(|r| r.starts_with("lexicon/")), "{hedge}");
        let script = items(&v).iter().any(|a| {
            selector(a, "TextQuoteSelector")["exact"]
                .as_str()
                .is_some_and(|t| t.contains("<script>alert(1)</script>"))
        });
        assert!(script, "markup is kept as the text it is");
    }

    #[test]
    fn the_parts_of_an_attribution_link_one_another() {
        let entry = fixtures::crossing();
        let v = export(&entry, Some("http://192.168.1.20:3000/"));
        let parts: Vec<&Value> = items(&v).iter().filter(|a| a["motivation"] == "tagging").collect();
        let ids: Vec<&str> = parts.iter().filter_map(|a| a["id"].as_str()).collect();
        assert_eq!(
            ids,
            ["source", "cue", "content"].map(|r| format!("urn:lectern:document:hostile-1#attribution-1-{r}"))
        );
        for (a, id) in parts.iter().zip(&ids) {
            let mut linked = bodies(a, "linking");
            linked.push(id);
            linked.sort_unstable();
            let mut all = ids.clone();
            all.sort_unstable();
            assert_eq!(linked, all, "each part links to the two others");
            assert_eq!(bodies(a, "identifying"), ["the *city*\tengineer <b>"]);
            assert_eq!(bodies(a, "classifying"), ["unnamed"]);
            assert_eq!(a["creator"]["id"], "urn:lectern:rule:rule%2Fquote-said");
            assert_eq!(a["target"]["source"], "http://192.168.1.20:3000/d/hostile-1");
        }
        let content = selector(parts[2], "TextQuoteSelector");
        assert_eq!(content["exact"], "The 𝔊 bridge, \"old\" and\nunsafe, will close,");
        assert_eq!(selector(parts[2], "TextPositionSelector")["start"], 3);
        let claims: Vec<&str> = items(&v)
            .iter()
            .filter(|a| bodies(a, "tagging") == ["claim"])
            .filter_map(|a| a["id"].as_str())
            .collect();
        let sids = sentence_ids(&entry.document.text, &entry.annotated);
        assert_eq!(claims.len(), 2, "the sentence that does not fit is left out");
        assert_eq!(claims[0], format!("urn:lectern:document:hostile-1#{}", sids[0].as_deref().expect("fits")));
        let hedges = items(&v).iter().filter(|a| bodies(a, "tagging") == ["hedge"]).count();
        assert_eq!(hedges, 1, "hedges inside a character or out of bounds are left out");
    }
}
