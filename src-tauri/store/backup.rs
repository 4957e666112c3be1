//! Backups (issue 13): consistent copies of the database made with SQLite's online backup API
//! into a `backups` folder beside the database file — on the first start of each day, before
//! every import and every schema migration, before a restore, and when asked — keeping the
//! newest `backup.keep` of each kind; and restoring one (refusing a file that is not a Genjin
//! database or fails `integrity_check`, the current file backed up first).
//!
//! Files are named after their database — `<name>-YYYYMMDD-HHMMSS-<kind>.sqlite3` for the
//! database `<name>.sqlite3` (a migration's `<name>-before-upgrade-v<N>.sqlite3`: there is no
//! clock at open) — so two databases in one folder never list or prune each other's backups
//! (issue 19); their modification time says when they were taken. Backups, like the database,
//! are readable by their owner only (Unix permissions 0600, the folder 0700).
//!
//! A restore (issue 19) checks the whole schema of the file — tables, columns, indexes,
//! triggers, views — against the one its version must have, copies it beside the database,
//! upgrades and checks the copy, carries the number counters forward (numbers handed out after
//! the backup are never handed out again), and only then replaces the database in one step:
//! whatever fails, the database in use stays as it was.

use super::{CopyReport, Db};
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, Local, NaiveDate};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub use crate::domain::settings::BackupKind;

/// The folder backups go to, beside the database file.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

/// One backup file as the window lists it.
#[derive(Debug, Clone, Serialize)]
pub struct BackupFile {
    pub path: PathBuf,
    pub name: String,
    pub kind: BackupKind,
    pub kind_label: &'static str,
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub taken_at: String,
    pub bytes: u64,
}

/// Where the backups of the shared database `label` (`host:port/db`) go on this PC: the
/// data folder's `shared-backups/<host>_<port>_<db>` (`GENJIN_BACKUPS` overrides the data folder).
pub fn shared_backups_dir(label: &str) -> PathBuf {
    let base = std::env::var_os("GENJIN_BACKUPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join(crate::IDENTIFIER)
                .join("shared-backups")
        });
    let safe: String = label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.join(safe.trim_matches('_'))
}

/// The name a database's backups start with: its file name without the extension
/// (`genjin` for `genjin.sqlite3`).
fn stem_of(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "genjin".into())
}

/// The kind of a backup of the database `stem` from its file name; `None` for any other file,
/// another database's backups included (`genjin-2024-…` is not a backup of `genjin`).
fn kind_of(stem: &str, name: &str) -> Option<BackupKind> {
    let rest = name
        .strip_prefix(stem)?
        .strip_prefix('-')?
        .strip_suffix(".sqlite3")?;
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if let Some(v) = rest.strip_prefix("before-upgrade-v") {
        let mut parts = v.split('-');
        let version = parts.next()?;
        let ok = !version.is_empty()
            && version.bytes().all(|b| b.is_ascii_digit())
            && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        return ok.then_some(BackupKind::Migration);
    }
    let mut parts = rest.splitn(3, '-');
    let (day, time, kind) = (parts.next()?, parts.next()?, parts.next()?);
    if !digits(day, 8) || !(digits(time, 6) || digits(time, 8)) {
        return None;
    }
    BackupKind::from_code(kind)
}

/// Makes a file readable by its owner only (Unix; Windows keeps a user's data directory to
/// them already). Best effort: a file system without Unix permissions keeps its own.
pub(crate) fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Copies the database `db` into the SQLite file `dest` (which must not exist): a consistent
/// snapshot even while others write. A file through SQLite's online backup API; a shared
/// database through the copy routine (`store::copy`), so its backup opens on any PC without a
/// server (issue 21).
fn copy_to(db: &Db, dest: &Path) -> Result<()> {
    match db.sqlite() {
        Ok(conn) => copy_file_to(conn, dest),
        Err(_) => db.copy_to_file(dest).map(|_| ()),
    }
}

impl Db {
    /// This database written out as a new SQLite file at `dest` (which must not exist) through
    /// the copy routine: a consistent snapshot, compared before it is kept, through a part
    /// file renamed when complete (`genjin copy-db --to FILE`, and a shared database's backups).
    pub fn copy_to_file(&self, dest: &Path) -> Result<CopyReport> {
        copy_into_new_file(self, dest)
    }
}

fn copy_into_new_file(db: &Db, dest: &Path) -> Result<CopyReport> {
    if dest.exists() {
        return Err(Error::invalid(
            "dest",
            format!("目标文件已存在：{}（不会覆盖已有文件）", dest.display()),
        ));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let part = dest.with_extension("sqlite3-part");
    let _ = std::fs::remove_file(&part);
    let done = (|| -> Result<CopyReport> {
        let mut file = Db::open(&part)?;
        // the comparison reads both registers as of one day; which day does not matter
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let mut report = db.copy_into(&mut file, day)?;
        report.target = dest.display().to_string();
        file.conn().checkpoint()?;
        drop(file);
        remove_sides(&part, false);
        std::fs::rename(&part, dest)?;
        Ok(report)
    })();
    if done.is_err() {
        remove_sides(&part, true);
    }
    done
}

/// Removes a SQLite file's `-wal` and `-shm` beside it (and, with `file`, the file itself):
/// what a copy that did not finish leaves, or a finished one before it is renamed.
pub(crate) fn remove_sides(path: &Path, file: bool) {
    let main: &[&str] = if file { &[""] } else { &[] };
    for side in main.iter().chain(&["-wal", "-shm"]) {
        let mut p = path.as_os_str().to_os_string();
        p.push(side);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Copies the open database file `conn` into `dest` (which must not exist) through the online
/// backup API: a consistent snapshot even while others write.
fn copy_file_to(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::invalid(
            "dest",
            format!("备份目标已存在：{}（不会覆盖已有文件）", dest.display()),
        ));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // into a temporary name first: a backup cut short (disk full) never looks complete
    let part = dest.with_extension("sqlite3-part");
    let _ = std::fs::remove_file(&part);
    // made readable by its owner only before a byte is in it
    let created = new_private_file(&part);
    let done = created
        .and_then(|()| {
            conn.backup(rusqlite::MAIN_DB, &part, None)
                .map_err(Error::from)
        })
        .and_then(|()| std::fs::rename(&part, dest).map_err(Error::from));
    if done.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    done
}

/// Creates an empty file readable by its owner only (Unix 0600): SQLite then writes into it.
pub(crate) fn new_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?;
    Ok(())
}

/// Backs the database at `conn` up before its schema is upgraded from `version` (called by
/// `Db::open` when migrations are pending on a file that has data).
pub(crate) fn before_migration(conn: &Connection, db_path: &Path, version: i64) -> Result<()> {
    let stem = stem_of(db_path);
    let dir = backups_dir(db_path);
    let dest = free_path(&dir, |n| match n {
        1 => format!("{stem}-before-upgrade-v{version}.sqlite3"),
        n => format!("{stem}-before-upgrade-v{version}-{n}.sqlite3"),
    });
    copy_file_to(conn, &dest)?;
    owner_only(&dir);
    Ok(())
}

/// The first of `name(1)`, `name(2)`, … that is not yet a file in `dir`.
fn free_path(dir: &Path, name: impl Fn(u32) -> String) -> PathBuf {
    let mut n = 1;
    loop {
        let path = dir.join(name(n));
        if !path.exists() {
            return path;
        }
        n += 1;
    }
}

/// Checks that `path` is a Genjin database this program can open: readable by SQLite,
/// `integrity_check` ok, a schema version not newer than ours, and exactly the schema that
/// version has — the same tables with the same columns, indexes, triggers and views, nothing
/// more (issue 19: a file carrying an extra trigger, or the tables of one version labelled
/// another, is refused before anything is replaced).
pub fn check_backup_file(path: &Path) -> Result<()> {
    let name = path.display();
    if !path.is_file() {
        return Err(Error::invalid("file", format!("找不到备份文件“{name}”")));
    }
    let not_ours = || {
        Error::invalid(
            "file",
            format!("“{name}”不是跟进的数据库或备份文件，未做任何修改"),
        )
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| not_ours())?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| not_ours())?;
    if check != "ok" {
        return Err(Error::invalid(
            "file",
            format!("备份文件“{name}”已损坏（完整性检查未通过），不能用来恢复；请换一个备份"),
        ));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'
               AND name IN ('requirements', 'history', 'people', 'settings')",
            [],
            |r| r.get(0),
        )
        .map_err(|_| not_ours())?;
    if tables < 4 {
        return Err(not_ours());
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| not_ours())?;
    if usize::try_from(version).is_ok_and(|v| v > super::MIGRATIONS.len()) {
        return Err(Error::invalid(
            "file",
            format!("备份“{name}”由更新版本的跟进创建，请先升级跟进再恢复"),
        ));
    }
    if let Some(what) = schema_difference(&conn, version)? {
        return Err(Error::invalid(
            "file",
            format!(
                "“{name}”的数据库结构与跟进第 {version} 版的不一致（{what}），可能被其他程序改动过；为安全起见不能用它恢复，未做任何修改"
            ),
        ));
    }
    Ok(())
}

/// The schema objects of a database as SQLite keeps them: (type, name, the SQL with its
/// whitespace folded), SQLite's own objects left out.
fn schema(conn: &Connection) -> Result<std::collections::BTreeSet<(String, String, String)>> {
    // SQLite's own objects only (`sqlite_` is reserved to it; `_` escaped, or `sqlitex` would
    // slip through as "internal")
    let mut st = conn.prepare(
        r"SELECT type, name, coalesce(sql, '') FROM sqlite_master
          WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = std::collections::BTreeSet::new();
    for row in rows {
        let (kind, name, sql) = row?;
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        out.insert((kind, name, sql));
    }
    Ok(out)
}

/// How the schema of `conn` differs from the one schema version `version` has (made afresh by
/// the migrations in memory), in words; `None` when it is the same.
pub(crate) fn schema_difference(conn: &Connection, version: i64) -> Result<Option<String>> {
    let mut expected = Connection::open_in_memory()?;
    super::sql::register_functions(&expected)?;
    let target = usize::try_from(version).unwrap_or(0);
    if target > 0 {
        super::migrations().to_version(&mut expected, target)?;
    }
    let want = schema(&expected)?;
    let have = schema(conn)?;
    let kind = |k: &str| match k {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器",
        "view" => "视图",
        _ => "对象",
    };
    let extra: Vec<String> = have
        .difference(&want)
        .map(|(k, n, _)| (k, n))
        .map(|(k, n)| {
            if want.iter().any(|(wk, wn, _)| wk == k && wn == n) {
                format!("{}“{n}”的定义不同", kind(k))
            } else {
                format!("多了{}“{n}”", kind(k))
            }
        })
        .collect();
    let missing: Vec<String> = want
        .iter()
        .filter(|(k, n, _)| !have.iter().any(|(hk, hn, _)| hk == k && hn == n))
        .map(|(k, n, _)| format!("缺少{}“{n}”", kind(k)))
        .collect();
    let all: Vec<String> = extra.into_iter().chain(missing).collect();
    Ok((!all.is_empty()).then(|| {
        let shown: Vec<&str> = all.iter().take(3).map(String::as_str).collect();
        if all.len() > 3 {
            format!("{} 等 {} 处", shown.join("、"), all.len())
        } else {
            shown.join("、")
        }
    }))
}

impl Db {
    /// Where this database's backups go (`None` for an in-memory database): beside the file;
    /// for a shared database, in this PC's data folder, one folder per server database.
    pub fn backups_dir(&self) -> Option<PathBuf> {
        match self.conn().server_label() {
            Some(label) => Some(shared_backups_dir(label)),
            None => self.path.as_deref().map(backups_dir),
        }
    }

    /// The name this database's backups start with.
    fn backup_stem(&self) -> String {
        match self.conn().server_label() {
            Some(label) => label.rsplit('/').next().unwrap_or("shared").to_string(),
            None => self.path.as_deref().map(stem_of).unwrap_or_default(),
        }
    }

    /// A consistent copy of the whole database into `dest` (which must not exist yet).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        copy_to(self, dest)
    }

    /// A backup someone asks for (`genjin backup`, 设置 → 立即备份): into `dest`, or into the
    /// backups folder when none is given. A copy of the whole database holds everyone's data and
    /// password hashes, so only the roles of `Action::Backup` may take one (issue 19); the
    /// automatic backups (daily, before imports, upgrades and restores) are taken for everyone.
    /// `None` for an in-memory database without `dest`.
    pub fn backup_as(&self, actor: &super::Actor, dest: Option<&Path>) -> Result<Option<PathBuf>> {
        self.allow(actor, crate::domain::people::Action::Backup)?;
        match dest {
            Some(dest) => {
                self.backup_to(dest)?;
                Ok(Some(dest.to_path_buf()))
            }
            None => self.backup_now(BackupKind::Manual, actor.now),
        }
    }

    /// A backup of `kind` into the backups folder, named by `now`; then only the newest
    /// `backup.keep` of that kind are kept. `None` for an in-memory database.
    pub fn backup_now(
        &self,
        kind: BackupKind,
        now: DateTime<FixedOffset>,
    ) -> Result<Option<PathBuf>> {
        let taken = self.take_backup(kind, now)?;
        self.prune(kind);
        Ok(taken)
    }

    /// A backup of `kind` into the backups folder, named by `now`, nothing pruned. A part file
    /// left by a backup that was killed (older than an hour: no backup takes that long) goes.
    fn take_backup(&self, kind: BackupKind, now: DateTime<FixedOffset>) -> Result<Option<PathBuf>> {
        let Some(dir) = self.backups_dir() else {
            return Ok(None);
        };
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let stale = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| std::time::SystemTime::from(now).duration_since(t).ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(3600));
            if stale && e.file_name().to_string_lossy().ends_with(".sqlite3-part") {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let stamp = now.format("%Y%m%d-%H%M%S");
        let stem = self.backup_stem();
        // the kind stays the name's last part (`kind_of`)
        let dest = free_path(&dir, |n| match n {
            1 => format!("{stem}-{stamp}-{}.sqlite3", kind.code()),
            n => format!("{stem}-{stamp}{n:02}-{}.sqlite3", kind.code()),
        });
        copy_to(self, &dest)?;
        owner_only(&dir);
        Ok(Some(dest))
    }

    /// The day's backup, on the first start of the day (`now`'s): `None` when there is one
    /// already (or the database is in memory).
    pub fn daily_backup(&self, now: DateTime<FixedOffset>) -> Result<Option<PathBuf>> {
        // a shared database is not copied onto every PC that opens it (everyone's data on
        // each desk, a minute's copy at each start): its backups are taken when asked, and on
        // the server itself
        if self.conn().is_server() {
            return Ok(None);
        }
        // by the names alone: every command and every minute of an open window asks
        let day = now.date_naive();
        let stem = self.backup_stem();
        let taken = self.backups_dir().is_some_and(|dir| {
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    kind_of(&stem, &name) == Some(BackupKind::Daily)
                        && day_of_name(&stem, &name) == Some(day)
                })
        });
        if taken {
            return Ok(None);
        }
        self.backup_now(BackupKind::Daily, now)
    }

    /// This database's backups in the folder (not another database's beside it), newest first.
    pub fn backups(&self) -> Result<Vec<BackupFile>> {
        let Some(dir) = self.backups_dir() else {
            return Ok(Vec::new());
        };
        let stem = self.backup_stem();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(kind) = kind_of(&stem, &name) else {
                continue;
            };
            let Ok(meta) = e.metadata() else { continue };
            let modified: DateTime<Local> = meta.modified().unwrap_or(std::time::UNIX_EPOCH).into();
            out.push(BackupFile {
                path: e.path(),
                name,
                kind,
                kind_label: kind.label(),
                taken_at: modified.format("%Y-%m-%d %H:%M:%S").to_string(),
                bytes: meta.len(),
            });
        }
        out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.name.cmp(&a.name)));
        Ok(out)
    }

    /// Keeps the newest `backup.keep` backups of `kind`; older ones are deleted. A backup just
    /// taken is never undone by a file that will not go: what cannot be deleted stays.
    fn prune(&self, kind: BackupKind) {
        let keep: usize = self
            .setting("backup.keep")
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30)
            .max(1);
        for old in self
            .backups()
            .unwrap_or_default()
            .into_iter()
            .filter(|b| b.kind == kind)
            .skip(keep)
        {
            let _ = std::fs::remove_file(&old.path);
        }
    }

    /// Replaces the whole database with the backup at `file` (issue 19): the file checked
    /// first ([`check_backup_file`]: the whole schema its version must have), copied beside the
    /// database, the copy upgraded to this version's schema and checked again, the number
    /// counters of the database in use carried into it (numbers handed out after the backup are
    /// never handed out again), the database in use backed up (kind `restore`, its path
    /// returned) — and only then the copy put in its place, in one step. Whatever fails before,
    /// the database in use is as it was.
    pub fn restore_from(&mut self, actor: &super::Actor, file: &Path) -> Result<PathBuf> {
        use crate::domain::people::{Action, Role};
        // a restore brings back a whole database — people, roles, passwords, rules — so once
        // the decision group has members it is theirs alone (issue 19: a doctored backup is no
        // way around them); before, whoever may take backups restores
        if self.role_has_holders(Role::DecisionGroup)? {
            self.allow(actor, Action::Restore)?;
        } else {
            self.allow(actor, Action::Backup)?;
        }
        let now = actor.now;
        check_backup_file(file)?;
        if self.path.as_deref().is_some_and(|p| same_file(p, file)) {
            return Err(Error::invalid(
                "file",
                "这就是正在使用的数据库文件本身，不能用它来恢复",
            ));
        }
        // the working copy, beside the database (same disk), gone whatever happens
        let near = self
            .path
            .as_deref()
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        let staging = tempfile::Builder::new()
            .prefix(".genjin-restore-")
            .tempdir_in(&near)?;
        let staged = staging.path().join("restore.sqlite3");
        {
            // the source opened read-only: nothing here may change or create it
            let source = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            new_private_file(&staged)?;
            source.backup(rusqlite::MAIN_DB, &staged, None)?;
        }
        self.stage(file, &staged)?;
        let safety = self
            .take_backup(BackupKind::Restore, now)?
            .unwrap_or_default();
        if self.conn().is_server() {
            // a shared database takes the rows of the checked copy in one transaction, under
            // the write lock (the counters read there, never lowered)
            let source = Db::open(&staged)?;
            self.replace_with(&source)?;
            self.prune(BackupKind::Restore);
            return Ok(safety);
        }
        // numbers handed out meanwhile (another window, the command line) count too: read
        // again just before the replace, and carried into the replaced database at once
        let live = super::copy::counters(self.conn())?;
        {
            let source = Connection::open_with_flags(&staged, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            let copy = rusqlite::backup::Backup::new(&source, self.sqlite_mut()?)?;
            // all pages in one step: the database in use is replaced whole or not at all
            let mut tries = 0;
            loop {
                match copy.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    _ if tries < 100 => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                    _ => {
                        return Err(Error::Conflict(
                            "数据库正被另一个程序占用，没有恢复；请关闭其他使用它的窗口后再试"
                                .into(),
                        ))
                    }
                }
            }
        }
        self.write(|tx| super::copy::raise_counters(tx, &live))?;
        self.prune(BackupKind::Restore);
        Ok(safety)
    }

    /// Brings the working copy of a restore to this version's schema and checks it whole, then
    /// raises its number counters to those of the database in use. Errors: `Invalid`, naming
    /// `file`; the database in use is untouched.
    fn stage(&self, file: &Path, staged: &Path) -> Result<()> {
        let name = file.display();
        let mut copy = Connection::open(staged)?;
        super::sql::register_functions(&copy)?;
        super::migrate(&mut copy).map_err(|e| {
            Error::invalid(
                "file",
                format!(
                    "备份“{name}”无法升级到本版本跟进的结构，不能用它恢复，未做任何修改（{e}）"
                ),
            )
        })?;
        let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let latest = i64::try_from(super::MIGRATIONS.len()).unwrap_or(i64::MAX);
        let differs = schema_difference(&copy, latest)?;
        if check != "ok" || differs.is_some() {
            return Err(Error::invalid(
                "file",
                format!(
                    "备份“{name}”升级后的结构检查未通过（{}），不能用它恢复，未做任何修改",
                    differs.unwrap_or(check)
                ),
            ));
        }
        // numbers are never reused: what the database in use handed out stays handed out
        let live = super::copy::counters(self.conn())?;
        let copy = super::sql::Conn::sqlite(copy);
        let tx = copy.begin(super::sql::Begin::Immediate)?;
        super::copy::raise_counters(&copy, &live)?;
        tx.commit()?;
        Ok(())
    }
}

/// A warning when the database lives where SQLite cannot keep it safe: a network share
/// (a UNC path `\\server\share`, or on Linux an NFS/SMB/CIFS mount) — SQLite's write-ahead
/// log needs shared memory that network file systems do not provide, so two PCs writing at once
/// can corrupt it (https://www.sqlite.org/wal.html, "WAL does not work over a network
/// filesystem").
pub fn storage_warning(db_path: &Path) -> Option<String> {
    let shown = db_path.display().to_string();
    let network = shown.starts_with("\\\\") || shown.starts_with("//") || on_network_fs(db_path);
    network.then(|| {
        format!(
            "数据库文件“{shown}”在网络共享文件夹上。SQLite 在网络文件系统上无法可靠加锁，多台电脑同时使用可能损坏数据。请把数据库放在本机磁盘上（可用 --db 或设置另选位置），需要共享时用导出/导入交换文件"
        )
    })
}

#[cfg(target_os = "linux")]
fn on_network_fs(path: &Path) -> bool {
    // the file may not exist yet: ask about the folder it is in
    let dir = if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    let Ok(st) = rustix::fs::statfs(dir) else {
        return false;
    };
    const NFS: i64 = 0x6969;
    const SMB: i64 = 0x517B;
    const CIFS: i64 = 0xFF53_4D42;
    const SMB2: i64 = 0xFE53_4D42;
    const AFS: i64 = 0x5346_414F;
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let kind = i64::from(st.f_type);
    matches!(kind, NFS | SMB | CIFS | SMB2 | AFS)
}

#[cfg(not(target_os = "linux"))]
fn on_network_fs(_: &Path) -> bool {
    false
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `genjin-20261130-093000-daily.sqlite3` (of `genjin`) → 2026-11-30.
fn day_of_name(stem: &str, name: &str) -> Option<NaiveDate> {
    let digits = name.strip_prefix(stem)?.strip_prefix('-')?.get(..8)?;
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_on_a_network_share_is_warned_about() {
        assert!(
            storage_warning(Path::new(r"\\fileserver\资讯部\genjin.sqlite3"))
                .is_some_and(|w| w.contains("网络共享"))
        );
        assert!(storage_warning(Path::new("//fileserver/share/genjin.sqlite3")).is_some());
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(storage_warning(&dir.path().join("g.sqlite3")), None);
    }

    #[test]
    fn names_say_the_kind_and_day_of_their_own_database() {
        let g = "genjin";
        assert_eq!(
            kind_of(g, "genjin-20261130-093000-daily.sqlite3"),
            Some(BackupKind::Daily)
        );
        assert_eq!(
            kind_of(g, "genjin-20261130-09300002-manual.sqlite3"),
            Some(BackupKind::Manual)
        );
        assert_eq!(
            kind_of(g, "genjin-before-upgrade-v6.sqlite3"),
            Some(BackupKind::Migration)
        );
        assert_eq!(
            kind_of(g, "genjin-20261130-093000-daily.sqlite3-part"),
            None
        );
        assert_eq!(kind_of(g, "notes.txt"), None);
        // another database's backups in the same folder are not this one's (issue 19)
        assert_eq!(kind_of(g, "需求-20261130-093000-daily.sqlite3"), None);
        assert_eq!(
            kind_of(g, "genjin-2024-20261130-093000-daily.sqlite3"),
            None,
            "the backups of genjin-2024.sqlite3"
        );
        assert_eq!(
            kind_of("genjin-2024", "genjin-2024-20261130-093000-daily.sqlite3"),
            Some(BackupKind::Daily)
        );
        assert_eq!(
            day_of_name(g, "genjin-20261130-093000-import.sqlite3"),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
    }
}
