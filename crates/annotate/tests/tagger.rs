//! The accurate pipeline (the rules and the learned tagger) held to what the rules are held to: the demo article's
//! gold, hostile input, span invariants, and every span saying who made it.

use std::io::Write;
use std::sync::OnceLock;

use annotate::{Annotated, MadeBy, Model, Pipeline, annotate, annotate_with};

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| match Model::load_default() {
        Ok(m) => m,
        Err(e) => panic!("the shipped tagger must load: {e}"),
    })
}

fn accurate(text: &str) -> Annotated {
    annotate_with(text, Pipeline::Accurate(model()))
}

fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Spans inside the text on character boundaries; cue and source inside their sentence; provenance readable.
fn check(text: &str, doc: &Annotated) {
    let fits = |s: annotate::Span| s.start <= s.end && text.get(s.range()).is_some();
    for s in &doc.sentences {
        assert!(fits(s.span));
        for a in &s.attributions {
            for part in [a.cue, a.source].into_iter().flatten() {
                assert!(s.span.contains(&part), "cue/source {part:?} outside its sentence {:?}", s.span);
            }
            assert!(a.content.is_none_or(fits));
            assert!(a.cue.is_some() || a.source.is_some() || a.content.is_some(), "an empty attribution");
            match a.rule.made_by() {
                MadeBy::Rules => assert_eq!(a.rule.confidence(), None),
                _ => assert!(a.rule.confidence().is_some_and(|c| (0.0..=1.0).contains(&c)), "{}", a.rule.id),
            }
        }
        assert!((0.0..=1.0).contains(&s.checkworthy));
    }
}

#[test]
fn fast_is_exactly_the_rules() {
    let text = "“The dam is safe,” Mayor Ana Ruiz said. Officials believe the talks may resume.";
    assert_eq!(annotate_with(text, Pipeline::Fast), annotate(text));
}

#[test]
fn hostile_input_never_panics() {
    let long_word = "a".repeat(3_000);
    let quotes = "“".repeat(600);
    let many = "Officials said the talks “may resume. They could fail,” he said. ".repeat(40);
    let inputs = [
        "",
        " \n\t ",
        "\0\u{1}\u{7f}\u{fffd}",
        "<script>alert(1)</script> & \"quoted\"",
        "“",
        "said",
        "according to",
        "e\u{301}\u{301}\u{301} שלום مرحبا 🙂🙂 日本語のテキスト",
        "U.S. U.S.A. Sept. Gen. Dr. . . . ... ?!?!",
        long_word.as_str(),
        quotes.as_str(),
        many.as_str(),
    ];
    for text in inputs {
        check(text, &accurate(text));
    }
}

#[test]
fn the_tagger_finds_what_the_lexicon_lacks_and_says_so() {
    // "implored" is in no lexicon; the tagger knows such verbs from its training.
    let text = "The union's president implored lawmakers to reject the bill.";
    let rules = annotate(text);
    let doc = accurate(text);
    check(text, &doc);
    let cues: Vec<&str> = doc.sentences[0]
        .attributions
        .iter()
        .filter_map(|a| a.cue.map(|c| c.text(text)))
        .collect();
    report(&format!("rules: {} attributions; accurate cues: {cues:?}", rules.sentences[0].attributions.len()));
    assert!(cues.iter().any(|c| c.contains("implored")), "{cues:?}");
    let a = doc.sentences[0]
        .attributions
        .iter()
        .find(|a| a.cue.is_some())
        .expect("an attribution");
    assert_ne!(a.rule.made_by(), MadeBy::Rules);
}

#[test]
fn a_schedule_notice_is_not_check_worthy_but_a_figure_is() {
    let schedule = "The council meets at 6 p.m. in City Hall.";
    let figure = "Unemployment fell to 3.9 percent last year, the lowest rate since 2000.";
    let m = model();
    let (low, high) = (
        m.checkworthy(schedule, annotate::Span::new(0, schedule.len())),
        m.checkworthy(figure, annotate::Span::new(0, figure.len())),
    );
    report(&format!("check-worthiness: schedule {low:.3}, figure {high:.3}"));
    assert!(low < 0.5, "{low}");
    assert!(high >= 0.5, "{high}");
}

#[test]
fn both_sides_agreeing_keep_the_rules_speaker() {
    let text = "White House spokesperson Adrienne Watson said the meeting went well. Watson said talks would go on.";
    let doc = accurate(text);
    check(text, &doc);
    let speakers: Vec<Option<&str>> = doc
        .sentences
        .iter()
        .flat_map(|s| &s.attributions)
        .map(|a| a.speaker.as_deref())
        .collect();
    report(&format!("speakers: {speakers:?}"));
    assert!(speakers.iter().filter(|s| **s == Some("Adrienne Watson")).count() >= 2, "{speakers:?}");
    assert!(
        doc.sentences
            .iter()
            .flat_map(|s| &s.attributions)
            .any(|a| a.rule.made_by() == MadeBy::Both)
    );
}
