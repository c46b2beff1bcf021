//! Documents in the formats readers have, through every way in (the command line, uploads, the API, the paste
//! form, links): saved news pages with their boilerplate, Windows-1252 text, Markdown, a PDF and a Word file made
//! by real tools (`tests/fixtures/ingest/make_fixtures.py`), a corrupt PDF, HTML bombs, and links fetched from a
//! server of the test's own (redirects, 404, a timeout, a loop, the wrong type, too large).

use std::path::PathBuf;
use std::time::Duration;

use axum::http::{StatusCode as AxStatus, header};
use axum::response::IntoResponse;
use axum::routing::get;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{
    check_document, files_form, location, response_json, run, select, spawn, spawn_with, stdout_json, text_of,
};
use lectern::server::Options;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

fn speakers(doc: &Value) -> Vec<String> {
    doc["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["speaker"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_saved_news_page_keeps_its_article_and_says_what_it_left_out() {
    let out = run(&["annotate", fixture("story.html").to_str().unwrap_or_default()], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = stdout_json(&out);
    check_document(&doc);
    let d = &doc["document"];
    assert_eq!(d["format"], "html");
    assert_eq!(d["title"], "Ferry service could end in winter, operator warns");
    assert_eq!((d["byline"].as_str(), d["site"].as_str()), (Some("Priya Raman"), Some("The Riverton Courier")));
    assert_eq!(d["published"], "2026-11-28T07:30:00Z");
    assert_eq!(d["encoding"]["name"], "UTF-8");
    let text = doc["text"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("Ferry service could end in winter, operator warns\nThe ferry between Riverton"),
        "{text}"
    );
    for kept in [
        "“We cannot keep two boats on the water at a loss,” Lindqvist",
        "repairs that & could cost",
        "Islanders worried",
    ] {
        assert!(text.contains(kept), "{kept:?} is kept");
    }
    for gone in [
        "Subscribe today",
        "cookies",
        "Share on social media",
        "Holiday cruises",
        "Bridge plan approved",
        "Typical. They always",
        "morning briefing",
        "All rights reserved",
        "By Priya Raman",
        "dataLayer",
        "font-family",
    ] {
        assert!(!text.contains(gone), "{gone:?} is left out of the text");
    }
    assert!(!text.contains('<') && !text.contains("&amp;") && !text.contains("&#"), "no markup: {text}");
    assert!(text.contains("shop.\nShe said"), "<br> is a line break");
    let who = speakers(&doc);
    assert!(who.iter().any(|s| s.contains("Lindqvist")), "{who:?}");
    assert!(!who.iter().any(|s| s.contains("Raman")), "the reporter is no source: {who:?}");
}

#[tokio::test]
async fn the_reading_page_shows_the_metadata_and_what_was_removed() {
    let server = spawn(Vec::new()).await;
    let resp = server
        .post_multipart("/documents", files_form(&[("story.html", &bytes("story.html"))]))
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = server.html(&location(&resp)).await;
    let source = select(&page, ".doc-source").iter().map(text_of).collect::<String>();
    assert!(source.contains("By Priya Raman") && source.contains("The Riverton Courier"), "{source}");
    let parts: Vec<String> = select(&page, "details.removed dt").iter().map(text_of).collect();
    for part in ["navigation", "comments", "share buttons", "advertisement", "page footer", "byline"] {
        assert!(parts.iter().any(|p| p == part), "{part} is listed as removed: {parts:?}");
    }
    let removed = select(&page, "details.removed dd").iter().map(text_of).collect::<String>();
    assert!(removed.contains("Typical. They always cut the island first."), "{removed}");
    assert!(select(&page, "details.removed script, .doc-text script").is_empty());
}

#[tokio::test]
async fn windows_1252_is_read_and_the_page_says_so() {
    let server = spawn(Vec::new()).await;
    let resp = server
        .post_multipart("/api/documents", files_form(&[("story-1252.html", &bytes("story-1252.html"))]))
        .await;
    let (status, doc, _) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    check_document(&doc);
    assert_eq!(doc["document"]["encoding"], serde_json::json!({ "name": "windows-1252", "source": "declared" }));
    let text = doc["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("Owners of cafés") && text.contains("2 € an hour") && text.contains("Renée Dubois"),
        "{text}"
    );
    let resp = server
        .post_multipart("/api/documents", files_form(&[("letter.txt", &bytes("letter-1252.txt"))]))
        .await;
    let (status, doc, _) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(doc["document"]["encoding"], serde_json::json!({ "name": "windows-1252", "source": "detected" }));
    assert!(
        doc["text"]
            .as_str()
            .is_some_and(|t| t.contains("most café visitors") && t.contains("“reviewed”"))
    );
    let (_, page) = server.html("/d/letter").await;
    let meta = select(&page, ".encoding").iter().map(text_of).collect::<String>();
    assert_eq!(meta, "encoding windows-1252 (not declared; detected from the text)");
}

#[tokio::test]
async fn a_pdf_gives_paragraphs_without_its_running_headers() {
    let server = spawn(Vec::new()).await;
    let (status, doc, _) = server
        .post("/api/documents?name=report.pdf", "application/pdf", bytes("report.pdf"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    check_document(&doc);
    assert_eq!(
        (doc["document"]["format"].as_str(), doc["document"]["title"].as_str()),
        (Some("pdf"), Some("Riverton plans a new bridge"))
    );
    let text = doc["text"].as_str().unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "the title and five paragraphs: {lines:#?}");
    assert!(!text.contains("Annual Report") && !text.contains("Page 2 of 3"), "{text}");
    for whole in ["supporting piers", "in a statement", "earlier estimates", "review the estimate before the vote"] {
        assert!(text.contains(whole), "{whole:?} is whole again");
    }
    assert!(who_says(&doc, "Lena Brooks"), "the text is annotated: {:?}", speakers(&doc));
    let id = doc["document"]["id"].as_str().unwrap_or_default().to_string();
    let (_, page) = server.html(&format!("/d/{id}")).await;
    let removed: Vec<String> = select(&page, "details.removed dt").iter().map(text_of).collect();
    assert!(removed.iter().any(|r| r.starts_with("running header")), "{removed:?}");
    let notes = select(&page, "details.removed p.muted").iter().map(text_of).collect::<String>();
    assert!(notes.contains("words were broken at a line end"), "{notes}");
}

fn who_says(doc: &Value, name: &str) -> bool {
    speakers(doc).iter().any(|s| s.contains(name))
}

#[tokio::test]
async fn a_corrupt_pdf_is_a_clear_error_and_the_server_goes_on() {
    let server = spawn(crate::support::demo_library()).await;
    let (status, json, _) = server.post("/api/documents", "application/pdf", bytes("corrupt.pdf")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json["error"].as_str().is_some_and(|e| e.contains("not a PDF Lectern can read")), "{json}");
    // Not a PDF at all but named like one, and a PDF without any text.
    let resp = server
        .post_multipart("/documents", files_form(&[("notes.pdf", b"just words")]))
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(server.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(server.get("/d/kim-putin-article").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_word_document_gives_its_paragraphs_title_and_author() {
    let server = spawn(Vec::new()).await;
    let resp = server
        .post_multipart("/api/documents", files_form(&[("memo.docx", &bytes("memo.docx"))]))
        .await;
    let (status, doc, _) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    check_document(&doc);
    let d = &doc["document"];
    assert_eq!((d["format"].as_str(), d["title"].as_str()), (Some("docx"), Some("Harbour dredging to start in May")));
    assert_eq!(d["byline"], "Press office, Port of Riverton");
    assert_eq!(doc["text"].as_str().map(|t| t.lines().count()), Some(4), "one line per paragraph: {}", doc["text"]);
    assert!(doc["text"].as_str().is_some_and(|t| t.contains("the schedule may change if")));
}

#[tokio::test]
async fn markdown_and_pasted_html_lose_their_markup() {
    let server = spawn(Vec::new()).await;
    let md = b"# Weekly briefing\n\n## Roads\n\nThe council **may** cut the [roads budget](https://example.org/b), \
               officials said.\n\n- Item *one*\n- Item two\n";
    let (status, doc, _) = server
        .post("/api/documents?name=briefing.md", "text/markdown", md.to_vec())
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let text = doc["text"].as_str().unwrap_or_default();
    assert_eq!(
        text,
        "Weekly briefing\nRoads\nThe council may cut the roads budget, officials said.\nItem one\nItem two"
    );
    for markup in ["**", "](", "# "] {
        assert!(!text.contains(markup));
    }
    // HTML pasted into the paste box is read as a page.
    let pasted = "<h1>Pasted page</h1><p>The mayor&#8217;s aides said the vote <b>would likely</b> slip.<br>Again.</p>";
    let resp = server
        .post_form("/documents", &[("title", ""), ("text", pasted), ("format", "auto")])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, doc) = server
        .json(&format!("/api/documents/{}", location(&resp).trim_start_matches("/d/")))
        .await;
    assert_eq!(doc["document"]["format"], "html");
    assert_eq!(doc["text"], "Pasted page\nThe mayor’s aides said the vote would likely slip.\nAgain.");
}

#[tokio::test]
async fn html_bombs_get_a_clear_error_or_a_bounded_result_while_others_are_served() {
    let server = spawn_with(crate::support::demo_library(), Options { max_upload: 32 << 20, ..Options::new() }).await;
    let deep = format!("<html><body>{}boom{}</body></html>", "<div>".repeat(200_000), "</div>".repeat(200_000));
    let wide = format!("<html><body>{}</body></html>", "<span><b>x</b></span>".repeat(400_000));
    let owner = server.owner().clone();
    let url = server.url("/api/documents");
    let bombs = tokio::spawn(async move {
        let mut answers = Vec::new();
        for (name, body) in [("deep.html", deep), ("wide.html", wide)] {
            let resp = owner
                .post(format!("{url}?name={name}"))
                .header(header::CONTENT_TYPE, "text/html")
                .body(body)
                .send()
                .await
                .expect("an answer");
            answers.push(response_json(resp).await);
        }
        (answers, std::time::Instant::now())
    });
    let mut answered = Vec::new();
    for _ in 0..3 {
        assert_eq!(server.get("/d/kim-putin-article").await.status(), StatusCode::OK);
        answered.push(std::time::Instant::now());
    }
    let (answers, done) = bombs.await.expect("the bombs task");
    assert!(answered.iter().all(|&t| t < done), "pages were answered during the hostile imports");
    let (status, json, _) = &answers[0];
    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json["error"].as_str().is_some_and(|e| e.contains("nested 200000 levels deep")), "{json}");
    let (status, json, _) = &answers[1];
    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert!(json["error"].as_str().is_some_and(|e| e.contains("elements")), "{json}");
}

/// A web server of the test's own, on 127.0.0.1, with the pages a link import meets.
async fn pages() -> String {
    let story = String::from_utf8(bytes("story.html")).unwrap_or_default();
    let app = axum::Router::new()
        .route(
            "/news/ferry.html",
            get(move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], story) }),
        )
        .route("/short", get(|| async { axum::response::Redirect::temporary("/news/ferry.html") }))
        .route("/loop", get(|| async { axum::response::Redirect::temporary("/loop") }))
        .route("/missing", get(|| async { (AxStatus::NOT_FOUND, "gone").into_response() }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "too late"
            }),
        )
        .route("/photo.png", get(|| async { ([(header::CONTENT_TYPE, "image/png")], vec![0x89u8, b'P', b'N', b'G']) }))
        .route("/huge", get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<p>x</p>".repeat(300_000)) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the pages server");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn links_are_fetched_with_clear_errors_for_each_failure() {
    let site = pages().await;
    let options = Options { max_upload: 1 << 20, fetch_timeout: Duration::from_secs(2), ..Options::new() };
    let server = spawn_with(Vec::new(), options).await;
    let add = |link: String| {
        let body = serde_json::json!({ "url": link }).to_string().into_bytes();
        server.post("/api/documents", "application/json", body)
    };
    let (status, doc, at) = add(format!("{site}/short")).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    check_document(&doc);
    assert_eq!(doc["document"]["url"], format!("{site}/news/ferry.html"), "the link after its redirect is kept");
    assert_eq!(doc["document"]["byline"], "Priya Raman");
    assert_eq!(at.as_deref(), Some("/api/documents/ferry-service-could-end-in-winter-operator-warns"));
    // The same link again: the same document.
    let (status, again, _) = add(format!("{site}/news/ferry.html")).await;
    assert_eq!((status, &again["document"]["id"]), (StatusCode::OK, &doc["document"]["id"]));
    let failures = [
        ("/missing", StatusCode::BAD_GATEWAY, "answered 404"),
        ("/loop", StatusCode::BAD_GATEWAY, "redirects more than 5 times"),
        ("/slow", StatusCode::GATEWAY_TIMEOUT, "no complete answer within 2 seconds"),
        ("/photo.png", StatusCode::UNPROCESSABLE_ENTITY, "it is image/png"),
        ("/huge", StatusCode::PAYLOAD_TOO_LARGE, "larger than 1 MiB"),
    ];
    for (path, want, says) in failures {
        let (status, json, _) = add(format!("{site}{path}")).await;
        assert_eq!(status, want, "{path}: {json}");
        assert!(json["error"].as_str().is_some_and(|e| e.contains(says)), "{path}: {json} says {says:?}");
    }
    for (link, says) in
        [("ftp://example.org/x", "only http:// and https://"), ("http://127.0.0.1:1/", "cannot reach 127.0.0.1")]
    {
        let (status, json, _) = add(link.to_string()).await;
        assert!(status.is_client_error() || status.is_server_error(), "{link}");
        assert!(json["error"].as_str().is_some_and(|e| e.contains(says)), "{link}: {json}");
    }
    // From the library page's link form, as the owner; viewers may not make the server fetch.
    let resp = server
        .post_form("/documents", &[("url", &format!("{site}/news/ferry.html"))])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(location(&resp).ends_with("?notice=existing"));
    let colleague = server.colleague();
    let resp = colleague
        .post(server.url("/documents"))
        .form(&[("url", &format!("{site}/short"))])
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn the_command_line_reads_links_too() {
    let site = pages().await;
    let link = format!("{site}/news/ferry.html");
    let out = tokio::task::spawn_blocking(move || run(&["annotate", &link], b""))
        .await
        .expect("lectern annotate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = stdout_json(&out);
    assert_eq!(doc["document"]["url"], format!("{site}/news/ferry.html"));
    let missing = format!("{site}/missing");
    let out = tokio::task::spawn_blocking(move || run(&["annotate", &missing], b""))
        .await
        .expect("lectern annotate");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the server answered 404"));
}
