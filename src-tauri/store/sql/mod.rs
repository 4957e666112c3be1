//! The store's one surface over its database engines: a connection, statements, parameters and
//! rows that read the same whichever engine runs (issue 21).
//!
//! The rest of `store/` writes its SQL once against [`Conn`]; the engine files here (`sqlite.rs`)
//! are the only places that name an engine's crate. The surface mirrors the small part of
//! rusqlite's the store has always used (`query_row`, `prepare_cached` + `query_map`,
//! `execute`, `optional()`), so statements read as before.

mod postgres;
mod sqlite;

pub(crate) use postgres::{ConnectFailure, PgConn};

/// A server URL's settings, or why it does not parse.
pub(crate) fn postgres_config(url: &str) -> std::result::Result<tokio_postgres::Config, String> {
    postgres::parse(url)
}

/// The parts of a server URL as the window's fields show them — host (a name, an address or
/// a unix socket's folder), port, database, user, sslmode — the password left out; `None` when
/// it does not parse.
pub fn server_parts(url: &str) -> Option<[String; 5]> {
    use tokio_postgres::config::{Host, SslMode};
    let config = postgres::parse(url).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => String::new(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let tls = match config.get_ssl_mode() {
        SslMode::Disable => "disable",
        SslMode::Require => "require",
        _ => "prefer",
    };
    Some([
        host,
        port.to_string(),
        config.get_dbname().unwrap_or_default().to_string(),
        config.get_user().unwrap_or_default().to_string(),
        tls.to_string(),
    ])
}

/// `host:port/dbname` of a server URL's settings (never the password).
pub(crate) fn describe_server(config: &tokio_postgres::Config) -> String {
    postgres::describe(config)
}

pub(crate) use sqlite::{open_backup_to_scrub, register_functions, SqliteConn};

use std::fmt;

/// An owned value of a parameter or a column: the five storage classes both engines share.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A borrowed [`Value`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    pub fn to_owned(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(s) => Value::Text(s.to_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_owned()),
        }
    }
}

impl Value {
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Null, Value::Text)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Integer(i)
    }
}

/// What went wrong in the database, by kind both engines share (issue 21: error kinds are
/// engine-neutral); `detail` keeps the engine's own words for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    /// A query that must return a row returned none (see [`OptionalExtension`]).
    NoRows,
    /// Another writer holds the lock longer than the wait.
    Busy,
    /// The connection to the database server broke (the server stopped, the network went):
    /// whether the change in flight was saved is not known here.
    Disconnected,
    ReadOnly,
    Full,
    Corrupt,
    /// The file is not a database at all.
    NotADatabase,
    CannotOpen,
    PermissionDenied,
    /// The disk or the network failed mid-read or mid-write.
    Io,
    /// A UNIQUE, CHECK or foreign key refused the change.
    Constraint,
    /// A value could not be read as the type asked for.
    Type,
    Other,
}

#[derive(Debug, Clone)]
pub struct DbError {
    pub kind: DbKind,
    pub detail: String,
}

impl DbError {
    pub fn new(kind: DbKind, detail: impl Into<String>) -> Self {
        DbError {
            kind,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for DbError {}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// `.optional()` on a query that may find no row, as rusqlite spells it.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind == DbKind::NoRows => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A value that can be bound as a parameter.
pub trait ToSql {
    fn to_sql(&self) -> ValueRef<'_>;
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> ValueRef<'_> {
        (**self).to_sql()
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> ValueRef<'_> {
        self.as_ref().map_or(ValueRef::Null, ToSql::to_sql)
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> ValueRef<'_> {
        self.as_ref()
    }
}

impl ToSql for str {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToSql for String {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToSql for [u8] {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl ToSql for Vec<u8> {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl ToSql for bool {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}

impl ToSql for f64 {
    fn to_sql(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}

macro_rules! int_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> ValueRef<'_> {
                ValueRef::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_to_sql!(i64, i32, u32, u64, usize, u16, u8);

/// A parameter as bound: borrowed from the caller, or made for the call.
pub enum Arg<'a> {
    Borrowed(ValueRef<'a>),
    Owned(Value),
}

impl Arg<'_> {
    pub fn value(&self) -> ValueRef<'_> {
        match self {
            Arg::Borrowed(v) => *v,
            Arg::Owned(v) => v.as_ref(),
        }
    }
}

/// The parameters of one statement: `[]`, `[a]`, `[a, b]`, `params![a, b]`,
/// `params_from_iter(values)`.
pub trait Params {
    fn args(&self) -> Vec<Arg<'_>>;
}

impl Params for [&dyn ToSql; 0] {
    fn args(&self) -> Vec<Arg<'_>> {
        Vec::new()
    }
}

impl Params for &[&dyn ToSql] {
    fn args(&self) -> Vec<Arg<'_>> {
        self.iter().map(|v| Arg::Borrowed(v.to_sql())).collect()
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn args(&self) -> Vec<Arg<'_>> {
                self.iter().map(|v| Arg::Borrowed(v.to_sql())).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

/// Parameters from an iterator (a filter's values, built as the query is).
pub struct ParamsFromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator + Clone,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator + Clone,
    I::Item: ToSql,
{
    fn args(&self) -> Vec<Arg<'_>> {
        self.0
            .clone()
            .into_iter()
            .map(|v| Arg::Owned(v.to_sql().to_owned()))
            .collect()
    }
}

/// A row's values bound as they are (no copy made).
struct RowParams<'r, 'v>(&'r [ValueRef<'v>]);

impl Params for RowParams<'_, '_> {
    fn args(&self) -> Vec<Arg<'_>> {
        self.0.iter().map(|v| Arg::Borrowed(*v)).collect()
    }
}

/// `params![a, b, …]`: parameters of mixed types.
macro_rules! params {
    () => { [] as [&dyn $crate::store::sql::ToSql; 0] };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::store::sql::ToSql),+] as &[&dyn $crate::store::sql::ToSql]
    };
}
pub(crate) use params;

/// A value read from a column.
pub trait FromSql: Sized {
    fn from_sql(v: ValueRef<'_>) -> Result<Self>;
}

fn wrong_type(want: &str, got: ValueRef<'_>) -> DbError {
    DbError::new(DbKind::Type, format!("expected {want}, found {got:?}"))
}

impl FromSql for i64 {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Integer(i) => Ok(i),
            other => Err(wrong_type("integer", other)),
        }
    }
}

macro_rules! int_from_sql {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn from_sql(v: ValueRef<'_>) -> Result<Self> {
                let i = i64::from_sql(v)?;
                <$t>::try_from(i).map_err(|_| DbError::new(DbKind::Type, format!("{i} out of range")))
            }
        }
    )*};
}
int_from_sql!(i32, u32, u64, usize, u16, u8);

impl FromSql for bool {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        Ok(i64::from_sql(v)? != 0)
    }
}

impl FromSql for f64 {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Real(f) => Ok(f),
            // an integer read as a real is exact up to 2^53: every count and sum the store reads
            #[allow(clippy::cast_precision_loss)]
            ValueRef::Integer(i) => Ok(i as f64),
            other => Err(wrong_type("real", other)),
        }
    }
}

impl FromSql for String {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Text(s) => Ok(s.to_owned()),
            other => Err(wrong_type("text", other)),
        }
    }
}

impl FromSql for Vec<u8> {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Blob(b) => Ok(b.to_owned()),
            ValueRef::Text(s) => Ok(s.as_bytes().to_owned()),
            other => Err(wrong_type("blob", other)),
        }
    }
}

impl FromSql for Value {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        Ok(v.to_owned())
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Null => Ok(None),
            other => T::from_sql(other).map(Some),
        }
    }
}

/// A column by position or by name.
pub trait RowIndex {
    fn column(&self) -> Column<'_>;
}

pub enum Column<'a> {
    At(usize),
    Named(&'a str),
}

impl RowIndex for usize {
    fn column(&self) -> Column<'_> {
        Column::At(*self)
    }
}

impl RowIndex for &str {
    fn column(&self) -> Column<'_> {
        Column::Named(self)
    }
}

/// One result row.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r sqlite::Row<'r>),
    Pg(&'r postgres::PgRow),
}

impl Row<'_> {
    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let v = match &self.inner {
            RowInner::Sqlite(r) => sqlite::value(r, idx.column())?,
            RowInner::Pg(r) => postgres::value(r, idx.column())?,
        };
        T::from_sql(v).map_err(|e| {
            let at = match idx.column() {
                Column::At(i) => i.to_string(),
                Column::Named(n) => n.to_string(),
            };
            DbError::new(e.kind, format!("column {at}: {}", e.detail))
        })
    }
}

/// How a write transaction starts: `Immediate` takes the write lock at once, so two writers
/// queue up instead of failing halfway (numbering relies on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begin {
    Immediate,
    Deferred,
    /// An import (issue 22): on a server it takes only the import lock at first — one import
    /// at a time, and nothing that replaces the whole database meanwhile — so while it writes
    /// its new rows, which no one else sees, others' saves go on; it takes the write lock
    /// ([`Conn::take_write_lock`]) only for what others may touch too (existing records, the
    /// counters, bugs). On a file, SQLite's one write lock at once, as `Immediate`.
    Import,
    /// What replaces the database's rows wholesale (a restore, a copy into it): both locks,
    /// the import's first (the order an import takes them in: no deadlock between the two).
    Exclusive,
}

/// The advisory lock every ordinary writer on a server takes first.
const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(7364102350235714)";
/// The advisory lock of an import, and of what replaces the whole database.
const IMPORT_LOCK: &str = "SELECT pg_advisory_xact_lock(7364102350235715)";

/// One connection to the database, whichever engine holds it.
pub struct Conn {
    engine: Engine,
    /// A file's `data_version` when [`Conn::changed_elsewhere`] last read it.
    seen_version: std::sync::atomic::AtomicI64,
}

/// [`Conn::seen_version`] before the first read.
const NOT_WATCHED: i64 = i64::MIN;

enum Engine {
    Sqlite(SqliteConn),
    Pg(PgConn),
}

impl Conn {
    pub(crate) fn sqlite(conn: SqliteConn) -> Conn {
        Conn {
            engine: Engine::Sqlite(conn),
            seen_version: NOT_WATCHED.into(),
        }
    }

    pub(crate) fn postgres(conn: PgConn) -> Conn {
        Conn {
            engine: Engine::Pg(conn),
            seen_version: NOT_WATCHED.into(),
        }
    }

    /// Whether this is a shared database on a server (PostgreSQL), not a file.
    pub fn is_server(&self) -> bool {
        matches!(self.engine, Engine::Pg(_))
    }

    /// Whether another connection — another PC, another window, the command line — committed
    /// a change since the last call (issue 22: the window's live updates). The first call
    /// starts watching and says no. A file compares its `data_version` (which this
    /// connection's own commits do not move); a server listens on the channel its tables'
    /// triggers announce changes on and leaves out its own session's.
    pub(crate) fn changed_elsewhere(&self) -> Result<bool> {
        use std::sync::atomic::Ordering::Relaxed;
        match &self.engine {
            Engine::Sqlite(c) => {
                let now: i64 = c.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                let before = self.seen_version.swap(now, Relaxed);
                Ok(before != NOT_WATCHED && before != now)
            }
            Engine::Pg(c) => {
                let first = self.seen_version.swap(0, Relaxed) == NOT_WATCHED;
                // listens at first, and again on the new connection after a lost one (the
                // call connects again first: a window left open carries on by itself)
                if first || !c.heard.listening.load(Relaxed) || c.heard.lost.load(Relaxed) {
                    self.execute_batch(&format!("LISTEN {}", postgres::CHANGES))?;
                    c.heard.listening.store(true, Relaxed);
                }
                let heard = c.heard.take();
                Ok(heard && !first)
            }
        }
    }

    /// The server's connection is gone and not yet made again; never on a file.
    pub(crate) fn connection_lost(&self) -> bool {
        match &self.engine {
            Engine::Pg(c) => c.heard.lost.load(std::sync::atomic::Ordering::Relaxed),
            Engine::Sqlite(_) => false,
        }
    }

    /// Where the server is (`host:port/dbname`); `None` on a file.
    pub fn server_label(&self) -> Option<&str> {
        match &self.engine {
            Engine::Pg(c) => Some(&c.label),
            Engine::Sqlite(_) => None,
        }
    }

    /// The SQLite connection underneath, for what only SQLite has (its backup API, pragmas).
    pub(crate) fn as_sqlite(&self) -> Option<&SqliteConn> {
        match &self.engine {
            Engine::Sqlite(c) => Some(c),
            Engine::Pg(_) => None,
        }
    }

    pub(crate) fn as_sqlite_mut(&mut self) -> Option<&mut SqliteConn> {
        match &mut self.engine {
            Engine::Sqlite(c) => Some(c),
            Engine::Pg(_) => None,
        }
    }

    pub fn execute<P: Params>(&self, sql: &str, p: P) -> Result<usize> {
        match &self.engine {
            Engine::Sqlite(c) => sqlite::conn_execute(c, sql, &p.args()),
            Engine::Pg(c) => c.execute(sql, &p.args()),
        }
    }

    /// Several statements without parameters, one after another.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(c) => sqlite::conn_execute_batch(c, sql),
            Engine::Pg(c) => c.execute_batch(sql),
        }
    }

    pub fn query_row<T, P, F>(&self, sql: &str, p: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        self.prepare_cached(sql)?.query_row(p, f)
    }

    /// A statement made for this call only (its SQL is built at run time).
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        match &self.engine {
            Engine::Sqlite(c) => Ok(Stmt {
                inner: StmtInner::Sqlite(sqlite::conn_prepare(c, sql, false)?),
            }),
            Engine::Pg(c) => Ok(Stmt {
                inner: StmtInner::Pg(c, sql.to_string()),
            }),
        }
    }

    /// A statement kept for the next call with the same SQL.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        match &self.engine {
            Engine::Sqlite(c) => Ok(Stmt {
                inner: StmtInner::Sqlite(sqlite::conn_prepare(c, sql, true)?),
            }),
            Engine::Pg(c) => Ok(Stmt {
                inner: StmtInner::Pg(c, sql.to_string()),
            }),
        }
    }

    /// The id the last `INSERT` on this connection gave its row.
    pub fn inserted_id(&self) -> Result<i64> {
        match &self.engine {
            Engine::Sqlite(c) => Ok(c.last_insert_rowid()),
            Engine::Pg(_) => self.query_row("SELECT lastval()", [], |r| r.get(0)),
        }
    }

    /// `n` ids for new rows of `table`, in order, for [`Conn::append_rows`] to write them with
    /// (an import's rows and their history need them before the rows are written). Inside a
    /// write transaction, and the rows written before the next call and before any other row
    /// of the table: on a file the ids follow the largest written, nothing is set aside (a
    /// server's come from the table's sequence, which others share).
    pub fn reserve_ids(&self, table: &str, n: usize) -> Result<Vec<i64>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        match &self.engine {
            Engine::Sqlite(_) => {
                let top: i64 = self.query_row(
                    &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                    [],
                    |r| r.get(0),
                )?;
                Ok((top + 1..=top + n).collect())
            }
            Engine::Pg(_) => {
                // each id its own nextval: an import writes its new rows without the write
                // lock (`Begin::Import`), so others take numbers of the sequence meanwhile;
                // the ids are unique, in order, not necessarily one block
                let mut st = self.prepare_cached(&format!(
                    "SELECT nextval(pg_get_serial_sequence('{table}', 'id'))
                       FROM generate_series(1, ?1) ORDER BY 1"
                ))?;
                let ids = st
                    .query_map([n], |r| r.get::<_, i64>(0))?
                    .collect::<Result<Vec<i64>>>()?;
                Ok(ids)
            }
        }
    }

    /// Writes many new rows into `table` at once (an import's), each row's values in
    /// `columns`' order. On a server one `COPY` (a stream the server takes whole, instead of a
    /// round trip a row); on a file one prepared `INSERT` a row, SQLite's own fastest way.
    pub fn append_rows(
        &self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<ValueRef<'_>>],
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        match &self.engine {
            Engine::Sqlite(_) => {
                let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
                let mut st = self.prepare_cached(&format!(
                    "INSERT INTO {table} ({}) VALUES ({})",
                    columns.join(", "),
                    marks.join(", ")
                ))?;
                for row in rows {
                    st.execute(RowParams(row))?;
                }
                Ok(())
            }
            Engine::Pg(c) => {
                let mut data = Vec::with_capacity(rows.len() * 256);
                for row in rows {
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            data.push(b'\t');
                        }
                        postgres::copy_field(&mut data, *v);
                    }
                    data.push(b'\n');
                }
                c.copy_in(
                    &format!("COPY {table} ({}) FROM STDIN", columns.join(", ")),
                    data,
                )?;
                Ok(())
            }
        }
    }

    /// Whether freed pages are overwritten (erasure, issue 19): SQLite keeps deleted rows'
    /// bytes in free pages otherwise; a server's storage is the server's.
    pub fn secure_delete(&self, on: bool) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(c) => sqlite::conn_execute_batch(
                c,
                if on {
                    "PRAGMA secure_delete = ON"
                } else {
                    "PRAGMA secure_delete = OFF"
                },
            ),
            Engine::Pg(_) => Ok(()),
        }
    }

    /// Runs `f` with a server reading through indexes wherever it has one, not whole tables
    /// (issue 22: a search's grams). The planner prices testing a row's grams (`@>`) at one
    /// operator, so with stale statistics, or the grams' index holding pending entries
    /// between vacuums, it read the whole table for a common word: 170 ms instead of 20 at
    /// 100,000 requirements. For one statement alone (every table it reads has the index it
    /// needs); a file's planner has no such choice to make.
    pub fn through_indexes<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        match &self.engine {
            Engine::Sqlite(_) => f(),
            Engine::Pg(c) => {
                /// Sets the planner back when dropped, a panic in the call included: not on a
                /// connection lost meanwhile (the next session starts from the server's
                /// defaults), nor said when it fails (within a transaction that failed, its
                /// rollback sets it back).
                struct Reset<'a>(&'a postgres::PgConn);
                impl Drop for Reset<'_> {
                    fn drop(&mut self) {
                        if !self.0.heard.lost.load(std::sync::atomic::Ordering::Relaxed) {
                            let _ = self.0.execute_batch("RESET enable_seqscan");
                        }
                    }
                }
                c.execute_batch("SET enable_seqscan = off")?;
                let _reset = Reset(c);
                f()
            }
        }
    }

    /// Moves everything written into the database file proper and empties the log (SQLite's
    /// WAL), so erased values leave no copy behind.
    pub fn checkpoint(&self) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(c) => sqlite::conn_execute_batch(c, "PRAGMA wal_checkpoint(TRUNCATE)"),
            Engine::Pg(_) => Ok(()),
        }
    }

    /// Foreign keys checked at commit, not row by row, for the rest of this transaction (a
    /// copy writes requirements and bugs, which refer to each other).
    pub fn defer_constraints(&self) -> Result<()> {
        self.execute_batch(match &self.engine {
            Engine::Sqlite(_) => "PRAGMA defer_foreign_keys = ON",
            Engine::Pg(_) => "SET CONSTRAINTS ALL DEFERRED",
        })
    }

    /// After rows were written with their ids given (a copy): the next id the table hands out
    /// follows the largest. SQLite does so by itself.
    pub fn ids_follow(&self, table: &str) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(_) => Ok(()),
            // never lowered: a sequence's move is not undone by a rollback, so a copy or
            // restore that fails must leave it where no id in use can come again
            Engine::Pg(_) => self.execute_batch(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(
                     (SELECT coalesce(max(id), 0) FROM {table}),
                     coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0),
                     1))"
            )),
        }
    }

    /// After many rows were written at once (a copy, an import), outside the transaction: the
    /// server's planner learns the tables' new sizes, and which pages are all visible, at once
    /// rather than at its next automatic round. SQLite needs nothing.
    pub fn after_bulk_write(&self) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(_) => Ok(()),
            // outside any transaction (VACUUM may not run in one): the planner's figures and
            // the map of pages that let a count read the index alone
            Engine::Pg(_) => self.execute_batch("VACUUM (ANALYZE)"),
        }
    }

    /// A read-only transaction that sees the database as it is now, whatever others write
    /// meanwhile (a copy's source, a backup of a shared database).
    pub fn begin_snapshot(&self) -> Result<Tx<'_>> {
        self.execute_batch(match &self.engine {
            Engine::Sqlite(_) => "BEGIN",
            Engine::Pg(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        })?;
        let tx = Tx {
            conn: self,
            done: false,
        };
        // the snapshot is taken by the first read
        self.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0))?;
        Ok(tx)
    }

    /// Takes the locks [`Begin::Exclusive`] takes, in its order (the import's, then the write
    /// lock), inside a transaction begun otherwise: a server's schema migration waits for the
    /// imports and saves in flight, and no writer holding rows of one table waits on it for
    /// another (a deadlock the server would end by failing one of them). On a file nothing to
    /// do: a migration there holds SQLite's one write lock.
    pub fn take_all_write_locks(&self) -> Result<()> {
        match &self.engine {
            Engine::Pg(_) => self.execute_batch(&format!("{IMPORT_LOCK}; {WRITE_LOCK}")),
            Engine::Sqlite(_) => Ok(()),
        }
    }

    /// Takes the write lock inside a transaction if no one holds it, without waiting: `false`
    /// when a writer holds it (on a file, `true`: SQLite's lock is taken by the first write,
    /// waiting as any write does). For what may be skipped when busy (issue 23: the record of
    /// which version opened the database, never worth a wait or a clash with a restore).
    pub fn try_write_lock(&self) -> Result<bool> {
        match &self.engine {
            Engine::Pg(_) => self.query_row(
                "SELECT pg_try_advisory_xact_lock(7364102350235714)",
                [],
                |r| r.get(0),
            ),
            Engine::Sqlite(_) => Ok(true),
        }
    }

    /// Takes the write lock inside a transaction begun with [`Begin::Import`] (on a file it
    /// is held from the start: nothing to do).
    pub fn take_write_lock(&self) -> Result<()> {
        match &self.engine {
            Engine::Pg(_) => self.execute_batch(WRITE_LOCK),
            Engine::Sqlite(_) => Ok(()),
        }
    }

    /// Starts a transaction; it rolls back when dropped uncommitted.
    pub fn begin(&self, how: Begin) -> Result<Tx<'_>> {
        // a write takes the database's one write lock at once, on both engines: SQLite's
        // IMMEDIATE; on a server, one advisory lock every Genjin writer takes first. So writers
        // queue up and each reads what the one before committed — a stale version is refused,
        // never overwritten (READ COMMITTED alone would let two saves of one record both land)
        let server = |locks: &[&str]| format!("BEGIN; {}", locks.join("; "));
        self.execute_batch(&match (how, &self.engine) {
            (Begin::Deferred, _) => "BEGIN".to_string(),
            (_, Engine::Sqlite(_)) => "BEGIN IMMEDIATE".to_string(),
            (Begin::Immediate, Engine::Pg(_)) => server(&[WRITE_LOCK]),
            (Begin::Import, Engine::Pg(_)) => server(&[IMPORT_LOCK]),
            (Begin::Exclusive, Engine::Pg(_)) => server(&[IMPORT_LOCK, WRITE_LOCK]),
        })
        .inspect_err(|_| {
            // a BEGIN that got in before the lock wait failed ends here
            let _ = self.execute_batch("ROLLBACK");
        })?;
        Ok(Tx {
            conn: self,
            done: false,
        })
    }
}

/// An open transaction: [`Tx::commit`] or dropped (rolled back).
pub struct Tx<'c> {
    conn: &'c Conn,
    done: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        // a server ends an aborted transaction's COMMIT as a ROLLBACK without an error: a
        // statement first fails if anything in it failed (a COPY answered late whose error a
        // caller let pass), so the commit does too
        let alive = match &self.conn.engine {
            Engine::Pg(_) => self
                .conn
                .query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                .map(|_| ()),
            Engine::Sqlite(_) => Ok(()),
        };
        if let Err(e) = alive.and_then(|()| self.conn.execute_batch("COMMIT")) {
            // a failed COMMIT may leave the transaction open: end it, keep the first error
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            // nothing to tell: the transaction's own error is already on its way
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A prepared statement.
pub struct Stmt<'c> {
    inner: StmtInner<'c>,
}

enum StmtInner<'c> {
    Sqlite(sqlite::Statement<'c>),
    Pg(&'c PgConn, String),
}

impl<'c> Stmt<'c> {
    pub fn execute<P: Params>(&mut self, p: P) -> Result<usize> {
        match &mut self.inner {
            StmtInner::Sqlite(s) => sqlite::execute(s, &p.args()),
            StmtInner::Pg(c, sql) => c.execute(sql, &p.args()),
        }
    }

    pub fn exists<P: Params>(&mut self, p: P) -> Result<bool> {
        match &mut self.inner {
            StmtInner::Sqlite(s) => sqlite::exists(s, &p.args()),
            StmtInner::Pg(c, sql) => Ok(!c.query(sql, &p.args())?.is_empty()),
        }
    }

    pub fn query_row<T, P, F>(&mut self, p: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match &mut self.inner {
            StmtInner::Sqlite(s) => sqlite::query_row(s, &p.args(), |r| {
                f(&Row {
                    inner: RowInner::Sqlite(r),
                })
            }),
            StmtInner::Pg(c, sql) => match c.query(sql, &p.args())?.first() {
                Some(r) => f(&Row {
                    inner: RowInner::Pg(r),
                }),
                None => Err(DbError::new(DbKind::NoRows, "query returned no rows")),
            },
        }
    }

    /// Every row, each made into a `T` by `f` as the iterator is read.
    pub fn query_map<'s, T, P, F>(
        &'s mut self,
        p: P,
        mut f: F,
    ) -> Result<Box<dyn Iterator<Item = Result<T>> + 's>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T> + 's,
        T: 's,
    {
        match &mut self.inner {
            StmtInner::Sqlite(s) => sqlite::query_map(s, &p.args(), move |r| {
                f(&Row {
                    inner: RowInner::Sqlite(r),
                })
            }),
            StmtInner::Pg(c, sql) => {
                let rows = c.query(sql, &p.args())?;
                let out: Vec<Result<T>> = rows
                    .iter()
                    .map(|r| {
                        f(&Row {
                            inner: RowInner::Pg(r),
                        })
                    })
                    .collect();
                Ok(Box::new(out.into_iter()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    fn refs(rows: &[Vec<Value>]) -> Vec<Vec<ValueRef<'_>>> {
        rows.iter()
            .map(|r| r.iter().map(Value::as_ref).collect())
            .collect()
    }

    /// Reading through indexes holds for the one call: the next statement plans as the server
    /// likes, also after the call failed.
    #[test]
    fn reading_through_indexes_ends_with_the_call() {
        let db = Db::test_db();
        let c = db.conn();
        if !c.is_server() {
            return;
        }
        let seq = || -> String {
            c.query_row("SHOW enable_seqscan", [], |r| r.get(0))
                .unwrap()
        };
        let inside = c.through_indexes(|| Ok(seq())).unwrap();
        assert_eq!((inside.as_str(), seq().as_str()), ("off", "on"));
        // so priced, a statement is not compiled (130 ms) either: never is one of Genjin's
        let jit: String = c.query_row("SHOW jit", [], |r| r.get(0)).unwrap();
        assert_eq!(jit, "off");
        let failed = c.through_indexes(|| c.execute_batch("SELECT no_such_column FROM people"));
        assert!(failed.is_err());
        assert_eq!(seq(), "on");
        // failed within a transaction: its rollback sets it back
        c.execute_batch("BEGIN").unwrap();
        let failed = c.through_indexes(|| c.execute_batch("SELECT no_such_column FROM people"));
        assert!(failed.is_err());
        c.execute_batch("ROLLBACK").unwrap();
        assert_eq!(seq(), "on");
        // a call that panics
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            c.through_indexes(|| -> Result<()> { panic!("in the call") })
        }));
        assert!(panicked.is_err());
        assert_eq!(seq(), "on");
    }

    /// The columns [`same_number`] fills.
    const FEW: [&str; 5] = ["id", "number", "received_date", "created_at", "updated_at"];

    /// A requirement row of [`FEW`] columns, under one number whatever its id.
    fn same_number(id: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::Text("SAME".into()),
            Value::Text("2026-01-02".into()),
            Value::Text("t".into()),
            Value::Text("t".into()),
        ]
    }

    /// What COPY's text format must escape, and what an array or `bytea` literal would read.
    const TRICKY: &str = "制表\t换行\n回车\r反斜杠\\N 引号'\"{a,b} \\\\x41 \\.";

    #[test]
    fn bulk_rows_read_back_exactly_as_written() {
        let mut db = Db::test_db();
        let blob = vec![0u8, b'\\', b'\t', b'\n', b'\r', 0xff, b'N'];
        let ids = db
            .write(|tx| {
                let ids = tx.reserve_ids("requirements", 3)?;
                let rows: Vec<Vec<Value>> = ids
                    .iter()
                    .map(|&id| {
                        vec![
                            Value::Integer(id),
                            Value::Text(format!("N{id}")),
                            Value::Text("2026-01-02".into()),
                            Value::Text("2026-01-02T08:00:00+08:00".into()),
                            Value::Text("2026-01-02T08:00:00+08:00".into()),
                            Value::Text(TRICKY.into()),
                            Value::Null,
                        ]
                    })
                    .collect();
                tx.append_rows(
                    "requirements",
                    &[
                        "id",
                        "number",
                        "received_date",
                        "created_at",
                        "updated_at",
                        "brief",
                        "grade",
                    ],
                    &refs(&rows),
                )?;
                tx.append_rows(
                    "attachments",
                    &[
                        "requirement_id",
                        "file_name",
                        "data",
                        "added_at",
                        "removed_at",
                    ],
                    &refs(&[vec![
                        Value::Integer(ids[0]),
                        Value::Text(TRICKY.into()),
                        Value::Blob(blob.clone()),
                        Value::Text("2026-01-02".into()),
                        Value::Null,
                    ]]),
                )?;
                Ok(ids)
            })
            .unwrap();
        assert_eq!(ids.len(), 3);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        for &id in &ids {
            let (number, brief, grade): (String, String, Option<String>) = db
                .conn()
                .query_row(
                    "SELECT number, brief, grade FROM requirements WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            assert_eq!(
                (number, brief.as_str(), grade),
                (format!("N{id}"), TRICKY, None)
            );
        }
        let (name, data, removed): (String, Vec<u8>, Option<String>) = db
            .conn()
            .query_row(
                "SELECT file_name, data, removed_at FROM attachments WHERE requirement_id = ?1",
                [ids[0]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((name.as_str(), data, removed), (TRICKY, blob, None));
        // the next ids, reserved or handed out by an INSERT, come after the written ones
        let next = db
            .write(|tx| {
                let more = tx.reserve_ids("requirements", 1)?;
                tx.execute(
                    "INSERT INTO requirements (number, received_date, created_at, updated_at)
                     VALUES ('X1', '2026-01-02', 't', 't')",
                    [],
                )?;
                Ok((more[0], tx.inserted_id()?))
            })
            .unwrap();
        assert!(next.0 > ids[2] && next.1 > ids[2], "{next:?} after {ids:?}");
    }

    /// A bulk write the database refuses (here a number twice) fails its transaction, whose
    /// commit then fails too (a server's COPY is answered after the call that sent it).
    #[test]
    fn a_refused_bulk_write_fails_and_leaves_nothing() {
        let mut db = Db::test_db();
        let out = db.write(|tx| {
            let ids = tx.reserve_ids("requirements", 2)?;
            // a file refuses at once; a server's refusal is the COMMIT's error
            tx.append_rows(
                "requirements",
                &FEW,
                &refs(&[same_number(ids[0]), same_number(ids[1])]),
            )?;
            Ok(())
        });
        assert!(out.is_err(), "{out:?}");
        let n: i64 = db
            .conn()
            .query_row("SELECT count(*) FROM requirements", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        // the connection goes on
        db.write(|tx| {
            let id = tx.reserve_ids("requirements", 1)?[0];
            tx.append_rows("requirements", &FEW, &refs(&[same_number(id)]))?;
            Ok(())
        })
        .unwrap();
    }

    /// A refused bulk write whose error a caller let pass still fails the commit (a server's
    /// COMMIT of an aborted transaction ends it without an error of its own).
    #[test]
    fn a_refused_bulk_write_let_pass_still_fails_the_commit() {
        let mut db = Db::test_db();
        let out = db.write(|tx| {
            let ids = tx.reserve_ids("requirements", 2)?;
            let _ = tx.append_rows("requirements", &FEW, &refs(&[same_number(ids[0])]));
            let _ = tx.append_rows("requirements", &FEW, &refs(&[same_number(ids[1])]));
            // the late answer is taken (and let pass) by the next call that waits
            let _ = tx.query_row("SELECT count(*) FROM requirements", [], |r| {
                r.get::<_, i64>(0)
            });
            Ok(())
        });
        let n: i64 = db
            .conn()
            .query_row("SELECT count(*) FROM requirements", [], |r| r.get(0))
            .unwrap();
        if db.conn().is_server() {
            assert!(out.is_err(), "{out:?}");
            assert_eq!(n, 0);
        } else {
            // a file refuses the second row at once: the first is kept, as its caller chose
            assert_eq!((out.is_ok(), n), (true, 1));
        }
    }
}
