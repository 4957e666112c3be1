//! The facts of the monthly summary (`domain::monthly`), read in two queries: every
//! requirement's dates and decision, and every delay application's.

use super::Db;
use crate::domain::dates;
use crate::domain::monthly::MonthFacts;
use crate::domain::requirement::Decision;
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::HashMap;

impl Db {
    /// What `domain::monthly::summarize` needs of every requirement.
    pub fn month_facts(&self) -> Result<Vec<MonthFacts>> {
        let day = |s: Option<String>| {
            s.as_deref()
                .and_then(|s| dates::from_iso(s.get(..10).unwrap_or(s)))
        };
        let mut delays = super::delays::facts_by_requirement(self.conn())?;
        let mut history = decision_history(self.conn())?;
        let mut st = self.conn().prepare_cached(
            "SELECT id, reporter, received_date, decision, decision_date, expected_delivery,
                    actual_delivery, withdrawn_at
             FROM requirements",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, reporter, received, decision, decided, expected, actual, withdrawn) = row?;
            let Some(received) = dates::from_iso(&received) else {
                continue;
            };
            let decisions = with_current(
                history.remove(&id).unwrap_or_default(),
                decision.as_deref().and_then(Decision::from_code),
                day(decided),
                received,
            );
            out.push(MonthFacts {
                reporter,
                received,
                decisions,
                expected: day(expected),
                actual_delivery: day(actual),
                withdrawn: day(withdrawn),
                delays: delays.remove(&id).unwrap_or_default(),
            });
        }
        Ok(out)
    }
}

/// Every requirement's decisions from the history, oldest first: a `decision` row, dated by the
/// `decision_date` row written in the same change, else by the moment it happened.
pub(crate) fn decision_history(
    conn: &crate::store::sql::Conn,
) -> Result<HashMap<i64, Vec<(NaiveDate, Decision)>>> {
    let mut history: HashMap<i64, Vec<(NaiveDate, Decision)>> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT entity_id, field, new_value, happened_at, recorded_at FROM history
         WHERE entity = 'requirement' AND field IN ('decision', 'decision_date')
         ORDER BY entity_id, id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    // (requirement, recorded_at) of the last decision row: the day written with it dates it
    let mut last: Option<(i64, String)> = None;
    for row in rows {
        let (req, field, new, happened, recorded) = row?;
        let list = history.entry(req).or_default();
        if field == "decision" {
            if let Some(d) = new.as_deref().and_then(Decision::from_code) {
                list.push((dates::day_of_moment(&happened).unwrap_or(NaiveDate::MIN), d));
                last = Some((req, recorded));
            }
        } else if last
            .as_ref()
            .is_some_and(|(r, at)| *r == req && *at == recorded)
        {
            if let (Some(day), Some(entry)) =
                (new.as_deref().and_then(dates::from_iso), list.last_mut())
            {
                entry.0 = day;
            }
        }
    }
    Ok(history)
}

/// A requirement's decisions with the one in force last: a decision the history does not hold
/// (imported) is added with its 决策日期, else the day received (legacy registers state no day).
pub(crate) fn with_current(
    mut decisions: Vec<(NaiveDate, Decision)>,
    current: Option<Decision>,
    decided: Option<NaiveDate>,
    received: NaiveDate,
) -> Vec<(NaiveDate, Decision)> {
    if let Some(c) = current {
        if decisions.last().map(|(_, d)| *d) != Some(c) {
            decisions.push((decided.unwrap_or(received), c));
        }
    }
    decisions.sort_by_key(|(d, _)| *d);
    decisions
}
