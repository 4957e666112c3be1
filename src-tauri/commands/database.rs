//! 设置 → 数据库 (issue 22): where this window's data lives; a department's shared database
//! tested, connected to and remembered for this user on this PC; this PC's data moved there;
//! and back to this PC's own file.

use super::{off_runtime, operator, signed_in, Managed};
use crate::api::connection::{self, ServerInput};
use crate::error::{Error, Result};
use crate::store::Db;
use serde::Serialize;

#[derive(Serialize)]
pub struct DatabaseInfo {
    /// The window works on a shared database (else on a file).
    shared: bool,
    /// A file's path, or a server's `host:port/database`.
    location: String,
    /// The database was named at start (`--db`, `GENJIN_DB`): shown, not switched here.
    named_at_start: bool,
    /// The shared database this PC connects to as remembered, the password left out.
    server: Option<ServerInput>,
    /// This PC's own file (where 改回本机数据库 goes).
    local: String,
    /// Why the remembered shared database could not be opened at start.
    unavailable: Option<String>,
}

#[tauri::command]
pub async fn database_info(state: Managed<'_>) -> Result<DatabaseInfo> {
    let named_at_start = state.named_at_start;
    let unavailable = state
        .unavailable
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let db = state.db.clone();
    off_runtime(move || {
        let db = db.lock().unwrap_or_else(|p| p.into_inner());
        Ok(DatabaseInfo {
            shared: db.is_shared() || unavailable.is_some(),
            location: db.location(),
            named_at_start,
            server: connection::remembered()
                .ok()
                .flatten()
                .and_then(|u| ServerInput::of_url(&u)),
            local: crate::default_db_path().display().to_string(),
            unavailable,
        })
    })
    .await
}

/// 测试连接: what is at the address, changing nothing there.
#[tauri::command]
pub async fn database_test(input: ServerInput) -> Result<String> {
    off_runtime(move || Ok(Db::probe_url(&input.url()?)?.said())).await
}

/// One switch at a time (two clicks, or two windows of one user): the remembered choice and
/// the window's database never disagree.
static SWITCHING: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn switching() -> std::sync::MutexGuard<'static, ()> {
    SWITCHING.lock().unwrap_or_else(|p| p.into_inner())
}

fn switchable(state: &Managed<'_>) -> Result<()> {
    if state.named_at_start {
        return Err(Error::invalid(
            "db",
            "这个窗口启动时用 --db 或 GENJIN_DB 指定了数据库，不能在这里切换；请不带 --db 重新启动跟进后再改",
        ));
    }
    Ok(())
}

/// 连接共享数据库: opens it (an empty one gets Genjin's tables), remembers it for the next
/// start, and the window works on it from now on.
#[tauri::command]
pub async fn database_connect(state: Managed<'_>, input: ServerInput) -> Result<String> {
    switchable(&state)?;
    let switcher = state.switcher();
    off_runtime(move || {
        let _one = switching();
        let url = connection::url_keeping_password(&input)?;
        let db = Db::open_url(&url)?;
        let location = db.location();
        connection::remember(Some(&url))?;
        switcher.switch_to(db);
        Ok(format!(
            "已连接共享数据库“{location}”，以后启动跟进会直接打开它"
        ))
    })
    .await
}

/// 改回本机数据库: this PC's own file, from now on and at the next start.
#[tauri::command]
pub async fn database_local(state: Managed<'_>) -> Result<String> {
    switchable(&state)?;
    let switcher = state.switcher();
    off_runtime(move || {
        let _one = switching();
        let path = crate::default_db_path();
        let db = Db::open(&path)?;
        let moved = db.moved_warning()?;
        connection::remember(None)?;
        switcher.switch_to(db);
        if let Some(w) = moved {
            switcher.warn(w);
        }
        Ok(format!("已改回本机数据库“{}”", path.display()))
    })
    .await
}

/// 迁移本机数据到共享数据库: copies this PC's file whole into the (empty) shared database,
/// compares every table and the register, then connects to it as [`database_connect`] does.
#[tauri::command]
pub async fn database_move_here(
    state: Managed<'_>,
    input: ServerInput,
    on_progress: tauri::ipc::Channel<crate::store::CopyProgress>,
) -> Result<String> {
    switchable(&state)?;
    let switcher = state.switcher();
    let signed = state.signed_in.clone();
    off_runtime(move || {
        let _one = switching();
        let url = connection::url_keeping_password(&input)?;
        // held from the copy to the switch: nothing this window writes meanwhile can stay
        // behind in the file
        let mut db = switcher.lock();
        if db.is_shared() {
            return Err(Error::invalid(
                "db",
                "现在打开的已是共享数据库；迁移用于把本机数据库文件复制到共享数据库",
            ));
        }
        let actor = operator(&db, signed_in(&signed))?;
        let report = crate::api::copy::copy_db_watched(&db, &actor, &url, &mut |p| {
            let _ = on_progress.send(p);
        })?;
        let target = Db::open_url(&url)?;
        // the file says where its data went: a window or a script still opening it is told
        db.mark_moved(&actor, &target.location())?;
        connection::remember(Some(&url))?;
        // the one who moved the data goes on operating this window there, unless the
        // copy asks everyone for a password (theirs is asked then)
        let keep = !target.sign_in_required()?;
        switcher.switch_held(&mut db, target);
        if keep {
            *signed.lock().unwrap_or_else(|e| e.into_inner()) =
                actor.person_id.map(|id| super::Operating {
                    id,
                    password: false,
                });
        }
        Ok(format!(
            "{}\n已连接共享数据库，以后启动跟进会直接打开它；本机的数据库文件保持原样，可作备份",
            report.summary()
        ))
    })
    .await
}

/// 重试连接: the shared database remembered on this PC, which could not be opened at start.
#[tauri::command]
pub async fn database_retry(state: Managed<'_>) -> Result<String> {
    switchable(&state)?;
    let switcher = state.switcher();
    off_runtime(move || {
        let _one = switching();
        let url = connection::remembered()?
            .ok_or_else(|| Error::invalid("db", "本机没有记住要连接的共享数据库"))?;
        let db = Db::open_url(&url)?;
        let location = db.location();
        switcher.switch_to(db);
        Ok(format!("已连接共享数据库“{location}”"))
    })
    .await
}

/// 设置 → 关于跟进 (issue 23): this build's version, the database open, and which Genjin
/// each PC opened it with — what a support call asks for.
#[tauri::command]
pub async fn app_about(state: Managed<'_>) -> Result<crate::api::about::About> {
    super::read_open(&state, crate::api::about::about).await
}
