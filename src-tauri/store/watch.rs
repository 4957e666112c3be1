//! Noticing others' changes (issue 22: a department at once): a window asks now and then
//! whether anyone else changed the database, and redraws what it shows when so.

use super::Db;
use crate::error::Result;

impl Db {
    /// Whether someone else — another PC, another window, the command line — committed a
    /// change since this was last asked; this connection's own changes are not news. The first
    /// call starts watching and says no. A file notices by its `data_version`; a shared
    /// database by the notices its tables' triggers send (schema version 13), which arrive a
    /// moment after the other's commit.
    pub fn changed_elsewhere(&self) -> Result<bool> {
        Ok(self.conn().changed_elsewhere()?)
    }

    /// The connection to the shared database's server is gone and not yet made again (the
    /// next call tries); never on a file. Asks nothing of the server.
    pub fn connection_lost(&self) -> bool {
        self.conn().connection_lost()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actor, RequirementInput};
    use std::time::{Duration, Instant};

    /// Two connections to one database, as two windows (or a window and the command line)
    /// have them: a file in a temporary folder, or a fresh database on the test server.
    fn two() -> (Db, Db, Option<tempfile::TempDir>) {
        match Db::test_server_url() {
            Some(url) => (
                Db::open_url(&url).unwrap(),
                Db::open_url(&url).unwrap(),
                None,
            ),
            None => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("g.sqlite3");
                (
                    Db::open(&path).unwrap(),
                    Db::open(&path).unwrap(),
                    Some(dir),
                )
            }
        }
    }

    /// Whether `db` hears of a change within two seconds (a server's notice comes a moment
    /// after the commit).
    fn hears(db: &Db) -> bool {
        heard_within(db, Duration::from_secs(2))
    }

    /// Whether `db` stays quiet for half a second.
    fn quiet(db: &Db) -> bool {
        !heard_within(db, Duration::from_millis(500))
    }

    fn heard_within(db: &Db, wait: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < wait {
            if db.changed_elsewhere().unwrap() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn add(db: &mut Db, brief: &str) {
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        let input = RequirementInput {
            received_date: "2014-06-19".into(),
            reporter: "李四".into(),
            brief: brief.into(),
            ..Default::default()
        };
        db.create_requirement(&a, &input).unwrap();
    }

    #[test]
    fn a_window_hears_others_changes_and_not_its_own() {
        let (mut a, mut b, _dir) = two();
        assert!(
            !a.changed_elsewhere().unwrap(),
            "the first call only starts"
        );
        assert!(quiet(&a), "nothing happened yet");
        // another connection's change is heard, once
        add(&mut b, "另一台电脑登记的");
        assert!(hears(&a));
        assert!(quiet(&a), "heard once");
        // its own is not
        add(&mut a, "本窗口登记的");
        assert!(quiet(&a));
        // another's rolled-back change is not either
        let refused = b.write(|tx| -> Result<()> {
            tx.execute(
                "UPDATE requirements SET brief = 'x' WHERE brief = '本窗口登记的'",
                [],
            )?;
            Err(crate::error::Error::Conflict("取消".into()))
        });
        assert!(refused.is_err());
        assert!(quiet(&a), "a rollback is no change");
        // and a setting changed elsewhere is a change too
        let a2 = Actor::new(None, "测试员", "test", crate::clock::now());
        b.configure(&a2, "numbering.bug.prefix", "Q").unwrap();
        assert!(hears(&a));
    }

    /// A table added later announces its changes too, or is named here as bookkeeping that
    /// always changes with one that does (history, counters) or is derived (search).
    #[test]
    fn every_table_of_what_people_record_announces_its_changes() {
        let Some(url) = Db::test_server_url() else {
            return;
        };
        let db = Db::open_url(&url).unwrap();
        let mut st = db
            .conn()
            .prepare(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind = 'r'
                   AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                                   WHERE t.tgrelid = c.oid AND t.tgname = 'genjin_changes')
                 ORDER BY 1",
            )
            .unwrap();
        let silent: Vec<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(
            silent,
            [
                "genjin_schema",
                "history",
                "number_counters",
                "requirement_grams",
                "search_state"
            ]
        );
    }

    /// The server's session ends under a window (the server restarted, the network cut): a
    /// call outside a transaction connects again by itself and the watcher takes it as news;
    /// a transaction the connection went with fails whole, writes nothing, and the next call
    /// works (issue 22).
    #[test]
    fn a_lost_connection_is_opened_again_and_a_transaction_lost_with_it_writes_nothing() {
        let Some(url) = Db::test_server_url() else {
            return;
        };
        let mut db = Db::open_url(&url).unwrap();
        let admin = Db::open_url(&url).unwrap();
        let pid = |conn: &crate::store::sql::Conn| -> i64 {
            conn.query_row("SELECT pg_backend_pid()", [], |r| r.get(0))
                .unwrap()
        };
        let end = |pid: i64| {
            let ended: bool = admin
                .conn()
                .query_row("SELECT pg_terminate_backend(?1::int)", [pid], |r| r.get(0))
                .unwrap();
            assert!(ended);
            // the client hears the server close the session
            std::thread::sleep(Duration::from_millis(300));
        };
        add(&mut db, "断线前");
        assert!(!db.changed_elsewhere().unwrap());
        assert!(!db.connection_lost());
        let first = pid(db.conn());
        end(first);
        // the window's watcher waits less once a call has connected again (app.rs)
        assert!(db.connection_lost());
        let briefs = |db: &Db| -> Vec<String> {
            db.register(
                &crate::store::RegisterQuery::default(),
                crate::clock::today(),
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.brief)
            .collect()
        };
        assert_eq!(briefs(&db), ["断线前"]);
        assert_ne!(pid(db.conn()), first, "a new session");
        assert!(!db.connection_lost());
        assert!(
            db.changed_elsewhere().unwrap(),
            "what changed meanwhile is news"
        );
        let lost = db.write(|tx| -> Result<()> {
            tx.execute(
                "UPDATE requirements SET brief = '断线中' WHERE brief = '断线前'",
                [],
            )?;
            end(pid(tx));
            tx.execute("UPDATE requirements SET remark = '断线中'", [])?;
            Ok(())
        });
        let e = lost.unwrap_err();
        assert!(e.to_string().contains("不会只保存一半"), "{e}");
        assert_eq!(briefs(&db), ["断线前"], "nothing of it was written");
        add(&mut db, "断线后");
        assert_eq!(briefs(&db), ["断线前", "断线后"]);
    }
}
