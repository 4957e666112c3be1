//! The 附表3 export of 100,000 requirements against rust_xlsxwriter writing the same cells with
//! no formatting, in the same run (issue 11: target ≤ 1.5×). Figures go to BENCHMARKS.md.
//!
//!     BENCH_DB=/path/to/filled.sqlite3 cargo run --release --example export_bench
//!
//! `BENCH_DB` is a database filled by `register_bench` (same variable). The register rows are
//! read once; then each writer runs 3 times, alternating, and the medians are compared. The
//! bytes are not written to disk (that cost is the same for both).

#[path = "bench_util.rs"]
mod bench_util;

use genjin::domain::dates;
use genjin::domain::forms::REGISTER;
use genjin::store::{Db, RegisterQuery};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let path = std::env::var_os("BENCH_DB").expect("BENCH_DB: a database filled by register_bench");
    let db = Db::open(std::path::Path::new(&path)).unwrap();
    let t = Instant::now();
    let rows = db
        .register(
            &RegisterQuery {
                limit: None,
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap()
        .rows;
    println!(
        "rows read: {} in {:.0} ms",
        rows.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let plain = || {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for (c, f) in REGISTER.fields.iter().enumerate() {
            ws.write_string(1, c as u16, f.label).unwrap();
        }
        for (i, r) in rows.iter().enumerate() {
            for (c, f) in REGISTER.fields.iter().enumerate() {
                let raw = r.value(f.key).unwrap_or("");
                let text = if f.day {
                    dates::from_iso(raw).map(dates::compact).unwrap_or_default()
                } else {
                    raw.to_string()
                };
                ws.write_string(2 + i as u32, c as u16, text).unwrap();
            }
        }
        book.save_to_buffer().unwrap().len()
    };
    let ours = || {
        genjin::excel::register::register_book(REGISTER.title, &rows, &|_| false, &mut |_, _| {})
            .unwrap()
            .len()
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (mut size_a, mut size_b) = (0, 0);
    for _ in 0..3 {
        let t = Instant::now();
        size_a = std::hint::black_box(plain());
        a.push(t.elapsed());
        let t = Instant::now();
        size_b = std::hint::black_box(ours());
        b.push(t.elapsed());
    }
    let (a, b) = (median(a), median(b));
    println!(
        "plain rust_xlsxwriter, same cells: {:>8.0} ms ({} KB)",
        a.as_secs_f64() * 1000.0,
        size_a / 1024
    );
    println!(
        "附表3 export (formats, heights, print setup): {:>8.0} ms ({} KB)",
        b.as_secs_f64() * 1000.0,
        size_b / 1024
    );
    println!("ratio: {:.2}×", b.as_secs_f64() / a.as_secs_f64());
    println!("peak RSS: {:.0} MB", bench_util::peak_rss_mb());
}
