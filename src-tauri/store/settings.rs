//! Key/value settings kept in the database (numbering scheme, the operator, …).

use super::history::{record, Change};
use super::{Actor, Db};
use crate::domain::numbering::Scheme;
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, Transaction};

/// The settings people may change, with what each means.
pub const CONFIGURABLE: &[(&str, &str)] = &[
    (
        "numbering.requirement.scheme",
        "需求编号规则：YYMMDDNN（每天两位序号）或 YYYYMM-NNN（每月三位序号）",
    ),
    (
        "numbering.requirement.prefix",
        "需求编号前缀（可为空，最多 4 个字母）",
    ),
    (
        "numbering.bug.scheme",
        "Bug 编号规则：YYMMDDNN 或 YYYYMM-NNN",
    ),
    (
        "numbering.bug.prefix",
        "Bug 编号前缀（最多 4 个字母，例如 B）",
    ),
];

impl Db {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(get(self.conn(), key)?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            set(tx, key, value)?;
            Ok(())
        })
    }

    /// The configurable settings with their current values and meaning.
    pub fn settings(&self) -> Result<Vec<(String, String, String)>> {
        CONFIGURABLE
            .iter()
            .map(|(k, help)| {
                Ok((
                    k.to_string(),
                    get(self.conn(), k)?.unwrap_or_default(),
                    help.to_string(),
                ))
            })
            .collect()
    }

    /// Changes one configurable setting after checking its value; the change goes to history.
    pub fn configure(&mut self, actor: &Actor, key: &str, value: &str) -> Result<()> {
        let value = value.trim();
        match key {
            "numbering.requirement.scheme" | "numbering.bug.scheme" => {
                if Scheme::from_code(value).is_none() {
                    return Err(Error::invalid(
                        key,
                        format!("编号规则只能是 YYMMDDNN 或 YYYYMM-NNN，不能是“{value}”"),
                    ));
                }
            }
            "numbering.requirement.prefix" | "numbering.bug.prefix" => {
                if value.chars().count() > 4 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(Error::invalid(
                        key,
                        format!("编号前缀只能是最多 4 个英文字母，不能是“{value}”"),
                    ));
                }
                if key == "numbering.bug.prefix" && value.is_empty() {
                    return Err(Error::invalid(
                        key,
                        "Bug 编号必须有前缀，以免与需求编号混淆",
                    ));
                }
            }
            _ => {
                return Err(Error::invalid(
                    "key",
                    format!("未知的设置项“{key}”（运行 genjin settings 查看可用设置）"),
                ))
            }
        }
        let now = actor.stamp();
        self.write(|tx| {
            let old = get(tx, key)?;
            set(tx, key, value)?;
            record(
                tx,
                actor,
                &now,
                &now,
                Change {
                    entity: "setting",
                    entity_id: 0,
                    field: key,
                    old: old.as_deref(),
                    new: Some(value),
                },
            )?;
            Ok(())
        })
    }

    /// The values of one editable list (`source`, `department`, `bug_type`, …), in order.
    pub fn list_items(&self, list: &str) -> Result<Vec<String>> {
        let mut st = self.conn().prepare_cached(
            "SELECT value FROM list_items WHERE list = ?1 AND active = 1 ORDER BY sort, value",
        )?;
        let rows = st.query_map([list], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

pub(crate) fn get(conn: &rusqlite::Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

pub(crate) fn set(tx: &Transaction, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
