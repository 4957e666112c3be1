//! What runs where (issue 23): this build's version, the database it has open and which
//! Genjin opened that database before — what a support call asks for. The window's 关于 and
//! `genjin about` say the same.

use crate::store::Db;

/// See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct About {
    /// This build's version (`genjin --version`).
    pub version: &'static str,
    /// Where the data lives: the file's path or the server's `host:port/database`.
    pub database: String,
    /// A department's shared database on a server, not this PC's file.
    pub shared: bool,
    /// The schema version the database was brought to.
    pub schema: usize,
    /// The Genjin version that opened the database before this one (`None`: no record — a new
    /// database, or one last used by a Genjin older than the record).
    pub opened_before: Option<String>,
}

/// See the module docs.
pub fn about(db: &Db) -> About {
    About {
        version: crate::store::VERSION,
        database: db.location(),
        shared: db.is_shared(),
        schema: crate::store::schema_version(),
        opened_before: db.opened_before().map(str::to_string),
    }
}

impl About {
    /// As the command line prints it, a line each.
    pub fn lines(&self) -> Vec<String> {
        vec![
            format!("跟进 Genjin {}", self.version),
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
                "此前打开这个数据库的跟进版本：{}",
                self.opened_before
                    .as_deref()
                    .unwrap_or("没有记录（新数据库，或此前用的跟进版本较旧）")
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_remembers_which_version_opened_it_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("数据 目录").join("需求 登记.sqlite3");
        let first = Db::open(&path).unwrap();
        let said = about(&first);
        assert_eq!(said.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(said.opened_before, None, "a new database has no record");
        assert!(!said.shared);
        assert_eq!(said.database, path.display().to_string());
        drop(first);
        // an older Genjin opened it meanwhile
        let mut db = Db::open(&path).unwrap();
        assert_eq!(about(&db).opened_before.as_deref(), Some(said.version));
        db.set_setting("app.opened_by", "0.0.9").unwrap();
        drop(db);
        let db = Db::open(&path).unwrap();
        assert_eq!(about(&db).opened_before.as_deref(), Some("0.0.9"));
        assert!(about(&db).lines()[3].ends_with("0.0.9"));
        drop(db);
        let db = Db::open(&path).unwrap();
        assert_eq!(
            about(&db).opened_before.as_deref(),
            Some(said.version),
            "this version recorded itself on opening"
        );
    }
}
