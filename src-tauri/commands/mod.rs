//! Thin async Tauri commands: arguments in, one call into the core off the async runtime, result
//! (or `{kind, message, field}`) out. Names are `domain_verb`; only `ui/js/api.js` calls them.

mod bug;
mod database;
mod delay;
mod import;
mod people;
mod register;
mod report;
mod requirement;
mod settings;
mod state;
mod sync;

pub use state::{AppState, Managed};

use crate::error::{Error, Result};
use crate::store::{Actor, Db};
use tauri::{ipc::Invoke, Runtime};

pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        import::import_upload,
        import::import_load,
        import::import_remap,
        import::import_commit,
        import::import_cancel,
        people::app_info,
        database::database_info,
        database::app_about,
        database::database_test,
        database::database_connect,
        database::database_local,
        database::database_move_here,
        database::database_retry,
        people::person_list,
        people::person_without_password,
        people::person_add,
        people::person_update,
        people::operator_set,
        people::operator_sign_in,
        people::operator_first_password,
        people::person_set_password,
        register::register_query,
        register::register_reporters,
        requirement::requirement_create,
        requirement::requirement_get,
        requirement::requirement_update,
        requirement::requirement_decide,
        requirement::requirement_plan,
        requirement::requirement_responsible,
        requirement::requirement_it_acceptance,
        requirement::requirement_expect,
        requirement::requirement_complete,
        requirement::requirement_withdraw,
        requirement::personal_data_erase,
        requirement::requirement_restore,
        requirement::requirement_history,
        requirement::notification_list,
        requirement::notification_record,
        requirement::notification_confirm,
        requirement::requirement_attach,
        requirement::notices_owed,
        requirement::notifications_record_many,
        settings::setting_list,
        settings::setting_set,
        settings::calendar_list,
        settings::backup_list,
        settings::backup_now,
        settings::backup_daily,
        settings::backup_restore,
        settings::calendar_set,
        settings::calendar_remove,
        settings::calendar_preview,
        settings::calendar_paste,
        settings::list_all,
        settings::list_add,
        settings::list_hide,
        delay::delay_file,
        delay::delay_sign,
        delay::delay_withdraw,
        delay::delay_void,
        delay::delay_list,
        delay::delay_get,
        delay::delay_export,
        delay::delay_attach,
        delay::attachment_get,
        delay::attachment_save,
        bug::bug_list,
        bug::bug_get,
        bug::bug_report,
        sync::sync_status,
        sync::sync_pending,
        sync::sync_inbox,
        sync::sync_submit_requirement,
        sync::sync_submit_bug,
        sync::sync_discard,
        sync::sync_accept,
        sync::sync_decline,
        sync::sync_with,
        sync::sync_out,
        sync::sync_in,
        bug::bug_reproduce,
        requirement::report_form_export,
        register::register_export,
        report::weekly_preview,
        report::weekly_write,
        report::weekly_sent_record,
        report::monthly_summary,
        report::monthly_export,
        report::meeting_record,
        report::todo_page,
        report::todo_alerts,
        report::assessment_month,
        report::assessment_export,
        bug::bug_edit,
        bug::bug_export,
        bug::bug_weekly_export,
        bug::bug_fix,
        bug::bug_to_requirement,
        bug::bug_notifications,
        bug::bug_notify,
        bug::bug_history,
    ]
}

/// Runs `f` on a blocking thread, off the async runtime.
pub(crate) async fn off_runtime<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::Conflict(format!("后台任务失败：{e}")))?
}

/// Runs `f` on the database off the async runtime (the lock is never held across an await).
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Db) -> Result<T> + Send + 'static,
{
    let db = state.db.clone();
    off_runtime(move || {
        let mut db = db.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut db)
    })
    .await
}

/// Reads, once signed in when sign-in is on (issue 13: personal data stays behind it).
async fn read<T, F>(state: &AppState, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Db) -> Result<T> + Send + 'static,
{
    let signed = state.signed_in.clone();
    blocking(state, move |db| {
        // (and the person named in a window on a shared database: deactivated meanwhile, they
        // are refused at their next step too, and the window asks who operates it)
        let sign_in = db.sign_in_required()?;
        if sign_in || (db.is_shared() && signed_in(&signed).is_some()) {
            operator_with(db, signed_in(&signed), sign_in)
                .inspect_err(|_| sign_out_if_gone(db, &signed))?;
        }
        f(db)
    })
    .await
}

/// Reads as the window's operator: what they may see depends on who they are (issue 19: the
/// assessment).
async fn read_as<T, F>(state: &AppState, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Db, &Actor) -> Result<T> + Send + 'static,
{
    let signed = state.signed_in.clone();
    blocking(state, move |db| {
        let actor =
            operator(db, signed_in(&signed)).inspect_err(|_| sign_out_if_gone(db, &signed))?;
        f(db, &actor)
    })
    .await
}

/// Reads what the sign-in itself needs (the app's lists, the people to pick from).
async fn read_open<T, F>(state: &AppState, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Db) -> Result<T> + Send + 'static,
{
    blocking(state, move |db| f(db)).await
}

/// Who operates a window: signed in with their password, or (on a shared database nobody
/// holds a password for yet) chosen in it without one, which no sign-in takes for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operating {
    pub id: i64,
    pub password: bool,
}

impl Operating {
    /// Signed in with their password.
    pub fn signed(id: i64) -> Option<Operating> {
        Some(Operating { id, password: true })
    }
}

fn signed_in(signed: &std::sync::Mutex<Option<Operating>>) -> Option<Operating> {
    *signed.lock().unwrap_or_else(|p| p.into_inner())
}

/// The person operating the window as the database asks (`None`: the operator stored on this
/// PC, a file without sign-in): with sign-in on, one signed in with their password; on a
/// shared database nobody holds a password for yet, the one chosen in this window.
/// `sign_in`: whether the database asks for sign-in (`Db::sign_in_required`, read once).
fn window_person(db: &Db, op: Option<Operating>, sign_in: bool) -> Option<Option<i64>> {
    if sign_in {
        Some(op.filter(|o| o.password).map(|o| o.id))
    } else if db.is_shared() {
        Some(op.map(|o| o.id))
    } else {
        None
    }
}

/// Signs the window out when the person signed in to it (or named in it) was deactivated, or
/// is gone, meanwhile: their next action on every PC finds them signed out (issue 22), and the
/// window asks who signs in (who operates it, on a shared database without passwords yet).
fn sign_out_if_gone(db: &Db, signed: &std::sync::Mutex<Option<Operating>>) {
    let Some(Operating { id, .. }) = signed_in(signed) else {
        return;
    };
    let gone = match db.person(id) {
        Ok(p) => !p.active,
        Err(Error::NotFound(_)) => true,
        Err(_) => false,
    };
    if gone {
        *signed.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// The window's operator, who makes its changes: with sign-in on, the person signed in to this
/// window; on a shared database nobody holds a password for yet, the person chosen in this
/// window (a choice on one PC is never another PC's); otherwise the operator chosen on this
/// PC. Without one a change is refused.
fn operator(db: &Db, signed: Option<Operating>) -> Result<Actor> {
    operator_with(db, signed, db.sign_in_required()?)
}

/// [`operator`], whether the database asks for sign-in already read (`sign_in`).
fn operator_with(db: &Db, signed: Option<Operating>, sign_in: bool) -> Result<Actor> {
    if let Some(person) = window_person(db, signed, sign_in) {
        let id = person.ok_or_else(|| {
            if sign_in {
                Error::Forbidden("已开启登录：请先登录".into())
            } else {
                Error::Conflict("请先选择操作人（谁在使用本机）".into())
            }
        })?;
        // (signed in with a password, or named in this window without one)
        let again = if signed.is_some_and(|o| o.password) {
            "请换人登录"
        } else {
            "请重新选择操作人"
        };
        let p = match db.person(id) {
            // gone from the list (a restore elsewhere): asked again, as for one deactivated
            Err(Error::NotFound(_)) => {
                return Err(Error::Forbidden(format!(
                    "本窗口的操作人已不在人员名单中，{again}"
                )))
            }
            other => other?,
        };
        if !p.active {
            return Err(Error::Forbidden(format!("{} 已停用，{again}", p.name)));
        }
        return Ok(Actor::new(Some(p.id), p.name, "app", crate::clock::now()));
    }
    let op = db
        .operator()?
        .ok_or_else(|| Error::Conflict("请先选择操作人（谁在使用本机）".into()))?;
    Ok(Actor::new(Some(op.id), op.name, "app", crate::clock::now()))
}

/// Makes person `id` the window's operator without a password (sign-in off): on a shared
/// database for this window alone, on a file for this PC (the stored operator).
fn choose_operator(
    db: &mut Db,
    signed: &std::sync::Mutex<Option<Operating>>,
    id: i64,
) -> Result<crate::store::Person> {
    if !db.is_shared() {
        return db.set_operator(id);
    }
    let p = db.person(id)?;
    if !p.active {
        return Err(Error::invalid(
            "person",
            format!("{} 已停用，不能作为操作人", p.name),
        ));
    }
    *signed.lock().unwrap_or_else(|e| e.into_inner()) = Some(Operating {
        id: p.id,
        password: false,
    });
    Ok(p)
}

/// The window's operator when there is one (a view shown before anyone operates still shows).
fn current_operator(db: &Db, signed: &std::sync::Mutex<Option<Operating>>) -> Option<Actor> {
    operator(db, signed_in(signed)).ok()
}

/// The roles the window's operator acts with, to close the steps they may not take: `None`
/// when no one operates yet or no people are listed (anyone may set up).
fn operator_roles(
    db: &Db,
    signed: &std::sync::Mutex<Option<Operating>>,
) -> Result<Option<Vec<crate::domain::people::Role>>> {
    match current_operator(db, signed) {
        Some(actor) => db.acting_roles(&actor),
        None => Ok(None),
    }
}

/// Runs a change as the operator of this window.
async fn write<T, F>(state: &AppState, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Db, &Actor) -> Result<T> + Send + 'static,
{
    let signed = state.signed_in.clone();
    blocking(state, move |db| {
        let actor =
            operator(db, signed_in(&signed)).inspect_err(|_| sign_out_if_gone(db, &signed))?;
        f(db, &actor)
    })
    .await
}
