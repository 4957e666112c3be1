//! The SQLite engine under [`super::Conn`]: rusqlite, a bundled SQLite.

use super::{Arg, Column, DbError, DbKind, Result, ValueRef};

pub(crate) use rusqlite::Connection as SqliteConn;
pub(super) use rusqlite::Row;

/// Registers what the store's SQL calls on every SQLite connection: `genjin_fold(text)`
/// (search's fold, for the scans that must compare exactly as the index does) and the `PINYIN`
/// collation (names sorted by pinyin, issue 20).
pub(crate) fn register_functions(conn: &SqliteConn) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "genjin_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text = ctx.get_raw(0).as_str_or_null().unwrap_or(None);
            Ok(text.map(crate::store::search::fold))
        },
    )?;
    conn.create_collation("PINYIN", crate::domain::collate::pinyin_cmp)
}

/// Opens a backup file to erase a person's data in it (issue 19) as a [`super::Conn`] with the
/// store's functions, and its schema version. No journal file holds the old pages on disk.
pub(crate) fn open_backup_to_scrub(path: &std::path::Path) -> Result<(super::Conn, i64)> {
    let conn = SqliteConn::open(path)?;
    register_functions(&conn)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    conn.pragma_update(None, "journal_mode", "MEMORY")?;
    Ok((super::Conn::sqlite(conn), version))
}

/// A statement, cached on its connection or made for one call.
pub(super) enum Statement<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
}

impl<'c> Statement<'c> {
    fn get(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            Statement::Cached(s) => s,
            Statement::Plain(s) => s,
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let kind = match &e {
            rusqlite::Error::QueryReturnedNoRows => DbKind::NoRows,
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
            | rusqlite::Error::FromSqlConversionFailure(..) => DbKind::Type,
            _ => match e.sqlite_error_code() {
                Some(C::ReadOnly) => DbKind::ReadOnly,
                Some(C::DiskFull) => DbKind::Full,
                Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => DbKind::Busy,
                Some(C::CannotOpen) => DbKind::CannotOpen,
                Some(C::PermissionDenied) => DbKind::PermissionDenied,
                Some(C::NotADatabase) => DbKind::NotADatabase,
                Some(C::DatabaseCorrupt) => DbKind::Corrupt,
                Some(C::SystemIoFailure) => DbKind::Io,
                Some(C::ConstraintViolation) => DbKind::Constraint,
                _ => DbKind::Other,
            },
        };
        DbError::new(kind, e.to_string())
    }
}

/// A bound parameter as rusqlite takes it.
struct Bound<'a>(ValueRef<'a>);

impl rusqlite::ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as V};
        Ok(ToSqlOutput::Borrowed(match self.0 {
            ValueRef::Null => V::Null,
            ValueRef::Integer(i) => V::Integer(i),
            ValueRef::Real(f) => V::Real(f),
            ValueRef::Text(s) => V::Text(s.as_bytes()),
            ValueRef::Blob(b) => V::Blob(b),
        }))
    }
}

fn bind<'a>(args: &'a [Arg<'_>]) -> rusqlite::ParamsFromIter<impl Iterator<Item = Bound<'a>>> {
    rusqlite::params_from_iter(args.iter().map(|a| Bound(a.value())))
}

pub(super) fn value<'r>(row: &'r Row<'_>, at: Column<'_>) -> Result<ValueRef<'r>> {
    use rusqlite::types::ValueRef as V;
    let v = match at {
        Column::At(i) => row.get_ref(i)?,
        Column::Named(n) => row.get_ref(n)?,
    };
    Ok(match v {
        V::Null => ValueRef::Null,
        V::Integer(i) => ValueRef::Integer(i),
        V::Real(f) => ValueRef::Real(f),
        V::Text(t) => ValueRef::Text(
            std::str::from_utf8(t).map_err(|e| DbError::new(DbKind::Type, e.to_string()))?,
        ),
        V::Blob(b) => ValueRef::Blob(b),
    })
}

pub(super) fn conn_execute(c: &SqliteConn, sql: &str, args: &[Arg<'_>]) -> Result<usize> {
    Ok(c.prepare_cached(sql)?.execute(bind(args))?)
}

pub(super) fn conn_execute_batch(c: &SqliteConn, sql: &str) -> Result<()> {
    Ok(c.execute_batch(sql)?)
}

pub(super) fn conn_prepare<'c>(
    c: &'c SqliteConn,
    sql: &str,
    cached: bool,
) -> Result<Statement<'c>> {
    Ok(if cached {
        Statement::Cached(c.prepare_cached(sql)?)
    } else {
        Statement::Plain(c.prepare(sql)?)
    })
}

pub(super) fn execute(s: &mut Statement<'_>, args: &[Arg<'_>]) -> Result<usize> {
    Ok(s.get().execute(bind(args))?)
}

pub(super) fn exists(s: &mut Statement<'_>, args: &[Arg<'_>]) -> Result<bool> {
    Ok(s.get().exists(bind(args))?)
}

pub(super) fn query_row<T>(
    s: &mut Statement<'_>,
    args: &[Arg<'_>],
    f: impl FnOnce(&Row<'_>) -> Result<T>,
) -> Result<T> {
    let mut rows = s.get().query(bind(args))?;
    match rows.next()? {
        Some(r) => f(r),
        None => Err(DbError::new(DbKind::NoRows, "query returned no rows")),
    }
}

pub(super) fn query_map<'s, T: 's>(
    s: &'s mut Statement<'_>,
    args: &[Arg<'_>],
    mut f: impl FnMut(&Row<'_>) -> Result<T> + 's,
) -> Result<Box<dyn Iterator<Item = Result<T>> + 's>> {
    let rows = s.get().query_map(bind(args), move |r| Ok(f(r)))?;
    Ok(Box::new(
        rows.map(|r| r.map_err(DbError::from).and_then(|v| v)),
    ))
}

impl From<rusqlite::Error> for crate::error::Error {
    fn from(e: rusqlite::Error) -> Self {
        crate::error::Error::Database(e.into())
    }
}

impl From<rusqlite_migration::Error> for crate::error::Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        crate::error::Error::Migration(e.to_string())
    }
}
