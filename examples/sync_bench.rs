//! A laptop's sync of 1,000 waiting steps (issue 24): the file's size and time, and a network
//! sync's, each beside its yardstick in the same run — the same 1,000 reports typed in at the
//! department one by one (`create_requirement`, one transaction each, as the collector would
//! register mailed forms). Figures go to BENCHMARKS.md.
//!
//!     cargo run --release --example sync_bench [-- postgres://…/empty_db]
//!
//! With a URL the department is that (empty) shared database; else a SQLite file in a
//! temporary folder. Each laptop holds 300 reports, 100 bug reports and 600 notices waiting (a
//! month in hospitals: every requirement's decision told to its reporter, requester and IT).
//! Rounds: 3 (fresh department and laptops each round); the median is reported.

use genjin::api::sync;
use genjin::store::{Actor, BugInput, Db, NewNotification, PersonInput, RequirementInput};

use std::path::Path;
use std::time::{Duration, Instant};

fn actor(db: &Db, name: &str) -> Actor {
    let id = db.person_by_name(name).unwrap().map(|p| p.id);
    Actor::new(id, name, "bench", genjin::clock::now())
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn department(url: Option<&str>, dir: &Path, round: usize) -> Db {
    let mut db = match url {
        Some(u) => {
            let name = format!("sync_bench_{}_{round}", std::process::id());
            let admin = format!("{}/postgres", u.trim_end_matches('/'));
            let o = std::process::Command::new("psql")
                .arg(&admin)
                .args(["-qAtc", &format!("CREATE DATABASE {name}")])
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            Db::open_url(&format!("{}/{name}", u.trim_end_matches('/'))).unwrap()
        }
        None => Db::open(&dir.join(format!("部门-{round}.sqlite3"))).unwrap(),
    };
    let setup = Actor::new(None, "李收集", "bench", genjin::clock::now());
    let person = |name: &str, roles: &str| PersonInput {
        name: name.into(),
        roles: roles
            .split(',')
            .map(|r| genjin::domain::people::Role::parse(r).unwrap())
            .collect(),
        ..Default::default()
    };
    db.add_person(&setup, &person("李收集", "需求收集人,决策组"))
        .unwrap();
    let a = actor(&db, "李收集");
    db.add_person(&a, &person("张三", "需求报告人")).unwrap();
    // 200 requirements of 张三's over four days, decided: what his notices are about
    for number in numbers() {
        let day = format!("20{}-{}-{}", &number[0..2], &number[2..4], &number[4..6]);
        let r = db
            .create_requirement(
                &a,
                &RequirementInput {
                    received_date: day,
                    reporter: "张三".into(),
                    requester: "郭主任".into(),
                    brief: format!("旧需求 {number}"),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(r.number, number);
        db.record_decision(
            &a,
            &r.number,
            &serde_json::from_value(serde_json::json!({"decision": "做", "grade": "C"})).unwrap(),
        )
        .unwrap();
    }
    db
}

/// The 需求编号 of the department's 200 requirements: 50 a day over the last four days.
fn numbers() -> Vec<String> {
    let today = genjin::clock::today();
    (0..4)
        .flat_map(|d| {
            let day = today - chrono::Duration::days(d);
            (1..=50).map(move |n| format!("{}{n:02}", day.format("%y%m%d")))
        })
        .collect()
}

fn day_back(n: usize) -> String {
    (genjin::clock::today() - chrono::Duration::days(n as i64))
        .format("%Y-%m-%d")
        .to_string()
}

fn notice(audience: &str) -> NewNotification {
    serde_json::from_value(serde_json::json!({
        "step": "决策结果", "audience": audience, "channel": "电话"
    }))
    .unwrap()
}

const AUDIENCES: [&str; 3] = ["需求报告人", "需求人", "IT部"];

/// A laptop of 张三's with 1,000 steps waiting.
fn laptop(dept: &mut Db, dir: &Path, name: &str) -> Db {
    let path = dir.join(name);
    let a = actor(dept, "李收集");
    sync::copy_for(dept, &a, path.to_str().unwrap(), "张三").unwrap();
    let mut lap = Db::open(&path).unwrap();
    let me = actor(&lap, "张三");
    for i in 0..300 {
        lap.submit_requirement(
            &me,
            &RequirementInput {
                brief: format!("外出 报告 {i}"),
                requester: "赵医生".into(),
                doctor_words: "希望问卷能自动计分，省得每次手算。".into(),
                hospital: "第一人民医院".into(),
                ..Default::default()
            },
            &[],
            None,
        )
        .unwrap();
    }
    for i in 0..100 {
        lap.submit_bug(
            &me,
            &BugInput {
                found_date: day_back(0),
                reporter: "张三".into(),
                phone_model: "iPhone 12".into(),
                os_version: "iOS 17".into(),
                content: format!("打开问卷闪退 {i}"),
                ..Default::default()
            },
            &[],
            None,
        )
        .unwrap();
    }
    for n in numbers() {
        for to in AUDIENCES {
            lap.record_notification(&me, &n, &notice(to)).unwrap();
        }
    }
    lap
}

fn main() {
    let url = std::env::args().nth(1);
    let dir = tempfile::tempdir().unwrap();
    let (mut out_t, mut in_t, mut reply_t, mut with_t, mut typed_t) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut out_size, mut reply_size) = (0, 0);
    for round in 0..3 {
        let mut dept = department(url.as_deref(), dir.path(), round);
        let mut a = laptop(&mut dept, dir.path(), &format!("外出-a-{round}.sqlite3"));
        let mut b = laptop(&mut dept, dir.path(), &format!("外出-b-{round}.sqlite3"));
        let file = dir.path().join(format!("外出同步-{round}.genjin"));
        let reply = dir.path().join(format!("回执-{round}.genjin"));
        // by file: out on the laptop, in (with the reply) at the department, the reply back
        let t = Instant::now();
        let me = actor(&a, "张三");
        sync::sync_out(&mut a, &me, &file).unwrap();
        out_t.push(t.elapsed());
        let collector = actor(&dept, "李收集");
        let t = Instant::now();
        let r = sync::sync_in(&mut dept, &collector, &file, Some(&reply)).unwrap();
        in_t.push(t.elapsed());
        assert_eq!(r.arrived, 1000, "{:?}", r.lines());
        let t = Instant::now();
        sync::sync_in(&mut a, &me, &reply, None).unwrap();
        reply_t.push(t.elapsed());
        out_size = std::fs::metadata(&file).unwrap().len();
        reply_size = std::fs::metadata(&reply).unwrap().len();
        // over the network (or straight to the file): both halves in one call
        let target = match &url {
            Some(_) => format!(
                "{}/sync_bench_{}_{round}",
                url.as_deref().unwrap().trim_end_matches('/'),
                std::process::id()
            ),
            None => dir
                .path()
                .join(format!("部门-{round}.sqlite3"))
                .to_string_lossy()
                .into_owned(),
        };
        drop(dept);
        let me_b = actor(&b, "张三");
        let t = Instant::now();
        let r = sync::sync_with(&mut b, &me_b, &target).unwrap();
        with_t.push(t.elapsed());
        assert_eq!(r.arrived, 1000, "{:?}", r.lines());
        // the yardstick: the same 700 reports and 200 bugs and 100 notices typed in at the
        // department, one transaction each
        let mut dept = match &url {
            Some(_) => Db::open_url(&target).unwrap(),
            None => Db::open(Path::new(&target)).unwrap(),
        };
        let collector = actor(&dept, "李收集");
        let t = Instant::now();
        for i in 0..300 {
            dept.create_requirement(
                &collector,
                &RequirementInput {
                    received_date: day_back(i % 10),
                    reporter: "张三".into(),
                    brief: format!("手工登记 {i}"),
                    requester: "赵医生".into(),
                    doctor_words: "希望问卷能自动计分，省得每次手算。".into(),
                    hospital: "第一人民医院".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        for i in 0..100 {
            dept.report_bug(
                &collector,
                &BugInput {
                    found_date: day_back(5),
                    received_date: day_back(i % 5),
                    reporter: "张三".into(),
                    phone_model: "iPhone 12".into(),
                    os_version: "iOS 17".into(),
                    content: format!("手工登记的 Bug {i}"),
                    ..Default::default()
                },
                &[],
            )
            .unwrap();
        }
        for n in numbers() {
            for to in AUDIENCES {
                dept.record_notification(&collector, &n, &notice(to))
                    .unwrap();
            }
        }
        typed_t.push(t.elapsed());
    }
    let typed = median(typed_t);
    let row = |label: &str, ms: f64| {
        println!(
            "{label:<58} {ms:>8.0} ms  {:>5.2}× the yardstick",
            ms / typed
        );
    };
    println!(
        "department: {}",
        if url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite file"
        }
    );
    row("sync --out (1,000 steps into the file)", median(out_t));
    row(
        "sync --in at the department (apply 1,000, write the reply)",
        median(in_t),
    );
    row("sync --in the reply on the laptop", median(reply_t));
    row("sync --with (both halves, no file)", median(with_t));
    row(
        "yardstick: the same 1,000 entered at the department one by one",
        typed,
    );
    println!(
        "file of 1,000 steps: {:.0} KB; its reply: {:.0} KB",
        out_size as f64 / 1024.0,
        reply_size as f64 / 1024.0
    );
}
