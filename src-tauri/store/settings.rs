//! Key/value settings kept in the database (numbering scheme, the operator, …). Which keys
//! people may change, their defaults and checks are declared by the domain modules
//! (`domain::settings`).

use super::history::{record, Change};
use super::{Actor, Db};
use crate::domain::settings as domain_settings;
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, Transaction};

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

    /// The configurable settings (`domain::settings`) with their values in force and meaning.
    pub fn settings(&self) -> Result<Vec<(String, String, String)>> {
        self.setting_entries().map(|v| {
            v.into_iter()
                .map(|(s, value)| (s.key.to_string(), value, s.help.to_string()))
                .collect()
        })
    }

    /// Each declared setting with its value in force.
    pub fn setting_entries(&self) -> Result<Vec<(&'static domain_settings::Setting, String)>> {
        domain_settings::all()
            .map(|s| Ok((s, value(self.conn(), s.key)?)))
            .collect()
    }

    /// Changes one configurable setting after its module's check; the change goes to history.
    pub fn configure(&mut self, actor: &Actor, key: &str, value: &str) -> Result<()> {
        let value = value.trim();
        let Some(spec) = domain_settings::find(key) else {
            return Err(Error::invalid(
                "key",
                format!("未知的设置项“{key}”（运行 genjin settings 查看可用设置）"),
            ));
        };
        (spec.check)(value).map_err(|m| Error::invalid(key, m))?;
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

/// The value in force of a configurable setting (stored, else its declared default); an
/// undeclared key reads as stored, else empty.
pub(crate) fn value(conn: &rusqlite::Connection, key: &str) -> Result<String> {
    Ok(match get(conn, key)? {
        Some(v) => v,
        None => domain_settings::find(key)
            .map(|s| s.default.to_string())
            .unwrap_or_default(),
    })
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
