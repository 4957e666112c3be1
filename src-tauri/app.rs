//! The desktop shell: builds the Tauri app over the core. Generic over the runtime so the
//! commands can be driven by `tauri::test::mock_builder()` without a window.

use crate::commands;
use crate::error::{Error, Result};
use crate::store::Db;
use std::path::Path;
use tauri::Runtime;

/// The state the window manages for its commands (defined beside them, in `commands`).
pub type AppState = commands::AppState;

pub fn build_app<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let db = state.db.clone();
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .invoke_handler(commands::handler())
        .setup(move |app| {
            watch(app.handle().clone(), db);
            Ok(())
        })
}

/// The event the window redraws on: someone else changed the database.
pub const CHANGED: &str = "db-changed";

/// How often the window asks whether someone else changed the database.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_millis(700);

/// Tells the window, within a second, when someone else (another PC, another window, the
/// command line) changed the database (issue 22), so what it shows is redrawn without a click.
/// Asks on a thread of its own, after the window's call in progress if there is one; a failed
/// ask (the server gone) is the window's own calls' to say.
fn watch<R: Runtime>(handle: tauri::AppHandle<R>, db: std::sync::Arc<std::sync::Mutex<Db>>) {
    use tauri::Emitter;
    let _ = std::thread::Builder::new()
        .name("genjin-watch".into())
        .spawn(move || {
            // after a failed ask (the server away) the next waits longer, up to half a minute:
            // each try to connect again holds the window's calls back for a moment. Not when
            // the connection is back meanwhile (the window's own call connected again, or
            // another database was opened): then it asks at once
            let mut backoff = WATCH_EVERY;
            let mut not_before: Option<std::time::Instant> = None;
            loop {
                std::thread::sleep(WATCH_EVERY);
                let held = db.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(at) = not_before {
                    // (a file has no connection to make again: its backoff holds)
                    let away = held.connection_lost() || !held.is_shared();
                    if std::time::Instant::now() < at && away {
                        continue;
                    }
                }
                match held.changed_elsewhere() {
                    Ok(changed) => {
                        (backoff, not_before) = (WATCH_EVERY, None);
                        if changed {
                            let _ = handle.emit(CHANGED, ());
                        }
                    }
                    Err(_) => {
                        backoff = (backoff * 2).min(std::time::Duration::from_secs(30));
                        not_before = Some(std::time::Instant::now() + backoff);
                    }
                }
            }
        });
}

/// Opens the window on a shared database on a PostgreSQL server (issue 21); `named`: given
/// with `--db` or `GENJIN_DB` (else remembered on this PC). A remembered one that cannot be
/// reached opens the window all the same, saying why and offering to try again or to return to
/// this PC's file (issue 22) — on an empty database in memory meanwhile, never on this PC's
/// file, so the data cannot split in two.
pub fn run_shared(url: &str, named: bool) -> Result<()> {
    let state = match Db::open_url(url) {
        Ok(db) => {
            let location = std::path::PathBuf::from(db.location());
            let mut state = AppState::new(db, &location);
            state.named_at_start = named;
            state
        }
        Err(e) if !named => return run_unavailable(&e.to_string()),
        Err(e) => return Err(e),
    };
    open_window(state)
}

/// Opens the window saying why the database remembered on this PC cannot be opened (the
/// server away, the remembered choice damaged): it offers only to try again or to return to
/// this PC's file, on an empty database in memory meanwhile — never on this PC's file, so the
/// data cannot split in two (issue 22).
pub fn run_unavailable(why: &str) -> Result<()> {
    let state = AppState::new(Db::open_in_memory()?, Path::new(""));
    *state.unavailable.lock().unwrap_or_else(|p| p.into_inner()) = Some(why.to_string());
    open_window(state)
}

/// Opens the window saying why this PC's database file `db_path` could not be opened (issue
/// 23: started from a menu, and on Windows with no console at all, nobody reads a terminal);
/// then fails with that error, so the exit code says it too. The file is not touched.
fn run_unopened(db_path: &Path, why: Error) -> Result<()> {
    // said where a terminal is, too: should the window itself fail to start (no display)
    eprintln!("{why}");
    let mut state = AppState::new(Db::open_in_memory()?, db_path);
    state.unopened = Some(why.to_string());
    open_window(state)?;
    Err(why)
}

/// Opens the window on the database at `db_path` (`chosen`: named with `--db`, not the
/// default place).
pub fn run(db_path: &Path, chosen: bool) -> Result<()> {
    let db = match Db::open(db_path) {
        Ok(db) => db,
        Err(e) => return run_unopened(db_path, e),
    };
    let mut warnings: Vec<String> = crate::store::storage_warning(db_path).into_iter().collect();
    // a path typed wrong makes an empty database: said at once (issue 19)
    if chosen && db.is_new_file() {
        warnings.push(format!(
            "“{}”原来不存在，已新建一个空的数据库。如果要打开已有的数据库，请关闭窗口，检查 --db 的路径",
            db_path.display()
        ));
    }
    // its data moved onto a shared database (issue 22): said at once
    if let Some(w) = db.moved_warning()? {
        warnings.push(w);
    }
    // the first start of the day takes the day's backup (issue 13); a failure is said
    if let Err(e) = db.daily_backup(crate::clock::now()) {
        warnings.push(format!("今天的自动备份没有成功：{e}"));
    }
    let mut state = AppState::new(db, db_path);
    *state.warnings.lock().unwrap_or_else(|p| p.into_inner()) = warnings;
    state.named_at_start = chosen;
    open_window(state)
}

/// Runs the window on `state` until it is closed: the one place the app's context (its
/// configuration and the embedded `ui/`) is generated.
fn open_window(state: AppState) -> Result<()> {
    build_app(tauri::Builder::default(), state)
        .run(tauri::generate_context!())
        .map_err(|e| Error::Io(std::io::Error::other(format!("窗口启动失败：{e}"))))
}
