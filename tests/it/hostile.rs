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

/// The hostile inputs every way in must survive: each gets a clear error or a correct page.
fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("<img src=x onerror=alert(1)>.txt", HOSTILE.as_bytes().to_vec()),
        ("empty.txt", Vec::new()),
        ("binary.bin", (0..=255u8).cycle().take(50_000).collect()),
        ("latin1.txt", b"Caf\xe9 owners \x93expect\x94 more, the mayor said.".to_vec()),
        ("one-sentence.txt", "word and word ".repeat(75_000).into_bytes()),
        ("paragraphs.txt", "A.\n".repeat(100_000).into_bytes()),
        ("quotes.txt", "“‘«„".repeat(60_000).into_bytes()),
        ("nested.html", format!("{}x{}", "<div><blockquote>".repeat(20_000), "</blockquote></div>".repeat(20_000)).into_bytes()),
        ("script.html", b"<html><head><title><script>alert(3)</script></title></head><body><p onclick=alert(4)>Hi &lt;b&gt; there, officials said.</p><script>alert(5)</script></body></html>".to_vec()),
    ]
}

/// Every hostile input through the upload form, the paste box and the API, while pages keep being answered: a
/// clear error (a 4xx with a message) or a page that shows the input as text and runs nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_inputs_through_every_way_in_get_an_error_or_a_page() {
    let server = crate::support::spawn_with(
        crate::support::demo_library(),
        lectern::server::Options { max_upload: 16 << 20, ..lectern::server::Options::new() },
    )
    .await;
    let owner = server.owner().clone();
    let base = server.base.clone();
    let imports = tokio::spawn(async move {
        let mut answers = Vec::new();
        for (name, bytes) in hostile_inputs() {
            let form = crate::support::files_form(&[(name, &bytes)]);
            let upload = owner
                .post(format!("{base}/documents"))
                .multipart(form)
                .send()
                .await
                .expect("upload");
            answers.push((format!("upload {name}"), upload.status(), upload.headers().get("location").cloned()));
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let paste = owner
                    .post(format!("{base}/documents"))
                    .form(&[("title", name), ("text", text)])
                    .send()
                    .await
                    .expect("paste");
                answers.push((format!("paste {name}"), paste.status(), paste.headers().get("location").cloned()));
            }
            let api = owner
                .post(format!("{base}/api/documents?name={}", urlencode(name)))
                .header("content-type", if name.ends_with(".html") { "text/html" } else { "text/plain" })
                .body(bytes)
                .send()
                .await
                .expect("api");
            answers.push((format!("api {name}"), api.status(), api.headers().get("location").cloned()));
        }
        answers
    });
    // Meanwhile the server answers as usual.
    while !imports.is_finished() {
        assert_eq!(server.get("/d/kim-putin-article").await.status(), StatusCode::OK);
        assert_eq!(server.get("/healthz").await.status(), StatusCode::OK);
    }
    for (what, status, location) in imports.await.expect("the imports") {
        assert!(
            status.is_success() || status.is_redirection() || status.is_client_error(),
            "{what}: {status} is neither a page nor a clear refusal"
        );
        if let Some(to) = location
            .and_then(|l| l.to_str().ok().map(str::to_string))
            .filter(|l| l.starts_with("/d/"))
        {
            let (status, page) = server.html(&to).await;
            assert_eq!(status, StatusCode::OK, "{what}: {to}");
            only_our_script(&page, &what);
        }
    }
    let (_, list) = server.json("/api/documents?limit=100").await;
    for d in list["documents"].as_array().into_iter().flatten() {
        let id = d["id"].as_str().unwrap_or_default();
        let (status, doc) = server.json(&format!("/api/documents/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        check_document(&doc);
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
}
