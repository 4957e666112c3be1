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
