//! The explanations behind each highlight, rendered once per annotation into the page (hidden) and shown on
//! hover or keyboard focus: what the highlight is, which rule or lexicon entry made it, and for an attribution the
//! whole triple, source → cue → content.

use annotate::{Annotated, Attribution, HedgeCategory, Rule, SourceKind, Span};

use super::{Layer, classes};

/// Longest content quoted in an explanation, in characters; longer content is cut at a word and ends with `…`.
pub const CONTENT_CHARS: usize = 160;

/// The element id of a hedge's explanation.
pub fn hedge_id(sentence: usize, hedge: usize) -> String {
    format!("why-s{sentence}-h{hedge}")
}

/// The element id of an attribution's explanation, shared by its source, cue and content.
pub fn attribution_id(sentence: usize, attribution: usize) -> String {
    format!("why-s{sentence}-a{attribution}")
}

/// Why a hedge is highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HedgeNote<'a> {
    /// Element id.
    pub id: String,
    /// The cue.
    pub text: &'a str,
    /// Its category.
    pub category: HedgeCategory,
    /// CSS classes of a sample of the highlight.
    pub class: String,
    /// The lexicon entry or rule that found it.
    pub rule: &'a Rule,
}

/// Why the parts of an attribution are highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributionNote<'a> {
    /// Element id.
    pub id: String,
    /// The source as written here ("he", "the outlet", "Watson"), if in this sentence.
    pub source: Option<&'a str>,
    /// Who is speaking, resolved.
    pub speaker: Option<&'a str>,
    /// The resolved speaker when it says more than the source as written ("he" = "John Kirby").
    pub resolved: Option<&'a str>,
    /// Named, unnamed or media.
    pub kind: SourceKind,
    /// CSS classes of a sample of the source highlight.
    pub source_class: String,
    /// The cue, if in this sentence (a continued quotation has none).
    pub cue: Option<&'a str>,
    /// The content, shortened to [`CONTENT_CHARS`].
    pub content: Option<String>,
    /// Quoted verbatim.
    pub direct: bool,
    /// The rule that found it.
    pub rule: &'a Rule,
}

/// Every explanation of `annotated`.
pub fn notes<'a>(text: &'a str, annotated: &'a Annotated) -> (Vec<HedgeNote<'a>>, Vec<AttributionNote<'a>>) {
    let mut hedges = Vec::new();
    let mut attributions = Vec::new();
    for (i, s) in annotated.sentences.iter().enumerate() {
        for (j, h) in s.hedges.iter().enumerate() {
            if let Some(cue) = slice(text, Some(h.span)) {
                hedges.push(HedgeNote {
                    id: hedge_id(i, j),
                    text: cue,
                    category: h.category,
                    class: classes(Layer::Hedge, Some(h.category.as_str())),
                    rule: &h.rule,
                });
            }
        }
        for (j, a) in s.attributions.iter().enumerate() {
            attributions.push(attribution(text, attribution_id(i, j), a));
        }
    }
    (hedges, attributions)
}

fn attribution<'a>(text: &'a str, id: String, a: &'a Attribution) -> AttributionNote<'a> {
    AttributionNote {
        id,
        source: slice(text, a.source),
        speaker: a.speaker.as_deref(),
        resolved: a.speaker.as_deref().filter(|&who| Some(who) != slice(text, a.source)),
        kind: a.kind,
        source_class: classes(Layer::Source, Some(a.kind.as_str())),
        cue: slice(text, a.cue),
        content: slice(text, a.content).map(|c| shorten(c, CONTENT_CHARS)),
        direct: a.direct_quote,
        rule: &a.rule,
    }
}

/// The text of `span`, if it fits.
fn slice(text: &str, span: Option<Span>) -> Option<&str> {
    let span = span?;
    (span.start < span.end).then(|| text.get(span.start..span.end)).flatten()
}

/// `text` if it has at most `max` characters, or else its first words within `max - 1` characters and `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut = text.char_indices().nth(max.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
    let head = text.get(..cut).unwrap_or(text);
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => head.get(..space).unwrap_or(head),
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_a_word_and_counts_characters() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("“Kim’s train, it left”", 12), "“Kim’s…");
        assert_eq!(shorten("unbreakableword", 6), "unbre…");
        assert!(shorten(&"é".repeat(500), CONTENT_CHARS).chars().count() <= CONTENT_CHARS);
    }

    #[test]
    fn a_speaker_is_named_beside_the_source_only_when_it_adds_something() {
        let text = "He said it. Officials said it.";
        let mut doc = annotate::annotate(text);
        let rule = Rule { id: "rule/t".into(), why: "t".into() };
        let attribution = |source: Span, speaker: &str| Attribution {
            cue: None,
            source: Some(source),
            speaker: Some(speaker.to_string()),
            kind: SourceKind::Named,
            direct_quote: false,
            content: None,
            rule: rule.clone(),
        };
        doc.sentences.truncate(1);
        doc.sentences[0].attributions =
            vec![attribution(Span::new(0, 2), "John Kirby"), attribution(Span::new(12, 21), "Officials")];
        let (_, notes) = notes(text, &doc);
        let resolved: Vec<Option<&str>> = notes.iter().map(|n| n.resolved).collect();
        assert_eq!(resolved, [Some("John Kirby"), None]);
        assert_eq!(notes[0].source, Some("He"));
    }

    #[test]
    fn ids_name_sentence_and_annotation() {
        assert_eq!(hedge_id(3, 0), "why-s3-h0");
        assert_eq!(attribution_id(12, 2), "why-s12-a2");
    }
}
