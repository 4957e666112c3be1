//! The `delay_applications` and `delay_signoffs` tables (附表1): the only file that reads or
//! writes them. Which date is in force is decided by `domain::delay::in_force`; the register's
//! SQL form of that rule ([`IN_FORCE_BY_REQUIREMENT`]) lives here, beside the table, and a test keeps the
//! two in agreement.

use super::change::{self, Edit, Entity};
use super::requirements::{load, optional_day, required_day};
use super::{Actor, Db, StepTime};
use crate::domain::dates;
use crate::domain::delay::{
    check_filing, check_signature, check_withdrawal, in_force, DelayFacts, DelayState, FilingFacts,
    Opinion, SignLevel, SignOutcome, Signature, Signed,
};
use crate::domain::people::Role;
use crate::domain::requirement::Decision;
use crate::error::{Error, Result};
use crate::store::sql::Value;
use crate::store::sql::{params, Conn, OptionalExtension};
pub use crate::views::{DelayView, SignoffView};
use chrono::NaiveDate;
use serde::Deserialize;

/// Delay applications in the change engine and history.
pub(crate) const DELAY: Entity = Entity {
    table: "delay_applications",
    code: "delay",
    noun: "延期申请",
    after_change: None,
};

/// A new 需求延期交付申请 as a user fills it (附表1). Empty texts take their defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelayInput {
    /// 新交付日 (required).
    pub new_date: String,
    /// 延期原因 (required).
    pub reason: String,
    /// The short reason the register's 备注 and the requester's message carry (at most
    /// `domain::delay::SHORT_REASON_MAX_CHARS`); default: the reason's first clause.
    pub short_reason: String,
    /// 需求概述; default: the requirement's 概述, else its 需求梗概.
    pub overview: String,
    /// 填报日期; default: the day it is recorded.
    pub filed_date: String,
    /// 申请人; default: the operator.
    pub applicant: String,
    /// 部门; default: the operator's department.
    pub applicant_department: String,
    #[serde(flatten)]
    pub at: StepTime,
}

/// A signature as the returned paper shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct SignInput {
    pub level: SignLevel,
    pub opinion: Opinion,
    /// Who signed: a listed person's name, or for 直接领导 and 部门领导 a leader who signs on
    /// paper only, kept as written; default: the one recording it.
    #[serde(default)]
    pub signer: String,
    /// What the leader wrote beside the opinion.
    #[serde(default)]
    pub comment: String,
    /// The day written beside the signature; default: the day it is recorded.
    #[serde(default)]
    pub date: String,
    #[serde(flatten, default)]
    pub at: StepTime,
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
            reason: self.short_reason.clone(),
            approved_on: day(&self.approved_on),
            rejected_on: day(&self.rejected_on),
            withdrawn: self.withdrawn_at.is_some(),
        })
    }
}

const COLUMNS: &str =
    "d.id, (SELECT number FROM requirements WHERE id = d.requirement_id) AS number,
    applicant, applicant_department, filed_date, original_date, new_date,
    overview, reason, short_reason, approved_at, approved_on, rejected_on, withdrawn_at, d.created_at, d.version";

fn from_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<DelayView> {
    let v = DelayView {
        id: r.get("id")?,
        number: r.get("number")?,
        applicant: r.get("applicant")?,
        applicant_department: r.get("applicant_department")?,
        filed_date: r.get("filed_date")?,
        original_date: r.get("original_date")?,
        new_date: r.get("new_date")?,
        overview: r.get("overview")?,
        reason: r.get("reason")?,
        short_reason: crate::domain::delay::short_reason(
            &r.get::<_, String>("short_reason")?,
            &r.get::<_, String>("reason")?,
        ),
        approved_at: r.get("approved_at")?,
        approved_on: r.get("approved_on")?,
        rejected_on: r.get("rejected_on")?,
        withdrawn_at: r.get("withdrawn_at")?,
        created_at: r.get("created_at")?,
        version: r.get("version")?,
        signoffs: Vec::new(),
        scans: Vec::new(),
        state: DelayState::Pending,
        state_code: DelayState::Pending.code(),
        filed_late: false,
        next_level: None,
        next_level_code: None,
        withdraw: crate::domain::gate::Gate::OPEN,
        voidable: None,
    };
    Ok(v)
}

/// Reads the signatures of `v` and derives its state.
fn complete(conn: &Conn, mut v: DelayView) -> Result<DelayView> {
    let mut st = conn.prepare_cached(
        "SELECT level, signer, opinion, comment, signed_on, recorded_by, recorded_at
         FROM delay_signoffs WHERE delay_id = ?1",
    )?;
    let rows = st.query_map([v.id], |r| {
        let level: String = r.get(0)?;
        let opinion: String = r.get(2)?;
        Ok((
            level,
            opinion,
            r.get(1)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    for row in rows {
        let (level, opinion, signer, comment, signed_on, recorded_by, recorded_at) = row?;
        // the table's CHECKs allow only these codes
        if let (Some(level), Some(opinion)) =
            (SignLevel::from_code(&level), Opinion::from_code(&opinion))
        {
            v.signoffs.push(SignoffView {
                level,
                signer,
                opinion,
                comment,
                signed_on,
                recorded_by,
                recorded_at,
            });
        }
    }
    v.signoffs
        .sort_by_key(|s| SignLevel::ALL.iter().position(|l| *l == s.level));
    v.scans = super::attachments::of_delay(conn, v.id)?;
    if let Some(f) = v.facts() {
        v.state = f.state();
        v.filed_late = f.filed_late();
    }
    v.state_code = v.state.code();
    v.withdraw = match check_withdrawal(v.state, v.signoffs.len()) {
        Ok(()) => crate::domain::gate::Gate::OPEN,
        Err(_) if v.state != DelayState::Pending => {
            crate::domain::gate::Gate::closed("只有待签的申请可以撤回")
        }
        Err(_) => crate::domain::gate::Gate::closed("已有领导签字的申请不能撤回"),
    };
    v.next_level = (v.state == DelayState::Pending)
        .then(|| {
            SignLevel::ALL
                .iter()
                .copied()
                .find(|l| !v.signoffs.iter().any(|s| s.level == *l))
        })
        .flatten();
    v.next_level_code = v.next_level.map(SignLevel::code);
    let sigs = signed(&v);
    v.voidable = v
        .signoffs
        .last()
        .map(|s| s.level)
        .filter(|l| crate::domain::delay::check_void(v.state, &sigs, *l, "（检查）").is_ok());
    Ok(v)
}

/// The signatures of a view as the rules see them.
fn signed(v: &DelayView) -> Vec<Signed> {
    v.signoffs
        .iter()
        .filter_map(|s| {
            Some(Signed {
                level: s.level,
                opinion: s.opinion,
                day: dates::from_iso(&s.signed_on)?,
            })
        })
        .collect()
}

/// One application by id (`NotFound` with the id in Chinese otherwise).
fn one(conn: &Conn, id: i64) -> Result<DelayView> {
    let v = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM delay_applications d WHERE d.id = ?1"
        ))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到延期申请 {id}")))?;
    complete(conn, v)
}

/// Every application of one requirement (withdrawn ones too), in the order they were filed.
pub(crate) fn of_requirement(conn: &Conn, requirement_id: i64) -> Result<Vec<DelayView>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM delay_applications d WHERE requirement_id = ?1 ORDER BY filed_date, d.id"
    ))?;
    let rows = st.query_map([requirement_id], from_row)?;
    let views: Vec<DelayView> = rows.collect::<Result<_, _>>()?;
    views.into_iter().map(|v| complete(conn, v)).collect()
}

impl Db {
    /// One application with its signatures.
    pub fn delay(&self, id: i64) -> Result<DelayView> {
        one(self.conn(), id)
    }

    /// Every application, or those of one requirement, in the order filed (withdrawn ones too).
    pub fn delays(&self, number: Option<&str>) -> Result<Vec<DelayView>> {
        let ids: Vec<i64> = match number {
            Some(n) => {
                let req = load(self.conn(), n)?;
                return Ok(req.delays);
            }
            None => self
                .conn()
                .prepare_cached("SELECT id FROM delay_applications ORDER BY filed_date, id")?
                .query_map([], |r| r.get(0))?
                .collect::<crate::store::sql::Result<_>>()?,
        };
        ids.into_iter().map(|id| one(self.conn(), id)).collect()
    }

    /// Files a 需求延期交付申请 for requirement `number` (SPEC §2 step 4): its 原交付日 is the date
    /// in force today. Errors: `Invalid` naming the field when a rule refuses it
    /// (`domain::delay::check_filing`), `NotFound` for an unknown number.
    pub fn file_delay(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &DelayInput,
    ) -> Result<DelayView> {
        self.allow(actor, crate::domain::people::Action::FileDelay)?;
        let new_date = required_day("new_date", "新交付日", &input.new_date)?;
        if input.applicant.trim().is_empty() && actor.person_id.is_none() {
            return Err(Error::invalid(
                "applicant",
                "请写明申请人（命令行用 --as 姓名，且此人已在人员名单中）",
            ));
        }
        let filed =
            optional_day("filed_date", "填报日期", &input.filed_date)?.unwrap_or(actor.today());
        let short = input.short_reason.trim();
        if short.chars().count() > crate::domain::delay::SHORT_REASON_MAX_CHARS {
            return Err(Error::invalid(
                "short_reason",
                format!(
                    "简短原因最多 {} 个字（写进登记表备注和给需求人的消息），现在有 {} 个字",
                    crate::domain::delay::SHORT_REASON_MAX_CHARS,
                    short.chars().count()
                ),
            ));
        }
        let when = dates::happened_at(input.at.happened_at.as_deref(), actor.now)?;
        let department = match actor.person_id {
            Some(id) => self.person(id).map(|p| p.department).unwrap_or_default(),
            None => String::new(),
        };
        let id = self.write(|tx| {
            let req = load(tx, number)?;
            let facts: Vec<DelayFacts> = req.delays.iter().filter_map(DelayView::facts).collect();
            let expected = req.expected_delivery.as_deref().and_then(dates::from_iso);
            let original = check_filing(&FilingFacts {
                number: &req.number,
                needs_work: matches!(req.decision, Some(Decision::Do | Decision::Convert)),
                done: req.actual_delivery.is_some(),
                withdrawn: req.withdrawn_at.is_some(),
                in_force: in_force(expected, &facts, filed).date,
                last_approved: facts
                    .iter()
                    .filter(|d| d.state() == DelayState::Approved)
                    .filter_map(|d| d.approved_on)
                    .max(),
                pending: req.delays.iter().any(|d| d.state == DelayState::Pending),
                received: dates::from_iso(&req.received_date).unwrap_or(filed),
                filed,
                new_date,
                reason: &input.reason,
                today: actor.today(),
            })?;
            let or = |typed: &str, default: &str| {
                let t = typed.trim();
                if t.is_empty() {
                    default.to_string()
                } else {
                    t.to_string()
                }
            };
            let overview = or(
                &input.overview,
                if req.overview.trim().is_empty() {
                    &req.brief
                } else {
                    &req.overview
                },
            );
            let now = actor.stamp();
            tx.prepare_cached(
                "INSERT INTO delay_applications (requirement_id, applicant, applicant_id,
                     applicant_department, filed_date, original_date, new_date, overview, reason,
                     short_reason, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            )?
            .execute(params![
                req.id,
                or(&input.applicant, &actor.name),
                // the operator files it, or names someone else (kept by name)
                if input.applicant.trim().is_empty() || input.applicant.trim() == actor.name {
                    actor.person_id
                } else {
                    None
                },
                or(&input.applicant_department, &department),
                dates::iso(filed),
                dates::iso(original),
                dates::iso(new_date),
                overview,
                input.reason.trim(),
                short,
                now
            ])?;
            let id = tx.inserted_id()?;
            change::event(
                tx,
                &DELAY,
                actor,
                id,
                &when,
                ("created", None, Some(&req.number)),
            )?;
            Ok(id)
        })?;
        self.delay(id)
    }

    /// Records one leader's signature as the paper shows it (附表1; `domain::delay::
    /// check_signature`): in order, once per level; 不同意 rejects; the 总经办 agreeing approves,
    /// from the day written beside it. The signer must be a known person (总经办: of the decision
    /// group). Errors: `Invalid` naming the field, `NotFound` for an unknown id or signer.
    pub fn sign_delay(&mut self, actor: &Actor, id: i64, input: &SignInput) -> Result<DelayView> {
        let signer_name = if input.signer.trim().is_empty() {
            actor.name.clone()
        } else {
            input.signer.trim().to_string()
        };
        // a leader records their own signature at their own desk (issue 19); recording
        // another's from the paper is the collector's or the decision group's
        if actor.person_id.is_some() && signer_name == actor.name {
            super::people::acting(
                self.conn(),
                actor,
                crate::domain::people::Action::SignDelay.label(),
            )?;
        } else {
            self.allow(actor, crate::domain::people::Action::SignDelay)?;
        }
        let day = optional_day("date", "签字日期", &input.date)?.unwrap_or(actor.today());
        let when = dates::happened_at(input.at.happened_at.as_deref(), actor.now)?;
        one(self.conn(), id)?; // an unknown id is named before anything else
                               // one's own signature is one's own (not a namesake's in another department)
        let own = actor
            .person_id
            .filter(|_| signer_name == actor.name)
            .map(|id| self.person(id))
            .transpose()?;
        // a listed person, or — for 直接领导 and 部门领导 — a leader who signs on paper only,
        // kept as written (issue 20); the 总经办 is of the decision group, so listed
        let signer = match own {
            Some(p) => Some(p),
            None => self.person_by_name(&signer_name)?,
        };
        if signer.is_none() && input.level == SignLevel::GmOffice {
            return Err(Error::invalid(
                "signer",
                format!("“{signer_name}”不在人员名单中：总经办意见须由决策组成员签署"),
            ));
        }
        let signer_id = signer.as_ref().map(|p| p.id);
        let in_decision_group = signer
            .as_ref()
            .is_some_and(|p| p.roles.contains(&Role::DecisionGroup));
        let signer_name = signer.map(|p| p.name).unwrap_or(signer_name);
        let same_leader_allowed =
            super::settings::value(self.conn(), crate::domain::delay::SAME_LEADER_KEY)?
                != "refused";
        self.write(|tx| {
            let v = one(tx, id)?;
            change::check_version(tx, &DELAY, id, &id.to_string(), v.version, input.at.version)?;
            let filed = dates::from_iso(&v.filed_date).unwrap_or(day);
            let outcome = check_signature(
                v.state,
                &signed(&v),
                filed,
                Signature {
                    level: input.level,
                    opinion: input.opinion,
                    day,
                    signer_in_decision_group: in_decision_group,
                    signer_is_applicant: signer_name == v.applicant,
                    signer_signed_at: v
                        .signoffs
                        .iter()
                        .find(|s| s.signer == signer_name)
                        .map(|s| s.level),
                    same_leader_allowed,
                },
                actor.today(),
            )?;
            let now = actor.stamp();
            tx.prepare_cached(
                "INSERT INTO delay_signoffs (delay_id, level, signer, signer_id, opinion, comment,
                     signed_on, recorded_by, recorded_by_id, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                id,
                input.level.code(),
                signer_name,
                signer_id,
                input.opinion.code(),
                input.comment.trim(),
                dates::iso(day),
                actor.name,
                actor.person_id,
                now
            ])?;
            let what = format!(
                "{} {}{}（{}）",
                signer_name,
                input.opinion.label(),
                if input.comment.trim().is_empty() {
                    String::new()
                } else {
                    format!("：{}", input.comment.trim())
                },
                dates::iso(day)
            );
            let field = match input.level {
                SignLevel::Direct => "signoff_direct",
                SignLevel::Department => "signoff_department",
                SignLevel::GmOffice => "signoff_gm_office",
            };
            let mut values: Vec<(&'static str, Value)> = Vec::new();
            match outcome {
                SignOutcome::Continues => {}
                SignOutcome::Approved => {
                    values.push(("approved_on", Value::Text(dates::iso(day))));
                    values.push(("approved_at", Value::Text(now.clone())));
                }
                SignOutcome::Rejected => values.push(("rejected_on", Value::Text(dates::iso(day)))),
            }
            // the signature itself, and the version step even when it changes no column
            values.push(("updated_at", Value::Text(now.clone())));
            change::apply(
                tx,
                &DELAY,
                actor,
                Edit {
                    id,
                    name: &id.to_string(),
                    seen_version: None,
                    happened_at: &when,
                    values,
                    events: &[("approved_at", None), ("updated_at", None)],
                },
            )?;
            change::event(tx, &DELAY, actor, id, &when, (field, None, Some(&what)))?;
            Ok(())
        })?;
        self.delay(id)
    }

    /// Voids the signature of `level` on application `id` (issue 20: a wrong person or level
    /// was recorded) while it is not approved: the latest signature only, with a reason kept in
    /// history beside what was voided; a voided 不同意 reopens the application. Recording the
    /// right one is then an ordinary signature. Errors: `Invalid` naming the field
    /// (`domain::delay::check_void`), `Conflict` on a stale version, `NotFound`.
    pub fn void_signoff(
        &mut self,
        actor: &Actor,
        id: i64,
        level: SignLevel,
        reason: &str,
        at: &StepTime,
    ) -> Result<DelayView> {
        self.allow(actor, crate::domain::people::Action::SignDelay)?;
        let when = dates::happened_at(at.happened_at.as_deref(), actor.now)?;
        self.write(|tx| {
            let v = one(tx, id)?;
            change::check_version(tx, &DELAY, id, &id.to_string(), v.version, at.version)?;
            crate::domain::delay::check_void(v.state, &signed(&v), level, reason)?;
            // a voided 不同意 reopens the application: only while nothing has moved on since —
            // no later application, the requirement neither delivered nor withdrawn
            if v.state == DelayState::Rejected {
                let req = load(tx, &v.number)?;
                let later = req
                    .delays
                    .iter()
                    .any(|d| d.id > v.id && d.state != DelayState::Withdrawn);
                if later || req.actual_delivery.is_some() || req.withdrawn_at.is_some() {
                    return Err(Error::invalid(
                        "level",
                        format!(
                            "需求 {} 在这份申请被驳回之后{}，驳回的签字不能再作废",
                            v.number,
                            if later {
                                "已有新的延期申请"
                            } else if req.actual_delivery.is_some() {
                                "已完成交付"
                            } else {
                                "已撤回"
                            }
                        ),
                    ));
                }
            }
            let Some(s) = v.signoffs.iter().find(|s| s.level == level) else {
                return Err(Error::NotFound(format!("{}没有签字", level.label())));
            };
            let voided = format!("{} {}（{}）", s.signer, s.opinion.label(), s.signed_on);
            tx.execute(
                "DELETE FROM delay_signoffs WHERE delay_id = ?1 AND level = ?2",
                params![id, level.code()],
            )?;
            let now = actor.stamp();
            let mut values: Vec<(&'static str, Value)> =
                vec![("updated_at", Value::Text(now.clone()))];
            if v.state == DelayState::Rejected {
                values.push(("rejected_on", Value::Null));
            }
            change::apply(
                tx,
                &DELAY,
                actor,
                Edit {
                    id,
                    name: &id.to_string(),
                    seen_version: None,
                    happened_at: &when,
                    values,
                    events: &[("updated_at", None)],
                },
            )?;
            let field = match level {
                SignLevel::Direct => "signoff_direct_voided",
                SignLevel::Department => "signoff_department_voided",
                SignLevel::GmOffice => "signoff_gm_office_voided",
            };
            change::event(
                tx,
                &DELAY,
                actor,
                id,
                &when,
                (field, Some(&voided), Some(reason.trim())),
            )?;
            Ok(())
        })?;
        self.delay(id)
    }

    /// Withdraws an application nobody has signed yet; it stays, marked 已撤回.
    pub fn withdraw_delay(
        &mut self,
        actor: &Actor,
        id: i64,
        reason: &str,
        at: &StepTime,
    ) -> Result<DelayView> {
        self.allow(actor, crate::domain::people::Action::FileDelay)?;
        let when = dates::happened_at(at.happened_at.as_deref(), actor.now)?;
        self.write(|tx| {
            let v = one(tx, id)?;
            check_withdrawal(v.state, v.signoffs.len())?;
            change::apply(
                tx,
                &DELAY,
                actor,
                Edit {
                    id,
                    name: &id.to_string(),
                    seen_version: at.version,
                    happened_at: &when,
                    values: vec![
                        ("withdrawn_at", Value::Text(when.clone())),
                        ("withdrawn_reason", Value::Text(reason.trim().to_string())),
                    ],
                    events: &[("withdrawn_at", Some("withdrawn"))],
                },
            )?;
            Ok(())
        })?;
        self.delay(id)
    }
}

/// Every application as the rules see it, by its requirement's id (for reports and deadlines
/// over all requirements).
pub(crate) fn facts_by_requirement(
    conn: &Conn,
) -> Result<std::collections::HashMap<i64, Vec<DelayFacts>>> {
    let day = |s: Option<String>| s.as_deref().and_then(dates::from_iso);
    let mut st = conn.prepare_cached(
        "SELECT requirement_id, id, filed_date, original_date, new_date,
                short_reason, reason, approved_on, rejected_on, withdrawn_at
         FROM delay_applications",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            crate::domain::delay::short_reason(&r.get::<_, String>(5)?, &r.get::<_, String>(6)?),
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<String>>(9)?,
        ))
    })?;
    let mut out: std::collections::HashMap<i64, Vec<DelayFacts>> = Default::default();
    for row in rows {
        let (req, id, filed, original, new, reason, approved, rejected, withdrawn) = row?;
        let (Some(filed), Some(new_date)) = (dates::from_iso(&filed), dates::from_iso(&new)) else {
            continue;
        };
        out.entry(req).or_default().push(DelayFacts {
            id,
            filed,
            original: day(original),
            new_date,
            reason,
            approved_on: day(approved),
            rejected_on: day(rejected),
            withdrawn: withdrawn.is_some(),
        });
    }
    Ok(out)
}

/// The new dates of the applications in force for one requirement (for the import's
/// "already there" check).
pub(crate) fn approved_new_dates(conn: &Conn, requirement_id: i64) -> Result<Vec<String>> {
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
    ") approved WHERE requirement_id = ?1"
);

/// The ids of requirements with an application in force (status 延期 unless 完成).
pub(crate) const DELAYED_REQUIREMENTS: &str = concat!(
    "SELECT requirement_id FROM (",
    approved_delays!(),
    ") approved"
);

/// The ids of requirements whose date in force is an application's new date before the bound
/// day `p` (`YYYY-MM-DD`): their last approved application in force (in the order of
/// [`IN_FORCE_BY_REQUIREMENT`]) is dated before it. One probe per application before that day,
/// where the aggregate orders every application in force (the 逾期 filter).
pub(crate) fn delayed_before(p: &str) -> String {
    format!(
        "SELECT x.requirement_id FROM delay_applications x
         WHERE x.approved_on IS NOT NULL AND x.rejected_on IS NULL AND x.withdrawn_at IS NULL
           AND x.new_date < {p}
           AND NOT EXISTS (SELECT 1 FROM delay_applications y
             WHERE y.requirement_id = x.requirement_id
               AND y.approved_on IS NOT NULL AND y.rejected_on IS NULL AND y.withdrawn_at IS NULL
               AND (y.approved_on, y.filed_date, y.id) > (x.approved_on, x.filed_date, x.id))"
    )
}

/// Per requirement: how many applications are in force (`n`), their notes for 备注 (`notes`:
/// `new_date US short_reason US reason`, joined by RS, in the order they were approved) and the
/// date in force (`in_force`: the new date of the last approved).
pub(crate) const IN_FORCE_BY_REQUIREMENT: &str = concat!(
    "SELECT requirement_id, count(*) AS n,
       string_agg(new_date || '\u{1f}' || short_reason || '\u{1f}' || reason, '\u{1e}'
                  ORDER BY approved_on, filed_date, id) AS notes,
       max(CASE WHEN latest = 1 THEN new_date END) AS in_force
    FROM (SELECT a.*, row_number() OVER (PARTITION BY requirement_id
                                         ORDER BY approved_on DESC, filed_date DESC, id DESC) AS latest
          FROM (",
    approved_delays!(),
    ") a) ranked GROUP BY requirement_id"
);

/// [`IN_FORCE_BY_REQUIREMENT`] for the requirements of `ids` alone (an SQL list of ids: a
/// register page's), so a page does not order every application in force.
pub(crate) fn in_force_of(ids: &str) -> String {
    const ALL: &str = "WHERE approved_on IS NOT NULL";
    debug_assert_eq!(IN_FORCE_BY_REQUIREMENT.matches(ALL).count(), 1);
    IN_FORCE_BY_REQUIREMENT.replacen(
        ALL,
        &format!("WHERE requirement_id IN ({ids}) AND approved_on IS NOT NULL"),
        1,
    )
}

/// A delay read from a legacy register's 备注: approved on the day it is taken to be filed.
pub(crate) fn insert_imported(
    conn: &Conn,
    requirement_id: i64,
    original: Option<&str>,
    filed: &str,
    delay: &(NaiveDate, String),
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO delay_applications (requirement_id, filed_date, original_date, new_date, reason,
             short_reason, overview, approved_at, approved_on, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, '由旧登记表备注导入', ?6, ?2, ?6, ?6)",
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
    conn: &Conn,
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
    conn.inserted_id().map_err(Into::into)
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
        let db = Db::test_db();
        let actor = Actor::new(None, "测试员", "test", crate::clock::now());
        for (i, case) in cases.iter().enumerate() {
            db.conn()
                .execute(
                    "INSERT INTO requirements (number, received_date, expected_delivery, created_at, updated_at)
                     VALUES (?1, '2014-06-19', '2014-07-01', 'x', 'x')",
                    [format!("140619{i:02}")],
                )
                .unwrap();
            let id = db.conn().inserted_id().unwrap();
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
                    &format!("SELECT n, in_force FROM ({IN_FORCE_BY_REQUIREMENT}) f WHERE requirement_id = ?1"),
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
