//! Understanding legacy cell values: numbers, dates in every spelling people used, decisions,
//! grades, and delays written only in 备注 ("因实现难度大延期到7月25交付").

use super::read::Cell;
use crate::domain::dates::{normalize_width, parse_day};
use crate::domain::requirement::{Decision, Grade};
use chrono::{Datelike, Duration, NaiveDate};
use std::borrow::Cow;

/// Folds full-width digits, letters and the ideographic space; keeps Chinese punctuation (，。：).
pub fn fold_alnum(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Already trimmed, single-spaced and free of full-width digits/letters (the common case).
fn is_clean(s: &str) -> bool {
    let mut prev_space = true;
    for c in s.chars() {
        let space = c.is_whitespace();
        if (space && (prev_space || c != ' '))
            || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
        {
            return false;
        }
        prev_space = space;
    }
    !prev_space || s.is_empty()
}

/// A cell as trimmed text: full-width digits and letters folded, runs of white space made one.
pub fn text(cell: &Cell) -> String {
    text_ref(cell).into_owned()
}

/// `text`, borrowing the cell's own text when it is already clean (the common case): values
/// that are only looked at (a decision, a grade, a status) cost no copy.
pub fn text_ref(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Empty | Cell::Error(_) => Cow::Borrowed(""),
        Cell::Text(s) => text_of_str(s),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Cow::Owned(format!("{}", *n as i64))
        }
        Cell::Number(n) => Cow::Owned(n.to_string()),
        Cell::Date(d) => Cow::Owned(crate::domain::dates::iso(*d)),
        Cell::Bool(b) => Cow::Borrowed(if *b { "是" } else { "否" }),
    }
}

fn text_of_str(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            fold_alnum(s)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// Text that keeps its line breaks (医生原话 and other long answers).
pub fn long_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.trim().to_string(),
        other => text(other),
    }
}

/// A 需求编号 from a cell: `14061910`, `14061910.0`, ` １４０６１９１０ `.
pub fn number(cell: &Cell) -> String {
    let t = text_ref(cell);
    let t: String = if t.contains(' ') {
        t.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        t.into_owned()
    };
    // `14061910.0`: a number that went through another program as text
    match t.strip_suffix(".0") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.to_string()
        }
        _ => t,
    }
}

const EXCEL_EPOCH: (i32, u32, u32) = (1899, 12, 30);

/// The smallest number taken as an Excel serial day (1990-01-01): smaller numbers in a date
/// column are not days of these registers — `6.25` is 6月25日 typed and stored as a number.
const FIRST_SERIAL: f64 = 32_874.0;

/// `6.25` typed into a cell and stored by Excel as a number: month and day, when the digits
/// say which day it is (`7.1` may have been typed `7.10`: then it cannot be told).
fn month_dot_day(
    n: f64,
    year: i32,
    not_before: Option<NaiveDate>,
) -> Result<Option<NaiveDate>, String> {
    let s = format!("{n}");
    let unreadable = || format!("无法识别的日期“{s}”");
    let Some((m, d)) = s.split_once('.') else {
        return Err(unreadable());
    };
    if d.len() == 1 && matches!(d, "1" | "2" | "3") {
        return Err(format!(
            "日期“{s}”无法确定：Excel 把它存成了数字，可能是 {m}月{d}日，也可能是 {m}月{d}0日；\
             请在表中写成 {m}月{d}日 或 {m}月{d}0日"
        ));
    }
    month_day(&format!("{m}月{d}"), year, not_before)
        .map(Some)
        .ok_or_else(unreadable)
}

/// `14.6.20`, `14-06-20`: a two-digit year in a legacy register is this century's (the app's
/// own date fields do not guess).
fn two_digit_year(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    (parts.len() == 3 && parts[0].len() == 2)
        .then(|| parse_day(&format!("20{s}")))
        .flatten()
}

/// The day part of a day with a time (`2014-06-20 10:30`, `2014/6/20 10:30:00`).
fn without_time(s: &str) -> &str {
    match s.split_once([' ', 'T']) {
        Some((day, time)) if time.contains(':') => day,
        _ => s,
    }
}

fn serial_day(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let (y, m, d) = EXCEL_EPOCH;
    NaiveDate::from_ymd_opt(y, m, d)?.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// `6月25日`, `6月25`, `6.25` without a year: the year comes from context, rolling into the
/// next year when the day would fall before `not_before`.
fn month_day(s: &str, year: i32, not_before: Option<NaiveDate>) -> Option<NaiveDate> {
    let s = s.trim_end_matches(['日', '号']);
    let (m, d) = s
        .split_once('月')
        .or_else(|| s.split_once(['/', '.', '-']))?;
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !short(m) || !short(d) {
        return None;
    }
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let date = NaiveDate::from_ymd_opt(year, m, d)?;
    match not_before {
        Some(nb) if date < nb - Duration::days(31) => NaiveDate::from_ymd_opt(year + 1, m, d),
        _ => Some(date),
    }
}

/// A date from a cell in any of the spellings legacy registers use. `year` and `not_before`
/// place month-day spellings. Empty is `Ok(None)`; anything unreadable is the reason why.
pub fn date(
    cell: &Cell,
    year: i32,
    not_before: Option<NaiveDate>,
) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) => {
            let n = *n;
            if n.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(&n) {
                // 20140620 as a number: YYYYMMDD
                let n = n as u32;
                return NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100)
                    .map(Some)
                    .ok_or_else(|| format!("日期“{n}”不存在"));
            }
            if n >= FIRST_SERIAL {
                return serial_day(n)
                    .map(Some)
                    .ok_or_else(|| format!("无法识别的日期“{n}”"));
            }
            if n > 0.0 && n < 13.0 && n.fract() != 0.0 {
                return month_dot_day(n, year, not_before);
            }
            Err(format!("无法识别的日期“{n}”"))
        }
        Cell::Text(_) => {
            let s = text_ref(cell);
            if s.is_empty() {
                return Ok(None);
            }
            let compact: String = without_time(s.trim())
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            parse_day(&compact)
                .or_else(|| two_digit_year(&compact))
                .or_else(|| month_day(&compact, year, not_before))
                .map(Some)
                .ok_or_else(|| format!("无法识别的日期“{s}”"))
        }
        Cell::Bool(_) | Cell::Error(_) => Err(format!("无法识别的日期“{}”", text(cell))),
    }
}

pub fn decision(s: &str) -> Result<Option<Decision>, String> {
    if let Some(d) = Decision::parse(s) {
        return Ok(Some(d)); // the common case: a clean cell
    }
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(d) = Decision::parse(&s) {
        return Ok(Some(d));
    }
    match s.as_str() {
        "转换" | "需求转化" | "转化" | "转需求" => Ok(Some(Decision::Convert)),
        "要做" | "同意" => Ok(Some(Decision::Do)),
        "不予考虑" | "否决" => Ok(Some(Decision::DoNot)),
        "待议" | "再议中" | "待定" => Ok(Some(Decision::Discuss)),
        _ => Err(format!(
            "无法识别的决策结果“{s}”（应为 做 / 不做 / 再议 / 需求转换）"
        )),
    }
}

/// Where a note people added after a closed-list value starts ("做（已排期）", "不做-重复").
const NOTE_START: &[char] = &[
    '（', '(', '【', '[', '：', ':', '，', ',', '、', '；', ';', '-', '—', ' ',
];

/// A closed-list value followed by a note ("做（已排期）", "A 紧急"): the value and the note.
/// Tried only when the whole text is not a value; anything else keeps `parse`'s reason.
pub fn with_note<T>(
    s: &str,
    parse: impl Fn(&str) -> Result<Option<T>, String>,
) -> Result<(Option<T>, Option<String>), String> {
    let why = match parse(s) {
        Ok(v) => return Ok((v, None)),
        Err(why) => why,
    };
    let Some(at) = s.find(NOTE_START).filter(|at| *at > 0) else {
        return Err(why);
    };
    let (head, tail) = s.split_at(at);
    let note = tail.trim_matches(|c: char| {
        c.is_whitespace() || NOTE_START.contains(&c) || matches!(c, '）' | ')' | '】' | ']')
    });
    match parse(head.trim()) {
        Ok(Some(v)) => Ok((Some(v), (!note.is_empty()).then(|| note.to_string()))),
        _ => Err(why),
    }
}

pub fn grade(s: &str) -> Result<Option<Grade>, String> {
    if let Some(g) = Grade::parse(s) {
        return Ok(Some(g)); // the common case: a clean cell
    }
    let s: String = normalize_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let s = s.trim_end_matches('级');
    if s.is_empty() {
        return Ok(None);
    }
    Grade::parse(s)
        .map(Some)
        .ok_or_else(|| format!("无法识别的需求分级“{s}”（应为 A / B / C / D）"))
}

/// What a 备注 says: approved delays with their new date and reason, and the rest of the text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Remark {
    pub delays: Vec<(NaiveDate, String)>,
    pub rest: String,
}

/// Finds "…延期到7月25交付" notes; the year comes from `year`, rolled over after `not_before`.
pub fn remark(s: &str, year: i32, not_before: Option<NaiveDate>) -> Result<Remark, String> {
    let mut out = Remark::default();
    if !s.contains(['延', '推']) {
        out.rest = text_of_str(s)
            .trim_matches(['，', ',', '；', ';', '。', ' '])
            .to_string();
        return Ok(out);
    }
    let s = fold_alnum(s);
    let mut rest = String::new();
    let mut tail: &str = &s;
    while let Some(pos) = ["延期到", "延期至", "延至", "推迟到"]
        .iter()
        .filter_map(|k| tail.find(k).map(|p| (p, *k)))
        .min()
    {
        let (at, key) = pos;
        // The clause starts at the first 因 (the reason) after the last separator before the
        // keyword, else at the keyword: "因客户原因延期到…" keeps 客户原因.
        let before = &tail[..at];
        let clause = before
            .rfind(['，', ',', '；', ';', ' ', '。'])
            .map(|p| p + before[p..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let clause_start = before[clause..]
            .find('因')
            .map(|p| clause + p)
            .unwrap_or(at);
        let mut reason = before[clause_start..]
            .trim_start_matches('因')
            .trim()
            .to_string();
        let after = &tail[at + key.len()..];
        let mut end = after.find("交付").map(|e| e + "交付".len());
        // earlier versions of Genjin put the reason after: "延期到7月25日交付（实现难度大）".
        if let Some(e) = end {
            let next = after[e..].trim_start();
            let skipped = after[e..].len() - next.len();
            if let Some(open) = next.chars().next().filter(|c| ['（', '('].contains(c)) {
                let inner = &next[open.len_utf8()..];
                // a bracket after a reason given before (因…) is a note of its own: it stays
                if let Some(close) = inner.find(['）', ')']).filter(|_| reason.is_empty()) {
                    reason = inner[..close].trim().to_string();
                    let close_len = inner[close..].chars().next().map_or(1, char::len_utf8);
                    end = Some(e + skipped + open.len_utf8() + close + close_len);
                }
            }
        }
        let date_text = match after.find("交付") {
            Some(e) => &after[..e],
            None => after
                .split([' ', '，', ',', '；', ';'])
                .next()
                .unwrap_or(""),
        };
        let day = date(&Cell::Text(date_text.to_string()), year, not_before)
            .ok()
            .flatten()
            .ok_or_else(|| format!("备注中的延期日期“{}”无法识别", date_text.trim()))?;
        out.delays.push((day, reason));
        rest.push_str(&tail[..clause_start]);
        let consumed = end.unwrap_or(date_text.len());
        tail = &after[consumed..];
    }
    rest.push_str(tail);
    // Clauses taken out leave their separators behind: keep one of each run.
    let mut joined = String::with_capacity(rest.len());
    for c in rest.chars() {
        let sep = |c: char| ['，', ',', '；', ';'].contains(&c);
        if sep(c) && joined.trim_end().chars().last().is_some_and(sep) {
            continue;
        }
        joined.push(c);
    }
    out.rest = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    out.rest = out
        .rest
        .trim_matches(['，', ',', '；', ';', '。', ' '])
        .to_string();
    Ok(out)
}

/// The year a requirement number was received in (`14061910` → 2014), for month-day dates.
pub fn year_of(received: NaiveDate) -> i32 {
    received.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_date_spelling() {
        let nb = Some(d(2014, 6, 19));
        let t = |s: &str| date(&Cell::Text(s.into()), 2014, nb);
        for s in [
            "2014-06-20",
            "2014/6/20",
            "2014.6.20",
            "2014年6月20日",
            "20140620",
            "２０１４－０６－２０",
            " 2014-06-20 ",
        ] {
            assert_eq!(t(s), Ok(Some(d(2014, 6, 20))), "{s}");
        }
        assert_eq!(t("6月25日"), Ok(Some(d(2014, 6, 25))));
        for s in ["6/25", "6.25", "06-25", "6月25号"] {
            assert_eq!(t(s), Ok(Some(d(2014, 6, 25))), "{s}");
        }
        for s in [
            "14.6.20",
            "14-06-20",
            "2014-06-20 10:30",
            "2014/6/20 10:30:00",
            "2014-06-20T10:30:00",
        ] {
            assert_eq!(t(s), Ok(Some(d(2014, 6, 20))), "{s}");
        }
        assert!(t("6/25/2014").is_err(), "not a spelling of these registers");
        assert!(t("2014.6").is_err());
        assert_eq!(t("7月25"), Ok(Some(d(2014, 7, 25))));
        assert_eq!(
            date(&Cell::Text("1月5日".into()), 2014, Some(d(2014, 12, 20))),
            Ok(Some(d(2015, 1, 5))),
            "rolls into the next year"
        );
        assert_eq!(
            date(&Cell::Number(20140620.0), 2014, nb),
            Ok(Some(d(2014, 6, 20)))
        );
        assert_eq!(
            date(&Cell::Number(42098.0), 2015, None),
            Ok(Some(d(2015, 4, 4))),
            "1900-system serial"
        );
        assert_eq!(
            date(&Cell::Date(d(2015, 4, 4)), 2015, None),
            Ok(Some(d(2015, 4, 4)))
        );
        assert_eq!(date(&Cell::Empty, 2014, None), Ok(None));
        assert_eq!(t(""), Ok(None));
        assert!(t("下周").unwrap_err().contains("下周"));
        assert!(date(&Cell::Number(20141340.0), 2014, nb).is_err());
        // 6.25 typed, kept by Excel as a number: 6月25日, not 1900-01-05
        let n = |x: f64| date(&Cell::Number(x), 2014, nb);
        assert_eq!(n(6.25), Ok(Some(d(2014, 6, 25))));
        assert_eq!(n(7.05), Ok(Some(d(2014, 7, 5))));
        assert_eq!(
            n(6.5),
            Ok(Some(d(2014, 6, 5))),
            "6.50 is no day: 6.5 is June 5"
        );
        let e = n(7.1).unwrap_err();
        assert!(e.contains("7月1日") && e.contains("7月10日"), "{e}");
        assert!(n(25.0).is_err(), "no serial day of these registers");
        assert!(n(13.5).is_err());
        assert!(t("2014-02-30").is_err());
    }

    #[test]
    fn clean_text_is_recognised() {
        for (s, clean) in [
            ("问卷 自动计分", true),
            ("", true),
            (" a", false),
            ("a ", false),
            ("a  b", false),
            ("a\tb", false),
            ("１", false),
            ("a b", true),
        ] {
            assert_eq!(is_clean(s), clean, "{s:?}");
            if clean {
                assert_eq!(text(&Cell::Text(s.into())), s);
            }
        }
    }

    #[test]
    fn text_keeps_chinese_punctuation() {
        assert_eq!(
            text(&Cell::Text(" 能不能，自动算分？ＡＢ１２\u{3000}好 ".into())),
            "能不能，自动算分？AB12 好"
        );
    }

    #[test]
    fn numbers_decisions_and_grades() {
        assert_eq!(number(&Cell::Number(14061910.0)), "14061910");
        assert_eq!(number(&Cell::Text(" １４０６１９１０ ".into())), "14061910");
        assert_eq!(number(&Cell::Text("14061910.0".into())), "14061910");
        assert_eq!(number(&Cell::Text("201406-001".into())), "201406-001");
        assert_eq!(number(&Cell::Text(".0".into())), ".0");
        assert_eq!(decision(" 需求转换 "), Ok(Some(Decision::Convert)));
        assert_eq!(decision("转换"), Ok(Some(Decision::Convert)));
        assert_eq!(decision(""), Ok(None));
        assert!(decision("也许").unwrap_err().contains("也许"));
        assert_eq!(grade("ａ"), Ok(Some(Grade::A)));
        assert_eq!(grade("B级"), Ok(Some(Grade::B)));
        assert!(grade("E").is_err());
        assert_eq!(
            with_note("做（已排期）", decision),
            Ok((Some(Decision::Do), Some("已排期".into())))
        );
        assert_eq!(
            with_note("不做-重复需求", decision),
            Ok((Some(Decision::DoNot), Some("重复需求".into())))
        );
        assert_eq!(with_note("做", decision), Ok((Some(Decision::Do), None)));
        assert_eq!(with_note("", decision), Ok((None, None)));
        assert_eq!(
            with_note("A 紧急", grade),
            Ok((Some(Grade::A), Some("紧急".into())))
        );
        assert_eq!(
            with_note("做（）", decision),
            Ok((Some(Decision::Do), None))
        );
        let why = with_note("也许（再看看）", decision).unwrap_err();
        assert!(
            why.contains("也许（再看看）"),
            "the whole text is named: {why}"
        );
        assert!(with_note("（做）", decision).is_err());
    }

    #[test]
    fn delays_in_remarks() {
        let r = remark("因实现难度大延期到7月25交付", 2014, Some(d(2014, 6, 25))).unwrap();
        assert_eq!(r.delays, vec![(d(2014, 7, 25), "实现难度大".to_string())]);
        assert_eq!(r.rest, "");
        // a reason with 因 inside it (原因) is kept whole, as Genjin writes it (issue 20)
        let r = remark(
            "改病友圈；因客户原因、需联调延期到7月25日交付；见邮件",
            2014,
            Some(d(2014, 6, 25)),
        )
        .unwrap();
        assert_eq!(
            r.delays,
            vec![(d(2014, 7, 25), "客户原因、需联调".to_string())]
        );
        assert_eq!(r.rest, "改病友圈；见邮件");
        let r = remark(
            "因实现难度大延期到8月27交付 改为科室公告置顶",
            2014,
            Some(d(2014, 8, 4)),
        )
        .unwrap();
        assert_eq!(r.delays, vec![(d(2014, 8, 27), "实现难度大".to_string())]);
        assert_eq!(r.rest, "改为科室公告置顶");
        let r = remark("改病友圈为独立模块", 2014, None).unwrap();
        assert!(r.delays.is_empty());
        assert_eq!(r.rest, "改病友圈为独立模块");
        let r = remark(
            "改病友圈；延期到7月25日交付（实现难度大）；延期到8月1日交付(联调)；见邮件",
            2014,
            Some(d(2014, 6, 25)),
        )
        .unwrap();
        assert_eq!(
            r.delays,
            vec![
                (d(2014, 7, 25), "实现难度大".to_string()),
                (d(2014, 8, 1), "联调".to_string())
            ]
        );
        assert_eq!(r.rest, "改病友圈；见邮件");
        let r = remark(
            "因实现难度大延期到7月25交付(已告知医生)",
            2014,
            Some(d(2014, 6, 25)),
        )
        .unwrap();
        assert_eq!(r.delays, vec![(d(2014, 7, 25), "实现难度大".to_string())]);
        assert_eq!(r.rest, "(已告知医生)", "a note of its own is kept");
        let r = remark("延期到2015年1月10日交付", 2014, Some(d(2014, 12, 20))).unwrap();
        assert_eq!(r.delays[0].0, d(2015, 1, 10));
        assert!(remark("因故延期到下个月交付", 2014, None).is_err());
    }
}
