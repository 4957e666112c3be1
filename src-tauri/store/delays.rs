//! The `delay_applications` and `delay_signoffs` tables (附表1): the only file that reads or
//! writes them. Which date is in force is decided by `domain::delay::in_force`; the register's
//! SQL form of that rule ([`IN_FORCE_BY_REQUIREMENT`]) lives here, beside the table, and a test keeps the
//! two in agreement.

use crate::domain::dates;
use crate::domain::delay::{DelayFacts, DelayState};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// An application as a requirement's views show it.
#[derive(Debug, Clone, Serialize)]
pub struct DelayView {
    pub id: i64,
    pub applicant: String,
    pub applicant_department: String,
    pub filed_date: String,
    pub original_date: Option<String>,
    pub new_date: String,
    pub overview: String,
    pub reason: String,
    /// When the approval was recorded (RFC 3339).
    pub approved_at: Option<String>,
    /// The day the last level agreed: the new date is in force from then.
    pub approved_on: Option<String>,
    pub rejected_on: Option<String>,
    pub withdrawn_at: Option<String>,
    pub created_at: String,
    pub version: i64,
    // derived
    pub state: DelayState,
    /// 逾期申请: filed after the original date had passed.
    pub filed_late: bool,
}

impl DelayView {
    /// What the rules see of it (`None` when a stored day is unreadable, which the schema's
    /// writers never produce).
    pub fn facts(&self) -> Option<DelayFacts> {
        let day = |s: &Option<String>| s.as_deref().and_then(dates::from_iso);
        Some(DelayFacts {
            id: self.id,
            filed: dates::from_iso(&self.filed_date)?,
            original: day(&self.original_date),
            new_date: dates::from_iso(&self.new_date)?,
            reason: self.reason.clone(),
            approved_on: day(&self.approved_on),
            rejected_on: day(&self.rejected_on),
            withdrawn: self.withdrawn_at.is_some(),
        })
    }
}

const COLUMNS: &str = "id, applicant, applicant_department, filed_date, original_date, new_date,
    overview, reason, approved_at, approved_on, rejected_on, withdrawn_at, created_at, version";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<DelayView> {
    let mut v = DelayView {
        id: r.get("id")?,
        applicant: r.get("applicant")?,
        applicant_department: r.get("applicant_department")?,
        filed_date: r.get("filed_date")?,
        original_date: r.get("original_date")?,
        new_date: r.get("new_date")?,
        overview: r.get("overview")?,
        reason: r.get("reason")?,
        approved_at: r.get("approved_at")?,
        approved_on: r.get("approved_on")?,
        rejected_on: r.get("rejected_on")?,
        withdrawn_at: r.get("withdrawn_at")?,
        created_at: r.get("created_at")?,
        version: r.get("version")?,
        state: DelayState::Pending,
        filed_late: false,
    };
    if let Some(f) = v.facts() {
        v.state = f.state();
        v.filed_late = f.filed_late();
    }
    Ok(v)
}

/// Every application of one requirement (withdrawn ones too), in the order they were filed.
pub(crate) fn of_requirement(conn: &Connection, requirement_id: i64) -> Result<Vec<DelayView>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM delay_applications WHERE requirement_id = ?1 ORDER BY filed_date, id"
    ))?;
    let rows = st.query_map([requirement_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The new dates of the applications in force for one requirement (for the import's
/// "already there" check).
pub(crate) fn approved_new_dates(conn: &Connection, requirement_id: i64) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(APPROVED_NEW_DATES)?;
    let rows = st.query_map([requirement_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The applications in force now, in the order of approval: the SQL form of
/// `domain::delay::in_force` for queries over many requirements (the register). Approvals are
/// never dated in the future, so "as of today" needs no day parameter here.
macro_rules! approved_delays {
    () => {
        "SELECT * FROM delay_applications
         WHERE approved_on IS NOT NULL AND rejected_on IS NULL AND withdrawn_at IS NULL
         ORDER BY requirement_id, approved_on, filed_date, id"
    };
}

/// The new dates in force for one requirement (the import's "already there" check).
const APPROVED_NEW_DATES: &str = concat!(
    "SELECT new_date FROM (",
    approved_delays!(),
    ") WHERE requirement_id = ?1"
);

/// The ids of requirements with an application in force (status 延期 unless 完成).
pub(crate) const DELAYED_REQUIREMENTS: &str =
    concat!("SELECT requirement_id FROM (", approved_delays!(), ")");

/// Per requirement: how many applications are in force (`n`), their notes for 备注 (`notes`:
/// `new_date US reason`, joined by RS) and the date in force (`in_force`: the new date of the
/// last approved, by SQLite's rule that a bare column comes from the row holding the max).
pub(crate) const IN_FORCE_BY_REQUIREMENT: &str = concat!(
    "SELECT requirement_id, count(*) AS n,
       group_concat(new_date || char(31) || reason, char(30)) AS notes,
       max(approved_on || filed_date || printf('%012d', id)) AS last_key,
       new_date AS in_force
    FROM (",
    approved_delays!(),
    ") GROUP BY requirement_id"
);

/// A delay read from a legacy register's 备注: approved on the day it is taken to be filed.
pub(crate) fn insert_imported(
    conn: &Connection,
    requirement_id: i64,
    original: Option<&str>,
    filed: &str,
    delay: &(NaiveDate, String),
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO delay_applications (requirement_id, filed_date, original_date, new_date, reason,
             overview, approved_at, approved_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '由旧登记表备注导入', ?6, ?2, ?6, ?6)",
    )?
    .execute(params![
        requirement_id,
        filed,
        original,
        dates::iso(delay.0),
        delay.1,
        now
    ])?;
    Ok(())
}

/// Files an application that is already approved (tests and the delay issue's sign-off flow
/// build on this). Returns its id.
#[cfg(test)]
pub(crate) fn insert_for_test(
    conn: &Connection,
    actor: &super::Actor,
    requirement_id: i64,
    facts: &DelayFacts,
) -> Result<i64> {
    let day = |d: Option<NaiveDate>| d.map(dates::iso);
    conn.execute(
        "INSERT INTO delay_applications (requirement_id, filed_date, original_date, new_date, reason,
             approved_on, rejected_on, withdrawn_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            requirement_id,
            dates::iso(facts.filed),
            day(facts.original),
            dates::iso(facts.new_date),
            facts.reason,
            day(facts.approved_on),
            day(facts.rejected_on),
            facts.withdrawn.then(|| actor.stamp()),
            actor.stamp()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::delay::in_force;
    use crate::store::{Actor, Db};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts(id: i64, filed: &str, new: &str, approved: Option<&str>) -> DelayFacts {
        DelayFacts {
            id,
            filed: d(filed),
            original: Some(d("2014-07-01")),
            new_date: d(new),
            reason: "原因".into(),
            approved_on: approved.map(d),
            rejected_on: None,
            withdrawn: false,
        }
    }

    /// The register's SQL and the domain's rule give the same date in force.
    #[test]
    fn sql_and_domain_agree_on_the_date_in_force() {
        let mut rejected = facts(0, "2014-06-20", "2014-09-01", None);
        rejected.rejected_on = Some(d("2014-06-21"));
        let mut withdrawn = facts(0, "2014-06-20", "2014-09-02", Some("2014-06-21"));
        withdrawn.withdrawn = true;
        let cases: Vec<Vec<DelayFacts>> = vec![
            vec![],
            vec![facts(0, "2014-06-25", "2014-07-25", Some("2014-06-27"))],
            vec![facts(0, "2014-06-25", "2014-07-25", None)],
            vec![rejected, withdrawn],
            // approved in the other order than filed: the later approval wins
            vec![
                facts(0, "2014-06-25", "2014-08-15", Some("2014-07-22")),
                facts(0, "2014-06-26", "2014-07-25", Some("2014-06-27")),
            ],
            vec![
                facts(0, "2014-06-25", "2014-07-25", Some("2014-06-27")),
                facts(0, "2014-07-20", "2014-08-15", Some("2014-07-22")),
            ],
        ];
        let db = Db::open_in_memory().unwrap();
        let actor = Actor::new(None, "测试员", "test", crate::clock::now());
        for (i, case) in cases.iter().enumerate() {
            db.conn()
                .execute(
                    "INSERT INTO requirements (number, received_date, expected_delivery, created_at, updated_at)
                     VALUES (?1, '2014-06-19', '2014-07-01', 'x', 'x')",
                    [format!("140619{i:02}")],
                )
                .unwrap();
            let id = db.conn().last_insert_rowid();
            let mut stored = Vec::new();
            for f in case {
                let delay_id = insert_for_test(db.conn(), &actor, id, f).unwrap();
                stored.push(DelayFacts {
                    id: delay_id,
                    ..f.clone()
                });
            }
            let domain = in_force(Some(d("2014-07-01")), &stored, d("2030-01-01"));
            let sql: Option<(i64, String)> = db
                .conn()
                .query_row(
                    &format!("SELECT n, in_force FROM ({IN_FORCE_BY_REQUIREMENT}) WHERE requirement_id = ?1"),
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            let sql_date = sql.as_ref().map(|(_, s)| d(s)).or(Some(d("2014-07-01")));
            assert_eq!(sql_date, domain.date, "case {i}");
            assert_eq!(
                sql.map(|(n, _)| n as usize).unwrap_or(0),
                domain.approved.len(),
                "case {i}"
            );
            let views = of_requirement(db.conn(), id).unwrap();
            assert_eq!(views.len(), case.len());
            assert_eq!(
                approved_new_dates(db.conn(), id).unwrap().len(),
                domain.approved.len(),
                "case {i}"
            );
        }
    }
}
