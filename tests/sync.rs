//! Offline laptops (issue 24) through the real command line: laptop copies made from the
//! department's database (a file, or the test server), reports, bugs and notices recorded on
//! them, synced over the network and by file, registered by the collector, and the numbers and
//! decisions going back. The laptops are always files; the department is on the run's engine.

use crate::common::{db_arg, genjin_on, ok, ok_on, stderr, stdout};
use chrono::{Duration, NaiveDate};
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::path::Path;

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn number_of(d: NaiveDate, n: u32) -> String {
    format!("{}{n:02}", d.format("%y%m%d"))
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn lap(p: &Path) -> &OsStr {
    p.as_os_str()
}

/// A department with a collector and two promotion staff.
fn department(dir: &Path) -> (std::path::PathBuf, OsString) {
    let dept = dir.join("部门.sqlite3");
    ok(
        &dept,
        &[
            "add-person",
            "--name",
            "李收集",
            "--roles",
            "需求收集人,决策组",
        ],
    );
    ok(
        &dept,
        &["add-person", "--name", "张三", "--roles", "需求报告人"],
    );
    ok(
        &dept,
        &["add-person", "--name", "王五", "--roles", "需求报告人"],
    );
    ok(
        &dept,
        &["add-person", "--name", "钱测试", "--roles", "测试"],
    );
    let d = db_arg(&dept);
    (dept, d)
}

/// At the department: a laptop's file applied and its reply written (`sync --in --reply`);
/// what it said.
fn apply_at_department(dept: &Path, file: &Path, reply: &Path) -> String {
    ok(
        dept,
        &[
            "sync",
            "--in",
            file.to_str().unwrap(),
            "--reply",
            reply.to_str().unwrap(),
        ],
    )
}

fn register_numbers(db: &OsStr) -> Vec<String> {
    let rows = json(&ok_on(db, &["register", "--json"]));
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["需求编号"].as_str().unwrap().to_string())
        .collect()
}

fn todo_rules(db: &OsStr, now: &str) -> Vec<(String, String)> {
    let items = json(&ok_on(db, &["todo", "--json", "--now", now]));
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                // "R6 告知需求人决策结果": the rule's code
                i["规则"]
                    .as_str()
                    .unwrap_or_default()
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                i["记录"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The proof: two laptops record reports and bugs offline on the same day; one syncs
/// over the network, one by file; the collector registers them all with distinct numbers; each
/// laptop learns its numbers and the decision made at the department; a notice recorded offline
/// counts on time by when it happened.
#[test]
fn two_laptops_offline_reach_the_department_and_learn_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (dept, d) = department(dir.path());
    let day0 = chrono::Local::now().date_naive() - Duration::days(6);
    let n0 = number_of(day0, 1);
    // 张三's requirement, decided and its reporter told at the department: R6 (tell the
    // requester the same day) now falls to 张三
    ok(
        &dept,
        &[
            "add-requirement",
            "--received",
            &day(day0),
            "--reporter",
            "张三",
            "--summary",
            "问卷 自动计分",
            "--requester",
            "郭主任",
            "--at",
            &format!("{} 09:00", day(day0)),
        ],
    );
    ok(
        &dept,
        &[
            "decide",
            &n0,
            "--decision",
            "做",
            "--grade",
            "C",
            "--at",
            &format!("{} 10:00", day(day0)),
        ],
    );
    ok(
        &dept,
        &[
            "notify",
            &n0,
            "--step",
            "决策结果",
            "--to",
            "报告人",
            "--channel",
            "微信",
            "--at",
            &format!("{} 10:30", day(day0)),
        ],
    );
    // someone else's requirement, with a doctor's name: not on 张三's laptop
    ok(
        &dept,
        &[
            "add-requirement",
            "--received",
            &day(day0),
            "--reporter",
            "王五",
            "--summary",
            "药房 库存",
            "--doctor",
            "钱医生",
        ],
    );
    let a = dir.path().join("外出-张三.sqlite3");
    let b = dir.path().join("外出-王五.sqlite3");
    let made = ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    assert!(made.contains("1 条需求"), "{made}");
    ok(
        &dept,
        &["copy-db", "--to", b.to_str().unwrap(), "--for", "王五"],
    );
    assert_eq!(register_numbers(lap(&a)), vec![n0.clone()]);
    let raw = std::fs::read(&a).unwrap();
    assert!(
        !String::from_utf8_lossy(&raw).contains("钱医生"),
        "another reporter's doctor is on 张三's laptop"
    );

    // offline, the same day: reports, bugs, and 张三 tells the requester
    let photo = dir.path().join("处方.png");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\nnot much of a picture").unwrap();
    let r_a = ok_on(
        lap(&a),
        &[
            "submit",
            "--attach",
            photo.to_str().unwrap(),
            "--summary",
            "处方 打印",
            "--doctor",
            "赵医生",
            "--hospital",
            "一院",
            "--requester",
            "赵医生",
        ],
    );
    assert_eq!(r_a.trim(), "待登记 1");
    let bug_a = ok_on(
        lap(&a),
        &[
            "bug",
            "submit",
            "--found",
            &day(day0),
            "--reporter",
            "张三",
            "--phone-model",
            "iPhone 12",
            "--os",
            "iOS 17",
            "--content",
            "打开问卷闪退",
        ],
    );
    assert_eq!(bug_a.trim(), "待登记 2");
    ok_on(
        lap(&a),
        &[
            "notify",
            &n0,
            "--step",
            "决策结果",
            "--to",
            "需求人",
            "--channel",
            "电话",
            "--at",
            &format!("{} 15:00", day(day0)),
        ],
    );
    assert_eq!(
        ok_on(
            lap(&b),
            &["submit", "--summary", "随访 提醒", "--requester", "孙医生"]
        )
        .trim(),
        "待登记 1"
    );
    ok_on(
        lap(&b),
        &[
            "bug",
            "submit",
            "--found",
            &day(day0),
            "--reporter",
            "王五",
            "--phone-model",
            "华为 P40",
            "--os",
            "Android 12",
            "--content",
            "随访列表空白",
        ],
    );
    let pending = json(&ok_on(lap(&a), &["pending", "--json"]));
    assert_eq!(pending.as_array().unwrap().len(), 3, "{pending}");
    // the department has not heard of the notice: R6 is overdue there
    let next_day = format!("{} 12:00", day(day0 + Duration::days(1)));
    assert!(
        todo_rules(&d, &next_day).contains(&("R6".to_string(), n0.clone())),
        "{:?}",
        todo_rules(&d, &next_day)
    );

    // back: 张三 over the network, 王五 by file
    let said = ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    assert!(said.contains("送达 3 条"), "{said}");
    let out_b = dir.path().join("外出同步-王五.genjin");
    let reply_b = dir.path().join("回执-王五.genjin");
    ok_on(lap(&b), &["sync", "--out", out_b.to_str().unwrap()]);
    let said = apply_at_department(&dept, &out_b, &reply_b);
    assert!(said.contains("送达 2 条"), "{said}");
    ok_on(lap(&b), &["sync", "--in", reply_b.to_str().unwrap()]);

    // the notice counts on time by when it happened
    assert!(
        !todo_rules(&d, &next_day).contains(&("R6".to_string(), n0.clone())),
        "{:?}",
        todo_rules(&d, &next_day)
    );
    let history = ok(&dept, &["history", &n0]);
    assert!(
        history
            .lines()
            .any(|l| l.contains("15:00") && l.contains("张三") && l.contains("通知")),
        "{history}"
    );

    // the collector's inbox, then the numbers
    let inbox = json(&ok(&dept, &["inbox", "--json"]));
    let items = inbox.as_array().unwrap();
    assert_eq!(items.len(), 4, "{inbox}");
    for i in items {
        let keys: Vec<&String> = i.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["编号", "类型", "报告人", "需求梗概", "填报日期", "到达时间"],
            "{i}"
        );
    }
    let mut numbers = Vec::new();
    for i in items {
        let id = i["编号"].as_i64().unwrap().to_string();
        numbers.push(ok(&dept, &["accept", &id]).trim().to_string());
    }
    let mut distinct = numbers.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{numbers:?}");
    let today = chrono::Local::now().date_naive();
    assert_eq!(
        numbers.iter().filter(|n| n.starts_with('B')).count(),
        2,
        "{numbers:?}"
    );
    assert!(
        numbers
            .iter()
            .filter(|n| !n.starts_with('B'))
            .all(|n| n.starts_with(&today.format("%y%m%d").to_string())),
        "received the day they arrived: {numbers:?}"
    );
    assert_eq!(
        json(&ok(&dept, &["inbox", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // 张三's new requirement is decided at the department
    let of_a = numbers[0].clone();
    let shown = json(&ok(&dept, &["show", &of_a, "--json"]));
    assert_eq!(shown["reporter"], "张三", "{shown}");
    // its photo came with it
    assert_eq!(shown["screenshots"][0]["file_name"], "处方.png", "{shown}");
    ok(
        &dept,
        &["decide", &of_a, "--decision", "做", "--grade", "B"],
    );

    // the laptops learn their numbers and the decision
    ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    let out_b2 = dir.path().join("外出同步-王五-2.genjin");
    let reply_b2 = dir.path().join("回执-王五-2.genjin");
    ok_on(lap(&b), &["sync", "--out", out_b2.to_str().unwrap()]);
    apply_at_department(&dept, &out_b2, &reply_b2);
    let said = ok_on(lap(&b), &["sync", "--in", reply_b2.to_str().unwrap()]);
    assert!(said.contains("已登记"), "{said}");
    let on_a = register_numbers(lap(&a));
    let on_b = register_numbers(lap(&b));
    assert!(on_a.contains(&of_a) && on_a.contains(&n0), "{on_a:?}");
    assert!(!on_a.iter().any(|n| on_b.contains(n)), "{on_a:?} {on_b:?}");
    assert_eq!(on_b.len(), 2, "王五's old one and new one: {on_b:?}");
    let seen = json(&ok_on(lap(&a), &["show", &of_a, "--json"]));
    assert_eq!(seen["decision"], "做", "{seen}");
    assert!(json(&ok_on(lap(&a), &["pending", "--json"]))
        .as_array()
        .unwrap()
        .is_empty());
    let bugs_a = ok_on(lap(&a), &["bugs"]);
    assert!(
        bugs_a.contains("打开问卷闪退") && !bugs_a.contains("随访列表空白"),
        "{bugs_a}"
    );
    // the decision on 王五's requirement reaches his laptop too
    let of_b = numbers[2].clone();
    ok(
        &dept,
        &[
            "decide",
            &of_b,
            "--decision",
            "不做",
            "--reason",
            "已有此功能",
        ],
    );

    // B4: 张三's bug is fixed at the department; he tells the user offline, and it is kept
    let bug_a = numbers[1].clone();
    assert!(bug_a.starts_with('B'), "{numbers:?}");
    ok(&dept, &["bug", "reproduce", &bug_a, "--as", "钱测试"]);
    ok(
        &dept,
        &[
            "bug",
            "fix",
            &bug_a,
            "--date",
            &day(today),
            "--version",
            "2.1",
            "--as",
            "钱测试",
        ],
    );
    ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    ok_on(
        lap(&a),
        &[
            "notify",
            &bug_a,
            "--step",
            "修复结果",
            "--to",
            "用户",
            "--channel",
            "电话",
        ],
    );
    let said = ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    assert!(said.contains("已记录 1 条"), "{said}");
    let h = ok(&dept, &["history", &bug_a]);
    assert!(
        h.lines().any(|l| l.contains("通知") && l.contains("张三")),
        "{h}"
    );
    let out_b3 = dir.path().join("外出同步-王五-3.genjin");
    let reply_b3 = dir.path().join("回执-王五-3.genjin");
    ok_on(lap(&b), &["sync", "--out", out_b3.to_str().unwrap()]);
    apply_at_department(&dept, &out_b3, &reply_b3);
    ok_on(lap(&b), &["sync", "--in", reply_b3.to_str().unwrap()]);
    let seen_b = json(&ok_on(lap(&b), &["show", &of_b, "--json"]));
    assert_eq!(seen_b["decision"], "不做", "{seen_b}");

    // a file applied twice changes nothing
    let before = ok(&dept, &["register", "--json"]);
    let said = ok(&dept, &["sync", "--in", out_b.to_str().unwrap()]);
    assert!(said.contains("以前都已送达"), "{said}");
    assert_eq!(ok(&dept, &["register", "--json"]), before);
    assert_eq!(json(&ok(&dept, &["inbox", "--json"])), json("[]"));
    // so does an old reply on the laptop
    let said = ok_on(lap(&b), &["sync", "--in", reply_b.to_str().unwrap()]);
    assert!(said.contains("已经应用过"), "{said}");
    assert_eq!(register_numbers(lap(&b)), on_b);
}

/// A file for another database, an altered one, or not a sync file at all is refused whole,
/// in Chinese, with nothing written; a step that no longer fits is refused with why on both
/// sides, and the laptop user can give it up.
#[test]
fn wrong_or_altered_files_are_refused_and_conflicts_are_said_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (dept, d) = department(dir.path());
    let today = chrono::Local::now().date_naive();
    let n = number_of(today, 1);
    ok(
        &dept,
        &[
            "add-requirement",
            "--received",
            &day(today),
            "--reporter",
            "张三",
            "--summary",
            "问卷 自动计分",
            "--requester",
            "郭主任",
        ],
    );
    ok(&dept, &["decide", &n, "--decision", "做", "--grade", "C"]);
    let a = dir.path().join("外出-张三.sqlite3");
    ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    // another department, and a laptop of it
    let other = dir.path().join("别的部门.sqlite3");
    ok(
        &other,
        &["add-person", "--name", "赵收集", "--roles", "需求收集人"],
    );
    ok(
        &other,
        &["add-person", "--name", "张三", "--roles", "需求报告人"],
    );
    let c = dir.path().join("外出-别处.sqlite3");
    ok(
        &other,
        &["copy-db", "--to", c.to_str().unwrap(), "--for", "张三"],
    );
    ok_on(lap(&c), &["submit", "--summary", "别处的需求"]);
    let from_c = dir.path().join("别处.genjin");
    ok_on(lap(&c), &["sync", "--out", from_c.to_str().unwrap()]);

    ok_on(lap(&a), &["submit", "--summary", "处方 打印"]);
    ok_on(
        lap(&a),
        &[
            "notify",
            &n,
            "--step",
            "决策结果",
            "--to",
            "需求人",
            "--channel",
            "电话",
        ],
    );
    let from_a = dir.path().join("张三.genjin");
    ok_on(lap(&a), &["sync", "--out", from_a.to_str().unwrap()]);
    let register = ok(&dept, &["register", "--json"]);
    let refused = |file: &Path, what: &str| {
        let o = genjin_on(&d, &["sync", "--in", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(what), "{}", stderr(&o));
        assert_eq!(ok(&dept, &["register", "--json"]), register);
        assert_eq!(json(&ok(&dept, &["inbox", "--json"])), json("[]"));
    };
    refused(&from_c, "为另一个数据库制作");
    let text = std::fs::read_to_string(&from_a).unwrap();
    let altered = dir.path().join("改过.genjin");
    std::fs::write(&altered, text.replacen("处方", "处分", 1)).unwrap();
    refused(&altered, "已损坏或被改动");
    let cut = dir.path().join("截断.genjin");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    refused(&cut, "不是跟进的同步文件");
    // a reply made for one laptop is not taken by another
    let reply = dir.path().join("回执.genjin");
    apply_at_department(&dept, &from_a, &reply);
    let o = genjin_on(lap(&c), &["sync", "--in", reply.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("为另一个数据库制作"), "{}", stderr(&o));

    // withdrawn at the department before the laptop's second notice arrives
    ok_on(lap(&a), &["sync", "--in", reply.to_str().unwrap()]);
    ok(&dept, &["withdraw", &n, "--reason", "重复"]);
    ok_on(
        lap(&a),
        &[
            "notify",
            &n,
            "--step",
            "决策结果",
            "--to",
            "报告人",
            "--channel",
            "电话",
        ],
    );
    let said = ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    assert!(said.contains("未采用 1 条"), "{said}");
    let inbox = ok(&dept, &["inbox"]);
    assert!(inbox.contains("未能应用（1 条）"), "{inbox}");
    let pending = json(&ok_on(lap(&a), &["pending", "--json"]));
    let refused_here: Vec<&Value> = pending
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["状态"].as_str().unwrap().starts_with("未采用"))
        .collect();
    assert_eq!(refused_here.len(), 1, "{pending}");
    assert!(
        refused_here[0]["原因"].as_str().unwrap().contains("撤回"),
        "{pending}"
    );
    let id = refused_here[0]["编号"].as_i64().unwrap().to_string();
    ok_on(lap(&a), &["discard", &id]);
    let left = json(&ok_on(lap(&a), &["pending", "--json"]));
    assert!(
        left.as_array()
            .unwrap()
            .iter()
            .all(|p| !p["状态"].as_str().unwrap().starts_with("未采用")),
        "{left}"
    );
    // nothing is ever numbered on a laptop, and nothing it would lose at the next sync is
    // recorded there
    for args in [
        &["accept", "1"][..],
        &[
            "add-requirement",
            "--received",
            &day(today),
            "--reporter",
            "张三",
            "--summary",
            "直接登记",
        ][..],
        &[
            "bug",
            "add",
            "--found",
            &day(today),
            "--reporter",
            "张三",
            "--phone-model",
            "X",
            "--os",
            "Y",
            "--content",
            "Z",
        ][..],
        &["decide", &n, "--decision", "不做"][..],
    ] {
        let o = genjin_on(lap(&a), args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).contains("外出用的复制库"), "{}", stderr(&o));
    }
    assert!(!ok_on(lap(&a), &["register"]).contains("直接登记"));
}

/// A tiny generator for the kill test's moments (no dependency for it): xorshift.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A sync cut off (the process killed) at random moments 20 times, then repeated: every step
/// arrives exactly once and nothing is half-applied on either side.
#[test]
fn a_sync_killed_at_random_moments_applies_every_step_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (dept, d) = department(dir.path());
    let today = chrono::Local::now().date_naive();
    let mut numbers = Vec::new();
    for i in 1..=20 {
        ok(
            &dept,
            &[
                "add-requirement",
                "--received",
                &day(today),
                "--reporter",
                "张三",
                "--summary",
                &format!("需求 {i}"),
                "--requester",
                "郭主任",
            ],
        );
        numbers.push(number_of(today, i));
    }
    for n in &numbers {
        ok(&dept, &["decide", n, "--decision", "做", "--grade", "C"]);
    }
    let a = dir.path().join("外出-张三.sqlite3");
    ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    let sync = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_genjin"))
            .arg("--db")
            .arg(&a)
            .args(["sync", "--with", d.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // how long a whole sync takes here, so the cuts fall inside one
    for i in 1..=10 {
        ok_on(lap(&a), &["submit", "--summary", &format!("外出 报告 {i}")]);
    }
    let started = std::time::Instant::now();
    assert!(sync().wait().unwrap().success());
    let whole = started.elapsed().as_millis() as u64;
    let seed = chrono::Local::now().timestamp_nanos_opt().unwrap_or(7) as u64 | 1;
    let mut rng = Xorshift(seed);
    let mut finished = 0;
    for (round, n) in numbers.iter().enumerate() {
        // something new to send each time: a report and a notice
        ok_on(
            lap(&a),
            &["submit", "--summary", &format!("外出 报告 {}", 11 + round)],
        );
        ok_on(
            lap(&a),
            &[
                "notify",
                n,
                "--step",
                "决策结果",
                "--to",
                "需求人",
                "--channel",
                "电话",
            ],
        );
        let mut child = sync();
        let wait = whole * 3 / 10 + rng.below(whole);
        std::thread::sleep(std::time::Duration::from_millis(wait));
        if child.try_wait().unwrap().is_some() {
            finished += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        // the laptop opens and reads after every cut
        assert!(
            genjin_on(lap(&a), &["pending", "--json"]).status.success(),
            "seed {seed} round {round}"
        );
    }
    eprintln!("seed {seed}: a whole sync {whole} ms; {finished} of 20 finished before the kill");
    assert!(finished < 20, "no sync was cut off (seed {seed})");
    ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    let inbox = json(&ok(&dept, &["inbox", "--json"]));
    assert_eq!(inbox.as_array().unwrap().len(), 30, "seed {seed}");
    let summaries: std::collections::BTreeSet<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["需求梗概"].as_str().unwrap())
        .collect();
    assert_eq!(summaries.len(), 30, "seed {seed}");
    for n in &numbers {
        let h = ok(&dept, &["history", n]);
        let told = h
            .lines()
            .filter(|l| l.contains("通知") && l.contains("张三") && !l.contains("确认"))
            .count();
        assert_eq!(told, 1, "seed {seed}: {n}\n{h}");
    }
    let pending = json(&ok_on(lap(&a), &["pending", "--json"]));
    assert!(
        pending
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["状态"] == "已送达，待登记"),
        "seed {seed}: {pending}"
    );
}

/// A laptop's file copied to a second PC (or an old copy put back) sends steps with ids the
/// department has already seen with other content: the sync is refused whole, never matched
/// to the wrong reports. A step that has left cannot be given up on the laptop.
#[test]
fn a_copied_laptop_is_refused_and_a_sent_step_cannot_be_given_up() {
    let dir = tempfile::tempdir().unwrap();
    let (dept, d) = department(dir.path());
    let a = dir.path().join("外出-张三.sqlite3");
    ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    let twin = dir.path().join("外出-张三-复制.sqlite3");
    std::fs::copy(&a, &twin).unwrap();
    ok_on(lap(&a), &["submit", "--summary", "原来的 报告"]);
    ok_on(lap(&twin), &["submit", "--summary", "复制的 报告"]);
    let out = dir.path().join("张三.genjin");
    ok_on(lap(&a), &["sync", "--out", out.to_str().unwrap()]);
    // it has left: the laptop keeps it until the department answers
    let o = genjin_on(lap(&a), &["discard", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("已发送"), "{}", stderr(&o));
    ok(&dept, &["sync", "--in", out.to_str().unwrap()]);
    // a step's id is the moment it was recorded (in ms) or after the last: two copies meet
    // only when both recorded one in the same millisecond — made so here
    let id_of = |p: &Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("SELECT origin_id FROM submissions WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let same = id_of(&a);
    rusqlite::Connection::open(&twin)
        .unwrap()
        .execute("UPDATE submissions SET origin_id = ?1 WHERE id = 1", [same])
        .unwrap();
    let o = genjin_on(lap(&twin), &["sync", "--with", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("被复制过"), "{}", stderr(&o));
    // nothing left: the twin's step may be given up again
    ok_on(lap(&twin), &["discard", "1"]);
    let inbox = json(&ok(&dept, &["inbox", "--json"]));
    let briefs: Vec<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["需求梗概"].as_str().unwrap())
        .collect();
    assert_eq!(briefs, ["原来的 报告"]);
}

/// A laptop put back from its own backup (it takes one a day) goes on: what it records next
/// travels with ids the department has not seen, so it arrives rather than being taken for a
/// copy.
#[test]
fn a_laptop_put_back_from_its_backup_goes_on_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let (dept, d) = department(dir.path());
    let a = dir.path().join("外出-张三.sqlite3");
    ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    // (as its daily backup keeps it: the file as it was, nothing running)
    let backup = dir.path().join("外出-备份.sqlite3");
    std::fs::copy(&a, &backup).unwrap();
    let wal = format!("{}-wal", a.display());
    if Path::new(&wal).exists() {
        std::fs::copy(&wal, format!("{}-wal", backup.display())).unwrap();
    }
    ok_on(lap(&a), &["submit", "--summary", "第一份 报告"]);
    ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", a.display()));
    }
    std::fs::copy(&backup, &a).unwrap();
    let wal = format!("{}-wal", backup.display());
    if Path::new(&wal).exists() {
        std::fs::copy(&wal, format!("{}-wal", a.display())).unwrap();
    }
    ok_on(lap(&a), &["submit", "--summary", "第二份 报告"]);
    let said = ok_on(lap(&a), &["sync", "--with", d.to_str().unwrap()]);
    assert!(said.contains("送达 1 条"), "{said}");
    let inbox = json(&ok(&dept, &["inbox", "--json"]));
    let briefs: Vec<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["需求梗概"].as_str().unwrap())
        .collect();
    assert_eq!(briefs, ["第一份 报告", "第二份 报告"]);
}

/// The department's database put back from a backup made before a laptop's steps arrived: the
/// laptop's next sync sends them again, and its replies go on counting (none is taken for an
/// old one). A reply carries no password hash. (A file department: its backup is a file.)
#[test]
fn after_the_department_is_restored_a_laptop_sends_again() {
    if crate::common::on_server() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (dept, _) = department(dir.path());
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_genjin"))
        .arg("--db")
        .arg(&dept)
        .args(["password", "张三", "--as", "李收集"])
        .env("GENJIN_NEW_PASSWORD", "zhangsan1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let a = dir.path().join("外出-张三.sqlite3");
    ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    // the first copy carries 张三's own password hash, so he can sign in out there
    let first = std::fs::read(&a).unwrap();
    assert!(String::from_utf8_lossy(&first).contains("$argon2"));
    let before = dir.path().join("备份.sqlite3");
    ok(&dept, &["backup", before.to_str().unwrap()]);
    ok_on(lap(&a), &["submit", "--summary", "问卷 计分"]);
    let out = dir.path().join("1.genjin");
    let reply = dir.path().join("1-回执.genjin");
    ok_on(lap(&a), &["sync", "--out", out.to_str().unwrap()]);
    apply_at_department(&dept, &out, &reply);
    assert!(
        !std::fs::read_to_string(&reply).unwrap().contains("$argon2"),
        "a reply travels by mail: no password hash in it"
    );
    ok_on(lap(&a), &["sync", "--in", reply.to_str().unwrap()]);
    assert!(ok_on(lap(&a), &["pending"]).contains("已送达"));
    // the department is put back as it was before
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", dept.display()));
    }
    std::fs::copy(&before, &dept).unwrap();
    assert_eq!(json(&ok(&dept, &["inbox", "--json"])), json("[]"));
    let out2 = dir.path().join("2.genjin");
    let reply2 = dir.path().join("2-回执.genjin");
    ok_on(lap(&a), &["sync", "--out", out2.to_str().unwrap()]);
    apply_at_department(&dept, &out2, &reply2);
    // the reply says it is not there: taken, not ignored as an old one
    let said = ok_on(lap(&a), &["sync", "--in", reply2.to_str().unwrap()]);
    assert!(!said.contains("已经应用过"), "{said}");
    assert!(ok_on(lap(&a), &["pending"]).contains("已发送，等待回执"));
    let out3 = dir.path().join("3.genjin");
    ok_on(lap(&a), &["sync", "--out", out3.to_str().unwrap()]);
    let said = ok(&dept, &["sync", "--in", out3.to_str().unwrap()]);
    assert!(said.contains("送达 1 条"), "{said}");
    let inbox = json(&ok(&dept, &["inbox", "--json"]));
    assert_eq!(inbox.as_array().unwrap().len(), 1, "{inbox}");
}

/// The department's side cut off: `sync --in FILE --reply` killed at random moments ten times,
/// then run to its end. The file's steps are there once, and the reply written last tells the
/// laptop all of them (a reply is written whole or not at all).
#[test]
fn a_file_sync_killed_at_the_department_applies_every_step_once() {
    let dir = tempfile::tempdir().unwrap();
    let (dept, d) = department(dir.path());
    let a = dir.path().join("外出-张三.sqlite3");
    ok(
        &dept,
        &["copy-db", "--to", a.to_str().unwrap(), "--for", "张三"],
    );
    for i in 1..=40 {
        ok_on(lap(&a), &["submit", "--summary", &format!("外出 报告 {i}")]);
    }
    let file = dir.path().join("张三.genjin");
    let reply = dir.path().join("回执.genjin");
    ok_on(lap(&a), &["sync", "--out", file.to_str().unwrap()]);
    let apply = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_genjin"))
            .arg("--db")
            .arg(&d)
            .args([
                "sync",
                "--in",
                file.to_str().unwrap(),
                "--reply",
                reply.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let seed = chrono::Local::now().timestamp_nanos_opt().unwrap_or(7) as u64 | 1;
    let mut rng = Xorshift(seed);
    let probe = std::time::Instant::now();
    let o = genjin_on(lap(&a), &["pending", "--json"]);
    assert!(o.status.success());
    // a sync of 40 takes about a process start and a database opening, and a half again
    let whole = (probe.elapsed().as_millis() as u64).max(20) * 3 / 2;
    let mut finished = 0;
    for round in 0..10 {
        let mut child = apply();
        std::thread::sleep(std::time::Duration::from_millis(rng.below(whole)));
        if child.try_wait().unwrap().is_some() {
            finished += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let inbox = json(&ok(&dept, &["inbox", "--json"]));
        let n = inbox.as_array().unwrap().len();
        assert!(
            n == 0 || n == 40,
            "seed {seed} round {round}: {n} of 40 arrived"
        );
    }
    eprintln!("seed {seed}: {finished} of 10 finished before the kill");
    let said = apply_at_department(&dept, &file, &reply);
    assert!(
        said.contains("送达") || said.contains("以前都已送达"),
        "{said}"
    );
    assert_eq!(
        json(&ok(&dept, &["inbox", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        40
    );
    ok_on(lap(&a), &["sync", "--in", reply.to_str().unwrap()]);
    let pending = json(&ok_on(lap(&a), &["pending", "--json"]));
    assert_eq!(pending.as_array().unwrap().len(), 40);
    assert!(
        pending
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["状态"] == "已送达，待登记"),
        "seed {seed}: {pending}"
    );
}
