//! The app as an office PC gets it (issue 23): a first start with no database, then 关于跟进
//! (a click on the name at the top left) saying the version and the database. Runs on the
//! build under test; `tools/package.sh --check` runs it again on the installed package
//! (`GENJIN_INSTALLED=/usr/bin/genjin`), with its screenshots and the time from asking for the
//! window to the first question on screen.

use crate::harness::Session;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_start_opens_on_a_new_database_and_says_its_version() {
    let installed = std::env::var("GENJIN_INSTALLED").ok();
    let genjin = installed
        .clone()
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_genjin").to_string());
    let label = if installed.is_some() {
        "installed"
    } else {
        "built"
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let asked = Instant::now();
    let s = Session::launch(dir, &genjin, &[]).await;
    // no database yet on this PC: who starts here, or the department's server
    s.wait_css("#operator-dialog").await;
    s.wait_text("#first-shared", "连接部门的共享数据库").await;
    println!(
        "{label}: window asked for to the first question on screen: {} ms",
        asked.elapsed().as_millis()
    );
    s.screenshot(&format!("{label}-first-start")).await;
    s.fill("#operator-dialog input[name=name]", "李小四").await;
    s.fill("#operator-dialog input[name=department]", "资讯部")
        .await;
    s.click("#operator-dialog input[value=需求收集人]").await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-name", "李小四").await;
    s.screenshot(&format!("{label}-first-page")).await;

    // the name at the top left says what runs where
    s.click("#brand").await;
    s.wait_text(
        "#about-version",
        &format!("跟进 Genjin {}", env!("CARGO_PKG_VERSION")),
    )
    .await;
    // this PC's own file, in the user's data folder (XDG_DATA_HOME of the session)
    s.wait_text("#about-database", "本机数据库文件").await;
    let database = s.text("#about-database").await;
    assert!(
        database.starts_with(&data.display().to_string()),
        "the default database is in the user's data folder: {database}"
    );
    s.wait_text("#about-before", "没有记录").await;
    // this PC, with the version it opened the database with
    s.wait_text("#about-pcs", &format!("：{}", env!("CARGO_PKG_VERSION")))
        .await;
    let mut in_sight = false;
    for _ in 0..50 {
        in_sight = s
            .client
            .execute(
                "const r = document.getElementById('about').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(false);
        if in_sight {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(in_sight, "关于跟进 is scrolled into sight");
    s.screenshot(&format!("{label}-about")).await;
    s.close().await;
}

/// The installed app's cold start (issue 23's figure for BENCHMARKS.md), side by side with its
/// yardstick: asking for the window until the first question is on screen (a first start, a
/// new folder each time), alternating with a bare Tauri window of the same build
/// (`examples/bare_window`) until its page is loaded; five each, medians. Run by
/// `tools/package.sh --check`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: needs GENJIN_INSTALLED and a release bare_window; prints figures"]
async fn installed_cold_start() {
    let genjin = std::env::var("GENJIN_INSTALLED").expect("GENJIN_INSTALLED names the program");
    let bare = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/release/examples/bare_window");
    assert!(bare.exists(), "build it first: {}", bare.display());
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        let s = Session::launch(tempfile::tempdir().unwrap(), &genjin, &[]).await;
        s.wait_css("#operator-dialog").await;
        ours.push(t.elapsed().as_secs_f64() * 1000.0);
        s.close().await;
        let t = Instant::now();
        let s = Session::launch(tempfile::tempdir().unwrap(), bare.to_str().unwrap(), &[]).await;
        s.wait_css("#bare").await;
        theirs.push(t.elapsed().as_secs_f64() * 1000.0);
        s.close().await;
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let (o, b) = (median(ours.clone()), median(theirs.clone()));
    println!(
        "cold start to the first question: installed Genjin {o:.0} ms, bare Tauri window {b:.0} ms, ratio {:.2}x",
        o / b
    );
    println!("  runs: Genjin {ours:.0?}, bare {theirs:.0?}");
}

/// A database file that cannot be opened is said in the window, not only in a terminal nobody
/// reads (started from a menu; a Windows program has none), and the file is left as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_be_opened_is_said_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("部门 数据").join("需求.sqlite3");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bytes = "这不是数据库，是一份误存成 .sqlite3 的文字".repeat(200);
    std::fs::write(&path, &bytes).unwrap();
    let genjin = std::env::var("GENJIN_INSTALLED")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_genjin").to_string());
    let s = Session::launch(dir, &genjin, &["--db", path.to_str().unwrap()]).await;
    s.wait_text("#unopened-why", "不是跟进的数据库文件").await;
    s.wait_text("#unopened", &path.display().to_string()).await;
    s.screenshot("unopened").await;
    // nothing else opens on the stand-in: the name at the top left, a menu entry
    s.click("#brand").await;
    s.click("#nav-new").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    s.wait_text("#unopened-why", "不是跟进的数据库文件").await;
    let forms = s
        .client
        .execute(
            "return document.querySelectorAll('#view form').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(forms, 0, "no form drawn on the stand-in");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        bytes,
        "the file is untouched"
    );
    s.close().await;
}
