//! Each test is a flow a user performs in the window.

use crate::harness::Session;

/// Every role, ticked by a first person who does everything in a one-person test office (issue
/// 19: nobody is given roles silently).
const EVERY_ROLE: &str = "需求报告人,需求收集人,决策组,产品经理,IT,测试";

async fn first_start_as(s: &Session, name: &str) {
    s.wait_css("#operator-dialog").await;
    s.fill("#operator-dialog input[name=name]", name).await;
    s.fill("#operator-dialog input[name=department]", "资讯部")
        .await;
    s.click("#operator-dialog input[value=需求收集人]").await;
    first_password(s, "#operator-dialog").await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-name", name).await;
}

/// On a shared database the first person sets their password as they are added (issue 22):
/// the dialog `css` asks for it there, and only there.
pub async fn first_password(s: &Session, css: &str) {
    if crate::common::on_server() {
        s.fill(&format!("{css} input[name=password]"), "lixiaosi1")
            .await;
        s.fill(&format!("{css} input[name=again]"), "lixiaosi1")
            .await;
    } else {
        let asked = s
            .client
            .execute(
                "return document.querySelectorAll(arguments[0]).length",
                vec![serde_json::json!(format!("{css} input[name=password]"))],
            )
            .await
            .unwrap();
        assert_eq!(asked, serde_json::json!(0), "a file asks for no password");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_create_find_in_register_decide_and_complete() {
    let s = Session::start().await;
    s.screenshot("01-first-start").await;
    first_start_as(&s, "李小四").await;

    // New requirement through the form; Enter in a field saves it.
    s.click("#nav-new").await;
    s.wait_css("#requirement-form").await;
    s.fill("#requirement-form [name=received_date]", "2014-06-19")
        .await;
    s.fill("#requirement-form [name=reporter]", "刘小妹").await;
    s.fill("#requirement-form [name=requester]", "郭主任").await;
    s.fill("#requirement-form [name=hospital]", "省二院").await;
    s.fill(
        "#requirement-form [name=doctor_words]",
        "问卷能不能自动算分？",
    )
    .await;
    s.screenshot("02-new-requirement").await;
    s.fill_and_enter("#requirement-form [name=brief]", "问卷自动计分")
        .await;
    s.wait_text("#detail-number", "14061901").await;

    // A second one the same day gets the next number. The reporter is asked for, not assumed
    // to be the operator, and a report dated after its receipt is refused on its field.
    s.click("#nav-new").await;
    assert_eq!(s.value("#requirement-form [name=reporter]").await, "");
    assert_eq!(s.value("#requirement-form [name=report_date]").await, "");
    s.fill("#requirement-form [name=received_date]", "2014-06-19")
        .await;
    s.fill("#requirement-form [name=brief]", "对接药房费用")
        .await;
    s.click("#requirement-save").await;
    // the error sits under its field and goes when the field is corrected
    s.wait_text(
        "#requirement-form [name=reporter] + .field-error",
        "请填写填表人",
    )
    .await;
    s.fill("#requirement-form [name=reporter]", "陈小美").await;
    s.wait_gone("#requirement-form .field-error").await;
    s.fill("#requirement-form [name=report_date]", "2014-06-20")
        .await;
    s.click("#requirement-save").await;
    s.wait_text(
        "#requirement-form [name=report_date] + .field-error",
        "不能晚于收到日期",
    )
    .await;
    s.screenshot("form-field-error").await;
    s.fill("#requirement-form [name=report_date]", "2014-06-18")
        .await;
    s.click("#requirement-save").await;
    s.wait_text("#detail-number", "14061902").await;

    // Both are in the register with their numbers and the reporter/requester columns.
    s.client
        .goto("tauri://localhost/index.html#/register")
        .await
        .ok();
    s.click("nav a[data-route=register]").await;
    s.wait_text("#register-count", "共 2 条").await;
    let cells = s.texts("#register tr[data-number='14061901'] td").await;
    assert_eq!(&cells[..3], ["14061901", "刘小妹", "郭主任"]);
    assert_eq!(cells[8], "问卷自动计分");
    s.screenshot("03-register").await;

    // Search narrows the register.
    s.fill("#register-search", "药房").await;
    s.wait_text("#register-count", "共 1 条").await;
    s.fill("#register-search", "").await;
    s.wait_text("#register-count", "共 2 条").await;

    // Decide 做 / C: the register shows the decision; then completion turns the status to 完成.
    s.click("#register tr[data-number='14061901'] td.num").await;
    s.wait_text("#detail-number", "14061901").await;
    s.select("#step-decision select[name=decision]", "做").await;
    s.select("#step-decision select[name=grade]", "C").await;
    s.click("#step-decision button[type=submit]").await;
    s.wait_text("#card-decision .current", "决策结果：做").await;
    s.screenshot("04-decided").await;
    s.fill("#step-expected [name=date]", "2014-06-25").await;
    s.click("#step-expected button[type=submit]").await;
    s.wait_text("#card-expected .current", "20140625").await;
    s.fill("#step-complete [name=date]", "2014-06-25").await;
    s.click("#step-complete button[type=submit]").await;
    s.wait_text("#status-badge", "完成").await;

    s.click("nav a[data-route=register]").await;
    s.wait_text("#register tr[data-number='14061901'] td.status", "完成")
        .await;
    assert_eq!(
        s.text("#register tr[data-number='14061902'] td.status")
            .await,
        ""
    );

    // A refused decision shows the rule in Chinese and changes nothing.
    s.click("#register tr[data-number='14061902'] td.num").await;
    s.wait_text("#detail-number", "14061902").await;
    s.select("#step-decision select[name=decision]", "做").await;
    s.click("#step-decision button[type=submit]").await;
    s.wait_text("#step-decision .error-text", "必须选择需求分级")
        .await;
    s.wait_text("#card-decision .current", "尚未决策").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_and_history_close_the_loop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    // Prepared through the command line: the window must show what the CLI wrote.
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&[
        "add-person",
        "--name",
        "李小四",
        "--department",
        "资讯部",
        "--roles",
        "需求收集人",
    ]);
    cli(&[
        "add-requirement",
        "--received",
        "2014-06-19",
        "--reporter",
        "刘小妹",
        "--summary",
        "问卷自动计分",
        "--requester",
        "郭主任",
    ]);
    cli(&[
        "decide",
        "14061901",
        "--decision",
        "需求转换",
        "--grade",
        "B",
        "--conversion",
        "改为量表自动计分",
    ]);

    let s = Session::start_on(dir, db).await;
    // The database's first person operates it: the window opens on their to-do.
    s.opened_by("李小四").await;
    s.wait_text("#operator-name", "李小四").await;

    s.client
        .goto("tauri://localhost/index.html#/req/14061901/notify")
        .await
        .ok();
    s.wait_css("#notifications").await;
    let msg = s
        .wait_text(
            ".notice[data-step=决策结果][data-audience=需求报告人] .message",
            "14061901",
        )
        .await;
    assert!(
        msg.contains("决策结果：需求转换") && msg.contains("请转告需求人郭主任"),
        "{msg}"
    );
    // IT is told about every 需求转换
    s.wait_text(".notice[data-audience=IT部] .message", "IT部")
        .await;
    s.click(".notice[data-audience=需求报告人] form input[name=confirmed]")
        .await;
    s.click(".notice[data-audience=需求报告人] form button[type=submit]")
        .await;
    s.wait_text(".notice[data-audience=需求报告人] h3", "已确认已知")
        .await;
    s.wait_text(".notice[data-audience=需求人] h3", "未通知")
        .await;
    s.screenshot("05-notifications").await;

    s.click("#tab-history").await;
    let history = s.wait_text("#history", "通知").await;
    assert!(
        history.contains("决策结果") && history.contains("需求转换"),
        "{history}"
    );
    assert!(
        history.contains("命令行") && history.contains("窗口"),
        "origins are shown: {history}"
    );
    s.screenshot("06-history").await;

    // Withdraw keeps the number; the register hides it until asked.
    s.click("#tab-flow").await;
    s.click("#withdraw").await;
    s.fill_and_enter("dialog input[name=reason]", "重复登记")
        .await;
    s.wait_text("#status-badge", "已撤回").await;
    s.click("nav a[data-route=register]").await;
    s.wait_text("#register-count", "共 0 条").await;
    s.click("#register-filters input[name=include_withdrawn]")
        .await;
    s.wait_text("#register-count", "共 1 条").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_operator_switch_and_report_edit() {
    let s = Session::start().await;
    first_start_as(&s, "李小四").await;

    // Add a product manager in 人员, then edit her department.
    s.click("nav a[data-route=people]").await;
    s.wait_text("#people", "李小四").await;
    s.click("#person-add").await;
    s.fill("dialog input[name=name]", "王产品").await;
    s.fill("dialog input[name=department]", "推广部").await;
    s.click("dialog input[value=产品经理]").await;
    s.click("dialog input[value=需求报告人]").await;
    s.click("dialog button[type=submit]").await;
    s.wait_text("#people tr[data-name=王产品]", "产品经理")
        .await;
    s.click("#people tr[data-name=王产品] button.edit").await;
    s.fill("dialog input[name=department]", "策划部").await;
    s.click("dialog button[type=submit]").await;
    s.wait_text("#people tr[data-name=王产品]", "策划部").await;
    // A duplicate is refused with the reason, inside the dialog; Esc closes it.
    s.click("#person-add").await;
    s.fill("dialog input[name=name]", "王产品").await;
    s.fill("dialog input[name=department]", "策划部").await;
    s.click("dialog button[type=submit]").await;
    s.wait_text("dialog .error-text", "已存在").await;
    s.screenshot("07-people-duplicate").await;
    let esc: char = fantoccini::key::Key::Escape.into();
    s.send_keys("dialog input[name=name]", &esc.to_string())
        .await;
    s.wait_gone("dialog").await;

    // Register one as 李小四, then switch to 王产品 and edit the report.
    s.click("#nav-new").await;
    s.fill("#requirement-form [name=received_date]", "2014-06-20")
        .await;
    s.fill("#requirement-form [name=reporter]", "李小四").await;
    s.fill_and_enter("#requirement-form [name=brief]", "处方模板共享")
        .await;
    s.wait_text("#detail-number", "14062001").await;
    if crate::common::on_server() {
        // on a shared database switching person is signing in with their own password
        // (issue 22): together.rs
        s.close().await;
        return;
    }

    s.click("#operator-switch").await;
    s.wait_css("#operator-dialog").await;
    let pm_id = s
        .client
        .execute(
            "return [...document.querySelectorAll('#operator-dialog select[name=person] option')]\
             .find(o => o.textContent.startsWith('王产品')).value;",
            vec![],
        )
        .await
        .unwrap();
    s.select(
        "#operator-dialog select[name=person]",
        pm_id.as_str().unwrap(),
    )
    .await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-name", "王产品").await;

    s.click("#edit-report").await;
    assert!(
        s.attr("#requirement-form [name=received_date]", "readonly")
            .await
            .is_some(),
        "the received date made the number"
    );
    s.fill_and_enter("#requirement-form [name=brief]", "处方模板 科室共享")
        .await;
    s.wait_text("#detail-number", "14062001").await;
    s.click("#tab-history").await;
    let history = s.wait_text("#history", "处方模板 科室共享").await;
    let row = history
        .lines()
        .find(|l| l.contains("需求梗概"))
        .unwrap_or_default()
        .to_string();
    assert!(
        row.contains("王产品"),
        "the edit is attributed to the new operator: {history}"
    );
    // a product manager (and reporter) may not record a decision nor withdraw: the core closes
    // those steps for this operator and says why
    s.click("#tab-flow").await;
    s.wait_text(
        "#view",
        "你的角色不能记录决策（需要：决策组 或 需求收集人）",
    )
    .await;
    assert!(
        s.client
            .find(fantoccini::Locator::Css("#withdraw"))
            .await
            .is_err(),
        "no 撤回 for a role that may not"
    );
    s.screenshot("07-role-closed-steps").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_wizard_previews_remaps_and_commits() {
    let s = Session::start().await;
    first_start_as(&s, "李小四").await;
    s.click("#nav-import").await;
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    s.fill("#import-form [name=paths]", fixtures.to_str().unwrap())
        .await;
    s.click("#import-load").await;
    s.wait_text("#import-summary", "将新建 102 条").await;
    s.wait_text(
        "[data-file='Bug收集反馈表_2014.xlsx']",
        "Bug收集反馈表，30 行",
    )
    .await;
    s.wait_text("#import-bugs", "将新建 30 个").await;
    s.wait_text("#import-skipped", "expected.json").await;
    s.wait_text("#import-forms", "需求报告表 2 份").await;
    s.screenshot("08-import-preview").await;

    // Correct the mapping: the 2014 register's 备注 column is not to be imported.
    s.select(
        "[data-file='需求登记反馈表_2014.xlsx'] select[data-column='9']",
        "",
    )
    .await;
    s.wait_css("#import-summary[data-revision='2']").await;
    s.wait_text("#import-summary", "将新建 102 条").await;
    assert_eq!(
        s.value("[data-file='需求登记反馈表_2014.xlsx'] select[data-column='9']")
            .await,
        ""
    );

    s.click("#import-commit").await;
    s.wait_text("#import-done", "新建 102 条").await;
    s.screenshot("09-import-done").await;
    s.click("nav a[data-route=register]").await;
    s.wait_text("#register-count", "共 102 条").await;
    s.screenshot("11-register-after-import").await;
    // the register as filtered, every page of it, where the user saves it
    let out = std::env::temp_dir().join(format!("登记表-e2e-{}.xlsx", std::process::id()));
    s.answer_save_dialog(&out).await;
    s.click("#export-register").await;
    s.wait_text("#toasts", "已导出 102 条需求").await;
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    let _ = std::fs::remove_file(&out);
    // without its 备注 the delay of 14061914 was not imported: not 延期; its promise of
    // 2014-06-25 passed without completion or an approved delay, so it shows as overdue
    s.fill("#register-search", "14061914").await;
    s.wait_text("#register-count", "共 1 条").await;
    assert_eq!(
        s.text("#register tr[data-number='14061914'] td.status")
            .await,
        "逾期"
    );
    // the 2015 register kept its 备注: 15030401 is 延期
    s.fill("#register-search", "15030401").await;
    s.wait_text("#register tr[data-number='15030401'] td.status", "延期")
        .await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_wizard_takes_picked_files() {
    let s = Session::start().await;
    first_start_as(&s, "李小四").await;
    s.click("#nav-import").await;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/legacy/需求登记反馈表_2015.xls")
        .canonicalize()
        .unwrap();
    // The pickers a user sees are the system's dialogs, in Chinese; the browser's own file
    // input ("Choose Files") is not shown.
    s.wait_text("#import-pick-files", "选择文件…").await;
    s.wait_text("#import-pick-folder", "选择文件夹…").await;
    let shown = s
        .client
        .execute(
            "return document.querySelector('#import-form input[type=file]').getBoundingClientRect().width;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        shown.as_f64().unwrap() <= 1.0,
        "the file input shows: {shown}"
    );
    // WebDriver fills that (hidden) file input with a path; the page reads the bytes, sends
    // them and previews at once.
    s.send_keys("#import-form input[type=file]", file.to_str().unwrap())
        .await;
    s.wait_text("#import-summary", "将新建 40 条").await;
    s.click("#import-commit").await;
    s.wait_text("#import-done", "新建 40 条").await;
    // the same file again: nothing new
    s.click("#nav-import").await;
    s.send_keys("#import-form input[type=file]", file.to_str().unwrap())
        .await;
    s.wait_text("#import-summary", "40 条不变").await;
    assert!(
        s.attr("#import-commit", "disabled").await.is_some(),
        "nothing to write"
    );
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_conflicts_are_decided_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&[
        "add-person",
        "--name",
        "李小四",
        "--department",
        "资讯部",
        "--roles",
        EVERY_ROLE,
    ]);
    // Eleven registered by hand on 2014-06-19: the tenth is the legacy register's 14061910 (the
    // same reporter and summary, decided differently); the eleventh is another requirement under
    // the legacy 14061911's number (issue 19: a number clash, refused with both shown).
    for i in 1..=11 {
        let (reporter, summary) = match i {
            10 => ("李小四".to_string(), "需求反馈制度".to_string()),
            _ => ("张三".to_string(), format!("手工{i}")),
        };
        cli(&[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            &reporter,
            "--requester",
            if i == 11 { "沈丽" } else { "" },
            "--summary",
            &summary,
        ]);
    }
    cli(&["decide", "14061910", "--decision", "再议"]);

    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.click("#nav-import").await;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/legacy/需求登记反馈表_2014.xlsx");
    s.fill("#import-form [name=paths]", file.to_str().unwrap())
        .await;
    s.click("#import-load").await;
    // the requester is filled in; the rest of 14061910 differs
    s.wait_text("#import-summary", "将新建 58 条，更新 1 条")
        .await;
    let clash = s.wait_text("#import-rejected", "编号冲突").await;
    assert!(
        clash.contains("14061911") && clash.contains("手工11") && clash.contains("app视频会议系统"),
        "{clash}"
    );
    let conflicts = s.wait_text("#import-conflicts", "14061910").await;
    assert!(
        conflicts.contains("再议") && conflicts.contains("需求反馈制度"),
        "{conflicts}"
    );
    assert!(
        !conflicts.contains("reporter"),
        "no codes shown to people: {conflicts}"
    );
    // registered in Genjin: its decision and delivery are recorded here, never by a file
    assert!(
        s.text("[data-conflict='14061910:decision']")
            .await
            .contains("不导入"),
        "{conflicts}"
    );
    // take the file's summary only
    s.select("select[data-conflict='14061910:brief']", "take")
        .await;
    s.wait_css("#import-summary[data-revision='2']").await;
    s.screenshot("10-import-conflicts").await;
    s.click("#import-commit").await;
    s.wait_text("#import-done", "新建 58 条，更新 1 条").await;

    s.client
        .goto("tauri://localhost/index.html#/req/14061910/details")
        .await
        .ok();
    s.wait_text("#tab-body", "制作需求反馈制度").await; // taken: the summary
    s.click("nav a[data-route=register]").await;
    s.fill("#register-search", "14061910").await;
    let cells = s
        .wait_text("#register tr[data-number='14061910']", "再议")
        .await;
    assert!(
        cells.contains("李小四") && cells.contains("王总") && !cells.contains("完成"),
        "the decision kept, the requester filled in, not delivered by a file: {cells}"
    );
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_with_warnings_on_every_row_previews_them_grouped_and_capped() {
    // 600 rows whose 状态 column contradicts the record (one reason: one line) and whose 收到日期
    // contradicts the number, each differently (600 reasons: the first 500 are listed)
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("旧登记表.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let heads = ["需求编号", "填表人", "需求状态", "需求梗概", "收到日期"];
    for (c, head) in heads.iter().enumerate() {
        ws.write_string(0, c as u16, *head).unwrap();
    }
    for i in 0..600u32 {
        let number = format!("1406{:02}{:02}", 1 + i / 99, 1 + i % 99);
        ws.write_string(i + 1, 0, &number).unwrap();
        ws.write_string(i + 1, 1, "张三").unwrap();
        ws.write_string(i + 1, 2, "完成").unwrap();
        ws.write_string(i + 1, 3, "旧需求").unwrap();
        ws.write_string(i + 1, 4, format!("{}-01-01", 2100 + i))
            .unwrap();
    }
    wb.save(&file).unwrap();

    let s = Session::start().await;
    first_start_as(&s, "李小四").await;
    s.click("#nav-import").await;
    s.fill("#import-form [name=paths]", file.to_str().unwrap())
        .await;
    s.click("#import-load").await;
    s.wait_text("#import-summary", "将新建 600 条").await;
    s.wait_text("#import-warnings", "第 2–601 行（600 行）")
        .await;
    s.wait_text("#import-warnings-more", "还有 101 条未列出")
        .await;
    assert_eq!(s.texts("#import-warnings tbody tr").await.len(), 500);
    s.screenshot("12-import-long-preview").await;
    s.client
        .execute(
            "document.querySelector('#import-warnings-more').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    s.screenshot("13-import-long-preview-end").await;
    s.click("#import-commit").await;
    s.wait_text("#import-done", "新建 600 条").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_and_the_holiday_list() {
    let s = Session::start().await;
    first_start_as(&s, "李小四").await;
    s.click("#nav-settings").await;
    s.wait_text("#settings tr[data-key='calendar.mode'] .value", "工作日")
        .await;

    // A holiday and a make-up workday go on the list; a bad day is refused where it was typed.
    s.fill("#calendar-add [name=day]", "2014-13-01").await;
    s.click("#calendar-add button[type=submit]").await;
    s.wait_text("#calendar-add .error-text", "不是有效日期")
        .await;
    s.fill("#calendar-add [name=day]", "2014-10-01").await;
    s.fill("#calendar-add [name=name]", "国庆节").await;
    s.click("#calendar-add button[type=submit]").await;
    s.wait_text("#calendar-days tr[data-day='2014-10-01']", "国庆节")
        .await;
    s.fill("#calendar-add [name=day]", "2014-10-11").await;
    s.select("#calendar-add [name=kind]", "workday").await;
    s.fill("#calendar-add [name=name]", "国庆调休").await;
    s.click("#calendar-add button[type=submit]").await;
    s.wait_text("#calendar-days tr[data-day='2014-10-11']", "调休上班")
        .await;
    s.screenshot("settings-calendar").await;

    // A closed-list setting is chosen from the values its module declares; a free one is
    // checked by that module.
    s.click("#settings tr[data-key='calendar.mode'] button.edit")
        .await;
    s.select("#setting-dialog [name=value]", "calendar_days")
        .await;
    s.click("#setting-dialog button[type=submit]").await;
    s.wait_text("#settings tr[data-key='calendar.mode'] .value", "自然日")
        .await;
    s.click("#settings tr[data-key='numbering.bug.prefix'] button.edit")
        .await;
    s.fill("#setting-dialog [name=value]", "").await;
    s.click("#setting-dialog button[type=submit]").await;
    s.wait_text("#setting-dialog .error-text", "必须有前缀")
        .await;
    s.fill("#setting-dialog [name=value]", "BUG").await;
    s.click("#setting-dialog button[type=submit]").await;
    s.wait_text(
        "#settings tr[data-key='numbering.bug.prefix'] .value",
        "BUG",
    )
    .await;

    // Removing a day takes it off the list.
    s.click("#calendar-days tr[data-day='2014-10-01'] button.danger")
        .await;
    s.wait_gone("#calendar-days tr[data-day='2014-10-01']")
        .await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_needs_a_promise_and_lateness_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&["add-person", "--name", "李小四", "--roles", "需求收集人"]);
    for brief in ["问卷自动计分", "对接药房费用"] {
        cli(&[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            brief,
        ]);
    }
    for n in ["14061901", "14061902"] {
        cli(&[
            "decide",
            n,
            "--decision",
            "做",
            "--grade",
            "C",
            "--at",
            "2014-06-21 10:30",
        ]);
    }
    cli(&[
        "expect",
        "14061901",
        "--date",
        "2014-06-25",
        "--at",
        "2014-06-23 09:00",
    ]);

    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.wait_text("#operator-name", "李小四").await;

    // Right after the decision, ⑤ 完成交付 is not offered: no date was promised yet, and the
    // date field is not prefilled with today.
    s.client
        .goto("tauri://localhost/index.html#/req/14061902")
        .await
        .ok();
    s.wait_text("#detail-number", "14061902").await;
    s.wait_text("#card-complete", "先记录④预期交付日").await;
    assert!(s
        .attr("#step-complete button[type=submit]", "disabled")
        .await
        .is_some());
    assert_eq!(s.value("#step-complete [name=date]").await, "");

    // The promised 2014-06-25 has passed: the header says 逾期, as the register does.
    s.client
        .goto("tauri://localhost/index.html#/req/14061901")
        .await
        .ok();
    s.wait_text("#detail-number", "14061901").await;
    s.wait_text("#overdue-badge", "逾期").await;
    assert!(s
        .attr("#step-complete button[type=submit]", "disabled")
        .await
        .is_none());
    // Completed after the promise with no approved delay: accepted, and shown as late.
    s.fill("#step-complete [name=date]", "2014-06-30").await;
    s.click("#step-complete button[type=submit]").await;
    s.wait_text("#status-badge", "完成").await;
    s.wait_text("#late-badge", "逾期交付").await;
    s.wait_text("#card-complete #late-note", "晚于承诺交付日 20140625")
        .await;
    s.wait_gone("#overdue-badge").await;
    s.screenshot("late-delivery").await;

    s.click("nav a[data-route=register]").await;
    s.wait_text("#register tr[data-number='14061901'] td.status", "完成")
        .await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_pages_jump_and_filters_overdue_and_all_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&["add-person", "--name", "李小四", "--roles", "需求收集人"]);
    for i in 0..120 {
        let day = if i < 60 { "2014-06-19" } else { "2014-06-20" };
        let brief = if i % 10 == 0 {
            format!("随访 短信 {i}")
        } else {
            format!("随访 问卷 {i}")
        };
        cli(&[
            "add-requirement",
            "--received",
            day,
            "--reporter",
            "张三",
            "--summary",
            &brief,
        ]);
    }
    for n in ["14061901", "14061902"] {
        cli(&["decide", n, "--decision", "做", "--grade", "B"]);
        cli(&["expect", n, "--date", "2014-06-25"]);
    }

    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.go("#/register").await;
    s.wait_text("#register-count", "共 120 条，第 1 / 3 页")
        .await;
    assert!(s.attr("#page-first", "disabled").await.is_some());
    s.click("#page-last").await;
    s.wait_text("#register-count", "第 3 / 3 页").await;
    assert!(s.attr("#page-last", "disabled").await.is_some());
    s.fill_and_enter("#page-jump", "2").await;
    s.wait_text("#register-count", "第 2 / 3 页").await;
    s.fill_and_enter("#page-jump", "99").await;
    s.wait_text("#register-count", "第 3 / 3 页").await;
    s.click("#page-first").await;
    s.wait_text("#register-count", "第 1 / 3 页").await;

    // 逾期: promised 2014-06-25, not delivered
    s.select("#register-filters select[name=status]", "逾期")
        .await;
    s.wait_text("#register-count", "共 2 条").await;
    s.select("#register-filters select[name=status]", "").await;
    s.wait_text("#register-count", "共 120 条").await;
    // keywords separated by a space must all appear
    s.fill("#register-search", "随访 短信").await;
    s.wait_text("#register-count", "共 12 条").await;
    s.screenshot("register-paged-search").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_is_kept_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&["add-person", "--name", "李小四", "--roles", "需求收集人"]);
    for brief in ["问卷自动计分", "对接药房费用", "病友圈"] {
        cli(&[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            brief,
        ]);
    }
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.go("#/register").await;
    s.wait_text("#register-count", "共 3 条").await;
    let active = || async {
        s.client
            .execute(
                "return document.activeElement.dataset.number || '';",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // one tab stop for the rows; the sort buttons are not tab stops
    assert_eq!(
        s.attr("#register tr[data-number='14061902']", "tabindex")
            .await
            .as_deref(),
        Some("-1")
    );
    assert_eq!(
        s.attr("#register th button[data-sort]", "tabindex")
            .await
            .as_deref(),
        Some("-1")
    );
    let down = fantoccini::key::Key::Down.into();
    let down: char = down;
    s.send_keys("#register tr[data-number='14061903']", &down.to_string())
        .await;
    assert_eq!(active().await, "14061902");
    let enter: char = fantoccini::key::Key::Enter.into();
    s.send_keys("#register tr[data-number='14061902']", &enter.to_string())
        .await;
    s.wait_text("#detail-number", "14061902").await;
    // Esc goes back to the register
    let esc: char = fantoccini::key::Key::Escape.into();
    s.send_keys("#tab-flow", &esc.to_string()).await;
    s.wait_text("#register-count", "共 3 条").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_1024_px_minimum_nothing_scrolls_sideways() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&["add-person", "--name", "李小四", "--roles", "需求收集人"]);
    cli(&[
        "add-requirement",
        "--received",
        "2014-06-19",
        "--reporter",
        "刘小妹",
        "--summary",
        "问卷 自动计分 随访 短信 提醒 病友圈 药房 费用 对接",
    ]);
    cli(&[
        "decide",
        "14061901",
        "--decision",
        "需求转换",
        "--grade",
        "B",
        "--conversion",
        "改为量表自动计分并归档到随访记录",
    ]);
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.go("#/register").await;
    s.wait_text("#register-count", "共 1 条").await;
    for (w, h) in [(1366, 768), (1024, 640)] {
        s.client.set_window_size(w, h).await.unwrap();
        for (hash, ready, name) in [
            ("#/register", "#register-count", "register"),
            ("#/new", "#requirement-form", "new"),
            ("#/req/14061901", "#detail-number", "detail"),
        ] {
            s.client
                .goto(&format!("tauri://localhost/index.html{hash}"))
                .await
                .ok();
            s.wait_css(ready).await;
            s.screenshot(&format!("{w}-{name}")).await;
            let sideways = s
                .client
                .execute(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                sideways.as_i64().unwrap_or(0) <= 0,
                "{name} at {w}px scrolls sideways by {sideways}"
            );
        }
        // the filter bar: every field and button one height, each row's fields on one line
        s.client
            .goto("tauri://localhost/index.html#/register")
            .await
            .ok();
        s.wait_css("#register-count").await;
        let heights = s
            .client
            .execute(
                "const f = document.querySelector('#register-filters');
                 const controls = [...f.querySelectorAll('input:not([type=checkbox]), select, button')];
                 const hs = [...new Set(controls.map((c) => Math.round(c.getBoundingClientRect().height)))];
                 const bottoms = {};
                 for (const c of controls) {
                   const r = c.getBoundingClientRect();
                   (bottoms[Math.round(r.top / 20)] ||= new Set()).add(Math.round(r.bottom));
                 }
                 return [hs, Object.values(bottoms).map((b) => b.size)];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            heights[0].as_array().map(Vec::len),
            Some(1),
            "filter controls of different heights at {w}px: {heights}"
        );
        assert!(
            heights[1]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n.as_u64() == Some(1)),
            "filter controls not aligned on their line at {w}px: {heights}"
        );
        // the import preview's column mapping: an even grid, nothing sideways
        s.client
            .goto("tauri://localhost/index.html#/import")
            .await
            .ok();
        s.fill(
            "#import-form [name=paths]",
            &format!(
                "{}/../shared/fixtures/legacy/需求登记反馈表_2014.xlsx",
                env!("CARGO_MANIFEST_DIR")
            ),
        )
        .await;
        s.click("#import-load").await;
        s.wait_text("#import-summary", "将新建").await;
        s.screenshot(&format!("{w}-import-preview")).await;
        let sideways = s
            .client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            sideways.as_i64().unwrap_or(0) <= 0,
            "the import preview at {w}px scrolls sideways by {sideways}"
        );
    }
    s.close().await;
}

/// Issue 9: from a promised requirement, file a 需求延期交付申请, record the three signatures
/// in order as the paper comes back (总经办 by the decision group), and see 延期 with the first
/// promise in the register and the new date in force in the detail; the print view shows the
/// form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delay_is_filed_signed_and_takes_effect() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&[
        "add-person",
        "--name",
        "李小四",
        "--department",
        "资讯部",
        "--roles",
        "需求收集人",
    ]);
    cli(&[
        "add-person",
        "--name",
        "赵经理",
        "--department",
        "策划部",
        "--roles",
        "产品经理",
    ]);
    cli(&[
        "add-person",
        "--name",
        "王总",
        "--department",
        "总经办",
        "--roles",
        "决策组",
    ]);
    cli(&["add-person", "--name", "陈主管", "--department", "策划部"]);
    cli(&["add-person", "--name", "周部长", "--department", "策划部"]);
    cli(&[
        "add-requirement",
        "--received",
        "2014-06-19",
        "--reporter",
        "刘小妹",
        "--summary",
        "问卷 自动计分",
    ]);
    cli(&[
        "decide",
        "14061901",
        "--decision",
        "做",
        "--grade",
        "C",
        "--date",
        "2014-06-20",
    ]);
    cli(&["expect", "14061901", "--date", "2014-06-25"]);
    let db2 = db.clone();
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.go("#/register").await;
    s.wait_text("#register-count", "共 1 条").await;

    s.client
        .goto("tauri://localhost/index.html#/req/14061901/delays")
        .await
        .ok();
    s.wait_text("#delay-summary", "现行交付日：20140625").await;
    // the new date must be after the original: refused under its field
    s.fill("#delay-form [name=new_date]", "2014-06-20").await;
    s.fill("#delay-form [name=reason]", "实现难度大").await;
    s.click("#delay-submit").await;
    s.wait_text("#delay-form .field-error", "新交付日须晚于原交付日")
        .await;
    s.fill("#delay-form [name=new_date]", "2014-07-25").await;
    s.fill("#delay-form [name=filed_date]", "2014-06-23").await;
    // the collector types in the paper the product manager filled
    s.fill("#delay-form [name=applicant]", "赵经理").await;
    s.fill("#delay-form [name=applicant_department]", "策划部")
        .await;
    s.click("#delay-submit").await;
    s.wait_text(".card.delay [data-state]", "待签").await;
    // the applicant cannot file a second one while this one is being signed
    s.wait_text("#delay-why", "待签").await;

    // issue 20: a signature recorded for the wrong person is voided with its reason, then
    // recorded right; the lower levels take a name as written on the paper
    s.wait_text(".sign-form h4", "直接领导").await;
    s.fill(".sign-form [name=signer]", "周部长").await;
    s.select(".sign-form select[name=opinion]", "同意").await;
    s.fill(".sign-form [name=date]", "2014-06-24").await;
    s.click(".sign-form button[type=submit]").await;
    s.wait_text(".signoffs", "周部长").await;
    s.click("[id^=void-]").await;
    s.wait_css("#void-dialog").await;
    s.fill("#void-dialog [name=reason]", "签字人录错").await;
    s.screenshot("delay-void").await;
    s.click("#void-dialog button[type=submit]").await;
    s.wait_gone("#void-dialog").await;
    s.wait_text(".sign-form h4", "直接领导").await;
    for (level, signer, day) in [
        ("直接领导", "陈主管", "2014-06-24"),
        ("部门领导", "周部长", "2014-06-24"),
        ("总经办", "王总", "2014-06-25"),
    ] {
        s.wait_text(".sign-form h4", level).await;
        if level == "总经办" {
            s.select(".sign-form select[name=signer]", signer).await;
        } else {
            s.fill(".sign-form [name=signer]", signer).await;
        }
        s.select(".sign-form select[name=opinion]", "同意").await;
        s.fill(".sign-form [name=date]", day).await;
        s.click(".sign-form button[type=submit]").await;
        s.wait_text(".signoffs", signer).await;
    }
    s.wait_text(".card.delay [data-state]", "已批准").await;
    s.wait_text("#status-badge", "延期").await;
    s.wait_text("#delay-summary", "现行交付日：20140725").await;
    s.screenshot("delay-approved").await;
    // the signed paper, photographed (kept from the command line here: the window's button
    // opens the system's file dialog, which WebDriver cannot drive), is listed and shown
    let photo = std::env::temp_dir().join(format!("签字页-{}.png", std::process::id()));
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\n").unwrap();
    crate::harness::cli(&db2, &["delay", "attach", "1", photo.to_str().unwrap()]);
    let _ = std::fs::remove_file(&photo);
    s.client
        .goto("tauri://localhost/index.html#/req/14061901/flow")
        .await
        .ok();
    s.client
        .goto("tauri://localhost/index.html#/req/14061901/delays")
        .await
        .ok();
    s.wait_text("#attach-1", "上传签字扫描件").await;
    s.click("[data-scan]").await;
    s.wait_css("dialog img.scan").await;
    s.click("dialog button[type=submit]").await;
    s.wait_gone("dialog").await;
    // the notices of the approved delay (to the reporter, to the requester) are ready to send
    s.click("#tab-notify").await;
    s.wait_text("#tab-body", "新交付日为2014年7月25日").await;
    // 附表2 of the requirement, where the user saves it
    let form = std::env::temp_dir().join(format!("需求报告表-e2e-{}.xlsx", std::process::id()));
    s.answer_save_dialog(&form).await;
    s.click("#export-form").await;
    s.wait_text("#toasts", "已导出").await;
    assert_eq!(
        s.save_asked().await.last().map(String::as_str),
        Some("需求报告表14061901.xlsx"),
        "offered under the form's own name"
    );
    assert!(std::fs::read(&form).unwrap().starts_with(b"PK"));
    let _ = std::fs::remove_file(&form);
    // the requirement's history lists the application's own rows, each signature with its signer
    s.click("#tab-history").await;
    let history = s.wait_text("#history", "延期申请#1 总经办意见").await;
    assert!(
        history.contains("延期申请#1 创建") && history.contains("王总 同意（2014-06-25）"),
        "{history}"
    );

    // the register keeps the first promise, says 延期 and gives the new date in 备注
    s.client
        .goto("tauri://localhost/index.html#/register")
        .await
        .ok();
    s.wait_text("#register tbody tr[data-number='14061901']", "20140625")
        .await;
    let row = s.text("#register tbody tr[data-number='14061901']").await;
    assert!(
        row.contains("延期") && row.contains("延期到7月25日交付"),
        "{row}"
    );

    // the list of applications, and the print view of the form
    s.click("#nav-delays").await;
    s.wait_text("#delay-list tbody", "已批准").await;
    s.client
        .goto("tauri://localhost/index.html#/delay/1/print")
        .await
        .ok();
    s.wait_text("#delay-print", "需求延期交付申请").await;
    let form = s.text("#delay-print").await;
    assert!(
        form.contains("总经办意见：同意") && form.contains("王总"),
        "{form}"
    );
    s.screenshot("delay-print").await;
    s.close().await;
}

/// Issue 10: a bug reported in the window with a pasted screenshot, reproduced with its
/// tracker id, fixed; the list shows it fixed and the detail shows the thumbnail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bug_is_reported_with_a_screenshot_reproduced_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    crate::harness::cli(
        &db,
        &[
            "add-person",
            "--name",
            "测试员小周",
            "--department",
            "IT部",
            "--roles",
            EVERY_ROLE,
        ],
    );
    let s = Session::start_on(dir, db).await;
    s.opened_by("测试员小周").await;
    // a bug type added in 设置 is offered in the form
    s.click("#nav-settings").await;
    s.fill("#list-add-bug_type [name=value]", "性能").await;
    s.click("#list-add-bug_type button[type=submit]").await;
    s.wait_text("#list-bug_type .chips", "性能").await;
    s.click("#nav-bugs").await;
    s.click("#bug-new").await;
    s.wait_css("#bug-form").await;
    s.select("#bug-form select[name=bug_type]", "性能").await;
    s.fill("#bug-form [name=reporter]", "刘小妹").await;
    s.fill("#bug-form [name=found_date]", "2014-07-01").await;
    s.fill("#bug-form [name=received_date]", "2014-07-01").await;
    // the phone model is needed: refused under its field
    s.fill("#bug-form [name=os_version]", "iOS 7.1").await;
    s.fill("#bug-form [name=content]", "随访问卷提交后闪退")
        .await;
    s.click("#bug-submit").await;
    s.wait_text("#bug-form .field-error", "请填写手机型号")
        .await;
    s.fill("#bug-form [name=phone_model]", "iPhone 5").await;
    s.select("#bug-form select[name=severity]", "严重").await;
    // a screenshot pasted from the clipboard (a 1×1 PNG)
    s.client
        .execute(
            "const bytes = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
             const dt = new DataTransfer();
             dt.items.add(new File([bytes], 'shot.png', { type: 'image/png' }));
             document.querySelector('#bug-form').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    s.wait_text("#bug-shots", "截图1.png").await;
    s.click("#bug-submit").await;
    s.wait_text("#bug-number", "B14070101").await;
    s.wait_css("#bug-screenshots img.thumb").await;
    // the thumbnail is drawn (a blob: image the page's CSP allows)
    let drawn = s
        .client
        .execute(
            "const i = document.querySelector('#bug-screenshots img.thumb'); return i.complete && i.naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(drawn.as_i64(), Some(1), "thumbnail not drawn: {drawn}");
    s.screenshot("bug-reported").await;
    // a thumbnail opens the screenshot full size
    s.click("#bug-screenshots [data-shot]").await;
    s.wait_css("dialog img.scan").await;
    s.click("dialog button[type=submit]").await;
    s.wait_gone("dialog").await;

    // triage after the report: channel and severity from the lists
    s.select("#step-triage select[name=channel]", "客服热线")
        .await;
    s.select("#step-triage select[name=severity]", "一般").await;
    s.click("#step-triage button[type=submit]").await;
    s.wait_text("#card-triage .current", "性能 · 一般 · 客服热线")
        .await;
    // a correction of the report: its form, filled with what was reported
    s.click("#bug-edit").await;
    s.wait_css("#bug-form").await;
    assert_eq!(
        s.value("#bug-form [name=content]").await,
        "随访问卷提交后闪退"
    );
    s.fill("#bug-form [name=app_version]", "2.3.0").await;
    s.click("#bug-submit").await;
    s.wait_text("#bug-number", "B14070101").await;
    s.wait_text(".facts", "2.3.0").await;

    // fixing is not offered before it is reproduced
    let fix_disabled = s.attr("#step-fix button[type=submit]", "disabled").await;
    assert!(fix_disabled.is_some(), "fix offered before reproduction");
    s.click("#step-reproduce input[name=reporter_copied]").await;
    s.fill("#step-reproduce [name=tracker_id]", "BF-123").await;
    s.fill("#step-reproduce [name=happened_at]", "2014-07-02 10:00")
        .await;
    s.click("#step-reproduce button[type=submit]").await;
    s.wait_text("[data-state]", "已复现").await;
    s.fill("#step-fix [name=date]", "2014-07-03").await;
    s.fill("#step-fix [name=fixed_version]", "2.3.1").await;
    s.click("#step-fix button[type=submit]").await;
    s.wait_text("[data-state]", "已修复").await;
    // fixed: the reporter and then the user are to be told, with ready-to-send text
    s.wait_text("#bug-notifications", "已在 2.3.1 版修复").await;
    let notices = s.texts("#bug-notifications .notice h3").await;
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices[0].contains("未通知") && notices[1].contains("用户"),
        "{notices:?}"
    );
    s.click("#bug-notify-0 input[name=confirmed]").await;
    s.click("#bug-notify-0 button[type=submit]").await;
    s.wait_text("#bug-notifications .notice h3", "已确认已知")
        .await;
    s.wait_text("#bug-history", "修复日期").await;
    s.click("#nav-bugs").await;
    s.wait_text("#bug-list tr[data-number='B14070101']", "已修复")
        .await;
    let row = s.text("#bug-list tr[data-number='B14070101']").await;
    assert!(row.contains("1 张") && row.contains("20140703"), "{row}");
    // the list's filters are the core's: phone model, days found, a bad day said
    s.select("#bug-filters select[name=phone_model]", "iPhone 5")
        .await;
    s.wait_text("#bug-count", "共 1 个").await;
    // the ledger of the list as filtered, then the week's report, where the user saves them
    let out = std::env::temp_dir().join(format!("genjin-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let ledger = out.join("Bug收集反馈表.xlsx");
    s.answer_save_dialog(&ledger).await;
    s.click("#bug-export").await;
    s.wait_text("#toasts", "已导出 1 个 Bug").await;
    let bytes = std::fs::read(&ledger).expect("the ledger was written");
    assert!(bytes.starts_with(b"PK"), "an xlsx");
    let weekly = out.join("周报.xlsx");
    s.answer_save_dialog(&weekly).await;
    s.click("#bug-weekly").await;
    s.fill("#bug-weekly-dialog [name=day]", "2014-07-02").await;
    s.click("#bug-weekly-dialog button[type=submit]").await;
    s.wait_gone("#bug-weekly-dialog").await;
    assert!(weekly.exists(), "the weekly report was written");
    let asked = s.save_asked().await;
    assert_eq!(
        asked.last().map(String::as_str),
        Some(out.join("新增Bug周报_20140702.xlsx").to_str().unwrap()),
        "the second save opens in the folder of the first: {asked:?}"
    );
    let _ = std::fs::remove_dir_all(&out);
    s.fill("#bug-filters [name=from]", "20140702").await;
    s.client
        .execute(
            "document.querySelector('#bug-filters [name=from]').dispatchEvent(new Event('change'))",
            vec![],
        )
        .await
        .unwrap();
    s.wait_text("#bug-count", "共 0 个").await;
    s.fill("#bug-filters [name=from]", "七月").await;
    s.client
        .execute(
            "document.querySelector('#bug-filters [name=from]').dispatchEvent(new Event('change'))",
            vec![],
        )
        .await
        .unwrap();
    s.wait_text("#bug-filter-error", "发现日期从").await;
    // the reporter copied, as recorded with the reproduction
    s.client
        .goto("tauri://localhost/index.html#/bug/B14070101")
        .await
        .ok();
    s.wait_text("#bug-history", "已抄送反馈人").await;
    s.close().await;
}

/// Issue 11: the weekly report of a week — the agenda and mail body the core made, written into
/// a folder in one click (body, highlighted register, the agenda's forms), and its sending
/// recorded with the time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_report_is_written_to_a_folder_and_its_sending_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    crate::harness::cli(&db, &["import", fixtures.to_str().unwrap()]);
    crate::harness::cli(
        &db,
        &[
            "add-person",
            "--name",
            "李小四",
            "--department",
            "资讯部",
            "--roles",
            "需求收集人",
        ],
    );
    let out = dir.path().join("周报");
    std::fs::create_dir_all(&out).unwrap();
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.click("#nav-weekly").await;
    s.wait_css("#weekly-body").await;
    s.fill(".detail-head [name=day]", "2014-06-20").await;
    s.click(".detail-head button[type=submit]").await;
    s.wait_text("h2", "2014-06-20 这一周：待决策 3 条").await;
    let agenda = s.texts("#weekly-agenda tbody tr").await;
    assert_eq!(agenda.len(), 3, "{agenda:?}");
    assert!(
        agenda[2].contains("14061912") && agenda[2].contains("再议"),
        "{agenda:?}"
    );
    let body = s.value("#weekly-body").await;
    assert!(
        body.contains("1. 14061903") && body.ends_with("资讯部 李小四\n2014年6月20日\n"),
        "{body}"
    );
    s.client
        .execute(
            "window.__genjinFolderAnswer = arguments[0];",
            vec![out.to_str().unwrap().into()],
        )
        .await
        .unwrap();
    s.click("#weekly-write").await;
    s.wait_text("#weekly-files", "周报正文.txt").await;
    for f in [
        "周报正文.txt",
        "需求登记反馈表_20140620.xlsx",
        "需求报告表14061903.xlsx",
        "需求报告表14061912.xlsx",
    ] {
        assert!(out.join(f).exists(), "{f} written");
    }
    s.screenshot("weekly-report").await;
    s.fill("#weekly-sent [name=at]", "2014-06-20 09:30").await;
    s.click("#weekly-sent button[type=submit]").await;
    s.wait_text("#weekly-sent-at", "2014-06-20 09:30").await;
    s.close().await;
}

/// Issue 11: the monthly summary in the window — the core's figures, the reporters ranked, and
/// the charts drawn from them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_summary_is_shown_with_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    crate::harness::cli(&db, &["import", fixtures.to_str().unwrap()]);
    crate::harness::cli(
        &db,
        &["add-person", "--name", "李小四", "--roles", "需求收集人"],
    );
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.click("#nav-weekly").await;
    s.click("#tab-monthly").await;
    s.wait_css("#monthly-figures").await;
    s.fill(".detail-head [name=month]", "2014-06").await;
    s.click(".detail-head form button[type=submit]").await;
    s.wait_text("h1", "（2014-06）").await;
    let figures = s.text("#monthly-figures").await;
    assert!(
        figures.contains("提交\t25") || figures.contains("提交 25"),
        "{figures}"
    );
    // the decision chart's bars carry the core's numbers
    let bars = s
        .client
        .execute(
            "return [...document.querySelectorAll('#chart-decisions g')].map(g => g.dataset.label + '=' + g.dataset.value);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        bars,
        serde_json::json!(["做=6", "不做=5", "再议=3", "需求转换=4"]),
        "{bars}"
    );
    let people = s.texts("#monthly-people tbody tr").await;
    assert!(people[0].contains("100.0%"), "ranked by 采纳率: {people:?}");
    s.wait_css("#chart-trend polyline").await;
    s.screenshot("monthly-summary").await;
    s.close().await;
}

/// Issue 11: a decision meeting of three requirements recorded in one sitting: a verdict
/// against the rules refuses the sitting (naming the requirement), then all three are recorded
/// with the meeting's time and their notices are offered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_meeting_of_three_requirements() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    crate::harness::cli(&db, &["import", fixtures.to_str().unwrap()]);
    crate::harness::cli(&db, &["add-person", "--name", "王总", "--roles", "决策组"]);
    let db2 = db.clone();
    let s = Session::start_on(dir, db).await;
    s.opened_by("王总").await;
    s.click("#nav-weekly").await;
    s.click("#tab-meeting").await;
    s.wait_css("#meeting-form").await;
    s.fill(".detail-head [name=day]", "2014-06-20").await;
    s.click(".detail-head form button[type=submit]").await;
    s.wait_text("h1", "2014-06-20 这一周").await;
    assert_eq!(s.texts("#meeting-agenda tbody tr").await.len(), 3);
    s.select("select[name='decision-14061903']", "做").await;
    s.select("select[name='grade-14061903']", "B").await;
    s.select("select[name='decision-14061904']", "需求转换")
        .await;
    s.select("select[name='grade-14061904']", "C").await;
    s.select("select[name='decision-14061912']", "不做").await;
    s.select("select[name='grade-14061903']", "").await;
    // issue 20: the grade of 14061903 and the conversion summary of 14061904 are missing —
    // both rows marked at once, nothing written
    s.click("#meeting-submit").await;
    s.wait_text("#meeting-form > .error-text", "2 条有问题")
        .await;
    s.wait_text("tr[data-number='14061903'] .row-error", "需求分级")
        .await;
    s.wait_text("tr[data-number='14061904'] .row-error", "转换概要")
        .await;
    assert!(s
        .attr("select[name='grade-14061903']", "class")
        .await
        .unwrap_or_default()
        .contains("invalid"));
    s.screenshot("decision-meeting-problems").await;
    s.select("select[name='grade-14061903']", "B").await;
    s.fill("input[name='conversion-14061904']", "改为病友圈独立入口")
        .await;
    s.fill("#meeting-form [name=at]", "2014-06-21 10:00").await;
    s.click("#meeting-submit").await;
    s.wait_text("#meeting-result", "已记录 3 条决策").await;
    assert_eq!(s.texts("#meeting-result [data-notify]").await.len(), 3);
    s.screenshot("decision-meeting").await;
    // the notices of the decision (R5) are there to send
    s.click("#meeting-result [data-notify='14061903']").await;
    s.wait_text("#tab-body", "决策结果").await;
    // read beside the running window (the session owns the database's folder)
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_genjin"))
        .args([
            "--db",
            crate::common::db_arg(&db2).to_str().unwrap(),
            "history",
            "14061912",
        ])
        .output()
        .unwrap();
    let h = String::from_utf8_lossy(&out.stdout);
    assert!(
        h.lines()
            .any(|l| l.starts_with("2014-06-21T10:00") && l.contains("决策结果")),
        "the meeting's time: {h} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.close().await;
}

/// Issue 12 (the first rules): an overdue step appears in the to-do view — the operator's own
/// and everyone's — and opens its record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_step_appears_in_the_todo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&["add-person", "--name", "李小四", "--roles", "需求收集人"]);
    cli(&[
        "add-requirement",
        "--received",
        "2014-06-19",
        "--reporter",
        "刘小妹",
        "--summary",
        "问卷",
    ]);
    cli(&[
        "report",
        "weekly",
        "--week",
        "2014-06-20",
        "--sent-at",
        "2014-06-20 09:30",
    ]);
    // decided long ago and the reporter never told: R5 is overdue now
    cli(&[
        "decide",
        "14061901",
        "--decision",
        "不做",
        "--at",
        "2014-06-21 10:30",
    ]);
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    // a desktop notification told the operator, once (the app checks on opening, then every minute)
    let mut told: Vec<serde_json::Value> = Vec::new();
    for _ in 0..100 {
        let v = s
            .client
            .execute("return window.__genjinNotified || [];", vec![])
            .await
            .unwrap();
        told = serde_json::from_value(v).unwrap();
        if !told.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        told.iter().any(|n| n["title"] == "跟进：待办已逾期"
            && n["body"].as_str().unwrap_or("").contains("14061901")),
        "{told:?}"
    );
    // opened again, the app starts on the operator's to-do (我的待办)
    s.client.goto("tauri://localhost/index.html").await.unwrap();
    s.wait_text("h1", "我的待办").await;
    s.wait_text("#todo tbody", "R5").await;
    let row = s.text("#todo tbody tr[data-record='14061901']").await;
    assert!(
        row.contains("2014-06-21 11:30") && row.contains("李小四") && row.contains("逾期"),
        "{row}"
    );
    s.screenshot("todo").await;
    s.click("#todo-switch").await;
    s.wait_text("h1", "全部待办").await;
    s.click("#todo tbody tr[data-record='14061901'] td").await;
    s.wait_text("#detail-number", "14061901").await;
    // who answers for its steps: set on the requirement's 详情
    s.click("#tab-details").await;
    s.wait_css("#responsible-form").await;
    s.select("#responsible-form select[name=collector]", "李小四")
        .await;
    s.click("#responsible-form button[type=submit]").await;
    s.wait_text("#toasts", "负责人已保存").await;
    s.click("#tab-details").await;
    s.wait_css("#responsible-form").await;
    assert_eq!(
        s.value("#responsible-form [name=collector]").await,
        "李小四"
    );
    // …and in the month's assessment, charged to the collector
    s.click("#nav-weekly").await;
    s.click("#tab-assessment").await;
    s.wait_css("#assessment-export").await;
    s.fill(".detail-head [name=month]", "2014-06").await;
    s.click(".detail-head form button[type=submit]").await;
    s.wait_text("h1", "（2014-06）").await;
    let sheet = s.text("[data-sheet='李小四']").await;
    assert!(
        sheet.contains("R5 记录决策并通知报告人")
            && sheet.contains("14061901")
            && sheet.contains("未完成"),
        "{sheet}"
    );
    s.screenshot("assessment").await;
    s.close().await;
}

/// Issue 13: backups are listed, taken and restored in 设置; a requirement's personal data is
/// erased from its 详情 on request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_are_taken_and_restored_and_personal_data_erased() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let cli = |args: &[&str]| crate::harness::cli(&db, args);
    cli(&[
        "add-person",
        "--name",
        "李小四",
        "--department",
        "资讯部",
        "--roles",
        EVERY_ROLE,
    ]);
    cli(&[
        "add-requirement",
        "--received",
        "2014-06-19",
        "--reporter",
        "刘小妹",
        "--summary",
        "问卷自动计分",
        "--doctor",
        "郭建国",
        "--words",
        "请回电 13812345678",
    ]);
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    // the day's first start took a backup of a file (a shared database's are taken when asked:
    // issue 21); one more now
    let shared = crate::common::on_server();
    s.click("#nav-settings").await;
    if !shared {
        s.wait_text("#backup-list", "每日自动").await;
    }
    s.click("#backup-now").await;
    s.wait_text("#backup-list", "手动").await;
    assert_eq!(
        s.texts("#backup-list tbody tr").await.len(),
        if shared { 1 } else { 2 }
    );
    s.screenshot("backups").await;

    // personal data erased on request
    s.go("#/req/14061901/details").await;
    s.wait_css("#erase-personal").await;
    s.click("#erase-personal").await;
    s.fill("#erase-dialog input[name=reason]", "本人要求删除")
        .await;
    s.click("#erase-dialog button[type=submit]").await;
    // what was erased where: the backups too (issue 19), and what no program reaches (the
    // day's backup was taken before the requirement was registered: nothing to erase there)
    let said = s.wait_text("#erase-result", "备份中也已删除").await;
    assert!(
        said.contains("1 个备份") && said.contains("导出的表格"),
        "{said}"
    );
    s.screenshot("erased").await;
    s.click("dialog[open] button[type=submit]").await;
    s.wait_gone("#erase-result").await;
    s.click("#tab-details").await;
    let facts = s.wait_text(".facts", "已删除").await;
    assert!(
        !facts.contains("郭建国") && !facts.contains("13812345678"),
        "{facts}"
    );
    s.click("#tab-history").await;
    let history = s.wait_text("#history", "删除个人信息").await;
    assert!(!history.contains("郭建国"), "{history}");

    // a backup brings the database back as it was — the erasure with it (issue 19: the backups
    // it reached were erased too)
    s.click("#nav-settings").await;
    s.wait_css("#backup-list").await;
    // (the daily one was taken by the first command of the day, before the requirement)
    s.click("#backup-list tr[data-name*='manual'] button.restore")
        .await;
    s.click("#restore-dialog button[type=submit]").await;
    s.wait_text("#toasts", "已恢复").await;
    s.wait_text("#backup-list", "恢复前").await;
    s.go("#/req/14061901/details").await;
    let facts = s.wait_text(".facts", "已删除").await;
    assert!(!facts.contains("郭建国"), "{facts}");
    s.close().await;
}

/// Issue 13, optional sign-in: with it on, the window asks who you are and your password before
/// anything shows; a wrong password is said in the dialog.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_sign_in_on_the_window_asks_for_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_genjin"));
        c.arg("--db").arg(crate::common::db_arg(&db)).args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(
        &[],
        &[
            "add-person",
            "--name",
            "李小四",
            "--department",
            "资讯部",
            "--roles",
            EVERY_ROLE,
        ],
    );
    run(&[("GENJIN_NEW_PASSWORD", "lixiaosi1")], &["password"]);
    // on a shared database sign-in is already on from that password (issue 22): name and
    // password; on a file they are not needed yet and do no harm
    run(
        &[("GENJIN_PASSWORD", "lixiaosi1")],
        &["--as", "李小四", "settings", "security.sign_in", "on"],
    );
    let s = Session::start_on(dir, db).await;
    s.wait_css("#sign-in-dialog").await;
    s.screenshot("sign-in").await;
    s.fill("#sign-in-dialog input[name=password]", "wrong-one")
        .await;
    s.click("#sign-in-dialog button[type=submit]").await;
    s.wait_text("#sign-in-dialog .error-text", "姓名或密码不对")
        .await;
    s.fill("#sign-in-dialog input[name=password]", "lixiaosi1")
        .await;
    s.click("#sign-in-dialog button[type=submit]").await;
    s.wait_gone("#sign-in-dialog").await;
    s.shows_operating("李小四").await;
    s.close().await;
}

/// Issue 19: the first person keeps the roles ticked (one who could not add anyone is told
/// what to tick); a step typed in on someone's behalf names who did it, and they answer for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roles_ticked_and_who_did_a_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    let s = Session::start_on(dir, db.clone()).await;
    s.wait_css("#operator-dialog").await;
    s.wait_css("#first-person-hint").await;
    s.fill("#operator-dialog input[name=name]", "李小四").await;
    s.click("#operator-dialog input[value=需求报告人]").await;
    first_password(&s, "#operator-dialog").await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-dialog .error-text", "需求收集人")
        .await;
    s.screenshot("first-person-roles").await;
    s.click("#operator-dialog input[value=需求收集人]").await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-name", "李小四").await;
    s.go("#/people").await;
    let row = s
        .wait_text("#people tr[data-name='李小四']", "需求收集人")
        .await;
    assert!(
        row.contains("需求报告人、需求收集人") && !row.contains("决策组"),
        "the roles ticked, no more: {row}"
    );
    // a product manager, given by the collector (a collector holds a product manager's rights)
    s.click("#person-add").await;
    s.fill("dialog[open] input[name=name]", "孙经理").await;
    s.click("dialog[open] input[value=产品经理]").await;
    s.click("dialog[open] button[type=submit]").await;
    s.wait_text("#people", "孙经理").await;
    crate::harness::cli(
        &db,
        &[
            "--as",
            "李小四",
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "问卷",
        ],
    );
    crate::harness::cli(
        &db,
        &[
            "--as",
            "李小四",
            "decide",
            "14061901",
            "--decision",
            "做",
            "--grade",
            "C",
            "--at",
            "2014-06-21 10:30",
        ],
    );
    // the collector types in the product manager's promise from the meeting notes
    s.go("#/req/14061901").await;
    s.wait_css("#step-expected select[name=by]").await;
    assert_eq!(
        s.value("#step-expected select[name=by]").await,
        "",
        "not the collector"
    );
    // (on a server the command line's changes are announced a moment later, and the page,
    // still untouched, may be drawn again between finding a field and typing into it: the
    // form is filled until it holds what was typed)
    for _ in 0..3 {
        s.select("#step-expected select[name=by]", "孙经理").await;
        s.fill("#step-expected input[name=date]", "2014-07-10")
            .await;
        s.fill("#step-expected input[name=happened_at]", "2014-06-23 10:00")
            .await;
        if s.value("#step-expected select[name=by]").await == "孙经理"
            && s.value("#step-expected input[name=date]").await == "2014-07-10"
        {
            break;
        }
    }
    s.screenshot("done-by").await;
    s.click("#step-expected button[type=submit]").await;
    s.wait_text("#toasts", "已记录").await;
    s.click("#tab-history").await;
    let history = s.wait_text("#history", "完成人").await;
    assert!(history.contains("孙经理"), "{history}");
    s.click("#tab-details").await;
    s.wait_css("#responsible-form").await;
    assert_eq!(
        s.value("#responsible-form [name=product_manager]").await,
        "孙经理",
        "who did it answers for it"
    );
    s.close().await;
}

/// Issue 19: turning sign-in on in 设置 says first who has no password, then signs in at once;
/// an imported legacy register is listed to check, never a task; an unfinished month says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_at_once_legacy_history_to_check_and_the_month_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_genjin"));
        c.arg("--db").arg(crate::common::db_arg(&db)).args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(
        &[],
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    run(
        &[],
        &["add-person", "--name", "刘小妹", "--roles", "需求报告人"],
    );
    run(&[("GENJIN_NEW_PASSWORD", "lixiaosi1")], &["password"]);
    let legacy = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/legacy/需求登记反馈表_2014.xlsx");
    run(
        &[("GENJIN_PASSWORD", "lixiaosi1")],
        &["--as", "李小四", "import", legacy.to_str().unwrap()],
    );
    let s = Session::start_on(dir, db.clone()).await;
    if crate::common::on_server() {
        // there sign-in is on from the first password (issue 22)
        s.wait_css("#sign-in-dialog").await;
        s.fill("#sign-in-dialog input[name=password]", "lixiaosi1")
            .await;
        s.click("#sign-in-dialog button[type=submit]").await;
    }
    s.shows_operating("李小四").await;
    // the legacy promises: one note to check, no step of anyone's
    let note = s.wait_text("#todo-notes", "旧表导入的逾期需求").await;
    assert!(note.contains("不计入"), "{note}");
    let view = s.text("#view").await;
    assert!(
        !view.contains("R11") && !view.contains("按承诺日期交付"),
        "legacy steps are no one's to-do: {view}"
    );
    s.screenshot("todo-legacy-note").await;
    s.click("#todo-notes a").await;
    s.wait_text("#register-count", "共").await;
    assert_eq!(
        s.value("#register-filters select[name=status]").await,
        "旧表逾期"
    );
    // this month's assessment: only what is late by now
    s.go("#/assessment").await;
    s.wait_text("#assessment-until", "本月未结束").await;
    // sign-in on: who cannot sign in is said first; the window signs in at once
    s.click("#nav-settings").await;
    if crate::common::on_server() {
        // a shared database's sign-in is on for good, and 设置 says why (issue 22)
        s.wait_text("tr[data-key='security.sign_in']", "共享数据库")
            .await;
        s.close().await;
        return;
    }
    s.wait_css("tr[data-key='security.sign_in'] button").await;
    s.click("tr[data-key='security.sign_in'] button").await;
    s.wait_text("#sign-in-missing", "刘小妹").await;
    s.select("#setting-dialog select[name=value]", "on").await;
    s.screenshot("sign-in-warning").await;
    s.click("#setting-dialog button[type=submit]").await;
    s.wait_css("#sign-in-dialog").await;
    s.fill("#sign-in-dialog input[name=password]", "lixiaosi1")
        .await;
    s.click("#sign-in-dialog button[type=submit]").await;
    s.wait_gone("#sign-in-dialog").await;
    s.wait_text("#operator-name", "李小四").await;
    s.close().await;
}
