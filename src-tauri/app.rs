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
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .invoke_handler(commands::handler())
}

/// Opens the window on a shared database on a PostgreSQL server (issue 21).
pub fn run_shared(url: &str) -> Result<()> {
    let db = Db::open_url(url)?;
    let location = std::path::PathBuf::from(db.location());
    let state = AppState::new(db, &location);
    build_app(tauri::Builder::default(), state)
        .run(tauri::generate_context!())
        .map_err(|e| Error::Io(std::io::Error::other(format!("窗口启动失败：{e}"))))
}

/// Opens the window on the database at `db_path` (`chosen`: named with `--db`, not the
/// default place).
pub fn run(db_path: &Path, chosen: bool) -> Result<()> {
    let db = Db::open(db_path)?;
    let mut warnings: Vec<String> = crate::store::storage_warning(db_path).into_iter().collect();
    // a path typed wrong makes an empty database: said at once (issue 19)
    if chosen && db.is_new_file() {
        warnings.push(format!(
            "“{}”原来不存在，已新建一个空的数据库。如果要打开已有的数据库，请关闭窗口，检查 --db 的路径",
            db_path.display()
        ));
    }
    // the first start of the day takes the day's backup (issue 13); a failure is said
    if let Err(e) = db.daily_backup(crate::clock::now()) {
        warnings.push(format!("今天的自动备份没有成功：{e}"));
    }
    let mut state = AppState::new(db, db_path);
    state.warnings = warnings;
    build_app(tauri::Builder::default(), state)
        .run(tauri::generate_context!())
        .map_err(|e| Error::Io(std::io::Error::other(format!("窗口启动失败：{e}"))))
}
