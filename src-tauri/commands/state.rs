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
    /// Where the data lives as the title bar says it (a file's path, a server's
    /// `host:port/database`); changes with 设置 → 数据库.
    pub db_path: Arc<Mutex<PathBuf>>,
    pub import: Arc<Mutex<ImportSession>>,
    pub import_cancel: Arc<AtomicBool>,
    /// Wakes the search indexer (`Db::index_search` on its own connection); `None` for an
    /// in-memory database or a server, which are indexed inline.
    indexer: Arc<Mutex<Option<Sender<()>>>>,
    /// Said once the window opens (the database on a network share, a failed daily backup);
    /// emptied when the window changes database.
    pub warnings: Arc<Mutex<Vec<String>>>,
    /// Who operates this window with sign-in on (signed in with their password; the stored
    /// operator is not trusted), and on a shared database nobody holds a password for yet
    /// (chosen in this window: the stored operator is every PC's).
    pub signed_in: Arc<Mutex<Option<super::Operating>>>,
    /// The database was named at start (`--db`, `GENJIN_DB`): 设置 → 数据库 shows it and does
    /// not switch.
    pub named_at_start: bool,
    /// The shared database remembered on this PC could not be reached at start: why (the window
    /// offers to try again or to return to this PC's file; meanwhile it holds an empty
    /// database in memory, never this PC's file, so the data cannot split in two).
    pub unavailable: Arc<Mutex<Option<String>>>,
    /// This PC's database file could not be opened at start (damaged, another program's file,
    /// made by a newer Genjin, no rights): why. The window says it and nothing else — started
    /// from a menu (or as a Windows program, with no console at all), nobody would read it
    /// in a terminal (issue 23). The file is left as it was.
    pub unopened: Option<String>,
}

impl AppState {
    /// The state of a window on `db`; starts indexing what the search index lacks (rows of an
    /// import, or of a file from before the index) beside the window.
    pub fn new(db: Db, db_path: &Path) -> Self {
        let indexer = db.path().map(|p| indexer(p.to_path_buf()));
        let state = AppState {
            db: Arc::new(Mutex::new(db)),
            db_path: Arc::new(Mutex::new(db_path.to_path_buf())),
            import: Arc::default(),
            import_cancel: Arc::default(),
            indexer: Arc::new(Mutex::new(indexer)),
            warnings: Arc::default(),
            signed_in: Arc::default(),
            named_at_start: false,
            unavailable: Arc::default(),
            unopened: None,
        };
        state.index_search();
        state
    }

    /// What puts another database in place of this window's, to be moved to a blocking thread.
    pub fn switcher(&self) -> Switcher {
        Switcher {
            db: self.db.clone(),
            db_path: self.db_path.clone(),
            indexer: self.indexer.clone(),
            signed_in: self.signed_in.clone(),
            import: self.import.clone(),
            unavailable: self.unavailable.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// Asks the indexer to catch up (after an import's commit). Returns at once (an
    /// in-memory database is caught up before returning).
    pub fn index_search(&self) {
        let indexer = self
            .indexer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match &indexer {
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

/// Puts another database in place of a window's (设置 → 数据库, issue 22).
pub struct Switcher {
    db: Arc<Mutex<Db>>,
    db_path: Arc<Mutex<PathBuf>>,
    indexer: Arc<Mutex<Option<Sender<()>>>>,
    signed_in: Arc<Mutex<Option<super::Operating>>>,
    import: Arc<Mutex<ImportSession>>,
    unavailable: Arc<Mutex<Option<String>>>,
    warnings: Arc<Mutex<Vec<String>>>,
}

impl Switcher {
    /// Puts `db` in place of the window's database.
    pub fn switch_to(&self, db: Db) {
        let mut held = self.db.lock().unwrap_or_else(|p| p.into_inner());
        self.switch_held(&mut held, db);
    }

    /// Adds what the window should say at once after the switch (its data moved elsewhere).
    pub fn warn(&self, warning: String) {
        self.warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(warning);
    }

    /// The window's database, locked: for a switch that must follow what was done under the
    /// lock with nothing in between (a move's copy).
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Db> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts `db` in place of the window's database, `held` locked meanwhile: no command runs
    /// between. Who signed in, the import being prepared and the warnings belonged to the one
    /// before; a file gets its search catch-up.
    pub fn switch_held(&self, held: &mut Db, db: Db) {
        let location = PathBuf::from(db.location());
        let indexer = db.path().map(|p| indexer(p.to_path_buf()));
        *self.signed_in.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.import.lock().unwrap_or_else(|p| p.into_inner()) = ImportSession::default();
        *self.unavailable.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        *self.db_path.lock().unwrap_or_else(|p| p.into_inner()) = location;
        *held = db;
        if let Some(tx) = &indexer {
            let _ = tx.send(());
        }
        *self.indexer.lock().unwrap_or_else(|p| p.into_inner()) = indexer;
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
