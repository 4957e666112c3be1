//! Connecting from the window (issue 22): 设置 → 数据库 tests a server, moves this PC's data onto
//! a department's shared database, remembers it for the next start (the command line follows),
//! and returns to this PC's file.

use crate::harness::Session;
use std::path::Path;
use std::process::Command;

/// The real binary as a user on this PC runs it, without `--db`: the default file and the
/// remembered choice of the session's folders.
fn genjin_here(home: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_genjin"))
        .env_remove("GENJIN_DB")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Fills 设置 → 数据库's fields with the parts of a server address; returns them.
async fn server_fields(s: &Session, url: &str) -> genjin::api::connection::ServerInput {
    let parts = genjin::api::connection::ServerInput::of_url(url).unwrap();
    s.fill("#database-form [name=host]", &parts.host).await;
    s.fill("#database-form [name=port]", &parts.port).await;
    s.fill("#database-form [name=database]", &parts.database)
        .await;
    s.fill("#database-form [name=user]", &parts.user).await;
    s.select("#database-form select[name=tls]", &parts.tls)
        .await;
    parts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_start_connects_to_the_shared_database_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_path_buf();
    let s = Session::launch(dir, env!("CARGO_BIN_EXE_genjin"), &[]).await;
    // a first start on this PC: start here, or go to the department's server
    s.wait_css("#operator-dialog").await;
    s.wait_text("#first-shared", "连接部门的共享数据库").await;
    s.fill("#operator-dialog input[name=name]", "李小四").await;
    s.fill("#operator-dialog input[name=department]", "资讯部")
        .await;
    s.click("#operator-dialog input[value=需求收集人]").await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-name", "李小四").await;
    genjin_here(
        &home,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "问卷自动计分",
        ],
    );
    // (the window has seen it: the page it shows now is not drawn again under the typing below
    // for this change)
    s.wait_text("#register-count", "共 1 条").await;
    s.go("#/settings").await;
    s.wait_text("#database-where", "本机的数据库文件").await;

    // a server that is not there: said in Chinese, naming it
    s.fill("#database-form [name=host]", "127.0.0.1").await;
    s.fill("#database-form [name=port]", "1").await;
    // what was typed is still there when the button is clicked (a page drawn anew under
    // typing would be a fault of its own: said as such)
    assert_eq!(
        (
            s.value("#database-form [name=host]").await,
            s.value("#database-form [name=port]").await
        ),
        ("127.0.0.1".to_string(), "1".to_string()),
        "the typing was lost before 测试连接"
    );
    s.click("#database-test").await;
    s.wait_text(
        "#database-form .error-text",
        "连不上数据库服务器“127.0.0.1:1",
    )
    .await;
    s.screenshot("database-unreachable").await;

    let Some(server) = crate::common::test_server() else {
        s.close().await;
        return;
    };
    let url = crate::common::fresh_server_db(&server);
    let parts = server_fields(&s, &url).await;
    s.click("#database-test").await;
    s.wait_text("#database-result", "是一个空数据库").await;

    // this PC's data moved onto it, compared, and the window on it from now on
    s.click("#database-move").await;
    s.click("#move-dialog button[type=submit]").await;
    // the window starts again on it, on the same page
    s.wait_text("#database-where", "共享数据库").await;
    s.wait_text("#operator-name", "李小四").await;
    assert!(s.text("#database-where").await.contains(&parts.database));
    s.go("#/register").await;
    s.wait_text("#register-count", "共 1 条").await;
    s.screenshot("database-shared").await;

    // remembered for this user on this PC, for the owner's eyes only: the command line goes
    // there too
    let remembered = home.join("config/cn.genjin.desktop/database.json");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&remembered).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(genjin_here(&home, &["register"]).contains("问卷自动计分"));
    genjin_here(
        &home,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "共享库中登记",
        ],
    );
    s.wait_text("#register-count", "共 2 条").await;

    // and back to this PC's file, which kept what it had
    s.go("#/settings").await;
    s.wait_text("#database-where", "共享数据库").await;
    s.click("#database-local").await;
    s.click("#local-dialog button[type=submit]").await;
    s.wait_text("#database-where", "本机的数据库文件").await;
    // the file says its data moved: the window says so at once
    s.wait_text(".banner.warning", "迁移到共享数据库").await;
    let here = genjin_here(&home, &["register"]);
    assert!(
        here.contains("问卷自动计分") && !here.contains("共享库中登记"),
        "{here}"
    );
    s.close().await;
}

/// The shared database remembered on this PC is away at start (issue 22): the window says so
/// and offers only to try again, to give the server's new address, or to return to this PC's
/// file — never opening the file by itself; the command line fails the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_server_away_is_said_and_another_address_can_be_given() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_path_buf();
    let folder = home.join("config/cn.genjin.desktop");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("database.json"),
        r#"{"shared": "postgres://genjin:secret@127.0.0.1:1/genjin?sslmode=disable"}"#,
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_genjin"))
        .env_remove("GENJIN_DB")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .args(["register"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("连不上数据库服务器“127.0.0.1:1"), "{err}");
    assert!(!err.contains("secret"), "never the password: {err}");
    assert!(
        !home.join("data/cn.genjin.desktop/genjin.sqlite3").exists(),
        "no file made instead"
    );

    let s = Session::launch(dir, env!("CARGO_BIN_EXE_genjin"), &[]).await;
    s.wait_text("#unavailable-why", "连不上数据库服务器").await;
    s.screenshot("database-away").await;
    match crate::common::test_server() {
        // the server's new address
        Some(server) => {
            let url = crate::common::fresh_server_db(&server);
            server_fields(&s, &url).await;
            s.click("#database-connect").await;
        }
        // or this PC's own file
        None => {
            s.click("#unavailable #database-local").await;
            s.click("#local-dialog button[type=submit]").await;
        }
    }
    // a first start on the database now open
    s.wait_css("#operator-dialog").await;
    s.close().await;
}
