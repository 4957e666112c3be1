//! The register's full-text search index (`requirement_search`, migration 0003): the only file
//! that reads or writes it.
//!
//! SQLite's FTS5 finds words; Chinese has no spaces, and people search for one or two
//! characters (王, 药房) as often as for phrases. So each searched text is cut into *runs* of
//! letters and digits (punctuation and spaces end a run), and each run is stored as its
//! character bigrams followed by its last character: `问卷计分` → `问卷 卷计 计分 分`. Then
//! - a keyword of one character `c` is the prefix query `c*` (a bigram starting with it, or the
//!   last character of a run);
//! - a keyword of two or more characters is the phrase of its bigrams: `问卷计` → `"问卷 卷计"`,
//!   which matches exactly where the characters stand in that order (a phrase never runs on
//!   into the next run, as every run ends with its single last character).
//!
//! Texts and keywords are compared folded ([`fold`]: full-width letters, digits and punctuation
//! half-width, letters lower case), so `Ｗｉｆｉ` finds `wifi` and `abc－12` finds `ABC-12`. A
//! keyword with punctuation inside (`6-25`) is searched by its runs and then confirmed with a
//! `LIKE` on the folded texts (`genjin_fold`, an SQL function registered on every connection),
//! so results are always exact substrings of the folded text.
//!
//! Every requirement with `id <= search_state.indexed_upto` is indexed. A created or edited one
//! is indexed in the same transaction when the index is complete up to it; a large import
//! leaves its new rows above the mark and [`Db::index_search`] indexes them afterwards, off the
//! import's critical path (rows created or edited meanwhile are above the mark too, and wait
//! for it). Until then the register finds the rows above the mark by a scan of their folded
//! texts — the same comparison the index makes — so a search is never wrong, only slower for a
//! moment.

//! On a shared database (PostgreSQL, issue 21) the same grams, each character besides, are kept
//! as an array in `requirement_grams` with a GIN index, beside the row's folded texts: a keyword
//! is looked up by its grams (`@>`) and confirmed by a `LIKE` on the folded texts — no extension
//! to install, any locale. There every requirement is indexed as it is written; the mark stays
//! for the rows a bulk import writes and indexes right after.

use super::Db;
use crate::domain::dates;
use crate::error::Result;
use crate::store::sql::{params, Conn, OptionalExtension};

/// The columns a register search looks in (and the index holds).
pub const SEARCHED: &[&str] = &[
    "number",
    "reporter",
    "requester",
    "brief",
    "overview",
    "doctor_words",
    "doctor_name",
    "hospital",
    "clinic_department",
    "app_account",
    "remark",
    "conversion_summary",
    "plan_doc_number",
    "source",
];

/// How many requirements one catch-up transaction indexes (≈ tens of milliseconds, so a user's
/// own write never waits long behind it).
const BATCH: usize = 2_000;

/// Text as a search compares it: full-width forms half-width, letters lower case.
pub fn fold(text: &str) -> String {
    dates::normalize_width(text).to_lowercase()
}

/// The runs of letters and digits of normalized text.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
}

/// Appends the index grams of `text` to `out`, space separated: for each run, its bigrams and
/// then its last character.
pub fn grams(text: &str, out: &mut String) {
    let text = fold(text);
    for run in runs(&text) {
        let mut chars = run.char_indices().peekable();
        while let Some((i, _)) = chars.next() {
            let end = chars.peek().map(|&(j, c)| j + c.len_utf8());
            if !out.is_empty() {
                out.push(' ');
            }
            match end {
                Some(end) => out.push_str(&run[i..end]),
                None => out.push_str(&run[i..]),
            }
        }
    }
}

/// One keyword of a search, as the register asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keyword {
    /// The FTS5 query for its runs (`None`: no letters or digits at all, e.g. `-`).
    pub fts: Option<String>,
    /// A `LIKE` pattern (`%…%`, escaped with `\`) of the folded keyword, for folded texts.
    pub like: String,
    /// The FTS5 match alone may find more than the exact substring (punctuation inside), so the
    /// `LIKE` must confirm it.
    pub needs_like: bool,
    /// On a server: whether the grams alone find exactly the rows holding it (one run of one
    /// or two characters, itself a gram), with no `LIKE` on the folded texts to confirm.
    pub grams_exact: bool,
}

/// Reads one keyword (no spaces inside: keywords are split on spaces first).
pub(crate) fn keyword(word: &str) -> Keyword {
    let norm = fold(word);
    let parts: Vec<String> = runs(&norm)
        .map(|run| {
            if run.chars().count() == 1 {
                format!("\"{run}\"*")
            } else {
                let mut g = String::new();
                grams(run, &mut g);
                // the phrase is the bigrams; the run's own last character is not part of it
                let bigrams: Vec<&str> = g.split(' ').filter(|t| t.chars().count() == 2).collect();
                format!("\"{}\"", bigrams.join(" "))
            }
        })
        .collect();
    let whole_run = parts.len() == 1 && runs(&norm).next() == Some(norm.as_str());
    Keyword {
        fts: (!parts.is_empty()).then(|| parts.join(" AND ")),
        like: format!(
            "%{}%",
            norm.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        ),
        needs_like: !whole_run,
        grams_exact: whole_run && norm.chars().count() <= 2,
    }
}

/// The SQL of a column folded as [`fold`] folds: the registered `genjin_fold` on SQLite; on a
/// server, `translate` of the full-width forms and `lower`.
fn fold_sql(server: bool, column: &str) -> String {
    if !server {
        return format!("genjin_fold({column})");
    }
    let full: String = ('\u{FF01}'..='\u{FF5E}').chain(['\u{3000}']).collect();
    let half: String = ('!'..='~').chain([' ']).collect();
    let quote = |t: &str| t.replace('\'', "''");
    format!(
        "lower(translate({column}, '{}', '{}'))",
        quote(&full),
        quote(&half)
    )
}

/// SQL true when any searched column of the row, folded, contains the `LIKE` pattern bound as
/// `p` (a [`Keyword::like`]).
pub(crate) fn like_any(server: bool, p: &str) -> String {
    let any = SEARCHED
        .iter()
        .map(|c| format!("{} LIKE {p} ESCAPE '\\'", fold_sql(server, c)))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!("({any})")
}

/// On a server: the grams every keyword needs, space-separated (bound as the array the index
/// holds); `None` when no keyword has letters or digits.
pub(crate) fn server_grams(words: &[&str]) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        for run in runs(&fold(w)) {
            let chars: Vec<char> = run.chars().collect();
            if chars.len() == 1 {
                out.push(run.to_string());
            }
            for pair in chars.windows(2) {
                out.push(pair.iter().collect());
            }
        }
    }
    out.sort();
    out.dedup();
    (!out.is_empty()).then(|| out.join(" "))
}

/// The array a server's index holds for `texts` (each run's bigrams and each character), as
/// an array literal (`{"a","ab"}`).
fn server_terms(texts: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        for run in runs(&fold(t)) {
            let chars: Vec<char> = run.chars().collect();
            for c in &chars {
                out.push(c.to_string());
            }
            for pair in chars.windows(2) {
                out.push(pair.iter().collect());
            }
        }
    }
    out.sort();
    out.dedup();
    let quoted: Vec<String> = out
        .iter()
        .map(|t| format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

/// The FTS5 query for keywords' queries, all required.
pub(crate) fn match_all(queries: &[&str]) -> String {
    queries.join(" AND ")
}

/// A SELECT of the ids of matching requirements (withdrawn ones included, an id perhaps twice):
/// the index's answer for the rows it holds plus a scan of the rows above the mark. `m` is the
/// bound [`match_all`] query; `likes` the bound `LIKE` patterns of every keyword, each with
/// whether a server's grams find it exactly ([`Keyword::grams_exact`]).
/// `unindexed`: whether rows may be above the mark ([`may_be_unindexed`]); on a server,
/// when none may be, the grams alone answer (and the planner sees how many they are: with
/// the scan beside them it takes them as 200 rows, and a search with a filter probed the
/// requirements 28,572 times — 78–110 ms at 100,000 requirements, 26–44 ms without).
pub(crate) fn matching_ids(
    server: bool,
    m: &str,
    likes: &[(String, bool)],
    unindexed: bool,
) -> String {
    let tail: Vec<String> = likes.iter().map(|(p, _)| like_any(server, p)).collect();
    if server {
        let confirm: String = likes
            .iter()
            .filter(|(_, exact)| !exact)
            .map(|(p, _)| format!(" AND folded LIKE {p} ESCAPE '\\'"))
            .collect();
        let grams = format!(
            "SELECT id FROM requirement_grams WHERE grams @> string_to_array({m}, ' '){confirm}"
        );
        if !unindexed {
            return grams;
        }
        // rows above the mark (a bulk import's, before the catch-up) are scanned; one indexed
        // above it is found twice, which the callers' sets and `IN` lists take as once
        return format!(
            "{grams}
             UNION ALL
             SELECT id FROM requirements
             WHERE id > (SELECT indexed_upto FROM search_state) AND {}",
            tail.join(" AND ")
        );
    }
    format!(
        "SELECT rowid FROM requirement_search WHERE requirement_search MATCH {m}
         UNION ALL
         SELECT id FROM requirements
         WHERE id > (SELECT indexed_upto FROM search_state) AND {}",
        tail.join(" AND ")
    )
}

/// The ids a [`matching_ids`] statement finds, read through the index whatever a server's
/// statistics say ([`Conn::through_indexes`]); a server sends them as one list (28,572 rows
/// cost more to send than their list).
pub(crate) fn read_ids(
    conn: &Conn,
    ids: &str,
    params: &[crate::store::sql::Value],
) -> Result<std::collections::HashSet<i64>> {
    use crate::store::sql::{params_from_iter, DbError, DbKind};
    Ok(conn.through_indexes(|| {
        if !conn.is_server() {
            let mut st = conn.prepare(ids)?;
            let found = st
                .query_map(params_from_iter(params.iter()), |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            return Ok(found);
        }
        let list: Option<String> = conn.query_row(
            &format!("SELECT string_agg(m.id::text, ',') FROM ({ids}) m"),
            params_from_iter(params.iter()),
            |r| r.get(0),
        )?;
        list.as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|i| !i.is_empty())
            .map(|i| {
                i.parse().map_err(|_| {
                    DbError::new(DbKind::Type, format!("a search's match is no id: {i}"))
                })
            })
            .collect()
    })?)
}

/// Whether a search must scan rows beside the index (some may be above the mark): always on a
/// file (its catch-up comes after an import's commit); on a server only when the mark is
/// below the last requirement (a bulk import's rows before their catch-up, a copy whose
/// catch-up failed). There every row written since is indexed in its own transaction, and
/// one above the mark written meanwhile has its grams too.
pub(crate) fn may_be_unindexed(conn: &Conn) -> Result<bool> {
    if !conn.is_server() {
        return Ok(true);
    }
    let above: i64 = conn
        .prepare_cached(
            "SELECT CASE WHEN coalesce((SELECT max(id) FROM requirements), 0)
                             > (SELECT indexed_upto FROM search_state) THEN 1 ELSE 0 END",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(above == 1)
}

/// On a server: the mark raised to just below the first requirement above it without grams, or
/// to the last requirement (reads only the rows above the mark).
const SERVER_MARK: &str = "UPDATE search_state SET indexed_upto = coalesce(
     (SELECT min(r.id) - 1 FROM requirements r
       WHERE r.id > search_state.indexed_upto
         AND NOT EXISTS (SELECT 1 FROM requirement_grams g WHERE g.id = r.id)),
     (SELECT max(id) FROM requirements), 0)";

/// On a server: the grams and folded texts of `rows` (id, searched texts) written into
/// `requirement_grams` (one `COPY`).
fn insert_server_grams(tx: &Conn, rows: &[(i64, Vec<String>)]) -> Result<()> {
    use crate::store::sql::Value;
    let rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|(id, texts)| {
            let folded: Vec<String> = texts.iter().map(|t| fold(t)).collect();
            vec![
                Value::Integer(*id),
                Value::Text(server_terms(texts)),
                Value::Text(folded.join("\n")),
            ]
        })
        .collect();
    let rows: Vec<Vec<_>> = rows
        .iter()
        .map(|r| r.iter().map(Value::as_ref).collect())
        .collect();
    tx.append_rows("requirement_grams", &["id", "grams", "folded"], &rows)?;
    Ok(())
}

/// New requirements written in bulk (an import's), with their searched texts ([`SEARCHED`]'s
/// order): a server indexes them in the same transaction; a file's catch-up indexes them after
/// the commit ([`Db::index_search`]), as it does every row above the mark.
pub(crate) fn index_imported(tx: &Conn, rows: &[(i64, Vec<String>)]) -> Result<()> {
    if tx.is_server() {
        insert_server_grams(tx, rows)?;
    }
    Ok(())
}

/// The searched texts of up to [`BATCH`] requirements, in id order: those without grams on a
/// server, those above the mark `upto` on a file (none of which the index holds).
fn unindexed_texts(tx: &Conn, upto: i64) -> Result<Vec<(i64, Vec<String>)>> {
    let (which, upto) = if tx.is_server() {
        // (every row at or below the mark is indexed: the read starts there)
        (
            "r.id > (SELECT indexed_upto FROM search_state)
             AND NOT EXISTS (SELECT 1 FROM requirement_grams g WHERE g.id = r.id)",
            None,
        )
    } else {
        ("r.id > ?2", Some(upto))
    };
    let sql = format!(
        "SELECT r.id, {} FROM requirements r WHERE {which} ORDER BY r.id LIMIT ?1",
        SEARCHED
            .iter()
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let texts = |r: &crate::store::sql::Row<'_>| {
        let texts = (1..=SEARCHED.len())
            .map(|i| Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()))
            .collect::<crate::store::sql::Result<Vec<String>>>()?;
        Ok((r.get::<_, i64>(0)?, texts))
    };
    let mut st = tx.prepare_cached(&sql)?;
    let rows: crate::store::sql::Result<Vec<_>> = match upto {
        Some(upto) => st.query_map([BATCH as i64, upto], texts)?.collect(),
        None => st.query_map([BATCH as i64], texts)?.collect(),
    };
    Ok(rows?)
}

/// Indexes a batch of the requirements not in the index yet, reading their texts in one
/// statement: the catch-up after a bulk import. Returns how many.
fn index_unindexed(tx: &Conn) -> Result<usize> {
    if tx.is_server() {
        let rows = unindexed_texts(tx, 0)?;
        insert_server_grams(tx, &rows)?;
        tx.prepare_cached(SERVER_MARK)?.execute([])?;
        return Ok(rows.len());
    }
    let rows = unindexed_texts(tx, indexed_upto(tx)?)?;
    let mut insert =
        tx.prepare_cached("INSERT INTO requirement_search (rowid, grams) VALUES (?1, ?2)")?;
    let mut g = String::new();
    for (id, texts) in &rows {
        g.clear();
        for t in texts {
            grams(t, &mut g);
        }
        insert.execute(params![id, g])?;
    }
    if let Some((last, _)) = rows.last() {
        tx.prepare_cached("UPDATE search_state SET indexed_upto = ?1")?
            .execute([last])?;
    }
    Ok(rows.len())
}

/// On a server: how many requirements are without their grams (a bulk import's, until the
/// catch-up).
const UNINDEXED_COUNT: &str = "SELECT count(*) FROM requirements r
     WHERE NOT EXISTS (SELECT 1 FROM requirement_grams g WHERE g.id = r.id)";

fn indexed_upto(conn: &Conn) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT indexed_upto FROM search_state")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// One requirement's searched texts (`None` when there is no such row).
fn row_texts(conn: &Conn, id: i64) -> Result<Option<Vec<String>>> {
    let sql = format!(
        "SELECT {} FROM requirements WHERE id = ?1",
        SEARCHED.join(", ")
    );
    let mut st = conn.prepare_cached(&sql)?;
    Ok(st
        .query_row([id], |r| {
            (0..SEARCHED.len())
                .map(|i| Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()))
                .collect()
        })
        .optional()?)
}

/// Puts one requirement's current texts into the index (replacing what it had).
fn reindex(conn: &Conn, id: i64) -> Result<()> {
    if conn.is_server() {
        conn.prepare_cached("DELETE FROM requirement_grams WHERE id = ?1")?
            .execute([id])?;
        if let Some(texts) = row_texts(conn, id)? {
            insert_server_grams(conn, &[(id, texts)])?;
        }
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM requirement_search WHERE rowid = ?1")?
        .execute([id])?;
    if let Some(texts) = row_texts(conn, id)? {
        let mut g = String::new();
        for t in &texts {
            grams(t, &mut g);
        }
        conn.prepare_cached("INSERT INTO requirement_search (rowid, grams) VALUES (?1, ?2)")?
            .execute(params![id, g])?;
    }
    Ok(())
}

/// Re-indexes requirement `id` after its personal data was erased (issue 19), overwriting its
/// old entries instead of leaving them in the index's pages until a merge: FTS5's
/// `secure-delete`, on only for this.
pub(crate) fn forget(conn: &Conn, id: i64) -> Result<()> {
    if conn.is_server() {
        // the row's grams and folded texts are written anew (a row above the mark may have
        // them too); the server's own storage keeps no old entry the store could reach
        return reindex(conn, id);
    }
    let set = |on: i64| -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO requirement_search (requirement_search, rank) VALUES ('secure-delete', ?1)",
        )?
        .execute([on])?;
        Ok(())
    };
    set(1)?;
    let done = if id <= indexed_upto(conn)? {
        reindex(conn, id)
    } else {
        Ok(())
    };
    set(0)?;
    done?;
    // the segments merged into one: no page keeps an old entry, even as a prefix
    conn.prepare_cached("INSERT INTO requirement_search (requirement_search) VALUES ('optimize')")?
        .execute([])?;
    Ok(())
}

/// After a requirement was inserted (in the same transaction): indexed at once when the index
/// is complete up to it, otherwise left to the catch-up with the rows before it.
pub(crate) fn after_create(conn: &Conn, id: i64) -> Result<()> {
    // on a server, writers run side by side and ids need not come in order: each row is
    // indexed as it is written, and the mark moves up to the first row without grams (a bulk
    // import's, waiting for the catch-up) or to the last row
    if conn.is_server() {
        reindex(conn, id)?;
        conn.prepare_cached(SERVER_MARK)?.execute([])?;
        return Ok(());
    }
    let upto = indexed_upto(conn)?;
    if upto >= id - 1 {
        reindex(conn, id)?;
        conn.prepare_cached(
            "UPDATE search_state SET indexed_upto = CASE WHEN indexed_upto > ?1
                 THEN indexed_upto ELSE ?1 END",
        )?
        .execute([id])?;
    }
    Ok(())
}

/// After the change engine changed `columns` of requirement `id` (in the same transaction):
/// re-indexed when a searched text changed and the row is in the index.
pub(crate) fn after_change(conn: &Conn, id: i64, columns: &[&str]) -> Result<()> {
    if columns.iter().any(|c| SEARCHED.contains(c))
        && (conn.is_server() || id <= indexed_upto(conn)?)
    {
        reindex(conn, id)?;
    }
    Ok(())
}

impl Db {
    /// Empties the search index, as a large import leaves it (tests of the catch-up).
    #[cfg(test)]
    pub(crate) fn forget_search_index_for_test(&self) {
        self.conn()
            .execute_batch(if self.conn().is_server() {
                "DELETE FROM requirement_grams; UPDATE search_state SET indexed_upto = 0"
            } else {
                "DELETE FROM requirement_search; UPDATE search_state SET indexed_upto = 0"
            })
            .unwrap();
    }

    /// How many requirements the search index does not hold yet (0 after a catch-up).
    pub fn search_backlog(&self) -> Result<u64> {
        Ok(self.conn().query_row(
            if self.conn().is_server() {
                UNINDEXED_COUNT
            } else {
                "SELECT count(*) FROM requirements
                 WHERE id > (SELECT indexed_upto FROM search_state)"
            },
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Indexes the requirements above the mark, a batch per transaction, until none is left.
    /// Returns how many were indexed. Safe beside other writers (each batch is one short
    /// `BEGIN IMMEDIATE` transaction) and idempotent.
    pub fn index_search(&mut self) -> Result<u64> {
        let mut total = 0u64;
        loop {
            let n = self.write(index_unindexed)?;
            total += n as u64;
            if n < BATCH {
                // a bulk write (an import) just landed: a server plans with the new sizes
                if total >= BATCH as u64 {
                    self.conn().after_bulk_write()?;
                }
                return Ok(total);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str) -> String {
        let mut out = String::new();
        grams(text, &mut out);
        out
    }

    #[test]
    fn grams_are_bigrams_and_each_runs_last_character() {
        assert_eq!(g("问卷计分"), "问卷 卷计 计分 分");
        assert_eq!(g("王"), "王");
        assert_eq!(g("药房，费用"), "药房 房 费用 用");
        assert_eq!(g("ＡＢ-1"), "ab b 1");
        assert_eq!(g(""), "");
        assert_eq!(g("，。 "), "");
    }

    #[test]
    fn keywords_become_prefix_or_phrase_queries() {
        let k = keyword("王");
        assert_eq!(k.fts.as_deref(), Some("\"王\"*"));
        assert!(!k.needs_like);
        let k = keyword("问卷计");
        assert_eq!(k.fts.as_deref(), Some("\"问卷 卷计\""));
        assert!(!k.needs_like);
        let k = keyword("6-25");
        assert_eq!(k.fts.as_deref(), Some("\"6\"* AND \"25\""));
        assert!(k.needs_like);
        let k = keyword("--");
        assert_eq!(k.fts, None);
        assert_eq!(k.like, "%--%");
        assert_eq!(keyword("50%_\\").like, "%50\\%\\_\\\\%");
    }

    use crate::store::{Actor, RegisterQuery, RequirementInput, SortKey, StepTime};

    const TEXTS: &[(&str, &str)] = &[
        ("问卷自动计分", "能不能自动算分？"),
        ("药房，费用对接", "和药房的费用系统对接"),
        ("ABC-12 扫码", "扫码后没反应"),
        ("王主任的需求", "王主任说：能不能加个提醒"),
        ("病历夹 搜索", ""),
        ("Ｗｉｆｉ 设置", "wifi断了"),
        ("ＷＩＦＩ密码", "连不上"),
        ("6-25 上线", "50%_完成"),
    ];
    const QUERIES: &[&str] = &[
        "问",
        "问卷",
        "卷自动",
        "药房 费用",
        "费用对",
        "abc",
        "c-1",
        "王",
        "主任说",
        "wifi",
        "6-25",
        "25",
        "-",
        "不存在",
        "1406",
        "06",
        "50%",
        "%_",
        "能不能 提醒",
        "，",
    ];

    /// What a search must find: each keyword, folded, a substring of some searched text,
    /// folded.
    fn expected(db: &Db, query: &str) -> Vec<String> {
        let rows: Vec<(String, String, String)> = db
            .conn()
            .prepare("SELECT number, brief, doctor_words FROM requirements WHERE withdrawn_at IS NULL ORDER BY number DESC")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.into_iter()
            .filter(|(n, b, w)| {
                query
                    .split_whitespace()
                    .all(|k| [n, b, w].iter().any(|t| fold(t).contains(&fold(k))))
            })
            .map(|(n, _, _)| n)
            .collect()
    }

    fn numbers(db: &Db, q: &RegisterQuery) -> Vec<String> {
        let page = db.register(q, crate::clock::today()).unwrap();
        page.rows.into_iter().map(|r| r.number).collect()
    }

    fn found(db: &Db, query: &str, include_withdrawn: bool) -> Vec<String> {
        let q = RegisterQuery {
            search: Some(query.into()),
            descending: true,
            include_withdrawn,
            ..Default::default()
        };
        let page = db.register(&q, crate::clock::today()).unwrap();
        assert_eq!(page.total as usize, page.rows.len(), "{query}");
        page.rows.into_iter().map(|r| r.number).collect()
    }

    /// The same search with a filter every row passes (the matches then go into a statement
    /// with the filter's conditions, not read alone).
    fn found_filtered(db: &Db, query: &str) -> Vec<String> {
        let q = RegisterQuery {
            search: Some(query.into()),
            reporter: Some("李四".into()),
            descending: true,
            ..Default::default()
        };
        let page = db.register(&q, crate::clock::today()).unwrap();
        page.rows.into_iter().map(|r| r.number).collect()
    }

    fn texts_db() -> Db {
        let mut db = Db::test_db();
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        for (brief, words) in TEXTS {
            let input = RequirementInput {
                received_date: "2014-06-19".into(),
                reporter: "李四".into(),
                brief: brief.to_string(),
                doctor_words: words.to_string(),
                ..Default::default()
            };
            db.create_requirement(&a, &input).unwrap();
        }
        db
    }

    /// Every query finds exactly the rows whose texts contain each keyword: through the index,
    /// through the scan of rows not indexed yet, and after the catch-up.
    #[test]
    fn the_index_finds_exactly_the_substrings() {
        let mut db = texts_db();
        assert_eq!(db.search_backlog().unwrap(), 0);
        for q in QUERIES {
            assert_eq!(found(&db, q, false), expected(&db, q), "indexed: {q}");
            assert_eq!(
                found_filtered(&db, q),
                expected(&db, q),
                "indexed, filtered: {q}"
            );
        }
        assert!(!found(&db, "王", false).is_empty());
        // pages put together are the whole answer, in every order (few matches are sorted,
        // many are found by walking the order: both ways are taken here)
        for q in ["能", "a", "王", "1406"] {
            for sort in [SortKey::Number, SortKey::Brief] {
                for descending in [false, true] {
                    let mut query = RegisterQuery {
                        search: Some(q.into()),
                        sort,
                        descending,
                        ..Default::default()
                    };
                    let whole = numbers(&db, &query);
                    let mut paged = Vec::new();
                    for offset in (0..whole.len() as u32).step_by(2) {
                        query.offset = offset;
                        query.limit = Some(2);
                        paged.extend(numbers(&db, &query));
                    }
                    assert_eq!(paged, whole, "{q} {sort:?} {descending}");
                }
            }
        }
        assert_eq!(found(&db, "药房 费用", false).len(), 1);
        // as after a large import: nothing indexed yet
        db.forget_search_index_for_test();
        assert_eq!(db.search_backlog().unwrap(), TEXTS.len() as u64);
        for q in QUERIES {
            assert_eq!(found(&db, q, false), expected(&db, q), "not indexed: {q}");
            let filtered = found_filtered(&db, q);
            assert_eq!(filtered, expected(&db, q), "not indexed, filtered: {q}");
        }
        assert_eq!(db.index_search().unwrap(), TEXTS.len() as u64);
        assert_eq!(db.search_backlog().unwrap(), 0);
        for q in QUERIES {
            assert_eq!(found(&db, q, false), expected(&db, q), "caught up: {q}");
        }
    }

    /// An edit re-indexes the row; a withdrawn one leaves the default view's matches and comes
    /// back with 含已撤回 and on restore.
    #[test]
    fn edits_and_withdrawals_keep_the_index_in_step() {
        let mut db = texts_db();
        let a = Actor::new(None, "测试员", "test", crate::clock::now());
        let number = found(&db, "扫码", false).remove(0);
        let mut input = RequirementInput {
            reporter: "李四".into(),
            brief: "二维码登录".into(),
            doctor_words: "扫码后没反应".into(),
            ..Default::default()
        };
        db.update_requirement(&a, &number, &input).unwrap();
        assert_eq!(found(&db, "二维码", false), vec![number.clone()]);
        assert!(found(&db, "abc", false).is_empty());
        db.withdraw_requirement(&a, &number, "重复", &StepTime::default())
            .unwrap();
        assert!(found(&db, "二维码", false).is_empty());
        assert_eq!(found(&db, "二维码", true), vec![number.clone()]);
        db.restore_requirement(&a, &number, &StepTime::default())
            .unwrap();
        assert_eq!(found(&db, "二维码", false), vec![number.clone()]);
        // a new requirement while the index is behind (as after a bulk import: nothing above
        // the mark in the index) is found by the scan, then indexed
        db.forget_search_index_for_test();
        input.brief = "新的扫码需求".into();
        input.received_date = "2014-06-20".into();
        let created = db.create_requirement(&a, &input).unwrap().number;
        assert!(found(&db, "新的", false).contains(&created));
        db.index_search().unwrap();
        assert_eq!(db.search_backlog().unwrap(), 0);
        assert_eq!(found(&db, "新的", false), [created]);
    }
}
