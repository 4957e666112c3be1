//! Issue 13, crash safety and backups: automatic backups (the day's first start, before an
//! import, before a schema upgrade), kept N of a kind; a restore brings back exactly what was
//! backed up, refuses what is not a sound Genjin database, and backs the current file up first.

use crate::common::{actor, actor_in, report};
use genjin::store::{BackupKind, Db, PersonInput};
use std::path::Path;

/// Everything a user entered, as rows of text: requirements, people, history, settings.
fn dump(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    for table in [
        "requirements",
        "people",
        "history",
        "settings",
        "notifications",
    ] {
        let mut st = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{v:?}|"));
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

fn person(db: &mut Db, name: &str) {
    let by = match db.people().unwrap().first() {
        Some(p) => actor_in(db, &p.name),
        None => actor(),
    };
    db.add_person(
        &by,
        &PersonInput {
            name: name.into(),
            department: "资讯部".into(),
            roles: vec![genjin::domain::people::Role::Collector],
            active: None,
            version: None,
        },
    )
    .unwrap();
}

#[test]
fn a_restore_brings_back_exactly_what_was_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let mut db = Db::open(&path).unwrap();
    person(&mut db, "李小四");
    let li = actor_in(&db, "李小四");
    db.create_requirement(&li, &report("2014-06-19", "刘小妹", "郭主任", "问卷"))
        .unwrap();
    let backup = db
        .backup_now(BackupKind::Manual, genjin::clock::now())
        .unwrap()
        .unwrap();
    assert!(backup.starts_with(dir.path().join("backups")));
    let before = dump(&path);
    assert_eq!(
        dump(&backup),
        before,
        "the backup is the database as it was"
    );

    // later changes …
    person(&mut db, "王五");
    db.create_requirement(&li, &report("2014-06-20", "刘小妹", "沈丽", "病友圈"))
        .unwrap();
    let changed = dump(&path);
    assert_ne!(changed, before);
    // … are replaced by the backup, and kept in the backup taken before the restore
    let safety = db.restore_from(&li, &backup).unwrap();
    assert_eq!(dump(&path), before);
    assert_eq!(dump(&safety), changed);
    assert!(db.requirement("14062001").is_err());
    assert_eq!(db.requirement("14061901").unwrap().brief, "问卷");
    // the restored database is in use at once; numbers handed out after the backup was taken
    // are never handed out again (issue 19): 14062001 went to 病友圈, lost with the restore
    let r = db
        .create_requirement(&li, &report("2014-06-20", "刘小妹", "沈丽", "病友圈"))
        .unwrap();
    assert_eq!(r.number, "14062002");
    let kinds: Vec<BackupKind> = db.backups().unwrap().iter().map(|b| b.kind).collect();
    assert!(kinds.contains(&BackupKind::Restore) && kinds.contains(&BackupKind::Manual));
}

#[test]
fn a_restore_refuses_what_is_not_a_sound_genjin_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let mut db = Db::open(&path).unwrap();
    person(&mut db, "李小四");
    let before = dump(&path);
    let refused = |db: &mut Db, file: &Path| -> String {
        let e = db.restore_from(&actor_in(db, "李小四"), file).unwrap_err();
        assert_eq!(e.kind(), "invalid");
        e.to_string()
    };
    // not a database at all
    let text = dir.path().join("notes.sqlite3");
    std::fs::write(&text, "需求编号,填表人\n").unwrap();
    assert!(refused(&mut db, &text).contains("不是跟进的数据库"));
    // a SQLite database of something else
    let other = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(refused(&mut db, &other).contains("不是跟进的数据库"));
    // a backup damaged on disk: pages overwritten in the middle
    let good = dir.path().join("good.sqlite3");
    db.backup_to(&good).unwrap();
    let mut bytes = std::fs::read(&good).unwrap();
    let page = 4096;
    assert!(bytes.len() > 8 * page);
    for b in &mut bytes[3 * page..5 * page] {
        *b = 0xA5;
    }
    let damaged = dir.path().join("damaged.sqlite3");
    std::fs::write(&damaged, &bytes).unwrap();
    let why = refused(&mut db, &damaged);
    assert!(why.contains("损坏") || why.contains("不是跟进"), "{why}");
    // the file in use itself, and one that is not there
    assert!(refused(&mut db, &path).contains("正在使用"));
    assert!(refused(&mut db, &dir.path().join("none.sqlite3")).contains("找不到"));
    assert_eq!(dump(&path), before, "nothing was changed");
    assert!(
        db.backups().unwrap().is_empty(),
        "a refused restore backs nothing up"
    );
}

#[test]
fn daily_import_and_upgrade_backups_keep_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    // a file made by an older Genjin (schema version 7): opening it backs it up, then upgrades
    {
        let mut c = rusqlite::Connection::open(&path).unwrap();
        genjin::store::migrations().to_version(&mut c, 7).unwrap();
        c.execute(
            "INSERT INTO settings (key, value) VALUES ('operator.person_id', '')",
            [],
        )
        .unwrap();
    }
    let mut db = Db::open(&path).unwrap();
    let upgrade = dir.path().join("backups/g-before-upgrade-v7.sqlite3");
    let v: i64 = rusqlite::Connection::open(&upgrade)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 7, "the backup is the file as it was before the upgrade");
    // the day's first start backs up once
    let now = genjin::clock::now();
    assert!(db.daily_backup(now).unwrap().is_some());
    assert!(db.daily_backup(now).unwrap().is_none(), "once a day");
    // an import starts with a backup
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/legacy/需求登记反馈表_2014.xlsx");
    db.import_paths(
        &actor(),
        &[fixture],
        &[],
        genjin::store::ConflictPolicy::KeepExisting,
    )
    .unwrap();
    let count =
        |db: &Db, k: BackupKind| db.backups().unwrap().iter().filter(|b| b.kind == k).count();
    assert_eq!(count(&db, BackupKind::Import), 1);
    assert_eq!(count(&db, BackupKind::Migration), 1);
    // a part file left by a killed backup goes with the next backup once it is old
    let stale = dir
        .path()
        .join("backups/g-20000101-000000-daily.sqlite3-part");
    std::fs::write(&stale, b"half a backup").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    // only the newest `backup.keep` of a kind stay
    db.configure(&actor(), "backup.keep", "2").unwrap(); // (no one listed: anyone may)
    for _ in 0..4 {
        db.backup_now(BackupKind::Manual, genjin::clock::now())
            .unwrap();
    }
    assert_eq!(count(&db, BackupKind::Manual), 2);
    assert!(!stale.exists(), "the stale part file is gone");
    assert_eq!(
        count(&db, BackupKind::Daily),
        1,
        "other kinds are kept apart"
    );
}

/// A restore taken from an older backup that pruning would remove (backup.keep = 1, the file
/// itself a 恢复前 backup) still restores it: the source is opened first, pruning comes after.
#[test]
fn restoring_the_backup_pruning_would_remove_still_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let mut db = Db::open(&path).unwrap();
    person(&mut db, "李小四");
    let li = actor_in(&db, "李小四");
    db.configure(&li, "backup.keep", "1").unwrap();
    db.create_requirement(&li, &report("2014-06-19", "刘小妹", "郭主任", "一"))
        .unwrap();
    let snapshot = dir.path().join("snapshot.sqlite3");
    db.backup_to(&snapshot).unwrap();
    // the first restore leaves a 恢复前 backup holding requirement 一
    db.create_requirement(&li, &report("2014-06-19", "刘小妹", "郭主任", "二"))
        .unwrap();
    let first_safety = db.restore_from(&li, &snapshot).unwrap();
    let before_first = dump(&first_safety);
    // restoring that one: the new 恢复前 backup would prune it (keep = 1)
    let second_safety = db.restore_from(&li, &first_safety).unwrap();
    assert_ne!(second_safety, first_safety);
    assert_eq!(dump(&path), before_first, "restored, not emptied");
    assert!(db.requirement("14061902").is_ok());
    assert!(!first_safety.exists(), "pruned after the restore");
}

/// Issue 19: a restore restores a Genjin database and nothing else — a file carrying an extra
/// trigger, or the current tables labelled an older schema version, is refused before anything
/// is replaced, and the database in use keeps working.
#[test]
fn a_restore_checks_the_whole_schema_and_never_leaves_a_broken_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let mut db = Db::open(&path).unwrap();
    person(&mut db, "李小四");
    let li = actor_in(&db, "李小四");
    db.create_requirement(&li, &report("2014-06-19", "刘小妹", "郭主任", "问卷"))
        .unwrap();
    let before = dump(&path);
    // a trigger that gives everyone every role and empties the history on the next insert
    let planted = dir.path().join("planted.sqlite3");
    db.backup_to(&planted).unwrap();
    rusqlite::Connection::open(&planted)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER owned AFTER INSERT ON requirements BEGIN
                 UPDATE people SET roles = 'reporter,collector,decision_group,product_manager,it,tester';
                 DELETE FROM history;
             END;",
        )
        .unwrap();
    let e = db.restore_from(&li, &planted).unwrap_err();
    assert_eq!(e.kind(), "invalid");
    assert!(
        e.to_string().contains("触发器") && e.to_string().contains("owned"),
        "{e}"
    );
    // a name that looks like SQLite's own is no way round the check
    let sly = dir.path().join("sly.sqlite3");
    db.backup_to(&sly).unwrap();
    rusqlite::Connection::open(&sly)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER sqlitex AFTER INSERT ON requirements BEGIN
                 UPDATE people SET roles = 'decision_group';
             END;",
        )
        .unwrap();
    let e = db.restore_from(&li, &sly).unwrap_err();
    assert!(e.to_string().contains("sqlitex"), "{e}");
    // today's tables labelled an older version: its upgrade would fail
    let relabelled = dir.path().join("relabelled.sqlite3");
    db.backup_to(&relabelled).unwrap();
    rusqlite::Connection::open(&relabelled)
        .unwrap()
        .pragma_update(None, "user_version", 7)
        .unwrap();
    let e = db.restore_from(&li, &relabelled).unwrap_err();
    assert_eq!(e.kind(), "invalid", "{e}");
    assert!(e.to_string().contains("结构"), "{e}");
    // nothing was replaced, and the database keeps working
    assert_eq!(dump(&path), before);
    drop(db);
    let mut db = Db::open(&path).unwrap();
    let r = db
        .create_requirement(&li, &report("2014-06-19", "刘小妹", "沈丽", "病友圈"))
        .unwrap();
    assert_eq!(r.number, "14061902");
    let roles = db.person_by_name("李小四").unwrap().unwrap().roles;
    assert_eq!(roles, vec![genjin::domain::people::Role::Collector]);
    // an older backup, whole, is upgraded and restored as before
    let old = dir.path().join("old.sqlite3");
    {
        let mut c = rusqlite::Connection::open(&old).unwrap();
        genjin::store::migrations().to_version(&mut c, 7).unwrap();
        c.execute_batch(
            "INSERT INTO people (name, roles, created_at) VALUES ('李小四', 'collector', 'x');
             INSERT INTO requirements (number, received_date, created_at, updated_at)
                 VALUES ('14061901', '2014-06-19', 'x', 'x');",
        )
        .unwrap();
    }
    db.restore_from(&li, &old).unwrap();
    assert_eq!(db.requirement("14061901").unwrap().number, "14061901");
    // … and numbers handed out since are not handed out again
    let r = db
        .create_requirement(&li, &report("2014-06-19", "刘小妹", "沈丽", "病友圈"))
        .unwrap();
    assert_eq!(r.number, "14061903");
}

/// Issue 19: backups belong to their database — two databases in one folder neither list nor
/// prune each other's; and a database and its backups are readable by their owner only.
#[test]
fn backups_belong_to_their_database_and_to_their_owner() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Db::open(&dir.path().join("a.sqlite3")).unwrap();
    let b = Db::open(&dir.path().join("b.sqlite3")).unwrap();
    a.configure(&actor(), "backup.keep", "1").unwrap();
    let theirs = b
        .backup_now(BackupKind::Manual, genjin::clock::now())
        .unwrap()
        .unwrap();
    for _ in 0..3 {
        a.backup_now(BackupKind::Manual, genjin::clock::now())
            .unwrap();
    }
    assert!(theirs.exists(), "a's retention left b's backup alone");
    assert_eq!(a.backups().unwrap().len(), 1);
    assert!(a.backups().unwrap()[0].name.starts_with("a-"));
    assert_eq!(b.backups().unwrap().len(), 1);
    assert!(b.backups().unwrap()[0].name.starts_with("b-"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("a.sqlite3")), 0o600);
        assert_eq!(mode(&theirs), 0o600);
        assert_eq!(mode(&dir.path().join("backups")), 0o700);
        // a database left readable by everyone is made its owner's again when opened
        let c = dir.path().join("c.sqlite3");
        drop(Db::open(&c).unwrap());
        std::fs::set_permissions(&c, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(Db::open(&c).unwrap());
        assert_eq!(mode(&c), 0o600);
    }
}
