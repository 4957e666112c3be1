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

/// How much narrower than `lines_in` reckons a printed line may come out (the printing
/// program's CJK font may be wider than two columns a character): texts cut to fit a row are
/// cut this much shorter, so nothing is clipped on paper.
const PRINT_MARGIN: f64 = 0.85;

/// The printed lines `text` takes in a column `width` wide, with the printing margin.
pub(crate) fn printed_lines(text: &str, width: f64) -> usize {
    lines_in(text, width * PRINT_MARGIN)
}

/// `text` cut verbatim (the pieces put together give it back exactly) into pieces of at most
/// `max_lines` printed lines in a column `width` wide, at the ends of printed lines — so a
/// long text continues on the next rows instead of being cut off at one row's height (issue
/// 20). Always at least one piece.
pub(crate) fn chunks(text: &str, width: f64, max_lines: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let per_line = (width * PRINT_MARGIN - 1.0).max(1.0);
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let (mut lines, mut used) = (1usize, 0f64);
    for c in text.chars() {
        let w = c.width().unwrap_or(0) as f64;
        // a character that no longer fits starts a printed line
        if c != '\n' && used + w > per_line {
            lines += 1;
            used = 0.0;
            if lines > max_lines {
                pieces.push(std::mem::take(&mut piece));
                lines = 1;
            }
        }
        piece.push(c);
        if c == '\n' {
            lines += 1;
            used = 0.0;
            if lines > max_lines {
                pieces.push(std::mem::take(&mut piece));
                lines = 1;
            }
        } else {
            used += w;
        }
    }
    if !piece.is_empty() || pieces.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// A4 portrait's printable height in points at 100 % for margins `top` + `bottom` inches.
pub(crate) fn a4_portrait_height(top: f64, bottom: f64) -> f64 {
    (11.69 - top - bottom) * 72.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_texts_are_cut_verbatim_into_pieces_of_whole_lines() {
        let text = format!("{}\n{}", "医".repeat(100), "生".repeat(30));
        let pieces = super::chunks(&text, 20.0, 3);
        assert_eq!(pieces.concat(), text, "nothing lost");
        assert!(pieces.len() > 1);
        for p in &pieces {
            assert!(
                super::printed_lines(p.trim_end_matches('\n'), 20.0) <= 3,
                "{p:?}"
            );
        }
        assert_eq!(super::chunks("", 20.0, 3), [""]);
        assert_eq!(super::chunks("短", 20.0, 3), ["短"]);
    }

    #[test]
    fn chinese_takes_two_columns_and_line_breaks_count() {
        assert_eq!(super::lines_in("", 10.0), 1);
        assert_eq!(super::lines_in("abcdefghi", 10.0), 1);
        assert_eq!(super::lines_in("药品说明书查询", 10.0), 2);
        assert_eq!(super::lines_in("1.登录\n2.进入", 10.0), 2);
    }
}
