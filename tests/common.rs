use genjin::store::{Actor, Db, RequirementInput};

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
