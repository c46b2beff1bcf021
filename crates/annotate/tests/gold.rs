//! The demo article measured against its hand-checked gold annotation (`demo/kim-putin-article.gold.json`, a
//! verbatim copy of `../shared/fixtures/kim-putin-article.gold.json`).
//!
//! The counts are written to the test output whether the test passes or fails, so every run shows them.

use std::io::Write;

use annotate::{Annotated, CharIndex, Model, Pipeline, SourceKind, annotate, annotate_with};
use serde_json::Value;

fn repo_file(rel: &str) -> String {
    let path = format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn gold() -> Value {
    serde_json::from_str(&repo_file("demo/kim-putin-article.gold.json")).expect("gold file is JSON")
}

/// Shown even when the test passes (the harness captures `println!`).
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn chars(text: &str, a: usize, b: usize) -> String {
    text.chars().skip(a).take(b - a).collect()
}

/// Character range of the first whole-word occurrence of `needle` in `hay`.
fn find_word(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let a = from + pos;
        let b = a + needle.len();
        let before = hay[..a].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return Some((hay[..a].chars().count(), hay[..b].chars().count()));
        }
        from = b;
    }
    None
}

fn kind(name: &str) -> SourceKind {
    match name {
        "named" => SourceKind::Named,
        "media" => SourceKind::Media,
        _ => SourceKind::Unnamed,
    }
}

#[test]
fn the_gold_copy_matches_the_shared_fixture() {
    let shared = format!("{}/../../../shared/fixtures/kim-putin-article.gold.json", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&shared) {
        Ok(s) => assert_eq!(s, repo_file("demo/kim-putin-article.gold.json"), "demo gold differs from {shared}"),
        Err(_) => report(&format!("skipped: {shared} is absent; the repository copy is used as is")),
    }
}

/// What an annotation of the demo article gets right, against the gold.
struct Found {
    hedges: usize,
    hedges_extra: usize,
    attributions: usize,
    claims: usize,
}

#[test]
fn demo_article_against_gold() {
    let text = repo_file("demo/kim-putin-article.txt");
    let found = measure("rules", &text, &annotate(&text));
    assert!(found.hedges >= 18 && found.hedges_extra <= 3, "hedges {}, {} extra", found.hedges, found.hedges_extra);
    assert!(found.attributions >= 16, "attributions {}", found.attributions);
    assert!(found.claims >= 20, "claims {}", found.claims);
}

#[test]
fn demo_article_against_gold_with_the_tagger() {
    let text = repo_file("demo/kim-putin-article.txt");
    let model = Model::load_default().unwrap_or_else(|e| panic!("the shipped tagger must load: {e}"));
    let rules = measure("rules", &text, &annotate(&text));
    let found = measure("accurate", &text, &annotate_with(&text, Pipeline::Accurate(&model)));
    // The tagger changes attributions and claims only: hedges stay the rules'. The demo gold follows the rules'
    // conventions (no belief or expectation attributed, the rules' source boundaries), PolNeAR's tagger does not
    // always: today 15 of the 17 gold attributions (the rules: 17) and 20 of 22 claim labels (the rules: 22).
    assert_eq!((found.hedges, found.hedges_extra), (rules.hedges, rules.hedges_extra));
    assert!(found.attributions >= 15, "attributions {}", found.attributions);
    assert!(found.claims >= 20, "claims {}", found.claims);
}

/// Score `doc` (an annotation of `text`, the demo article) against the gold, reporting every miss.
fn measure(pipeline: &str, text: &str, doc: &Annotated) -> Found {
    let text = text.to_string();
    let gold = gold();
    let gold_sentences = gold["sentences"].as_array().expect("sentences");
    let idx = CharIndex::new(&text);

    // Sentences: boundaries exact.
    let got: Vec<(usize, usize)> = doc
        .sentences
        .iter()
        .map(|s| (idx.char_of(s.span.start), idx.char_of(s.span.end)))
        .collect();
    let want: Vec<(usize, usize)> = gold_sentences
        .iter()
        .map(|g| (g["start"].as_u64().unwrap_or(0) as usize, g["end"].as_u64().unwrap_or(0) as usize))
        .collect();
    let exact = want.iter().filter(|w| got.contains(w)).count();
    report(&format!("sentences: {exact}/{} exact boundaries ({} predicted)", want.len(), got.len()));
    assert_eq!(got, want, "sentence boundaries");

    let (mut hedges_gold, mut hedges_found, mut hedges_extra) = (0, 0, 0);
    let (mut attr_gold, mut attr_found, mut attr_extra) = (0, 0, 0);
    let (mut claims_right, mut misses) = (0, Vec::new());
    for (i, (s, g)) in doc.sentences.iter().zip(gold_sentences).enumerate() {
        let stext = s.span.text(&text);
        let base = idx.char_of(s.span.start);
        // Hedges: overlap with the gold cue, located by its first whole-word occurrence in the sentence.
        let predicted: Vec<(usize, usize)> = s
            .hedges
            .iter()
            .map(|h| (idx.char_of(h.span.start) - base, idx.char_of(h.span.end) - base))
            .collect();
        let gold_spans: Vec<(usize, usize)> = g["hedges"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h.as_str().and_then(|h| find_word(stext, h)))
            .collect();
        hedges_gold += g["hedges"].as_array().map_or(0, Vec::len);
        for gs in &gold_spans {
            if predicted.iter().any(|p| p.0 < gs.1 && gs.0 < p.1) {
                hedges_found += 1;
            } else {
                misses.push(format!("s{i} hedge missed: {:?}", chars(stext, gs.0, gs.1)));
            }
        }
        for p in &predicted {
            if !gold_spans.iter().any(|gs| p.0 < gs.1 && gs.0 < p.1) {
                hedges_extra += 1;
                misses.push(format!("s{i} hedge extra: {:?}", chars(stext, p.0, p.1)));
            }
        }
        // Attributions: right source span and kind; continued quotations through the speaker.
        let mut used = vec![false; s.attributions.len()];
        for ga in g["attributions"].as_array().into_iter().flatten() {
            attr_gold += 1;
            let source = ga["source"].as_str().unwrap_or("");
            let want_kind = kind(ga["kind"].as_str().unwrap_or(""));
            let outside = ga["source_outside_sentence"].as_bool().unwrap_or(false);
            let hit = s.attributions.iter().enumerate().position(|(k, a)| {
                let speaker_fits = a.speaker.as_deref().is_some_and(|sp| {
                    let last = source.rsplit(' ').next().unwrap_or(source);
                    sp.ends_with(last)
                });
                let ok = if outside {
                    a.cue.is_none() && speaker_fits
                } else {
                    a.source.map(|x| x.text(&text)) == Some(source)
                };
                !used[k] && ok && a.kind == want_kind
            });
            match hit {
                Some(k) => {
                    used[k] = true;
                    attr_found += 1;
                }
                None => misses.push(format!("s{i} attribution missed: {source:?} ({})", ga["kind"])),
            }
        }
        for (k, a) in s.attributions.iter().enumerate() {
            if !used[k] {
                attr_extra += 1;
                misses.push(format!(
                    "s{i} attribution extra: source {:?} cue {:?} speaker {:?} {:?}",
                    a.source.map(|x| x.text(&text)),
                    a.cue.map(|x| x.text(&text)),
                    a.speaker,
                    a.kind
                ));
            }
        }
        if g["claim"].as_str() == Some(s.claim.as_str()) {
            claims_right += 1;
        } else {
            misses.push(format!("s{i} claim: got {} want {}", s.claim.as_str(), g["claim"]));
        }
    }
    report(&format!("{pipeline}: hedges: {hedges_found}/{hedges_gold} gold cues found, {hedges_extra} extra"));
    report(&format!(
        "{pipeline}: attributions: {attr_found}/{attr_gold} found with source span and kind, {attr_extra} extra"
    ));
    report(&format!("{pipeline}: claims: {claims_right}/{} right", gold_sentences.len()));
    for m in &misses {
        report(&format!("  {m}"));
    }
    Found { hedges: hedges_found, hedges_extra, attributions: attr_found, claims: claims_right }
}
