//! The import wizard: load files (paths or uploaded bytes) → preview → correct the mapping →
//! commit with progress, or cancel. Each step is one call into `api::import`, off the runtime.

use super::{off_runtime, operator, signed_in, Managed};
use crate::api::import;
use crate::error::{Error, Result};
use crate::excel::import::{MappingOverride, Source};
use crate::store::{ConflictChoices, ImportReport};
use serde::Serialize;
use std::sync::atomic::Ordering;
use tauri::ipc::Channel;

/// Receives one file picked in the window: its bytes as the raw request body (no JSON, so a
/// ledger of tens of megabytes costs a copy, not a number array), its name URI-encoded in the
/// `x-file-name` header. It is read with the next `import_load`.
#[tauri::command]
pub async fn import_upload(state: Managed<'_>, request: tauri::ipc::Request<'_>) -> Result<()> {
    may_import(&state).await?;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(Error::invalid("files", "文件内容应以二进制发送"));
    };
    let name = request
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::invalid("files", "缺少文件名"))?;
    import::upload(&state.import, Source::new(name, bytes.clone()));
    Ok(())
}

/// Refuses the wizard's steps to someone who may not import (issue 13): not signed in when
/// sign-in is on, or without a role that may import. The preview shows stored values (its
/// conflicts), so it is guarded like the import itself.
async fn may_import(state: &Managed<'_>) -> Result<()> {
    let db = state.db.clone();
    let signed = state.signed_in.clone();
    off_runtime(move || {
        let db = db.lock().unwrap_or_else(|p| p.into_inner());
        let actor = operator(&db, signed_in(&signed))?;
        db.allow(&actor, crate::domain::people::Action::Import)
    })
    .await
}

/// Undoes `encodeURIComponent` (a header carries only ASCII); bytes that do not decode to
/// UTF-8 are replaced, never refused.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[derive(Clone, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// Loads files and folders (paths) and the files picked and uploaded since the last load, and
/// previews the import.
#[tauri::command]
pub async fn import_load(state: Managed<'_>, paths: Vec<String>) -> Result<ImportReport> {
    may_import(&state).await?;
    let (db, session) = (state.db.clone(), state.import.clone());
    off_runtime(move || import::load(&db, &session, &paths)).await
}

/// Previews again with a corrected column mapping and the conflict choices made so far.
#[tauri::command]
pub async fn import_remap(
    state: Managed<'_>,
    overrides: Vec<MappingOverride>,
    choices: ConflictChoices,
) -> Result<ImportReport> {
    may_import(&state).await?;
    let (db, session) = (state.db.clone(), state.import.clone());
    off_runtime(move || import::remap(&db, &session, overrides, choices)).await
}

/// Commits the loaded import in one transaction, reporting progress; all or nothing. The
/// files are read again while the records are written (reading and writing overlapped), as
/// `genjin import` does.
#[tauri::command]
pub async fn import_commit(
    state: Managed<'_>,
    choices: ConflictChoices,
    on_progress: Channel<Progress>,
) -> Result<ImportReport> {
    let (db, session) = (state.db.clone(), state.import.clone());
    let cancel = state.import_cancel.clone();
    let signed = state.signed_in.clone();
    let report = off_runtime(move || {
        import::commit(
            &db,
            &session,
            &cancel,
            choices,
            |db: &crate::store::Db| operator(db, signed_in(&signed)),
            &mut |done, total| {
                let _ = on_progress.send(Progress { done, total });
            },
        )
    })
    .await?;
    state.index_search();
    Ok(report)
}

/// Asks a running commit to stop; it rolls back and the database stays as it was.
#[tauri::command]
pub async fn import_cancel(state: Managed<'_>) -> Result<()> {
    state.import_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_come_back_from_uri_encoding() {
        use super::percent_decode;
        assert_eq!(
            percent_decode("%E9%9C%80%E6%B1%82%20a_b.xlsx"),
            "需求 a_b.xlsx"
        );
        assert_eq!(percent_decode("plain.xls"), "plain.xls");
        assert_eq!(percent_decode("50%"), "50%", "a stray % stays");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}", "not UTF-8: replaced");
    }
}
