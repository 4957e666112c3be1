//! The desktop shell: builds the Tauri app over the core. Generic over the runtime so the
//! commands can be driven by `tauri::test::mock_builder()` without a window.

use crate::api::import::ImportSession;
use crate::commands;
use crate::error::{Error, Result};
use crate::store::Db;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use tauri::Runtime;

/// What every command reaches: the one database connection of this window, and the import
/// the wizard is working on (kept apart from the database lock so cancel always gets through).
pub struct AppState {
    pub db: Arc<Mutex<Db>>,
    pub db_path: PathBuf,
    pub import: Arc<Mutex<ImportSession>>,
    pub import_cancel: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(db: Db, db_path: &Path) -> Self {
        AppState {
            db: Arc::new(Mutex::new(db)),
            db_path: db_path.to_path_buf(),
            import: Arc::default(),
            import_cancel: Arc::default(),
        }
    }
}

pub fn build_app<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(commands::handler())
}

/// Opens the window on the database at `db_path`.
pub fn run(db_path: &Path) -> Result<()> {
    let db = Db::open(db_path)?;
    build_app(tauri::Builder::default(), AppState::new(db, db_path))
        .run(tauri::generate_context!())
        .map_err(|e| Error::Io(std::io::Error::other(format!("窗口启动失败：{e}"))))
}
