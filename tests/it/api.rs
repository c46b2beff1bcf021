//! The JSON API: shape, types, character offsets, errors, and agreement with `lectern annotate`.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{
    DEMO_TEXT, FIXTURE_TEXT, TempDir, check_document, demo_library, document, fixture, run, spawn, stdout_json,
};

#[tokio::test]
async fn document_list_has_the_documented_shape() {
    let server = spawn(vec![fixture(), lectern::entry::Entry::annotate(document("b.txt", b"B\nText."))]).await;
    let (status, list) = server.json("/api/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["lectern"], 1);
    let mut top: Vec<&str> = list.as_object().expect("an object").keys().map(String::as_str).collect();
    top.sort_unstable();
    assert_eq!(top, ["documents", "lectern", "limit", "offset", "total"]);
    assert_eq!((list["total"].as_u64(), list["offset"].as_u64()), (Some(2), Some(0)));
    let docs = list["documents"].as_array().expect("documents is an array");
    assert_eq!(docs.len(), 2);
    for d in docs {
        let mut keys: Vec<&str> = d.as_object().expect("an object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        let expected =
            ["added", "bytes", "chars", "counts", "id", "name", "revision", "sentence_count", "title", "updated"];
        assert_eq!(keys, expected);
        let mut counts: Vec<&str> = d["counts"].as_object().expect("counts").keys().map(String::as_str).collect();
        counts.sort_unstable();
        let expected =
            ["attributed", "attributions", "hedged_claims", "hedges", "sources", "unattributed", "unnamed_only"];
        assert_eq!(counts, expected);
        let id = d["id"].as_str().expect("id is a string");
        let (_, doc) = server.json(&format!("/api/documents/{id}")).await;
        assert_eq!(d["chars"], doc["document"]["chars"]);
        assert_eq!(d["title"], doc["document"]["title"]);
        assert_eq!(d["name"], doc["document"]["name"]);
        assert_eq!(d["sentence_count"].as_u64(), Some(check_document(&doc) as u64));
        let sources = doc["sources"].as_array().map(Vec::len);
        assert_eq!(d["counts"]["sources"].as_u64().map(|n| n as usize), sources);
        let hedges: usize = doc["sentences"]
            .as_array()
            .map(|ss| ss.iter().map(|s| s["hedges"].as_array().map_or(0, Vec::len)).sum())
            .unwrap_or(0);
        assert_eq!(d["counts"]["hedges"].as_u64(), Some(hedges as u64));
        assert_eq!(d["revision"], 1);
        assert!(d["added"].as_i64().is_some_and(|t| t > 1_700_000_000), "added is a recent Unix time");
    }
    let (_, paged) = server.json("/api/documents?limit=1&offset=1").await;
    assert_eq!(paged["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(paged["documents"][0]["id"], docs[1]["id"], "pages follow the same order");
}

#[tokio::test]
async fn demo_document_has_valid_offsets_and_its_text_unchanged() {
    let server = spawn(demo_library()).await;
    let (status, doc) = server.json("/api/documents/kim-putin-article").await;
    assert_eq!(status, StatusCode::OK);
    assert!(check_document(&doc) > 0);
    assert_eq!(doc["text"], DEMO_TEXT, "plain text is served unchanged");
    assert_eq!(doc["document"]["id"], "kim-putin-article");
    assert_eq!(doc["document"]["name"], "kim-putin-article.txt");
}

#[tokio::test]
async fn offsets_are_characters_not_bytes() {
    let server = spawn(vec![fixture()]).await;
    let (_, doc) = server.json("/api/documents/fixture").await;
    check_document(&doc);
    let hedge = &doc["sentences"][1]["hedges"][0];
    assert_eq!(hedge["text"], "may");
    let byte = FIXTURE_TEXT.find("may").expect("the fixture has 'may'");
    let ch = FIXTURE_TEXT[..byte].chars().count();
    assert_eq!(hedge["start"].as_u64(), Some(ch as u64));
    assert_ne!(ch, byte, "the fixture has multi-byte characters before the hedge, so the units differ");
    let attribution = &doc["sentences"][1]["attributions"][0];
    assert_eq!(attribution["speaker"], "Adrienne Watson");
    assert_eq!(attribution["kind"], "named");
    assert_eq!(attribution["direct_quote"], true);
    assert_eq!(attribution["rule"], "rule/said");
    assert_eq!(doc["sources"][0]["sentences"], serde_json::json!([1]));
}

#[tokio::test]
async fn unknown_ids_and_paths_are_json_404s() {
    let server = spawn(demo_library()).await;
    for path in ["/api/documents/no-such-id", "/api/no-such-endpoint", "/api/documents/%3Cscript%3E"] {
        let resp = server.get(path).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        assert_eq!(ctype.as_deref(), Some("application/json"), "{path}");
        let body: Value = serde_json::from_str(&resp.text().await.expect("a body")).expect("a JSON body");
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{path}: only an error field");
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty() && !e.contains("script")), "{path}: {body}");
    }
    let (status, _) = server.json("/api/documents").await;
    assert_eq!(status, StatusCode::OK, "the server keeps answering");
}

#[tokio::test]
async fn other_methods_on_the_api_get_a_json_405() {
    let server = spawn(demo_library()).await;
    let client = crate::support::plain_client();
    for (method, path) in [
        (reqwest::Method::PUT, "/api/documents"),
        (reqwest::Method::PATCH, "/api/documents"),
        (reqwest::Method::POST, "/api/documents/kim-putin-article"),
        (reqwest::Method::PUT, "/api/shares"),
    ] {
        let resp = client
            .request(method.clone(), format!("{}{path}", server.base))
            .send()
            .await
            .expect("a response");
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        let body: Value = serde_json::from_str(&resp.text().await.expect("a body")).expect("a JSON body");
        assert!(body["error"].as_str().is_some_and(|e| e.contains("does not take")), "{path}: {body}");
    }
}

#[tokio::test]
async fn cli_prints_what_the_api_serves() {
    let dir = TempDir::new("agree");
    let file = dir.write("kim-putin-article.txt", DEMO_TEXT.as_bytes());
    let out = run(&["annotate", file.to_str().expect("UTF-8 temp path")], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = spawn(demo_library()).await;
    // What `lectern annotate` prints is the annotator's view.
    let (_, served) = server.json("/api/documents/kim-putin-article?view=annotator").await;
    assert_eq!(stdout_json(&out), served);
}
