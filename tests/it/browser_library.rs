//! The library and sharing in a real browser (headless Chromium through chromedriver, see [`crate::webdriver`]):
//! files added with the file picker and by dropping them, a pasted text, search, the delete confirmation, the share
//! dialog with a colleague's browser opening the link (from 127.0.0.2, through [`forward_from`]), a reading page
//! that follows its document as it changes while keeping the reader's place, axe-core on the new pages, and
//! screenshots of them.

use std::sync::Arc;

use lectern::entry::Entry;
use lectern::library::Library;
use lectern::server::Options;
use lectern::store::{AddedBy, NewDocument};
use serde_json::{Value, json};

use crate::support::{COLLEAGUE, TempDir, TestServer, demo_library, document, entries, forward_from, spawn_with};
use crate::webdriver::{Browser, Window, axe_script, skip};

async fn start(test: &str, docs: Vec<Entry>, options: Options) -> Option<(TestServer, Browser)> {
    let browser = Browser::launch(test, Window::DESKTOP).await?;
    Some((spawn_with(docs, options).await, browser))
}

async fn text(b: &Browser, css: &str) -> String {
    let script = "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;";
    b.js(script, vec![json!(css)])
        .await
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_added_with_the_picker_and_by_dropping_them() {
    let Some((server, b)) = start("upload", demo_library(), Options::new()).await else { return };
    let dir = TempDir::new("uploads");
    let one = dir.write("harbour.txt", b"Harbour plan\nThe harbour would likely reopen in May, officials said.");
    let two = dir.write("roads.md", b"# Roads budget\n\nThe council **may** cut the roads budget.");
    b.open(&format!("{}/", server.base)).await;
    b.screenshot("library", Window::DESKTOP).await;
    // Two files from the picker: a report of both.
    let picker = b.find("#upload-file").await;
    let files = format!("{}\n{}", one.display(), two.display());
    picker.send_keys(&files).await.expect("choose the files");
    b.find("form#upload button[type=submit]")
        .await
        .click()
        .await
        .expect("send the form");
    b.until("the report", "return document.querySelectorAll('.results li').length === 2")
        .await;
    assert_eq!(text(&b, "h1").await, "Added 2 documents of 2");
    b.find(".results a[href='/d/harbour-plan'], .results a[href='/d/harbour']")
        .await
        .click()
        .await
        .expect("open it");
    b.until("the reading page", "return location.pathname.startsWith('/d/harbour')")
        .await;
    assert!(text(&b, ".doc-text").await.contains("would likely reopen in May"));
    assert!(
        b.js("return document.querySelectorAll('.doc-text mark[data-layer=hedge]').length", vec![])
            .await
            .as_u64()
            >= Some(1)
    );

    // A file dropped on the library page is sent by itself and opens.
    b.open(&format!("{}/", server.base)).await;
    let dropped = "const dt = new DataTransfer();
        dt.items.add(new File(['Dropped story\\nA dropped text, aides said, may matter.'], 'dropped.txt', { type: 'text/plain' }));
        const target = document.querySelector('.library');
        for (const type of ['dragenter', 'dragover']) {
          target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
        const over = document.querySelector('.drop').classList.contains('is-over');
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        return over;";
    assert_eq!(b.js(dropped, vec![]).await, true, "the drop zone lights up under a dragged file");
    b.until("the dropped document opens", "return location.pathname === '/d/dropped'")
        .await;
    assert!(text(&b, ".doc-text").await.contains("A dropped text"));
    let (_, list) = server.json("/api/documents").await;
    assert_eq!(list["total"], 4);
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_text_is_added_found_by_search_and_deleted_after_asking() {
    let Some((server, b)) = start("paste", demo_library(), Options::new()).await else { return };
    b.open(&format!("{}/", server.base)).await;
    b.find("#paste-title")
        .await
        .send_keys("Ferry <strike>")
        .await
        .expect("type a title");
    b.find("#paste-text")
        .await
        .send_keys("The ferry could stop running in winter, the operator said.\nA second paragraph.")
        .await
        .expect("type the text");
    b.find("form#paste button[type=submit]").await.click().await.expect("send");
    b.until("the pasted text opens", "return location.pathname.startsWith('/d/ferry')")
        .await;
    assert_eq!(text(&b, "h1.doc-title").await, "Ferry <strike>");
    assert!(text(&b, ".doc-text").await.contains("The ferry could stop running in winter"));

    // Search from the library page.
    b.open(&format!("{}/", server.base)).await;
    b.find("#search-q").await.send_keys("ferr").await.expect("type a search");
    b.find("form.search button[type=submit]").await.click().await.expect("search");
    b.until("results", "return location.search === '?q=ferr'").await;
    let titles = b
        .js("return [...document.querySelectorAll('a.doc-link')].map(a => a.textContent)", vec![])
        .await;
    assert_eq!(titles, json!(["Ferry <strike>"]));
    let hits = b
        .js("return [...document.querySelectorAll('.snippet mark.hit')].map(m => m.textContent.toLowerCase())", vec![])
        .await;
    assert!(hits.as_array().is_some_and(|h| !h.is_empty() && h.iter().all(|x| x == "ferry")), "{hits}");
    b.screenshot("library-search", Window::DESKTOP).await;

    // Deleting asks first, then deletes.
    b.find("details.confirm summary")
        .await
        .click()
        .await
        .expect("open the confirmation");
    let asks = text(&b, "details.confirm[open] form p").await;
    assert!(asks.contains("Delete “Ferry <strike>”"), "{asks}");
    b.find("details.confirm[open] button.danger")
        .await
        .click()
        .await
        .expect("delete");
    b.until(
        "back in the library",
        "const n = document.querySelector('.notice:not([hidden])'); return !!n && n.textContent.includes('deleted')",
    )
    .await;
    assert_eq!(text(&b, ".notice:not([hidden])").await, "The document was deleted.");
    let address = b.js("return location.pathname + location.search", vec![]).await;
    assert_eq!(address, "/", "the notice is shown once: a reload does not repeat it");
    let (_, list) = server.json("/api/documents?q=ferry").await;
    assert_eq!(list["total"], 0);
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_dialog_makes_a_link_that_a_colleague_opens() {
    let Some((server, owner)) = start("share dialog", demo_library(), Options::new()).await else { return };
    owner.open(&format!("{}/d/kim-putin-article", server.base)).await;
    owner.find("a.share-open").await.click().await.expect("open the share dialog");
    owner
        .until("the dialog opens", "return document.getElementById('share').open")
        .await;
    let focused = owner.js("return document.activeElement.id", vec![]).await;
    assert_eq!(focused, "share-dialog-label");
    owner
        .find("#share-dialog-label")
        .await
        .send_keys("Sam")
        .await
        .expect("type a label");
    owner
        .find("#share-form button[type=submit]")
        .await
        .click()
        .await
        .expect("make the link");
    owner
        .until("the link shows", "return !document.getElementById('share-created').hidden")
        .await;
    let link = owner
        .js("return document.getElementById('share-dialog-url').value", vec![])
        .await;
    let link = link.as_str().unwrap_or_default().to_string();
    assert!(link.starts_with(&format!("{}/s/", server.base)), "{link}");
    let qr = owner.js("const p = document.querySelector('#share-qr path'); return [p.getAttribute('d').length, document.getElementById('share-qr').getAttribute('viewBox')]", vec![]).await;
    assert!(qr[0].as_u64().is_some_and(|n| n > 100), "the QR code is drawn: {qr}");
    owner.screenshot("share-dialog", Window::DESKTOP).await;
    owner.press('\u{e00c}').await;
    owner
        .until("the dialog closes", "return !document.getElementById('share').open")
        .await;

    // The colleague's browser, from 127.0.0.2: nothing without the link, the document with it.
    let via = forward_from(COLLEAGUE, server.addr()).await;
    let colleague = owner.companion(Window::DESKTOP).await;
    colleague.open(&format!("http://{via}/")).await;
    assert!(text(&colleague, ".error p").await.contains("share link"), "a colleague without a link is told to ask");
    colleague.screenshot("no-link", Window::DESKTOP).await;
    let logged = colleague.console().await;
    assert!(
        logged.iter().all(|(_, m)| m.contains("401 (Unauthorized)")),
        "the browser logs the 401 and nothing else: {logged:?}"
    );
    let token_path = &link[link.find("/s/").unwrap_or(0)..];
    colleague.open(&format!("http://{via}{token_path}")).await;
    colleague
        .until(
            "on to the document",
            "return location.pathname === '/d/kim-putin-article' && !!document.querySelector('.doc-text')",
        )
        .await;
    assert!(
        !colleague
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
            .contains("/s/"),
        "a clean address"
    );
    assert_eq!(colleague.js("return document.cookie", vec![]).await, "", "the cookie is HttpOnly");
    let controls = colleague
        .js("return document.querySelectorAll('.share-open, #share').length", vec![])
        .await;
    assert_eq!(controls, 0, "no share controls for a colleague");
    colleague.open(&format!("http://{via}/")).await;
    let listed = colleague
        .js("return [...document.querySelectorAll('a.doc-link')].map(a => a.getAttribute('href'))", vec![])
        .await;
    assert_eq!(listed, json!(["/d/kim-putin-article"]));
    assert_eq!(
        colleague
            .js("return document.querySelectorAll('form#upload, details.confirm').length", vec![])
            .await,
        0
    );
    colleague.finish().await;
    owner.finish().await;
}

/// Store `text` as the document imported from `origin` (as the file watcher does when the file changes).
async fn save_file(library: &Arc<Library>, origin: &str, text: String) -> Value {
    let library = Arc::clone(library);
    let origin = origin.to_string();
    tokio::task::spawn_blocking(move || {
        let doc = document("story.txt", text.as_bytes());
        let (entry, outcome) = library
            .add(NewDocument { document: doc, origin: Some(origin), added_by: AddedBy::File })
            .expect("store the file's text");
        json!({ "id": entry.document.id, "revision": entry.record.revision, "outcome": format!("{outcome:?}") })
    })
    .await
    .expect("the store task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_follows_its_changing_document_and_keeps_the_readers_place() {
    let Some((server, b)) = start("live", Vec::new(), Options::new()).await else { return };
    let origin = "/srv/news/story.txt";
    let paragraphs: Vec<String> = (0..60)
        .map(|i| format!("Paragraph {i} says the council may act on item {i}, officials said."))
        .collect();
    let first = save_file(&server.library, origin, format!("Story\n{}", paragraphs.join("\n"))).await;
    assert_eq!(first["revision"], 1);
    b.open(&format!("{}/d/story", server.base)).await;
    // Read down to paragraph 30, and remember where its sentence sits on the screen.
    let place = "const s = [...document.querySelectorAll('.doc-text .sentence')].find(x => x.textContent.startsWith('Paragraph 30 '));
        window.scrollTo(0, s.getBoundingClientRect().top + window.scrollY - 120);
        window.stillTheSamePage = true;
        return [s.id, s.getBoundingClientRect().top];";
    let before = b.js(place, vec![]).await;
    // The file changes near its end; the page reloads by itself.
    let mut edited = paragraphs.clone();
    edited[55] = "Paragraph 55 now says the vote was delayed, the mayor said.".to_string();
    let second = save_file(&server.library, origin, format!("Story\n{}", edited.join("\n"))).await;
    assert_eq!((second["revision"].as_i64(), second["outcome"].as_str()), (Some(2), Some("Updated")));
    b.until("the page reloads", "return window.stillTheSamePage === undefined && document.readyState === 'complete' && !document.getElementById('updated').hidden").await;
    assert!(text(&b, ".doc-text").await.contains("the vote was delayed"));
    assert!(text(&b, "#updated").await.contains("revision 2"));
    let after = b
        .js(
            "const s = document.getElementById(arguments[0]); return s ? s.getBoundingClientRect().top : null;",
            vec![before[0].clone()],
        )
        .await;
    let (was, now) = (before[1].as_f64().unwrap_or(0.0), after.as_f64().unwrap_or(-1e9));
    assert!((was - now).abs() < 4.0, "the reader's sentence stays in its place: {was} then {now}");
    b.viewport_screenshot("reading-updated").await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_violation_on_the_library_the_share_pages_or_the_dialog() {
    let Some(axe) = axe_script() else {
        skip::<()>("axe library", "axe-core is not installed (npm install --prefix target/axe axe-core@4)");
        return;
    };
    let mut docs = demo_library();
    docs.extend(entries(vec![document("budget.txt", b"Budget\nThe council may approve the budget, aides said.")]));
    let Some((server, b)) = start("axe library", docs, Options::new()).await else { return };
    let check = async |what: &str| b.axe(&axe, what).await;
    b.open(&format!("{}/", server.base)).await;
    check("the library").await;
    b.open(&format!("{}/?q=budget", server.base)).await;
    check("a search").await;
    b.open(&format!("{}/shares?document=budget", server.base)).await;
    b.find(".share-form button[type=submit]")
        .await
        .click()
        .await
        .expect("make a link");
    b.until("the new link", "return !!document.getElementById('created-url')").await;
    check("a new share link").await;
    b.screenshot("shares", Window::DESKTOP).await;
    b.open(&format!("{}/d/budget", server.base)).await;
    b.find("a.share-open").await.click().await.expect("open the dialog");
    b.until("the dialog", "return document.getElementById('share').open").await;
    check("the share dialog").await;
    b.media("", "dark").await;
    b.open(&format!("{}/", server.base)).await;
    b.screenshot("library-dark", Window::DESKTOP).await;
    b.phone().await;
    b.open(&format!("{}/", server.base)).await;
    b.screenshot_phone("library-phone", Window { width: 390, height: 844 }).await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standalone_export_opens_offline_with_its_highlights_and_legend() {
    let Some((server, b)) = start("standalone", demo_library(), Options::new()).await else { return };
    let html = server
        .get("/api/documents/kim-putin-article?format=html")
        .await
        .text()
        .await
        .unwrap_or_default();
    let dir = TempDir::new("standalone");
    let file = dir.write("kim-putin-article.html", html.as_bytes());
    // The server is stopped: the file must stand on its own.
    drop(server);
    b.open(&format!("file://{}", file.display())).await;
    let underline = "const m = document.querySelector('.doc-text mark[data-layer=hedge]');
        return m ? getComputedStyle(m).getPropertyValue('text-decoration-line') : null;";
    assert!(b.js(underline, vec![]).await.as_str().is_some_and(|v| v.contains("underline")), "hedges are drawn");
    assert_eq!(b.js("return document.scripts.length", vec![]).await, 0);
    b.find("label[for=show-hedge]").await.click().await.expect("untick hedges");
    b.until("the hedge layer hides", "return !document.getElementById('show-hedge').checked")
        .await;
    assert!(
        b.js(underline, vec![]).await.as_str().is_some_and(|v| !v.contains("underline")),
        "the legend still switches"
    );
    let resources = b
        .js("return performance.getEntriesByType('resource').map(r => r.name)", vec![])
        .await;
    assert_eq!(resources, json!([]), "nothing was fetched");
    b.screenshot("standalone", Window::DESKTOP).await;
    b.finish().await;
}
