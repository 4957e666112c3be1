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
