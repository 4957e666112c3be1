//! Crash safety under `kill -9` (issue 13). Figures go to BENCHMARKS.md.
//!
//!     cargo build --release && cargo run --release --example crash_bench [-- ROUNDS ROWS]
//!
//! Drives the real `genjin` binary (target/release/genjin) and kills it with SIGKILL at random
//! moments, ROUNDS times (default 100) in each of two runs:
//!
//! 1. `genjin import` of a ROWS-row register (default 100,000) into a copy of a database that
//!    already holds requirements — killed somewhere between its start and its usual end. After
//!    each kill: `PRAGMA integrity_check` must say ok, and the import must be wholly there or not
//!    at all (the requirement count is the base count or the base count plus ROWS).
//! 2. A loop of `genjin add-requirement` and `genjin decide` on one database — each command
//!    killed at a random moment of its usual run. After each kill: `integrity_check` ok, and
//!    every write a command acknowledged (exit 0) is there: each number it printed exists, each
//!    decision it confirmed is recorded.
//!
//! Prints how many kills landed mid-operation, and every failure (there should be none).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small xorshift generator: random enough for kill times, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn genjin_binary() -> PathBuf {
    let me = std::env::current_exe().unwrap();
    let bin = me.parent().unwrap().parent().unwrap().join("genjin");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release ({})",
        bin.display()
    );
    bin
}

fn generate(path: &Path, rows: usize) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    for (c, h) in genjin::domain::forms::REGISTER.labels().iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let start = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
    for i in 0..rows {
        let r = (i + 1) as u32;
        let day = start + chrono::Duration::days((i / 99) as i64);
        ws.write_string(r, 0, format!("{}{:02}", day.format("%y%m%d"), i % 99 + 1))
            .unwrap();
        ws.write_string(r, 1, "刘小妹").unwrap();
        ws.write_string(r, 2, format!("医生{}", i % 500)).unwrap();
        ws.write_string(r, 3, "做").unwrap();
        ws.write_string(r, 4, "C").unwrap();
        ws.write_string(r, 8, "问卷自动计分").unwrap();
    }
    wb.save(path).unwrap();
}

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| format!("failed: {e}"))
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn run(bin: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// Starts `genjin` with `args`, kills it with SIGKILL after `after`; returns whether it had
/// finished by then (and its output), or `None` when it was killed.
fn kill_after(
    bin: &Path,
    db: &Path,
    args: &[&str],
    after: Duration,
) -> Option<std::process::Output> {
    let mut child = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while t.elapsed() < after {
        if let Ok(Some(_)) = child.try_wait() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    match child.try_wait() {
        Ok(Some(_)) => Some(child.wait_with_output().unwrap()),
        _ => {
            child.kill().unwrap(); // SIGKILL on Unix
            let _ = child.wait();
            None
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let rows: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let bin = genjin_binary();
    let dir = tempfile::tempdir().unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    println!("seed {seed}");

    // 1. imports killed mid-way
    let file = dir.path().join("需求登记反馈表_崩溃测试.xlsx");
    generate(&file, rows);
    let base = dir.path().join("base.sqlite3");
    assert!(run(&bin, &base, &["add-person", "--name", "李小四"])
        .status
        .success());
    for i in 0..50 {
        let o = run(
            &bin,
            &base,
            &[
                "add-requirement",
                "--received",
                "2014-06-19",
                "--reporter",
                "刘小妹",
                "--summary",
                &format!("已有需求{i}"),
            ],
        );
        assert!(o.status.success());
    }
    let base_count = count(&base, "SELECT count(*) FROM requirements");
    // how long an import takes when left alone
    let probe = dir.path().join("probe.sqlite3");
    std::fs::copy(&base, &probe).unwrap();
    let t = Instant::now();
    let o = run(&bin, &probe, &["import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let whole = t.elapsed();
    println!(
        "import of {rows} rows alone: {:.2} s; {} requirements after",
        whole.as_secs_f64(),
        count(&probe, "SELECT count(*) FROM requirements")
    );
    let (mut killed, mut landed, mut absent, mut failures) = (0, 0, 0, Vec::new());
    let t = Instant::now();
    for round in 0..rounds {
        let db = dir.path().join(format!("import-{round}.sqlite3"));
        std::fs::copy(&base, &db).unwrap();
        let after = Duration::from_micros(rng.below(whole.as_micros() as u64 + 1));
        if kill_after(&bin, &db, &["import", file.to_str().unwrap()], after).is_none() {
            killed += 1;
        }
        let ok = integrity(&db);
        let n = count(&db, "SELECT count(*) FROM requirements");
        if ok != "ok" {
            failures.push(format!("import round {round}: integrity_check {ok}"));
        }
        if n == base_count {
            absent += 1;
        } else if n == base_count + rows as i64 {
            landed += 1;
        } else {
            failures.push(format!(
                "import round {round}: {n} requirements — a partial import (base {base_count})"
            ));
        }
        let _ = std::fs::remove_file(&db);
        let _ = std::fs::remove_dir_all(dir.path().join("backups"));
    }
    println!(
        "imports: {rounds} rounds in {:.0} s, {killed} killed mid-run; after each: {absent} \
         without the import, {landed} with all of it, integrity_check ok in {} of {rounds}",
        t.elapsed().as_secs_f64(),
        rounds - failures.iter().filter(|f| f.contains("integrity")).count()
    );

    // 2. a loop of add-requirement / decide killed at random moments
    let db = dir.path().join("loop.sqlite3");
    assert!(run(&bin, &db, &["add-person", "--name", "李小四"])
        .status
        .success());
    let t0 = Instant::now();
    let o = run(
        &bin,
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "刘小妹",
            "--summary",
            "探测",
        ],
    );
    assert!(o.status.success());
    let one = t0.elapsed();
    let mut acknowledged: Vec<String> = vec![String::from_utf8_lossy(&o.stdout).trim().to_string()];
    let mut decided: Vec<String> = Vec::new();
    let (mut killed_loop, mut writes) = (0, 0);
    let t = Instant::now();
    let day = |i: usize| {
        let d = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap()
            + chrono::Duration::days((i / 90) as i64);
        d.format("%Y-%m-%d").to_string()
    };
    for round in 0..rounds {
        let after = Duration::from_micros(rng.below(one.as_micros() as u64 * 2 + 1));
        let received = day(round);
        let summary = format!("需求{round}");
        let add = [
            "add-requirement",
            "--received",
            received.as_str(),
            "--reporter",
            "刘小妹",
            "--summary",
            summary.as_str(),
        ];
        match kill_after(&bin, &db, &add, after) {
            Some(o) if o.status.success() => {
                writes += 1;
                acknowledged.push(String::from_utf8_lossy(&o.stdout).trim().to_string());
            }
            Some(_) => {}
            None => killed_loop += 1,
        }
        // decide the last acknowledged one (if not yet), killed at random too
        if let Some(n) = acknowledged.last().cloned() {
            if !decided.contains(&n) {
                let after = Duration::from_micros(rng.below(one.as_micros() as u64 * 2 + 1));
                match kill_after(&bin, &db, &["decide", &n, "--decision", "不做"], after) {
                    Some(o) if o.status.success() => {
                        writes += 1;
                        decided.push(n);
                    }
                    Some(_) => {}
                    None => killed_loop += 1,
                }
            }
        }
        let ok = integrity(&db);
        if ok != "ok" {
            failures.push(format!("loop round {round}: integrity_check {ok}"));
        }
        for n in &acknowledged {
            let there = count(
                &db,
                &format!("SELECT count(*) FROM requirements WHERE number = '{n}'"),
            );
            if there != 1 {
                failures.push(format!("loop round {round}: acknowledged {n} is gone"));
            }
        }
        for n in &decided {
            let there = count(
                &db,
                &format!(
                    "SELECT count(*) FROM requirements WHERE number = '{n}' AND decision = 'do_not'"
                ),
            );
            if there != 1 {
                failures.push(format!("loop round {round}: the decision on {n} is gone"));
            }
        }
    }
    println!(
        "add-requirement/decide: {rounds} rounds in {:.0} s, {killed_loop} commands killed \
         mid-run, {writes} writes acknowledged, all still there after every kill: {}",
        t.elapsed().as_secs_f64(),
        !failures.iter().any(|f| f.starts_with("loop"))
    );
    if failures.is_empty() {
        println!("no failures");
    } else {
        for f in &failures {
            println!("FAILURE {f}");
        }
        std::process::exit(1);
    }
}
