//! Documents the export tests share, written for these tests: text that tries to break every format (quotes,
//! commas, newlines, emoji beyond the Basic Multilingual Plane, markup, Markdown metacharacters), annotated by the
//! real annotator, and a hand-made annotation whose spans cross line breaks.

use annotate::{Annotated, Attribution, Claim, Hedge, HedgeCategory, Rule, Sentence, SourceKind, Span};

use crate::entry::Entry;
use crate::ingest::{Document, Format};

/// Sentences of our own that a careless writer would mangle.
pub const HOSTILE: &str = "\"We will *not* close the plant, ever,\" Mayor Ann O'Neil said on Tuesday, in a \
statement.\n\
Officials said the 🚂 train from 𝔊ørlitz would likely arrive by Friday, <script>alert(1)</script>.\n\
The council, which met behind [closed](http://example.com) doors, may raise taxes by about 5%.\n\
According to the #1 newspaper, the mayor said the \\ deal was \"fair, mostly\".\n\
Is this the end?";

/// A title with Markdown and HTML in it.
pub const TITLE: &str = "# *Breaking*: <b>“Kim”</b> & [link](javascript:alert(1)) | _under_ \\ score";

/// A document of `text` under [`TITLE`].
pub fn document(text: &str) -> Document {
    Document {
        id: "hostile-1".into(),
        name: "hostile.txt".into(),
        title: TITLE.into(),
        text: text.into(),
        format: Format::Plain,
        meta: crate::ingest::Meta::default(),
    }
}

/// `text` as the annotator reads it.
pub fn annotated(text: &str) -> Entry {
    Entry::annotate(document(text))
}

/// The byte span of the first `needle` in `text` at or after byte `from`.
pub fn find(text: &str, needle: &str, from: usize) -> Span {
    let start = text[from..]
        .find(needle)
        .map(|i| i + from)
        .expect("the fixture contains the needle");
    Span::new(start, start + needle.len())
}

fn rule(name: &str) -> Rule {
    Rule::named(name, "a rule of the test")
}

/// A hand-made annotation the annotator would not make: a quotation whose content, source and hedge run over line
/// breaks, beside emoji and `𝔊` (four bytes in UTF-8, two units in UTF-16, one character), a speaker named with
/// Markdown and a tab, and spans that do not fit the text at all (which every writer must drop).
pub fn crossing() -> Entry {
    let text = "🙂 “The 𝔊 bridge, \"old\" and\nunsafe, will close,” said\nthe *city* engineer.\nIt might\nreopen.";
    let second = find(text, "It might", 0).start;
    let sentences = vec![
        Sentence {
            claim: Claim::Attributed,
            checkworthy: 0.8125,
            hedges: Vec::new(),
            attributions: vec![Attribution {
                cue: Some(find(text, "said", 0)),
                source: Some(find(text, "the *city* engineer", 0)),
                speaker: Some("the *city*\tengineer <b>".into()),
                kind: SourceKind::Unnamed,
                direct_quote: true,
                content: Some(Span::new(find(text, "The 𝔊", 0).start, find(text, "close,", 0).end)),
                rule: rule("quote-said"),
            }],
            ..Sentence::new(Span::new(find(text, "“The", 0).start, find(text, "engineer.", 0).end), 0)
        },
        Sentence {
            claim: Claim::Unattributed,
            checkworthy: 0.25,
            hedges: vec![
                Hedge {
                    span: find(text, "might\nreopen", second),
                    category: HedgeCategory::Epistemic,
                    rule: rule("h"),
                },
                Hedge { span: Span::new(1, 3), category: HedgeCategory::Doxastic, rule: rule("inside-the-emoji") },
                Hedge { span: Span::new(900, 990), category: HedgeCategory::Doxastic, rule: rule("out-of-bounds") },
            ],
            ..Sentence::new(Span::new(second, text.len()), 2)
        },
        Sentence::new(Span::new(text.len(), text.len() + 40), 3),
    ];
    let annotated = Annotated {
        sources: vec![annotate::Source {
            speaker: "the *city*\tengineer <b>".into(),
            kind: SourceKind::Unnamed,
            sentences: vec![0],
        }],
        paragraphs: vec![Span::new(0, text.len())],
        sentences,
    };
    Entry::from_parts(document(text), annotated)
}
