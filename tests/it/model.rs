//! The accurate pipeline through the product: `lectern annotate` uses the learned model unless `--fast`; a missing
//! or damaged weights file is a clear error, never a silent fall-back to the rules; and the server shows the rules'
//! annotation at once, then refines it with the model in the background, announcing progress and the result.

use std::time::Duration;

use scraper::Html;
use serde_json::Value;

use crate::support::{
    BIN, EventStream, Served, TempDir, client, command, one_line_stderr, response_json, select, stdout_json,
};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/kim-putin-article.txt");

/// Every `rule` of every hedge, attribution part and claim in a document's JSON.
fn rules(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    fn walk(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("rule", Value::String(s)) => found.push(s.clone()),
                        _ => walk(v, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    walk(&doc["sentences"], &mut found);
    found
}

fn by_model(doc: &Value) -> usize {
    rules(doc).iter().filter(|r| r.contains("model")).count()
}

#[test]
fn annotate_reads_with_the_learned_model_unless_fast() {
    let accurate = command(&["annotate", DEMO])
        .env("LECTERN_FAST", "false")
        .output()
        .expect("run lectern");
    assert!(accurate.status.success(), "{}", String::from_utf8_lossy(&accurate.stderr));
    let accurate = stdout_json(&accurate);
    assert_eq!(accurate["pipeline"], "accurate");
    assert!(by_model(&accurate) >= 5, "the model found or confirmed attributions: {:?}", rules(&accurate));
    // Each model span says how sure the model was.
    for rule in rules(&accurate).iter().filter(|r| r.contains("model")) {
        let confidence = rule.rsplit('@').next().and_then(|c| c.parse::<f64>().ok());
        assert!(confidence.is_some_and(|c| (0.0..=1.0).contains(&c)), "{rule} carries a confidence");
    }

    let fast = command(&["annotate", "--fast", DEMO])
        .env("LECTERN_FAST", "false")
        .output()
        .expect("run lectern");
    assert!(fast.status.success(), "{}", String::from_utf8_lossy(&fast.stderr));
    let fast = stdout_json(&fast);
    assert_eq!(fast["pipeline"], "fast");
    assert_eq!(by_model(&fast), 0, "the rules alone: {:?}", rules(&fast));
    assert_eq!(fast["text"], accurate["text"]);
}

#[test]
fn a_missing_or_damaged_weights_file_is_a_clear_error() {
    let dir = TempDir::new("weights");
    let damaged = dir.write("tagger.safetensors", b"\x10\x00\x00\x00\x00\x00\x00\x00{\"not\": \"weights\"}");
    let missing = dir.path("absent.safetensors");
    for weights in [&damaged, &missing] {
        let out = command(&["annotate", DEMO])
            .env("LECTERN_FAST", "false")
            .env("LECTERN_TAGGER", weights)
            .output()
            .expect("run lectern");
        assert!(!out.status.success(), "{} is not used as weights", weights.display());
        assert!(out.stdout.is_empty(), "nothing is printed from the rules instead");
        let said = one_line_stderr(&out);
        assert!(said.contains("the learned model could not be loaded"), "{said}");
        assert!(said.contains(&weights.display().to_string()) && said.contains("--fast"), "{said}");
    }
    // With --fast no model is read, so a damaged file does not matter.
    let out = command(&["annotate", "--fast", DEMO])
        .env("LECTERN_TAGGER", &damaged)
        .output()
        .expect("run lectern");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::path::Path::new(BIN).exists());
}

/// A report long enough that the model is still reading it when the server says it is ready.
fn long_report() -> String {
    let people = ["Mayor Ana Ruiz", "Councillor Ben Okafor", "the city's treasurer, Mia Chen", "Officials"];
    let verbs = ["said", "told reporters", "warned", "argued"];
    let claims = [
        "the bridge would likely reopen in the spring",
        "the budget could fall short by several million",
        "the new depot is expected to cut bus delays",
        "the plan seems to have wide support among residents",
    ];
    let mut text = String::from("The city's transport plan\n");
    for i in 0..260 {
        let who = people[i % people.len()];
        let verb = verbs[(i / 4) % verbs.len()];
        let what = claims[(i / 16) % claims.len()];
        text.push_str(&format!("{who} {verb} on day {i} that {what}. "));
        if i % 3 == 2 {
            text.push_str(&format!("\u{201c}We will look at item {i} again,\u{201d} {who} said.\n"));
        }
    }
    text
}

#[tokio::test]
async fn the_server_shows_the_rules_at_once_and_the_model_refines_in_the_background() {
    let dir = TempDir::new("refine");
    let file = dir.write("transport.txt", long_report().as_bytes());
    let served = Served::start(
        &["serve", "--port", "0", file.to_str().expect("UTF-8 temp path")],
        &[("LECTERN_FAST", "false")],
        &dir,
    );
    let owner = client(None);
    let json_url = format!("{}api/documents/transport", served.url);
    let mut events = EventStream::open(&owner, &format!("{json_url}/events")).await;
    let (_, first, _) = response_json(owner.get(&json_url).send().await.expect("GET the document")).await;
    let page = owner
        .get(format!("{}d/transport", served.url))
        .send()
        .await
        .expect("GET the page");
    let page = Html::parse_document(&page.text().await.expect("a page"));
    // The rules' annotation is there at once (the model needs seconds for this text), and the page says the model
    // is still reading.
    assert_eq!(first["pipeline"], "fast", "{}", served.stderr());
    {
        assert_eq!(by_model(&first), 0);
        assert!(!first["sentences"].as_array().is_some_and(Vec::is_empty));
        assert_eq!(select(&page, "#refining").len(), 1, "the page says the model is reading");
        assert_eq!(select(&page, "#refining-progress").len(), 1);
        let mut progress = Vec::new();
        let done = loop {
            let Some((name, data)) = events.next(Duration::from_secs(240)).await else {
                panic!("no `annotated` event; progress seen: {progress:?}; stderr: {}", served.stderr())
            };
            match name.as_str() {
                "annotating" => {
                    let (d, t) = (data["done"].as_u64().unwrap_or(u64::MAX), data["total"].as_u64().unwrap_or(0));
                    assert!(d <= t, "{data}");
                    progress.push(d);
                }
                "annotated" => break data,
                _ => {}
            }
        };
        assert_eq!(done["id"], "transport");
        assert!(progress.windows(2).all(|w| w[0] <= w[1]), "progress only grows: {progress:?}");
    }
    let (_, refined, _) = response_json(owner.get(&json_url).send().await.expect("GET the document")).await;
    assert_eq!(refined["pipeline"], "accurate", "{}", served.stderr());
    assert!(by_model(&refined) > 0, "{:?}", rules(&refined));
    assert_eq!(refined["text"], first["text"], "the same document");
    let page = owner
        .get(format!("{}d/transport", served.url))
        .send()
        .await
        .expect("GET the page");
    let html = page.text().await.expect("a page");
    let page = Html::parse_document(&html);
    assert!(select(&page, "#refining").is_empty(), "no longer reading");
    assert!(html.contains("the learned model"), "explanations say the model found or confirmed spans");
}

#[tokio::test]
async fn a_model_that_cannot_load_is_said_on_the_page_and_the_rules_still_serve() {
    let dir = TempDir::new("no-model");
    let damaged = dir.write("tagger.safetensors", b"not a weights file at all");
    let damaged = damaged.to_str().expect("UTF-8 temp path").to_string();
    let served =
        Served::start(&["serve", "--port", "0"], &[("LECTERN_FAST", "false"), ("LECTERN_TAGGER", &damaged)], &dir);
    let owner = client(None);
    let page_url = format!("{}d/kim-putin-article", served.url);
    let mut said = String::new();
    for _ in 0..100 {
        said = owner
            .get(&page_url)
            .send()
            .await
            .expect("GET the page")
            .text()
            .await
            .expect("a page");
        if said.contains("could not be loaded") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(said.contains("the learned model could not be loaded"), "the page says so");
    assert!(said.contains("This page shows what the rules found"));
    let (_, doc, _) = response_json(
        owner
            .get(format!("{}api/documents/kim-putin-article", served.url))
            .send()
            .await
            .expect("GET"),
    )
    .await;
    assert_eq!(doc["pipeline"], "fast");
    assert!(
        served
            .stderr()
            .contains("lectern: error: the learned model could not be loaded"),
        "{}",
        served.stderr()
    );
}
