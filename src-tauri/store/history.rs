//! The change log: every change to a record, who made it, when it happened and when it was
//! recorded. Written in the same transaction as the change itself.

use super::{Actor, Db};
use crate::error::Result;
use crate::store::sql::{params, Conn};
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
    /// The record the row belongs to: `requirement`, `delay`, `bug`, … and its id.
    pub entity: String,
    pub entity_id: i64,
}

pub(crate) struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: i64,
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    /// The record's version this change made (the change engine's edits); `None` for events
    /// and records without versions.
    pub version: Option<i64>,
}

pub(crate) fn record(
    tx: &Conn,
    actor: &Actor,
    happened_at: &str,
    recorded_at: &str,
    c: Change<'_>,
) -> crate::store::sql::Result<()> {
    tx.prepare_cached(
        "INSERT INTO history (entity, entity_id, field, old_value, new_value, actor_id,
                              actor_name, happened_at, recorded_at, origin, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
        actor.origin,
        c.version
    ])?;
    Ok(())
}

const COLUMNS: &str =
    "id, entity, entity_id, field, old_value, new_value, actor_name, happened_at, recorded_at, origin";

fn from_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<HistoryEntry> {
    let entity: String = r.get(1)?;
    let entity_id: i64 = r.get(2)?;
    let field: String = r.get(3)?;
    let old: Option<String> = r.get(4)?;
    let new: Option<String> = r.get(5)?;
    let label = crate::domain::fields::label(&entity, &field);
    Ok(HistoryEntry {
        id: r.get(0)?,
        // a delay application's rows, read with its requirement's, say whose they are
        field_label: if entity == "delay" {
            format!("延期申请#{entity_id} {label}")
        } else {
            label.to_string()
        },
        old_value: old.map(|v| crate::domain::fields::display(&entity, &field, &v)),
        new_value: new.map(|v| crate::domain::fields::display(&entity, &field, &v)),
        field,
        actor: r.get(6)?,
        happened_at: r.get(7)?,
        recorded_at: r.get(8)?,
        origin_label: crate::domain::fields::origin_label(&r.get::<_, String>(9)?),
        origin: r.get(9)?,
        entity,
        entity_id,
    })
}

impl Db {
    /// The history of one record, oldest first, with values shown as people read them.
    pub fn history(&self, entity: &str, entity_id: i64) -> Result<Vec<HistoryEntry>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM history WHERE entity = ?1 AND entity_id = ?2 ORDER BY id"
        ))?;
        let rows = st.query_map(params![entity, entity_id], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A requirement's history together with the rows of its delay applications (filed,
    /// each signature, approval, withdrawal), in the order they were written; a delay's rows
    /// are labelled `延期申请#ID …`.
    pub fn requirement_history(&self, requirement_id: i64) -> Result<Vec<HistoryEntry>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM (
                 SELECT * FROM history WHERE entity = 'requirement' AND entity_id = ?1
                 UNION ALL
                 SELECT * FROM history WHERE entity = 'delay' AND entity_id IN
                     (SELECT id FROM delay_applications WHERE requirement_id = ?1)) h
             ORDER BY id"
        ))?;
        let rows = st.query_map(params![requirement_id], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
