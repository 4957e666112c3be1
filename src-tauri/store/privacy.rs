//! Erasing a person's data on request (issues 13, 19; 个人信息保护法 art. 47).
//!
//! - A requirement: the doctor's name, 医享 account, own words and 需求人 become `已删除`; in its
//!   free text, notices (and whom they were sent to), delay applications (and their sign-off
//!   comments) and linked bugs, that name and account become `已删除` too and phone numbers are
//!   masked.
//! - A bug: the user's name as its notices to the user recorded it (and any names given) becomes
//!   `已删除` in its texts and notices, and phone numbers are masked.
//!
//! In the records and in every history row that held them (the notices' and confirmations'
//! included), and in the search index — whose deleted entries are overwritten, not just marked
//! (FTS5 `secure-delete`) — while the record, its number and its steps stay. One history row
//! says who erased what, when and why. Freed pages are overwritten (`secure_delete`) and the
//! write-ahead log emptied. The backups of this database that have this version's schema are
//! scrubbed the same way; the others are listed, and so is what no program can reach (exports
//! already written, mails sent).

use super::bugs::BUG;
use super::change::{self, REQUIREMENT};
use super::{Actor, Db};
use crate::domain::people::Action;
use crate::domain::privacy::{mask_phones, ERASED, FREE_TEXT_FIELDS, PERSONAL_FIELDS};
use crate::error::{Error, Result};
use crate::store::sql::{params, Conn, OptionalExtension};
use serde::Serialize;

/// What an erasure did, and what it could not reach.
#[derive(Debug, Clone, Serialize)]
pub struct Erasure {
    /// The 需求编号 or Bug number erased.
    pub number: String,
    /// `需求` or `Bug`.
    pub noun: &'static str,
    /// The backups of this database scrubbed the same way.
    pub backups_scrubbed: Vec<String>,
    /// Backups that still hold the data, each with why (an older version's file, unreadable).
    pub backups_left: Vec<String>,
    /// What stays where no program reaches, said to the user.
    pub note: String,
}

/// The record an erasure is about.
#[derive(Clone, Copy)]
enum Target {
    Requirement(i64),
    Bug(i64),
}

fn target(conn: &Conn, number: &str) -> Result<Option<Target>> {
    let req: Option<i64> = conn
        .query_row(
            "SELECT id FROM requirements WHERE number = ?1",
            [number],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = req {
        return Ok(Some(Target::Requirement(id)));
    }
    let bug: Option<i64> = conn
        .query_row("SELECT id FROM bugs WHERE number = ?1", [number], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(bug.map(Target::Bug))
}

/// Names worth scrubbing from text: at least two characters, not already erased.
fn usable(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = names
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| n.chars().count() >= 2 && n != ERASED)
        .collect();
    // the longest first: 郭建国 before 郭建
    out.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    out.dedup();
    out
}

impl Db {
    /// Erases the personal data of requirement `number` (see the module). Errors: `Invalid`
    /// without a reason, `NotFound` for an unknown number, `Forbidden` without the role.
    pub fn erase_personal_data(
        &mut self,
        actor: &Actor,
        number: &str,
        reason: &str,
    ) -> Result<super::Requirement> {
        let done = self.erase(actor, number, reason, &[])?;
        if done.noun != "需求" {
            return Err(Error::NotFound(format!("没有需求编号为 {number} 的需求")));
        }
        self.requirement_on(number, actor.today())
    }

    /// Erases the personal data of a requirement or a bug by its number (see the module), and
    /// of the backups of this database it can reach. `names`: more names to erase from its
    /// texts (the user's, where only the text says it). Errors: `Invalid` without a reason,
    /// `NotFound` for an unknown number, `Forbidden` without the role.
    pub fn erase(
        &mut self,
        actor: &Actor,
        number: &str,
        reason: &str,
        names: &[String],
    ) -> Result<Erasure> {
        self.allow(actor, Action::Erase)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "请写明删除原因（例如：本人要求删除）",
            ));
        }
        let number = number.trim().to_string();
        let Some(what) = target(self.conn(), &number)? else {
            return Err(Error::NotFound(format!("没有编号为 {number} 的需求或 Bug")));
        };
        // the old values' pages are overwritten, not just freed, and the log is emptied after
        self.conn().secure_delete(true)?;
        let done = self.write(|tx| erase_in(tx, what, actor, reason, names));
        self.conn().secure_delete(false)?;
        done?;
        if self.path().is_some() {
            self.conn().checkpoint()?;
        }
        let (backups_scrubbed, backups_left) = self.scrub_backups(actor, &number, reason, names);
        let noun = match what {
            Target::Requirement(_) => "需求",
            Target::Bug(_) => "Bug",
        };
        Ok(Erasure {
            number,
            noun,
            backups_scrubbed,
            backups_left,
            note: format!(
                "已经导出的表格、打印的纸质表、发出的邮件和聊天记录中仍有这些信息，跟进无法删除，请自行处理{}",
                match what {
                    Target::Bug(_) => "；Bug 的截图未改动，如含个人信息请另行处理",
                    Target::Requirement(_) => "",
                }
            ),
        })
    }

    /// Applies the same erasure to every backup of this database that has this version's
    /// schema: (scrubbed, left with why).
    fn scrub_backups(
        &self,
        actor: &Actor,
        number: &str,
        reason: &str,
        names: &[String],
    ) -> (Vec<String>, Vec<String>) {
        let mut scrubbed = Vec::new();
        let mut left = Vec::new();
        for b in self.backups().unwrap_or_default() {
            let shown = b.path.display().to_string();
            match scrub_file(&b.path, actor, number, reason, names) {
                Ok(true) => scrubbed.push(shown),
                Ok(false) => {} // the record was not in it yet
                Err(why) => left.push(format!("{shown}：{why}")),
            }
        }
        (scrubbed, left)
    }
}

/// Erases `number` in the backup at `path` the way the database was: `Ok(false)` when the
/// backup does not hold it; `Err(why)` when it cannot be done (another schema version).
fn scrub_file(
    path: &std::path::Path,
    actor: &Actor,
    number: &str,
    reason: &str,
    names: &[String],
) -> std::result::Result<bool, String> {
    let run = || -> Result<bool> {
        let (conn, version) = crate::store::sql::open_backup_to_scrub(path)?;
        if usize::try_from(version).ok() != Some(super::MIGRATIONS.len()) {
            return Err(Error::Conflict(format!(
                "这是第 {version} 版的备份，未改动；恢复它之后再删除一次即可"
            )));
        }
        conn.secure_delete(true)?;
        let Some(what) = target(&conn, number)? else {
            return Ok(false);
        };
        let tx = conn.begin(crate::store::sql::Begin::Deferred)?;
        erase_in(&conn, what, actor, reason, names)?;
        tx.commit()?;
        Ok(true)
    };
    run().map_err(|e| e.to_string())
}

/// The erasure itself, in the caller's transaction (the database's, or a backup's).
fn erase_in(tx: &Conn, what: Target, actor: &Actor, reason: &str, extra: &[String]) -> Result<()> {
    let now = actor.stamp();
    match what {
        Target::Requirement(id) => {
            // what names the person: their name, account and 需求人 as recorded, whom notices
            // to them were sent to, and any names given
            let mut names: Vec<String> = tx.query_row(
                "SELECT doctor_name, app_account, requester FROM requirements WHERE id = ?1",
                [id],
                |r| Ok(vec![r.get(0)?, r.get(1)?, r.get(2)?]),
            )?;
            names.extend(recipients(tx, "requirement_id", id)?);
            names.extend(extra.iter().cloned());
            let names = usable(names);
            let scrub = |text: &str| -> String { scrub_text(text, &names) };
            // the record: personal fields replaced, free text scrubbed
            for col in PERSONAL_FIELDS {
                tx.execute(
                    &format!("UPDATE requirements SET {col} = ?1 WHERE id = ?2 AND {col} <> ''"),
                    params![ERASED, id],
                )?;
            }
            for col in FREE_TEXT_FIELDS {
                scrub_column(tx, "requirements", col, "id = ?1", id, &scrub)?;
            }
            tx.execute(
                "UPDATE requirements SET version = version + 1, updated_at = ?1 WHERE id = ?2",
                params![now, id],
            )?;
            // every history row of it: the personal fields' values erased, every other value
            // scrubbed (the notices and confirmations recorded there too)
            scrub_history(
                tx,
                "entity = 'requirement' AND entity_id = ?1",
                id,
                &|field, v| {
                    if PERSONAL_FIELDS.contains(&field) {
                        ERASED.to_string()
                    } else {
                        scrub(v)
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
                ("delay_applications", "short_reason", about),
                ("delay_applications", "withdrawn_reason", about),
                ("delay_signoffs", "comment", of_delays),
                // a bug that became this requirement, or was linked to it
                ("bugs", "content", about),
                ("bugs", "steps", about),
                ("bugs", "remark", about),
                ("bugs", "reproduce_note", about),
            ] {
                scrub_column(tx, table, column, rows, id, &scrub)?;
            }
            // the delay applications' and linked bugs' history rows, every value
            for rows in [
                "entity = 'delay' AND entity_id IN
                     (SELECT id FROM delay_applications WHERE requirement_id = ?1)",
                "entity = 'bug' AND entity_id IN (SELECT id FROM bugs WHERE requirement_id = ?1)",
            ] {
                scrub_history(tx, rows, id, &|_, v| scrub(v))?;
            }
            super::search::forget(tx, id)?;
            change::event(
                tx,
                &REQUIREMENT,
                actor,
                id,
                &now,
                ("personal_data_erased", None, Some(reason)),
            )?;
        }
        Target::Bug(id) => {
            let mut names = recipients(tx, "bug_id", id)?;
            names.extend(extra.iter().cloned());
            let names = usable(names);
            let scrub = |text: &str| -> String { scrub_text(text, &names) };
            for col in super::bugs::ERASED_TEXTS {
                scrub_column(tx, "bugs", col, "id = ?1", id, &scrub)?;
            }
            tx.execute(
                "UPDATE bugs SET version = version + 1, updated_at = ?1 WHERE id = ?2",
                params![now, id],
            )?;
            for column in ["message", "recipient"] {
                scrub_column(tx, "notifications", column, "bug_id = ?1", id, &scrub)?;
            }
            scrub_history(tx, "entity = 'bug' AND entity_id = ?1", id, &|_, v| {
                scrub(v)
            })?;
            change::event(
                tx,
                &BUG,
                actor,
                id,
                &now,
                ("personal_data_erased", None, Some(reason)),
            )?;
        }
    }
    Ok(())
}

/// Whom the requester or user was told through (`notifications.recipient`): their names.
fn recipients(tx: &Conn, owner: &str, id: i64) -> Result<Vec<String>> {
    let mut st = tx.prepare(&format!(
        "SELECT recipient FROM notifications
         WHERE {owner} = ?1 AND (audience = 'requester' OR audience = 'user')"
    ))?;
    let out = st
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<crate::store::sql::Result<_>>()?;
    Ok(out)
}

/// `text` with each of `names` replaced by `已删除` and phone numbers masked.
fn scrub_text(text: &str, names: &[String]) -> String {
    let mut t = text.to_string();
    for n in names {
        t = t.replace(n.as_str(), ERASED);
    }
    mask_phones(&t)
}

/// Rewrites the old and new values of the history rows `rows` (a condition on record `id`,
/// `?1`; this module's constants): `clean(field, value)` gives a non-empty value's new text.
fn scrub_history(
    tx: &Conn,
    rows: &str,
    id: i64,
    clean: &dyn Fn(&str, &str) -> String,
) -> Result<()> {
    let mut st = tx.prepare(&format!(
        "SELECT id, field, old_value, new_value FROM history WHERE {rows}"
    ))?;
    let found: Vec<(i64, String, Option<String>, Option<String>)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<crate::store::sql::Result<_>>()?;
    drop(st);
    for (hid, field, old, new) in found {
        let redo = |v: &Option<String>| -> Option<String> {
            match v.as_deref() {
                Some(t) if !t.is_empty() => Some(clean(&field, t)),
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

/// Scrubs `table.column` of the rows `rows` (a condition on record `id`, `?1`) with `scrub`.
/// Table, column and condition are this module's constants.
fn scrub_column(
    tx: &Conn,
    table: &str,
    column: &str,
    rows: &str,
    id: i64,
    scrub: &dyn Fn(&str) -> String,
) -> Result<usize> {
    let mut st = tx.prepare(&format!("SELECT id, {column} FROM {table} WHERE {rows}"))?;
    let rows: Vec<(i64, String)> = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<crate::store::sql::Result<_>>()?;
    drop(st);
    let mut n = 0;
    for (row_id, text) in rows {
        let masked = scrub(&text);
        if masked != text {
            tx.execute(
                &format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2"),
                params![masked, row_id],
            )?;
            n += 1;
        }
    }
    Ok(n)
}
