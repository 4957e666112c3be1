//! A single 需求报告表 (附表2): label cells beside value cells, the number in the file name.

use super::layout::header_key;
use super::read::Sheet;
use super::values::{long_text, text};
use crate::domain::forms::{
    REPORT, REPORT_IMPROVEMENT_HINT, REPORT_SUPPLEMENT, REPORT_SUPPLEMENT_HINT,
    REPORT_SUPPLEMENT_IMPROVEMENT, REPORT_SUPPLEMENT_NEW,
};

/// The label of the 需求类型 cell Genjin's forms carry (the paper has none: the importer
/// otherwise tells an 改进需求 by its answers).
pub const KIND_LABEL: &str = "需求类型";

/// Cells a reading used, as (row, column), 0-based.
pub type CellsUsed = std::collections::HashSet<(usize, usize)>;

/// The values a form carries, keyed by requirement column.
pub fn read_form(sheet: &Sheet) -> Vec<(&'static str, String)> {
    read_form_cells(sheet).0
}

/// The values a form carries, and every cell the reading used (labels, values, the form's own
/// printed words) as (row, column), 0-based: the other non-empty cells are not imported and the
/// importer says so (issue 13).
pub fn read_form_cells(sheet: &Sheet) -> (Vec<(&'static str, String)>, CellsUsed) {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut push = |col: &'static str, v: String| {
        let v = v.trim().to_string();
        if !v.is_empty() && !out.iter().any(|(c, _)| *c == col) {
            out.push((col, v));
        }
    };
    let rows = sheet.rows.len();
    for r in 0..rows {
        let width = sheet.rows[r].len();
        for c in 0..width {
            let raw = text(sheet.cell(r, c));
            if raw.is_empty() {
                continue;
            }
            let heading = &REPORT.heading_line;
            if heading.iter().take(2).all(|f| raw.contains(f.label)) {
                // "报告人 贺杰静   部门 推广部   填报日期 2014-06-19" in one merged line
                used.insert((r, c));
                for f in heading.iter() {
                    if let Some(v) = after_label(&raw, f.label) {
                        push(f.key, v);
                    }
                }
                continue;
            }
            let key = header_key(&raw);
            if printed(&key, &raw) {
                used.insert((r, c));
            }
            if key == KIND_LABEL || key == "需求编号" {
                // 新需求 / 改进需求, as Genjin's forms state it; the number is read apart
                let value = value_right_of(sheet, r, c, text);
                if let Some((vc, _)) = value {
                    used.insert((r, vc));
                }
                let kind = value.and_then(|(_, v)| crate::domain::requirement::Kind::parse(&v));
                if let (true, Some(k)) = (key == KIND_LABEL, kind) {
                    push("kind", k.code().to_string());
                }
                continue;
            }
            let col = match key.as_str() {
                REPORT_SUPPLEMENT | REPORT_SUPPLEMENT_NEW => {
                    new_requirement_answers(sheet, r, c, &mut push, &mut used);
                    continue;
                }
                REPORT_SUPPLEMENT_IMPROVEMENT => {
                    let (vc, v) = right_at(sheet, r, c, text).unwrap_or((c, String::new()));
                    used.insert((r, vc));
                    let steps = REPORT.label_of("imp_steps").unwrap_or_default();
                    push("imp_steps", strip_question(&v, steps));
                    continue;
                }
                k => match labelled_value(k).or_else(|| question(&raw)) {
                    Some(col) => col,
                    None => continue,
                },
            };
            // answers keep their line breaks and characters as typed; names and days are folded
            let long = col == "doctor_words"
                || col == "overview"
                || col.starts_with("new_")
                || col.starts_with("imp_");
            let read = if long { long_text } else { text };
            if let Some((vc, v)) = value_right_of(sheet, r, c, read) {
                used.insert((r, vc));
                // a long text Genjin's form continued on the next rows, the label merged down
                // beside them (issue 20): read whole, the pieces put together as written
                let below = sheet
                    .merges
                    .iter()
                    .find(|m| m.first_row == r && m.first_col == c && m.last_col == c)
                    .map(|m| m.last_row)
                    .filter(|last| long && *last > r);
                match below {
                    Some(last) => {
                        let raw = |row: usize| match sheet.cell(row, vc) {
                            super::read::Cell::Text(s) => s.clone(),
                            other => text(other),
                        };
                        let whole: String = (r..=last).map(raw).collect();
                        (r + 1..=last).for_each(|row| {
                            used.insert((row, vc));
                        });
                        push(col, whole);
                    }
                    None => push(col, v),
                }
            }
        }
    }
    (out, used)
}

/// Words the form prints itself: its title, labels, section headings and hints.
fn printed(key: &str, raw: &str) -> bool {
    key == header_key(REPORT.title)
        || REPORT.field_of(raw).is_some()
        || REPORT.field_of(key).is_some()
        || [
            REPORT_SUPPLEMENT,
            REPORT_SUPPLEMENT_NEW,
            REPORT_SUPPLEMENT_IMPROVEMENT,
            KIND_LABEL,
            "需求编号",
        ]
        .contains(&key)
        || [REPORT_SUPPLEMENT_HINT, REPORT_IMPROVEMENT_HINT].contains(&raw.trim())
}

/// The field of a label that has its value in the cell beside it: the heading line's and the
/// body's up to 概述 (the 需求补充 answers are read by their sections).
fn labelled_value(label: &str) -> Option<&'static str> {
    REPORT
        .field_of(label)
        .map(|f| f.key)
        .filter(|k| !k.starts_with("new_") && !k.starts_with("imp_"))
}

/// A 需求补充 question or 改进需求补充 item written in a cell of its own with its answer beside it
/// (the layout Genjin exports): its field.
fn question(raw: &str) -> Option<&'static str> {
    REPORT
        .field_of(raw)
        .map(|f| f.key)
        .filter(|k| k.starts_with("new_") || k.starts_with("imp_"))
}

/// The 需求编号 a form states in a cell labelled so (Genjin's exported forms carry it), for a
/// file whose name does not.
pub fn number_in_sheet(sheet: &Sheet) -> Option<String> {
    for r in 0..sheet.rows.len().min(10) {
        for c in 0..sheet.rows[r].len() {
            if header_key(&text(sheet.cell(r, c))) == "需求编号" {
                let v = super::values::number(sheet.cell(r, c + 1));
                if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// "报告人 贺杰静   部门 推广部" → the word after `label`, up to the next run of spaces.
fn after_label(line: &str, label: &str) -> Option<String> {
    let start = line.find(label)? + label.len();
    let rest = line[start..].trim_start_matches([' ', ':', '：', '_']);
    let value: String = rest
        .split_whitespace()
        .next()?
        .trim_matches('_')
        .to_string();
    let is_next_label = REPORT
        .heading_line
        .iter()
        .any(|f| value.starts_with(f.label));
    (!value.is_empty() && !is_next_label).then_some(value)
}

/// The first non-empty cell right of a label, read with `read` (verbatim or folded): its column
/// and value.
fn right_at(
    sheet: &Sheet,
    r: usize,
    c: usize,
    read: fn(&super::read::Cell) -> String,
) -> Option<(usize, String)> {
    (c + 1..sheet.rows.get(r).map_or(0, Vec::len))
        .map(|cc| (cc, read(sheet.cell(r, cc))))
        .find(|(_, v)| !v.is_empty())
}

/// The value of the label at (r, c): the first non-empty cell right of it — unless that is the
/// next label the form prints (a blank box: 医生姓名 left empty is not “医院”, issue 19).
fn value_right_of(
    sheet: &Sheet,
    r: usize,
    c: usize,
    read: fn(&super::read::Cell) -> String,
) -> Option<(usize, String)> {
    right_at(sheet, r, c, read).filter(|(_, v)| {
        let key = header_key(v);
        !(printed(&key, v) || labelled_value(&key).is_some())
    })
}

fn strip_question(v: &str, question: &str) -> String {
    match v.find(question) {
        Some(p) => v[p + question.len()..]
            .trim_start_matches(['：', ':', ' '])
            .trim()
            .to_string(),
        None => v.trim().to_string(),
    }
}

/// The 新需求补充 part: a question line, then the answer below it (or beside it). Answers given
/// as "强烈；简化…；类似软件" fill the three questions in order.
fn new_requirement_answers(
    sheet: &Sheet,
    r: usize,
    c: usize,
    push: &mut impl FnMut(&'static str, String),
    used: &mut std::collections::HashSet<(usize, usize)>,
) {
    let beside_at = right_at(sheet, r, c, text);
    let beside = beside_at.clone().map(|(_, v)| v).unwrap_or_default();
    // the section's own heading beside it: its questions stand in cells of their own
    if header_key(&beside) == REPORT_SUPPLEMENT_NEW {
        return;
    }
    if let Some((bc, _)) = beside_at {
        used.insert((r, bc));
    }
    let below_at = (r + 1..sheet.rows.len().min(r + 3))
        .find(|rr| text(sheet.cell(*rr, c)).is_empty())
        .and_then(|rr| right_at(sheet, rr, c, text).map(|(cc, v)| (rr, cc, v)));
    let answer = if beside.contains('？') || beside.contains('?') {
        match below_at {
            Some((rr, cc, v)) => {
                used.insert((rr, cc));
                v
            }
            None => String::new(),
        }
    } else {
        beside
    };
    if answer.is_empty() {
        return;
    }
    let parts: Vec<&str> = answer
        .split(['；', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() == 3 {
        push("new_intensity", parts[0].to_string());
        push("new_simplifies", parts[1].to_string());
        push("new_similar", parts[2].to_string());
    } else {
        push("new_intensity", answer);
    }
}

/// The number in a form's file name: `需求报告表14061903.xlsx` → `14061903`.
pub fn number_from_file_name(name: &str) -> Option<String> {
    let stem = std::path::Path::new(name)
        .file_stem()?
        .to_string_lossy()
        .to_string();
    let stem = crate::domain::dates::normalize_width(&stem);
    let after = stem
        .find(REPORT.title)
        .map(|p| &stem[p + REPORT.title.len()..])
        .unwrap_or(&stem);
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (digits.len() == 8).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_file_names() {
        assert_eq!(
            number_from_file_name("需求报告表14061903.xlsx").as_deref(),
            Some("14061903")
        );
        assert_eq!(
            number_from_file_name("/a/b/需求报告表 14061904（补）.xls").as_deref(),
            Some("14061904")
        );
        assert_eq!(number_from_file_name("需求报告表.xlsx"), None);
        assert_eq!(number_from_file_name("需求报告表1406190.xlsx"), None);
    }

    #[test]
    fn the_header_line_of_a_form() {
        let line = "报告人 贺杰静   部门 推广部   填报日期 2014-06-19";
        assert_eq!(after_label(line, "报告人").as_deref(), Some("贺杰静"));
        assert_eq!(after_label(line, "部门").as_deref(), Some("推广部"));
        assert_eq!(after_label(line, "填报日期").as_deref(), Some("2014-06-19"));
        assert_eq!(after_label("报告人_______ 部门________", "报告人"), None);
    }
}
