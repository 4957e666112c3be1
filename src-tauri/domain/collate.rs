//! How Chinese names are ordered: by pinyin, as Excel and WPS sort them (issue 20: by
//! character code 严宝, 余建红, 冯军, 刘小妹 came out in that order; by pinyin it is 冯军, 刘小妹,
//! 严宝, 余建红). The store registers [`pinyin_cmp`] as SQLite's `PINYIN` collation.

use pinyin::ToPinyin;
use std::cmp::Ordering;

/// One character's sort key: its pinyin (first reading, no tone) for a Chinese character, else
/// the character itself lowercased; Latin letters and digits sort among the pinyin as they
/// read.
fn key(c: char) -> (String, char) {
    match c.to_pinyin() {
        Some(p) => (p.plain().to_string(), c),
        None => (c.to_lowercase().collect(), c),
    }
}

/// Compares two texts by pinyin, character by character; the same reading is ordered by the
/// character, and a text that is a prefix of the other comes first.
pub fn pinyin_cmp(a: &str, b: &str) -> Ordering {
    let mut x = a.chars();
    let mut y = b.chars();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c == d => continue,
            (Some(c), Some(d)) => match key(c).cmp(&key(d)) {
                Ordering::Equal => continue,
                other => return other,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_excel_and_wps_sort_them() {
        let mut names = vec!["严宝", "余建红", "冯军", "刘小妹", "刘晓", "Amy", "阿美"];
        names.sort_by(|a, b| pinyin_cmp(a, b));
        assert_eq!(
            names,
            ["Amy", "阿美", "冯军", "刘小妹", "刘晓", "严宝", "余建红"]
        );
        assert_eq!(pinyin_cmp("刘", "刘小妹"), Ordering::Less);
        assert_eq!(pinyin_cmp("王五", "王五"), Ordering::Equal);
    }
}
