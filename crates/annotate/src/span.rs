//! [`Span`]: the one way Lectern points into a text.
//!
//! Inside the annotator every offset is a **byte** offset into the UTF-8 text, half-open (`start..end`), always on
//! a `char` boundary. Outside (JSON, the browser, the gold files) offsets are **character** offsets: counts of
//! Unicode scalar values, which is what Python string indices, the W3C Web Annotation `TextPositionSelector` and the
//! corpora use. [`CharIndex`] is the single conversion between the two; nothing else converts.

use std::ops::Range;

/// A half-open byte range `start..end` into a text, on `char` boundaries.
///
/// Produced only by the annotator, so both ends are valid boundaries of the text it was produced from.
/// `&text[span.start..span.end]` is the covered text; use [`Span::text`], which never panics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte covered.
    pub start: usize,
    /// One past the last byte covered.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given in the wrong order).
    pub fn new(start: usize, end: usize) -> Span {
        if start <= end { Span { start, end } } else { Span { start: end, end: start } }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The covered text, or `""` if the span does not fit `text` (never panics).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The bytes both spans cover, or `None` when they share none.
    pub fn intersection(&self, other: &Span) -> Option<Span> {
        self.overlaps(other)
            .then(|| Span::new(self.start.max(other.start), self.end.min(other.end)))
    }

    /// True when `other` lies wholly inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The span moved right by `offset` bytes.
    pub fn shift(&self, offset: usize) -> Span {
        Span { start: self.start + offset, end: self.end + offset }
    }

    /// The span as a `Range<usize>`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// Converts byte offsets of one text into character (Unicode scalar value) offsets, and back.
///
/// Built once per text in O(n); each lookup is a binary search over the text's non-ASCII characters, so pure-ASCII
/// text costs nothing.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Every non-ASCII char, in order.
    multibyte: Vec<Multibyte>,
    len_bytes: usize,
    len_chars: usize,
}

#[derive(Debug, Clone, Copy)]
struct Multibyte {
    /// Byte offset where the char starts.
    byte: usize,
    /// Character offset of the char.
    ch: usize,
    /// Bytes beyond one, summed over this char and every multi-byte char before it.
    extra_through: usize,
}

impl CharIndex {
    /// Index `text`.
    pub fn new(text: &str) -> CharIndex {
        let mut multibyte = Vec::new();
        let mut extra = 0;
        for (ch, (byte, c)) in text.char_indices().enumerate() {
            let n = c.len_utf8();
            if n > 1 {
                extra += n - 1;
                multibyte.push(Multibyte { byte, ch, extra_through: extra });
            }
        }
        CharIndex { multibyte, len_bytes: text.len(), len_chars: text.len() - extra }
    }

    /// Length of the text in characters.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Character offset of byte offset `byte` (clamped to the text's length). A byte offset inside a multi-byte
    /// character maps to the offset just after that character.
    pub fn char_of(&self, byte: usize) -> usize {
        let byte = byte.min(self.len_bytes);
        let k = self.multibyte.partition_point(|m| m.byte < byte);
        let Some(last) = k.checked_sub(1).map(|i| self.multibyte[i]) else {
            return byte;
        };
        let end_of_last = byte_after(last, self.extra_before(k - 1));
        if byte < end_of_last { last.ch + 1 } else { byte - last.extra_through }
    }

    /// Byte offset of character offset `ch` (clamped to the text's length).
    pub fn byte_of(&self, ch: usize) -> usize {
        let ch = ch.min(self.len_chars);
        let k = self.multibyte.partition_point(|m| m.ch < ch);
        ch + self.extra_before(k)
    }

    /// Extra bytes of the first `k` multi-byte chars.
    fn extra_before(&self, k: usize) -> usize {
        k.checked_sub(1).map_or(0, |i| self.multibyte[i].extra_through)
    }

    /// A byte span as a character range.
    pub fn chars_of(&self, span: Span) -> Range<usize> {
        self.char_of(span.start)..self.char_of(span.end)
    }
}

/// Byte offset just past multi-byte char `m`, given the extra bytes of the chars before it.
fn byte_after(m: Multibyte, extra_before: usize) -> usize {
    m.byte + 1 + (m.extra_through - extra_before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(text: &str) {
        let idx = CharIndex::new(text);
        assert_eq!(idx.len_chars(), text.chars().count());
        let mut ch = 0;
        for (b, _) in text.char_indices() {
            assert_eq!(idx.char_of(b), ch, "char_of({b}) in {text:?}");
            assert_eq!(idx.byte_of(ch), b, "byte_of({ch}) in {text:?}");
            ch += 1;
        }
        assert_eq!(idx.char_of(text.len()), ch);
        assert_eq!(idx.byte_of(ch), text.len());
    }

    #[test]
    fn ascii_offsets_coincide() {
        check_all("Watson said in a statement.");
    }

    #[test]
    fn curly_quotes_and_emoji() {
        check_all("“We urge the DPRK,” Watson said — 🙂 Kremlin’s war");
        check_all("’");
        check_all("");
        check_all("é𝄞a“b”");
    }

    #[test]
    fn inside_a_multibyte_char_rounds_forward() {
        let idx = CharIndex::new("a’b");
        assert_eq!(idx.char_of(2), 2);
        assert_eq!(idx.char_of(3), 2);
        assert_eq!(idx.char_of(4), 2);
    }

    #[test]
    fn span_text_never_panics() {
        let text = "a’b";
        assert_eq!(Span::new(0, 1).text(text), "a");
        assert_eq!(Span::new(1, 2).text(text), "");
        assert_eq!(Span::new(5, 9).text(text), "");
        assert_eq!(Span::new(4, 1), Span::new(1, 4));
        assert_eq!(Span::new(0, 5).intersection(&Span::new(3, 9)), Some(Span::new(3, 5)));
        assert_eq!(Span::new(0, 3).intersection(&Span::new(3, 9)), None);
    }
}
