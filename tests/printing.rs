//! Paper that prints right (issue 20): exports rendered by LibreOffice to PDF, read back as the
//! person printing sees them — the scale (text about 8 pt or more), the pages, and every text
//! whole (nothing cut at a cell's edge).

use super::common::{ok, EVERY_ROLE};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a rendered export shows: its pages, the text of each word box's height (points), and
/// the text in reading order with every space and line break taken out.
struct Printed {
    pages: usize,
    landscape: bool,
    heights: Vec<f64>,
    text: String,
}

/// Renders `xlsx` to PDF with LibreOffice (its own profile, so tests run side by side) and reads
/// it with poppler's tools.
fn print(xlsx: &Path) -> Printed {
    let dir = xlsx.parent().unwrap();
    let profile = dir.join("lo-profile");
    let o = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(xlsx)
        .output()
        .expect("libreoffice (tools/setup.sh --test installs libreoffice-calc-nogui)");
    let pdf: PathBuf = xlsx.with_extension("pdf");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = |args: &[&str]| {
        let o = Command::new(args[0])
            .args(&args[1..])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    let size: Vec<f64> = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let bbox = out(&["pdftotext", "-bbox"]);
    let attr = |l: &str, k: &str| -> f64 {
        let at = l.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        l[at..].split('"').next().unwrap().parse().unwrap()
    };
    let heights = bbox
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| attr(l, "yMax") - attr(l, "yMin"))
        .collect();
    let text = out(&["pdftotext", "-raw"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Printed {
        pages,
        landscape: size[0] > size[1],
        heights,
        text,
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `printed` holds the whole of `text` (spaces aside) in order, in at most `pieces`
/// runs: a text continued on the next rows is printed in runs, other cells between them.
fn whole_in(printed: &str, text: &str, pieces: usize) -> bool {
    let want: Vec<char> = squeeze(text).chars().collect();
    let (mut at, mut from, mut runs) = (0usize, 0usize, 0usize);
    while at < want.len() {
        // the longest run of what is left that is printed after the last run (a prefix found
        // means every shorter prefix is found there too: a binary search)
        let found = |len: usize| {
            let run: String = want[at..at + len].iter().collect();
            printed[from..].find(&run).map(|pos| from + pos + run.len())
        };
        let (mut lo, mut hi) = (0usize, want.len() - at);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if found(mid).is_some() {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let best = (lo > 0).then(|| (lo, found(lo).unwrap_or(from)));
        let Some((len, end)) = best else { return false };
        if len < 10 && at + len < want.len() {
            return false;
        }
        at += len;
        from = end;
        runs += 1;
    }
    runs <= pieces
}

/// The median word box height: about the printed font size.
fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Item 19: the Bug收集反馈表 prints its own columns on A4 landscape at a readable size, long
/// steps whole; every field stays in the file.
#[test]
fn the_bug_ledger_prints_readable_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    let steps: String = (1..=12)
        .map(|i| format!("第{i}步打开问卷页面点击提交按钮后页面没有反应"))
        .collect::<Vec<_>>()
        .join("；");
    for (content, steps) in [
        ("问卷提交后页面卡住不动，无法返回首页", steps.as_str()),
        ("短内容", "1.登录 2.进入"),
    ] {
        ok(
            &db,
            &[
                "bug",
                "add",
                "--reporter",
                "李小四",
                "--found",
                "2014-07-01",
                "--phone-model",
                "iPhone 5s",
                "--os",
                "iOS 7.1",
                "--content",
                content,
                "--steps",
                steps,
                "--reported",
                "2014-07-01",
                "--at",
                "2014-07-01 10:00",
                "--hospital",
                "协和医院",
            ],
        );
    }
    let out = dir.path().join("Bug收集反馈表.xlsx");
    ok(&db, &["export", "bugs", "--out", out.to_str().unwrap()]);
    let p = print(&out);
    assert!(p.landscape);
    assert_eq!(p.pages, 1);
    let size = median(&p.heights);
    assert!(
        size >= 7.0,
        "printed at about {size:.1} pt: too small to read"
    );
    assert!(
        whole_in(&p.text, &steps, 1),
        "the steps are cut: {}",
        p.text
    );
    assert!(p.text.contains("问卷提交后页面卡住不动，无法返回首页"));
    // the file keeps every field (医院 is not on paper)
    assert!(
        !p.text.contains("协和医院"),
        "only the ledger's own columns print"
    );
    let reread = genjin_import_preview(&db, &out);
    assert!(
        reread.contains("协和医院") || reread.contains("未变"),
        "{reread}"
    );
}

/// Reads an exported ledger back through the importer's preview (the round trip).
fn genjin_import_preview(db: &Path, file: &Path) -> String {
    let o = super::common::genjin(db, &["import", "--dry-run", file.to_str().unwrap()]);
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

/// Item 20: a 2,000-character 医生原话 on 附表2 is never cut off: the form continues on a second
/// page, the export says so, and the form imports back whole.
#[test]
fn a_long_report_form_continues_on_a_second_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    let words: String = (1..=130)
        .map(|i| format!("第{i}句：希望问卷能自动计算总分"))
        .collect::<Vec<_>>()
        .join("，");
    assert!(words.chars().count() > 2000);
    let n = ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "李小四",
            "--summary",
            "问卷 自动计分",
            "--words",
            &words,
        ],
    );
    let n = n.trim();
    let out = dir.path().join(format!("需求报告表{n}.xlsx"));
    let said = ok(&db, &["export", "form", n, "--out", out.to_str().unwrap()]);
    assert!(
        said.contains("打印为 2 页") || said.contains("打印为 3 页"),
        "{said}"
    );
    let p = print(&out);
    assert!(p.pages >= 2, "{} page(s)", p.pages);
    assert!(median(&p.heights) >= 7.0);
    assert!(whole_in(&p.text, &words, 6), "the doctor's words are cut");
    // and it reads back whole
    let db2 = dir.path().join("back.sqlite3");
    ok(
        &db2,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    ok(&db2, &["import", out.to_str().unwrap()]);
    let shown: serde_json::Value = serde_json::from_str(&ok(&db2, &["show", n, "--json"])).unwrap();
    assert_eq!(shown["doctor_words"], words);
}

/// Item 20: a 1,200-character 延期原因 on 附表1 continues rather than being cut.
#[test]
fn a_long_delay_reason_prints_whole() {
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
            "李小四",
            "--summary",
            "问卷",
        ],
    );
    let n = n.trim();
    ok(&db, &["decide", n, "--decision", "做", "--grade", "C"]);
    ok(&db, &["expect", n, "--date", "2014-06-25"]);
    let reason: String = (1..=60)
        .map(|i| format!("第{i}条：第三方接口尚未开放"))
        .collect::<Vec<_>>()
        .join("；");
    let id = ok(
        &db,
        &[
            "delay",
            "file",
            n,
            "--new-date",
            "2014-07-25",
            "--reason",
            &reason,
            "--filed",
            "2014-06-23",
            "--at",
            "2014-06-23 10:00",
        ],
    );
    let out = dir.path().join("附表1.xlsx");
    let said = ok(
        &db,
        &["export", "delay", id.trim(), "--out", out.to_str().unwrap()],
    );
    assert!(said.contains("打印为"), "{said}");
    let p = print(&out);
    assert!(p.pages >= 2);
    assert!(whole_in(&p.text, &reason, 6), "the reason is cut");
    assert!(
        p.text.contains("总经办意见"),
        "the signatures follow the reason"
    );
}

/// Item 21: the 月度考核表 prints its totals with a 合计 row and the lines to sign.
#[test]
fn the_assessment_prints_totals_and_signature_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/legacy");
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    ok(&db, &["import", fixtures]);
    let n = ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "李小四",
            "--summary",
            "问卷",
            "--at",
            "2014-06-19 10:00",
        ],
    );
    ok(
        &db,
        &[
            "decide",
            n.trim(),
            "--decision",
            "做",
            "--grade",
            "C",
            "--at",
            "2014-06-21 10:00",
        ],
    );
    let out = dir.path().join("考核.xlsx");
    ok(
        &db,
        &[
            "assessment",
            "--month",
            "2014-06",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let p = print(&out);
    assert!(p.text.contains("合计"), "{}", p.text);
    assert!(
        p.text.contains("审核：") && p.text.contains("批准："),
        "{}",
        p.text
    );
    assert!(median(&p.heights) >= 7.0);
}
