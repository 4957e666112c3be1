//! Issue 20, "a smoother day at the desk": the window's flows it changed.

use crate::harness::{cli, Session};

const EVERY_ROLE: &str = "需求报告人,需求收集人,决策组,产品经理,IT,测试";

/// A database on the command line: 李小四 (every role, operating), 刘小妹 of 推广部 (a reporter).
fn office(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("g.sqlite3");
    cli(
        &db,
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
    cli(
        &db,
        &[
            "add-person",
            "--name",
            "刘小妹",
            "--department",
            "推广部",
            "--roles",
            "需求报告人",
        ],
    );
    db
}

/// A requirement 刘小妹 reported, received on 2014-06-19 (numbered 140619NN in order).
fn reported(db: &std::path::Path, brief: &str) {
    cli(
        db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            brief,
        ],
    );
}

/// Items 1–4: the 梗概 is never cut, the reporter's 部门 comes from the people list and an
/// unknown name is offered to add, 取消 asks first, a requirement shows its screenshots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entering_a_requirement_as_from_excel() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(&dir);
    reported(&db, "问卷 自动计分");
    let shot = dir.path().join("界面.png");
    std::fs::write(&shot, include_bytes!("../../icons/32x32.png")).unwrap();
    cli(&db, &["attach", "14061901", shot.to_str().unwrap()]);
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;

    s.click("#nav-new").await;
    s.wait_css("#requirement-form").await;
    s.fill("#requirement-form [name=received_date]", "2014-06-20")
        .await;
    // a known reporter brings their 部门
    s.fill("#requirement-form [name=reporter]", "刘小妹").await;
    s.click("#requirement-form [name=requester]").await;
    s.wait_value("#requirement-form [name=reporter_department]", "推广部")
        .await;
    // a typo is said, and the name can be added to the people list at once
    s.fill("#requirement-form [name=reporter_department]", "")
        .await;
    s.fill("#requirement-form [name=reporter]", "刘晓妹").await;
    s.click("#requirement-form [name=requester]").await;
    s.wait_text("#reporter-unknown", "不在人员名单中").await;
    s.click("#reporter-add").await;
    s.wait_css("#reporter-add-dialog").await;
    s.fill("#reporter-add-dialog input[name=department]", "推广部")
        .await;
    s.click("#reporter-add-dialog button[type=submit]").await;
    s.wait_gone("#reporter-add-dialog").await;
    assert_eq!(
        s.attr("#reporter-unknown", "hidden").await.as_deref(),
        Some("")
    );
    s.wait_value("#requirement-form [name=reporter_department]", "推广部")
        .await;
    // 60 characters are kept, the counter turns red, the save is refused at the field
    let long = "医生希望问卷填完以后系统能够自动计算总分并且给出分级建议，同时把结果推送给患者本人和主治医生，方便复诊时对照查看历次的结果";
    s.fill("#requirement-form [name=brief]", long).await;
    assert_eq!(s.value("#requirement-form [name=brief]").await, long);
    s.wait_text("#brief-counter", "超出").await;
    assert!(s
        .attr("#brief-counter", "class")
        .await
        .unwrap_or_default()
        .contains("over"));
    s.screenshot("desk-brief-over").await;
    s.click("#requirement-save").await;
    s.wait_text(".field-error", "需求梗概最多 50 个字").await;
    // 取消 asks before throwing the typing away; keeping on editing keeps it
    s.click("#requirement-cancel").await;
    s.wait_css("#discard-dialog").await;
    s.screenshot("desk-discard").await;
    let esc: char = fantoccini::key::Key::Escape.into();
    s.send_keys("#discard-dialog button", &esc.to_string())
        .await;
    s.wait_gone("#discard-dialog").await;
    assert_eq!(s.value("#requirement-form [name=brief]").await, long);
    s.click("#requirement-cancel").await;
    s.click("#discard-dialog button[type=submit]").await;
    s.wait_text("h1", "需求登记").await;

    // a requirement's screenshots on its 详情 tab, opened full size
    s.go("#/req/14061901/details").await;
    s.wait_css("#requirement-shots img.thumb").await;
    s.wait_text("#requirement-screenshots h3", "截图（1）")
        .await;
    s.click("#requirement-shots button[data-shot]").await;
    s.wait_css("dialog img.scan").await;
    s.screenshot("desk-requirement-screenshot").await;
    s.click("dialog button[type=submit]").await;
    s.wait_gone("dialog").await;
    s.close().await;
}

/// Items 9, 11, 15 and 16: the to-do line shows the 梗概 and opens the 通知 tab; the owed
/// notices of one reporter are recorded at once; 记录对方已知 asks when; switching the operator
/// redraws the open page with the new person's rights.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_loop_after_a_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(&dir);
    for brief in ["问卷 自动计分", "科室 公告 置顶"] {
        reported(&db, brief);
    }
    for n in ["14061901", "14061902"] {
        cli(
            &db,
            &[
                "decide",
                n,
                "--decision",
                "不做",
                "--at",
                "2014-06-21 10:00",
            ],
        );
    }
    reported(&db, "待决策");
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    // the to-do says what the number is about, and opens where the step is done
    s.wait_text("#todo tr[data-record='14061901'] .brief", "问卷 自动计分")
        .await;
    s.screenshot("desk-todo").await;
    s.click("#todo tbody tr[data-record='14061901'] td").await;
    s.wait_css("#notifications").await;
    assert!(s
        .attr("[role=tab][aria-selected=true]", "id")
        .await
        .unwrap_or_default()
        .contains("notify"));

    // 批量记录通知: both of 刘小妹's results in one go
    s.go("#/todo").await;
    s.click("#todo-notices").await;
    s.wait_css("#notices-owed").await;
    s.select("#notices-recipient", "刘小妹").await;
    s.wait_text("#notices-count", "待通知 2 条").await;
    s.select("#notices-form select[name=channel]", "微信").await;
    s.fill("#notices-form [name=sent_at]", "2014-06-21 11:00")
        .await;
    s.screenshot("desk-notices").await;
    s.click("#notices-record").await;
    s.wait_text("#view", "没有待记录的通知").await;

    // 已知, when they confirmed
    s.go("#/req/14061902/notify").await;
    s.wait_text("#notifications", "经微信通知 刘小妹").await;
    s.click("#notifications [data-confirm]").await;
    s.wait_css("#confirm-known-dialog").await;
    s.fill(
        "#confirm-known-dialog [name=confirmed_at]",
        "2014-06-21 15:30",
    )
    .await;
    s.click("#confirm-known-dialog button[type=submit]").await;
    s.wait_text("#notifications", "2014-06-21 15:30 已确认已知")
        .await;

    // the decision card as 李小四, then as 刘小妹 (a reporter): redrawn at once
    s.go("#/req/14061903").await;
    s.wait_css("#card-decision:not(.disabled)").await;
    s.click("#operator-switch").await;
    s.wait_css("#operator-dialog").await;
    s.select(
        "#operator-dialog select[name=person]",
        &person_id(&s, "刘小妹").await,
    )
    .await;
    s.click("#operator-dialog button[type=submit]").await;
    s.wait_text("#operator-name", "刘小妹").await;
    s.wait_text("#card-decision", "需要").await;
    // 设置, grouped under Chinese names: a reporter sees what they may not change disabled,
    // and who may
    s.go("#/settings").await;
    s.wait_text(
        "#settings tbody[data-group='日历'] tr[data-key='calendar.mode']",
        "时限按工作日还是自然日计算",
    )
    .await;
    s.wait_text("#settings tr[data-key='calendar.mode']", "只有")
        .await;
    assert!(s
        .attr(
            "#settings tr[data-key='calendar.mode'] button.edit",
            "disabled"
        )
        .await
        .is_some());
    s.screenshot("desk-settings-locked").await;
    s.close().await;
}

/// The value of the operator dialog's option for `name`.
async fn person_id(s: &Session, name: &str) -> String {
    let options = s.texts("#operator-dialog select[name=person] option").await;
    let i = options.iter().position(|o| o.starts_with(name)).unwrap();
    s.attr(
        &format!(
            "#operator-dialog select[name=person] option:nth-child({})",
            i + 1
        ),
        "value",
    )
    .await
    .unwrap()
}

/// Items 7 and 8: a delay application starts on the 延期申请 page (asking for the number);
/// a year's holiday notice is pasted, previewed and listed at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_delay_from_its_page_and_a_holiday_notice_pasted() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(&dir);
    reported(&db, "问卷");
    cli(
        &db,
        &["decide", "14061901", "--decision", "做", "--grade", "C"],
    );
    cli(&db, &["expect", "14061901", "--date", "2014-06-25"]);
    let s = Session::start_on(dir, db).await;
    s.opened_by("李小四").await;
    s.click("nav a[data-route=delays]").await;
    s.click("#new-delay").await;
    s.wait_css("#new-delay-dialog").await;
    s.fill("#new-delay-dialog [name=number]", "14069999").await;
    s.click("#new-delay-dialog button[type=submit]").await;
    s.wait_text("#new-delay-dialog .error-text", "找不到需求编号 14069999")
        .await;
    s.fill("#new-delay-dialog [name=number]", "14061901").await;
    s.click("#new-delay-dialog button[type=submit]").await;
    s.wait_css("#delay-form").await;

    s.click("nav a[data-route=settings]").await;
    s.paste_text(
        "#calendar-paste [name=text]",
        "2025年放假安排\n2025-10-01 至 2025-10-08 国庆节\n2025-09-28 调休上班\n2025-09-29 调休上班",
    )
    .await;
    s.click("#calendar-preview").await;
    s.wait_text("#calendar-preview-box", "将录入 10 天").await;
    s.wait_text("#calendar-preview-days tr[data-day='2025-09-29']", "周一")
        .await;
    s.wait_text("#calendar-skipped", "跳过第 1 行").await;
    s.screenshot("desk-calendar-preview").await;
    s.click("#calendar-commit").await;
    s.wait_text("#calendar-days", "2025-10-08").await;
    assert_eq!(s.texts("#calendar-days tbody tr").await.len(), 10);
    // one more, already listed: asked before replacing
    s.fill("#calendar-add [name=day]", "2025-10-01").await;
    s.fill("#calendar-add [name=name]", "国庆").await;
    s.click("#calendar-add button[type=submit]").await;
    s.wait_text("#calendar-ask", "已录入为").await;
    s.click("#calendar-ask button[type=submit]").await;
    s.wait_text("#calendar-days tr[data-day='2025-10-01']", "国庆")
        .await;
    s.close().await;
}
