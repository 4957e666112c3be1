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
    State,
    Requirement,
}

/// Header words (after `header_key`, lower case) → column. The ledger's own labels first, then
/// what legacy ledgers wrote for them.
const HEADERS: &[(&str, Col)] = &[
    ("bug编号", Col::Number),
    ("编号", Col::Number),
    ("报告人", Col::Text("reporter")),
    ("反馈人", Col::Text("reporter")),
    ("提交人", Col::Text("reporter")),
    ("发现日期", Col::Day("found_date")),
    ("发现时间", Col::Day("found_date")),
    ("反馈日期", Col::Received),
    ("手机型号", Col::Text("phone_model")),
    ("机型", Col::Text("phone_model")),
    ("手机系统", Col::Text("os_version")),
    ("系统版本", Col::Text("os_version")),
    ("操作系统", Col::Text("os_version")),
    ("app版本", Col::Text("app_version")),
    ("bug内容", Col::Long("content")),
    ("内容", Col::Long("content")),
    ("问题描述", Col::Long("content")),
    ("操作步骤", Col::Long("steps")),
    ("重现步骤", Col::Long("steps")),
    ("复现步骤", Col::Long("steps")),
    ("是否复现", Col::Reproduced),
    ("bugfree编号", Col::Text("tracker_id")),
    ("跟踪编号", Col::Text("tracker_id")),
    ("修复日期", Col::Day("fixed_date")),
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

fn col_of(header: &str) -> Option<Col> {
    let key = header_key(header).to_lowercase();
    HEADERS.iter().find(|(h, _)| *h == key).map(|(_, c)| *c)
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
            match col_of(&h) {
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

/// `是` / `否` and the ways people wrote them.
fn yes_no(s: &str) -> Result<Option<bool>, String> {
    match s.trim() {
        "" => Ok(None),
        "是" | "Y" | "y" | "yes" | "Yes" | "YES" | "√" | "已复现" | "能" | "可以" => {
            Ok(Some(true))
        }
        "否" | "N" | "n" | "no" | "No" | "NO" | "×" | "无法复现" | "不能" | "不能复现" => {
            Ok(Some(false))
        }
        other => Err(format!("是否复现“{other}”无法识别（应为 是 或 否）")),
    }
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
/// or 关联需求 stands over any 状态. Every disagreement is said, naming the row and column.
fn settle_state(out: &mut Parsed, origin: &Origin, column: &str, s: &str, rec: &mut BugRecord) {
    let facts = |rec: &BugRecord| {
        bug_state(BugFacts {
            reproduced: rec.value("reproduced").map(|v| v == "1"),
            fixed: rec.value("fixed_date").is_some(),
            converted: rec.requirement.is_some(),
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
    if stated == before {
        return;
    }
    let reproduction = match stated {
        BugState::Reproduced | BugState::NotReproducible
            if matches!(
                before,
                BugState::Reported | BugState::Reproduced | BugState::NotReproducible
            ) =>
        {
            Some(stated == BugState::Reproduced)
        }
        _ => None,
    };
    let said = rec
        .value("reproduced")
        .map(|v| if v == "1" { "是" } else { "否" });
    let reason = match reproduction {
        Some(r) => {
            rec.values.retain(|(c, _)| *c != "reproduced");
            rec.values.push(("reproduced", u8::from(r).to_string()));
            match said {
                Some(x) => format!("是否复现写的是“{x}”，按状态“{s}”记为{}", facts(rec).label()),
                None => format!("按状态“{s}”记为{}", facts(rec).label()),
            }
        }
        None => {
            let why = match stated {
                BugState::Fixed => "没有修复日期",
                BugState::Converted => "没有关联需求",
                BugState::Withdrawn => "登记表不记撤回",
                _ if before == BugState::Fixed => "有修复日期",
                _ if before == BugState::Converted => "有关联需求",
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

/// Reads the rows of a Bug收集反馈表 sheet into `out.bugs`. Returns how many rows were taken and
/// a note for the sheet (headers not taken), or why the sheet gave nothing.
pub fn ledger_rows(file: &Arc<str>, sheet: &Sheet, out: &mut Parsed) -> (usize, Option<String>) {
    let Some((head, cols, other)) = header(sheet) else {
        return (0, Some("找不到“Bug编号”等表头，未导入".into()));
    };
    let name: Arc<str> = sheet.name.as_str().into();
    let label = |c: usize| text(sheet.cell(head, c));
    let mut taken = 0;
    for (r, row) in sheet.rows.iter().enumerate().skip(head + 1) {
        let origin = Origin {
            file: file.clone(),
            sheet: name.clone(),
            row: r + 1,
        };
        let cell = |c: usize| row.get(c).unwrap_or(&Cell::Empty);
        if cols.iter().all(|(c, _)| cell(*c).is_empty()) {
            continue;
        }
        let Some(&(nc, _)) = cols.iter().find(|(_, k)| *k == Col::Number) else {
            continue;
        };
        let num = number(cell(nc));
        if num.is_empty() {
            reject(out, &origin, Some(&label(nc)), "没有 Bug编号，未导入");
            continue;
        }
        let by_number = received_of_number(&num);
        let year = by_number.map_or(2000, |d| chrono::Datelike::year(&d));
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
        for &(c, col) in &cols {
            let v = cell(c);
            let day = |v: &Cell| date(v, year, None).map(|d| d.map(dates::iso));
            match col {
                Col::Number => {}
                Col::Text(k) => {
                    let t = text(v);
                    if !t.is_empty() {
                        rec.values.push((k, t));
                    }
                }
                Col::Long(k) => {
                    let t = long_text(v);
                    if !t.is_empty() {
                        rec.values.push((k, t));
                    }
                }
                Col::Day(k) => match day(v) {
                    Ok(Some(d)) => rec.values.push((k, d)),
                    Ok(None) => {}
                    Err(e) => bad = bad.or(Some((label(c), e))),
                },
                Col::Received => match date(v, year, None) {
                    Ok(d) => received_stated = d,
                    Err(e) => bad = bad.or(Some((label(c), e))),
                },
                Col::Reproduced => match yes_no(&text(v)) {
                    Ok(Some(y)) => rec.values.push(("reproduced", u8::from(y).to_string())),
                    Ok(None) => {}
                    Err(e) => bad = bad.or(Some((label(c), e))),
                },
                Col::State => {
                    let t = text(v);
                    if !t.is_empty() {
                        stated = Some((label(c), t));
                    }
                }
                Col::Requirement => {
                    let t = number(v);
                    if !t.is_empty() {
                        rec.requirement = Some(t);
                    }
                }
            }
        }
        if let Some((column, reason)) = bad {
            reject(out, &origin, Some(&column), format!("{num}：{reason}"));
            continue;
        }
        let found = rec.value("found_date").and_then(dates::from_iso);
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
        // the file's 状态 is the tester's last word on reproduction; dates and links stand
        if let Some((column, s)) = stated {
            settle_state(out, &origin, &column, &s, &mut rec);
        }
        out.bugs.push(rec);
        taken += 1;
    }
    let note = (!other.is_empty()).then(|| format!("未导入的列：{}", other.join("、")));
    (taken, note)
}

/// One bug per number: a number met again (another copy of a ledger, a row typed twice) is
/// taken once; a repeat that says something else is refused, naming the row taken.
pub(super) fn merge_duplicates(out: &mut Parsed) {
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut kept: Vec<BugRecord> = Vec::new();
    for rec in std::mem::take(&mut out.bugs) {
        match first.get(&rec.number) {
            None => {
                first.insert(rec.number.clone(), kept.len());
                kept.push(rec);
            }
            Some(&i) => {
                let a = &kept[i];
                let at = format!(
                    "{} · {} 第 {} 行",
                    a.origin.file, a.origin.sheet, a.origin.row
                );
                if a.values == rec.values
                    && a.requirement == rec.requirement
                    && a.received == rec.received
                {
                    warn(
                        out,
                        &rec.origin,
                        None,
                        format!("{}：与 {at} 相同，只导入一次", rec.number),
                    );
                } else {
                    reject(
                        out,
                        &rec.origin,
                        None,
                        format!(
                            "{}：编号与 {at} 重复而内容不同；以先出现的一行为准，本行未导入",
                            rec.number
                        ),
                    );
                }
            }
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
            merges_loaded: true,
        }
    }

    #[test]
    fn rows_become_bugs_and_a_stated_state_that_disagrees_is_said() {
        let s = sheet(vec![
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
        let (taken, note) = ledger_rows(&"a.xlsx".into(), &s, &mut out);
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
                (Some(7), Some("发现日期".to_string())),
                (Some(8), Some("Bug编号".to_string()))
            ]
        );
    }

    #[test]
    fn legacy_header_words_and_states() {
        assert_eq!(col_of(" BugFree 编号 "), Some(Col::Text("tracker_id")));
        assert_eq!(col_of("重现步骤"), Some(Col::Long("steps")));
        assert_eq!(col_of("App版本"), Some(Col::Text("app_version")));
        assert_eq!(stated_state("待修复"), Some(BugState::Reproduced));
        assert_eq!(stated_state("已转需求"), Some(BugState::Converted));
        assert_eq!(yes_no("√"), Ok(Some(true)));
        assert!(yes_no("也许").is_err());
        assert_eq!(
            received_of_number("BUG14070103"),
            NaiveDate::from_ymd_opt(2014, 7, 1)
        );
    }
}
