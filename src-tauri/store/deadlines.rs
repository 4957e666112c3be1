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
use crate::store::sql::OptionalExtension;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{HashMap, HashSet};

use dates::local_of_moment as local;

/// When a trigger happened, and whether a legacy file stated it (an import's history row, or
/// a value no one recorded in Genjin) rather than someone recording it here.
#[derive(Debug, Clone, Copy)]
struct Moment {
    at: NaiveDateTime,
    stated: bool,
}

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
    /// the promised dates in force on `today` — legacy ones left out: history a file brought
    /// in is never due (issue 19).
    pub fn deadlines(&self, today: NaiveDate) -> Result<Vec<Deadline>> {
        let w = self.deadline_windows(today)?;
        let conn = self.conn();
        // history: the first moment each column was given, and the latest decision — as
        // recorded in Genjin when it was (a legacy file's statement only when nothing was);
        // and when each requirement came into Genjin (registered, or imported)
        let mut first: HashMap<(i64, String), Moment> = HashMap::new();
        let mut decided: HashMap<i64, Moment> = HashMap::new();
        let mut promised_at: HashMap<i64, Moment> = HashMap::new();
        let mut created_in_app: HashSet<i64> = HashSet::new();
        let mut arrived: HashMap<i64, NaiveDateTime> = HashMap::new();
        let mut st = conn.prepare_cached(
            "SELECT entity_id, field, happened_at, recorded_at, origin FROM history
             WHERE entity = 'requirement' AND field IN ('created', 'imported', 'decision',
                 'plan_estimated_date', 'plan_actual_date', 'it_acceptance_estimated',
                 'it_acceptance_actual', 'expected_delivery', 'actual_delivery')
             ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (id, field, happened, recorded, origin) = row?;
            let Some(t) = local(&happened) else { continue };
            let m = Moment {
                at: t,
                stated: origin.starts_with("import:"),
            };
            match field.as_str() {
                "created" => {
                    created_in_app.insert(id);
                    arrived
                        .entry(id)
                        .and_modify(|a| *a = (*a).min(t))
                        .or_insert(t);
                }
                "imported" => {
                    if let Some(r) = local(&recorded) {
                        arrived
                            .entry(id)
                            .and_modify(|a| *a = (*a).min(r))
                            .or_insert(r);
                    }
                }
                "decision" => {
                    let e = decided.entry(id).or_insert(m);
                    if e.stated || !m.stated {
                        *e = m;
                    }
                }
                _ => {
                    if field == "expected_delivery" {
                        let e = promised_at.entry(id).or_insert(m);
                        if e.stated || !m.stated {
                            *e = m;
                        }
                    }
                    let e = first.entry((id, field)).or_insert(m);
                    if e.stated && !m.stated {
                        *e = m;
                    }
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
        // each approval at the moment the 总经办 signed (the history's time of the step, as
        // `--at` gave it); a delay no one signed in Genjin was stated by a legacy file
        let mut approvals: HashMap<i64, (i64, Moment)> = HashMap::new();
        let mut st = conn.prepare_cached(
            "SELECT d.id, d.requirement_id,
                    (SELECT max(h.happened_at) FROM history h
                     WHERE h.entity = 'delay' AND h.entity_id = d.id
                       AND h.field = 'signoff_gm_office'),
                    d.approved_at
             FROM delay_applications d
             WHERE d.approved_at IS NOT NULL AND d.withdrawn_at IS NULL",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (delay, req, signed, approved_at) = row?;
            let m = match signed.as_deref().and_then(local) {
                Some(at) => Moment { at, stated: false },
                None => match local(&approved_at) {
                    Some(at) => Moment { at, stated: true },
                    None => continue,
                },
            };
            approvals.insert(delay, (req, m));
        }
        // the latest approval per requirement (R11's trigger)
        let mut approved: HashMap<i64, Moment> = HashMap::new();
        for (req, m) in approvals.values() {
            let e = approved.entry(*req).or_insert(*m);
            if m.at > e.at {
                *e = *m;
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
            let fact = |c: &str| first.get(&(id, c.to_string())).copied();
            let col = |c: &str| fact(c).map(|m| m.at);
            let notices = req_notices.remove(&id).unwrap_or_default();
            let decided_at = decided.get(&id).map(|m| m.at);
            let expected_at = col("expected_delivery");
            let delivered_at = col("actual_delivery");
            let delay_at = approved.get(&id).map(|m| m.at);
            let told =
                |step: &str, audience: &str, since| first_after(&notices, step, audience, since);
            let expected_day = expected.as_deref().and_then(dates::from_iso);
            let own = delays.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            let force = in_force(expected_day, own, today);
            let promised = force.date;
            // when the date in force was promised: the approval of the delay that set it, else
            // the expected date as last recorded (a file's statement when no one recorded it)
            let promise = match force.approved.last() {
                Some(d) => approvals.get(&d.id).map(|(_, m)| *m),
                None => promised_at.get(&id).copied(),
            }
            .or_else(|| {
                promised.map(|_| Moment {
                    at: NaiveDateTime::MIN,
                    stated: true,
                })
            });
            let in_time: Vec<_> = own.iter().filter(|d| !d.filed_late()).cloned().collect();
            let promised_honoured = in_force(expected_day, &in_time, today).date;
            let registered_by = collector.clone();
            let mut stated: Vec<&'static str> = Vec::new();
            for (key, m) in [
                ("decided", decided.get(&id).copied()),
                ("plan_delivered", fact("plan_actual_date")),
                ("acceptance_estimated", fact("it_acceptance_estimated")),
                ("acceptance_actual", fact("it_acceptance_actual")),
                ("expected_recorded", fact("expected_delivery")),
                ("delivered_recorded", fact("actual_delivery")),
                ("delay_approved", approved.get(&id).copied()),
                ("promised", promise),
            ] {
                if m.is_some_and(|m| m.stated) {
                    stated.push(key);
                }
            }
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
                // a record registered in Genjin keeps every step it records, however far back
                // it dates them (a replay); one a legacy file brought in has its history before
                // the import
                arrived: arrived
                    .get(&id)
                    .copied()
                    .filter(|_| !created_in_app.contains(&id)),
                imported: !created_in_app.contains(&id) && arrived.contains_key(&id),
                promise_recorded: promise.map(|m| m.at),
                stated,
            };
            // legacy steps are history: never a task, never assessed (issue 19)
            out.extend(
                requirement_deadlines(&m, &w)
                    .into_iter()
                    .filter(|d| !d.legacy),
            );
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
        // bugs: when the reporter was first copied, when each came into Genjin, and what a
        // legacy file stated
        let mut copied: HashMap<i64, NaiveDateTime> = HashMap::new();
        let mut bug_arrived: HashMap<i64, (NaiveDateTime, bool)> = HashMap::new();
        // per bug and trigger: whether its latest word came from a legacy file
        let mut bug_said: HashMap<(i64, &'static str), bool> = HashMap::new();
        let mut st = conn.prepare_cached(
            "SELECT entity_id, field, new_value, happened_at, recorded_at, origin FROM history
             WHERE entity = 'bug'
               AND field IN ('reporter_copied', 'created', 'imported', 'reproduced', 'fixed_date')
             ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        for row in rows {
            let (id, field, new, happened, recorded, origin) = row?;
            let from_file = origin.starts_with("import:");
            match field.as_str() {
                "reporter_copied" if new.as_deref() == Some("1") => {
                    if let Some(t) = local(&happened) {
                        copied.entry(id).or_insert(t);
                    }
                }
                "created" | "imported" => {
                    let at = if field == "created" {
                        &happened
                    } else {
                        &recorded
                    };
                    if let Some(t) = local(at) {
                        let e = bug_arrived.entry(id).or_insert((t, field == "imported"));
                        if t < e.0 {
                            *e = (t, field == "imported");
                        }
                    }
                }
                "reproduced" | "fixed_date" => {
                    let key = if field == "reproduced" {
                        "reproduced"
                    } else {
                        "fixed"
                    };
                    bug_said.insert((id, key), from_file);
                }
                _ => {}
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
                arrived: bug_arrived
                    .get(&id)
                    .filter(|(_, imported)| *imported)
                    .map(|(t, _)| *t),
                imported: bug_arrived.get(&id).is_some_and(|(_, imported)| *imported),
                stated: {
                    // a bug a file brought in already reproduced or fixed: the file said so
                    let imported = bug_arrived.get(&id).is_some_and(|(_, imported)| *imported);
                    ["reproduced", "fixed"]
                        .into_iter()
                        .filter(|k| bug_said.get(&(id, *k)).copied().unwrap_or(imported))
                        .collect()
                },
            };
            out.extend(bug_deadlines(&b, &w).into_iter().filter(|d| !d.legacy));
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
    /// The rule's label (`R5 记录决策并通知报告人`).
    pub rule: String,
    /// The rule in words, with the windows in force.
    pub explain: String,
    /// The record it opens (需求编号, Bug number, `YYYY-MM-DD 周报`).
    pub record: String,
    /// What the record is about: a requirement's 需求梗概, a bug's content (its first
    /// characters); empty for a 周报 (issue 20: the number alone says nothing).
    pub brief: String,
    /// The record's tab where the step is done (`notify`, `flow`; empty: the record itself).
    pub tab: String,
    /// The person responsible, or the holders of the role (、-separated), or the role.
    pub responsible: String,
    /// `YYYY-MM-DD HH:MM`.
    pub due: String,
    pub overdue: bool,
    /// Falls due within the next hour (the window's reminder).
    pub soon: bool,
}

/// What a collector's to-do page says beside the steps (issue 19): lists to check or to
/// put right, which are no one's steps and charge no one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The requirements a legacy register brought in whose promise has passed: to check (the
    /// register's 旧表逾期 filter lists them).
    LegacyOverdue,
    /// A requirement with missed steps no one answers for: to assign (its 详情 → 负责人).
    Unassigned,
}

/// One such note.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TodoNote {
    pub kind: NoteKind,
    /// `旧表导入的逾期需求 3 条，请核对`.
    pub text: String,
    /// Why, and what to do.
    pub explain: String,
    /// The requirement it opens (empty: the register's `filter`).
    pub record: String,
    /// The register's 需求状态 filter that lists them (`旧表逾期`), when it is a list.
    pub filter: String,
    /// How many.
    pub count: u64,
}

/// How many requirements the to-do's notes name one by one; the others are counted in one note.
pub const NOTES_NAMED: usize = 20;

/// The to-do page: the steps (the first `limit` when capped: issue 20, the window holds nothing
/// that grows with the database), how many there are and how many are overdue, and the
/// collector's notes beside them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TodoPage {
    pub items: Vec<TodoItem>,
    pub total: usize,
    pub overdue: usize,
    pub notes: Vec<TodoNote>,
}

/// The desktop reminders at a check (the window's, each minute): on a first check the steps
/// already due or within the hour (the first `ALERTS_NAMED`, the rest counted); after that, the
/// steps due or within the hour whose due time had not passed at the last check (at most
/// `ALERTS_SINCE_MAX`) — the window names each once (it keeps which it named); a step entered
/// so late that it was already overdue at the last check is not reminded of.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TodoAlerts {
    pub items: Vec<TodoItem>,
    pub more: usize,
}

/// How many reminders a first check names; the others are counted.
pub const ALERTS_NAMED: usize = 3;
/// The most steps a later check returns (those due within the hour since the last minute).
pub const ALERTS_SINCE_MAX: usize = 100;

/// The role a deadline names, when it is one of the people list's roles.
fn role_of(d: &Deadline) -> Option<crate::domain::people::Role> {
    use crate::domain::people::Role;
    match d.responsible.role {
        "需求收集人" => Some(Role::Collector),
        "产品经理" => Some(Role::ProductManager),
        "IT" => Some(Role::It),
        "测试" => Some(Role::Tester),
        "决策组" => Some(Role::DecisionGroup),
        _ => None,
    }
}

/// The open steps a to-do selected: the lines made, how many there are, how many overdue.
struct Selected {
    items: Vec<TodoItem>,
    total: usize,
    overdue: usize,
}

/// Falls due within the next hour (the window's reminder).
fn soon(d: &Deadline, now: NaiveDateTime) -> bool {
    d.due >= now && d.due - now <= chrono::Duration::hours(1)
}

/// Whether `name` answers for a deadline ([`responsible_names`] without making the list).
fn answers(people: &[super::Person], d: &Deadline, name: &str) -> bool {
    if !d.responsible.person.is_empty() {
        return d.responsible.person == name;
    }
    let role = role_of(d);
    people
        .iter()
        .any(|p| p.active && p.name == name && role.is_some_and(|r| p.roles.contains(&r)))
}

/// Who answers for a deadline: the person the record names, else the active holders of its role.
fn responsible_names(people: &[super::Person], d: &Deadline) -> Vec<String> {
    if !d.responsible.person.is_empty() {
        return vec![d.responsible.person.clone()];
    }
    let role = role_of(d);
    people
        .iter()
        .filter(|p| p.active && role.is_some_and(|r| p.roles.contains(&r)))
        .map(|p| p.name.clone())
        .collect()
}

/// Whom a missed step is charged to: the person named, or the single active holder of its
/// role; with several holders and no one named, the role (未指定负责人), for the collector to
/// assign.
fn charged_to(people: &[super::Person], d: &Deadline) -> String {
    match responsible_names(people, d).as_slice() {
        [one] => one.clone(),
        _ => format!("{}{UNASSIGNED}", d.responsible.role),
    }
}

/// How a sheet charged to no one is named: `产品经理（未指定负责人）`.
pub const UNASSIGNED: &str = "（未指定负责人）";

impl Db {
    /// The monthly assessment (SPEC §7, `domain::assessment`) as of `now`: each person's late
    /// steps of `month` with the deductions, the amounts from the `assessment.*` settings in
    /// force that month. A month not over yet counts only what is late by `now` (issue 19). A
    /// step whose role has no single holder is charged to the role, named so.
    pub fn assessment(
        &self,
        month: crate::domain::monthly::Month,
        now: NaiveDateTime,
    ) -> Result<crate::domain::assessment::Assessment> {
        let day = month.last().min(now.date());
        // charged as the people list stood then: a closed month stays as it was
        let cutoff = month
            .last()
            .and_hms_opt(23, 59, 59)
            .unwrap_or(NaiveDateTime::MAX)
            .min(now);
        let people = self.people_as_of(cutoff)?;
        let deadlines = self.deadlines(day)?;
        let conn = self.conn();
        // the rules in force that month: re-running an old month gives the same sheet
        let amounts = crate::domain::assessment::Amounts::from_settings(|k| {
            super::settings::value_as_of(conn, k, month.last()).unwrap_or_default()
        });
        let windows = self.deadline_windows(day)?;
        Ok(crate::domain::assessment::assess(
            month,
            &deadlines,
            &|d| charged_to(&people, d),
            amounts,
            now,
            &|r| r.explain(&windows),
        ))
    }

    /// The assessment `actor` may read (issue 19): the decision group reads everyone's; anyone
    /// else their own sheet — and a collector the sheets charged to no one, to assign them.
    /// `limited` says so. Errors: `Forbidden` for an actor who is not a listed, active person.
    pub fn assessment_for(
        &self,
        actor: &super::Actor,
        month: crate::domain::monthly::Month,
        now: NaiveDateTime,
    ) -> Result<crate::domain::assessment::Assessment> {
        use crate::domain::people::{reads_every_assessment, Role};
        let who = super::people::acting(self.conn(), actor, "查看月度考核")?;
        let mut a = self.assessment(month, now)?;
        if let Some((name, roles)) = who {
            if !reads_every_assessment(&roles) {
                let collector = roles.contains(&Role::Collector);
                a.sheets
                    .retain(|s| s.name == name || (collector && s.name.ends_with(UNASSIGNED)));
                a.limited = true;
            }
        }
        Ok(a)
    }

    /// The reward candidates of a quarter (SPEC §7) with their evidence: people with every step
    /// in time, collectors who missed nothing, and grade A/B requirements delivered in the
    /// quarter with at least half of the working days from decision to promise left over.
    pub fn rewards(
        &self,
        quarter: crate::domain::assessment::Quarter,
        now: NaiveDateTime,
    ) -> Result<crate::domain::assessment::Rewards> {
        use crate::domain::assessment::{rewards, EarlyMajor};
        let end = quarter.months()[2].last().min(now.date());
        let cutoff = quarter.months()[2]
            .last()
            .and_hms_opt(23, 59, 59)
            .unwrap_or(NaiveDateTime::MAX)
            .min(now);
        let people = self.people_as_of(cutoff)?;
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
            now,
            &deadlines,
            &|d| charged_to(&people, d),
            majors,
        ))
    }

    /// What is due and overdue at `now` (local time), soonest first; with `person`, only the
    /// steps that person is responsible for (named on the record, or holding the role). Legacy
    /// steps (issue 19: history a file brought in) are never on it.
    pub fn todo(&self, now: NaiveDateTime, person: Option<&str>) -> Result<Vec<TodoItem>> {
        let people = self.people()?;
        let deadlines = self.deadlines(now.date())?;
        let mut items = self
            .todo_from(&deadlines, &people, now, person, &|_| true, None)?
            .items;
        self.with_briefs(&mut items)?;
        Ok(items)
    }

    /// The collector's notes beside the to-do at `now` (`person`: whose to-do; the notes are a
    /// collector's, and everyone's view has them): the requirements a legacy register brought
    /// in whose promise has passed (to check; no one is charged), and each requirement whose
    /// missed steps of its collector, product manager or IT no one answers for (to assign).
    pub fn todo_notes(&self, now: NaiveDateTime, person: Option<&str>) -> Result<Vec<TodoNote>> {
        let people = self.people()?;
        let deadlines = self.deadlines(now.date())?;
        self.notes_from(&deadlines, &people, now, person)
    }

    /// The to-do page: its steps (the first `limit`, when given) and the collector's notes,
    /// from one reading of the deadlines.
    pub fn todo_page(
        &self,
        now: NaiveDateTime,
        person: Option<&str>,
        limit: Option<usize>,
    ) -> Result<TodoPage> {
        let people = self.people()?;
        let deadlines = self.deadlines(now.date())?;
        let Selected {
            mut items,
            total,
            overdue,
        } = self.todo_from(&deadlines, &people, now, person, &|_| true, limit)?;
        self.with_briefs(&mut items)?;
        Ok(TodoPage {
            items,
            total,
            overdue,
            notes: self.notes_from(&deadlines, &people, now, person)?,
        })
    }

    /// The reminders of `person`'s to-do at `now` since the check at `since` (`None`: a first
    /// check): see [`TodoAlerts`].
    pub fn todo_alerts(
        &self,
        now: NaiveDateTime,
        person: &str,
        since: Option<NaiveDateTime>,
    ) -> Result<TodoAlerts> {
        let people = self.people()?;
        let deadlines = self.deadlines(now.date())?;
        // due (or within the hour) — and, after a first check, not yet past due at the last one
        let alerting =
            |d: &Deadline| (d.late(now) || soon(d, now)) && since.is_none_or(|s| d.due > s);
        let limit = if since.is_none() {
            ALERTS_NAMED
        } else {
            ALERTS_SINCE_MAX
        };
        let picked = self.todo_from(
            &deadlines,
            &people,
            now,
            Some(person),
            &alerting,
            Some(limit),
        )?;
        let mut fresh = picked.items;
        let more = picked.total - fresh.len();
        self.with_briefs(&mut fresh)?;
        Ok(TodoAlerts { items: fresh, more })
    }

    /// Fills each item's `brief` (what its record is about).
    fn with_briefs(&self, items: &mut [TodoItem]) -> Result<()> {
        // a page of lines asks record by record; the whole to-do (the command line's) reads
        // every brief at once — one statement, not one per line (a server answers each)
        const ONE_BY_ONE: usize = 200;
        if items.len() <= ONE_BY_ONE {
            for i in items {
                i.brief = self.brief_of(&i.record)?;
            }
            return Ok(());
        }
        let briefs: std::collections::HashMap<String, String> = self
            .conn()
            .prepare("SELECT number, brief FROM requirements")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<crate::store::sql::Result<_>>()?;
        for i in items {
            i.brief = match briefs.get(&i.record) {
                Some(b) => b.clone(),
                None => self.brief_of(&i.record)?,
            };
        }
        Ok(())
    }

    /// The open steps of `person` (everyone's: `None`) that `keep` lets through, counted, the
    /// first `limit` of them made into lines (deadlines come soonest first): only the lines
    /// shown are built (issue 20: a to-do of 50,000 steps costs its count, not 50,000 lines).
    #[allow(clippy::too_many_arguments)]
    fn todo_from(
        &self,
        deadlines: &[Deadline],
        people: &[super::Person],
        now: NaiveDateTime,
        person: Option<&str>,
        keep: &dyn Fn(&Deadline) -> bool,
        limit: Option<usize>,
    ) -> Result<Selected> {
        let person = person.map(str::trim).filter(|p| !p.is_empty());
        let windows = self.deadline_windows(now.date())?;
        let mut out = Selected {
            items: Vec::new(),
            total: 0,
            overdue: 0,
        };
        for d in deadlines {
            if d.done.is_some() {
                continue;
            }
            if person.is_some_and(|p| !answers(people, d, p)) {
                continue;
            }
            if !keep(d) {
                continue;
            }
            out.total += 1;
            if d.late(now) {
                out.overdue += 1;
            }
            if limit.is_some_and(|l| out.items.len() >= l) {
                continue;
            }
            let names = responsible_names(people, d);
            out.items.push(TodoItem {
                rule: d.rule.label().to_string(),
                explain: d.rule.explain(&windows),
                record: d.record.clone(),
                brief: String::new(),
                tab: d.rule.tab().to_string(),
                responsible: if names.is_empty() {
                    d.responsible.role.to_string()
                } else {
                    names.join("、")
                },
                due: dates::minute(&d.due),
                overdue: d.late(now),
                soon: soon(d, now),
            });
        }
        Ok(out)
    }

    /// What a record of the deadlines is about (see `TodoItem::brief`).
    fn brief_of(&self, record: &str) -> Result<String> {
        const BUG_BRIEF_CHARS: usize = 30;
        let conn = self.conn();
        let brief: Option<String> = conn
            .prepare_cached("SELECT brief FROM requirements WHERE number = ?1")?
            .query_row([record], |r| r.get(0))
            .optional()?;
        if let Some(b) = brief {
            return Ok(b);
        }
        let content: Option<String> = conn
            .prepare_cached("SELECT content FROM bugs WHERE number = ?1")?
            .query_row([record], |r| r.get(0))
            .optional()?;
        Ok(content
            .map(|c| {
                let line = c.lines().next().unwrap_or_default().trim();
                let mut short: String = line.chars().take(BUG_BRIEF_CHARS).collect();
                if line.chars().count() > BUG_BRIEF_CHARS || c.trim() != line {
                    short.push('…');
                }
                short
            })
            .unwrap_or_default())
    }

    fn notes_from(
        &self,
        deadlines: &[Deadline],
        people: &[super::Person],
        now: NaiveDateTime,
        person: Option<&str>,
    ) -> Result<Vec<TodoNote>> {
        use crate::domain::people::Role;
        let person = person.map(str::trim).filter(|p| !p.is_empty());
        let collector = |p: &str| {
            people
                .iter()
                .any(|x| x.active && x.name == p && x.roles.contains(&Role::Collector))
        };
        if person.is_some_and(|p| !collector(p)) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let legacy = self.legacy_overdue(now.date())?;
        if legacy > 0 {
            out.push(TodoNote {
                kind: NoteKind::LegacyOverdue,
                text: format!("旧表导入的逾期需求 {legacy} 条，请核对"),
                explain: "这些需求由旧登记表导入，承诺的交付日已过而没有交付记录：请核对是否已经交付、延期或不再做。它们是导入前的历史，不计入任何人的待办和考核".into(),
                record: String::new(),
                filter: super::LEGACY_OVERDUE.to_string(),
                count: legacy,
            });
        }
        let mut unassigned: std::collections::BTreeMap<(String, &'static str), u64> =
            Default::default();
        for d in deadlines {
            let assignable = matches!(d.responsible.role, "需求收集人" | "产品经理" | "IT")
                && !d.record.ends_with("周报");
            if !assignable || !d.late(now) || responsible_names(people, d).len() == 1 {
                continue;
            }
            *unassigned
                .entry((d.record.clone(), d.responsible.role))
                .or_default() += 1;
        }
        // a few by name, the rest in one line: the page holds nothing that grows with the
        // database (issue 20)
        let named = unassigned.len().min(NOTES_NAMED);
        let rest: u64 = unassigned.values().skip(named).sum();
        let others = unassigned.len() - named;
        for ((record, role), n) in unassigned.into_iter().take(named) {
            out.push(TodoNote {
                kind: NoteKind::Unassigned,
                text: format!("{record}：{n} 项未按时的事项没有{role}负责，请指定"),
                explain: format!(
                    "这条需求没有写明{role}，担任{role}的也不止一人，未按时的事项只能记在“{role}{UNASSIGNED}”名下：请在需求的“详情”中指定负责人"
                ),
                record,
                filter: String::new(),
                count: n,
            });
        }
        if others > 0 {
            out.push(TodoNote {
                kind: NoteKind::Unassigned,
                text: format!("另有 {others} 条需求共 {rest} 项未按时的事项没有负责人，请指定"),
                explain: "这些需求没有写明负责人，担任该角色的也不止一人：请在各需求的“详情”中指定负责人（全部待办中可以看到它们）".into(),
                record: String::new(),
                filter: String::new(),
                count: rest,
            });
        }
        Ok(out)
    }
}
