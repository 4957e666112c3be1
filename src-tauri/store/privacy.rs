//! Erasing a person's data on request (issue 13; 个人信息保护法 art. 47): a requirement's
//! doctor's name, 医享 account and own words become `已删除`, phone numbers in its free text,
//! notices and delay applications are masked — in the record and in every history row that held
//! them, and in the search index — while the record, its number and its steps stay. One history
//! row says who erased what, when and why.

use super::change::{self, REQUIREMENT};
use super::{Actor, Db};
use crate::domain::people::Action;
use crate::domain::privacy::{mask_phones, ERASED, FREE_TEXT_FIELDS, PERSONAL_FIELDS};
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};

impl Db {
    /// Erases the personal data of requirement `number` (see the module). Errors: `Invalid`
    /// without a reason, `NotFound` for an unknown number, `Forbidden` without the role.
    pub fn erase_personal_data(
        &mut self,
        actor: &Actor,
        number: &str,
        reason: &str,
    ) -> Result<super::Requirement> {
        self.allow(actor, Action::Erase)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "请写明删除原因（例如：本人要求删除）",
            ));
        }
        let number = number.trim().to_string();
        let now = actor.stamp();
        self.write(|tx| {
            let id: i64 = tx
                .query_row(
                    "SELECT id FROM requirements WHERE number = ?1",
                    [&number],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("没有需求编号为 {number} 的需求")))?;
            // the record: personal fields replaced, phone numbers in free text masked
            for col in PERSONAL_FIELDS {
                tx.execute(
                    &format!("UPDATE requirements SET {col} = ?1 WHERE id = ?2 AND {col} <> ''"),
                    params![ERASED, id],
                )?;
            }
            for col in FREE_TEXT_FIELDS {
                let text: String = tx.query_row(
                    &format!("SELECT {col} FROM requirements WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )?;
                let masked = mask_phones(&text);
                if masked != text {
                    tx.execute(
                        &format!("UPDATE requirements SET {col} = ?1 WHERE id = ?2"),
                        params![masked, id],
                    )?;
                }
            }
            tx.execute(
                "UPDATE requirements SET version = version + 1, updated_at = ?1 WHERE id = ?2",
                params![now, id],
            )?;
            // the history that held them
            let mut st = tx.prepare(
                "SELECT id, field, old_value, new_value FROM history
                 WHERE entity = 'requirement' AND entity_id = ?1",
            )?;
            let rows: Vec<(i64, String, Option<String>, Option<String>)> = st
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            drop(st);
            for (hid, field, old, new) in rows {
                let scrub = |v: Option<String>| -> Option<String> {
                    v.map(|v| {
                        if v.is_empty() {
                            v
                        } else if PERSONAL_FIELDS.contains(&field.as_str()) {
                            ERASED.to_string()
                        } else {
                            mask_phones(&v)
                        }
                    })
                };
                let (o, n) = (scrub(old.clone()), scrub(new.clone()));
                if (o.clone(), n.clone()) != (old, new) {
                    tx.execute(
                        "UPDATE history SET old_value = ?1, new_value = ?2 WHERE id = ?3",
                        params![o, n, hid],
                    )?;
                }
            }
            // what else was written about it: notices and delay applications
            mask_column(tx, "notifications", "message", "requirement_id", id)?;
            mask_column(tx, "delay_applications", "overview", "requirement_id", id)?;
            mask_column(tx, "delay_applications", "reason", "requirement_id", id)?;
            super::search::after_change(tx, id, PERSONAL_FIELDS)?;
            super::search::after_change(tx, id, FREE_TEXT_FIELDS)?;
            change::event(
                tx,
                &REQUIREMENT,
                actor,
                id,
                &now,
                ("personal_data_erased", None, Some(reason)),
            )?;
            Ok(())
        })?;
        self.requirement_on(&number, actor.today())
    }
}

/// Masks the phone numbers in `table.column` of the rows whose `key` is `id`.
fn mask_column(
    tx: &rusqlite::Transaction,
    table: &str,
    column: &str,
    key: &str,
    id: i64,
) -> Result<usize> {
    let mut st = tx.prepare(&format!(
        "SELECT rowid, {column} FROM {table} WHERE {key} = ?1"
    ))?;
    let rows: Vec<(i64, String)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(st);
    let mut n = 0;
    for (rowid, text) in rows {
        let masked = mask_phones(&text);
        if masked != text {
            tx.execute(
                &format!("UPDATE {table} SET {column} = ?1 WHERE rowid = ?2"),
                params![masked, rowid],
            )?;
            n += 1;
        }
    }
    Ok(n)
}
