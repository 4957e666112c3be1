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

/// Opens the window on the database at `db_path`.
pub fn run(db_path: &Path) -> Result<()> {
    let db = Db::open(db_path)?;
    build_app(tauri::Builder::default(), AppState::new(db, db_path))
        .run(tauri::generate_context!())
        .map_err(|e| Error::Io(std::io::Error::other(format!("窗口启动失败：{e}"))))
}
