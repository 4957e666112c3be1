//! Requirements: creation with a fresh 需求编号, edits of the report, and each lifecycle step.
//! Every edit goes through the change engine (`store::change`), which writes the history rows
//! in the same transaction; the step rules themselves live in `domain::requirement`.

mod types;

pub use types::{
    DecisionInput, DeliveryInput, ItAcceptanceInput, PlanInput, Requirement, RequirementInput,
    ResponsibleInput, StepDoer, StepTime,
};

use super::change::{self, Edit, REQUIREMENT};
use super::{delays, settings, Actor, Db};
use crate::domain::dates;
use crate::domain::numbering::Scheme;
use crate::domain::requirement::{
    check_brief, check_decision, check_expected_delivery_open, check_needs_work,
    check_not_before_received, check_not_future, check_promised, check_report_date, Kind,
};
use crate::error::{Error, Result};
use crate::store::sql::{params, Conn, OptionalExtension, Value};
use chrono::NaiveDate;

/// Loads one requirement with its delays and derived fields, inside or outside a transaction.
pub(crate) fn load(conn: &Conn, number: &str) -> Result<Requirement> {
    let number = number.trim();
    let mut req = conn
        .prepare_cached(&format!(
            "SELECT {} FROM requirements WHERE number = ?1",
            types::COLUMNS.join(", ")
        ))?
        .query_row([number], types::from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到需求编号 {number}")))?;
    req.delays = delays::of_requirement(conn, req.id)?;
    req.screenshots = super::attachments::of_requirement(conn, req.id)?;
    req.derive();
    Ok(req)
}

/// A required day typed by a person, named by its field for the error message.
pub(crate) fn required_day(field: &str, label: &str, input: &str) -> Result<NaiveDate> {
    if input.trim().is_empty() {
        return Err(Error::invalid(field, format!("请填写{label}")));
    }
    optional_day(field, label, input)?
        .ok_or_else(|| Error::invalid(field, format!("请填写{label}")))
}

pub(crate) fn optional_day(field: &str, label: &str, input: &str) -> Result<Option<NaiveDate>> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    dates::parse_day(input).map(Some).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "{label}“{}”不是有效日期（例如 2014-06-20 或 20140620）",
                input.trim()
            ),
        )
    })
}

fn iso_opt(d: Option<NaiveDate>) -> Value {
    d.map(|d| Value::Text(dates::iso(d))).unwrap_or(Value::Null)
}

fn text(s: &str) -> Value {
    Value::Text(s.trim().to_string())
}

fn received(req: &Requirement) -> Option<NaiveDate> {
    dates::from_iso(&req.received_date)
}
/// The report fields of a requirement input, as (column, value), validated against the day it
/// was received.
pub(crate) fn report_values(
    input: &RequirementInput,
    received: Option<NaiveDate>,
) -> Result<Vec<(&'static str, Value)>> {
    check_brief(&input.brief).map_err(|m| Error::invalid("brief", m))?;
    if input.reporter.trim().is_empty() {
        return Err(Error::invalid("reporter", "请填写填表人（需求报告人）"));
    }
    let report_date = optional_day("report_date", "填报日期", &input.report_date)?;
    if let Some(received) = received {
        check_report_date(report_date, received)?;
    }
    let kind = input.kind.unwrap_or(Kind::New);
    Ok(vec![
        ("kind", Value::Text(kind.code().into())),
        ("source", text(&input.source)),
        ("reporter", text(&input.reporter)),
        ("reporter_department", text(&input.reporter_department)),
        ("report_date", iso_opt(report_date)),
        ("requester", text(&input.requester)),
        ("doctor_name", text(&input.doctor_name)),
        ("hospital", text(&input.hospital)),
        ("clinic_department", text(&input.clinic_department)),
        ("app_account", text(&input.app_account)),
        // The doctor's words are kept verbatim: no trimming.
        ("doctor_words", Value::Text(input.doctor_words.clone())),
        ("overview", text(&input.overview)),
        ("brief", text(&input.brief)),
        ("new_intensity", text(&input.new_intensity)),
        ("new_simplifies", text(&input.new_simplifies)),
        ("new_similar", text(&input.new_similar)),
        ("imp_phone_model", text(&input.imp_phone_model)),
        ("imp_os_version", text(&input.imp_os_version)),
        ("imp_annoyance", text(&input.imp_annoyance)),
        ("imp_steps", text(&input.imp_steps)),
        ("remark", text(&input.remark)),
    ])
}

/// Hands out the next number of a series for `day`, never one handed out before.
pub(crate) fn allocate_number(
    tx: &Conn,
    series: &str,
    table: &str,
    day: NaiveDate,
) -> Result<String> {
    let scheme_code = settings::value(tx, &format!("numbering.{series}.scheme"))?;
    let scheme = Scheme::from_code(&scheme_code).unwrap_or(Scheme::Daily);
    let prefix = settings::value(tx, &format!("numbering.{series}.prefix"))?;
    let period = scheme.period(day);
    // the counter's row is taken under lock first (an upsert that changes nothing): on a shared
    // database, PCs numbering the same day queue here until the one before them commits, then
    // read what it handed out. A plain read first would hand out the same number twice.
    let counter: u32 = tx.query_row(
        "INSERT INTO number_counters (series, period, last_seq) VALUES (?1, ?2, 0)
         ON CONFLICT (series, period) DO UPDATE SET last_seq = number_counters.last_seq
         RETURNING last_seq",
        params![series, period],
        |r| r.get(0),
    )?;
    // Numbers written by other means (an import) count too.
    let lo = format!("{prefix}{period}");
    let hi = format!("{prefix}{period}~");
    let mut st = tx.prepare_cached(&format!(
        "SELECT number FROM {table} WHERE number >= ?1 AND number < ?2"
    ))?;
    let existing = st
        .query_map(params![lo, hi], |r| r.get::<_, String>(0))?
        .filter_map(|n| n.ok())
        .filter_map(|n| scheme.parse(&prefix, &n).map(|(_, seq)| seq))
        .max()
        .unwrap_or(0);
    let next = counter.max(existing) + 1;
    let number = scheme.format(&prefix, &period, next).ok_or_else(|| {
        Error::NumbersExhausted(format!(
            "{}的编号已用完：每{}最多 {} 个（编号规则 {}）。请核对收到日期，或在设置中更换编号规则。",
            dates::chinese(day),
            if scheme == Scheme::Daily { "天" } else { "月" },
            scheme.capacity(),
            scheme.code()
        ))
    })?;
    tx.execute(
        "INSERT INTO number_counters (series, period, last_seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (series, period) DO UPDATE SET last_seq = excluded.last_seq",
        params![series, period, next],
    )?;
    Ok(number)
}

/// Records, in the caller's transaction, that requirement `req_id` came from bug `bug_id`
/// (`bug_number`): through the change engine, so its version steps and its history says
/// `from_bug`. A requirement already made from another bug keeps that link: `false`.
pub(crate) fn link_from_bug(
    tx: &Conn,
    actor: &Actor,
    req_id: i64,
    bug: (i64, &str),
    when: &str,
) -> Result<bool> {
    let (bug_id, bug_number) = bug;
    let (number, linked): (String, Option<i64>) = tx.query_row(
        "SELECT number, from_bug_id FROM requirements WHERE id = ?1",
        [req_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if linked.is_some() {
        return Ok(false);
    }
    change::apply(
        tx,
        &REQUIREMENT,
        actor,
        Edit {
            id: req_id,
            name: &number,
            seen_version: None,
            happened_at: when,
            values: vec![("from_bug_id", Value::Integer(bug_id))],
            events: &[("from_bug_id", None)],
        },
    )?;
    change::event(
        tx,
        &REQUIREMENT,
        actor,
        req_id,
        when,
        ("from_bug", None, Some(bug_number)),
    )?;
    Ok(true)
}

/// Registers a new requirement inside the caller's transaction (its number allocated there):
/// `(id, number)`. Errors: `Invalid` naming the field.
pub(crate) fn insert(tx: &Conn, actor: &Actor, input: &RequirementInput) -> Result<(i64, String)> {
    let received = required_day("received_date", "收到日期", &input.received_date)?;
    check_not_future("received_date", "收到日期", received, actor.today())?;
    let values = report_values(input, Some(received))?;
    let now = actor.stamp();
    // registered when (default now): never before the report was received
    let when = dates::happened_at(input.happened_at.as_deref(), actor.now)?;
    if dates::day_of_moment(&when).is_some_and(|d| d < received) {
        return Err(Error::invalid(
            "happened_at",
            format!("登记时间不能早于收到日期（{}）", dates::chinese(received)),
        ));
    }
    let number = allocate_number(tx, "requirement", "requirements", received)?;
    let mut cols: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
    let mut vals: Vec<Value> = values.iter().map(|(_, v)| v.clone()).collect();
    cols.extend([
        "number",
        "received_date",
        "reporter_id",
        "created_at",
        "updated_at",
    ]);
    vals.extend([
        Value::Text(number.clone()),
        Value::Text(dates::iso(received)),
        actor_reporter_id(tx, &input.reporter)?,
        Value::Text(now.clone()),
        Value::Text(now.clone()),
    ]);
    // registering is the collector's first step: a collector who registers it answers for it
    if holds(tx, actor, crate::domain::people::Role::Collector)? {
        cols.push("collector");
        vals.push(Value::Text(actor.name.clone()));
    }
    let marks = (1..=cols.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    tx.execute(
        &format!(
            "INSERT INTO requirements ({}) VALUES ({marks})",
            cols.join(", ")
        ),
        crate::store::sql::params_from_iter(vals.iter()),
    )?;
    let id = tx.inserted_id()?;
    super::search::after_create(tx, id)?;
    change::event(
        tx,
        &REQUIREMENT,
        actor,
        id,
        &when,
        ("created", None, Some(&number)),
    )?;
    Ok((id, number))
}

impl Db {
    /// A requirement as recorded (its `overdue` flag needs a day: see [`Db::requirement_on`]).
    pub fn requirement(&self, number: &str) -> Result<Requirement> {
        load(self.conn(), number)
    }

    /// Fills `r.doers`: for each step someone may record on another's behalf, the active
    /// holders of its role and the default doer — `actor` when they hold it (issue 19).
    pub fn with_doers(&self, r: &mut Requirement, actor: Option<&Actor>) -> Result<()> {
        use crate::domain::requirement::STEP_ROLES;
        let people = self.people()?;
        let me = actor.and_then(|a| a.person_id);
        r.doers = STEP_ROLES
            .iter()
            .map(|(step, role)| {
                let holders: Vec<&super::Person> = people
                    .iter()
                    .filter(|p| p.active && p.roles.contains(role))
                    .collect();
                StepDoer {
                    step,
                    role: role.label(),
                    people: holders.iter().map(|p| p.name.clone()).collect(),
                    default: holders
                        .iter()
                        .find(|p| Some(p.id) == me)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        Ok(())
    }

    /// A requirement with 逾期 worked out as of `today`, as the window's header shows it.
    pub fn requirement_on(&self, number: &str, today: NaiveDate) -> Result<Requirement> {
        let mut r = load(self.conn(), number)?;
        r.derive_on(today);
        Ok(r)
    }

    /// Registers a new requirement and gives it the next 需求编号 of its received date.
    pub fn create_requirement(
        &mut self,
        actor: &Actor,
        input: &RequirementInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Register)?;
        let number = self.write(|tx| Ok(insert(tx, actor, input)?.1))?;
        self.requirement_on(&number, actor.today())
    }

    /// Edits the report fields (not the number or the received date, which made the number).
    pub fn update_requirement(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &RequirementInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Register)?;
        let values = report_values(input, None)?;
        let report_date = optional_day("report_date", "填报日期", &input.report_date)?;
        let received_change = input.received_date.trim();
        let at = StepTime {
            happened_at: None,
            version: input.version,
            by: None,
        };
        self.step(actor, number, &at, |req| {
            if !received_change.is_empty()
                && dates::parse_day(received_change).map(dates::iso).as_deref()
                    != Some(req.received_date.as_str())
            {
                return Err(Error::invalid(
                    "received_date",
                    "收到日期决定了需求编号，登记后不能修改；如确实登记错了，请撤回本条后重新登记",
                ));
            }
            if let Some(r) = received(req) {
                check_report_date(report_date, r)?;
            }
            Ok(values)
        })
    }

    /// Records the decision group's verdict (决策结果, 需求分级, conversion summary).
    pub fn record_decision(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &DecisionInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Decide)?;
        let (at, day) = decision_time(actor, input)?;
        self.step(actor, number, &at, |req| decision_values(req, input, day))
    }

    /// A decision meeting (决策会, SPEC §2 step 2): the verdicts on a whole agenda, all with the
    /// meeting's time (`at`, default now; the decision day is its day unless a verdict says
    /// otherwise), in one transaction — a verdict that breaks the rules refuses the sitting,
    /// naming its 需求编号, and nothing is written. Returns the numbers decided, in order.
    pub fn record_meeting(
        &mut self,
        actor: &Actor,
        verdicts: &[(String, DecisionInput)],
        at: Option<&str>,
    ) -> Result<Vec<String>> {
        self.allow(actor, crate::domain::people::Action::Decide)?;
        let when = dates::happened_at(at, actor.now)?;
        let mut seen = std::collections::HashSet::new();
        if let Some((number, _)) = verdicts.iter().find(|(n, _)| !seen.insert(n.trim())) {
            return Err(Error::invalid(
                "decision",
                format!(
                    "{}：同一次决策会里给出了两个决策结果，请只留一个",
                    number.trim()
                ),
            ));
        }
        // every row is checked before anything is kept: the meeting sees all its problems at
        // once, marked on their rows (issue 20), and nothing is written while one remains
        let mut planned = Vec::new();
        let mut problems = Vec::new();
        let problem = |number: &str, e: Error| match e {
            Error::Invalid { field, message } => Ok(crate::error::RowProblem {
                record: number.to_string(),
                field,
                message,
            }),
            other => Err(other),
        };
        for (number, input) in verdicts {
            let mut input = input.clone();
            input.at.happened_at = Some(when.clone());
            match decision_time(actor, &input) {
                Ok((at, day)) => planned.push((number.trim().to_string(), input, at, day)),
                Err(e) => problems.push(problem(number.trim(), e)?),
            }
        }
        self.write(|tx| {
            for (number, input, at, day) in &planned {
                if let Err(e) = step_in(tx, actor, number, at, |req| {
                    decision_values(req, input, *day)
                }) {
                    problems.push(problem(number, e)?);
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                let order = |r: &crate::error::RowProblem| {
                    verdicts.iter().position(|(n, _)| n.trim() == r.record)
                };
                problems.sort_by_key(order);
                Err(Error::InvalidRows(std::mem::take(&mut problems)))
            }
        })?;
        Ok(planned.into_iter().map(|(n, ..)| n).collect())
    }

    /// Who answers for the requirement's steps (collector, product manager, IT owner): each
    /// a known person or empty; `None` keeps the stored name. Errors: `Invalid` for a name
    /// not in the people list, naming the role.
    pub fn set_responsible(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &ResponsibleInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Responsible)?;
        let mut checked: Vec<(&'static str, String)> = Vec::new();
        for (col, label, given) in [
            ("collector", "需求收集人", &input.collector),
            ("product_manager", "产品经理", &input.product_manager),
            ("it_owner", "IT负责人", &input.it_owner),
        ] {
            let Some(name) = given.as_deref().map(str::trim) else {
                continue;
            };
            if !name.is_empty() && self.person_by_name(name)?.is_none() {
                return Err(Error::invalid(
                    col,
                    format!("{label}“{name}”不在人员名单中，请先在“人员”中登记"),
                ));
            }
            checked.push((col, name.to_string()));
        }
        self.step(actor, number, &input.at, |_| {
            Ok(checked
                .into_iter()
                .map(|(c, n)| (c, Value::Text(n)))
                .collect())
        })
    }

    /// The product manager's planning document: its number and estimated / actual delivery.
    pub fn record_plan(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &PlanInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Plan)?;
        let est = optional_day(
            "plan_estimated_date",
            "策划文档预计交付日",
            &input.plan_estimated_date,
        )?;
        let act = optional_day(
            "plan_actual_date",
            "策划文档实际交付日",
            &input.plan_actual_date,
        )?;
        // what happened is never dated ahead (issue 19); an estimate may be
        if let Some(d) = act {
            check_not_future("plan_actual_date", "策划文档实际交付日", d, actor.today())?;
        }
        self.step(actor, number, &input.at, |req| {
            check_needs_work(&req.number, req.decision, "策划")?;
            check_not_before_received(
                "plan_estimated_date",
                "策划文档预计交付日",
                est,
                received(req),
            )?;
            check_not_before_received(
                "plan_actual_date",
                "策划文档实际交付日",
                act,
                received(req),
            )?;
            Ok(vec![
                ("plan_doc_number", text(&input.plan_doc_number)),
                ("plan_estimated_date", iso_opt(est)),
                ("plan_actual_date", iso_opt(act)),
            ])
        })
    }

    /// IT's acceptance date (when it hands the work to the product manager): estimated / actual.
    pub fn record_it_acceptance(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &ItAcceptanceInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Acceptance)?;
        let est = optional_day("it_acceptance_estimated", "IT预计验收日", &input.estimated)?;
        let act = optional_day("it_acceptance_actual", "IT实际验收日", &input.actual)?;
        if let Some(d) = act {
            check_not_future("it_acceptance_actual", "IT实际验收日", d, actor.today())?;
        }
        self.step(actor, number, &input.at, |req| {
            check_needs_work(&req.number, req.decision, "IT验收")?;
            check_not_before_received(
                "it_acceptance_estimated",
                "IT预计验收日",
                est,
                received(req),
            )?;
            check_not_before_received("it_acceptance_actual", "IT实际验收日", act, received(req))?;
            Ok(vec![
                ("it_acceptance_estimated", iso_opt(est)),
                ("it_acceptance_actual", iso_opt(act)),
            ])
        })
    }

    /// The product manager's 预期交付日: when users get the feature.
    pub fn record_expected_delivery(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &DeliveryInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Deliver)?;
        let date = required_day("expected_delivery", "预期交付日", &input.date)?;
        self.step(actor, number, &input.at, |req| {
            check_needs_work(&req.number, req.decision, "预期交付日")?;
            check_not_before_received(
                "expected_delivery",
                "预期交付日",
                Some(date),
                received(req),
            )?;
            check_expected_delivery_open(req.delays_in_force().len())?;
            Ok(vec![("expected_delivery", Value::Text(dates::iso(date)))])
        })
    }

    /// Completion after acceptance: the 实际交付日. The status becomes 完成.
    pub fn record_completion(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &DeliveryInput,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Deliver)?;
        let date = required_day("actual_delivery", "实际交付日", &input.date)?;
        check_not_future("actual_delivery", "实际交付日", date, actor.today())?;
        self.step(actor, number, &input.at, |req| {
            check_needs_work(&req.number, req.decision, "完成交付")?;
            check_promised(&req.number, req.expected_delivery.is_some())?;
            check_not_before_received("actual_delivery", "实际交付日", Some(date), received(req))?;
            Ok(vec![("actual_delivery", Value::Text(dates::iso(date)))])
        })
    }

    /// Withdraws a requirement: it stays, with its number, out of the default register view.
    pub fn withdraw_requirement(
        &mut self,
        actor: &Actor,
        number: &str,
        reason: &str,
        at: &StepTime,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Withdraw)?;
        if reason.trim().is_empty() {
            return Err(Error::invalid("withdrawn_reason", "请填写撤回原因"));
        }
        let when = dates::happened_at(at.happened_at.as_deref(), actor.now)?;
        let at = StepTime {
            happened_at: Some(when.clone()),
            version: at.version,
            by: None,
        };
        self.step(actor, number, &at, |_| {
            Ok(vec![
                ("withdrawn_at", Value::Text(when.clone())),
                ("withdrawn_reason", text(reason)),
            ])
        })
    }

    /// Brings a withdrawn requirement back; one history row (恢复) keeps when it was withdrawn.
    pub fn restore_requirement(
        &mut self,
        actor: &Actor,
        number: &str,
        at: &StepTime,
    ) -> Result<Requirement> {
        self.allow(actor, crate::domain::people::Action::Withdraw)?;
        let number = number.trim().to_string();
        self.write(|tx| {
            let req = load(tx, &number)?;
            change::check_version(
                tx,
                &REQUIREMENT,
                req.id,
                &req.number,
                req.version,
                at.version,
            )?;
            if req.withdrawn_at.is_none() {
                return Err(Error::Conflict(format!("需求 {number} 未被撤回")));
            }
            change::apply(
                tx,
                &REQUIREMENT,
                actor,
                Edit {
                    id: req.id,
                    name: &req.number,
                    seen_version: at.version,
                    happened_at: &actor.stamp(),
                    values: vec![
                        ("withdrawn_at", Value::Null),
                        ("withdrawn_reason", Value::Text(String::new())),
                    ],
                    events: &[
                        ("withdrawn_at", Some("restored")),
                        ("withdrawn_reason", None),
                    ],
                },
            )?;
            Ok(())
        })?;
        self.requirement_on(&number, actor.today())
    }

    /// One lifecycle step on one requirement, in one transaction: `plan` sees the current
    /// record, applies the step's rules and returns the new values; the change engine writes
    /// what really changes, with its history.
    fn step(
        &mut self,
        actor: &Actor,
        number: &str,
        at: &StepTime,
        plan: impl FnOnce(&Requirement) -> Result<Vec<(&'static str, Value)>>,
    ) -> Result<Requirement> {
        let number = number.trim().to_string();
        self.write(|tx| step_in(tx, actor, &number, at, plan))?;
        self.requirement_on(&number, actor.today())
    }
}

/// Whether the acting person holds `role` (an actor who is no listed person holds none).
fn holds(tx: &Conn, actor: &Actor, role: crate::domain::people::Role) -> Result<bool> {
    let Some(id) = actor.person_id else {
        return Ok(false);
    };
    let roles: Option<String> = tx
        .query_row("SELECT roles FROM people WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    Ok(crate::domain::people::roles_from_codes(&roles.unwrap_or_default()).contains(&role))
}

/// One step of a requirement inside a transaction: load, check the version the user saw, plan
/// the values, apply them through the change engine (with history).
fn step_in(
    tx: &Conn,
    actor: &Actor,
    number: &str,
    at: &StepTime,
    plan: impl FnOnce(&Requirement) -> Result<Vec<(&'static str, Value)>>,
) -> Result<()> {
    let when = dates::happened_at(at.happened_at.as_deref(), actor.now)?;
    let req = load(tx, number)?;
    change::check_version(
        tx,
        &REQUIREMENT,
        req.id,
        &req.number,
        req.version,
        at.version,
    )?;
    let mut values = plan(&req)?;
    // who did it answers for the step's role on this requirement from then on (issue 19): the
    // planning and delivery steps are the product manager's, the acceptance date IT's, the rest
    // (recording a decision, correcting the report) the collector's. The doer is the person
    // named (`by`, who must hold the role), else the operator when they hold it — never someone
    // who only typed it in
    use crate::domain::people::Role;
    let has = |prefix: &str| values.iter().any(|(c, _)| c.starts_with(prefix));
    let (role, col, stored) = if has("it_acceptance") {
        (Role::It, "it_owner", &req.it_owner)
    } else if has("plan_") || has("expected_delivery") || has("actual_delivery") {
        (
            Role::ProductManager,
            "product_manager",
            &req.product_manager,
        )
    } else {
        (Role::Collector, "collector", &req.collector)
    };
    let doer = match at.by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(name) if name != actor.name => {
            // naming someone else makes them answer for the step: recording on another's
            // behalf is the collector's or the decision group's, never a colleague's
            super::people::allow(tx, actor, crate::domain::people::Action::Responsible)?;
            Some(named_doer(tx, name, role)?)
        }
        Some(name) => Some(named_doer(tx, name, role)?),
        None if holds(tx, actor, role)? => Some(actor.name.clone()),
        None => None,
    };
    let named = values
        .iter()
        .any(|(c, _)| ["collector", "product_manager", "it_owner"].contains(c));
    if let Some(doer) = &doer {
        if stored.is_empty() && !named {
            values.push((col, Value::Text(doer.clone())));
        }
    }
    if req.withdrawn_at.is_some() {
        return Err(Error::Conflict(format!(
            "需求 {number} 已撤回，请先恢复再修改"
        )));
    }
    let changed = change::apply(
        tx,
        &REQUIREMENT,
        actor,
        Edit {
            id: req.id,
            name: &req.number,
            seen_version: at.version,
            happened_at: &when,
            values,
            events: &[("withdrawn_at", Some("withdrawn"))],
        },
    )?;
    // recorded on someone's behalf: the history names who did it beside who typed it
    if let Some(doer) = doer.filter(|d| *d != actor.name && !changed.is_empty()) {
        change::event(
            tx,
            &REQUIREMENT,
            actor,
            req.id,
            &when,
            ("done_by", None, Some(&doer)),
        )?;
    }
    Ok(())
}

/// The person named as having done a step of `role`: a listed, active person holding it.
fn named_doer(tx: &Conn, name: &str, role: crate::domain::people::Role) -> Result<String> {
    let roles: Option<(String, i64)> = tx
        .query_row(
            "SELECT roles, active FROM people WHERE name = ?1 ORDER BY active DESC, id LIMIT 1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match roles {
        None => Err(Error::invalid(
            "by",
            format!("“{name}”不在人员名单中，请先在“人员”中登记"),
        )),
        Some((_, 0)) => Err(Error::invalid("by", format!("{name} 已停用"))),
        Some((codes, _)) if !crate::domain::people::roles_from_codes(&codes).contains(&role) => {
            Err(Error::invalid(
                "by",
                format!(
                    "{name} 不是{}，不能记为这一步的完成人（这一步是{}的）",
                    role.label(),
                    role.label()
                ),
            ))
        }
        Some(_) => Ok(name.to_string()),
    }
}

/// A decision's moment and day: checked against the policy first (`check_decision`); the day
/// is the one given, else the day it happened.
fn decision_time(actor: &Actor, input: &DecisionInput) -> Result<(StepTime, NaiveDate)> {
    check_decision(input.decision, input.grade, &input.conversion_summary)?;
    if input.decision != crate::domain::requirement::Decision::DoNot
        && !input.decision_reason.trim().is_empty()
    {
        return Err(Error::invalid(
            "decision_reason",
            "只有“不做”才填写可转告需求人的原因",
        ));
    }
    let when = dates::happened_at(input.at.happened_at.as_deref(), actor.now)?;
    let day = match optional_day("decision_date", "决策日期", &input.decision_date)? {
        Some(d) => d,
        None => dates::day_of_moment(&when).unwrap_or_else(|| actor.today()),
    };
    check_not_future("decision_date", "决策日期", day, actor.today())?;
    Ok((
        StepTime {
            happened_at: Some(when),
            version: input.at.version,
            by: input.at.by.clone(),
        },
        day,
    ))
}

/// The columns a decision writes.
fn decision_values(
    req: &Requirement,
    input: &DecisionInput,
    day: NaiveDate,
) -> Result<Vec<(&'static str, Value)>> {
    check_not_before_received("decision_date", "决策日期", Some(day), received(req))?;
    Ok(vec![
        ("decision", Value::Text(input.decision.code().into())),
        (
            "grade",
            input
                .grade
                .map(|g| Value::Text(g.code().into()))
                .unwrap_or(Value::Null),
        ),
        ("conversion_summary", text(&input.conversion_summary)),
        ("decision_reason", text(&input.decision_reason)),
        ("decision_date", Value::Text(dates::iso(day))),
    ])
}

/// Links the reporter to a person of that name when there is exactly one.
fn actor_reporter_id(tx: &Conn, reporter: &str) -> Result<Value> {
    let mut st = tx.prepare_cached("SELECT id FROM people WHERE name = ?1 LIMIT 2")?;
    let ids: Vec<i64> = st
        .query_map([reporter.trim()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(match ids.as_slice() {
        [one] => Value::Integer(*one),
        _ => Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor::new(None, "测试员", "test", crate::clock::now())
    }

    fn input(received: &str, brief: &str) -> RequirementInput {
        RequirementInput {
            received_date: received.into(),
            reporter: "张三".into(),
            brief: brief.into(),
            ..Default::default()
        }
    }

    #[test]
    fn numbers_run_per_day_and_roll_over() {
        let mut db = Db::test_db();
        let a = db
            .create_requirement(&actor(), &input("2014-06-19", "一"))
            .unwrap();
        let b = db
            .create_requirement(&actor(), &input("2014-06-19", "二"))
            .unwrap();
        let c = db
            .create_requirement(&actor(), &input("2014-06-20", "三"))
            .unwrap();
        assert_eq!(
            (a.number.as_str(), b.number.as_str(), c.number.as_str()),
            ("14061901", "14061902", "14062001")
        );
    }

    #[test]
    fn withdrawn_numbers_are_not_reused() {
        let mut db = Db::test_db();
        let a = db
            .create_requirement(&actor(), &input("2014-06-19", "一"))
            .unwrap();
        db.withdraw_requirement(&actor(), &a.number, "重复登记", &StepTime::default())
            .unwrap();
        let b = db
            .create_requirement(&actor(), &input("2014-06-19", "二"))
            .unwrap();
        assert_eq!(b.number, "14061902");
        assert!(db.requirement("14061901").unwrap().withdrawn_at.is_some());
    }

    #[test]
    fn the_hundredth_of_a_day_is_refused_and_nothing_is_written() {
        let mut db = Db::test_db();
        for i in 0..99 {
            db.create_requirement(&actor(), &input("2014-06-19", &format!("第{i}条")))
                .unwrap();
        }
        let e = db
            .create_requirement(&actor(), &input("2014-06-19", "第100条"))
            .unwrap_err();
        assert_eq!(e.kind(), "numbers_exhausted");
        assert!(e.to_string().contains("2014年6月19日"), "{e}");
        let n: i64 = db
            .conn()
            .query_row("SELECT count(*) FROM requirements", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 99);
        // the next day still works
        assert_eq!(
            db.create_requirement(&actor(), &input("2014-06-20", "x"))
                .unwrap()
                .number,
            "14062001"
        );
    }

    #[test]
    fn numbers_written_by_an_import_are_skipped() {
        let mut db = Db::test_db();
        db.conn()
            .execute(
                "INSERT INTO requirements (number, received_date, created_at, updated_at)
                 VALUES ('14061907', '2014-06-19', 'x', 'x')",
                [],
            )
            .unwrap();
        assert_eq!(
            db.create_requirement(&actor(), &input("2014-06-19", "x"))
                .unwrap()
                .number,
            "14061908"
        );
    }

    #[test]
    fn stale_versions_are_refused() {
        let mut db = Db::test_db();
        let r = db
            .create_requirement(&actor(), &input("2014-06-19", "一"))
            .unwrap();
        let mut edit = input("", "二");
        edit.version = Some(r.version);
        db.update_requirement(&actor(), &r.number, &edit).unwrap();
        let e = db
            .update_requirement(&actor(), &r.number, &edit)
            .unwrap_err();
        assert_eq!(e.kind(), "conflict");
    }
}
