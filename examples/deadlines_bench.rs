//! The to-do and a month's assessment over 100,000 requirements with their history (issue 12:
//! under 1 s). Figures go to
//! BENCHMARKS.md.
//!
//!     BENCH_DB=/path/to/filled.sqlite3 cargo run --release --example deadlines_bench
//!
//! `BENCH_DB` is a database filled by `register_bench` (same variable). Each call runs 5 times;
//! the median is reported.

#[path = "bench_util.rs"]
mod bench_util;

use genjin::store::Db;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let path = std::env::var_os("BENCH_DB").expect("BENCH_DB: a database filled by register_bench");
    let db = Db::open(std::path::Path::new(&path)).unwrap();
    let now = genjin::clock::now().naive_local();
    let time = |label: &str, f: &dyn Fn() -> usize| {
        let mut runs = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let t = Instant::now();
            n = std::hint::black_box(f());
            runs.push(t.elapsed());
        }
        println!(
            "{label:<40} {:>8.0} ms  ({n} lines)",
            median(runs).as_secs_f64() * 1000.0
        );
    };
    time("every deadline (all records)", &|| {
        db.deadlines(now.date()).unwrap().len()
    });
    time("the to-do, everyone", &|| db.todo(now, None).unwrap().len());
    time("the to-do, one person", &|| {
        db.todo(now, Some("张三")).unwrap().len()
    });
    let month = genjin::domain::monthly::Month::of(now.date());
    time("this month's assessment (月度考核表)", &|| {
        db.assessment(month, now).unwrap().sheets.len()
    });
    println!("peak RSS: {:.0} MB", bench_util::peak_rss_mb());
}
