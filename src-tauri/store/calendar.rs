//! The `calendar_days` table: holidays and make-up workdays (调休) the working-day calendar
//! counts with (`domain::calendar`), and the `calendar.mode` setting.

use super::history::{record, Change};
use super::{settings, Actor, Db};
use crate::domain::calendar::{Calendar, CalendarMode, DayKind};
use crate::domain::dates;
use crate::error::{Error, Result};
use crate::store::sql::{params, Conn, OptionalExtension};
use chrono::NaiveDate;
use serde::Serialize;

/// One listed day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub kind: DayKind,
    /// 国庆节, 国庆调休 …
    pub name: String,
}

/// One day of a pasted notice's preview: what would be listed, what it replaces, and what
/// to look at twice.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewDay {
    #[serde(flatten)]
    pub entry: CalendarDay,
    /// The line of the pasted text (1-based).
    pub line: usize,
    /// What is listed for the day now, when it differs.
    pub replaces: Option<CalendarDay>,
    /// A question about it (a make-up workday that is not on a weekend).
    pub question: Option<String>,
}

/// What a pasted holiday notice would list, and the lines it skipped.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarPreview {
    pub days: Vec<PreviewDay>,
    pub skipped: Vec<crate::domain::calendar::NoticeSkip>,
}

impl Db {
    /// The calendar deadlines are counted in: the listed days and the `calendar.mode` setting.
    pub fn calendar(&self) -> Result<Calendar> {
        let mode = CalendarMode::from_code(&settings::value(self.conn(), "calendar.mode")?)
            .unwrap_or(CalendarMode::WorkingDays);
        let days = self
            .calendar_days()?
            .into_iter()
            .filter_map(|d| Some((dates::from_iso(&d.day)?, d.kind)));
        Ok(Calendar::new(days).with_mode(mode))
    }

    /// Every listed day, in date order.
    pub fn calendar_days(&self) -> Result<Vec<CalendarDay>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT day, kind, name FROM calendar_days ORDER BY day")?;
        let rows = st.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Lists a day as a holiday or a make-up workday. Unless `confirmed`, what needs a second
    /// look is refused with the question (issue 20): a day listed already (as something else),
    /// a make-up workday that is not on a weekend; `confirmed` replaces and goes on.
    /// Errors: `Invalid` (field `day`) for a day that does not parse; `Conflict` with the
    /// question.
    pub fn set_calendar_day(
        &mut self,
        actor: &Actor,
        day: &str,
        kind: DayKind,
        name: &str,
        confirmed: bool,
    ) -> Result<CalendarDay> {
        self.allow(actor, crate::domain::people::Action::Settings)?;
        let d = parse(day)?;
        let entry = CalendarDay {
            day: dates::iso(d),
            kind,
            name: name.trim().to_string(),
        };
        let now = actor.stamp();
        self.write(|tx| {
            let was = existing(tx, &entry.day)?;
            if !confirmed {
                // what it is called: 节假日 国庆节
                let said = |c: &CalendarDay| format!("{} {}", c.kind.label(), c.name);
                let mut asked: Vec<String> = Vec::new();
                if let Some(was) = was.as_ref().filter(|w| **w != entry) {
                    asked.push(format!(
                        "{} 已录入为“{}”，要替换为“{}”吗？",
                        entry.day,
                        said(was).trim(),
                        said(&entry).trim()
                    ));
                }
                asked.extend(crate::domain::calendar::question(d, kind));
                if !asked.is_empty() {
                    return Err(Error::Conflict(asked.join("\n")));
                }
            }
            put_day(tx, actor, &now, &entry, was.as_ref())
        })?;
        Ok(entry)
    }

    /// What a pasted holiday notice would list (issue 20), day by day, beside what is listed
    /// already and what to look at twice, with the lines it skipped. Writes nothing.
    pub fn calendar_preview(&self, text: &str) -> Result<CalendarPreview> {
        let (days, skipped) = crate::domain::calendar::parse_notice(text);
        let mut out = Vec::with_capacity(days.len());
        for n in days {
            let day = dates::iso(n.day);
            let was = existing(self.conn(), &day)?;
            let entry = CalendarDay {
                day: day.clone(),
                kind: n.kind,
                name: n.name.clone(),
            };
            out.push(PreviewDay {
                replaces: was.filter(|w| *w != entry),
                question: crate::domain::calendar::question(n.day, n.kind),
                line: n.line,
                entry,
            });
        }
        Ok(CalendarPreview { days: out, skipped })
    }

    /// Lists every day of a pasted holiday notice (as [`Db::calendar_preview`] showed it,
    /// replacing what was listed for those days), all or none in one transaction, one history
    /// row each. Errors: `Invalid` (field `text`) when the text lists no day.
    pub fn calendar_paste(&mut self, actor: &Actor, text: &str) -> Result<usize> {
        self.allow(actor, crate::domain::people::Action::Settings)?;
        let (days, _) = crate::domain::calendar::parse_notice(text);
        if days.is_empty() {
            return Err(Error::invalid(
                "text",
                "没有识别出任何日期（每行一条，例如：2025-10-01 至 2025-10-08 国庆节）",
            ));
        }
        let now = actor.stamp();
        self.write(|tx| {
            for n in &days {
                let entry = CalendarDay {
                    day: dates::iso(n.day),
                    kind: n.kind,
                    name: n.name.clone(),
                };
                let was = existing(tx, &entry.day)?;
                put_day(tx, actor, &now, &entry, was.as_ref())?;
            }
            Ok(())
        })?;
        Ok(days.len())
    }

    /// Takes a day off the list (it follows the weekday rule again). Errors: `NotFound` when
    /// the day is not listed.
    pub fn remove_calendar_day(&mut self, actor: &Actor, day: &str) -> Result<()> {
        self.allow(actor, crate::domain::people::Action::Settings)?;
        let d = dates::iso(parse(day)?);
        let now = actor.stamp();
        self.write(|tx| {
            let Some(old) = existing(tx, &d)? else {
                return Err(Error::NotFound(format!("{d} 不在节假日/调休列表中")));
            };
            tx.execute("DELETE FROM calendar_days WHERE day = ?1", [&d])?;
            note(tx, actor, &now, &d, Some(&kept(&old)), None)
        })
    }
}

fn from_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<CalendarDay> {
    let kind: String = r.get(1)?;
    Ok(CalendarDay {
        day: r.get(0)?,
        kind: DayKind::from_code(&kind).unwrap_or(DayKind::Holiday),
        name: r.get(2)?,
    })
}

/// What is listed for a day, if anything.
fn existing(conn: &Conn, day: &str) -> Result<Option<CalendarDay>> {
    Ok(conn
        .query_row(
            "SELECT day, kind, name FROM calendar_days WHERE day = ?1",
            [day],
            from_row,
        )
        .optional()?)
}

/// A listed day as history keeps it (`holiday 国庆节`).
fn kept(c: &CalendarDay) -> String {
    format!("{} {}", c.kind.code(), c.name).trim().to_string()
}

/// Lists `entry`, replacing `was` (what its day had), with the history row, in the caller's
/// transaction.
fn put_day(
    tx: &Conn,
    actor: &Actor,
    now: &str,
    entry: &CalendarDay,
    was: Option<&CalendarDay>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO calendar_days (day, kind, name) VALUES (?1, ?2, ?3)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
        params![entry.day, entry.kind.code(), entry.name],
    )?;
    note(
        tx,
        actor,
        now,
        &entry.day,
        was.map(kept).as_deref(),
        Some(&kept(entry)),
    )
}

/// The history row of a change to the list (the day is the field).
fn note(
    conn: &Conn,
    actor: &Actor,
    now: &str,
    day: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    let change = Change {
        entity: "calendar",
        entity_id: 0,
        field: day,
        old,
        new,
        version: None,
    };
    Ok(record(conn, actor, now, now, change)?)
}

fn parse(day: &str) -> Result<NaiveDate> {
    dates::parse_day(day).ok_or_else(|| {
        Error::invalid(
            "day",
            format!("“{}”不是有效日期（例如 2014-10-01）", day.trim()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_asks_before_replacing_a_day_or_a_workday_on_a_weekday() {
        let mut db = Db::test_db();
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        db.set_calendar_day(&a, "2025-10-01", DayKind::Holiday, "国庆节", false)
            .unwrap();
        // the same again needs no question
        db.set_calendar_day(&a, "2025-10-01", DayKind::Holiday, "国庆节", false)
            .unwrap();
        let e = db
            .set_calendar_day(&a, "2025-10-01", DayKind::Holiday, "中秋节", false)
            .unwrap_err();
        assert_eq!(e.kind(), "conflict");
        assert!(e.to_string().contains("已录入为“节假日 国庆节”"), "{e}");
        assert_eq!(
            db.calendar_days().unwrap()[0].name,
            "国庆节",
            "nothing replaced"
        );
        let e = db
            .set_calendar_day(&a, "2025-09-29", DayKind::Workday, "调休", false)
            .unwrap_err();
        assert!(e.to_string().contains("周一"), "{e}");
        db.set_calendar_day(&a, "2025-10-01", DayKind::Holiday, "中秋节", true)
            .unwrap();
        assert_eq!(db.calendar_days().unwrap()[0].name, "中秋节");
    }

    #[test]
    fn listed_days_and_the_mode_make_the_calendar() {
        let mut db = Db::test_db();
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        db.set_calendar_day(&a, "2014-10-01", DayKind::Holiday, "国庆节", true)
            .unwrap();
        db.set_calendar_day(&a, "2014年10月11日", DayKind::Workday, "国庆调休", true)
            .unwrap();
        let cal = db.calendar().unwrap();
        let d = |s| dates::parse_day(s).unwrap();
        assert!(!cal.is_working_day(d("2014-10-01")));
        assert!(cal.is_working_day(d("2014-10-11")));
        assert_eq!(cal.mode(), CalendarMode::WorkingDays);
        db.remove_calendar_day(&a, "2014-10-01").unwrap();
        assert!(db.calendar().unwrap().is_working_day(d("2014-10-01")));
        assert_eq!(
            db.remove_calendar_day(&a, "2014-10-01").unwrap_err().kind(),
            "not_found"
        );
        assert_eq!(
            db.set_calendar_day(&a, "2014-13-01", DayKind::Holiday, "", true)
                .unwrap_err()
                .field(),
            Some("day")
        );
        db.configure(&a, "calendar.mode", "calendar_days").unwrap();
        assert_eq!(db.calendar().unwrap().mode(), CalendarMode::CalendarDays);
        assert_eq!(
            db.configure(&a, "calendar.mode", "weekly")
                .unwrap_err()
                .kind(),
            "invalid"
        );
        let history: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) FROM history WHERE entity = 'calendar'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(history, 3, "each change of the list is kept");
    }
}
