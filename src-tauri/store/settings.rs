//! Key/value settings kept in the database (numbering scheme, the operator, …).

use super::Db;
use crate::error::Result;
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
