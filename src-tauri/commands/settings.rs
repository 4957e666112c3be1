//! 设置: the configurable settings (declared by the domain modules) and the working-day
//! calendar's holidays and make-up workdays.

use super::{read, write, Managed};
use crate::domain::calendar::DayKind;
use crate::error::Result;
use crate::store::{BackupFile, CalendarDay};
use serde::Serialize;

#[derive(Serialize)]
pub struct SettingView {
    key: &'static str,
    /// What it is called, and the group it is shown in (`domain::settings::presentation`).
    name: &'static str,
    group: &'static str,
    /// Who may change it, when the operator may not (shown disabled); `None`: editable.
    locked: Option<String>,
    value: String,
    /// What the value is called, for a closed list (`工作日`); else the value.
    value_label: String,
    help: &'static str,
    choices: Vec<Choice>,
}

#[derive(Serialize)]
pub struct Choice {
    value: &'static str,
    label: &'static str,
}

#[tauri::command]
pub async fn setting_list(state: Managed<'_>) -> Result<Vec<SettingView>> {
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let me = super::current_operator(db, &signed);
        let mut out = Vec::new();
        for (s, value) in db.setting_entries()? {
            let (group, name) = crate::domain::settings::presentation(s.key);
            out.push(SettingView {
                key: s.key,
                name,
                group,
                locked: db.setting_lock(me.as_ref(), s.key)?,
                value_label: s
                    .choices
                    .iter()
                    .find(|(v, _)| *v == value)
                    .map(|(_, l)| l.to_string())
                    .unwrap_or_else(|| value.clone()),
                value,
                help: s.help,
                choices: s
                    .choices
                    .iter()
                    .map(|&(value, label)| Choice { value, label })
                    .collect(),
            });
        }
        // shown by group, in the groups' order (the domain's)
        let groups = crate::domain::settings::GROUPS;
        out.sort_by_key(|v| {
            groups
                .iter()
                .position(|g| *g == v.group)
                .unwrap_or(groups.len())
        });
        Ok(out)
    })
    .await
}

#[tauri::command]
pub async fn setting_set(state: Managed<'_>, key: String, value: String) -> Result<()> {
    write(&state, move |db, a| db.configure(a, &key, &value)).await
}

#[tauri::command]
pub async fn calendar_list(state: Managed<'_>) -> Result<Vec<CalendarDay>> {
    read(&state, |db| db.calendar_days()).await
}

#[tauri::command]
pub async fn calendar_set(
    state: Managed<'_>,
    day: String,
    kind: DayKind,
    name: String,
    confirmed: Option<bool>,
) -> Result<CalendarDay> {
    write(&state, move |db, a| {
        db.set_calendar_day(a, &day, kind, &name, confirmed.unwrap_or(false))
    })
    .await
}

/// What a pasted holiday notice would list (issue 20); writes nothing.
#[tauri::command]
pub async fn calendar_preview(
    state: Managed<'_>,
    text: String,
) -> Result<crate::store::CalendarPreview> {
    read(&state, move |db| db.calendar_preview(&text)).await
}

/// Lists every day of a pasted holiday notice, all or none.
#[tauri::command]
pub async fn calendar_paste(state: Managed<'_>, text: String) -> Result<usize> {
    write(&state, move |db, a| db.calendar_paste(a, &text)).await
}

#[tauri::command]
pub async fn calendar_remove(state: Managed<'_>, day: String) -> Result<()> {
    write(&state, move |db, a| db.remove_calendar_day(a, &day)).await
}

/// An editable list with every value, hidden ones too.
#[derive(serde::Serialize)]
pub struct ListView {
    code: &'static str,
    label: &'static str,
    items: Vec<ListItem>,
}

#[derive(serde::Serialize)]
pub struct ListItem {
    value: String,
    shown: bool,
}

/// Every editable list (`domain::settings::LISTS`) with its values.
#[tauri::command]
pub async fn list_all(state: Managed<'_>) -> Result<Vec<ListView>> {
    read(&state, |db| {
        crate::domain::settings::LISTS
            .iter()
            .map(|&(code, label)| {
                Ok(ListView {
                    code,
                    label,
                    items: db
                        .list_all(code)?
                        .into_iter()
                        .map(|(value, shown)| ListItem { value, shown })
                        .collect(),
                })
            })
            .collect()
    })
    .await
}

#[tauri::command]
pub async fn list_add(state: Managed<'_>, list: String, value: String) -> Result<()> {
    write(&state, move |db, a| db.add_list_item(a, &list, &value)).await
}

#[tauri::command]
pub async fn list_hide(state: Managed<'_>, list: String, value: String) -> Result<()> {
    write(&state, move |db, a| db.hide_list_item(a, &list, &value)).await
}

/// 备份与恢复: the backups beside the database, newest first.
#[tauri::command]
pub async fn backup_list(state: Managed<'_>) -> Result<Vec<BackupFile>> {
    read(&state, |db| db.backups()).await
}

/// A backup now, into the backups folder: its path.
#[tauri::command]
pub async fn backup_now(state: Managed<'_>) -> Result<String> {
    write(&state, |db, a| {
        Ok(db
            .backup_as(a, None)?
            .map(|p| p.display().to_string())
            .unwrap_or_default())
    })
    .await
}

/// Restores the backup at `path` (checked first; the current database backed up before): the
/// path of that safety backup.
#[tauri::command]
pub async fn backup_restore(state: Managed<'_>, path: String) -> Result<String> {
    let signed = state.signed_in.clone();
    write(&state, move |db, a| {
        let restored = db
            .restore_from(a, std::path::Path::new(&path))?
            .display()
            .to_string();
        // the restored people list may differ: whoever was signed in signs in again; one
        // named in this window without a password (a shared database without passwords yet)
        // goes on when the restored list has them, active, and still asks no password
        let kept = match super::signed_in(&signed) {
            Some(o) if !o.password => {
                // (the restore is done: a doubt here asks again rather than fail it)
                !db.sign_in_required().unwrap_or(true)
                    && db.person(o.id).is_ok_and(|p| p.active && p.name == a.name)
            }
            _ => false,
        };
        if !kept {
            *signed.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        Ok(restored)
    })
    .await
}

/// The day's backup while the window stays open across days (the window asks every minute;
/// `Db::daily_backup` takes it once a day). Returns whether one was taken.
#[tauri::command]
pub async fn backup_daily(state: Managed<'_>) -> Result<bool> {
    super::blocking(&state, |db| {
        Ok(db.daily_backup(crate::clock::now())?.is_some())
    })
    .await
}
