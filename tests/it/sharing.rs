//! Sharing with colleagues: who the owner is, share links (made, exchanged for a cookie, scoped, revoked),
//! read-only viewers, `--allow-upload`, and the browser attacks a local server must refuse (a foreign `Host`,
//! a cross-site POST). The colleague is a client from 127.0.0.2: another peer than 127.0.0.1, so not the owner.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{
    TestServer, demo_library, document, entries, response_json, sel, select, spawn, spawn_with, text_of,
};
use lectern::server::Options;

/// Two documents: the demo and a second one.
async fn two_documents(options: Options) -> TestServer {
    let mut docs = demo_library();
    docs.extend(entries(vec![document("budget.txt", b"Budget\nThe council may approve the budget, aides said.")]));
    spawn_with(docs, options).await
}

/// Make a link as the owner; returns its id and its path (`/s/…`).
async fn make_link(server: &TestServer, document: Option<&str>) -> (String, String) {
    let body = json!({ "document": document, "label": "for Sam" }).to_string();
    let resp = server
        .owner()
        .post(server.url("/api/shares"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("a response");
    let (status, share, location) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED, "{share}");
    let id = share["id"].as_str().expect("an id").to_string();
    assert_eq!(location, Some(format!("/api/shares/{id}")));
    let url = share["url"].as_str().expect("the link, shown once");
    assert!(url.starts_with(&format!("{}/s/", server.base)), "{url}");
    let token = url.rsplit('/').next().unwrap_or_default();
    assert!(token.len() >= 22, "at least 128 bits of token: {token}");
    assert!(share["qr"]["size"].as_u64().is_some_and(|s| s > 20) && share["qr"]["path"].is_string());
    (id, format!("/s/{token}"))
}

async fn get(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client.get(url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

#[tokio::test]
async fn a_colleague_without_a_link_is_told_whom_to_ask() {
    let server = two_documents(Options::new()).await;
    let colleague = server.colleague();
    for path in ["/", "/d/kim-putin-article", "/shares"] {
        let resp = get(&colleague, &server.url(path)).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        let page = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
        let message: String = select(&page, ".error p").iter().map(text_of).collect();
        assert!(message.contains("share link") && message.contains(&*Options::new().machine), "{message}");
        assert!(select(&page, ".error a[href='/']").is_empty(), "no way into the library is offered");
    }
    for path in ["/api/documents", "/api/documents/kim-putin-article", "/api/events"] {
        let (status, json, _) = response_json(get(&colleague, &server.url(path)).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(json["error"].as_str().is_some_and(|e| e.contains("share link")), "{path}: {json}");
    }
    // What anyone may fetch: the health check, the style sheet of the 401 page.
    assert_eq!(get(&colleague, &server.url("/healthz")).await.status(), StatusCode::OK);
    let css = lectern::server::assets::url("app.css");
    assert_eq!(get(&colleague, &server.url(&css)).await.status(), StatusCode::OK);
    // A made-up token is no link.
    let resp = get(&colleague, &server.url("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn a_link_opens_its_document_only_and_the_viewer_changes_nothing() {
    let server = two_documents(Options::new()).await;
    let (_, link) = make_link(&server, Some("kim-putin-article")).await;
    let colleague = server.colleague();

    let resp = get(&colleague, &server.url(&link)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} has {attr}");
    }
    assert_eq!(resp.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let page = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    let refresh = select(&page, "meta[http-equiv=refresh]")
        .first()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string);
    assert_eq!(refresh.as_deref(), Some("0; url=/d/kim-putin-article"), "on to a clean address");

    // With the cookie: the document, and nothing else.
    let resp = get(&colleague, &server.url("/d/kim-putin-article")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    assert!(select(&page, ".share-open, dialog#share").is_empty(), "no share controls for a viewer");
    assert_eq!(get(&colleague, &server.url("/api/documents/kim-putin-article")).await.status(), StatusCode::OK);
    assert_eq!(get(&colleague, &server.url("/d/budget")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&colleague, &server.url("/api/documents/budget")).await.status(), StatusCode::NOT_FOUND);
    let (_, list, _) = response_json(get(&colleague, &server.url("/api/documents")).await).await;
    let ids: Vec<&str> = list["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, ["kim-putin-article"]);
    let resp = get(&colleague, &server.url("/")).await;
    let library = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    assert_eq!(select(&library, "a.doc-link").len(), 1);
    assert!(select(&library, "form#upload, form#paste, details.confirm, a[href='/shares']").is_empty());

    // Every write is refused: 403, as JSON under /api.
    let writes: [(reqwest::Method, &str); 6] = [
        (reqwest::Method::POST, "/api/documents"),
        (reqwest::Method::DELETE, "/api/documents/kim-putin-article"),
        (reqwest::Method::POST, "/api/shares"),
        (reqwest::Method::POST, "/documents"),
        (reqwest::Method::POST, "/d/kim-putin-article/delete"),
        (reqwest::Method::POST, "/shares"),
    ];
    for (method, path) in writes {
        let resp = colleague
            .request(method.clone(), server.url(path))
            .header(
                "content-type",
                if path.starts_with("/api/") { "application/json" } else { "application/x-www-form-urlencoded" },
            )
            .body(if path.starts_with("/api/") { "{\"text\": \"Sneaky.\"}" } else { "text=Sneaky." })
            .send()
            .await
            .expect("a response");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{method} {path}");
        let body = resp.text().await.unwrap_or_default();
        if path.starts_with("/api/") {
            let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            assert!(json["error"].is_string(), "{path}: JSON error {body}");
        }
    }
    assert_eq!(get(&colleague, &server.url("/shares")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&colleague, &server.url("/api/shares")).await.status(), StatusCode::FORBIDDEN);
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 2, "nothing was added or deleted");
}

#[tokio::test]
async fn a_revoked_link_stops_working_at_once() {
    let server = two_documents(Options::new()).await;
    let (id, link) = make_link(&server, None).await;
    let colleague = server.colleague();
    assert_eq!(get(&colleague, &server.url(&link)).await.status(), StatusCode::OK);
    assert_eq!(get(&colleague, &server.url("/d/budget")).await.status(), StatusCode::OK, "a library link opens all");
    let (_, shares) = server.json("/api/shares").await;
    let listed = &shares["shares"][0];
    assert_eq!((listed["id"].as_str(), listed["opens"].as_i64()), (Some(id.as_str()), Some(1)));
    assert!(listed.get("url").is_none(), "a listed link does not show its token");
    let resp = server
        .owner()
        .delete(server.url(&format!("/api/shares/{id}")))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = get(&colleague, &server.url("/d/budget")).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let page = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    assert!(
        select(&page, ".error p")
            .iter()
            .map(text_of)
            .collect::<String>()
            .contains("revoked")
    );
    assert_eq!(get(&colleague, &server.url(&link)).await.status(), StatusCode::UNAUTHORIZED);
    let resp = server
        .owner()
        .delete(server.url(&format!("/api/shares/{id}")))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn with_allow_upload_a_viewer_adds_and_reads_what_they_added_but_never_deletes() {
    let server = two_documents(Options { allow_upload: true, ..Options::new() }).await;
    let (_, link) = make_link(&server, Some("budget")).await;
    let colleague = server.colleague();
    get(&colleague, &server.url(&link)).await;
    let page = scraper::Html::parse_document(&get(&colleague, &server.url("/")).await.text().await.unwrap_or_default());
    assert_eq!(select(&page, "form#upload").len(), 1, "the upload form is offered");
    assert!(select(&page, "details.confirm").is_empty(), "but no delete");
    let resp = colleague
        .post(server.url("/api/documents?title=From%20a%20colleague"))
        .header("content-type", "text/plain")
        .body("A colleague adds this. It may matter.")
        .send()
        .await
        .expect("a response");
    let (status, doc, _) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    let id = doc["document"]["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(get(&colleague, &server.url(&format!("/d/{id}"))).await.status(), StatusCode::OK);
    let resp = colleague
        .delete(server.url(&format!("/api/documents/{id}")))
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.get(&format!("/d/{id}")).await.status(), StatusCode::OK, "the owner sees it");
    // A viewer without a link still may not add.
    let stranger = server.colleague();
    let resp = stranger
        .post(server.url("/api/documents"))
        .body("x")
        .send()
        .await
        .expect("a response");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_foreign_host_and_a_cross_site_post_are_refused() {
    let server = spawn(demo_library()).await;
    for host in ["evil.example", "evil.example:80", "127.0.0.1.evil.example"] {
        let resp = server.get_with("/", &[("host", host)]).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "Host: {host}");
        let resp = server.get_with("/api/documents", &[("host", host)]).await;
        let (status, json, _) = response_json(resp).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(json["error"].as_str().is_some_and(|e| e.contains("--allow-host")), "{json}");
    }
    for host in ["localhost:3000", "127.0.0.1", "[::1]:3000"] {
        assert_eq!(server.get_with("/", &[("host", host)]).await.status(), StatusCode::OK, "Host: {host}");
    }
    let post = |headers: Vec<(&'static str, String)>| {
        let mut req = server
            .owner()
            .post(server.url("/api/documents"))
            .header("content-type", "text/plain")
            .body("A text a page elsewhere wants to add.");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    let host = server.base.trim_start_matches("http://").to_string();
    let refused = [
        vec![("origin", "http://evil.example".to_string())],
        vec![("origin", "null".to_string())],
        vec![("sec-fetch-site", "cross-site".to_string()), ("origin", format!("http://{host}"))],
        vec![("sec-fetch-site", "same-site".to_string())],
    ];
    for headers in refused {
        let resp = post(headers.clone()).await.expect("a response");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{headers:?}");
    }
    let delete = server
        .owner()
        .delete(server.url("/api/documents/kim-putin-article"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .expect("a response");
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 1, "nothing was added or deleted");
    let ok = post(vec![("origin", format!("http://{host}")), ("sec-fetch-site", "same-origin".to_string())]);
    assert_eq!(ok.await.expect("a response").status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_owner_manages_links_from_the_pages() {
    let server = two_documents(Options::new()).await;
    let (_, page) = server.html("/shares?document=budget").await;
    let radios: Vec<&str> = select(&page, "input[name=document]")
        .iter()
        .filter_map(|i| i.value().attr("value"))
        .collect();
    assert_eq!(radios, ["budget", ""]);
    let made = server
        .owner()
        .post(server.url("/shares"))
        .form(&[("document", "budget"), ("label", "Sam <i>at the desk</i>")])
        .send()
        .await
        .expect("a response");
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(made.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let page = scraper::Html::parse_document(&made.text().await.unwrap_or_default());
    let url = select(&page, "#created-url")
        .first()
        .and_then(|i| i.value().attr("value"))
        .unwrap_or("")
        .to_string();
    assert!(url.contains("/s/"), "{url}");
    assert_eq!(select(&page, ".created svg path.qr-dark").len(), 1, "with its QR code");
    assert!(text_of(&select(&page, ".created h2")[0]).contains("Sam <i>at the desk</i>"), "the label is text");
    let rows = select(&page, ".share-list tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(text_of(&rows[0]).contains("Budget") && !text_of(&rows[0]).contains(url.rsplit('/').next().unwrap_or("-")));
    let action = rows[0]
        .select(&sel("form"))
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string));
    let revoked = server
        .owner()
        .post(server.url(&action.unwrap_or_default()))
        .send()
        .await
        .expect("a response");
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let (_, page) = server.html("/shares").await;
    assert!(select(&page, ".share-list tbody tr").is_empty());
    let path = url.trim_start_matches(&server.base);
    assert_eq!(get(&server.colleague(), &server.url(path)).await.status(), StatusCode::UNAUTHORIZED);
}
