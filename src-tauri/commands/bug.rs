//! The BUG反馈流程 in the window: thin commands over `store::bugs`.

use super::{read, write, Managed};
use crate::error::{io_reason, Error, Result};
use crate::store::{BugEdit, BugFilter, BugInput, BugView, FixInput, ReproduceInput};

/// The Bug list under the window's filters (`Db::bugs_where`).
#[tauri::command]
pub async fn bug_list(state: Managed<'_>, filter: Option<BugFilter>) -> Result<Vec<BugView>> {
    let filter = filter.unwrap_or_default();
    read(&state, move |db| db.bugs_where(&filter)).await
}

#[tauri::command]
pub async fn bug_get(state: Managed<'_>, number: String) -> Result<BugView> {
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let mut b = db.bug(&number)?;
        // the steps this operator's roles do not allow are shown closed, with why
        if let Some(roles) = super::operator_roles(db, &signed)? {
            b.next.limit_to(&roles);
        }
        Ok(b)
    })
    .await
}

/// A screenshot pasted into the window: its name and its bytes as base64.
#[derive(Debug, serde::Deserialize)]
pub(super) struct Pasted {
    name: String,
    data: String,
}

/// The files of a screenshot upload: `paths` picked in the system's open dialog, `pasted`
/// images from the clipboard; (file name, bytes) each.
pub(super) fn gather(
    paths: &[String],
    pasted: Option<Vec<Pasted>>,
) -> Result<Vec<(String, Vec<u8>)>> {
    use base64::Engine;
    let mut files = paths
        .iter()
        .map(|p| {
            std::fs::read(p).map(|b| (p.clone(), b)).map_err(|e| {
                Error::invalid("screenshots", format!("无法读取 {p}：{}", io_reason(&e)))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    for p in pasted.unwrap_or_default() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(p.data.as_bytes())
            .map_err(|_| {
                Error::invalid("screenshots", format!("粘贴的图片“{}”无法读取", p.name))
            })?;
        files.push((p.name, bytes));
    }
    Ok(files)
}

/// Reports a bug; `screenshots` are paths picked in the system's open dialog, `pasted` images
/// pasted from the clipboard.
#[tauri::command]
pub async fn bug_report(
    state: Managed<'_>,
    input: BugInput,
    screenshots: Vec<String>,
    pasted: Option<Vec<Pasted>>,
) -> Result<BugView> {
    write(&state, move |db, a| {
        let files = gather(&screenshots, pasted)?;
        db.report_bug(a, &input, &files)
    })
    .await
}

#[tauri::command]
pub async fn bug_reproduce(
    state: Managed<'_>,
    number: String,
    input: ReproduceInput,
) -> Result<BugView> {
    write(&state, move |db, a| db.reproduce_bug(a, &number, &input)).await
}

/// Triage and corrections (`Db::edit_bug`).
#[tauri::command]
pub async fn bug_edit(state: Managed<'_>, number: String, input: BugEdit) -> Result<BugView> {
    write(&state, move |db, a| db.edit_bug(a, &number, &input)).await
}

#[tauri::command]
pub async fn bug_fix(state: Managed<'_>, number: String, input: FixInput) -> Result<BugView> {
    write(&state, move |db, a| db.fix_bug(a, &number, &input)).await
}

/// 转需求: returns the new 需求编号.
#[tauri::command]
pub async fn bug_to_requirement(state: Managed<'_>, number: String) -> Result<String> {
    write(&state, move |db, a| db.bug_to_requirement(a, &number)).await
}

/// What a fixed bug owes: the reporter, then the user.
#[tauri::command]
pub async fn bug_notifications(
    state: Managed<'_>,
    number: String,
) -> Result<Vec<crate::store::NotificationDue>> {
    read(&state, move |db| db.bug_notifications(&number)).await
}

/// Records a bug notice as sent (and confirmed).
#[tauri::command]
pub async fn bug_notify(
    state: Managed<'_>,
    number: String,
    input: crate::store::NewNotification,
) -> Result<crate::store::NotificationRecord> {
    write(&state, move |db, a| {
        db.record_bug_notification(a, &number, &input)
    })
    .await
}

/// A bug's history (every change, who, when it happened and was recorded).
#[tauri::command]
pub async fn bug_history(
    state: Managed<'_>,
    number: String,
) -> Result<Vec<crate::store::HistoryEntry>> {
    read(&state, move |db| {
        let b = db.bug(&number)?;
        db.history("bug", b.id)
    })
    .await
}

/// Writes the Bug收集反馈表 of the list as filtered in the window to `path` (chosen in the save
/// dialog, which asked before replacing a file).
#[tauri::command]
pub async fn bug_export(
    state: Managed<'_>,
    filter: BugFilter,
    path: String,
) -> Result<crate::api::exports::Exported> {
    read(&state, move |db| {
        crate::api::exports::bug_ledger_filtered(db, &filter, std::path::Path::new(&path))
    })
    .await
}

/// Writes the 新增Bug周报 of the week holding `day` to `path`.
#[tauri::command]
pub async fn bug_weekly_export(
    state: Managed<'_>,
    day: String,
    path: String,
) -> Result<crate::api::exports::Exported> {
    read(&state, move |db| {
        let day = crate::domain::dates::parse_day(&day).ok_or_else(|| {
            Error::invalid("day", format!("“{day}”不是有效日期（例如 2014-07-01）"))
        })?;
        let (_, done) = crate::api::exports::bug_weekly(
            db,
            day,
            std::path::Path::new(&path),
            crate::excel::save::Existing::Replace,
        )?;
        Ok(done)
    })
    .await
}
