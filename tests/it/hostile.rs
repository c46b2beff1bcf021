//! Hostile documents: markup, quotes, emoji and CRLF are shown literally and never executed; odd paths and broken
//! annotations get answers, not crashes.

use annotate::{Claim, Hedge, HedgeCategory, Rule, Sentence, Span};
use lectern::entry::Entry;
use reqwest::StatusCode;

use crate::support::{annotated, check_document, document, entries, only_our_script, select, sentence, spawn, text_of};

/// Markup, quotes, emoji and CRLF: shown as text, never run (the browser tests open it too).
pub const HOSTILE: &str = "Breaking <script>alert(1)</script> news\r\n\
    \"quoted\" & <b>bold</b> text, officials said — “curly” ‘quotes’ 🙂 and 👩‍👩‍👧 may follow.\r\n\
    <img src=x onerror=alert(2)> The mayor <i>could</i> resign &amp; leave.\r\n";

#[tokio::test]
async fn markup_in_a_document_is_shown_as_text() {
    let server = spawn(entries(vec![document("hostile.txt", HOSTILE.as_bytes())])).await;
    let (status, doc) = server.json("/api/documents/hostile").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["text"], HOSTILE, "the text is served unchanged, CRLF included");
    check_document(&doc);

    let (status, page) = server.html("/d/hostile").await;
    assert_eq!(status, StatusCode::OK);
    only_our_script(&page, "/d/hostile");
    assert!(select(&page, ".doc-text b, .doc-text i, img, [onerror]").is_empty(), "no element from the document");
    let shown: String = select(&page, ".doc-text").iter().map(text_of).collect();
    for literal in [
        "<script>alert(1)</script>",
        "\"quoted\" & <b>bold</b>",
        "“curly” ‘quotes’ 🙂 and 👩‍👩‍👧",
        "<img src=x onerror=alert(2)>",
        "<i>could</i> resign &amp; leave.",
    ] {
        assert!(shown.contains(literal), "{literal:?} is shown literally in {shown:?}");
    }
    let title = select(&page, "title").first().map(text_of).unwrap_or_default();
    assert!(title.starts_with("Breaking <script>alert(1)</script> news"), "title shown literally: {title:?}");
    let sentences = doc["sentences"].as_array().map(Vec::len).unwrap_or_default();
    assert_eq!(select(&page, "[id^=s-]").len(), sentences);
}

#[tokio::test]
async fn hostile_titles_in_the_list_and_markdown_html_stay_text() {
    let md = b"# Title <script>alert(3)</script>\n\n<script>alert(4)</script>\n\nA <em>real</em> sentence.\n";
    let server = spawn(entries(vec![document("hostile.txt", HOSTILE.as_bytes()), document("hostile.md", md)])).await;
    let (_, index) = server.html("/").await;
    only_our_script(&index, "/");
    let titles: Vec<String> = select(&index, "a.doc-link").iter().map(text_of).collect();
    // Newest first: the Markdown file was added last.
    assert_eq!(titles[0], "Title <script>alert(3)</script>");

    let (_, page) = server.html("/d/hostile-2").await;
    only_our_script(&page, "/d/hostile-2");
    assert!(select(&page, "em").is_empty());
    let shown: String = select(&page, ".doc-text").iter().map(text_of).collect();
    assert!(shown.contains("<script>alert(4)</script>"), "HTML in Markdown is kept as text: {shown:?}");
    assert!(shown.contains("A <em>real</em> sentence."), "{shown:?}");
}

#[tokio::test]
async fn odd_paths_get_404s_not_crashes() {
    let server = spawn(entries(vec![document("a.txt", b"A\nText.")])).await;
    for path in [
        "/d/..%2F..%2Fetc%2Fpasswd",
        "/d/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/d/%FF%FE",
        "/static/x/..%2F..%2FCargo.toml",
        "/static/x/../../Cargo.toml",
        "/d/a/extra",
    ] {
        let (status, page) = server.html(path).await;
        assert!(status.is_client_error(), "{path}: {status}");
        let h1 = select(&page, "main h1 .status").first().map(text_of).unwrap_or_default();
        assert!(h1.starts_with(status.as_str()), "{path}: the styled error page, h1 {h1:?}");
        only_our_script(&page, path);
    }
    let (status, body) = server.json("/api/documents/%FF%FE").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].is_string());
    assert_eq!(server.get("/d/a").await.status(), StatusCode::OK, "the server keeps answering");
}

#[tokio::test]
async fn annotations_that_do_not_fit_the_text_are_dropped_not_fatal() {
    let text = "Kim’s train\nIt left.";
    let rule = Rule { id: "rule/test".into(), why: "test".into() };
    let bad_hedge =
        |start, end| Hedge { span: Span { start, end }, category: HedgeCategory::Epistemic, rule: rule.clone() };
    let broken = annotated(
        vec![
            Sentence {
                hedges: vec![bad_hedge(4, 5), bad_hedge(7, 900)],
                ..sentence(Span::new(0, 13), 0, Claim::Unattributed)
            },
            sentence(Span::new(14, 400), 7, Claim::None),
        ],
        vec![Span::new(0, 13)],
        Vec::new(),
    );
    let server = spawn(vec![Entry::from_parts(document("odd.txt", text.as_bytes()), broken)]).await;
    let (status, doc) = server.json("/api/documents/odd").await;
    assert_eq!(status, StatusCode::OK);
    let sentences = doc["sentences"].as_array().expect("sentences is an array");
    assert_eq!(sentences.len(), 1, "the sentence that does not fit is left out");
    assert_eq!(sentences[0]["text"], "Kim’s train");
    assert_eq!((sentences[0]["start"].as_u64(), sentences[0]["end"].as_u64()), (Some(0), Some(11)), "in characters");
    assert_eq!(sentences[0]["hedges"].as_array().map(Vec::len), Some(0), "hedges that do not fit are left out");
    let (status, page) = server.html("/d/odd").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select(&page, "[id^=s-]").len(), 1);
    assert!(select(&page, "mark").is_empty());
}
