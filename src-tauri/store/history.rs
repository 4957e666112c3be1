//! The change log: every change to a record, who made it, when it happened and when it was
//! recorded. Written in the same transaction as the change itself.

use super::{Actor, Db};
use crate::error::Result;
use rusqlite::{params, Connection};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub field: String,
    pub field_label: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub actor: String,
    pub happened_at: String,
    pub recorded_at: String,
    pub origin: String,
    /// `origin` as people read it (窗口 / 命令行 / 导入 FILE).
    pub origin_label: String,
}

pub(crate) struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: i64,
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

pub(crate) fn record(
    tx: &Connection,
    actor: &Actor,
    happened_at: &str,
    recorded_at: &str,
    c: Change<'_>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO history (entity, entity_id, field, old_value, new_value, actor_id,
                              actor_name, happened_at, recorded_at, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        c.entity,
        c.entity_id,
        c.field,
        c.old,
        c.new,
        actor.person_id,
        actor.name,
        happened_at,
        recorded_at,
        actor.origin
    ])?;
    Ok(())
}

impl Db {
    /// The history of one record, oldest first, with values shown as people read them.
    pub fn history(&self, entity: &str, entity_id: i64) -> Result<Vec<HistoryEntry>> {
        let mut st = self.conn().prepare_cached(
            "SELECT id, field, old_value, new_value, actor_name, happened_at, recorded_at, origin
             FROM history WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
        )?;
        let rows = st.query_map(params![entity, entity_id], |r| {
            let field: String = r.get(1)?;
            let old: Option<String> = r.get(2)?;
            let new: Option<String> = r.get(3)?;
            Ok(HistoryEntry {
                id: r.get(0)?,
                field_label: crate::domain::fields::label(entity, &field).to_string(),
                old_value: old.map(|v| crate::domain::fields::display(entity, &field, &v)),
                new_value: new.map(|v| crate::domain::fields::display(entity, &field, &v)),
                field,
                actor: r.get(4)?,
                happened_at: r.get(5)?,
                recorded_at: r.get(6)?,
                origin_label: crate::domain::fields::origin_label(&r.get::<_, String>(7)?),
                origin: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
