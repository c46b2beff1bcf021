//! The annotator never fails on text: any `&str` yields an annotation whose spans keep their invariants.

use annotate::{Annotated, annotate};
use proptest::prelude::*;

/// The invariants documented on [`Annotated`] and its parts.
fn check_invariants(text: &str, doc: &Annotated) {
    let mut prev_end = 0;
    for (i, s) in doc.sentences.iter().enumerate() {
        assert!(s.span.start >= prev_end, "sentence {i} overlaps the previous one");
        assert!(!s.span.is_empty(), "sentence {i} is empty");
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
        let between = &text[prev_end..s.span.start];
        assert!(between.trim().is_empty(), "non-whitespace {between:?} lost between sentences");
        let body = s.span.text(text);
        assert_eq!(body, body.trim(), "sentence {i} is not trimmed");
        assert!(doc.paragraphs.get(s.paragraph).is_some_and(|p| p.contains(&s.span)));
        let mut prev_hedge = s.span.start;
        for h in &s.hedges {
            assert!(s.span.contains(&h.span) && h.span.start >= prev_hedge, "hedge outside or out of order");
            assert!(!h.span.is_empty());
            prev_hedge = h.span.end;
        }
        for a in &s.attributions {
            for part in [a.cue, a.source].into_iter().flatten() {
                assert!(s.span.contains(&part), "cue/source outside its sentence");
            }
            if let Some(c) = a.content {
                assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
            }
        }
        prev_end = s.span.end;
    }
    assert!(text[prev_end..].trim().is_empty(), "text lost after the last sentence");
    for src in &doc.sources {
        assert!(src.sentences.windows(2).all(|w| w[0] < w[1]));
        assert!(src.sentences.iter().all(|&i| i < doc.sentences.len()));
    }
}

#[test]
fn hostile_and_odd_inputs() {
    let long_word = "a".repeat(100_000);
    let many_quotes = "“".repeat(5_000);
    let big = "Officials said the talks “may resume. They could fail,” he said. ".repeat(2_000);
    let inputs = [
        "",
        " ",
        "\n\n\n",
        "\0\u{1}\u{7f}",
        "<script>alert(1)</script>",
        "“",
        "”",
        "\"",
        "said",
        "according to",
        "per",
        "Should",
        "May",
        "as far as",
        "at least as far as",
        "’s ’ ‘ “ ” \" '",
        "e\u{301}\u{301}\u{301} שלום مرحبا 🙂🙂",
        "U.S. U.S.A. Sept. Gen. Dr. . . . ... ?!?!",
        long_word.as_str(),
        many_quotes.as_str(),
        big.as_str(),
    ];
    for text in inputs {
        check_invariants(text, &annotate(text));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_string(text in "\\PC{0,400}") {
        check_invariants(&text, &annotate(&text));
    }

    #[test]
    fn newsy_strings(text in "([A-Z][a-z]{0,8}|said|according to|would likely|May|“|”|\"|,|\\.|\\?| |\n|Watson|officials|that|per|the){0,60}") {
        check_invariants(&text, &annotate(&text));
    }
}

/// Inputs that once took time growing with the square of their length (a stray quote mark before a long paragraph,
/// thousands of quote marks, a text without spaces, thousands of distinct speakers) finish in bounded time. The
/// bound is loose, for a slow debug build on a busy machine; the quadratic versions took minutes here.
#[test]
fn pathological_inputs_stay_linear() {
    let speakers: String = (0..3_000)
        .map(|i| format!("“Prices rose {i} percent,” Speaker{i} Jones said. He added that they may fall.\n"))
        .collect();
    let inputs = [
        format!("“{}", "The council met on Tuesday and voted to close the bridge. ".repeat(10_000)),
        "“".repeat(200_000),
        "x".repeat(300_000),
        "Inc.'s ".repeat(40_000),
        speakers,
        // A paragraph without a sentence end, holding thousands of cues, parentheticals in dashes and trailing
        // settings: it is cut into bounded pieces, each with hundreds of cues.
        "The bridge will close, the mayor said Friday after a visit, officials believe that the council says \
         -- a lawyer -- said, the coach praised the goalkeeper, who says "
            .repeat(3_000),
        // Cut points that rules remove ("p.m. EST" ends no sentence) must not merge a paragraph into one sentence.
        "Ann Lee said the plan would work by 5 p.m. EST ".repeat(8_000),
        // Thousands of distinct speakers, then thousands of pronouns that point back to them.
        (0..3_000)
            .map(|i| format!("Mayor Ann Lee{i}son said the bridge is closed.\n"))
            .chain((0..3_000).map(|_| "It said the port is open.\n".to_string()))
            .collect(),
    ];
    let started = std::time::Instant::now();
    for text in &inputs {
        check_invariants(text, &annotate(text));
    }
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(60),
        "{took:?} for {} bytes",
        inputs.iter().map(String::len).sum::<usize>()
    );
}

/// Growth, not a time bound: four times the input takes about four times as long, whatever the machine's speed.
/// Each input is built to hit a path that was once quadratic; a quadratic path would take about sixteen times as
/// long. The shortest of three runs is compared, so a busy machine does not decide the result.
#[test]
fn four_times_the_text_takes_about_four_times_as_long() {
    type Make = fn(usize) -> String;
    let inputs: [(&str, Make); 4] = [
        ("cut points that rules remove", |n| "Ann Lee said the plan would work by 5 p.m. EST ".repeat(n * 20)),
        ("speakers, then pronouns", |n| {
            (0..n * 8)
                .map(|i| format!("Mayor Ann Lee{i}son said the bridge is closed.\n"))
                .chain((0..n * 8).map(|_| "It said the port is open.\n".to_string()))
                .collect()
        }),
        ("cues without a full stop", |n| {
            "The bridge will close, the mayor said Friday after a visit, officials believe that the council says \
             -- a lawyer -- said, the coach praised the goalkeeper, who says "
                .repeat(n * 4)
        }),
        ("quote marks", |n| "“".repeat(n * 500)),
    ];
    let fastest = |text: &str| {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                std::hint::black_box(annotate(text));
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    for (what, make) in inputs {
        let (small, large) = (make(50), make(200));
        let (t1, t4) = (fastest(&small), fastest(&large));
        let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        eprintln!("{what}: {} bytes {t1:?}, {} bytes {t4:?}, ratio {ratio:.1}", small.len(), large.len());
        assert!(ratio < 9.0, "{what}: 4× the text took {ratio:.1}× as long ({t1:?} → {t4:?})");
    }
}
