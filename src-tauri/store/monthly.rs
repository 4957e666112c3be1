//! The facts of the monthly summary (`domain::monthly`), read in two queries: every
//! requirement's dates and decision, and every delay application's.

use super::Db;
use crate::domain::dates;
use crate::domain::delay::DelayFacts;
use crate::domain::monthly::MonthFacts;
use crate::domain::requirement::Decision;
use crate::error::Result;
use std::collections::HashMap;

impl Db {
    /// What `domain::monthly::summarize` needs of every requirement.
    pub fn month_facts(&self) -> Result<Vec<MonthFacts>> {
        let day = |s: Option<String>| {
            s.as_deref()
                .and_then(|s| dates::from_iso(s.get(..10).unwrap_or(s)))
        };
        let mut delays: HashMap<i64, Vec<DelayFacts>> = HashMap::new();
        let mut st = self.conn().prepare_cached(
            "SELECT requirement_id, id, filed_date, original_date, new_date, approved_on,
                    rejected_on, withdrawn_at
             FROM delay_applications",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        for row in rows {
            let (req, id, filed, original, new, approved, rejected, withdrawn) = row?;
            let (Some(filed), Some(new_date)) = (dates::from_iso(&filed), dates::from_iso(&new))
            else {
                continue;
            };
            delays.entry(req).or_default().push(DelayFacts {
                id,
                filed,
                original: day(original),
                new_date,
                reason: String::new(),
                approved_on: day(approved),
                rejected_on: day(rejected),
                withdrawn: withdrawn.is_some(),
            });
        }
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
            out.push(MonthFacts {
                reporter,
                received,
                decision: decision.as_deref().and_then(Decision::from_code),
                decision_date: day(decided),
                expected: day(expected),
                actual_delivery: day(actual),
                withdrawn: day(withdrawn),
                delays: delays.remove(&id).unwrap_or_default(),
            });
        }
        Ok(out)
    }
}
