//! Offline laptops in the window (issue 24): thin commands over `store::sync` and `api::sync`.

use super::bug::{gather, Pasted};
use super::{read, write, Managed};
use crate::api::sync::SyncReport;
use crate::store::{BugInput, RequirementInput, Submission, SyncStatus};
use std::path::PathBuf;

/// What a sync did, with the lines the core says of it (the window shows them as they are).
#[derive(Debug, serde::Serialize)]
pub struct Said {
    lines: Vec<String>,
    #[serde(flatten)]
    report: SyncReport,
}

fn said(report: SyncReport) -> Said {
    Said {
        lines: report.lines(),
        report,
    }
}

/// The menu's counts: 待同步 on a laptop, 待登记 on the department.
#[tauri::command]
pub async fn sync_status(state: Managed<'_>) -> crate::error::Result<SyncStatus> {
    read(&state, |db| db.sync_status()).await
}

/// 待同步: what this laptop recorded and is not settled, and what came back refused.
#[tauri::command]
pub async fn sync_pending(state: Managed<'_>) -> crate::error::Result<Vec<Submission>> {
    read(&state, |db| {
        Ok(db
            .pending()?
            .into_iter()
            .map(crate::store::listed)
            .collect())
    })
    .await
}

/// 待登记: reports and bugs waiting for the collector, and steps that could not be applied.
#[tauri::command]
pub async fn sync_inbox(state: Managed<'_>) -> crate::error::Result<Vec<Submission>> {
    read(&state, |db| {
        Ok(db.inbox()?.into_iter().map(crate::store::listed).collect())
    })
    .await
}

#[tauri::command]
pub async fn sync_submit_requirement(
    state: Managed<'_>,
    input: RequirementInput,
    screenshots: Vec<String>,
    pasted: Option<Vec<Pasted>>,
) -> crate::error::Result<Submission> {
    write(&state, move |db, a| {
        let files = gather(&screenshots, pasted)?;
        let at = input.happened_at.clone();
        db.submit_requirement(a, &input, &files, at.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn sync_submit_bug(
    state: Managed<'_>,
    input: BugInput,
    screenshots: Vec<String>,
    pasted: Option<Vec<Pasted>>,
) -> crate::error::Result<Submission> {
    write(&state, move |db, a| {
        let files = gather(&screenshots, pasted)?;
        let at = input.at.happened_at.clone();
        db.submit_bug(a, &input, &files, at.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn sync_discard(state: Managed<'_>, id: i64) -> crate::error::Result<Submission> {
    write(&state, move |db, a| db.discard(a, id)).await
}

/// Registers a waiting report or bug: its 需求编号 (or Bug number).
#[tauri::command]
pub async fn sync_accept(
    state: Managed<'_>,
    id: i64,
    received: Option<String>,
    at: Option<String>,
) -> crate::error::Result<String> {
    write(&state, move |db, a| {
        db.accept(a, id, received.as_deref(), at.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn sync_decline(
    state: Managed<'_>,
    id: i64,
    reason: String,
) -> crate::error::Result<Submission> {
    write(&state, move |db, a| db.decline(a, id, &reason)).await
}

/// 同步 over the network: `url` the department's shared database.
#[tauri::command]
pub async fn sync_with(state: Managed<'_>, url: String) -> crate::error::Result<Said> {
    write(&state, move |db, a| {
        crate::api::sync::sync_with(db, a, &url).map(said)
    })
    .await
}

/// 写出同步文件 on a laptop.
#[tauri::command]
pub async fn sync_out(state: Managed<'_>, path: String) -> crate::error::Result<Said> {
    write(&state, move |db, a| {
        crate::api::sync::sync_out(db, a, &PathBuf::from(path)).map(said)
    })
    .await
}

/// 导入同步文件: a laptop's file at the department (its reply written to `reply`), or a reply
/// on the laptop.
#[tauri::command]
pub async fn sync_in(
    state: Managed<'_>,
    path: String,
    reply: Option<String>,
) -> crate::error::Result<Said> {
    write(&state, move |db, a| {
        let reply = reply.map(PathBuf::from);
        crate::api::sync::sync_in(db, a, &PathBuf::from(path), reply.as_deref()).map(said)
    })
    .await
}
