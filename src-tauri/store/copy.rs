//! Copying a whole database into another, whichever engines hold them (issue 21): a
//! department's file moved onto the shared server (`genjin copy-db --to postgres://…`), a shared
//! database written out as a SQLite file that any PC opens as it is (`copy-db --to FILE`, and the
//! backups of a shared database), and a backup taken back into a shared database (restore).
//!
//! The source is read in one snapshot while others keep working (SQLite: one read transaction;
//! PostgreSQL: `REPEATABLE READ`), the target written in one transaction: all of it or nothing.
//! Before the target commits, its row counts per table and its register (every row, withdrawn
//! ones included) are compared with the source's in the same snapshot; a difference rolls the
//! target back.

use super::sql::{Begin, Conn, Value, ValueRef};
use super::{Db, RegisterQuery};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;

/// Every table with data, parents before children. (`search_state` and the search index are
/// each engine's own and rebuilt after a copy; `genjin_schema` is the server's version mark.)
pub(crate) const TABLES: &[&str] = &[
    "settings",
    "people",
    "list_items",
    "number_counters",
    "calendar_days",
    "rule_versions",
    "weekly_reports",
    "requirements",
    "bugs",
    "delay_applications",
    "delay_signoffs",
    "notifications",
    "attachments",
    "history",
    "submissions",
    "sync_peers",
];

/// Tables a fresh database already holds rows of (the defaults its schema brings): a copy
/// replaces them; any other row makes the target "not empty".
const SEEDED: &[&str] = &["settings", "list_items", "number_counters"];

/// Rows read at a time, and written at most at once (one `COPY` on a server).
const BATCH_ROWS: usize = 2_000;

/// Bytes of values per write at most (attachments hold images of up to tens of megabytes:
/// a batch of them must stay far below a server's one-gigabyte message).
const BATCH_BYTES: usize = 16 << 20;

/// `rows` cut into runs of at most [`BATCH_ROWS`] rows and about [`BATCH_BYTES`] bytes.
fn chunks_by_size(rows: &[Vec<Value>]) -> Vec<&[Vec<Value>]> {
    let size = |row: &Vec<Value>| -> usize {
        row.iter()
            .map(|v| match v {
                Value::Text(t) => t.len(),
                Value::Blob(b) => b.len(),
                _ => 8,
            })
            .sum()
    };
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, row) in rows.iter().enumerate() {
        let n = size(row);
        if i > start && (i - start >= BATCH_ROWS || bytes + n > BATCH_BYTES) {
            out.push(&rows[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += n;
    }
    if start < rows.len() {
        out.push(&rows[start..]);
    }
    out
}

/// What a copy did, table by table, and what it compared.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    /// `(table, rows)` as copied — the same in source and target, or the copy was undone.
    pub tables: Vec<(String, i64)>,
    /// Register rows compared (every requirement, withdrawn ones included).
    pub register_rows: usize,
    /// Where the copy went (a file path or `host:port/db`).
    pub target: String,
    /// What the user should know although the copy is complete.
    pub notes: Vec<String>,
}

impl CopyReport {
    /// What the command line and the window say after a copy.
    pub fn summary(&self) -> String {
        let total: i64 = self.tables.iter().map(|(_, n)| n).sum();
        let lines: Vec<String> = self
            .tables
            .iter()
            .map(|(t, n)| format!("  {t}: {n}"))
            .collect();
        let mut said = format!(
            "已复制到“{}”：共 {total} 行，各表行数与来源一致；需求登记表 {} 条逐行比对一致。\n{}",
            self.target,
            self.register_rows,
            lines.join("\n")
        );
        for n in &self.notes {
            said.push_str(&format!("\n注意：{n}"));
        }
        said
    }
}

/// The column names of `table`, in order.
pub(crate) fn columns(conn: &Conn, table: &str) -> Result<Vec<String>> {
    let sql = if conn.is_server() {
        "SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
    };
    let mut st = conn.prepare(sql)?;
    let cols = st
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<super::sql::Result<Vec<_>>>()?;
    Ok(cols)
}

/// Each table's columns when both databases have the same (the schema at one version is the
/// same on both engines; a test holds it).
fn same_columns(from: &Conn, to: &Conn) -> Result<Vec<(&'static str, Vec<String>)>> {
    TABLES
        .iter()
        .map(|t| {
            let a = columns(from, t)?;
            let mut b = columns(to, t)?;
            let mut sorted = a.clone();
            sorted.sort();
            b.sort();
            if sorted != b {
                return Err(Error::Conflict(format!(
                    "两个数据库的表“{t}”结构不同（来源 {} 列，目标 {} 列），没有复制。请用同一版本的跟进打开两边后再试",
                    a.len(),
                    b.len()
                )));
            }
            Ok((*t, a))
        })
        .collect()
}

pub(crate) fn count(conn: &Conn, table: &str) -> Result<i64> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// What makes a database not empty: any row outside the defaults a fresh one holds.
pub(crate) fn holds_data(conn: &Conn) -> Result<Option<(&'static str, i64)>> {
    for t in TABLES.iter().filter(|t| !SEEDED.contains(t)) {
        let n = count(conn, t)?;
        if n > 0 {
            return Ok(Some((t, n)));
        }
    }
    Ok(None)
}

/// How far a copy is: `stage` "rows" (with `done` of `total` rows copied), "comparing" (the
/// two sides, table by table and the register row by row) or "indexing" (the target's search
/// index, after the copy is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CopyProgress {
    pub stage: &'static str,
    pub done: i64,
    pub total: i64,
}

impl CopyProgress {
    fn rows(done: i64, total: i64) -> Self {
        CopyProgress {
            stage: "rows",
            done,
            total,
        }
    }

    fn stage(stage: &'static str) -> Self {
        CopyProgress {
            stage,
            done: 0,
            total: 0,
        }
    }
}

/// Copies every row of every table from `from` (read in the caller's snapshot) into `to` (in
/// the caller's transaction), replacing the defaults `to` held. Returns the rows per table.
fn copy_rows(
    from: &Conn,
    to: &Conn,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<Vec<(String, i64)>> {
    let tables = same_columns(from, to)?;
    let mut total = 0;
    for (table, _) in &tables {
        total += count(from, table)?;
    }
    let mut done = 0;
    progress(CopyProgress::rows(done, total));
    to.defer_constraints()?;
    // the search index is rebuilt from the rows (each engine keeps its own)
    to.execute(
        if to.is_server() {
            "DELETE FROM requirement_grams"
        } else {
            "DELETE FROM requirement_search"
        },
        [],
    )?;
    let mut counts = Vec::new();
    for (table, cols) in &tables {
        to.execute(&format!("DELETE FROM {table}"), [])?;
        let list = cols.join(", ");
        let has_id = cols.iter().any(|c| c == "id");
        // attachments are read a few at a time: each may be tens of megabytes
        let page = if *table == "attachments" {
            8
        } else {
            BATCH_ROWS
        };
        let mut copied = 0i64;
        let mut after = i64::MIN;
        loop {
            // tables with ids page through by id (attachments hold images: never all at once)
            let rows: Vec<Vec<Value>> = if has_id {
                let mut st = from.prepare_cached(&format!(
                    "SELECT {list} FROM {table} WHERE id > ?1 ORDER BY id LIMIT {page}"
                ))?;
                let rows = st
                    .query_map([after], |r| (0..cols.len()).map(|i| r.get(i)).collect())?
                    .collect::<super::sql::Result<Vec<Vec<Value>>>>()?;
                rows
            } else {
                let mut st = from.prepare_cached(&format!("SELECT {list} FROM {table}"))?;
                let rows = st
                    .query_map([], |r| (0..cols.len()).map(|i| r.get(i)).collect())?
                    .collect::<super::sql::Result<Vec<Vec<Value>>>>()?;
                rows
            };
            let names: Vec<&str> = cols.iter().map(String::as_str).collect();
            for chunk in chunks_by_size(&rows) {
                let chunk: Vec<Vec<ValueRef<'_>>> = chunk
                    .iter()
                    .map(|row| row.iter().map(Value::as_ref).collect())
                    .collect();
                to.append_rows(table, &names, &chunk)?;
            }
            copied += i64::try_from(rows.len()).unwrap_or(i64::MAX);
            done += i64::try_from(rows.len()).unwrap_or(i64::MAX);
            progress(CopyProgress::rows(done, total.max(done)));
            let last = rows
                .last()
                .and_then(|r| cols.iter().position(|c| c == "id").map(|i| &r[i]));
            match (has_id, last) {
                (true, Some(Value::Integer(id))) if rows.len() == page => after = *id,
                _ => break,
            }
        }
        if has_id {
            to.ids_follow(table)?;
        }
        counts.push((table.to_string(), copied));
    }
    to.execute("UPDATE search_state SET indexed_upto = 0", [])?;
    Ok(counts)
}

/// The whole register of a database as JSON text, for comparing two copies.
fn register_text(db: &Db, today: NaiveDate) -> Result<(usize, String)> {
    let page = db.register(
        &RegisterQuery {
            include_withdrawn: true,
            limit: None,
            ..Default::default()
        },
        today,
    )?;
    let text = serde_json::to_string(&page.rows)
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok((page.rows.len(), text))
}

/// The number counters: (series, period, last handed out).
pub(crate) fn counters(conn: &Conn) -> Result<Vec<(String, String, i64)>> {
    let mut st = conn.prepare("SELECT series, period, last_seq FROM number_counters")?;
    let out = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<super::sql::Result<_>>()?;
    Ok(out)
}

/// Raises the counters of `conn` to at least `to` (never lowers one).
pub(crate) fn raise_counters(conn: &Conn, to: &[(String, String, i64)]) -> Result<()> {
    for (series, period, last) in to {
        conn.execute(
            "INSERT INTO number_counters (series, period, last_seq) VALUES (?1, ?2, ?3)
             ON CONFLICT (series, period) DO UPDATE SET last_seq = CASE
                 WHEN excluded.last_seq > number_counters.last_seq
                 THEN excluded.last_seq ELSE number_counters.last_seq END",
            super::sql::params![series, period, last],
        )?;
    }
    Ok(())
}

impl Db {
    /// Every `(table, column)` of the data and the search mark: the same on both engines at one
    /// schema version (a test holds it).
    pub fn tables_and_columns(&self) -> Result<std::collections::BTreeSet<(String, String)>> {
        let mut out = std::collections::BTreeSet::new();
        for t in TABLES.iter().chain(&["search_state"]) {
            for c in columns(self.conn(), t)? {
                out.insert((t.to_string(), c));
            }
        }
        Ok(out)
    }

    /// Replaces every row of this (shared) database with those of `source` in one transaction,
    /// keeping the number counters at least at `live` (numbers handed out are never handed out
    /// again): the restore of a backup into a shared database. The search index is rebuilt
    /// after.
    pub(crate) fn replace_with(&mut self, source: &Db) -> Result<()> {
        let snapshot = source.conn().begin_snapshot()?;
        {
            let tx = self.conn().begin(Begin::Exclusive)?;
            // numbers handed out up to this moment stay handed out
            let live = counters(self.conn())?;
            let tables = copy_rows(source.conn(), self.conn(), &mut |_| {})?;
            raise_counters(self.conn(), &live)?;
            for (table, copied) in tables.iter().filter(|(t, _)| t != "number_counters") {
                let there = count(self.conn(), table)?;
                if there != *copied {
                    return Err(Error::Conflict(format!(
                        "恢复后表“{table}”的行数不一致（备份 {copied}，数据库 {there}），已全部撤销"
                    )));
                }
            }
            tx.commit()?;
        }
        drop(snapshot);
        // the rows are in; their search index is rebuilt after (a failure here leaves the
        // rows found by the scan until the next catch-up)
        // (the server's planner learns the new sizes first: its catch-up reads plan on them)
        let _ = self.conn().after_bulk_write();
        let _ = self.index_search();
        Ok(())
    }

    /// Copies this database whole into `target`, which must hold no data yet (a fresh file or
    /// an empty shared database): all or nothing, then compared (row counts per table, the
    /// register row by row) before the target commits. The target's search index is built
    /// after. Errors: `Invalid` for a target that is not empty, `Conflict` when the copies
    /// differ (nothing kept).
    pub fn copy_into(&self, target: &mut Db, today: NaiveDate) -> Result<CopyReport> {
        self.copy_into_watched(target, today, &mut |_| {})
    }

    /// [`Db::copy_into`], telling `progress` how far it is: the rows copied of all, then the
    /// comparison, then the search index (issue 22: 迁移本机数据到共享数据库 shows it).
    pub fn copy_into_watched(
        &self,
        target: &mut Db,
        today: NaiveDate,
        progress: &mut dyn FnMut(CopyProgress),
    ) -> Result<CopyReport> {
        let snapshot = self.conn().begin_snapshot()?;
        let mut out = {
            let tx = target.conn().begin(Begin::Exclusive)?;
            // checked under the target's write lock: nobody adds rows meanwhile
            if let Some((table, n)) = holds_data(target.conn())? {
                return Err(Error::invalid(
                    "to",
                    format!(
                        "目标数据库“{}”不是空的（{table} 已有 {n} 行），没有复制。请指定一个新的空数据库",
                        target.location()
                    ),
                ));
            }
            let tables = copy_rows(self.conn(), target.conn(), progress)?;
            progress(CopyProgress::stage("comparing"));
            for (table, copied) in &tables {
                let there = count(target.conn(), table)?;
                let here = count(self.conn(), table)?;
                if there != *copied || here != *copied {
                    return Err(Error::Conflict(format!(
                        "复制后表“{table}”的行数不一致（来源 {here}，目标 {there}），已全部撤销"
                    )));
                }
            }
            let (rows, mine) = register_text(self, today)?;
            let (_, theirs) = register_text(target, today)?;
            if mine != theirs {
                return Err(Error::Conflict(
                    "复制后两边的需求登记表内容不一致，已全部撤销".into(),
                ));
            }
            tx.commit()?;
            CopyReport {
                tables,
                register_rows: rows,
                target: target.location(),
                notes: Vec::new(),
            }
        };
        drop(snapshot);
        // the copy is complete and kept; its search index is built after
        // (the server's planner learns the new sizes first: its catch-up reads plan on them;
        // the catch-up settles the grams it wrote itself)
        // (the index is built even when that fails)
        progress(CopyProgress::stage("indexing"));
        let settled = target.conn().after_bulk_write().map_err(Error::from);
        let indexed = target.index_search();
        if let Err(e) = indexed.and(settled) {
            out.notes.push(format!(
                "搜索索引没有建完（{e}）：搜索仍能找到，只是较慢，下次打开时会补建"
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actor, RequirementInput};

    /// Issue 22: a copy says how far it is — the rows copied of all, rising to all of them,
    /// then the comparison, then the search index — and the rows it counts are the rows there.
    #[test]
    fn a_copy_tells_how_far_it_is() {
        let mut db = Db::test_db();
        let actor = Actor::new(None, "李小四", "test", crate::clock::now());
        for i in 0..3 {
            let input = RequirementInput {
                received_date: "2014-06-19".into(),
                reporter: "张三".into(),
                brief: format!("需求{i}"),
                ..Default::default()
            };
            db.create_requirement(&actor, &input).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let mut target = Db::open(&dir.path().join("copy.sqlite3")).unwrap();
        let mut seen = Vec::new();
        let report = db
            .copy_into_watched(&mut target, crate::clock::today(), &mut |p| seen.push(p))
            .unwrap();
        let rows: Vec<&CopyProgress> = seen.iter().filter(|p| p.stage == "rows").collect();
        let all: i64 = report.tables.iter().map(|(_, n)| n).sum();
        assert_eq!(rows.first().map(|p| (p.done, p.total)), Some((0, all)));
        assert_eq!(rows.last().map(|p| (p.done, p.total)), Some((all, all)));
        assert!(rows.windows(2).all(|w| w[0].done <= w[1].done), "{rows:?}");
        let after: Vec<&str> = seen.iter().skip(rows.len()).map(|p| p.stage).collect();
        assert_eq!(after, ["comparing", "indexing"]);
        assert!(all >= 3);
    }
}
