//! The weekly report's records (SPEC §9): the agenda of a week (`domain::weekly::on_agenda`)
//! and when the 周报 was sent (`weekly_reports`, the only reader and writer of that table).

use super::{Actor, Db};
use crate::domain::dates;
use crate::domain::requirement::Decision;
use crate::domain::weekly::{discussed_again, on_agenda, AgendaFacts};
use crate::error::{Error, Result};
use crate::store::sql::{params, OptionalExtension};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// A requirement on a week's agenda.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub number: String,
    pub brief: String,
    pub reporter: String,
    pub requester: String,
    pub received_date: String,
    /// Decided 再议 before: on the agenda again.
    pub discussed_again: bool,
    pub version: i64,
}

/// When a week's 周报 was sent, and who recorded it.
#[derive(Debug, Clone, Serialize)]
pub struct WeeklySent {
    pub friday: String,
    pub sent_at: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl Db {
    /// The agenda of the week whose Friday is `friday`, in number order, with the decisions
    /// as they stood that Friday (from the history), so a past week reads as it did then.
    pub fn weekly_agenda(&self, friday: NaiveDate) -> Result<Vec<AgendaItem>> {
        let thursday = friday - Duration::days(1);
        // the SQL only narrows to candidates that may have waited on that Friday (received by
        // Thursday; not delivered by then; undecided, 再议, or decided after it); `on_agenda`,
        // over the decisions as they stood, decides
        let mut st = self.conn().prepare_cached(
            "SELECT id, number, brief, reporter, requester, received_date, decision, decision_date,
                    actual_delivery, withdrawn_at, version
             FROM requirements
             WHERE received_date <= ?1
               AND (actual_delivery IS NULL OR actual_delivery > ?2)
               AND (decision IS NULL OR decision = 'discuss' OR decision_date > ?2)
             ORDER BY number",
        )?;
        struct Row {
            id: i64,
            item: AgendaItem,
            decision: Option<String>,
            decided: Option<String>,
            delivered: Option<String>,
            withdrawn_at: Option<String>,
        }
        let rows = st
            .query_map(params![dates::iso(thursday), dates::iso(friday)], |r| {
                Ok(Row {
                    id: r.get(0)?,
                    item: AgendaItem {
                        number: r.get(1)?,
                        brief: r.get(2)?,
                        reporter: r.get(3)?,
                        requester: r.get(4)?,
                        received_date: r.get(5)?,
                        discussed_again: false,
                        version: r.get(10)?,
                    },
                    decision: r.get(6)?,
                    decided: r.get(7)?,
                    delivered: r.get(8)?,
                    withdrawn_at: r.get(9)?,
                })
            })?
            .collect::<crate::store::sql::Result<Vec<Row>>>()?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut history = super::monthly::decision_history(self.conn())?;
        let mut out = Vec::new();
        for mut row in rows {
            let received = dates::from_iso(&row.item.received_date).unwrap_or(friday);
            let decisions = super::monthly::with_current(
                history.remove(&row.id).unwrap_or_default(),
                row.decision.as_deref().and_then(Decision::from_code),
                row.decided.as_deref().and_then(dates::from_iso),
                received,
            );
            let facts = AgendaFacts {
                received,
                decisions: &decisions,
                delivered: row.delivered.as_deref().and_then(dates::from_iso),
                withdrawn_at: row.withdrawn_at.as_deref(),
            };
            if on_agenda(facts, friday) {
                row.item.discussed_again = discussed_again(&decisions, friday);
                out.push(row.item);
            }
        }
        Ok(out)
    }

    /// How many requirements were received from `from` to `to`, inclusive (withdrawn ones too:
    /// they came in).
    pub fn received_count(&self, from: NaiveDate, to: NaiveDate) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM requirements WHERE received_date BETWEEN ?1 AND ?2",
            params![dates::iso(from), dates::iso(to)],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// When the 周报 of the week of `friday` was sent, if recorded.
    pub fn weekly_sent(&self, friday: NaiveDate) -> Result<Option<WeeklySent>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT friday, sent_at, recorded_by, recorded_at FROM weekly_reports WHERE friday = ?1",
            )?
            .query_row([dates::iso(friday)], |r| {
                Ok(WeeklySent {
                    friday: r.get(0)?,
                    sent_at: r.get(1)?,
                    recorded_by: r.get(2)?,
                    recorded_at: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Records that the 周报 of the week of `friday` was sent at `at` (RFC 3339 or
    /// `YYYY-MM-DD HH:MM`; default now). Once per week. Errors: `Invalid` for a bad time, a time
    /// before that week's Monday or in the future; `Conflict` when already recorded.
    pub fn record_weekly_sent(
        &mut self,
        actor: &Actor,
        friday: NaiveDate,
        at: Option<&str>,
    ) -> Result<WeeklySent> {
        self.allow(actor, crate::domain::people::Action::Weekly)?;
        let when = dates::happened_at(at, actor.now)?;
        let day = dates::day_of_moment(&when).unwrap_or(friday);
        if day < friday - Duration::days(4) || day > actor.today() {
            return Err(Error::invalid(
                "at",
                format!(
                    "发送时间 {} 不在这一周（{} 起）到今天之间",
                    dates::iso(day),
                    dates::iso(friday - Duration::days(4))
                ),
            ));
        }
        let now = actor.stamp();
        self.write(|tx| {
            // checked in the transaction: two recording at once get the same answer
            let had: Option<(String, String)> = tx
                .query_row(
                    "SELECT sent_at, recorded_by FROM weekly_reports WHERE friday = ?1",
                    [dates::iso(friday)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((sent_at, by)) = had {
                return Err(Error::Conflict(format!(
                    "{} 这一周的周报已记录为 {sent_at} 发送（{by} 记录）",
                    dates::iso(friday)
                )));
            }
            tx.execute(
                "INSERT INTO weekly_reports (friday, sent_at, recorded_by, recorded_by_id,
                     recorded_at, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    dates::iso(friday),
                    when,
                    actor.name,
                    actor.person_id,
                    now,
                    actor.origin
                ],
            )?;
            Ok(())
        })?;
        self.weekly_sent(friday)?
            .ok_or_else(|| Error::NotFound("周报记录未写入".into()))
    }
}
