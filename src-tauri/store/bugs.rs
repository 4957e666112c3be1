//! The `bugs` table (BUG反馈流程, SPEC §3): the only file that reads or writes it. Numbers come
//! from the bug sequence (`numbering.bug.*`: prefix `B` + `YYMMDDNN` of the day reported);
//! every step goes through the change engine with history; 转需求 creates the requirement and
//! links both in one transaction.

use super::change::{self, Edit, Entity};
use super::requirements::{self, allocate_number, optional_day, required_day};
use super::{Actor, Db, RequirementInput, StepTime};
use crate::domain::bug::{bug_state, check_fix, check_open, check_report, BugFacts, BugState};
use crate::domain::dates;
use crate::domain::requirement::{brief_from, Kind};
use crate::error::{Error, Result};
use crate::store::sql::Value;
use crate::store::sql::{params, Conn, OptionalExtension};
pub use crate::views::BugView;
use serde::{Deserialize, Serialize};

pub(crate) const BUG: Entity = Entity {
    table: "bugs",
    code: "bug",
    noun: "Bug",
    after_change: None,
};

/// A bug as a reporter gives it (Bug收集反馈表). Empty optional texts stay empty.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BugInput {
    /// 发现日期: the day the user found it (required).
    pub found_date: String,
    /// 反馈日期: the day it was reported (its number's day); default the day recorded.
    pub received_date: String,
    /// 反馈人 (required).
    pub reporter: String,
    pub phone_model: String,
    pub os_version: String,
    pub app_version: String,
    pub content: String,
    pub steps: String,
    pub hospital: String,
    pub clinic_department: String,
    pub bug_type: String,
    pub severity: String,
    pub channel: String,
    #[serde(flatten)]
    pub at: StepTime,
}

/// A triage or a correction of what was reported: `None` keeps the stored value (SPEC §11
/// type, severity and channel from the editable lists; the report's own fields).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BugEdit {
    pub reporter: Option<String>,
    pub found_date: Option<String>,
    pub phone_model: Option<String>,
    pub os_version: Option<String>,
    pub app_version: Option<String>,
    pub content: Option<String>,
    pub steps: Option<String>,
    pub hospital: Option<String>,
    pub clinic_department: Option<String>,
    pub bug_type: Option<String>,
    pub severity: Option<String>,
    pub channel: Option<String>,
    pub remark: Option<String>,
    #[serde(flatten)]
    pub at: StepTime,
}

/// Which bugs a list shows: every given condition must hold (empty ones are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BugFilter {
    /// A state code (`reported`, `reproduced`, `not_reproducible`, `fixed`, `converted`, `withdrawn`).
    pub state: String,
    pub severity: String,
    pub bug_type: String,
    pub phone_model: String,
    pub os_version: String,
    pub reporter: String,
    /// 发现日期 from / to, inclusive (any spelling `dates::parse_day` reads).
    pub from: String,
    pub to: String,
    /// Words, all of which appear (folded: full-width → half-width, lower case) in the number,
    /// content, steps, phone, OS, hospital or tracker id.
    pub search: String,
}

/// What a tester found.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReproduceInput {
    /// false: 无法复现.
    pub reproduced: bool,
    pub note: String,
    pub tracker_id: String,
    pub tracker_url: String,
    /// The reporter was copied when it was filed in the tracker (SPEC §6 B2): `None` keeps
    /// what was recorded, `Some(false)` takes it back (with history).
    pub reporter_copied: Option<bool>,
    #[serde(flatten)]
    pub at: StepTime,
}

/// The fix: day and the app version that has it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FixInput {
    pub date: String,
    pub fixed_version: String,
    #[serde(flatten)]
    pub at: StepTime,
}

const COLUMNS: &str = "b.id, b.number, b.reporter, b.found_date, b.received_date, b.phone_model,
    b.os_version, b.app_version, b.content, b.steps, b.hospital, b.clinic_department, b.bug_type,
    b.severity, b.channel, b.reproduced, b.reproduced_by, b.reproduced_at, b.reproduce_note,
    b.tracker_id, b.tracker_url, b.fixed_date, b.fixed_version,
    (SELECT number FROM requirements WHERE id = b.requirement_id), b.withdrawn_at, b.version,
    b.reporter_copied, b.remark";

fn from_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<BugView> {
    let reproduced: Option<i64> = r.get(15)?;
    let fixed_date: Option<String> = r.get(21)?;
    let requirement: Option<String> = r.get(23)?;
    let withdrawn_at: Option<String> = r.get(24)?;
    let state = bug_state(BugFacts {
        reproduced: reproduced.map(|v| v == 1),
        fixed: fixed_date.is_some(),
        converted: requirement.is_some(),
        withdrawn: withdrawn_at.is_some(),
    });
    Ok(BugView {
        id: r.get(0)?,
        number: r.get(1)?,
        reporter: r.get(2)?,
        found_date: r.get(3)?,
        received_date: r.get(4)?,
        phone_model: r.get(5)?,
        os_version: r.get(6)?,
        app_version: r.get(7)?,
        content: r.get(8)?,
        steps: r.get(9)?,
        hospital: r.get(10)?,
        clinic_department: r.get(11)?,
        bug_type: r.get(12)?,
        severity: r.get(13)?,
        channel: r.get(14)?,
        reproduced: reproduced.map(|v| v == 1),
        reproduced_by: r.get(16)?,
        reproduced_at: r.get(17)?,
        reproduce_note: r.get(18)?,
        tracker_id: r.get(19)?,
        tracker_url: r.get(20)?,
        fixed_date,
        fixed_version: r.get(22)?,
        requirement,
        reporter_copied: r.get::<_, i64>(26)? == 1,
        remark: r.get(27)?,
        withdrawn_at,
        version: r.get(25)?,
        screenshots: Vec::new(),
        state,
        state_code: state.code(),
        next: crate::domain::bug::bug_steps(state),
    })
}

pub(crate) fn load(conn: &Conn, number: &str) -> Result<BugView> {
    let number = number.trim();
    let mut b = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM bugs b WHERE b.number = ?1"))?
        .query_row([number], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到 Bug {number}")))?;
    b.screenshots = super::attachments::of_bug(conn, b.id)?;
    Ok(b)
}

/// A value of an editable list, or a Chinese refusal naming the list.
fn listed(conn: &Conn, list: &str, label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    if super::settings::offered(conn, list, v)? {
        Ok(v.to_string())
    } else {
        Err(Error::invalid(
            list,
            format!("{label}“{v}”不在列表中（可在设置中添加）"),
        ))
    }
}

/// Reports a bug inside the caller's transaction (its number allocated there): the report's
/// checks, the row, its history and its screenshots (already checked: name, media type, bytes).
pub(crate) fn insert_bug(
    tx: &Conn,
    actor: &Actor,
    input: &BugInput,
    files: &[(String, &'static str, Vec<u8>)],
) -> Result<String> {
    let found = required_day("found_date", "发现日期", &input.found_date)?;
    // reported when (default now): the report day defaults to its day
    let when = dates::happened_at(input.at.happened_at.as_deref(), actor.now)?;
    let when_day = dates::day_of_moment(&when).unwrap_or(actor.today());
    let reported =
        optional_day("received_date", "反馈日期", &input.received_date)?.unwrap_or(when_day);
    if when_day < reported {
        return Err(Error::invalid(
            "happened_at",
            format!("登记时间不能早于反馈日期（{}）", dates::chinese(reported)),
        ));
    }
    if input.reporter.trim().is_empty() {
        return Err(Error::invalid("reporter", "请填写反馈人"));
    }
    check_report(
        &input.phone_model,
        &input.os_version,
        &input.content,
        found,
        reported,
        actor.today(),
    )?;
    let bug_type = listed(tx, "bug_type", "类型", &input.bug_type)?;
    let severity = listed(tx, "severity", "严重程度", &input.severity)?;
    let channel = listed(tx, "channel", "来源渠道", &input.channel)?;
    let number = allocate_number(tx, "bug", "bugs", reported)?;
    let now = actor.stamp();
    tx.prepare_cached(
        "INSERT INTO bugs (number, reporter, found_date, received_date, phone_model,
                 os_version, app_version, content, steps, hospital, clinic_department,
                 bug_type, severity, channel, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?
    .execute(params![
        number,
        input.reporter.trim(),
        dates::iso(found),
        dates::iso(reported),
        input.phone_model.trim(),
        input.os_version.trim(),
        input.app_version.trim(),
        input.content.trim(),
        input.steps.trim(),
        input.hospital.trim(),
        input.clinic_department.trim(),
        bug_type,
        severity,
        channel,
        now
    ])?;
    let id = tx.inserted_id()?;
    change::event(tx, &BUG, actor, id, &when, ("created", None, Some(&number)))?;
    for (name, media, bytes) in files {
        super::attachments::insert_for_bug(tx, actor, id, name, media, bytes)?;
    }
    Ok(number)
}

impl Db {
    /// One bug by number.
    pub fn bug(&self, number: &str) -> Result<BugView> {
        load(self.conn(), number)
    }

    /// Every bug, newest number first.
    pub fn bugs(&self) -> Result<Vec<BugView>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM bugs b ORDER BY b.number DESC"
        ))?;
        let rows = st.query_map([], from_row)?;
        let mut all: Vec<BugView> = rows.collect::<crate::store::sql::Result<_>>()?;
        for b in &mut all {
            b.screenshots = super::attachments::of_bug(self.conn(), b.id)?;
        }
        Ok(all)
    }

    /// The bugs `filter` lets through, newest number first.
    /// Errors: `Invalid` for an unreadable day or an unknown state code.
    pub fn bugs_where(&self, filter: &BugFilter) -> Result<Vec<BugView>> {
        let from = optional_day("from", "发现日期从", &filter.from)?;
        let to = optional_day("to", "发现日期到", &filter.to)?;
        let state = match filter.state.trim() {
            "" => None,
            s => Some(
                BugState::from_code(s)
                    .or_else(|| BugState::parse(s))
                    .ok_or_else(|| Error::invalid("state", format!("没有“{s}”这个 Bug 状态")))?,
            ),
        };
        let words: Vec<String> = super::search::fold(&filter.search)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let same = |want: &str, have: &str| want.trim().is_empty() || want.trim() == have;
        Ok(self
            .bugs()?
            .into_iter()
            .filter(|b| {
                let found = b.found_date.as_deref().and_then(dates::from_iso);
                let text = super::search::fold(&format!(
                    "{} {} {} {} {} {} {}",
                    b.number,
                    b.content,
                    b.steps,
                    b.phone_model,
                    b.os_version,
                    b.hospital,
                    b.tracker_id
                ));
                state.is_none_or(|s| b.state == s)
                    && same(&filter.severity, &b.severity)
                    && same(&filter.bug_type, &b.bug_type)
                    && same(&filter.phone_model, &b.phone_model)
                    && same(&filter.os_version, &b.os_version)
                    && same(&filter.reporter, &b.reporter)
                    && from.is_none_or(|f| found.is_some_and(|d| d >= f))
                    && to.is_none_or(|t| found.is_some_and(|d| d <= t))
                    && words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect())
    }

    /// Reports a bug (SPEC §3 step 1) and gives it the next number of its report day.
    /// Errors: `Invalid` naming the field (`domain::bug::check_report`, unknown list values).
    /// `screenshots`: (file name, bytes), kept with it in the same transaction (images only,
    /// within the `attachments.max_mb` setting).
    pub fn report_bug(
        &mut self,
        actor: &Actor,
        input: &BugInput,
        screenshots: &[(String, Vec<u8>)],
    ) -> Result<BugView> {
        self.allow(actor, crate::domain::people::Action::ReportBug)?;
        let files = screenshots
            .iter()
            .map(|(name, bytes)| {
                let (name, media) =
                    super::attachments::check_file(self.conn(), name, bytes, false)?;
                Ok((name, media, bytes.clone()))
            })
            .collect::<Result<Vec<_>>>()?;
        let number = self.write(|tx| insert_bug(tx, actor, input, &files))?;
        self.bug(&number)
    }

    /// A change of one open bug through the change engine.
    fn bug_step(
        &mut self,
        actor: &Actor,
        number: &str,
        at: &StepTime,
        plan: impl FnOnce(&Conn, &BugView) -> Result<Vec<(&'static str, Value)>>,
    ) -> Result<BugView> {
        let when = dates::happened_at(at.happened_at.as_deref(), actor.now)?;
        let number = self.write(|tx| {
            let b = load(tx, number)?;
            change::check_version(tx, &BUG, b.id, &b.number, b.version, at.version)?;
            let values = plan(tx, &b)?;
            change::apply(
                tx,
                &BUG,
                actor,
                Edit {
                    id: b.id,
                    name: &b.number,
                    seen_version: at.version,
                    happened_at: &when,
                    values,
                    events: &[],
                },
            )?;
            Ok(b.number)
        })?;
        self.bug(&number)
    }

    /// Triage (type, severity, source channel) and corrections of a reported bug; only what
    /// changes is written, one history row per field. The report's rules hold for the result
    /// (`domain::bug::check_report`; the found day also not after its reproduction or fix); a
    /// list value must be in its list unless it is the one already stored.
    /// Errors: `Invalid` naming the field, `NotFound`, `Conflict` on a stale version.
    pub fn edit_bug(&mut self, actor: &Actor, number: &str, edit: &BugEdit) -> Result<BugView> {
        self.allow(actor, crate::domain::people::Action::TriageBug)?;
        let today = actor.today();
        self.bug_step(actor, number, &edit.at, |conn, b| {
            if !b.next.edit.open {
                return Err(Error::invalid("number", b.next.edit.why));
            }
            // only what is given and differs is checked and written: a bug imported without a
            // phone model can still be triaged
            let given = |e: &Option<String>, stored: &str| {
                e.as_deref()
                    .map(str::trim)
                    .filter(|v| *v != stored)
                    .map(str::to_string)
            };
            let mut values: Vec<(&'static str, Value)> = Vec::new();
            for (col, input, stored, needed) in [
                (
                    "reporter",
                    &edit.reporter,
                    &b.reporter,
                    Some("请填写反馈人"),
                ),
                (
                    "phone_model",
                    &edit.phone_model,
                    &b.phone_model,
                    Some("请填写手机型号"),
                ),
                (
                    "os_version",
                    &edit.os_version,
                    &b.os_version,
                    Some("请填写手机系统及版本"),
                ),
                (
                    "content",
                    &edit.content,
                    &b.content,
                    Some("请填写 Bug 内容"),
                ),
                ("app_version", &edit.app_version, &b.app_version, None),
                ("steps", &edit.steps, &b.steps, None),
                ("hospital", &edit.hospital, &b.hospital, None),
                (
                    "clinic_department",
                    &edit.clinic_department,
                    &b.clinic_department,
                    None,
                ),
                ("remark", &edit.remark, &b.remark, None),
            ] {
                if let Some(v) = given(input, stored) {
                    if let (true, Some(why)) = (v.is_empty(), needed) {
                        return Err(Error::invalid(col, why));
                    }
                    values.push((col, Value::Text(v)));
                }
            }
            for (col, input, stored, label) in [
                ("bug_type", &edit.bug_type, &b.bug_type, "类型"),
                ("severity", &edit.severity, &b.severity, "严重程度"),
                ("channel", &edit.channel, &b.channel, "来源渠道"),
            ] {
                if let Some(v) = given(input, stored) {
                    values.push((col, Value::Text(listed(conn, col, label, &v)?)));
                }
            }
            if let Some(v) = edit.found_date.as_deref().filter(|v| !v.trim().is_empty()) {
                let found = required_day("found_date", "发现日期", v)?;
                let reported = dates::from_iso(&b.received_date).unwrap_or(today);
                if found > today {
                    return Err(Error::invalid("found_date", "发现日期不能晚于今天"));
                }
                if found > reported {
                    return Err(Error::invalid("found_date", "发现日期不能晚于反馈日期"));
                }
                let later = [
                    b.reproduced_at.as_deref().and_then(dates::day_of_moment),
                    b.fixed_date.as_deref().and_then(dates::from_iso),
                ];
                if let Some(l) = later.into_iter().flatten().filter(|l| found > *l).min() {
                    return Err(Error::invalid(
                        "found_date",
                        format!("发现日期不能晚于复现或修复（{}）", dates::iso(l)),
                    ));
                }
                values.push(("found_date", Value::Text(dates::iso(found))));
            }
            Ok(values)
        })
    }

    /// The tester's finding (SPEC §3 step 2): reproduced, filed in the tracker (its id and
    /// link), or 无法复现 with a note. The tester is the one recording it.
    pub fn reproduce_bug(
        &mut self,
        actor: &Actor,
        number: &str,
        input: &ReproduceInput,
    ) -> Result<BugView> {
        self.allow(actor, crate::domain::people::Action::ReproduceBug)?;
        let when = dates::happened_at(input.at.happened_at.as_deref(), actor.now)?;
        if actor.person_id.is_none() {
            return Err(Error::invalid(
                "tester",
                "请写明测试人员（命令行用 --as 姓名，且此人已在人员名单中）",
            ));
        }
        self.bug_step(actor, number, &input.at, |_, b| {
            check_open(&b.number, b.state, "记录复现")?;
            // a reproduced bug stays reproduced: a second save only adds what the tracker says
            if b.state == BugState::Reproduced && !input.reproduced {
                return Err(Error::invalid(
                    "reproduced",
                    format!("Bug {} 已复现，不能改为无法复现", b.number),
                ));
            }
            if !input.reproduced && input.note.trim().is_empty() {
                return Err(Error::invalid(
                    "note",
                    "无法复现时请写明情况（试了哪些机型、步骤）",
                ));
            }
            let found = b.found_date.as_deref().and_then(dates::from_iso);
            if let (Some(f), Some(d)) = (found, dates::day_of_moment(&when)) {
                if d < f {
                    return Err(Error::invalid(
                        "happened_at",
                        format!("复现时间不能早于发现日期（{}）", dates::iso(f)),
                    ));
                }
            }
            // what is not given again is kept
            let keep = |typed: &str, stored: &str| {
                let t = typed.trim();
                Value::Text(if t.is_empty() { stored } else { t }.to_string())
            };
            let mut values = vec![
                ("reproduced", Value::Integer(i64::from(input.reproduced))),
                ("reproduce_note", keep(&input.note, &b.reproduce_note)),
                ("tracker_id", keep(&input.tracker_id, &b.tracker_id)),
                ("tracker_url", keep(&input.tracker_url, &b.tracker_url)),
                (
                    "reporter_copied",
                    Value::Integer(i64::from(
                        input.reporter_copied.unwrap_or(b.reporter_copied),
                    )),
                ),
            ];
            if b.state != BugState::Reproduced {
                values.push(("reproduced_by", Value::Text(actor.name.clone())));
                values.push(("reproduced_at", Value::Text(when.clone())));
            }
            let url = input.tracker_url.trim();
            if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::invalid(
                    "tracker_url",
                    "跟踪链接须以 http:// 或 https:// 开头",
                ));
            }
            Ok(values)
        })
    }

    pub fn fix_bug(&mut self, actor: &Actor, number: &str, input: &FixInput) -> Result<BugView> {
        self.allow(actor, crate::domain::people::Action::FixBug)?;
        let date = required_day("date", "修复日期", &input.date)?;
        self.bug_step(actor, number, &input.at, |_, b| {
            let found = b
                .found_date
                .as_deref()
                .and_then(dates::from_iso)
                .unwrap_or(date);
            check_fix(&b.number, b.state, found, date, actor.today())?;
            let reproduced = b.reproduced_at.as_deref().and_then(dates::day_of_moment);
            if let Some(r) = reproduced.filter(|r| date < *r) {
                return Err(Error::invalid(
                    "date",
                    format!("修复日期不能早于复现日期（{}）", dates::iso(r)),
                ));
            }
            Ok(vec![
                ("fixed_date", Value::Text(dates::iso(date))),
                (
                    "fixed_version",
                    Value::Text(input.fixed_version.trim().into()),
                ),
            ])
        })
    }

    /// 转需求: a bug that is really a feature request becomes a requirement (received the day
    /// the bug was reported; the bug's words as the 医生原话, its phone and steps as the
    /// improvement's); both are linked and the bug closes as converted, in one transaction.
    /// Returns the new 需求编号.
    pub fn bug_to_requirement(&mut self, actor: &Actor, number: &str) -> Result<String> {
        self.allow(actor, crate::domain::people::Action::BugToRequirement)?;
        let when = actor.stamp();
        self.write(|tx| {
            let b = load(tx, number)?;
            check_open(&b.number, b.state, "转需求")?;
            let input = RequirementInput {
                kind: Some(Kind::Improvement),
                source: format!("Bug {}", b.number),
                reporter: b.reporter.clone(),
                received_date: b.received_date.clone(),
                hospital: b.hospital.clone(),
                clinic_department: b.clinic_department.clone(),
                doctor_words: b.content.clone(),
                brief: brief_from(&b.content),
                imp_phone_model: b.phone_model.clone(),
                imp_os_version: b.os_version.clone(),
                imp_steps: b.steps.clone(),
                ..Default::default()
            };
            let (req_id, req_number) = requirements::insert(tx, actor, &input)?;
            requirements::link_from_bug(tx, actor, req_id, (b.id, &b.number), &when)?;
            change::apply(
                tx,
                &BUG,
                actor,
                Edit {
                    id: b.id,
                    name: &b.number,
                    seen_version: None,
                    happened_at: &when,
                    values: vec![
                        ("requirement_id", Value::Integer(req_id)),
                        ("converted_at", Value::Text(when.clone())),
                    ],
                    events: &[("requirement_id", None), ("converted_at", None)],
                },
            )?;
            // both histories say it: the bug became 需求 N; the requirement came from Bug B
            change::event(
                tx,
                &BUG,
                actor,
                b.id,
                &when,
                ("converted", None, Some(&req_number)),
            )?;
            Ok(req_number)
        })
    }
}

/// How many bugs an import creates, updates and finds unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BugCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Columns a Bug收集反馈表 import may write (`excel::import::bugs`).
const IMPORTABLE: &[&str] = &[
    "reporter",
    "found_date",
    "phone_model",
    "os_version",
    "app_version",
    "content",
    "steps",
    "hospital",
    "clinic_department",
    "bug_type",
    "severity",
    "channel",
    "reproduced",
    "reproduced_by",
    "reproduce_note",
    "tracker_id",
    "tracker_url",
    "reporter_copied",
    "fixed_date",
    "fixed_version",
    "remark",
];

/// Columns whose value comes from an editable list (SPEC §11), and the list's name and label.
const LISTED: &[(&str, &str, &str)] = &[
    ("bug_type", "bug_type", "类型"),
    ("severity", "severity", "严重程度"),
    ("channel", "channel", "来源渠道"),
];

/// The stored value of a column as text (`reproduced` as `1` / `0`), `None` when NULL.
fn stored(conn: &Conn, id: i64, col: &str) -> Result<Option<String>> {
    debug_assert!(IMPORTABLE.contains(&col));
    let v: Value = conn
        .prepare_cached(&format!("SELECT {col} FROM bugs WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))?;
    Ok(match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Text(t) => Some(t),
        Value::Real(f) => Some(f.to_string()),
        Value::Blob(_) => None,
    })
}

fn typed(col: &str, v: &str) -> Value {
    if col == "reproduced" || col == "reporter_copied" {
        Value::Integer(i64::from(v == "1"))
    } else {
        Value::Text(v.to_string())
    }
}

/// Whether two texts say the same once folded as the importer reads cells (full-width forms,
/// runs of spaces): such a difference is no change and no conflict.
fn same_text(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        super::search::fold(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    a == b || fold(a) == fold(b)
}

/// A bug's texts an erasure scrubs (`store::privacy`), which an import never writes back.
pub(crate) const ERASED_TEXTS: &[&str] = &[
    "content",
    "steps",
    "remark",
    "reproduce_note",
    "withdrawn_reason",
];

/// Where an import's findings go: conflicts, refused rows, notes.
pub(crate) struct Findings<'a> {
    pub conflicts: &'a mut Vec<super::Conflict>,
    pub rejected: &'a mut Vec<crate::excel::import::Rejection>,
    pub warnings: &'a mut Vec<crate::excel::import::Rejection>,
}

fn finding(
    rec: &crate::excel::import::bugs::BugRecord,
    column: &str,
    reason: String,
) -> crate::excel::import::Rejection {
    crate::excel::import::Rejection {
        file: rec.origin.file.to_string(),
        sheet: Some(rec.origin.sheet.to_string()),
        row: Some(rec.origin.row),
        column: (!column.is_empty()).then(|| column.to_string()),
        reason,
    }
}

/// Imports the bugs of Bug收集反馈表 ledgers (issue 10) inside the import's transaction: a new
/// number is inserted as the file states it (its history names file, sheet and row); a known
/// one only gets what it lacks, and values both have that differ are conflicts decided by
/// `choices` (as for requirements) — unless the Bug内容 differs, which makes it another bug
/// under the same number: that row is refused. 关联需求 links the bug and that requirement both
/// ways when it exists (`requirement_exists` also counts requirements this import is about to
/// create); one that is not found is kept in 备注 and said. A value not in its editable list is
/// kept and said. Without an actor nothing is written: the preview's counts and findings.
pub(crate) fn import_bugs(
    conn: &Conn,
    actor: Option<&Actor>,
    records: &[crate::excel::import::bugs::BugRecord],
    choices: &super::ConflictChoices,
    requirement_exists: &dyn Fn(&str) -> bool,
    said: &mut Findings<'_>,
) -> Result<BugCounts> {
    use crate::domain::fields;
    let mut counts = BugCounts::default();
    let write = actor.is_some();
    for rec in records {
        let who = actor.map(|a| super::import::file_actor(a, &rec.origin.file));
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM bugs WHERE number = ?1")?
            .query_row([&rec.number], |r| r.get(0))
            .optional()?;
        // another bug under a number already used: refused, never merged into the one there
        if let (Some(id), Some(new)) = (id, rec.value("content")) {
            let old = stored(conn, id, "content")?.unwrap_or_default();
            if !old.is_empty() && !same_text(&old, new) {
                said.rejected.push(finding(
                    rec,
                    "Bug内容",
                    format!(
                        "{}：数据库中的这个编号是另一个 Bug（内容“{old}”，文件“{new}”），本行未导入；请核对编号",
                        rec.number
                    ),
                ));
                continue;
            }
        }
        let mut values: Vec<(&'static str, String)> = rec.values.clone();
        let requirement: Option<i64> = match &rec.requirement {
            None => None,
            Some(n) => {
                let found: Option<i64> = conn
                    .prepare_cached("SELECT id FROM requirements WHERE number = ?1")?
                    .query_row([n], |r| r.get(0))
                    .optional()?;
                if found.is_none() && !requirement_exists(n) {
                    said.warnings.push(finding(
                        rec,
                        "关联需求",
                        format!(
                            "{}：关联需求 {n} 不在数据库中，也不在本次导入中；Bug 已导入，未关联，编号记在备注中",
                            rec.number
                        ),
                    ));
                    let note = format!("关联需求 {n}（导入时未找到）");
                    match values.iter_mut().find(|(c, _)| *c == "remark") {
                        Some((_, r)) => *r = format!("{r}；{note}"),
                        None => values.push(("remark", note)),
                    }
                }
                // in a preview, one this import creates counts as there (its id is not known yet)
                found.or_else(|| (!write && requirement_exists(n)).then_some(0))
            }
        };
        for (col, list, label) in LISTED {
            let Some((_, v)) = values.iter().find(|(c, _)| c == col) else {
                continue;
            };
            let known: bool = conn
                .prepare_cached("SELECT 1 FROM list_items WHERE list = ?1 AND value = ?2")?
                .exists(params![list, v])?;
            if !known {
                said.warnings.push(finding(
                    rec,
                    label,
                    format!(
                        "{}：{label}“{v}”不在列表中，照录（可在“设置 → 可选列表”中加入）",
                        rec.number
                    ),
                ));
            }
        }
        let Some(id) = id else {
            counts.created += 1;
            if let Some(who) = &who {
                let now = who.stamp();
                let cols: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
                let marks: Vec<String> = (5..5 + cols.len()).map(|i| format!("?{i}")).collect();
                let sql = format!(
                    "INSERT INTO bugs (number, received_date, created_at, updated_at{}{}) VALUES (?1, ?2, ?3, ?4{}{})",
                    if cols.is_empty() { "" } else { ", " },
                    cols.join(", "),
                    if cols.is_empty() { "" } else { ", " },
                    marks.join(", ")
                );
                let mut row: Vec<Value> = vec![
                    Value::Text(rec.number.clone()),
                    Value::Text(dates::iso(rec.received)),
                    Value::Text(now.clone()),
                    Value::Text(now.clone()),
                ];
                row.extend(values.iter().map(|(c, v)| typed(c, v)));
                conn.prepare_cached(&sql)?
                    .execute(crate::store::sql::params_from_iter(row))?;
                let id = conn.inserted_id()?;
                let note = format!(
                    "{} · {} · 第 {} 行",
                    rec.origin.file, rec.origin.sheet, rec.origin.row
                );
                change::event(conn, &BUG, who, id, &now, ("imported", None, Some(&note)))?;
                if let Some(req) = requirement {
                    link(conn, who, id, req, &now)?;
                }
            }
            continue;
        };
        let mut changes: Vec<(&'static str, Value)> = Vec::new();
        // personal data erased on request is not brought back by a file (issue 19)
        let erased: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM history WHERE entity = 'bug'
                    AND entity_id = ?1 AND field = 'personal_data_erased')",
            )?
            .query_row([id], |r| r.get(0))?;
        for (col, new) in &values {
            if erased && ERASED_TEXTS.contains(col) {
                continue;
            }
            let old = stored(conn, id, col)?;
            if old.as_deref().is_some_and(|o| same_text(o, new)) {
                continue;
            }
            // a flag never set is 0 in the table: the file may set it without a conflict
            let unset = old.as_deref().is_none_or(str::is_empty)
                || (*col == "reporter_copied" && old.as_deref() == Some("0"));
            if !unset {
                let take = choices.takes(&rec.number, col);
                said.conflicts.push(super::Conflict {
                    number: rec.number.clone(),
                    column: col.to_string(),
                    take,
                    never: String::new(),
                    field: fields::label("bug", col).to_string(),
                    existing: fields::display("bug", col, old.as_deref().unwrap_or_default()),
                    incoming: fields::display("bug", col, new),
                    file: rec.origin.file.to_string(),
                    sheet: rec.origin.sheet.to_string(),
                    row: rec.origin.row,
                });
                if !take {
                    continue;
                }
            }
            changes.push((col, typed(col, new)));
        }
        let linked: Option<i64> =
            conn.query_row("SELECT requirement_id FROM bugs WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        if let (Some(have), Some(n)) = (linked, &rec.requirement) {
            let have_number: String = conn.query_row(
                "SELECT number FROM requirements WHERE id = ?1",
                [have],
                |r| r.get(0),
            )?;
            if &have_number != n {
                said.warnings.push(finding(
                    rec,
                    "关联需求",
                    format!(
                        "{}：已关联需求 {have_number}，文件写的是 {n}；保留已有的关联",
                        rec.number
                    ),
                ));
            }
        }
        let link_to = requirement.filter(|_| linked.is_none());
        if changes.is_empty() && link_to.is_none() {
            counts.unchanged += 1;
            continue;
        }
        counts.updated += 1;
        if let Some(who) = &who {
            let now = who.stamp();
            if !changes.is_empty() {
                change::apply(
                    conn,
                    &BUG,
                    who,
                    Edit {
                        id,
                        name: &rec.number,
                        seen_version: None,
                        happened_at: &now,
                        values: changes,
                        events: &[],
                    },
                )?;
            }
            if let Some(req) = link_to {
                link(conn, who, id, req, &now)?;
            }
        }
    }
    Ok(counts)
}

/// Links an imported bug and the requirement it became, both ways, with history on both and
/// both versions stepped (a window showing either sees it changed). A requirement already
/// made from another bug keeps that link; only the bug's side is written then.
fn link(conn: &Conn, who: &Actor, bug_id: i64, req_id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE bugs SET requirement_id = ?1, version = version + 1, updated_at = ?3 WHERE id = ?2",
        params![req_id, bug_id, now],
    )?;
    let (bug_number, req_number): (String, String) = conn.query_row(
        "SELECT (SELECT number FROM bugs WHERE id = ?1), (SELECT number FROM requirements WHERE id = ?2)",
        params![bug_id, req_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    change::event(
        conn,
        &BUG,
        who,
        bug_id,
        now,
        ("converted", None, Some(&req_number)),
    )?;
    requirements::link_from_bug(conn, who, req_id, (bug_id, &bug_number), now)?;
    Ok(())
}
