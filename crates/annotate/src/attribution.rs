//! Attributions: who is speaking. Citron/PARC-style triples of source, cue and content.

use crate::document::{Rule, Sentence};
use crate::lexicon::{Entry, Lexicon, Normalized, lexicon};
use crate::segment::quotations;
use crate::span::Span;
use crate::token::{Token, WEEKDAYS, tokens};

/// One attribution: a source says (cue) something (content).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The attribution verb or phrase ("said in a statement", "according to"); `None` for a quotation continued
    /// from an earlier sentence, whose cue lies there.
    pub cue: Option<Span>,
    /// The speaker as written in this sentence ("National Security Council spokesperson Adrienne Watson", "he");
    /// `None` when the speaker is named in another sentence.
    pub source: Option<Span>,
    /// Who is speaking, resolved: pronouns, "the outlet" and continued quotations point back to the last fitting
    /// source. `None` only when nothing fits.
    pub speaker: Option<String>,
    /// Named person or body, unnamed, or media.
    pub kind: SourceKind,
    /// True when the content is quoted verbatim.
    pub direct_quote: bool,
    /// What is attributed, when it lies in this sentence.
    pub content: Option<Span>,
    /// The lexicon entry or rule that found it.
    pub rule: Rule,
}

/// What kind of source is speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// A named person or body: "Adrienne Watson", "the Pentagon".
    Named,
    /// An unnamed source: "officials", "a South Korean lawmaker", "intelligence".
    Unnamed,
    /// A news outlet or report: "the New York Times", "the report".
    Media,
}

impl SourceKind {
    /// Every kind, in legend order.
    pub const ALL: [SourceKind; 3] = [SourceKind::Named, SourceKind::Unnamed, SourceKind::Media];

    /// Machine name, as used in JSON and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Named => "named",
            SourceKind::Unnamed => "unnamed",
            SourceKind::Media => "media",
        }
    }

    /// What the kind means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Named => "named person or body",
            SourceKind::Unnamed => "unnamed source",
            SourceKind::Media => "news outlet or report",
        }
    }
}

/// How a cue relates to its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// A verb of saying; the source is its subject ("Watson said") or follows it ("said Watson").
    Speech,
    /// A verb of belief; the source is its subject ("officials believe").
    Belief,
    /// A verb that attributes only before a clause or a quotation ("the poll shows that …").
    Clause,
    /// A preposition; the source follows it ("according to the Times").
    Prep,
}

fn parse_cue(name: &str) -> Option<CueKind> {
    match name {
        "speech" => Some(CueKind::Speech),
        "belief" => Some(CueKind::Belief),
        "clause" => Some(CueKind::Clause),
        "prep" => Some(CueKind::Prep),
        _ => None,
    }
}

lexicon!(cue_lexicon, "cues.tsv", CueKind, parse_cue);

/// Words that say what kind of source speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceWord {
    /// An outlet or a report.
    Media,
    /// A common noun for people or bodies that are not named.
    Group,
    /// A role that precedes a name.
    Title,
    /// A document or a measurement that can show or find something: a poll, a study.
    Document,
}

fn parse_source_word(name: &str) -> Option<SourceWord> {
    match name {
        "media" => Some(SourceWord::Media),
        "group" => Some(SourceWord::Group),
        "title" => Some(SourceWord::Title),
        "document" => Some(SourceWord::Document),
        _ => None,
    }
}

lexicon!(source_lexicon, "sources.tsv", SourceWord, parse_source_word);

/// Words that end a source phrase when scanning away from the cue: clause words a noun phrase cannot contain.
const CLAUSE_WORDS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "but",
    "or",
    "because",
    "while",
    "when",
    "as",
    "if",
    "so",
    "than",
    "where",
    "after",
    "before",
    "since",
    "although",
    "though",
    "to",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "should",
    "must",
    "do",
    "does",
    "did",
    "not",
    "has",
    "have",
    "had",
    "said",
    "says",
    "told",
    "and",
    "also",
    "then",
    "there",
    "here",
    "it's",
    "what",
    "how",
    "why",
    "whether",
    "about",
    "into",
    "on",
    "at",
    "in",
    "over",
    "under",
    "by",
    "against",
    "between",
    "citing",
    "quoting",
    "according",
    "per",
    "quoted",
    "cited",
    "interviewed",
    "contacted",
    "briefed",
    "surveyed",
    "polled",
    "asked",
];

/// Participles that open a post-modifier, ending a source phrase: "a statement *released* on Friday".
const POST_MODIFIERS: &[&str] = &[
    "released",
    "issued",
    "published",
    "posted",
    "obtained",
    "seen",
    "reviewed",
    "sent",
    "filed",
    "made",
    "given",
    "provided",
    "distributed",
    "signed",
    "dated",
    "prepared",
    "commissioned",
    "conducted",
    "shared",
    "late",
    "early",
    "last",
    "earlier",
    "on",
    "this",
    "yesterday",
    "today",
];

/// Personal pronouns that can be a source.
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you"];

/// Words between a cue and its source that are skipped: adverbs, auxiliaries.
const SKIPPABLE: &[&str] = &[
    "also",
    "later",
    "once",
    "then",
    "still",
    "already",
    "has",
    "have",
    "had",
    "would",
    "will",
    "did",
    "does",
    "do",
    "could",
    "can",
    "may",
    "might",
    "had",
    "previously",
    "recently",
    "repeatedly",
    "publicly",
    "privately",
    "reportedly",
    "separately",
    "earlier",
    "again",
    "even",
    "just",
    "further",
    "first",
    "initially",
    "last",
    "week",
    "month",
];

/// Words that open a negated cue, taken into its span: "did not say", "declined to say".
const NEGATORS: &[&str] = &["not", "n't", "never", "declined", "refused"];

/// Nouns naming where something was said, extending a cue: "said *in a statement*".
const VENUES: &[&str] = &[
    "statement",
    "interview",
    "conference",
    "briefing",
    "speech",
    "email",
    "e-mail",
    "letter",
    "post",
    "tweet",
    "hearing",
    "rally",
    "call",
    "memo",
    "filing",
    "podcast",
    "address",
    "release",
    "note",
    "Twitter",
    "Facebook",
    "X",
    "television",
    "radio",
    "broadcast",
    "op-ed",
    "testimony",
];

/// Determiners before a word that make it a noun, not a verb: "the claims", "a noted author".
const DETERMINERS: &[&str] =
    &["the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "these", "those", "such", "no"];

/// Longest source phrase, in tokens.
const MAX_SOURCE_TOKENS: usize = 10;

/// Find attributions in every sentence (`toks[i]` are the tokens of `sentences[i]`), then carry quotations and
/// pronouns across sentences.
pub(crate) fn attribute(text: &str, sentences: &mut [Sentence], toks: &[Vec<Token<'_>>]) {
    let quotes = quote_regions(text, sentences);
    let mut speakers = Speakers::default();
    for (s, toks) in sentences.iter_mut().zip(toks) {
        let found = in_sentence(text, toks, &quotes);
        for f in found {
            let attribution = match speakers.resolve(text, &f) {
                Some(speaker) => Attribution { speaker: Some(speaker.name), kind: speaker.kind, ..f },
                // A pronoun with nothing before it to point to: the source stays as written, unresolved.
                None => Attribution { speaker: None, kind: SourceKind::Unnamed, ..f },
            };
            s.attributions.push(attribution);
        }
    }
    carry_quotations(text, sentences, &quotes);
}

/// A quotation in the whole text, by its interior.
#[derive(Debug, Clone, Copy)]
struct Quote {
    inner: Span,
}

/// Quotations of every paragraph, as interiors in the whole text.
fn quote_regions(text: &str, sentences: &[Sentence]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sentences.len() {
        // The paragraph runs from its first sentence to its last; sentences of a paragraph are consecutive.
        let p = sentences[i].paragraph;
        let j = i + sentences[i..].iter().take_while(|s| s.paragraph == p).count();
        let para = Span::new(sentences[i].span.start, sentences[j - 1].span.end);
        out.extend(
            quotations(para.text(text))
                .into_iter()
                .map(|q| Quote { inner: q.shift(para.start) }),
        );
        i = j;
    }
    out
}

/// Indices of the quotations that overlap `span` widened by `reach` bytes on each side. Quotations are disjoint and
/// in text order, so both searches are binary: a long document with many quotations stays linear overall.
fn quotes_near(quotes: &[Quote], span: Span, reach: usize) -> std::ops::Range<usize> {
    let lo = quotes.partition_point(|q| q.inner.end + reach < span.start);
    let hi = quotes.partition_point(|q| q.inner.start <= span.end + reach);
    lo..hi.max(lo)
}

fn inside_quote(quotes: &[Quote], span: Span) -> bool {
    quotes[quotes_near(quotes, span, 0)].iter().any(|q| q.inner.contains(&span))
}

/// Attributions whose cue lies in this sentence; `speaker` and `kind` are filled in by the caller.
fn in_sentence(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Vec<Attribution> {
    let lex = cue_lexicon();
    let norm = Normalized::new(toks);
    let mut out = Vec::new();
    let mut beliefs = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((end, entry)) = lex.match_at(&norm, i) else {
            i += 1;
            continue;
        };
        if !inside_quote(quotes, toks[i].span)
            && !noun_not_verb(toks, i, end)
            && let Some(a) = from_cue(text, toks, i, end, entry, lex, quotes)
        {
            if entry.category == CueKind::Belief
                && let Some(cue) = a.cue
            {
                beliefs.push(cue);
            }
            out.push(a);
        }
        i = end;
    }
    out.extend(colon_speaker(text, toks, quotes));
    out.extend(dash_byline(text, toks, quotes));
    if out.is_empty() {
        // With another attribution in the sentence, "reportedly" is part of what that source reports.
        out.extend(reportedly(text, toks, quotes));
    }
    drop_overlapping_cues(&mut out);
    drop_nested(&mut out, &beliefs);
    out
}

/// "The mayor said the police believe the driver fled": the belief is part of what the mayor said. A belief cue
/// (`beliefs`, from the lexicon's `belief` entries) inside another attribution's content is a thought reported
/// within reported speech; the outer attribution stays, as in PARC-style annotation where each word has one role.
/// Speech inside speech ("the mayor said the police told her …") stays: it names a second source. So does a
/// belief before its cue ("Officials believe …, according to the Times"): there the outlet reports the belief.
fn drop_nested(found: &mut Vec<Attribution>, beliefs: &[Span]) {
    // Only contents that follow their cue: in "Officials believe …, according to the Times" both stay.
    let mut contents: Vec<Span> = found
        .iter()
        .filter_map(|a| a.content.filter(|c| a.cue.is_some_and(|cue| cue.end <= c.start)))
        .collect();
    contents.sort_by_key(|c| c.start);
    // Furthest end among the contents that start at or before each one: a containment test by binary search.
    let reach: Vec<usize> = contents
        .iter()
        .scan(0, |m, c| {
            *m = (*m).max(c.end);
            Some(*m)
        })
        .collect();
    found.retain(|a| {
        let Some(cue) = a.cue else { return true };
        if !beliefs.contains(&cue) {
            return true;
        }
        let before = contents.partition_point(|c| c.start <= cue.start);
        before == 0 || reach[before - 1] < cue.end
    });
}

/// "declined to discuss" is found twice, from "declined" and from "discuss" with its negation: where two cues
/// overlap, the longer one stays.
fn drop_overlapping_cues(found: &mut Vec<Attribution>) {
    let mut order: Vec<usize> = (0..found.len()).filter(|&k| found[k].cue.is_some()).collect();
    order.sort_by_key(|&k| found[k].cue.map(|c| c.start));
    let mut keep = vec![true; found.len()];
    // Sweep in text order: a run of overlapping cues keeps its longest (the first of equals).
    let mut best: Option<(usize, Span)> = None;
    for k in order {
        let Some(c) = found[k].cue else { continue };
        match best {
            Some((b, bc)) if bc.overlaps(&c) => {
                if c.len() > bc.len() {
                    keep[b] = false;
                    best = Some((k, c));
                } else {
                    keep[k] = false;
                }
            }
            _ => best = Some((k, c)),
        }
    }
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
}

/// Cue words that are as often plural nouns: "the swing states", "his claims", "news reports".
const NOUN_LIKE_CUES: &[&str] = &[
    "states", "claims", "reports", "notes", "fears", "calls", "shows", "charges", "chants", "demands", "remarks",
    "blasts", "vows", "hints", "repeats", "boasts", "jokes", "quips", "mocks", "shouts", "yells", "screams", "slams",
    "praises", "laments", "mentions", "replies",
];

/// True when a one-word cue such as "states" is used as a noun: capitalised inside the sentence ("United
/// States"), or not followed by what a verb of saying takes ("that", a quotation, a clause).
fn noun_not_verb(toks: &[Token<'_>], i: usize, end: usize) -> bool {
    let t = &toks[i];
    if end - i != 1 || !t.is_any(NOUN_LIKE_CUES) {
        return false;
    }
    if t.capitalized() && i > 0 {
        return true;
    }
    // "states" is far more often the noun ("in twelve states the law …"): as a verb it must introduce a clause.
    if t.is("states") {
        return !toks.get(end).is_some_and(|n| n.is_any(&["that", ":", "“", "\""]));
    }
    let next = toks.get(end);
    let takes_clause = next.is_some_and(|n| {
        n.is_any(&["that", ":", ",", "“", "\"", "the", "a", "an", "he", "she", "they", "it", "his", "her", "its"])
            || n.is_any(&["their", "we", "i", "this", "there"])
            || n.capitalized()
            || (t.is("vows") && n.is("to"))
    });
    // "…, the Gazette reports.": at the end of the sentence, after its content, the word is the verb.
    let closes_sentence = next.is_none_or(|n| matches!(n.text, "." | "!" | "?"))
        && toks[..i].iter().rev().take(MAX_SOURCE_TOKENS + 1).any(|t| t.text == ",");
    // The word before must be the source's head: a name or a source word, not an adjective or a possessive
    // ("over unpaid claims.", "heard Smith's claims.").
    let source_head = i > 0 && {
        let p = &toks[i - 1];
        let possessive = p.text.ends_with("'s") || p.text.ends_with("’s");
        p.word && !possessive && (p.capitalized() || source_lexicon().category_of(p).is_some())
    };
    if closes_sentence && source_head {
        return false;
    }
    let after_noun_word = i > 0 && toks[i - 1].is_any(&["of", "the", "swing", "united", "battleground", "these"]);
    !takes_clause || after_noun_word
}

/// Words that open a line with a colon but name no speaker: "Update: …", "Note: …".
const NOT_SPEAKERS: &[&str] = &[
    "note",
    "update",
    "updated",
    "correction",
    "editor's",
    "photo",
    "source",
    "watch",
    "related",
    "read",
    "see",
    "listen",
    "video",
    "warning",
    "breaking",
    "exclusive",
    "opinion",
    "analysis",
    "q",
    "a",
];

/// "MAYOR: Well, look …", "Poll: Voters turn away …": a short capitalised name opening the sentence, then a colon.
fn colon_speaker(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Option<Attribution> {
    let a = toks.iter().position(|t| t.word)?;
    let colon = (a..toks.len().min(a + 7)).find(|&k| toks[k].text == ":")?;
    let name = &toks[a..colon];
    let named = !name.is_empty()
        && name
            .iter()
            .all(|t| t.word && (t.capitalized() || t.is_any(&["of", "the", "and"])))
        && !name[0].is_any(NOT_SPEAKERS)
        && colon + 1 < toks.len();
    // A transcript quoted paragraph by paragraph opens each turn with a quote mark: "“WALLACE: Let's start …".
    // The name is in capitals there ("WALLACE:"), unlike a quoted phrase with a colon ("“Today: sunny …”").
    let opens_turn = a > 0
        && toks[..a].iter().all(|t| matches!(t.text, "“" | "\"" | "‘" | "'"))
        && name.iter().all(|t| !t.word || !t.text.chars().any(char::is_lowercase));
    if !named || (inside_quote(quotes, toks[colon].span) && !opens_turn) {
        return None;
    }
    let content = clause(toks, colon + 1, toks.len());
    let rule = Rule::named("colon-speaker", "a name and a colon open the line: what follows is theirs");
    Some(build(text, toks[colon].span, Some(span_of(toks, (a, colon))), content, quotes, rule))
}

/// "“… a disgrace.” ― Carla Sanchez": a quotation signed with a dash and a name.
fn dash_byline(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Option<Attribution> {
    // A signature may also use the horizontal bar, which never sets off a parenthetical.
    let signs = |k: usize| is_dash(&toks[k]) || toks[k].text == "―";
    let closes = |t: &str| matches!(t, "”" | "\"" | "’" | "'");
    // The dash may open the next sentence when the quotation ends with its own full stop: "… a disgrace.” ― Ana".
    let ends_previous = |k: usize| {
        let before = text[..toks[k].span.start].trim_end_matches(|c: char| c.is_whitespace());
        before.chars().next_back().is_some_and(|c| closes(c.encode_utf8(&mut [0; 4])))
    };
    let dash =
        (0..toks.len()).find(|&k| signs(k) && if k == 0 { ends_previous(k) } else { closes(toks[k - 1].text) })?;
    let mut end = dash + 1;
    while end < toks.len() && end - dash <= 4 && toks[end].word && toks[end].capitalized() {
        end += 1;
    }
    if end == dash + 1 {
        return None;
    }
    let before = quotes.partition_point(|q| q.inner.end <= toks[dash].span.start);
    let quote = before.checked_sub(1).map(|k| quotes[k])?;
    let content = Some(quote.inner);
    let rule = Rule::named("dash-byline", "a quotation signed with a dash and the speaker's name");
    Some(build(text, toks[dash].span, Some(span_of(toks, (dash + 1, end))), content, quotes, rule))
}

/// "The minister reportedly resigned": the writer relays a report without naming its source. The attribution has a
/// cue and the sentence as content but no source, and counts as unnamed.
fn reportedly(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Option<Attribution> {
    let k = toks.iter().position(|t| t.is("reportedly"))?;
    if inside_quote(quotes, toks[k].span) {
        return None;
    }
    let rule = Rule::named("reportedly", "\"reportedly\": a report the writer relays without naming its source");
    Some(build(text, toks[k].span, None, clause(toks, 0, toks.len()), quotes, rule))
}

/// Build the attribution of the cue at tokens `i..end`, or `None` when no source can be found for it.
fn from_cue(
    text: &str,
    toks: &[Token<'_>],
    i: usize,
    end: usize,
    entry: &Entry<CueKind>,
    lex: &Lexicon<CueKind>,
    quotes: &[Quote],
) -> Option<Attribution> {
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    let id = lex.rule_id(entry);
    match entry.category {
        CueKind::Prep => {
            if toks[i].is("per") && !per_is_attribution(toks, i) {
                return None;
            }
            // "according to" and "per" name a source whatever follows; "citing" may cite a reason instead.
            let any_phrase = !toks[i].is_any(&["citing", "quoting"]);
            let src = source_after(toks, end, any_phrase)?;
            let content = prep_content(toks, i, src.1);
            let cue = Span::new(toks[i].span.start, toks[end - 1].span.end);
            Some(build(
                text,
                cue,
                Some(span_of(toks, src)),
                content,
                quotes,
                Rule { id, why: "the source follows the cue: what comes before or after rests on it".into() },
            ))
        }
        CueKind::Speech | CueKind::Belief | CueKind::Clause => {
            if prev.is_some_and(|p| p.is_any(DETERMINERS)) {
                return None;
            }
            // "flew to Oslo to discuss the deal": an infinitive's subject is not the phrase before "to" (and when
            // the governing verb attributes, "plans to announce", that verb is the cue).
            if prev.is_some_and(|p| p.is("to")) && !(i >= 2 && toks[i - 2].is_any(NEGATORS)) {
                return None;
            }
            let opens_quote = |k: usize| toks.get(k).is_some_and(|n| n.is_any(&["“", "\""]));
            // "She continued, “For us …”": a comma and a quotation take a clause too.
            let clause_follows = toks.get(end).is_some_and(|n| n.is_any(&["that", ":", "“", "\"", "whether"]))
                || (toks.get(end).is_some_and(|n| n.text == ",") && opens_quote(end + 1));
            // A passive ("was not disclosed … by X") takes its source from the "by" phrase.
            if let Some((cue_start, src)) = passive(toks, i, end) {
                let cue = Span::new(toks[cue_start].span.start, toks[end - 1].span.end);
                return Some(build(
                    text,
                    cue,
                    Some(span_of(toks, src)),
                    None,
                    quotes,
                    Rule::named("passive-by", "a passive cue whose source is named after \"by\""),
                ));
            }
            let cue_end = extend_venue(toks, end);
            let (cue_start, subject) = source_before(toks, i);
            // "The poll shows the mayor ahead": a document may show without "that"; anything else needs the clause.
            let document = subject.is_some_and(|(a, b)| toks[a..b].iter().any(|t| word_is(t, SourceWord::Document)));
            if entry.category == CueKind::Clause && !clause_follows && !document {
                return None;
            }
            // Whoever is the subject of "said" speaks; a subject of "believe" must look like a source.
            let subject = subject.filter(|&(a, b)| entry.category == CueKind::Speech || plausible_source(&toks[a..b]));
            let (source, rule) = match subject {
                Some(src) => (src, Rule { id, why: "the source is the subject of the cue".into() }),
                // A participle after a comma ("…, saying the team won") has its subject before it, never after.
                None if entry.category == CueKind::Speech
                    && inverted_allowed(toks, cue_start)
                    && !toks[i].text.ends_with("ing") =>
                {
                    // "…,” said Watson" — but in "…, said it would" the pronoun opens the reported clause.
                    let determined = toks.get(cue_end).is_some_and(|t| t.is_any(&["the", "a", "an"]));
                    let src = source_after(toks, cue_end, determined).filter(|&(a, _)| !toks[a].is_any(PRONOUNS))?;
                    (src, Rule::named("inverted", "the source follows the cue: \"…,\" said the minister"))
                }
                None => return None,
            };
            let cue = Span::new(toks[cue_start].span.start, toks[cue_end - 1].span.end);
            let content = speech_content(toks, quotes, source, cue_start, cue_end);
            Some(build(text, cue, Some(span_of(toks, source)), content, quotes, rule))
        }
    }
}

/// A half-open token range.
type Range = (usize, usize);

fn span_of(toks: &[Token<'_>], (a, b): Range) -> Span {
    Span::new(toks[a].span.start, toks[b - 1].span.end)
}

/// "per the report" attributes; "per cent", "5 dollars per share" do not.
fn per_is_attribution(toks: &[Token<'_>], i: usize) -> bool {
    let after_break = i == 0 || !toks[i - 1].word;
    let next = toks.get(i + 1);
    after_break && next.is_some_and(|n| n.is_any(DETERMINERS) || n.capitalized())
}

/// An inverted source ("…,” said Watson) only follows a cue that stands after a comma or a closing quote.
fn inverted_allowed(toks: &[Token<'_>], cue_start: usize) -> bool {
    cue_start > 0 && matches!(toks[cue_start - 1].text, "," | "”" | "\"" | "'" | "’")
}

/// "said in a statement", "said at a press conference", "said on Twitter": one past the extended cue.
fn extend_venue(toks: &[Token<'_>], end: usize) -> usize {
    let Some(p) = toks.get(end) else { return end };
    if !p.is_any(&["in", "at", "during", "on", "via"]) {
        return end;
    }
    // Up to three words after the preposition, the last of them a venue.
    let window = toks.iter().enumerate().take(end + 5).skip(end + 1);
    window
        .take_while(|(_, t)| t.word)
        .find(|(_, t)| t.is_any(VENUES))
        .map_or(end, |(k, _)| k + 1)
}

/// A passive cue "was (not) disclosed … by NP": the first token of the cue (the form of "be") and the source.
fn passive(toks: &[Token<'_>], i: usize, end: usize) -> Option<(usize, Range)> {
    let mut j = i;
    while j > 0 && toks[j - 1].is_any(NEGATORS) {
        j -= 1;
    }
    if j == 0 || !toks[j - 1].is_any(&["was", "were", "is", "are", "been", "be"]) {
        return None;
    }
    let be = j - 1;
    // "by" within a few words (a day, "publicly") of the participle.
    let by = (end..(end + 4).min(toks.len()))
        .take_while(|&k| toks[k].word)
        .find(|&k| toks[k].is("by"))?;
    let src = source_after(toks, by + 1, true)?;
    Some((be, src))
}

/// The source phrase right after token `at`: up to a punctuation mark or a clause word. Unless `any_phrase`, the
/// phrase must look like a source (see [`plausible_source`]).
fn source_after(toks: &[Token<'_>], at: usize, any_phrase: bool) -> Option<Range> {
    let mut end = at;
    while end < toks.len() && end - at < MAX_SOURCE_TOKENS {
        let t = &toks[end];
        let clause_word = t.is_any(CLAUSE_WORDS) && !t.is_any(&["of", "for", "at", "in", "on"]);
        if !t.word || (end > at && (clause_word || t.is_any(POST_MODIFIERS))) {
            break;
        }
        if end == at && t.is_any(CLAUSE_WORDS) {
            return None;
        }
        end += 1;
    }
    (end > at && (any_phrase || plausible_source(&toks[at..end]))).then_some((at, end))
}

/// The source phrase before the cue at `i`, scanning left; also returns where the cue starts once negators
/// ("did not", "declined to") are taken into it.
fn source_before(toks: &[Token<'_>], i: usize) -> (usize, Option<Range>) {
    let mut cue_start = i;
    // "did not say", "declined to comment", "did not immediately respond": negation belongs to the cue.
    let mut j = i;
    while j > 1 && is_ly_adverb(&toks[j - 1]) && toks[j - 2].is_any(NEGATORS) {
        j -= 1;
    }
    while j > 0 && (toks[j - 1].is_any(NEGATORS) || (toks[j - 1].is("to") && j >= 2 && toks[j - 2].is_any(NEGATORS))) {
        j -= 1;
    }
    if j < i {
        while j > 0 && toks[j - 1].is_any(&["did", "does", "do", "would", "has", "had", "have", "could", "will"]) {
            j -= 1;
        }
        cue_start = j;
    }
    // Skip adverbs and auxiliaries between subject and cue; "is confirming" skips its "is".
    let progressive = toks[i].text.ends_with("ing");
    let mut k = cue_start;
    while k > 0
        && (toks[k - 1].is_any(SKIPPABLE)
            || is_ly_adverb(&toks[k - 1])
            || (progressive && toks[k - 1].is_any(&["is", "are", "was", "were", "been"])))
    {
        k -= 1;
    }
    if k == 0 {
        return (cue_start, None);
    }
    let t = &toks[k - 1];
    if t.is_any(PRONOUNS) {
        return (cue_start, Some((k - 1, k)));
    }
    if t.text == "," && toks[i].text.ends_with("ing") {
        // "The mayor waved the report away, saying …": the participle's subject opens the sentence.
        return (cue_start, leading_subject(toks, k - 1));
    }
    if t.text == ")" {
        // "Sen. Ann Roe (R-Ohio) said": the bracket belongs to the source.
        let open = (k.saturating_sub(8)..k - 1).rev().find(|&o| toks[o].text == "(");
        return (cue_start, open.and_then(|o| noun_phrase_before(toks, o)).map(|(a, _)| (a, k)));
    }
    if t.is_any(&["that", "who", "which"]) && k >= 2 {
        // A relative clause: the source is the phrase the pronoun refers to, before its comma if it has one
        // ("the senator, who said …").
        let end = if toks[k - 2].text == "," && k >= 3 { k - 2 } else { k - 1 };
        // The antecedent starts after the main clause's verb: "The coach praised *the goalkeeper*, who says …".
        let np = noun_phrase_before(toks, end).map(|(a, b)| {
            let verb = (a..b).rev().find(|&v| {
                let t = &toks[v];
                !t.capitalized() && (is_reporting_verb(t) || t.text.ends_with("ed"))
            });
            (verb.map_or(a, |v| v + 1), b)
        });
        return (cue_start, np.filter(|&(a, b)| a < b));
    }
    if t.text == "," {
        // "Two people familiar with the talks, who asked not to be named, said": skip the parenthetical. A name
        // with appositions ("Tom Berg, the mayor of Oslo, said") keeps them in its span.
        let Some(mut open) = parenthetical(toks, k - 1) else { return (cue_start, None) };
        let mut np = noun_phrase_before(toks, open);
        for _ in 0..2 {
            let Some((a, _)) = np else { break };
            let starts_det = toks[a].is_any(&["the", "a", "an"]) || word_is(&toks[a], SourceWord::Title);
            let Some(outer) = (a > 1 && toks[a - 1].text == ",").then(|| parenthetical(toks, open)).flatten() else {
                break;
            };
            if !starts_det {
                break;
            }
            open = outer;
            np = noun_phrase_before(toks, open);
        }
        let apposed = np.map(|(a, b)| {
            let named = toks[a..b].iter().all(|t| t.capitalized() || !t.word);
            if named { (a, k - 1) } else { (a, b) }
        });
        return (cue_start, apposed);
    }
    if is_dash(t) {
        // "Jim Bell -- a lawyer for the family -- said": the source stands before the parenthetical dashes.
        // "--" is two tokens: step over the whole run of dashes on each side.
        let close = (0..k).rev().take_while(|&c| is_dash(&toks[c])).last().unwrap_or(k - 1);
        let floor = close.saturating_sub(MAX_PARENTHETICAL_TOKENS);
        let open = (floor..close)
            .rev()
            .take_while(|&o| !matches!(toks[o].text, "“" | "”" | "\"" | ";"))
            .find(|&o| is_dash(&toks[o]))
            .map(|o| (0..=o).rev().take_while(|&d| is_dash(&toks[d])).last().unwrap_or(o));
        return (cue_start, open.and_then(|o| noun_phrase_before(toks, o)));
    }
    if t.is_any(&["and", "but"]) {
        // "Sen. Rand Paul called the bill a disgrace and said …": the subject opens the sentence.
        return (cue_start, leading_subject(toks, k - 1));
    }
    (cue_start, noun_phrase_before(toks, k))
}

/// A dash that sets off a parenthetical: "—", "–", or a hyphen written apart ("-"; "--" is two of them).
fn is_dash(t: &Token<'_>) -> bool {
    matches!(t.text, "—" | "–" | "-")
}

/// Longest parenthetical between commas, in tokens.
const MAX_PARENTHETICAL_TOKENS: usize = 25;

/// When token `comma` closes a parenthetical that opened at an earlier comma (a relative clause "who …", an
/// apposition "a spokesman for …", a state "R-Ky."), the index of that opening comma.
fn parenthetical(toks: &[Token<'_>], comma: usize) -> Option<usize> {
    let floor = comma.saturating_sub(MAX_PARENTHETICAL_TOKENS);
    let open = (floor..comma)
        .rev()
        .take_while(|&k| !matches!(toks[k].text, "“" | "”" | "\"" | ";"))
        .find(|&k| toks[k].text == ",")?;
    let first = toks.get(open + 1)?;
    let inner = &toks[open + 1..comma];
    let relative = first.is_any(&["who", "whose", "whom", "which"]);
    let apposition = first.is_any(&["a", "an", "the", "one", "another", "now", "then", "formerly", "himself"])
        || inner.iter().any(|t| word_is(t, SourceWord::Title));
    let setting = first.is_any(&["at", "in", "on", "during", "after", "before", "speaking", "writing", "asked"]);
    let short_name = inner.len() <= 3
        && inner
            .iter()
            .all(|t| !t.word || t.capitalized() || t.text.contains('-') || t.text.starts_with(char::is_numeric));
    (open > 0 && (relative || apposition || setting || short_name)).then_some(open)
}

/// Words that open an object: a lowercase word before one of them is a verb ("fought *the* report").
const OBJECT_STARTS: &[&str] =
    &["the", "a", "an", "his", "her", "their", "its", "that", "to", "him", "them", "it", "this"];

/// The noun phrase that opens the sentence ("Sen. Rand Paul, R-Ky., …"), when it looks like a source.
fn leading_subject(toks: &[Token<'_>], limit: usize) -> Option<Range> {
    let mut a = toks.iter().position(|t| t.word)?;
    // "On Thursday, however, the mayor …": opening adverbials set off by commas come before the subject.
    for _ in 0..3 {
        let Some(after) = past_opener(toks, a, limit) else { break };
        let Some(next) = (after..limit).find(|&k| toks[k].word) else { break };
        a = next;
    }
    let mut b = a;
    let mut lowercase_run = 0;
    while b < limit && b - a < MAX_SOURCE_TOKENS && toks[b].word && !toks[b].is_any(CLAUSE_WORDS) {
        let t = &toks[b];
        let nominal = t.capitalized() || t.is_any(&["the", "a", "an"]) || word_is(t, SourceWord::Group);
        // A lowercase noun after the name ("The Roe campaign"), but not a verb ("rejected", "says").
        let before_object = toks.get(b + 1).is_some_and(|n| n.is_any(OBJECT_STARTS));
        let noun_like =
            !t.capitalized() && !t.text.ends_with("ed") && !is_reporting_verb(t) && !before_object && lowercase_run < 2;
        if !nominal && !noun_like {
            break;
        }
        lowercase_run = if t.capitalized() { 0 } else { lowercase_run + 1 };
        b += 1;
    }
    (b > a && plausible_source(&toks[a..b]) && !toks[a..b].iter().all(|t| t.is_any(&["the", "a", "an"])))
        .then_some((a, b))
}

/// Words that open an adverbial phrase before a sentence's subject: "In his speech, …", "Later, …".
const OPENERS: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "later",
    "earlier",
    "however",
    "meanwhile",
    "still",
    "yet",
    "but",
    "and",
    "also",
    "last",
    "since",
    "by",
    "for",
    "with",
    "under",
    "then",
    "now",
    "today",
    "yesterday",
    "separately",
    "instead",
    "again",
    "asked",
    "speaking",
];

/// When token `at` opens an adverbial phrase ("In March, …", "However, …"), the index just past the comma that closes
/// it: within eight tokens and before `limit`.
fn past_opener(toks: &[Token<'_>], at: usize, limit: usize) -> Option<usize> {
    if !toks.get(at)?.is_any(OPENERS) {
        return None;
    }
    (at + 1..limit.min(at + 8)).find(|&k| toks[k].text == ",").map(|k| k + 1)
}

fn is_ly_adverb(t: &Token<'_>) -> bool {
    t.word
        && !t.capitalized()
        && t.text.len() > 4
        && t.text.ends_with("ly")
        && !t.is_any(&["only", "early", "family", "tally", "rally", "ally", "supply", "assembly", "reply", "july"])
}

/// The noun phrase ending just before token `end`, with a name in apposition after a title phrase
/// ("Russia's Ambassador to North Korea, Alexander Matsegora").
fn noun_phrase_before(toks: &[Token<'_>], end: usize) -> Option<Range> {
    let mut start = end;
    while start > 0 && end - start < MAX_SOURCE_TOKENS {
        let t = &toks[start - 1];
        if !t.word || (t.is_any(CLAUSE_WORDS) && !inner_preposition(toks, start - 1)) {
            break;
        }
        start -= 1;
    }
    if start == end {
        return None;
    }
    // Apposition: "<title phrase>, <Name>" where the title phrase starts the clause.
    if start >= 2 && toks[start - 1].text == "," && toks[start..end].iter().all(|t| t.capitalized()) {
        let comma = start - 1;
        let mut a = comma;
        while a > 0
            && toks[a - 1].word
            && (toks[a - 1].capitalized() || toks[a - 1].is_any(&["of", "to", "for", "the"]))
        {
            a -= 1;
        }
        let clause_start = a == 0 || !toks[a - 1].word;
        let has_title = toks[a..comma].iter().any(|t| word_is(t, SourceWord::Title));
        if clause_start && has_title && a < comma {
            start = a;
        }
    }
    Some((start, end))
}

/// A preposition inside a source phrase: "officials *at* the ministry", "Ambassador *to* France", "people
/// familiar *with* the talks" — it follows a source word, a name, a plural noun or "familiar"/"close".
fn inner_preposition(toks: &[Token<'_>], k: usize) -> bool {
    toks[k].is_any(&["of", "for", "at", "with", "from", "in", "to"])
        && k > 0
        && toks[k - 1].word
        && (toks[k - 1].capitalized()
            || toks[k - 1].is_any(&["familiar", "close"])
            || (toks[k - 1].text.len() > 3 && toks[k - 1].text.ends_with('s'))
            || word_is(&toks[k - 1], SourceWord::Group)
            || word_is(&toks[k - 1], SourceWord::Title))
}

/// True when the token (alone) is a verb of saying in the cue lexicon ("said", "announced").
pub(crate) fn is_reporting_verb(t: &Token<'_>) -> bool {
    cue_lexicon().category_of(t) == Some(CueKind::Speech)
}

/// True when the token (alone) is a source word of this category.
fn word_is(t: &Token<'_>, cat: SourceWord) -> bool {
    source_lexicon().category_of(t) == Some(cat)
}

/// Source-word matches in a phrase.
fn source_words<'a>(phrase: &[Token<'_>]) -> Vec<(usize, usize, &'a Entry<SourceWord>)> {
    source_lexicon().find_all(phrase)
}

/// A source phrase must hold a name, a source word or a pronoun: "hard to believe" has no source.
fn plausible_source(phrase: &[Token<'_>]) -> bool {
    phrase.iter().any(|t| t.capitalized() || t.is_any(PRONOUNS)) || !source_words(phrase).is_empty()
}

/// Content of a prepositional cue: the clause after "according to X," when the cue opens the sentence, else the
/// clause before it.
fn prep_content(toks: &[Token<'_>], cue: usize, source_end: usize) -> Option<Span> {
    let first_word = toks.iter().position(|t| t.word)?;
    if cue <= first_word + 1 {
        let after = (source_end..toks.len()).find(|&k| toks[k].word)?;
        return clause(toks, after, toks.len());
    }
    clause(toks, 0, cue)
}

/// Content of a speech or belief cue: a quotation right before the source or right after the cue ("“…,” Watson
/// said", "Watson said: “…”"), else what follows the cue ("said that …"), else the clause before the source.
fn speech_content(
    toks: &[Token<'_>],
    quotes: &[Quote],
    source: Range,
    cue_start: usize,
    cue_end: usize,
) -> Option<Span> {
    let before = source.0.min(cue_start);
    let after = source.1.max(cue_end);
    let sentence = Span::new(toks.first()?.span.start, toks.last()?.span.end);
    // The nearest quotation closing before the attribution, with only punctuation between.
    let prefix_end = toks[..before].iter().rposition(|t| t.word).map(|k| toks[k].span.end);
    for q in &quotes[quotes_near(quotes, sentence, 0)] {
        let closes_before = toks[..before].last().is_some_and(|t| t.span.start >= q.inner.end)
            && prefix_end.is_some_and(|e| e <= q.inner.end);
        let opens_after = toks[after..]
            .iter()
            .take_while(|t| !t.word)
            .any(|t| t.span.end <= q.inner.start)
            && toks.get(after).is_some_and(|t| !t.word && t.span.start < q.inner.start);
        if closes_before || opens_after {
            return q.inner.intersection(&sentence).and_then(|c| trim_span(toks, c));
        }
    }
    let trailing_words = toks[after..].iter().filter(|t| t.word).count();
    // "… but it did not say when": a denial carries nothing, least of all the clause before it.
    if toks[cue_start..cue_end].iter().any(|t| t.is_any(NEGATORS)) && trailing_words < 3 {
        return None;
    }
    if trailing_words >= 3 && !content_precedes(toks, before, after) {
        let mut a = after;
        while a < toks.len() && toks[a].is_any(&["that", ":", ","]) {
            a += 1;
        }
        // Stop before a later attribution: ", per the report", ", according to …".
        let stop = (a..toks.len())
            .find(|&k| {
                toks[k].text == "," && toks.get(k + 1).is_some_and(|n| n.is_any(&["per", "according", "citing"]))
            })
            .unwrap_or(toks.len());
        return clause(toks, a, stop);
    }
    clause(toks, 0, before)
}

/// Words that open what follows a trailing "X said" when it is not the content: a time, a place, an occasion.
const AFTER_TRAILING_CUE: &[&str] = &[
    "on",
    "in",
    "at",
    "after",
    "before",
    "during",
    "while",
    "as",
    "when",
    "last",
    "this",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "later",
    "recently",
    "via",
    "through",
    "from",
    "to",
];

/// "The bridge will close for a month, the mayor said Friday after a visit": the words after a trailing cue are its
/// setting, and the content is the clause before the source. So is it after a quotation closed with a comma
/// ("…,'' said Ann Roe, an engineer"). Not when the cue goes on with "that" or a quotation.
fn content_precedes(toks: &[Token<'_>], before: usize, after: usize) -> bool {
    // Words of the clause before the source, after an opening adverbial ("In March, the plant will close, …").
    let first = toks.iter().position(|t| t.word).unwrap_or(before);
    let clause_start = past_opener(toks, first, before).unwrap_or(first);
    // Counting stops at four words, so a sentence with thousands of cues stays linear.
    let words_before = toks[clause_start.min(before)..before].iter().filter(|t| t.word).take(4).count();
    let set_off = before > 0 && matches!(toks[before - 1].text, "," | "”" | "'" | "\"");
    // "…, the mayor told the council on Monday": a short object of told/warned comes before the setting.
    let mut n = after;
    if after > 0 && toks[after - 1].is_any(OBJECT_CUES) {
        while n < toks.len() && n - after < 3 && toks[n].word && !is_setting(&toks[n]) {
            n += 1;
        }
    }
    let next = toks.get(n);
    let setting = next.is_none_or(|t| t.text == "," || is_setting(t));
    let goes_on = next.is_some_and(|t| t.is_any(&["that", "“", "\""]));
    words_before >= 4 && set_off && setting && !goes_on
}

/// Cues that take a person as object before what they report: "told the council", "warned lawmakers".
const OBJECT_CUES: &[&str] = &["told", "tells", "warned", "warns", "assured", "reminded", "informed", "urged"];

fn is_setting(t: &Token<'_>) -> bool {
    t.is_any(AFTER_TRAILING_CUE) || t.is_any(WEEKDAYS)
}

/// `span` shrunk to the tokens inside it, without leading or trailing punctuation.
fn trim_span(toks: &[Token<'_>], span: Span) -> Option<Span> {
    let a = toks.iter().position(|t| span.contains(&t.span))?;
    let b = toks.iter().rposition(|t| span.contains(&t.span))? + 1;
    clause(toks, a, b)
}

/// The tokens `a..b` as a span, without leading or trailing punctuation other than quote marks; `None` when no
/// word is left.
fn clause(toks: &[Token<'_>], a: usize, b: usize) -> Option<Span> {
    let keep = |t: &Token<'_>| t.word || matches!(t.text, "“" | "”" | "\"");
    let first = (a..b).find(|&k| keep(&toks[k]))?;
    let last = (first..b).rev().find(|&k| keep(&toks[k]))?;
    let words = toks[first..=last].iter().filter(|t| t.word).count();
    (words > 0).then(|| Span::new(toks[first].span.start, toks[last].span.end))
}

/// Finish an attribution: direct when its content holds a quotation (or is one).
fn build(
    text: &str,
    cue: Span,
    source: Option<Span>,
    content: Option<Span>,
    quotes: &[Quote],
    rule: Rule,
) -> Attribution {
    let direct_quote = content.is_some_and(|c| {
        quotes[quotes_near(quotes, c, 0)].iter().any(|q| q.inner.overlaps(&c)) || c.text(text).contains(['“', '”', '"'])
    });
    Attribution { cue: Some(cue), source, speaker: None, kind: SourceKind::Unnamed, direct_quote, content, rule }
}

/// A resolved speaker.
#[derive(Debug, Clone)]
struct Speaker {
    name: String,
    kind: SourceKind,
}

/// The speakers seen so far, for pronouns, "the outlet" and surnames. Every look-up is by key or by a kept index,
/// so resolving stays constant-time however many speakers a document has.
#[derive(Debug, Default)]
struct Speakers {
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
    fn resolve(&mut self, text: &str, a: &Attribution) -> Option<Speaker> {
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
const ORGANISATION_WORDS: &[&str] = &[
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
fn looks_like_person(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()))
        && !words.iter().any(|w| ORGANISATION_WORDS.contains(w))
}

/// The part of a source phrase that names the source: of "Tom Berg, the mayor of Oslo," the
/// name; of "Russia's Ambassador to France, Jean Roe" also the name; without commas, the phrase less any bracket.
fn head_chunk<'t, 'a>(toks: &'t [Token<'a>]) -> &'t [Token<'a>] {
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
fn kind_of(toks: &[Token<'_>]) -> SourceKind {
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
fn person_name(toks: &[Token<'_>]) -> Option<String> {
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

/// Sentences inside a quotation whose speaker is known elsewhere get that speaker: a quotation that runs over
/// several sentences, and a paragraph that opens with a quotation right after a quoted speaker's paragraph.
fn carry_quotations(text: &str, sentences: &mut [Sentence], quotes: &[Quote]) {
    // The speaker of each quotation, from a direct attribution whose content overlaps it.
    let mut quote_speaker: Vec<Option<(String, SourceKind)>> = vec![None; quotes.len()];
    for s in sentences.iter() {
        for a in s.attributions.iter().filter(|a| a.direct_quote) {
            let (Some(c), Some(name)) = (a.content, &a.speaker) else { continue };
            let around = a.cue.map_or(c, |cue| Span::new(c.start.min(cue.start), c.end.max(cue.end)));
            for k in quotes_near(quotes, around, ADJACENT_REACH) {
                if quotes[k].inner.overlaps(&c) || adjacent(text, quotes[k].inner, a.cue) {
                    quote_speaker[k] = Some((name.clone(), a.kind));
                }
            }
        }
    }
    // The speaker of the previous sentence's quotation, if it had one.
    let mut previous_quoted: Option<(String, SourceKind)> = None;
    for s in sentences.iter_mut() {
        if s.attributions.is_empty() {
            let opens = s.span.text(text).starts_with(['“', '"']);
            let inside = quotes_near(quotes, s.span, 0)
                .find(|&k| quotes[k].inner.overlaps(&s.span) && quotes[k].inner.start <= s.span.start + 3);
            let from_quote = inside.and_then(|q| quote_speaker[q].clone()).map(|sp| (sp, CONTINUED));
            let from_previous = || Some((previous_quoted.clone()?, NEXT_QUOTE)).filter(|_| opens);
            if let Some(((name, kind), (rule, why))) = from_quote.or_else(from_previous) {
                let content = inside
                    .map(|q| quotes[q].inner)
                    .and_then(|q| q.intersection(&s.span))
                    .or(Some(s.span));
                s.attributions.push(Attribution {
                    cue: None,
                    source: None,
                    speaker: Some(name),
                    kind,
                    direct_quote: true,
                    content,
                    rule: Rule::named(rule, why),
                });
            }
        }
        previous_quoted = s
            .attributions
            .iter()
            .rev()
            .find(|a| a.direct_quote)
            .and_then(|a| Some((a.speaker.clone()?, a.kind)));
    }
}

/// Rule of a sentence inside a quotation whose speaker is named in another sentence of it.
const CONTINUED: (&str, &str) = ("continued-quote", "a quotation continued from a sentence that names its speaker");

/// Rule of a quotation that follows a quoted sentence with no speaker of its own, as news writing does.
const NEXT_QUOTE: (&str, &str) =
    ("quote-continues-speaker", "a quotation right after another speaker's quotation, with no new speaker named");

/// How far, in bytes, a cue may stand from the quotation it introduces or closes.
const ADJACENT_REACH: usize = 120;

/// True when the quotation and the cue stand close together (either side), with less than a clause of words
/// between them: "“…,” Watson said", "Watson said: “…”".
fn adjacent(text: &str, quote: Span, cue: Option<Span>) -> bool {
    let Some(cue) = cue else { return false };
    let gap = if cue.start >= quote.end { text.get(quote.end..cue.start) } else { text.get(cue.end..quote.start) };
    gap.is_some_and(|g| g.len() < ADJACENT_REACH && g.chars().filter(|c| c.is_alphabetic()).count() < 80)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate;
    use crate::hedge::tests::locate;

    /// (sentence index, source, cue, speaker, kind, direct) of every attribution of `text`.
    /// (sentence index, source, cue, speaker, kind, direct quote).
    type Found<'a> = (usize, Option<&'a str>, Option<&'a str>, String, &'static str, bool);

    /// The content of the first sentence's attribution whose cue reads `cue`.
    fn content_of(text: &str, cue: &str) -> Option<String> {
        let doc = annotate(text);
        let a = doc
            .sentences
            .first()?
            .attributions
            .iter()
            .find(|a| a.cue.is_some_and(|c| c.text(text) == cue))?;
        a.content.map(|c| c.text(text).to_string())
    }

    fn attrs(text: &str) -> Vec<Found<'_>> {
        let doc = annotate(text);
        let mut out = Vec::new();
        for (i, s) in doc.sentences.iter().enumerate() {
            for a in &s.attributions {
                out.push((
                    i,
                    a.source.map(|x| x.text(text)),
                    a.cue.map(|x| x.text(text)),
                    a.speaker.clone().unwrap_or_default(),
                    a.kind.as_str(),
                    a.direct_quote,
                ));
            }
        }
        out
    }

    #[test]
    fn quotation_then_speaker_and_venue() {
        let a = attrs("“The dam is safe,” Mayor Ana Ruiz said in a televised address.");
        assert_eq!(
            a,
            vec![(0, Some("Mayor Ana Ruiz"), Some("said in a televised address"), "Ana Ruiz".into(), "named", true)]
        );
    }

    #[test]
    fn inverted_speaker_after_the_cue() {
        let a = attrs("“The figures are wrong,” said Tom Berg, a trader in Oslo.");
        assert_eq!(a[0].1, Some("Tom Berg"));
        assert_eq!(a[0].4, "named");
    }

    #[test]
    fn passive_with_by() {
        let a = attrs("The price was not revealed Tuesday by the club chairman, but fans expect a record.");
        assert_eq!(a[0].1, Some("the club chairman"));
        assert_eq!(a[0].2, Some("was not revealed"));
    }

    #[test]
    fn relative_pronoun_takes_its_antecedent() {
        let a = attrs("The agency quoted engineers who said the bridge was sound.");
        assert!(a.iter().any(|x| x.1 == Some("engineers") && x.2 == Some("said")), "{a:?}");
    }

    #[test]
    fn title_phrase_in_apposition() {
        let a = attrs("France’s Minister of Finance, Claire Dubois later argued that taxes must rise.");
        assert_eq!(a[0].1, Some("France’s Minister of Finance, Claire Dubois"));
        assert_eq!(a[0].3, "Claire Dubois");
    }

    #[test]
    fn pronouns_and_surnames_point_back() {
        let text =
            "Senator Maria Lopez said the vote was rigged. Lopez added that she would appeal. She said it twice.";
        let a = attrs(text);
        assert_eq!(a.iter().map(|x| x.3.as_str()).collect::<Vec<_>>(), vec!["Maria Lopez"; 3]);
    }

    #[test]
    fn the_outlet_is_the_last_media_source() {
        let text = "The Guardian reported the deal. The outlet said it had seen the contract.";
        let a = attrs(text);
        assert_eq!(a[1].3, "The Guardian");
        assert_eq!(a[1].4, "media");
    }

    #[test]
    fn quotation_over_two_sentences_and_the_next_paragraph() {
        let text = "“The port was closed for a month. Grain prices doubled after that,” the minister said.\n\
                    “We will reopen it in the spring.”";
        let a = attrs(text);
        assert_eq!(a.len(), 3, "{a:?}");
        assert_eq!((a[0].0, a[0].2, a[0].5), (0, None, true));
        assert_eq!((a[1].0, a[1].1), (1, Some("the minister")));
        assert_eq!((a[2].0, a[2].2, a[2].3.as_str()), (2, None, "the minister"));
    }

    #[test]
    fn parenthetical_between_source_and_cue() {
        let a = attrs("Three nurses at the clinic, who asked not to be named, said the wards were full.");
        assert_eq!(a[0].1, Some("Three nurses at the clinic"));
        let a = attrs("Sen. Ann Roe, R-Ohio, said the bill was dead.");
        assert_eq!((a[0].1, a[0].3.as_str()), (Some("Sen. Ann Roe, R-Ohio"), "Ann Roe"));
        let a = attrs("Sen. Ann Roe (R-Ohio) said the bill was dead.");
        assert_eq!((a[0].1, a[0].3.as_str()), (Some("Sen. Ann Roe (R-Ohio)"), "Ann Roe"));
        let a = attrs("Tom Berg, the mayor of Oslo, one of the hosts, said the summit went well.");
        assert_eq!((a[0].1, a[0].3.as_str()), (Some("Tom Berg, the mayor of Oslo, one of the hosts"), "Tom Berg"));
    }

    #[test]
    fn second_verb_shares_the_subject() {
        let a = attrs("Gov. Ben Ortiz toured the flooded streets and said the state would pay for repairs.");
        assert_eq!((a[0].1, a[0].2), (Some("Gov. Ben Ortiz"), Some("said")));
    }

    #[test]
    fn quotation_after_a_quoted_sentence_keeps_the_speaker() {
        let text = "“The roof leaks,” the tenant said. “Nobody has come to fix it.”";
        let a = attrs(text);
        assert_eq!((a[1].0, a[1].2, a[1].3.as_str()), (1, None, "the tenant"));
    }

    #[test]
    fn a_document_source_stops_before_its_participle() {
        let a = attrs("The mine will close, according to a memo sent to staff on Monday.");
        assert_eq!(a[0].1, Some("a memo"));
    }

    #[test]
    fn participle_after_a_comma_takes_the_sentence_subject() {
        let a = attrs("The Roe campaign fought the report, saying it was false.");
        assert_eq!((a[0].1, a[0].2), (Some("The Roe campaign"), Some("saying")));
    }

    #[test]
    fn an_infinitive_cue_takes_no_phrase_before_to_as_source() {
        let text = "The envoy flew to Oslo on Monday to discuss the ceasefire.";
        assert!(attrs(text).is_empty(), "{:?}", attrs(text));
        let text = "The envoy declined to discuss the ceasefire.";
        assert_eq!(attrs(text).len(), 1, "{:?}", attrs(text));
    }

    #[test]
    fn a_belief_inside_reported_speech_belongs_to_the_speaker() {
        let found = attrs("The mayor said the police believe that the driver fled.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, Some("said"));
        // Speech inside speech names a second source and stays.
        assert_eq!(attrs("The mayor said the police told her that the driver fled.").len(), 2);
        // A belief before its outlet stays too.
        assert_eq!(attrs("Officials believe the talks will fail, according to the Gazette.").len(), 2);
    }

    #[test]
    fn a_dash_signature_after_a_closed_quotation() {
        let text = "“The new park is a joy for the whole street.” ― Lena Ortiz\n“The bus is late again.” ― Tom Hale";
        let found = attrs(text);
        let sources: Vec<_> = found.iter().map(|f| f.1).collect();
        assert!(sources.contains(&Some("Lena Ortiz")) && sources.contains(&Some("Tom Hale")), "{found:?}");
    }

    #[test]
    fn a_quoted_transcript_turn_names_its_speaker() {
        let text = "Partial transcript:\n\n\"HOST: Welcome back to the show.\n\n\"MAYOR: Thank you for having me.";
        let found = attrs(text);
        let sources: Vec<_> = found.iter().map(|f| f.1).collect();
        assert_eq!(sources, vec![Some("HOST"), Some("MAYOR")], "{found:?}");
    }

    #[test]
    fn source_before_dashes_a_negation_with_an_adverb_and_a_comma_before_a_quote() {
        let a = attrs("Jim Bell -- a lawyer for the family -- said the judge erred.");
        assert!(a.iter().any(|f| f.1 == Some("Jim Bell") && f.2 == Some("said")), "{a:?}");
        let a = attrs("Jim Bell — a lawyer for the family — said the judge erred.");
        assert!(a.iter().any(|f| f.1 == Some("Jim Bell") && f.2 == Some("said")), "{a:?}");
        let a = attrs("The council did not immediately respond when we asked about the fire.");
        assert_eq!((a[0].1, a[0].2), (Some("The council"), Some("did not immediately respond")));
        let a = attrs("She continued, “For us, the families come first.”");
        assert_eq!((a[0].1, a[0].2), (Some("She"), Some("continued")));
    }

    #[test]
    fn subjects_behind_openers_and_relatives_after_a_comma() {
        let a = attrs("On Monday, however, the mayor visited the school, promising new books.");
        assert_eq!((a[0].1, a[0].2), (Some("the mayor"), Some("promising")), "{a:?}");
        let a = attrs("The coach praised the goalkeeper, who says he is ready.");
        assert!(a.iter().any(|f| f.1 == Some("the goalkeeper") && f.2 == Some("says")), "{a:?}");
        let a = attrs("The bridge will close for a month, the Gazette reports.");
        assert_eq!((a[0].1, a[0].2), (Some("the Gazette"), Some("reports")), "{a:?}");
        assert!(attrs("The Gazette reports.").is_empty() || attrs("Two reports.").is_empty());
    }

    #[test]
    fn content_before_a_trailing_cue_with_its_setting_after() {
        let text = "The bridge will close for a month, the mayor said Friday after a visit to the site.";
        assert_eq!(content_of(text, "said").as_deref(), Some("The bridge will close for a month"));
        let text = "''The roof is sound,'' said Ann Roe, an engineer who inspected the hall.";
        assert_eq!(content_of(text, "said").as_deref(), Some("The roof is sound"));
        // Without a setting after the cue, the clause after it is the content.
        let text = "In a short speech to the council, the mayor said the bridge would close for a month.";
        assert_eq!(content_of(text, "said").as_deref(), Some("the bridge would close for a month"));
    }

    #[test]
    fn reportedly_is_an_unnamed_report() {
        let text = "The old bridge was reportedly closed for repairs.";
        let doc = annotate(text);
        let a = &doc.sentences[0].attributions[0];
        assert_eq!(a.content.map(|c| c.text(text)), Some("The old bridge was reportedly closed for repairs"));
        assert_eq!(a.cue.map(|c| c.text(text)), Some("reportedly"));
        assert_eq!((a.source, a.speaker.as_deref(), a.kind), (None, None, SourceKind::Unnamed));
        assert_eq!(a.rule.id, "rule/reportedly");
        assert!(
            attrs("“He reportedly left,” she joked.")
                .iter()
                .all(|f| f.2 != Some("reportedly"))
        );
    }

    #[test]
    fn even_is_skipped_and_chants_after_with_is_a_noun() {
        let a = attrs("The coach blamed the pitch, even suggesting that it was too dry.");
        assert!(a.iter().any(|f| f.1 == Some("The coach") && f.2 == Some("suggesting")), "{a:?}");
        assert!(attrs("The mayor was greeted with chants of protest at the fair.").is_empty());
    }

    #[test]
    fn plural_nouns_that_are_also_cues() {
        for text in [
            "Two blasts shook the port on Sunday.",
            "Wedding vows were exchanged at noon.",
            "Police found hints of a struggle.",
            "Residents heard blasts near the port.",
            "The firm's boasts about speed proved false.",
            "On Monday, the tenant dropped the lawsuit over unpaid claims.",
            "After a long delay, the court heard Smith's claims.",
        ] {
            assert!(attrs(text).is_empty(), "{text}: {:?}", attrs(text));
        }
        let a = attrs("The council vows that the pool will reopen.");
        assert_eq!((a[0].1, a[0].2), (Some("The council"), Some("vows")));
        let a = attrs("The union vows to strike until June.");
        assert_eq!((a[0].1, a[0].2), (Some("The union"), Some("vows")));
    }

    #[test]
    fn trailing_cues_with_openers_objects_and_participles() {
        let text = "In March, the plant will close for repairs, the company said Friday after a board meeting.";
        assert_eq!(content_of(text, "said").as_deref(), Some("In March, the plant will close for repairs"));
        let text = "The old plant is safe, the mayor told the council on Monday.";
        assert_eq!(content_of(text, "told").as_deref(), Some("The old plant is safe"));
        let text = "The park will reopen soon, officials said, adding that the lake was clean.";
        assert_eq!(content_of(text, "said").as_deref(), Some("The park will reopen soon"));
        // A participle after a comma takes no source after it.
        let a = attrs("After the game, the fans cheered, saying the team had earned it.");
        assert!(a.iter().all(|f| f.1 != Some("the team")), "{a:?}");
    }

    #[test]
    fn reportedly_inside_another_report_and_quoted_colons() {
        let a = attrs("The minister reportedly resigned, the Gazette said.");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].1, Some("the Gazette"));
        let a = attrs("\"Today: sunny and warm,\" the forecast said.");
        assert!(a.iter().all(|f| f.1 != Some("Today")), "{a:?}");
    }

    #[test]
    fn states_as_a_noun_is_no_cue() {
        assert!(attrs("In twelve states the law allows it.").is_empty());
        assert_eq!(attrs("The contract states that the roof is included.").len(), 1);
    }

    #[test]
    fn colon_and_dash_name_the_speaker() {
        let a = attrs("MAYOR: We will rebuild the bridge.");
        assert_eq!((a[0].1, a[0].2), (Some("MAYOR"), Some(":")));
        assert!(attrs("Update: the road is open again.").is_empty());
        let a = attrs("“The bus never came.” ― Ana Lima");
        assert_eq!((a[0].1, a[0].3.as_str(), a[0].5), (Some("Ana Lima"), "Ana Lima", true));
    }

    #[test]
    fn plural_nouns_that_look_like_cues() {
        assert!(attrs("The United States imposed new tariffs.").is_empty());
        assert!(attrs("Turnout rose in the swing states of Ohio and Iowa.").is_empty());
        let a = attrs("The report states that the dam is unsafe.");
        assert_eq!(a[0].1, Some("The report"));
    }

    #[test]
    fn pronouns_without_a_fitting_antecedent_stay_unresolved() {
        let a =
            attrs("Mayor Lena Ortiz said the bridge is safe.\n\nThe bank raised rates. It said inflation was high.");
        assert_eq!((a[1].1, a[1].3.as_str()), (Some("It"), ""), "'it' is not the mayor: {a:?}");
        let a = attrs("She said it was rushed.");
        assert_eq!((a[0].3.as_str(), a[0].4), ("", "unnamed"));
        let a = attrs("The Herald reported the leak. It said the files were real.");
        assert_eq!(a[1].3, "Herald");
        let text = "The company said it would hire staff, but it did not say when.";
        let doc = annotate(text);
        let denial = doc.sentences[0]
            .attributions
            .iter()
            .find(|x| x.cue.is_some_and(|c| c.text(text) == "did not say"));
        assert_eq!(denial.map(|d| d.content), Some(None), "a denial carries no content");
    }

    #[test]
    fn negated_cue_keeps_its_negation() {
        let a = attrs("The coach did not say when the striker would return.");
        assert_eq!(a[0].2, Some("did not say"));
    }

    #[test]
    fn not_every_cue_word_attributes() {
        assert!(attrs("Rents rose 4 per cent in March.").is_empty());
        assert!(attrs("The claims were thrown out by a judge.").is_empty());
        assert!(attrs("It is hard to believe the result.").is_empty());
        assert!(attrs("The bill passed, citing nothing.").is_empty());
    }

    #[test]
    fn cues_inside_a_quotation_belong_to_the_quote() {
        let a = attrs("“Our engineers believe the bridge is safe,” the mayor said.");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].1, Some("the mayor"));
    }

    #[test]
    fn unbalanced_and_straight_quotes_do_not_break_anything() {
        for text in ["\"He left,\" she said. \"Then", "”Odd,“ he said.", "“", "said", "according to", "\"\"said\""]
        {
            let _ = attrs(text);
        }
        let a = attrs("\"It is over,\" the coach said.");
        assert!(a[0].5);
    }

    #[test]
    fn lexicons_parse_cleanly() {
        assert_eq!(cue_lexicon().problems, Vec::<String>::new());
        assert_eq!(source_lexicon().problems, Vec::<String>::new());
    }

    /// Every cue entry's example yields an attribution whose cue covers the phrase.
    #[test]
    fn every_cue_example() {
        let mut failures = Vec::new();
        for e in &cue_lexicon().entries {
            let text = e.example;
            // The example shows one of the line's forms ("blamed" of "blame/blames/blamed/blaming").
            let at = e.forms.split('/').find_map(|form| locate(text, form));
            let attrs: Vec<Attribution> = annotate(text).sentences.into_iter().flat_map(|s| s.attributions).collect();
            let ok = at.is_some_and(|at| attrs.iter().any(|a| a.cue.is_some_and(|c| c.contains(&at))));
            if !ok {
                failures.push(format!("{:?} in {text:?}", e.forms));
            }
        }
        assert!(failures.is_empty(), "{} examples fail:\n{}", failures.len(), failures.join("\n"));
    }

    /// Every form on a line attributes in its line's example too: each form put in place of the one the example
    /// shows ("The coach blames the referee …" from "The coach blamed the referee …") yields a cue covering it.
    #[test]
    fn every_cue_form_in_its_lines_example() {
        let mut failures = Vec::new();
        for e in cue_lexicon().entries.iter().filter(|e| e.forms.contains('/')) {
            let Some(at) = e.forms.split('/').find_map(|form| locate(e.example, form)) else { continue };
            let text = format!("{}{}{}", &e.example[..at.start], e.phrase, &e.example[at.end..]);
            let Some(own) = locate(&text, e.phrase) else { continue };
            let doc = annotate(&text);
            let attrs: Vec<&Attribution> = doc.sentences.iter().flat_map(|s| &s.attributions).collect();
            if !attrs.iter().any(|a| a.cue.is_some_and(|c| c.contains(&own))) {
                failures.push(format!("{:?} in {text:?}", e.phrase));
            }
        }
        assert!(failures.is_empty(), "{} forms fail:\n{}", failures.len(), failures.join("\n"));
    }

    /// Every source word's example yields an attribution whose source holds the word, of the right kind; a title
    /// stays out of the speaker's name.
    #[test]
    fn every_source_word_example() {
        let mut failures = Vec::new();
        for e in &source_lexicon().entries {
            let text = e.example;
            let at = e.forms.split('/').find_map(|form| locate(text, form));
            let attrs: Vec<Attribution> = annotate(text).sentences.into_iter().flat_map(|s| s.attributions).collect();
            let ok = at.is_some_and(|at| {
                attrs.iter().any(|a| {
                    let speaker = a.speaker.as_deref().unwrap_or("").to_lowercase();
                    let kind_ok = match e.category {
                        SourceWord::Media => a.kind == SourceKind::Media,
                        SourceWord::Group | SourceWord::Document => a.kind == SourceKind::Unnamed,
                        // A title is not part of the speaker's name.
                        SourceWord::Title => !speaker.starts_with(&e.phrase.to_lowercase()),
                    };
                    a.source.is_some_and(|s| s.contains(&at)) && kind_ok
                })
            });
            if !ok {
                let got: Vec<String> = attrs
                    .iter()
                    .map(|a| format!("{:?}/{:?}", a.source.map(|s| s.text(text)), a.kind))
                    .collect();
                failures.push(format!("{:?} in {text:?}: {got:?}", e.phrase));
            }
        }
        assert!(failures.is_empty(), "{} examples fail:\n{}", failures.len(), failures.join("\n"));
    }
}
