//! The import wizard: load files (paths or uploaded bytes) → preview → correct the mapping →
//! commit with progress, or cancel.

use super::{blocking, write};
use crate::app::AppState;
use crate::error::{Error, Result};
use crate::excel::import::{collect, parse, MappingOverride, Parsed, Source};
use crate::store::{ConflictChoices, ConflictPolicy, Db, ImportReport, Watch};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tauri::ipc::Channel;
use tauri::State;

/// A file chosen in the window's file picker.
#[derive(Debug, Deserialize)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

fn parsed_of(state: &AppState) -> Parsed {
    let session = state.import.lock().unwrap_or_else(|p| p.into_inner());
    let mut parsed = parse(&session.sources, &session.overrides);
    parsed.skipped.extend(session.skipped.iter().cloned());
    parsed
}

async fn preview(state: &AppState, choices: ConflictChoices) -> Result<ImportReport> {
    let parsed = parsed_of(state);
    let report = blocking(state, move |db: &mut Db| {
        db.import_preview(&parsed, choices)
    })
    .await?;
    state
        .import
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .expected = report.created + report.updated + report.unchanged;
    Ok(report)
}

/// Loads files and folders (paths) and picked files (bytes), and previews the import.
#[tauri::command]
pub async fn import_load(
    state: State<'_, AppState>,
    paths: Vec<String>,
    uploads: Vec<Upload>,
) -> Result<ImportReport> {
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() && uploads.is_empty() {
        return Err(Error::invalid(
            "paths",
            "请选择要导入的文件，或输入文件/文件夹路径",
        ));
    }
    let (mut sources, skipped) = tauri::async_runtime::spawn_blocking(move || collect(&paths))
        .await
        .map_err(|e| Error::Conflict(format!("后台任务失败：{e}")))?;
    sources.extend(uploads.into_iter().map(|u| Source::new(u.name, u.bytes)));
    *state.import.lock().unwrap_or_else(|p| p.into_inner()) = crate::app::ImportSession {
        sources,
        skipped,
        overrides: Vec::new(),
        expected: 0,
    };
    preview(&state, ConflictPolicy::KeepExisting.into()).await
}

/// Previews again with a corrected column mapping and the conflict choices made so far.
#[tauri::command]
pub async fn import_remap(
    state: State<'_, AppState>,
    overrides: Vec<MappingOverride>,
    choices: ConflictChoices,
) -> Result<ImportReport> {
    state
        .import
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .overrides = overrides;
    preview(&state, choices).await
}

/// Commits the loaded import in one transaction, reporting progress; all or nothing. The
/// files are read again while the records are written (reading and writing overlapped), as
/// `genjin import` does.
#[tauri::command]
pub async fn import_commit(
    state: State<'_, AppState>,
    choices: ConflictChoices,
    on_progress: Channel<Progress>,
) -> Result<ImportReport> {
    let (sources, skipped, overrides, expected) = {
        let session = state.import.lock().unwrap_or_else(|p| p.into_inner());
        (
            session.sources.clone(),
            session.skipped.clone(),
            session.overrides.clone(),
            session.expected,
        )
    };
    if sources.is_empty() {
        return Err(Error::Conflict("没有可导入的内容，请先选择文件".into()));
    }
    let cancel = state.import_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    let report = write(&state, move |db, actor| {
        let watch = Watch {
            expected,
            progress: &mut |done, total| {
                let _ = on_progress.send(Progress { done, total });
            },
            cancel: &cancel,
        };
        db.import_sources(actor, &sources, skipped, &overrides, choices, watch)
    })
    .await?;
    *state.import.lock().unwrap_or_else(|p| p.into_inner()) = Default::default();
    Ok(report)
}

/// Asks a running commit to stop; it rolls back and the database stays as it was.
#[tauri::command]
pub async fn import_cancel(state: State<'_, AppState>) -> Result<()> {
    state.import_cancel.store(true, Ordering::Relaxed);
    Ok(())
}
