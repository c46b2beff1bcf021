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

/// The days of the week, lowercase: words of time for the hedge and attribution rules.
pub(crate) const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// True for characters that may join two word characters inside one word.
fn joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '.' | '&')
}

/// Tokens of `text[span]`, in order. Whitespace is dropped; every other character belongs to exactly one token.
pub(crate) fn tokens(text: &str, span: Span) -> Vec<Token<'_>> {
    let body = span.text(text);
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                let next_is_word = chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
                if c.is_alphanumeric() || (joiner(c) && next_is_word) {
                    j += 1;
                } else {
                    break;
                }
            }
            // "U.S.", "Sen.", "J." keep their final dot: a dotted abbreviation, a title, an initial.
            if j < chars.len() && chars[j].1 == '.' {
                let word: String = chars[i..j].iter().map(|&(_, c)| c).collect();
                let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                let last_part = word.rsplit('-').next().unwrap_or(&word);
                if word.contains('.') || initial || ABBREVIATIONS.contains(&last_part) {
                    j += 1;
                }
            }
            let end = chars.get(j).map_or(body.len(), |&(b, _)| b);
            push(&mut out, text, span.start + start, span.start + end, true);
            i = j;
        } else {
            let end = chars.get(i + 1).map_or(body.len(), |&(b, _)| b);
            push(&mut out, text, span.start + start, span.start + end, false);
            i += 1;
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
