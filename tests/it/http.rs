//! The HTML pages, parsed: the library, the reading view compared against the JSON API, assets, headers, 404s,
//! slow clients, and a library of 10,000 documents.

use std::collections::BTreeMap;
use std::time::Duration;

use annotate::{Claim, HedgeCategory, SourceKind};
use lectern::entry::Entry;
use lectern::ingest;
use lectern::server::{CONTENT_SECURITY_POLICY, Options};
use lectern::view::Layer;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{
    TestServer, check_document, demo_library, document, entries, fixture, only_our_script, sel, select, sentence_ids,
    spawn, spawn_with, text_of,
};

/// All whitespace removed: marks cut at sentence boundaries lose the whitespace between sentences.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Compare the reading view of `id` with its JSON: sentences, claims, and every annotation's marks. Returns how
/// many annotations each layer has.
async fn check_reading_page(server: &TestServer, id: &str) -> BTreeMap<String, usize> {
    let (status, page) = server.html(&format!("/d/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, doc) = server.json(&format!("/api/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let n = check_document(&doc);
    let api_sentences = doc["sentences"].as_array().expect("sentences is an array");

    let sentences = select(&page, "[id^=s-]");
    assert_eq!(sentences.len(), n, "one element per API sentence");
    let texts: Vec<&str> = api_sentences.iter().map(|s| s["text"].as_str().unwrap_or_default()).collect();
    let ids = sentence_ids(&texts);
    for ((el, s), id) in sentences.iter().zip(api_sentences).zip(&ids) {
        let attr = |name| el.value().attr(name).unwrap_or_default();
        assert_eq!(attr("id"), id, "the element id comes from the sentence's text");
        assert_eq!(attr("data-index"), s["index"].to_string());
        assert_eq!(attr("data-layer"), "claim");
        assert_eq!(attr("data-claim"), s["claim"].as_str().unwrap_or_default());
        assert!(!attr("title").trim().is_empty(), "sentence {} has a title", s["index"]);
        assert_eq!(text_of(el), s["text"].as_str().unwrap_or_default(), "sentence text shown exactly");
    }

    // What the API reports, keyed by the view's annotation ids.
    let mut expected: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (i, s) in api_sentences.iter().enumerate() {
        for (j, h) in s["hedges"].as_array().into_iter().flatten().enumerate() {
            expected.insert(format!("s{i}-h{j}"), ("hedge".into(), squeeze(h["text"].as_str().unwrap_or_default())));
        }
        for (j, a) in s["attributions"].as_array().into_iter().flatten().enumerate() {
            for part in ["source", "cue", "content"] {
                if let Some(t) = a[part]["text"].as_str() {
                    expected.insert(format!("s{i}-a{j}-{part}"), (part.to_string(), squeeze(t)));
                }
            }
        }
    }

    // What the page shows: each mark holds one segment, so a mark's pieces joined give its span's text.
    let layer_names: Vec<&str> = Layer::ALL.iter().map(|l| l.name()).collect();
    let mut shown: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut titled: BTreeMap<String, usize> = BTreeMap::new();
    for mark in select(&page, ".doc-text mark[data-layer]") {
        let attr = |name| mark.value().attr(name).unwrap_or_default().to_string();
        if !attr("title").trim().is_empty() {
            *titled.entry(attr("data-ann")).or_default() += 1;
        }
        assert!(layer_names.contains(&attr("data-layer").as_str()), "known layer {}", attr("data-layer"));
        let entry = shown
            .entry(attr("data-ann"))
            .or_insert_with(|| (attr("data-layer"), String::new()));
        assert_eq!(entry.0, attr("data-layer"), "one layer per annotation id");
        entry.1.push_str(&squeeze(&text_of(&mark)));
    }
    assert_eq!(shown, expected, "marks on the page = annotations in the API");
    // Each annotation says why on exactly one piece (its first), however often it is cut.
    for id in shown.keys() {
        assert_eq!(titled.get(id), Some(&1), "annotation {id} has its title on exactly one piece");
    }

    let mut per_layer = BTreeMap::new();
    for (layer, _) in expected.values() {
        *per_layer.entry(layer.clone()).or_insert(0) += 1;
    }
    per_layer
}

#[tokio::test]
async fn reading_page_of_the_demo_matches_the_api() {
    let server = spawn(demo_library()).await;
    check_reading_page(&server, "kim-putin-article").await;
}

#[tokio::test]
async fn reading_page_shows_every_layer_with_overlaps_nested() {
    let server = spawn(vec![fixture()]).await;
    let per_layer = check_reading_page(&server, "fixture").await;
    for layer in ["hedge", "source", "cue", "content"] {
        assert!(per_layer.get(layer).is_some_and(|&n| n > 0), "the fixture has {layer} marks");
    }
    let (_, page) = server.html("/d/fixture").await;
    let nested = select(&page, "mark[data-layer=content] mark[data-layer=cue] mark[data-layer=hedge]");
    assert_eq!(nested.iter().map(text_of).collect::<Vec<_>>(), ["believe"], "a cue that is also a hedge");
    let first = select(&page, "[id^=s-]")
        .first()
        .and_then(|e| e.value().attr("id"))
        .map(String::from);
    let headline = select(&page, &format!("h1.headline [id={}]", first.unwrap_or_default()));
    assert_eq!(headline.len(), 1, "a first line without a full stop is the headline");
    assert_eq!(select(&page, "h1").len(), 1, "the headline is the page's only h1");
}

#[tokio::test]
async fn sources_panel_counts_and_legend_follow_the_document() {
    let server = spawn(vec![fixture()]).await;
    let (_, page) = server.html("/d/fixture").await;
    let (_, doc) = server.json("/api/documents/fixture").await;

    let sources = doc["sources"].as_array().expect("sources is an array");
    let texts: Vec<&str> = doc["sentences"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["text"].as_str().unwrap_or_default())
        .collect();
    let ids = sentence_ids(&texts);
    let items = select(&page, ".sources li");
    assert_eq!(items.len(), sources.len());
    for (li, src) in items.iter().zip(sources) {
        let speaker = li.select(&sel(".sample")).next().map(|e| text_of(&e));
        assert_eq!(speaker.as_deref(), src["speaker"].as_str());
        let links: Vec<String> = li
            .select(&sel("a"))
            .filter_map(|a| a.value().attr("href").map(String::from))
            .collect();
        let expected: Vec<String> = src["sentences"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| format!("#{}", ids[usize::try_from(i.as_u64().unwrap_or(u64::MAX)).unwrap_or(usize::MAX)]))
            .collect();
        assert_eq!(links, expected, "each carried sentence is linked");
    }

    let counts: Vec<usize> = select(&page, ".counts dd")
        .iter()
        .map(|dd| text_of(dd).trim().parse().expect("a count"))
        .collect();
    let sentences = doc["sentences"].as_array().expect("sentences is an array");
    let api_counts: Vec<usize> = Claim::ALL
        .iter()
        .map(|c| sentences.iter().filter(|s| s["claim"] == c.as_str()).count())
        .collect();
    assert_eq!(counts, api_counts, "claim counts in legend order");

    let toggles: Vec<String> = select(&page, "input.toggle")
        .iter()
        .filter_map(|i| i.value().attr("id").map(String::from))
        .collect();
    let expected: Vec<String> = Layer::ALL.iter().map(|l| format!("show-{}", l.name())).collect();
    assert_eq!(toggles, expected, "one toggle per layer");
    let variants = select(&page, ".legend dl.variants div");
    assert_eq!(variants.len(), HedgeCategory::ALL.len() + SourceKind::ALL.len() + Claim::ALL.len());
}

#[tokio::test]
async fn index_lists_every_document() {
    let library = entries(vec![
        ingest::demo(),
        document("second.md", b"# Second story\n\nThe mayor may resign, officials said."),
        document("third.txt", b"Third\nIt rained."),
    ]);
    let server = spawn(library).await;
    let (status, page) = server.html("/").await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = server.json("/api/documents").await;
    let docs = list["documents"].as_array().expect("documents is an array");
    let items = select(&page, ".doc-list li");
    assert_eq!(items.len(), docs.len());
    for (li, d) in items.iter().zip(docs) {
        let link = li.select(&sel("a.doc-link")).next().expect("each item links to its document");
        let id = d["id"].as_str().expect("id is a string");
        assert_eq!(link.value().attr("href"), Some(format!("/d/{id}").as_str()));
        assert_eq!(Some(text_of(&link).as_str()), d["title"].as_str());
        let name = li.select(&sel(".doc-name")).next().map(|e| text_of(&e));
        assert_eq!(name.as_deref(), d["name"].as_str());
        let counts = li.select(&sel(".doc-counts")).next().map(|e| text_of(&e)).unwrap_or_default();
        let counts = counts.split_whitespace().collect::<Vec<_>>().join(" ");
        let c = &d["counts"];
        let sources = c["sources"].as_u64().expect("a count");
        let hedged = c["hedged_claims"].as_u64().expect("a count");
        let (attributed, unnamed) = (c["attributed"].as_u64().unwrap_or(0), c["unnamed_only"].as_u64().unwrap_or(0));
        let share = match (unnamed * 100 + attributed / 2).checked_div(attributed) {
            None => "no attributed claims".to_string(),
            Some(percent) => format!("{percent}% of attributed claims on unnamed sources only"),
        };
        let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let want = format!(
            "{} · {share} · {}",
            plural(sources, "source", "sources"),
            plural(hedged, "hedged claim", "hedged claims")
        );
        assert_eq!(counts, want);
        let time = li
            .select(&sel("time"))
            .next()
            .and_then(|t| t.value().attr("datetime").map(str::to_string));
        assert!(time.is_some_and(|t| t.ends_with('Z') && t.len() == 20), "added at a UTC instant");
        assert_eq!(server.get(&format!("/d/{id}")).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_library_page_shows_even_one_document_with_the_ways_to_add_more() {
    let server = spawn(demo_library()).await;
    let (status, page) = server.html("/").await;
    assert_eq!(status, StatusCode::OK);
    let links: Vec<_> = select(&page, "a.doc-link")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert_eq!(links, ["/d/kim-putin-article"]);
    let upload = select(&page, "form#upload");
    assert_eq!(upload.first().and_then(|f| f.value().attr("enctype")), Some("multipart/form-data"));
    assert_eq!(select(&page, "form#upload input[type=file][name=file][multiple]").len(), 1);
    assert_eq!(select(&page, "form#paste textarea[name=text]").len(), 1);
    assert_eq!(select(&page, "form[role=search] input[name=q]").len(), 1);
    assert_eq!(select(&page, "details.confirm form[action='/d/kim-putin-article/delete']").len(), 1);
}

#[tokio::test]
async fn missing_document_is_a_404_page_and_the_server_keeps_answering() {
    let server = spawn(demo_library()).await;
    for path in ["/d/no-such-document", "/no/such/page", "/d/", "/static/0/no-such.css"] {
        let (status, page) = server.html(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        let h1 = select(&page, "main h1 .status").first().map(text_of).unwrap_or_default();
        assert!(h1.starts_with("404"), "{path}: styled error page, h1 {h1:?}");
        assert_eq!(select(&page, "link[rel=stylesheet]").len(), 1, "{path}: the error page uses the layout");
    }
    let (status, list) = server.json("/api/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["documents"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = spawn_with(vec![fixture()], Options { max_upload: 1024, ..Options::new() }).await;
    let css = lectern::server::assets::url("app.css");
    let colleague = server.colleague();
    let big = vec![b'a'; 4096];
    let mut responses: Vec<(String, reqwest::Response)> = Vec::new();
    for path in [
        "/",
        "/d/fixture",
        "/api/documents",
        "/api/documents/x",
        "/nope",
        css.as_str(),
        "/favicon.ico",
        "/healthz",
        "/shares",
    ] {
        responses.push((format!("GET {path}"), server.get(path).await));
    }
    responses.push(("GET / from a colleague (401)".into(), colleague.get(server.url("/")).send().await.expect("GET")));
    responses.push(("GET /s/… (401)".into(), colleague.get(server.url("/s/nothing")).send().await.expect("GET")));
    responses.push(("a foreign Host (403)".into(), server.get_with("/", &[("host", "evil.example")]).await));
    let post = |path: &str, body: Vec<u8>| {
        server
            .owner()
            .post(server.url(path))
            .header("content-type", "text/plain")
            .body(body)
            .send()
    };
    responses.push(("POST (201)".into(), post("/api/documents", b"A new text.".to_vec()).await.expect("POST")));
    responses.push(("POST too large (413)".into(), post("/api/documents", big).await.expect("POST")));
    responses.push((
        "POST from a colleague (401)".into(),
        colleague
            .post(server.url("/api/documents"))
            .body("x")
            .send()
            .await
            .expect("POST"),
    ));
    let events = server
        .owner()
        .get(server.url("/api/events"))
        .send()
        .await
        .expect("GET /api/events");
    responses.push(("the event stream".into(), events));
    for (what, resp) in responses {
        let header = |name| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
        assert_eq!(header("content-security-policy").as_deref(), Some(CONTENT_SECURITY_POLICY), "{what}");
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
        assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"), "{what}");
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{what}");
        assert!(header("cache-control").is_some(), "{what}: a cache policy");
    }
}

#[tokio::test]
async fn slow_and_silent_connections_are_closed_while_others_are_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = spawn(demo_library()).await;
    let started = std::time::Instant::now();
    let mut silent = tokio::net::TcpStream::connect(server.addr()).await.expect("connect");
    let mut slow = tokio::net::TcpStream::connect(server.addr()).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .expect("write half a request");
    // A kept-alive connection that asks once and then says nothing more.
    let mut idle = tokio::net::TcpStream::connect(server.addr()).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .expect("write a request");
    let mut answer = Vec::new();
    while !answer.ends_with(b"ok\n") {
        let mut buf = [0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(10), idle.read(&mut buf))
            .await
            .expect("an answer")
            .expect("read");
        assert!(n > 0, "the first request is answered on a kept-alive connection");
        answer.extend_from_slice(&buf[..n]);
    }
    // Meanwhile the server answers others as usual.
    assert_eq!(server.get("/d/kim-putin-article").await.status(), StatusCode::OK);
    let bound = lectern::server::HEADER_TIMEOUT + Duration::from_secs(10);
    for (what, conn) in [("silent", &mut silent), ("slow", &mut slow), ("idle", &mut idle)] {
        let mut buf = [0u8; 256];
        let read = tokio::time::timeout(bound, conn.read(&mut buf)).await;
        let closed = matches!(read, Ok(Ok(0)) | Ok(Err(_)))
            || matches!(read, Ok(Ok(n)) if buf[..n].starts_with(b"HTTP/1.1 408"));
        assert!(closed, "the {what} connection is closed by the server: {read:?}");
    }
    assert!(started.elapsed() >= lectern::server::HEADER_TIMEOUT, "not before the timeout");
    assert_eq!(server.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn ten_thousand_documents_page_and_search_quickly() {
    let server = spawn(Vec::new()).await;
    let library = std::sync::Arc::clone(&server.library);
    tokio::task::spawn_blocking(move || {
        for i in 0..10_000 {
            let topic = ["harbour", "budget", "school", "bridge"][i % 4];
            let text = format!("Report {i}\nThe {topic} committee met on day {i}, officials said.");
            let doc = lectern::ingest::from_bytes(&format!("report-{i}.txt"), text.as_bytes()).expect("a document");
            library
                .add(lectern::store::NewDocument {
                    document: doc,
                    origin: None,
                    added_by: lectern::store::AddedBy::Owner,
                })
                .expect("stored");
        }
    })
    .await
    .expect("the import task");
    let mut worst = Duration::ZERO;
    for path in [
        "/",
        "/?page=100",
        "/?page=200",
        "/?q=harbour",
        "/?q=harbour&page=50",
        "/api/documents?offset=9900&limit=100",
        "/api/documents?q=bri",
    ] {
        let start = std::time::Instant::now();
        let resp = server.get(path).await;
        let took = start.elapsed();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let body = resp.text().await.unwrap_or_default();
        assert!(body.contains("Report"), "{path} lists documents");
        println!("10,000 documents: {path} answered in {:.1} ms", took.as_secs_f64() * 1000.0);
        worst = worst.max(took);
    }
    let (_, found) = server.json("/api/documents?q=harbour&limit=1").await;
    assert_eq!(found["total"], 2_500);
    // Indexed queries answer in milliseconds; the bound leaves room for a slow, shared machine.
    assert!(worst < Duration::from_millis(750), "the slowest page took {worst:?}");
}

#[tokio::test]
async fn pages_use_only_their_own_resources() {
    let server = spawn(vec![fixture(), Entry::annotate(document("other.txt", b"Other\nText."))]).await;
    for path in ["/", "/d/fixture", "/nope"] {
        let (_, page) = server.html(path).await;
        assert!(select(&page, "style, [style]").is_empty(), "{path}: no inline style (CSP)");
        only_our_script(&page, path);
        for el in select(&page, "[src], link[href]") {
            let url = el.value().attr("src").or_else(|| el.value().attr("href")).unwrap_or_default();
            assert!(url.starts_with('/') && !url.starts_with("//"), "{path}: {url} is served by Lectern");
            assert_eq!(server.get(url).await.status(), StatusCode::OK, "{path}: {url} exists");
        }
    }
}

#[tokio::test]
async fn assets_are_versioned_cached_and_revalidated() {
    let server = spawn(demo_library()).await;
    let (_, page) = server.html("/d/kim-putin-article").await;
    let href = |css: &str| {
        select(&page, css)
            .first()
            .and_then(|e| e.value().attr("href"))
            .map(String::from)
            .expect("linked")
    };
    let css = href("link[rel=stylesheet]");
    let icon = href("link[rel=icon]");
    for (url, mime) in [(&css, "text/css"), (&icon, "image/svg+xml")] {
        let resp = server.get(url).await;
        assert_eq!(resp.status(), StatusCode::OK, "{url}");
        let header = |name| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
        assert!(header("content-type").is_some_and(|t| t.starts_with(mime)), "{url}: {:?}", header("content-type"));
        assert!(header("cache-control").is_some_and(|c| c.contains("immutable")), "{url}: cached for long");
        let etag = header("etag").expect("an ETag");
        let again = server.get_with(url, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{url}: revalidation");
    }
    // A page from an older build asks for an older version: it gets the current file, not cached for long.
    let stale = css.replacen(css.split('/').nth(2).unwrap_or_default(), "000000000000", 1);
    let resp = server.get(&stale).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-cache"));
    let favicon = server.get("/favicon.ico").await;
    assert_eq!(favicon.status(), StatusCode::OK, "no 404 for the browser's favicon request");
}

#[tokio::test]
async fn api_document_list_and_pages_agree_on_ids() {
    let server = spawn(entries(vec![
        document("same.txt", b"One\nA sentence."),
        document("same.md", b"Two\n\nAnother sentence."),
    ]))
    .await;
    let (_, list) = server.json("/api/documents").await;
    let ids: Vec<&str> = list["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, ["same-2", "same"], "ids are unique, and the newest comes first");
    for id in ids {
        let (status, doc): (StatusCode, Value) = server.json(&format!("/api/documents/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["document"]["id"], id);
        assert_eq!(server.get(&format!("/d/{id}")).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn layers_hidden_in_the_address_are_switched_off_by_the_server() {
    let server = spawn(vec![fixture()]).await;
    let unticked = |page: &scraper::Html| -> Vec<String> {
        select(page, "input.toggle:not([checked])")
            .iter()
            .filter_map(|i| i.value().attr("id").map(String::from))
            .collect()
    };
    let (status, page) = server.html("/d/fixture?hide=cue,nonsense,hedge").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unticked(&page), ["show-hedge", "show-cue"], "in legend order, unknown names ignored");
    let (_, page) = server.html("/d/fixture?hide=claim%2Ccontent").await;
    assert_eq!(unticked(&page), ["show-content", "show-claim"], "an encoded comma works too");
    let (_, page) = server.html("/d/fixture?hide=hedge&hide=cue").await;
    assert_eq!(unticked(&page), ["show-hedge", "show-cue"], "a repeated parameter adds up");
    // Without `hide`, the page opens with the quiet content layer off; an empty or unreadable `hide` hides none.
    for plain in ["/d/fixture", "/d/fixture?x=1"] {
        let (_, page) = server.html(plain).await;
        assert_eq!(unticked(&page), ["show-content"], "{plain}: the quiet layer is off");
    }
    for odd in ["/d/fixture?hide=", "/d/fixture?hide=%FF", "/d/fixture?hide=a&hide=b"] {
        let (status, page) = server.html(odd).await;
        assert_eq!(status, StatusCode::OK, "{odd}: an odd query still opens the page");
        assert!(unticked(&page).is_empty(), "{odd}: every layer shown");
    }
}

#[tokio::test]
async fn permalinks_depend_on_the_sentence_not_on_its_place() {
    let server = spawn(entries(vec![
        document("a.txt", b"First story\nKim will travel by train. Nobody knows when."),
        document("b.txt", b"Second story\nA new opening sentence. Kim will travel by train."),
    ]))
    .await;
    let id_of = async |doc: &str| {
        let (_, page) = server.html(&format!("/d/{doc}")).await;
        select(&page, "[id^=s-]")
            .iter()
            .find(|e| text_of(e) == "Kim will travel by train.")
            .and_then(|e| e.value().attr("id").map(String::from))
            .expect("the sentence is on the page")
    };
    let (a, b) = (id_of("a").await, id_of("b").await);
    assert_eq!(a, b, "the same sentence has the same id wherever it stands");
    assert!(a.len() == 10 && a[2..].bytes().all(|c| c.is_ascii_hexdigit()), "{a}");
}

#[tokio::test]
async fn ledger_cards_explanations_and_charts_follow_the_annotation() {
    let server = spawn(vec![fixture()]).await;
    let (_, page) = server.html("/d/fixture").await;
    let ids: Vec<String> = select(&page, "[id^=s-]")
        .iter()
        .filter_map(|e| e.value().attr("id").map(String::from))
        .collect();
    assert_eq!(ids.len(), 3);

    // The ledger: each speaker's sentences as targets, direct and indirect counts, the cue phrases.
    let rows = select(&page, ".sources li");
    let targets: Vec<&str> = rows
        .iter()
        .filter_map(|li| li.select(&sel("button.speaker")).next()?.value().attr("data-targets"))
        .collect();
    assert_eq!(targets, [ids[1].as_str(), ids[2].as_str()]);
    let how: Vec<String> = rows
        .iter()
        .filter_map(|li| {
            li.select(&sel(".how"))
                .next()
                .map(|e| text_of(&e).split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect();
    assert_eq!(how, ["1 direct, 0 indirect · said in a statement", "0 direct, 1 indirect · believe"]);

    // Claim cards: every claim in order; the writer's own claims in the check-first list.
    let card_links = |css: &str| -> Vec<String> {
        select(&page, css)
            .iter()
            .filter_map(|c| c.select(&sel(".card-head a")).next()?.value().attr("href").map(String::from))
            .collect()
    };
    let all: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    assert_eq!(card_links("#cards-all .card"), all);
    assert_eq!(card_links("#cards-check .card"), [all[0].clone()], "the only unattributed claim");
    let asserted: Vec<String> = select(&page, "#cards-all .card-facts dd").iter().map(|d| text_of(d)).collect();
    assert!(asserted[3].contains("Adrienne Watson (named)"), "{asserted:?}");

    // Every highlight points at an explanation on the page; an attribution's names its source, cue and content.
    let notes: Vec<String> = select(&page, ".notes [id]")
        .iter()
        .filter_map(|n| n.value().attr("id").map(String::from))
        .collect();
    for mark in select(&page, ".doc-text mark") {
        let note = mark.value().attr("data-note").unwrap_or_default();
        assert!(notes.iter().any(|n| n == note), "mark {:?} explained by {note}", text_of(&mark));
    }
    let triple: Vec<String> = select(&page, ".notes .triple")
        .first()
        .map(|t| {
            t.select(&sel("li"))
                .map(|li| text_of(&li).split_whitespace().collect::<Vec<_>>().join(" "))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(triple.len(), 3, "source, cue, content");
    assert!(triple[0].starts_with("Source Watson = Adrienne Watson"), "{triple:?}");
    assert!(
        triple[1].contains("said in a statement") && triple[2].contains("“Kim may travel by train,”"),
        "{triple:?}"
    );
    let hedge_note = select(&page, ".notes .note").iter().map(text_of).next().unwrap_or_default();
    assert!(hedge_note.contains("doxastic") && hedge_note.contains("lexicon/hedges.tsv:x"), "{hedge_note}");

    // The sentence strip: one bar per sentence, each titled with its number.
    let bars: Vec<String> = select(&page, "#glance .strip rect title").iter().map(text_of).collect();
    assert_eq!(bars.len(), 3, "{bars:?}");
    assert!(bars[0].starts_with("Sentence 1:") && bars[2].starts_with("Sentence 3:"), "{bars:?}");
    let figure = select(&page, ".gauge-figure").first().map(text_of).unwrap_or_default();
    assert!(
        figure
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .starts_with("50% of attributed claims"),
        "{figure}"
    );
}

/// A document longer than a reading page holds: the page shows the first sentences, says so, and stays small; the
/// API keeps every sentence.
#[tokio::test]
async fn a_very_long_document_is_shown_in_part_with_a_note() {
    let max = lectern::server::pages::MAX_READING_SENTENCES;
    let paragraph = "The minister said the plan would probably work, officials said. ".repeat(10);
    let text = format!("A long report\n{}", vec![paragraph.trim(); max / 10 + 50].join("\n"));
    let server = spawn(entries(vec![document("long.txt", text.as_bytes())])).await;
    let (status, doc) = server.json("/api/documents/long").await;
    assert_eq!(status, StatusCode::OK);
    let all = doc["sentences"].as_array().map(Vec::len).unwrap_or_default();
    assert!(all > max, "{all} sentences in the API");

    let response = server.get("/d/long").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap_or_default();
    let page = scraper::Html::parse_document(&body);
    assert_eq!(select(&page, ".doc-text [id^=s-]").len(), max, "the page holds the first {max} sentences");
    assert_eq!(select(&page, ".doc-cut").len(), 1, "and says it is cut");
    let per_sentence = body.len() / max;
    assert!(per_sentence < 8_000, "{per_sentence} bytes of page per sentence");
    // The server still answers other requests.
    assert_eq!(server.get("/api/documents").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn pages_and_json_are_cached_with_etags_and_sent_compressed() {
    use std::io::Read;
    let server = spawn(demo_library()).await;
    // A client that leaves compressed bodies as they are sent.
    crate::support::tls();
    let raw = reqwest::Client::builder().no_gzip().build().expect("a client");
    let get = |path: &str, headers: &[(&'static str, String)]| {
        let mut req = raw.get(server.url(path));
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        req.send()
    };
    for path in ["/d/kim-putin-article", "/api/documents/kim-putin-article"] {
        let plain = get(path, &[("accept-encoding", "identity".into())]).await.expect("GET");
        assert_eq!(plain.status(), StatusCode::OK);
        assert!(plain.headers().get("content-encoding").is_none());
        let etag = plain
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(etag.starts_with('"') && etag.len() > 10, "{path}: {etag}");
        let body = plain.bytes().await.expect("the body");
        let again = get(path, &[("if-none-match", etag.clone())]).await.expect("GET");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.bytes().await.map(|b| b.is_empty()).unwrap_or(false));
        type Decoder = fn(&[u8]) -> Vec<u8>;
        let decoders: [(&str, Decoder); 2] = [
            ("br", |b| {
                let mut out = Vec::new();
                brotli::BrotliDecompress(&mut &b[..], &mut out).ok();
                out
            }),
            ("gzip", |b| {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(b).read_to_end(&mut out).ok();
                out
            }),
        ];
        for (coding, decode) in decoders {
            let resp = get(path, &[("accept-encoding", coding.into())]).await.expect("GET");
            assert_eq!(resp.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some(coding), "{path}");
            let packed = resp.bytes().await.expect("the body");
            assert!(packed.len() < body.len() / 3, "{path}: {coding} is compressed");
            assert_eq!(decode(&packed), body.to_vec(), "{path}: {coding} decodes to the page");
        }
    }
    // Each set of hidden layers is a page of its own, with a tag of its own.
    let tag = |resp: &reqwest::Response| resp.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_string);
    let all = tag(&server.get("/d/kim-putin-article").await);
    assert_ne!(all, tag(&server.get("/d/kim-putin-article?hide=hedge").await));
    // A document that changes is a new revision: a copy of the old one is not current any more.
    let library = std::sync::Arc::clone(&server.library);
    let store = |text: &'static str| {
        let library = std::sync::Arc::clone(&library);
        tokio::task::spawn_blocking(move || {
            let document = lectern::ingest::from_bytes("watched.txt", text.as_bytes()).expect("a document");
            let new = lectern::store::NewDocument {
                document,
                origin: Some("/srv/watched.txt".into()),
                added_by: lectern::store::AddedBy::File,
            };
            library.add(new).expect("stored");
        })
    };
    store("Watched\nThe first version, officials said.").await.expect("stored");
    let first = tag(&server.get("/d/watched").await).unwrap_or_default();
    store("Watched\nThe second version, officials said.").await.expect("stored");
    let resp = get("/d/watched", &[("if-none-match", first.clone())]).await.expect("GET");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_ne!(tag(&resp), Some(first));
    assert!(resp.text().await.unwrap_or_default().contains("The second version"));
}
