//! Shared helpers: the real server in-process on `127.0.0.1:0`, the real binary, temporary files, and the checks
//! every served document must pass.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use annotate::{Annotated, Attribution, Claim, Hedge, HedgeCategory, Rule, Sentence, Source, SourceKind, Span};
use lectern::entry::Entry;
use lectern::ingest;
use lectern::library::Library;
use lectern::server::{AppState, Options};
use lectern::store::{AddedBy, NewDocument, Store};
use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// Path of the built `lectern` binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_lectern");

/// How long a spawned binary may take to print its URL before the test fails (a bound, not a sleep).
const STARTUP: Duration = Duration::from_secs(60);

/// The bundled demo article's text.
pub const DEMO_TEXT: &str = include_str!("../../demo/kim-putin-article.txt");

/// The server running in-process on an ephemeral port of 127.0.0.1, over a library in a temporary folder.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    client: reqwest::Client,
    /// The library, to look at (or change) what the server serves.
    pub library: Arc<Library>,
    /// The library's folder, removed when the server is dropped.
    _data: TempDir,
    /// Stops the server when dropped.
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Annotate documents into entries.
pub fn entries(documents: Vec<ingest::Document>) -> Vec<Entry> {
    documents.into_iter().map(Entry::annotate).collect()
}

/// Store `entries` (in order, so the last is the newest) with their annotations as they are, in a fresh library.
pub fn library_of(entries: Vec<Entry>) -> (Library, TempDir) {
    let data = TempDir::new("library");
    let store = Store::open(&data.path("")).unwrap_or_else(|e| panic!("open a library: {e}"));
    let library = Library::new(store);
    for e in entries {
        let annotated = e.annotated.clone();
        let new = NewDocument { document: e.document, origin: None, added_by: AddedBy::Owner };
        library
            .add_with(new, move |_| annotated)
            .unwrap_or_else(|err| panic!("store a test document: {err}"));
    }
    (library, data)
}

/// Serve `entries` on `127.0.0.1:0` with the default options.
pub async fn spawn(entries: Vec<Entry>) -> TestServer {
    spawn_with(entries, Options::new()).await
}

/// Serve `entries` on `127.0.0.1:0` with `options`, through the real connection loop (so peers are seen as they
/// are: this process's requests come from 127.0.0.1, the owner). The listener is bound before the server task
/// starts, so requests never race the startup.
pub async fn spawn_with(entries: Vec<Entry>, mut options: Options) -> TestServer {
    let (library, data) = library_of(entries);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("listener has an address");
    options.bases = vec![format!("http://{addr}/")];
    let state = AppState::new(library, options);
    let library = Arc::clone(&state.library);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(lectern::server::serve(listener, state, async move {
        let _ = stopped.await;
    }));
    TestServer { base: format!("http://{addr}"), client: client(None), library, _data: data, _stop: stop }
}

/// An HTTP client that does not follow redirects; from `local` when given (127.0.0.2 plays a colleague).
pub fn client(local: Option<&str>) -> reqwest::Client {
    tls();
    let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if let Some(ip) = local {
        builder = builder.local_address(ip.parse::<std::net::IpAddr>().ok()).cookie_store(true);
    }
    builder.build().expect("build an HTTP client")
}

/// The TLS provider every HTTP client needs (Lectern links rustls without a default one); installing it twice is
/// harmless.
pub fn tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A plain client, following redirects.
pub fn plain_client() -> reqwest::Client {
    tls();
    reqwest::Client::new()
}

impl TestServer {
    /// The client the server's requests are made with (the owner's).
    pub fn owner(&self) -> &reqwest::Client {
        &self.client
    }

    /// GET `path` (starting with `/`), not following redirects.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with(path, &[]).await
    }

    /// GET `path` with extra request headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET `path` and parse it as an HTML document.
    pub async fn html(&self, path: &str) -> (StatusCode, Html) {
        let resp = self.get(path).await;
        let status = resp.status();
        let body = resp.text().await.expect("read the HTML body");
        (status, Html::parse_document(&body))
    }

    /// GET `path` and parse it as JSON.
    pub async fn json(&self, path: &str) -> (StatusCode, Value) {
        let resp = self.get(path).await;
        let status = resp.status();
        let body = resp.text().await.expect("read the JSON body");
        let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {body}"));
        (status, value)
    }
}

/// Assert that the only script on `page` is Lectern's own: one external `app.js` from this server, with no inline
/// code and no inline event handler anywhere. What a document contains never becomes a script.
pub fn only_our_script(page: &Html, what: &str) {
    let scripts = select(page, "script");
    let ours = lectern::server::assets::url("app.js");
    assert_eq!(scripts.len(), 1, "{what}: exactly one script element");
    assert_eq!(scripts[0].value().attr("src"), Some(ours.as_str()), "{what}: the script is Lectern's app.js");
    assert!(text_of(&scripts[0]).trim().is_empty(), "{what}: no inline code");
    let handlers = page
        .tree
        .values()
        .filter_map(|n| n.as_element())
        .flat_map(|e| e.attrs().map(|(name, _)| name.to_string()))
        .filter(|name| name.starts_with("on"))
        .count();
    assert_eq!(handlers, 0, "{what}: no inline event handler attribute");
}

/// The element id the reading view gives each of these sentences (in order): derived from their text.
pub fn sentence_ids(texts: &[&str]) -> Vec<String> {
    lectern::view::permalink::ids(texts.iter().copied())
}

/// A CSS selector (the tests' selectors are constants, so a bad one is a bug in the test).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e}"))
}

/// All elements matching `css`.
pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

/// The text content of an element.
pub fn text_of(el: &ElementRef<'_>) -> String {
    el.text().collect()
}

/// The documents the binary serves without arguments.
pub fn demo_library() -> Vec<Entry> {
    entries(vec![ingest::demo()])
}

/// Load a document from bytes, failing the test if it is rejected.
pub fn document(name: &str, bytes: &[u8]) -> ingest::Document {
    ingest::from_bytes(name, bytes).unwrap_or_else(|e| panic!("{name} should load: {e}"))
}

/// A sentence over `span` with this claim label and no hedges or attributions.
pub fn sentence(span: Span, paragraph: usize, claim: Claim) -> Sentence {
    Sentence { claim, ..Sentence::new(span, paragraph) }
}

/// An annotation of these parts, made from the annotator's own (empty) output so that any other field has a real
/// value.
pub fn annotated(sentences: Vec<Sentence>, paragraphs: Vec<Span>, sources: Vec<Source>) -> Annotated {
    let mut a = annotate::annotate("");
    a.sentences = sentences;
    a.paragraphs = paragraphs;
    a.sources = sources;
    a
}

/// The text of [`fixture`].
pub const FIXTURE_TEXT: &str = "Officials fear a deal\n“Kim may travel by train,” Watson said in a statement. \
                                The mayor, officials believe, could resign.";

/// A document annotated by hand with every layer and the overlaps the view must handle (a cue that is also a
/// hedge; content containing a source, a cue and hedges), independent of what the annotator finds today.
pub fn fixture() -> Entry {
    let text = FIXTURE_TEXT;
    let at = |needle: &str| {
        let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is in the fixture"));
        Span::new(start, start + needle.len())
    };
    let rule = |id: &str| Rule { id: id.to_string(), why: format!("test rule {id}") };
    let hedge = |needle: &str, category| Hedge { span: at(needle), category, rule: rule("lexicon/hedges.tsv:x") };
    let sentence = |needle: &str, paragraph, claim| sentence(at(needle), paragraph, claim);
    let mut s0 = sentence("Officials fear a deal", 0, Claim::Unattributed);
    s0.hedges = vec![hedge("fear", HedgeCategory::Doxastic)];
    let mut s1 = sentence("“Kim may travel by train,” Watson said in a statement.", 1, Claim::Attributed);
    s1.hedges = vec![hedge("may", HedgeCategory::Epistemic)];
    s1.attributions = vec![Attribution {
        cue: Some(at("said in a statement")),
        source: Some(at("Watson")),
        speaker: Some("Adrienne Watson".to_string()),
        kind: SourceKind::Named,
        direct_quote: true,
        content: Some(at("“Kim may travel by train,”")),
        rule: rule("rule/said"),
    }];
    let mut s2 = sentence("The mayor, officials believe, could resign.", 1, Claim::Attributed);
    s2.hedges = vec![hedge("believe", HedgeCategory::Doxastic), hedge("could", HedgeCategory::Epistemic)];
    s2.attributions = vec![Attribution {
        cue: Some(at("believe")),
        source: Some(at("officials")),
        speaker: Some("officials".to_string()),
        kind: SourceKind::Unnamed,
        direct_quote: false,
        content: Some(at("The mayor, officials believe, could resign")),
        rule: rule("rule/parenthetical"),
    }];
    let annotated = annotated(
        vec![s0, s1, s2],
        vec![
            at("Officials fear a deal"),
            at("“Kim may travel by train,” Watson said in a statement. The mayor, officials believe, could resign."),
        ],
        vec![
            Source { speaker: "Adrienne Watson".to_string(), kind: SourceKind::Named, sentences: vec![1] },
            Source { speaker: "officials".to_string(), kind: SourceKind::Unnamed, sentences: vec![2] },
        ],
    );
    Entry::from_parts(document("fixture.txt", text.as_bytes()), annotated)
}

/// The characters `start..end` of `text`.
pub fn chars(text: &[char], start: u64, end: u64) -> String {
    let (start, end) = (usize::try_from(start).expect("offset fits"), usize::try_from(end).expect("offset fits"));
    assert!(start <= end && end <= text.len(), "span {start}..{end} out of 0..{}", text.len());
    text[start..end].iter().collect()
}

fn uint(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{what} should be a non-negative integer, is {v}"))
}

fn string<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str().unwrap_or_else(|| panic!("{what} should be a string, is {v}"))
}

fn array<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("{what} should be an array, is {v}"))
}

/// Assert that `obj` is an object with exactly these keys.
fn keys(obj: &Value, expected: &[&str], what: &str) {
    let map = obj
        .as_object()
        .unwrap_or_else(|| panic!("{what} should be an object, is {obj}"));
    let mut got: Vec<&str> = map.keys().map(String::as_str).collect();
    let mut want = expected.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "keys of {what}");
}

/// Check a SPAN object (`{start, end, text}`) against the text.
fn check_span(span: &Value, text: &[char], what: &str) -> (u64, u64) {
    keys(span, &["start", "end", "text"], what);
    let (start, end) = (uint(&span["start"], what), uint(&span["end"], what));
    assert!(start < end, "{what}: empty or reversed span {start}..{end}");
    assert_eq!(chars(text, start, end), string(&span["text"], what), "{what}: text[start..end] in characters");
    (start, end)
}

/// Check one document of the wire format: its shape, its types, and that every offset is a character offset whose
/// range reproduces the span's text. Returns the number of sentences.
pub fn check_document(doc: &Value) -> usize {
    keys(
        doc,
        &["lectern", "document", "text", "sentences", "sources", "view", "pipeline", "notes", "corrections"],
        "document",
    );
    assert_eq!(doc["lectern"], 1, "format version");
    let view = string(&doc["view"], "view");
    assert!(view == "reviewed" || view == "annotator", "view {view:?}");
    let pipeline = string(&doc["pipeline"], "pipeline");
    assert!(pipeline == "fast" || pipeline == "accurate", "pipeline {pipeline:?}");
    keys(
        &doc["document"],
        &["id", "title", "name", "chars", "format", "byline", "published", "site", "url", "encoding"],
        "document.document",
    );
    let formats = ["plain", "markdown", "html", "pdf", "docx"];
    assert!(formats.contains(&string(&doc["document"]["format"], "format")), "document.format");
    for optional in ["byline", "published", "site", "url"] {
        let v = &doc["document"][optional];
        assert!(v.is_null() || v.as_str().is_some_and(|s| !s.is_empty()), "document.{optional} is null or text: {v}");
    }
    let enc = &doc["document"]["encoding"];
    if !enc.is_null() {
        keys(enc, &["name", "source"], "document.encoding");
        let sources = ["bom", "http", "declared", "utf-8", "detected"];
        assert!(sources.contains(&string(&enc["source"], "encoding.source")), "encoding.source {enc}");
    }
    let id = string(&doc["document"]["id"], "id");
    assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "id {id:?} is URL-safe");
    string(&doc["document"]["title"], "title");
    string(&doc["document"]["name"], "name");
    let text: Vec<char> = string(&doc["text"], "text").chars().collect();
    assert_eq!(uint(&doc["document"]["chars"], "chars"), text.len() as u64, "chars counts Unicode scalar values");

    let claims: Vec<&str> = Claim::ALL.iter().map(|c| c.as_str()).collect();
    let categories: Vec<&str> = HedgeCategory::ALL.iter().map(|c| c.as_str()).collect();
    let kinds: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();

    let sentences = array(&doc["sentences"], "sentences");
    let mut previous_end = 0;
    for (i, s) in sentences.iter().enumerate() {
        let what = format!("sentence {i}");
        keys(
            s,
            &[
                "index",
                "id",
                "start",
                "end",
                "text",
                "claim",
                "claim_corrected",
                "checkworthy",
                "hedges",
                "attributions",
            ],
            &what,
        );
        let sid = string(&s["id"], &what);
        // `s-` and eight hex digits, and `-2`, `-3`… for a sentence repeated word for word.
        let (hash, repeat) = sid
            .get(2..)
            .unwrap_or("")
            .split_once('-')
            .unwrap_or((sid.get(2..).unwrap_or(""), "2"));
        assert!(
            sid.starts_with("s-")
                && hash.len() == 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && repeat.parse::<u32>().is_ok_and(|n| n >= 2),
            "{what}: permalink id {sid:?}"
        );
        check_mark(&s["claim_corrected"], &what);
        let cw = s["checkworthy"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&cw), "{what}: checkworthy {cw} outside [0, 1]");
        assert_eq!(uint(&s["index"], &what), i as u64, "{what}: index");
        let (start, end) =
            check_span(&serde_json::json!({ "start": s["start"], "end": s["end"], "text": s["text"] }), &text, &what);
        assert!(start >= previous_end, "{what}: sentences increase and do not overlap");
        let gap = chars(&text, previous_end, start);
        assert!(i == 0 || gap.chars().all(char::is_whitespace), "{what}: gap {gap:?} before it is whitespace");
        previous_end = end;
        assert!(claims.contains(&string(&s["claim"], &what)), "{what}: claim");
        for (j, h) in array(&s["hedges"], &what).iter().enumerate() {
            let what = format!("{what} hedge {j}");
            keys(h, &["start", "end", "text", "category", "rule", "corrected"], &what);
            check_mark(&h["corrected"], &what);
            check_span(&serde_json::json!({ "start": h["start"], "end": h["end"], "text": h["text"] }), &text, &what);
            assert!(categories.contains(&string(&h["category"], &what)), "{what}: category");
            assert!(!string(&h["rule"], &what).is_empty(), "{what}: rule id");
        }
        for (j, a) in array(&s["attributions"], &what).iter().enumerate() {
            let what = format!("{what} attribution {j}");
            keys(a, &["cue", "source", "speaker", "kind", "direct_quote", "content", "rule", "corrected"], &what);
            check_mark(&a["corrected"], &what);
            for part in ["cue", "source", "content"] {
                if !a[part].is_null() {
                    check_span(&a[part], &text, &format!("{what} {part}"));
                }
            }
            assert!(a["speaker"].is_null() || a["speaker"].is_string(), "{what}: speaker");
            assert!(kinds.contains(&string(&a["kind"], &what)), "{what}: kind");
            assert!(a["direct_quote"].is_boolean(), "{what}: direct_quote");
            assert!(!string(&a["rule"], &what).is_empty(), "{what}: rule id");
        }
    }
    let trailing = chars(&text, previous_end, text.len() as u64);
    assert!(trailing.chars().all(char::is_whitespace), "only whitespace follows the last sentence");

    for (k, src) in array(&doc["sources"], "sources").iter().enumerate() {
        let what = format!("source {k}");
        keys(src, &["speaker", "kind", "sentences"], &what);
        assert!(!string(&src["speaker"], &what).is_empty());
        assert!(kinds.contains(&string(&src["kind"], &what)), "{what}: kind");
        let idx: Vec<u64> = array(&src["sentences"], &what).iter().map(|v| uint(v, &what)).collect();
        assert!(idx.windows(2).all(|w| w[0] < w[1]), "{what}: sentences ascend without repeats");
        assert!(idx.iter().all(|&i| i < sentences.len() as u64), "{what}: sentence indices exist");
    }
    for (k, n) in array(&doc["notes"], "notes").iter().enumerate() {
        let what = format!("note {k}");
        keys(
            n,
            &["id", "parent", "sentence", "at", "quote", "body", "parts", "author", "created", "edited", "resolved"],
            &what,
        );
        keys(&n["quote"], &["exact", "prefix", "suffix"], &what);
        if !n["at"].is_null() {
            keys(&n["at"], &["sentence", "start", "end", "in_place"], &what);
            let (start, end) = (uint(&n["at"]["start"], &what), uint(&n["at"]["end"], &what));
            assert_eq!(chars(&text, start, end), string(&n["quote"]["exact"], &what), "{what}: at is the quote");
        }
        assert!(n["created"].is_i64(), "{what}: created");
    }
    for (k, c) in array(&doc["corrections"], "corrections").iter().enumerate() {
        let what = format!("correction {k}");
        keys(
            c,
            &[
                "id",
                "sentence",
                "layer",
                "action",
                "target",
                "span",
                "value",
                "author",
                "created",
                "was",
                "attached",
                "unattached_because",
            ],
            &what,
        );
        let layers = ["source", "cue", "content", "hedge", "claim"];
        assert!(layers.contains(&string(&c["layer"], &what)), "{what}: layer");
        let actions = ["confirm", "reject", "fix", "add"];
        assert!(actions.contains(&string(&c["action"], &what)), "{what}: action");
        assert_eq!(c["attached"].as_bool(), Some(c["unattached_because"].is_null()), "{what}: attached");
    }
    if view == "annotator" {
        assert!(array(&doc["notes"], "notes").is_empty() && array(&doc["corrections"], "c").is_empty());
    }
    sentences.len()
}

/// Check a correction mark: null, or who changed an item, how, and what the annotator had said.
fn check_mark(mark: &Value, what: &str) {
    if mark.is_null() {
        return;
    }
    keys(mark, &["action", "by", "at", "layers", "corrections", "was"], &format!("{what} corrected"));
    assert!(["confirm", "fix", "add"].contains(&string(&mark["action"], what)), "{what}: mark action");
    assert!(!string(&mark["by"], what).is_empty(), "{what}: mark by");
    assert!(!array(&mark["layers"], what).is_empty() && !array(&mark["corrections"], what).is_empty());
    assert!(mark["was"].is_null() || mark["was"].is_string(), "{what}: was");
}

/// A directory under the system's temp dir, unique to this process and call, removed on drop.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// A fresh, empty directory.
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("lectern-it-{}-{n}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        TempDir { path }
    }

    /// Write `bytes` to `name` inside the directory and return its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, bytes).expect("write a temp file");
        path
    }

    /// A path inside the directory (not created).
    pub fn path(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A `lectern` command with Lectern's environment variables cleared, so the caller's shell cannot change a test,
/// its library in a temporary folder of this test process (never the user's own library), and the rules alone.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for var in [
        "LECTERN_PORT",
        "LECTERN_HOST",
        "LECTERN_FORMAT",
        "LECTERN_LOG",
        "LECTERN_EVAL_DATA",
        "LECTERN_EVAL_JSON",
        "LECTERN_EVAL_ERRORS",
        "LECTERN_EVAL_LIMIT",
        "LECTERN_EVAL_LIMIT_DOCS",
        "LECTERN_EVAL_QUICK",
        "LECTERN_EVAL_POLNEAR",
        "LECTERN_DATA",
        "LECTERN_LAN",
        "LECTERN_ALLOW_UPLOAD",
        "LECTERN_MAX_UPLOAD",
        "LECTERN_ALLOW_HOST",
        "LECTERN_NO_WATCH",
        "LECTERN_TAGGER",
        "LECTERN_FAST",
        "LECTERN_EVAL_ACCURATE",
        "LECTERN_EVAL_GOLD",
        "LECTERN_OUT",
        "LECTERN_EXPORT_CORRECTIONS",
        "LECTERN_NOTES",
        "LECTERN_READ_ONLY",
    ] {
        cmd.env_remove(var);
    }
    // The rules alone, unless a test is about the learned model (it passes `LECTERN_FAST=false`): a refinement
    // arriving in the background would reload pages under tests about something else.
    cmd.env("LECTERN_FAST", "true");
    cmd.env("LECTERN_DATA", std::env::temp_dir().join(format!("lectern-it-{}-library", std::process::id())));
    cmd
}

/// Run `lectern` with `args` and `stdin` to completion.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lectern");
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The process may exit without reading stdin; a broken pipe here is not the test's concern.
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("wait for lectern");
    writer.join().expect("stdin writer thread");
    out
}

/// A `lectern` process serving HTTP, killed when dropped.
pub struct Served {
    child: Child,
    /// The URL it printed, e.g. `http://127.0.0.1:41234/`.
    pub url: String,
    /// The line it printed.
    pub line: String,
    stderr: PathBuf,
    /// The lines it prints after the first.
    more: mpsc::Receiver<String>,
    /// What it printed after the first line until it was ready.
    pub startup: Vec<String>,
}

impl Served {
    /// Start `lectern` with `args` (which should include `--port 0`), its library in `dir/library` (unless `env`
    /// names another), stderr going to a file in `dir`, and wait for the line announcing the URL.
    pub fn start(args: &[&str], env: &[(&str, &str)], dir: &TempDir) -> Served {
        let mut served = Served::launch(args, env, dir);
        // Files given are added in the background; each is said on stdout, then `ready`.
        served.startup = served.lines_until("  ready:", STARTUP);
        assert!(
            served.startup.last().is_some_and(|l| l.starts_with("  ready:")),
            "lectern did not say it was ready: {:?}; stderr: {}",
            served.startup,
            served.stderr()
        );
        served
    }

    /// Start `lectern` as [`Served::start`] does, but return as soon as it names its address, before the files
    /// given are added.
    pub fn launch(args: &[&str], env: &[(&str, &str)], dir: &TempDir) -> Served {
        let stderr = dir.path("stderr.log");
        let mut cmd = command(args);
        cmd.env("LECTERN_DATA", dir.path("library"));
        cmd.envs(env.iter().copied());
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("create the stderr log"))
            .spawn()
            .expect("start lectern serve");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = match rx.recv_timeout(STARTUP) {
            Ok(line) if !line.is_empty() => line.trim_end().to_string(),
            other => {
                let _ = child.kill();
                let log = std::fs::read_to_string(&stderr).unwrap_or_default();
                panic!("lectern printed no URL ({other:?}); stderr: {log}");
            }
        };
        let url = line.split_whitespace().last().unwrap_or_default().to_string();
        Served { child, url, line, stderr, more: rx, startup: Vec::new() }
    }

    /// The lines printed after the first, as many as arrive within `within` until one contains `last`.
    pub fn lines_until(&self, last: &str, within: Duration) -> Vec<String> {
        let deadline = std::time::Instant::now() + within;
        let mut out = Vec::new();
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.more.recv_timeout(left) {
                Ok(line) => {
                    let done = line.contains(last);
                    out.push(line);
                    if done {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        out
    }

    /// Send the process `signal` (`KILL`, `TERM`, `INT`).
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &self.pid().to_string()])
            .status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -{signal}");
    }

    /// Wait at most `within` for the process to exit.
    pub fn wait_within(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What it wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// The process id, for sending signals.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wait for the process to exit.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("wait for lectern")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parse the stdout of `lectern annotate` as JSON.
pub fn stdout_json(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}"))
}

/// The stderr of a finished process, which must be exactly one line; returned without its newline.
pub fn one_line_stderr(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.lines().count(), 1, "stderr should be one line: {err:?}");
    err.trim_end().to_string()
}

/// The loopback address tests use to play a colleague on another machine: not 127.0.0.1, so not the owner.
pub const COLLEAGUE: &str = "127.0.0.2";

impl TestServer {
    /// A client playing a colleague (from [`COLLEAGUE`], keeping cookies like a browser).
    pub fn colleague(&self) -> reqwest::Client {
        client(Some(COLLEAGUE))
    }

    /// The library's folder (for `lectern … --data`).
    pub fn data_dir(&self) -> PathBuf {
        self._data.path("")
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POST `body` as `content_type` to `path` as the owner, and return the status and the body parsed as JSON
    /// (`Value::Null` when it is not JSON), with the `Location` header.
    pub async fn post(&self, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value, Option<String>) {
        let resp = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        response_json(resp).await
    }
}

impl TestServer {
    /// POST a form (`application/x-www-form-urlencoded`) to `path` as the owner.
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        let req = self.client.post(self.url(path)).form(pairs);
        req.send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// POST a multipart form to `path` as the owner.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> reqwest::Response {
        let req = self.client.post(self.url(path)).multipart(form);
        req.send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }
}

/// A multipart form of files, each `(file name, bytes)`, in the field `file`.
pub fn files_form(files: &[(&str, &[u8])]) -> reqwest::multipart::Form {
    files.iter().fold(reqwest::multipart::Form::new(), |form, (name, bytes)| {
        form.part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()))
    })
}

/// The `Location` of a response, or an empty string.
pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// A response's status, JSON body (`Null` if it is not JSON) and `Location`.
pub async fn response_json(resp: reqwest::Response) -> (StatusCode, Value, Option<String>) {
    let status = resp.status();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), location)
}

/// A server-sent event stream, read event by event.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Open `url` with `client`, which must answer 200 with `text/event-stream`.
    pub async fn open(client: &reqwest::Client, url: &str) -> EventStream {
        let response = client.get(url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(kind.starts_with("text/event-stream"), "{url} is an event stream: {kind}");
        EventStream { response, buffer: String::new() }
    }

    /// The next event as `(name, data)`, skipping keep-alive comments, or `None` when the stream ended or nothing
    /// came within `within`.
    pub async fn next(&mut self, within: Duration) -> Option<(String, Value)> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = "message".to_string();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if block.lines().all(|l| l.starts_with(':') || l.is_empty()) {
                    continue;
                }
                return Some((name, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await.ok()?.ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Read events until one named `name` comes, within `within` in all.
    pub async fn until(&mut self, name: &str, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let (got, data) = self.next(left).await?;
            if got == name {
                return Some(data);
            }
        }
    }
}

/// A TCP forwarder on `127.0.0.1:0` whose connections reach `to` from the address `from` (e.g. [`COLLEAGUE`]):
/// a browser, which always connects from 127.0.0.1, reaches the server through it as a colleague would, from
/// another address. It is a plain byte pipe; the server sees a real peer address. Returns the forwarder's address.
pub async fn forward_from(from: &str, to: std::net::SocketAddr) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the forwarder");
    let addr = listener.local_addr().expect("the forwarder's address");
    let local: std::net::SocketAddr = format!("{from}:0").parse().expect("a local address");
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(socket) = tokio::net::TcpSocket::new_v4() else { return };
                if socket.bind(local).is_err() {
                    return;
                }
                let Ok(mut outbound) = socket.connect(to).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    addr
}

impl TestServer {
    /// The server's socket address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.base.trim_start_matches("http://").parse().expect("the server's address")
    }
}
