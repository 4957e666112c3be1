//! The real binary, headless: what people script.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

pub(crate) use super::common::{genjin, ok, stderr, stdout, EVERY_ROLE};

#[test]
fn add_requirement_prints_the_number_and_register_json_has_the_policy_headers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let add = |summary: &str, extra: &[&str]| {
        let mut args = vec![
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            summary,
        ];
        args.extend_from_slice(extra);
        ok(&db, &args).trim().to_string()
    };
    assert_eq!(add("问卷自动计分", &["--requester", "郭主任"]), "14061901");
    assert_eq!(add("对接药房费用", &[]), "14061902");
    ok(
        &db,
        &[
            "decide",
            "14061901",
            "--decision",
            "做",
            "--grade",
            "C",
            "--date",
            "2014-06-21",
        ],
    );
    ok(&db, &["expect", "14061901", "--date", "20140625"]);
    ok(&db, &["decide", "14061902", "--decision", "不做"]);

    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let first = rows[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "需求编号",
            "填表人",
            "需求人",
            "决策结果",
            "需求分级",
            "预期交付日",
            "实际交付日",
            "需求状态",
            "需求梗概",
            "备注"
        ]
    );
    assert_eq!(first["需求编号"], "14061901");
    assert_eq!(first["填表人"], "张三");
    assert_eq!(first["需求人"], "郭主任");
    assert_eq!(first["决策结果"], "做");
    assert_eq!(first["需求分级"], "C");
    assert_eq!(first["预期交付日"], "2014-06-25");
    assert!(first["实际交付日"].is_null());
    assert_eq!(first["需求状态"], "");
    assert_eq!(first["需求梗概"], "问卷自动计分");
    assert_eq!(rows[1]["需求状态"], "完成", "不做 closes the requirement");

    // the plain register prints dates the register's way
    let text = ok(&db, &["register"]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("14061901\t张三\t郭主任\t做\tC\t20140625\t")),
        "{text}"
    );
    let filtered: serde_json::Value =
        serde_json::from_str(&ok(&db, &["register", "--json", "--status", "完成"])).unwrap();
    assert_eq!(filtered.as_array().unwrap().len(), 1);
}

#[test]
fn errors_are_chinese_on_stderr_with_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let o = genjin(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-13-01",
            "--reporter",
            "张三",
            "--summary",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("收到日期“2014-13-01”不是有效日期"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());

    let o = genjin(
        &db,
        &["decide", "99999999", "--decision", "做", "--grade", "A"],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("找不到需求编号 99999999"),
        "{}",
        stderr(&o)
    );

    let o = genjin(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            &"长".repeat(51),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("需求梗概最多 50 个字"),
        "{}",
        stderr(&o)
    );

    let o = genjin(&db, &["add-requirement", "--received", "2014-06-19"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("错误：缺少必填参数"),
        "{}",
        stderr(&o)
    );

    let o = genjin(&db, &["no-such-command"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("错误：无法识别的子命令"),
        "{}",
        stderr(&o)
    );

    // nothing was written by any of the refused commands
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 0);
}

#[test]
fn help_explains_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&dir.path().join("g.sqlite3"), &["--help"]);
    for sub in [
        "add-requirement",
        "register",
        "show",
        "decide",
        "expect",
        "complete",
        "withdraw",
        "history",
        "people",
        "add-person",
        "settings",
        "backup",
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(sub))
            .unwrap_or_else(|| panic!("{sub} missing:\n{out}"));
        assert!(
            line.trim_start().len() > sub.len() + 4,
            "{sub} has no explanation: {line}"
        );
    }
    let sub = ok(
        &dir.path().join("g.sqlite3"),
        &["add-requirement", "--help"],
    );
    assert!(
        sub.contains("--received") && sub.contains("收到日期"),
        "{sub}"
    );
    // issue 8: clap's own words are Chinese too, on every help page and in its errors
    for args in [
        &["--help"][..],
        &["decide", "--help"],
        &["import", "--help"],
        &["calendar", "add", "--help"],
    ] {
        let help = ok(&dir.path().join("g.sqlite3"), args);
        assert!(help.contains("用法：genjin"), "{help}");
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Arguments",
            "Print help",
            "[default",
            "[OPTIONS]",
        ] {
            assert!(!help.contains(english), "{args:?} says {english}:\n{help}");
        }
    }
    let o = genjin(
        &dir.path().join("g.sqlite3"),
        &["decide", "14061901", "--frobnicate"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "错误：无法识别的参数：“--frobnicate”。运行 genjin --help 查看用法。"
    );
}

#[test]
fn show_history_withdraw_people_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &[
            "add-person",
            "--name",
            "李小四",
            "--department",
            "资讯部",
            "--roles",
            "需求收集人,决策组",
        ],
    );
    // the first person of a fresh database holds the roles ticked, no more (issue 19)
    assert!(ok(&db, &["people"]).contains("李小四\t资讯部\t需求收集人、决策组\n"));
    // and may not change their own
    let o = genjin(
        &db,
        &["edit-person", "李小四", "--roles", "需求收集人,决策组,测试"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("不能修改自己的角色"), "{}", stderr(&o));
    assert!(ok(&db, &["people"]).contains("李小四\t资讯部\t需求收集人、决策组\n"));
    let n = ok(
        &db,
        &[
            "--as",
            "李小四",
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "问卷",
            "--words",
            "原话",
        ],
    );
    let n = n.trim();
    assert!(ok(&db, &["show", n]).contains("医生原话：原话"));
    let shown: serde_json::Value = serde_json::from_str(&ok(&db, &["show", n, "--json"])).unwrap();
    assert_eq!(shown["number"], n);
    ok(&db, &["withdraw", n, "--reason", "重复登记"]);
    let hist: serde_json::Value =
        serde_json::from_str(&ok(&db, &["history", n, "--json"])).unwrap();
    let hist = hist.as_array().unwrap();
    assert_eq!(hist[0]["actor"], "李小四");
    assert_eq!(hist[0]["origin"], "cli");
    assert!(hist.iter().any(|e| e["field"] == "withdrawn"));
    assert_eq!(ok(&db, &["register", "--json"]).trim(), "[]");
    assert!(ok(&db, &["register", "--json", "--all"]).contains(n));
    let copy = dir.path().join("backup.sqlite3");
    ok(&db, &["backup", copy.to_str().unwrap()]);
    assert!(ok(&copy, &["register", "--all"]).contains(n));
    let o = genjin(&db, &["backup", copy.to_str().unwrap()]);
    assert!(!o.status.success() && stderr(&o).contains("不会覆盖"));
    // the day's backup was taken on the first command; `backup` alone goes beside it
    let said = ok(&db, &["backup"]);
    assert!(
        said.contains("backups") && said.contains("manual"),
        "{said}"
    );
    let list = ok(&db, &["backup", "--list"]);
    assert!(list.contains("手动"), "{list}");
    // a file takes the day's backup on its first start; a shared database does not
    assert_eq!(
        list.contains("每日自动"),
        !super::common::on_server(),
        "{list}"
    );
    // restore: the copy (taken before a later change) comes back; the current file is kept
    ok(&db, &["add-person", "--name", "王五", "--roles", "测试"]);
    assert!(ok(&db, &["people"]).contains("王五"));
    let said = ok(&db, &["restore", copy.to_str().unwrap()]);
    assert!(said.contains("恢复前的数据库已备份到"), "{said}");
    assert!(!ok(&db, &["people"]).contains("王五"));
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database").unwrap();
    let o = genjin(&db, &["restore", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是跟进的数据库"), "{}", stderr(&o));
}

/// Two processes registering on the same file at once never get the same number.
fn race(db: &Path, per_process: usize) -> (Vec<String>, Vec<String>) {
    let run = |who: &'static str| {
        let db = db.to_path_buf();
        std::thread::spawn(move || {
            let mut numbers = Vec::new();
            let mut errors = Vec::new();
            for i in 0..per_process {
                let o = genjin(
                    &db,
                    &[
                        "add-requirement",
                        "--received",
                        "2014-06-19",
                        "--reporter",
                        who,
                        "--summary",
                        &format!("{who}{i}"),
                    ],
                );
                if o.status.success() {
                    numbers.push(stdout(&o).trim().to_string());
                } else {
                    errors.push(stderr(&o));
                }
            }
            (numbers, errors)
        })
    };
    let a = run("甲");
    let b = run("乙");
    let (mut n1, mut e1) = a.join().unwrap();
    let (n2, e2) = b.join().unwrap();
    n1.extend(n2);
    e1.extend(e2);
    (n1, e1)
}

#[test]
fn two_processes_adding_fifty_each_get_a_hundred_distinct_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    // A hundred on one day do not fit YYMMDDNN (99 a day): use the policy-001 scheme.
    ok(
        &db,
        &["settings", "numbering.requirement.scheme", "YYYYMM-NNN"],
    );
    let (numbers, errors) = race(&db, 50);
    assert!(errors.is_empty(), "{errors:?}");
    let distinct: HashSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), 100);
    let expected: HashSet<String> = (1..=100).map(|i| format!("201406-{i:03}")).collect();
    assert_eq!(distinct, expected.iter().collect());
}

#[test]
fn two_processes_on_the_daily_scheme_fill_the_day_and_are_told_when_it_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let (numbers, errors) = race(&db, 50);
    let distinct: HashSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), 99, "every number of the day once");
    assert_eq!(numbers.len(), 99);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("2014年6月19日的编号已用完"),
        "{}",
        errors[0]
    );
}

#[test]
fn import_previews_commits_and_reports_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    let fixtures = fixtures.to_str().unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&ok(&db, &["import", fixtures, "--dry-run", "--json"])).unwrap();
    assert_eq!(
        (
            v["created"].as_u64(),
            v["updated"].as_u64(),
            v["unchanged"].as_u64()
        ),
        (Some(102), Some(0), Some(0))
    );
    assert_eq!(v["rejected"], serde_json::json!([]));
    assert_eq!(
        ok(&db, &["register", "--json"]).trim(),
        "[]",
        "a dry run writes nothing"
    );
    let text = ok(&db, &["import", fixtures]);
    assert!(text.starts_with("已导入：新建 102 条"), "{text}");
    assert!(
        text.contains("Bug收集反馈表") && text.contains("Bug：新建 30 个"),
        "the bug ledger is named and its bugs imported: {text}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&ok(&db, &["import", fixtures, "--json"])).unwrap();
    assert_eq!(
        (v["created"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(102))
    );
    assert_eq!(v["bugs"]["unchanged"], 30, "{}", v["bugs"]);

    // a file refused as a whole: non-zero exit, the reason, and nothing written
    let junk = dir.path().join("需求登记反馈表_坏.xlsx");
    std::fs::write(&junk, b"not a workbook").unwrap();
    let o = genjin(&db, &["import", junk.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["files"][0]["refused"]
        .as_str()
        .unwrap()
        .contains("不是 Excel"));
    let rows: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 102);
}

#[test]
fn timeline_shows_each_step_on_the_day_it_happened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let n = ok(
        &db,
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
    let n = n.trim();
    ok(
        &db,
        &[
            "decide",
            n,
            "--decision",
            "做",
            "--grade",
            "C",
            "--at",
            "2014-06-21 10:30",
        ],
    );
    let text = ok(&db, &["timeline", n]);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(
        lines.contains(&vec!["2014-06-19", "收到需求", "", "cli"]),
        "{text}"
    );
    assert!(
        lines.contains(&vec!["2014-06-21", "决策", "做 C", "cli"]),
        "{text}"
    );
    let received = lines.iter().position(|l| l[1] == "收到需求");
    let decided = lines.iter().position(|l| l[1] == "决策");
    assert!(received < decided, "oldest first: {text}");

    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["timeline", n, "--json"])).unwrap();
    let events = json.as_array().unwrap();
    let decision = events.iter().find(|e| e["kind"] == "决策").unwrap();
    assert_eq!(decision["happened"]["day"], "2014-06-21");
    assert_eq!(decision["detail"], "做 C");

    let o = genjin(&db, &["timeline", "99999999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("找不到需求编号 99999999"),
        "{}",
        stderr(&o)
    );
    let help = ok(&db, &["--help"]);
    assert!(
        help.lines()
            .any(|l| l.trim_start().starts_with("timeline ")),
        "{help}"
    );
}

/// Issue 7: the holiday list and the calendar mode are edited from the command line too.
#[test]
fn calendar_days_and_mode_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let out = ok(&db, &["calendar", "add", "2014-10-01", "--name", "国庆节"]);
    assert_eq!(out.trim(), "2014-10-01\t节假日\t国庆节");
    ok(
        &db,
        &[
            "calendar",
            "add",
            "2014-10-11",
            "--kind",
            "调休上班",
            "--name",
            "国庆调休",
        ],
    );
    let list = ok(&db, &["calendar"]);
    assert_eq!(
        list.lines().collect::<Vec<_>>(),
        [
            "2014-10-01\t节假日\t国庆节",
            "2014-10-11\t调休上班\t国庆调休"
        ]
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["calendar", "--json"])).unwrap();
    assert_eq!(json[1]["kind"], "调休上班");
    ok(&db, &["calendar", "remove", "2014-10-01"]);
    assert_eq!(ok(&db, &["calendar"]).lines().count(), 1);
    // refused: an unknown kind, a bad day, a day not listed
    let o = genjin(&db, &["calendar", "add", "2014-10-02", "--kind", "周末"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("无法识别的类型“周末”"),
        "{}",
        stderr(&o)
    );
    let o = genjin(&db, &["calendar", "add", "2014-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是有效日期"), "{}", stderr(&o));
    assert_eq!(
        genjin(&db, &["calendar", "remove", "2014-10-01"])
            .status
            .code(),
        Some(2)
    );
    // the mode is a setting its module declares and checks
    ok(&db, &["settings", "calendar.mode", "calendar_days"]);
    assert!(ok(&db, &["settings", "calendar.mode"]).starts_with("calendar.mode = calendar_days"));
    let o = genjin(&db, &["settings", "calendar.mode", "weekly"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Issue 8: the 逾期 filter, keywords ANDed, completion only after a promise, lateness shown.
#[test]
fn overdue_filter_keywords_and_late_completion() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    for summary in ["随访 短信 提醒", "随访 问卷"] {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                "2014-06-19",
                "--reporter",
                "张三",
                "--summary",
                summary,
            ],
        );
    }
    for n in ["14061901", "14061902"] {
        ok(
            &db,
            &[
                "decide",
                n,
                "--decision",
                "做",
                "--grade",
                "C",
                "--at",
                "2014-06-21 10:30",
            ],
        );
    }
    // ⑤ before ④ is refused, and nothing changes
    let o = genjin(&db, &["complete", "14061902", "--date", "2014-06-30"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("还没有预期交付日"), "{}", stderr(&o));
    ok(&db, &["expect", "14061901", "--date", "2014-06-25"]);
    let overdue = ok(&db, &["register", "--status", "逾期"]);
    assert!(
        overdue.contains("14061901") && !overdue.contains("14061902"),
        "{overdue}"
    );
    assert!(overdue.trim_end().ends_with("共 1 条"));
    assert!(ok(&db, &["show", "14061901"]).contains("逾期：承诺交付日 2014-06-25 已过"));
    let both = ok(&db, &["register", "--search", "随访 短信"]);
    assert!(
        both.contains("14061901") && !both.contains("14061902"),
        "{both}"
    );
    ok(&db, &["complete", "14061901", "--date", "2014-06-30"]);
    let shown = ok(&db, &["show", "14061901"]);
    assert!(
        shown.contains("逾期交付：晚于承诺交付日 2014-06-25"),
        "{shown}"
    );
    assert!(!shown.contains("逾期：承诺交付日"), "{shown}");
    assert!(ok(&db, &["register", "--status", "逾期"])
        .trim_end()
        .ends_with("共 0 条"));
}

/// A requirement promised for 2014-06-25 (the policy's row 14061914), with people to sign.
fn promised(db: &Path) {
    ok(
        db,
        &[
            "add-person",
            "--name",
            "陈主管",
            "--department",
            "策划部",
            "--roles",
            EVERY_ROLE,
        ],
    );
    ok(
        db,
        &["add-person", "--name", "周部长", "--department", "策划部"],
    );
    ok(
        db,
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
    ok(
        db,
        &[
            "add-person",
            "--name",
            "赵经理",
            "--department",
            "策划部",
            "--roles",
            "产品经理",
        ],
    );
    ok(
        db,
        &[
            "add-person",
            "--name",
            "王总",
            "--department",
            "总经办",
            "--roles",
            "决策组",
        ],
    );
    ok(
        db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "问卷自动计分",
        ],
    );
    ok(
        db,
        &[
            "decide",
            "14061901",
            "--decision",
            "做",
            "--grade",
            "C",
            "--date",
            "2014-06-20",
        ],
    );
    ok(db, &["expect", "14061901", "--date", "2014-06-25"]);
}

fn sign(db: &Path, id: &str, level: &str, opinion: &str, signer: &str, date: &str) -> Output {
    genjin(
        db,
        &[
            "--as",
            "李小四",
            "delay",
            "sign",
            id,
            "--level",
            level,
            "--opinion",
            opinion,
            "--signer",
            signer,
            "--date",
            date,
        ],
    )
}

/// Issue 9: file, sign three levels in order, and the register reads like the policy's row
/// 14061914 — 预期交付日 the first promise, 延期, 备注 with the new date — while `show` and
/// `delays` give the date in force and every signature.
#[test]
fn a_delay_is_filed_signed_in_order_and_takes_effect() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    promised(&db);
    let id = ok(
        &db,
        &[
            "--as",
            "赵经理",
            "delay",
            "file",
            "14061901",
            "--new-date",
            "2014-07-25",
            "--reason",
            "实现难度大",
            "--filed",
            "2014-06-23",
            "--at",
            "2014-06-23 10:00",
        ],
    )
    .trim()
    .to_string();
    assert!(id.parse::<i64>().is_ok(), "{id}");
    // out of order, by someone unknown, 总经办 outside the decision group: refused, nothing written
    let o = sign(&db, &id, "部门领导", "同意", "赵经理", "2014-06-24");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("请先记录直接领导的签字"),
        "{}",
        stderr(&o)
    );
    // the applicant does not sign their own application
    let o = sign(&db, &id, "直接领导", "同意", "赵经理", "2014-06-24");
    assert!(stderr(&o).contains("申请人不能"), "{}", stderr(&o));
    let o = sign(&db, &id, "直接领导", "同意", "陈主管", "2014-06-24");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("直接领导 陈主管 同意（2014-06-24）"),
        "{}",
        stdout(&o)
    );
    let o = sign(&db, &id, "直接领导", "同意", "陈主管", "2014-06-24");
    assert!(stderr(&o).contains("不能重复签"), "{}", stderr(&o));
    // one person, one level, where the company says so (issue 20: allowed by default)
    ok(&db, &["settings", "delays.same_leader", "refused"]);
    let o = sign(&db, &id, "部门领导", "同意", "陈主管", "2014-06-24");
    assert!(stderr(&o).contains("两级"), "{}", stderr(&o));
    assert!(sign(&db, &id, "部门领导", "同意", "周部长", "2014-06-24")
        .status
        .success());
    let o = sign(&db, &id, "总经办", "同意", "李小四", "2014-06-24");
    assert!(stderr(&o).contains("决策组"), "{}", stderr(&o));
    // the 总经办 is of the decision group, so a listed person (issue 20: only the lower two
    // levels may be leaders who sign on paper only)
    let o = sign(&db, &id, "总经办", "同意", "无此人", "2014-06-24");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不在人员名单中"), "{}", stderr(&o));
    let pending: serde_json::Value =
        serde_json::from_str(&ok(&db, &["delays", "14061901", "--json"])).unwrap();
    assert_eq!(pending[0]["状态"], "待签");
    assert_eq!(pending[0]["签字"].as_array().unwrap().len(), 2);
    let o = sign(&db, &id, "总经办", "同意", "王总", "2014-06-24");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已批准"));

    let all: serde_json::Value = serde_json::from_str(&ok(&db, &["delays", "--json"])).unwrap();
    let d = &all[0];
    assert_eq!(d["需求编号"], "14061901");
    assert_eq!(d["申请人"], "赵经理");
    assert_eq!(d["部门"], "策划部");
    assert_eq!(d["填报日期"], "2014-06-23");
    assert_eq!(d["原交付日"], "2014-06-25");
    assert_eq!(d["新交付日"], "2014-07-25");
    assert_eq!(d["需求概述"], "问卷自动计分");
    assert_eq!(d["延期原因"], "实现难度大");
    assert_eq!(d["状态"], "已批准");
    assert_eq!(d["逾期申请"], false);
    let signs = d["签字"].as_array().unwrap();
    let levels: Vec<&str> = signs.iter().map(|s| s["级别"].as_str().unwrap()).collect();
    assert_eq!(levels, ["直接领导", "部门领导", "总经办"]);
    assert_eq!(signs[2]["签字人"], "王总");
    assert_eq!(signs[2]["日期"], "2014-06-24");

    let show: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14061901", "--json"])).unwrap();
    assert_eq!(show["现行交付日"], "2014-07-25");
    let reg: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    assert_eq!(
        reg[0]["预期交付日"], "2014-06-25",
        "the register keeps the first promise"
    );
    assert_eq!(reg[0]["需求状态"], "延期");
    assert_eq!(
        reg[0]["备注"], "因实现难度大延期到7月25日交付",
        "SPEC §8 / issue 20: 因<short reason>延期到M月D日交付, one short line"
    );
    // the signed paper, photographed, is kept with it; a missing file is said in Chinese
    let photo = dir.path().join("签字页.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0").unwrap();
    ok(&db, &["delay", "attach", &id, photo.to_str().unwrap()]);
    let o = genjin(&db, &["delay", "attach", &id, "/no/such/签字.jpg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("不存在") && !stderr(&o).contains("os error"),
        "{}",
        stderr(&o)
    );
    let o = genjin(&db, &["delay", "attach", &id, photo.to_str().unwrap()]);
    assert!(stdout(&o).contains("签字页.jpg"), "{}", stderr(&o));
    // a spreadsheet renamed .jpg is not a photo
    let fake = dir.path().join("fake.jpg");
    std::fs::write(&fake, b"PK\x03\x04").unwrap();
    let o = genjin(&db, &["delay", "attach", &id, fake.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("内容不是"), "{}", stderr(&o));
    // completion still works after a delay, and the delay stays
    ok(&db, &["complete", "14061901", "--date", "2014-07-20"]);
    let d: serde_json::Value =
        serde_json::from_str(&ok(&db, &["delays", "14061901", "--json"])).unwrap();
    assert_eq!(d[0]["状态"], "已批准");
    // signed: it cannot be withdrawn any more
    let o = genjin(&db, &["delay", "withdraw", &id]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不能撤回"), "{}", stderr(&o));

    // the requirement's history carries the application's own rows: filed, each signature
    let h = ok(&db, &["history", "14061901"]);
    for line in [
        format!("延期申请#{id} 创建"),
        format!("延期申请#{id} 直接领导意见\t → 陈主管 同意（2014-06-24）"),
        format!("延期申请#{id} 总经办意见\t → 王总 同意（2014-06-24）"),
    ] {
        assert!(h.contains(&line), "{line} in:\n{h}");
    }
    // the timeline: filed by the applicant, each level signed by its signer on the paper's day
    let t: serde_json::Value =
        serde_json::from_str(&ok(&db, &["timeline", "14061901", "--json"])).unwrap();
    let delay_events: Vec<(String, String, String)> = t
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"].as_str().unwrap().contains("延期"))
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
                e["happened"]["day"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let ev = |k: &str, a: &str, d: &str| (k.to_string(), a.to_string(), d.to_string());
    assert_eq!(
        delay_events,
        [
            ev("提交延期申请", "赵经理", "2014-06-23"),
            ev("延期签字", "陈主管", "2014-06-24"),
            ev("延期签字", "周部长", "2014-06-24"),
            ev("延期签字", "王总", "2014-06-24"),
            ev("延期批准", "王总", "2014-06-24"),
        ]
    );
}

/// Issue 9: a rejection keeps the first promise; a second application may follow; one filed
/// after the promised date is marked 逾期申请; an unsigned one can be withdrawn; unknown ids,
/// bad dates and a new date not after the original are refused with exit 2.
#[test]
fn delays_rejected_withdrawn_late_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    promised(&db);
    let file = |new: &str, filed: &str| {
        genjin(
            &db,
            &[
                "--as",
                "赵经理",
                "delay",
                "file",
                "14061901",
                "--new-date",
                new,
                "--reason",
                "接口未开放",
                "--filed",
                filed,
            ],
        )
    };
    let o = file("2014-06-25", "2014-06-23");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("新交付日须晚于原交付日"),
        "{}",
        stderr(&o)
    );
    let o = file("2014-13-01", "2014-06-23");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是有效日期"), "{}", stderr(&o));
    assert!(
        ok(&db, &["delays", "--json"]).trim() == "[]",
        "nothing written"
    );

    let first = stdout(&file("2014-07-10", "2014-06-23")).trim().to_string();
    let o = file("2014-07-20", "2014-06-23");
    assert!(
        stderr(&o).contains("待签"),
        "one pending at a time: {}",
        stderr(&o)
    );
    let o = sign(&db, &first, "直接领导", "不同意", "陈主管", "2014-06-24");
    assert!(stdout(&o).contains("已驳回"), "{}", stderr(&o));
    let show: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14061901", "--json"])).unwrap();
    assert_eq!(
        show["现行交付日"], "2014-06-25",
        "a rejection changes nothing"
    );

    // filed after the promised date had passed: allowed, marked late; then withdrawn unsigned
    let late = stdout(&file("2014-07-20", "2014-06-27")).trim().to_string();
    let o = genjin(
        &db,
        &["delay", "withdraw", &late, "--reason", "改为下个版本"],
    );
    assert!(stdout(&o).contains("已撤回"), "{}", stderr(&o));
    let all: serde_json::Value =
        serde_json::from_str(&ok(&db, &["delays", "14061901", "--json"])).unwrap();
    let states: Vec<(&str, bool)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["状态"].as_str().unwrap(),
                d["逾期申请"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(states, [("已驳回", false), ("已撤回", true)]);

    for args in [
        vec![
            "delay",
            "sign",
            "99",
            "--level",
            "直接领导",
            "--opinion",
            "同意",
        ],
        vec![
            "delay",
            "sign",
            "x",
            "--level",
            "直接领导",
            "--opinion",
            "同意",
        ],
        vec!["delay", "withdraw", "99"],
        vec![
            "delay",
            "sign",
            &first,
            "--level",
            "科长",
            "--opinion",
            "同意",
        ],
    ] {
        let o = genjin(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("延期申请 99")
                || stderr(&o).contains("不是数字")
                || stderr(&o).contains("签字级别"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

/// The text of every non-empty cell of the first sheet of an xlsx, by (row, col), and the
/// sheet's merged ranges ((first row, first col), (last row, last col)).
type Sheet = (
    std::collections::HashMap<(u32, u32), String>,
    Vec<((u32, u32), (u32, u32))>,
);

fn xlsx_cells(path: &Path) -> Sheet {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let mut cells = std::collections::HashMap::new();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, row) in range.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let t = v.to_string();
            if !t.is_empty() {
                cells.insert((r0 + r as u32, c0 + c as u32), t);
            }
        }
    }
    let merged = book
        .merge_cells_by_sheet_name(&name)
        .unwrap()
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect();
    (cells, merged)
}

/// One part of the xlsx (a zip) as text.
fn xlsx_part(path: &Path, part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Issue 11: 附表2 from the command line, filled and blank — the labels where the paper has
/// them, the values beside, one A4 portrait page — and the refusals.
#[test]
fn the_report_form_exports_filled_and_blank() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "贺杰静",
            "--department",
            "推广部",
            "--summary",
            "随访问卷 自动计分",
            "--doctor",
            "郭建国",
            "--hospital",
            "省二",
            "--words",
            "随访问卷能不能自动算分",
        ],
    );
    let filled = dir.path().join("需求报告表14061901.xlsx");
    let said = ok(
        &db,
        &[
            "export",
            "form",
            "14061901",
            "--out",
            filled.to_str().unwrap(),
        ],
    );
    assert!(said.contains("需求报告表14061901.xlsx"), "{said}");
    let blank = dir.path().join("空白.xlsx");
    ok(
        &db,
        &[
            "export",
            "form",
            "--blank",
            "--out",
            blank.to_str().unwrap(),
        ],
    );
    let (cells, merged) = xlsx_cells(&filled);
    let at = |r: u32, c: u32| cells.get(&(r, c)).cloned().unwrap_or_default();
    assert_eq!((at(0, 0), at(1, 0)), ("附表2".into(), "需求报告表".into()));
    assert_eq!((at(2, 0), at(2, 1)), ("报告人".into(), "贺杰静".into()));
    assert_eq!((at(3, 2), at(3, 3)), ("需求编号".into(), "14061901".into()));
    assert_eq!((at(4, 0), at(4, 1)), ("医生姓名".into(), "郭建国".into()));
    assert_eq!(
        (at(6, 0), at(6, 1)),
        ("医生原话".into(), "随访问卷能不能自动算分".into())
    );
    assert!(
        merged.contains(&((6, 1), (6, 3))),
        "医生原话 is a text area: {merged:?}"
    );
    assert_eq!(at(8, 0), "需求补充");
    assert_eq!(at(9, 1), "同科室医生对这个需求强烈吗？");
    let (blank_cells, _) = xlsx_cells(&blank);
    assert_eq!(
        blank_cells.get(&(2, 1)),
        None,
        "a blank form has no values: {blank_cells:?}"
    );
    let ws = xlsx_part(&filled, "xl/worksheets/sheet1.xml");
    assert!(ws.contains("paperSize=\"9\""), "A4");
    assert!(ws.contains("orientation=\"portrait\""), "portrait");
    assert!(
        ws.contains("fitToWidth=\"1\"") || ws.contains("fitToPage=\"1\""),
        "one page"
    );
    // refusals: unknown number, neither or both of NUMBER and --blank
    for (args, says) in [
        (vec!["export", "form", "14061999", "--out"], "14061999"),
        (vec!["export", "form", "--out"], "二者选一"),
    ] {
        let out = dir.path().join("x.xlsx");
        let mut all = args.clone();
        all.push(out.to_str().unwrap());
        let o = genjin(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "nothing written");
    }
}

/// Issue 11: 附表3 exported — the policy's columns and date style, the rows selected by status
/// and received dates, text that starts with = kept as text, A4 landscape with the title and
/// header repeated on every page and frozen.
#[test]
fn the_register_exports_to_print_in_landscape() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/legacy");
    ok(&db, &["import", fixtures]);
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-30",
            "--reporter",
            "刘小妹",
            "--summary",
            "=SUM(A1) 公式样的梗概",
        ],
    );
    let all = dir.path().join("需求登记反馈表.xlsx");
    let said = ok(&db, &["export", "register", "--out", all.to_str().unwrap()]);
    assert!(said.contains("已导出 103 条需求"), "{said}");
    let (cells, merged) = xlsx_cells(&all);
    let at = |r: u32, c: u32| cells.get(&(r, c)).cloned().unwrap_or_default();
    assert_eq!(at(0, 0), "需求登记反馈表");
    assert!(merged.contains(&((0, 0), (0, 9))), "{merged:?}");
    let head: Vec<String> = (0..10).map(|c| at(1, c)).collect();
    assert_eq!(
        head,
        [
            "需求编号",
            "填表人",
            "需求人",
            "决策结果",
            "需求分级",
            "预期交付日",
            "实际交付日",
            "需求状态",
            "需求梗概",
            "备注"
        ]
    );
    // the policy's example row 14061914: first promise kept, 延期, the new date in 备注
    let row = (2..105)
        .find(|r| at(*r, 0) == "14061914")
        .expect("14061914 exported");
    let line: Vec<String> = (0..10).map(|c| at(row, c)).collect();
    assert_eq!(&line[3..8], ["做", "C", "20140625", "", "延期"]);
    assert!(line[9].contains("延期到7月25日交付"), "{line:?}");
    let formula = (2..105)
        .find(|r| at(*r, 8).starts_with("=SUM"))
        .expect("the = row");
    assert_eq!(at(formula, 8), "=SUM(A1) 公式样的梗概");
    let ws = xlsx_part(&all, "xl/worksheets/sheet1.xml");
    assert!(!ws.contains("<f>"), "no formula written");
    assert!(ws.contains("orientation=\"landscape\"") && ws.contains("paperSize=\"9\""));
    assert!(ws.contains("ySplit=\"2\""), "title and header frozen");
    let book = xlsx_part(&all, "xl/workbook.xml");
    assert!(
        book.contains("_xlnm.Print_Titles") && book.contains("$1:$2"),
        "title and header repeated on every page: {book}"
    );
    // by status and received dates
    let done = dir.path().join("完成.xlsx");
    let said = ok(
        &db,
        &[
            "export",
            "register",
            "--status",
            "完成",
            "--from",
            "2014-06-19",
            "--to",
            "2014-06-19",
            "--out",
            done.to_str().unwrap(),
        ],
    );
    let (cells, _) = xlsx_cells(&done);
    let statuses: Vec<&String> = cells
        .iter()
        .filter(|((r, c), _)| *r >= 2 && *c == 7)
        .map(|(_, v)| v)
        .collect();
    assert!(
        !statuses.is_empty() && statuses.iter().all(|s| *s == "完成"),
        "{said} {statuses:?}"
    );
    let o = genjin(
        &db,
        &[
            "export",
            "register",
            "--status",
            "半完成",
            "--out",
            done.to_str().unwrap(),
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("半完成"), "{}", stderr(&o));
}

/// The fill colour (ARGB, e.g. `FFFFFF00`) of the first cell of sheet row `row` (1-based), read
/// from the xlsx's XML: the cell's style → its fill → the fill's colour; `None` when unfilled.
fn row_fill(path: &Path, row: u32) -> Option<String> {
    let sheet = xlsx_part(path, "xl/worksheets/sheet1.xml");
    let styles = xlsx_part(path, "xl/styles.xml");
    let at = sheet.find(&format!("<row r=\"{row}\""))?;
    let cell = &sheet[at..];
    let cell = &cell[cell.find("<c ")?..];
    let cell = &cell[..cell.find('>')?];
    let s: usize = cell
        .split("s=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let xfs = &styles[styles.find("<cellXfs")?..];
    let xf = xfs.split("<xf ").nth(s + 1)?;
    let fill: usize = xf
        .split("fillId=\"")
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()?;
    let fills = &styles[styles.find("<fills")?..styles.find("</fills>")?];
    let f = fills.split("<fill>").nth(fill + 1)?;
    f.split("rgb=\"")
        .nth(1)
        .map(|v| v.split('"').next().unwrap_or("").to_string())
}

/// Issue 11: the 新增需求收集周报 of a week — the mail body naming each requirement to decide,
/// the full register with those rows in yellow, their 需求报告表 (one .zip from 10 on) — in a
/// folder; `--json` lists the agenda; sending is recorded once with its time.
#[test]
fn the_weekly_report_writes_its_folder_and_its_sending_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/legacy");
    ok(&db, &["import", fixtures]);
    let v: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["report", "weekly", "--week", "2014-06-20", "--json"],
    ))
    .unwrap();
    assert_eq!(v["周"], "2014-06-20");
    // received by Thursday 06-19 and undecided (the two forms), or 再议 (14061912)
    assert_eq!(
        v["待决策"],
        serde_json::json!(["14061903", "14061904", "14061912"])
    );
    let folder = dir.path().join("周报0620");
    ok(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2014-06-18",
            "--out",
            folder.to_str().unwrap(),
        ],
    );
    let body = std::fs::read_to_string(folder.join("周报正文.txt")).unwrap();
    assert!(
        body.contains("1. 14061903 ") && body.contains("14061912") && body.contains("【再议】"),
        "{body}"
    );
    let register = folder.join("需求登记反馈表_20140620.xlsx");
    let (cells, _) = xlsx_cells(&register);
    let row_of = |n: &str| {
        cells
            .iter()
            .find(|((_, c), v)| *c == 0 && v.as_str() == n)
            .map(|((r, _), _)| *r + 1)
            .unwrap()
    };
    assert_eq!(
        row_fill(&register, row_of("14061912")).as_deref(),
        Some("FFFFFF00"),
        "标黄"
    );
    assert_eq!(
        row_fill(&register, row_of("14061910")),
        None,
        "decided: not highlighted"
    );
    for n in ["14061903", "14061904", "14061912"] {
        assert!(
            folder.join(format!("需求报告表{n}.xlsx")).exists(),
            "{n}'s form"
        );
    }
    // ten or more forms: one archive
    for i in 0..8 {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                "2014-06-26",
                "--reporter",
                "刘小妹",
                "--summary",
                &format!("第{i}个"),
            ],
        );
    }
    let folder2 = dir.path().join("周报0627");
    let said = ok(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2014-06-27",
            "--out",
            folder2.to_str().unwrap(),
        ],
    );
    let agenda: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["report", "weekly", "--week", "2014-06-27", "--json"],
    ))
    .unwrap();
    let agenda: Vec<&str> = agenda["待决策"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(agenda.len() >= 10, "{said}");
    let zip_path = folder2.join("需求报告表_20140627.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    assert_eq!(zip.len(), agenda.len());
    let last = format!("需求报告表{}.xlsx", agenda[agenda.len() - 1]);
    assert!(zip.by_name(&last).is_ok(), "{last}");
    assert!(!folder2.join(&last).exists(), "not loose as well");
    // sent: recorded once, with its time
    let said = ok(
        &db,
        &[
            "report",
            "weekly-sent",
            "--week",
            "2014-06-20",
            "--at",
            "2014-06-20 09:30",
        ],
    );
    assert!(
        said.contains("2014-06-20") && said.contains("09:30"),
        "{said}"
    );
    let o = genjin(&db, &["report", "weekly-sent", "--week", "2014-06-20"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("已记录为"), "{}", stderr(&o));
    let o = genjin(&db, &["report", "weekly", "--week", "2014-06-20"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
}

/// Issue 11: the monthly summary of June 2014 against a month worked out by hand.
///
/// | 需求 | 报告人 | 收到 | 决策（日期） | 预期 | 交付 / 延期 |
/// |---|---|---|---|---|---|
/// | 14052001 | 张三 | 05-20 | 做 B (05-24) | 06-10 | delivered 06-12 |
/// | 14060201 | 张三 | 06-02 | 做 B (06-07) | 06-20 | delivered 06-18 |
/// | 14060202 | 张三 | 06-02 | 不做 (06-07) | | |
/// | 14060901 | 张三 | 06-09 | 再议 (06-14) | | |
/// | 14060902 | 李四 | 06-09 | 需求转换 C (06-14) | 06-25 | — (overdue on 06-30) |
/// | 14061601 | 李四 | 06-16 | 做 A (06-21) | 06-28 | delay to 07-15 approved 06-26 |
/// | 14061901 | 刘小妹 | 06-19 | 做 C (06-20) | 06-25 | — (overdue on 06-30) |
/// | 14062301 | 王五 | 06-23 | — | | |
/// | 14062302 | 王五 | 06-23 | 做 D (07-05) | | |
///
/// 提交 8 (June's receipts); 决策 in June: 做 3 (06-07, 06-20, 06-21), 不做 1, 再议 1, 需求转换 1;
/// 完成 2 (06-12, 06-18); 延期 1; 逾期 at 06-30: 2 (14060902, 14061901). Per reporter, of June's
/// submissions decided (做/不做/需求转换) by 06-30: 李四 2/2 adopted → 100 %; 刘小妹 1/1 → 100 %
/// (fewer submitted, so after 李四); 张三 3 submitted, 2 decided (做, 不做), 1 adopted → 50 %;
/// 王五 2 submitted, 0 decided (July's decision does not count) → 0.
#[test]
fn the_monthly_summary_matches_a_month_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    promised(&db); // people (陈主管, 周部长, 王总 of the decision group …) and 14061901
    for name in ["张三", "李四", "王五"] {
        ok(
            &db,
            &["add-person", "--name", name, "--department", "推广部"],
        );
    }
    let add = |received: &str, reporter: &str| {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                received,
                "--reporter",
                reporter,
                "--summary",
                "月报 测试",
            ],
        )
        .trim()
        .to_string()
    };
    let decide = |n: &str, d: &str, grade: Option<&str>, date: &str| {
        let mut args = vec!["decide", n, "--decision", d, "--date", date, "--at", date];
        if let Some(g) = grade {
            args.extend(["--grade", g]);
        }
        if d == "需求转换" {
            args.extend(["--conversion", "改为科室公告"]);
        }
        ok(&db, &args);
    };
    let may = add("2014-05-20", "张三");
    decide(&may, "做", Some("B"), "2014-05-24");
    ok(
        &db,
        &["expect", &may, "--date", "2014-06-10", "--at", "2014-05-25"],
    );
    ok(
        &db,
        &[
            "complete",
            &may,
            "--date",
            "2014-06-12",
            "--at",
            "2014-06-12",
        ],
    );
    let a = add("2014-06-02", "张三");
    decide(&a, "做", Some("B"), "2014-06-07");
    ok(
        &db,
        &["expect", &a, "--date", "2014-06-20", "--at", "2014-06-08"],
    );
    ok(
        &db,
        &["complete", &a, "--date", "2014-06-18", "--at", "2014-06-18"],
    );
    let b = add("2014-06-02", "张三");
    decide(&b, "不做", None, "2014-06-07");
    let c = add("2014-06-09", "张三");
    decide(&c, "再议", None, "2014-06-14");
    let d = add("2014-06-09", "李四");
    decide(&d, "需求转换", Some("C"), "2014-06-14");
    ok(
        &db,
        &["expect", &d, "--date", "2014-06-25", "--at", "2014-06-15"],
    );
    let e = add("2014-06-16", "李四");
    decide(&e, "做", Some("A"), "2014-06-21");
    ok(
        &db,
        &["expect", &e, "--date", "2014-06-28", "--at", "2014-06-22"],
    );
    let id = ok(
        &db,
        &[
            "--as",
            "赵经理",
            "delay",
            "file",
            &e,
            "--new-date",
            "2014-07-15",
            "--reason",
            "联调",
            "--filed",
            "2014-06-24",
        ],
    )
    .trim()
    .to_string();
    for (level, signer) in [
        ("直接领导", "陈主管"),
        ("部门领导", "周部长"),
        ("总经办", "王总"),
    ] {
        assert!(sign(&db, &id, level, "同意", signer, "2014-06-26")
            .status
            .success());
    }
    add("2014-06-23", "王五");
    let g = add("2014-06-23", "王五");
    decide(&g, "做", Some("D"), "2014-07-05");

    let v: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["report", "monthly", "--month", "2014-06", "--json"],
    ))
    .unwrap();
    assert_eq!(v["月份"], "2014-06");
    assert_eq!(v["提交"], 8, "{v}");
    assert_eq!(
        v["决策"],
        serde_json::json!({"做": 3, "不做": 1, "再议": 1, "需求转换": 1}),
        "{v}"
    );
    assert_eq!(
        (&v["完成"], &v["延期"], &v["逾期"]),
        (&2.into(), &1.into(), &2.into()),
        "{v}"
    );
    let people: Vec<(String, u64, u64, u64, f64)> = v["人员"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["姓名"].as_str().unwrap().to_string(),
                p["提交"].as_u64().unwrap(),
                p["已决策"].as_u64().unwrap(),
                p["采纳"].as_u64().unwrap(),
                p["采纳率"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        people,
        [
            ("李四".to_string(), 2, 2, 2, 1.0),
            ("刘小妹".to_string(), 1, 1, 1, 1.0),
            ("张三".to_string(), 3, 2, 1, 0.5),
            ("王五".to_string(), 2, 0, 0, 0.0)
        ]
    );
    // the workbook: the tables and native charts
    let out = dir.path().join("月报.xlsx");
    ok(
        &db,
        &[
            "report",
            "monthly",
            "--month",
            "2014-06",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let (cells, _) = xlsx_cells(&out);
    assert_eq!(
        cells.get(&(0, 0)).map(String::as_str),
        Some("需求收集处理月度总结（2014年6月）")
    );
    assert_eq!(cells.get(&(6, 0)).map(String::as_str), Some("决策：再议"));
    assert_eq!(cells.get(&(6, 1)).map(String::as_str), Some("1"));
    let zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let charts = zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        .count();
    assert_eq!(charts, 3, "decisions, adoption, trends");
    let o = genjin(&db, &["report", "monthly", "--month", "六月", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是月份"), "{}", stderr(&o));
}

/// Issue 11: a decision meeting — the week's agenda listed, the verdicts on it recorded in one
/// sitting with the meeting's time; one verdict against the rules refuses the whole sitting.
#[test]
fn a_decision_meeting_records_the_whole_agenda_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/legacy");
    ok(&db, &["import", fixtures]);
    let agenda = ok(&db, &["meeting", "--week", "2014-06-20"]);
    assert!(
        agenda.starts_with("2014-06-20 这一周待决策 3 条"),
        "{agenda}"
    );
    assert!(
        agenda.contains("14061912") && agenda.contains("再议"),
        "{agenda}"
    );
    // 做 without a grade: the sitting is refused, naming the requirement; nothing written
    let o = genjin(
        &db,
        &[
            "meeting",
            "--at",
            "2014-06-21 10:00",
            "--verdict",
            "14061903=做:B",
            "--verdict",
            "14061904=做",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("14061904"), "{}", stderr(&o));
    // issue 20: every row with a problem is said at once, not the first only
    let o = genjin(
        &db,
        &[
            "meeting",
            "--at",
            "2014-06-21 10:00",
            "--verdict",
            "14061903=做",
            "--verdict",
            "14061904=需求转换:C",
            "--verdict",
            "14061912=不做",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let said = stderr(&o);
    assert!(
        said.contains("2 条有问题")
            && said.contains("14061903：决策结果为“做”时必须选择需求分级")
            && said.contains("14061904：决策结果为“需求转换”时必须填写转换概要"),
        "{said}"
    );
    let show: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14061903", "--json"])).unwrap();
    assert!(
        show["决策结果"].is_null() || show["决策结果"] == "",
        "{}",
        show["决策结果"]
    );
    let said = ok(
        &db,
        &[
            "meeting",
            "--at",
            "2014-06-21 10:00",
            "--verdict",
            "14061903=做:b",
            "--verdict",
            "14061904=需求转换:C:改为病友圈独立入口",
            "--verdict",
            "14061912=不做",
        ],
    );
    assert!(said.contains("已记录 3 条决策"), "{said}");
    let o = genjin(
        &db,
        &[
            "meeting",
            "--verdict",
            "14061910=做:A",
            "--verdict",
            "14061910=不做",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("14061910") && stderr(&o).contains("两个"),
        "{}",
        stderr(&o)
    );
    let reg: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    let row = |n: &str| {
        reg.as_array()
            .unwrap()
            .iter()
            .find(|r| r["需求编号"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            row("14061903")["决策结果"].clone(),
            row("14061903")["需求分级"].clone()
        ),
        ("做".into(), "B".into())
    );
    assert_eq!(row("14061904")["决策结果"], "需求转换");
    assert_eq!(row("14061912")["需求状态"], "完成", "不做 closes it");
    // all with the meeting's time
    let h = ok(&db, &["history", "14061904"]);
    assert!(
        h.lines()
            .any(|l| l.starts_with("2014-06-21T10:00") && l.contains("决策结果")),
        "{h}"
    );
    // the agenda of that week is now empty
    let agenda = ok(&db, &["meeting", "--week", "2014-06-27"]);
    assert!(!agenda.contains("14061903"), "{agenda}");
}

/// Every step from the command line with when it happened (issue 12 item 1, spelled exactly):
/// planning document, IT acceptance, notices of requirements and bugs, the weekly report sent.
#[test]
fn every_step_from_the_command_line_with_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    promised(&db); // 14061901 decided 做 C on 06-20, expected 06-25
    let said = ok(
        &db,
        &[
            "plan",
            "14061901",
            "--doc-number",
            "CH-2014-031",
            "--estimated",
            "2014-06-22",
            "--at",
            "2014-06-20 11:00",
        ],
    );
    assert!(
        said.contains("CH-2014-031") && said.contains("2014-06-22"),
        "{said}"
    );
    // what is not given again is kept
    ok(
        &db,
        &[
            "plan",
            "14061901",
            "--delivered",
            "2014-06-22",
            "--at",
            "2014-06-22 17:00",
        ],
    );
    ok(
        &db,
        &[
            "acceptance",
            "14061901",
            "--estimated",
            "2014-06-24",
            "--at",
            "2014-06-23 09:00",
        ],
    );
    let show: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14061901", "--json"])).unwrap();
    let text = show.to_string();
    assert!(
        text.contains("CH-2014-031") && text.contains("2014-06-22") && text.contains("2014-06-24"),
        "{text}"
    );
    // a notice to the reporter, confirmed, at the time it was given
    let said = ok(
        &db,
        &[
            "notify",
            "14061901",
            "--step",
            "决策结果",
            "--to",
            "报告人",
            "--channel",
            "QQ",
            "--confirmed",
            "--at",
            "2014-06-21 11:00",
        ],
    );
    assert!(said.contains("刘小妹") && said.contains("已确认"), "{said}");
    let h = ok(&db, &["history", "14061901"]);
    assert!(h.contains("2014-06-21T11:00"), "{h}");
    // nothing to tell yet: refused
    let o = genjin(
        &db,
        &[
            "notify",
            "14061901",
            "--step",
            "完成交付",
            "--to",
            "报告人",
            "--channel",
            "电话",
        ],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("还没有“完成交付”"), "{}", stderr(&o));
    let o = genjin(
        &db,
        &[
            "notify",
            "14061901",
            "--step",
            "决策",
            "--to",
            "报告人",
            "--channel",
            "QQ",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("通知事项"), "{}", stderr(&o));
    // a bug's fix result, to the user
    ok(
        &db,
        &[
            "bug",
            "add",
            "--found",
            "2014-07-01",
            "--reported",
            "2014-07-01",
            "--reporter",
            "刘小妹",
            "--phone-model",
            "iPhone 5",
            "--os",
            "iOS 7.1",
            "--content",
            "闪退",
            "--hospital",
            "省二",
        ],
    );
    ok(
        &db,
        &["add-person", "--name", "测试员小周", "--roles", EVERY_ROLE],
    );
    ok(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070101",
            "--at",
            "2014-07-02 09:00",
        ],
    );
    ok(&db, &["bug", "fix", "B14070101", "--date", "2014-07-03"]);
    let said = ok(
        &db,
        &[
            "notify",
            "B14070101",
            "--step",
            "修复结果",
            "--to",
            "用户",
            "--channel",
            "电话",
            "--at",
            "2014-07-03 16:00",
        ],
    );
    assert!(said.contains("用户（省二）"), "{said}");
    // the weekly report recorded as sent
    let said = ok(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2014-06-20",
            "--sent-at",
            "2014-06-20 09:30",
        ],
    );
    assert!(said.contains("09:30"), "{said}");
}

/// Issue 11: the weekly report's forms — nine attached one by one, ten packed into one .zip
/// (policy 003: "fewer than 10"), and a second run of the week leaves no stale copy.
#[test]
fn the_weekly_forms_are_zipped_from_ten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    for i in 0..9 {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                "2014-06-16",
                "--reporter",
                "刘小妹",
                "--summary",
                &format!("第{i}个"),
            ],
        );
    }
    let folder = dir.path().join("周报");
    let run = || {
        ok(
            &db,
            &[
                "report",
                "weekly",
                "--week",
                "2014-06-20",
                "--out",
                folder.to_str().unwrap(),
            ],
        )
    };
    let said = run();
    assert!(said.contains("待决策 9 条"), "{said}");
    assert!(folder.join("需求报告表14061609.xlsx").exists());
    let zip = folder.join("需求报告表_20140620.zip");
    assert!(!zip.exists(), "nine: loose");
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "第十个",
        ],
    );
    let said = run();
    assert!(said.contains("待决策 10 条"), "{said}");
    assert_eq!(
        zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
            .unwrap()
            .len(),
        10
    );
    assert!(
        !folder.join("需求报告表14061609.xlsx").exists(),
        "the loose ones of the first run are gone"
    );
    let body = std::fs::read_to_string(folder.join("周报正文.txt")).unwrap();
    // reports close on Thursday: the week runs from the Friday before
    assert!(
        body.contains("2014年6月13日 至 2014年6月19日") && body.contains("共收到新需求 10 条"),
        "{body}"
    );
}

/// Issue 12 (the first rules): the to-do computed from what was recorded — a decision at 10:30
/// makes R5 due at 11:30; told at 11:10 it is done and R6 (the reporter tells the requester the
/// same day) takes its place; R4 is due two working days after the meeting; `--person` keeps
/// one person's steps; a step's trigger not yet recorded gives no deadline.
#[test]
fn the_todo_follows_the_recorded_steps() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", "需求收集人"],
    );
    ok(
        &db,
        &["add-person", "--name", "孙经理", "--roles", "产品经理"],
    );
    // (the first person holds every role until trimmed to the collector she is here)
    ok(&db, &["edit-person", "李小四", "--roles", "需求收集人"]);
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "问卷",
        ],
    );
    let todo = |now: &str, person: Option<&str>| -> Vec<(String, String, String, String, bool)> {
        let mut args = vec!["todo", "--now", now, "--json"];
        if let Some(p) = person {
            args.extend(["--person", p]);
        }
        let v: serde_json::Value = serde_json::from_str(&ok(&db, &args)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["规则"]
                        .as_str()
                        .unwrap()
                        .split(' ')
                        .next()
                        .unwrap()
                        .to_string(),
                    i["记录"].as_str().unwrap().to_string(),
                    i["负责人"].as_str().unwrap().to_string(),
                    i["到期"].as_str().unwrap().to_string(),
                    i["逾期"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let t = |r: &str, rec: &str, who: &str, due: &str, late: bool| {
        (
            r.to_string(),
            rec.to_string(),
            who.to_string(),
            due.to_string(),
            late,
        )
    };
    // undecided: only the week's 周报 (R2, Friday 12:00) is waiting
    assert_eq!(
        todo("2014-06-20 09:00", None),
        [t(
            "R2",
            "2014-06-20 周报",
            "李小四",
            "2014-06-20 12:00",
            false
        )]
    );
    ok(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2014-06-20",
            "--sent-at",
            "2014-06-20 09:30",
        ],
    );
    ok(
        &db,
        &[
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
    assert_eq!(
        todo("2014-06-21 11:00", None),
        [
            t("R5", "14061901", "李小四", "2014-06-21 11:30", false),
            t("R4", "14061901", "孙经理", "2014-06-24 23:59", false)
        ]
    );
    assert!(
        todo("2014-06-21 11:31", None)[0].4,
        "R5 overdue a minute after"
    );
    ok(
        &db,
        &[
            "notify",
            "14061901",
            "--step",
            "决策结果",
            "--to",
            "报告人",
            "--channel",
            "QQ",
            "--at",
            "2014-06-21 11:10",
        ],
    );
    assert_eq!(
        todo("2014-06-21 12:00", Some("刘小妹")),
        [t("R6", "14061901", "刘小妹", "2014-06-21 23:59", false)]
    );
    assert_eq!(todo("2014-06-21 12:00", Some("孙经理")).len(), 1, "R4 only");
    let o = genjin(&db, &["todo", "--now", "明天", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--now"), "{}", stderr(&o));
}

/// Issue 12 (first version): June's assessment of a scripted month, worked out by hand.
///
/// 14061901 and 14061902 (received 06-19, reporter 刘小妹) are decided 做 C at the meeting of
/// 06-21 10:30, so R5 (the collector tells the reporter) is due at 11:30: 14061901 at 13:00
/// (1 h 30 late → "2小时"), 14061902 never (late). R6 for 14061901 (the reporter tells the
/// requester the same day, by 24:00) is done 06-22 09:00 (9 h → "9小时"): −20 for 刘小妹. R9 (the
/// expected date of 06-23 09:00 told within the hour) is never done, nor is R14 after the
/// completion of 06-27 17:00: the collector 李小四 is late 4 times → the 1–5 band, −20. The
/// promise of 06-25 is kept on 06-27 (2 days) → −100 for the product manager 孙经理, who also
/// never gave the planning estimates (R4, listed without a deduction: the policy sets none).
#[test]
fn the_assessment_of_a_scripted_month() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", "需求收集人"],
    );
    ok(
        &db,
        &["add-person", "--name", "孙经理", "--roles", "产品经理"],
    );
    ok(&db, &["add-person", "--name", "王总", "--roles", "决策组"]);
    for requester in ["郭主任", "沈丽"] {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                "2014-06-19",
                "--reporter",
                "刘小妹",
                "--requester",
                requester,
                "--summary",
                "问卷",
            ],
        );
    }
    ok(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2014-06-20",
            "--sent-at",
            "2014-06-20 09:30",
        ],
    );
    ok(
        &db,
        &[
            "meeting",
            "--at",
            "2014-06-21 10:30",
            "--verdict",
            "14061901=做:C",
            "--verdict",
            "14061902=做:C",
        ],
    );
    let notify = |to: &str, at: &str| {
        ok(
            &db,
            &[
                "notify",
                "14061901",
                "--step",
                "决策结果",
                "--to",
                to,
                "--channel",
                "QQ",
                "--at",
                at,
            ],
        );
    };
    notify("报告人", "2014-06-21 13:00");
    notify("需求人", "2014-06-22 09:00");
    ok(
        &db,
        &[
            "expect",
            "14061901",
            "--date",
            "2014-06-25",
            "--at",
            "2014-06-23 09:00",
        ],
    );
    ok(
        &db,
        &[
            "complete",
            "14061901",
            "--date",
            "2014-06-27",
            "--at",
            "2014-06-27 17:00",
        ],
    );

    // the decision group reads everyone's sheet (issue 19); the collector her own
    let v: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["--as", "王总", "assessment", "--month", "2014-06", "--json"],
    ))
    .unwrap();
    assert_eq!(v["月份"], "2014-06");
    assert_eq!(v["本月未结束"], false);
    let own: serde_json::Value =
        serde_json::from_str(&ok(&db, &["assessment", "--month", "2014-06", "--json"])).unwrap();
    assert_eq!(own["仅本人"], true);
    let names: Vec<&str> = own["人员"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["姓名"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["李小四"], "{own}");
    type Evidence = Vec<(String, String, String)>;
    let people: Vec<(String, u64, bool, Evidence)> = v["人员"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["姓名"].as_str().unwrap().to_string(),
                p["扣款"].as_u64().unwrap(),
                p["无绩效"].as_bool().unwrap(),
                p["明细"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| {
                        (
                            l["规则"]
                                .as_str()
                                .unwrap()
                                .split(' ')
                                .next()
                                .unwrap()
                                .to_string(),
                            l["记录"].as_str().unwrap().to_string(),
                            format!("{}/{}", l["迟了"].as_str().unwrap(), l["扣款"]),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let line = |r: &str, rec: &str, late: &str| (r.to_string(), rec.to_string(), late.to_string());
    assert_eq!(people.len(), 3, "{v}");
    assert_eq!(
        people[0],
        (
            "刘小妹".to_string(),
            20,
            false,
            vec![line("R6", "14061901", "1天/20")]
        )
    );
    let (name, total, no_pay, lines) = &people[1];
    assert_eq!(
        (name.as_str(), *total, *no_pay),
        ("孙经理", 100, false),
        "{lines:?}"
    );
    assert!(
        lines.contains(&line("按承诺日期交付", "14061901", "2天/100")),
        "{lines:?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.0 == "R4" && l.2.ends_with("/0"))
            .count(),
        2,
        "{lines:?}"
    );
    let (name, total, no_pay, lines) = &people[2];
    assert_eq!(
        (name.as_str(), *total, *no_pay),
        ("李小四", 20, false),
        "{lines:?}"
    );
    assert!(
        lines.contains(&line("R5", "14061901", "2小时/0")),
        "{lines:?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| ["R5", "R9", "R14"].contains(&l.0.as_str()))
            .count(),
        4
    );
    assert_eq!(
        lines.last().unwrap(),
        &line("收集人登记、通知本月未按时", "", "/20"),
        "the band line"
    );
    assert!(v.to_string().contains("本月未按时 4 次（1–5 次）"), "{v}");
    // the rules are versioned by the day they take effect: June keeps June's rules
    let collector = |db: &Path| -> u64 {
        let v: serde_json::Value =
            serde_json::from_str(&ok(db, &["assessment", "--month", "2014-06", "--json"])).unwrap();
        v["人员"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["姓名"] == "李小四")
            .unwrap()["扣款"]
            .as_u64()
            .unwrap()
    };
    ok(
        &db,
        &[
            "--as",
            "王总",
            "settings",
            "assessment.band_low",
            "30",
            "--from",
            "2014-07-01",
        ],
    );
    assert_eq!(collector(&db), 20, "a rule from July leaves June as it was");
    ok(
        &db,
        &[
            "--as",
            "王总",
            "settings",
            "assessment.band_low",
            "35",
            "--from",
            "2014-06-01",
        ],
    );
    assert_eq!(collector(&db), 35, "a rule from June applies to June");
    let o = genjin(
        &db,
        &[
            "--as",
            "王总",
            "settings",
            "calendar.mode",
            "calendar_days",
            "--from",
            "2014-06-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有生效日期"), "{}", stderr(&o));
    // the workbook: totals and evidence
    let out = dir.path().join("考核.xlsx");
    ok(
        &db,
        &[
            "--as",
            "王总",
            "assessment",
            "--month",
            "2014-06",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let (cells, _) = xlsx_cells(&out);
    assert_eq!(
        cells.get(&(0, 0)).map(String::as_str),
        Some("月度考核表（2014-06）")
    );
    assert_eq!(cells.get(&(3, 0)).map(String::as_str), Some("刘小妹"));
}

/// Issue 12 (first version): a quarter's reward candidates — everyone whose steps were all in
/// time, the collector who missed nothing, and a grade A requirement delivered with 11 of its 20
/// working days left (decided Monday 06-02, promised 06-30, delivered 06-13); 王五, who told his
/// requester a day late, is not among them.
#[test]
fn the_quarters_reward_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", "需求收集人"],
    );
    ok(
        &db,
        &["add-person", "--name", "孙经理", "--roles", "产品经理"],
    );
    // (the first person holds every role until trimmed to the collector she is here)
    ok(&db, &["edit-person", "李小四", "--roles", "需求收集人"]);
    for reporter in ["刘小妹", "王五"] {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                "2014-06-02",
                "--reporter",
                reporter,
                "--requester",
                "郭主任",
                "--summary",
                "问卷",
            ],
        );
    }
    ok(
        &db,
        &[
            "report",
            "weekly",
            "--week",
            "2014-06-06",
            "--sent-at",
            "2014-06-06 09:00",
        ],
    );
    ok(
        &db,
        &[
            "meeting",
            "--at",
            "2014-06-02 10:00",
            "--verdict",
            "14060201=做:A",
            "--verdict",
            "14060202=不做",
        ],
    );
    let notify = |n: &str, step: &str, to: &str, at: &str| {
        ok(
            &db,
            &[
                "notify",
                n,
                "--step",
                step,
                "--to",
                to,
                "--channel",
                "QQ",
                "--at",
                at,
            ],
        );
    };
    notify("14060201", "决策结果", "报告人", "2014-06-02 10:30");
    notify("14060201", "决策结果", "需求人", "2014-06-02 15:00");
    notify("14060202", "决策结果", "报告人", "2014-06-02 10:40");
    notify("14060202", "决策结果", "需求人", "2014-06-03 09:00");
    ok(
        &db,
        &[
            "plan",
            "14060201",
            "--estimated",
            "2014-06-04",
            "--at",
            "2014-06-03 09:00",
        ],
    );
    ok(
        &db,
        &[
            "expect",
            "14060201",
            "--date",
            "2014-06-30",
            "--at",
            "2014-06-03 10:00",
        ],
    );
    notify("14060201", "预期交付日", "报告人", "2014-06-03 10:30");
    notify("14060201", "预期交付日", "需求人", "2014-06-03 16:00");
    ok(
        &db,
        &[
            "complete",
            "14060201",
            "--date",
            "2014-06-13",
            "--at",
            "2014-06-13 10:00",
        ],
    );
    notify("14060201", "完成交付", "报告人", "2014-06-13 10:30");

    let v: serde_json::Value =
        serde_json::from_str(&ok(&db, &["rewards", "--quarter", "2014-Q2", "--json"])).unwrap();
    assert_eq!(v["季度"], "2014-Q2");
    let names = |k: &str| -> Vec<(String, u64)> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["姓名"].as_str().unwrap().to_string(),
                    p["按时事项"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        names("准时奖"),
        [
            ("刘小妹".to_string(), 2),
            ("孙经理".to_string(), 2),
            ("李小四".to_string(), 5)
        ],
        "{v}"
    );
    assert_eq!(names("无遗漏奖"), [("李小四".to_string(), 5)]);
    let major = &v["重大需求提前完成"][0];
    assert_eq!(
        (
            &major["需求编号"],
            &major["工作日"],
            &major["提前工作日"],
            &major["负责人"]
        ),
        (&"14060201".into(), &20.into(), &11.into(), &"孙经理".into())
    );
    // the rules are the decision group's to change: refused for others, taken from them
    let o = genjin(
        &db,
        &["--as", "李小四", "settings", "assessment.band_low", "30"],
    );
    assert_eq!(o.status.code(), Some(3), "not allowed");
    assert!(stderr(&o).contains("只有决策组成员"), "{}", stderr(&o));
    ok(&db, &["add-person", "--name", "王总", "--roles", "决策组"]);
    ok(
        &db,
        &["--as", "王总", "settings", "assessment.band_low", "30"],
    );
    assert!(ok(&db, &["settings"]).contains("assessment.band_low"));
    let o = genjin(&db, &["rewards", "--quarter", "2014-Q5", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是季度"), "{}", stderr(&o));
}

/// Issue 12: each requirement knows who answers for its steps — filled when the first holder
/// of a role does a step of it, editable — and its deadlines are theirs.
#[test]
fn the_responsible_people_are_filled_by_the_first_step_and_editable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    for name in ["李小四", "周五"] {
        ok(
            &db,
            &["add-person", "--name", name, "--roles", "需求收集人"],
        );
    }
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "问卷",
        ],
    );
    let r5 = |db: &Path| -> String {
        let v: serde_json::Value =
            serde_json::from_str(&ok(db, &["todo", "--now", "2014-06-21 11:00", "--json"]))
                .unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["规则"].as_str().unwrap().starts_with("R5"))
            .map(|i| i["负责人"].as_str().unwrap().to_string())
            .unwrap()
    };
    ok(
        &db,
        &[
            "--as",
            "李小四",
            "decide",
            "14061901",
            "--decision",
            "不做",
            "--at",
            "2014-06-21 10:30",
        ],
    );
    assert_eq!(r5(&db), "李小四", "the collector who recorded the decision");
    let show: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14061901", "--json"])).unwrap();
    assert_eq!(show["collector"], "李小四");
    ok(&db, &["responsible", "14061901", "--collector", "周五"]);
    assert_eq!(r5(&db), "周五");
    assert!(ok(&db, &["history", "14061901"]).contains("需求收集人\t李小四 → 周五"));
    let o = genjin(&db, &["responsible", "14061901", "--it", "无此人"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("IT负责人“无此人”不在人员名单中"),
        "{}",
        stderr(&o)
    );
}

/// Issue 9: 附表1 exported filled and blank reads like the paper form — the cells' texts, the
/// merged title / heading / reason / signature boxes, and the print setup (A4 portrait, one
/// page, the form's area) set in the file.
#[test]
fn the_delay_form_exports_as_a_printable_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    promised(&db);
    let id = ok(
        &db,
        &[
            "--as",
            "赵经理",
            "delay",
            "file",
            "14061901",
            "--new-date",
            "2014-07-25",
            "--reason",
            "实现难度大",
            "--filed",
            "2014-06-23",
        ],
    )
    .trim()
    .to_string();
    assert!(sign(&db, &id, "直接领导", "同意", "陈主管", "2014-06-24")
        .status
        .success());
    let filled = dir.path().join("延期申请.xlsx");
    ok(
        &db,
        &["export", "delay", &id, "--out", filled.to_str().unwrap()],
    );
    let blank = dir.path().join("空白.xlsx");
    ok(
        &db,
        &[
            "export",
            "delay",
            "--blank",
            "--out",
            blank.to_str().unwrap(),
        ],
    );
    // an existing file is not replaced without --force
    let o = genjin(
        &db,
        &[
            "export",
            "delay",
            "--blank",
            "--out",
            blank.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("已存在"), "{}", stderr(&o));

    let (cells, merged) = xlsx_cells(&filled);
    let at = |r: u32, c: u32| cells.get(&(r, c)).cloned().unwrap_or_default();
    assert_eq!(at(0, 0), "附表1");
    assert_eq!(at(1, 0), "需求延期交付申请");
    assert!(
        at(2, 0).contains("申请人：赵经理") && at(2, 0).contains("部门：策划部"),
        "{}",
        at(2, 0)
    );
    assert!(at(2, 0).contains("填报日期：2014年6月23日"), "{}", at(2, 0));
    let head: Vec<String> = (0..4).map(|c| at(3, c)).collect();
    assert_eq!(head, ["需求编号", "原交付日", "新交付日", "需求概述"]);
    let row: Vec<String> = (0..4).map(|c| at(4, c)).collect();
    assert_eq!(
        row,
        ["14061901", "2014年6月25日", "2014年7月25日", "问卷自动计分"]
    );
    assert_eq!(at(5, 0), "延期原因");
    assert_eq!(at(5, 1), "实现难度大");
    assert_eq!(at(6, 0), "领导意见");
    assert_eq!(
        at(6, 1),
        "直接领导意见：同意（已录入：陈主管，2014年6月24日）"
    );
    assert!(
        at(7, 1).starts_with("签字：") && at(7, 1).contains("年") && !at(7, 1).contains("陈主管"),
        "the signature line stays for the hand: {}",
        at(7, 1)
    );
    assert_eq!(at(8, 1), "部门领导意见：");
    assert!(at(9, 1).contains("年") && at(9, 1).contains("月") && at(9, 1).contains("日"));
    assert_eq!(at(10, 1), "总经办意见：");
    for range in [
        ((1, 0), (1, 3)),
        ((2, 0), (2, 3)),
        ((5, 1), (5, 3)),
        ((6, 0), (11, 0)),
        ((6, 1), (6, 3)),
        ((11, 1), (11, 3)),
    ] {
        assert!(merged.contains(&range), "{range:?} merged: {merged:?}");
    }

    let (cells, _) = xlsx_cells(&blank);
    assert!(cells.get(&(2, 0)).unwrap().contains("申请人__"));
    assert!(!cells.contains_key(&(4, 0)), "no number on the blank form");

    for path in [&filled, &blank] {
        let sheet = xlsx_part(path, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"paperSize="9""#), "A4: {sheet}");
        assert!(sheet.contains(r#"orientation="portrait""#), "portrait");
        assert!(sheet.contains(r#"fitToPage="1""#), "fit to page");
        assert!(
            !sheet.contains("fitToWidth=\"0\"") && !sheet.contains("fitToHeight=\"0\""),
            "one page each way"
        );
        let book = xlsx_part(path, "xl/workbook.xml");
        assert!(
            book.contains("_xlnm.Print_Area") && book.contains("$A$1:$D$12"),
            "print area: {book}"
        );
    }
}

/// Issue 10: a bug is reported with a screenshot and numbered in its own sequence, reproduced
/// (tracker id kept), fixed; a bug that is a feature request becomes a requirement, linked; bad
/// input is refused in Chinese with exit 2 and nothing written.
#[test]
fn a_bug_is_reported_reproduced_fixed_or_converted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let shot = dir.path().join("截图.png");
    std::fs::write(&shot, b"\x89PNG\r\n\x1a\n").unwrap();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "bug",
            "add",
            "--found",
            "2014-07-01",
            "--reporter",
            "刘小妹",
            "--phone-model",
            "iPhone 5",
            "--os",
            "iOS 7.1",
            "--reported",
            "2014-07-01",
        ];
        args.extend_from_slice(extra);
        genjin(&db, &args)
    };
    // refused: no content, a found day after the report, an unknown severity, a fake image
    for (extra, says) in [
        (vec!["--content", " "], "请填写 Bug 内容"),
        (
            vec!["--content", "闪退", "--severity", "超级"],
            "不在列表中",
        ),
    ] {
        let o = add(&extra);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
    }
    let o = genjin(
        &db,
        &[
            "bug",
            "add",
            "--found",
            "2014-07-02",
            "--reported",
            "2014-07-01",
            "--reporter",
            "刘小妹",
            "--phone-model",
            "iPhone 5",
            "--os",
            "iOS 7.1",
            "--content",
            "闪退",
        ],
    );
    assert!(
        stderr(&o).contains("发现日期不能晚于反馈日期"),
        "{}",
        stderr(&o)
    );
    let fake = dir.path().join("假图.png");
    std::fs::write(&fake, b"PK\x03\x04").unwrap();
    let o = add(&["--content", "闪退", "--attach", fake.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(ok(&db, &["bugs", "--json"]).trim(), "[]", "nothing written");

    let o = add(&[
        "--content",
        "随访问卷提交后闪退",
        "--steps",
        "打开问卷→提交",
        "--severity",
        "严重",
        "--type",
        "功能缺陷",
        "--attach",
        shot.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "B14070101");
    assert_eq!(stdout(&add(&["--content", "第二个"])).trim(), "B14070102");
    // fixing before reproducing is refused
    let o = genjin(&db, &["bug", "fix", "B14070101", "--date", "2014-07-03"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("尚未复现"), "{}", stderr(&o));
    ok(
        &db,
        &["add-person", "--name", "测试员小周", "--roles", EVERY_ROLE],
    );
    ok(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070101",
            "--tracker-id",
            "BF-123",
            "--at",
            "2014-07-02 10:00",
        ],
    );
    let o = genjin(&db, &["bug", "fix", "B14070101", "--date", "2014-06-30"]);
    assert!(
        stderr(&o).contains("修复日期不能早于发现日期"),
        "{}",
        stderr(&o)
    );
    // saving again keeps what is not given; a reproduced bug is not flipped; a tester is a
    // known person; reproduction not before the bug was found; no fix before reproduction
    ok(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070101",
            "--note",
            "iOS 7.1 必现",
        ],
    );
    let o = genjin(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070101",
            "--not-reproducible",
            "--note",
            "x",
        ],
    );
    assert!(stderr(&o).contains("已复现"), "{}", stderr(&o));
    let o = genjin(
        &db,
        &[
            "--as",
            "路人甲",
            "bug",
            "reproduce",
            "B14070102",
            "--note",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("不在人员名单"), "{}", stderr(&o));
    let o = genjin(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070102",
            "--at",
            "2014-06-01 10:00",
        ],
    );
    assert!(stderr(&o).contains("不能早于发现日期"), "{}", stderr(&o));
    let o = genjin(&db, &["bug", "fix", "B14070101", "--date", "2014-07-01"]);
    assert!(stderr(&o).contains("不能早于复现日期"), "{}", stderr(&o));
    ok(
        &db,
        &[
            "bug",
            "fix",
            "B14070101",
            "--date",
            "2014-07-03",
            "--version",
            "2.3.1",
        ],
    );
    let o = genjin(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070102",
            "--not-reproducible",
        ],
    );
    assert!(stderr(&o).contains("无法复现时请写明"), "{}", stderr(&o));
    ok(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070102",
            "--not-reproducible",
            "--note",
            "三台 iPhone 均正常",
        ],
    );

    let all: serde_json::Value = serde_json::from_str(&ok(&db, &["bugs", "--json"])).unwrap();
    let first = all
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["编号"] == "B14070101")
        .unwrap();
    for (key, want) in [
        ("反馈人", "刘小妹"),
        ("发现日期", "2014-07-01"),
        ("手机型号", "iPhone 5"),
        ("手机系统", "iOS 7.1"),
        ("内容", "随访问卷提交后闪退"),
        ("重现步骤", "打开问卷→提交"),
        ("类型", "功能缺陷"),
        ("严重程度", "严重"),
        ("状态", "已修复"),
        ("跟踪编号", "BF-123"),
        ("修复日期", "2014-07-03"),
    ] {
        assert_eq!(first[key], want, "{key}");
    }
    assert!(first["关联需求"].is_null());
    let second: serde_json::Value =
        serde_json::from_str(&ok(&db, &["bug", "show", "B14070102", "--json"])).unwrap();
    assert_eq!(second["状态"], "无法复现");

    // 转需求: a new requirement received the day the bug was reported, both linked
    let number = ok(&db, &["bug", "to-requirement", "B14070102"])
        .trim()
        .to_string();
    assert_eq!(number, "14070101");
    let b: serde_json::Value =
        serde_json::from_str(&ok(&db, &["bug", "show", "B14070102", "--json"])).unwrap();
    assert_eq!(
        (b["状态"].as_str(), b["关联需求"].as_str()),
        (Some("已转需求"), Some("14070101"))
    );
    let r: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14070101", "--json"])).unwrap();
    assert_eq!(r["source"], "Bug B14070102");
    assert_eq!(r["doctor_words"], "第二个");
    let o = genjin(&db, &["bug", "to-requirement", "B14070102"]);
    assert_eq!(o.status.code(), Some(2), "a converted bug is closed");
    let bh = ok(&db, &["history", "B14070101"]);
    assert!(
        bh.contains("修复日期") && bh.contains("跟踪编号"),
        "the bug's own history: {bh}"
    );
    let o = genjin(&db, &["history", "X1"]);
    assert!(
        stderr(&o).contains("也没有这个编号的 Bug"),
        "{}",
        stderr(&o)
    );
    let h = ok(&db, &["history", "14070101"]);
    assert!(
        h.contains("B14070102"),
        "the requirement's history names the bug: {h}"
    );
    // the bug sequence has its own prefix, from the settings; the day's sequence goes on
    // (numbers are never reused), and requirements keep their own
    ok(&db, &["settings", "numbering.bug.prefix", "BUG"]);
    assert_eq!(stdout(&add(&["--content", "第三个"])).trim(), "BUG14070103");
}

/// Issue 10: triage after the report (type, severity, channel from the editable lists) and
/// corrections, each with history; the reporter copied on filing; the list's filters.
#[test]
fn a_bug_is_triaged_corrected_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    for (found, phone, os, content) in [
        ("2014-07-01", "魅族 MX4", "iOS 7.1.2", "药品说明书查询闪退"),
        ("2014-07-03", "华为 Mate 7", "EMUI 3.0", "批量发送随访乱码"),
        (
            "2014-07-08",
            "魅族 MX4",
            "Android 4.4.2",
            "体征数据曲线页面空白",
        ),
    ] {
        ok(
            &db,
            &[
                "bug",
                "add",
                "--found",
                found,
                "--reported",
                found,
                "--reporter",
                "董平一",
                "--phone-model",
                phone,
                "--os",
                os,
                "--content",
                content,
            ],
        );
    }
    // triage: from the lists; an unknown value refused, nothing written
    let o = genjin(&db, &["bug", "edit", "B14070101", "--severity", "超级"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不在列表中"), "{}", stderr(&o));
    let said = ok(
        &db,
        &[
            "bug",
            "edit",
            "B14070101",
            "--type",
            "功能缺陷",
            "--severity",
            "严重",
            "--channel",
            "客服热线",
            "--at",
            "2014-07-01 15:00",
        ],
    );
    assert!(said.contains("功能缺陷 严重 客服热线"), "{said}");
    // corrections keep the report's rules
    for (args, says) in [
        (vec!["--content", " "], "请填写 Bug 内容"),
        (vec!["--found", "2014-07-05"], "发现日期不能晚于反馈日期"),
        (vec!["--found", "明天"], "不是有效日期"),
    ] {
        let mut all = vec!["bug", "edit", "B14070101"];
        all.extend(args.iter());
        let o = genjin(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    ok(
        &db,
        &[
            "bug",
            "edit",
            "B14070101",
            "--app-version",
            "2.1.0",
            "--remark",
            "院方催",
        ],
    );
    let b: serde_json::Value =
        serde_json::from_str(&ok(&db, &["bug", "show", "B14070101", "--json"])).unwrap();
    assert_eq!(b["类型"], "功能缺陷");
    assert_eq!(b["严重程度"], "严重");
    assert_eq!(
        b["内容"], "药品说明书查询闪退",
        "a refused edit wrote nothing"
    );
    // the reporter copied when it went into the tracker
    ok(
        &db,
        &["add-person", "--name", "测试员小周", "--roles", EVERY_ROLE],
    );
    ok(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070101",
            "--tracker-id",
            "9944",
            "--reporter-copied",
        ],
    );
    let h = ok(&db, &["history", "B14070101"]);
    for says in [
        "严重程度\t → 严重",
        "类型\t → 功能缺陷",
        "App版本\t → 2.1.0",
        "备注\t → 院方催",
        "已抄送反馈人\t否 → 是",
    ] {
        assert!(h.contains(says), "{says} in:\n{h}");
    }
    // the list's filters
    let numbers = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["bugs", "--json"];
        all.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&ok(&db, &all)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|b| b["编号"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        numbers(&["--phone-model", "魅族 MX4"]),
        ["B14070801", "B14070101"]
    );
    assert_eq!(numbers(&["--os", "EMUI 3.0"]), ["B14070301"]);
    assert_eq!(
        numbers(&["--from", "20140702", "--to", "2014-07-08"]),
        ["B14070801", "B14070301"]
    );
    assert_eq!(
        numbers(&["--state", "已复现", "--severity", "严重"]),
        ["B14070101"]
    );
    assert_eq!(
        numbers(&["--search", "ｍｘ4 闪退"]),
        ["B14070101"],
        "folded, all words"
    );
    let o = genjin(&db, &["bugs", "--from", "七月"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("发现日期从"), "{}", stderr(&o));
}

/// Issue 10: a Bug收集反馈表 exported by Genjin imports back unchanged — into an empty database
/// it gives the same ledger (every field, the state, the link to the requirement it became),
/// into its own database it changes nothing; a value changed since is a conflict, kept or taken
/// as chosen.
#[test]
fn an_exported_bug_ledger_imports_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite3");
    let b = dir.path().join("b.sqlite3");
    for db in [&a, &b] {
        ok(
            db,
            &["add-person", "--name", "测试员小周", "--roles", EVERY_ROLE],
        );
    }
    let add = |found: &str, content: &str, extra: &[&str]| {
        let mut args = vec![
            "bug",
            "add",
            "--found",
            found,
            "--reported",
            found,
            "--reporter",
            "董平一",
            "--phone-model",
            "魅族 MX4",
            "--os",
            "iOS 7.1.2",
            "--content",
            content,
        ];
        args.extend_from_slice(extra);
        ok(&a, &args);
    };
    add(
        "2014-07-01",
        "药品说明书查询闪退",
        &[
            "--steps",
            "1.登录\n2.进入药品说明书",
            "--app-version",
            "2.1.0",
            "--hospital",
            "省二院",
            "--clinic",
            "心内科",
            "--type",
            "功能缺陷",
            "--severity",
            "严重",
            "--channel",
            "客服热线",
        ],
    );
    add("2014-07-01", "随访提醒应能按科室设置", &[]);
    add("2014-07-03", "批量发送随访乱码", &[]);
    add("2014-07-03", "偶尔白屏", &[]);
    let tester = |args: &[&str]| {
        let mut all = vec!["--as", "测试员小周"];
        all.extend_from_slice(args);
        ok(&a, &all);
    };
    tester(&[
        "bug",
        "reproduce",
        "B14070101",
        "--tracker-id",
        "9944",
        "--at",
        "2014-07-02 09:00",
    ]);
    ok(
        &a,
        &[
            "bug",
            "fix",
            "B14070101",
            "--date",
            "2014-07-08",
            "--version",
            "2.1.1",
        ],
    );
    ok(
        &a,
        &["bug", "edit", "B14070101", "--remark", "院方催，已电话回复"],
    );
    let req = ok(&a, &["bug", "to-requirement", "B14070102"]);
    assert_eq!(req.trim(), "14070101");
    tester(&["bug", "reproduce", "B14070301", "--at", "2014-07-04 10:00"]);
    tester(&[
        "bug",
        "reproduce",
        "B14070302",
        "--not-reproducible",
        "--note",
        "三台机器都正常",
        "--at",
        "2014-07-04 10:00",
    ]);
    let ledger_a = dir.path().join("a.xlsx");
    ok(&a, &["export", "bugs", "--out", ledger_a.to_str().unwrap()]);

    // into an empty database (where the requirement the bug became is registered too)
    ok(
        &b,
        &[
            "add-requirement",
            "--received",
            "2014-07-01",
            "--reporter",
            "董平一",
            "--summary",
            "随访提醒 按科室",
        ],
    );
    let said = ok(&b, &["import", ledger_a.to_str().unwrap()]);
    assert!(said.contains("Bug：新建 4 个"), "{said}");
    assert!(
        !said.contains("提示"),
        "nothing to say about Genjin's own ledger: {said}"
    );
    let ledger_b = dir.path().join("b.xlsx");
    ok(&b, &["export", "bugs", "--out", ledger_b.to_str().unwrap()]);
    let (cells_a, _) = xlsx_cells(&ledger_a);
    let (cells_b, _) = xlsx_cells(&ledger_b);
    assert_eq!(cells_a, cells_b, "the same ledger back");
    assert_eq!(cells_a.get(&(5, 10)).map(String::as_str), Some("已修复"));
    let bugs_b: serde_json::Value = serde_json::from_str(&ok(&b, &["bugs", "--json"])).unwrap();
    let bugs_a: serde_json::Value = serde_json::from_str(&ok(&a, &["bugs", "--json"])).unwrap();
    assert_eq!(bugs_a, bugs_b);
    let converted = bugs_b
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["编号"] == "B14070102")
        .unwrap();
    assert_eq!(converted["状态"], "已转需求");
    assert_eq!(converted["关联需求"], "14070101");
    let h = ok(&b, &["history", "14070101"]);
    assert!(h.contains("B14070102"), "linked both ways: {h}");

    // into its own database: nothing changes
    let said = ok(&a, &["import", ledger_a.to_str().unwrap()]);
    assert!(
        said.contains("Bug：新建 0 个，更新 0 个，未变 4 个"),
        "{said}"
    );
    // a value changed since: a conflict, the database kept unless the file is chosen
    ok(&a, &["bug", "edit", "B14070101", "--severity", "一般"]);
    let said = ok(&a, &["import", ledger_a.to_str().unwrap()]);
    assert!(
        said.contains("冲突 B14070101 严重程度：已有“一般”，文件“严重”")
            && said.contains("保留已有"),
        "{said}"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&ok(&a, &["bug", "show", "B14070101", "--json"]))
            .unwrap()["严重程度"],
        "一般"
    );
    ok(
        &a,
        &[
            "import",
            ledger_a.to_str().unwrap(),
            "--on-conflict",
            "take",
        ],
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&ok(&a, &["bug", "show", "B14070101", "--json"]))
            .unwrap()["严重程度"],
        "严重"
    );
    // new bugs after an import take the next numbers of their day
    let next = ok(
        &b,
        &[
            "bug",
            "add",
            "--found",
            "2014-07-03",
            "--reported",
            "2014-07-03",
            "--reporter",
            "董平一",
            "--phone-model",
            "iPhone 6",
            "--os",
            "iOS 8",
            "--content",
            "新的",
        ],
    );
    assert_eq!(next.trim(), "B14070303");
}

/// Issue 10: the Bug收集反馈表 (all, or a date range) and the 新增Bug周报 read back — headers as
/// the legacy ledgers', one row per bug, A4 landscape, title and header repeated per page.
#[test]
fn bug_ledgers_export_to_print_in_landscape() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    for (found, content) in [
        ("2014-06-30", "六月底的"),
        ("2014-07-01", "随访提醒推送闪退"),
        ("2014-07-08", "下一周的"),
    ] {
        ok(
            &db,
            &[
                "bug",
                "add",
                "--found",
                found,
                "--reported",
                found,
                "--reporter",
                "董平一",
                "--phone-model",
                "魅族 MX4",
                "--os",
                "iOS 7.1.2",
                "--content",
                content,
            ],
        );
    }
    ok(
        &db,
        &["add-person", "--name", "测试员小周", "--roles", EVERY_ROLE],
    );
    ok(
        &db,
        &[
            "--as",
            "测试员小周",
            "bug",
            "reproduce",
            "B14070101",
            "--tracker-id",
            "5817",
            "--at",
            "2014-07-02 09:00",
        ],
    );
    ok(&db, &["bug", "fix", "B14070101", "--date", "2014-07-05"]);
    let all = dir.path().join("Bug收集反馈表.xlsx");
    ok(&db, &["export", "bugs", "--out", all.to_str().unwrap()]);
    let part = dir.path().join("七月.xlsx");
    ok(
        &db,
        &[
            "export",
            "bugs",
            "--out",
            part.to_str().unwrap(),
            "--from",
            "2014-07-01",
            "--to",
            "2014-07-31",
        ],
    );
    let weekly = dir.path().join("周报.xlsx");
    let said = ok(
        &db,
        &[
            "report",
            "bug-weekly",
            "--week",
            "2014-07-02",
            "--out",
            weekly.to_str().unwrap(),
        ],
    );
    assert!(
        said.contains("2014-06-30") && said.contains("2014-07-06") && said.contains("2 个"),
        "{said}"
    );

    let (cells, _) = xlsx_cells(&all);
    let at = |r: u32, c: u32| cells.get(&(r, c)).cloned().unwrap_or_default();
    assert_eq!(at(0, 0), "Bug收集反馈表");
    let head: Vec<String> = (0..9).map(|c| at(1, c)).collect();
    assert_eq!(
        head,
        [
            "Bug编号",
            "报告人",
            "发现日期",
            "手机型号",
            "手机系统",
            "Bug内容",
            "操作步骤",
            "是否复现",
            "BugFree编号"
        ]
    );
    let rows: Vec<String> = (2..5).map(|r| at(r, 0)).collect();
    assert_eq!(rows, ["B14070801", "B14070101", "B14063001"]);
    let fixed: Vec<String> = (0..11).map(|c| at(3, c)).collect();
    assert_eq!(&fixed[..3], ["B14070101", "董平一", "20140701"]);
    assert_eq!(
        (
            fixed[7].as_str(),
            fixed[8].as_str(),
            fixed[9].as_str(),
            fixed[10].as_str()
        ),
        ("是", "5817", "20140705", "已修复")
    );
    let (cells, _) = xlsx_cells(&part);
    assert!(
        !cells.contains_key(&(4, 0)) && cells.contains_key(&(3, 0)),
        "two rows in July"
    );
    let (cells, _) = xlsx_cells(&weekly);
    let at = |r: u32, c: u32| cells.get(&(r, c)).cloned().unwrap_or_default();
    assert!(
        at(0, 0).starts_with("新增Bug周报（2014年6月30日 至 2014年7月6日）"),
        "{}",
        at(0, 0)
    );
    assert!(
        at(1, 0).contains("本周新增 2 个") && at(1, 0).contains("已修复 1"),
        "{}",
        at(1, 0)
    );
    assert_eq!(at(2, 0), "Bug编号");
    assert_eq!(
        (at(3, 0).as_str(), at(4, 0).as_str()),
        ("B14070101", "B14063001")
    );
    for (path, header_last_row) in [(&all, 2), (&weekly, 3)] {
        let sheet = xlsx_part(path, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#),
            "A4 landscape"
        );
        assert!(
            sheet.contains(r#"fitToHeight="0""#),
            "as many pages long as it takes"
        );
        let book = xlsx_part(path, "xl/workbook.xml");
        assert!(
            book.contains("_xlnm.Print_Titles") && book.contains(&format!("$1:${header_last_row}")),
            "header repeated: {book}"
        );
    }
}

/// Issue 10: the editable lists are edited from the command line (and the window's 设置): a
/// value added is offered, a hidden one is refused for new records, an unknown list is named.
#[test]
fn editable_lists_add_and_hide() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let listed = ok(&db, &["list", "bug_type", "--add", "性能"]);
    assert!(listed.lines().any(|l| l == "性能"), "{listed}");
    let add = |t: &str| {
        genjin(
            &db,
            &[
                "bug",
                "add",
                "--found",
                "2014-07-01",
                "--reported",
                "2014-07-01",
                "--reporter",
                "刘小妹",
                "--phone-model",
                "iPhone 5",
                "--os",
                "iOS 7.1",
                "--content",
                "卡顿",
                "--type",
                t,
            ],
        )
    };
    assert!(add("性能").status.success());
    let listed = ok(&db, &["list", "bug_type", "--hide", "性能"]);
    assert!(listed.contains("性能\t（已隐藏）"), "{listed}");
    let o = add("性能");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不在列表中"), "{}", stderr(&o));
    let o = genjin(&db, &["list", "colour"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("没有列表") && stderr(&o).contains("bug_type"),
        "{}",
        stderr(&o)
    );
    // the bug reported before keeps its type
    let all: serde_json::Value = serde_json::from_str(&ok(&db, &["bugs", "--json"])).unwrap();
    assert_eq!(all[0]["类型"], "性能");
}

/// Issue 13: `erase` removes a requirement's personal data on request; only the roles that may
/// (collector, decision group); `edit-person` changes roles from the command line.
#[test]
fn personal_data_is_erased_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    ok(
        &db,
        &["add-person", "--name", "刘小妹", "--roles", "需求报告人"],
    );
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "问卷",
            "--doctor",
            "郭建国",
        ],
    );
    let o = genjin(
        &db,
        &[
            "--as",
            "刘小妹",
            "erase",
            "14061901",
            "--reason",
            "本人要求",
        ],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("删除个人信息"), "{}", stderr(&o));
    let said = ok(&db, &["erase", "14061901", "--reason", "本人要求删除"]);
    assert!(said.contains("已删除"), "{said}");
    let v: serde_json::Value =
        serde_json::from_str(&ok(&db, &["show", "14061901", "--json"])).unwrap();
    assert_eq!(v["doctor_name"], "已删除");
    let h = ok(&db, &["history", "14061901"]);
    assert!(h.contains("删除个人信息") && !h.contains("郭建国"), "{h}");
}

fn genjin_env(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_genjin"));
    c.arg("--db").arg(super::common::db_arg(db)).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdin(std::process::Stdio::null());
    c.output().expect("run genjin")
}

/// Issue 13, optional sign-in: off by default; turned on only by someone with a password of
/// their own; then every command needs `--as` and the person's password (here from
/// GENJIN_PASSWORD), and a wrong one is refused (exit 3) without saying which part was wrong.
#[test]
fn sign_in_needs_as_and_a_password_once_on() {
    if super::common::on_server() {
        // a shared database has no switch: sign-in is on once the first password is set
        // (issue 22; tests/engines.rs)
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    ok(
        &db,
        &["add-person", "--name", "刘小妹", "--roles", "需求报告人"],
    );
    let o = genjin(&db, &["settings", "security.sign_in", "on"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("请先为自己设置密码"), "{}", stderr(&o));
    // a short password is refused; someone may set only their own unless they manage people
    let o = genjin_env(&db, &[("GENJIN_NEW_PASSWORD", "123")], &["password"]);
    assert!(stderr(&o).contains("至少 6 个字符"), "{}", stderr(&o));
    let o = genjin_env(
        &db,
        &[("GENJIN_NEW_PASSWORD", "xiaomei1")],
        &["--as", "刘小妹", "password", "李小四"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    for (who, pw) in [("李小四", "lixiaosi1"), ("刘小妹", "xiaomei1")] {
        let o = genjin_env(&db, &[("GENJIN_NEW_PASSWORD", pw)], &["password", who]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // changing one's own password takes the current one
    let o = genjin_env(
        &db,
        &[("GENJIN_NEW_PASSWORD", "xiaomei2")],
        &["--as", "刘小妹", "password"],
    );
    assert!(stderr(&o).contains("GENJIN_PASSWORD"), "{}", stderr(&o));
    let o = genjin_env(
        &db,
        &[
            ("GENJIN_NEW_PASSWORD", "xiaomei2"),
            ("GENJIN_PASSWORD", "nope-nope"),
        ],
        &["--as", "刘小妹", "password"],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("现在的密码不对"), "{}", stderr(&o));
    let o = genjin_env(
        &db,
        &[
            ("GENJIN_NEW_PASSWORD", "xiaomei1"),
            ("GENJIN_PASSWORD", "xiaomei1"),
        ],
        &["--as", "刘小妹", "password"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    ok(&db, &["settings", "security.sign_in", "on"]);
    // now: who, and their password
    let o = genjin_env(&db, &[], &["register", "--json"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("--as"), "{}", stderr(&o));
    let o = genjin_env(
        &db,
        &[("GENJIN_PASSWORD", "wrong-one")],
        &["--as", "李小四", "register", "--json"],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("姓名或密码不对"), "{}", stderr(&o));
    let o = genjin_env(
        &db,
        &[("GENJIN_PASSWORD", "lixiaosi1")],
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
    assert!(o.status.success(), "{}", stderr(&o));
    // no terminal to ask on, no variable: said, not hung
    let o = genjin_env(&db, &[], &["--as", "李小四", "register"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("GENJIN_PASSWORD"), "{}", stderr(&o));
    // the history says a password was set, never what it is
    let v: serde_json::Value = serde_json::from_str(&stdout(&genjin_env(
        &db,
        &[("GENJIN_PASSWORD", "xiaomei1")],
        &["--as", "刘小妹", "people", "--json"],
    )))
    .unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["has_password"] == true));
    assert!(!v.to_string().contains("argon2"), "{v}");
}

/// Issue 19: a mistyped `--db` never silently makes an empty database: a command that only
/// reads is refused (exit 2) and no file appears; one that writes says the file is new.
#[test]
fn a_mistyped_db_path_is_said_not_silently_made() {
    if super::common::on_server() {
        return; // a file\'s own bytes and path
    }
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("需求登记.sqlite3");
    for args in [
        &["register", "--json"][..],
        &["todo", "--json"],
        &["backup", "--list"],
        &["assessment", "--month", "2014-06"],
    ] {
        let o = genjin(&typo, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("找不到数据库文件"), "{}", stderr(&o));
        assert!(!typo.exists(), "{args:?} made the file");
    }
    let o = genjin(
        &typo,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "问卷",
        ],
    );
    assert!(o.status.success());
    assert!(stderr(&o).contains("已新建数据库文件"), "{}", stderr(&o));
    let o = genjin(&typo, &["register", "--json"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("已新建"), "said once");
}

/// Issue 19: registration and a bug report are replayed with their time (`--at`); a time even
/// a few minutes ahead is refused everywhere; the two numbering prefixes may not be equal.
#[test]
fn registration_replays_with_its_time_and_the_future_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    let n = ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "问卷",
            "--at",
            "2014-06-19 16:30",
        ],
    );
    assert_eq!(n.trim(), "14061901");
    let h: serde_json::Value =
        serde_json::from_str(&ok(&db, &["history", "14061901", "--json"])).unwrap();
    assert!(h[0]["happened_at"]
        .as_str()
        .unwrap()
        .starts_with("2014-06-19T16:30"));
    let o = genjin(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "问卷",
            "--at",
            "2014-06-18 16:30",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不能早于收到日期"), "{}", stderr(&o));
    let b = ok(
        &db,
        &[
            "bug",
            "add",
            "--found",
            "2014-11-24",
            "--reporter",
            "张三",
            "--phone-model",
            "华为",
            "--os",
            "Android 14",
            "--content",
            "闪退",
            "--at",
            "2014-11-25 10:10",
        ],
    );
    assert_eq!(b.trim(), "B14112501", "numbered by the day it was reported");
    // three minutes ahead is ahead
    let soon = (chrono::Local::now() + chrono::Duration::minutes(3))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    ok(
        &db,
        &["decide", "14061901", "--decision", "做", "--grade", "C"],
    );
    for args in [
        &["expect", "14061901", "--date", "2014-07-01", "--at", &soon][..],
        &[
            "notify",
            "14061901",
            "--step",
            "决策结果",
            "--to",
            "报告人",
            "--channel",
            "QQ",
            "--at",
            &soon,
        ],
    ] {
        let o = genjin(&db, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("不能晚于现在"), "{}", stderr(&o));
    }
    // a day that happened is never dated ahead either
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let o = genjin(&db, &["acceptance", "14061901", "--actual", &tomorrow]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("不能晚于今天"), "{}", stderr(&o));
    let o = genjin(&db, &["settings", "numbering.requirement.prefix", "B"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("前缀不能相同"), "{}", stderr(&o));
}

/// Issue 19: after `erase`, no piece of the name is left anywhere in the database file — the
/// search index's pages included — and bugs can be erased too.
#[test]
fn erase_leaves_no_piece_of_the_name_in_the_file() {
    if super::common::on_server() {
        return; // a file\'s own bytes and path
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &[
            "add-person",
            "--name",
            "李小四",
            "--roles",
            "需求收集人,决策组",
        ],
    );
    ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "问卷自动计分",
            "--doctor",
            "郭建国",
            "--requester",
            "郭建国",
            "--words",
            "我是郭建国，能否自动算分",
        ],
    );
    for i in 2..4 {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                "2014-06-19",
                "--reporter",
                "刘小妹",
                "--summary",
                &format!("问卷{i}"),
            ],
        );
    }
    let said = ok(&db, &["erase", "14061901", "--reason", "本人要求删除"]);
    assert!(said.contains("导出的表格"), "{said}");
    let bytes = std::fs::read(&db).unwrap();
    for piece in ["郭建国", "郭建", "建国"] {
        let p = piece.as_bytes();
        assert!(
            !bytes.windows(p.len()).any(|w| w == p),
            "“{piece}” is still in the file"
        );
    }
    let b = ok(
        &db,
        &[
            "bug",
            "add",
            "--found",
            "2014-06-20",
            "--reporter",
            "刘小妹",
            "--phone-model",
            "华为",
            "--os",
            "Android 14",
            "--content",
            "用户王小明 13987654321 闪退",
        ],
    );
    let said = ok(
        &db,
        &[
            "erase",
            b.trim(),
            "--reason",
            "本人要求删除",
            "--name",
            "王小明",
        ],
    );
    assert!(said.contains("Bug"), "{said}");
    let shown = ok(&db, &["bug", "show", b.trim()]);
    assert!(
        !shown.contains("王小明") && !shown.contains("13987654321"),
        "{shown}"
    );
}

/// Issue 19: viewed on the 4th, a month counts only what is already late (a delivery due on the
/// 11th is not "28 days late" and costs no one their performance pay) and says so; a bug
/// reported the day after it was found is 次日提交（迟 1 天）, not "1 minute after midnight"; a
/// no-pay line says which rule and step caused it; rule codes come with their words.
#[test]
fn an_unfinished_month_and_lateness_in_the_policys_units() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &[
            "add-person",
            "--name",
            "王总",
            "--roles",
            "决策组,需求收集人",
        ],
    );
    ok(
        &db,
        &["add-person", "--name", "孙经理", "--roles", "产品经理"],
    );
    ok(
        &db,
        &["add-person", "--name", "刘小妹", "--roles", "需求报告人"],
    );
    for (received, at) in [
        ("2026-11-02", "2026-11-02 09:00"),
        ("2026-11-03", "2026-11-03 09:00"),
    ] {
        ok(
            &db,
            &[
                "add-requirement",
                "--received",
                received,
                "--reporter",
                "刘小妹",
                "--summary",
                "问卷",
                "--at",
                at,
            ],
        );
    }
    for n in ["26110201", "26110301"] {
        ok(
            &db,
            &[
                "decide",
                n,
                "--decision",
                "做",
                "--grade",
                "C",
                "--at",
                "2026-11-07 10:30",
            ],
        );
    }
    // promised for 12-11 (not due yet on 12-04) and 11-20 (14 days late by 12-04)
    for (n, date) in [("26110201", "2026-12-11"), ("26110301", "2026-11-20")] {
        ok(
            &db,
            &[
                "--as",
                "孙经理",
                "expect",
                n,
                "--date",
                date,
                "--at",
                "2026-11-09 10:00",
            ],
        );
    }
    let december = |now: &str| -> serde_json::Value {
        serde_json::from_str(&ok(
            &db,
            &[
                "--as",
                "王总",
                "assessment",
                "--month",
                "2026-12",
                "--now",
                now,
                "--json",
            ],
        ))
        .unwrap()
    };
    let v = december("2026-12-04 10:00");
    assert_eq!(v["本月未结束"], true);
    assert_eq!(v["说明"], "截至 2026-12-04 10:00（本月未结束）");
    assert!(!v.to_string().contains("26110201"), "not due yet: {v}");
    // November: the 11-20 promise, 14 days late by the month's end → no performance pay, said why
    let v: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "--as",
            "王总",
            "assessment",
            "--month",
            "2026-11",
            "--now",
            "2026-12-04 10:00",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(v["本月未结束"], false);
    let sun = v["人员"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["姓名"] == "孙经理")
        .unwrap();
    assert_eq!(sun["无绩效"], true);
    let why = sun["无绩效原因"].to_string();
    assert!(
        why.contains("26110301") && why.contains("超过承诺交付日 7 天以上"),
        "{why}"
    );
    let line = &sun["明细"][0];
    assert!(
        line["规则说明"].as_str().unwrap().contains("交付日"),
        "{line}"
    );
    // a bug found on 11-24, reported on 11-25 at 10:10
    ok(
        &db,
        &[
            "bug",
            "add",
            "--found",
            "2026-11-24",
            "--reporter",
            "刘小妹",
            "--phone-model",
            "华为",
            "--os",
            "Android 14",
            "--content",
            "闪退",
            "--at",
            "2026-11-25 10:10",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "--as",
            "王总",
            "assessment",
            "--month",
            "2026-11",
            "--now",
            "2026-12-04 10:00",
            "--json",
        ],
    ))
    .unwrap();
    let liu = v["人员"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["姓名"] == "刘小妹")
        .unwrap();
    let b1 = liu["明细"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["规则"].as_str().unwrap().starts_with("B1"))
        .unwrap();
    assert_eq!(b1["情况"], "次日提交（迟 1 天）", "{b1}");
    assert_eq!(b1["迟了"], "1天");
    assert_eq!(
        (b1["到期"].as_str(), b1["完成"].as_str()),
        (Some("2026-11-24"), Some("2026-11-25")),
        "days, not a made-up midnight"
    );
    // the to-do explains its rules in words
    let todo: serde_json::Value =
        serde_json::from_str(&ok(&db, &["todo", "--now", "2026-12-04 10:00", "--json"])).unwrap();
    assert!(todo
        .as_array()
        .unwrap()
        .iter()
        .all(|i| !i["说明"].as_str().unwrap().is_empty()));
}
