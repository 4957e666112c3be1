//! 附表3 需求登记反馈表 as a spreadsheet (issue 11, SPEC §8): the policy's columns
//! (`domain::forms::REGISTER`) and date style (`20140620`), A4 landscape fitted to the page
//! width, title and header repeated on every printed page, the header frozen, rows as tall as
//! their wrapped text. The weekly report highlights (标黄) the rows to be decided.

use crate::domain::dates;
use crate::domain::forms::REGISTER;
use crate::error::Result;
use crate::views::RegisterRow;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::failed;

/// How often (rows) an export reports progress.
const PROGRESS_EVERY: usize = 2_000;

/// The register of `rows` as an `.xlsx` titled `title`; rows for which `highlight` holds are
/// filled yellow. `progress(done, total)` is called as rows are written. Values are written as
/// text cells, so a 梗概 starting with `=` stays text. Errors: `Io` if the workbook cannot be
/// made.
pub fn register_book(
    title: &str,
    rows: &[RegisterRow],
    highlight: &dyn Fn(&RegisterRow) -> bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let mut build = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name(REGISTER.title)?;
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
        let marked = cell.clone().set_background_color(Color::Yellow);
        let cols = REGISTER.fields;
        let last = cols.len() as u16 - 1;
        let title_f = font(Format::new())
            .set_font_size(16)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        ws.set_row_height(0, 30)?;
        ws.merge_range(0, 0, 0, last, title, &title_f)?;
        let height = |lines: usize| (13.5 * lines as f64 + 2.0).min(409.0);
        let width = |f: &crate::domain::forms::Field| f64::from(f.width.max(6));
        for (c, f) in cols.iter().enumerate() {
            ws.set_column_width(c as u16, width(f))?;
            ws.write_string_with_format(1, c as u16, f.label, &head)?;
        }
        ws.set_row_height(1, 20)?;
        let total = rows.len();
        // values first, unformatted; the formats are then laid over whole ranges — one format
        // lookup per range instead of one per cell (the per-cell lookup was 0.7× of a plain
        // write: see BENCHMARKS.md)
        let mut marked_rows: Vec<u32> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let row = 2 + i as u32;
            if highlight(r) {
                marked_rows.push(row);
            }
            let mut lines = 1;
            for (c, f) in cols.iter().enumerate() {
                let raw = r.value(f.key).unwrap_or("");
                let text = if f.day {
                    dates::from_iso(raw).map(dates::compact).unwrap_or_default()
                } else {
                    raw.to_string()
                };
                if f.width >= 20 {
                    lines = lines.max(super::lines_in(&text, width(f)));
                }
                ws.write_string(row, c as u16, text)?;
            }
            if lines > 1 {
                ws.set_row_height(row, height(lines))?;
            }
            if (i + 1) % PROGRESS_EVERY == 0 {
                // the rows are most of the work, packing the file the rest: shown as the last 10 %
                progress((i + 1) * 9 / 10, total);
            }
        }
        if total > 0 {
            ws.set_range_format(2, 0, 1 + total as u32, last, &cell)?;
        }
        for row in marked_rows {
            ws.set_range_format(row, 0, row, last, &marked)?;
        }
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 1)?;
        ws.set_freeze_panes(2, 0)?;
        Ok(())
    };
    build(ws).map_err(failed)?;
    let bytes = book.save_to_buffer().map_err(failed)?;
    progress(rows.len(), rows.len());
    Ok(bytes)
}
