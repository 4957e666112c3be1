//! Importing a 100,000-row legacy register (issue 3; other producers' shapes: issue 13).
//! Figures go to BENCHMARKS.md.
//!
//!     cargo run --release --example import_bench [-- ROWS [SHAPE…]]
//!
//! Generates a 需求登记反馈表 of ROWS rows × 10 columns with rust_xlsxwriter in each SHAPE
//! (default: all three) — `shared` (texts in the shared-strings table, as Excel writes them),
//! `inline` (texts inline in the cells, as openpyxl's write-only mode and pandas through
//! openpyxl write them), `text` (numbers and dates typed as text: `2014-06-20`, as many exports
//! write them) — then, each in a fresh process so that peak memory is its own: calamine's bare
//! parse of the sheet (`worksheet_range`), and Genjin's full import as `genjin import` runs it
//! (read, detect, validate, and commit into a new database file with its indexes and history
//! rows, reading and writing overlapped on the two cores). Prints wall time and peak RSS.

#[path = "bench_util.rs"]
mod bench_util;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn generate(path: &Path, rows: usize, shape: &str) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = if shape == "inline" {
        wb.add_worksheet_with_constant_memory().unwrap()
    } else {
        wb.add_worksheet()
    };
    // a day as the shape writes it: a number (20140620), or text
    let write_day = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, d: chrono::NaiveDate| {
        if shape == "text" {
            ws.write_string(r, c, d.format("%Y-%m-%d").to_string())
                .unwrap();
        } else {
            let n: f64 = d.format("%Y%m%d").to_string().parse().unwrap();
            ws.write_number(r, c, n).unwrap();
        }
    };
    ws.set_name("需求登记反馈表").unwrap();
    ws.write_string(0, 0, "需求登记反馈表（基准）").unwrap();
    let headers = genjin::domain::forms::REGISTER.labels();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let people = [
        "张三",
        "李四",
        "王五",
        "刘小妹",
        "陈小美",
        "岳飞飞",
        "徐超",
        "郝四",
    ];
    let briefs = [
        "问卷自动计分",
        "病历夹搜索 新增",
        "对接药房费用",
        "患者自评量表 优化",
        "语音转文字病历",
    ];
    for i in 0..rows {
        let r = (i + 2) as u32;
        let day = start + chrono::Duration::days((i / 99) as i64);
        let number = format!("{}{:02}", day.format("%y%m%d"), i % 99 + 1);
        ws.write_string(r, 0, &number).unwrap();
        ws.write_string(r, 1, people[i % people.len()]).unwrap();
        ws.write_string(r, 2, format!("医生{}", i % 500)).unwrap();
        let promised = day + chrono::Duration::days(10);
        // Every one of the ten columns is filled, as in a kept register (in column order: the
        // constant-memory sheet takes each row's cells left to right).
        let late = promised + chrono::Duration::days(20);
        let (decision, grade, delivered, remark) = match i % 4 {
            0 => ("做", "B", promised, "已验收"),
            1 => ("需求转换", "A", promised, "改为科室公告置顶"),
            2 => ("做", "C", late, "因实现难度大延期交付"),
            _ => ("做", "D", promised, "按期交付"),
        };
        ws.write_string(r, 3, decision).unwrap();
        ws.write_string(r, 4, grade).unwrap();
        write_day(ws, r, 5, promised);
        write_day(ws, r, 6, delivered);
        ws.write_string(r, 7, "完成").unwrap();
        ws.write_string(r, 8, briefs[i % briefs.len()]).unwrap();
        ws.write_string(r, 9, remark).unwrap();
    }
    wb.save(path).unwrap();
}

fn bare(path: &Path) -> usize {
    use calamine::{open_workbook_auto, Reader};
    let mut wb = open_workbook_auto(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range.used_cells().count()
}

/// The full import as `genjin import` runs it: reading and understanding on one thread,
/// writing (one transaction, history, indexes) on the other. Returns the records created, the
/// seconds from the call to the committed transaction (the database is open, as in the window),
/// and the seconds closing the database took afterwards (what `genjin import` adds on exit:
/// SQLite checkpoints and deletes the write-ahead log).
fn import(path: &Path, db: &Path) -> (usize, f64, f64) {
    let mut store = genjin::store::Db::open(db).unwrap();
    let actor = genjin::store::Actor::new(None, "bench", "bench", genjin::clock::now());
    let t = Instant::now();
    let report = store
        .import_paths(
            &actor,
            &[path.to_path_buf()],
            &[],
            genjin::store::ConflictPolicy::KeepExisting,
        )
        .unwrap();
    assert!(
        report.rejected.is_empty(),
        "{:?}",
        &report.rejected[..report.rejected.len().min(3)]
    );
    let import_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    drop(store);
    (report.created, import_s, t.elapsed().as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 4 && args[1] == "gen" {
        let shape = args.get(4).map(String::as_str).unwrap_or("shared");
        generate(Path::new(&args[2]), args[3].parse().unwrap(), shape);
        return;
    }
    if args.len() >= 3 && args[1] == "read" {
        let bytes = std::fs::read(&args[2]).unwrap();
        let t = Instant::now();
        let sheets = genjin::excel::import::read::read_book(&bytes).unwrap();
        let read_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let parsed = genjin::excel::import::parse_paths(&[Path::new(&args[2]).to_path_buf()], &[]);
        println!(
            "parse_paths {:.3} s ({} records)",
            t.elapsed().as_secs_f64(),
            parsed.records.len()
        );
        let t = Instant::now();
        let kind = genjin::excel::import::layout::detect(&sheets[0]);
        println!(
            "read {read_s:.3} s, detect {:.3} s ({})",
            t.elapsed().as_secs_f64(),
            matches!(
                kind,
                genjin::excel::import::layout::SheetKind::Register { .. }
            )
        );
        return;
    }
    if args.len() >= 4 && args[1] == "phases" {
        // each half alone: understanding (single thread), then writing what was understood
        let t = Instant::now();
        let parsed = genjin::excel::import::parse_paths(&[Path::new(&args[2]).to_path_buf()], &[]);
        let parse_s = t.elapsed().as_secs_f64();
        if let Ok(sql) = std::env::var("BENCH_SQL") {
            // experiments only: e.g. dropping an index to see what it costs
            drop(genjin::store::Db::open(Path::new(&args[3])).unwrap());
            let c = rusqlite::Connection::open(&args[3]).unwrap();
            c.execute_batch(&sql).unwrap();
        }
        let mut store = genjin::store::Db::open(Path::new(&args[3])).unwrap();
        let actor = genjin::store::Actor::new(None, "bench", "bench", genjin::clock::now());
        let t = Instant::now();
        let report = store
            .import_commit(
                &actor,
                &parsed,
                genjin::store::ConflictPolicy::KeepExisting,
                &mut |_, _| {},
                &std::sync::atomic::AtomicBool::new(false),
            )
            .unwrap();
        let commit_s = t.elapsed().as_secs_f64();
        if let Ok(sql) = std::env::var("BENCH_SQL_AFTER") {
            let t = Instant::now();
            let c = rusqlite::Connection::open(&args[3]).unwrap();
            c.execute_batch(&sql).unwrap();
            println!("after: {:.3} s", t.elapsed().as_secs_f64());
        }
        let t = Instant::now();
        drop(store);
        println!(
            "parse {parse_s:.3} s, commit {commit_s:.3} s ({} created), close {:.3} s",
            report.created,
            t.elapsed().as_secs_f64()
        );
        return;
    }
    if args.len() >= 3 && (args[1] == "bare" || args[1] == "import") {
        let path = Path::new(&args[2]);
        let t = Instant::now();
        let (n, secs, close) = if args[1] == "bare" {
            let n = bare(path);
            (n, t.elapsed().as_secs_f64(), 0.0)
        } else {
            import(path, Path::new(&args[3]))
        };
        println!(
            "{} {n} {secs:.3} {:.1} {close:.3}",
            args[1],
            bench_util::peak_rss_mb()
        );
        return;
    }
    let rows: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let shapes: Vec<String> = if args.len() > 2 {
        args[2..].to_vec()
    } else {
        ["shared", "inline", "text"].map(String::from).to_vec()
    };
    let dir = tempfile::tempdir().unwrap();
    for shape in &shapes {
        let file = dir.path().join(format!("需求登记反馈表_基准_{shape}.xlsx"));
        let t = Instant::now();
        generate(&file, rows, shape);
        let size = std::fs::metadata(&file).unwrap().len();
        println!(
            "== {shape}: generated {rows} rows × 10 columns, {:.1} MB, in {:.1} s",
            size as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        measure(dir.path(), &file);
    }
}

/// Five alternating runs of the bare parse and the full import of `file`, each in a process of
/// its own; prints the medians and the ratio.
fn measure(dir: &Path, file: &Path) {
    let me = std::env::current_exe().unwrap();
    let run = |mode: &str| -> (f64, f64, f64) {
        let db = dir.join(format!("bench-{}.sqlite3", rand_suffix()));
        let out = Command::new(&me)
            .arg(mode)
            .arg(file)
            .arg(&db)
            .output()
            .unwrap();
        let phases = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if !phases.is_empty() {
            println!("  {mode}: {phases}");
        }
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            out.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let parts: Vec<&str> = line.split_whitespace().collect();
        (
            parts[2].parse().unwrap(),
            parts[3].parse().unwrap(),
            parts[4].parse().unwrap(),
        )
    };
    let mut bare_runs = Vec::new();
    let mut import_runs = Vec::new();
    for _ in 0..5 {
        bare_runs.push(run("bare"));
        import_runs.push(run("import"));
    }
    let median = |v: &mut Vec<(f64, f64, f64)>| {
        v.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
        v[v.len() / 2]
    };
    let ratios: Vec<String> = bare_runs
        .iter()
        .zip(&import_runs)
        .map(|(b, i)| format!("{:.2}", i.0 / b.0))
        .collect();
    let (bt, bm, _) = median(&mut bare_runs);
    let (it, im, ic) = median(&mut import_runs);
    println!("calamine bare parse (worksheet_range)        {bt:>7.3} s   peak RSS {bm:>6.1} MB");
    println!("genjin full import (parse → commit)          {it:>7.3} s   peak RSS {im:>6.1} MB");
    println!("  then closing the database (genjin import)  {ic:>7.3} s");
    println!(
        "ratio import / bare parse                    {:>7.2}×   (runs: {})",
        it / bt,
        ratios.join(", ")
    );
    println!(
        "ratio with the close / bare parse            {:>7.2}×",
        (it + ic) / bt
    );
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}
