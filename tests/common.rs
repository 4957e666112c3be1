use genjin::store::{Actor, Db, RequirementInput};
use std::path::Path;
use std::process::{Command, Output};

pub fn actor() -> Actor {
    Actor::new(None, "李小四", "test", genjin::clock::now())
}

/// The PostgreSQL server the tests also run on (issue 21): `GENJIN_TEST_PG`, a URL without a
/// database name (`postgres://postgres@%2Ftmp%2Fpg:5432`). Unset: SQLite only.
pub fn test_server() -> Option<String> {
    std::env::var("GENJIN_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('/').to_string())
}

/// Whether this test run is on the test server: a test of what only a database *file* does
/// (its bytes, its path, backups beside it) returns early there, having run on SQLite.
pub fn on_server() -> bool {
    test_server().is_some()
}

/// A fresh, empty database on the test server, as a URL.
pub fn fresh_server_db(server: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        genjin::clock::now().timestamp_subsec_nanos()
    );
    let out = Command::new("psql")
        .arg(format!("{server}/postgres"))
        .args(["-qAtc", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "CREATE DATABASE: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!("{server}/{name}")
}

/// The database the tests of this run use: on the test server when one is set, else SQLite in
/// memory.
pub fn memory_db() -> Db {
    match test_server() {
        Some(server) => Db::open_url(&fresh_server_db(&server)).expect("server database"),
        None => Db::open_in_memory().expect("in-memory database"),
    }
}

/// What `--db` names for the database file `path` in this run: the file itself, or (on the test
/// server) a database made for it on first use, unless the file is there already (a backup
/// written by the test is read as a file).
pub fn db_arg(path: &Path) -> std::ffi::OsString {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static MADE: Mutex<Option<HashMap<std::path::PathBuf, String>>> = Mutex::new(None);
    let Some(server) = test_server() else {
        return path.as_os_str().to_owned();
    };
    let mut made = MADE.lock().unwrap();
    // a file that is there (a backup just written, a copy) is read as the file it is
    if path.exists() && !made.as_ref().is_some_and(|m| m.contains_key(path)) {
        return path.as_os_str().to_owned();
    }
    made.get_or_insert_with(HashMap::new)
        .entry(path.to_path_buf())
        .or_insert_with(|| fresh_server_db(&server))
        .clone()
        .into()
}

/// Opens the database the command line of this test uses for `path` (see [`db_arg`]).
pub fn open_db(path: &Path) -> Db {
    let arg = db_arg(path);
    match arg.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => Db::open_url(url).unwrap(),
        None => Db::open(path).unwrap(),
    }
}

pub fn report(received: &str, reporter: &str, requester: &str, brief: &str) -> RequirementInput {
    RequirementInput {
        received_date: received.into(),
        reporter: reporter.into(),
        requester: requester.into(),
        brief: brief.into(),
        ..Default::default()
    }
}

/// The actor for a listed person (their id looked up): once people are listed, only they act.
pub fn actor_in(db: &Db, name: &str) -> Actor {
    let id = db.person_by_name(name).unwrap().map(|p| p.id);
    assert!(id.is_some(), "{name} is not in the people list");
    Actor::new(id, name, "test", genjin::clock::now())
}

/// Today as `YYYY-MM-DD` (the clock's, as the shells read it).
pub fn today_iso() -> String {
    genjin::clock::today().format("%Y-%m-%d").to_string()
}

/// The real binary on database `db` (the command line, headless).
pub fn genjin(db: &Path, args: &[&str]) -> Output {
    genjin_on(&db_arg(db), args)
}

/// The real binary with `--db` exactly as given (a file, or a server URL).
pub fn genjin_on(db: &std::ffi::OsStr, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_genjin"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run genjin")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Every role: what a first person who does everything in a one-person test office ticks
/// (issue 19: nobody is given roles silently).
pub const EVERY_ROLE: &str = "需求报告人,需求收集人,决策组,产品经理,IT,测试";

pub fn ok(db: &Path, args: &[&str]) -> String {
    ok_on(&db_arg(db), args)
}

/// [`ok`] with `--db` exactly as given.
pub fn ok_on(db: &std::ffi::OsStr, args: &[&str]) -> String {
    let o = genjin_on(db, args);
    assert!(
        o.status.success(),
        "genjin {args:?} on {db:?} failed: {}",
        stderr(&o)
    );
    stdout(&o)
}
