//! Erasing a person's data on request (issue 13; 个人信息保护法 art. 47): a requirement's
//! doctor's name, 医享 account, own words and 需求人 become `已删除`; in its free text, notices,
//! delay applications (and their sign-off comments) and linked bugs that name and account
//! become `已删除` too and phone numbers are masked — in the records and in every history row
//! that held them, and in the search index — while the record, its number and its steps stay.
//! One history row says who erased what, when and why. Freed pages are overwritten
//! (`secure_delete`) and the write-ahead log emptied; backups taken before keep the old values
//! until they are pruned (said in the window).

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
        // the old values' pages are overwritten, not just freed, and the log is emptied after
        self.conn().pragma_update(None, "secure_delete", "ON")?;
        let done = self.write(|tx| {
            let id: i64 = tx
                .query_row(
                    "SELECT id FROM requirements WHERE number = ?1",
                    [&number],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("没有需求编号为 {number} 的需求")))?;
            // what names the person in free text: their name, account and 需求人 as recorded
            let names: Vec<String> = tx.query_row(
                "SELECT doctor_name, app_account, requester FROM requirements WHERE id = ?1",
                [id],
                |r| {
                    Ok(vec![
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ])
                },
            )?;
            let names: Vec<String> = names
                .into_iter()
                .map(|n| n.trim().to_string())
                .filter(|n| n.chars().count() >= 2 && n != ERASED)
                .collect();
            let scrub = |text: &str| -> String {
                let mut t = text.to_string();
                for n in &names {
                    t = t.replace(n.as_str(), ERASED);
                }
                mask_phones(&t)
            };
            // the record: personal fields replaced, free text scrubbed
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
                let masked = scrub(&text);
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
            // the history that held them: only those fields (a 需求编号 in a `created` row is
            // no phone number)
            scrub_history(
                tx,
                "entity = 'requirement' AND entity_id = ?1",
                id,
                &|field, v| {
                    if PERSONAL_FIELDS.contains(&field) {
                        Some(ERASED.to_string())
                    } else if FREE_TEXT_FIELDS.contains(&field) {
                        Some(scrub(v))
                    } else {
                        None
                    }
                },
            )?;
            // what else was written about it: notices and delay applications
            let about = "requirement_id = ?1";
            let of_delays =
                "delay_id IN (SELECT id FROM delay_applications WHERE requirement_id = ?1)";
            for (table, column, rows) in [
                ("notifications", "message", about),
                ("notifications", "recipient", about),
                ("delay_applications", "overview", about),
                ("delay_applications", "reason", about),
                ("delay_applications", "withdrawn_reason", about),
                ("delay_signoffs", "comment", of_delays),
                // a bug that became this requirement, or was linked to it
                ("bugs", "content", about),
                ("bugs", "steps", about),
                ("bugs", "remark", about),
            ] {
                scrub_column(tx, table, column, rows, id, &scrub)?;
            }
            // the delay applications' and linked bugs' history rows, every value
            for rows in [
                "entity = 'delay' AND entity_id IN
                     (SELECT id FROM delay_applications WHERE requirement_id = ?1)",
                "entity = 'bug' AND entity_id IN (SELECT id FROM bugs WHERE requirement_id = ?1)",
            ] {
                scrub_history(tx, rows, id, &|_, v| Some(scrub(v)))?;
            }
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
        });
        self.conn().pragma_update(None, "secure_delete", "OFF")?;
        done?;
        if self.path().is_some() {
            self.conn()
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        self.requirement_on(&number, actor.today())
    }
}

/// Rewrites the old and new values of the history rows `rows` (a condition on requirement `id`,
/// `?1`; this module's constants): `clean(field, value)` gives a non-empty value's new text, or
/// `None` to leave the field's values as they are.
fn scrub_history(
    tx: &rusqlite::Transaction,
    rows: &str,
    id: i64,
    clean: &dyn Fn(&str, &str) -> Option<String>,
) -> Result<()> {
    let mut st = tx.prepare(&format!(
        "SELECT id, field, old_value, new_value FROM history WHERE {rows}"
    ))?;
    let found: Vec<(i64, String, Option<String>, Option<String>)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(st);
    for (hid, field, old, new) in found {
        let redo = |v: &Option<String>| -> Option<String> {
            match v.as_deref() {
                Some(t) if !t.is_empty() => clean(&field, t).or_else(|| v.clone()),
                _ => v.clone(),
            }
        };
        let (o, n) = (redo(&old), redo(&new));
        if (&o, &n) != (&old, &new) {
            tx.execute(
                "UPDATE history SET old_value = ?1, new_value = ?2 WHERE id = ?3",
                params![o, n, hid],
            )?;
        }
    }
    Ok(())
}

/// Scrubs `table.column` of the rows `rows` (a condition on requirement `id`, `?1`) with
/// `scrub`. Table, column and condition are this module's constants.
fn scrub_column(
    tx: &rusqlite::Transaction,
    table: &str,
    column: &str,
    rows: &str,
    id: i64,
    scrub: &dyn Fn(&str) -> String,
) -> Result<usize> {
    let mut st = tx.prepare(&format!("SELECT rowid, {column} FROM {table} WHERE {rows}"))?;
    let rows: Vec<(i64, String)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    drop(st);
    let mut n = 0;
    for (rowid, text) in rows {
        let masked = scrub(&text);
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
