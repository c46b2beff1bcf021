//! Lexicons: phrase lists kept as data (`lexicons/*.tsv`), compiled into the crate and matched word by word.
//!
//! Each line of a lexicon file is `phrase <TAB> category <TAB> example sentence`; `#` starts a comment line. The
//! example is a sentence of our own in which the phrase is meant to fire (or, for a negative entry, meant *not*
//! to fire); a test runs every example. The phrase field may list the forms of one word or phrase separated by
//! `/` ("blame/blames/blamed/blaming"): each form is an entry of its own, and they share the category and the
//! example, which uses at least one of them. Matching is case-insensitive (ASCII), treats `’` as `'`, ignores
//! differences in whitespace, and only matches whole tokens: "may" never matches inside "mayor".

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::token::Token;

/// One lexicon line.
#[derive(Debug, Clone)]
pub(crate) struct Entry<C> {
    /// The phrase (one form of the line's phrase field).
    pub phrase: &'static str,
    /// Every form listed on the entry's line, this one included ("blame/blames/blamed/blaming").
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the lexicon example tests"))]
    pub forms: &'static str,
    /// Its category.
    pub category: C,
    /// A sentence of our own showing the entry at work.
    pub example: &'static str,
}

/// A parsed, validated lexicon with its matcher.
#[derive(Debug)]
pub(crate) struct Lexicon<C> {
    /// File name, for rule ids (`lexicon/<file>:<phrase>`).
    pub file: &'static str,
    pub entries: Vec<Entry<C>>,
    matcher: Option<AhoCorasick>,
    /// Lines that did not parse, with the reason (a test requires this to be empty).
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the lexicon tests"))]
    pub problems: Vec<String>,
}

/// A sentence's tokens joined as one normalised string, for matching.
#[derive(Debug)]
pub(crate) struct Normalized {
    text: String,
    /// Offset in `text` where each token starts.
    starts: Vec<usize>,
    /// Offset in `text` where each token ends.
    ends: Vec<usize>,
}

/// Lowercase ASCII, curly apostrophes straightened.
fn normalize_word(w: &str, out: &mut String) {
    if w.is_ascii() {
        let at = out.len();
        out.push_str(w);
        out[at..].make_ascii_lowercase();
        return;
    }
    for c in w.chars() {
        match c {
            '’' | '‘' => out.push('\''),
            c => out.push(c.to_ascii_lowercase()),
        }
    }
}

/// The phrase as tokens joined by single spaces, normalised.
fn normalize_phrase(phrase: &str) -> String {
    let toks = crate::token::tokens(phrase, crate::span::Span::new(0, phrase.len()));
    Normalized::new(&toks).text
}

impl Normalized {
    pub fn new(tokens: &[Token<'_>]) -> Normalized {
        let mut text = String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(tokens.len());
        let mut ends = Vec::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            starts.push(text.len());
            normalize_word(t.text, &mut text);
            ends.push(text.len());
        }
        Normalized { text, starts, ends }
    }
}

impl<C: Copy> Lexicon<C> {
    /// Parse `source` (the contents of `file`), reading categories with `category`.
    pub fn parse(file: &'static str, source: &'static str, category: fn(&str) -> Option<C>) -> Lexicon<C> {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (n, line) in source.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&'static str> = line.split('\t').collect();
            let [phrase, cat, example] = fields[..] else {
                problems.push(format!("{file}:{}: expected 3 tab-separated fields", n + 1));
                continue;
            };
            let Some(category) = category(cat.trim()) else {
                problems.push(format!("{file}:{}: unknown category {cat:?}", n + 1));
                continue;
            };
            if phrase.trim().is_empty() || example.trim().is_empty() {
                problems.push(format!("{file}:{}: empty phrase or example", n + 1));
                continue;
            }
            let forms = phrase.trim();
            if forms.split('/').any(|f| f.trim().is_empty()) {
                problems.push(format!("{file}:{}: empty form in {forms:?}", n + 1));
                continue;
            }
            for form in forms.split('/') {
                entries.push(Entry { phrase: form.trim(), forms, category, example: example.trim() });
            }
        }
        let patterns: Vec<String> = entries.iter().map(|e| normalize_phrase(e.phrase)).collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .map_err(|e| problems.push(format!("{file}: matcher: {e}")))
            .ok();
        Lexicon { file, entries, matcher, problems }
    }

    /// The longest entry that matches whole tokens starting at token `at`: the index one past its last token,
    /// and the entry.
    pub fn match_at(&self, norm: &Normalized, at: usize) -> Option<(usize, &Entry<C>)> {
        let start = *norm.starts.get(at)?;
        self.longest(norm.text.as_bytes(), start, &norm.ends)
    }

    /// The longest entry matching `hay` from byte `start` up to one of the token ends `ends` (ascending): the
    /// index of that end plus one, and the entry.
    fn longest(&self, hay: &[u8], start: usize, ends: &[usize]) -> Option<(usize, &Entry<C>)> {
        let matcher = self.matcher.as_ref()?;
        let mut end = hay.len();
        // The longest match may end inside a token; then try shorter ones.
        while end > start {
            let input = Input::new(hay).span(start..end).anchored(Anchored::Yes);
            let m = matcher.find(input)?;
            if let Ok(last) = ends.binary_search(&m.end()) {
                return Some((last + 1, &self.entries[m.pattern().as_usize()]));
            }
            end = m.end() - 1;
        }
        None
    }

    /// Every non-overlapping match in `tokens`, scanning left to right: (first token, one past last, entry).
    pub fn find_all(&self, tokens: &[Token<'_>]) -> Vec<(usize, usize, &Entry<C>)> {
        let norm = Normalized::new(tokens);
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.match_at(&norm, i) {
                Some((end, e)) => {
                    out.push((i, end, e));
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The category of the entry that is exactly this one token, if any ("said" -> speech).
    pub fn category_of(&self, token: &Token<'_>) -> Option<C> {
        let t = token.text.as_bytes();
        // A short ASCII word is normalised on the stack: this is asked of many tokens.
        let mut buf = [0u8; 32];
        if let Some(word) = buf.get_mut(..t.len())
            && t.is_ascii()
        {
            word.copy_from_slice(t);
            word.make_ascii_lowercase();
            return self.longest(word, 0, &[word.len()]).map(|(_, e)| e.category);
        }
        let norm = Normalized::new(std::slice::from_ref(token));
        self.match_at(&norm, 0).map(|(_, e)| e.category)
    }

    /// Rule id of an entry.
    pub fn rule_id(&self, entry: &Entry<C>) -> String {
        format!("lexicon/{}:{}", self.file, entry.phrase)
    }
}

/// A lexicon compiled into the crate and parsed on first use.
macro_rules! lexicon {
    ($fn_name:ident, $file:literal, $cat:ty, $parse:expr) => {
        pub(crate) fn $fn_name() -> &'static $crate::lexicon::Lexicon<$cat> {
            static LEX: std::sync::OnceLock<$crate::lexicon::Lexicon<$cat>> = std::sync::OnceLock::new();
            LEX.get_or_init(|| {
                $crate::lexicon::Lexicon::parse($file, include_str!(concat!("../lexicons/", $file)), $parse)
            })
        }
    };
}
pub(crate) use lexicon;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use crate::token::tokens;

    fn cat(s: &str) -> Option<u8> {
        s.parse().ok()
    }

    fn lex(src: &'static str) -> Lexicon<u8> {
        Lexicon::parse("test.tsv", src, cat)
    }

    fn found(l: &Lexicon<u8>, text: &str) -> Vec<String> {
        let t = tokens(text, Span::new(0, text.len()));
        l.find_all(&t)
            .iter()
            .map(|&(a, b, _)| text[t[a].span.start..t[b - 1].span.end].to_string())
            .collect()
    }

    #[test]
    fn whole_tokens_only_longest_first() {
        let l = lex("may\t1\tex\nas soon as\t2\tex\nas\t3\tex\n");
        assert!(l.problems.is_empty());
        assert_eq!(found(&l, "The mayor may come as soon as  Monday."), vec!["may", "as soon as"]);
        assert_eq!(found(&l, "As fast as"), vec!["As", "as"]);
    }

    #[test]
    fn curly_apostrophes_and_case() {
        let l = lex("won't\t1\tex\n");
        assert_eq!(found(&l, "It WON’T happen"), vec!["WON’T"]);
    }

    #[test]
    fn forms_share_category_and_example() {
        let l = lex("blame/blamed/blames\t4\tThe coach blamed the referee.\n");
        assert!(l.problems.is_empty());
        assert_eq!(l.entries.len(), 3);
        assert!(
            l.entries
                .iter()
                .all(|e| e.category == 4 && e.example == "The coach blamed the referee.")
        );
        assert_eq!(found(&l, "She blames him; he blamed her; they blame us."), vec!["blames", "blamed", "blame"]);
    }

    #[test]
    fn bad_lines_are_reported() {
        let l = lex("# comment\n\nonly two\t1\nx\tnine-hundred\tex\nx//y\t1\tex\n");
        assert_eq!(l.problems.len(), 3);
        assert!(l.entries.is_empty());
    }
}
