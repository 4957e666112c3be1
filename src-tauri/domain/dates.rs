//! Dates at the edges: parsing what people type and formatting what forms print.
//!
//! Storage is ISO-8601 text: `YYYY-MM-DD` for calendar days and
//! `YYYY-MM-DDTHH:MM:SS±HH:MM` for moments. The register (附表3) prints days as `20140620`.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeZone};

/// Parse a calendar day as users write it: `2014-06-20`, `20140620`, `2014/6/20`,
/// `2014.6.20`, `2014年6月20日`. Full-width digits and stray spaces are accepted.
pub fn parse_day(input: &str) -> Option<NaiveDate> {
    let s: String = normalize_width(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return None;
    }
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&s, "%Y%m%d").ok();
    }
    let s = s.trim_end_matches('日').trim_end_matches('号');
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    if !(1900..=2999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Replace full-width ASCII variants (`２０１４`, `／`, the ideographic space) by their ASCII twins.
pub fn normalize_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `2014-06-20` → `20140620`, the way the register writes days.
pub fn compact(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// `2014-06-20` → `2014年6月20日`, the way messages quote days.
pub fn chinese(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// `YYYY-MM-DD`, the stored form (written directly: this runs for every imported date).
pub fn iso(day: NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, d) = (day.year(), day.month(), day.day());
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let y = y as u32;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let bytes = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
    ];
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A stored ISO day back into a date (stored values are always valid; anything else is `None`).
pub fn from_iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn stamp(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Parse a moment as typed: RFC 3339, `YYYY-MM-DDTHH:MM[:SS]` or `YYYY-MM-DD HH:MM[:SS]`
/// (local time), or a bare day (taken as 00:00 local). Returns the stored form.
pub fn parse_moment(input: &str) -> Option<String> {
    let s = normalize_width(input.trim());
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Some(stamp(t));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
    .or_else(|| parse_day(&s).and_then(|d| d.and_hms_opt(0, 0, 0)))?;
    let local = Local.from_local_datetime(&naive).earliest()?;
    Some(stamp(local.fixed_offset()))
}

/// The moment a step happened, as stored: the moment typed (`input`, any spelling
/// [`parse_moment`] takes) or, when none is given, `now`. Work is often entered later, so a past
/// moment is normal; one after `now`, even by a minute, is refused (field `happened_at`).
pub fn happened_at(input: Option<&str>, now: DateTime<FixedOffset>) -> crate::Result<String> {
    let Some(s) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(stamp(now));
    };
    let refused = || {
        crate::Error::invalid(
            "happened_at",
            format!("发生时间“{s}”无法识别（例如 2014-06-21 10:30）"),
        )
    };
    let stored = parse_moment(s).ok_or_else(refused)?;
    let t = DateTime::parse_from_rfc3339(&stored).map_err(|_| refused())?;
    not_future("happened_at", "发生时间", &t, now)?;
    Ok(stored)
}

/// Refuses a moment after `now` (issue 19: not even a few minutes; a time typed to the minute
/// is never later than the minute it is typed in). `field`/`label` name it.
pub fn not_future(
    field: &str,
    label: &str,
    t: &DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> crate::Result<()> {
    if *t > now {
        return Err(crate::Error::invalid(
            field,
            format!(
                "{label}不能晚于现在（{}）",
                now.naive_local().format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    Ok(())
}

/// A stored moment as the local time it was written in (the deadlines compare these).
pub fn local_of_moment(stored: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| t.naive_local())
}

/// A moment as people read and type it: `2014-06-21 11:30`.
pub fn minute(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A moment as [`minute`] writes it (`2014-06-21 11:30`) read back.
pub fn local_minute(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").ok()
}

/// The calendar day of a stored moment.
pub fn day_of_moment(stored: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| t.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn parses_every_spelling_of_a_day() {
        for s in [
            "2014-06-20",
            "20140620",
            "2014/6/20",
            "2014.6.20",
            "2014年6月20日",
            " 2014-06-20 ",
            "２０１４－０６－２０",
        ] {
            assert_eq!(parse_day(s), d(2014, 6, 20), "{s}");
        }
    }

    #[test]
    fn rejects_impossible_days() {
        for s in [
            "",
            "2014-02-30",
            "20141320",
            "6月25日",
            "abc",
            "14-06-20",
            "2014-06",
        ] {
            assert_eq!(parse_day(s), None, "{s}");
        }
    }

    #[test]
    fn formats_for_register_and_messages() {
        let day = d(2014, 6, 5).unwrap();
        assert_eq!(compact(day), "20140605");
        assert_eq!(chinese(day), "2014年6月5日");
        assert_eq!(iso(day), "2014-06-05");
        assert_eq!(iso(d(987, 12, 31).unwrap()), "0987-12-31");
        assert_eq!(iso(d(9999, 1, 1).unwrap()), "9999-01-01");
        assert_eq!(iso(d(12345, 1, 1).unwrap()), "12345-01-01");
    }

    #[test]
    fn moments_keep_their_day() {
        let m = parse_moment("2014-06-21T10:30").unwrap();
        assert!(m.starts_with("2014-06-21T10:30:00"), "{m}");
        assert_eq!(day_of_moment(&m), d(2014, 6, 21));
        assert!(parse_moment("2014-06-21T10:30:00+08:00")
            .unwrap()
            .ends_with("+08:00"));
        assert!(parse_moment("not a time").is_none());
    }
}
