//! A real browser for the browser tests: Debian's headless Chromium, driven through `chromedriver` (WebDriver) with
//! fantoccini. `chromedriver` is started on a free port of 127.0.0.1 for each test and killed when the test ends;
//! every wait is bounded polling, never a fixed sleep.
//!
//! When Chromium or chromedriver is missing the browser tests print a `SKIPPED` line and pass, so that `cargo test`
//! works on a machine without them; with `LECTERN_REQUIRE_BROWSER=1` (set by `.ci/run`) they fail instead.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::TempDir;

/// How long chromedriver may take to answer `/status`.
const DRIVER_STARTUP: Duration = Duration::from_secs(30);

/// How long a condition in the page may take to come true.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Between two looks at a condition.
const POLL: Duration = Duration::from_millis(25);

/// The flags Chromium needs on these machines (no sandbox in containers, no network chatter of its own).
const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

/// Only one browser at a time: two Chromiums on a two-core machine would make every bound flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What a browser test needs from the machine.
struct Tools {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

/// The first executable called `name` on `PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn tools() -> Result<Tools, String> {
    let chromedriver =
        on_path("chromedriver").ok_or("chromedriver is not installed (apt-get install chromium-driver)")?;
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|n| on_path(n))
        .ok_or("Chromium is not installed (apt-get install chromium)")?;
    Ok(Tools { chromedriver, chromium })
}

/// True when a missing browser must fail the test rather than skip it.
pub fn required() -> bool {
    std::env::var("LECTERN_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Skip (print a line and return `None`) or, when the browser is required, fail.
pub fn skip<T>(test: &str, reason: &str) -> Option<T> {
    assert!(!required(), "{test}: {reason}, and LECTERN_REQUIRE_BROWSER=1");
    println!("SKIPPED {test}: {reason}");
    eprintln!("SKIPPED {test}: {reason}");
    None
}

/// A running chromedriver, killed on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago. chromedriver cannot pick its own (`--port=0` is not supported), so the
/// caller must retry when another process takes it first.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl Driver {
    async fn start(chromedriver: &Path, log: &Path) -> Result<Driver, String> {
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port().map_err(|e| format!("no free port: {e}"))?;
            let stderr = std::fs::File::create(log).map_err(|e| format!("chromedriver log: {e}"))?;
            let child = Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()
                .map_err(|e| format!("cannot start chromedriver: {e}"))?;
            let mut driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
            match driver.wait_ready().await {
                Ok(()) => return Ok(driver),
                Err(e) => last = e,
            }
        }
        Err(format!("chromedriver did not start: {last}; log: {}", std::fs::read_to_string(log).unwrap_or_default()))
    }

    /// Poll `/status` until chromedriver is ready, it exits (its port was taken), or the bound passes.
    async fn wait_ready(&mut self) -> Result<(), String> {
        let client = crate::support::plain_client();
        let deadline = Instant::now() + DRIVER_STARTUP;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("chromedriver exited with {status}"));
            }
            if let Ok(resp) = client.get(format!("{}/status", self.url)).send().await
                && let Ok(body) = resp.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return Ok(());
            }
            tokio::time::sleep(POLL).await;
        }
        Err(format!("no answer on {} within {DRIVER_STARTUP:?}", self.url))
    }
}

/// How a browser session starts.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Viewport width in CSS pixels.
    pub width: u32,
    /// Viewport height in CSS pixels.
    pub height: u32,
}

impl Window {
    /// A desktop window.
    pub const DESKTOP: Window = Window { width: 1280, height: 900 };
}

/// A headless Chromium session; the browser and its chromedriver end when it is dropped (or [`Browser::finish`]
/// is called, which also checks the console).
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    test: String,
    session: Option<String>,
    _driver: Driver,
    _profile: TempDir,
    /// The first browser of a test holds the turn; a companion (a colleague's browser) runs inside it.
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

/// A raw WebDriver command for what fantoccini has no method for: Chromium's DevTools bridge and the browser log.
#[derive(Debug)]
struct Raw {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Raw {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/{}", session.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

impl Browser {
    /// Start Chromium for `test`, or `None` (after printing why) when it cannot run here.
    pub async fn launch(test: &str, window: Window) -> Option<Browser> {
        let tools = match tools() {
            Ok(t) => t,
            Err(reason) => return skip(test, &reason),
        };
        let turn = ONE_AT_A_TIME.lock().await;
        Some(Browser::session(test, &tools, window, Some(turn)).await)
    }

    /// A second browser for the same test, with a profile of its own (its own cookies): a colleague beside the
    /// owner. It runs within this browser's turn.
    pub async fn companion(&self, window: Window) -> Browser {
        let tools = tools().unwrap_or_else(|e| panic!("{}: {e}", self.test));
        Browser::session(&format!("{} (companion)", self.test), &tools, window, None).await
    }

    async fn session(
        test: &str,
        tools: &Tools,
        window: Window,
        turn: Option<tokio::sync::MutexGuard<'static, ()>>,
    ) -> Browser {
        let profile = TempDir::new("chromium");
        let driver = match Driver::start(&tools.chromedriver, &profile.path("chromedriver.log")).await {
            Ok(d) => d,
            Err(e) => panic!("{test}: {e}"),
        };
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path("profile").display()));
        args.push(format!("--window-size={},{}", window.width, window.height));
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), json!({ "args": args, "binary": chromium_binary(&tools.chromium) }));
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        // Leave a script's alert open, so a test can see that one appeared.
        caps.insert("unhandledPromptBehavior".into(), json!("ignore"));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("{test}: cannot open a Chromium session: {e}"));
        let session = client.session_id().await.ok().flatten();
        let browser =
            Browser { client, test: test.to_string(), session, _driver: driver, _profile: profile, _turn: turn };
        // Headless windows can come out smaller than asked; set the viewport exactly.
        browser.viewport(window).await;
        browser
    }

    /// Run a DevTools command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Raw { path: "goog/cdp/execute", body: json!({ "cmd": cmd, "params": params }) })
            .await
            .unwrap_or_else(|e| panic!("{}: DevTools {cmd}: {e}", self.test))
    }

    /// Set the viewport to `window`, as a desktop browser.
    pub async fn viewport(&self, window: Window) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": window.width, "height": window.height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .await;
    }

    /// Emulate a phone: a narrow touch screen at twice the pixel density.
    pub async fn phone(&self) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true }),
        )
        .await;
        self.cdp("Emulation.setTouchEmulationEnabled", json!({ "enabled": true, "maxTouchPoints": 5 }))
            .await;
    }

    /// Emulate a media type (`print`, or `""` for the screen) and the system's colour scheme (`light`, `dark`).
    pub async fn media(&self, media: &str, scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "media": media, "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
    }

    /// The browser's console since the last call: `(level, message)` pairs.
    pub async fn console(&self) -> Vec<(String, String)> {
        let mut last = None;
        for path in ["se/log", "log"] {
            match self.client.issue_cmd(Raw { path, body: json!({ "type": "browser" }) }).await {
                Ok(Value::Array(entries)) => {
                    return entries
                        .iter()
                        .map(|e| (e["level"].as_str().unwrap_or_default().to_string(), e["message"].to_string()))
                        .collect();
                }
                Ok(other) => last = Some(format!("unexpected log answer {other}")),
                Err(e) => last = Some(e.to_string()),
            }
        }
        panic!("{}: cannot read the browser log: {}", self.test, last.unwrap_or_default());
    }

    /// Assert that the console holds no error or warning (a CSP violation is an error there).
    pub async fn assert_clean_console(&self) {
        let bad: Vec<(String, String)> = self
            .console()
            .await
            .into_iter()
            .filter(|(level, _)| level == "SEVERE" || level == "WARNING")
            .collect();
        assert!(bad.is_empty(), "{}: console errors or warnings: {bad:#?}", self.test);
    }

    /// Check the console and end the session.
    pub async fn finish(mut self) {
        self.assert_clean_console().await;
        if self.client.clone().close().await.is_ok() {
            self.session = None;
        }
    }

    /// Open `url` and wait until the page script has run (or, with scripts off, until the page has loaded).
    pub async fn open(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("{}: open {url}: {e}", self.test));
        self.until(&format!("{url} loads"), "return document.readyState === 'complete'")
            .await;
    }

    /// Run `script` (a function body; `arguments` holds `args`) and return what it returns.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("{}: script failed: {e}\n{script}", self.test))
    }

    /// Run `script` asynchronously: it ends by calling its last argument with what it returns.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|e| panic!("{}: script failed: {e}\n{script}", self.test))
    }

    /// Wait until `script` returns true.
    pub async fn until(&self, what: &str, script: &str) {
        self.until_with(what, script, Vec::new()).await;
    }

    /// Wait until `script`, run with `args`, returns true.
    pub async fn until_with(&self, what: &str, script: &str, args: Vec<Value>) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let value = self.js(script, args.clone()).await;
            if value == true {
                return;
            }
            assert!(Instant::now() < deadline, "{}: waited {PATIENCE:?} for {what}; last {value}", self.test);
            tokio::time::sleep(POLL).await;
        }
    }

    /// Read the console until an entry satisfies `ok`; returns everything read.
    pub async fn console_until(&self, what: &str, ok: impl Fn(&(String, String)) -> bool) -> Vec<(String, String)> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            seen.extend(self.console().await);
            if seen.iter().any(&ok) {
                return seen;
            }
            assert!(Instant::now() < deadline, "{}: waited {PATIENCE:?} for {what}; console {seen:?}", self.test);
            tokio::time::sleep(POLL).await;
        }
    }

    /// Run axe-core (the text of `axe.min.js`) on the page and fail on any serious or critical violation; prints
    /// what it found, and what it leaves to review by hand.
    pub async fn axe(&self, axe: &str, what: &str) {
        self.js(axe, Vec::new()).await;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document)
                   .then(r => done({
                      passes: r.passes.length,
                      review: r.incomplete.map(v => v.id + ' on ' + v.nodes.length + ' elements, e.g. '
                        + (v.nodes[0] ? v.nodes[0].target.join(' ') + ': '
                          + ((v.nodes[0].any[0] || {}).message || '') : '')),
                      violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })) }))
                   .catch(e => done({ error: String(e) }));",
                Vec::new(),
            )
            .await
            .unwrap_or_else(|e| panic!("axe on {what}: {e}"));
        let list = found["violations"]
            .as_array()
            .unwrap_or_else(|| panic!("axe failed on {what}: {found}"));
        let passes = found["passes"].as_u64().unwrap_or_default();
        assert!(passes >= 20, "axe ran its rules on {what}: {passes} passed");
        println!("axe {what}: {passes} rules passed; to review by hand: {}", found["review"]);
        for v in list {
            println!("axe {what}: {} ({}): {} at {}", v["id"], v["impact"], v["help"], v["nodes"]);
        }
        let serious: Vec<&Value> = list
            .iter()
            .filter(|v| v["impact"] == "serious" || v["impact"] == "critical")
            .collect();
        assert!(serious.is_empty(), "axe on {what}: {serious:#?}");
        println!("axe {what}: {} violations, none serious or critical", list.len());
    }

    /// Run axe-core on the elements matching `css` only, and fail on any violation there, whatever its impact.
    pub async fn axe_strict(&self, axe: &str, css: &str, what: &str) {
        self.js(axe, Vec::new()).await;
        let found = self
            .client
            .execute_async(
                "const [css, done] = [arguments[0], arguments[arguments.length - 1]];
                 const include = [...document.querySelectorAll(css)].map(e => e);
                 if (include.length === 0) { done({ error: 'nothing matches ' + css }); return; }
                 axe.run({ include: include })
                   .then(r => done({ passes: r.passes.length,
                      violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })) }))
                   .catch(e => done({ error: String(e) }));",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("axe on {what}: {e}"));
        let list = found["violations"]
            .as_array()
            .unwrap_or_else(|| panic!("axe failed on {what}: {found}"));
        assert!(found["passes"].as_u64().unwrap_or_default() >= 5, "axe ran its rules on {what}: {found}");
        assert!(list.is_empty(), "axe on {what} ({css}): {list:#?}");
        println!("axe {what}: no violations on {css}");
    }

    /// Press and release a key; it goes to the focused element, as a person's would.
    pub async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client
            .perform_actions(keys)
            .await
            .unwrap_or_else(|e| panic!("{}: press {key:?}: {e}", self.test));
    }

    /// Move the mouse over the middle of `element`.
    pub async fn hover(&self, element: Element) {
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element,
            duration: Some(Duration::from_millis(50)),
            x: 0.0,
            y: 0.0,
        });
        self.client
            .perform_actions(mouse)
            .await
            .unwrap_or_else(|e| panic!("{}: hover: {e}", self.test));
    }

    /// The element matching `css`.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no element {css}: {e}", self.test))
    }

    /// A screenshot of the whole page (not only the viewport), saved as `target/screenshots/{name}.png`; returns
    /// the file's bytes.
    pub async fn screenshot(&self, name: &str, window: Window) -> Vec<u8> {
        self.full_page(name, window, 1, false).await
    }

    /// What the viewport shows now, saved as `target/screenshots/{name}.png`; returns the file's bytes.
    pub async fn viewport_screenshot(&self, name: &str) -> Vec<u8> {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("{}: screenshot: {e}", self.test));
        save(name, &png);
        png
    }

    /// [`Browser::screenshot`] on the emulated phone.
    pub async fn screenshot_phone(&self, name: &str, window: Window) -> Vec<u8> {
        self.full_page(name, window, 2, true).await
    }

    async fn full_page(&self, name: &str, window: Window, scale: u32, mobile: bool) -> Vec<u8> {
        let height = self
            .js("return Math.ceil(document.documentElement.scrollHeight)", Vec::new())
            .await;
        let height = height
            .as_u64()
            .and_then(|h| u32::try_from(h).ok())
            .unwrap_or(window.height)
            .clamp(1, 12_000);
        let metrics = |height: u32| json!({ "width": window.width, "height": height, "deviceScaleFactor": scale, "mobile": mobile });
        self.cdp("Emulation.setDeviceMetricsOverride", metrics(height)).await;
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("{}: screenshot: {e}", self.test));
        self.cdp("Emulation.setDeviceMetricsOverride", metrics(window.height)).await;
        save(name, &png);
        png
    }
}

impl Drop for Browser {
    /// A test that failed half-way still ends its browser: chromedriver quits Chromium when the session is deleted,
    /// but not when it is killed. Plain blocking HTTP, because drop cannot wait for async code.
    fn drop(&mut self) {
        let Some(session) = self.session.take() else { return };
        let Some(addr) = self._driver.url.strip_prefix("http://") else { return };
        let Ok(mut stream) = std::net::TcpStream::connect(addr) else { return };
        let _ = stream.set_read_timeout(Some(DRIVER_STARTUP));
        let request = format!("DELETE /session/{session} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        if std::io::Write::write_all(&mut stream, request.as_bytes()).is_err() {
            return;
        }
        // Wait for the status line (the session is gone once chromedriver answers); the rest does not matter.
        let mut buf = [0u8; 64];
        let _ = std::io::Read::read(&mut stream, &mut buf);
    }
}

/// The Chromium executable to give chromedriver: Debian's `/usr/bin/chromium` is a wrapper script, which
/// chromedriver can start too, but the real binary beside it avoids the wrapper's environment probing.
fn chromium_binary(found: &Path) -> String {
    let real = Path::new("/usr/lib/chromium/chromium");
    if found == Path::new("/usr/bin/chromium") && is_executable(real) {
        real.display().to_string()
    } else {
        found.display().to_string()
    }
}

/// Write a screenshot to `target/screenshots/{name}.png`.
fn save(name: &str, png: &[u8]) {
    let dir = screenshots_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    println!("screenshot: {}", path.display());
}

/// `target/screenshots/`, where the browser tests leave their pictures.
pub fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots")
}

/// `target/axe/node_modules/axe-core/axe.min.js`, installed by `.ci/run` from npm.
pub fn axe_script() -> Option<String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::read_to_string(target.join("axe/node_modules/axe-core/axe.min.js")).ok()
}
