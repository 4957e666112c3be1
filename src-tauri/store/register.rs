//! The live 需求登记反馈表 (附表3): filtered, searched, sorted and paged in SQL, so it stays fast
//! with 100,000 rows.
//!
//! A page is read in two steps: the ids of its rows are picked from `requirements` alone (the
//! search index, the column indexes, and the delays in force only when a status filter or sort
//! needs them), then those 50 rows are read with their delays and given their status by
//! `domain::requirement::derive_status`. Filtering and sorting by status use the rule's SQL
//! form ([`status_sql`]), which a test keeps in step with the domain.

use super::search::{self, Keyword};
use super::Db;
use crate::domain::dates;
use crate::domain::requirement::{
    derive_status, is_overdue, register_remark, Decision, Grade, Status,
};
use crate::error::{Error, Result};
use crate::store::sql::Value;
pub use crate::views::RegisterRow;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Number,
    Reporter,
    Requester,
    Decision,
    Grade,
    Expected,
    Actual,
    Status,
    Brief,
    Received,
}

impl SortKey {
    fn sql(self) -> &'static str {
        match self {
            SortKey::Number => "r.number",
            SortKey::Reporter => "r.reporter COLLATE PINYIN",
            SortKey::Requester => "r.requester COLLATE PINYIN",
            SortKey::Decision => "r.decision",
            SortKey::Grade => "r.grade",
            SortKey::Expected => "r.expected_delivery",
            SortKey::Actual => "r.actual_delivery",
            SortKey::Status => status_sql(),
            SortKey::Brief => "r.brief",
            SortKey::Received => "r.received_date",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegisterQuery {
    pub status: Option<String>,
    /// A decision label, or `未决策` for requirements not decided yet.
    pub decision: Option<String>,
    pub grade: Option<String>,
    pub reporter: Option<String>,
    pub received_from: Option<String>,
    pub received_to: Option<String>,
    /// Matched against the number and every text of the record.
    pub search: Option<String>,
    pub include_withdrawn: bool,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    /// Rows per page; `None` means all (command-line export).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterPage {
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<RegisterRow>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn day_filter(field: &str, label: &str, v: &Option<String>) -> Result<Option<String>> {
    nonempty(v)
        .map(|s| {
            dates::parse_day(s)
                .map(dates::iso)
                .ok_or_else(|| Error::invalid(field, format!("{label}“{s}”不是有效日期")))
        })
        .transpose()
}

/// What the 需求状态 filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Is(Status),
    /// 逾期: overdue now (`domain::requirement::is_overdue` as of the query's day).
    Overdue,
    /// 旧表逾期: overdue now and brought in by a legacy register (issue 19): history for the
    /// collector to check, charged to no one.
    LegacyOverdue,
}

/// The filter's word for overdue requirements.
pub const OVERDUE: &str = "逾期";

/// The filter's word for overdue requirements a legacy register brought in.
pub const LEGACY_OVERDUE: &str = "旧表逾期";

/// SQL true for a requirement `r` a legacy file brought in (imported, never registered in
/// Genjin) whose promise is still the file's: no 预期交付日 recorded in Genjin since, no delay
/// signed here — the promises no one is charged for (`store::deadlines`: `Moment::stated`).
const IMPORTED_SQL: &str = "(r.id IN (SELECT entity_id FROM history
        WHERE entity = 'requirement' AND field = 'imported')
    AND r.id NOT IN (SELECT entity_id FROM history
        WHERE entity = 'requirement' AND field = 'created')
    AND r.id NOT IN (SELECT entity_id FROM history
        WHERE entity = 'requirement' AND field = 'expected_delivery'
          AND origin NOT LIKE 'import:%')
    AND r.id NOT IN (SELECT d.requirement_id FROM delay_applications d
        WHERE d.approved_on IS NOT NULL AND d.withdrawn_at IS NULL
          AND EXISTS (SELECT 1 FROM history h WHERE h.entity = 'delay'
              AND h.entity_id = d.id AND h.field = 'signoff_gm_office')))";

/// A 需求状态 filter as people type it: a status (label or code), 空 / 未完成 for open ones, or
/// 逾期 for those overdue now.
pub fn status_filter(s: &str) -> Result<StatusFilter> {
    if s == OVERDUE || s == "overdue" {
        return Ok(StatusFilter::Overdue);
    }
    if s == LEGACY_OVERDUE || s == "legacy_overdue" {
        return Ok(StatusFilter::LegacyOverdue);
    }
    Status::parse(s)
        .or(if s == "空" || s == "未完成" {
            Some(Status::Open)
        } else {
            None
        })
        .map(StatusFilter::Is)
        .ok_or_else(|| Error::invalid("status", format!("无法识别的需求状态“{s}”")))
}

/// The status code of `requirements r` in SQL (for the unpaged status sort), built from
/// [`status_is_sql`], the one SQL form of `domain::requirement::derive_status`.
fn status_sql() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "(CASE WHEN {} THEN '{}' WHEN {} THEN '{}' ELSE '{}' END)",
            status_is_sql(Status::Done),
            Status::Done.code(),
            status_is_sql(Status::Delayed),
            Status::Delayed.code(),
            Status::Open.code()
        )
    });
    SQL.as_str()
}

/// The ORDER BY of a sort, the number breaking ties (empty values are set apart by
/// [`split_empties`]).
///
/// `sorted` (a few search matches) sorts the rows found instead of walking an index's order
/// (`+` keeps SQLite from using one).
fn order_by(sort: SortKey, descending: bool, sorted: bool) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let plus = if sorted { "+" } else { "" };
    if sort == SortKey::Number {
        // never empty, and the register's index serves this order
        return format!("ORDER BY {plus}r.number {dir}");
    }
    format!("ORDER BY {plus}{} {dir}, r.number {dir}", sort.sql())
}

/// (Relies on the engine returning a UNION ALL's arms in order, each in its subquery's ORDER
/// BY, with the LIMIT / OFFSET outside: true of SQLite's compound SELECT and of PostgreSQL's
/// Append without parallel workers (the server connection turns those off), not promised by
/// SQL; `pages_put_together_are_the_whole_order` fails if an upgrade changes it.)
///
/// A sort on a column other than the number lists the rows with a value first, sorted, and
/// then those where it is empty, by number, whatever the direction (`reversed`: read from the
/// other end, the empty ones first). Each half is its own ordered SELECT of `r.id`, so the
/// empty half needs no sorting (the index holds it in number order). Each part reads at most
/// `cap` rows (the page's end): a server plans each for that many, walking a sort index rather
/// than sorting every row.
fn split_empties(
    select: &str,
    sort: SortKey,
    descending: bool,
    reversed: bool,
    sorted: bool,
    cap: i64,
    server: bool,
) -> String {
    if sort == SortKey::Number {
        return format!("{select} {}", order_by(sort, descending, sorted));
    }
    let plus = if sorted { "+" } else { "" };
    let dir = if descending { "DESC" } else { "ASC" };
    if sort == SortKey::Status {
        // one run of rows per status, each in number order: no sorting at all. 空 (open, whose
        // label is empty) comes last, as empty values do in every other column.
        let mut statuses = vec![Status::Delayed, Status::Done];
        statuses.sort_by_key(|s| s.code());
        if descending {
            statuses.reverse();
        }
        if reversed {
            statuses.insert(0, Status::Open);
        } else {
            statuses.push(Status::Open);
        }
        return statuses
            .iter()
            .map(|&st| {
                format!(
                    "SELECT id FROM ({select} AND {} ORDER BY {plus}r.number {dir} LIMIT {cap}) part",
                    status_is_sql(st)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
    }
    // the bare column, tested in forms a server's planner estimates from its statistics (a
    // `coalesce(…)` it guesses at 0.5 % and picks a whole sort for a half holding every row),
    // the filled values as a range its sort index reads from (every text but '' is above it)
    let column = sort.sql().trim_end_matches(" COLLATE PINYIN");
    // a server's empty ones in the sort's own terms, which the same index holds (by pinyin,
    // `= ''` holds for the empty name alone); a file compares the bare column (its pinyin is
    // a function called a row)
    let key = if server { sort.sql() } else { column };
    let filled = format!(
        "SELECT id FROM ({} AND {column} > '' {} LIMIT {cap}) filled",
        select,
        order_by(sort, descending, sorted)
    );
    let empty = format!(
        "SELECT id FROM ({} AND ({key} IS NULL OR {key} = '') ORDER BY {plus}r.number {dir} LIMIT {cap}) empty",
        select
    );
    if reversed {
        format!("{empty} UNION ALL {filled}")
    } else {
        format!("{filled} UNION ALL {empty}")
    }
}

/// The date in force: the last approved delay's new date, else the 预期交付日.
const PROMISED_SQL: &str = "coalesce(d.in_force, r.expected_delivery)";

/// The SQL form of `domain::requirement::is_overdue` (`today` is the bound day, `YYYY-MM-DD`),
/// over `requirements r` alone; a test keeps it in step with the rows' own `overdue` flag.
/// The date in force passed: the 预期交付日 of an open requirement with no delay in force, or
/// the new date of the delay in force. A server also gets the same rows' superset in a form its
/// indexes answer (the open requirements' 预期交付日, version 12, or the ids delayed to a
/// passed day), so it reads only those rows: at 100,000 requirements 0.5 ms with none overdue
/// and 10 ms with 16,000 (it had read every row and joined the delays in force to each,
/// 12–24 ms).
fn overdue_sql(server: bool, today: &str) -> String {
    let delayed_before = super::delays::delayed_before(today);
    let exact = format!(
        "(NOT {done} AND (
           (r.expected_delivery < {today} AND r.id NOT IN ({delayed}))
           OR r.id IN ({delayed_before})))",
        done = status_is_sql(Status::Done),
        delayed = super::delays::DELAYED_REQUIREMENTS,
    );
    if !server {
        return exact;
    }
    format!("({exact} AND (r.expected_delivery < {today} OR r.id = ANY(ARRAY({delayed_before}))))")
}

/// A 决策结果 filter: a decision (label or code), or 未决策 (`None`) for those not decided yet.
pub fn decision_filter(s: &str) -> Result<Option<Decision>> {
    if s == "未决策" {
        return Ok(None);
    }
    Decision::parse(s)
        .map(Some)
        .ok_or_else(|| Error::invalid("decision", format!("无法识别的决策结果“{s}”")))
}

/// A 需求分级 filter, upper or lower case.
pub fn grade_filter(s: &str) -> Result<Grade> {
    Grade::parse(&s.to_uppercase())
        .ok_or_else(|| Error::invalid("grade", format!("无法识别的需求分级“{s}”")))
}

/// A search's matches, as SQL over the index (`store::search`).
struct Search {
    /// A SELECT of the matching ids (withdrawn ones included).
    ids: String,
    /// It is the query's only condition besides leaving withdrawn rows out: the matches are
    /// read once, counted, and the page found by walking the order.
    alone: bool,
}

/// A query's conditions in SQL.
struct Where {
    /// `WHERE …`, or empty.
    clause: String,
    params: Vec<Value>,
    search: Option<Search>,
}

/// The SQL form of one 需求状态 (over `requirements r` alone): `domain::requirement::
/// derive_status` — 完成 when not to be done or delivered, else 延期 with an application in
/// force, else 空. A test keeps it in step with the domain.
fn status_is_sql(status: Status) -> String {
    let done = format!(
        "(r.decision IS NOT DISTINCT FROM '{}' OR r.actual_delivery IS NOT NULL)",
        Decision::DoNot.code()
    );
    let delayed = super::delays::DELAYED_REQUIREMENTS;
    match status {
        Status::Done => done,
        Status::Delayed => format!("(NOT {done} AND r.id IN ({delayed}))"),
        Status::Open => format!("(NOT {done} AND r.id NOT IN ({delayed}))"),
    }
}

/// The conditions of a query.
/// `unindexed`: whether a search must scan rows beside its index ([`search::may_be_unindexed`]).
fn filters(server: bool, q: &RegisterQuery, today: &str, unindexed: bool) -> Result<Where> {
    let mut wh: Vec<String> = Vec::new();
    let mut ps: Vec<Value> = Vec::new();
    let bind = |ps: &mut Vec<Value>, v: Value| {
        ps.push(v);
        format!("?{}", ps.len())
    };
    let search_text = nonempty(&q.search);
    if !q.include_withdrawn {
        wh.push("r.withdrawn_at IS NULL".into());
    }
    if let Some(s) = nonempty(&q.status) {
        match status_filter(s)? {
            // 完成 alone, in a form an index answers (`=` where the negated forms need
            // `IS NOT DISTINCT FROM`; the same rows where a condition only has to hold)
            StatusFilter::Is(Status::Done) => wh.push(format!(
                "(r.decision = '{}' OR r.actual_delivery IS NOT NULL)",
                Decision::DoNot.code()
            )),
            StatusFilter::Is(st) => wh.push(status_is_sql(st)),
            StatusFilter::Overdue => {
                let p = bind(&mut ps, Value::Text(today.into()));
                wh.push(overdue_sql(server, &p));
            }
            StatusFilter::LegacyOverdue => {
                let p = bind(&mut ps, Value::Text(today.into()));
                wh.push(format!("({} AND {IMPORTED_SQL})", overdue_sql(server, &p)));
            }
        }
    }
    if let Some(s) = nonempty(&q.decision) {
        match decision_filter(s)? {
            None => wh.push("r.decision IS NULL".into()),
            Some(d) => {
                let p = bind(&mut ps, Value::Text(d.code().into()));
                wh.push(format!("r.decision = {p}"));
            }
        }
    }
    if let Some(s) = nonempty(&q.grade) {
        let p = bind(&mut ps, Value::Text(grade_filter(s)?.code().into()));
        wh.push(format!("r.grade = {p}"));
    }
    if let Some(s) = nonempty(&q.reporter) {
        let p = bind(&mut ps, Value::Text(s.into()));
        wh.push(format!("r.reporter = {p}"));
    }
    if let Some(d) = day_filter("received_from", "起始日期", &q.received_from)? {
        let p = bind(&mut ps, Value::Text(d));
        wh.push(format!("r.received_date >= {p}"));
    }
    if let Some(d) = day_filter("received_to", "截止日期", &q.received_to)? {
        let p = bind(&mut ps, Value::Text(d));
        wh.push(format!("r.received_date <= {p}"));
    }
    let mut search = None;
    if let Some(s) = search_text {
        // keywords separated by spaces (the 需求梗概 convention) must all be found, each in
        // any of the searched columns; the index answers (`store::search`)
        let words: Vec<Keyword> = s.split_whitespace().map(search::keyword).collect();
        let fts: Vec<&str> = words.iter().filter_map(|w| w.fts.as_deref()).collect();
        // each keyword's LIKE pattern, bound where a statement reads it (a server's statement
        // must type every parameter it is given): not for one the grams alone find when no row
        // is left for a scan beside them
        let likes: Vec<String> = words
            .iter()
            .map(|w| {
                if !server || unindexed || !w.grams_exact {
                    bind(&mut ps, Value::Text(w.like.clone()))
                } else {
                    String::new()
                }
            })
            .collect();
        if !fts.is_empty() {
            let query = if server {
                let plain: Vec<&str> = s.split_whitespace().collect();
                search::server_grams(&plain).unwrap_or_default()
            } else {
                search::match_all(&fts)
            };
            let m = bind(&mut ps, Value::Text(query));
            search = Some(Search {
                ids: search::matching_ids(
                    server,
                    &m,
                    &likes
                        .iter()
                        .cloned()
                        .zip(words.iter().map(|w| w.grams_exact))
                        .collect::<Vec<_>>(),
                    unindexed,
                ),
                alone: false,
            });
        }
        // punctuation only, or inside a keyword: the columns say
        for (w, p) in words.iter().zip(&likes) {
            if w.fts.is_none() || (w.needs_like && !server) {
                wh.push(search::like_any(server, p));
            }
        }
        let conditions = wh.len() - usize::from(!q.include_withdrawn);
        if let Some(s) = search.as_mut() {
            s.alone = conditions == 0;
        }
    }
    let clause = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    Ok(Where {
        clause,
        params: ps,
        search,
    })
}

/// `requirements r` with the delays in force `d` beside each (a small materialized table).
static WITH_DELAYS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "requirements r LEFT JOIN ({}) d ON d.requirement_id = r.id",
        super::delays::IN_FORCE_BY_REQUIREMENT
    )
});

/// Above this many matches a searched page walks the sort order and tests each row against
/// the matches; below it, it reads the matches and sorts them.
/// (Small in unit tests, so that their few rows take both ways.)
const FEW_MATCHES: i64 = if cfg!(test) { 3 } else { 2_000 };

/// Ids as the list of an `IN (…)`: `NULL` for none (an empty list is SQLite's alone; `IN (NULL)`
/// holds for no row on either engine).
fn id_list<'a>(ids: impl Iterator<Item = &'a i64>) -> String {
    let list = ids.map(i64::to_string).collect::<Vec<_>>().join(",");
    if list.is_empty() {
        "NULL".into()
    } else {
        list
    }
}

/// `clause` with one more condition.
fn and(clause: &str, cond: &str) -> String {
    if clause.is_empty() {
        format!("WHERE {cond}")
    } else {
        format!("{clause} AND {cond}")
    }
}

/// The ids of a page of `matches` in number order (`dir`): a few matches are sorted; with many,
/// the order is walked (the register's index holds it) and the first `limit` matches after
/// `offset` taken.
fn walk(
    conn: &crate::store::sql::Conn,
    include_withdrawn: bool,
    dir: &str,
    matches: &HashSet<i64>,
    offset: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    if matches.len() as i64 <= FEW_MATCHES {
        let list = id_list(matches.iter());
        let mut st = conn.prepare(&format!(
            "SELECT id FROM requirements WHERE id IN ({list}) ORDER BY number || '' {dir}
             LIMIT ?1 OFFSET ?2"
        ))?;
        let ids = st
            .query_map([limit, offset], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        return Ok(ids);
    }
    let live = if include_withdrawn {
        ""
    } else {
        "WHERE withdrawn_at IS NULL"
    };
    if conn.is_server() {
        return walk_in_steps(conn, live, dir, matches, offset, limit);
    }
    let mut st = conn.prepare_cached(&format!(
        "SELECT id FROM requirements {live} ORDER BY number {dir}"
    ))?;
    let mut page = Page::new(matches, offset, limit);
    for id in st.query_map([], |r| r.get::<_, i64>(0))? {
        if page.take(id?) {
            break;
        }
    }
    Ok(page.ids)
}

/// The page a walk collects: the matches met in order, past the first `offset`, up to `limit`.
struct Page<'m> {
    matches: &'m HashSet<i64>,
    offset: i64,
    limit: i64,
    seen: i64,
    ids: Vec<i64>,
}

impl<'m> Page<'m> {
    fn new(matches: &'m HashSet<i64>, offset: i64, limit: i64) -> Self {
        Page {
            matches,
            offset,
            limit,
            seen: 0,
            ids: Vec::new(),
        }
    }

    /// Meets `id` in the order; `true` when it filled the page.
    fn take(&mut self, id: i64) -> bool {
        if !self.matches.contains(&id) {
            return false;
        }
        self.seen += 1;
        if self.seen <= self.offset {
            return false;
        }
        self.ids.push(id);
        self.ids.len() as i64 == self.limit
    }
}

/// [`walk`] on a server, where a statement's rows come back whole rather than as a stream to
/// stop reading: the order is read a step of rows at a time, each after the last number seen.
fn walk_in_steps(
    conn: &crate::store::sql::Conn,
    live: &str,
    dir: &str,
    matches: &HashSet<i64>,
    offset: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    const STEP: i64 = 2_000;
    let after = if dir == "DESC" { "<" } else { ">" };
    let more = if live.is_empty() { "WHERE" } else { "AND" };
    let mut page = Page::new(matches, offset, limit);
    let mut last: Option<String> = None;
    loop {
        let rows: Vec<(i64, String)> = match &last {
            None => conn
                .prepare_cached(&format!(
                    "SELECT id, number FROM requirements {live} ORDER BY number {dir} LIMIT {STEP}"
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?,
            Some(n) => conn
                .prepare_cached(&format!(
                    "SELECT id, number FROM requirements {live} {more} number {after} ?1
                     ORDER BY number {dir} LIMIT {STEP}"
                ))?
                .query_map([n], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?,
        };
        let done = (rows.len() as i64) < STEP;
        for (id, _) in &rows {
            if page.take(*id) {
                return Ok(page.ids);
            }
        }
        match rows.last() {
            Some((_, n)) if !done => last = Some(n.clone()),
            _ => return Ok(page.ids),
        }
    }
}

impl Db {
    /// One page of the register as of `today` (which decides 逾期: the date in force has
    /// passed and the requirement is not 完成).
    /// How many requirements a legacy register brought in are overdue on `today` (the
    /// register's 旧表逾期 filter; the collector's to-do line counts them).
    pub fn legacy_overdue(&self, today: NaiveDate) -> Result<u64> {
        let q = RegisterQuery {
            status: Some(LEGACY_OVERDUE.into()),
            limit: Some(0),
            ..Default::default()
        };
        Ok(self.register(&q, today)?.total)
    }

    pub fn register(&self, q: &RegisterQuery, today: NaiveDate) -> Result<RegisterPage> {
        let today = dates::iso(today);
        let unindexed = nonempty(&q.search).is_some() && search::may_be_unindexed(self.conn())?;
        let Where {
            clause,
            params: mut ps,
            search,
        } = filters(self.conn().is_server(), q, &today, unindexed)?;
        // every condition is over the requirements alone; the page's rows join the delays
        let source = "requirements r";
        // A search alone: its matches are read once, counted, and the page is found by walking
        // the number order until enough of them are seen.
        let matches: Option<HashSet<i64>> = match &search {
            Some(s) if s.alone => {
                let mut set = search::read_ids(self.conn(), &s.ids, &ps)?;
                if !q.include_withdrawn {
                    let mut st = self.conn().prepare_cached(
                        "SELECT id FROM requirements WHERE withdrawn_at IS NOT NULL",
                    )?;
                    for id in st.query_map([], |r| r.get::<_, i64>(0))? {
                        set.remove(&id?);
                    }
                }
                Some(set)
            }
            _ => None,
        };
        let total: i64 = match (&matches, &search) {
            (Some(m), _) => m.len() as i64,
            (None, Some(s)) => self.conn().query_row(
                &format!(
                    "SELECT count(*) FROM {source} {}",
                    and(&clause, &format!("r.id IN ({})", s.ids))
                ),
                crate::store::sql::params_from_iter(ps.iter()),
                |r| r.get(0),
            )?,
            (None, None) => self.conn().query_row(
                &format!("SELECT count(*) FROM {source} {clause}"),
                crate::store::sql::params_from_iter(ps.iter()),
                |r| r.get(0),
            )?,
        };
        let picked = match &search {
            // many matches: walk the order (`+` keeps SQLite from reading the matches first)
            Some(s) if total > FEW_MATCHES => and(&clause, &format!("+r.id IN ({})", s.ids)),
            Some(s) => and(&clause, &format!("r.id IN ({})", s.ids)),
            None => clause,
        };
        // a page: its ids as an SQL list and in their order; the whole register: its clause
        let (rows_where, rows_order) = match q.limit {
            // a page: pick its ids first, then read just those rows
            Some(_) if i64::from(q.offset) >= total => {
                ps = Vec::new();
                (id_list([].iter()), Some(Vec::new()))
            }
            Some(limit) => {
                let (offset, limit) = (i64::from(q.offset), i64::from(limit));
                // past the middle, the page is read from the other end (a shorter walk)
                let from_end = offset > total / 2;
                let (offset, limit) = if from_end {
                    let end = (offset + limit).min(total);
                    (total - end, (end - offset).max(0))
                } else {
                    (offset, limit)
                };
                let mut ids = match (&matches, q.sort) {
                    (Some(m), SortKey::Number) => {
                        let dir = if q.descending != from_end {
                            "DESC"
                        } else {
                            "ASC"
                        };
                        walk(self.conn(), q.include_withdrawn, dir, m, offset, limit)?
                    }
                    _ => {
                        ps.push(Value::Integer(limit));
                        ps.push(Value::Integer(offset));
                        let n = ps.len();
                        let select =
                            format!("SELECT r.id AS id FROM {source} {}", and(&picked, "TRUE"));
                        let mut st = self.conn().prepare(&format!(
                            "{} LIMIT ?{} OFFSET ?{n}",
                            split_empties(
                                &select,
                                q.sort,
                                q.descending != from_end,
                                from_end,
                                // the `+` that keeps SQLite off an index is SQLite's own
                                search.is_some()
                                    && total <= FEW_MATCHES
                                    && !self.conn().is_server(),
                                offset.saturating_add(limit),
                                self.conn().is_server(),
                            ),
                            n - 1
                        ))?;
                        let ids: Vec<i64> = st
                            .query_map(crate::store::sql::params_from_iter(ps.iter()), |r| {
                                r.get(0)
                            })?
                            .collect::<Result<_, _>>()?;
                        ids
                    }
                };
                if from_end {
                    ids.reverse();
                }
                let list = id_list(ids.iter());
                ps = Vec::new();
                (list, Some(ids))
            }
            None => (picked, None),
        };
        let order = match rows_order {
            Some(_) => String::new(),
            None => {
                let key = q.sort.sql();
                let empty_last = match q.sort {
                    SortKey::Number => String::new(),
                    // 空 (open) is the status without a label
                    SortKey::Status => format!("{key} = '{}', ", Status::Open.code()),
                    _ => format!("coalesce({key}, '') = '', "),
                };
                let dir = if q.descending { "DESC" } else { "ASC" };
                format!("ORDER BY {empty_last}{key} {dir}, r.number {dir}")
            }
        };
        // a page joins the delays of its own rows alone
        let (from, rows_where) = match rows_order {
            Some(_) => (
                format!(
                    "requirements r LEFT JOIN ({}) d ON d.requirement_id = r.id",
                    super::delays::in_force_of(&rows_where)
                ),
                format!("WHERE r.id IN ({rows_where})"),
            ),
            None => (WITH_DELAYS.clone(), rows_where),
        };
        let sql = format!(
            "SELECT r.id, r.number, r.reporter, r.requester, r.decision, r.grade,
                    r.expected_delivery, r.actual_delivery, coalesce(d.n, 0), r.brief,
                    r.conversion_summary, d.notes, r.remark, r.received_date,
                    r.withdrawn_at IS NOT NULL, {PROMISED_SQL}
             FROM {from} {rows_where} {order}"
        );
        let mut st = self.conn().prepare(&sql)?;
        let rows = st.query_map(crate::store::sql::params_from_iter(ps.iter()), |r| {
            let decision: Option<Decision> = r
                .get::<_, Option<String>>(4)?
                .as_deref()
                .and_then(Decision::from_code);
            let grade: Option<String> = r.get(5)?;
            let actual: Option<String> = r.get(7)?;
            let in_force: i64 = r.get(8)?;
            let notes: Option<String> = r.get(11)?;
            let delays: Vec<(chrono::NaiveDate, String)> = notes
                .unwrap_or_default()
                .split('\u{1e}')
                .filter_map(|n| {
                    let (d, rest) = n.split_once('\u{1f}')?;
                    let (short, reason) = rest.split_once('\u{1f}').unwrap_or((rest, ""));
                    let short = crate::domain::delay::short_reason(short, reason);
                    Some((dates::from_iso(d)?, short))
                })
                .collect();
            let conversion: String = r.get(10)?;
            let remark: String = r.get(12)?;
            let promised: Option<String> = r.get(15)?;
            let status = derive_status(
                decision,
                actual.as_deref().and_then(dates::from_iso),
                u32::try_from(in_force).unwrap_or(0),
            );
            let expected: Option<String> = r.get(6)?;
            let first_promised = expected.as_deref().and_then(dates::from_iso);
            Ok((
                r.get::<_, i64>(0)?,
                RegisterRow {
                    number: r.get(1)?,
                    reporter: r.get(2)?,
                    requester: r.get(3)?,
                    decision: decision.map(|d| d.label().to_string()).unwrap_or_default(),
                    grade: grade.unwrap_or_default(),
                    expected_delivery: expected,
                    actual_delivery: actual,
                    status: status.label().to_string(),
                    status_code: status.code(),
                    brief: r.get(9)?,
                    remark: register_remark(&conversion, first_promised, &delays, &remark),
                    received_date: r.get(13)?,
                    withdrawn: r.get(14)?,
                    overdue: is_overdue(status, promised.as_deref(), today.as_str()),
                },
            ))
        })?;
        let mut rows: Vec<(i64, RegisterRow)> = rows.collect::<Result<_, _>>()?;
        if let Some(ids) = rows_order {
            // the page's order, as picked
            let at: std::collections::HashMap<i64, usize> =
                ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
            rows.sort_by_key(|(id, _)| at.get(id).copied().unwrap_or(usize::MAX));
        }
        Ok(RegisterPage {
            total: total as u64,
            offset: q.offset,
            rows: rows.into_iter().map(|(_, row)| row).collect(),
        })
    }

    /// Everyone who has filed a requirement, for the reporter filter.
    pub fn reporters(&self) -> Result<Vec<String>> {
        let mut st = self.conn().prepare_cached(
            "SELECT reporter FROM requirements WHERE reporter <> ''
             GROUP BY reporter ORDER BY reporter COLLATE PINYIN",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::delay::DelayFacts;
    use crate::store::{Actor, DecisionInput, DeliveryInput, RequirementInput, StepTime};

    fn day(s: &str) -> NaiveDate {
        dates::from_iso(s).unwrap()
    }

    fn actor() -> Actor {
        Actor::new(None, "测试员", "test", crate::clock::now())
    }

    fn numbers(db: &Db, q: &RegisterQuery) -> Vec<String> {
        db.register(q, day("2015-01-01"))
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.number)
            .collect()
    }

    fn all() -> RegisterQuery {
        RegisterQuery {
            include_withdrawn: true,
            ..Default::default()
        }
    }

    /// Requirements covering every status: undecided, 不做, 做 with and without a delivery, with
    /// an approved, a rejected and no delay, some without a requester or a promised day.
    fn statuses_db() -> Db {
        let mut db = Db::test_db();
        let a = actor();
        for i in 0..24u32 {
            let input = RequirementInput {
                received_date: format!("2014-06-{:02}", 2 + i % 20),
                reporter: ["王五", "张三", "李四"][(i % 3) as usize].into(),
                requester: ["", "郭主任", "沈院"][(i % 3) as usize].into(),
                brief: format!("需求{i}"),
                ..Default::default()
            };
            let r = db.create_requirement(&a, &input).unwrap();
            let decision = match i % 4 {
                0 => continue,
                1 => Decision::DoNot,
                _ => Decision::Do,
            };
            let d = DecisionInput {
                decision,
                grade: (decision == Decision::Do).then_some(Grade::B),
                conversion_summary: String::new(),
                decision_reason: String::new(),
                decision_date: String::new(),
                at: StepTime::default(),
            };
            db.record_decision(&a, &r.number, &d).unwrap();
            if decision == Decision::DoNot {
                continue;
            }
            if i % 8 < 6 {
                let date = DeliveryInput {
                    date: "2014-07-30".into(),
                    at: StepTime::default(),
                };
                db.record_expected_delivery(&a, &r.number, &date).unwrap();
            }
            // 11: a delay in force to a later day, its 预期交付日 and an earlier application's
            // new day passed: not overdue
            if i == 11 {
                let f = DelayFacts {
                    id: 0,
                    filed: day("2014-07-01"),
                    original: Some(day("2014-07-30")),
                    new_date: day("2014-08-30"),
                    reason: "原因".into(),
                    approved_on: Some(day("2014-07-02")),
                    rejected_on: None,
                    withdrawn: false,
                };
                super::super::delays::insert_for_test(db.conn(), &a, r.id, &f).unwrap();
            }
            if i % 6 == 2 || i == 11 {
                let f = DelayFacts {
                    id: 0,
                    filed: day("2014-07-20"),
                    original: Some(day("2014-07-30")),
                    new_date: day(if i % 12 == 2 {
                        "2014-09-30"
                    } else {
                        "2015-09-30"
                    }),
                    reason: "原因".into(),
                    approved_on: (i % 5 != 0).then(|| day("2014-07-21")),
                    rejected_on: (i % 5 == 0).then(|| day("2014-07-21")),
                    withdrawn: false,
                };
                super::super::delays::insert_for_test(db.conn(), &a, r.id, &f).unwrap();
            }
            if i % 7 == 3 {
                let date = DeliveryInput {
                    date: "2014-08-01".into(),
                    at: StepTime::default(),
                };
                db.record_completion(&a, &r.number, &date).unwrap();
            }
        }
        // two withdrawn, among the search's matches too
        for number in ["14060301", "14061201"] {
            db.withdraw_requirement(&a, number, "重复", &StepTime::default())
                .unwrap();
        }
        db
    }

    /// The SQL forms of the status (filters, sort) and of 逾期 select exactly the rows whose
    /// status the domain derives (the rows' own `status` / `overdue`).
    #[test]
    fn status_filters_and_sort_agree_with_the_domain() {
        let db = statuses_db();
        let rows = db.register(&all(), day("2015-01-01")).unwrap().rows;
        assert_eq!(rows.len(), 24);
        let mut seen = std::collections::HashSet::new();
        for st in [Status::Open, Status::Delayed, Status::Done] {
            let expected: Vec<String> = rows
                .iter()
                .filter(|r| r.status_code == st.code())
                .map(|r| r.number.clone())
                .collect();
            assert!(!expected.is_empty(), "{st:?} has cases");
            seen.insert(st);
            let mut q = all();
            q.status = Some(st.code().into());
            let mut got = numbers(&db, &q);
            got.sort();
            let mut want = expected.clone();
            want.sort();
            assert_eq!(got, want, "{st:?}");
        }
        let overdue: Vec<String> = rows
            .iter()
            .filter(|r| r.overdue)
            .map(|r| r.number.clone())
            .collect();
        assert!(!overdue.is_empty() && overdue.len() < rows.len());
        let mut q = all();
        q.status = Some(OVERDUE.into());
        let mut got = numbers(&db, &q);
        got.sort();
        let mut want = overdue;
        want.sort();
        assert_eq!(got, want);
    }

    /// Every page read (from the front, from the back, the empty values apart, the statuses as
    /// runs) put together is the whole register in the same order, for every sort and direction.
    #[test]
    fn pages_put_together_are_the_whole_order() {
        let db = statuses_db();
        let keys = [
            SortKey::Number,
            SortKey::Reporter,
            SortKey::Requester,
            SortKey::Decision,
            SortKey::Grade,
            SortKey::Expected,
            SortKey::Actual,
            SortKey::Status,
            SortKey::Brief,
            SortKey::Received,
        ];
        for key in keys {
            for descending in [false, true] {
                let mut q = all();
                q.sort = key;
                q.descending = descending;
                let whole = numbers(&db, &q);
                assert_eq!(whole.len(), 24);
                let mut paged = Vec::new();
                for offset in (0..24).step_by(5) {
                    q.offset = offset;
                    q.limit = Some(5);
                    paged.extend(numbers(&db, &q));
                }
                assert_eq!(paged, whole, "{key:?} descending={descending}");
                // a page's rows read as the whole register reads them (its delays joined alone)
                if key == SortKey::Number {
                    let json = |q: &RegisterQuery| -> Vec<String> {
                        let page = db.register(q, day("2015-01-01")).unwrap();
                        page.rows
                            .iter()
                            .map(|r| serde_json::to_string(r).unwrap())
                            .collect()
                    };
                    let mut whole_q = all();
                    whole_q.descending = descending;
                    let whole = json(&whole_q);
                    assert!(whole.iter().any(|r| r.contains("\"delayed\"")), "{whole:?}");
                    let mut paged = Vec::new();
                    for offset in (0..24).step_by(5) {
                        q.offset = offset;
                        q.limit = Some(5);
                        paged.extend(json(&q));
                    }
                    assert_eq!(paged, whole);
                }

                // empty values come last either way
                let rows = db.register(&all_sorted(key, descending), day("2015-01-01"));
                let rows = rows.unwrap().rows;
                let empty: Vec<bool> = rows
                    .iter()
                    .map(|r| r.value(sort_field(key)).unwrap_or("").is_empty())
                    .collect();
                assert!(
                    empty.windows(2).all(|w| !w[0] || w[1]),
                    "{key:?} descending={descending}: {empty:?}"
                );
            }
        }
    }

    /// Filters, a search (few and many matches: both ways of picking its page), withdrawn rows
    /// in or out, every sort both ways: the pages put together are the unpaged answer.
    #[test]
    fn filtered_and_searched_pages_put_together_are_the_whole_answer() {
        let db = statuses_db();
        type Variant = (&'static str, fn(&mut RegisterQuery));
        let variants: Vec<Variant> = vec![
            ("none", |_| {}),
            ("空", |q| q.status = Some("open".into())),
            ("延期", |q| q.status = Some("delayed".into())),
            ("完成", |q| q.status = Some("done".into())),
            ("逾期", |q| q.status = Some(OVERDUE.into())),
            ("做", |q| q.decision = Some("做".into())),
            ("search, many", |q| q.search = Some("需求".into())),
            ("search, few", |q| q.search = Some("需求1".into())),
            ("search and 做", |q| {
                q.search = Some("需求".into());
                q.decision = Some("做".into());
            }),
        ];
        for (name, set) in variants {
            for include_withdrawn in [false, true] {
                for sort in [
                    SortKey::Number,
                    SortKey::Requester,
                    SortKey::Status,
                    SortKey::Expected,
                ] {
                    for descending in [false, true] {
                        let mut q = RegisterQuery {
                            include_withdrawn,
                            sort,
                            descending,
                            ..Default::default()
                        };
                        set(&mut q);
                        let whole = numbers(&db, &q);
                        let mut paged = Vec::new();
                        let mut total = None;
                        for offset in (0..whole.len() as u32 + 3).step_by(3) {
                            q.offset = offset;
                            q.limit = Some(3);
                            let page = db.register(&q, day("2015-01-01")).unwrap();
                            total.get_or_insert(page.total);
                            paged.extend(page.rows.into_iter().map(|r| r.number));
                        }
                        let case = format!(
                            "{name} withdrawn={include_withdrawn} {sort:?} desc={descending}"
                        );
                        assert_eq!(paged, whole, "{case}");
                        assert_eq!(total, Some(whole.len() as u64), "{case}");
                        if !include_withdrawn {
                            assert!(!whole.contains(&"14060301".to_string()), "{case}");
                        }
                    }
                }
            }
        }
    }

    fn all_sorted(sort: SortKey, descending: bool) -> RegisterQuery {
        RegisterQuery {
            sort,
            descending,
            ..all()
        }
    }

    fn sort_field(key: SortKey) -> &'static str {
        match key {
            SortKey::Number => "number",
            SortKey::Reporter => "reporter",
            SortKey::Requester => "requester",
            SortKey::Decision => "decision",
            SortKey::Grade => "grade",
            SortKey::Expected => "expected_delivery",
            SortKey::Actual => "actual_delivery",
            SortKey::Status => "status",
            SortKey::Brief => "brief",
            SortKey::Received => "received_date",
        }
    }
}
