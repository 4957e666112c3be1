//! The paper forms as spreadsheets that print right from Excel or WPS untouched (SPEC §8): every
//! border, merged cell, print area, margin and the A4 portrait fit-to-one-page are set in the
//! file. Labels come from `domain::forms`; values are written as text (never as formulas).

use crate::domain::dates;
use crate::domain::delay::{DelayState, Opinion, SignLevel};
use crate::domain::forms::{DELAY, DELAY_OPINIONS, REPORT};
use crate::error::Result;
use crate::views::DelayView;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::failed;

/// The last row of 附表1's print area (0-based): title, heading line, table head and values,
/// 延期原因, then two rows per signature level.
pub const DELAY_LAST_ROW: u32 = 11;

/// The most printed lines one row of a form's text area holds (a row is at most 409 pt).
const AREA_MAX_LINES: usize = 25;
/// A printed line of 11 pt text, in points.
const LINE_PT: f64 = 15.0;

/// A text area of a form: `label` in column `label_col` beside `text` merged over columns
/// `from..=3` (`width` characters wide), at least `least` points tall — continued on as many
/// rows as it takes (issue 20: a 2,000-character 医生原话 was cut off on paper), the label
/// merged down beside them. Returns the next free row and the height written.
#[allow(clippy::too_many_arguments)]
fn area(
    ws: &mut Worksheet,
    row: u32,
    (label_col, label, label_f): (u16, &str, &Format),
    from: u16,
    text: &str,
    width: f64,
    least: f64,
    f: &Format,
) -> std::result::Result<(u32, f64), XlsxError> {
    let pieces = super::chunks(text, width, AREA_MAX_LINES);
    let mut height = 0.0;
    for (i, piece) in pieces.iter().enumerate() {
        let r = row + i as u32;
        let lines = super::printed_lines(piece.trim_end_matches('\n'), width) as f64;
        let h = if i == 0 { least } else { 0.0 }.max((lines * LINE_PT + 6.0).min(409.0));
        ws.set_row_height(r, h)?;
        height += h;
        if from == 3 {
            ws.write_string_with_format(r, 3, piece, f)?;
        } else {
            ws.merge_range(r, from, r, 3, piece, f)?;
        }
    }
    let last = row + pieces.len() as u32 - 1;
    if last > row {
        ws.merge_range(row, label_col, last, label_col, label, label_f)?;
    } else {
        ws.write_string_with_format(row, label_col, label, label_f)?;
    }
    Ok((last + 1, height))
}

/// What an export says of a form that no longer fits one page.
fn pages_note(title: &str, height: f64, page: f64) -> (u16, Option<String>) {
    let pages = (height / page).ceil().max(1.0) as u16;
    let note = (pages > 1)
        .then(|| format!("{title}内容较长，打印为 {pages} 页：长文字延续到后面的行，没有截断"));
    (pages, note)
}

/// A label's text in `DELAY` (the paper's own wording).
fn label(key: &str) -> &'static str {
    DELAY.label_of(key).unwrap_or("")
}

/// A day as the paper writes it (`2014年6月25日`), or blank.
fn day(iso: Option<&str>) -> String {
    iso.and_then(dates::from_iso)
        .map(dates::chinese)
        .unwrap_or_default()
}

/// 附表1 需求延期交付申请 as an `.xlsx`: filled from `delay`, or blank (`None`) to be filled by
/// hand. One A4 portrait page. Errors: `Io` if the workbook cannot be written.
pub fn delay_form(delay: Option<&DelayView>) -> Result<Vec<u8>> {
    delay_form_printed(delay).map(|(bytes, _)| bytes)
}

/// [`delay_form`], and what its export says when it prints on more than one page.
pub fn delay_form_printed(delay: Option<&DelayView>) -> Result<(Vec<u8>, Option<String>)> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(DELAY.title).map_err(failed)?;
    let note = write_delay(sheet, delay).map_err(failed)?;
    Ok((book.save_to_buffer().map_err(failed)?, note))
}

fn write_delay(
    ws: &mut Worksheet,
    delay: Option<&DelayView>,
) -> std::result::Result<Option<String>, XlsxError> {
    let font = |f: Format| f.set_font_name("宋体").set_font_size(11);
    let cell = font(Format::new())
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let centered = cell.clone().set_align(FormatAlign::Center);
    let head = centered.clone().set_bold();
    let top_left = font(Format::new())
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    let title = font(Format::new())
        .set_font_size(18)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let plain = font(Format::new()).set_align(FormatAlign::VerticalCenter);

    // A–D: 需求编号 | 原交付日 | 新交付日 | 需求概述 (widths in characters; Chinese text is
    // about two each)
    for (col, width) in [(0u16, 14.0), (1, 16.0), (2, 16.0), (3, 40.0)] {
        ws.set_column_width(col, width)?;
    }

    ws.write_string_with_format(0, 0, DELAY.annex, &plain)?;
    // an application that no longer stands says so on its face
    if let Some(d) = delay {
        if matches!(d.state, DelayState::Rejected | DelayState::Withdrawn) {
            let f = plain.clone().set_align(FormatAlign::Right).set_bold();
            ws.merge_range(0, 2, 0, 3, &format!("（{}）", d.state.label()), &f)?;
        }
    }
    ws.set_row_height(1, 40)?;
    ws.merge_range(1, 0, 1, 3, DELAY.title, &title)?;

    // 申请人_______ 部门________ 填报日期_________
    let blank = "__________";
    let or_blank = |s: &str| {
        if s.trim().is_empty() {
            blank.to_string()
        } else {
            s.trim().to_string()
        }
    };
    let heading = match delay {
        Some(d) => format!(
            "{}：{}　　{}：{}　　{}：{}",
            label("applicant"),
            or_blank(&d.applicant),
            label("applicant_department"),
            or_blank(&d.applicant_department),
            label("filed_date"),
            or_blank(&day(Some(&d.filed_date))),
        ),
        None => format!(
            "{}{blank}　　{}{blank}　　{}{blank}",
            label("applicant"),
            label("applicant_department"),
            label("filed_date")
        ),
    };
    ws.set_row_height(2, 28)?;
    ws.merge_range(2, 0, 2, 3, &heading, &plain)?;

    for (col, key) in ["number", "original_date", "new_date", "overview"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(3, col as u16, label(key), &head)?;
    }
    ws.set_row_height(3, 26)?;
    ws.set_row_height(4, 60)?;
    let values: [String; 4] = match delay {
        Some(d) => [
            d.number.clone(),
            day(d.original_date.as_deref()),
            day(Some(&d.new_date)),
            d.overview.clone(),
        ],
        None => Default::default(),
    };
    for (col, v) in values.iter().enumerate() {
        let f = if col == 3 { &cell } else { &centered };
        ws.write_string_with_format(4, col as u16, v, f)?;
    }

    // 延期原因: a tall box, continued on the next rows when the reason is longer
    let reason = delay.map(|d| d.reason.clone()).unwrap_or_default();
    let (first, reason_height) = area(
        ws,
        5,
        (0, label("reason"), &head),
        1,
        &reason,
        72.0,
        190.0,
        &top_left,
    )?;
    let last_row = first + DELAY_LAST_ROW - 6;

    // 领导意见: three areas, each room to write and then the signature line with 年 月 日
    ws.merge_range(first, 0, last_row, 0, DELAY_OPINIONS, &head)?;
    let keys = ["signoff_direct", "signoff_department", "signoff_gm_office"];
    for (i, (level, key)) in SignLevel::ALL.iter().zip(keys).enumerate() {
        let row = first + 2 * i as u32;
        let signed = delay.and_then(|d| d.signoffs.iter().find(|s| s.level == *level));
        // a signature recorded in Genjin is printed as a record of what the paper said, never
        // on the 签字 line, which stays for the hand
        let opinion = match signed {
            Some(s) => {
                let word = match s.opinion {
                    Opinion::Agree => "同意",
                    Opinion::Disagree => "不同意",
                };
                let comment = if s.comment.trim().is_empty() {
                    String::new()
                } else {
                    format!("。{}", s.comment.trim())
                };
                format!(
                    "{word}{comment}（已录入：{}，{}）",
                    s.signer,
                    day(Some(&s.signed_on))
                )
            }
            None => String::new(),
        };
        ws.set_row_height(row, 92)?;
        ws.merge_range(
            row,
            1,
            row,
            3,
            &format!("{}：{opinion}", label(key)),
            &top_left.clone().set_border_bottom(FormatBorder::None),
        )?;
        let line = "签字：　　　　　　　　　　年　　月　　日";
        ws.set_row_height(row + 1, 26)?;
        ws.merge_range(
            row + 1,
            1,
            row + 1,
            3,
            line,
            &cell
                .clone()
                .set_align(FormatAlign::Right)
                .set_border_top(FormatBorder::None),
        )?;
    }

    // print: A4 portrait, centred, the form's cells only; one page, or as many pages long as
    // a long reason takes, never shrunk to unreadable
    let height = 15.0 + 40.0 + 28.0 + 26.0 + 60.0 + reason_height + 3.0 * (92.0 + 26.0);
    let (pages, note) = pages_note(DELAY.title, height, super::a4_portrait_height(0.75, 0.75));
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_margins(0.7, 0.7, 0.75, 0.75, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, if pages > 1 { 0 } else { 1 });
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, last_row, 3)?;
    ws.set_screen_gridlines(false);
    Ok(note)
}

/// The file name 附表2 goes by (SPEC §4): `需求报告表14061903.xlsx`, or `需求报告表.xlsx` blank.
pub fn report_form_file_name(number: Option<&str>) -> String {
    format!("{}{}.xlsx", REPORT.title, number.unwrap_or(""))
}

/// 附表2 需求报告表 as an `.xlsx`: filled from `req`, or blank (`None`) for a reporter working
/// offline. Laid out like the paper (SPEC §8): title; 报告人 / 部门 / 填报日期 (and 需求编号);
/// 医生姓名 | 医院, 科室 | 医享账号; 医生原话 and 概述 as text areas; the 需求补充 box with the
/// 新需求补充 questions and the 改进需求补充 part, each question beside its answer cell. One A4
/// portrait page. The importer (`excel::import::form`) reads it back by the same labels.
/// Errors: `Io` if the workbook cannot be written.
pub fn report_form(req: Option<&crate::views::Requirement>) -> Result<Vec<u8>> {
    report_form_printed(req).map(|(bytes, _)| bytes)
}

/// [`report_form`], and what its export says when it prints on more than one page.
pub fn report_form_printed(
    req: Option<&crate::views::Requirement>,
) -> Result<(Vec<u8>, Option<String>)> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(REPORT.title).map_err(failed)?;
    let note = write_report(sheet, req).map_err(failed)?;
    Ok((book.save_to_buffer().map_err(failed)?, note))
}

fn write_report(
    ws: &mut Worksheet,
    req: Option<&crate::views::Requirement>,
) -> std::result::Result<Option<String>, XlsxError> {
    let font = |f: Format| f.set_font_name("宋体").set_font_size(11);
    let value = font(Format::new())
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let area_f = font(Format::new())
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    let label_f = value.clone().set_bold().set_align(FormatAlign::Center);
    let question = value.clone().set_font_size(10);
    let section = value.clone().set_bold().set_background_color("#EEF2F5");
    let title = font(Format::new())
        .set_font_size(18)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let plain = font(Format::new()).set_align(FormatAlign::VerticalCenter);
    let get = |key: &str| -> String {
        let Some(r) = req else { return String::new() };
        match key {
            "number" => r.number.clone(),
            "reporter" => r.reporter.clone(),
            "reporter_department" => r.reporter_department.clone(),
            "report_date" => r
                .report_date
                .as_deref()
                .and_then(dates::from_iso)
                .map(dates::compact)
                .unwrap_or_default(),
            "doctor_name" => r.doctor_name.clone(),
            "hospital" => r.hospital.clone(),
            "clinic_department" => r.clinic_department.clone(),
            "app_account" => r.app_account.clone(),
            "doctor_words" => r.doctor_words.clone(),
            "overview" => r.overview.clone(),
            "new_intensity" => r.new_intensity.clone(),
            "new_simplifies" => r.new_simplifies.clone(),
            "new_similar" => r.new_similar.clone(),
            "imp_phone_model" => r.imp_phone_model.clone(),
            "imp_os_version" => r.imp_os_version.clone(),
            "imp_annoyance" => r.imp_annoyance.clone(),
            "imp_steps" => r.imp_steps.clone(),
            _ => String::new(),
        }
    };
    let lab = |key: &str| REPORT.label_of(key).unwrap_or("");
    // A | B | C | D: label, value, label, value (Chinese text is about two widths a character)
    for (col, width) in [(0u16, 12.0), (1, 30.0), (2, 12.0), (3, 30.0)] {
        ws.set_column_width(col, width)?;
    }
    ws.write_string_with_format(0, 0, REPORT.annex, &plain)?;
    // 需求类型 (not on the paper): filled forms say it, so one imported back keeps it
    if let Some(r) = req {
        let right = plain.clone().set_align(FormatAlign::Right);
        ws.write_string_with_format(0, 2, crate::excel::import::form::KIND_LABEL, &right)?;
        ws.write_string_with_format(0, 3, r.kind.label(), &plain)?;
    }
    ws.set_row_height(1, 40)?;
    ws.merge_range(1, 0, 1, 3, REPORT.title, &title)?;
    // the heading line, a label and a cell for each
    let pairs = |ws: &mut Worksheet, row: u32, a: (&str, String), b: (&str, String)| {
        ws.set_row_height(row, 24)?;
        ws.write_string_with_format(row, 0, a.0, &label_f)?;
        ws.write_string_with_format(row, 1, a.1, &value)?;
        ws.write_string_with_format(row, 2, b.0, &label_f)?;
        ws.write_string_with_format(row, 3, b.1, &value)?;
        Ok::<(), XlsxError>(())
    };
    pairs(
        ws,
        2,
        (lab("reporter"), get("reporter")),
        (lab("reporter_department"), get("reporter_department")),
    )?;
    pairs(
        ws,
        3,
        (lab("report_date"), get("report_date")),
        ("需求编号", get("number")),
    )?;
    pairs(
        ws,
        4,
        (lab("doctor_name"), get("doctor_name")),
        (lab("hospital"), get("hospital")),
    )?;
    pairs(
        ws,
        5,
        (lab("clinic_department"), get("clinic_department")),
        (lab("app_account"), get("app_account")),
    )?;
    // text areas as tall as the paper's, taller when the text needs it, continued on the next
    // rows (and pages) when one row cannot hold it (issue 20)
    let mut height = 15.0 + 40.0 + 4.0 * 24.0;
    let mut row = 6u32;
    for (key, least) in [("doctor_words", 110.0), ("overview", 60.0)] {
        let (next, h) = area(
            ws,
            row,
            (0, lab(key), &label_f),
            1,
            &get(key),
            72.0,
            least,
            &area_f,
        )?;
        row = next;
        height += h;
    }
    // 需求补充: the hint, 新需求补充's three questions, 改进需求补充's four
    let first = row;
    ws.set_row_height(first, 22)?;
    height += 22.0;
    ws.merge_range(
        first,
        1,
        first,
        3,
        &format!(
            "{}（{}）",
            crate::domain::forms::REPORT_SUPPLEMENT_NEW,
            crate::domain::forms::REPORT_SUPPLEMENT_HINT
        ),
        &section,
    )?;
    let mut row = first + 1;
    for key in ["new_intensity", "new_simplifies", "new_similar"] {
        let (next, h) = area(
            ws,
            row,
            (1, lab(key), &question),
            2,
            &get(key),
            42.0,
            48.0,
            &area_f,
        )?;
        row = next;
        height += h;
    }
    ws.set_row_height(row, 22)?;
    height += 22.0;
    ws.merge_range(
        row,
        1,
        row,
        3,
        &format!(
            "{}（{}）",
            crate::domain::forms::REPORT_SUPPLEMENT_IMPROVEMENT,
            crate::domain::forms::REPORT_IMPROVEMENT_HINT
        ),
        &section,
    )?;
    row += 1;
    for (key, least) in [
        ("imp_phone_model", 22.0),
        ("imp_os_version", 22.0),
        ("imp_annoyance", 48.0),
        ("imp_steps", 80.0),
    ] {
        let (next, h) = area(
            ws,
            row,
            (1, lab(key), &question),
            2,
            &get(key),
            42.0,
            least,
            &area_f,
        )?;
        row = next;
        height += h;
    }
    let last = row - 1;
    ws.merge_range(
        first,
        0,
        last,
        0,
        crate::domain::forms::REPORT_SUPPLEMENT,
        &label_f,
    )?;
    let (pages, note) = pages_note(REPORT.title, height, super::a4_portrait_height(0.8, 0.8));
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_margins(0.6, 0.6, 0.8, 0.8, 0.3, 0.3);
    ws.set_print_area(0, 0, last, 3)?;
    ws.set_print_fit_to_pages(1, if pages > 1 { 0 } else { 1 });
    ws.set_print_center_horizontally(true);
    Ok(note)
}
