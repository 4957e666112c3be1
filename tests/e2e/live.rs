//! A department at once (issue 22): what someone else changes — another PC, another window, the
//! command line — shows in the window without a click, and never overwrites what is typed.

use crate::harness::Session;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn others_changes_show_without_a_click_and_typing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&["add-person", "--name", "李小四", "--roles", "需求收集人"]);
    cli(&["add-person", "--name", "王决策", "--roles", "决策组"]);
    let add = |brief: &str| {
        cli(&[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            brief,
        ])
    };
    add("问卷自动计分");
    add("对接药房费用");
    let s = Session::start_on(dir, db.clone()).await;
    s.opened_by("李小四").await;

    // the register, searched: a new match appears, the search stays as typed
    s.go("#/register").await;
    s.wait_text("#register-count", "共 2 条").await;
    s.fill("#register-search", "问卷").await;
    s.wait_text("#register-count", "共 1 条").await;
    let t = Instant::now();
    add("问卷加权计分");
    s.wait_text("#register-count", "共 2 条").await;
    let seen = t.elapsed();
    eprintln!("a change made on the command line was seen in the window after {seen:?}");
    assert!(seen < Duration::from_secs(5), "seen after {seen:?}");
    assert_eq!(s.value("#register-search").await, "问卷");
    assert_eq!(
        s.texts("#register tbody tr td.num").await,
        ["14061903", "14061901"]
    );

    // an open requirement decided elsewhere shows the decision
    s.go("#/req/14061901").await;
    s.wait_text("#detail-number", "14061901").await;
    assert!(!s.text("#status-badge").await.contains("完成"));
    cli(&["decide", "14061901", "--decision", "不做"]);
    s.wait_text("#status-badge", "完成").await;

    // a form with something typed is never drawn anew under it: it says the data changed
    s.go("#/req/14061903/edit").await;
    s.wait_css("#requirement-form").await;
    s.fill("#requirement-form [name=brief]", "问卷加权计分（按科室）")
        .await;
    // another record changing is no news to this form
    add("与此无关的一条");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let banners = s
        .client
        .execute(
            "return document.querySelectorAll('#stale-banner').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        banners,
        serde_json::json!(0),
        "only this record's changes are said"
    );
    // where the user's next click would land: the banner must not move it
    let top_of = |css: &'static str| {
        let s = &s;
        async move {
            s.client
                .execute(
                    "return Math.round(document.querySelector(arguments[0]).getBoundingClientRect().top)",
                    vec![css.into()],
                )
                .await
                .unwrap()
        }
    };
    let (brief_at, save_at) = (
        top_of("#requirement-form [name=brief]").await,
        top_of("#requirement-save").await,
    );
    cli(&[
        "--as",
        "王决策",
        "decide",
        "14061903",
        "--decision",
        "做",
        "--grade",
        "B",
    ]);
    s.wait_text("#stale-banner", "刚被他人修改").await;
    assert_eq!(
        (
            top_of("#requirement-form [name=brief]").await,
            top_of("#requirement-save").await
        ),
        (brief_at, save_at),
        "the banner moved the form under the pointer"
    );
    // and it is in sight, within the window
    let in_sight = s
        .client
        .execute(
            "const r = document.getElementById('stale-banner').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(in_sight, serde_json::json!(true));
    assert_eq!(
        s.value("#requirement-form [name=brief]").await,
        "问卷加权计分（按科室）"
    );
    s.screenshot("live-typing-kept").await;

    // saved anyway: the save is refused as stale, saying who changed what; saved on top of
    // theirs, the brief is the user's and the decision stays
    s.click("#requirement-save").await;
    s.wait_text("#conflict-message", "王决策").await;
    s.wait_text("#conflict-changes", "决策结果").await;
    s.screenshot("live-conflict").await;
    s.click("#conflict-dialog button[type=submit]").await;
    s.wait_text("#detail-number", "14061903").await;
    let shown = crate::common::stdout(&crate::common::genjin(&db, &["show", "14061903"]));
    assert!(shown.contains("问卷加权计分（按科室）"), "{shown}");
    assert!(shown.contains("做"), "{shown}");

    // a page without a bar of buttons (设置 → 数据库, typed in): the banner comes after the
    // page, and the button about to be clicked stays where it was
    s.go("#/settings").await;
    s.wait_css("#database-test").await;
    s.fill("#database-form [name=host]", "192.168.1.10").await;
    let test_at = top_of("#database-test").await;
    add("设置页打开时登记的一条");
    s.wait_text("#stale-banner", "刚被他人修改").await;
    assert_eq!(top_of("#database-test").await, test_at);
    s.screenshot("live-banner-after-page").await;
    assert_eq!(s.value("#database-form [name=host]").await, "192.168.1.10");
    // reloading throws the typing away: asked first
    s.click("#stale-reload").await;
    s.click("#stale-dialog button[type=submit]").await;
    s.wait_gone("#stale-banner").await;
    s.wait_value("#database-form [name=host]", "").await;

    // on a server: every session of the database ends (as when the server restarts) while a
    // form is open with something typed; the window connects again by itself, keeps the typing,
    // and the save goes through
    if crate::common::on_server() {
        s.go("#/req/14061902/edit").await;
        s.wait_css("#requirement-form").await;
        s.fill("#requirement-form [name=brief]", "对接药房费用（断线后）")
            .await;
        if let Some(dir) = std::env::var_os("GENJIN_TEST_PG_DIR") {
            // the server itself stops (.ci/run says where it lives): a save meanwhile is
            // refused saying the connection broke, nothing half-saved, and that it reconnects;
            // the typing stays; the server back, the same save goes through
            let server = |what: &str| {
                let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tools/throwaway-postgres.sh");
                let o = std::process::Command::new("bash")
                    .arg(script)
                    .arg(what)
                    .arg(&dir)
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            };
            server("halt");
            // a while away: the window's watcher, failing meanwhile, asks less and less often
            // (after 24 s its next try would be some 20 s away)
            tokio::time::sleep(std::time::Duration::from_secs(24)).await;
            s.click("#requirement-save").await;
            s.wait_text("#requirement-form .error-text", "正在重新连接")
                .await;
            s.screenshot("live-server-stopped").await;
            assert_eq!(
                s.value("#requirement-form [name=brief]").await,
                "对接药房费用（断线后）"
            );
            server("resume");
            s.click("#requirement-save").await;
            s.wait_text("#detail-number", "14061902").await;
            let shown = crate::common::stdout(&crate::common::genjin(&db, &["show", "14061902"]));
            assert!(shown.contains("对接药房费用（断线后）"), "{shown}");
            // connected again, the window is live again at once, not after its longest wait
            crate::harness::cli(
                &db,
                &["--as", "王决策", "decide", "14061902", "--decision", "不做"],
            );
            s.wait_text_within("#status-badge", "完成", std::time::Duration::from_secs(3))
                .await;
            s.close().await;
            return;
        }
        let url = crate::common::db_arg(&db).into_string().unwrap();
        let (admin, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .await
            .unwrap();
        // the typing stays; the save (once the window heard the session end) connects again
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(
            s.value("#requirement-form [name=brief]").await,
            "对接药房费用（断线后）"
        );
        s.click("#requirement-save").await;
        s.wait_text("#detail-number", "14061902").await;
        let shown = crate::common::stdout(&crate::common::genjin(&db, &["show", "14061902"]));
        assert!(shown.contains("对接药房费用（断线后）"), "{shown}");
    }
    s.close().await;
}
