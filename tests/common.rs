use genjin::store::{Actor, Db, RequirementInput};
use std::path::Path;
use std::process::{Command, Output};

pub fn actor() -> Actor {
    Actor::new(None, "李小四", "test", genjin::clock::now())
}

pub fn memory_db() -> Db {
    Db::open_in_memory().expect("in-memory database")
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
    let o = genjin(db, args);
    assert!(o.status.success(), "genjin {args:?} failed: {}", stderr(&o));
    stdout(&o)
}
