//! The Bug收集反馈表 and the 新增Bug周报 as spreadsheets (issue 10, SPEC §3): A4 landscape, the
//! title and header rows repeated on every printed page. Columns from `domain::forms::
//! BUG_LEDGER`: every field is in the file (the importer reads it back), but only the legacy
//! ledgers' own columns (`BUG_LEDGER_PRINTED`) are the print area, fitted to the page width
//! at a readable size (issue 20: all 25 printed at about 5 pt).

use crate::domain::dates;
use crate::domain::forms::BUG_LEDGER;
use crate::error::Result;
use crate::views::BugView;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::failed;

/// A day as the ledgers write it (`20140701`).
fn day(iso: Option<&str>) -> String {
    iso.and_then(dates::from_iso)
        .map(dates::compact)
        .unwrap_or_default()
}

/// The cell text of a ledger column for one bug.
fn value(b: &BugView, key: &str) -> String {
    match key {
        "number" => b.number.clone(),
        "reporter" => b.reporter.clone(),
        "found_date" => day(b.found_date.as_deref()),
        "phone_model" => b.phone_model.clone(),
        "os_version" => b.os_version.clone(),
        "content" => b.content.clone(),
        "steps" => b.steps.clone(),
        "reproduced" => match b.reproduced {
            Some(true) => "是".into(),
            Some(false) => "否".into(),
            None => String::new(),
        },
        "tracker_id" => b.tracker_id.clone(),
        "fixed_date" => day(b.fixed_date.as_deref()),
        "state" => b.state.label().into(),
        "severity" => b.severity.clone(),
        "requirement" => b.requirement.clone().unwrap_or_default(),
        "received_date" => day(Some(&b.received_date)),
        "app_version" => b.app_version.clone(),
        "hospital" => b.hospital.clone(),
        "clinic_department" => b.clinic_department.clone(),
        "bug_type" => b.bug_type.clone(),
        "channel" => b.channel.clone(),
        "fixed_version" => b.fixed_version.clone(),
        "reproduced_by" => b.reproduced_by.clone(),
        "reproduce_note" => b.reproduce_note.clone(),
        "tracker_url" => b.tracker_url.clone(),
        "reporter_copied" => if b.reporter_copied { "是" } else { "" }.into(),
        "remark" => b.remark.clone(),
        _ => String::new(),
    }
}

/// The highest row Excel keeps, in points: a printed cell longer than that is cut on paper.
const ROW_MAX_PT: f64 = 409.0;

/// A ledger of `bugs` under `title` (and an optional `summary` line) as an `.xlsx` whose sheet
/// is named `sheet`, and what the person printing it should know (texts too long for a row).
fn ledger(
    sheet: &str,
    title: &str,
    summary: Option<&str>,
    bugs: &[BugView],
) -> Result<(Vec<u8>, Option<String>)> {
    let mut too_long: Vec<String> = Vec::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let mut build = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name(sheet)?;
        let font = |f: Format| f.set_font_name("宋体").set_font_size(10);
        let head = font(Format::new())
            .set_bold()
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("#EEF2F5");
        let cell = font(Format::new())
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let cols = BUG_LEDGER.fields;
        let printed = crate::domain::forms::BUG_LEDGER_PRINTED.min(cols.len()) as u16 - 1;
        let title_f = font(Format::new())
            .set_font_size(16)
            .set_bold()
            .set_align(FormatAlign::Center);
        ws.set_row_height(0, 30)?;
        ws.merge_range(0, 0, 0, printed, title, &title_f)?;
        let mut header_row = 1;
        if let Some(s) = summary {
            ws.merge_range(1, 0, 1, printed, s, &font(Format::new()))?;
            header_row = 2;
        }
        // rows as tall as their longest wrapped cell (10 pt: 13.5 pt a line, with the printing
        // margin), within Excel's 409 pt limit
        let needed = |lines: usize| 13.5 * lines as f64 + 2.0;
        let height = |lines: usize| needed(lines).min(ROW_MAX_PT);
        let width = |f: &crate::domain::forms::Field| f64::from(f.width.max(5));
        let mut head_lines = 1;
        for (c, f) in cols.iter().enumerate() {
            ws.set_column_width(c as u16, width(f))?;
            ws.write_string_with_format(header_row, c as u16, f.label, &head)?;
            head_lines = head_lines.max(super::printed_lines(f.label, width(f)));
        }
        ws.set_row_height(header_row, height(head_lines))?;
        for (i, b) in bugs.iter().enumerate() {
            let row = header_row + 1 + i as u32;
            let mut lines = 1;
            for (c, f) in cols.iter().enumerate() {
                let v = value(b, f.key);
                if c <= usize::from(printed) {
                    lines = lines.max(super::printed_lines(&v, width(f)));
                }
                ws.write_string_with_format(row, c as u16, v, &cell)?;
            }
            if needed(lines) > ROW_MAX_PT {
                too_long.push(b.number.clone());
            }
            ws.set_row_height(row, height(lines))?;
        }
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
        // the ledger's own columns as wide as the page, as many pages long as it takes; title
        // and header on each
        let last_row = header_row + bugs.len() as u32;
        ws.set_print_area(0, 0, last_row, printed)?;
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, header_row)?;
        ws.set_freeze_panes(header_row + 1, 0)?;
        Ok(())
    };
    build(ws).map_err(failed)?;
    let note = (!too_long.is_empty()).then(|| {
        format!(
            "{} 的文字太长，一行打印不下（Excel 一行最高 409 磅），纸上会截断；表格文件中是全文：{}",
            if too_long.len() == 1 { "1 个 Bug".to_string() } else { format!("{} 个 Bug", too_long.len()) },
            too_long.join("、")
        )
    });
    Ok((book.save_to_buffer().map_err(failed)?, note))
}

/// The Bug收集反馈表 of `bugs` (all, or those reported in a date range: the caller filters), and
/// what the person printing it should know.
pub fn bug_ledger(bugs: &[BugView]) -> Result<(Vec<u8>, Option<String>)> {
    ledger(BUG_LEDGER.title, BUG_LEDGER.title, None, bugs)
}

/// The 新增Bug周报 of the week `monday`..`monday + 6`: the bugs reported in it with where each
/// stands, and a count by state.
pub fn bug_weekly(monday: NaiveDate, bugs: &[BugView]) -> Result<(Vec<u8>, Option<String>)> {
    let sunday = monday + chrono::Duration::days(6);
    let title = format!(
        "{}（{} 至 {}）",
        crate::domain::forms::BUG_WEEKLY_TITLE,
        dates::chinese(monday),
        dates::chinese(sunday)
    );
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for b in bugs {
        match counts.iter_mut().find(|(s, _)| *s == b.state.label()) {
            Some((_, n)) => *n += 1,
            None => counts.push((b.state.label(), 1)),
        }
    }
    let summary = format!(
        "本周新增 {} 个{}",
        bugs.len(),
        if counts.is_empty() {
            String::new()
        } else {
            format!(
                "：{}",
                counts
                    .iter()
                    .map(|(s, n)| format!("{s} {n}"))
                    .collect::<Vec<_>>()
                    .join("，")
            )
        }
    );
    ledger(
        crate::domain::forms::BUG_WEEKLY_TITLE,
        &title,
        Some(&summary),
        bugs,
    )
}
