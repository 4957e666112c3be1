//! The paper forms as spreadsheets that print right from Excel or WPS untouched (SPEC §8): every
//! border, merged cell, print area, margin and the A4 portrait fit-to-one-page are set in the
//! file. Labels come from `domain::forms`; values are written as text (never as formulas).

use crate::domain::dates;
use crate::domain::delay::{DelayState, Opinion, SignLevel};
use crate::domain::forms::{DELAY, DELAY_OPINIONS};
use crate::error::{Error, Result};
use crate::store::DelayView;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

fn failed(e: XlsxError) -> Error {
    Error::Io(std::io::Error::other(format!("生成表格失败：{e}")))
}

/// The last row of 附表1's print area (0-based): title, heading line, table head and values,
/// 延期原因, then two rows per signature level.
pub const DELAY_LAST_ROW: u32 = 11;

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
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(DELAY.title).map_err(failed)?;
    write_delay(sheet, delay).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}

fn write_delay(
    ws: &mut Worksheet,
    delay: Option<&DelayView>,
) -> std::result::Result<(), XlsxError> {
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

    // 延期原因: a tall box
    ws.set_row_height(5, 190)?;
    ws.write_string_with_format(5, 0, label("reason"), &head)?;
    let reason = delay.map(|d| d.reason.clone()).unwrap_or_default();
    ws.merge_range(5, 1, 5, 3, &reason, &top_left)?;

    // 领导意见: three areas, each room to write and then the signature line with 年 月 日
    ws.merge_range(6, 0, DELAY_LAST_ROW, 0, DELAY_OPINIONS, &head)?;
    let keys = ["signoff_direct", "signoff_department", "signoff_gm_office"];
    for (i, (level, key)) in SignLevel::ALL.iter().zip(keys).enumerate() {
        let row = 6 + 2 * i as u32;
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

    // print: A4 portrait, one page, centred, the form's cells only
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_margins(0.7, 0.7, 0.75, 0.75, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, DELAY_LAST_ROW, 3)?;
    ws.set_screen_gridlines(false);
    Ok(())
}
