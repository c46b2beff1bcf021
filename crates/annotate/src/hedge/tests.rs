//! Tests of the hedge finder on sentences of our own.

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
            Cue::Hedge(..) => hedges.iter().any(|h| h.span.contains(&at)),
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
