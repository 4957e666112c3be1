//! Recognising what a sheet is (a 需求登记反馈表 register, a 需求报告表 form, a Bug收集反馈表
//! ledger, or something else), finding its header under title rows (merged and two-row headers
//! included), and mapping columns by the many names people gave them.

use super::read::Sheet;
use super::values::text;
use crate::domain::dates::normalize_width;
use serde::{Deserialize, Serialize};

/// A register column Genjin understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// Declared in the order of `ALL` (a test checks it): the importer indexes by `field as usize`.
pub enum Field {
    Number,
    Reporter,
    Requester,
    Decision,
    Grade,
    Expected,
    Actual,
    Status,
    Brief,
    Remark,
    ReporterDepartment,
    ReceivedDate,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::Number,
        Field::Reporter,
        Field::Requester,
        Field::Decision,
        Field::Grade,
        Field::Expected,
        Field::Actual,
        Field::Status,
        Field::Brief,
        Field::Remark,
        Field::ReporterDepartment,
        Field::ReceivedDate,
    ];

    /// The header printed for the field: 附表3's own for its ten columns (`domain::forms`).
    pub fn label(self) -> &'static str {
        use crate::domain::forms::{REGISTER, REPORT};
        match self {
            Field::ReporterDepartment => REPORT.label_of("reporter_department").unwrap_or("部门"),
            Field::ReceivedDate => "收到日期",
            register => REGISTER
                .fields
                .get(register as usize)
                .map(|f| f.label)
                .unwrap_or_default(),
        }
    }

    /// Header words seen in real registers, most specific first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Number => &["需求编号", "需求号", "编号"],
            Field::Reporter => &[
                "填表人",
                "填报人",
                "需求报告人",
                "报告人",
                "提交人",
                "收集人",
            ],
            Field::Requester => &["需求人", "需求方", "提出人", "需求提出人", "客户"],
            Field::Decision => &["决策结果", "决策", "决定", "是否采纳"],
            Field::Grade => &["需求分级", "分级", "缓急", "优先级", "紧急程度", "级别"],
            Field::Expected => &[
                "预期交付日",
                "预期交付日期",
                "预计交付日期",
                "预计交付日",
                "预期交付",
                "预计交付",
                "预计完成日期",
                "承诺交付日",
            ],
            Field::Actual => &[
                "实际交付日",
                "实际交付日期",
                "实际交付",
                "实际完成日期",
                "完成日期",
            ],
            Field::Status => &["需求状态", "状态"],
            Field::Brief => &[
                "需求梗概",
                "梗概",
                "需求概述",
                "需求概要",
                "需求内容",
                "需求描述",
                "需求名称",
            ],
            Field::Remark => &["备注", "说明"],
            Field::ReporterDepartment => &["部门", "所在部门", "填表人部门"],
            Field::ReceivedDate => &["收到日期", "接收日期", "登记日期"],
        }
    }
}

/// Normalises a header cell: no spaces or line breaks, full-width folded, no notes in brackets,
/// no trailing colons or asterisks.
pub fn header_key(s: &str) -> String {
    let s = normalize_width(s);
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '*' | ':' | '：') => {}
            c => out.push(c),
        }
    }
    out
}

/// The field a header names, if any: an exact name first, else the longest name it contains.
pub fn field_of(header: &str) -> Option<Field> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    for f in Field::ALL {
        if f.names().contains(&key.as_str()) {
            return Some(*f);
        }
    }
    Field::ALL
        .iter()
        .flat_map(|f| f.names().iter().map(move |n| (*f, *n)))
        .filter(|(_, n)| n.chars().count() >= 2 && key.contains(n))
        .max_by_key(|(_, n)| n.chars().count())
        .map(|(f, _)| f)
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnMap {
    pub column: usize,
    /// The column as Excel names it (A, B, …).
    pub letter: String,
    pub header: String,
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SheetKind {
    Register {
        /// First data row (0-based).
        data_start: usize,
        /// Rows of the header right above it: 1, or 2 (a parent such as 交付日 over 预期 /
        /// 实际). Rows above the header are titles and notes.
        header_rows: usize,
        columns: Vec<ColumnMap>,
    },
    ReportForm,
    BugLedger,
    Unknown,
}

pub fn column_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.iter().rev().collect()
}

/// The text a header cell shows, looking through merged cells to their top-left value.
fn header_text(sheet: &Sheet, row: usize, col: usize) -> String {
    for m in &sheet.merges {
        if (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col) {
            return text(sheet.cell(m.first_row, m.first_col));
        }
    }
    text(sheet.cell(row, col))
}

fn width(sheet: &Sheet, rows: std::ops::Range<usize>) -> usize {
    rows.filter_map(|r| sheet.rows.get(r))
        .map(|r| r.len())
        .max()
        .unwrap_or(0)
}

/// Maps the columns under a header of one row (`two = false`) or two rows (a parent such as
/// 交付日 over 预期 / 实际).
fn map_header(sheet: &Sheet, row: usize, two: bool) -> Vec<ColumnMap> {
    let cols = width(sheet, row..row + 2);
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::new();
    for c in 0..cols {
        let top = header_text(sheet, row, c);
        let (header, field) = if two {
            let sub = header_text(sheet, row + 1, c);
            if sub.is_empty() || sub == top {
                (top.clone(), field_of(&top))
            } else {
                let joined = [format!("{sub}{top}"), format!("{top}{sub}"), sub.clone()];
                let hit = joined
                    .iter()
                    .find_map(|h| field_of(h).map(|f| (h.clone(), f)));
                match hit {
                    Some((h, f)) => (h, Some(f)),
                    None => (format!("{top}{sub}"), None),
                }
            }
        } else {
            (top.clone(), field_of(&top))
        };
        let field = field.filter(|f| used.insert(*f));
        if !header.is_empty() || field.is_some() {
            out.push(ColumnMap {
                column: c,
                letter: column_letter(c),
                header,
                field,
            });
        }
    }
    out
}

fn score(cols: &[ColumnMap]) -> usize {
    cols.iter().filter(|c| c.field.is_some()).count()
}

const FORM_LABELS: &[&str] = &[
    "医生姓名",
    "医生原话",
    "概述",
    "医院",
    "科室",
    "医享账号",
    "需求补充",
];

/// What the sheet is, and for a register where its data starts and how its columns map.
pub fn detect(sheet: &Sheet) -> SheetKind {
    let scan = sheet.rows.len().min(30);
    let mut form_hits = 0;
    for r in 0..scan {
        for c in 0..sheet.rows[r].len() {
            let key = header_key(&text(sheet.cell(r, c))).to_lowercase();
            if FORM_LABELS.contains(&key.as_str()) {
                form_hits += 1;
            }
        }
    }
    // by its header row (a bug number and columns only ledgers have), not by words in the data
    if super::bugs::is_ledger(sheet) {
        return SheetKind::BugLedger;
    }
    if form_hits >= 3 {
        return SheetKind::ReportForm;
    }
    let mut best: Option<(usize, usize, usize, Vec<ColumnMap>)> = None;
    for r in 0..scan {
        for two in [false, true] {
            let cols = map_header(sheet, r, two);
            let s = score(&cols) * 2 + usize::from(!two);
            let has_number = cols.iter().any(|c| c.field == Some(Field::Number));
            if has_number && score(&cols) >= 3 && best.as_ref().is_none_or(|b| s > b.0) {
                best = Some((s, r + 1 + usize::from(two), 1 + usize::from(two), cols));
            }
        }
    }
    match best {
        Some((_, data_start, header_rows, columns)) => SheetKind::Register {
            data_start,
            header_rows,
            columns,
        },
        None => SheetKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_fields_carry_the_register_headers() {
        let labels: Vec<&str> = Field::ALL.iter().take(10).map(|f| f.label()).collect();
        assert_eq!(labels, crate::domain::forms::REGISTER.labels());
        assert_eq!(Field::ReporterDepartment.label(), "部门");
        assert_eq!(Field::ReceivedDate.label(), "收到日期");
    }

    #[test]
    fn every_field_is_listed_in_declaration_order() {
        // the importer indexes a table by `field as usize`
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i, "{f:?}");
        }
        assert_eq!(Field::ALL.len(), Field::ReceivedDate as usize + 1);
    }

    #[test]
    fn header_names_vary() {
        for (h, f) in [
            ("填表人", Field::Reporter),
            ("填报人", Field::Reporter),
            ("需求方", Field::Requester),
            ("决策", Field::Decision),
            ("缓急", Field::Grade),
            ("预计交付日期", Field::Expected),
            ("预期交付日（YYYYMMDD）", Field::Expected),
            ("实际交付日期", Field::Actual),
            ("需求概述", Field::Brief),
            ("梗概", Field::Brief),
            ("编号", Field::Number),
            (" 需求 编号* ", Field::Number),
            ("状态", Field::Status),
        ] {
            assert_eq!(field_of(h), Some(f), "{h}");
        }
        assert_eq!(field_of("序号"), None);
        assert_eq!(field_of(""), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
