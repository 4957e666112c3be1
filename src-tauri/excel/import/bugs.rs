//! Bug收集反馈表 ledgers → bug records (issue 10, SPEC §10): the testers' legacy ledgers and the
//! ones Genjin exports (`excel::bugs`, columns from `domain::forms::BUG_LEDGER`). Headers are
//! found by the ledger's labels and the words people used for them; the 状态 a file states is
//! compared with the state its facts give (status is derived, never typed) and any
//! disagreement is said. Nothing is written here: `store::bugs` previews and writes them.

use super::layout::header_key;
use super::read::{Cell, Sheet};
use super::values::{date, long_text, number, text};
use super::{reject, warn, Origin, Parsed};
use crate::domain::bug::{bug_state, BugFacts, BugState};
use crate::domain::dates;
use chrono::NaiveDate;
use std::sync::Arc;

/// One bug as a ledger row states it.
#[derive(Debug, Clone, PartialEq)]
pub struct BugRecord {
    pub origin: Origin,
    pub number: String,
    /// 反馈日期: the file's, else the day its number carries, else the day found.
    pub received: NaiveDate,
    /// `bugs` columns → stored text (ISO days; `reproduced` `1`/`0`), only those the file gives.
    pub values: Vec<(&'static str, String)>,
    /// 关联需求 as the file states it (linked when that requirement exists).
    pub requirement: Option<String>,
}

impl BugRecord {
    pub fn value(&self, col: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, v)| v.as_str())
    }
}

/// What a ledger column carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    /// A `bugs` column of plain text.
    Text(&'static str),
    /// Text that keeps its line breaks.
    Long(&'static str),
    /// A day.
    Day(&'static str),
    Number,
    Received,
    Reproduced,
    /// 已抄送反馈人: 是 / 否.
    Copied,
    State,
    Requirement,
}

/// Header words (after `header_key`, lower case) → column. The ledger's own labels first, then
/// what legacy ledgers wrote for them.
const HEADERS: &[(&str, Col)] = &[
    ("bug编号", Col::Number),
    ("bug号", Col::Number),
    ("编号", Col::Number),
    ("报告人", Col::Text("reporter")),
    ("反馈人", Col::Text("reporter")),
    ("提交人", Col::Text("reporter")),
    ("发现日期", Col::Day("found_date")),
    ("发现时间", Col::Day("found_date")),
    ("反馈日期", Col::Received),
    ("反馈时间", Col::Received),
    ("手机型号", Col::Text("phone_model")),
    ("机型", Col::Text("phone_model")),
    ("手机系统", Col::Text("os_version")),
    ("系统版本", Col::Text("os_version")),
    ("操作系统", Col::Text("os_version")),
    ("app版本", Col::Text("app_version")),
    ("bug内容", Col::Long("content")),
    ("bug描述", Col::Long("content")),
    ("内容", Col::Long("content")),
    ("问题描述", Col::Long("content")),
    ("问题", Col::Long("content")),
    ("操作步骤", Col::Long("steps")),
    ("重现步骤", Col::Long("steps")),
    ("复现步骤", Col::Long("steps")),
    ("是否复现", Col::Reproduced),
    ("是否重现", Col::Reproduced),
    ("复现", Col::Reproduced),
    ("bugfree编号", Col::Text("tracker_id")),
    ("bugfreeid", Col::Text("tracker_id")),
    ("bugfree", Col::Text("tracker_id")),
    ("跟踪编号", Col::Text("tracker_id")),
    ("跟踪链接", Col::Text("tracker_url")),
    ("复现说明", Col::Long("reproduce_note")),
    ("测试人员", Col::Text("reproduced_by")),
    ("复现人", Col::Text("reproduced_by")),
    ("已抄送反馈人", Col::Copied),
    ("修复日期", Col::Day("fixed_date")),
    ("修复时间", Col::Day("fixed_date")),
    ("修复版本", Col::Text("fixed_version")),
    ("状态", Col::State),
    ("严重程度", Col::Text("severity")),
    ("类型", Col::Text("bug_type")),
    ("bug类型", Col::Text("bug_type")),
    ("来源渠道", Col::Text("channel")),
    ("渠道", Col::Text("channel")),
    ("医院", Col::Text("hospital")),
    ("科室", Col::Text("clinic_department")),
    ("关联需求", Col::Requirement),
    ("备注", Col::Long("remark")),
];

/// The column a header names: its exact words, else the longest known words it contains
/// (`手机系统版本` → 手机系统, `BugFree ID号` → bugfree).
fn col_of(header: &str) -> Option<Col> {
    let key: String = header_key(header)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if key.is_empty() {
        return None;
    }
    HEADERS
        .iter()
        .find(|(h, _)| *h == key)
        .or_else(|| {
            HEADERS
                .iter()
                .filter(|(h, _)| h.chars().count() >= 2 && key.contains(h))
                .max_by_key(|(h, _)| h.chars().count())
        })
        .map(|(_, c)| *c)
}

/// Columns only a bug ledger has (a register has a 需求编号 and none of these).
fn bug_only(c: Col) -> bool {
    matches!(
        c,
        Col::Reproduced
            | Col::Text("phone_model" | "os_version" | "tracker_id")
            | Col::Long("content" | "steps")
            | Col::Day("fixed_date")
    )
}

/// Whether a sheet is a Bug收集反馈表: one of its top rows is a header with a bug number column
/// and at least two columns only bug ledgers have — judged by the header row, never by words
/// that happen to stand in the data.
pub fn is_ledger(sheet: &Sheet) -> bool {
    header(sheet).is_some_and(|(_, cols, _)| cols.iter().filter(|(_, c)| bug_only(*c)).count() >= 2)
}

/// A ledger's header row: its index, its columns (index, column), the headers not taken.
type Header = (usize, Vec<(usize, Col)>, Vec<String>);

/// The header row: the first of the top rows with a number column and most known headers.
fn header(sheet: &Sheet) -> Option<Header> {
    let mut best: Option<Header> = None;
    for (r, row) in sheet.rows.iter().enumerate().take(30) {
        let mut cols: Vec<(usize, Col)> = Vec::new();
        let mut other = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let h = text(cell);
            if h.is_empty() {
                continue;
            }
            // a register's 需求编号 is not a bug number
            let register = header_key(&h).contains("需求编号");
            match col_of(&h).filter(|_| !register) {
                // a header named twice: the first one counts
                Some(col) if !cols.iter().any(|(_, k)| *k == col) => cols.push((c, col)),
                _ => other.push(h),
            }
        }
        let has_number = cols.iter().any(|(_, k)| *k == Col::Number);
        if has_number && cols.len() >= 3 && best.as_ref().is_none_or(|b| cols.len() > b.1.len()) {
            best = Some((r, cols, other));
        }
    }
    best
}

/// `是` / `否` and the ways people wrote them (a note after the word is allowed:
/// `是（已提交）`); `Err` for anything else.
fn yes_no(s: &str) -> Result<Option<bool>, ()> {
    const YES: &[&str] = &[
        "是",
        "y",
        "yes",
        "√",
        "✓",
        "已复现",
        "可复现",
        "能复现",
        "复现",
        "能",
        "可以",
        "偶现",
        "有",
    ];
    const NO: &[&str] = &[
        "否",
        "n",
        "no",
        "×",
        "✗",
        "无法复现",
        "不能复现",
        "不可复现",
        "未复现",
        "不能",
        "没有",
        "无",
    ];
    let t = s.trim().to_lowercase();
    if t.is_empty() {
        return Ok(None);
    }
    // the longest word the cell starts with decides (不可复现 before 复现)
    let word = |words: &[&str]| {
        words
            .iter()
            .filter(|w| t.starts_with(*w))
            .map(|w| w.chars().count())
            .max()
    };
    match (word(YES), word(NO)) {
        (Some(y), Some(n)) if y > n => Ok(Some(true)),
        (Some(_), Some(_)) | (None, Some(_)) => Ok(Some(false)),
        (Some(_), None) => Ok(Some(true)),
        (None, None) => Err(()),
    }
}

/// Empty-looking cells people typed: `无`, `/`, `-`, `—`.
fn placeholder(s: &str) -> bool {
    matches!(
        s.trim(),
        "" | "无" | "/" | "-" | "—" | "——" | "空" | "N/A" | "n/a"
    )
}

/// A bug number as stored: letters upper-cased, spaces gone. `Err` (a Chinese reason) unless it
/// is letters then `YYMMDDNN` or `YYYYMM-NNN` — the bug sequence's forms (SPEC §4).
fn bug_number(raw: &str) -> Result<String, String> {
    let n: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let digits = n.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if digits.len() == n.len() {
        return Err(format!(
            "Bug编号“{raw}”没有前缀字母（应为 B14070101 这样：前缀 + 年月日 + 序号），未导入"
        ));
    }
    if super::received_of(digits).is_none() {
        return Err(format!(
            "Bug编号“{raw}”不是 前缀 + 年月日 + 序号 的形式（例如 B14070101），未导入"
        ));
    }
    Ok(n)
}

/// The state a ledger's 状态 names, with the words legacy ledgers used.
fn stated_state(s: &str) -> Option<BugState> {
    match s.trim() {
        "已修复" | "已解决" | "已关闭" | "修复" => Some(BugState::Fixed),
        "待修复" | "修复中" | "处理中" | "已确认" | "已复现" => {
            Some(BugState::Reproduced)
        }
        "无法复现" | "不能复现" => Some(BugState::NotReproducible),
        "待复现" | "新建" | "未处理" => Some(BugState::Reported),
        other => BugState::parse(other),
    }
}

/// The received date a bug number implies: its letters, then `YYMMDDNN` (or `YYYYMM-NNN`).
fn received_of_number(number: &str) -> Option<NaiveDate> {
    let digits = number.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    super::received_of(digits)
}

/// Settles a row's 状态 with its facts. Status is derived (SPEC §5), so the state is what the
/// facts give; where the ledger's 是否复现 disagrees with its 状态 (legacy ledgers often left
/// 是否复现 as first written), the 状态 — the tester's later word — decides reproduction. A 修复日期
/// stands over any 状态; a 关联需求 makes the bug 已转需求 once that requirement is found (the
/// store links it). Every disagreement is said, naming the row and column.
fn settle_state(out: &mut Parsed, origin: &Origin, column: &str, s: &str, rec: &mut BugRecord) {
    let facts = |rec: &BugRecord| {
        bug_state(BugFacts {
            reproduced: rec.value("reproduced").map(|v| v == "1"),
            fixed: rec.value("fixed_date").is_some(),
            converted: false,
            withdrawn: false,
        })
    };
    let before = facts(rec);
    let Some(stated) = stated_state(s) else {
        warn(
            out,
            origin,
            Some(column),
            format!(
                "{}：状态“{s}”无法识别，按表中的事实导入为“{}”",
                rec.number,
                before.label()
            ),
        );
        return;
    };
    let reason = match stated {
        _ if stated == before => return,
        BugState::Converted if rec.requirement.is_some() => return,
        BugState::Reproduced | BugState::NotReproducible if before != BugState::Fixed => {
            let said = rec
                .value("reproduced")
                .map(|v| if v == "1" { "是" } else { "否" });
            rec.values.retain(|(c, _)| *c != "reproduced");
            rec.values.push((
                "reproduced",
                u8::from(stated == BugState::Reproduced).to_string(),
            ));
            match said {
                Some(x) => format!("是否复现写的是“{x}”，按状态“{s}”记为{}", facts(rec).label()),
                None => format!("按状态“{s}”记为{}", facts(rec).label()),
            }
        }
        _ => {
            let why = match stated {
                BugState::Fixed => "没有修复日期",
                BugState::Converted => "没有关联需求",
                BugState::Withdrawn => "登记表不记撤回",
                _ if before == BugState::Fixed => "有修复日期",
                _ => "表中的事实不符",
            };
            format!("状态写的是“{s}”，但{why}，按“{}”导入", before.label())
        }
    };
    warn(
        out,
        origin,
        Some(column),
        format!("{}：{reason}", rec.number),
    );
}

/// Whether a data row repeats the header (ledgers printed page by page and pasted together:
/// two or more of its cells read as the header's) or is a total line (`合计 30`): skipped,
/// not refused.
fn decorative(row: &[Cell], heads: &[(usize, String)], number_cell: &str) -> bool {
    let header_again = heads
        .iter()
        .filter(|(c, h)| text(row.get(*c).unwrap_or(&Cell::Empty)) == *h)
        .count()
        >= 2;
    let total = ["合计", "总计", "小计", "共计"]
        .iter()
        .any(|w| number_cell.contains(w));
    header_again || total
}

/// Reads the rows of a Bug收集反馈表 sheet into `out.bugs`. Returns how many rows were taken and
/// a note for the sheet (headers not taken), or why the sheet gave nothing.
/// What reading a ledger sheet gave besides its bugs.
#[derive(Debug, Clone, Default)]
pub struct LedgerRead {
    /// Rows taken.
    pub rows: usize,
    /// For the sheet: headers not taken, or why it gave nothing.
    pub note: Option<String>,
    /// The header's row (1-based).
    pub header_row: Option<usize>,
    /// The columns (0-based) whose values are imported.
    pub stored_columns: Vec<usize>,
}

pub fn ledger_rows(file: &Arc<str>, sheet: &mut Sheet, out: &mut Parsed) -> LedgerRead {
    let nothing = |why: &str| LedgerRead {
        note: Some(why.into()),
        ..Default::default()
    };
    let Some((head, cols, other)) = header(sheet) else {
        return nothing("找不到“Bug编号”等表头，未导入");
    };
    let name: Arc<str> = sheet.name.as_str().into();
    // what no column stores is named, not dropped (issue 13); merged ranges fill their rows
    let mut tally = super::Tally::new(
        file,
        &name,
        sheet
            .rows
            .get(head)
            .map(|r| r.len())
            .into_iter()
            .flat_map(|w| 0..w)
            .map(|c| {
                let stored = cols.iter().any(|(k, _)| *k == c);
                (c, text(sheet.cell(head, c)), (!stored).then(String::new))
            })
            .collect::<Vec<_>>(),
    );
    super::title_rows(&tally, out, sheet, head);
    super::Fills::new(&sheet.merges, head + 1).fill_sheet(sheet, file, out);
    let sheet: &Sheet = sheet;
    // a column named as people read it: its letter and its header
    let label = |c: usize| {
        format!(
            "{} 列 {}",
            super::layout::column_letter(c),
            text(sheet.cell(head, c))
        )
    };
    let Some(&(nc, _)) = cols.iter().find(|(_, k)| *k == Col::Number) else {
        return nothing("找不到“Bug编号”列，未导入");
    };
    let heads: Vec<(usize, String)> = cols
        .iter()
        .map(|(c, _)| (*c, text(sheet.cell(head, *c))))
        .collect();
    let mut taken = 0;
    for (r, row) in sheet.rows.iter().enumerate().skip(head + 1) {
        let origin = Origin {
            file: file.clone(),
            sheet: name.clone(),
            row: r + 1,
        };
        let cell = |c: usize| row.get(c).unwrap_or(&Cell::Empty);
        if cols.iter().all(|(c, _)| cell(*c).is_empty()) {
            tally.skip_row(out, r, row, "这一行没有 Bug 表里的任何一项，未导入");
            continue;
        }
        let raw = number(cell(nc));
        if decorative(row, &heads, &raw) {
            tally.skip_row(out, r, row, "重复的表头或合计行，未导入");
            continue;
        }
        if raw.is_empty() {
            reject(out, &origin, Some(&label(nc)), "没有 Bug编号，未导入");
            continue;
        }
        let num = match bug_number(&raw) {
            Ok(n) => n,
            Err(why) => {
                reject(out, &origin, Some(&label(nc)), why);
                continue;
            }
        };
        let by_number = received_of_number(&num);
        let mut rec = BugRecord {
            origin: origin.clone(),
            number: num.clone(),
            received: by_number.unwrap_or(NaiveDate::MIN),
            values: Vec::new(),
            requirement: None,
        };
        let mut stated: Option<(String, String)> = None;
        let mut bad: Option<(String, String)> = None;
        let mut received_stated = None;
        // days are read after the others: a month-day takes its year from the number and may
        // not fall before the day found
        let mut days: Vec<(usize, &'static str)> = Vec::new();
        for &(c, col) in &cols {
            let v = cell(c);
            match col {
                Col::Number => {}
                Col::Text(k) => {
                    let t = text(v);
                    if !placeholder(&t) || k == "tracker_id" && !t.is_empty() {
                        rec.values.push((k, t));
                    }
                }
                Col::Long(k) => {
                    let t = long_text(v);
                    if !t.is_empty() {
                        rec.values.push((k, t));
                    }
                }
                Col::Day(k) => days.push((c, k)),
                Col::Received => days.push((c, "received_date")),
                Col::Reproduced => match yes_no(&text(v)) {
                    Ok(Some(y)) => rec.values.push(("reproduced", u8::from(y).to_string())),
                    Ok(None) => {}
                    Err(()) => warn(
                        out,
                        &origin,
                        Some(&label(c)),
                        format!(
                            "{num}：是否复现“{}”无法识别（应为 是 或 否），按未填导入",
                            text(v)
                        ),
                    ),
                },
                Col::Copied => match yes_no(&text(v)) {
                    Ok(Some(y)) => rec
                        .values
                        .push(("reporter_copied", u8::from(y).to_string())),
                    Ok(None) => {}
                    Err(()) => warn(
                        out,
                        &origin,
                        Some(&label(c)),
                        format!("{num}：已抄送反馈人“{}”无法识别，按未填导入", text(v)),
                    ),
                },
                Col::State => {
                    let t = text(v);
                    if !t.is_empty() {
                        stated = Some((label(c), t));
                    }
                }
                Col::Requirement => {
                    let t = number(v);
                    if !placeholder(&t) {
                        rec.requirement = Some(t);
                    }
                }
            }
        }
        // found first: it bounds the others
        days.sort_by_key(|(_, k)| *k != "found_date");
        let mut found: Option<NaiveDate> = None;
        for (c, k) in days {
            // (a number that passed `bug_number` carries its day)
            let year = by_number.map_or(2000, |d| chrono::Datelike::year(&d));
            let read = date(cell(c), year, found.or(by_number));
            match read {
                Ok(Some(d)) if k == "received_date" => received_stated = Some(d),
                Ok(Some(d)) => {
                    if k == "found_date" {
                        found = Some(d);
                    }
                    rec.values.push((k, dates::iso(d)));
                }
                Ok(None) => {}
                Err(e) => bad = bad.or(Some((label(c), e))),
            }
        }
        if let Some((column, reason)) = bad {
            reject(out, &origin, Some(&column), format!("{num}：{reason}"));
            continue;
        }
        match received_stated.or(by_number).or(found) {
            Some(d) => rec.received = d,
            None => {
                reject(
                    out,
                    &origin,
                    Some(&label(nc)),
                    format!("{num}：编号不含日期，也没有反馈日期或发现日期，无法确定反馈日期"),
                );
                continue;
            }
        }
        if let (Some(stated_day), Some(number_day)) = (received_stated, by_number) {
            if stated_day != number_day {
                warn(
                    out,
                    &origin,
                    None,
                    format!(
                        "{num}：反馈日期 {} 与编号中的日期 {} 不一致，按反馈日期导入",
                        dates::iso(stated_day),
                        dates::iso(number_day)
                    ),
                );
            }
        }
        // the day rules the window keeps, said rather than refused: the file is what happened
        let fixed = rec.value("fixed_date").and_then(dates::from_iso);
        for (bad, what) in [
            (
                found.is_some_and(|f| f > rec.received),
                "发现日期晚于反馈日期",
            ),
            (
                matches!((fixed, found), (Some(x), Some(f)) if x < f),
                "修复日期早于发现日期",
            ),
        ] {
            if bad {
                warn(out, &origin, None, format!("{num}：{what}，照录"));
            }
        }
        if fixed.is_some() && rec.value("reproduced") == Some("0") {
            warn(
                out,
                &origin,
                None,
                format!("{num}：是否复现为“否”却有修复日期，按已修复导入"),
            );
        }
        if let Some((column, s)) = stated {
            settle_state(out, &origin, &column, &s, &mut rec);
        }
        out.bugs.push(rec);
        tally.row(r, row);
        taken += 1;
    }
    tally.finish(out);
    let note = (!other.is_empty()).then(|| format!("未导入的列：{}", other.join("、")));
    LedgerRead {
        rows: taken,
        note,
        header_row: Some(head + 1),
        stored_columns: cols.iter().map(|(c, _)| *c).collect(),
    }
}

/// One bug per number: a number met again (a later copy of a growing ledger, a row typed
/// twice) fills in what the first lacked; a value both state differently is refused, naming
/// the field, both values and the row taken.
pub(super) fn merge_duplicates(out: &mut Parsed) {
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut kept: Vec<BugRecord> = Vec::new();
    for rec in std::mem::take(&mut out.bugs) {
        let Some(&i) = first.get(&rec.number) else {
            first.insert(rec.number.clone(), kept.len());
            kept.push(rec);
            continue;
        };
        let a = &kept[i];
        let at = format!(
            "{} · {} 第 {} 行",
            a.origin.file, a.origin.sheet, a.origin.row
        );
        let mut differ: Vec<String> = rec
            .values
            .iter()
            .filter_map(|(c, v)| {
                let had = a.value(c)?;
                (had != v).then(|| {
                    format!(
                        "{}“{}”/“{}”",
                        crate::domain::fields::label("bug", c),
                        crate::domain::fields::display("bug", c, had),
                        crate::domain::fields::display("bug", c, v)
                    )
                })
            })
            .collect();
        if let (Some(x), Some(y)) = (&a.requirement, &rec.requirement) {
            if x != y {
                differ.push(format!("关联需求“{x}”/“{y}”"));
            }
        }
        if !differ.is_empty() {
            reject(
                out,
                &rec.origin,
                None,
                format!(
                    "{}：与 {at} 编号相同而{}不同；以先出现的一行为准，本行未导入",
                    rec.number,
                    differ.join("、")
                ),
            );
            continue;
        }
        let a = &mut kept[i];
        for (c, v) in rec.values {
            if a.value(c).is_none() {
                a.values.push((c, v));
            }
        }
        if a.requirement.is_none() {
            a.requirement = rec.requirement;
        }
    }
    out.bugs = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: Vec<Vec<&str>>) -> Sheet {
        Sheet {
            name: "Bug收集反馈表".into(),
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|c| {
                            if c.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(c.into())
                            }
                        })
                        .collect()
                })
                .collect(),
            merges: Vec::new(),
            beyond: None,
        }
    }

    #[test]
    fn rows_become_bugs_and_a_stated_state_that_disagrees_is_said() {
        let mut s = sheet(vec![
            vec!["Bug收集反馈表", "", "", "", "", ""],
            vec![
                "Bug编号",
                "报告人",
                "发现日期",
                "是否复现",
                "修复日期",
                "状态",
                "说明",
            ],
            vec![
                "B14070101",
                "董平一",
                "2014/7/1",
                "是",
                "7月8日",
                "已修复",
                "x",
            ],
            vec!["B14070304", "郭珠浩", "20140703", "否", "", "待修复", ""],
            vec!["B14070306", "毛静子", "20140703", "是", "", "已修复", ""],
            vec!["", "", "", "", "", "", ""],
            vec!["B14070305", "毛静子", "明天", "", "", "", ""],
            vec!["", "孙明", "2014-07-05", "", "", "", ""],
        ]);
        let mut out = Parsed::default();
        let LedgerRead {
            rows: taken, note, ..
        } = ledger_rows(&"a.xlsx".into(), &mut s, &mut out);
        assert_eq!(taken, 3);
        assert_eq!(note.as_deref(), Some("未导入的列：说明"));
        let b = &out.bugs[0];
        assert_eq!(b.number, "B14070101");
        assert_eq!(b.received, NaiveDate::from_ymd_opt(2014, 7, 1).unwrap());
        assert_eq!(b.value("found_date"), Some("2014-07-01"));
        assert_eq!(b.value("fixed_date"), Some("2014-07-08"));
        assert_eq!(b.value("reproduced"), Some("1"));
        // 否 but 待修复: the 状态 decides reproduction, and that is said
        assert_eq!(out.bugs[1].value("reproduced"), Some("1"));
        // 已修复 without a day to say when: imported as the facts give, said
        assert_eq!(out.bugs[2].value("fixed_date"), None);
        assert!(
            out.warnings[1]
                .reason
                .contains("没有修复日期，按“已复现”导入"),
            "{:?}",
            out.warnings
        );
        assert_eq!(out.warnings.len(), 2);
        assert_eq!(
            out.warnings[0].reason,
            "B14070304：是否复现写的是“否”，按状态“待修复”记为已复现"
        );
        assert_eq!(out.warnings[0].row, Some(4));
        // a bad day and a missing number: refused with row and column
        let rows: Vec<(Option<usize>, Option<String>)> = out
            .rejected
            .iter()
            .map(|r| (r.row, r.column.clone()))
            .collect();
        assert_eq!(
            rows,
            [
                (Some(7), Some("C 列 发现日期".to_string())),
                (Some(8), Some("A 列 Bug编号".to_string()))
            ]
        );
    }

    #[test]
    fn messy_ledgers_repeated_headers_totals_numbers_and_copies() {
        let mut s = sheet(vec![
            vec![
                "编号",
                "反馈人",
                "机型",
                "系统版本",
                "问题描述",
                "重现步骤",
                "是否重现",
                "修复时间",
                "关联需求",
            ],
            vec![
                "b 14070101",
                "董平一",
                "魅族",
                "iOS 7",
                "闪退",
                "",
                "可复现（已提交）",
                "",
                "无",
            ],
            vec![
                "编号",
                "反馈人",
                "机型",
                "系统版本",
                "问题描述",
                "重现步骤",
                "是否重现",
                "修复时间",
                "关联需求",
            ],
            vec![
                "14070102",
                "付杰鹏",
                "魅族",
                "iOS 7",
                "白屏",
                "",
                "",
                "",
                "",
            ],
            vec![
                "B14070103",
                "付杰鹏",
                "魅族",
                "iOS 7",
                "乱码",
                "",
                "也许",
                "1月5日",
                "",
            ],
            vec!["合计 3", "", "", "", "", "", "", "", ""],
        ]);
        assert!(is_ledger(&s), "legacy header words");
        let mut out = Parsed::default();
        let taken = ledger_rows(&"a.xlsx".into(), &mut s, &mut out).rows;
        assert_eq!(taken, 2, "{:?}", out.rejected);
        let b = &out.bugs[0];
        assert_eq!(b.number, "B14070101", "letters upper-cased, spaces gone");
        assert_eq!(b.value("reproduced"), Some("1"));
        assert_eq!(b.requirement, None, "无 is no requirement");
        assert_eq!(b.value("content"), Some("闪退"));
        // a number without its prefix is refused, naming the cell
        assert_eq!(out.rejected.len(), 1);
        assert!(
            out.rejected[0].reason.contains("没有前缀"),
            "{:?}",
            out.rejected
        );
        assert_eq!(out.rejected[0].column.as_deref(), Some("A 列 编号"));
        // an unknown 是否重现 is said and left empty
        assert_eq!(out.bugs[1].value("reproduced"), None);
        // a month and day fall on or after the bug's own day: the next January
        assert_eq!(out.bugs[1].value("fixed_date"), Some("2015-01-05"));
        assert!(out.warnings.iter().any(|w| w.reason.contains("“也许”")));

        // the same bug in a later copy of the ledger fills in; a contradiction is refused
        let mut later = sheet(vec![
            vec!["Bug编号", "报告人", "手机型号", "Bug内容", "修复日期"],
            vec!["B14070101", "董平一", "魅族", "闪退", "2014-07-08"],
            vec!["B14070103", "付杰鹏", "魅族", "另一件事", ""],
        ]);
        ledger_rows(&"b.xlsx".into(), &mut later, &mut out);
        merge_duplicates(&mut out);
        assert_eq!(out.bugs.len(), 2);
        assert_eq!(out.bugs[0].value("fixed_date"), Some("2014-07-08"));
        let refused = out.rejected.last().unwrap();
        assert!(
            refused.reason.contains("内容“乱码”/“另一件事”") && refused.reason.contains("a.xlsx"),
            "{refused:?}"
        );
    }

    #[test]
    fn a_register_that_mentions_phones_is_not_a_ledger() {
        let s = sheet(vec![
            vec!["需求编号", "填表人", "需求梗概", "备注"],
            vec!["14061901", "刘小妹", "手机型号 显示", "无法复现 BugFree"],
            vec!["14061902", "刘小妹", "Bug内容 导出", "是否复现"],
        ]);
        assert!(!is_ledger(&s));
    }

    #[test]
    fn legacy_header_words_and_states() {
        assert_eq!(col_of(" BugFree 编号 "), Some(Col::Text("tracker_id")));
        assert_eq!(col_of("重现步骤"), Some(Col::Long("steps")));
        assert_eq!(col_of("App版本"), Some(Col::Text("app_version")));
        assert_eq!(stated_state("待修复"), Some(BugState::Reproduced));
        assert_eq!(stated_state("已转需求"), Some(BugState::Converted));
        assert_eq!(yes_no("√"), Ok(Some(true)));
        assert_eq!(yes_no("不可复现"), Ok(Some(false)));
        assert_eq!(yes_no("是（已提交BugFree）"), Ok(Some(true)));
        assert!(yes_no("也许").is_err());
        assert_eq!(col_of("手机系统版本"), Some(Col::Text("os_version")));
        assert_eq!(col_of("BugFree ID"), Some(Col::Text("tracker_id")));
        assert!(bug_number("14070101").is_err());
        assert!(bug_number("B1407").is_err());
        assert_eq!(bug_number(" bug14070103 ").as_deref(), Ok("BUG14070103"));
        assert_eq!(
            received_of_number("BUG14070103"),
            NaiveDate::from_ymd_opt(2014, 7, 1)
        );
    }
}
