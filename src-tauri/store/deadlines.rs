//! The facts the deadline engine (`domain::deadlines`) reads, gathered from the requirements,
//! their history, delay applications, notifications, bugs and the weekly reports — a few
//! queries over whole tables, then the rules in Rust.

use super::Db;
use crate::domain::dates;
use crate::domain::deadlines::{
    bug_deadlines, requirement_deadlines, weekly_deadline, BugMoments, Deadline,
    RequirementMoments, Windows,
};
use crate::domain::delay::in_force;
use crate::domain::requirement::Decision;
use crate::error::Result;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{HashMap, HashSet};

use dates::local_of_moment as local;

/// The first notice of (step, audience) sent at or after `since`.
fn first_after(
    notices: &[(String, String, NaiveDateTime)],
    step: &str,
    audience: &str,
    since: Option<NaiveDateTime>,
) -> Option<NaiveDateTime> {
    let since = since?;
    notices
        .iter()
        .filter(|(s, a, t)| s == step && a == audience && *t >= since)
        .map(|(_, _, t)| *t)
        .min()
}

impl Db {
    /// The windows in force on `day`: the `deadlines.*` rules of that day (versioned) and the
    /// calendar.
    pub fn deadline_windows(&self, day: NaiveDate) -> Result<Windows> {
        let calendar = self.calendar()?;
        let conn = self.conn();
        Ok(Windows::from_settings(
            |k| super::settings::value_as_of(conn, k, day).unwrap_or_default(),
            calendar,
        ))
    }

    /// Every deadline of every live requirement, bug and week (SPEC §6), with the windows and
    /// the promised dates in force on `today`.
    pub fn deadlines(&self, today: NaiveDate) -> Result<Vec<Deadline>> {
        let w = self.deadline_windows(today)?;
        let conn = self.conn();
        // history: the first moment each column was given, and the latest decision
        let mut first: HashMap<(i64, String), NaiveDateTime> = HashMap::new();
        let mut decided: HashMap<i64, NaiveDateTime> = HashMap::new();
        let mut created_in_app: HashSet<i64> = HashSet::new();
        let mut st = conn.prepare_cached(
            "SELECT entity_id, field, happened_at FROM history
             WHERE entity = 'requirement' AND field IN ('created', 'decision',
                 'plan_estimated_date', 'plan_actual_date', 'it_acceptance_estimated',
                 'it_acceptance_actual', 'expected_delivery', 'actual_delivery')
             ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, field, happened) = row?;
            let Some(t) = local(&happened) else { continue };
            match field.as_str() {
                "created" => {
                    created_in_app.insert(id);
                }
                "decision" => {
                    decided.insert(id, t);
                }
                _ => {
                    first.entry((id, field)).or_insert(t);
                }
            }
        }
        // notices, by requirement and by bug
        let mut req_notices: HashMap<i64, Vec<(String, String, NaiveDateTime)>> = HashMap::new();
        let mut bug_notices: HashMap<i64, Vec<(String, String, NaiveDateTime)>> = HashMap::new();
        let mut st = conn.prepare_cached(
            "SELECT requirement_id, bug_id, step, audience, sent_at FROM notifications",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (req, bug, step, audience, sent) = row?;
            let Some(t) = local(&sent) else { continue };
            match (req, bug) {
                (Some(r), _) => req_notices.entry(r).or_default().push((step, audience, t)),
                (_, Some(b)) => bug_notices.entry(b).or_default().push((step, audience, t)),
                _ => {}
            }
        }
        // the latest approval per requirement, at the moment the 总经办 signed (the history's
        // time of the step, as `--at` gave it), else when it was recorded (imported delays)
        let mut approved: HashMap<i64, NaiveDateTime> = HashMap::new();
        let mut st = conn.prepare_cached(
            "SELECT d.requirement_id,
                    coalesce((SELECT max(h.happened_at) FROM history h
                              WHERE h.entity = 'delay' AND h.entity_id = d.id
                                AND h.field = 'signoff_gm_office'), d.approved_at)
             FROM delay_applications d
             WHERE d.approved_at IS NOT NULL AND d.withdrawn_at IS NULL",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (req, at) = row?;
            if let Some(t) = local(&at) {
                let e = approved.entry(req).or_insert(t);
                *e = (*e).max(t);
            }
        }
        let delays = super::delays::facts_by_requirement(conn)?;

        let mut out = Vec::new();
        let mut st = conn.prepare_cached(
            "SELECT id, number, reporter, requester, decision, expected_delivery,
                    actual_delivery, withdrawn_at, received_date, report_date, collector,
                    product_manager, it_owner
             FROM requirements",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
                (
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, String>(12)?,
                ),
            ))
        })?;
        // the weeks with requirements registered in the app, and who registered them
        let mut weeks_in_app: HashMap<NaiveDate, HashSet<String>> = HashMap::new();
        for row in rows {
            let (
                id,
                number,
                reporter,
                requester,
                decision,
                expected,
                actual,
                withdrawn,
                received,
                reported,
                (collector, product_manager, it_owner),
            ) = row?;
            let col = |c: &str| first.get(&(id, c.to_string())).copied();
            let notices = req_notices.remove(&id).unwrap_or_default();
            let decided_at = decided.get(&id).copied();
            let expected_at = col("expected_delivery");
            let delivered_at = col("actual_delivery");
            let delay_at = approved.get(&id).copied();
            let told =
                |step: &str, audience: &str, since| first_after(&notices, step, audience, since);
            let expected_day = expected.as_deref().and_then(dates::from_iso);
            let own = delays.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            let promised = in_force(expected_day, own, today).date;
            let in_time: Vec<_> = own.iter().filter(|d| !d.filed_late()).cloned().collect();
            let promised_honoured = in_force(expected_day, &in_time, today).date;
            let registered_by = collector.clone();
            let m = RequirementMoments {
                number,
                reporter,
                requester,
                collector,
                product_manager,
                it_owner,
                // a report read from a legacy file keeps its days: R1 is stated by them
                reported: reported.as_deref().and_then(dates::from_iso),
                received: dates::from_iso(&received),
                decided: decided_at,
                work: decision
                    .as_deref()
                    .and_then(Decision::from_code)
                    .is_some_and(Decision::leads_to_work),
                plan_estimated: col("plan_estimated_date"),
                plan_delivered: col("plan_actual_date"),
                acceptance_estimated: col("it_acceptance_estimated"),
                acceptance_actual: col("it_acceptance_actual"),
                expected_recorded: expected_at,
                promised,
                promised_honoured,
                delivered_day: actual.as_deref().and_then(dates::from_iso),
                delivered_recorded: delivered_at,
                delay_approved: delay_at,
                told_reporter_decision: told("decision", "reporter", decided_at),
                told_requester_decision: told("decision", "requester", decided_at),
                told_reporter_expected: told("expected", "reporter", expected_at),
                told_requester_expected: told("expected", "requester", expected_at),
                told_reporter_delay: told("delay", "reporter", delay_at),
                told_requester_delay: told("delay", "requester", delay_at),
                told_reporter_completion: told("completion", "reporter", delivered_at),
                withdrawn: withdrawn.is_some(),
            };
            out.extend(requirement_deadlines(&m, &w));
            if created_in_app.contains(&id) {
                if let Some(r) = dates::from_iso(&received) {
                    weeks_in_app
                        .entry(next_weekly_friday(r))
                        .or_default()
                        .insert(registered_by);
                }
            }
        }
        // R2: each week with requirements registered in the app (imported ones were sent long ago)
        let sent: HashMap<String, NaiveDateTime> = {
            let mut st = conn.prepare_cached("SELECT friday, sent_at FROM weekly_reports")?;
            let rows =
                st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut m = HashMap::new();
            for row in rows {
                let (f, s) = row?;
                if let Some(t) = local(&s) {
                    m.insert(f, t);
                }
            }
            m
        };
        for (friday, collectors) in weeks_in_app {
            // the collector who registered the week's requirements sends its 周报; with several
            // (or none named) it is the role's
            let by = match collectors.iter().collect::<Vec<_>>().as_slice() {
                [one] => one.as_str(),
                _ => "",
            };
            out.push(weekly_deadline(
                friday,
                by,
                sent.get(&dates::iso(friday)).copied(),
                &w,
            ));
        }
        // bugs
        let mut copied: HashMap<i64, NaiveDateTime> = HashMap::new();
        let mut st = conn.prepare_cached(
            "SELECT entity_id, happened_at FROM history
             WHERE entity = 'bug' AND field = 'reporter_copied' AND new_value = '1' ORDER BY id",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, at) = row?;
            if let Some(t) = local(&at) {
                copied.entry(id).or_insert(t);
            }
        }
        let mut st = conn.prepare_cached(
            "SELECT id, number, reporter, reproduced_by, found_date, received_date, reproduced,
                    reproduced_at, fixed_date, requirement_id, withdrawn_at
             FROM bugs",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })?;
        for row in rows {
            let (
                id,
                number,
                reporter,
                tester,
                found,
                received,
                reproduced,
                reproduced_at,
                fixed,
                req,
                withdrawn,
            ) = row?;
            let notices = bug_notices.remove(&id).unwrap_or_default();
            let fixed = fixed.as_deref().and_then(dates::from_iso);
            let b = BugMoments {
                number,
                reporter,
                tester,
                found: found.as_deref().and_then(dates::from_iso),
                received: dates::from_iso(&received),
                reproduced: reproduced_at
                    .as_deref()
                    .filter(|_| reproduced == Some(1))
                    .and_then(local),
                copied: copied.get(&id).copied(),
                fixed,
                told_user: first_after(
                    &notices,
                    "bug_fixed",
                    "user",
                    fixed.and_then(|d| d.and_hms_opt(0, 0, 0)),
                ),
                closed_otherwise: req.is_some() || withdrawn.is_some(),
            };
            out.extend(bug_deadlines(&b, &w));
        }
        out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.record.cmp(&b.record)));
        Ok(out)
    }
}

/// The Friday whose 周报 covers a requirement received on `day` (reports close on Thursday).
fn next_weekly_friday(day: NaiveDate) -> NaiveDate {
    let friday = crate::domain::weekly::friday_of(day);
    if day >= friday {
        friday + chrono::Duration::days(7)
    } else {
        friday
    }
}

/// One line of the to-do (待办): a step not done yet, who is to do it, when it is due.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TodoItem {
    pub rule: crate::domain::deadlines::Rule,
    pub record: String,
    /// The person responsible, or the holders of the role (、-separated), or the role.
    pub responsible: String,
    /// `YYYY-MM-DD HH:MM`.
    pub due: String,
    pub overdue: bool,
    /// Falls due within the next hour (the window's reminder).
    pub soon: bool,
}

/// Who answers for a deadline: the person the record names, else the active holders of its role.
fn responsible_names(people: &[super::Person], d: &Deadline) -> Vec<String> {
    use crate::domain::people::Role;
    if !d.responsible.person.is_empty() {
        return vec![d.responsible.person.clone()];
    }
    let role = match d.responsible.role {
        "需求收集人" => Some(Role::Collector),
        "产品经理" => Some(Role::ProductManager),
        "IT" => Some(Role::It),
        "测试" => Some(Role::Tester),
        "决策组" => Some(Role::DecisionGroup),
        _ => None,
    };
    people
        .iter()
        .filter(|p| p.active && role.is_some_and(|r| p.roles.contains(&r)))
        .map(|p| p.name.clone())
        .collect()
}

impl Db {
    /// The monthly assessment (SPEC §7, `domain::assessment`): each person's late steps of
    /// `month` with the deductions, the amounts from the `assessment.*` settings. A step whose
    /// role has no single holder is charged to the role, named so.
    pub fn assessment(
        &self,
        month: crate::domain::monthly::Month,
    ) -> Result<Vec<crate::domain::assessment::Sheet>> {
        let people = self.people()?;
        let deadlines = self.deadlines(month.last())?;
        let conn = self.conn();
        // the rules in force that month: re-running an old month gives the same sheet
        let amounts = crate::domain::assessment::Amounts::from_settings(|k| {
            super::settings::value_as_of(conn, k, month.last()).unwrap_or_default()
        });
        Ok(crate::domain::assessment::assess(
            month,
            &deadlines,
            &|d| match responsible_names(&people, d).as_slice() {
                [one] => one.clone(),
                _ => format!("{}（未指定负责人）", d.responsible.role),
            },
            amounts,
        ))
    }

    /// The reward candidates of a quarter (SPEC §7) with their evidence: people with every step
    /// in time, collectors who missed nothing, and grade A/B requirements delivered in the
    /// quarter with at least half of the working days from decision to promise left over.
    pub fn rewards(
        &self,
        quarter: crate::domain::assessment::Quarter,
    ) -> Result<crate::domain::assessment::Rewards> {
        use crate::domain::assessment::{rewards, EarlyMajor};
        let people = self.people()?;
        let end = quarter.months()[2].last();
        let deadlines = self.deadlines(end)?;
        let calendar = self.calendar()?;
        let managers: Vec<String> = people
            .iter()
            .filter(|p| {
                p.active
                    && p.roles
                        .contains(&crate::domain::people::Role::ProductManager)
            })
            .map(|p| p.name.clone())
            .collect();
        let mut majors = Vec::new();
        let mut st = self.conn().prepare_cached(
            "SELECT number, grade, decision_date, expected_delivery, actual_delivery
             FROM requirements
             WHERE grade IN ('A', 'B') AND withdrawn_at IS NULL AND actual_delivery IS NOT NULL
               AND decision_date IS NOT NULL AND expected_delivery IS NOT NULL
             ORDER BY number",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (number, grade, decided, promised, delivered) = row?;
            let (Some(decided), Some(promised), Some(delivered)) = (
                dates::from_iso(&decided),
                dates::from_iso(&promised),
                dates::from_iso(&delivered),
            ) else {
                continue;
            };
            if !quarter.contains(delivered) {
                continue;
            }
            let span = calendar.working_days_between(decided, promised);
            let early = calendar.working_days_between(delivered, promised);
            if span > 0 && early > 0 && early * 2 >= span {
                majors.push(EarlyMajor {
                    number,
                    grade,
                    decided,
                    promised,
                    delivered,
                    span_days: span,
                    early_days: early,
                    responsible: match managers.as_slice() {
                        [one] => one.clone(),
                        _ => "产品经理".to_string(),
                    },
                });
            }
        }
        Ok(rewards(
            quarter,
            &deadlines,
            &|d| match responsible_names(&people, d).as_slice() {
                [one] => one.clone(),
                _ => format!("{}（未指定负责人）", d.responsible.role),
            },
            majors,
        ))
    }

    /// What is due and overdue at `now` (local time), soonest first; with `person`, only the
    /// steps that person is responsible for (named on the record, or holding the role).
    pub fn todo(&self, now: NaiveDateTime, person: Option<&str>) -> Result<Vec<TodoItem>> {
        let people = self.people()?;
        let person = person.map(str::trim).filter(|p| !p.is_empty());
        let mut out = Vec::new();
        for d in self.deadlines(now.date())? {
            if d.done.is_some() {
                continue;
            }
            let names = responsible_names(&people, &d);
            if person.is_some_and(|p| !names.iter().any(|n| n == p)) {
                continue;
            }
            out.push(TodoItem {
                rule: d.rule,
                record: d.record.clone(),
                responsible: if names.is_empty() {
                    d.responsible.role.to_string()
                } else {
                    names.join("、")
                },
                due: dates::minute(&d.due),
                overdue: d.late(now),
                soon: d.due >= now && d.due - now <= chrono::Duration::hours(1),
            });
        }
        Ok(out)
    }
}
