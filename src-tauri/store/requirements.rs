//! Requirements: creation with a fresh 需求编号, edits of the report, and each lifecycle step.
//! Every change writes its history rows in the same transaction.

use super::history::{record, Change};
use super::{settings, Actor, Db};
use crate::domain::dates;
use crate::domain::numbering::Scheme;
use crate::domain::requirement::{
    check_brief, check_decision, derive_status, register_remark, Decision, Grade, Kind, Status,
};
use crate::error::{Error, Result};
use chrono::{Local, NaiveDate};
use rusqlite::{params, types::Value, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

/// The report as the reporter filled it (附表2) plus what the collector adds on receipt.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequirementInput {
    pub kind: Option<Kind>,
    pub source: String,
    pub reporter: String,
    pub reporter_department: String,
    pub report_date: String,
    pub received_date: String,
    pub requester: String,
    pub doctor_name: String,
    pub hospital: String,
    pub clinic_department: String,
    pub app_account: String,
    pub doctor_words: String,
    pub overview: String,
    pub brief: String,
    pub new_intensity: String,
    pub new_simplifies: String,
    pub new_similar: String,
    pub imp_phone_model: String,
    pub imp_os_version: String,
    pub imp_annoyance: String,
    pub imp_steps: String,
    pub remark: String,
    /// With an edit: the version the user saw (a stale one is refused).
    pub version: Option<i64>,
}

/// When a step happened (defaults to now; work is often entered later) and the version seen.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StepTime {
    pub happened_at: Option<String>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DecisionInput {
    pub decision: Decision,
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    pub conversion_summary: String,
    /// The day of the decision meeting; defaults to the day it happened.
    #[serde(default)]
    pub decision_date: String,
    #[serde(flatten)]
    pub at: StepTime,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlanInput {
    pub plan_doc_number: String,
    pub plan_estimated_date: String,
    pub plan_actual_date: String,
    #[serde(flatten)]
    pub at: StepTime,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItAcceptanceInput {
    pub estimated: String,
    pub actual: String,
    #[serde(flatten)]
    pub at: StepTime,
}

/// A single day: the expected delivery date, or the actual delivery (completion).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeliveryInput {
    pub date: String,
    #[serde(flatten)]
    pub at: StepTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct DelayView {
    pub id: i64,
    pub filed_date: String,
    pub original_date: Option<String>,
    pub new_date: String,
    pub reason: String,
    pub approved_at: Option<String>,
}

/// A requirement as stored, with what is derived from it.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    pub source: String,
    pub reporter: String,
    pub reporter_department: String,
    pub report_date: Option<String>,
    pub received_date: String,
    pub requester: String,
    pub doctor_name: String,
    pub hospital: String,
    pub clinic_department: String,
    pub app_account: String,
    pub doctor_words: String,
    pub overview: String,
    pub brief: String,
    pub new_intensity: String,
    pub new_simplifies: String,
    pub new_similar: String,
    pub imp_phone_model: String,
    pub imp_os_version: String,
    pub imp_annoyance: String,
    pub imp_steps: String,
    pub decision: Option<Decision>,
    pub grade: Option<Grade>,
    pub decision_date: Option<String>,
    pub conversion_summary: String,
    pub plan_doc_number: String,
    pub plan_estimated_date: Option<String>,
    pub plan_actual_date: Option<String>,
    pub it_acceptance_estimated: Option<String>,
    pub it_acceptance_actual: Option<String>,
    pub expected_delivery: Option<String>,
    pub actual_delivery: Option<String>,
    pub remark: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_reason: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    // derived
    pub status: Status,
    /// The delivery date in force: the latest approved delay's new date, else 预期交付日.
    pub promised_date: Option<String>,
    pub register_remark: String,
    pub delays: Vec<DelayView>,
}

const COLUMNS: &str = "id, number, kind, source, reporter, reporter_department, report_date,
    received_date, requester, doctor_name, hospital, clinic_department, app_account, doctor_words,
    overview, brief, new_intensity, new_simplifies, new_similar, imp_phone_model, imp_os_version,
    imp_annoyance, imp_steps, decision, grade, decision_date, conversion_summary, plan_doc_number,
    plan_estimated_date, plan_actual_date, it_acceptance_estimated, it_acceptance_actual,
    expected_delivery, actual_delivery, remark, withdrawn_at, withdrawn_reason, created_at,
    updated_at, version";

fn from_row(r: &Row) -> rusqlite::Result<Requirement> {
    let kind: String = r.get(2)?;
    let decision: Option<String> = r.get(23)?;
    let grade: Option<String> = r.get(24)?;
    Ok(Requirement {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: Kind::from_code(&kind).unwrap_or(Kind::New),
        source: r.get(3)?,
        reporter: r.get(4)?,
        reporter_department: r.get(5)?,
        report_date: r.get(6)?,
        received_date: r.get(7)?,
        requester: r.get(8)?,
        doctor_name: r.get(9)?,
        hospital: r.get(10)?,
        clinic_department: r.get(11)?,
        app_account: r.get(12)?,
        doctor_words: r.get(13)?,
        overview: r.get(14)?,
        brief: r.get(15)?,
        new_intensity: r.get(16)?,
        new_simplifies: r.get(17)?,
        new_similar: r.get(18)?,
        imp_phone_model: r.get(19)?,
        imp_os_version: r.get(20)?,
        imp_annoyance: r.get(21)?,
        imp_steps: r.get(22)?,
        decision: decision.as_deref().and_then(Decision::from_code),
        grade: grade.as_deref().and_then(Grade::from_code),
        decision_date: r.get(25)?,
        conversion_summary: r.get(26)?,
        plan_doc_number: r.get(27)?,
        plan_estimated_date: r.get(28)?,
        plan_actual_date: r.get(29)?,
        it_acceptance_estimated: r.get(30)?,
        it_acceptance_actual: r.get(31)?,
        expected_delivery: r.get(32)?,
        actual_delivery: r.get(33)?,
        remark: r.get(34)?,
        withdrawn_at: r.get(35)?,
        withdrawn_reason: r.get(36)?,
        created_at: r.get(37)?,
        updated_at: r.get(38)?,
        version: r.get(39)?,
        status: Status::Open,
        promised_date: None,
        register_remark: String::new(),
        delays: Vec::new(),
    })
}

/// Loads one requirement with its derived fields, inside or outside a transaction.
pub(crate) fn load(conn: &Connection, number: &str) -> Result<Requirement> {
    let number = number.trim();
    let mut req = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM requirements WHERE number = ?1"),
            [number],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到需求编号 {number}")))?;
    let mut st = conn.prepare_cached(
        "SELECT id, filed_date, original_date, new_date, reason, approved_at
         FROM delay_applications
         WHERE requirement_id = ?1 AND withdrawn_at IS NULL
         ORDER BY filed_date, id",
    )?;
    req.delays = st
        .query_map([req.id], |r| {
            Ok(DelayView {
                id: r.get(0)?,
                filed_date: r.get(1)?,
                original_date: r.get(2)?,
                new_date: r.get(3)?,
                reason: r.get(4)?,
                approved_at: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    derive(&mut req);
    Ok(req)
}

fn derive(req: &mut Requirement) {
    let approved: Vec<(NaiveDate, String)> = req
        .delays
        .iter()
        .filter(|d| d.approved_at.is_some())
        .filter_map(|d| dates::from_iso(&d.new_date).map(|n| (n, d.reason.clone())))
        .collect();
    req.status = derive_status(
        req.decision,
        req.actual_delivery.as_deref().and_then(dates::from_iso),
        approved.len() as u32,
    );
    req.promised_date = approved
        .last()
        .map(|(d, _)| dates::iso(*d))
        .or_else(|| req.expected_delivery.clone());
    req.register_remark = register_remark(&req.conversion_summary, &approved, &req.remark);
}

/// A required day typed by a person, named by its field for the error message.
fn required_day(field: &str, label: &str, input: &str) -> Result<NaiveDate> {
    if input.trim().is_empty() {
        return Err(Error::invalid(field, format!("请填写{label}")));
    }
    optional_day(field, label, input)?
        .ok_or_else(|| Error::invalid(field, format!("请填写{label}")))
}

fn optional_day(field: &str, label: &str, input: &str) -> Result<Option<NaiveDate>> {
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

/// The moment a step happened: given (not in the future) or now.
fn happened_at(at: &StepTime) -> Result<String> {
    match at
        .happened_at
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(dates::now()),
        Some(s) => {
            let stamp = dates::parse_moment(s).ok_or_else(|| {
                Error::invalid(
                    "happened_at",
                    format!("发生时间“{s}”无法识别（例如 2014-06-21 10:30）"),
                )
            })?;
            let t = chrono::DateTime::parse_from_rfc3339(&stamp).expect("stamp is RFC 3339");
            if t > Local::now() + chrono::Duration::minutes(5) {
                return Err(Error::invalid("happened_at", "发生时间不能晚于现在"));
            }
            Ok(stamp)
        }
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(f) => Some(f.to_string()),
        Value::Text(s) => Some(s.clone()),
        Value::Blob(_) => Some("<binary>".into()),
    }
}

/// The report fields of a requirement input, as (column, value), validated.
fn report_values(input: &RequirementInput) -> Result<Vec<(&'static str, Value)>> {
    check_brief(&input.brief).map_err(|m| Error::invalid("brief", m))?;
    if input.reporter.trim().is_empty() {
        return Err(Error::invalid("reporter", "请填写填表人（需求报告人）"));
    }
    let report_date = optional_day("report_date", "填报日期", &input.report_date)?;
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
    tx: &Transaction,
    series: &str,
    table: &str,
    day: NaiveDate,
) -> Result<String> {
    let scheme_code = settings::get(tx, &format!("numbering.{series}.scheme"))?.unwrap_or_default();
    let scheme = Scheme::from_code(&scheme_code).unwrap_or(Scheme::Daily);
    let prefix = settings::get(tx, &format!("numbering.{series}.prefix"))?.unwrap_or_default();
    let period = scheme.period(day);
    let counter: u32 = tx
        .query_row(
            "SELECT last_seq FROM number_counters WHERE series = ?1 AND period = ?2",
            params![series, period],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
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

impl Db {
    pub fn requirement(&self, number: &str) -> Result<Requirement> {
        load(self.conn(), number)
    }

    /// Registers a new requirement and gives it the next 需求编号 of its received date.
    pub fn create_requirement(
        &mut self,
        actor: &Actor,
        input: &RequirementInput,
    ) -> Result<Requirement> {
        let received = required_day("received_date", "收到日期", &input.received_date)?;
        if received > dates::today() {
            return Err(Error::invalid("received_date", "收到日期不能晚于今天"));
        }
        let values = report_values(input)?;
        let now = dates::now();
        let number = self.write(|tx| {
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
            let marks = (1..=cols.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            tx.execute(
                &format!(
                    "INSERT INTO requirements ({}) VALUES ({marks})",
                    cols.join(", ")
                ),
                rusqlite::params_from_iter(vals.iter()),
            )?;
            let id = tx.last_insert_rowid();
            record(
                tx,
                actor,
                &now,
                &now,
                Change {
                    entity: "requirement",
                    entity_id: id,
                    field: "created",
                    old: None,
                    new: Some(&number),
                },
            )?;
            Ok(number)
        })?;
        self.requirement(&number)
    }

    /// Edits the report fields (not the number or the received date, which made the number).
    pub fn update_requirement(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &RequirementInput,
    ) -> Result<Requirement> {
        let values = report_values(input)?;
        let received_change = input.received_date.trim();
        let at = StepTime {
            happened_at: None,
            version: input.version,
        };
        self.apply(actor, number, &at, |req| {
            if !received_change.is_empty()
                && dates::parse_day(received_change).map(dates::iso).as_deref()
                    != Some(req.received_date.as_str())
            {
                return Err(Error::invalid(
                    "received_date",
                    "收到日期决定了需求编号，登记后不能修改；如确实登记错了，请撤回本条后重新登记",
                ));
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
        check_decision(input.decision, input.grade, &input.conversion_summary)
            .map_err(|m| Error::invalid("decision", m))?;
        let when = happened_at(&input.at)?;
        let day = match optional_day("decision_date", "决策日期", &input.decision_date)? {
            Some(d) => d,
            None => dates::day_of_moment(&when).unwrap_or_else(dates::today),
        };
        let at = StepTime {
            happened_at: Some(when),
            version: input.at.version,
        };
        self.apply(actor, number, &at, |req| {
            not_before(req, "decision_date", "决策日期", Some(day))?;
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
                ("decision_date", Value::Text(dates::iso(day))),
            ])
        })
    }

    /// The product manager's planning document: its number and estimated / actual delivery.
    pub fn record_plan(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &PlanInput,
    ) -> Result<Requirement> {
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
        self.apply(actor, number, &input.at, |req| {
            needs_work(req, "策划")?;
            not_before(req, "plan_estimated_date", "策划文档预计交付日", est)?;
            not_before(req, "plan_actual_date", "策划文档实际交付日", act)?;
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
        let est = optional_day("it_acceptance_estimated", "IT预计验收日", &input.estimated)?;
        let act = optional_day("it_acceptance_actual", "IT实际验收日", &input.actual)?;
        self.apply(actor, number, &input.at, |req| {
            needs_work(req, "IT验收")?;
            not_before(req, "it_acceptance_estimated", "IT预计验收日", est)?;
            not_before(req, "it_acceptance_actual", "IT实际验收日", act)?;
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
        let date = required_day("expected_delivery", "预期交付日", &input.date)?;
        self.apply(actor, number, &input.at, |req| {
            needs_work(req, "预期交付日")?;
            not_before(req, "expected_delivery", "预期交付日", Some(date))?;
            if req.delays.iter().any(|d| d.approved_at.is_some()) {
                return Err(Error::Conflict(
                    "已有批准的延期申请，交付日以延期申请为准；如需再改期，请提交新的延期申请"
                        .into(),
                ));
            }
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
        let date = required_day("actual_delivery", "实际交付日", &input.date)?;
        if date > dates::today() {
            return Err(Error::invalid("actual_delivery", "实际交付日不能晚于今天"));
        }
        self.apply(actor, number, &input.at, |req| {
            needs_work(req, "完成交付")?;
            not_before(req, "actual_delivery", "实际交付日", Some(date))?;
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
        if reason.trim().is_empty() {
            return Err(Error::invalid("withdrawn_reason", "请填写撤回原因"));
        }
        let when = happened_at(at)?;
        let at = StepTime {
            happened_at: Some(when.clone()),
            version: at.version,
        };
        self.apply(actor, number, &at, |_| {
            Ok(vec![
                ("withdrawn_at", Value::Text(when.clone())),
                ("withdrawn_reason", text(reason)),
            ])
        })
    }

    pub fn restore_requirement(
        &mut self,
        actor: &Actor,
        number: &str,
        at: &StepTime,
    ) -> Result<Requirement> {
        let now = dates::now();
        let number = number.trim().to_string();
        let version = at.version;
        self.write(|tx| {
            let req = load(tx, &number)?;
            check_version(&req, version)?;
            if req.withdrawn_at.is_none() {
                return Err(Error::Conflict(format!("需求 {number} 未被撤回")));
            }
            tx.execute(
                "UPDATE requirements SET withdrawn_at = NULL, withdrawn_reason = '', version = version + 1,
                 updated_at = ?1 WHERE id = ?2",
                params![now, req.id],
            )?;
            record(
                tx,
                actor,
                &now,
                &now,
                Change { entity: "requirement", entity_id: req.id, field: "restored", old: req.withdrawn_at.as_deref(), new: None },
            )?;
            Ok(())
        })?;
        self.requirement(&number)
    }

    /// Applies column changes to one requirement in one transaction, with a history row for every
    /// field that really changes. `plan` sees the current record and returns the new values.
    fn apply(
        &mut self,
        actor: &Actor,
        number: &str,
        at: &StepTime,
        plan: impl FnOnce(&Requirement) -> Result<Vec<(&'static str, Value)>>,
    ) -> Result<Requirement> {
        let when = happened_at(at)?;
        let now = dates::now();
        let number = number.trim().to_string();
        self.write(|tx| {
            let req = load(tx, &number)?;
            check_version(&req, at.version)?;
            let changes = plan(&req)?;
            let is_withdrawal = changes.iter().any(|(c, _)| *c == "withdrawn_at");
            if req.withdrawn_at.is_some() {
                return Err(Error::Conflict(format!("需求 {number} 已撤回，请先恢复再修改")));
            }
            let mut changed: Vec<(&str, Option<String>, Value)> = Vec::new();
            for (col, new) in changes {
                let old: Value = tx.query_row(
                    &format!("SELECT {col} FROM requirements WHERE id = ?1"),
                    [req.id],
                    |r| r.get(0),
                )?;
                if old != new {
                    changed.push((col, value_text(&old), new));
                }
            }
            if changed.is_empty() {
                return Ok(());
            }
            let sets = changed
                .iter()
                .enumerate()
                .map(|(i, (c, _, _))| format!("{c} = ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(", ");
            let mut vals: Vec<Value> = changed.iter().map(|(_, _, v)| v.clone()).collect();
            vals.push(Value::Text(now.clone()));
            vals.push(Value::Integer(req.id));
            let n = vals.len();
            tx.execute(
                &format!(
                    "UPDATE requirements SET {sets}, version = version + 1, updated_at = ?{} WHERE id = ?{n}",
                    n - 1
                ),
                rusqlite::params_from_iter(vals.iter()),
            )?;
            for (col, old, new) in &changed {
                let field = if is_withdrawal && *col == "withdrawn_at" { "withdrawn" } else { col };
                record(
                    tx,
                    actor,
                    &when,
                    &now,
                    Change {
                        entity: "requirement",
                        entity_id: req.id,
                        field,
                        old: old.as_deref(),
                        new: value_text(new).as_deref(),
                    },
                )?;
            }
            Ok(())
        })?;
        self.requirement(&number)
    }
}

fn check_version(req: &Requirement, seen: Option<i64>) -> Result<()> {
    match seen {
        Some(v) if v != req.version => Err(Error::Conflict(format!(
            "需求 {} 已被他人修改（你看到的是第 {v} 版，现在是第 {} 版），请刷新后再操作",
            req.number, req.version
        ))),
        _ => Ok(()),
    }
}

fn needs_work(req: &Requirement, step: &str) -> Result<()> {
    if req.decision.is_some_and(Decision::leads_to_work) {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "需求 {} 的决策结果不是“做”或“需求转换”，不能记录{step}",
            req.number
        )))
    }
}

fn not_before(req: &Requirement, field: &str, label: &str, day: Option<NaiveDate>) -> Result<()> {
    let received = dates::from_iso(&req.received_date);
    match (day, received) {
        (Some(d), Some(r)) if d < r => Err(Error::invalid(
            field,
            format!(
                "{label}（{}）不能早于收到日期（{}）",
                dates::iso(d),
                dates::iso(r)
            ),
        )),
        _ => Ok(()),
    }
}

/// Links the reporter to a person of that name when there is exactly one.
fn actor_reporter_id(tx: &Transaction, reporter: &str) -> Result<Value> {
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
        Actor::new(None, "测试员", "test")
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
        let mut db = Db::open_in_memory().unwrap();
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
        let mut db = Db::open_in_memory().unwrap();
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
        let mut db = Db::open_in_memory().unwrap();
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
        let mut db = Db::open_in_memory().unwrap();
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
        let mut db = Db::open_in_memory().unwrap();
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
