//! Hedge cues: the words by which a text says how sure it is.

use crate::document::Rule;
use crate::lexicon::lexicon;
use crate::span::Span;
use crate::token::{Token, WEEKDAYS};

/// A hedge cue found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Hedge {
    /// The cue, e.g. "would likely" or "as soon as" (one span for a multi-word cue).
    pub span: Span,
    /// What kind of uncertainty it expresses.
    pub category: HedgeCategory,
    /// The lexicon entry or rule that found it.
    pub rule: Rule,
}

/// Kinds of uncertainty, following the Szeged Uncertainty Corpus used to measure Lectern on news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HedgeCategory {
    /// Possibility or probability: could, may, might, would, likely, possibly, perhaps.
    Epistemic,
    /// A belief or expectation rather than knowledge: believe, think, expect, "is expected to", seems.
    Doxastic,
    /// Truth depends on a condition: if, unless, "Should Kim agree …".
    Conditional,
    /// Something is under investigation or in question: whether, examine.
    Investigation,
    /// Imprecision or limits of knowledge: "as soon as", "at least as far as … knows", "in part", about.
    Approximator,
}

impl HedgeCategory {
    /// Every category, in legend order.
    pub const ALL: [HedgeCategory; 5] = [
        HedgeCategory::Epistemic,
        HedgeCategory::Doxastic,
        HedgeCategory::Conditional,
        HedgeCategory::Investigation,
        HedgeCategory::Approximator,
    ];

    /// Machine name, as used in JSON, CSS and lexicon files.
    pub fn as_str(self) -> &'static str {
        match self {
            HedgeCategory::Epistemic => "epistemic",
            HedgeCategory::Doxastic => "doxastic",
            HedgeCategory::Conditional => "conditional",
            HedgeCategory::Investigation => "investigation",
            HedgeCategory::Approximator => "approximator",
        }
    }

    /// Parse a machine name.
    pub fn parse(name: &str) -> Option<HedgeCategory> {
        HedgeCategory::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// What the category means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            HedgeCategory::Epistemic => "possibility or probability",
            HedgeCategory::Doxastic => "belief or expectation, not knowledge",
            HedgeCategory::Conditional => "true only under a condition",
            HedgeCategory::Investigation => "open question under investigation",
            HedgeCategory::Approximator => "imprecise or limited claim",
        }
    }
}

/// A lexicon category: a hedge category, or `Not` for a phrase that must not be read as a hedge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    Hedge(HedgeCategory),
    Not,
}

fn parse_cue(name: &str) -> Option<Cue> {
    match name {
        "not" => Some(Cue::Not),
        other => HedgeCategory::parse(other).map(Cue::Hedge),
    }
}

lexicon!(lexicon, "hedges.tsv", Cue, parse_cue);

/// Words that may follow "as soon as" / "as early as" when it approximates a time ("as soon as next week"); when
/// anything else follows, the phrase is a plain temporal conjunction ("as soon as he arrived").
const TIME_WORDS: &[&str] = &[
    "next",
    "this",
    "tomorrow",
    "today",
    "tonight",
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
    "jan.",
    "feb.",
    "aug.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
    "early",
    "late",
    "mid",
    "the",
    "later",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "day",
    "days",
    "a",
    "an",
    "two",
    "three",
    "four",
    "five",
    "six",
    "ten",
];

/// Adverbs that may stand inside a multi-word modal cue: "would *also* likely".
const INNER_ADVERBS: &[&str] = &["also", "still", "most", "very", "quite", "even", "now", "then", "only", "all"];

/// Modals that combine with a following probability adverb into one cue.
const MODALS: &[&str] = &["would", "will", "could", "may", "might", "can", "should", "must", "'ll", "wo"];

/// Adverbs of probability that a preceding modal joins: "would likely", "will probably".
const PROBABILITY_ADVERBS: &[&str] =
    &["likely", "probably", "possibly", "perhaps", "conceivably", "certainly", "definitely", "surely", "presumably"];

/// Forms of "be" joined to a following doxastic participle: "is expected", "were believed".
const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "'s", "’s"];

/// Verbs of knowing that close an "as far as … knows" limiter.
const KNOW_VERBS: &[&str] = &["know", "knows", "knew", "known", "tell", "aware", "see", "understand", "understands"];

/// Hedge cues among a sentence's tokens `toks`, in order, not overlapping.
pub(crate) fn find(toks: &[Token<'_>]) -> Vec<Hedge> {
    let lex = lexicon();
    let mut out: Vec<(usize, usize, Hedge)> = Vec::new();
    let mut i = 0;
    let norm = crate::lexicon::Normalized::new(toks);
    while i < toks.len() {
        if let Some(end) = as_far_as_knows(toks, i) {
            let span = Span::new(toks[i].span.start, toks[end - 1].span.end);
            let rule = Rule::named("as-far-as-knows", "limits a claim to what somebody knows");
            out.push((i, end, Hedge { span, category: HedgeCategory::Approximator, rule }));
            i = end;
            continue;
        }
        if inverted_condition(toks, i) {
            let rule =
                Rule::named("inverted-condition", "\"Should X …\" / \"Were X …\" states a condition, like \"if\"");
            out.push((i, i + 1, Hedge { span: toks[i].span, category: HedgeCategory::Conditional, rule }));
            i += 1;
            continue;
        }
        let Some((end, entry)) = lex.match_at(&norm, i) else {
            i += 1;
            continue;
        };
        if let Cue::Hedge(category) = entry.category
            && context_allows(toks, i, end, entry.phrase)
        {
            // "did not know if …", "asked if …": an embedded question, not a condition.
            let asks = entry.phrase == "if" && i > 0 && toks[i - 1].is_any(ASKING_VERBS);
            let category = if asks {
                HedgeCategory::Investigation
            } else if approximate_figure(toks, i, end, &entry.phrase.to_ascii_lowercase()) {
                HedgeCategory::Approximator
            } else {
                category
            };
            let span = Span::new(toks[i].span.start, toks[end - 1].span.end);
            let rule = Rule { id: lex.rule_id(entry), why: lexicon_why(category, entry.example) };
            out.push((i, end, Hedge { span, category, rule }));
        }
        i = end;
    }
    join_be_forms(toks, &mut out);
    join_modal_adverbs(toks, &mut out);
    out.into_iter().map(|(_, _, h)| h).collect()
}

/// The context rules for a lexicon match of tokens `i..end`: false when the context says it is no hedge.
fn context_allows(toks: &[Token<'_>], i: usize, end: usize, phrase: &str) -> bool {
    let first = &toks[i];
    let next = toks.get(end);
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    match phrase.to_ascii_lowercase().as_str() {
        // A capitalised "May" is the month ("May 5", "in May") or, at the start, a wish ("May the best team win")
        // or a request ("May I ask?"): never the modal of possibility.
        // A lowercase "may" is the modal even after "this" or "in" ("this may explain"); only a digit after it
        // ("may 5" in lowercased text) still makes it a date.
        "may" => {
            let date_next = next.is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit()));
            !(first.text.starts_with('M') || date_next)
        }
        // "as soon as next week" approximates a time; "as soon as he landed" is a plain conjunction.
        "as soon as" | "as early as" => next.is_some_and(|n| {
            n.is_any(TIME_WORDS) || n.is_any(WEEKDAYS) || n.text.starts_with(|c: char| c.is_ascii_digit())
        }),
        // Nouns as often as verbs: belief only when a subject stands before them.
        "plans" | "hopes" | "sees" => prev.is_some_and(|p| p.word && !p.is_any(DETERMINERS)),
        // "said it would resign" is the future seen from the past, and "would not say" a refusal: neither hedges.
        "would" => {
            let refusal = next.is_some_and(|n| n.is_any(&["not", "n't"]))
                && toks.get(end + 1).is_some_and(|v| v.is_any(REFUSED_VERBS));
            let narrative = next.is_some_and(|n| n.is_any(NARRATIVE_AFTER_WOULD))
                || prev.is_some_and(|p| p.is_any(&["which", "who", "later"]));
            // Bare "would" is mostly narrative or the future seen from the past; it hedges when it softens an
            // opinion ("would seem", "would argue") or states a consequence under a condition ("if …, it would").
            let softener = next.is_some_and(|n| n.is_any(SOFTENED_VERBS));
            let hypothetical = toks.iter().any(|t| t.is_any(&["if", "unless", "otherwise", "without"]))
                || toks.iter().position(|t| t.word).is_some_and(|f| inverted_condition(toks, f));
            !refusal
                && !narrative
                && !reported_future(toks, i)
                && !counterfactual_past(toks, end)
                && !evaluative_extraposition(toks, i, end)
                && (softener || hypothetical)
        }
        // "appeared in three films" is literal; "appeared to be", "appears that" are not.
        "appear" | "appears" | "appeared" => next.is_some_and(|n| n.is_any(&["to", "that", "likely", "unlikely"])),
        // "as soon as possible", "made it possible for", "possible to bend the pins", "every possible": a superlative,
        // an ability or a range, not a possibility.
        "possible" => {
            let ability = next.is_some_and(|n| n.is_any(&["to", "for"]))
                || (i >= 2 && toks[i - 1].is("it") && toks[i - 2].is_any(&["make", "makes", "made", "making"]));
            let range = prev.is_some_and(|p| {
                p.is_any(RANGE_WORDS) || p.text.ends_with("est") || p.text.starts_with(|c: char| c.is_ascii_digit())
            });
            let enabled = prev.is_some_and(|p| p.is_any(&["make", "makes", "made", "making"]));
            !ability && !range && !enabled
        }
        // "its potential to", "export potential": the noun (capacity), not the adjective of possibility.
        "potential" => {
            !next.is_some_and(|n| !n.word || n.is_any(&["of", "to", "for", "as", "in"]))
                && !prev.is_some_and(|p| p.is_any(&["its", "their", "his", "her", "our", "full", "great", "growth"]))
        }
        // "so that he could fire officials": a purpose, not a possibility.
        "could" | "might" => {
            let purpose = toks[i.saturating_sub(4)..i]
                .windows(2)
                .any(|w| w[0].is("so") && w[1].is("that"));
            let could = first.is("could");
            let negated = next.is_some_and(|n| n.is_any(&["not", "n't", "never"]));
            !purpose && !(could && (negated || ability(toks, end)))
        }
        // "a suspect", "the suspects": the noun, not the verb of suspicion.
        // "is suspect" is the adjective (doubtful), and "suspects had been arrested" the noun before its verb.
        "suspect" | "suspects" => {
            !prev.is_some_and(|p| {
                p.is_any(DETERMINERS) || p.is_any(&["our", "main", "prime", "key"]) || p.is_any(BE_FORMS)
            }) && !next.is_some_and(|n| n.is_any(NOUN_FOLLOWERS) || matches!(n.text, "," | "." | ";"))
        }
        // "investigating how the fire started" puts a question under investigation; "investigating the crash",
        // "examining the beam" report an activity with no open proposition.
        "investigating" | "examining" | "looking into" => next.is_some_and(|n| n.is_any(WH_WORDS)),
        // "a highly anticipated album" is awaited with interest, not predicted.
        "anticipated" => !prev.is_some_and(|p| p.is_any(&["highly", "eagerly", "much", "long", "keenly"])),
        // "users feel they were heard" holds a belief; "feel better", "a rustic feel", "able to feel pain" are
        // sensations or nouns.
        "feel" => {
            let subject = prev.is_some_and(|p| p.word && !p.is_any(DETERMINERS) && !p.is_any(CAUSATIVES));
            subject && next.is_some_and(|n| n.is_any(CLAUSE_OPENERS))
        }
        // "the cause is unknown", "unknown whether": a gap in knowledge; "an unknown painter", "The Unknown Soldier":
        // obscure, or a name.
        "unknown" => {
            let mut b = i;
            while b > 0 && i - b < 2 && toks[b - 1].is_any(DEGREE_OF_KNOWLEDGE) {
                b -= 1;
            }
            let predicative = b > 0 && (toks[b - 1].is_any(BE_FORMS) || toks[b - 1].is_any(&["remain", "remains"]));
            let question = next.is_some_and(|n| n.is_any(WH_WORDS));
            predicative || question
        }
        // "residents fear the river will rise" is a belief; "fear of heights", "fear and anger", "a fear": the noun.
        "fear" => {
            !prev.is_some_and(|p| p.is_any(DETERMINERS))
                && next.is_some_and(|n| n.word && !n.is_any(&["of", "and", "or", "about", "for"]))
        }
        // "to determine whether" opens a question; "used to determine the speed" states a purpose.
        "to determine" => next.is_some_and(|n| n.is_any(WH_WORDS)),
        // "the data indicate that …" draws an inference; "the first letter indicates the month" says what a sign
        // means.
        "indicate" | "indicates" => next.is_some_and(|n| n.is("that")),
        // "the belief that …" holds a proposition open; "belief in God", "this belief" name a creed or a topic.
        "belief" => next.is_some_and(|n| n.is("that")),
        // "a passing thought", "schools of thought", "well thought out", "thought highly of": the noun or an idiom.
        "thought" => {
            // "kind of thought" is the verb softened, not a noun after "of".
            let softened = i >= 2 && toks[i - 1].is("of") && toks[i - 2].is_any(&["kind", "sort"]);
            let noun = prev.is_some_and(|p| p.is_any(DETERMINERS) || p.is_any(THOUGHT_NOUN_BEFORE)) && !softened;
            !noun && !next.is_some_and(|n| n.is_any(&["out", "highly", "best"]))
        }
        // "had to consider the risk", "we will consider two cases", "Consider the following": weighing something
        // up, not holding a belief.
        "consider" => {
            let deliberate = prev.is_none_or(|p| !p.word || p.is_any(&["to", "will", "shall", "must", "'ll"]));
            !deliberate && !next.is_some_and(|n| n.is_any(&["whether", "how", "what"]))
        }
        // "assumed that …", "is assumed to be": a supposition; "assumed command", "assume the debt": taking on.
        "assume" | "assumes" | "assumed" => next.is_some_and(|n| n.is_any(ASSUMED_NEXT)),
        // "the view that …", "critics view the plan as …": an opinion; "a view of the sea", "in view of": not.
        "view" | "views" => {
            let that = next.is_some_and(|n| n.is("that"))
                || (next.is_some_and(|n| n.is_any(&["is", "was"])) && toks.get(end + 1).is_some_and(|n| n.is("that")));
            let as_verb = !prev.is_some_and(|p| p.is_any(DETERMINERS) || p.is_any(&["of", "in", "point"]))
                && toks[end..(end + 5).min(toks.len())]
                    .iter()
                    .take_while(|t| t.word && !t.is("of"))
                    .any(|t| t.is("as"));
            that || as_verb
        }
        // ", provided they pay": a condition when it opens a clause after a pause; "the firm provided funds" is the
        // verb.
        "provided" | "providing" => {
            prev.is_some_and(|p| matches!(p.text, "," | ";" | "—" | "–" | "-" | "("))
                && next.is_some_and(|n| n.is_any(SUBJECT_PRONOUNS))
        }
        _ => true,
    }
}

/// "It would be unwise to wait", "it would be a mistake to sell": an evaluation of a hypothetical course of action,
/// not a guess about what is the case. Token `i` is "would", `end` the token after it.
fn evaluative_extraposition(toks: &[Token<'_>], i: usize, end: usize) -> bool {
    let it = i > 0 && toks[i - 1].is("it");
    let be = toks.get(end).is_some_and(|b| b.is("be"));
    let to = toks[(end + 2).min(toks.len())..(end + 6).min(toks.len())]
        .iter()
        .take_while(|t| t.word && !t.is_any(&["if", "that", "unless"]))
        .any(|t| t.is("to"));
    it && be && to
}

/// Words before "possible" that make it one of a range of options: "all possible", "the maximum possible".
const RANGE_WORDS: &[&str] = &[
    "as",
    "all",
    "every",
    "any",
    "only",
    "maximum",
    "minimum",
    "total",
    "other",
    "alternative",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "many",
    "several",
];

/// Verbs that make someone feel something: "made them feel welcome".
const CAUSATIVES: &[&str] = &["to", "make", "makes", "made", "making", "let", "lets", "help", "helps", "helped"];

/// Words that can open the clause after a verb of belief: "feel that", "feel they".
const CLAUSE_OPENERS: &[&str] = &[
    "that", "they", "he", "she", "it", "we", "i", "you", "this", "these", "those", "there", "the", "a", "an", "his",
    "her", "their", "its", "our", "such", "some", "many", "most", "no", "all",
];

/// Adverbs between "is" and "unknown" that keep it a gap in knowledge: "is still largely unknown".
const DEGREE_OF_KNOWLEDGE: &[&str] =
    &["still", "also", "currently", "completely", "entirely", "largely", "mostly", "presently", "yet", "as"];

/// Words that follow a noun but not a verb of belief: "suspects were arrested", "suspects in the case".
const NOUN_FOLLOWERS: &[&str] = &["had", "have", "has", "were", "was", "are", "is", "in", "of", "and", "or", "who"];

/// Pronouns that open a clause as its subject: ", provided they pay".
const SUBJECT_PRONOUNS: &[&str] = &["that", "they", "he", "she", "it", "we", "i", "you", "there"];

/// Question words that make the phrase before them an open question: "unknown whether", "to determine who".
const WH_WORDS: &[&str] = &["whether", "if", "who", "whom", "whose", "what", "which", "how", "why", "when", "where"];

/// Words before "thought" that make it the noun: "scientific thought", "another thought".
const THOUGHT_NOUN_BEFORE: &[&str] = &[
    "of",
    "another",
    "complete",
    "scientific",
    "political",
    "religious",
    "modern",
    "well",
    "no",
    "any",
    "much",
    "second",
];

/// Words after "assume" that make it a supposition: "assume that", "assumed to be", "assumed by many", "assume they".
const ASSUMED_NEXT: &[&str] = &["that", "to", "by", "he", "she", "they", "it", "we", "i", "you", "there"];

/// Verbs of perception and skill: after "could" they report an ability ("could hear the sea", "could swim"), not
/// a possibility. Verbs that news uses for prospects ("drivers could see higher prices", "homeowners could pay
/// more", "the vote could be delayed") are not here.
const ABILITY_VERBS: &[&str] = &[
    "hear",
    "write",
    "read",
    "speak",
    "swim",
    "describe",
    "eat",
    "walk",
    "remember",
    "recall",
    "tell",
    "understand",
    "sing",
    "dance",
    "ride",
    "communicate",
    "recognize",
    "recognise",
    "distinguish",
    "perform",
    "sleep",
    "climb",
    "jump",
    "watch",
    "learn",
    "teach",
    "cook",
    "talk",
    "handle",
    "accommodate",
    "seat",
    "operate",
    "detect",
    "achieve",
    "manage",
];

/// Adverbs that may stand between a modal and its verb without changing its sense: "could still see".
const MODAL_INNER: &[&str] =
    &["also", "only", "still", "easily", "then", "now", "always", "often", "even", "not", "no"];

/// Common irregular past participles (regular ones end in "-ed").
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "been",
    "done",
    "gone",
    "made",
    "seen",
    "taken",
    "given",
    "known",
    "shown",
    "grown",
    "thrown",
    "drawn",
    "won",
    "lost",
    "had",
    "got",
    "gotten",
    "left",
    "brought",
    "bought",
    "thought",
    "taught",
    "caught",
    "fought",
    "sought",
    "found",
    "held",
    "kept",
    "sent",
    "spent",
    "built",
    "told",
    "sold",
    "paid",
    "said",
    "meant",
    "felt",
    "put",
    "set",
    "let",
    "cut",
    "hit",
    "become",
    "come",
    "run",
    "begun",
    "written",
    "driven",
    "ridden",
    "risen",
    "fallen",
    "chosen",
    "broken",
    "spoken",
    "stolen",
    "frozen",
    "eaten",
    "beaten",
    "forgotten",
    "hidden",
    "born",
    "borne",
    "worn",
    "torn",
    "sworn",
    "sung",
    "rung",
    "drunk",
    "swum",
    "struck",
    "stuck",
    "led",
    "fed",
    "fled",
    "met",
    "read",
    "heard",
    "laid",
    "understood",
    "stood",
    "withdrawn",
    "undone",
];

/// True for a word that looks like a past participle: "closed", "taken", "built".
fn participle(t: &Token<'_>) -> bool {
    t.word && (t.text.len() > 3 && t.text.to_ascii_lowercase().ends_with("ed") || t.is_any(IRREGULAR_PARTICIPLES))
}

/// Index of the first token at or after `j` that is not one of `skip` (at most two skipped).
fn skip_inner(toks: &[Token<'_>], j: usize, skip: &[&str]) -> usize {
    let mut k = j;
    while k < toks.len() && k < j + 2 && toks[k].is_any(skip) {
        k += 1;
    }
    k
}

/// "could (still) see", "could swim": the verb after "could" (from token `j`) is one of perception or skill.
fn ability(toks: &[Token<'_>], j: usize) -> bool {
    toks.get(skip_inner(toks, j, MODAL_INNER))
        .is_some_and(|v| v.is_any(ABILITY_VERBS))
}

/// "would have won", "would have been mentioned" (from token `j`, just after "would"): the counterfactual past,
/// which tells what did not happen rather than what may be.
fn counterfactual_past(toks: &[Token<'_>], j: usize) -> bool {
    toks.get(j).is_some_and(|h| h.is_any(&["have", "'ve"])) && toks.get(j + 1).is_some_and(participle)
}

/// "estimated at 2,000", "the estimated cost", "an analyst's estimate": a figure given as approximate rather than a
/// belief held by somebody.
fn approximate_figure(toks: &[Token<'_>], i: usize, end: usize, phrase: &str) -> bool {
    if !matches!(phrase, "estimated" | "estimate" | "estimates") {
        return false;
    }
    let next = toks.get(end);
    let at_figure = next.is_some_and(|n| {
        n.is_any(&["at", "around", "about"]) || n.text.starts_with(|c: char| c.is_ascii_digit() || "$£€".contains(c))
    });
    let attributive = i > 0 && (toks[i - 1].is_any(DETERMINERS) || toks[i - 1].text.ends_with("'s"));
    at_figure || attributive
}

/// Words after "would" that tell a past story rather than a possibility: "who would later become".
const NARRATIVE_AFTER_WOULD: &[&str] = &[
    "later",
    "eventually",
    "go",
    "never",
    "become",
    "often",
    "soon",
    "remain",
    "continue",
    "again",
    "return",
    "subsequently",
    "serve",
    "spend",
    "marry",
    "die",
    "win",
    "lose",
    "like",
    "love",
    "usually",
    "always",
];

/// Verbs that "would" softens into a hedge: "it would seem", "some would argue".
const SOFTENED_VERBS: &[&str] = &[
    "seem", "appear", "suggest", "argue", "say", "think", "expect", "imagine", "guess", "assume", "suspect",
    "probably", "likely", "be", "have",
];

/// What a source "would not" do that is a refusal, not a hedge: "would not say".
const REFUSED_VERBS: &[&str] = &[
    "say",
    "comment",
    "identify",
    "divulge",
    "disclose",
    "elaborate",
    "confirm",
    "discuss",
    "reveal",
    "name",
    "specify",
];

/// Longest distance, in tokens, from a reporting verb to the "would" of its reported clause.
const REPORTED_CLAUSE_REACH: usize = 10;

/// True when a reporting verb ("said", "announced") stands a few words before token `i` in the same clause:
/// "the company said the plant would close".
fn reported_future(toks: &[Token<'_>], i: usize) -> bool {
    toks[i.saturating_sub(REPORTED_CLAUSE_REACH)..i]
        .iter()
        .rev()
        .take_while(|t| !matches!(t.text, ";" | "“" | "”" | "\"" | "(" | ")"))
        .any(crate::attribution::is_reporting_verb)
}

/// Verbs after which "if" opens an embedded question, like "whether".
const ASKING_VERBS: &[&str] =
    &["know", "knows", "knew", "ask", "asks", "asked", "wonder", "wonders", "wondered", "see", "check", "unclear"];

/// Determiners that make the next word a noun.
const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "its", "their", "our", "my", "your"];

/// The reader-facing reason for a lexicon match: the category and the entry's own example.
fn lexicon_why(category: HedgeCategory, example: &str) -> String {
    format!("{}, as in: {example}", category.describe())
}

/// True when token `i` begins a clause: the sentence start, or after an opening quote or bracket.
fn is_clause_start(toks: &[Token<'_>], i: usize) -> bool {
    toks[..i]
        .iter()
        .all(|t| !t.word && matches!(t.text, "“" | "\"" | "‘" | "'" | "(" | "[" | "—" | "-"))
}

/// "Should Kim agree, …": a clause-initial "Should", "Were" or "Had" before a subject, in a sentence that is not a
/// question and goes on after a comma.
fn inverted_condition(toks: &[Token<'_>], i: usize) -> bool {
    let t = &toks[i];
    if !(t.is("should") || t.is("were") || t.is("had")) || !is_clause_start(toks, i) {
        return false;
    }
    let question = toks.last().is_some_and(|l| l.text == "?") || toks.iter().rev().take(3).any(|l| l.text == "?");
    let subject = toks.get(i + 1).is_some_and(|n| n.word && !n.is_any(&["not", "n't"]));
    let comma = toks[i..].iter().any(|x| x.text == ",");
    subject && comma && !question
}

/// "(at least) as far as <a few words> knows": returns one past the last token.
fn as_far_as_knows(toks: &[Token<'_>], i: usize) -> Option<usize> {
    let lead = if toks[i].is("at") && toks.get(i + 1).is_some_and(|t| t.is("least")) { 2 } else { 0 };
    let k = i + lead;
    let opens = toks.get(k)?.is("as") && toks.get(k + 1)?.is("far") && toks.get(k + 2)?.is("as");
    if !opens {
        return None;
    }
    (k + 3..(k + 11).min(toks.len()))
        .take_while(|&j| toks[j].word)
        .find(|&j| toks[j].is_any(KNOW_VERBS))
        .map(|j| j + 1)
}

/// "is expected": a doxastic participle takes the form of "be" before it into its span.
fn join_be_forms(toks: &[Token<'_>], hedges: &mut [(usize, usize, Hedge)]) {
    for (i, _, h) in hedges.iter_mut() {
        let participle = toks[*i].text.ends_with("ed") || toks[*i].is("thought");
        if h.category != HedgeCategory::Doxastic || !participle || *i == 0 {
            continue;
        }
        let be = &toks[*i - 1];
        if be.is_any(BE_FORMS) {
            *i -= 1;
            h.span.start = be.span.start;
            h.rule =
                Rule::named("be-participle", "belief or expectation in the passive: nobody is named as holding it");
        }
    }
}

/// "would also likely": a modal, up to two inner adverbs and a probability adverb become one cue.
fn join_modal_adverbs(toks: &[Token<'_>], hedges: &mut Vec<(usize, usize, Hedge)>) {
    let mut k = 0;
    while k < hedges.len() {
        let (start, end) = (hedges[k].0, hedges[k].1);
        // The modal need not itself be a hedge ("will"), so look back from each probability adverb.
        if end - start == 1 && toks[start].is_any(PROBABILITY_ADVERBS) {
            let mut j = start;
            let mut inner = 0;
            while j > 0 && toks[j - 1].is_any(INNER_ADVERBS) && inner < 2 {
                j -= 1;
                inner += 1;
            }
            if j > 0 && toks[j - 1].is_any(MODALS) {
                let m = j - 1;
                let span = Span::new(toks[m].span.start, hedges[k].2.span.end);
                let rule = Rule::named("modal-adverb", "a modal strengthened or weakened by an adverb of probability");
                // Drop a separate hedge on the modal itself.
                if k > 0 && hedges[k - 1].0 >= m {
                    hedges.remove(k - 1);
                    k -= 1;
                }
                hedges[k] = (m, end, Hedge { span, category: HedgeCategory::Epistemic, rule });
            }
        }
        k += 1;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::token::tokens;

    /// Hedges of `marked` must be exactly the `[bracketed]` phrases.
    fn check(marked: &str) {
        let text = marked.replace(['[', ']'], "");
        let mut expected = Vec::new();
        let mut rest = marked;
        while let Some(a) = rest.find('[') {
            let b = rest[a..].find(']').map_or(rest.len(), |b| a + b);
            expected.push(rest[a + 1..b].to_string());
            rest = &rest[(b + 1).min(rest.len())..];
        }
        let got: Vec<String> = find(&tokens(&text, Span::new(0, text.len())))
            .iter()
            .map(|h| h.span.text(&text).to_string())
            .collect();
        assert_eq!(got, expected, "in {text:?}");
    }

    /// Byte range of the first whole-token, case-insensitive occurrence of `phrase` in `text`.
    pub(crate) fn locate(text: &str, phrase: &str) -> Option<Span> {
        let lower = text.to_lowercase().replace('’', "'");
        let needle = phrase.to_lowercase().replace('’', "'");
        let mut from = 0;
        while let Some(pos) = lower.get(from..)?.find(&needle) {
            let (a, b) = (from + pos, from + pos + needle.len());
            let before = lower[..a].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = lower[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before && after && lower.len() == text.len() {
                return Some(Span::new(a, b));
            }
            from = b;
        }
        None
    }

    #[test]
    fn lexicon_parses_cleanly() {
        assert_eq!(lexicon().problems, Vec::<String>::new());
        assert!(lexicon().entries.len() > 100);
    }

    /// Every entry's example sentence: a positive entry yields a hedge covering the phrase, a negative one yields
    /// no hedge over it.
    #[test]
    fn every_lexicon_example() {
        let mut failures = Vec::new();
        for e in &lexicon().entries {
            let text = e.example;
            let Some(at) = locate(text, e.phrase) else {
                failures.push(format!("{:?}: phrase not in its example {text:?}", e.phrase));
                continue;
            };
            let hedges = crate::annotate(text)
                .sentences
                .into_iter()
                .flat_map(|s| s.hedges)
                .collect::<Vec<_>>();
            let ok = match e.category {
                Cue::Hedge(_) => hedges.iter().any(|h| h.span.contains(&at)),
                Cue::Not => !hedges.iter().any(|h| h.span.overlaps(&at)),
            };
            if !ok {
                let got: Vec<&str> = hedges.iter().map(|h| h.span.text(text)).collect();
                failures.push(format!("{:?} ({:?}) in {text:?}: got {got:?}", e.phrase, e.category));
            }
        }
        assert!(failures.is_empty(), "{} examples fail:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn multi_word_cues_are_one_span() {
        check("Kim [would likely] travel by train.");
        check("Kim [would also likely] seek food supplies.");
        check("The envoy [will likely] head to the capital.");
        check("Xi [is expected] to skip the event.");
        check("Talks [could] happen [as soon as] next week.");
    }

    #[test]
    fn month_may_is_not_a_modal() {
        check("The vote was held on May 5 in the capital.");
        check("Sales rose in May and fell in June.");
        check("May 5 is a holiday.");
        check("May the best team win.");
        check("The council [may] vote in May.");
    }

    #[test]
    fn plain_future_and_as_if_are_not_hedges() {
        check("The president will travel to Paris on Monday.");
        check("He acted as if nothing had happened.");
        check("As soon as he landed, he called his wife.");
    }

    #[test]
    fn could_not_be_reached_is_a_fact_not_a_hedge() {
        check("The company could not be reached for comment.");
        check("A spokesman could not immediately be reached.");
        check("The storm could not reach the coast before dawn.");
        check("The storm [could] reach the coast before dawn.");
    }

    #[test]
    fn reported_future_and_refusals_are_not_hedges() {
        check("The company said the plant would close in March.");
        check("The minister would not say when the talks resume.");
        check("[If] the talks fail, a strike [would] close the port for weeks.");
        check("It [would] [seem] that the port is closed.");
        check("The port would close for two weeks every winter.");
        check("Officials said Kim [would likely] travel by train.");
        check("Police arrested a suspect near the station.");
        check("Profits were higher than expected.");
        check("The tsar gave him powers so that he could close newspapers.");
        check("The actor appeared in three films.");
        check("The actor [appeared] to be unwell.");
        check("The coach, who would later become mayor, resigned.");
        check("Leave as soon as possible.");
        check("It is [possible] that the letter was forged.");
        check("The grant made it possible for the school to open.");
        check("The river has the potential to flood the town.");
        check("The band was relatively unknown in Europe.");
        check("The cause of the fire is [unknown].");
    }

    #[test]
    fn ability_could_is_not_a_hedge_but_prospects_are() {
        check("The sailors could hear the sea from the deck.");
        check("As a child she could swim across the lake.");
        check("The mayor could n't be reached.");
        check("The delay [could] be [seen as] a snub.");
        check("The leak [could] be caused by a cracked pipe.");
        check("The storm [could] reach the coast by Friday.");
        // What news says may happen stays a hedge, in the passive too.
        check("The vote [could] be delayed until spring.");
        check("Drivers [could] see higher fuel prices next month.");
        check("Homeowners [could] pay more under the new tax plan.");
    }

    #[test]
    fn counterfactual_past_would_is_not_a_hedge() {
        check("A win would have sent the team to the final.");
        check("The old bridge would have been demolished.");
        check("The cost [would] have to be shared by the towns.");
    }

    #[test]
    fn evaluations_and_clause_conditions() {
        check("It would be unwise to sell the farm now.");
        check("[If] prices fall, it would be wise to sell.");
        check("Members [may] vote, [provided] they have paid.");
        check("The council provided the hall for the meeting.");
        check("The port expanded, providing a home for the fleet.");
        check("We kind of [thought] the bridge was safe.");
        check("Tourists come for what they [view] as a wild coast.");
    }

    #[test]
    fn activities_and_nouns_are_not_investigations() {
        check("Police are investigating the crash.");
        check("Police are [investigating] how the fire started.");
        check("Engineers are examining the cracked beam.");
        check("The ministry is looking into the complaints.");
        check("The band released its highly anticipated album.");
        check("Two suspects were arrested at the border.");
        check("The figures are suspect.");
        check("Police [suspect] the fire was set on purpose.");
    }

    #[test]
    fn lowercase_may_is_the_modal() {
        check("This [may] explain the delay.");
        check("In the north, snow [may] close the pass.");
        check("The ferry sails again in May.");
    }

    #[test]
    fn ranged_possible_is_not_a_hedge() {
        check("Showers are [possible] this afternoon.");
        check("All four possible routes were blocked.");
        check("The maximum possible score is ten.");
        check("It is [possible] that the letter was forged.");
        check("Officials named a [possible] cause of the fire.");
    }

    #[test]
    fn nouns_and_idioms_are_not_beliefs() {
        check("The patients feel better after the treatment.");
        check("The old inn has a cosy feel.");
        check("Many farmers [feel] that the rules are unfair.");
        check("The children showed no fear of the dogs.");
        check("Farmers [fear] the drought will last.");
        check("Her belief in the project never wavered.");
        check("The [belief] that prices would fall proved wrong.");
        check("The essay traces a school of thought.");
        check("The plan was well thought out.");
        check("The novel was an unknown writer's first book.");
        check("It is [unknown] [whether] the ship sank.");
        check("The age of the wreck is still largely [unknown].");
        check("The singer was relatively unknown abroad.");
    }

    #[test]
    fn deliberation_and_signs_are_not_hedges() {
        check("Consider the following case.");
        check("The board met to consider the offer.");
        check("Many critics [consider] the film a classic.");
        check("The gauge is used to determine the pressure.");
        check("Divers went down [to determine] [whether] the hull was intact.");
        check("A red light indicates the end of the line.");
        check("The tests [indicate] that the water is clean.");
        check("The deputy will assume command in the spring.");
        check("Many traders [assume] that rates will fall.");
        check("The hotel has a fine view of the bay.");
        check("Critics [view] the plan as a bailout.");
        check("The [view] that the tax hurts farmers is common.");
    }

    #[test]
    fn boosters_and_fixed_phrases_are_not_hedges() {
        check("The result is beyond doubt.");
        check("She was without doubt the best player.");
        check("The rules changed with regard to overtime.");
        check("The clerk was cleared of false allegations of theft.");
        check("[In the event that] the vote is tied, the chair decides.");
        check("In the event of a fire, use the stairs.");
    }

    #[test]
    fn estimated_figures_are_approximations() {
        let text = "The crowd was estimated at two thousand.";
        let h = find(&tokens(text, Span::new(0, text.len())));
        assert_eq!((h[0].span.text(text), h[0].category), ("estimated", HedgeCategory::Approximator));
        let text = "The estimated cost of the bridge has doubled.";
        let h = find(&tokens(text, Span::new(0, text.len())));
        assert_eq!(h[0].category, HedgeCategory::Approximator);
        check("Economists [estimate] the repairs will take a year.");
    }

    #[test]
    fn should_inversion_and_limiters() {
        check("Kim rarely leaves — [at least as far as the outside world knows] — by plane.");
        check("The rise is [in part] due to the drought.");
        check("Judges will decide [whether] the law applies.");
        check("[Should] the talks fail, prices [could] rise.");
        check("[Were] the dam to break, the town [would] flood.");
        check("Should we worry, doctor?");
        let text = "Nobody knows if the ferry will sail.";
        let h = find(&tokens(text, Span::new(0, text.len())));
        assert_eq!((h[0].span.text(text), h[0].category), ("if", HedgeCategory::Investigation));
    }
}
