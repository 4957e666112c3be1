//! Backups (issue 13): consistent copies of the database made with SQLite's online backup API
//! into a `backups` folder beside the database file — on the first start of each day, before
//! every import and every schema migration, before a restore, and when asked — keeping the
//! newest `backup.keep` of each kind; and restoring one (refusing a file that is not a Genjin
//! database or fails `integrity_check`, the current file backed up first).
//!
//! Files are named `genjin-YYYYMMDD-HHMMSS-<kind>.sqlite3` (a migration's
//! `genjin-before-upgrade-v<N>.sqlite3`: there is no clock at open); their modification time
//! says when they were taken.

use super::Db;
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

fn kind_of(name: &str) -> Option<BackupKind> {
    let stem = name.strip_prefix("genjin-")?.strip_suffix(".sqlite3")?;
    if stem.starts_with("before-upgrade-v") {
        return Some(BackupKind::Migration);
    }
    BackupKind::from_code(stem.rsplit('-').next()?)
}

/// Copies the open database `conn` into `dest` (which must not exist) through the online
/// backup API: a consistent snapshot even while others write.
fn copy_to(conn: &Connection, dest: &Path) -> Result<()> {
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
    let done = conn
        .backup(rusqlite::MAIN_DB, &part, None)
        .map_err(Error::from)
        .and_then(|()| std::fs::rename(&part, dest).map_err(Error::from));
    if done.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    done
}

/// Backs the database at `conn` up before its schema is upgraded from `version` (called by
/// `Db::open` when migrations are pending on a file that has data).
pub(crate) fn before_migration(conn: &Connection, db_path: &Path, version: i64) -> Result<()> {
    let dest = free_path(&backups_dir(db_path), |n| match n {
        1 => format!("genjin-before-upgrade-v{version}.sqlite3"),
        n => format!("genjin-before-upgrade-v{version}-{n}.sqlite3"),
    });
    copy_to(conn, &dest)
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
/// `integrity_check` ok, Genjin's tables present, a schema version not newer than ours.
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
    Ok(())
}

impl Db {
    /// Where this database's backups go (`None` for an in-memory database).
    pub fn backups_dir(&self) -> Option<PathBuf> {
        self.path.as_deref().map(backups_dir)
    }

    /// A consistent copy of the whole database into `dest` (which must not exist yet).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        copy_to(&self.conn, dest)
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
        // the kind stays the name's last part (`kind_of`)
        let dest = free_path(&dir, |n| match n {
            1 => format!("genjin-{stamp}-{}.sqlite3", kind.code()),
            n => format!("genjin-{stamp}{n:02}-{}.sqlite3", kind.code()),
        });
        copy_to(&self.conn, &dest)?;
        Ok(Some(dest))
    }

    /// The day's backup, on the first start of the day (`now`'s): `None` when there is one
    /// already (or the database is in memory).
    pub fn daily_backup(&self, now: DateTime<FixedOffset>) -> Result<Option<PathBuf>> {
        // by the names alone: every command and every minute of an open window asks
        let day = now.date_naive();
        let taken = self.backups_dir().is_some_and(|dir| {
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    kind_of(&name) == Some(BackupKind::Daily) && day_of_name(&name) == Some(day)
                })
        });
        if taken {
            return Ok(None);
        }
        self.backup_now(BackupKind::Daily, now)
    }

    /// The backups in the folder, newest first.
    pub fn backups(&self) -> Result<Vec<BackupFile>> {
        let Some(dir) = self.backups_dir() else {
            return Ok(Vec::new());
        };
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(kind) = kind_of(&name) else { continue };
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

    /// Replaces the whole database with the backup at `file` (checked first: see
    /// [`check_backup_file`]); the current database is backed up before (kind `restore`), and
    /// its path returned. The backup's schema is brought up to date afterwards.
    pub fn restore_from(&mut self, actor: &super::Actor, file: &Path) -> Result<PathBuf> {
        self.allow(actor, crate::domain::people::Action::Restore)?;
        let now = actor.now;
        check_backup_file(file)?;
        if self.path.as_deref().is_some_and(|p| same_file(p, file)) {
            return Err(Error::invalid(
                "file",
                "这就是正在使用的数据库文件本身，不能用它来恢复",
            ));
        }
        // the source opened read-only first: nothing below may delete or create it (pruning
        // could remove an older backup being restored; SQLite would make an empty one)
        let source = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let safety = self
            .take_backup(BackupKind::Restore, now)?
            .unwrap_or_default();
        {
            let copy = rusqlite::backup::Backup::new(&source, &mut self.conn)?;
            copy.run_to_completion(256, std::time::Duration::ZERO, None)?;
        }
        drop(source);
        super::migrate(&mut self.conn)?;
        self.prune(BackupKind::Restore);
        Ok(safety)
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

/// `genjin-20261130-093000-daily.sqlite3` → 2026-11-30.
fn day_of_name(name: &str) -> Option<NaiveDate> {
    let digits = name.strip_prefix("genjin-")?.get(..8)?;
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
    fn names_say_the_kind_and_day() {
        assert_eq!(
            kind_of("genjin-20261130-093000-daily.sqlite3"),
            Some(BackupKind::Daily)
        );
        assert_eq!(
            kind_of("genjin-before-upgrade-v6.sqlite3"),
            Some(BackupKind::Migration)
        );
        assert_eq!(kind_of("genjin-20261130-093000-daily.sqlite3-part"), None);
        assert_eq!(kind_of("notes.txt"), None);
        assert_eq!(
            day_of_name("genjin-20261130-093000-import.sqlite3"),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
    }
}
