//! Register responsiveness with 100,000 requirements (issue 2). Figures go to BENCHMARKS.md.
//!
//!     cargo run --release --example register_bench [-- ROWS]
//!
//! With `BENCH_DB=path` the filled database is kept in that file and a later run with the same
//! variable skips the fill (migrations added since then still run when it is opened).
//! With `BENCH_URL=postgres://…` the same queries run on a shared database (issue 21), filled
//! the same way unless it holds the rows already (`genjin copy-db` of a kept file is quicker);
//! the yardstick scans run on that server.
//!
//! Fills a fresh database through the same `create_requirement` path the window uses (99 a day,
//! spread over consecutive days), decides a share of them, then times the register queries the
//! window issues: first page, a filter, a Chinese text search, a sort on another column, the
//! last page, and the full JSON export. Each query is run 5 times; the median is reported.

#[path = "bench_util.rs"]
mod bench_util;

use genjin::store::{Actor, Db, DecisionInput, RegisterQuery, RequirementInput, SortKey, StepTime};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(label: &str, f: impl Fn() -> T) {
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    println!(
        "{label:<44} {:>9.2} ms",
        median(runs).as_secs_f64() * 1000.0
    );
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let kept = std::env::var_os("BENCH_DB").map(std::path::PathBuf::from);
    let path = kept
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.sqlite3"));
    let url = std::env::var("BENCH_URL").ok();
    let t = Instant::now();
    let mut db = match &url {
        Some(u) => Db::open_url(u).unwrap(),
        None => Db::open(&path).unwrap(),
    };
    let held = db
        .register(
            &RegisterQuery {
                limit: Some(0),
                include_withdrawn: true,
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap()
        .total;
    let reuse = (kept.is_some() && path.exists()) || (url.is_some() && held as usize >= rows);
    if reuse {
        println!(
            "{:<44} {:>9.2} ms",
            "open the kept database",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    let actor = Actor::new(None, "bench", "bench", genjin::clock::now());
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let reporters = [
        "张三",
        "李四",
        "王五",
        "刘小妹",
        "陈小美",
        "岳飞飞",
        "徐超",
        "郝四",
    ];
    let words = [
        "问卷自动计分",
        "病历夹搜索",
        "对接药房费用",
        "患者自评量表",
        "语音转文字病历",
        "处方模板共享",
    ];

    let t = Instant::now();
    for i in (0..rows).filter(|_| !reuse) {
        let day = start + chrono::Duration::days((i / 99) as i64);
        let input = RequirementInput {
            received_date: day.format("%Y-%m-%d").to_string(),
            reporter: reporters[i % reporters.len()].into(),
            requester: format!("医生{}", i % 500),
            brief: format!("{} {}", words[i % words.len()], i),
            doctor_words: format!("第{i}条：能不能{}？", words[(i / 7) % words.len()]),
            ..Default::default()
        };
        let r = db.create_requirement(&actor, &input).unwrap();
        if i % 3 == 0 {
            let decision = if i % 2 == 0 { "做" } else { "不做" };
            let d = DecisionInput {
                decision: genjin::domain::requirement::Decision::parse(decision).unwrap(),
                grade: (decision == "做").then_some(genjin::domain::requirement::Grade::B),
                conversion_summary: String::new(),
                decision_reason: String::new(),
                decision_date: String::new(),
                at: StepTime::default(),
            };
            db.record_decision(&actor, &r.number, &d).unwrap();
        }
    }
    let fill = t.elapsed();
    println!("rows: {rows}");
    if !reuse {
        println!(
            "{:<44} {:>9.2} s  ({:.0} requirements/s, each with its decision share)",
            "fill through create_requirement",
            fill.as_secs_f64(),
            rows as f64 / fill.as_secs_f64()
        );
    }

    let t = Instant::now();
    let indexed = db.index_search().unwrap();
    println!(
        "{:<44} {:>9.2} s  ({indexed} rows)",
        "search index catch-up",
        t.elapsed().as_secs_f64()
    );
    let db = &db;
    let page = |f: &dyn Fn(&mut RegisterQuery)| {
        let mut q = RegisterQuery {
            limit: Some(50),
            descending: true,
            ..Default::default()
        };
        f(&mut q);
        move || db.register(&q, genjin::clock::today()).unwrap().total
    };
    time("first page (number desc, with total)", page(&|_| {}));
    time(
        "filter status=完成",
        page(&|q| q.status = Some("完成".into())),
    );
    time(
        "filter decision=做 grade=B",
        page(&|q| {
            q.decision = Some("做".into());
            q.grade = Some("B".into());
        }),
    );
    time(
        "filter reporter + received date range",
        page(&|q| {
            q.reporter = Some("刘小妹".into());
            q.received_from = Some("2001-01-01".into());
            q.received_to = Some("2001-12-31".into());
        }),
    );
    // the same searches as a plain scan (`LIKE '%…%'` over the searched columns: a count and
    // a page, as the register did before the index), in the same run
    let like = |word: &str| -> Box<dyn Fn() -> usize> {
        let any = genjin::store::SEARCHED
            .iter()
            .map(|c| format!("{c} LIKE ?1"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let count =
            format!("SELECT count(*) FROM requirements WHERE withdrawn_at IS NULL AND ({any})");
        let list = format!("SELECT number FROM requirements WHERE withdrawn_at IS NULL AND ({any}) ORDER BY number DESC LIMIT 50");
        let pattern = format!("%{word}%");
        match &url {
            Some(u) => {
                let rt = std::rc::Rc::new(
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap(),
                );
                let (client, conn) = rt
                    .block_on(tokio_postgres::connect(u, tokio_postgres::NoTls))
                    .unwrap();
                rt.spawn(conn);
                let (count, list) = (count.replace("?1", "$1"), list.replace("?1", "$1"));
                Box::new(move || {
                    rt.block_on(async {
                        let n: i64 = client.query_one(&count, &[&pattern]).await.unwrap().get(0);
                        let rows = client.query(&list, &[&pattern]).await.unwrap().len();
                        n as usize + rows
                    })
                })
            }
            None => {
                let raw = rusqlite::Connection::open(&path).unwrap();
                Box::new(move || {
                    let n: i64 = raw.query_row(&count, [&pattern], |r| r.get(0)).unwrap();
                    let mut st = raw.prepare(&list).unwrap();
                    let rows = st
                        .query_map([&pattern], |r| r.get::<_, String>(0))
                        .unwrap()
                        .count();
                    n as usize + rows
                })
            }
        }
    };
    for word in ["药房", "问卷自动", "王", "00010203"] {
        time(&format!("LIKE scan {word} (count + page)"), like(word));
    }
    time(
        "search 药房 (any text)",
        page(&|q| q.search = Some("药房".into())),
    );
    time(
        "search a number",
        page(&|q| q.search = Some("00010203".into())),
    );
    time(
        "search 问卷自动 (4 characters)",
        page(&|q| q.search = Some("问卷自动".into())),
    );
    time(
        "search 王 (one character)",
        page(&|q| q.search = Some("王".into())),
    );
    time(
        "search 药房 医生1 (two keywords)",
        page(&|q| q.search = Some("药房 医生1".into())),
    );
    time(
        "search with no hit",
        page(&|q| q.search = Some("无此内容".into())),
    );
    time(
        "search 药房 + filter decision=做 grade=B",
        page(&|q| {
            q.search = Some("药房".into());
            q.decision = Some("做".into());
            q.grade = Some("B".into());
        }),
    );
    time(
        "search 问卷自动 + filter reporter",
        page(&|q| {
            q.search = Some("问卷自动".into());
            q.reporter = Some("刘小妹".into());
        }),
    );
    time(
        "filter status=逾期",
        page(&|q| q.status = Some("逾期".into())),
    );
    time(
        "filter status=延期",
        page(&|q| q.status = Some("延期".into())),
    );
    time("sort by reporter", page(&|q| q.sort = SortKey::Reporter));
    time(
        "sort by reporter, ascending",
        page(&|q| {
            q.sort = SortKey::Reporter;
            q.descending = false;
        }),
    );
    time(
        "sort by expected delivery",
        page(&|q| q.sort = SortKey::Expected),
    );
    time("sort by brief", page(&|q| q.sort = SortKey::Brief));
    time(
        "sort by reporter, last page",
        page(&|q| {
            q.sort = SortKey::Reporter;
            q.offset = (rows as u32).saturating_sub(50);
        }),
    );
    time("sort by status", page(&|q| q.sort = SortKey::Status));
    time(
        "last page",
        page(&|q| q.offset = (rows as u32).saturating_sub(50)),
    );
    time("full register (CLI register --json rows)", || {
        db.register(
            &RegisterQuery {
                limit: None,
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap()
        .rows
        .len()
    });
    time("one requirement with its delays", || {
        db.requirement("00010101").unwrap()
    });
    println!("{:<44} {:>9.1} MB", "peak RSS", bench_util::peak_rss_mb());
}
