//! Spans as the wire formats need them: checked against the text, in character offsets, with their covered text.
//!
//! Every writer in [`crate::formats`] points into the document text in characters (Unicode scalar values), the unit
//! of JSON consumers, W3C `TextPositionSelector`s and brat. This is the one place the writers turn the annotator's
//! byte spans into those offsets, and only through [`CharIndex`]. A span that does not fit the text (out of bounds,
//! reversed, not on a character boundary) is refused here, so no writer can slice wrongly or panic.

use annotate::{Attribution, CharIndex, Span};

/// A span that fits the text: character offsets and the covered text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Located<'a> {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The covered text.
    pub text: &'a str,
    /// The byte span it came from.
    pub span: Span,
}

/// The spans of one text, converted.
#[derive(Debug, Clone)]
pub(crate) struct Offsets<'a> {
    text: &'a str,
    index: CharIndex,
}

impl<'a> Offsets<'a> {
    /// Index `text`.
    pub fn new(text: &'a str) -> Offsets<'a> {
        Offsets { text, index: CharIndex::new(text) }
    }

    /// `span` in characters with its text, if it fits the text (an empty span fits).
    pub fn locate(&self, span: Span) -> Option<Located<'a>> {
        let text = self.text.get(span.start..span.end)?;
        let chars = self.index.chars_of(span);
        Some(Located { start: chars.start, end: chars.end, text, span })
    }

    /// Like [`Offsets::locate`], but an empty span is refused too: it marks nothing a reader could see.
    pub fn locate_visible(&self, span: Span) -> Option<Located<'a>> {
        self.locate(span).filter(|l| !l.text.is_empty())
    }

    /// Up to `n` characters before and after `at` (a located span), for quoting it in context.
    pub fn context(&self, at: &Located<'a>, n: usize) -> (&'a str, &'a str) {
        let from = self.index.byte_of(at.start.saturating_sub(n));
        let to = self.index.byte_of(at.end.saturating_add(n));
        let before = self.text.get(from..at.span.start).unwrap_or("");
        let after = self.text.get(at.span.end..to).unwrap_or("");
        (before, after)
    }

    /// The pieces of `at` between line breaks, each trimmed of surrounding whitespace and none empty: what a format
    /// that cannot mark across a line break (brat) marks instead.
    pub fn lines(&self, at: &Located<'a>) -> Vec<Located<'a>> {
        let breaks = at.text.char_indices().filter(|&(_, c)| is_line_break(c));
        let mut out = Vec::new();
        let mut from = 0;
        for (i, c) in breaks.chain(std::iter::once((at.text.len(), '\n'))) {
            let piece = at.text.get(from..i).unwrap_or("");
            let start = at.span.start + from + (piece.len() - piece.trim_start().len());
            out.extend(self.locate_visible(Span::new(start, start + piece.trim().len())));
            from = i + c.len_utf8();
        }
        out
    }
}

/// The three parts of an attribution, in the order the exports write them: who, by what words, says what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The speaker as written.
    Source,
    /// The attributing verb or phrase.
    Cue,
    /// What is attributed.
    Content,
}

impl Part {
    /// Every part, in the order written.
    pub const ALL: [Part; 3] = [Part::Source, Part::Cue, Part::Content];

    /// Machine name, as in Lectern's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Source => "source",
            Part::Cue => "cue",
            Part::Content => "content",
        }
    }

    /// Its name for people, and its type in PolNeAR's brat files.
    pub fn title(self) -> &'static str {
        match self {
            Part::Source => "Source",
            Part::Cue => "Cue",
            Part::Content => "Content",
        }
    }

    /// This part of `a`, if it lies in the text.
    pub fn of(self, a: &Attribution) -> Option<Span> {
        match self {
            Part::Source => a.source,
            Part::Cue => a.cue,
            Part::Content => a.content,
        }
    }
}

/// Characters that end a line for Python's `str.splitlines` (which brat and most corpus tools rely on), so a
/// piece of text without them stays on one line of an annotation file wherever it is read.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{1C}'..='\u{1E}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_spans_are_in_characters_and_bad_spans_are_refused() {
        let text = "🙂 Kim’s train";
        let o = Offsets::new(text);
        let kim = text.find("Kim").expect("in the text");
        let got = o.locate(Span::new(kim, kim + "Kim’s".len())).expect("fits");
        assert_eq!((got.start, got.end, got.text), (2, 7, "Kim’s"));
        assert_eq!(o.locate(Span::new(1, 3)), None, "inside the emoji");
        assert_eq!(o.locate(Span::new(0, 999)), None);
        assert!(o.locate(Span::new(5, 5)).is_some());
        assert_eq!(o.locate_visible(Span::new(5, 5)), None);
    }

    #[test]
    fn context_is_counted_in_characters() {
        let text = "ab🙂cd🙂ef";
        let o = Offsets::new(text);
        let at = o.locate(Span::new(6, 8)).expect("fits");
        assert_eq!(at.text, "cd");
        assert_eq!(o.context(&at, 2), ("b🙂", "🙂e"));
        assert_eq!(o.context(&at, 100), ("ab🙂", "🙂ef"));
    }

    #[test]
    fn lines_split_at_every_line_break_and_drop_blank_pieces() {
        let text = "x “one\n two \r\n\nthree”\u{2028}🙂 four";
        let o = Offsets::new(text);
        let at = o.locate(Span::new(2, text.len())).expect("fits");
        let chars: Vec<char> = text.chars().collect();
        let pieces = o.lines(&at);
        let texts: Vec<&str> = pieces.iter().map(|l| l.text).collect();
        assert_eq!(texts, ["“one", "two", "three”", "🙂 four"]);
        for l in &pieces {
            assert_eq!(chars[l.start..l.end].iter().collect::<String>(), l.text);
        }
    }
}
