//! Generated hostile input, at every boundary: the annotator on text made of the pieces that break text handling
//! (emoji with joiners, combining marks, right-to-left marks, NUL, every quote style, CR-only and mixed line ends,
//! abbreviations and cue words); the decoders on random bytes, named as every format; the JSON and every export on
//! what the annotator makes of it. Nothing may panic; every span lies on character boundaries inside its sentence;
//! sentences cover the text without losing any of it; the output is the same every time; every character offset on
//! the wire names the text it carries.
//!
//! A few thousand cases run with the suite. `bench/fuzz.sh` runs a hundred thousand of each
//! (`LECTERN_FUZZ_CASES=100000 cargo test --release --test it fuzz`).

use annotate::{Annotated, CharIndex, annotate};
use lectern::entry::Entry;
use lectern::formats::{self, ExportFormat};
use lectern::ingest::{self, Format, Hint};
use proptest::prelude::*;
use serde_json::Value;

/// Cases per property: `LECTERN_FUZZ_CASES`, or 1,500 with the test suite.
fn cases() -> u32 {
    std::env::var("LECTERN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_500)
}

/// Pieces of text that break text handling, and pieces that make the annotator work.
const PIECES: &[&str] = &[
    "The",
    "council",
    "said",
    "would likely",
    "may",
    "according to",
    "officials",
    "Watson",
    "U.S.",
    "Dr.",
    "p.m.",
    "Sept.",
    "4.2",
    "1,000",
    "%",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "\u{2028}",
    "\u{a0}",
    ".",
    ",",
    ";",
    ":",
    "?",
    "!",
    "…",
    "—",
    "-",
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "‚",
    "‹",
    "›",
    "「",
    "」",
    "(",
    ")",
    "\u{0}",
    "\u{1}",
    "\u{7f}",
    "\u{200b}",
    "\u{200f}",
    "\u{202e}",
    "\u{feff}",
    "e\u{301}",
    "a\u{308}\u{301}",
    "🙂",
    "👩‍👩‍👧",
    "👍🏽",
    "🇫🇷",
    "𝔊",
    "שלום",
    "مرحبا",
    "日本語",
    "<script>",
    "&amp;",
    "\\",
    "said.",
    "he said",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|p| p.join(""))
}

/// The annotation's documented invariants (`annotate::Annotated`).
fn check(text: &str, doc: &Annotated) {
    let mut prev_end = 0;
    for (i, s) in doc.sentences.iter().enumerate() {
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end), "sentence {i} bounds");
        assert!(s.span.start >= prev_end && s.span.start < s.span.end, "sentence {i} order");
        assert!(text[prev_end..s.span.start].trim().is_empty(), "text lost before sentence {i}");
        assert!(doc.paragraphs.get(s.paragraph).is_some_and(|p| p.contains(&s.span)), "sentence {i} paragraph");
        for h in &s.hedges {
            assert!(
                s.span.contains(&h.span) && text.is_char_boundary(h.span.start) && text.is_char_boundary(h.span.end)
            );
        }
        for a in &s.attributions {
            for part in [a.cue, a.source, a.content].into_iter().flatten() {
                assert!(text.is_char_boundary(part.start) && text.is_char_boundary(part.end), "attribution bounds");
            }
            for part in [a.cue, a.source].into_iter().flatten() {
                assert!(s.span.contains(&part), "cue or source outside its sentence");
            }
        }
        assert!((0.0..=1.0).contains(&s.checkworthy));
        prev_end = s.span.end;
    }
    assert!(text[prev_end..].trim().is_empty(), "text lost after the last sentence");
}

/// Every offset of the wire format names, in characters, the text the span carries.
fn check_wire(text: &str, entry: &Entry) {
    let json: Value = serde_json::to_value(formats::lectern::DocumentJson::new(entry)).expect("JSON");
    let chars: Vec<char> = text.chars().collect();
    let at = |v: &Value| -> String {
        let (s, e) = (v["start"].as_u64().unwrap_or(0) as usize, v["end"].as_u64().unwrap_or(0) as usize);
        chars.get(s..e).map(|c| c.iter().collect()).unwrap_or_default()
    };
    assert_eq!(json["document"]["chars"].as_u64(), Some(CharIndex::new(text).len_chars() as u64));
    for s in json["sentences"].as_array().into_iter().flatten() {
        assert_eq!(at(s), s["text"].as_str().unwrap_or_default());
        for h in s["hedges"].as_array().into_iter().flatten() {
            assert_eq!(at(h), h["text"].as_str().unwrap_or_default());
        }
        for a in s["attributions"].as_array().into_iter().flatten() {
            for part in ["cue", "source", "content"] {
                if !a[part].is_null() {
                    assert_eq!(at(&a[part]), a[part]["text"].as_str().unwrap_or_default());
                }
            }
        }
    }
}

fn entry(text: &str) -> Entry {
    let document = ingest::Document {
        id: "fuzz".into(),
        name: "fuzz.txt".into(),
        title: "Fuzz".into(),
        text: text.to_string(),
        format: Format::Plain,
        meta: ingest::Meta::default(),
    };
    Entry::annotate(document)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_annotator_keeps_its_invariants_and_is_deterministic(text in text()) {
        let first = annotate(&text);
        check(&text, &first);
        prop_assert_eq!(&first, &annotate(&text), "the same text, the same annotation");
        check_wire(&text, &entry(&text));
    }

    #[test]
    fn every_export_writes_what_the_annotator_found_without_a_panic(text in text()) {
        let e = entry(&text);
        for f in ExportFormat::ALL {
            let mut out = Vec::new();
            match f {
                ExportFormat::Html => {
                    let html = lectern::server::pages::standalone_page(&e).expect("the standalone page renders");
                    prop_assert!(!html.contains("<script"));
                }
                ExportFormat::Brat => {
                    formats::brat::zip(&e).expect("the brat archive");
                }
                _ => formats::export(f, &e, Some("http://127.0.0.1:3000"), &mut out).expect("the export"),
            }
        }
    }

    #[test]
    fn the_decoders_never_panic_on_random_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..2_000),
        format in prop::sample::select(vec![None, Some(Format::Plain), Some(Format::Markdown), Some(Format::Html), Some(Format::Pdf), Some(Format::Docx)]),
        content_type in prop::sample::select(vec![None, Some("text/html; charset=shift_jis"), Some("text/plain; charset=utf-16"), Some("application/pdf")]),
    ) {
        let hint = Hint { format, content_type, url: None };
        if let Ok(doc) = ingest::from_bytes_with("fuzz.bin", &bytes, &hint) {
            prop_assert!(!doc.text.trim().is_empty());
            check(&doc.text, &annotate(&doc.text));
        }
    }

    #[test]
    fn the_decoders_never_panic_on_broken_documents(
        cut in 0usize..4_000,
        noise in prop::collection::vec(any::<u8>(), 0..64),
        which in 0usize..4,
    ) {
        // Real documents cut short and given a tail of noise: what a damaged download or disk leaves.
        let file = ["report.pdf", "memo.docx", "story.html", "story-1252.html"][which];
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest").join(file);
        let whole = std::fs::read(path).expect("a fixture");
        let mut bytes = whole[..cut.min(whole.len())].to_vec();
        bytes.extend_from_slice(&noise);
        if let Ok(doc) = ingest::from_bytes(file, &bytes) {
            check(&doc.text, &annotate(&doc.text));
        }
    }
}
