//! Reading together over the API: notes (anchored, replied to, resolved, edited and deleted only by their author or
//! the owner, kept through an edit of the file), corrections (confirm, reject, fix, add; the reviewed view and
//! `?view=annotator`; refused when they find nothing), who may write (`--notes owner`, `--read-only`), the events
//! open pages hear, the exports that carry them (W3C `commenting`, the brief, brat and JSONL of corrected documents)
//! and `lectern eval --gold` on that export.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{
    EventStream, TempDir, TestServer, check_document, demo_library, document, response_json, run, spawn_with,
};
use lectern::library::Library;
use lectern::review::ReviewPolicy;
use lectern::server::Options;
use lectern::store::{AddedBy, NewDocument};

const DEMO: &str = "kim-putin-article";

async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = client.request(method.clone(), url);
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let resp = req.send().await.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let (status, json, _) = response_json(resp).await;
    (status, json)
}

async fn post(client: &reqwest::Client, url: &str, body: Value) -> (StatusCode, Value) {
    send(client, reqwest::Method::POST, url, Some(body)).await
}

/// A colleague's client holding a link to `document`.
async fn colleague_with_link(server: &TestServer, document: &str) -> reqwest::Client {
    let (status, share) = post(server.owner(), &server.url("/api/shares"), json!({ "document": document })).await;
    assert_eq!(status, StatusCode::CREATED, "{share}");
    let url = share["url"].as_str().unwrap_or_default();
    let path = &url[url.find("/s/").unwrap_or(0)..];
    let colleague = server.colleague();
    let resp = colleague.get(server.url(path)).send().await.expect("open the link");
    assert_eq!(resp.status(), StatusCode::OK);
    colleague
}

async fn doc(server: &TestServer, path: &str) -> Value {
    let (status, doc) = server.json(path).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    check_document(&doc);
    doc
}

/// The sentence of `doc` whose text contains `needle`.
fn sentence<'a>(doc: &'a Value, needle: &str) -> &'a Value {
    doc["sentences"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["text"].as_str().is_some_and(|t| t.contains(needle))))
        .unwrap_or_else(|| panic!("no sentence holds {needle:?}"))
}

/// The attribution of `s` whose source says `source`.
fn attribution<'a>(s: &'a Value, source: &str) -> &'a Value {
    s["attributions"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["source"]["text"] == source))
        .unwrap_or_else(|| panic!("no source {source:?} in {s}"))
}

#[tokio::test]
async fn notes_are_anchored_replied_to_resolved_and_changed_only_by_their_author_or_the_owner() {
    let server = spawn_with(demo_library(), Options::new()).await;
    let notes = server.url(&format!("/api/documents/{DEMO}/notes"));
    let d = doc(&server, &format!("/api/documents/{DEMO}")).await;
    let s = sentence(&d, "would likely travel");
    let sid = s["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(d["view"], "reviewed");

    // A viewer writes: a name is needed once, then the cookie keeps it.
    let colleague = colleague_with_link(&server, DEMO).await;
    let body = json!({ "sentence": sid, "quote": { "exact": "would likely travel" }, "body": "Who says *likely*? <script>alert(1)</script>" });
    let (status, err) = post(&colleague, &notes, body.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"].as_str().is_some_and(|e| e.contains("name")), "{err}");
    let mut named = body.clone();
    named["author"] = json!("Sam <b>Lee</b>");
    let (status, note) = post(&colleague, &notes, named).await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert!(note["id"].is_string() && note["created"].is_i64(), "{note}");
    assert_eq!(note["author"], "Sam <b>Lee</b>", "stored as typed, escaped when shown");
    assert_eq!(note["mine"], true);
    assert_eq!(note["quote"]["exact"], "would likely travel");
    assert!(note["quote"]["prefix"].as_str().is_some_and(|p| p.ends_with("but Kim ")), "{note}");
    let at = &note["at"];
    assert_eq!((at["sentence"].as_str(), at["in_place"].as_bool()), (Some(sid.as_str()), Some(true)));
    assert_eq!(note["parts"][1], json!({ "em": "likely" }));
    assert!(
        note["parts"]
            .as_array()
            .is_some_and(|p| p.iter().all(|x| x.get("link").is_none()))
    );
    let (status, second) = post(&colleague, &notes, json!({ "sentence": sid, "body": "Second thought." })).await;
    assert_eq!(status, StatusCode::CREATED, "the name is remembered: {second}");
    assert_eq!(second["author"], "Sam <b>Lee</b>");
    assert_eq!(second["quote"]["exact"], s["text"], "no passage: the whole sentence");
    assert_ne!(second["id"], note["id"]);

    // The owner replies, resolves; the viewer cannot change the owner's reply, the owner can change anything.
    let nid = note["id"].as_str().unwrap_or_default().to_string();
    let (status, reply) =
        post(server.owner(), &notes, json!({ "parent": nid, "body": "The NSC said so.", "author": "Dana" })).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!((reply["parent"].as_str(), reply["sentence"].as_str()), (Some(nid.as_str()), Some(sid.as_str())));
    let rid = reply["id"].as_str().unwrap_or_default().to_string();
    let (status, _) =
        post(server.owner(), &notes, json!({ "parent": rid, "body": "Replies are one level.", "author": "Dana" }))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let patch = |client: &reqwest::Client, id: &str, body: Value| {
        let url = format!("{notes}/{id}");
        let client = client.clone();
        async move { send(&client, reqwest::Method::PATCH, &url, Some(body)).await }
    };
    let (status, e) = patch(&colleague, &rid, json!({ "body": "I rewrote your reply." })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer cannot edit another's note: {e}");
    let (status, _) = send(&colleague, reqwest::Method::DELETE, &format!("{notes}/{rid}"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor delete it");
    let (status, edited) = patch(&colleague, &nid, json!({ "body": "Who says **likely**?", "resolved": true })).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert!(edited["edited"].is_i64() && edited["resolved"].is_i64());
    let (status, _) = patch(server.owner(), &nid, json!({ "resolved": false })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, list) = server.json(&format!("/api/documents/{DEMO}/notes")).await;
    assert_eq!(status, StatusCode::OK);
    let listed = list["notes"].as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|n| n["mine"] == true), "the owner may change every note");
    let (_, seen) = send(&colleague, reqwest::Method::GET, &notes, None).await;
    let mine: Vec<bool> = seen["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["mine"] == true)
        .collect();
    assert_eq!(mine, [true, true, false], "a viewer's own notes only");
    assert_eq!(seen["name"], "Sam <b>Lee</b>");

    // The document's JSON carries them, and so do the W3C export and the brief.
    let d = doc(&server, &format!("/api/documents/{DEMO}")).await;
    assert_eq!(d["notes"].as_array().map(Vec::len), Some(3));
    assert!(d["notes"][0].get("mine").is_none(), "the document's JSON is the same for everyone");
    let (_, w3c) = server.json(&format!("/api/documents/{DEMO}?format=w3c")).await;
    let items = w3c["first"]["items"].as_array().cloned().unwrap_or_default();
    let comments: Vec<&Value> = items.iter().filter(|a| a["motivation"] == "commenting").collect();
    assert_eq!(comments.len(), 2, "two notes; the reply is `replying`");
    let c = comments[0];
    assert_eq!(c["creator"], json!({ "type": "Person", "name": "Sam <b>Lee</b>" }));
    assert_eq!(c["body"][0]["purpose"], "commenting");
    assert_eq!(c["body"][0]["value"], "Who says **likely**?");
    let quote = &c["target"]["selector"][0];
    assert_eq!(
        (quote["type"].as_str(), quote["exact"].as_str()),
        (Some("TextQuoteSelector"), Some("would likely travel"))
    );
    let replying: Vec<&Value> = items.iter().filter(|a| a["motivation"] == "replying").collect();
    assert_eq!(replying.len(), 1);
    assert_eq!(replying[0]["target"], c["id"], "a reply targets the note it answers");
    let brief = server
        .get(&format!("/api/documents/{DEMO}?format=markdown"))
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(brief.contains("## Notes") && brief.contains("**Sam \\<b\\>Lee\\</b\\>**"), "{brief}");
    assert!(brief.contains("replied: The NSC said so."), "{brief}");
    assert!(!brief.contains("<b>"), "names are escaped in the brief");

    // The page prints the note as text.
    let page = server.get(&format!("/d/{DEMO}")).await.text().await.unwrap_or_default();
    let html = scraper::Html::parse_document(&page);
    let authors: Vec<String> = crate::support::select(&html, "#threads .author")
        .iter()
        .map(crate::support::text_of)
        .collect();
    assert!(authors.iter().any(|a| a == "Sam <b>Lee</b>"), "the name reads as typed: {authors:?}");
    assert!(crate::support::select(&html, "#threads b, #threads script").is_empty(), "and becomes no markup");
    assert!(!page.contains("<script>alert(1)"), "no note becomes markup");

    // Deleting a note takes its replies.
    let (status, _) = send(&colleague, reqwest::Method::DELETE, &format!("{notes}/{nid}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = server.json(&format!("/api/documents/{DEMO}/notes")).await;
    assert_eq!(list["notes"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn bad_notes_get_clear_errors_and_change_nothing() {
    let server = spawn_with(demo_library(), Options::new()).await;
    let notes = server.url(&format!("/api/documents/{DEMO}/notes"));
    let d = doc(&server, &format!("/api/documents/{DEMO}")).await;
    let sid = d["sentences"][2]["id"].as_str().unwrap_or_default().to_string();
    let long = "x".repeat(5_001);
    let cases = [
        (json!({ "sentence": "s-00000000", "body": "hi", "author": "A" }), "not in the document"),
        (
            json!({ "sentence": sid, "quote": { "exact": "words that are nowhere" }, "body": "hi", "author": "A" }),
            "passage",
        ),
        (json!({ "sentence": sid, "body": "   ", "author": "A" }), "empty"),
        (json!({ "sentence": sid, "body": long, "author": "A" }), "at most 5000"),
        (json!({ "parent": "nope", "body": "hi", "author": "A" }), "no note"),
        (json!({ "body": "hi", "author": "A" }), "which sentence"),
    ];
    for (body, says) in cases {
        let (status, e) = post(server.owner(), &notes, body.clone()).await;
        assert!(status.is_client_error(), "{body}: {status}");
        assert!(e["error"].as_str().is_some_and(|m| m.to_lowercase().contains(says)), "{body}: {e}");
    }
    let (status, e) = send(server.owner(), reqwest::Method::POST, &notes, None).await;
    assert!(status.is_client_error(), "no body: {e}");
    let (status, _) =
        send(server.owner(), reqwest::Method::PATCH, &format!("{notes}/nope"), Some(json!({"resolved": true}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = server.json(&format!("/api/documents/{DEMO}/notes")).await;
    assert_eq!(list["notes"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn who_may_write_is_the_owners_choice() {
    let body = |sid: &str| json!({ "sentence": sid, "body": "A note.", "author": "Sam" });
    for (policy, owner_may, viewer_may) in
        [(ReviewPolicy::Viewers, true, true), (ReviewPolicy::Owner, true, false), (ReviewPolicy::Off, false, false)]
    {
        let server = spawn_with(demo_library(), Options { review: policy, ..Options::new() }).await;
        let notes = server.url(&format!("/api/documents/{DEMO}/notes"));
        let d = doc(&server, &format!("/api/documents/{DEMO}")).await;
        let sid = d["sentences"][0]["id"].as_str().unwrap_or_default().to_string();
        let colleague = colleague_with_link(&server, DEMO).await;
        let (status, e) = post(server.owner(), &notes, body(&sid)).await;
        assert_eq!(status == StatusCode::CREATED, owner_may, "{policy:?} owner: {status} {e}");
        let (status, e) = post(&colleague, &notes, body(&sid)).await;
        assert_eq!(status == StatusCode::CREATED, viewer_may, "{policy:?} viewer: {status} {e}");
        if !viewer_may {
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        if policy == ReviewPolicy::Off {
            assert!(e["error"].as_str().is_some_and(|m| m.contains("read-only")), "{e}");
        }
        // The page offers the form only to who may write.
        let page = colleague.get(server.url(&format!("/d/{DEMO}"))).send().await.expect("page");
        let html = page.text().await.unwrap_or_default();
        assert_eq!(html.contains("id=\"note-dialog\""), viewer_may, "{policy:?}");
        // Reading notes needs only the link.
        let (status, _) = send(&colleague, reqwest::Method::GET, &notes, None).await;
        assert_eq!(status, StatusCode::OK);
    }
    // A viewer without a link neither reads nor writes notes.
    let server = spawn_with(demo_library(), Options::new()).await;
    let stranger = server.colleague();
    let url = server.url(&format!("/api/documents/{DEMO}/notes"));
    assert_eq!(send(&stranger, reqwest::Method::GET, &url, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(&stranger, &url, json!({ "sentence": "s-1", "body": "x", "author": "x" }))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn corrections_change_the_reviewed_view_and_keep_the_annotators() {
    let server = spawn_with(demo_library(), Options::new()).await;
    let url = server.url(&format!("/api/documents/{DEMO}/corrections"));
    let before = doc(&server, &format!("/api/documents/{DEMO}")).await;
    let s = sentence(&before, "according to top US officials");
    let officials = attribution(s, "top US officials");
    assert_eq!(officials["kind"], "unnamed");
    let sid = s["id"].as_str().unwrap_or_default();
    let (_, page) = server.html(&format!("/d/{DEMO}")).await;
    let figure = |page: &scraper::Html| {
        crate::support::select(page, ".gauge-figure strong")
            .first()
            .map(crate::support::text_of)
            .unwrap_or_default()
    };
    let percent_before = figure(&page);

    let mut events = EventStream::open(server.owner(), &server.url(&format!("/api/documents/{DEMO}/events"))).await;
    assert!(events.until("ready", std::time::Duration::from_secs(5)).await.is_some());
    let fix = json!({ "sentence": sid, "layer": "source", "action": "fix", "target": officials["source"], "kind": "named", "author": "Sam" });
    let colleague = colleague_with_link(&server, DEMO).await;
    let (status, c) = post(&colleague, &url, fix).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!((c["attached"].as_bool(), c["was"].as_str()), (Some(true), Some("unnamed source: top US officials")));
    assert!(events.until("corrected", std::time::Duration::from_secs(5)).await.is_some(), "open pages hear of it");

    let after = doc(&server, &format!("/api/documents/{DEMO}")).await;
    let s2 = sentence(&after, "according to top US officials");
    let fixed = attribution(s2, "top US officials");
    assert_eq!(fixed["kind"], "named");
    assert_eq!(fixed["corrected"]["by"], "Sam");
    assert_eq!(fixed["corrected"]["was"], "unnamed source: top US officials");
    assert_eq!(fixed["rule"], officials["rule"], "the annotator's rule still says who found it");
    assert_eq!(after["corrections"].as_array().map(Vec::len), Some(1));
    let source = after["sources"]
        .as_array()
        .and_then(|v| v.iter().find(|x| x["speaker"] == "top US officials"))
        .cloned();
    assert_eq!(source.map(|x| x["kind"].clone()), Some(json!("named")), "the ledger follows");
    let original = doc(&server, &format!("/api/documents/{DEMO}?view=annotator")).await;
    assert_eq!(original["view"], "annotator");
    assert_eq!(
        attribution(sentence(&original, "according to top US officials"), "top US officials")["kind"],
        "unnamed"
    );
    assert_eq!(original["sentences"], before["sentences"], "the annotator's output is unchanged");
    let (_, page) = server.html(&format!("/d/{DEMO}")).await;
    assert_ne!(figure(&page), percent_before, "the anonymous-sourcing figure uses the corrected view");
    let (_, page) = server.html(&format!("/d/{DEMO}?view=annotator")).await;
    assert_eq!(figure(&page), percent_before, "the annotator's view keeps its own");

    // Reject a hedge, add a missed one, set a claim label; each shows, marked, with what the annotator said.
    let hedge = &s2["hedges"][0];
    let (status, c) = post(server.owner(), &url, json!({ "sentence": sid, "layer": "hedge", "action": "reject", "target": { "start": hedge["start"], "end": hedge["end"] } })).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let text: Vec<char> = after["text"].as_str().unwrap_or_default().chars().collect();
    let start = s2["start"].as_u64().unwrap_or(0) as usize;
    let word = "selling";
    let at = (start..text.len())
        .find(|&i| text[i..].starts_with(&word.chars().collect::<Vec<_>>()[..]))
        .unwrap_or(0);
    let add = json!({ "sentence": sid, "layer": "hedge", "action": "add", "span": { "start": at, "end": at + word.len(), "text": word }, "category": "epistemic" });
    let (status, c) = post(server.owner(), &url, add).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let (status, c) =
        post(server.owner(), &url, json!({ "sentence": sid, "layer": "claim", "action": "fix", "claim": "none" }))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let now = doc(&server, &format!("/api/documents/{DEMO}")).await;
    let s3 = sentence(&now, "according to top US officials");
    assert!(
        s3["hedges"]
            .as_array()
            .is_some_and(|h| h.iter().all(|h| h["text"] != hedge["text"])),
        "rejected"
    );
    let added = s3["hedges"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["text"] == word))
        .cloned()
        .unwrap_or_default();
    assert_eq!((added["category"].as_str(), added["corrected"]["action"].as_str()), (Some("epistemic"), Some("add")));
    assert!(added["rule"].as_str().is_some_and(|r| r.starts_with("person/")));
    assert_eq!(
        (s3["claim"].as_str(), s3["claim_corrected"]["was"].as_str()),
        (Some("none"), Some("claim: attributed"))
    );

    // Corrections that find nothing are refused, saying why; undoing one brings the annotator's item back.
    let (status, e) = post(
        server.owner(),
        &url,
        json!({ "sentence": sid, "layer": "cue", "action": "reject", "target": { "start": 0, "end": 3 } }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"].as_str().is_some_and(|m| m.contains("not in the sentence")), "{e}");
    let (status, e) = post(server.owner(), &url, json!({ "sentence": sid, "layer": "hedge", "action": "add", "span": { "start": 0, "end": 3, "text": "Kim" }, "category": "epistemic" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a span outside its sentence: {e}");
    let (status, list) = send(&colleague, reqwest::Method::GET, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    let list = list["corrections"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 4);
    assert_eq!(list.iter().map(|c| c["mine"] == true).collect::<Vec<_>>(), [true, false, false, false]);
    let owners = list[1]["id"].as_str().unwrap_or_default();
    assert_eq!(
        send(&colleague, reqwest::Method::DELETE, &format!("{url}/{owners}"), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(server.owner(), reqwest::Method::DELETE, &format!("{url}/{owners}"), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let undone = doc(&server, &format!("/api/documents/{DEMO}")).await;
    assert!(
        sentence(&undone, "according to top US officials")["hedges"]
            .as_array()
            .is_some_and(|h| h.iter().any(|h| h["text"] == hedge["text"]))
    );
}

#[tokio::test]
async fn notes_and_corrections_outlive_an_edit_of_the_file() {
    let server = spawn_with(Vec::new(), Options::new()).await;
    let origin = "/srv/news/council.txt";
    let story = "Council vote\nThe council may approve the budget on Monday, aides said. The mayor opposes it. \
                 Officials said the vote could slip.";
    let library: Arc<Library> = Arc::clone(&server.library);
    let save = |text: String| {
        let library = Arc::clone(&library);
        async move {
            tokio::task::spawn_blocking(move || {
                let d = document("council.txt", text.as_bytes());
                library
                    .add(NewDocument { document: d, origin: Some(origin.into()), added_by: AddedBy::File })
                    .map(|(e, _)| e.document.id.clone())
            })
            .await
            .expect("store task")
            .expect("stored")
        }
    };
    let id = save(story.to_string()).await;
    let d = doc(&server, &format!("/api/documents/{id}")).await;
    let s = sentence(&d, "approve the budget");
    let sid = s["id"].as_str().unwrap_or_default().to_string();
    let notes = server.url(&format!("/api/documents/{id}/notes"));
    let (status, _) = post(
        server.owner(),
        &notes,
        json!({ "sentence": sid, "quote": { "exact": "on Monday" }, "body": "Which Monday?" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let mayor = sentence(&d, "mayor opposes")["id"].as_str().unwrap_or_default().to_string();
    let (status, _) = post(
        server.owner(),
        &notes,
        json!({ "sentence": mayor, "quote": { "exact": "opposes" }, "body": "Since when?" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let hedge = &s["hedges"][0];
    let (status, _) = post(server.owner(), &server.url(&format!("/api/documents/{id}/corrections")), json!({ "sentence": sid, "layer": "hedge", "action": "reject", "target": { "start": hedge["start"], "end": hedge["end"] } })).await;
    assert_eq!(status, StatusCode::CREATED);

    // The file changes elsewhere (a new first paragraph) and where the mayor's sentence was.
    let edited = story
        .replace("Council vote\n", "Council vote\nA late update from the town hall.\n")
        .replace("The mayor opposes it.", "The mayor now backs it.");
    assert_eq!(save(edited).await, id);
    let d = doc(&server, &format!("/api/documents/{id}")).await;
    let moved = sentence(&d, "approve the budget");
    let notes_now = d["notes"].as_array().cloned().unwrap_or_default();
    assert_eq!(notes_now.len(), 2);
    assert_eq!(notes_now[0]["at"]["sentence"], moved["id"], "re-attached to its sentence");
    assert_eq!(notes_now[0]["at"]["in_place"], true);
    assert!(notes_now[1]["at"].is_null(), "the mayor's passage changed: {}", notes_now[1]);
    assert!(
        moved["hedges"]
            .as_array()
            .is_some_and(|h| h.iter().all(|h| h["text"] != hedge["text"])),
        "the rejection still holds"
    );
    let (_, page) = server.html(&format!("/d/{id}")).await;
    let changed: Vec<String> = crate::support::select(&page, ".thread .changed")
        .iter()
        .map(crate::support::text_of)
        .collect();
    assert_eq!(changed, ["This passage changed"]);
}

#[tokio::test]
async fn corrections_export_as_gold_that_parses_back_and_scores() {
    let dir = TempDir::new("corrections-export");
    let server = spawn_with(demo_library(), Options::new()).await;
    let data = server.data_dir();
    let d = doc(&server, &format!("/api/documents/{DEMO}")).await;
    let url = server.url(&format!("/api/documents/{DEMO}/corrections"));
    let s = sentence(&d, "according to top US officials");
    let sid = s["id"].as_str().unwrap_or_default();
    let (status, _) = post(server.owner(), &url, json!({ "sentence": sid, "layer": "source", "action": "fix", "target": attribution(s, "top US officials")["source"], "kind": "named" })).await;
    assert_eq!(status, StatusCode::CREATED);
    let h = &s["hedges"][0];
    let (status, _) = post(server.owner(), &url, json!({ "sentence": sid, "layer": "hedge", "action": "reject", "target": { "start": h["start"], "end": h["end"] } })).await;
    assert_eq!(status, StatusCode::CREATED);

    // The API: JSON Lines of the corrected documents, and a brat collection.
    let resp = server.get("/api/corrections").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let lines = resp.text().await.unwrap_or_default();
    let docs: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(docs.len(), 1, "only corrected documents");
    check_document(&docs[0]);
    assert_eq!(docs[0]["corrections"].as_array().map(Vec::len), Some(2));
    let zip = server
        .get("/api/corrections?format=brat")
        .await
        .bytes()
        .await
        .unwrap_or_default();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).expect("a zip");
    let names: Vec<String> = (0..archive.len())
        .filter_map(|i| archive.by_index(i).ok().map(|f| f.name().to_string()))
        .collect();
    for name in [format!("{DEMO}.txt"), format!("{DEMO}.ann"), "annotation.conf".into(), "documents.jsonl".into()] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }

    // The command: the same into a folder, which parses back and which `lectern eval --gold` scores.
    let out = dir.path("gold");
    let data_arg = data.display().to_string();
    let out_arg = out.display().to_string();
    let done = run(&["export", "--corrections", "--data", &data_arg, "--out", &out_arg], b"");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let text = std::fs::read_to_string(out.join(format!("{DEMO}.txt"))).expect("the text");
    let ann = std::fs::read_to_string(out.join(format!("{DEMO}.ann"))).expect("the annotations");
    let standoff = eval::corpus::brat::parse(&ann).expect("the .ann parses with the corpus reader");
    let gold = eval::layers::attributions::gold(&standoff, &text);
    assert!(gold.attributions.len() >= 10, "{} attributions", gold.attributions.len());
    let index = annotate::CharIndex::new(&text);
    let kind_of = |speaker: &str| {
        let event = standoff.events.iter().find(|e| {
            e.args.iter().any(|(role, t)| {
                role == "Source"
                    && standoff.text_bound(t).is_some_and(|t| {
                        let (a, b) = t.hull();
                        text.get(index.byte_of(a)..index.byte_of(b)) == Some(speaker)
                    })
            })
        });
        event.and_then(|e| ann.lines().find(|l| l.contains(&format!("Kind {}", e.id))).map(str::to_string))
    };
    assert!(kind_of("top US officials").is_some_and(|l| l.ends_with("named") && !l.ends_with("unnamed")), "{ann}");
    let hedges = standoff.text_bounds.iter().filter(|t| t.label == "Hedge").count();
    let annotator_hedges = d["sentences"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["hedges"].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    assert_eq!(hedges + 1, annotator_hedges, "the rejected hedge is not gold");
    let jsonl = std::fs::read_to_string(out.join("documents.jsonl")).expect("documents.jsonl");
    assert_eq!(jsonl.lines().count(), 1);

    let scored = run(&["eval", "--gold", &out_arg, "--json"], b"");
    assert!(scored.status.success(), "{}", String::from_utf8_lossy(&scored.stderr));
    let report: Value = serde_json::from_slice(&scored.stdout).expect("the report is JSON");
    let row = |metric: &str| {
        report["rows"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["metric"] == metric))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(row("cue (overlap)")["score"]["f1"], 1.0, "the annotator agrees with its own cues: {report}");
    let hedge_row = row("cues (shared word)");
    assert!(
        hedge_row["score"]["precision"].as_f64().is_some_and(|p| p < 1.0),
        "the rejected hedge counts against it: {hedge_row}"
    );
    assert_eq!(hedge_row["score"]["recall"], 1.0);
}
