//! The exports and reports, once for both shells: what goes into each file and where it is
//! written (atomically, `excel::save`). The window hands in the path its save dialog returned;
//! the command line its `--out`.

use crate::domain::dates;
use crate::error::Result;
use crate::excel::save::{write_atomic, Existing};
use crate::store::{BugFilter, Db};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// What an export wrote: the file and how many records are in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub path: String,
    pub count: usize,
}

fn written(out: &Path, count: usize) -> Exported {
    Exported {
        path: out.display().to_string(),
        count,
    }
}

/// The Bug收集反馈表 of the bugs reported (反馈日期) from `from` to `to`, inclusive (either
/// open). Errors: `Invalid` when `from` is after `to` or the file cannot be written.
pub fn bug_ledger(
    db: &Db,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: &Path,
    existing: Existing,
) -> Result<Exported> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(crate::Error::invalid("from", "起始日期不能晚于结束日期"));
        }
    }
    let bugs: Vec<_> = db
        .bugs()?
        .into_iter()
        .filter(|x| {
            let day = dates::from_iso(&x.received_date);
            from.is_none_or(|f| day.is_some_and(|d| d >= f))
                && to.is_none_or(|t| day.is_some_and(|d| d <= t))
        })
        .collect();
    write_atomic(
        out,
        &crate::excel::bugs::bug_ledger(&bugs)?,
        "xlsx",
        existing,
    )?;
    Ok(written(out, bugs.len()))
}

/// The Bug收集反馈表 of the bugs a list filter lets through (the window's current list).
pub fn bug_ledger_filtered(db: &Db, filter: &BugFilter, out: &Path) -> Result<Exported> {
    let bugs = db.bugs_where(filter)?;
    write_atomic(
        out,
        &crate::excel::bugs::bug_ledger(&bugs)?,
        "xlsx",
        Existing::Replace,
    )?;
    Ok(written(out, bugs.len()))
}

/// The Monday of the week (Monday–Sunday) that holds `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The 新增Bug周报 of the week holding `day` (Monday–Sunday): the bugs reported in it with
/// where each stands. Returns the Monday too.
pub fn bug_weekly(
    db: &Db,
    day: NaiveDate,
    out: &Path,
    existing: Existing,
) -> Result<(NaiveDate, Exported)> {
    let monday = monday_of(day);
    let sunday = monday + chrono::Duration::days(6);
    let bugs: Vec<_> = db
        .bugs()?
        .into_iter()
        .filter(|b| dates::from_iso(&b.received_date).is_some_and(|d| d >= monday && d <= sunday))
        .collect();
    write_atomic(
        out,
        &crate::excel::bugs::bug_weekly(monday, &bugs)?,
        "xlsx",
        existing,
    )?;
    Ok((monday, written(out, bugs.len())))
}

/// 附表2 需求报告表 of requirement `number`, or blank (`None`), to `out`.
/// Errors: `NotFound` for an unknown number; `Invalid` when the file cannot be written.
pub fn report_form(
    db: &Db,
    number: Option<&str>,
    out: &Path,
    existing: Existing,
) -> Result<Exported> {
    let req = number.map(|n| db.requirement(n)).transpose()?;
    let bytes = crate::excel::forms::report_form(req.as_ref())?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok(written(out, usize::from(req.is_some())))
}

/// 附表3 需求登记反馈表 of the requirements `query` selects (all of them: its paging is ignored),
/// to `out`, in the register's order. `today` decides 逾期. `progress(done, total)` is called
/// as rows are written (a large export takes seconds).
pub fn register(
    db: &Db,
    query: &crate::store::RegisterQuery,
    today: NaiveDate,
    out: &Path,
    existing: Existing,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Exported> {
    let all = crate::store::RegisterQuery {
        offset: 0,
        limit: None,
        ..query.clone()
    };
    let rows = db.register(&all, today)?.rows;
    let bytes = crate::excel::register::register_book(
        crate::domain::forms::REGISTER.title,
        &rows,
        &|_| false,
        progress,
    )?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok(written(out, rows.len()))
}
