//! The window benchmark (issue 8): what a user waits for in the real window, at 100,000
//! requirements. Not a test — it asserts nothing about time; it prints figures for
//! BENCHMARKS.md. Run it on a release build with a filled database:
//!
//!     BENCH_DB=/tmp/reg.sqlite3 cargo run --release --example register_bench   # once, fills it
//!     cargo build --release --example bare_window
//!     GENJIN_WINDOW_BENCH_DB=/tmp/reg.sqlite3 \
//!         cargo test --release --test e2e window_bench -- --ignored --nocapture
//!
//! Each action is timed inside the page, from the simulated click (or Enter) to the first
//! frame after the register's rows were replaced (`performance.now()`, a MutationObserver and
//! `requestAnimationFrame`). Launch is timed from asking WebDriver for the window until it
//! reports the page loaded, plus, for Genjin, the time from the page's load event to its first
//! register rows (the page's own `performance` marks) — side by side (alternating) with a bare
//! Tauri window of the same build (`examples/bare_window.rs`: one static page through a custom
//! protocol, as Genjin's pages are served).

use crate::harness::Session;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs `action` (`search`, `status`, `click`) in the page and returns the milliseconds until
/// the rows were replaced and until the next frame was drawn.
async fn timed(s: &Session, action: &str, value: &str) -> (f64, f64) {
    let script = r#"
        const [action, value, done] = arguments;
        const tbody = document.querySelector('#register tbody');
        const t0 = performance.now();
        new MutationObserver((_, obs) => {
            obs.disconnect();
            const replaced = performance.now() - t0;
            requestAnimationFrame(() => setTimeout(() => done([replaced, performance.now() - t0]), 0));
        }).observe(tbody, { childList: true });
        if (action === 'search') {
            const input = document.querySelector('#register-search');
            input.value = value;
            input.dispatchEvent(new Event('change'));
        } else if (action === 'status') {
            const sel = document.querySelector('#register-filters select[name=status]');
            sel.value = value;
            sel.dispatchEvent(new Event('change'));
        } else {
            document.querySelector(value).click();
        }
    "#;
    let v = s
        .client
        .execute_async(script, vec![action.into(), value.into()])
        .await
        .expect("the page ran the action");
    let ms = |i: usize| v[i].as_f64().expect("milliseconds");
    (ms(0), ms(1))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn copy_db(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("genjin.sqlite3");
    std::fs::copy(from, &db).expect("copy the benchmark database");
    (dir, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: needs GENJIN_WINDOW_BENCH_DB and a release build; prints figures"]
async fn window_bench() {
    let Some(source) = std::env::var_os("GENJIN_WINDOW_BENCH_DB").map(PathBuf::from) else {
        panic!("set GENJIN_WINDOW_BENCH_DB to a filled database (see the module docs)");
    };
    let genjin = env!("CARGO_BIN_EXE_genjin");
    let bare = Path::new(genjin)
        .parent()
        .unwrap()
        .join("examples/bare_window");
    assert!(
        bare.exists(),
        "build the bare window first: {}",
        bare.display()
    );

    // launch, alternating, five each: the time until WebDriver has the window with its page
    // loaded, plus (Genjin) how long after the page's load event its first rows were drawn —
    // read from the page's own marks, not by polling for them
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (dir, db) = copy_db(&source);
        let t = Instant::now();
        let s = Session::launch(dir, genjin, &["--db", db.to_str().unwrap()]).await;
        let loaded = t.elapsed().as_secs_f64() * 1000.0;
        s.wait_css("#register tbody tr[data-number]").await;
        let after_load = s
            .client
            .execute(
                "const n = performance.getEntriesByType('navigation')[0];
                 const rows = performance.getEntriesByName('genjin:register-rows')[0];
                 return Math.max(0, rows.startTime - n.loadEventEnd);",
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        ours.push(loaded + after_load);
        s.close().await;
        let dir = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let s = Session::launch(dir, bare.to_str().unwrap(), &[]).await;
        theirs.push(t.elapsed().as_secs_f64() * 1000.0);
        s.wait_css("#bare").await;
        s.close().await;
    }
    let (o, b) = (median(ours.clone()), median(theirs.clone()));
    println!(
        "launch to first page: Genjin {o:.0} ms, bare Tauri window {b:.0} ms, ratio {:.2}x",
        o / b
    );
    println!("  runs: Genjin {ours:.0?}, bare {theirs:.0?}");

    let (dir, db) = copy_db(&source);
    let s = Session::launch(dir, genjin, &["--db", db.to_str().unwrap()]).await;
    s.wait_css("#register tbody tr[data-number]").await;
    // where the page's part of the launch went (ms since the page's navigation began)
    let page = s
        .client
        .execute(
            "const n = performance.getEntriesByType('navigation')[0] || {};
             return [Math.round(performance.now()),
               ['domInteractive', 'domContentLoadedEventEnd', 'loadEventEnd'].map((k) => `${k} ${Math.round(n[k] || 0)}`),
               performance.getEntriesByType('mark').map((m) => `${m.name} ${Math.round(m.startTime)}`),
               performance.getEntriesByType('paint').map((m) => `${m.name} ${Math.round(m.startTime)}`)]",
            vec![],
        )
        .await
        .unwrap();
    println!("page part of the launch (ms from navigation): {page}");
    // the calls the launch makes, each alone (ms, median of 5)
    for (cmd, args) in [
        (
            "register_query",
            serde_json::json!({"query": {"limit": 50, "descending": true, "search": "问卷"}}),
        ),
        ("app_info", serde_json::json!({})),
        (
            "register_query",
            serde_json::json!({"query": {"limit": 50, "descending": true}}),
        ),
        ("register_reporters", serde_json::json!({})),
    ] {
        let v = s
            .client
            .execute_async(
                "const [cmd, args, done] = arguments; const runs = [];
                 (async () => {
                   for (let i = 0; i < 5; i++) {
                     const t0 = performance.now();
                     await window.__TAURI__.core.invoke(cmd, args);
                     runs.push(performance.now() - t0);
                   }
                   done(runs.map(Math.round));
                 })();",
                vec![cmd.into(), args.clone()],
            )
            .await
            .unwrap();
        println!("  {cmd} {args}: {v} ms");
    }
    // (label, action, value, then the action that puts the register back)
    let cases: &[(&str, &str, &str, (&str, &str))] = &[
        ("search 问卷", "search", "问卷", ("search", "")),
        ("search 病友圈 (no hit)", "search", "病友圈", ("search", "")),
        ("search 药房", "search", "药房", ("search", "")),
        ("search 王 (one character)", "search", "王", ("search", "")),
        ("search 1406", "search", "1406", ("search", "")),
        (
            "search 药房 医生1 (two keywords)",
            "search",
            "药房 医生1",
            ("search", ""),
        ),
        ("filter 延期", "status", "延期", ("status", "")),
        ("filter 逾期", "status", "逾期", ("status", "")),
        ("filter 完成", "status", "完成", ("status", "")),
        (
            "sort by 填表人",
            "click",
            "th button[data-sort=reporter]",
            ("click", "th button[data-sort=number]"),
        ),
        (
            "sort by 预期交付日",
            "click",
            "th button[data-sort=expected]",
            ("click", "th button[data-sort=number]"),
        ),
        (
            "sort by 需求状态",
            "click",
            "th button[data-sort=status]",
            ("click", "th button[data-sort=number]"),
        ),
        ("next page", "click", "#page-next", ("click", "#page-first")),
        ("last page", "click", "#page-last", ("click", "#page-first")),
    ];
    for (label, action, value, (back, back_value)) in cases {
        let (mut replaced, mut drawn) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let (r, d) = timed(&s, action, value).await;
            replaced.push(r);
            drawn.push(d);
            timed(&s, back, back_value).await;
        }
        println!(
            "{label:<36} drawn {:>5.0} ms, rows replaced {:>5.0} ms  (drawn: {drawn:.0?}; replaced: {replaced:.0?})",
            median(drawn.clone()),
            median(replaced.clone())
        );
    }
    s.close().await;
}

/// The memory of a running application: its process and every process under it (WebKit's web
/// and network processes), summed from `/proc`: resident and anonymous (RssAnon) kilobytes.
fn memory_of(application: &str) -> (u64, u64) {
    let procs: Vec<(u32, u32, String)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let ppid = status
                .lines()
                .find_map(|l| l.strip_prefix("PPid:"))?
                .trim()
                .parse()
                .ok()?;
            let exe = std::fs::read_link(format!("/proc/{pid}/exe"))
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            Some((pid, ppid, exe))
        })
        .collect();
    let Some(root) = procs
        .iter()
        .find(|(_, _, exe)| exe == application)
        .map(|p| p.0)
    else {
        panic!("{application} is not running");
    };
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(procs.iter().filter(|p| p.1 == parent).map(|p| p.0));
        i += 1;
    }
    let field = |status: &str, key: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    let parts: Vec<(String, u64, u64)> = tree
        .iter()
        .map(|pid| {
            let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let name = s
                .lines()
                .find_map(|l| l.strip_prefix("Name:"))
                .unwrap_or("")
                .trim()
                .to_string();
            (name, field(&s, "VmRSS:"), field(&s, "RssAnon:"))
        })
        .collect();
    println!(
        "    {}",
        parts
            .iter()
            .map(|(n, r, a)| format!("{n} {} / {} MB", r / 1024, a / 1024))
            .collect::<Vec<_>>()
            .join(", ")
    );
    parts
        .iter()
        .fold((0, 0), |(rss, anon), p| (rss + p.1, anon + p.2))
}

/// Issue 20: the window's memory at 100,000 requirements beside an empty database and a bare
/// Tauri window of the same build — the page holds nothing that grows with the database. The
/// filled copy gets a first person holding every role, so the window opens on their to-do
/// (tens of thousands of steps) and then shows the register. Three runs each, alternating;
/// medians. Run as `window_bench` is (module docs), filter `window_memory`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: needs GENJIN_WINDOW_BENCH_DB and a release build; prints figures"]
async fn window_memory() {
    let Some(source) = std::env::var_os("GENJIN_WINDOW_BENCH_DB").map(PathBuf::from) else {
        panic!("set GENJIN_WINDOW_BENCH_DB to a filled database (see the module docs)");
    };
    let genjin = env!("CARGO_BIN_EXE_genjin");
    let bare = Path::new(genjin)
        .parent()
        .unwrap()
        .join("examples/bare_window");
    let every = "需求报告人,需求收集人,决策组,产品经理,IT,测试";
    let settle = std::time::Duration::from_secs(4);
    let (mut full, mut empty, mut plain) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        for filled in [true, false] {
            let (dir, db) = if filled {
                copy_db(&source)
            } else {
                let dir = tempfile::tempdir().unwrap();
                let db = dir.path().join("genjin.sqlite3");
                (dir, db)
            };
            crate::harness::cli(&db, &["add-person", "--name", "李小四", "--roles", every]);
            let s = Session::launch(dir, genjin, &["--db", db.to_str().unwrap()]).await;
            s.wait_css("#todo-count").await;
            s.go("#/register").await;
            s.wait_css("#register").await;
            tokio::time::sleep(settle).await;
            let m = memory_of(genjin);
            if filled {
                full.push(m)
            } else {
                empty.push(m)
            }
            s.close().await;
        }
        let s = Session::launch(tempfile::tempdir().unwrap(), bare.to_str().unwrap(), &[]).await;
        s.wait_css("#bare").await;
        tokio::time::sleep(settle).await;
        plain.push(memory_of(bare.to_str().unwrap()));
        s.close().await;
    }
    let med = |v: &[(u64, u64)], pick: fn(&(u64, u64)) -> u64| {
        median(v.iter().map(|m| pick(m) as f64 / 1024.0).collect())
    };
    for (label, v) in [
        ("100,000 requirements", &full),
        ("empty database", &empty),
        ("bare Tauri window", &plain),
    ] {
        println!(
            "{label:<22} RSS {:>6.1} MB, anonymous {:>6.1} MB  (runs: {:?})",
            med(v, |m| m.0),
            med(v, |m| m.1),
            v.iter()
                .map(|m| (m.0 / 1024, m.1 / 1024))
                .collect::<Vec<_>>()
        );
    }
    println!(
        "ratios: 100,000 / bare {:.2}x RSS; empty / bare {:.2}x RSS; 100,000 − empty {:+.1} MB anonymous",
        med(&full, |m| m.0) / med(&plain, |m| m.0),
        med(&empty, |m| m.0) / med(&plain, |m| m.0),
        med(&full, |m| m.1) - med(&empty, |m| m.1)
    );
}

/// Issue 22: a department at once. The window on a shared database of 100,000 requirements
/// while eight other clients work on it (each a command-line process after another, a second
/// apart unless `GENJIN_DEPARTMENT_BENCH_PAUSE_MS` says otherwise: register, decide what it
/// registered, search its own); the register's first page and a
/// search, click to rows drawn (ten each), and how soon a requirement registered elsewhere
/// appears in the window's searched register (twenty times): median and worst. Prints
/// figures for BENCHMARKS.md. `GENJIN_DEPARTMENT_BENCH_NICE=19` runs the clients' processes at
/// that niceness (on a real department they run on PCs of their own). Run on a release build
/// with a filled server database:
///
///     BENCH_URL=postgres://…/bench cargo run --release --example register_bench   # once
///     GENJIN_DEPARTMENT_BENCH_URL=postgres://…/bench \
///         cargo test --release --test e2e department_bench -- --ignored --nocapture
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: needs GENJIN_DEPARTMENT_BENCH_URL and a release build; prints figures"]
async fn department_bench() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let Ok(url) = std::env::var("GENJIN_DEPARTMENT_BENCH_URL") else {
        panic!("set GENJIN_DEPARTMENT_BENCH_URL to a filled shared database (see the docs)");
    };
    let genjin = env!("CARGO_BIN_EXE_genjin");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(genjin)
            .arg("--db")
            .arg(&url)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let tag = format!("部门测{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let s = Session::launch(dir, genjin, &["--db", &url]).await;
    s.go("#/register").await;
    s.wait_css("#register tbody tr[data-number]").await;

    // eight clients at work until the end
    // each client's pause between two steps (a person's pace is slower still); 0: flat out
    let pause = std::time::Duration::from_millis(
        std::env::var("GENJIN_DEPARTMENT_BENCH_PAUSE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let steps = Arc::new(AtomicUsize::new(0));
    let clients = std::sync::Mutex::new(Vec::new());
    let yardstick = Some(());
    let start_clients = || {
        let mut started = clients.lock().unwrap();
        started.extend((0..8).map(|c| {
            let (stop, steps, url) = (stop.clone(), steps.clone(), url.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                let mut last = String::new();
                let mine = format!("客户端{c}条");
                // a day of its own for each registration: at most 99 numbers a day
                let first = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
                while !stop.load(Ordering::Relaxed) {
                    let summary = format!("{mine}{i}");
                    let day = (first + chrono::Duration::days(c * 1500 + i))
                        .format("%Y-%m-%d")
                        .to_string();
                    let args: Vec<&str> = match (i % 3, last.is_empty()) {
                        (1, false) => vec!["decide", &last, "--decision", "做", "--grade", "C"],
                        (2, _) => vec!["register", "--search", &mine],
                        _ => vec![
                            "add-requirement",
                            "--received",
                            &day,
                            "--reporter",
                            "张三",
                            "--summary",
                            &summary,
                        ],
                    };
                    // GENJIN_DEPARTMENT_BENCH_NICE=19: the clients' own processes yield the
                    // cores to the window, as on PCs of their own (the server's work for them
                    // does not)
                    let mut client = match std::env::var("GENJIN_DEPARTMENT_BENCH_NICE") {
                        Ok(n) => {
                            let mut c = std::process::Command::new("nice");
                            c.args(["-n", &n]).arg(genjin);
                            c
                        }
                        Err(_) => std::process::Command::new(genjin),
                    };
                    let o = client.arg("--db").arg(&url).args(&args).output().unwrap();
                    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                    if args[0] == "add-requirement" {
                        // the number it was given, to decide next
                        last = String::from_utf8_lossy(&o.stdout)
                            .split(|ch: char| !ch.is_ascii_alphanumeric())
                            .find(|w| w.len() >= 8 && w.chars().any(|ch| ch.is_ascii_digit()))
                            .unwrap_or_default()
                            .to_string();
                    }
                    steps.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                    std::thread::sleep(pause);
                }
            })
        }));
    };

    let worst = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    for (who, at_work) in [("alone", &yardstick), ("with 8 clients at work", &None)] {
        let (mut first, mut search) = (Vec::new(), Vec::new());
        let (mut first_in, mut search_in) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            let (replaced, drawn) = timed(&s, "click", "th button[data-sort=number]").await;
            first.push(drawn);
            first_in.push(replaced);
            let (replaced, drawn) = timed(&s, "search", "问卷").await;
            search.push(drawn);
            search_in.push(replaced);
            timed(&s, "search", "").await;
        }
        println!(
            "{who}: first page (sort by number) drawn {:.0} ms median ({:.0} ms rows replaced), {:.0} ms worst; search 问卷 {:.0} ms median ({:.0} ms rows replaced), {:.0} ms worst",
            median(first.clone()),
            median(first_in),
            worst(&first),
            median(search.clone()),
            median(search_in),
            worst(&search)
        );
        println!("  runs: first page {first:.0?}; search {search:.0?}");
        if at_work.is_some() {
            start_clients();
            std::thread::sleep(std::time::Duration::from_secs(2));
        }
    }

    // seen on the other PC: registered on the command line, shown in the searched register
    timed(&s, "search", &tag).await;
    s.wait_text("#register-count", "共").await;
    // "共 N 条，第 1 / 1 页"
    let before: usize = s
        .text("#register-count")
        .await
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut seen = Vec::new();
    let first = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    for i in 0..20 {
        let offset = i64::from(std::process::id() % 3000) + i64::try_from(i).unwrap();
        let day = (first + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string();
        let t = Instant::now();
        run(&[
            "add-requirement",
            "--received",
            &day,
            "--reporter",
            "李四",
            "--summary",
            &format!("{tag} 第{i}次"),
        ]);
        s.wait_text("#register-count", &format!("共 {} 条", before + i + 1))
            .await;
        seen.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "a change on one PC seen on another (command started to rows shown), 20 times: {:.0} ms median, {:.0} ms worst",
        median(seen.clone()),
        worst(&seen)
    );
    println!("  runs: {seen:.0?}");
    stop.store(true, Ordering::Relaxed);
    for c in clients.into_inner().unwrap() {
        c.join().unwrap();
    }
    println!(
        "the eight clients made {} steps meanwhile",
        steps.load(Ordering::Relaxed)
    );
    s.close().await;
}
