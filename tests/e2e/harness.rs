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

fn start_xvfb() -> (Child, String) {
    for n in 90..190 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let display = format!(":{n}");
        let mut child = Command::new(find_tool("Xvfb"))
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let socket = format!("/tmp/.X11-unix/X{n}");
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            if Path::new(&socket).exists() {
                return (child, display);
            }
            if let Ok(Some(_)) = child.try_wait() {
                break; // display taken meanwhile: try the next
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("no free X display for Xvfb");
}

/// Runs the real binary headless on `db` (to prepare what the window should show).
pub fn cli(db: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_genjin"))
        .arg("--db")
        .arg(db)
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
                "application": env!("CARGO_BIN_EXE_genjin"),
                "args": ["--db", db.to_str().unwrap()],
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
        let s = Session {
            client,
            _dir: dir,
            driver,
            xvfb,
        };
        s.wait_css("#view").await;
        s
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
        let t0 = Instant::now();
        let mut last = String::new();
        while t0.elapsed() < Duration::from_secs(15) {
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
        panic!("{css} never contained {want:?}; last text: {last:?}");
    }

    /// Types into a field, replacing what is there.
    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.wait_css(css).await;
        e.clear().await.unwrap();
        if !text.is_empty() {
            e.send_keys(text).await.unwrap();
        }
    }

    /// Types into a field, then presses Enter (the keyboard way to save a form).
    pub async fn fill_and_enter(&self, css: &str, text: &str) {
        self.fill(css, text).await;
        let enter: char = fantoccini::key::Key::Enter.into();
        self.wait_css(css)
            .await
            .send_keys(&enter.to_string())
            .await
            .unwrap();
    }

    pub async fn click(&self, css: &str) {
        let e = self.wait_css(css).await;
        if let Err(err) = e.click().await {
            self.screenshot("failed-click").await;
            panic!("cannot click {css}: {err}");
        }
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.wait_css(css)
            .await
            .select_by_value(value)
            .await
            .unwrap();
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
        // SIGTERM lets tauri-driver stop WebKitWebDriver (and the app) too.
        let _ = Command::new("kill")
            .args(["-TERM", &self.driver.id().to_string()])
            .status();
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.driver.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop();
    }
}
