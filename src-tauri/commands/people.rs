use super::{blocking, read_open, write, Managed};
use crate::domain::bug::BugState;
use crate::domain::calendar::DayKind;
use crate::domain::delay::{DelayState, Opinion, SignLevel};
use crate::domain::forms::{self, Form};
use crate::domain::people::Role;
use crate::domain::requirement::{Decision, Grade, Kind, Status, BRIEF_MAX_CHARS};
use crate::error::{Error, Result};
use crate::store::{Actor, Person, PersonInput};
use serde::Serialize;

#[derive(Serialize)]
pub struct Choice {
    value: &'static str,
    label: &'static str,
    hint: &'static str,
}

/// What the window needs at start: the database, the operator, and the closed/editable lists.
#[derive(Serialize)]
pub struct AppInfo {
    /// Sign-in is on: the window asks who you are and your password (issue 13).
    sign_in: bool,
    /// The window works on a department's shared database (issue 22).
    shared: bool,
    /// A shared database on which nobody holds a password yet: the window asks someone who may
    /// manage people to set the first (issue 22).
    first_password: bool,
    /// The shared database remembered on this PC could not be opened at start: why (the
    /// window offers to try again or to return to this PC's file, nothing else).
    unavailable: Option<String>,
    /// This PC's database file could not be opened at start: why (the window says only that).
    unopened: Option<String>,
    version: &'static str,
    db_path: String,
    /// Where backups go, and what the window should say at once (network share, failed backup).
    backups_dir: String,
    warnings: Vec<String>,
    operator: Option<Person>,
    roles: Vec<Choice>,
    decisions: Vec<Choice>,
    grades: Vec<Choice>,
    /// How people are told (the 通知方式 list), in its order.
    channels: Vec<String>,
    sources: Vec<String>,
    departments: Vec<String>,
    /// What each decision leads to, as the core decides it (the window never compares labels).
    decision_rules: Vec<DecisionRule>,
    limits: Limits,
    /// The policy's forms (附表1–3): titles, labels and order.
    forms: Forms,
    /// 新需求 / 改进需求, with the code the window keys the form's parts on.
    kinds: Vec<Coded>,
    /// The register's status filter: value sent back, and what it reads.
    status_filters: Vec<Choice>,
    /// 节假日 / 调休上班.
    day_kinds: Vec<Coded>,
    /// 附表1: the signature levels in their order, the opinions, the states of an application.
    sign_levels: Vec<Coded>,
    opinions: Vec<Coded>,
    delay_states: Vec<Coded>,
    /// Bugs: the states, and the editable lists (类型, 严重程度, 来源渠道).
    bug_states: Vec<Coded>,
    bug_types: Vec<String>,
    severities: Vec<String>,
    bug_channels: Vec<String>,
}

#[derive(Serialize)]
pub struct Coded {
    code: &'static str,
    label: &'static str,
}

fn coded<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Coded> {
    all.iter()
        .map(|v| Coded {
            code: code(*v),
            label: label(*v),
        })
        .collect()
}

#[derive(Serialize)]
pub struct DecisionRule {
    label: &'static str,
    /// 做 / 需求转换: a grade is required and the work steps open.
    needs_grade: bool,
    /// 需求转换: the conversion summary is required.
    needs_conversion: bool,
    /// 不做: a reason may be given, to pass on to the requester.
    takes_reason: bool,
}

#[derive(Serialize)]
pub struct Limits {
    brief_max_chars: usize,
}

#[derive(Serialize)]
pub struct Forms {
    register: Form,
    report: Form,
    delay: Form,
    supplement: Supplement,
}

/// The texts of 附表2's 需求补充 box.
#[derive(Serialize)]
pub struct Supplement {
    new: &'static str,
    improvement: &'static str,
    hint: &'static str,
    improvement_hint: &'static str,
}

fn choices<T: Copy>(
    all: &[T],
    label: impl Fn(T) -> &'static str,
    hint: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: label(*v),
            label: label(*v),
            hint: hint(*v),
        })
        .collect()
}

#[tauri::command]
pub async fn app_info(state: Managed<'_>) -> Result<AppInfo> {
    let db_path = state
        .db_path
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .display()
        .to_string();
    let warnings = state
        .warnings
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let signed = state.signed_in.clone();
    let unopened = state.unopened.clone();
    let unavailable = state
        .unavailable
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    read_open(&state, move |db| {
        let sign_in = db.sign_in_required()?;
        // a person deactivated meanwhile is signed out (issue 22)
        super::sign_out_if_gone(db, &signed);
        // with sign-in on, or on a shared database (nobody's password yet): the person of
        // this window, not a stored choice
        let operator = match super::window_person(db, super::signed_in(&signed), sign_in) {
            Some(Some(id)) => Some(db.person(id)?),
            Some(None) => None,
            None => db.operator()?,
        };
        Ok(AppInfo {
            sign_in,
            shared: db.is_shared(),
            first_password: db.first_password_missing()?,
            unavailable,
            unopened,
            version: env!("CARGO_PKG_VERSION"),
            db_path,
            backups_dir: db
                .backups_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            warnings,
            operator,
            roles: choices(Role::ALL, Role::label, |_| ""),
            decisions: choices(Decision::ALL, Decision::label, |_| ""),
            grades: choices(Grade::ALL, Grade::label, Grade::meaning),
            channels: db.list_items(crate::domain::notify::CHANNEL_LIST)?,
            sources: db.list_items("source")?,
            departments: db.list_items("department")?,
            decision_rules: Decision::ALL
                .iter()
                .map(|d| DecisionRule {
                    label: d.label(),
                    needs_grade: d.leads_to_work(),
                    needs_conversion: *d == Decision::Convert,
                    takes_reason: *d == Decision::DoNot,
                })
                .collect(),
            limits: Limits {
                brief_max_chars: BRIEF_MAX_CHARS,
            },
            forms: Forms {
                register: forms::REGISTER,
                report: forms::REPORT,
                delay: forms::DELAY,
                supplement: Supplement {
                    new: forms::REPORT_SUPPLEMENT_NEW,
                    improvement: forms::REPORT_SUPPLEMENT_IMPROVEMENT,
                    hint: forms::REPORT_SUPPLEMENT_HINT,
                    improvement_hint: forms::REPORT_IMPROVEMENT_HINT,
                },
            },
            kinds: coded(Kind::ALL, Kind::code, Kind::label),
            sign_levels: coded(SignLevel::ALL, SignLevel::code, SignLevel::label),
            opinions: coded(Opinion::ALL, Opinion::code, Opinion::label),
            delay_states: coded(DelayState::ALL, DelayState::code, DelayState::label),
            bug_states: coded(BugState::ALL, BugState::code, BugState::label),
            bug_types: db.list_items("bug_type")?,
            severities: db.list_items("severity")?,
            bug_channels: db.list_items("channel")?,
            status_filters: Status::ALL
                .iter()
                .map(|s| match s {
                    // the register's filter reads 空 for the empty status
                    Status::Open => Choice {
                        value: "空",
                        label: "空（进行中）",
                        hint: "",
                    },
                    s => Choice {
                        value: s.label(),
                        label: s.label(),
                        hint: "",
                    },
                })
                .chain([
                    Choice {
                        value: crate::store::OVERDUE,
                        label: "逾期（未完成）",
                        hint: "",
                    },
                    Choice {
                        value: crate::store::LEGACY_OVERDUE,
                        label: "旧表导入的逾期（待核对）",
                        hint:
                            "旧登记表导入、承诺交付日已过而未交付的需求：导入前的历史，不计入考核",
                    },
                ])
                .collect(),
            day_kinds: coded(DayKind::ALL, DayKind::code, DayKind::label),
        })
    })
    .await
}

/// The active people without a password yet (the window warns before sign-in is turned on).
#[tauri::command]
pub async fn person_without_password(state: Managed<'_>) -> Result<Vec<String>> {
    read_open(&state, |db| db.without_password()).await
}

#[tauri::command]
pub async fn person_list(state: Managed<'_>) -> Result<Vec<Person>> {
    read_open(&state, |db| db.people()).await
}

/// Adds a person. Before anyone operates the app (first start) the new person is recorded as
/// added by themself and becomes the operator when `make_operator` is set.
#[tauri::command]
pub async fn person_add(
    state: Managed<'_>,
    input: PersonInput,
    make_operator: bool,
    password: Option<String>,
) -> Result<Person> {
    let signed = state.signed_in.clone();
    blocking(&state, move |db| {
        // the first person of a shared database sets their password as they are added, and is
        // signed in to this window with it (issue 22)
        let first_on_server = db.adds_first_on_server()?;
        let password = password.filter(|p| !p.is_empty());
        if first_on_server && password.is_none() {
            return Err(Error::invalid(
                "password",
                "这是部门的共享数据库，每人用自己的密码登录：请为自己设置密码",
            ));
        }
        let actor = match super::operator(db, super::signed_in(&signed)) {
            Ok(a) => a,
            Err(_) => Actor::new(None, input.name.trim(), "app", crate::clock::now()),
        };
        let p = db.add_person_with_password(&actor, &input, password.as_deref())?;
        // (with sign-in on, the one signed in goes on operating: no one becomes it without a
        // password)
        if make_operator && !db.sign_in_required().unwrap_or(true) {
            super::choose_operator(db, &signed, p.id)?;
        }
        if first_on_server {
            *signed.lock().unwrap_or_else(|e| e.into_inner()) = super::Operating::signed(p.id);
        }
        Ok(p)
    })
    .await
}

/// A shared database on which nobody has a password yet (issue 22): person `id`, who may
/// manage people, sets the first one for themself and is signed in to this window with it.
#[tauri::command]
pub async fn operator_first_password(
    state: Managed<'_>,
    id: i64,
    password: String,
) -> Result<Person> {
    let signed = state.signed_in.clone();
    blocking(&state, move |db| {
        let p = db.set_first_password(id, &password, crate::clock::now())?;
        *signed.lock().unwrap_or_else(|e| e.into_inner()) = super::Operating::signed(p.id);
        Ok(p)
    })
    .await
}

#[tauri::command]
pub async fn person_update(state: Managed<'_>, id: i64, input: PersonInput) -> Result<Person> {
    write(&state, move |db, actor| db.update_person(actor, id, &input)).await
}

/// Chooses who is operating this window; every later change is attributed to them.
#[tauri::command]
pub async fn operator_set(state: Managed<'_>, id: i64) -> Result<Person> {
    let signed = state.signed_in.clone();
    blocking(&state, move |db| {
        if db.sign_in_required()? {
            return Err(Error::Forbidden("已开启登录：请输入密码登录".into()));
        }
        super::choose_operator(db, &signed, id)
    })
    .await
}

/// With sign-in on: signs person `id` in to this window with their password; they operate it
/// until the window closes.
#[tauri::command]
pub async fn operator_sign_in(state: Managed<'_>, id: i64, password: String) -> Result<Person> {
    let signed = state.signed_in.clone();
    blocking(&state, move |db| {
        let p = db.sign_in_person(id, &password)?;
        *signed.lock().unwrap_or_else(|e| e.into_inner()) = super::Operating::signed(p.id);
        // a file remembers who operates this PC; a shared database's settings are every PC's
        if db.is_shared() {
            return Ok(p);
        }
        db.set_operator(p.id)
    })
    .await
}

/// Sets a person's sign-in password (their own, or by someone who may manage people).
#[tauri::command]
pub async fn person_set_password(
    state: Managed<'_>,
    id: i64,
    password: String,
    current: Option<String>,
) -> Result<()> {
    write(&state, move |db, actor| {
        db.set_password(actor, id, &password, current.as_deref())
    })
    .await
}
