//! The reading view in a real browser (headless Chromium through chromedriver, see [`crate::webdriver`]), against
//! the real server on `127.0.0.1:0`: layer switches by click, key and URL; keyboard navigation; permalinks; the
//! ledger; explanations; no script from a document, no request to elsewhere, no console error; an accessibility
//! check with axe-core; and screenshots (light, dark, print, phone) under `target/screenshots/`.
//!
//! Styles are checked through `getComputedStyle` and `checkVisibility`, i.e. what the reader sees, not which class
//! an element has.

use lectern::entry::Entry;
use lectern::server::CONTENT_SECURITY_POLICY;
use lectern::view::Layer;
use lectern::view::keys::Action;
use serde_json::{Value, json};

use crate::hostile::HOSTILE;
use crate::support::{TestServer, demo_library, document, entries, fixture, sentence_ids, spawn};
use crate::webdriver::{Browser, Window, axe_script, skip};

/// The demo article's id.
const DEMO: &str = "kim-putin-article";

/// Serve `library` and start a browser, or skip the test.
async fn start(test: &str, library: Vec<Entry>, window: Window) -> Option<(TestServer, Browser)> {
    let browser = Browser::launch(test, window).await?;
    Some((spawn(library).await, browser))
}

/// The computed value of `property` on the first element matching `css` (or on its pseudo-element `arguments[2]`,
/// e.g. `::before`), and whether that element is visible.
const STYLE: &str = "const el = document.querySelector(arguments[0]);
    return el ? [getComputedStyle(el, arguments[2] || null).getPropertyValue(arguments[1]), el.checkVisibility()] : null;";

/// True when the element matching `arguments[0]` lies wholly inside the viewport.
const IN_VIEW: &str = "const el = document.querySelector(arguments[0]); if (!el) return false;
    const r = el.getClientRects()[0] || el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;";

/// Whether the focused element lies inside the viewport (its first line box).
const ACTIVE_IN_VIEW: &str = "const el = document.activeElement; if (!el || el === document.body) return false;
    const r = el.getClientRects()[0] || el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;";

/// The CSS property that carries a layer's look (on the element, or on a pseudo-element), and whether a computed
/// value of it means the layer shows.
fn channel(layer: Layer) -> (&'static str, &'static str, fn(&str) -> bool) {
    match layer {
        Layer::Hedge => ("text-decoration-line", "", |v| v.contains("underline")),
        Layer::Source => ("background-color", "", |v| v != "rgba(0, 0, 0, 0)" && v != "transparent"),
        Layer::Cue => ("font-weight", "", |v| v.parse::<u32>().is_ok_and(|w| w >= 600)),
        Layer::Content => ("font-style", "", |v| v == "italic"),
        // The claim label is the sentence's number, drawn before it.
        Layer::Claim => ("display", "::before", |v| v != "none"),
    }
}

/// The layers a page opens with.
fn opening_layers() -> Vec<Layer> {
    Layer::ALL.into_iter().filter(|l| !l.quiet()).collect()
}

/// Whether `layer` is drawn on the page, asserting that its text stays visible either way.
async fn drawn(b: &Browser, layer: Layer) -> bool {
    let (property, pseudo, shows) = channel(layer);
    let css = format!(".doc-text [data-layer={}]", layer.name());
    let got = b.js(STYLE, vec![json!(css), json!(property), json!(pseudo)]).await;
    let value = got[0].as_str().unwrap_or_else(|| panic!("no element {css}: {got}"));
    assert_eq!(got[1], true, "the text of {css} stays visible when its layer is hidden");
    shows(value)
}

/// The layers drawn on the page.
async fn drawn_layers(b: &Browser) -> Vec<Layer> {
    let mut out = Vec::new();
    for layer in Layer::ALL {
        if drawn(b, layer).await {
            out.push(layer);
        }
    }
    out
}

/// The `hide` parameter of the page's address.
async fn hide_param(b: &Browser) -> Option<String> {
    let url = b.client.current_url().await.expect("the current URL");
    url.query_pairs().find(|(k, _)| k == "hide").map(|(_, v)| v.into_owned())
}

fn key(layer: Layer) -> char {
    char::from_digit(u32::try_from(layer.key()).expect("small"), 10).expect("a digit")
}

fn action_key(action: Action) -> char {
    let mut chars = action.key().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c,
        _ => '\u{e00c}', // WebDriver's Escape
    }
}

/// The text of the aria-live region, once it is not empty.
async fn announced(b: &Browser) -> String {
    b.until("an announcement", "return document.getElementById('announce').textContent.trim() !== ''")
        .await;
    b.js("return document.getElementById('announce').textContent", Vec::new())
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Empty the aria-live region, so the next announcement can be told apart.
async fn quiet(b: &Browser) {
    b.js("document.getElementById('announce').textContent = ''", Vec::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layer_switches_work_by_click_by_key_and_from_the_url() {
    let Some((server, b)) = start("layer switches", vec![fixture()], Window::DESKTOP).await else {
        return;
    };
    b.open(&format!("{}/d/fixture", server.base)).await;
    assert_eq!(drawn_layers(&b).await, opening_layers(), "every layer but the quiet content is drawn at first");
    assert_eq!(hide_param(&b).await, None);
    // The content layer, switched on, is drawn; switched off again, the address forgets it.
    b.press(key(Layer::Content)).await;
    b.until("the content layer shows", "return document.getElementById('show-content').checked")
        .await;
    assert_eq!(drawn_layers(&b).await, Layer::ALL, "every layer");
    assert_eq!(hide_param(&b).await.as_deref(), Some(""), "`?hide=` hides none");
    b.press(key(Layer::Content)).await;
    b.until("the content layer hides", "return !document.getElementById('show-content').checked")
        .await;
    assert_eq!(hide_param(&b).await, None);

    // A click on the legend entry switches the layer off, and the address says so.
    b.find("label[for=show-hedge]")
        .await
        .click()
        .await
        .expect("click the hedge switch");
    b.until("the hedge layer hides", "return !document.getElementById('show-hedge').checked")
        .await;
    assert!(!drawn(&b, Layer::Hedge).await, "hedges are no longer underlined");
    assert_eq!(drawn_layers(&b).await.len(), opening_layers().len() - 1, "only that layer");
    assert_eq!(hide_param(&b).await.as_deref(), Some("hedge,content"));

    // Its number key brings it back.
    b.press(key(Layer::Hedge)).await;
    b.until("the hedge layer shows", "return document.getElementById('show-hedge').checked")
        .await;
    assert!(drawn(&b, Layer::Hedge).await);
    assert_eq!(hide_param(&b).await, None);
    assert_eq!(announced(&b).await, "Hedge shown.");

    b.press(key(Layer::Source)).await;
    b.until("the source layer hides", "return !document.getElementById('show-source').checked")
        .await;
    assert!(!drawn(&b, Layer::Source).await, "sources lose their background");
    assert_eq!(hide_param(&b).await.as_deref(), Some("source,content"));

    // One key hides everything, and the same key restores what was shown before.
    b.press(action_key(Action::AllLayers)).await;
    b.until("every layer hides", "return [...document.querySelectorAll('.toggle')].every(t => !t.checked)")
        .await;
    assert!(drawn_layers(&b).await.is_empty(), "no highlight is drawn");
    let all: Vec<&str> = Layer::ALL.iter().map(|l| l.name()).collect();
    assert_eq!(hide_param(&b).await, Some(all.join(",")));
    b.press(action_key(Action::AllLayers)).await;
    b.until("layers come back", "return document.getElementById('show-hedge').checked")
        .await;
    let back: Vec<Layer> = opening_layers().into_iter().filter(|&l| l != Layer::Source).collect();
    assert_eq!(drawn_layers(&b).await, back, "the layers shown before, not the source layer");

    // A shared address opens with the same layers, rendered by the server.
    b.open(&format!("{}/d/fixture?hide=cue,hedge", server.base)).await;
    assert_eq!(drawn_layers(&b).await, [Layer::Source, Layer::Content, Layer::Claim]);
    let unchecked = b
        .js("return [...document.querySelectorAll('.toggle:not(:checked)')].map(t => t.id)", Vec::new())
        .await;
    assert_eq!(unchecked, json!(["show-hedge", "show-cue"]));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_page_is_highlighted_and_the_legend_still_switches() {
    let Some((server, b)) = start("no script", vec![fixture()], Window::DESKTOP).await else {
        return;
    };
    b.cdp("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    b.open(&format!("{}/d/fixture?hide=hedge", server.base)).await;
    let ran = b
        .js("return document.documentElement.classList.contains('js')", Vec::new())
        .await;
    assert_eq!(ran, false, "the page script did not run");
    assert_eq!(drawn_layers(&b).await, [Layer::Source, Layer::Cue, Layer::Content, Layer::Claim]);
    let hidden = b.js(STYLE, vec![json!("button[data-action=help]"), json!("display")]).await;
    assert_eq!(hidden[1], false, "controls that need the script are not offered");
    b.find("label[for=show-cue]").await.click().await.expect("click the cue switch");
    b.until("the cue switch unticks", "return !document.getElementById('show-cue').checked")
        .await;
    assert!(!drawn(&b, Layer::Cue).await, "the style sheet alone hides the layer");
    assert!(b.viewport_screenshot("reading-no-script").await.starts_with(b"\x89PNG"));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_walks_highlights_and_sentences_scrolling_and_announcing() {
    let window = Window { width: 1280, height: 600 };
    let Some((server, b)) = start("keyboard", demo_library(), window).await else {
        return;
    };
    b.open(&format!("{}/d/{DEMO}", server.base)).await;
    let order: Vec<String> = serde_json::from_value(
        b.js(
            "const seen = new Set(); const out = [];
             for (const m of document.querySelectorAll('.doc-text mark[data-ann]')) {
               const shown = document.getElementById('show-' + m.dataset.layer).checked;
               if (shown && !seen.has(m.dataset.ann)) { seen.add(m.dataset.ann); out.push(m.dataset.ann); } }
             return out;",
            Vec::new(),
        )
        .await,
    )
    .expect("annotation ids");
    assert!(order.len() > 30, "the demo has many highlights: {}", order.len());

    // j walks forward through every highlight in reading order, each one focused, explained and in view.
    let active = "return document.activeElement && document.activeElement.dataset.ann || null";
    let mut last_scroll = 0.0;
    for (i, expected) in order.iter().take(30).enumerate() {
        b.press(action_key(Action::NextMark)).await;
        b.until_with(
            "the next highlight is focused",
            "return (document.activeElement && document.activeElement.dataset.ann) === arguments[0]",
            vec![json!(expected)],
        )
        .await;
        b.until("the focused highlight is in view", ACTIVE_IN_VIEW).await;
        let why = b.js(STYLE, vec![json!("#why"), json!("display")]).await;
        assert_eq!(why[1], true, "highlight {i} is explained");
        let scroll = b.js("return window.scrollY", Vec::new()).await.as_f64().unwrap_or_default();
        assert!(scroll >= last_scroll, "reading goes down the page");
        last_scroll = scroll;
    }
    assert!(last_scroll > 300.0, "30 highlights in, the page has scrolled: {last_scroll}");
    let said = announced(&b).await;
    assert!(said.starts_with(&format!("Highlight 30 of {}", order.len())), "announced: {said:?}");

    // k goes back.
    b.press(action_key(Action::PrevMark)).await;
    b.until_with(
        "the previous highlight is focused",
        "return document.activeElement.dataset.ann === arguments[0]",
        vec![json!(order[28])],
    )
    .await;

    // With hedges hidden, j skips them.
    b.press(key(Layer::Hedge)).await;
    for _ in 0..8 {
        let before = b.js(active, Vec::new()).await;
        b.press(action_key(Action::NextMark)).await;
        b.until_with("the focus moves", "return document.activeElement.dataset.ann !== arguments[0]", vec![before])
            .await;
        let layer = b.js("return document.activeElement.dataset.layer", Vec::new()).await;
        assert_ne!(layer, json!(Layer::Hedge.name()), "a hidden layer is skipped");
    }

    // n and p move by sentence, and the address follows.
    b.press(action_key(Action::NextSentence)).await;
    b.until("a sentence is focused", "return document.activeElement.classList.contains('sentence')")
        .await;
    let first = b.js("return +document.activeElement.dataset.number", Vec::new()).await;
    b.press(action_key(Action::NextSentence)).await;
    b.until_with(
        "the next sentence",
        "return +document.activeElement.dataset.number === arguments[0] + 1",
        vec![first.clone()],
    )
    .await;
    b.until("it is in view", ACTIVE_IN_VIEW).await;
    b.until("the address links to it", "return location.hash === '#' + document.activeElement.id")
        .await;
    b.press(action_key(Action::PrevSentence)).await;
    b.until_with("back one sentence", "return +document.activeElement.dataset.number === arguments[0]", vec![first])
        .await;
    let said = announced(&b).await;
    assert!(said.starts_with("Sentence "), "announced: {said:?}");

    // s goes to the ledger; ? shows the shortcuts; Escape closes them.
    b.press(action_key(Action::Ledger)).await;
    b.until("the ledger has the focus", "return document.activeElement.closest('#ledger') !== null")
        .await;
    b.until("the ledger is in view", ACTIVE_IN_VIEW).await;
    b.press(action_key(Action::Help)).await;
    b.until("the shortcuts are shown", "return document.getElementById('help').open")
        .await;
    let rows = b
        .js("return document.querySelectorAll('#help tbody tr').length", Vec::new())
        .await;
    assert_eq!(rows, json!(Action::ALL.len() + Layer::ALL.len()), "every key is listed");
    b.press(action_key(Action::Close)).await;
    b.until("the shortcuts close", "return !document.getElementById('help').open")
        .await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permalink_opens_with_its_sentence_focused() {
    let window = Window { width: 1280, height: 700 };
    let Some((server, b)) = start("permalink", demo_library(), window).await else {
        return;
    };
    let (_, doc) = server.json(&format!("/api/documents/{DEMO}")).await;
    let texts: Vec<&str> = doc["sentences"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["text"].as_str())
        .collect();
    let ids = sentence_ids(&texts);
    let (target, next) = (&ids[14], &ids[15]);

    b.open(&format!("{}/d/{DEMO}#{target}", server.base)).await;
    b.until_with(
        "the linked sentence has the focus",
        "return document.activeElement.id === arguments[0]",
        vec![json!(target)],
    )
    .await;
    b.until_with("it is in view", IN_VIEW, vec![json!(format!("#{target}"))]).await;
    let scrolled = b.js("return window.scrollY", Vec::new()).await.as_f64().unwrap_or_default();
    assert!(scrolled > 100.0, "the page scrolled to sentence 15: {scrolled}");
    let look = b.js(STYLE, vec![json!(format!("#{target}")), json!("background-color")]).await;
    assert_ne!(look[0], "rgba(0, 0, 0, 0)", "the linked sentence is highlighted");
    let said = announced(&b).await;
    assert!(said.starts_with(&format!("Sentence 15 of {}", ids.len())), "announced: {said:?}");
    assert!(b.viewport_screenshot("reading-permalink").await.starts_with(b"\x89PNG"));

    // Moving on keeps the address a permalink; c copies it (or, where the clipboard is closed, says so).
    b.press(action_key(Action::NextSentence)).await;
    b.until_with("the address follows", "return location.hash === '#' + arguments[0]", vec![json!(next)])
        .await;
    quiet(&b).await;
    b.press(action_key(Action::CopyLink)).await;
    let said = announced(&b).await;
    assert!(said.contains("sentence 16"), "the copy is announced: {said:?}");

    // A shared link keeps the layers as well as the sentence.
    b.open(&format!("{}/d/{DEMO}?hide=hedge#{target}", server.base)).await;
    b.until_with(
        "the linked sentence has the focus",
        "return document.activeElement.id === arguments[0]",
        vec![json!(target)],
    )
    .await;
    assert!(!drawn(&b, Layer::Hedge).await, "the hedges stay hidden");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_highlights_a_speakers_sentences_and_steps_through_them() {
    let window = Window { width: 1280, height: 700 };
    let Some((server, b)) = start("ledger", demo_library(), window).await else {
        return;
    };
    b.open(&format!("{}/d/{DEMO}", server.base)).await;
    let pick = b
        .js(
            "const bs = [...document.querySelectorAll('button.speaker')];
             const i = bs.findIndex(b => b.dataset.targets.trim().split(/\\s+/).length >= 2);
             return i < 0 ? null : [i + 1, bs[i].dataset.targets.trim().split(/\\s+/)];",
            Vec::new(),
        )
        .await;
    let nth = pick[0].as_u64().expect("a speaker with two sentences or more");
    let targets: Vec<String> = serde_json::from_value(pick[1].clone()).expect("sentence ids");
    let button = format!(".sources > li:nth-child({nth}) button.speaker");

    b.find(&button).await.click().await.expect("click the speaker");
    b.until_with(
        "their sentences are marked",
        "return arguments[0].every(id => document.getElementById(id).classList.contains('is-speaker'))",
        vec![json!(targets)],
    )
    .await;
    for id in &targets {
        let outline = b.js(STYLE, vec![json!(format!("#{id}")), json!("outline-style")]).await;
        assert_ne!(outline[0], "none", "{id} is outlined");
    }
    let others = b
        .js(
            "return [...document.querySelectorAll('.doc-text .sentence')]
               .filter(s => !arguments[0].includes(s.id))
               .filter(s => getComputedStyle(s).outlineStyle !== 'none' || s.classList.contains('is-speaker')).length",
            vec![json!(targets)],
        )
        .await;
    assert_eq!(others, 0, "no other sentence is marked");
    let pressed = b
        .js(&format!("return document.querySelector('{button}').getAttribute('aria-pressed')"), Vec::new())
        .await;
    assert_eq!(pressed, "true");
    b.until_with(
        "the first of them is current",
        "return document.querySelector('.sentence.is-current').id === arguments[0]",
        vec![json!(targets[0])],
    )
    .await;
    b.until_with("and in view", IN_VIEW, vec![json!(format!("#{}", targets[0]))])
        .await;

    b.find(&button).await.click().await.expect("click the speaker again");
    b.until_with(
        "the second is current",
        "return document.querySelector('.sentence.is-current').id === arguments[0]",
        vec![json!(targets[1])],
    )
    .await;
    b.until_with("and in view", IN_VIEW, vec![json!(format!("#{}", targets[1]))])
        .await;
    let said = announced(&b).await;
    assert!(said.contains(&format!("sentence 2 of {}", targets.len())), "announced: {said:?}");

    b.press(action_key(Action::Close)).await;
    b.until("the highlight clears", "return document.querySelectorAll('.is-speaker').length === 0")
        .await;
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explanations_show_on_hover_and_on_focus_with_the_whole_attribution() {
    let Some((server, b)) = start("explanations", vec![fixture()], Window::DESKTOP).await else {
        return;
    };
    b.open(&format!("{}/d/fixture", server.base)).await;
    let titles = b
        .js("return document.querySelectorAll('.doc-text [title]').length", Vec::new())
        .await;
    assert_eq!(titles, 0, "no native tooltip competes with the explanation");
    let described = b
        .js(
            "return [...document.querySelectorAll('.doc-text mark')]
               .every(m => document.getElementById(m.getAttribute('aria-describedby')) !== null)",
            Vec::new(),
        )
        .await;
    assert_eq!(described, true, "every highlight is described by its explanation");

    // Hovering a cue explains the whole triple and outlines the content in the text.
    let why = "return getComputedStyle(document.getElementById('why')).display !== 'none' && document.getElementById('why').textContent";
    b.hover(b.find(".doc-text mark[data-layer=cue]").await).await;
    b.until("the explanation shows", &format!("{why} !== false")).await;
    let text = b
        .js("return document.getElementById('why').textContent.replace(/\\s+/g, ' ')", Vec::new())
        .await;
    let text = text.as_str().unwrap_or_default();
    for part in [
        "Source",
        "Watson",
        "Adrienne Watson",
        "Cue",
        "said in a statement",
        "Content",
        "Kim may travel by train",
        "rule/said",
    ] {
        assert!(text.contains(part), "{part:?} in {text:?}");
    }
    let outline = b
        .js(
            "const pieces = [...document.querySelectorAll('.doc-text mark[data-layer=content].is-related')];
             const style = p => getComputedStyle(p);
             return pieces.length > 0
               && pieces.every(p => style(p).borderTopStyle === 'dashed' && style(p).borderBottomStyle === 'dashed')
               && style(pieces[0]).borderLeftStyle === 'dashed'
               && style(pieces[pieces.length - 1]).borderRightStyle === 'dashed';",
            Vec::new(),
        )
        .await;
    assert_eq!(outline, true, "the content is outlined, all around");

    // Hovering a hedge inside the quotation explains the hedge: category and lexicon entry.
    b.hover(b.find(".doc-text mark[data-layer=content] mark[data-layer=hedge]").await)
        .await;
    b.until("the hedge is explained", "return document.getElementById('why').textContent.includes('epistemic')")
        .await;
    let text = b.js("return document.getElementById('why').textContent", Vec::new()).await;
    assert!(text.as_str().unwrap_or_default().contains("lexicon/hedges.tsv:x"), "{text}");

    // Moving away hides it; the keyboard shows it again, without a mouse.
    b.hover(b.find("header.site .brand").await).await;
    b.until("the explanation hides", "return getComputedStyle(document.getElementById('why')).display === 'none'")
        .await;
    b.press(action_key(Action::NextMark)).await;
    b.until(
        "focus explains",
        "return !document.getElementById('why').hidden && document.activeElement.tagName === 'MARK'",
    )
    .await;
    let matches = b
        .js(
            "const note = document.getElementById(document.activeElement.dataset.note);
             return note.textContent.trim() === document.getElementById('why').firstElementChild.textContent.trim();",
            Vec::new(),
        )
        .await;
    assert_eq!(matches, true, "the explanation is the focused highlight's");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_requests_nothing_from_elsewhere_and_logs_no_error() {
    let Some((server, b)) = start("own resources", demo_library(), Window::DESKTOP).await else {
        return;
    };
    let resp = server.get(&format!("/d/{DEMO}")).await;
    let csp = resp
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    assert_eq!(csp.as_deref(), Some(CONTENT_SECURITY_POLICY));
    assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'self'") && !CONTENT_SECURITY_POLICY.contains("unsafe"));

    b.open(&format!("{}/d/{DEMO}", server.base)).await;
    for k in [
        action_key(Action::NextMark),
        action_key(Action::NextMark),
        action_key(Action::NextSentence),
        key(Layer::Cue),
        key(Layer::Cue),
    ] {
        b.press(k).await;
    }
    b.hover(b.find(".doc-text mark[data-layer=source]").await).await;
    b.until("an explanation shows", "return !document.getElementById('why').hidden")
        .await;
    let resources: Vec<String> = serde_json::from_value(
        b.js("return performance.getEntriesByType('resource').map(e => e.name)", Vec::new())
            .await,
    )
    .expect("resource names");
    assert!(
        resources.iter().any(|r| r.ends_with("/app.css")) && resources.iter().any(|r| r.ends_with("/app.js")),
        "{resources:?}"
    );
    for r in &resources {
        assert!(r.starts_with(&format!("{}/", server.base)), "{r} is served by Lectern");
    }
    b.assert_clean_console().await;

    // The console check is real: a blocked inline script shows up in it.
    b.js("const s = document.createElement('script'); s.textContent = '1'; document.body.append(s);", Vec::new())
        .await;
    let logged = b
        .console_until("the CSP report", |(_, m)| m.contains("Content Security Policy"))
        .await;
    assert!(logged.iter().any(|(level, _)| level == "SEVERE"), "reported as an error: {logged:?}");
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_document_runs_no_script() {
    let library = entries(vec![document("hostile.txt", HOSTILE.as_bytes())]);
    let Some((server, b)) = start("hostile", library, Window::DESKTOP).await else {
        return;
    };
    b.open(&format!("{}/d/hostile", server.base)).await;
    let ours = b
        .js("return document.documentElement.classList.contains('js')", Vec::new())
        .await;
    assert_eq!(ours, true, "Lectern's own script ran");
    // Walk every highlight, so every explanation is copied into the page.
    let n = b
        .js("return document.querySelectorAll('.doc-text mark').length", Vec::new())
        .await
        .as_u64()
        .unwrap_or(0);
    for _ in 0..n {
        b.press(action_key(Action::NextMark)).await;
    }
    for mark in b
        .client
        .find_all(fantoccini::Locator::Css(".doc-text mark"))
        .await
        .expect("marks")
    {
        b.hover(mark).await;
    }
    match b.client.get_alert_text().await {
        Err(e) if e.is_no_such_alert() => {}
        other => panic!("the document's script ran: {other:?}"),
    }
    let injected = b.js("return document.querySelectorAll('.doc-text script, .doc-text img, .doc-text b, .doc-text i, #why img, #why script').length", Vec::new()).await;
    assert_eq!(injected, 0, "no element from the document");
    let title = b.client.title().await.expect("title");
    assert!(title.starts_with("Breaking <script>alert(1)</script> news"), "{title}");
    let shown = b.js("return document.querySelector('.doc-text').textContent", Vec::new()).await;
    assert!(shown.as_str().unwrap_or_default().contains("<img src=x onerror=alert(2)>"), "shown as text");
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_colour_switch_cycles_and_is_remembered() {
    let Some((server, b)) = start("colours", vec![fixture()], Window::DESKTOP).await else {
        return;
    };
    b.media("", "light").await;
    b.open(&format!("{}/d/fixture", server.base)).await;
    let background = "return getComputedStyle(document.body).backgroundColor";
    let light = b.js(background, Vec::new()).await;
    let button = "header.site button[data-action=theme]";
    b.find(button).await.click().await.expect("click the colour switch");
    b.until("dark colours", "return document.documentElement.dataset.theme === 'dark'")
        .await;
    let dark = b.js(background, Vec::new()).await;
    assert_ne!(dark, light);
    assert!(luminance(&dark) < 0.1 && luminance(&light) > 0.8, "{dark} is dark, {light} is light");
    b.client.refresh().await.expect("reload");
    b.until("the choice is remembered", "return document.documentElement.dataset.theme === 'dark'")
        .await;
    b.find(button).await.click().await.expect("click again");
    b.until("light colours", "return document.documentElement.dataset.theme === 'light'")
        .await;
    b.media("", "dark").await;
    assert_eq!(b.js(background, Vec::new()).await, light, "a chosen scheme beats the system's");
    b.find(button).await.click().await.expect("click again");
    b.until("the system's colours", "return !document.documentElement.hasAttribute('data-theme')")
        .await;
    assert_eq!(b.js(background, Vec::new()).await, dark, "back to following the system (dark here)");
    b.finish().await;
}

/// Relative luminance (0 black, 1 white) of a CSS `rgb(r, g, b)` value.
fn luminance(css: &Value) -> f64 {
    let nums: Vec<f64> = css
        .as_str()
        .unwrap_or_default()
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter_map(|n| n.parse().ok())
        .collect();
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    match nums.as_slice() {
        [r, g, b, ..] => 0.2126 * lin(*r) + 0.7152 * lin(*g) + 0.0722 * lin(*b),
        _ => panic!("not a colour: {css}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_in_light_dark_print_and_on_a_phone() {
    let window = Window::DESKTOP;
    let Some((server, b)) = start("screenshots", demo_library(), window).await else {
        return;
    };
    let url = format!("{}/d/{DEMO}", server.base);
    let png = |bytes: &[u8]| bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000;

    b.media("", "light").await;
    b.open(&url).await;
    assert!(luminance(&b.js("return getComputedStyle(document.body).backgroundColor", Vec::new()).await) > 0.8);
    assert!(png(&b.screenshot("reading-light", window).await));

    b.media("", "dark").await;
    let bg = b.js("return getComputedStyle(document.body).backgroundColor", Vec::new()).await;
    let ink = b.js("return getComputedStyle(document.body).color", Vec::new()).await;
    assert!(luminance(&bg) < 0.1 && luminance(&ink) > 0.6, "dark follows the system: {bg} on {ink}");
    assert!(png(&b.screenshot("reading-dark", window).await));
    b.press(action_key(Action::NextMark)).await;
    b.press(action_key(Action::NextMark)).await;
    b.until("an explanation shows", "return !document.getElementById('why').hidden")
        .await;
    assert!(png(&b.screenshot("reading-dark-explained", window).await));

    b.media("print", "dark").await;
    b.open(&url).await;
    let print = b
        .js(
            "const shown = s => { const e = document.querySelector(s); return !!e && e.checkVisibility(); };
             return { print: matchMedia('print').matches, toggles: shown('.toggle'), legend: shown('#legend'),
                      ledger: shown('#ledger'), text: shown('.doc-text'), tools: shown('.site-tools'),
                      paper: getComputedStyle(document.body).backgroundColor };",
            Vec::new(),
        )
        .await;
    assert_eq!(print["print"], true);
    assert_eq!(
        (&print["legend"], &print["ledger"], &print["text"]),
        (&json!(true), &json!(true), &json!(true)),
        "{print}"
    );
    assert_eq!((&print["toggles"], &print["tools"]), (&json!(false), &json!(false)), "no controls on paper: {print}");
    assert!(luminance(&print["paper"]) > 0.9, "print is light even in a dark system: {print}");
    let source = b
        .js(STYLE, vec![json!(".doc-text .hl-source-unnamed"), json!("border-top-style")])
        .await;
    assert_eq!(source[0], "dashed", "unnamed sources print as a dashed frame, not a tint");
    assert!(png(&b.screenshot("reading-print", window).await));

    b.media("", "light").await;
    b.phone().await;
    b.open(&url).await;
    let layout = b
        .js(
            "const text = document.querySelector('.doc-text').getBoundingClientRect();
             const panel = document.querySelector('.panel').getBoundingClientRect();
             return { stacked: panel.top >= text.bottom,
                      overflow: document.documentElement.scrollWidth - window.innerWidth,
                      width: window.innerWidth };",
            Vec::new(),
        )
        .await;
    assert_eq!(layout["width"], 390);
    assert_eq!(layout["stacked"], true, "one column on a phone: {layout}");
    assert!(layout["overflow"].as_f64().is_some_and(|o| o <= 0.0), "no sideways scrolling: {layout}");
    let phone = Window { width: 390, height: 844 };
    assert!(png(&b.screenshot_phone("reading-phone", phone).await));
    b.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_or_critical_accessibility_violation() {
    let Some(axe) = axe_script() else {
        skip::<()>("axe", "axe-core is not installed (npm install --prefix target/axe axe-core@4)");
        return;
    };
    let library = vec![Entry::annotate(lectern::ingest::demo()), fixture()];
    let Some((server, b)) = start("axe", library, Window::DESKTOP).await else {
        return;
    };
    let check = async |what: &str| b.axe(&axe, what).await;
    b.media("", "light").await;
    b.open(&format!("{}/d/{DEMO}", server.base)).await;
    check("the reading page, light").await;
    b.press(action_key(Action::NextMark)).await;
    b.until("an explanation shows", "return !document.getElementById('why').hidden")
        .await;
    check("the reading page with an explanation open").await;
    b.press(action_key(Action::Help)).await;
    b.until("the shortcuts show", "return document.getElementById('help').open")
        .await;
    check("the shortcuts dialog").await;
    b.media("", "dark").await;
    b.open(&format!("{}/d/{DEMO}?hide=content", server.base)).await;
    check("the reading page, dark, content hidden").await;
    b.open(&format!("{}/", server.base)).await;
    check("the document list, dark").await;
    b.media("", "light").await;
    b.open(&format!("{}/d/fixture", server.base)).await;
    check("the fixture, light").await;
    b.finish().await;
}
