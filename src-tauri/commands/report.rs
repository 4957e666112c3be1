//! The periodic reports in the window: thin commands over `api::exports` and `store::weekly`.

use super::{read, read_as, write, Managed};
use crate::api::exports::{Weekly, WeeklyPreview};
use crate::error::{Error, Result};
use crate::store::WeeklySent;

fn day_of(day: &str) -> Result<chrono::NaiveDate> {
    crate::domain::dates::parse_day(day)
        .ok_or_else(|| Error::invalid("day", format!("“{day}”不是有效日期（例如 2014-06-20）")))
}

/// The week holding `day`: its agenda, the mail body (signed by the operator) and whether it was
/// sent.
#[tauri::command]
pub async fn weekly_preview(state: Managed<'_>, day: String) -> Result<WeeklyPreview> {
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let day = day_of(&day)?;
        let operator = super::current_operator(db, &signed).and_then(|a| a.person_id);
        crate::api::exports::weekly_preview(db, day, &crate::api::exports::sender(db, operator))
    })
    .await
}

/// Writes the week's report into `folder` (chosen in the system's folder dialog).
#[tauri::command]
pub async fn weekly_write(state: Managed<'_>, day: String, folder: String) -> Result<Weekly> {
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let day = day_of(&day)?;
        let operator = super::current_operator(db, &signed).and_then(|a| a.person_id);
        crate::api::exports::weekly(
            db,
            day,
            std::path::Path::new(&folder),
            &crate::api::exports::sender(db, operator),
        )
    })
    .await
}

/// Records that the week's report was sent at `at` (default now).
#[tauri::command]
pub async fn weekly_sent_record(
    state: Managed<'_>,
    day: String,
    at: Option<String>,
) -> Result<WeeklySent> {
    write(&state, move |db, a| {
        let friday = crate::domain::weekly::friday_of(day_of(&day)?);
        let at = at.filter(|t| !t.trim().is_empty());
        db.record_weekly_sent(a, friday, at.as_deref())
    })
    .await
}

/// The monthly summary of `month` (`2014-06`) and the twelve months up to it.
#[derive(serde::Serialize)]
pub struct Monthly {
    pub summary: crate::domain::monthly::MonthSummary,
    pub trend: Vec<crate::domain::monthly::MonthSummary>,
}

fn month_of(month: &str) -> Result<crate::domain::monthly::Month> {
    crate::domain::monthly::Month::parse(month)
        .ok_or_else(|| Error::invalid("month", format!("“{month}”不是月份（例如 2014-06）")))
}

#[tauri::command]
pub async fn monthly_summary(state: Managed<'_>, month: String) -> Result<Monthly> {
    read(&state, move |db| {
        let (summary, trend) = crate::api::exports::monthly_summary(db, month_of(&month)?)?;
        Ok(Monthly { summary, trend })
    })
    .await
}

/// Writes the monthly summary workbook (tables and native charts) to `path`.
#[tauri::command]
pub async fn monthly_export(state: Managed<'_>, month: String, path: String) -> Result<String> {
    read(&state, move |db| {
        crate::api::exports::monthly(
            db,
            month_of(&month)?,
            std::path::Path::new(&path),
            crate::excel::save::Existing::Replace,
        )?;
        Ok(path)
    })
    .await
}

/// One verdict of a decision meeting.
#[derive(serde::Deserialize)]
pub struct Verdict {
    pub number: String,
    #[serde(flatten)]
    pub input: crate::store::DecisionInput,
}

/// Records a decision meeting's verdicts in one transaction, all at `at` (default now).
/// Returns the numbers decided.
#[tauri::command]
pub async fn meeting_record(
    state: Managed<'_>,
    verdicts: Vec<Verdict>,
    at: Option<String>,
) -> Result<Vec<String>> {
    write(&state, move |db, a| {
        let verdicts: Vec<(String, crate::store::DecisionInput)> =
            verdicts.into_iter().map(|v| (v.number, v.input)).collect();
        let at = at.filter(|t| !t.trim().is_empty());
        db.record_meeting(a, &verdicts, at.as_deref())
    })
    .await
}

/// The to-do page (the operator's, or everyone's with `all`): the steps and the collector's
/// notes beside them — legacy requirements overdue to check, missed steps no one answers for
/// to assign (issue 19) — from one reading of the deadlines.
#[tauri::command]
pub async fn todo_page(
    state: Managed<'_>,
    all: bool,
    limit: Option<usize>,
) -> Result<crate::store::TodoPage> {
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let me = if all {
            None
        } else {
            super::current_operator(db, &signed).map(|a| a.name)
        };
        db.todo_page(
            crate::clock::now().naive_local(),
            me.as_deref(),
            Some(limit.unwrap_or(TODO_PAGE)),
        )
    })
    .await
}

/// The most to-do lines the window draws at once (the page says how many there are).
const TODO_PAGE: usize = 200;

/// The operator's desktop reminders since the window's last check (`since`, as the window
/// kept it: `YYYY-MM-DD HH:MM`; absent on a first check). None without an operator.
#[tauri::command]
pub async fn todo_alerts(
    state: Managed<'_>,
    since: Option<String>,
) -> Result<Option<crate::store::TodoAlerts>> {
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let Some(me) = super::current_operator(db, &signed) else {
            return Ok(None);
        };
        let since = since
            .as_deref()
            .and_then(crate::domain::dates::local_minute);
        db.todo_alerts(crate::clock::now().naive_local(), &me.name, since)
            .map(Some)
    })
    .await
}

/// The month's assessment (月度考核表) as the operator may read it (issue 19: the decision
/// group everyone's, others their own), up to now while the month runs.
#[tauri::command]
pub async fn assessment_month(
    state: Managed<'_>,
    month: String,
) -> Result<crate::domain::assessment::Assessment> {
    read_as(&state, move |db, a| {
        db.assessment_for(a, month_of(&month)?, a.now.naive_local())
    })
    .await
}

/// Writes the month's assessment workbook (totals, evidence) to `path`.
#[tauri::command]
pub async fn assessment_export(state: Managed<'_>, month: String, path: String) -> Result<String> {
    read_as(&state, move |db, a| {
        crate::api::exports::assessment(
            db,
            a,
            month_of(&month)?,
            a.now.naive_local(),
            Some((
                std::path::Path::new(&path),
                crate::excel::save::Existing::Replace,
            )),
        )?;
        Ok(path)
    })
    .await
}
