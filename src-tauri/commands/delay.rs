//! 附表1 需求延期交付申请 in the window: thin commands over `store::delays` and `excel::forms`.

use super::{read, write, Managed};
use crate::error::Result;
use crate::store::{DelayInput, DelayView, Requirement, SignInput, StepTime};

/// Files an application for `number`; returns the requirement as it now stands.
#[tauri::command]
pub async fn delay_file(
    state: Managed<'_>,
    number: String,
    input: DelayInput,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        db.file_delay(a, &number, &input)?;
        db.requirement_on(&number, a.today())
    })
    .await
}

/// Records one signature; returns the requirement as it now stands.
#[tauri::command]
pub async fn delay_sign(state: Managed<'_>, id: i64, input: SignInput) -> Result<Requirement> {
    write(&state, move |db, a| {
        let v = db.sign_delay(a, id, &input)?;
        db.requirement_on(&v.number, a.today())
    })
    .await
}

/// Withdraws an application nobody has signed yet.
#[tauri::command]
pub async fn delay_withdraw(
    state: Managed<'_>,
    id: i64,
    reason: String,
    at: StepTime,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        let v = db.withdraw_delay(a, id, &reason, &at)?;
        db.requirement_on(&v.number, a.today())
    })
    .await
}

/// Voids the latest signature of application `id` with a reason (issue 20).
#[tauri::command]
pub async fn delay_void(
    state: Managed<'_>,
    id: i64,
    level: crate::domain::delay::SignLevel,
    reason: String,
    version: Option<i64>,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        let at = crate::store::StepTime {
            version,
            ..Default::default()
        };
        let v = db.void_signoff(a, id, level, &reason, &at)?;
        db.requirement_on(&v.number, a.today())
    })
    .await
}

/// Every application (or one requirement's), with signatures.
#[tauri::command]
pub async fn delay_list(state: Managed<'_>, number: Option<String>) -> Result<Vec<DelayView>> {
    read(&state, move |db| db.delays(number.as_deref())).await
}

/// One application (the print view).
#[tauri::command]
pub async fn delay_get(state: Managed<'_>, id: i64) -> Result<DelayView> {
    read(&state, move |db| db.delay(id)).await
}

/// Writes 附表1 (one application, or blank with `id` absent) to `path`, chosen in the system's
/// save dialog (which asked before replacing a file). Returns the path.
#[tauri::command]
pub async fn delay_export(
    state: Managed<'_>,
    id: Option<i64>,
    path: String,
) -> Result<crate::api::exports::Exported> {
    read(&state, move |db| {
        let (bytes, note) = crate::api::exports::delay_form_printed(db, id)?;
        crate::excel::save::write_atomic(
            std::path::Path::new(&path),
            &bytes,
            "xlsx",
            crate::excel::save::Existing::Replace,
        )?;
        Ok(crate::api::exports::Exported {
            path,
            count: usize::from(id.is_some()),
            notes: note.into_iter().collect(),
        })
    })
    .await
}

/// Keeps the signed paper of application `id`, read from `path` (picked in the system's open
/// dialog). Returns the requirement as it now stands.
#[tauri::command]
pub async fn delay_attach(state: Managed<'_>, id: i64, path: String) -> Result<Requirement> {
    write(&state, move |db, a| {
        let bytes = std::fs::read(&path)?;
        db.attach_delay_scan(a, id, &path, &bytes)?;
        let number = db.delay(id)?.number;
        db.requirement_on(&number, a.today())
    })
    .await
}

/// An attachment's bytes, raw (the window shows a photo or saves the file).
#[tauri::command]
pub async fn attachment_get(state: Managed<'_>, id: i64) -> Result<tauri::ipc::Response> {
    read(&state, move |db| {
        let (_, bytes) = db.attachment_data(id)?;
        Ok(tauri::ipc::Response::new(bytes))
    })
    .await
}

/// Saves an attachment to `path` (chosen in the system's save dialog).
#[tauri::command]
pub async fn attachment_save(state: Managed<'_>, id: i64, path: String) -> Result<String> {
    read(&state, move |db| {
        let (_, bytes) = db.attachment_data(id)?;
        let out = std::path::Path::new(&path);
        let ext = out
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        crate::excel::save::write_atomic(out, &bytes, &ext, crate::excel::save::Existing::Replace)?;
        Ok(path)
    })
    .await
}
