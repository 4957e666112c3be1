//! The 需求收集处理月度总结 as a workbook (issue 11, SPEC §9): the month's figures and the
//! reporters' ranking as tables, with native Excel charts drawn from them (decisions by result,
//! adoption by reporter), and a sheet of the twelve months' trends with its chart.

use crate::domain::monthly::MonthSummary;
use crate::error::Result;
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::failed;

/// The summary sheet's name (the charts' ranges name it).
pub const SUMMARY_SHEET: &str = "月度总结";
/// The trends sheet's name.
pub const TRENDS_SHEET: &str = "近12个月";

/// The month's figures as (label, count), in the order the report lists them.
pub fn figures(s: &MonthSummary) -> Vec<(&'static str, usize)> {
    vec![
        ("提交", s.submitted),
        ("决策：做", s.decided.r#do),
        ("决策：不做", s.decided.do_not),
        ("决策：再议", s.decided.discuss),
        ("决策：需求转换", s.decided.convert),
        ("完成", s.completed),
        ("延期", s.delayed),
        ("逾期（月末）", s.overdue),
    ]
}

/// The workbook of `summary` and `trend` (the twelve months up to it, oldest first).
pub fn monthly_book(summary: &MonthSummary, trend: &[MonthSummary]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let font = |f: Format| f.set_font_name("宋体").set_font_size(11);
    let head = font(Format::new())
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#EEF2F5");
    let cell = font(Format::new()).set_border(FormatBorder::Thin);
    let percent = cell.clone().set_num_format("0.0%");
    let title = font(Format::new()).set_font_size(16).set_bold();
    let (y, m) = (summary.month.year, summary.month.month);

    let ws = book.add_worksheet();
    let build = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name(SUMMARY_SHEET)?;
        ws.write_string_with_format(0, 0, format!("需求收集处理月度总结（{y}年{m}月）"), &title)?;
        ws.set_column_width(0, 16)?;
        for c in 1..6u16 {
            ws.set_column_width(c, 10)?;
        }
        ws.write_string_with_format(2, 0, "项目", &head)?;
        ws.write_string_with_format(2, 1, "数量", &head)?;
        let figs = figures(summary);
        for (i, (label, n)) in figs.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string_with_format(r, 0, *label, &cell)?;
            ws.write_number_with_format(r, 1, *n as f64, &cell)?;
        }
        // decisions by result: rows 4..=7 (决策：做 … 需求转换)
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("本月决策结果");
        chart
            .add_series()
            .set_name("决策")
            .set_categories((SUMMARY_SHEET, 4, 0, 7, 0))
            .set_values((SUMMARY_SHEET, 4, 1, 7, 1));
        chart.legend().set_hidden();
        // counts are whole numbers (issue 20: the axis read 0.5, 1.5)
        let most = figs
            .iter()
            .skip(1)
            .take(4)
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0);
        whole_numbers(chart.y_axis(), most);
        // charts right of the tables (A–F), one under the other
        ws.insert_chart(2, 7, &chart)?;

        let top = 3 + figs.len() as u32 + 2;
        ws.write_string_with_format(
            top - 1,
            0,
            "按报告人（本月提交的需求，月末的决策）",
            &font(Format::new()).set_bold(),
        )?;
        for (c, h) in ["排名", "姓名", "提交", "已决策", "采纳", "采纳率"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(top, c as u16, *h, &head)?;
        }
        for (i, p) in summary.reporters.iter().enumerate() {
            let r = top + 1 + i as u32;
            ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
            ws.write_string_with_format(r, 1, &p.name, &cell)?;
            ws.write_number_with_format(r, 2, p.submitted as f64, &cell)?;
            ws.write_number_with_format(r, 3, p.decided as f64, &cell)?;
            ws.write_number_with_format(r, 4, p.adopted as f64, &cell)?;
            ws.write_number_with_format(r, 5, p.adoption_rate, &percent)?;
        }
        if !summary.reporters.is_empty() {
            let last = top + summary.reporters.len() as u32;
            let mut chart = Chart::new(ChartType::Bar);
            chart.title().set_name("采纳率（按报告人）");
            chart
                .add_series()
                .set_name("采纳率")
                .set_categories((SUMMARY_SHEET, top + 1, 1, last, 1))
                .set_values((SUMMARY_SHEET, top + 1, 5, last, 5));
            chart.legend().set_hidden();
            // a rate: 0 to 100 %, never beyond (issue 20); a bar chart's values run along x
            chart
                .x_axis()
                .set_num_format("0%")
                .set_min(0.0)
                .set_max(1.0)
                .set_major_unit(0.2);
            ws.insert_chart(top.max(18), 7, &chart)?;
        }
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(())
    };
    build(ws).map_err(failed)?;

    let ws = book.add_worksheet();
    let trends = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name(TRENDS_SHEET)?;
        ws.write_string_with_format(0, 0, format!("近 12 个月趋势（至 {y}年{m}月）"), &title)?;
        let cols = ["月份", "提交", "决策", "完成", "延期", "逾期（月末）"];
        for (c, h) in cols.iter().enumerate() {
            ws.set_column_width(c as u16, 12)?;
            ws.write_string_with_format(2, c as u16, *h, &head)?;
        }
        for (i, s) in trend.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string_with_format(r, 0, s.month.label(), &cell)?;
            for (c, n) in [
                s.submitted,
                s.decided.total(),
                s.completed,
                s.delayed,
                s.overdue,
            ]
            .iter()
            .enumerate()
            {
                ws.write_number_with_format(r, 1 + c as u16, *n as f64, &cell)?;
            }
        }
        if !trend.is_empty() {
            let last = 2 + trend.len() as u32;
            let mut chart = Chart::new(ChartType::Line);
            chart.title().set_name("近 12 个月");
            for c in 1..cols.len() as u16 {
                chart
                    .add_series()
                    .set_name((TRENDS_SHEET, 2, c))
                    .set_categories((TRENDS_SHEET, 3, 0, last, 0))
                    .set_values((TRENDS_SHEET, 3, c, last, c));
            }
            let most = trend
                .iter()
                .flat_map(|s| {
                    [
                        s.submitted,
                        s.decided.total(),
                        s.completed,
                        s.delayed,
                        s.overdue,
                    ]
                })
                .max()
                .unwrap_or(0);
            whole_numbers(chart.y_axis(), most);
            chart.set_width(720).set_height(360);
            ws.insert_chart(2, 7, &chart)?;
        }
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(())
    };
    trends(ws).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}

/// A count axis in whole numbers from 0: about five steps up to `most`, never a half.
fn whole_numbers(axis: &mut rust_xlsxwriter::ChartAxis, most: usize) {
    let step = (most as f64 / 5.0).ceil().max(1.0);
    axis.set_num_format("0")
        .set_min(0.0)
        .set_major_unit(step)
        .set_max((most as f64 / step).ceil().max(1.0) * step);
}
