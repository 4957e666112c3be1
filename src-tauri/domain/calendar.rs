//! The working-day calendar the deadlines are counted in (SPEC §6 时间节点: "N 个工作日").
//!
//! A day is a working day when it is a weekday and not a listed holiday, or when it is a listed
//! make-up workday (调休: a Saturday or Sunday worked in exchange for a holiday). The holiday
//! list is kept by people (the State Council publishes it each December); see
//! `store::calendar` for where it is stored and `CalendarMode` for counting plain days instead.

use super::settings::Setting;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeMap;

labelled_enum!(
    /// How a listed day differs from the weekday rule.
    DayKind {
        Holiday = "holiday", "节假日";
        Workday = "workday", "调休上班";
    }
);

labelled_enum!(
    /// Whether deadlines count working days or calendar days (a setting).
    CalendarMode {
        WorkingDays = "working_days", "工作日";
        CalendarDays = "calendar_days", "自然日";
    }
);

/// One day a pasted holiday notice lists (issue 20), with the line it came from (1-based).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoticeDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    pub line: usize,
}

/// A line of a pasted notice that lists no day, said with why (nothing is dropped silently).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoticeSkip {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// The longest range one line may list (the Spring Festival is 8–9 days).
const NOTICE_RANGE_MAX_DAYS: i64 = 31;

/// Reads a year's holiday notice as people paste it, one entry a line: `2025-10-01 至
/// 2025-10-08 国庆节` (a range: every day a holiday), `2025-09-28 调休上班` (a make-up workday:
/// the name says 上班 or 补班), `2025-01-01 元旦`; dates as people write them (`2025/10/1`,
/// `2025年10月1日`), ranges with 至, 到, ~ or a lone -. Blank lines are passed over; any other
/// line without a day is returned as skipped, with why.
pub fn parse_notice(text: &str) -> (Vec<NoticeDay>, Vec<NoticeSkip>) {
    let mut days = Vec::new();
    let mut skipped = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let skip = |reason: &str| NoticeSkip {
            line,
            text: trimmed.to_string(),
            reason: reason.to_string(),
        };
        let spaced = super::dates::normalize_width(trimmed)
            .replace(['至', '到', '~', '～', '—', '–'], " 至 ")
            .replace(['，', ',', '；', ';', '、', '：', ':'], " ");
        let mut dates: Vec<NaiveDate> = Vec::new();
        let mut range = false;
        let mut words: Vec<&str> = Vec::new();
        for token in spaced.split_whitespace() {
            if token == "至" || token == "-" {
                range = true;
                continue;
            }
            match date_prefix(token) {
                Some((d, rest)) => {
                    dates.push(d);
                    if !rest.is_empty() {
                        words.push(rest);
                    }
                }
                _ => words.push(token),
            }
        }
        let name = words.join(" ");
        let kind = if name.contains("上班") || name.contains("补班") {
            DayKind::Workday
        } else {
            DayKind::Holiday
        };
        let (first, last) = match (dates.as_slice(), range) {
            ([], _) => {
                skipped.push(skip("没有可识别的日期（例如 2025-10-01）"));
                continue;
            }
            ([d], _) => (*d, *d),
            ([a, b], true) => (*a, *b),
            (_, true) => {
                skipped.push(skip("一个范围只能有起止两个日期"));
                continue;
            }
            // several days on one line (2025-09-28、2025-10-11 调休上班): each its own
            (many, false) => {
                for d in many {
                    days.push(NoticeDay {
                        day: *d,
                        kind,
                        name: name.clone(),
                        line,
                    });
                }
                continue;
            }
        };
        if last < first {
            skipped.push(skip("结束日期早于开始日期"));
            continue;
        }
        if (last - first).num_days() >= NOTICE_RANGE_MAX_DAYS {
            skipped.push(skip("一行的日期范围超过 31 天，请检查"));
            continue;
        }
        if kind == DayKind::Workday && last != first {
            skipped.push(skip("调休上班日请一天一行（或用顿号分开写在一行）"));
            continue;
        }
        let mut d = first;
        while d <= last {
            days.push(NoticeDay {
                day: d,
                kind,
                name: name.clone(),
                line,
            });
            d += Duration::days(1);
        }
    }
    (days, skipped)
}

/// A token that starts with a date (`2025-10-08国庆节` → the day and `国庆节`).
fn date_prefix(token: &str) -> Option<(NaiveDate, &str)> {
    let end = token
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || ['-', '/', '.', '年', '月', '日', '号'].contains(c)))
        .map(|(i, _)| i)
        .unwrap_or(token.len());
    let d = super::dates::parse_day(&token[..end])?;
    Some((d, &token[end..]))
}

/// What to ask before listing `day` as `kind` (issue 20): a make-up workday that is not on a
/// weekend is questioned (调休 makes a Saturday or Sunday a working day).
pub fn question(day: NaiveDate, kind: DayKind) -> Option<String> {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    (kind == DayKind::Workday && !weekend).then(|| {
        format!(
            "{} 是{}，本来就是工作日：调休上班日通常是周六或周日，请核对",
            day.format("%Y-%m-%d"),
            weekday_name(day.weekday())
        )
    })
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// The days that differ from "Monday to Friday are working days", with their names
/// (`国庆节`, `国庆调休`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    mode: Option<CalendarMode>,
    special: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    /// A calendar with the given exceptions, counting working days.
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Calendar {
            mode: None,
            special: days.into_iter().collect(),
        }
    }

    /// The same calendar counting in `mode`.
    pub fn with_mode(mut self, mode: CalendarMode) -> Self {
        self.mode = Some(mode);
        self
    }

    pub fn mode(&self) -> CalendarMode {
        self.mode.unwrap_or(CalendarMode::WorkingDays)
    }

    /// Whether `day` counts: always in calendar-day mode; otherwise a weekday that is not a
    /// holiday, or a make-up workday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.mode() == CalendarMode::CalendarDays {
            return true;
        }
        match self.special.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The day `n` working days after `from` (`from` itself not counted): "within 2 working days
    /// of receipt" ends on `add_working_days(received, 2)`. `n = 0` gives `from` unchanged; a
    /// negative `n` counts backwards.
    pub fn add_working_days(&self, from: NaiveDate, n: i32) -> NaiveDate {
        let step = if n < 0 { -1 } else { 1 };
        let mut day = from;
        let mut left = n.unsigned_abs();
        // A year has at least 200 working days: the loop always ends.
        while left > 0 {
            day += Duration::days(step);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (negative when `to` is earlier):
    /// how late something is, in the calendar's unit.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let count = lo
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= hi)
            .filter(|d| self.is_working_day(*d))
            .count();
        sign * i64::try_from(count).unwrap_or(i64::MAX)
    }
}

/// The calendar's settings: whether deadlines count working or calendar days.
pub const SETTINGS: &[Setting] = &[Setting {
    key: "calendar.mode",
    default: "working_days",
    help: "时间节点按工作日（working_days，跳过周末和节假日、算调休上班日）还是自然日（calendar_days）计算",
    check: |v| match CalendarMode::from_code(v) {
        Some(_) => Ok(()),
        None => Err(format!(
            "只能是 working_days（工作日）或 calendar_days（自然日），不能是“{v}”"
        )),
    },
    choices: &[("working_days", "工作日"), ("calendar_days", "自然日")],
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_notice_lists_ranges_workdays_and_says_what_it_skipped() {
        let text = "国务院办公厅关于2025年部分节假日安排的通知\n\n2025-10-01 至 2025-10-08 国庆节、中秋节\n2025-09-28 调休上班\n2025/10/11 补班\n2025年1月1日 元旦\n2025-05-01~2025-05-05劳动节\n2025-10-08 至 2025-10-01 错的\n";
        let (days, skipped) = parse_notice(text);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let national: Vec<_> = days.iter().filter(|x| x.line == 3).collect();
        assert_eq!(national.len(), 8);
        assert_eq!(national[0].day, d("2025-10-01"));
        assert_eq!(national[7].day, d("2025-10-08"));
        assert_eq!(national[0].name, "国庆节 中秋节");
        assert!(national.iter().all(|x| x.kind == DayKind::Holiday));
        let work: Vec<_> = days
            .iter()
            .filter(|x| x.kind == DayKind::Workday)
            .map(|x| x.day)
            .collect();
        assert_eq!(work, [d("2025-09-28"), d("2025-10-11")]);
        let (listed, _) = parse_notice("2025-09-28、2025-10-11 调休上班");
        let both: Vec<_> = listed.iter().map(|x| (x.day, x.kind)).collect();
        assert_eq!(
            both,
            [
                (d("2025-09-28"), DayKind::Workday),
                (d("2025-10-11"), DayKind::Workday)
            ]
        );
        assert!(days
            .iter()
            .any(|x| x.day == d("2025-01-01") && x.name == "元旦"));
        let labour: Vec<_> = days.iter().filter(|x| x.line == 7).collect();
        assert_eq!((labour.len(), labour[0].name.as_str()), (5, "劳动节"));
        let lines: Vec<usize> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [1, 8], "{skipped:?}");
        assert!(skipped[1].reason.contains("早于"));
    }

    #[test]
    fn a_make_up_workday_on_a_weekday_is_questioned() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            question(d("2025-09-28"), DayKind::Workday),
            None,
            "a Sunday"
        );
        let q = question(d("2025-09-29"), DayKind::Workday).unwrap();
        assert!(q.contains("周一"), "{q}");
        assert_eq!(question(d("2025-09-29"), DayKind::Holiday), None);
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 2014's National Day week as the State Council set it: 10-01..07 off, 09-28 (Sun) and
    /// 10-11 (Sat) worked in exchange.
    fn national_day_2014() -> Calendar {
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7)
            .map(|i| (d(&format!("2014-10-0{i}")), DayKind::Holiday))
            .collect();
        days.push((d("2014-09-28"), DayKind::Workday));
        days.push((d("2014-10-11"), DayKind::Workday));
        Calendar::new(days)
    }

    fn check_add(cal: &Calendar, from: &str, n: i32, expected: &str) {
        assert_eq!(
            cal.add_working_days(d(from), n),
            d(expected),
            "{from} + {n} working days"
        );
    }

    fn check_between(cal: &Calendar, from: &str, to: &str, expected: i64) {
        assert_eq!(
            cal.working_days_between(d(from), d(to)),
            expected,
            "working days from {from} to {to}"
        );
    }

    #[test]
    fn plain_weeks_skip_weekends() {
        let cal = Calendar::default();
        check_add(&cal, "2014-06-19", 0, "2014-06-19"); // Thursday
        check_add(&cal, "2014-06-19", 1, "2014-06-20"); // Friday
        check_add(&cal, "2014-06-19", 2, "2014-06-23"); // over the weekend to Monday
        check_add(&cal, "2014-06-21", 1, "2014-06-23"); // from a Saturday
        check_add(&cal, "2014-06-23", -1, "2014-06-20"); // backwards over the weekend
        check_between(&cal, "2014-06-19", "2014-06-23", 2);
        check_between(&cal, "2014-06-23", "2014-06-19", -2);
        check_between(&cal, "2014-06-21", "2014-06-22", 0);
    }

    #[test]
    fn a_holiday_week_with_make_up_workdays() {
        let cal = national_day_2014();
        // Friday 09-26 + 1 → Sunday 09-28 is a make-up workday
        check_add(&cal, "2014-09-26", 1, "2014-09-28");
        check_add(&cal, "2014-09-28", 1, "2014-09-29");
        // Tuesday 09-30 + 1 → the week off, then Wednesday 10-08
        check_add(&cal, "2014-09-30", 1, "2014-10-08");
        // 10-10 (Fri) + 1 → Saturday 10-11 is worked
        check_add(&cal, "2014-10-10", 1, "2014-10-11");
        check_add(&cal, "2014-10-10", 2, "2014-10-13");
        // received in the holiday: the first working day after it is 10-08
        check_add(&cal, "2014-10-03", 1, "2014-10-08");
        check_between(&cal, "2014-09-26", "2014-10-08", 4); // 28, 29, 30, 08
        assert!(!cal.is_working_day(d("2014-10-06"))); // a Monday off
        assert!(cal.is_working_day(d("2014-10-11"))); // a Saturday worked
    }

    #[test]
    fn counting_across_a_year_end() {
        // 2014-01-01 was a holiday (Wednesday)
        let cal = Calendar::new([(d("2014-01-01"), DayKind::Holiday)]);
        check_add(&cal, "2013-12-30", 2, "2014-01-02"); // Mon + 2 → Tue, (Wed off), Thu
        check_add(&cal, "2013-12-27", 3, "2014-01-02"); // Fri + 3 → Mon, Tue, Thu
        check_between(&cal, "2013-12-27", "2014-01-03", 4);
        check_add(&cal, "2014-01-02", -3, "2013-12-27");
    }

    #[test]
    fn calendar_day_mode_counts_every_day() {
        let cal = national_day_2014().with_mode(CalendarMode::CalendarDays);
        check_add(&cal, "2014-09-30", 1, "2014-10-01");
        check_between(&cal, "2014-09-26", "2014-10-08", 12);
    }
}
