//! The library over HTTP, on a real socket with a real SQLite file: adding by every way in (API text, Markdown,
//! JSON, multipart, the page's upload and paste forms), no duplicates, paging and search, deleting, limits, and the
//! live feed of changes.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{
    EventStream, check_document, demo_library, files_form, location, response_json, sel, select, spawn, spawn_with,
    text_of,
};
use lectern::server::Options;

const STORY: &str = "Council to vote on budget\nThe council would likely approve the budget on Tuesday, officials said. \
                     Mayor Ann Lee said the vote could slip.";

#[tokio::test]
async fn text_posted_to_the_api_is_created_with_its_location_and_annotated() {
    let server = spawn(Vec::new()).await;
    let (status, doc, location) = server
        .post("/api/documents?title=Budget%20vote", "text/plain; charset=utf-8", STORY.into())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(location.as_deref(), Some("/api/documents/budget-vote"));
    check_document(&doc);
    assert_eq!(doc["document"]["title"], "Budget vote");
    assert_eq!(doc["document"]["name"], "<api>");
    assert_eq!(doc["text"], STORY);
    let sentences = doc["sentences"].as_array().map(Vec::len).unwrap_or(0);
    assert!(sentences >= 3, "the text is annotated: {sentences} sentences");
    let (status, again) = server.json(&location.unwrap_or_default()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, doc, "the Location serves the same document");

    // The title defaults to the first line; Markdown is converted; JSON bodies work too.
    let (status, doc, _) = server
        .post("/api/documents", "text/plain", b"First line is the title\nBody.".to_vec())
        .await;
    assert_eq!((status, doc["document"]["title"].as_str()), (StatusCode::CREATED, Some("First line is the title")));
    let md = b"# A *Markdown* story\n\nWith **bold** text, officials said.".to_vec();
    let (status, doc, _) = server.post("/api/documents", "text/markdown", md).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(doc["document"]["title"], "A Markdown story");
    assert_eq!(doc["text"], "A Markdown story\nWith bold text, officials said.");
    let body = json!({ "title": "From JSON", "text": "Sent as JSON. It may rain." })
        .to_string()
        .into_bytes();
    let (status, doc, location) = server.post("/api/documents", "application/json", body).await;
    assert_eq!((status, location.as_deref()), (StatusCode::CREATED, Some("/api/documents/from-json")));
    assert_eq!(doc["sentences"][1]["hedges"][0]["text"], "may");
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 4);
}

#[tokio::test]
async fn multipart_uploads_keep_the_file_name() {
    let server = spawn(Vec::new()).await;
    let form = files_form(&[("C:\\Users\\me\\council.txt", STORY.as_bytes())]);
    let resp = server.post_multipart("/api/documents", form).await;
    let (status, doc, location) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(
        (doc["document"]["name"].as_str(), doc["document"]["id"].as_str()),
        (Some("council.txt"), Some("council"))
    );
    assert_eq!(location.as_deref(), Some("/api/documents/council"));
}

#[tokio::test]
async fn the_same_text_twice_is_one_document_however_it_comes() {
    let server = spawn(Vec::new()).await;
    let (first, doc, _) = server.post("/api/documents", "text/plain", STORY.into()).await;
    let (second, again, at) = server.post("/api/documents?title=Other", "text/plain", STORY.into()).await;
    assert_eq!((first, second), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(again["document"]["id"], doc["document"]["id"]);
    assert_eq!(at, Some(format!("/api/documents/{}", doc["document"]["id"].as_str().unwrap_or(""))));
    // The page's upload form with the same bytes leads to the same document, saying so.
    let form = files_form(&[("again.txt", STORY.as_bytes())]);
    let resp = server.post_multipart("/documents", form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    assert_eq!(to, format!("/d/{}?notice=existing", doc["document"]["id"].as_str().unwrap_or("")));
    let (_, page) = server.html(&to).await;
    let notice = select(&page, ".notice[role=status]").iter().map(text_of).collect::<String>();
    assert!(notice.contains("already in the library"), "{notice}");
    // A pasted text: the browser's CRLF line ends do not make it another text.
    let pasted = [("title", "Council to vote on budget"), ("text", &STORY.replace('\n', "\r\n"))];
    let resp = server.post_form("/documents", &pasted).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 1, "{list}");
}

#[tokio::test]
async fn the_paste_form_adds_a_text_and_opens_it() {
    let server = spawn(Vec::new()).await;
    let pasted = [("title", "  Pasted <b>story</b> "), ("text", "Officials said the bridge may close.\r\nIt rained.")];
    let resp = server.post_form("/documents", &pasted).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    assert_eq!(to, "/d/pasted-b-story-b");
    let (status, page) = server.html(&to).await;
    assert_eq!(status, StatusCode::OK);
    let title = select(&page, "h1.doc-title").iter().map(text_of).collect::<String>();
    assert_eq!(title, "Pasted <b>story</b>", "the title is text, escaped");
    assert!(select(&page, ".doc-title b").is_empty());
    let (_, doc) = server.json("/api/documents/pasted-b-story-b").await;
    assert_eq!(doc["text"], "Officials said the bridge may close.\nIt rained.");
}

#[tokio::test]
async fn bad_documents_get_clear_errors_and_nothing_is_added() {
    let server = spawn(Vec::new()).await;
    let cases: [(&str, Vec<u8>, StatusCode, &str); 7] = [
        ("text/plain", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, "empty"),
        ("application/pdf", b"%PDF-1.7 and then nothing".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "PDF"),
        (
            "text/html",
            b"<html><body><script>only()</script></body></html>".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
        ),
        ("text/plain", b"\x00\x01\x02binary".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "binary"),
        ("image/png", b"\x89PNG".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "plain text"),
        ("application/json", b"{\"title\": 3".to_vec(), StatusCode::BAD_REQUEST, "JSON"),
        ("application/json", b"{\"text\": \"x\", \"format\": \"pdf\"}".to_vec(), StatusCode::BAD_REQUEST, "format"),
    ];
    for (kind, body, want, says) in cases {
        let (status, json, _) = server.post("/api/documents", kind, body).await;
        assert_eq!(status, want, "{kind}: {json}");
        let error = json["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{kind}: {error:?} says {says:?}");
    }
    // Several files through the page: the good ones are added, the bad one is reported by name.
    let form = files_form(&[
        ("good.txt", b"A good text. It may rain."),
        ("<img src=x>.bin", b"\x00\x00\x00"),
        ("second.md", b"# Second\n\nAnother text."),
    ]);
    let resp = server.post_multipart("/documents", form).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    let items: Vec<String> = select(&page, ".results li").iter().map(text_of).collect();
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[1].contains("<img src=x>.bin") && items[1].contains("binary"), "{items:?}");
    assert!(select(&page, ".results img").is_empty(), "a file name is text");
    assert_eq!(select(&page, ".results a[href^='/d/']").len(), 2);
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 2);
}

#[tokio::test]
async fn an_upload_over_the_limit_gets_413_in_the_format_of_its_route() {
    let server = spawn_with(Vec::new(), Options { max_upload: 4096, ..Options::new() }).await;
    let big = "Words and more words. ".repeat(400).into_bytes();
    let (status, json, _) = server.post("/api/documents", "text/plain", big.clone()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json["error"].as_str().is_some_and(|e| e.contains("4 kB")), "{json}");
    // Without a length announced (chunked), the limit holds while reading.
    let stream = futures_util::stream::iter(
        big.chunks(1000)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    let resp = server
        .owner()
        .post(server.url("/api/documents"))
        .header("content-type", "text/plain")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let form = files_form(&[("big.txt", &big)]);
    let resp = server.post_multipart("/documents", form).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    let message = select(&page, ".error p").iter().map(text_of).collect::<String>();
    assert!(message.contains("at most 4 kB"), "an HTML page for the form: {message}");
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 0);
    // Under the limit is fine.
    let (status, _, _) = server.post("/api/documents", "text/plain", b"Small enough.".to_vec()).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_library_pages_searches_and_deletes() {
    let server = spawn(Vec::new()).await;
    for i in 0..120 {
        let text =
            format!("Story {i:03}\nThe {} committee met on day {i}.", if i % 10 == 0 { "harbour" } else { "roads" });
        let (status, _, _) = server.post("/api/documents", "text/plain", text.into_bytes()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let titles = |page: &scraper::Html| -> Vec<String> { select(page, "a.doc-link").iter().map(text_of).collect() };
    let (_, first) = server.html("/").await;
    assert_eq!(titles(&first).len(), lectern::server::pages::PAGE_SIZE);
    assert_eq!(titles(&first)[0], "Story 119", "newest first");
    let older = select(&first, ".pager a[rel=next]")
        .first()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string);
    assert_eq!(older.as_deref(), Some("/?page=2"));
    let (_, third) = server.html("/?page=3").await;
    assert_eq!(titles(&third).len(), 20);
    assert_eq!(titles(&third).last().map(String::as_str), Some("Story 000"));

    let (_, found) = server.html("/?q=harbour").await;
    let mut hits = titles(&found);
    hits.sort();
    assert_eq!(hits.len(), 12, "{hits:?}");
    assert!(hits.iter().all(|t| t.ends_with('0')));
    let marked: Vec<String> = select(&found, ".snippet mark.hit").iter().map(text_of).collect();
    assert!(!marked.is_empty() && marked.iter().all(|m| m.eq_ignore_ascii_case("harbour")), "{marked:?}");
    let (_, prefix) = server.json("/api/documents?q=harb").await;
    assert_eq!(prefix["total"], 12, "the last word is a prefix");
    let (_, hostile) = server.html("/?q=%22%3Cscript%3E*%20OR").await;
    assert!(
        select(&hostile, ".shelf-count")
            .iter()
            .map(text_of)
            .collect::<String>()
            .contains("<script>")
    );

    // Delete through the page's confirmation form, then through the API.
    let resp = server
        .owner()
        .post(server.url("/d/story-119/delete"))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(server.get("/d/story-119").await.status(), StatusCode::NOT_FOUND);
    let resp = server
        .owner()
        .delete(server.url("/api/documents/story-118"))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = server
        .owner()
        .delete(server.url("/api/documents/story-118"))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let (_, list) = server.json("/api/documents?q=story").await;
    assert_eq!(list["total"], 118);
}

#[tokio::test]
async fn the_feed_announces_additions_and_deletions() {
    let server = spawn(demo_library()).await;
    let mut library = EventStream::open(server.owner(), &server.url("/api/events")).await;
    assert!(library.until("ready", Duration::from_secs(10)).await.is_some());
    let mut demo = EventStream::open(server.owner(), &server.url("/api/documents/kim-putin-article/events")).await;
    let ready = demo.until("ready", Duration::from_secs(10)).await;
    assert_eq!(ready, Some(json!({ "id": "kim-putin-article", "revision": 1 })));
    let (_, doc, _) = server
        .post("/api/documents", "text/plain", b"Fresh\nA new text.".to_vec())
        .await;
    let added = library.until("added", Duration::from_secs(10)).await;
    assert_eq!(added.as_ref().map(|a| &a["id"]), Some(&doc["document"]["id"]));
    let resp = server
        .owner()
        .delete(server.url("/api/documents/kim-putin-article"))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let deleted = demo.until("deleted", Duration::from_secs(10)).await;
    assert_eq!(deleted.map(|d| d["id"].clone()), Some(Value::from("kim-putin-article")));
    assert_eq!(
        server.get("/api/documents/no-such/events").await.status(),
        StatusCode::NOT_FOUND,
        "no stream for a document that does not exist"
    );
}

#[tokio::test]
async fn a_large_upload_does_not_hold_up_other_readers() {
    let server = spawn(demo_library()).await;
    let paragraph = "The council would likely approve the plan, officials said, although the mayor could object. ";
    let big: String = (0..9000).map(|i| format!("{paragraph}Item {i}.\n")).collect();
    assert!(big.len() > 800_000);
    let upload = {
        let client = server.owner().clone();
        let url = server.url("/api/documents");
        tokio::spawn(async move {
            let resp = client.post(url).header("content-type", "text/plain").body(big).send().await;
            (resp.map(|r| r.status()).ok(), std::time::Instant::now())
        })
    };
    // While it is being annotated, pages keep being answered: each of these finishes before the upload does.
    let mut answered = Vec::new();
    for _ in 0..5 {
        let resp = server.get("/d/kim-putin-article").await;
        assert_eq!(resp.status(), StatusCode::OK);
        answered.push(std::time::Instant::now());
    }
    let (status, done) = upload.await.expect("the upload task");
    assert_eq!(status, Some(StatusCode::CREATED));
    assert!(answered.iter().all(|&t| t < done), "the pages were answered while the upload was annotated");
    let (_, page) = server.html("/").await;
    assert_eq!(select(&page, "a.doc-link").len(), 2);
    assert!(
        select(&page, ".doc-list li")
            .iter()
            .any(|li| li.select(&sel(".doc-facts")).any(|f| text_of(&f).contains("kB")))
    );
}
