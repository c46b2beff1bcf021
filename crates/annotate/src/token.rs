//! Words and punctuation of a sentence, with their spans: the unit the rules reason over.

use crate::span::Span;

/// A word or a punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// Where it is in the whole text.
    pub span: Span,
    /// Its text.
    pub text: &'a str,
    /// True for a word (letters, digits and word-internal `-`, `'`, `’`, `.` as in "U.S."), false for punctuation.
    pub word: bool,
}

impl Token<'_> {
    /// True when the word starts with an uppercase letter.
    pub fn capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// ASCII-lowercased text.
    pub fn lower(&self) -> String {
        self.text.to_ascii_lowercase()
    }

    /// True when the token is this word, ignoring ASCII case.
    pub fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }

    /// True when the token is one of these words, ignoring ASCII case.
    pub fn is_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(w))
    }
}

/// Abbreviations whose dot belongs to the word: titles, months, company suffixes, US states as news writes them.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Capt", "Maj", "Sgt", "Adm", "Cmdr", "Prof",
    "Rev", "Sr", "Jr", "St", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Inc", "Corp", "Co", "Ltd", "No", "Ky", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill",
    "Ind", "Kan", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn",
    "Tex", "Va", "Vt", "Wash", "Wis", "Wyo", "vs", "etc", "approx",
];

/// The months, lowercase: words of time for the hedge, attribution and notice rules.
pub(crate) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The days of the week, lowercase: words of time for the hedge and attribution rules.
pub(crate) const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// True for characters that may join two word characters inside one word.
fn joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '.' | '&')
}

/// The character at byte `at` of `s` and its length in bytes, if `at` is inside `s`.
fn char_at(s: &str, at: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(at)?;
    if b.is_ascii() {
        return Some((char::from(b), 1));
    }
    let c = s.get(at..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// [`char::is_alphanumeric`], quick for ASCII.
fn alphanumeric(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() }
}

/// Tokens of `text[span]`, in order. Whitespace is dropped; every other character belongs to exactly one token.
pub(crate) fn tokens(text: &str, span: Span) -> Vec<Token<'_>> {
    let body = span.text(text);
    let mut out = Vec::with_capacity(body.len() / 4 + 1);
    let mut i = 0;
    while let Some((c, len)) = char_at(body, i) {
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if alphanumeric(c) {
            let mut j = i + len;
            while let Some((c, len)) = char_at(body, j) {
                let next_is_word = || char_at(body, j + len).is_some_and(|(n, _)| alphanumeric(n));
                if alphanumeric(c) || (joiner(c) && next_is_word()) {
                    j += len;
                } else {
                    break;
                }
            }
            // "U.S.", "Sen.", "J." keep their final dot: a dotted abbreviation, a title, an initial.
            if body.as_bytes().get(j) == Some(&b'.') {
                let word = &body[i..j];
                let initial = len == j - i && c.is_uppercase();
                let last_part = word.rsplit('-').next().unwrap_or(word);
                if word.contains('.') || initial || ABBREVIATIONS.contains(&last_part) {
                    j += 1;
                }
            }
            push(&mut out, text, span.start + i, span.start + j, true);
            i = j;
        } else {
            push(&mut out, text, span.start + i, span.start + i + len, false);
            i += len;
        }
    }
    out
}

fn push<'a>(out: &mut Vec<Token<'a>>, text: &'a str, start: usize, end: usize, word: bool) {
    let span = Span::new(start, end);
    out.push(Token { span, text: span.text(text), word });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text, Span::new(0, text.len())).iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_and_punctuation() {
        assert_eq!(
            words("“We urge the DPRK,” Watson said."),
            vec!["“", "We", "urge", "the", "DPRK", ",", "”", "Watson", "said", "."]
        );
    }

    #[test]
    fn internal_joiners_stay_in_the_word() {
        assert_eq!(
            words("Kim Jong-un’s U.S. trip — 3.5 days"),
            vec!["Kim", "Jong-un’s", "U.S.", "trip", "—", "3.5", "days"]
        );
        assert_eq!(words("it's 'quoted' -"), vec!["it's", "'", "quoted", "'", "-"]);
        assert_eq!(
            words("Sen. Rand Paul, R-Ky., and J. Doe left."),
            vec!["Sen.", "Rand", "Paul", ",", "R-Ky.", ",", "and", "J.", "Doe", "left", "."]
        );
    }

    #[test]
    fn spans_point_into_the_whole_text() {
        let text = "xx Ab’c d";
        let t = tokens(text, Span::new(3, text.len()));
        assert_eq!(t[0].span.text(text), "Ab’c");
        assert_eq!(t[1].span.text(text), "d");
    }
}
