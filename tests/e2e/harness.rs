//! Starts the real app window under Xvfb through tauri-driver (which runs WebKitWebDriver) and
//! hands out a WebDriver client. Every session gets its own display, ports, data directories and
//! database, and is torn down on drop.

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Session {
    pub client: Client,
    _dir: tempfile::TempDir,
    driver: Child,
    xvfb: Child,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_tool(name: &str) -> PathBuf {
    let home_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|p| p.join("bin").join(name));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .chain(home_bin)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "end-to-end tests need `{name}` (see README: the test command installs Xvfb, \
                 webkit2gtk-driver and tauri-driver)"
            )
        })
}

/// Starts Xvfb on a display it picks itself (`-displayfd`): it skips displays in use and clears
/// stale locks left by killed servers, which a scan of `/tmp/.X*-lock` cannot tell apart.
fn start_xvfb() -> (Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(find_tool("Xvfb"))
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1366x768x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut line = String::new();
    let out = child.stdout.take().unwrap();
    std::io::BufReader::new(out).read_line(&mut line).unwrap();
    let n = line.trim();
    assert!(!n.is_empty(), "Xvfb did not start");
    (child, format!(":{n}"))
}

/// Stops a child politely (SIGTERM lets it clean up: Xvfb removes its lock, tauri-driver stops
/// WebKitWebDriver and the app), then forcefully if it lingers.
fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return; // already stopped (and reaped): its pid may belong to someone else now
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs the real binary headless on `db` (to prepare what the window should show).
pub fn cli(db: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_genjin"))
        // the first person's password where a flow set one (flows::first_password): a shared
        // database asks for it with `--as` (issue 22); otherwise it is not read
        .env("GENJIN_PASSWORD", "lixiaosi1")
        .arg("--db")
        .arg(crate::common::db_arg(db))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

impl Session {
    /// Opens the app on a fresh database.
    pub async fn start() -> Session {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("genjin.sqlite3");
        Self::start_on(dir, db).await
    }

    pub async fn start_on(dir: tempfile::TempDir, db: PathBuf) -> Session {
        // on the test server when one is given (issue 21: every window flow on both engines)
        let arg = crate::common::db_arg(&db);
        let s = Self::launch(
            dir,
            env!("CARGO_BIN_EXE_genjin"),
            &["--db", arg.to_str().unwrap()],
        )
        .await;
        s.wait_css("#view").await;
        s
    }

    /// Starts `application` with `args` under its own display and WebDriver; returns once the
    /// WebDriver session is open (the window's first page has loaded).
    pub async fn launch(dir: tempfile::TempDir, application: &str, args: &[&str]) -> Session {
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native = free_port();
        let driver = Command::new(find_tool("tauri-driver"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", &display)
            // the database is the one each test names, never a developer's own
            .env_remove("GENJIN_DB")
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_RUNTIME_DIR", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": application,
                "args": args,
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let t0 = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if t0.elapsed() > Duration::from_secs(30) => {
                    panic!("no WebDriver session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Session {
            client,
            _dir: dir,
            driver,
            xvfb,
        }
    }

    pub async fn wait_css(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Waits until nothing matches `css` any more.
    pub async fn wait_gone(&self, css: &str) {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(15) {
            if self.client.find(Locator::Css(css)).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} is still there");
    }

    /// Waits until `css` exists and its text contains `want`; returns that text.
    pub async fn wait_text(&self, css: &str, want: &str) -> String {
        self.wait_text_within(css, want, Duration::from_secs(15))
            .await
    }

    /// [`Session::wait_text`] for at most `limit` (a promise of the app's, e.g. how soon another
    /// PC's change shows).
    pub async fn wait_text_within(&self, css: &str, want: &str, limit: Duration) -> String {
        let t0 = Instant::now();
        let mut last = String::new();
        while t0.elapsed() < limit {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = e.text().await {
                    if t.contains(want) {
                        return t;
                    }
                    last = t;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let seen = self.what_shows().await;
        panic!("{css} never contained {want:?}; last text: {last:?}\n{seen}");
    }

    /// What the window shows, for a failure's message: the page's text, errors said, dialogs
    /// open, banners; and a screenshot (`failed-<ms>.png`) to look at.
    async fn what_shows(&self) -> String {
        let seen = self
            .client
            .execute(
                "const t = (e) => (e.innerText || '').replace(/\\s+/g, ' ').slice(0, 600);
                 return [
                   'hash: ' + location.hash,
                   'view: ' + t(document.getElementById('view') || document.body),
                   'errors: ' + [...document.querySelectorAll('.error-text')].map(t).filter(Boolean).join(' | '),
                   'dialogs open: ' + [...document.querySelectorAll('dialog[open]')].map((d) => d.id + ' ' + t(d)).join(' | '),
                   'banners: ' + [...document.querySelectorAll('.banner, #toasts > *')].map(t).join(' | '),
                 ].join('\\n');",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let name = format!(
            "failed-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        );
        self.screenshot(&name).await;
        format!("{seen}\n(screenshot: target/e2e-screenshots/{name}.png)")
    }

    /// Runs `act` on the element `css` until it succeeds: the page may re-render between finding an
    /// element and acting on it (a stale element), or the element may not be interactable yet.
    async fn on_element<F, Fut>(&self, css: &str, what: &str, act: F)
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
    {
        let t0 = Instant::now();
        loop {
            let err = match self.client.find(Locator::Css(css)).await {
                Ok(e) => match act(e).await {
                    Ok(()) => return,
                    Err(e) => e.to_string(),
                },
                Err(e) => e.to_string(),
            };
            if t0.elapsed() > Duration::from_secs(15) {
                self.screenshot("failed-action").await;
                panic!("cannot {what} {css}: {err}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types into a field, replacing what is there.
    pub async fn fill(&self, css: &str, text: &str) {
        self.on_element(css, "fill", |e| async move {
            e.clear().await?;
            if !text.is_empty() {
                e.send_keys(text).await?;
            }
            Ok(())
        })
        .await;
    }

    /// Types into a field without clearing it (a file input takes a path this way).
    pub async fn send_keys(&self, css: &str, text: &str) {
        self.on_element(css, "type into", |e| async move { e.send_keys(text).await })
            .await;
    }

    /// Types into a field, then presses Enter (the keyboard way to save a form).
    pub async fn fill_and_enter(&self, css: &str, text: &str) {
        self.fill(css, text).await;
        let enter: char = fantoccini::key::Key::Enter.into();
        self.send_keys(css, &enter.to_string()).await;
    }

    /// Goes to a page of the window by its hash (`#/register`), without reloading.
    pub async fn go(&self, hash: &str) {
        self.client
            .execute(
                "location.hash = arguments[0];",
                vec![serde_json::Value::String(hash.to_string())],
            )
            .await
            .unwrap();
    }

    /// A database prepared on the command line: its first person operates it, so the window
    /// opens without asking, on that person's to-do (我的待办). On a shared database (a server
    /// in this run) nobody holds a password for yet, so the window must ask who uses it, and
    /// `name` is chosen there.
    pub async fn opened_by(&self, name: &str) {
        if crate::common::on_server() {
            // each window names its own person (issue 22)
            let select = "#operator-dialog select[name=person]";
            self.wait_css(select).await;
            let id = self
                .client
                .execute(
                    "const o = [...document.querySelectorAll(arguments[0] + ' option')]
                        .find((o) => o.textContent === arguments[1]
                            || o.textContent.startsWith(arguments[1] + '（'));
                     return o ? o.value : null",
                    vec![select.into(), name.into()],
                )
                .await
                .unwrap();
            let id = id.as_str().expect("the person is listed").to_string();
            self.select(select, &id).await;
            self.click("#operator-dialog button[type=submit]").await;
        }
        self.shows_operating(name).await;
    }

    /// The window shows `name` operating it, on their to-do (我的待办).
    pub async fn shows_operating(&self, name: &str) {
        self.wait_text("#operator-name", name).await;
        self.wait_text("h1", "我的待办").await;
    }

    pub async fn click(&self, css: &str) {
        self.on_element(css, "click", |e| async move { e.click().await })
            .await;
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.on_element(css, "select in", |e| async move {
            e.select_by_value(value).await
        })
        .await;
    }

    /// The rendered text of every element matching `css`, read in one script so a re-render cannot
    /// interleave; waits until at least one matches.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let v = self
            .eval_until(
                "const m = document.querySelectorAll(arguments[0]); \
                 return m.length ? [...m].map(e => e.innerText.trim()) : null;",
                vec![css.into()],
            )
            .await;
        serde_json::from_value(v).unwrap()
    }

    /// The rendered text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.texts(css).await.swap_remove(0)
    }

    /// An attribute of the first element matching `css` (None when absent).
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let v = self
            .eval_until(
                "const e = document.querySelector(arguments[0]); \
                 return e ? [e.getAttribute(arguments[1])] : null;",
                vec![css.into(), name.into()],
            )
            .await;
        v[0].as_str().map(str::to_string)
    }

    /// Answers the system's save dialog, which WebDriver cannot drive: the page's next "save
    /// as" calls get `path` as if the user had chosen it (`ui/js/api.js` `savePath` reads
    /// `window.__genjinSaveAnswer`; Tauri's own `invoke` cannot be replaced from the page).
    pub async fn answer_save_dialog(&self, path: &std::path::Path) {
        self.client
            .execute(
                "window.__genjinSaveAnswer = arguments[0];",
                vec![path.to_string_lossy().to_string().into()],
            )
            .await
            .unwrap();
    }

    /// The default paths the page offered its save dialogs, oldest first.
    pub async fn save_asked(&self) -> Vec<String> {
        let v = self
            .client
            .execute("return window.__genjinSaveAsked || [];", vec![])
            .await
            .unwrap();
        serde_json::from_value(v).unwrap()
    }

    /// The `value` property of the first form control matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let v = self
            .eval_until(
                "const e = document.querySelector(arguments[0]); return e ? e.value : null;",
                vec![css.into()],
            )
            .await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Puts `text` in the field `css` as a paste would (several lines at once: typing a line
    /// break would press Enter), telling the page it changed.
    pub async fn paste_text(&self, css: &str, text: &str) {
        self.eval_until(
            "const e = document.querySelector(arguments[0]); if (!e) return null; \
             e.value = arguments[1]; e.dispatchEvent(new Event('input', { bubbles: true })); return true;",
            vec![css.into(), text.into()],
        )
        .await;
    }

    /// Waits until the field `css` holds `want` (a field the page fills by itself).
    pub async fn wait_value(&self, css: &str, want: &str) {
        let t0 = Instant::now();
        let mut last = String::new();
        while t0.elapsed() < Duration::from_secs(15) {
            last = self.value(css).await;
            if last == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never held {want:?}; last: {last:?}");
    }

    /// Runs `script` with `args` (the selector first) until it returns something other than
    /// null.
    async fn eval_until(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        let t0 = Instant::now();
        loop {
            if let Ok(v) = self.client.execute(script, args.clone()).await {
                if !v.is_null() {
                    return v;
                }
            }
            if t0.elapsed() > Duration::from_secs(15) {
                panic!("nothing matched {:?}", args[0]);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the window to `target/e2e-screenshots/NAME.png` for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let _ = self
            .client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await;
        let png = self.client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.stop();
    }

    fn stop(&mut self) {
        terminate(&mut self.driver);
        terminate(&mut self.xvfb);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop();
    }
}
