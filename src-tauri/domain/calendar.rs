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
