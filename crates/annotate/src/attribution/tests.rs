//! Tests of the attribution finder on sentences of our own.

use super::source::SourceWord;
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
    let text = "Senator Maria Lopez said the vote was rigged. Lopez added that she would appeal. She said it twice.";
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
    let a = attrs("Mayor Lena Ortiz said the bridge is safe.\n\nThe bank raised rates. It said inflation was high.");
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
    for text in ["\"He left,\" she said. \"Then", "”Odd,“ he said.", "“", "said", "according to", "\"\"said\""] {
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
