//! What every command reaches: the one database connection of this window, and the import the
//! wizard is working on (kept apart from the database lock so cancel always gets through).

use crate::api::import::ImportSession;
use crate::store::Db;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub db: Arc<Mutex<Db>>,
    pub db_path: PathBuf,
    pub import: Arc<Mutex<ImportSession>>,
    pub import_cancel: Arc<AtomicBool>,
    /// Wakes the search indexer (`Db::index_search` on its own connection); `None` for an
    /// in-memory database, which is indexed inline.
    indexer: Option<Sender<()>>,
    /// Said once the window opens (the database on a network share, a failed daily backup).
    pub warnings: Vec<String>,
    /// With sign-in on: who signed in to this window (the stored operator is not trusted).
    pub signed_in: Arc<Mutex<Option<i64>>>,
}

impl AppState {
    /// The state of a window on `db`; starts indexing what the search index lacks (rows of an
    /// import, or of a file from before the index) beside the window.
    pub fn new(db: Db, db_path: &Path) -> Self {
        let indexer = db.path().map(|p| indexer(p.to_path_buf()));
        let state = AppState {
            db: Arc::new(Mutex::new(db)),
            db_path: db_path.to_path_buf(),
            import: Arc::default(),
            import_cancel: Arc::default(),
            indexer,
            warnings: Vec::new(),
            signed_in: Arc::default(),
        };
        state.index_search();
        state
    }

    /// Asks the indexer to catch up (after an import's commit). Returns at once (an
    /// in-memory database is caught up before returning).
    pub fn index_search(&self) {
        match &self.indexer {
            Some(tx) => {
                let _ = tx.send(());
            }
            None => {
                if let Ok(mut db) = self.db.lock() {
                    if let Err(e) = db.index_search() {
                        eprintln!("搜索索引：{e}");
                    }
                }
            }
        }
    }
}

/// A thread that catches the search index up whenever woken, on its own connection, one short
/// transaction per batch so the window's own writes wait at most a moment. Wake-ups that come
/// while it works are merged into one more round; a round that fails (the file busy beyond the
/// timeout) is tried again a few times, a little later each time.
fn indexer(path: PathBuf) -> Sender<()> {
    let (tx, rx) = channel::<()>();
    std::thread::spawn(move || {
        let mut db: Option<Db> = None;
        while rx.recv().is_ok() {
            while rx.try_recv().is_ok() {}
            for attempt in 1..=5u32 {
                if db.is_none() {
                    db = Db::open(&path)
                        .map_err(|e| eprintln!("搜索索引：无法打开数据库：{e}"))
                        .ok();
                }
                match db.as_mut().map(Db::index_search) {
                    Some(Ok(_)) => break,
                    Some(Err(e)) => eprintln!("搜索索引（第 {attempt} 次）：{e}"),
                    None => {}
                }
                std::thread::sleep(std::time::Duration::from_secs(u64::from(attempt) * 2));
            }
        }
    });
    tx
}

/// The managed state as a command receives it.
pub type Managed<'a> = tauri::State<'a, AppState>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actor, RequirementInput};

    /// A window opened on a file whose index lags behind (rows of an import) catches it up
    /// beside the window.
    #[test]
    fn the_window_catches_the_search_index_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.sqlite3");
        let mut db = Db::open(&path).unwrap();
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        let input = RequirementInput {
            received_date: "2014-06-19".into(),
            reporter: "李四".into(),
            brief: "问卷自动计分".into(),
            ..Default::default()
        };
        db.create_requirement(&a, &input).unwrap();
        db.create_requirement(&a, &input).unwrap();
        db.forget_search_index_for_test();
        assert_eq!(db.search_backlog().unwrap(), 2);
        let state = AppState::new(db, &path);
        let started = std::time::Instant::now();
        while state.db.lock().unwrap().search_backlog().unwrap() > 0 {
            assert!(
                started.elapsed().as_secs() < 20,
                "the indexer never caught up"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
