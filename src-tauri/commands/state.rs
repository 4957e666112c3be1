//! What every command reaches: the one database connection of this window, and the import the
//! wizard is working on (kept apart from the database lock so cancel always gets through).

use crate::api::import::ImportSession;
use crate::store::Db;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

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

/// The managed state as a command receives it.
pub type Managed<'a> = tauri::State<'a, AppState>;
