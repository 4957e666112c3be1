use super::{read, write, Managed};
use crate::error::Result;
use crate::store::{
    DecisionInput, DeliveryInput, HistoryEntry, ItAcceptanceInput, NewNotification,
    NotificationDue, NotificationRecord, PlanInput, Requirement, RequirementInput, StepTime,
};

#[tauri::command]
pub async fn requirement_create(
    state: Managed<'_>,
    input: RequirementInput,
) -> Result<Requirement> {
    write(&state, move |db, a| db.create_requirement(a, &input)).await
}

#[tauri::command]
pub async fn requirement_get(state: Managed<'_>, number: String) -> Result<Requirement> {
    let today = crate::clock::today();
    let signed = state.signed_in.clone();
    read(&state, move |db| {
        let mut r = db.requirement_on(&number, today)?;
        // the steps this operator's roles do not allow are shown closed, with why
        if let Some(roles) = super::operator_roles(db, &signed)? {
            r.steps.limit_to(&roles);
        }
        // whom a step recorded on someone's behalf may name (issue 19)
        let me = super::current_operator(db, &signed);
        db.with_doers(&mut r, me.as_ref())?;
        Ok(r)
    })
    .await
}

#[tauri::command]
pub async fn requirement_update(
    state: Managed<'_>,
    number: String,
    input: RequirementInput,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        db.update_requirement(a, &number, &input)
    })
    .await
}

#[tauri::command]
pub async fn requirement_decide(
    state: Managed<'_>,
    number: String,
    input: DecisionInput,
) -> Result<Requirement> {
    write(&state, move |db, a| db.record_decision(a, &number, &input)).await
}

#[tauri::command]
pub async fn requirement_plan(
    state: Managed<'_>,
    number: String,
    input: PlanInput,
) -> Result<Requirement> {
    write(&state, move |db, a| db.record_plan(a, &number, &input)).await
}

/// Who answers for the requirement's steps (`Db::set_responsible`).
#[tauri::command]
pub async fn requirement_responsible(
    state: Managed<'_>,
    number: String,
    input: crate::store::ResponsibleInput,
) -> Result<Requirement> {
    write(&state, move |db, a| db.set_responsible(a, &number, &input)).await
}

#[tauri::command]
pub async fn requirement_it_acceptance(
    state: Managed<'_>,
    number: String,
    input: ItAcceptanceInput,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        db.record_it_acceptance(a, &number, &input)
    })
    .await
}

#[tauri::command]
pub async fn requirement_expect(
    state: Managed<'_>,
    number: String,
    input: DeliveryInput,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        db.record_expected_delivery(a, &number, &input)
    })
    .await
}

#[tauri::command]
pub async fn requirement_complete(
    state: Managed<'_>,
    number: String,
    input: DeliveryInput,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        db.record_completion(a, &number, &input)
    })
    .await
}

#[tauri::command]
pub async fn requirement_withdraw(
    state: Managed<'_>,
    number: String,
    reason: String,
    at: StepTime,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        db.withdraw_requirement(a, &number, &reason, &at)
    })
    .await
}

/// Erases the personal data of a requirement or a bug on request (PIPL; `Db::erase`), in the
/// backups it reaches too: what was done and what is left.
#[tauri::command]
pub async fn personal_data_erase(
    state: Managed<'_>,
    number: String,
    reason: String,
    names: Option<Vec<String>>,
) -> Result<crate::store::Erasure> {
    write(&state, move |db, a| {
        db.erase(a, &number, &reason, &names.unwrap_or_default())
    })
    .await
}

#[tauri::command]
pub async fn requirement_restore(
    state: Managed<'_>,
    number: String,
    at: StepTime,
) -> Result<Requirement> {
    write(&state, move |db, a| db.restore_requirement(a, &number, &at)).await
}

#[tauri::command]
pub async fn requirement_history(state: Managed<'_>, number: String) -> Result<Vec<HistoryEntry>> {
    read(&state, move |db| {
        let r = db.requirement(&number)?;
        db.requirement_history(r.id)
    })
    .await
}

#[tauri::command]
pub async fn notification_list(state: Managed<'_>, number: String) -> Result<Vec<NotificationDue>> {
    read(&state, move |db| db.notifications(&number)).await
}

#[tauri::command]
pub async fn notification_record(
    state: Managed<'_>,
    number: String,
    input: NewNotification,
) -> Result<NotificationRecord> {
    write(&state, move |db, a| {
        db.record_notification(a, &number, &input)
    })
    .await
}

/// One notice of a batch: which requirement, which step, to whom.
#[derive(Debug, serde::Deserialize)]
pub struct BatchItem {
    number: String,
    step: crate::domain::notify::Step,
    audience: crate::domain::notify::Audience,
    #[serde(default)]
    recipient: String,
}

/// The notices owed now (the 批量通知 page): to `recipient` when given, at most `limit`.
#[tauri::command]
pub async fn notices_owed(
    state: Managed<'_>,
    recipient: Option<String>,
    limit: Option<usize>,
) -> Result<crate::store::OwedNotices> {
    read(&state, move |db| {
        db.owed_notices(
            crate::clock::now().naive_local(),
            recipient.as_deref(),
            limit.unwrap_or(200),
        )
    })
    .await
}

/// Records the same notice (channel, time, confirmed) for several requirements or recipients
/// at once, all or none (issue 20).
#[tauri::command]
pub async fn notifications_record_many(
    state: Managed<'_>,
    items: Vec<BatchItem>,
    channel: String,
    sent_at: Option<String>,
    confirmed: bool,
) -> Result<Vec<NotificationRecord>> {
    write(&state, move |db, a| {
        let batch: Vec<(String, NewNotification)> = items
            .into_iter()
            .map(|i| {
                (
                    i.number,
                    NewNotification {
                        step: i.step,
                        audience: i.audience,
                        recipient: i.recipient,
                        channel: channel.clone(),
                        message: String::new(),
                        sent_at: sent_at.clone(),
                        confirmed,
                    },
                )
            })
            .collect();
        db.record_notifications(a, &batch)
    })
    .await
}

#[tauri::command]
pub async fn notification_confirm(
    state: Managed<'_>,
    id: i64,
    confirmed_at: Option<String>,
) -> Result<NotificationRecord> {
    write(&state, move |db, a| {
        db.confirm_notification(a, id, confirmed_at.as_deref())
    })
    .await
}

/// Keeps screenshots with requirement `number` (issue 20): `screenshots` picked in the system's
/// open dialog, `pasted` from the clipboard. Returns the requirement as it now stands.
#[tauri::command]
pub async fn requirement_attach(
    state: Managed<'_>,
    number: String,
    screenshots: Vec<String>,
    pasted: Option<Vec<super::bug::Pasted>>,
) -> Result<Requirement> {
    write(&state, move |db, a| {
        let files = super::bug::gather(&screenshots, pasted)?;
        db.attach_to_requirement(a, &number, &files)?;
        db.requirement_on(&number, a.today())
    })
    .await
}

/// Writes 附表2 of requirement `number` (or blank, `None`) to `path`, chosen in the save dialog.
#[tauri::command]
pub async fn report_form_export(
    state: Managed<'_>,
    number: Option<String>,
    path: String,
) -> Result<crate::api::exports::Exported> {
    read(&state, move |db| {
        crate::api::exports::report_form(
            db,
            number.as_deref(),
            std::path::Path::new(&path),
            crate::excel::save::Existing::Replace,
        )
    })
    .await
}
