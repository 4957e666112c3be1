//! 需求编号 and bug numbers (SPEC §4).
//!
//! The default scheme is `YYMMDD` of the day the collector received the report plus a two-digit
//! sequence of that day (`14061903`); the companion policy's scheme is `YYYYMM-NNN`. Numbers are
//! allocated by the store from a counter that only grows, so they are never reused.

use super::settings::Setting;
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `YYMMDDNN`: two digits a day, 01–99.
    Daily,
    /// `YYYYMM-NNN`: three digits a month, 001–999.
    Monthly,
}

impl Scheme {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "YYMMDDNN" => Some(Scheme::Daily),
            "YYYYMM-NNN" => Some(Scheme::Monthly),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Scheme::Daily => "YYMMDDNN",
            Scheme::Monthly => "YYYYMM-NNN",
        }
    }

    /// The period a sequence runs in: `140619` (a day) or `201406` (a month).
    pub fn period(self, day: NaiveDate) -> String {
        match self {
            Scheme::Daily => format!("{:02}{:02}{:02}", day.year() % 100, day.month(), day.day()),
            Scheme::Monthly => format!("{:04}{:02}", day.year(), day.month()),
        }
    }

    /// The last sequence number a period can hold.
    pub fn capacity(self) -> u32 {
        match self {
            Scheme::Daily => 99,
            Scheme::Monthly => 999,
        }
    }

    /// The number for `seq` in `period`, or `None` when the period is full.
    pub fn format(self, prefix: &str, period: &str, seq: u32) -> Option<String> {
        if seq == 0 || seq > self.capacity() {
            return None;
        }
        Some(match self {
            Scheme::Daily => format!("{prefix}{period}{seq:02}"),
            Scheme::Monthly => format!("{prefix}{period}-{seq:03}"),
        })
    }

    /// Split a number back into (period, sequence); `None` when it is not of this scheme.
    pub fn parse(self, prefix: &str, number: &str) -> Option<(String, u32)> {
        self.split(prefix, number)
            .map(|(period, seq)| (period.to_string(), seq))
    }

    /// Like `parse`, borrowing the period from the number.
    pub fn split<'n>(self, prefix: &str, number: &'n str) -> Option<(&'n str, u32)> {
        let rest = number.strip_prefix(prefix)?;
        let (period, seq) = match self {
            Scheme::Daily if rest.len() == 8 => (&rest[..6], &rest[6..]),
            Scheme::Monthly if rest.len() == 10 && rest.as_bytes()[6] == b'-' => {
                (&rest[..6], &rest[7..])
            }
            _ => return None,
        };
        if !period
            .chars()
            .chain(seq.chars())
            .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let seq: u32 = seq.parse().ok()?;
        (seq >= 1).then_some((period, seq))
    }
}

/// The numbering settings (SPEC §4): scheme and prefix per series.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "numbering.requirement.scheme",
        default: "YYMMDDNN",
        help: "需求编号规则：YYMMDDNN（每天两位序号）或 YYYYMM-NNN（每月三位序号）",
        check: check_scheme,
        choices: SCHEMES,
    },
    Setting {
        key: "numbering.requirement.prefix",
        default: "",
        help: "需求编号前缀（可为空，最多 4 个字母）",
        check: check_prefix,
        choices: &[],
    },
    Setting {
        key: "numbering.bug.scheme",
        default: "YYMMDDNN",
        help: "Bug 编号规则：YYMMDDNN 或 YYYYMM-NNN",
        check: check_scheme,
        choices: SCHEMES,
    },
    Setting {
        key: "numbering.bug.prefix",
        default: "B",
        help: "Bug 编号前缀（最多 4 个字母，例如 B）",
        check: check_bug_prefix,
        choices: &[],
    },
];

const SCHEMES: &[(&str, &str)] = &[
    ("YYMMDDNN", "YYMMDDNN（每天两位序号）"),
    ("YYYYMM-NNN", "YYYYMM-NNN（每月三位序号）"),
];

fn check_scheme(value: &str) -> Result<(), String> {
    match Scheme::from_code(value) {
        Some(_) => Ok(()),
        None => Err(format!(
            "编号规则只能是 YYMMDDNN 或 YYYYMM-NNN，不能是“{value}”"
        )),
    }
}

fn check_prefix(value: &str) -> Result<(), String> {
    if value.chars().count() > 4 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("编号前缀只能是最多 4 个英文字母，不能是“{value}”"));
    }
    Ok(())
}

fn check_bug_prefix(value: &str) -> Result<(), String> {
    check_prefix(value)?;
    if value.is_empty() {
        return Err("Bug 编号必须有前缀，以免与需求编号混淆".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn third_report_of_2014_06_19_is_14061903() {
        let p = Scheme::Daily.period(day(2014, 6, 19));
        assert_eq!(p, "140619");
        assert_eq!(Scheme::Daily.format("", &p, 3).as_deref(), Some("14061903"));
    }

    #[test]
    fn each_day_has_its_own_period() {
        assert_ne!(
            Scheme::Daily.period(day(2014, 6, 19)),
            Scheme::Daily.period(day(2014, 6, 20))
        );
        assert_eq!(Scheme::Daily.period(day(2014, 12, 31)), "141231");
        assert_eq!(Scheme::Daily.period(day(2015, 1, 1)), "150101");
    }

    #[test]
    fn the_hundredth_of_a_day_does_not_exist() {
        assert_eq!(
            Scheme::Daily.format("", "140619", 99).as_deref(),
            Some("14061999")
        );
        assert_eq!(Scheme::Daily.format("", "140619", 100), None);
        assert_eq!(Scheme::Daily.format("", "140619", 0), None);
    }

    #[test]
    fn monthly_scheme_and_bug_prefix() {
        let p = Scheme::Monthly.period(day(2024, 5, 9));
        assert_eq!(
            Scheme::Monthly.format("", &p, 1).as_deref(),
            Some("202405-001")
        );
        assert_eq!(Scheme::Monthly.format("", &p, 1000), None);
        assert_eq!(
            Scheme::Daily.format("B", "140619", 1).as_deref(),
            Some("B14061901")
        );
    }

    #[test]
    fn numbers_parse_back() {
        assert_eq!(
            Scheme::Daily.parse("", "14061903"),
            Some(("140619".into(), 3))
        );
        assert_eq!(
            Scheme::Daily.parse("B", "B14061901"),
            Some(("140619".into(), 1))
        );
        assert_eq!(
            Scheme::Monthly.parse("", "202405-012"),
            Some(("202405".into(), 12))
        );
        assert_eq!(Scheme::Daily.parse("", "1406190"), None);
        assert_eq!(Scheme::Daily.parse("", "14061900"), None);
        assert_eq!(Scheme::Daily.parse("", "1406190x"), None);
        assert_eq!(Scheme::from_code("YYYYMM-NNN"), Some(Scheme::Monthly));
    }
}
