//! Genjin (跟进): the customer-requirement feedback and follow-up process, end to end.
//!
//! `domain`, `store`, `excel` and `api` are the core and know nothing of Tauri; `cli` and `app`
//! (with its `commands`) are two thin shells over the same core.

pub mod api;
pub mod app;
pub mod cli;
pub mod clock;
mod commands;
pub mod domain;
pub mod error;
pub mod excel;
pub mod store;
pub mod views;

pub use error::{Error, Result};
use std::path::PathBuf;

/// The application identifier (also the data directory name).
pub const IDENTIFIER: &str = "cn.genjin.desktop";

/// The URL in `--db` / `GENJIN_DB` when it names a shared database on a PostgreSQL server
/// (`postgres://…` or `postgresql://…`); `None` for a file path.
pub fn server_url(db: &std::path::Path) -> Option<&str> {
    db.to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The default database: `genjin.sqlite3` in the OS data directory
/// (`~/.local/share/cn.genjin.desktop` on Linux, `%APPDATA%\cn.genjin.desktop` on Windows).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(IDENTIFIER)
        .join("genjin.sqlite3")
}
