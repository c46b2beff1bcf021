//! A document's attributions and hedges as [brat standoff](https://brat.nlplab.org/standoff.html): a `.txt` file
//! (exactly the document text) and an `.ann` file beside it, which brat, INCEpTION and the corpus tools of
//! PolNeAR read, so Lectern's output can be corrected by hand or compared with a gold corpus.
//!
//! Attributions follow PolNeAR's convention to the letter, so `crates/eval`'s reader and PolNeAR's own tools read
//! them as they read the corpus: a text-bound `Source`, `Cue` and `Content`, a trigger `Attribution` over the cue's
//! span, and an event naming all four. For "Watson said the train would leave⏎on Friday." at character 100, after
//! a sentence holding a hedge (`T1`):
//!
//! ```text
//! T2<TAB>Source 100 106<TAB>Watson
//! T3<TAB>Cue 107 111<TAB>said
//! T4<TAB>Content 112 133;134 143<TAB>the train would leave on Friday
//! T5<TAB>Attribution 107 111<TAB>said
//! E1<TAB>Attribution:T5 Source:T2 Cue:T3 Content:T4
//! ```
//!
//! A continued quotation has no cue in its sentence; its trigger lies over the content (or else the source).
//! Lectern adds what PolNeAR does not have, in lines its readers skip: the source kind (`A1<TAB>Kind E1 named`) and
//! a direct quote (`A2<TAB>Direct E1`) as attributes of the event, the resolved speaker and the rule as a note on it
//! (`#1<TAB>AnnotatorNotes E1<TAB>speaker: …; rule: …`), and each hedge as a `Hedge` with a `Category` attribute and
//! its rule as a note. [`annotation_conf`] declares all of it for brat and INCEpTION.
//!
//! Offsets are characters of the text. brat cannot mark across a line break, so a span that holds one becomes a
//! discontinuous span of its lines' pieces (`112 133;134 143`), whose text is the pieces joined by a space, as brat
//! writes it. A span that does not fit the text, or covers nothing, is left out.

use std::fmt::Write as _;

use annotate::{Attribution, Hedge, HedgeCategory, SourceKind, Span};

use super::offsets::{Located, Offsets, Part, is_line_break};
use crate::entry::Entry;

/// The two files brat reads: `name.txt` and `name.ann`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BratFiles<'a> {
    /// The text, exactly the document text: every offset points into it.
    pub txt: &'a str,
    /// The annotations.
    pub ann: String,
}

/// The text and annotations of `entry`.
pub fn files(entry: &Entry) -> BratFiles<'_> {
    BratFiles { txt: &entry.document.text, ann: ann(entry) }
}

/// A zip archive of what brat needs to open `entry`: `{id}.txt`, `{id}.ann` and `annotation.conf`, so that it can
/// be unpacked into a brat or INCEpTION collection as it is.
pub fn zip(entry: &Entry) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let files = files(entry);
    let mut zip = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default().compression_method(::zip::CompressionMethod::Deflated);
    let id = &entry.document.id;
    for (name, contents) in [
        (format!("{id}.txt"), files.txt.as_bytes().to_vec()),
        (format!("{id}.ann"), files.ann.into_bytes()),
        ("annotation.conf".to_string(), annotation_conf().into_bytes()),
    ] {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(&contents)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// A zip archive of several documents as one brat collection: each document's `{id}.txt` and `{id}.ann`,
/// `annotation.conf`, and `documents.jsonl` with each document's JSON on a line (what `lectern export --out`
/// writes into a folder).
pub fn zip_collection(entries: &[std::sync::Arc<Entry>]) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut zip = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default().compression_method(::zip::CompressionMethod::Deflated);
    let mut jsonl = Vec::new();
    for entry in entries {
        let files = files(entry);
        let id = &entry.document.id;
        zip.start_file(format!("{id}.txt"), options).map_err(std::io::Error::other)?;
        zip.write_all(files.txt.as_bytes())?;
        zip.start_file(format!("{id}.ann"), options).map_err(std::io::Error::other)?;
        zip.write_all(files.ann.as_bytes())?;
        super::export(super::ExportFormat::Jsonl, entry, None, &mut jsonl).map_err(std::io::Error::other)?;
    }
    zip.start_file("annotation.conf", options).map_err(std::io::Error::other)?;
    zip.write_all(annotation_conf().as_bytes())?;
    zip.start_file("documents.jsonl", options).map_err(std::io::Error::other)?;
    zip.write_all(&jsonl)?;
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The `.ann` file of `entry`.
pub fn ann(entry: &Entry) -> String {
    let mut w = Ann {
        offsets: Offsets::new(&entry.document.text),
        out: String::new(),
        t: 0,
        e: 0,
        a: 0,
        notes: 0,
        parts: std::collections::HashMap::new(),
    };
    for s in &entry.annotated.sentences {
        for a in &s.attributions {
            w.attribution(a);
        }
        for h in &s.hedges {
            w.hedge(h);
        }
    }
    w.out
}

/// The type of the event and of its trigger.
const ATTRIBUTION: &str = "Attribution";

/// Writes one `.ann` file, numbering each kind of line from 1.
struct Ann<'a> {
    offsets: Offsets<'a>,
    out: String,
    t: usize,
    e: usize,
    a: usize,
    notes: usize,
    /// The `T` id of each attribution part written, by kind and offsets: a source (or cue) shared by two
    /// attributions is one span, as in PolNeAR, named by both events.
    parts: std::collections::HashMap<(&'static str, String), String>,
}

impl<'a> Ann<'a> {
    /// The pieces `span` is marked as, if it fits the text and covers something.
    fn fragments(&self, span: Span) -> Option<Vec<Located<'a>>> {
        let at = self.offsets.locate_visible(span)?;
        Some(self.offsets.lines(&at)).filter(|f| !f.is_empty())
    }

    /// A `T` line; its id.
    fn text_bound(&mut self, kind: &str, fragments: &[Located<'a>]) -> String {
        self.t += 1;
        let offsets: Vec<String> = fragments.iter().map(|f| format!("{} {}", f.start, f.end)).collect();
        let text: Vec<&str> = fragments.iter().map(|f| f.text).collect();
        let _ = writeln!(self.out, "T{}\t{kind} {}\t{}", self.t, offsets.join(";"), text.join(" "));
        format!("T{}", self.t)
    }

    /// An `A` line: a binary attribute, or one with a value.
    fn attribute(&mut self, name: &str, of: &str, value: Option<&str>) {
        self.a += 1;
        let value = value.map(|v| format!(" {v}")).unwrap_or_default();
        let _ = writeln!(self.out, "A{}\t{name} {of}{value}", self.a);
    }

    /// A `#` line: a note for people, on one line whatever it holds.
    fn note(&mut self, of: &str, note: &str) {
        self.notes += 1;
        let note: String = note
            .chars()
            .map(|c| if c == '\t' || is_line_break(c) { ' ' } else { c })
            .collect();
        let _ = writeln!(self.out, "#{}\tAnnotatorNotes {of}\t{note}", self.notes);
    }

    fn attribution(&mut self, a: &Attribution) {
        let parts: Vec<(Part, Vec<Located<'a>>)> = Part::ALL
            .into_iter()
            .filter_map(|p| Some((p, self.fragments(p.of(a)?)?)))
            .collect();
        // The cue triggers the event; a continued quotation, without one, is anchored on what it has.
        let Some(trigger) = [Part::Cue, Part::Content, Part::Source]
            .into_iter()
            .find_map(|t| parts.iter().find(|(p, _)| *p == t).map(|(_, f)| f.clone()))
        else {
            return;
        };
        let roles: Vec<String> = parts
            .iter()
            .map(|(part, fragments)| {
                let key: Vec<String> = fragments.iter().map(|f| format!("{} {}", f.start, f.end)).collect();
                let key = (part.title(), key.join(";"));
                let id = match self.parts.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = self.text_bound(part.title(), fragments);
                        self.parts.insert(key, id.clone());
                        id
                    }
                };
                format!("{}:{id}", part.title())
            })
            .collect();
        let trigger = self.text_bound(ATTRIBUTION, &trigger);
        self.e += 1;
        let event = format!("E{}", self.e);
        let _ = writeln!(self.out, "{event}\t{ATTRIBUTION}:{trigger} {}", roles.join(" "));
        self.attribute("Kind", &event, Some(a.kind.as_str()));
        if a.direct_quote {
            self.attribute("Direct", &event, None);
        }
        let speaker = a.speaker.as_deref().unwrap_or("not resolved");
        self.note(&event, &format!("speaker: {speaker}; rule: {}", a.rule.id));
    }

    fn hedge(&mut self, h: &Hedge) {
        let Some(fragments) = self.fragments(h.span) else { return };
        let id = self.text_bound("Hedge", &fragments);
        self.attribute("Category", &id, Some(h.category.as_str()));
        self.note(&id, &format!("rule: {}", h.rule.id));
    }
}

/// brat's (and INCEpTION's) `annotation.conf` for these files: the entity, event and attribute types and their
/// values, taken from the annotator's own enums so they cannot drift apart.
pub fn annotation_conf() -> String {
    let values = |v: Vec<&str>| v.join("|");
    let kinds = values(SourceKind::ALL.iter().map(|k| k.as_str()).collect());
    let categories = values(HedgeCategory::ALL.iter().map(|c| c.as_str()).collect());
    let parts: Vec<String> = Part::ALL.iter().map(|&p| format!("{0}?:{0}", p.title())).collect();
    let entities: Vec<&str> = Part::ALL.iter().map(|&p| p.title()).chain(["Hedge"]).collect();
    format!(
        "# Lectern's brat export: attributions as PolNeAR annotates them, and hedges.\n\
         [entities]\n{entities}\n\n\
         [relations]\n\
         # A hedge may lie inside a content, and a trigger lies over its cue.\n\
         <OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n\
         [events]\n{ATTRIBUTION} {parts}\n\n\
         [attributes]\n\
         Kind Arg:{ATTRIBUTION}, Value:{kinds}\n\
         Direct Arg:{ATTRIBUTION}\n\
         Category Arg:Hedge, Value:{categories}\n",
        entities = entities.join("\n"),
        parts = parts.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::formats::fixtures;

    /// A `T` line read back.
    #[derive(Debug)]
    struct TextBound {
        kind: String,
        /// In characters.
        fragments: Vec<(usize, usize)>,
        text: String,
    }

    /// An `E` line read back.
    #[derive(Debug)]
    struct Event {
        id: String,
        trigger: String,
        /// (role, text-bound id), in the order written.
        roles: Vec<(String, String)>,
    }

    /// An `.ann` file read back by a reader written for this test.
    #[derive(Debug, Default)]
    struct Parsed {
        /// By id.
        text_bounds: HashMap<String, TextBound>,
        /// In file order.
        events: Vec<Event>,
        /// (name, annotation id, value).
        attributes: Vec<(String, String, Option<String>)>,
        /// annotation id -> note.
        notes: HashMap<String, String>,
    }

    fn parse(ann: &str) -> Parsed {
        let mut p = Parsed::default();
        for line in ann.split('\n').filter(|l| !l.is_empty()) {
            let cols: Vec<&str> = line.splitn(3, '\t').collect();
            let fields: Vec<&str> = cols[1].split(' ').collect();
            match &cols[0][..1] {
                "T" => {
                    let (kind, spans) = cols[1].split_once(' ').expect("a type and offsets");
                    let fragments = spans
                        .split(';')
                        .map(|f| {
                            let (a, b) = f.split_once(' ').expect("start and end");
                            (a.parse().expect("a number"), b.parse().expect("a number"))
                        })
                        .collect();
                    p.text_bounds
                        .insert(cols[0].into(), TextBound { kind: kind.into(), fragments, text: cols[2].into() });
                }
                "E" => {
                    let mut args = fields.iter().map(|a| a.split_once(':').expect("role:id"));
                    let (kind, trigger) = args.next().expect("a trigger");
                    assert_eq!(kind, ATTRIBUTION);
                    let roles = args.map(|(r, id)| (r.to_string(), id.to_string())).collect();
                    p.events.push(Event { id: cols[0].into(), trigger: trigger.into(), roles });
                }
                "A" => p
                    .attributes
                    .push((fields[0].into(), fields[1].into(), fields.get(2).map(|v| v.to_string()))),
                "#" => {
                    assert_eq!(fields[0], "AnnotatorNotes");
                    p.notes.insert(fields[1].into(), cols[2].into());
                }
                other => panic!("unexpected line kind {other:?}: {line:?}"),
            }
        }
        p
    }

    /// Every check that holds for any document; the file read back.
    fn round_trip(entry: &Entry) -> Parsed {
        let files = files(entry);
        assert_eq!(files.txt, entry.document.text);
        let p = parse(&files.ann);
        let chars: Vec<char> = files.txt.chars().collect();
        for (id, TextBound { kind, fragments, text }) in &p.text_bounds {
            let pieces: Vec<String> = fragments.iter().map(|&(a, b)| chars[a..b].iter().collect()).collect();
            assert_eq!(&pieces.join(" "), text, "{id} {kind}");
            assert!(pieces.iter().all(|t| !t.is_empty() && !t.contains(is_line_break)), "{id}: {pieces:?}");
        }
        // The attributions, each with its parts in characters, in the order written.
        let text = files.txt;
        let char_of = |b: usize| text[..b].chars().count();
        let hull = |f: &[(usize, usize)]| (f[0].0, f[f.len() - 1].1);
        let attributions: Vec<&Attribution> = entry.annotated.sentences.iter().flat_map(|s| &s.attributions).collect();
        let mut events = p.events.iter();
        for a in attributions {
            let fit: Vec<(Part, Span)> = Part::ALL
                .into_iter()
                .filter_map(|p| Some((p, p.of(a)?)))
                .filter(|(_, s)| text.get(s.start..s.end).is_some_and(|t| !t.trim().is_empty()))
                .collect();
            if fit.is_empty() {
                continue;
            }
            let Event { id: event, trigger, roles } = events.next().expect("an event per attribution that fits");
            assert_eq!(p.text_bounds[trigger].kind, ATTRIBUTION);
            assert_eq!(roles.len(), fit.len(), "{event}");
            for ((part, span), (role, id)) in fit.iter().zip(roles) {
                let t = &p.text_bounds[id];
                assert_eq!((role.as_str(), t.kind.as_str()), (part.title(), part.title()));
                assert_eq!(hull(&t.fragments), (char_of(span.start), char_of(span.end)), "{event} {role}");
            }
            let kind = p.attributes.iter().find(|(n, of, _)| n == "Kind" && of == event);
            assert_eq!(kind.and_then(|k| k.2.as_deref()), Some(a.kind.as_str()));
            assert_eq!(p.attributes.iter().any(|(n, of, _)| n == "Direct" && of == event), a.direct_quote);
        }
        assert!(events.next().is_none(), "no event without an attribution");
        // The corpus reader of `lectern eval` reads the file as it reads PolNeAR.
        let standoff = eval::corpus::brat::parse(&files.ann).expect("the evaluation's reader takes it");
        assert_eq!(standoff.text_bounds.len(), p.text_bounds.len());
        assert_eq!(standoff.events.len(), p.events.len());
        p
    }

    #[test]
    fn text_bounds_and_events_read_back_from_annotated_text() {
        let entry = fixtures::annotated(fixtures::HOSTILE);
        let p = round_trip(&entry);
        assert!(!p.events.is_empty() && p.text_bounds.values().any(|t| t.kind == "Hedge"), "{:?}", ann(&entry));
        let likely = p
            .text_bounds
            .iter()
            .find(|(_, t)| t.kind == "Hedge" && t.text == "would likely")
            .expect("the hedge");
        let category = p.attributes.iter().find(|(n, of, _)| n == "Category" && of == likely.0);
        assert_eq!(category.and_then(|c| c.2.as_deref()), Some("epistemic"));
        assert!(p.notes[likely.0].starts_with("rule: lexicon/"));
        let offset = fixtures::HOSTILE[..fixtures::HOSTILE.find("would likely").expect("there")]
            .chars()
            .count();
        assert_eq!(
            likely.1.fragments,
            [(offset, offset + "would likely".len())],
            "offsets count characters, not bytes"
        );
    }

    #[test]
    fn spans_over_line_breaks_become_fragments_and_bad_spans_are_dropped() {
        let entry = fixtures::crossing();
        let p = round_trip(&entry);
        let content = p.text_bounds.values().find(|t| t.kind == "Content").expect("the content");
        assert_eq!(content.text, "The 𝔊 bridge, \"old\" and unsafe, will close,");
        assert_eq!(content.fragments, [(3, 26), (27, 46)]);
        let hedges: Vec<&str> = p
            .text_bounds
            .values()
            .filter(|t| t.kind == "Hedge")
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(hedges, ["might reopen"], "hedges that do not fit are left out");
        assert_eq!(
            p.notes[&p.events[0].id], "speaker: the *city* engineer <b>; rule: rule/quote-said",
            "one line, no tab"
        );
    }

    #[test]
    fn a_continued_quotation_is_triggered_by_its_content() {
        let mut entry = fixtures::crossing();
        let a = &mut entry.annotated.sentences[0].attributions[0];
        (a.cue, a.source) = (None, None);
        let p = round_trip(&entry);
        let Event { trigger, roles, .. } = &p.events[0];
        assert_eq!(roles.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(), ["Content"]);
        assert_eq!(p.text_bounds[trigger].fragments, p.text_bounds[&roles[0].1].fragments);
        entry.annotated.sentences[0].attributions[0].content = None;
        assert!(round_trip(&entry).events.is_empty(), "nothing to anchor it on");
    }

    #[test]
    fn the_configuration_declares_every_type_and_value_written() {
        let conf = annotation_conf();
        let section = |name: &str| -> Vec<String> {
            let start = conf.find(&format!("[{name}]\n")).expect("the section") + name.len() + 3;
            let body = &conf[start..];
            let body = &body[..body.find("\n[").unwrap_or(body.len())];
            body.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(section("entities"), ["Source", "Cue", "Content", "Hedge"]);
        assert_eq!(section("events"), ["Attribution Source?:Source, Cue?:Cue, Content?:Content"]);
        let attributes = section("attributes");
        assert!(attributes.contains(&"Kind Arg:Attribution, Value:named|unnamed|media".to_string()));
        assert!(attributes.iter().any(|a| a.starts_with("Category Arg:Hedge, Value:epistemic|")));
        let p = parse(&ann(&fixtures::annotated(fixtures::HOSTILE)));
        for (name, _, value) in &p.attributes {
            let declared = attributes
                .iter()
                .find(|a| a.starts_with(&format!("{name} ")))
                .expect("declared");
            assert!(value.as_ref().is_none_or(|v| declared.split(['|', ':']).any(|x| x == v)), "{name} {value:?}");
        }
    }
}
