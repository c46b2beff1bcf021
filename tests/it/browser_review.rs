//! Reading together in a real browser: the owner's page and a colleague's (a second browser session, reaching the
//! server from 127.0.0.2 through [`forward_from`] with a share link). A note written in one appears in the other
//! without a reload, is printed as text, and follows its passage through an edit of the file; a colleague cannot
//! change another's note; a correction made from a highlight's explanation changes the ledger and the
//! anonymous-sourcing figure on both pages; axe-core finds nothing on the new controls. Screenshots of the reviewed
//! page go to `target/screenshots/`.

use std::sync::Arc;

use lectern::library::Library;
use lectern::server::Options;
use lectern::store::{AddedBy, NewDocument};
use serde_json::{Value, json};

use crate::support::{COLLEAGUE, TestServer, demo_library, document, forward_from, spawn_with};
use crate::webdriver::{Browser, Window, axe_script};

const DEMO: &str = "kim-putin-article";

/// Select the first occurrence of `needle` in the text, across highlights, as a person dragging over it would.
const SELECT: &str = "const needle = arguments[0];
  const walker = document.createTreeWalker(document.querySelector('.doc-text'), NodeFilter.SHOW_TEXT);
  const nodes = []; let all = ''; let n;
  while ((n = walker.nextNode())) { nodes.push([n, all.length]); all += n.data; }
  const at = all.indexOf(needle);
  if (at < 0) return false;
  const point = i => { for (let k = nodes.length - 1; k >= 0; k--) { if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; } };
  const [a, ao] = point(at);
  const [b, bo] = point(at + needle.length - 1);
  const r = document.createRange();
  r.setStart(a, ao);
  r.setEnd(b, bo + 1);
  const s = getSelection();
  s.removeAllRanges();
  s.addRange(r);
  return true;";

async fn text(b: &Browser, css: &str) -> String {
    let script = "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;";
    let v = b.js(script, vec![json!(css)]).await;
    v.as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link for `document` made by the owner, opened in a colleague's browser reaching the server from 127.0.0.2;
/// the colleague's browser and the address it reaches the server at.
async fn colleague(server: &TestServer, owner: &Browser, document: &str) -> (Browser, String) {
    let resp = server
        .owner()
        .post(server.url("/api/shares"))
        .header("content-type", "application/json")
        .body(json!({ "document": document, "label": "Sam" }).to_string())
        .send()
        .await
        .expect("make a link");
    let share: Value = resp.json().await.expect("the link as JSON");
    let url = share["url"].as_str().unwrap_or_default();
    let path = url[url.find("/s/").unwrap_or(0)..].to_string();
    let via = forward_from(COLLEAGUE, server.addr()).await;
    let b = owner.companion(Window::DESKTOP).await;
    let base = format!("http://{via}");
    b.open(&format!("{base}{path}")).await;
    b.until_with(
        "the colleague reaches the document",
        "return location.pathname === '/d/' + arguments[0] && !!document.querySelector('#threads')",
        vec![json!(document)],
    )
    .await;
    (b, base)
}

/// Write a note on `words` through the page: select them, choose Note, give a name if asked, type, save.
async fn write_note(b: &Browser, words: &str, name: Option<&str>, body: &str) {
    assert_eq!(b.js(SELECT, vec![json!(words)]).await, true, "{words:?} is in the text");
    b.until("the selection toolbar shows", "return !document.getElementById('select-tools').hidden")
        .await;
    b.find("#select-tools [data-review=note]")
        .await
        .click()
        .await
        .expect("choose Note");
    b.until("the note dialog opens", "return document.getElementById('note-dialog').open")
        .await;
    let quote = text(b, "#note-dialog-quote").await;
    assert_eq!(quote, words, "the dialog shows the passage");
    let asks = b.js("return !document.getElementById('note-name-row').hidden", vec![]).await;
    assert_eq!(asks, json!(name.is_some()), "the name is asked for once");
    if let Some(name) = name {
        b.find("#note-name").await.send_keys(name).await.expect("type a name");
    }
    b.find("#note-body").await.send_keys(body).await.expect("type the note");
    b.find("#note-form button[type=submit]").await.click().await.expect("save");
    b.until("the dialog closes", "return !document.getElementById('note-dialog').open")
        .await;
}

async fn save_file(library: &Arc<Library>, origin: &str, text: String) -> String {
    let library = Arc::clone(library);
    let origin = origin.to_string();
    tokio::task::spawn_blocking(move || {
        let doc = document("council.txt", text.as_bytes());
        let (entry, _) = library
            .add(NewDocument { document: doc, origin: Some(origin), added_by: AddedBy::File })
            .expect("store the file's text");
        entry.document.id.clone()
    })
    .await
    .expect("the store task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_appears_on_every_open_page_and_follows_its_passage_through_an_edit() {
    let Some(owner) = Browser::launch("review notes", Window::DESKTOP).await else { return };
    let server = spawn_with(Vec::new(), Options::new()).await;
    let origin = "/srv/news/council.txt";
    let story = "Council vote\nThe council may approve the budget on Monday, aides said.\n\
                 The mayor opposes it, according to her office. Officials said the vote could slip to June.";
    let id = save_file(&server.library, origin, story.to_string()).await;
    owner.open(&format!("{}/d/{id}", server.base)).await;
    owner.js("window.lecternStayed = true; return null", vec![]).await;
    let (sam, _) = colleague(&server, &owner, &id).await;
    sam.js("window.lecternStayed = true; return null", vec![]).await;

    // Sam notes a passage; the owner's page shows it, without a reload, as text.
    write_note(&sam, "on Monday", Some("Sam"), "Which *Monday*? <script>window.pwned = 1</script>").await;
    sam.until("Sam's page lists the note", "return document.querySelectorAll('#threads > li').length === 1")
        .await;
    owner
        .until("the owner's page shows it live", "return document.querySelectorAll('#threads > li').length === 1")
        .await;
    let page = owner
        .js(
            "const t = document.querySelector('#threads > li');
             return { stayed: window.lecternStayed === true, pwned: window.pwned === 1,
                      body: t.querySelector('.note-body').textContent, em: t.querySelector('.note-body em').textContent,
                      scripts: document.querySelectorAll('#threads script').length,
                      author: t.querySelector('.author').textContent,
                      where: t.querySelector('.thread-where a').textContent,
                      pin: (document.querySelector('.note-pin') || {}).textContent,
                      lit: CSS.highlights.get('lectern-notes') ? CSS.highlights.get('lectern-notes').size : -1,
                      mine: t.querySelectorAll('[data-review=edit]').length };",
            vec![],
        )
        .await;
    assert_eq!(page["stayed"], true, "no reload: {page}");
    assert_eq!(page["pwned"], false, "a note's markup never runs");
    assert_eq!(page["scripts"], 0);
    assert!(
        page["body"]
            .as_str()
            .is_some_and(|b| b.contains("<script>window.pwned = 1</script>")),
        "shown as text: {page}"
    );
    assert_eq!((page["em"].as_str(), page["author"].as_str()), (Some("Monday"), Some("Sam")));
    assert_eq!(
        (page["where"].as_str(), page["pin"].as_str(), page["lit"].as_i64()),
        (Some("Sentence 2"), Some("1"), Some(1))
    );
    assert_eq!(page["mine"], 1, "the owner may edit any note");

    // The owner notes too, from the page; Sam sees it live and cannot change it, but can change their own.
    write_note(&owner, "opposes it", Some("Dana"), "Ask her office for the letter.").await;
    sam.until("the owner's note reaches Sam", "return document.querySelectorAll('#threads > li').length === 2")
        .await;
    let controls = sam
        .js(
            "return [...document.querySelectorAll('#threads > li')].map(t =>
               [t.querySelector('.author').textContent, t.querySelectorAll('[data-review=edit], [data-review=delete]').length]);",
            vec![],
        )
        .await;
    assert_eq!(controls, json!([["Sam", 2], ["Dana", 0]]), "edit and delete only on Sam's own note");
    let forced = sam
        .js_async(
            "const [id, done] = [arguments[0], arguments[arguments.length - 1]];
             const note = [...document.querySelectorAll('#threads > li')][1].getAttribute('data-note-id');
             fetch('/api/documents/' + id + '/notes/' + note, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
               body: JSON.stringify({ body: 'rewritten by Sam' }) }).then(r => done(r.status));",
            vec![json!(id)],
        )
        .await;
    assert_eq!(forced, 403, "the server refuses it too");
    let logged = sam.console().await;
    assert!(logged.iter().all(|(_, m)| m.contains("403 (Forbidden)")), "the browser logs the refusal only: {logged:?}");
    sam.screenshot("review-notes-colleague", Window::DESKTOP).await;

    // Sam replies and resolves from the panel; the owner's page follows.
    sam.find("#threads > li [data-review=reply]")
        .await
        .click()
        .await
        .expect("reply");
    sam.until("the reply dialog opens", "return document.getElementById('note-dialog').open")
        .await;
    assert_eq!(
        sam.js("return document.getElementById('note-name-row').hidden", vec![]).await,
        true,
        "the name is known"
    );
    sam.find("#note-body")
        .await
        .send_keys("The agenda says the 14th.")
        .await
        .expect("type");
    sam.find("#note-form button[type=submit]").await.click().await.expect("save");
    owner
        .until("the reply reaches the owner", "return document.querySelectorAll('#threads .reply').length === 1")
        .await;

    // The file changes elsewhere: a new first paragraph, and the mayor's sentence rewritten.
    let edited = story
        .replace("Council vote\n", "Council vote\nAn update from the town hall.\n")
        .replace("The mayor opposes it", "The mayor now backs it");
    assert_eq!(save_file(&server.library, origin, edited).await, id);
    for (who, b) in [("owner", &owner), ("Sam", &sam)] {
        b.until(
            &format!("{who}'s page reloads with the new text"),
            "return document.querySelector('.doc-text').textContent.includes('An update from the town hall')
                && document.querySelectorAll('#threads > li').length === 2",
        )
        .await;
        let after = b
            .js(
                "const t = [...document.querySelectorAll('#threads > li')];
                 return { first: t[0].querySelector('.thread-where').textContent.trim(),
                          second: t[1].querySelector('.thread-where').textContent.trim(),
                          lit: CSS.highlights.get('lectern-notes').size,
                          replies: document.querySelectorAll('#threads .reply').length };",
                vec![],
            )
            .await;
        assert!(after["first"].as_str().is_some_and(|w| w.starts_with("Sentence 3")), "{who}: re-attached: {after}");
        assert!(after["second"].as_str().is_some_and(|w| w.contains("This passage changed")), "{who}: {after}");
        assert_eq!((after["lit"].as_i64(), after["replies"].as_i64()), (Some(1), Some(1)), "{who}: {after}");
    }
    owner.screenshot("review-notes-after-edit", Window::DESKTOP).await;

    if let Some(axe) = axe_script() {
        owner.axe_strict(&axe, "#notes", "the Notes panel").await;
        sam.js(SELECT, vec![json!("approve the budget")]).await;
        sam.until("the toolbar shows", "return !document.getElementById('select-tools').hidden")
            .await;
        sam.axe_strict(&axe, "#select-tools", "the selection toolbar").await;
        sam.find("#select-tools [data-review=note]").await.click().await.expect("Note");
        sam.until("the dialog opens", "return document.getElementById('note-dialog').open")
            .await;
        sam.axe_strict(&axe, "#note-dialog", "the note dialog").await;
    }
    sam.finish().await;
    owner.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_changes_the_ledger_and_the_sourcing_figure_on_both_pages() {
    let Some(owner) = Browser::launch("review corrections", Window::DESKTOP).await else { return };
    let server = spawn_with(demo_library(), Options::new()).await;
    owner.open(&format!("{}/d/{DEMO}", server.base)).await;
    let (sam, _) = colleague(&server, &owner, DEMO).await;
    const FIGURES: &str = "const kind = [...document.querySelectorAll('#ledger .sources li')]
          .find(li => li.querySelector('.speaker').textContent.trim() === arguments[0]);
        return { percent: document.querySelector('.gauge-figure strong').textContent,
                 kind: kind ? kind.querySelector('.kind').textContent : null,
                 corrections: document.querySelectorAll('#corrections li').length };";
    let before = owner.js(FIGURES, vec![json!("top US officials")]).await;
    assert_eq!(before["kind"], "unnamed", "{before}");
    assert_eq!(sam.js(FIGURES, vec![json!("top US officials")]).await, before);

    // Sam opens the source's explanation, chooses Fix…, says it is named, gives a name, saves.
    let found = sam
        .js(
            "const m = [...document.querySelectorAll('mark[data-layer=source]')].find(m => m.textContent === 'top US officials');
             if (!m) return false; m.focus(); return true;",
            vec![],
        )
        .await;
    assert_eq!(found, true);
    sam.until("the explanation offers corrections", "return !!document.querySelector('#why [data-review=fix]')")
        .await;
    if let Some(axe) = axe_script() {
        sam.axe_strict(&axe, "#why", "the explanation with its correction buttons")
            .await;
    }
    sam.find("#why [data-review=fix]").await.click().await.expect("Fix…");
    sam.until("the fix dialog opens", "return document.getElementById('fix-dialog').open")
        .await;
    let dialog = sam
        .js(
            "return { checked: (document.querySelector('#fix-kind input:checked') || {}).value,
                      kinds: !document.getElementById('fix-kind').hidden, hedges: !document.getElementById('fix-category').hidden };",
            vec![],
        )
        .await;
    assert_eq!(dialog, json!({ "checked": "unnamed", "kinds": true, "hedges": false }), "the source's kind is offered");
    if let Some(axe) = axe_script() {
        sam.axe_strict(&axe, "#fix-dialog", "the correction dialog").await;
    }
    sam.find("#fix-kind input[value=named]")
        .await
        .click()
        .await
        .expect("choose named");
    sam.find("#fix-name").await.send_keys("Sam").await.expect("name");
    sam.find("#fix-form button[type=submit]").await.click().await.expect("save");

    for (who, b) in [("Sam", &sam), ("the owner", &owner)] {
        b.until_with(
            &format!("{who}'s page shows the corrected view"),
            "const kind = [...document.querySelectorAll('#ledger .sources li')]
               .find(li => li.querySelector('.speaker').textContent.trim() === arguments[0]);
             return !!kind && kind.querySelector('.kind').textContent === 'named';",
            vec![json!("top US officials")],
        )
        .await;
        let after = b.js(FIGURES, vec![json!("top US officials")]).await;
        assert_ne!(after["percent"], before["percent"], "{who}: the anonymous-sourcing figure follows: {after}");
        assert_eq!(after["corrections"], 1, "{who}: {after}");
        let mark = b
            .js(
                "const m = [...document.querySelectorAll('mark[data-layer=source]')].find(m => m.textContent === 'top US officials');
                 return [m.classList.contains('hl-corrected'), m.classList.contains('hl-source-named'), m.getAttribute('data-corrected')];",
                vec![],
            )
            .await;
        assert_eq!((&mark[0], &mark[1]), (&json!(true), &json!(true)), "{who}: {mark}");
        assert!(
            mark[2]
                .as_str()
                .is_some_and(|s| s.contains("Sam fixed this") && s.contains("unnamed source: top US officials")),
            "{who}: the mark says who changed it and what the annotator had said: {mark}"
        );
    }
    let notice = sam.js("return document.getElementById('updated').textContent", vec![]).await;
    assert!(notice.as_str().is_some_and(|n| n.contains("correction")), "{notice}");
    owner.screenshot("review-corrected", Window::DESKTOP).await;
    if let Some(axe) = axe_script() {
        owner.axe_strict(&axe, "#notes", "the Corrections list").await;
    }

    // Sam undoes it from the list; both pages go back.
    sam.until(
        "Sam's own correction can be undone",
        "return !!document.querySelector('#corrections [data-review=undo]')",
    )
    .await;
    assert_eq!(
        owner
            .js("return document.querySelectorAll('#corrections [data-review=undo]').length", vec![])
            .await,
        1
    );
    sam.find("#corrections [data-review=undo]").await.click().await.expect("undo");
    owner
        .until_with(
            "the owner's page goes back",
            "const kind = [...document.querySelectorAll('#ledger .sources li')]
               .find(li => li.querySelector('.speaker').textContent.trim() === arguments[0]);
             return !!kind && kind.querySelector('.kind').textContent === 'unnamed';",
            vec![json!("top US officials")],
        )
        .await;
    sam.finish().await;
    owner.finish().await;
}
