//! Storage: the only module that holds SQL.
//!
//! `Db` wraps one connection (`sql::Conn`): a SQLite file (WAL, foreign keys, busy timeout) or
//! a shared PostgreSQL database (`Db::open_url`). Every change runs in one transaction together
//! with its history rows, taking the database's one write lock first (`BEGIN IMMEDIATE`; on a
//! server an advisory lock), so two writers queue up instead of interleaving (numbering and the
//! version checks rely on this).

mod attachments;
mod backup;
mod bugs;
mod calendar;
mod change;
mod copy;
mod deadlines;
mod delays;
mod history;
mod import;
mod monthly;
mod notifications;
mod people;
mod privacy;
mod register;
mod requirements;
mod search;
mod settings;
mod signin;
pub(crate) mod sql;
mod sync;
mod timeline;
mod watch;
mod weekly;

pub use attachments::AttachmentView;
pub use backup::{backups_dir, check_backup_file, storage_warning, BackupFile, BackupKind};

/// Removes a database file that was being made, with its `-wal` and `-shm` (a laptop's copy
/// that did not finish).
pub fn remove_database_file(path: &Path) {
    backup::remove_sides(path, true);
}
pub use bugs::{BugEdit, BugFilter, BugInput, BugView, FixInput, ReproduceInput};
pub use calendar::{CalendarDay, CalendarPreview, PreviewDay};
pub use copy::{CopyProgress, CopyReport};
pub use deadlines::{NoteKind, TodoItem, TodoNote, TodoPage, UNASSIGNED};
pub use deadlines::{TodoAlerts, ALERTS_NAMED, ALERTS_SINCE_MAX, NOTES_NAMED};
pub use delays::{DelayInput, DelayView, SignInput, SignoffView};
pub use history::HistoryEntry;
pub use import::{Conflict, ConflictChoices, ConflictKey, ConflictPolicy, ImportReport, Watch};
pub use notifications::{NewNotification, NotificationDue, NotificationRecord};
pub use notifications::{OwedNotice, OwedNotices};
pub use people::{Person, PersonInput};
pub use privacy::Erasure;
pub use register::{
    decision_filter, grade_filter, status_filter, RegisterPage, RegisterQuery, RegisterRow,
    SortKey, StatusFilter, LEGACY_OVERDUE, OVERDUE,
};
pub use requirements::{
    DecisionInput, DeliveryInput, ItAcceptanceInput, PlanInput, Requirement, RequirementInput,
    ResponsibleInput, StepTime,
};
pub use search::SEARCHED;
pub use settings::{this_pc, VERSION};
pub use signin::MIN_PASSWORD_CHARS;
pub use sync::{
    listed, new_secret, Applied, Batch, LaptopStatus, Outcome, Reply, Snapshot, Step, Submission,
    SubmissionKind, SubmissionState, SyncStatus, Upstream,
};
pub use weekly::{AgendaItem, WeeklySent};

use crate::domain::dates;
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{Connection, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use sql::{Begin, Conn};
use std::path::{Path, PathBuf};

/// The schema, one migration a step. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/sqlite/0001_init.sql"),
    include_str!("migrations/sqlite/0002_room.sql"),
    include_str!("migrations/sqlite/0003_search.sql"),
    include_str!("migrations/sqlite/0004_delay_scans.sql"),
    include_str!("migrations/sqlite/0005_bugs.sql"),
    include_str!("migrations/sqlite/0006_weekly.sql"),
    include_str!("migrations/sqlite/0007_rule_versions.sql"),
    include_str!("migrations/sqlite/0008_responsible.sql"),
    include_str!("migrations/sqlite/0009_passwords.sql"),
    include_str!("migrations/sqlite/0010_desk.sql"),
    include_str!("migrations/sqlite/0011_sort_indexes.sql"),
    include_str!("migrations/sqlite/0012_open_requirements.sql"),
    include_str!("migrations/sqlite/0013_change_notices.sql"),
    include_str!("migrations/sqlite/0014_history_versions.sql"),
    include_str!("migrations/sqlite/0015_sync.sql"),
];

/// The schema on PostgreSQL, by the version each file brings the database to: the same version
/// numbers as [`MIGRATIONS`] (version 10 is the whole schema of SQLite's 1–10).
const PG_MIGRATIONS: &[(usize, &str)] = &[
    (10, include_str!("migrations/postgres/0010_baseline.sql")),
    (
        11,
        include_str!("migrations/postgres/0011_sort_indexes.sql"),
    ),
    (
        12,
        include_str!("migrations/postgres/0012_open_requirements.sql"),
    ),
    (
        13,
        include_str!("migrations/postgres/0013_change_notices.sql"),
    ),
    (
        14,
        include_str!("migrations/postgres/0014_history_versions.sql"),
    ),
    (15, include_str!("migrations/postgres/0015_sync.sql")),
];

/// The schema version this build knows.
pub fn schema_version() -> usize {
    MIGRATIONS.len()
}

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Brings the schema up to date. Two processes opening a new file at once both see version 0;
/// migrations take the write lock (`BEGIN IMMEDIATE`), so the second waits, fails on tables that
/// now exist, and is fine when the file is at the latest version by then.
fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if usize::try_from(found).is_ok_and(|v| v > MIGRATIONS.len()) {
        return Err(Error::Conflict(format!(
            "这个数据库文件由更新版本的跟进创建（结构版本 {found}，本程序只认识到 {}），请先升级跟进；文件未做任何修改",
            MIGRATIONS.len()
        )));
    }
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    if let Err(e) = migrations().to_latest(conn) {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if usize::try_from(version).ok() != Some(MIGRATIONS.len()) {
            return Err(e.into());
        }
    }
    Ok(())
}

/// Brings a shared database's schema up to date. Two PCs starting at once do not both migrate:
/// each takes the same advisory lock inside the migration's transaction, so the second waits
/// and then finds the schema current.
/// What a shared database holds before Genjin touches it: `None` for an empty one, else its
/// schema version. Refused (in Chinese, naming it, nothing changed): a database not in UTF8, one
/// holding other tables, one made by a newer Genjin.
fn inspect_pg(conn: &Conn, label: &str) -> Result<Option<i64>> {
    let encoding: String = conn.query_row("SHOW server_encoding", [], |r| r.get(0))?;
    if !encoding.eq_ignore_ascii_case("UTF8") {
        return Err(Error::invalid(
            "db",
            format!("共享数据库“{label}”的字符集是 {encoding}，跟进需要 UTF8（中文的每个字都要存得下）。请新建一个 UTF8 的数据库（CREATE DATABASE … ENCODING 'UTF8'），未做任何修改"),
        ));
    }
    let ours: i64 = conn.query_row(
        "SELECT count(*) FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_name = 'genjin_schema'",
        [],
        |r| r.get(0),
    )?;
    if ours == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(Error::invalid(
                "db",
                format!("“{label}”不是跟进的数据库：里面已有 {tables} 张别的表。请为跟进新建一个空数据库（CREATE DATABASE），未做任何修改"),
            ));
        }
        return Ok(None);
    }
    let version: i64 = conn.query_row("SELECT version FROM genjin_schema", [], |r| r.get(0))?;
    let latest = MIGRATIONS.len();
    if usize::try_from(version).is_ok_and(|v| v > latest) {
        return Err(Error::Conflict(format!(
            "共享数据库“{label}”由更新版本的跟进创建（结构版本 {version}，本程序只认识到 {latest}），请先升级跟进；数据库未做任何修改"
        )));
    }
    Ok(Some(version))
}

fn migrate_pg(conn: &Conn, label: &str) -> Result<()> {
    let tx = conn.begin(Begin::Deferred)?;
    conn.execute_batch("SELECT pg_advisory_xact_lock(7364102350235713)")?;
    let version = match inspect_pg(conn, label)? {
        Some(v) => v,
        None => {
            conn.execute_batch("CREATE TABLE genjin_schema (version BIGINT NOT NULL)")?;
            conn.execute("INSERT INTO genjin_schema (version) VALUES (0)", [])?;
            0
        }
    };
    if PG_MIGRATIONS
        .iter()
        .any(|(to, _)| usize::try_from(version).is_ok_and(|v| v < *to))
    {
        // the schema changes (a new database's version table apart): after every import and
        // save in flight, before any other
        conn.take_all_write_locks()?;
    }
    for (to, sql) in PG_MIGRATIONS {
        if usize::try_from(version).is_ok_and(|v| v < *to) {
            conn.execute_batch(sql)
                .map_err(|e| Error::Migration(e.to_string()))?;
            conn.execute("UPDATE genjin_schema SET version = ?1", [*to])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Puts the file in WAL mode (once; it stays so). Switching needs the file to itself, and
/// SQLite answers "busy" at once, without waiting, when another process opening the same new
/// file holds a lock the switch would wait on: that is retried for a few seconds.
fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < std::time::Duration::from_secs(10) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Who makes a change, from where (`app`, `cli`, `import:<file>`), and when it is being
/// recorded (`now`, read from the clock by the shell that made the actor: the core never reads
/// the clock itself, so a test or a replay can fix it).
#[derive(Debug, Clone)]
pub struct Actor {
    pub person_id: Option<i64>,
    pub name: String,
    pub origin: String,
    pub now: DateTime<FixedOffset>,
}

impl Actor {
    pub fn new(
        person_id: Option<i64>,
        name: impl Into<String>,
        origin: impl Into<String>,
        now: DateTime<FixedOffset>,
    ) -> Self {
        Actor {
            person_id,
            name: name.into(),
            origin: origin.into(),
            now,
        }
    }

    /// `now` as stored (RFC 3339 with offset).
    pub fn stamp(&self) -> String {
        dates::stamp(self.now)
    }

    /// The calendar day of `now`.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
}

pub struct Db {
    conn: Conn,
    path: Option<PathBuf>,
    /// Opening made the file (see [`Db::is_new_file`]).
    fresh: bool,
    /// The Genjin version that opened the database before this one did (issue 23; see
    /// [`Db::opened_before`]).
    opened_before: Option<String>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db> {
        if path.is_dir() {
            return Err(Error::invalid(
                "db",
                format!("“{}”是一个文件夹，不是数据库文件", path.display()),
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::invalid(
                        "db",
                        format!("无法创建数据库所在的文件夹“{}”：{e}", dir.display()),
                    )
                })?;
                backup::owner_only(dir);
            }
        }
        // the database is its owner's to read (issue 19): a new file is made so before SQLite
        // writes into it, an existing one once it proved to be a Genjin database
        let fresh = !path.exists();
        if fresh {
            match backup::new_private_file(path) {
                Ok(()) => {}
                // made meanwhile by another process opening it: theirs is as good
                Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(Error::invalid(
                        "db",
                        format!("无法创建数据库文件“{}”：{e}", path.display()),
                    ))
                }
            }
        }
        let not_ours = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::invalid(
                "db",
                format!(
                    "“{}”不是跟进的数据库文件（也不是 SQLite 数据库），未做任何修改",
                    path.display()
                ),
            ),
            Some(rusqlite::ErrorCode::CannotOpen) => Error::invalid(
                "db",
                format!("无法打开数据库文件“{}”（请检查路径和权限）", path.display()),
            ),
            _ => Error::from(e),
        };
        let conn = Connection::open(path).map_err(not_ours)?;
        use_wal(&conn).map_err(not_ours)?;
        let mut db = Self::init(conn, Some(path.to_path_buf()))?;
        db.fresh = fresh;
        if !fresh {
            backup::owner_only(path);
            for side in ["-wal", "-shm"] {
                let mut p = path.as_os_str().to_os_string();
                p.push(side);
                let p = PathBuf::from(p);
                if p.exists() {
                    backup::owner_only(&p);
                }
            }
        }
        Ok(db)
    }

    /// Opens a shared database on a PostgreSQL server (`postgres://user:password@host:port/db`),
    /// creating Genjin's schema in an empty one. Never falls back to a local file.
    pub fn open_url(url: &str) -> Result<Db> {
        let (conn, label) = connect_url(url)?;
        migrate_pg(&conn, &label)?;
        let opened_before = settings::note_opened_by(&conn);
        Ok(Db {
            conn,
            path: None,
            fresh: false,
            opened_before,
        })
    }

    /// What is at a shared database's address, changing nothing there (the window's 测试连接,
    /// issue 22): refused as [`Db::open_url`] would refuse it, in the same words.
    pub fn probe_url(url: &str) -> Result<Probe> {
        let (conn, label) = connect_url(url)?;
        let version = inspect_pg(&conn, &label)?;
        let count = |table: &str| -> Result<i64> {
            Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        let (requirements, people) = match version {
            Some(v) if v >= 10 => (count("requirements")?, count("people")?),
            _ => (0, 0),
        };
        Ok(Probe {
            location: label,
            version,
            latest: MIGRATIONS.len() as i64,
            requirements,
            people,
        })
    }
}

/// What [`Db::probe_url`] found at a shared database's address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Probe {
    /// `host:port/database`.
    pub location: String,
    /// Its schema version; `None`: an empty database (Genjin makes its tables on connecting).
    pub version: Option<i64>,
    /// The version this Genjin brings a database to (an older one is upgraded on connecting).
    pub latest: i64,
    pub requirements: i64,
    pub people: i64,
}

impl Probe {
    /// What it found, as the window says it.
    pub fn said(&self) -> String {
        let at = &self.location;
        match self.version {
            None => format!("连接成功：“{at}”是一个空数据库，连接后跟进会在其中建好所需的表"),
            Some(v) if v < self.latest => format!(
                "连接成功：“{at}”是跟进的数据库（{} 条需求，{} 位人员），结构较旧（版本 {v}），连接时会升级到版本 {}：之后仍用旧版跟进的电脑将无法连接，请先把各电脑的跟进都升级",
                self.requirements, self.people, self.latest
            ),
            Some(_) => format!(
                "连接成功：“{at}”是跟进的数据库，有 {} 条需求、{} 位人员",
                self.requirements, self.people
            ),
        }
    }
}

/// A shared database's address checked and connected to, or why not, in Chinese naming the
/// server (never the password): with its `host:port/database`.
fn connect_url(url: &str) -> Result<(Conn, String)> {
    {
        use sql::ConnectFailure as F;
        let config = sql::postgres_config(url).map_err(|why| {
            Error::invalid(
                "db",
                format!("共享数据库地址写得不对：{why}（应为 postgres://用户:密码@服务器:端口/数据库名）"),
            )
        })?;
        let label = sql::describe_server(&config);
        // a password with `@` in it, written as is, runs into the host: never echo it
        if label
            .rsplit_once('/')
            .map_or(label.as_str(), |(host, _)| host)
            .contains('@')
        {
            return Err(Error::invalid(
                "db",
                "共享数据库地址写得不对：用户名或密码中的 @ 要写成 %40（例如 postgres://genjin:ab%40cd@服务器/数据库）",
            ));
        }
        let pg = sql::PgConn::connect(config).map_err(|(kind, detail)| {
            let said = match kind {
                F::Unreachable => format!("连不上数据库服务器“{label}”：服务器没有运行，或网络不通、地址或端口不对"),
                F::WrongPassword => format!("数据库服务器“{label}”拒绝登录：用户名或密码不对"),
                F::NoDatabase => format!("数据库服务器“{label}”上没有这个数据库；请先建好（CREATE DATABASE），或检查数据库名"),
                F::TlsRequired => format!("数据库服务器“{label}”只接受加密连接（TLS）：请去掉地址中的 sslmode=disable（或改为 require）"),
                F::TlsFailed => format!("与数据库服务器“{label}”的加密连接（TLS）没有建立：服务器不提供加密连接（请管理员开启 ssl），或去掉地址中的 sslmode=require"),
                F::TlsHandshake => format!("与数据库服务器“{label}”的加密握手失败（服务器的证书或加密方式本机不接受）：请管理员检查服务器的证书，或在地址中写 sslmode=disable 不加密连接"),
                F::NotAllowed => format!("数据库服务器“{label}”不允许本机以这个用户连接这个数据库：请管理员在服务器的 pg_hba.conf 中加入本机的地址"),
                F::Other => format!("无法连接数据库服务器“{label}”"),
            };
            Error::Unreachable(format!("{said}（详情：{detail}）"))
        })?;
        Ok((Conn::postgres(pg), label))
    }
}

impl Db {
    /// Where the data lives, as people say it: the file's path or the server's `host:port/db`.
    pub fn location(&self) -> String {
        match (self.conn.server_label(), &self.path) {
            (Some(label), _) => label.to_string(),
            (None, Some(p)) => p.display().to_string(),
            (None, None) => ":memory:".into(),
        }
    }

    /// Whether this is a department's shared database on a server.
    pub fn is_shared(&self) -> bool {
        self.conn.is_server()
    }

    pub fn open_in_memory() -> Result<Db> {
        Self::init(Connection::open_in_memory()?, None)
    }

    /// The database a unit test runs on: a fresh database on the server named by
    /// `GENJIN_TEST_PG` (the test command starts one), else SQLite in memory.
    #[cfg(test)]
    pub(crate) fn test_db() -> Db {
        match Db::test_server_url() {
            Some(url) => Db::open_url(&url).unwrap(),
            None => Db::open_in_memory().unwrap(),
        }
    }

    /// With `GENJIN_TEST_PG` set: the address of a new empty database on that server.
    #[cfg(test)]
    pub(crate) fn test_server_url() -> Option<String> {
        let server = std::env::var("GENJIN_TEST_PG")
            .ok()
            .filter(|s| !s.is_empty())?;
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let server = server.trim_end_matches('/');
        let name = format!(
            "u_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let admin =
            sql::PgConn::connect(sql::postgres_config(&format!("{server}/postgres")).unwrap())
                .map_err(|(_, why)| why)
                .unwrap();
        admin
            .execute_batch(&format!("CREATE DATABASE {name}"))
            .unwrap();
        Some(format!("{server}/{name}"))
    }

    /// Whether opening it made a new, empty database file (a path typed wrong makes one: the
    /// shells say so).
    pub fn is_new_file(&self) -> bool {
        self.fresh
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Db> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // genjin_fold for search; names sort by pinyin (issue 20): `ORDER BY name COLLATE PINYIN`
        sql::register_functions(&conn)?;
        // a file with data whose schema is about to be upgraded is backed up first
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if let Some(p) = &path {
            if version > 0 && usize::try_from(version).is_ok_and(|v| v < MIGRATIONS.len()) {
                backup::before_migration(&conn, p, version)?;
            }
        }
        migrate(&mut conn)?;
        let conn = Conn::sqlite(conn);
        let opened_before = settings::note_opened_by(&conn);
        Ok(Db {
            conn,
            path,
            fresh: false,
            opened_before,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn conn(&self) -> &Conn {
        &self.conn
    }

    /// The SQLite connection underneath, for what only SQLite does (its backup API, pragmas).
    pub(crate) fn sqlite(&self) -> Result<&Connection> {
        self.conn.as_sqlite().ok_or_else(only_on_a_file)
    }

    pub(crate) fn sqlite_mut(&mut self) -> Result<&mut Connection> {
        self.conn.as_sqlite_mut().ok_or_else(only_on_a_file)
    }

    /// Runs `f` in one immediate transaction: all of it lands, or none of it.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        self.write_as(Begin::Immediate, f)
    }

    /// [`Db::write`], beginning as `how` says (an import: [`Begin::Import`]).
    pub(crate) fn write_as<T>(
        &mut self,
        how: Begin,
        f: impl FnOnce(&Conn) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.begin(how)?;
        let out = f(&self.conn)?;
        tx.commit()?;
        Ok(out)
    }
}

fn only_on_a_file() -> Error {
    Error::invalid("db", "这个操作只适用于本机数据库文件")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// A version-1 file with data (an imported, approved delay; a person) moves to the latest
    /// schema with nothing lost: the delay's approval day is the day it was filed.
    #[test]
    fn a_version_one_file_migrates_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v1.sqlite3");
        {
            let mut conn = Connection::open(&p).unwrap();
            migrations().to_version(&mut conn, 1).unwrap();
            conn.execute_batch(
                "INSERT INTO people (name, created_at) VALUES ('李小四', '2014-06-01T09:00:00+08:00');
                 INSERT INTO requirements (number, received_date, expected_delivery, created_at, updated_at)
                     VALUES ('14061914', '2014-06-19', '2014-06-25', 'x', 'x');
                 INSERT INTO delay_applications (requirement_id, filed_date, original_date, new_date,
                     reason, approved_at, created_at)
                     VALUES (1, '2014-06-25', '2014-06-25', '2014-07-25', '实现难度大',
                             '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00');",
            )
            .unwrap();
        }
        let db = Db::open(&p).unwrap();
        let r = db.requirement("14061914").unwrap();
        assert_eq!(r.promised_date.as_deref(), Some("2014-07-25"));
        assert_eq!(r.delays[0].approved_on.as_deref(), Some("2014-06-25"));
        assert_eq!(r.status.label(), "延期");
        let person = db.person_by_name("李小四").unwrap().unwrap();
        assert!(person.active);
    }

    #[test]
    fn opens_with_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("sub/g.sqlite3")).unwrap();
        let mode: String = db
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = db
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn reopening_keeps_data_and_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.sqlite3");
        {
            let mut db = Db::open(&p).unwrap();
            db.set_setting("probe", "1").unwrap();
        }
        let db = Db::open(&p).unwrap();
        assert_eq!(db.setting("probe").unwrap().as_deref(), Some("1"));
        let v: i64 = db
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
    }

    /// A shared database made at version 10 gains version 11's sort indexes, version 12's
    /// index of the open requirements, version 13's change notices and version 14's history
    /// versions and version 15's sync tables when a newer Genjin opens it (a file has nothing to
    /// upgrade at 11–13).
    #[test]
    fn a_shared_database_at_version_10_gains_the_later_indexes() {
        let Some(url) = Db::test_server_url() else {
            return;
        };
        const LATER: &[&str] = &[
            "requirements_by_reporter",
            "requirements_by_requester",
            "requirements_by_decision",
            "requirements_by_grade",
            "requirements_by_expected",
            "requirements_by_actual",
            "requirements_by_brief",
            "requirements_by_received",
            "requirements_open_by_promise",
        ];
        let indexes = |db: &Db| -> i64 {
            db.conn()
                .query_row(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = ANY(string_to_array(?1, ' '))",
                    [LATER.join(" ")],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let version = |db: &Db| -> i64 {
            db.conn()
                .query_row("SELECT version FROM genjin_schema", [], |r| r.get(0))
                .unwrap()
        };
        let announced = |db: &Db| -> i64 {
            db.conn()
                .query_row(
                    "SELECT count(*) FROM pg_trigger WHERE tgname = 'genjin_changes'",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let all = (LATER.len() as i64, schema_version() as i64);
        {
            let db = Db::open_url(&url).unwrap();
            assert_eq!((indexes(&db), version(&db)), all);
            // as version 10 left it
            let drops: String = LATER.iter().map(|i| format!("DROP INDEX {i};")).collect();
            db.conn()
                .execute_batch(&format!(
                    "{drops} DROP FUNCTION genjin_notify_change() CASCADE;
                     ALTER TABLE history DROP COLUMN version;
                     DROP TABLE submissions; DROP TABLE sync_peers;
                     UPDATE genjin_schema SET version = 10"
                ))
                .unwrap();
            assert_eq!((indexes(&db), version(&db)), (0, 10));
            assert_eq!(announced(&db), 0);
        }
        let db = Db::open_url(&url).unwrap();
        assert_eq!((indexes(&db), version(&db)), all);
        // version 13: every table of what people record announces its changes (15: the two
        // tables of what laptops send)
        assert_eq!(announced(&db), 14);
    }

    /// 测试连接 (issue 22) says what is at an address and changes nothing there: an empty
    /// database stays empty, a Genjin one is counted, a foreign one is refused as opening would.
    #[test]
    fn a_probe_says_what_is_there_and_changes_nothing() {
        let Some(url) = Db::test_server_url() else {
            return;
        };
        let probe = Db::probe_url(&url).unwrap();
        assert_eq!((probe.version, probe.requirements), (None, 0));
        assert!(probe.said().contains("空数据库"), "{}", probe.said());
        assert_eq!(Db::probe_url(&url).unwrap().version, None, "still empty");
        let mut db = Db::open_url(&url).unwrap();
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        db.create_requirement(
            &a,
            &RequirementInput {
                received_date: "2014-06-19".into(),
                reporter: "李四".into(),
                brief: "问卷自动计分".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let probe = Db::probe_url(&url).unwrap();
        assert_eq!(
            (probe.version, probe.requirements),
            (Some(schema_version() as i64), 1)
        );
        assert!(probe.said().contains("1 条需求"), "{}", probe.said());
        let foreign = Db::test_server_url().unwrap();
        {
            let (conn, _) = connect_url(&foreign).unwrap();
            conn.execute_batch("CREATE TABLE orders (id BIGINT)")
                .unwrap();
        }
        let e = Db::probe_url(&foreign).unwrap_err();
        assert!(e.to_string().contains("不是跟进的数据库"), "{e}");
    }

    #[test]
    fn refuses_files_that_are_not_ours_without_touching_them() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("需求登记反馈表.xlsx");
        std::fs::write(&junk, b"PK\x03\x04 this is a spreadsheet, not a database").unwrap();
        let e = Db::open(&junk).err().unwrap();
        assert_eq!(e.kind(), "invalid");
        assert!(e.to_string().contains("不是跟进的数据库文件"), "{e}");
        assert_eq!(
            std::fs::read(&junk).unwrap(),
            b"PK\x03\x04 this is a spreadsheet, not a database"
        );
        let e = Db::open(dir.path()).err().unwrap();
        assert!(e.to_string().contains("文件夹"), "{e}");
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.sqlite3");
        drop(Db::open(&p).unwrap());
        Connection::open(&p)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let e = Db::open(&p).err().unwrap();
        assert_eq!(e.kind(), "conflict");
        assert!(e.to_string().contains("更新版本"), "{e}");
    }

    #[test]
    fn backup_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("g.sqlite3")).unwrap();
        let dest = dir.path().join("b.sqlite3");
        db.backup_to(&dest).unwrap();
        assert!(Db::open(&dest).is_ok());
        assert_eq!(db.backup_to(&dest).unwrap_err().kind(), "invalid");
    }
}
