//! The 月度考核表 as a workbook (issue 12): one sheet of totals per person, one of the evidence
//! (every late step with its rule, the rule in words, record, due and done times, what happened
//! and the deduction with why). An unfinished month says up to when it counts (issue 19).

use crate::domain::assessment::Assessment;
use crate::error::Result;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use super::failed;

/// The assessment `a` as a workbook.
pub fn assessment_book(a: &Assessment) -> Result<Vec<u8>> {
    let month_label = &a.month;
    let sheets = &a.sheets;
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#EEF2F5");
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let wrap = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let title = Format::new().set_bold().set_font_size(14);
    // rows as tall as their wrapped text (11 pt: 15 pt a line), within Excel's 409 pt limit
    let height = |lines: usize| (15.0 * lines as f64 + 2.0).min(409.0);
    let totals = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name("合计")?;
        ws.write_string_with_format(0, 0, format!("月度考核表（{month_label}）"), &title)?;
        ws.write_string(1, 0, &a.note)?;
        for (c, (h, w)) in [
            ("姓名", 14.0),
            ("扣款（元）", 12.0),
            ("无绩效", 10.0),
            ("未按时（项）", 12.0),
            ("无绩效的原因", 60.0),
        ]
        .iter()
        .enumerate()
        {
            ws.set_column_width(c as u16, *w)?;
            ws.write_string_with_format(2, c as u16, *h, &head)?;
        }
        for (i, s) in sheets.iter().enumerate() {
            let r = 3 + i as u32;
            let why = s.no_pay_because.join("；");
            ws.write_string_with_format(r, 0, &s.name, &cell)?;
            ws.write_number_with_format(r, 1, f64::from(s.deduction), &cell)?;
            ws.write_string_with_format(r, 2, if s.no_performance_pay { "是" } else { "" }, &cell)?;
            ws.write_number_with_format(r, 3, s.late_steps as f64, &cell)?;
            ws.write_string_with_format(r, 4, &why, &wrap)?;
            ws.set_row_height(r, height(super::printed_lines(&why, 60.0)))?;
        }
        // 合计, then who checked and who approved it, signed on paper (issue 20)
        let total_row = 3 + sheets.len() as u32;
        let bold_cell = cell.clone().set_bold();
        ws.write_string_with_format(total_row, 0, "合计", &bold_cell)?;
        let deducted: u32 = sheets.iter().map(|s| s.deduction).sum();
        let late: usize = sheets.iter().map(|s| s.late_steps).sum();
        let no_pay = sheets.iter().filter(|s| s.no_performance_pay).count();
        ws.write_number_with_format(total_row, 1, f64::from(deducted), &bold_cell)?;
        ws.write_string_with_format(total_row, 2, format!("{no_pay} 人"), &bold_cell)?;
        ws.write_number_with_format(total_row, 3, late as f64, &bold_cell)?;
        ws.write_string_with_format(total_row, 4, "", &cell)?;
        let sign = total_row + 2;
        ws.set_row_height(sign, 30)?;
        ws.write_string(sign, 0, "审核：")?;
        ws.write_string(sign, 1, "________________")?;
        ws.write_string(sign, 3, "批准：")?;
        ws.write_string(sign, 4, "________________　　日期：____年__月__日")?;
        // one page wide, landscape, as the evidence
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        Ok(())
    };
    totals(book.add_worksheet()).map_err(failed)?;
    let evidence = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name("明细")?;
        let cols = [
            ("姓名", 14.0),
            ("规则", 30.0),
            ("规则说明", 40.0),
            ("记录", 14.0),
            ("到期", 17.0),
            ("完成", 17.0),
            ("情况", 26.0),
            ("扣款（元）", 10.0),
            ("后果", 30.0),
        ];
        for (c, (h, w)) in cols.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
            ws.write_string_with_format(0, c as u16, *h, &head)?;
        }
        let mut r = 1;
        for s in sheets {
            for l in &s.lines {
                // as tall as its longest wrapped cell (the rule in words, what happened, why)
                let lines = [
                    (&l.rule, 30.0),
                    (&l.explain, 40.0),
                    (&l.reason, 26.0),
                    (&l.consequence, 30.0),
                ]
                .iter()
                .map(|(t, w)| super::lines_in(t, *w))
                .max()
                .unwrap_or(1);
                ws.set_row_height(r, height(lines))?;
                ws.write_string_with_format(r, 0, &s.name, &cell)?;
                ws.write_string_with_format(r, 1, &l.rule, &wrap)?;
                ws.write_string_with_format(r, 2, &l.explain, &wrap)?;
                ws.write_string_with_format(r, 3, &l.record, &cell)?;
                ws.write_string_with_format(r, 4, &l.due_text, &cell)?;
                ws.write_string_with_format(r, 5, &l.done_text, &cell)?;
                ws.write_string_with_format(r, 6, &l.reason, &wrap)?;
                ws.write_number_with_format(r, 7, f64::from(l.deduction), &cell)?;
                ws.write_string_with_format(r, 8, &l.consequence, &wrap)?;
                r += 1;
            }
        }
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;
        Ok(())
    };
    evidence(book.add_worksheet()).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}
