//! What runs where (issue 23): this build's version, the database it has open, and which
//! Genjin each PC opened that database with — what a support call asks for. The window's
//! 关于跟进 and `genjin about` say the same.

use crate::error::Result;
use crate::store::Db;

/// See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct About {
    /// This build's version (`genjin --version`).
    pub version: &'static str,
    /// This PC's name, as the records below name it.
    pub pc: String,
    /// Where the data lives: the file's path or the server's `host:port/database`.
    pub database: String,
    /// A department's shared database on a server, not this PC's file.
    pub shared: bool,
    /// The schema version the database was brought to.
    pub schema: usize,
    /// The Genjin version this PC opened the database with before (`None`: no record — a new
    /// database, or one this PC last used with a Genjin older than the record).
    pub opened_before: Option<String>,
    /// Every PC that opened the database, by name, with the version it last used.
    pub opened_by: Vec<PcVersion>,
}

/// One PC's record in [`About::opened_by`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PcVersion {
    pub pc: String,
    pub version: String,
}

/// See the module docs.
pub fn about(db: &Db) -> Result<About> {
    Ok(About {
        version: crate::store::VERSION,
        pc: crate::store::this_pc(),
        database: db.location(),
        shared: db.is_shared(),
        schema: crate::store::schema_version(),
        opened_before: db.opened_before().map(str::to_string),
        opened_by: db
            .opened_by()?
            .into_iter()
            .map(|(pc, version)| PcVersion { pc, version })
            .collect(),
    })
}

impl About {
    /// As the command line prints it, a line each.
    pub fn lines(&self) -> Vec<String> {
        let others: Vec<String> = self
            .opened_by
            .iter()
            .map(|o| format!("{} {}", o.pc, o.version))
            .collect();
        vec![
            format!("跟进 Genjin {}（这台电脑：{}）", self.version, self.pc),
            format!(
                "数据库：{}（{}）",
                self.database,
                if self.shared {
                    "部门共享数据库"
                } else {
                    "本机数据库文件"
                }
            ),
            format!("数据库结构版本：{}", self.schema),
            format!(
                "这台电脑此前打开它用的版本：{}",
                self.opened_before
                    .as_deref()
                    .unwrap_or("没有记录（新数据库，或此前用的跟进版本较旧）")
            ),
            format!("打开过它的电脑及版本：{}", others.join("，")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a server, a start while another writer holds the write lock (a restore replacing
    /// every row, a copy onto it) neither waits nor writes its record beside it: the restore
    /// counts the rows it wrote (issue 23). On a file the record waits as any write does.
    #[test]
    fn a_start_beside_a_writer_on_a_server_records_nothing_and_waits_for_nothing() {
        let Some(url) = Db::test_server_url() else {
            return;
        };
        let here = crate::store::this_pc();
        let mut db = Db::open_url(&url).unwrap();
        let holder = Db::open_url(&url).unwrap();
        db.write(|tx| {
            tx.execute(
                "DELETE FROM settings WHERE key = ?1",
                [format!("app.opened_by.{here}")],
            )?;
            Ok(())
        })
        .unwrap();
        let writing = holder
            .conn()
            .begin(crate::store::sql::Begin::Immediate)
            .unwrap();
        let started = std::time::Instant::now();
        let beside = Db::open_url(&url).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(beside.opened_before(), None);
        drop(writing);
        let recorded = |db: &Db| db.opened_by().unwrap().iter().any(|(pc, _)| pc == &here);
        assert!(!recorded(&beside), "nothing written beside the writer");
        // the next start, with no writer at work, records
        let later = Db::open_url(&url).unwrap();
        assert!(recorded(&later));
    }

    #[test]
    fn a_database_remembers_which_version_each_pc_opened_it_with() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("数据 目录").join("需求 登记.sqlite3");
        let first = Db::open(&path).unwrap();
        let said = about(&first).unwrap();
        let here = crate::store::this_pc();
        assert_eq!(said.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(said.pc, here);
        assert_eq!(said.opened_before, None, "a new database has no record");
        assert!(!said.shared);
        assert_eq!(said.database, path.display().to_string());
        assert_eq!(
            said.opened_by,
            vec![PcVersion {
                pc: here.clone(),
                version: said.version.to_string()
            }]
        );
        drop(first);
        let mut db = Db::open(&path).unwrap();
        assert_eq!(
            about(&db).unwrap().opened_before.as_deref(),
            Some(said.version)
        );
        // an older Genjin opened it on this PC meanwhile; another PC uses a newer one
        db.set_setting(&format!("app.opened_by.{here}"), "0.0.9")
            .unwrap();
        db.set_setting("app.opened_by.资讯部-PC2", "0.2.0").unwrap();
        drop(db);
        let db = Db::open(&path).unwrap();
        let now = about(&db).unwrap();
        assert_eq!(now.opened_before.as_deref(), Some("0.0.9"));
        assert!(now.lines()[3].ends_with("0.0.9"), "{:?}", now.lines());
        assert!(
            now.opened_by.contains(&PcVersion {
                pc: "资讯部-PC2".into(),
                version: "0.2.0".into()
            }),
            "{:?}",
            now.opened_by
        );
        assert!(now.lines()[4].contains("资讯部-PC2 0.2.0"));
        drop(db);
        let db = Db::open(&path).unwrap();
        assert_eq!(
            about(&db).unwrap().opened_before.as_deref(),
            Some(said.version),
            "this version recorded itself on opening"
        );
    }
}
