use super::{read, Managed};
use crate::error::Result;
use crate::store::{RegisterPage, RegisterQuery};

#[tauri::command]
pub async fn register_query(state: Managed<'_>, query: RegisterQuery) -> Result<RegisterPage> {
    read(&state, move |db| {
        let q = RegisterQuery {
            limit: Some(query.limit.unwrap_or(50).clamp(1, 500)),
            ..query
        };
        db.register(&q, crate::clock::today())
    })
    .await
}

#[tauri::command]
pub async fn register_reporters(state: Managed<'_>) -> Result<Vec<String>> {
    read(&state, |db| db.reporters()).await
}

/// Writes 附表3 of the register as filtered in the window (every page) to `path`, chosen in the
/// save dialog, reporting progress as rows are written.
#[tauri::command]
pub async fn register_export(
    state: Managed<'_>,
    query: RegisterQuery,
    path: String,
    on_progress: tauri::ipc::Channel<super::import::Progress>,
) -> Result<crate::api::exports::Exported> {
    read(&state, move |db| {
        crate::api::exports::register(
            db,
            &query,
            crate::clock::today(),
            std::path::Path::new(&path),
            crate::excel::save::Existing::Replace,
            &mut |done, total| {
                let _ = on_progress.send(super::import::Progress { done, total });
            },
        )
    })
    .await
}
