//! The real `lectern` binary over its lifetime: a library that survives restarts and SIGKILL, files watched on
//! disk pushing live updates, `--lan` and a colleague on 127.0.0.2, tokens kept out of logs, clear startup errors,
//! and clean shutdown with event streams open.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{COLLEAGUE, EventStream, Served, TempDir, client, response_json, run};
use lectern::store::Store;

fn arg(path: &std::path::Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// The owner's client: from 127.0.0.1, no redirects.
fn owner() -> reqwest::Client {
    client(None)
}

async fn get_json(url: String) -> Value {
    let resp = owner().get(&url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    resp.json().await.unwrap_or_else(|e| panic!("GET {url}: not JSON: {e}"))
}

async fn post_text(url: &str, title: &str, text: String) -> (StatusCode, Value) {
    let resp = owner()
        .post(format!("{url}api/documents?title={title}"))
        .header("content-type", "text/plain")
        .body(text)
        .send()
        .await
        .expect("a response");
    let (status, json, _) = response_json(resp).await;
    (status, json)
}

#[tokio::test]
async fn a_document_added_over_http_survives_a_restart() {
    let dir = TempDir::new("restart");
    let mut served = Served::start(&["--port", "0"], &[], &dir);
    let (status, doc) = post_text(&served.url, "Kept", "Kept across restarts. It may rain.".to_string()).await;
    assert_eq!(status, StatusCode::CREATED);
    served.signal("TERM");
    assert!(served.wait_within(Duration::from_secs(20)).is_some_and(|s| s.success()));
    drop(served);

    let served = Served::start(&["--port", "0"], &[], &dir);
    assert!(
        served.line.starts_with("Lectern is serving 2 documents on"),
        "the demo and the added one: {}",
        served.line
    );
    let (status, again, _) = response_json(
        owner()
            .get(format!("{}api/documents/kept", served.url))
            .send()
            .await
            .expect("GET"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, doc, "the same text and annotation");
}

#[tokio::test]
async fn a_sigkill_during_large_imports_leaves_whole_documents_only() {
    let dir = TempDir::new("sigkill");
    let paragraph = "The council would likely approve the plan, officials said, though the mayor could object. ";
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..4u64 {
        let served = Served::start(&["--port", "0", "--max-upload", "64MiB"], &[], &dir);
        let url = served.url.clone();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        // Post large documents one after another until the process dies under them.
        let poster = tokio::spawn(async move {
            for i in 0..100 {
                let text: String = (0..4_000)
                    .map(|j| format!("{paragraph}Round {round}, text {i}, item {j}.\n"))
                    .collect();
                let sent = owner()
                    .post(format!("{url}api/documents?title=round-{round}-text-{i}"))
                    .header("content-type", "text/plain")
                    .body(text)
                    .send()
                    .await;
                match sent.map(|r| r.status()) {
                    Ok(StatusCode::CREATED) => {
                        let _ = tx.send(format!("round-{round}-text-{i}"));
                    }
                    _ => break,
                }
            }
        });
        // After the first document is acknowledged, kill at a different moment in each round: while the next one
        // is read, annotated or committed.
        let first = tokio::time::timeout(Duration::from_secs(120), rx.recv()).await.ok().flatten();
        acknowledged.extend(first);
        tokio::time::sleep(Duration::from_millis(90 * (round + 1))).await;
        served.signal("KILL");
        poster.await.expect("the poster task");
        while let Ok(id) = rx.try_recv() {
            acknowledged.push(id);
        }
        drop(served);

        let store =
            Store::open(&dir.path("library")).unwrap_or_else(|e| panic!("round {round}: the library opens: {e}"));
        let health = store.verify().unwrap_or_else(|e| panic!("round {round}: verify: {e}"));
        assert!(health.is_ok(), "round {round}: {health:?}");
        // Every document acknowledged is there and whole; nothing else is there but the demo.
        assert!(
            health.documents > acknowledged.len(),
            "round {round}: {health:?}, {} acknowledged",
            acknowledged.len()
        );
        let in_flight = round as usize + 1;
        assert!(
            health.documents <= acknowledged.len() + 1 + in_flight,
            "at most the one in flight in each round is stored unacknowledged: {health:?}"
        );
        for id in &acknowledged {
            let entry = store.get(id).ok().flatten();
            let entry = entry.unwrap_or_else(|| panic!("round {round}: acknowledged document {id} is stored"));
            assert!(entry.document.text.ends_with(".\n") && entry.annotated.sentences.len() > 4_000, "{id} is whole");
        }
    }
    assert!(acknowledged.len() >= 4, "documents were stored before each kill: {acknowledged:?}");
}

#[tokio::test]
async fn a_watched_file_that_changes_updates_open_pages() {
    let dir = TempDir::new("watch");
    let file = dir.write("story.txt", b"Story\nThe mayor may resign, aides said.");
    let served = Served::start(&["--port", "0", arg(&file)], &[], &dir);
    let events = format!("{}api/documents/story/events", served.url);
    let mut stream = EventStream::open(&owner(), &events).await;
    let ready = stream.until("ready", Duration::from_secs(10)).await;
    assert_eq!(ready, Some(json!({ "id": "story", "revision": 1 })));

    // Written in place.
    std::fs::write(&file, b"Story\nThe mayor will stay, aides said. A second sentence is new.").expect("edit the file");
    let updated = stream.until("updated", Duration::from_secs(30)).await;
    assert_eq!(updated, Some(json!({ "id": "story", "revision": 2 })));
    let doc: Value = get_json(format!("{}api/documents/story", served.url)).await;
    assert!(doc["text"].as_str().is_some_and(|t| t.contains("A second sentence is new.")));
    assert_eq!(doc["sentences"].as_array().map(Vec::len), Some(3));

    // Saved the way editors do: a new file renamed over the old one.
    let tmp = dir.write("story.txt.tmp", b"Story\nThird version, officials said.");
    std::fs::rename(&tmp, &file).expect("rename over the file");
    let updated = stream.until("updated", Duration::from_secs(30)).await;
    assert_eq!(updated, Some(json!({ "id": "story", "revision": 3 })));

    // A file that stops being text keeps the last good version, and the server says why.
    std::fs::write(&file, b"\x00\x01\x02 not text").expect("break the file");
    let listed: Value = get_json(format!("{}api/documents", served.url)).await;
    assert_eq!(listed["documents"][0]["revision"].as_i64().map(|r| r >= 3), Some(true));
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !served.stderr().contains("keeping the last version") && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(served.stderr().contains("keeping the last version"), "{}", served.stderr());
    let doc: Value = get_json(format!("{}api/documents/story", served.url)).await;
    assert_eq!(doc["text"], "Story\nThird version, officials said.");
}

#[tokio::test]
async fn on_the_lan_a_colleague_reads_with_a_link_and_changes_nothing() {
    let dir = TempDir::new("lan");
    let file = dir.write("story.txt", b"Story\nThe mayor may resign, aides said.");
    let served = Served::start(&["--lan", "--port", "0", arg(&file)], &[], &dir);
    assert!(served.line.contains("on your network") && served.url.starts_with("http://127.0.0.1:"), "{}", served.line);
    let lines = &served.startup;
    let urls: Vec<&str> = lines
        .iter()
        .take_while(|l| !l.contains("uploads:"))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("http://")))
        .filter(|u| !u.ends_with("shares"))
        .collect();
    assert_eq!(urls.last(), Some(&served.url.as_str()), "loopback last: {lines:?}");
    let port = served
        .url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(urls.iter().all(|u| u.ends_with(&format!(":{port}/"))), "{urls:?}");
    assert!(lines.iter().any(|l| l.contains("uploads: up to 20 MiB")), "the limit is printed: {lines:?}");

    let colleague = client(Some(COLLEAGUE));
    let resp = colleague.get(&served.url).send().await.expect("a response");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body = json!({ "document": "story" }).to_string();
    let resp = owner()
        .post(format!("{}api/shares", served.url))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("POST");
    let (status, share, _) = response_json(resp).await;
    assert_eq!(status, StatusCode::CREATED);
    let link = share["url"].as_str().unwrap_or_default();
    let first_lan = urls.first().copied().unwrap_or_default();
    assert!(link.starts_with(first_lan), "the link uses the first LAN address: {link}");
    let path = &link[link.find("/s/").unwrap_or(0)..];
    let resp = colleague
        .get(format!("{}{}", served.url.trim_end_matches('/'), path))
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), StatusCode::OK);
    let page = colleague.get(format!("{}d/story", served.url)).send().await.expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    let post = colleague
        .post(format!("{}api/documents", served.url))
        .header("content-type", "text/plain")
        .body("Mine now.")
        .send()
        .await
        .expect("POST");
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    let delete = colleague
        .delete(format!("{}api/documents/story", served.url))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn share_tokens_never_reach_the_log() {
    let dir = TempDir::new("logs");
    let file = dir.write("story.txt", b"Story\nThe mayor may resign, aides said.");
    let served = Served::start(&["--lan", "--port", "0", arg(&file)], &[("LECTERN_LOG", "trace")], &dir);
    let body = json!({ "document": null }).to_string();
    let resp = owner()
        .post(format!("{}api/shares", served.url))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("POST");
    let (_, share, _) = response_json(resp).await;
    let link = share["url"].as_str().unwrap_or_default().to_string();
    let token = link.rsplit('/').next().unwrap_or_default().to_string();
    assert!(token.len() > 20);
    let colleague = client(Some(COLLEAGUE));
    let path = &link[link.find("/s/").unwrap_or(0)..];
    assert_eq!(
        colleague
            .get(format!("{}{}", served.url.trim_end_matches('/'), path))
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        colleague
            .get(format!("{}d/story", served.url))
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::OK
    );
    let log = served.stderr();
    assert!(log.contains("/s/…") || log.contains("request"), "requests are logged at this level: {log}");
    assert!(!log.contains(&token), "the token is in the log");
}

#[test]
fn a_library_that_cannot_be_opened_is_a_clear_startup_error() {
    let dir = TempDir::new("broken");
    std::fs::create_dir_all(dir.path("library")).expect("a folder");
    std::fs::write(dir.path("library").join("lectern.db"), vec![b'x'; 4096]).expect("a damaged file");
    let out = run(&["serve", "--port", "0", "--data", arg(&dir.path("library"))], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot open the library") && err.contains("damaged"), "{err}");

    let file = dir.write("a-file", b"x");
    let out = run(&["serve", "--port", "0", "--data", &format!("{}/library", arg(&file))], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot create the library folder"), "{err}");
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn shutdown_is_clean_with_event_streams_open() {
    let dir = TempDir::new("shutdown");
    let mut served = Served::start(&["--port", "0"], &[], &dir);
    let mut a = EventStream::open(&owner(), &format!("{}api/events", served.url)).await;
    let mut b = EventStream::open(&owner(), &format!("{}api/documents/kim-putin-article/events", served.url)).await;
    assert!(a.until("ready", Duration::from_secs(10)).await.is_some());
    assert!(b.until("ready", Duration::from_secs(10)).await.is_some());
    served.signal("INT");
    let status = served.wait_within(Duration::from_secs(8));
    assert!(status.is_some_and(|s| s.success()), "ctrl-c ends the streams and exits 0: {status:?}");
    assert!(a.next(Duration::from_secs(2)).await.is_none(), "the stream ended");
}

#[tokio::test]
async fn the_server_answers_at_once_while_a_large_file_is_annotated() {
    let dir = TempDir::new("first-byte");
    let paragraph = "The council would likely approve the plan, officials said, though the mayor could object. ";
    let big: String = (0..40_000).map(|i| format!("{paragraph}Item {i}.\n")).collect();
    assert!(big.len() > 3_500_000);
    let file = dir.write("archive.txt", big.as_bytes());
    let started = std::time::Instant::now();
    let served = Served::launch(&["--port", "0", "--max-upload", "64MiB", arg(&file)], &[], &dir);
    let answered = owner()
        .get(format!("{}healthz", served.url))
        .send()
        .await
        .expect("GET /healthz");
    let first_byte = started.elapsed();
    assert_eq!(answered.status(), StatusCode::OK);
    println!(
        "first byte {:.0} ms after start, with an {} MB file given",
        first_byte.as_secs_f64() * 1000.0,
        big.len() / 1_000_000
    );
    // The library page says what is being annotated, while it is.
    let page = owner()
        .get(&served.url)
        .send()
        .await
        .expect("GET /")
        .text()
        .await
        .unwrap_or_default();
    let page = scraper::Html::parse_document(&page);
    let pending: String = crate::support::select(&page, ".notice.pending")
        .iter()
        .map(crate::support::text_of)
        .collect();
    assert!(pending.contains("archive.txt"), "the page says the file is being annotated: {pending:?}");
    let rest = served.lines_until("  ready:", Duration::from_secs(300));
    assert!(rest.iter().any(|l| l.starts_with("  added ") && l.contains("archive.txt")), "{rest:?}");
    assert!(first_byte < Duration::from_secs(2), "the first byte came {first_byte:?} after start");
}
