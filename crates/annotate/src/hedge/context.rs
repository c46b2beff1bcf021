//! Context rules: when a lexicon row's match is a hedge, judged by the words around it.
//!
//! A row of `lexicons/hedges.tsv` names its rule in its category field (`doxastic:belief-that`); the rule is keyed
//! by that name, never by the matched phrase, so a row's forms share one rule and a new form cannot slip past it.
//! Each rule keeps the hedge reading and drops the others: the month "May", the noun "a fear", the narrative
//! "would", the ability "could".

use super::HedgeCategory;
use super::join::{BE_FORMS, inverted_condition};
use crate::token::{MONTHS, Token, WEEKDAYS};

/// Words besides the months and weekdays that may follow "as soon as" / "as early as" when it approximates a time ("as soon as next week"); when
/// anything else follows, the phrase is a plain temporal conjunction ("as soon as he arrived").
pub(super) const TIME_WORDS: &[&str] = &[
    "next", "this", "tomorrow", "today", "tonight", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "early",
    "late", "mid", "the", "later", "spring", "summer", "autumn", "fall", "winter", "week", "weeks", "month", "months",
    "year", "years", "day", "days", "a", "an", "two", "three", "four", "five", "six", "ten",
];

/// A context rule, named by a lexicon row after a colon in its category field (`epistemic:not-month`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// `not-month`: "may" is the modal, not the month or a wish.
    NotMonth,
    /// `before-time`: "as soon as next week" approximates a time.
    BeforeTime,
    /// `would`: a bare "would" softens an opinion or states a consequence under a condition.
    Would,
    /// `before-to-or-that`: "appeared to", "appears that".
    BeforeToOrThat,
    /// `possible`: not feasibility ("possible to bend") or a range ("every possible").
    Possible,
    /// `potential-adjective`: "potential risks", not "its potential".
    PotentialAdjective,
    /// `not-purpose-or-ability`: not "so that he could", "could not", "could swim".
    NotPurposeOrAbility,
    /// `suspect-verb`: "police suspect …", not "a suspect".
    SuspectVerb,
    /// `before-question`: "investigating how …", "to determine whether …".
    BeforeQuestion,
    /// `anticipated`: not "a highly anticipated album".
    Anticipated,
    /// `feel-that`: "voters feel the system …", not "feel better".
    FeelThat,
    /// `predicative-unknown`: "is unknown", "unknown whether", not "an unknown painter".
    PredicativeUnknown,
    /// `fear-verb`: "residents fear the river …", not "fear of heights".
    FearVerb,
    /// `before-that`: "indicate that …", "the belief that …".
    BeforeThat,
    /// `thought-verb`: "is thought to", not "a passing thought".
    ThoughtVerb,
    /// `consider-belief`: "historians consider the treaty a failure", not "had to consider the risk".
    ConsiderBelief,
    /// `supposition`: "assumed that …", not "assumed command".
    Supposition,
    /// `view-opinion`: "the view that …", "critics view the plan as …", not "a view of the sea".
    ViewOpinion,
    /// `provided-clause`: ", provided they pay", not "the firm provided funds".
    ProvidedClause,
    /// `embedded-question`: "if" after "asked"/"know" opens a question (investigation), not a condition.
    EmbeddedQuestion,
    /// `raised-doubt`: "has doubts about the forecast", not "the audit raised doubts", which reports an event.
    RaisedDoubt,
    /// `not-denied`: "the allegations surfaced", not "denied the allegations", which reports a denial.
    NotDenied,
    /// `scarce-evidence`: "little evidence", "no supporting evidence", "insufficient proof": a claim short of its
    /// support; "the evidence shows" is not.
    ScarceEvidence,
    /// `figure`: "estimated at 2,000", "the estimated cost" approximate a figure rather than state a belief.
    Figure,
}

impl Context {
    /// The rule named `name` in a lexicon row.
    pub(super) fn parse(name: &str) -> Option<Context> {
        Some(match name {
            "not-month" => Context::NotMonth,
            "before-time" => Context::BeforeTime,
            "would" => Context::Would,
            "before-to-or-that" => Context::BeforeToOrThat,
            "possible" => Context::Possible,
            "potential-adjective" => Context::PotentialAdjective,
            "not-purpose-or-ability" => Context::NotPurposeOrAbility,
            "suspect-verb" => Context::SuspectVerb,
            "before-question" => Context::BeforeQuestion,
            "anticipated" => Context::Anticipated,
            "feel-that" => Context::FeelThat,
            "predicative-unknown" => Context::PredicativeUnknown,
            "fear-verb" => Context::FearVerb,
            "before-that" => Context::BeforeThat,
            "thought-verb" => Context::ThoughtVerb,
            "consider-belief" => Context::ConsiderBelief,
            "supposition" => Context::Supposition,
            "view-opinion" => Context::ViewOpinion,
            "provided-clause" => Context::ProvidedClause,
            "embedded-question" => Context::EmbeddedQuestion,
            "raised-doubt" => Context::RaisedDoubt,
            "not-denied" => Context::NotDenied,
            "scarce-evidence" => Context::ScarceEvidence,
            "figure" => Context::Figure,
            _ => return None,
        })
    }

    /// The category of a match of tokens `i..end` whose row says `category`: the rules that re-read a match
    /// ("asked if" is a question, "estimated at" a figure) change it; the others keep it.
    pub(super) fn category(self, toks: &[Token<'_>], i: usize, end: usize, category: HedgeCategory) -> HedgeCategory {
        match self {
            // "did not know if …", "asked if …": an embedded question, not a condition.
            Context::EmbeddedQuestion if i > 0 && toks[i - 1].is_any(ASKING_VERBS) => HedgeCategory::Investigation,
            Context::Figure if approximate_figure(toks, i, end) => HedgeCategory::Approximator,
            _ => category,
        }
    }
}

/// The context rule `rule` for a lexicon match of tokens `i..end`: false when the context says it is no hedge.
pub(super) fn allows(rule: Context, toks: &[Token<'_>], i: usize, end: usize) -> bool {
    let first = &toks[i];
    let next = toks.get(end);
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    match rule {
        // A capitalised "May" is the month ("May 5", "in May") or, at the start, a wish ("May the best team win")
        // or a request ("May I ask?"): never the modal of possibility.
        // A lowercase "may" is the modal even after "this" or "in" ("this may explain"); only a digit after it
        // ("may 5" in lowercased text) still makes it a date.
        Context::NotMonth => {
            let date_next = next.is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit()));
            !(first.text.starts_with('M') || date_next)
        }
        // "as soon as next week" approximates a time; "as soon as he landed" is a plain conjunction.
        Context::BeforeTime => next.is_some_and(|n| {
            n.is_any(TIME_WORDS)
                || n.is_any(MONTHS)
                || n.is_any(WEEKDAYS)
                || n.text.starts_with(|c: char| c.is_ascii_digit())
        }),
        // "said it would resign" is the future seen from the past, and "would not say" a refusal: neither hedges.
        Context::Would => {
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
        Context::BeforeToOrThat => next.is_some_and(|n| n.is_any(&["to", "that", "likely", "unlikely"])),
        // "as soon as possible", "made it possible for", "possible to bend the pins", "every possible": a superlative,
        // an ability or a range, not a possibility.
        Context::Possible => {
            let ability = next.is_some_and(|n| n.is_any(&["to", "for"]))
                || (i >= 2 && toks[i - 1].is("it") && toks[i - 2].is_any(&["make", "makes", "made", "making"]));
            let range = prev.is_some_and(|p| {
                p.is_any(RANGE_WORDS) || p.text.ends_with("est") || p.text.starts_with(|c: char| c.is_ascii_digit())
            });
            let enabled = prev.is_some_and(|p| p.is_any(&["make", "makes", "made", "making"]));
            !ability && !range && !enabled
        }
        // "its potential to", "export potential": the noun (capacity), not the adjective of possibility.
        Context::PotentialAdjective => {
            !next.is_some_and(|n| !n.word || n.is_any(&["of", "to", "for", "as", "in"]))
                && !prev.is_some_and(|p| p.is_any(&["its", "their", "his", "her", "our", "full", "great", "growth"]))
        }
        // "so that he could fire officials": a purpose, not a possibility.
        Context::NotPurposeOrAbility => {
            let purpose = toks[i.saturating_sub(4)..i]
                .windows(2)
                .any(|w| w[0].is("so") && w[1].is("that"));
            let could = first.is("could");
            let negated = next.is_some_and(|n| n.is_any(&["not", "n't", "never"]));
            !purpose && !(could && (negated || ability(toks, end)))
        }
        // "a suspect", "the suspects": the noun, not the verb of suspicion.
        // "is suspect" is the adjective (doubtful), and "suspects had been arrested" the noun before its verb.
        Context::SuspectVerb => {
            !prev.is_some_and(|p| {
                p.is_any(DETERMINERS) || p.is_any(&["our", "main", "prime", "key"]) || p.is_any(BE_FORMS)
            }) && !next.is_some_and(|n| n.is_any(NOUN_FOLLOWERS) || matches!(n.text, "," | "." | ";"))
        }
        // "investigating how the fire started" puts a question under investigation; "investigating the crash",
        // "examining the beam" report an activity with no open proposition. "to determine whether" opens a
        // question; "used to determine the speed" states a purpose.
        Context::BeforeQuestion => next.is_some_and(|n| n.is_any(WH_WORDS)),
        // "a highly anticipated album" is awaited with interest, not predicted.
        Context::Anticipated => !prev.is_some_and(|p| p.is_any(&["highly", "eagerly", "much", "long", "keenly"])),
        // "users feel they were heard" holds a belief; "feel better", "a rustic feel", "able to feel pain" are
        // sensations or nouns.
        Context::FeelThat => {
            let subject = prev.is_some_and(|p| p.word && !p.is_any(DETERMINERS) && !p.is_any(CAUSATIVES));
            subject && next.is_some_and(|n| n.is_any(CLAUSE_OPENERS))
        }
        // "the cause is unknown", "unknown whether": a gap in knowledge; "an unknown painter", "The Unknown Soldier":
        // obscure, or a name.
        Context::PredicativeUnknown => {
            let mut b = i;
            while b > 0 && i - b < 2 && toks[b - 1].is_any(DEGREE_OF_KNOWLEDGE) {
                b -= 1;
            }
            let predicative = b > 0 && (toks[b - 1].is_any(BE_FORMS) || toks[b - 1].is_any(&["remain", "remains"]));
            let question = next.is_some_and(|n| n.is_any(WH_WORDS));
            predicative || question
        }
        // "residents fear the river will rise" is a belief; "fear of heights", "fear and anger", "a fear": the noun.
        Context::FearVerb => {
            !prev.is_some_and(|p| p.is_any(DETERMINERS))
                && next.is_some_and(|n| n.word && !n.is_any(&["of", "and", "or", "about", "for"]))
        }
        // "the data indicate that …" draws an inference; "the first letter indicates the month" says what a sign
        // means. "The belief that …" holds a proposition open; "belief in God", "this belief" name a creed or a
        // topic.
        Context::BeforeThat => next.is_some_and(|n| n.is("that")),
        // "a passing thought", "schools of thought", "well thought out", "thought highly of": the noun or an idiom.
        Context::ThoughtVerb => {
            // "kind of thought" is the verb softened, not a noun after "of".
            let softened = i >= 2 && toks[i - 1].is("of") && toks[i - 2].is_any(&["kind", "sort"]);
            let noun = prev
                .is_some_and(|p| p.is_any(DETERMINERS) || p.is_any(THOUGHT_NOUN_BEFORE) || adjective_like(p))
                && !softened;
            !noun && !next.is_some_and(|n| n.is_any(&["out", "highly", "best"]))
        }
        // "had to consider the risk", "we will consider two cases", "Consider the following": weighing something
        // up, not holding a belief.
        Context::ConsiderBelief => {
            let deliberate = prev.is_none_or(|p| !p.word || p.is_any(&["to", "will", "shall", "must", "'ll"]));
            !deliberate && !next.is_some_and(|n| n.is_any(&["whether", "how", "what"]))
        }
        // "assumed that …", "is assumed to be": a supposition; "assumed command", "assume the debt": taking on.
        Context::Supposition => next.is_some_and(|n| n.is_any(ASSUMED_NEXT)),
        // "the view that …", "critics view the plan as …": an opinion; "a view of the sea", "in view of": not.
        Context::ViewOpinion => {
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
        Context::ProvidedClause => {
            prev.is_some_and(|p| matches!(p.text, "," | ";" | "—" | "–" | "-" | "("))
                && next.is_some_and(|n| n.is_any(SUBJECT_PRONOUNS))
        }
        // "The audit raised (serious) doubts about the budget": the writer reports that doubts were voiced, which
        // is an event, not the writer's own uncertainty.
        Context::RaisedDoubt => !object_of(toks, i, RAISING_VERBS),
        // "The minister denied the allegations": what is reported is the denial.
        Context::NotDenied => !object_of(toks, i, DENYING_VERBS),
        // "little evidence", "no scientific evidence", "scant proof": a quantity word of scarcity before the noun,
        // up to two words before it.
        Context::ScarceEvidence => (i.saturating_sub(3)..i)
            .rev()
            .take_while(|&k| toks[k].word)
            .any(|k| toks[k].is_any(SCARCITY)),
        Context::EmbeddedQuestion | Context::Figure => true,
    }
}

/// "It would be unwise to wait", "it would be a mistake to sell": an evaluation of a hypothetical course of action,
/// not a guess about what is the case. Token `i` is "would", `end` the token after it.
pub(super) fn evaluative_extraposition(toks: &[Token<'_>], i: usize, end: usize) -> bool {
    let it = i > 0 && toks[i - 1].is("it");
    let be = toks.get(end).is_some_and(|b| b.is("be"));
    let to = toks[(end + 2).min(toks.len())..(end + 6).min(toks.len())]
        .iter()
        .take_while(|t| t.word && !t.is_any(&["if", "that", "unless"]))
        .any(|t| t.is("to"));
    it && be && to
}

/// Words before "possible" that make it one of a range of options: "all possible", "the maximum possible".
pub(super) const RANGE_WORDS: &[&str] = &[
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
pub(super) const CAUSATIVES: &[&str] =
    &["to", "make", "makes", "made", "making", "let", "lets", "help", "helps", "helped"];

/// Words that can open the clause after a verb of belief: "feel that", "feel they".
pub(super) const CLAUSE_OPENERS: &[&str] = &[
    "that", "they", "he", "she", "it", "we", "i", "you", "this", "these", "those", "there", "the", "a", "an", "his",
    "her", "their", "its", "our", "such", "some", "many", "most", "no", "all",
];

/// Adverbs between "is" and "unknown" that keep it a gap in knowledge: "is still largely unknown".
pub(super) const DEGREE_OF_KNOWLEDGE: &[&str] =
    &["still", "also", "currently", "completely", "entirely", "largely", "mostly", "presently", "yet", "as"];

/// Words that follow a noun but not a verb of belief: "suspects were arrested", "suspects in the case".
pub(super) const NOUN_FOLLOWERS: &[&str] =
    &["had", "have", "has", "were", "was", "are", "is", "in", "of", "and", "or", "who"];

/// Pronouns that open a clause as its subject: ", provided they pay".
pub(super) const SUBJECT_PRONOUNS: &[&str] = &["that", "they", "he", "she", "it", "we", "i", "you", "there"];

/// Question words that make the phrase before them an open question: "unknown whether", "to determine who".
pub(super) const WH_WORDS: &[&str] =
    &["whether", "if", "who", "whom", "whose", "what", "which", "how", "why", "when", "where"];

/// Words before "thought" that make it the noun: "another thought", "no thought", "much thought".
pub(super) const THOUGHT_NOUN_BEFORE: &[&str] = &["of", "another", "complete", "well", "no", "any", "much", "second"];

/// True for an adjective by its ending before a noun: "scientific thought", "political thought", "modern thought".
fn adjective_like(t: &Token<'_>) -> bool {
    let w = t.lower();
    t.word
        && !t.capitalized()
        && ["al", "ic", "ous", "ern", "ist", "ive", "ary"]
            .iter()
            .any(|e| w.len() > 4 && w.ends_with(e))
}
/// Words after "assume" that make it a supposition: "assume that", "assumed to be", "assumed by many", "assume they".
pub(super) const ASSUMED_NEXT: &[&str] = &["that", "to", "by", "he", "she", "they", "it", "we", "i", "you", "there"];

/// Verbs of perception and skill: after "could" they report an ability ("could hear the sea", "could swim"), not
/// a possibility. Verbs that news uses for prospects ("drivers could see higher prices", "homeowners could pay
/// more", "the vote could be delayed") are not here.
pub(super) const ABILITY_VERBS: &[&str] = &[
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
pub(super) const MODAL_INNER: &[&str] =
    &["also", "only", "still", "easily", "then", "now", "always", "often", "even", "not", "no"];

/// Common irregular past participles (regular ones end in "-ed").
pub(super) const IRREGULAR_PARTICIPLES: &[&str] = &[
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
pub(super) fn participle(t: &Token<'_>) -> bool {
    t.word && (t.text.len() > 3 && t.text.to_ascii_lowercase().ends_with("ed") || t.is_any(IRREGULAR_PARTICIPLES))
}

/// Index of the first token at or after `j` that is not one of `skip` (at most two skipped).
pub(super) fn skip_inner(toks: &[Token<'_>], j: usize, skip: &[&str]) -> usize {
    let mut k = j;
    while k < toks.len() && k < j + 2 && toks[k].is_any(skip) {
        k += 1;
    }
    k
}

/// "could (still) see", "could swim": the verb after "could" (from token `j`) is one of perception or skill.
pub(super) fn ability(toks: &[Token<'_>], j: usize) -> bool {
    toks.get(skip_inner(toks, j, MODAL_INNER))
        .is_some_and(|v| v.is_any(ABILITY_VERBS))
}

/// "would have won", "would have been mentioned" (from token `j`, just after "would"): the counterfactual past,
/// which tells what did not happen rather than what may be.
pub(super) fn counterfactual_past(toks: &[Token<'_>], j: usize) -> bool {
    toks.get(j).is_some_and(|h| h.is_any(&["have", "'ve"])) && toks.get(j + 1).is_some_and(participle)
}

/// "estimated at 2,000", "the estimated cost", "an analyst's estimate": a figure given as approximate rather than a
/// belief held by somebody.
fn approximate_figure(toks: &[Token<'_>], i: usize, end: usize) -> bool {
    let next = toks.get(end);
    let at_figure = next.is_some_and(|n| {
        n.is_any(&["at", "around", "about"]) || n.text.starts_with(|c: char| c.is_ascii_digit() || "$£€".contains(c))
    });
    let attributive = i > 0 && (toks[i - 1].is_any(DETERMINERS) || toks[i - 1].text.ends_with("'s"));
    at_figure || attributive
}

/// Words after "would" that tell a past story rather than a possibility ("who would later become", "would often
/// sing") or a wish ("would like to"). Ordinary verbs are not here: under a condition they are hypothetical ("if
/// she won, she would serve two terms").
pub(super) const NARRATIVE_AFTER_WOULD: &[&str] = &[
    "later",
    "eventually",
    "never",
    "often",
    "soon",
    "again",
    "subsequently",
    "usually",
    "always",
    // A wish, not a guess: "would like", "would love".
    "like",
    "love",
];

/// Verbs that "would" softens into a hedge: "it would seem", "some would argue".
pub(super) const SOFTENED_VERBS: &[&str] = &[
    "seem", "appear", "suggest", "argue", "say", "think", "expect", "imagine", "guess", "assume", "suspect",
    "probably", "likely", "be", "have",
];

/// What a source "would not" do that is a refusal, not a hedge: "would not say".
pub(super) const REFUSED_VERBS: &[&str] = &[
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
pub(super) const REPORTED_CLAUSE_REACH: usize = 10;

/// True when a reporting verb ("said", "announced") stands a few words before token `i` in the same clause:
/// "the company said the plant would close".
pub(super) fn reported_future(toks: &[Token<'_>], i: usize) -> bool {
    toks[i.saturating_sub(REPORTED_CLAUSE_REACH)..i]
        .iter()
        .rev()
        .take_while(|t| !matches!(t.text, ";" | "“" | "”" | "\"" | "(" | ")"))
        .any(crate::attribution::is_reporting_verb)
}

/// Verbs after which "if" opens an embedded question, like "whether".
pub(super) const ASKING_VERBS: &[&str] =
    &["know", "knows", "knew", "ask", "asks", "asked", "wonder", "wonders", "wondered", "see", "check", "unclear"];

/// Determiners that make the next word a noun.
pub(super) const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "its", "their", "our", "my", "your"];

/// Verbs whose object "doubts" is voiced by somebody: "raised doubts", "raises new doubts".
const RAISING_VERBS: &[&str] = &["raise", "raises", "raised", "raising", "voiced", "voices", "expressed", "expresses"];

/// Verbs of denial whose object names what is denied: "denied the allegations", "rejects all accusations".
const DENYING_VERBS: &[&str] = &[
    "deny",
    "denies",
    "denied",
    "denying",
    "reject",
    "rejects",
    "rejected",
    "rejecting",
    "dismissed",
    "dismisses",
    "refuted",
    "refutes",
    "disputed",
    "disputes",
    "rebutted",
    "contested",
];

/// True when the noun at `i` is the object of one of `verbs`, with at most two words between (a determiner, an
/// adjective): "denied *the* allegations", "raised *serious new* doubts".
fn object_of(toks: &[Token<'_>], i: usize, verbs: &[&str]) -> bool {
    (i.saturating_sub(3)..i)
        .rev()
        .take_while(|&k| toks[k].word)
        .any(|k| toks[k].is_any(verbs))
}

/// Words of scarcity that make "evidence" or "proof" a hedge: "little evidence", "insufficient proof".
const SCARCITY: &[&str] = &[
    "no",
    "little",
    "scant",
    "scarce",
    "insufficient",
    "limited",
    "anecdotal",
    "inconclusive",
    "thin",
    "weak",
    "lacking",
    "without",
    "lack",
    "circumstantial",
];
