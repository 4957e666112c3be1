//! The 月度考核表 as a workbook (issue 12): one sheet of totals per person, one of the evidence
//! (every late step with its rule, record, due and done times, how late and the deduction).

use crate::domain::assessment::Sheet;
use crate::domain::dates::minute;
use crate::error::Result;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use super::failed;

/// The assessment of `month_label` (`2014-06`).
pub fn assessment_book(month_label: &str, sheets: &[Sheet]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#EEF2F5");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14);
    let totals = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name("合计")?;
        ws.write_string_with_format(0, 0, format!("月度考核表（{month_label}）"), &title)?;
        for (c, (h, w)) in [
            ("姓名", 14.0),
            ("扣款（元）", 12.0),
            ("无绩效", 10.0),
            ("未按时（项）", 12.0),
        ]
        .iter()
        .enumerate()
        {
            ws.set_column_width(c as u16, *w)?;
            ws.write_string_with_format(2, c as u16, *h, &head)?;
        }
        for (i, s) in sheets.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string_with_format(r, 0, &s.name, &cell)?;
            ws.write_number_with_format(r, 1, f64::from(s.deduction), &cell)?;
            ws.write_string_with_format(r, 2, if s.no_performance_pay { "是" } else { "" }, &cell)?;
            ws.write_number_with_format(r, 3, s.late_steps as f64, &cell)?;
        }
        Ok(())
    };
    totals(book.add_worksheet()).map_err(failed)?;
    let evidence = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name("明细")?;
        let cols = [
            ("姓名", 14.0),
            ("规则", 30.0),
            ("记录", 14.0),
            ("到期", 17.0),
            ("完成", 17.0),
            ("迟了", 10.0),
            ("扣款（元）", 10.0),
        ];
        for (c, (h, w)) in cols.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
            ws.write_string_with_format(0, c as u16, *h, &head)?;
        }
        let mut r = 1;
        for s in sheets {
            for l in &s.lines {
                ws.write_string_with_format(r, 0, &s.name, &cell)?;
                ws.write_string_with_format(r, 1, &l.rule, &cell)?;
                ws.write_string_with_format(r, 2, &l.record, &cell)?;
                ws.write_string_with_format(r, 3, minute(&l.due), &cell)?;
                ws.write_string_with_format(
                    r,
                    4,
                    l.done.as_ref().map(minute).unwrap_or_default(),
                    &cell,
                )?;
                ws.write_string_with_format(r, 5, &l.late_by, &cell)?;
                ws.write_number_with_format(r, 6, f64::from(l.deduction), &cell)?;
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
