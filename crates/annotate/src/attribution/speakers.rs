//! Speakers: who each source is, resolved across the document, and what kind of source it is.
//!
//! A named source is reduced to the name ("spokesman John Kirby" → "John Kirby"), a surname joins the full name
//! seen before, pronouns and definite descriptions ("the outlet", "the spokesperson") point back to the last fitting
//! speaker. Kinds (named, unnamed, media) come from the head of the phrase and the source-word lexicon.

use super::source::{SourceWord, source_words, word_is};
use super::{Attribution, PRONOUNS, SourceKind};
use crate::span::Span;
use crate::token::{Token, tokens};

/// A resolved speaker.
#[derive(Debug, Clone)]
pub(super) struct Speaker {
    pub(super) name: String,
    pub(super) kind: SourceKind,
}

/// The speakers seen so far, for pronouns, "the outlet" and surnames. Every look-up is by key or by a kept index,
/// so resolving stays constant-time however many speakers a document has.
#[derive(Debug, Default)]
pub(super) struct Speakers {
    /// In order of first appearance.
    seen: Vec<Speaker>,
    /// Position in `seen` of each name.
    by_name: std::collections::HashMap<String, usize>,
    /// The first named speaker seen with each last name ("Watson" -> "Adrienne Watson").
    by_last_name: std::collections::HashMap<String, String>,
    /// For each lowercased word of a source phrase ("lawmaker", "spokesperson"), the latest speaker it named.
    by_word: std::collections::HashMap<String, usize>,
    /// The latest speaker that is a person ("he", "she"), not media ("they"), an organisation or media ("it"), media
    /// ("the outlet").
    last_person: Option<usize>,
    last_not_media: Option<usize>,
    last_body: Option<usize>,
    last_media: Option<usize>,
}

impl Speakers {
    /// Name and kind of the source of `a`, remembering it; `None` for a pronoun that points to no earlier speaker.
    pub(super) fn resolve(&mut self, text: &str, a: &Attribution) -> Option<Speaker> {
        let src = a.source?;
        let all = tokens(text, src);
        let toks = head_chunk(&all);
        let phrase = match (toks.first(), toks.last()) {
            (Some(a), Some(b)) => Span::new(a.span.start, b.span.end).text(text),
            _ => src.text(text),
        };
        let words: Vec<String> = toks.iter().filter(|t| t.word).map(|t| t.lower()).collect();
        let lone_pronoun = toks.iter().filter(|t| t.word).count() == 1 && toks.iter().any(|t| t.is_any(PRONOUNS));
        let referred = self.refer_back(toks);
        if lone_pronoun && referred.is_none() {
            return None;
        }
        let found = referred.unwrap_or_else(|| {
            let kind = kind_of(toks);
            let name = match kind {
                SourceKind::Named => person_name(toks).unwrap_or_else(|| phrase.to_string()),
                _ => phrase.to_string(),
            };
            let name = self.full_name(&name).unwrap_or(name);
            Speaker { name, kind }
        });
        let resolved = found.clone();
        let k = match self.by_name.get(&found.name).copied() {
            Some(k) => k,
            None => {
                if found.kind == SourceKind::Named
                    && let Some((_, last)) = found.name.rsplit_once(' ')
                {
                    self.by_last_name.entry(last.to_string()).or_insert_with(|| found.name.clone());
                }
                let k = self.seen.len();
                let person = found.kind == SourceKind::Named && looks_like_person(&found.name);
                let media = found.kind == SourceKind::Media;
                if person {
                    self.last_person = Some(k);
                }
                if !media {
                    self.last_not_media = Some(k);
                }
                if media || (found.kind == SourceKind::Named && !person) {
                    self.last_body = Some(k);
                }
                if media {
                    self.last_media = Some(k);
                }
                self.by_name.insert(found.name.clone(), k);
                self.seen.push(found);
                k
            }
        };
        for w in words {
            let latest = self.by_word.entry(w).or_insert(k);
            *latest = (*latest).max(k);
        }
        Some(resolved)
    }

    /// Pronouns and definite descriptions that point back: "he", "the outlet", "the spokesperson".
    fn refer_back(&self, toks: &[Token<'_>]) -> Option<Speaker> {
        let words: Vec<&Token<'_>> = toks.iter().filter(|t| t.word).collect();
        let at = |k: Option<usize>| k.and_then(|k| self.seen.get(k)).cloned();
        match words.as_slice() {
            [p] if p.is_any(&["he", "she"]) => at(self.last_person),
            [p] if p.is("they") => at(self.last_not_media),
            // "It" is an organisation or an outlet, never a person.
            [p] if p.is("it") => at(self.last_body),
            [the, noun] if the.is("the") => {
                let noun = noun.lower();
                if word_is(words[1], SourceWord::Media) && !noun.is_empty() {
                    return at(self.last_media);
                }
                at(self.by_word.get(&noun).copied())
            }
            _ => None,
        }
    }

    /// An earlier speaker whose name ends with this one-word name: "Watson" -> "Adrienne Watson".
    fn full_name(&self, name: &str) -> Option<String> {
        if name.contains(' ') {
            return None;
        }
        self.by_last_name.get(name).cloned()
    }
}

/// Speaker resolution for attributions made outside this module (the learned tagger's), fed every attribution of
/// a document in text order so that pronouns, surnames and "the outlet" point back as they do for the rules.
#[derive(Debug, Default)]
pub(crate) struct Resolver(Speakers);

impl Resolver {
    /// The speaker and kind of `a`'s source, remembering it; `(None, Unnamed)` without a source, or for a pronoun
    /// that points to no earlier speaker.
    pub(crate) fn resolve(&mut self, text: &str, a: &Attribution) -> (Option<String>, SourceKind) {
        match self.0.resolve(text, a) {
            Some(s) => (Some(s.name), s.kind),
            None => (None, SourceKind::Unnamed),
        }
    }
}

/// Words that make a name an organisation's rather than a person's.
pub(super) const ORGANISATION_WORDS: &[&str] = &[
    "House",
    "Department",
    "Ministry",
    "Council",
    "Party",
    "Committee",
    "Company",
    "Inc.",
    "Corp.",
    "Office",
    "Agency",
    "Bureau",
    "Commission",
    "Court",
    "Congress",
    "Senate",
    "Parliament",
    "Government",
    "Administration",
    "University",
    "Institute",
    "Foundation",
    "Association",
    "Union",
    "Bank",
    "Group",
    "Pentagon",
    "Kremlin",
    "Police",
    "Army",
    "Navy",
    "Service",
    "Board",
    "Center",
    "Centre",
    "Campaign",
];

/// A person's name: two to four capitalised words, none of them an organisation word.
pub(super) fn looks_like_person(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()))
        && !words.iter().any(|w| ORGANISATION_WORDS.contains(w))
}

/// The part of a source phrase that names the source: of "Tom Berg, the mayor of Oslo," the
/// name; of "Russia's Ambassador to France, Jean Roe" also the name; without commas, the phrase less any bracket.
pub(super) fn head_chunk<'t, 'a>(toks: &'t [Token<'a>]) -> &'t [Token<'a>] {
    let cut = toks.iter().position(|t| t.text == "(").unwrap_or(toks.len());
    let toks = &toks[..cut];
    let chunks: Vec<&[Token<'a>]> = toks.split(|t| t.text == ",").filter(|c| c.iter().any(|t| t.word)).collect();
    if chunks.len() < 2 {
        return toks;
    }
    let is_name = |c: &&&[Token<'a>]| c.len() <= 5 && c.iter().all(|t| t.capitalized());
    chunks.iter().find(is_name).or(chunks.first()).copied().unwrap_or(toks)
}

/// Named, unnamed or media, from the words of the source phrase.
pub(super) fn kind_of(toks: &[Token<'_>]) -> SourceKind {
    let found = source_words(toks);
    if found.iter().any(|(_, _, e)| e.category == SourceWord::Media) {
        return SourceKind::Media;
    }
    // The head: the last word before a post-modifier, or the last word of a name in apposition.
    let words: Vec<&Token<'_>> = toks.iter().collect();
    let cut = words
        .iter()
        .position(|t| t.is_any(&["of", "with", "from", "for", "familiar", "close", "in", "at", "to", "who"]))
        .filter(|_| !words.iter().any(|t| t.text == ","))
        .unwrap_or(words.len());
    let Some(head) = words[..cut].iter().rev().find(|t| t.word) else {
        return SourceKind::Unnamed;
    };
    if word_is(head, SourceWord::Group) || head.is_any(PRONOUNS) && !head.is_any(&["he", "she"]) {
        return SourceKind::Unnamed;
    }
    if head.capitalized() || head.is_any(&["he", "she"]) { SourceKind::Named } else { SourceKind::Unnamed }
}

/// The person's name in a named source: the trailing run of capitalised words after the last title.
pub(super) fn person_name(toks: &[Token<'_>]) -> Option<String> {
    let mut start = toks.len();
    while start > 0 && toks[start - 1].word && toks[start - 1].capitalized() {
        start -= 1;
    }
    let run = &toks[start..];
    let after_title = run.iter().rposition(|t| word_is(t, SourceWord::Title)).map_or(0, |p| p + 1);
    let name = &run[after_title..];
    // Drop a leading "The": "The White House" is "White House".
    let name = if name.first().is_some_and(|t| t.is("the")) { &name[1..] } else { name };
    (!name.is_empty()).then(|| name.iter().map(|t| t.text).collect::<Vec<_>>().join(" "))
}
