//! Excel at the edges: importing legacy registers and forms, exporting the forms to print.
//! Knows nothing of Tauri and holds no SQL.

pub mod assessment;
pub mod bugs;
pub mod forms;
pub mod import;
pub mod monthly;
pub mod register;
pub mod save;

/// A workbook that could not be made, as the app's error (said in Chinese).
pub(crate) fn failed(e: rust_xlsxwriter::XlsxError) -> crate::Error {
    crate::Error::Io(std::io::Error::other(format!("生成表格失败：{e}")))
}

/// How many lines `text` takes in a wrapped cell `width` characters wide (Excel's column
/// width unit: one Latin character; a Chinese character takes two), at least one.
pub(crate) fn lines_in(text: &str, width: f64) -> usize {
    use unicode_width::UnicodeWidthStr;
    let per_line = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|line| ((line.width() as f64) / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_takes_two_columns_and_line_breaks_count() {
        assert_eq!(super::lines_in("", 10.0), 1);
        assert_eq!(super::lines_in("abcdefghi", 10.0), 1);
        assert_eq!(super::lines_in("药品说明书查询", 10.0), 2);
        assert_eq!(super::lines_in("1.登录\n2.进入", 10.0), 2);
    }
}
