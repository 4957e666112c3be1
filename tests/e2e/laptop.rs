//! Offline laptops in the window (issue 24): on 张三's laptop copy a report and a bug are filled
//! and wait in 待同步 (with a count on the menu); 同步（网络） sends them; at the department the
//! collector finds them in 待登记, imports another laptop's sync file (writing its reply), and
//! registers all three; back on the laptop a sync brings the numbers. The department is on the
//! run's engine, the laptops are files.

use crate::common::db_arg;
use crate::harness::{cli, Session};
use std::path::Path;
use std::process::Command;

/// The real binary on a laptop's file (never the test server).
fn on_laptop(lap: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_genjin"))
        .arg("--db")
        .arg(lap)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

async fn on_laptop_window(dir: tempfile::TempDir, lap: &Path) -> Session {
    let s = Session::launch(
        dir,
        env!("CARGO_BIN_EXE_genjin"),
        &["--db", lap.to_str().unwrap()],
    )
    .await;
    // the laptop's person operates it (its copy says so)
    s.shows_operating("张三").await;
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_fills_reports_offline_syncs_and_the_collector_numbers_them() {
    let work = tempfile::tempdir().unwrap();
    let dept = work.path().join("部门.sqlite3");
    cli(
        &dept,
        &[
            "add-person",
            "--name",
            "李收集",
            "--roles",
            "需求收集人,决策组",
        ],
    );
    cli(
        &dept,
        &["add-person", "--name", "张三", "--roles", "需求报告人"],
    );
    cli(
        &dept,
        &["add-person", "--name", "王五", "--roles", "需求报告人"],
    );
    let lap = work.path().join("外出-张三.sqlite3");
    let lap_b = work.path().join("外出-王五.sqlite3");
    cli(
        &dept,
        &["copy-db", "--to", lap.to_str().unwrap(), "--for", "张三"],
    );
    cli(
        &dept,
        &["copy-db", "--to", lap_b.to_str().unwrap(), "--for", "王五"],
    );
    // 王五 is offline for good: his report comes by file
    on_laptop(&lap_b, &["submit", "--summary", "随访 提醒"]);
    let file_b = work.path().join("外出同步-王五.genjin");
    on_laptop(&lap_b, &["sync", "--out", file_b.to_str().unwrap()]);
    let url = db_arg(&dept).to_string_lossy().into_owned();

    // on the laptop: a report and a bug, waiting
    let s = on_laptop_window(tempfile::tempdir().unwrap(), &lap).await;
    s.wait_text("#nav-new", "填写需求报告").await;
    assert_eq!(s.attr("#nav-inbox", "hidden").await.as_deref(), Some(""));
    s.click("#nav-new").await;
    s.wait_css("#laptop-report-hint").await;
    // its photos travel with it
    s.wait_css("#report-pick").await;
    assert!(
        s.client
            .find(fantoccini::Locator::Css(
                "#requirement-form [name=received_date]"
            ))
            .await
            .is_err(),
        "a laptop gives no received date: the collector numbers a report"
    );
    s.fill("#requirement-form [name=requester]", "赵医生").await;
    s.fill("#requirement-form [name=brief]", "处方 打印").await;
    s.click("#requirement-save").await;
    s.wait_text("h1", "待同步").await;
    s.wait_text("#pending tbody", "处方 打印").await;
    s.wait_text("#sync-badge", "1").await;
    s.go("#/bugs/new").await;
    s.wait_text("h1", "报告 Bug（外出，待同步）").await;
    s.fill("#bug-form [name=found_date]", &crate::common::today_iso())
        .await;
    s.fill("#bug-form [name=phone_model]", "iPhone 12").await;
    s.fill("#bug-form [name=os_version]", "iOS 17").await;
    s.fill("#bug-form [name=content]", "打开问卷闪退").await;
    s.click("#bug-submit").await;
    s.wait_text("#pending tbody", "打开问卷闪退").await;
    s.wait_text("#sync-badge", "2").await;
    let rows = s.texts("#pending .standing").await;
    assert_eq!(rows, ["待发送", "待发送"], "{rows:?}");
    s.screenshot("laptop-pending").await;

    // back in the office: 同步（网络）
    s.click("#sync-with").await;
    s.fill("#sync-with-dialog [name=url]", &url).await;
    s.click("#sync-with-dialog button[type=submit]").await;
    s.wait_text("#sync-said", "送达 2 条").await;
    s.wait_text("#pending .standing", "已送达，待登记").await;
    s.close().await;

    // at the department: 待登记, another laptop's file, and the numbers
    let s = Session::start_on(tempfile::tempdir().unwrap(), dept.clone()).await;
    s.opened_by("李收集").await;
    s.wait_text("#inbox-badge", "2").await;
    s.click("#nav-inbox").await;
    s.wait_text("#inbox tbody", "处方 打印").await;
    let reply_b = work.path().join("回执-王五.genjin");
    s.client
        .execute(
            "window.__genjinOpenAnswer = arguments[0];",
            vec![file_b.to_string_lossy().to_string().into()],
        )
        .await
        .unwrap();
    s.answer_save_dialog(&reply_b).await;
    s.click("#inbox-import").await;
    s.wait_text("#inbox-said", "送达 1 条").await;
    s.wait_text("#inbox tbody", "随访 提醒").await;
    s.wait_text("#inbox-badge", "3").await;
    s.screenshot("department-inbox").await;
    assert!(reply_b.exists(), "the reply for 王五 is written");
    let mut numbers = Vec::new();
    for left in (0..3).rev() {
        s.click("#inbox tbody tr:first-child button.accept").await;
        s.wait_css("#accept-dialog").await;
        s.click("#accept-dialog button[type=submit]").await;
        s.wait_gone("#accept-dialog").await;
        s.wait_text("#inbox-count", &format!("{left} 份等待登记"))
            .await;
        let said = s.wait_text("#inbox-said", "编号").await;
        numbers.push(said.rsplit(' ').next().unwrap().to_string());
    }
    s.wait_css("#inbox-empty").await;
    let mut distinct = numbers.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{numbers:?}");
    s.close().await;

    // the laptop learns its numbers
    let s = on_laptop_window(tempfile::tempdir().unwrap(), &lap).await;
    s.go("#/sync").await;
    s.click("#sync-with").await;
    s.fill("#sync-with-dialog [name=url]", &url).await;
    s.click("#sync-with-dialog button[type=submit]").await;
    s.wait_text("#sync-said", "已登记").await;
    s.wait_css("#pending-empty").await;
    s.go("#/register").await;
    s.wait_text("#view table", "处方 打印").await;
    s.screenshot("laptop-registered").await;
    s.close().await;
    // 王五's reply was written when his file arrived, before the collector registered it: it
    // says it arrived; his next file's reply brings the number
    on_laptop(&lap_b, &["sync", "--in", reply_b.to_str().unwrap()]);
    assert!(on_laptop(&lap_b, &["pending"]).contains("已送达，待登记"));
    let again = work.path().join("外出同步-王五-2.genjin");
    let reply_again = work.path().join("回执-王五-2.genjin");
    on_laptop(&lap_b, &["sync", "--out", again.to_str().unwrap()]);
    cli(
        &dept,
        &[
            "sync",
            "--in",
            again.to_str().unwrap(),
            "--reply",
            reply_again.to_str().unwrap(),
        ],
    );
    let said = on_laptop(&lap_b, &["sync", "--in", reply_again.to_str().unwrap()]);
    assert!(said.contains("已登记"), "{said}");
    let register = on_laptop(&lap_b, &["register"]);
    assert!(register.contains("随访 提醒"), "{register}");
}
