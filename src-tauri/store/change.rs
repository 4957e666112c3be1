//! The change engine: every edit of a record that keeps history goes through [`apply`].
//!
//! In the caller's transaction it checks the version the user saw (optimistic locking), reads the
//! current values of the columns the edit names in one statement, writes only the columns that
//! really change (bumping `version` and `updated_at`), and writes one `history` row per changed
//! field with when it happened (`happened_at`, may be in the past) and when it was recorded
//! (the actor's `now`). Requirements and people use it; delay applications and bugs will use it
//! unchanged, each described by an [`Entity`]: its table, its history code and how people call
//! one of its records.

use super::history::{record, Change};
use super::Actor;
use crate::error::{Error, Result, Stale, StaleChange};
use crate::store::sql::Value;
use crate::store::sql::{Conn, OptionalExtension};

/// What runs after a record changed: (connection, id, the changed columns).
pub(crate) type AfterChange = fn(&Conn, i64, &[&'static str]) -> Result<()>;

/// A kind of record with history. Its table has `id`, `version` and `updated_at` columns.
#[derive(Clone, Copy)]
pub(crate) struct Entity {
    /// The SQL table.
    pub table: &'static str,
    /// Its code in `history.entity` (and in `domain::fields` for the field labels).
    pub code: &'static str,
    /// How people call one record, in messages: `需求`, `延期申请`, `Bug`.
    pub noun: &'static str,
    /// Run in the same transaction after a record's columns changed (id, changed columns):
    /// what is kept beside the table in step with it (the search index).
    pub after_change: Option<AfterChange>,
}

pub(crate) const REQUIREMENT: Entity = Entity {
    table: "requirements",
    code: "requirement",
    noun: "需求",
    after_change: Some(super::search::after_change),
};

pub(crate) const PERSON: Entity = Entity {
    table: "people",
    code: "person",
    noun: "人员",
    after_change: None,
};

/// One edit of one record.
pub(crate) struct Edit<'a> {
    pub id: i64,
    /// How the record is named in messages: its number (`14061901`) or id.
    pub name: &'a str,
    /// The version the user saw; `None` skips the check (the command line, imports).
    pub seen_version: Option<i64>,
    /// When it happened (RFC 3339); the actor's `now` is when it is recorded.
    pub happened_at: &'a str,
    /// The new values, by column. Values equal to the stored ones are left alone.
    pub values: Vec<(&'static str, Value)>,
    /// History field codes for columns whose change is an event (`withdrawn_at` → `withdrawn`);
    /// `None` writes no history row for that column (it travels with the event's row).
    pub events: &'a [(&'static str, Option<&'static str>)],
}

/// The stored version of a record matches what the user saw, or the edit is refused — saying
/// who changed what since (issue 22: the history rows of the versions made since `seen`), so
/// the window can show the current values beside what the user typed.
pub(crate) fn check_version(
    conn: &Conn,
    entity: &Entity,
    id: i64,
    name: &str,
    current: i64,
    seen: Option<i64>,
) -> Result<()> {
    let Some(v) = seen.filter(|v| *v != current) else {
        return Ok(());
    };
    let mut st = conn.prepare_cached(
        "SELECT field, old_value, new_value, actor_name, recorded_at, version FROM history
         WHERE entity = ?1 AND entity_id = ?2 AND version > ?3 ORDER BY id",
    )?;
    type Row = (String, Option<String>, Option<String>, String, String, i64);
    let rows: Vec<Row> = st
        .query_map(crate::store::sql::params![entity.code, id, v], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<std::result::Result<_, _>>()?;
    // every version since the one seen must have its rows (an erasure, or a change written
    // before versions were kept, moves it without them): else the values the user saw are
    // unknown, and their save is not offered on top of the others' (it could write back what
    // was erased)
    let made: std::collections::HashSet<i64> = rows.iter().map(|r| r.5).collect();
    if made.len() as i64 != current - v {
        return Err(Error::Conflict(format!(
            "{} {name} 已被他人修改（你看到的是第 {v} 版，现在是第 {current} 版），请刷新后再操作",
            entity.noun
        )));
    }
    let show = |field: &str, v: &Option<String>| {
        v.as_deref()
            .map(|x| crate::domain::fields::display(entity.code, field, x))
    };
    // one line a field: what it was when the user looked, what it is now, who changed it last;
    // and one clause a save for the message: 张三 2026-12-05 10:30 改了 需求梗概、需求人
    let mut changes: Vec<StaleChange> = Vec::new();
    let mut said: Vec<String> = Vec::new();
    let mut last: Option<(String, String)> = None;
    for (field, old, new, by, at, _) in rows {
        let at: String = at.chars().take(16).collect::<String>().replace('T', " ");
        let label = crate::domain::fields::label(entity.code, &field).to_string();
        let save = Some((by.clone(), at.clone()));
        match said.last_mut() {
            Some(s) if last == save => {
                s.push('、');
                s.push_str(&label);
            }
            _ => said.push(format!("{by} {at} 改了 {label}")),
        }
        last = save;
        match changes.iter_mut().find(|c| c.field == field) {
            Some(c) => {
                c.now = show(&field, &new);
                c.now_raw = new;
                c.by = by;
                c.at = at;
            }
            None => changes.push(StaleChange {
                before: show(&field, &old),
                now: show(&field, &new),
                before_raw: old,
                now_raw: new,
                label,
                field,
                by,
                at,
            }),
        }
    }
    let meanwhile = if said.is_empty() {
        String::new()
    } else {
        format!("：{}", said.join("；"))
    };
    Err(Error::Stale(Box::new(Stale {
        message: format!(
            "{} {name} 已被他人修改（你看到的是第 {v} 版，现在是第 {current} 版）{meanwhile}。请查看后再保存",
            entity.noun
        ),
        version: current,
        changes,
    })))
}

/// Applies `edit` to one record of `entity` inside the caller's transaction. Returns the
/// columns that changed (empty: nothing was written, not even the version).
///
/// Errors: `NotFound` when the record is gone, `Conflict` on a stale version, `Database` when a
/// constraint of the table refuses the new row.
pub(crate) fn apply(
    conn: &Conn,
    entity: &Entity,
    actor: &Actor,
    edit: Edit<'_>,
) -> Result<Vec<&'static str>> {
    let Edit {
        id,
        name,
        seen_version,
        happened_at,
        values,
        events,
    } = edit;
    let columns: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
    let select = if columns.is_empty() {
        String::new()
    } else {
        format!(", {}", columns.join(", "))
    };
    let stored: Option<Vec<Value>> = conn
        .prepare_cached(&format!(
            "SELECT version{select} FROM {} WHERE id = ?1",
            entity.table
        ))?
        .query_row([id], |r| {
            (0..=columns.len()).map(|i| r.get::<_, Value>(i)).collect()
        })
        .optional()?;
    let stored = stored.ok_or_else(|| Error::NotFound(format!("找不到{} {name}", entity.noun)))?;
    let current = match stored.first() {
        Some(Value::Integer(v)) => *v,
        _ => 0,
    };
    check_version(conn, entity, id, name, current, seen_version)?;
    let changed: Vec<(&'static str, Value, Value)> = values
        .into_iter()
        .zip(stored.into_iter().skip(1))
        .filter(|((_, new), old)| new != old)
        .map(|((col, new), old)| (col, old, new))
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let now = actor.stamp();
    // `updated_at` is set below in any case (an edit may name it to step the version when no
    // other column changes); a column is assigned once
    let assigned: Vec<&(&str, Value, Value)> = changed
        .iter()
        .filter(|(c, _, _)| *c != "updated_at")
        .collect();
    let sets: String = assigned
        .iter()
        .enumerate()
        .map(|(i, (c, _, _))| format!("{c} = ?{}, ", i + 1))
        .collect();
    let mut params: Vec<Value> = assigned.iter().map(|(_, _, v)| v.clone()).collect();
    params.push(Value::Text(now.clone()));
    params.push(Value::Integer(id));
    let n = params.len();
    // One statement, so the table's checks see the row as a whole.
    conn.execute(
        &format!(
            "UPDATE {} SET {}version = version + 1, updated_at = ?{} WHERE id = ?{n}",
            entity.table,
            sets,
            n - 1
        ),
        crate::store::sql::params_from_iter(params.iter()),
    )?;
    for (col, old, new) in &changed {
        let field = match events.iter().find(|(c, _)| c == col) {
            Some((_, Some(event))) => *event,
            Some((_, None)) => continue,
            None => *col,
        };
        record(
            conn,
            actor,
            happened_at,
            &now,
            Change {
                entity: entity.code,
                entity_id: id,
                field,
                old: text(old).as_deref(),
                new: text(new).as_deref(),
                version: Some(current + 1),
            },
        )?;
    }
    let changed: Vec<&'static str> = changed.into_iter().map(|(c, _, _)| c).collect();
    if let Some(after) = entity.after_change {
        after(conn, id, &changed)?;
    }
    Ok(changed)
}

/// Writes one history row for an event that is not a column change (`created`, `restored`,
/// a sign-off), in the caller's transaction.
/// `what` is (field code, old value, new value).
pub(crate) fn event(
    conn: &Conn,
    entity: &Entity,
    actor: &Actor,
    id: i64,
    happened_at: &str,
    what: (&str, Option<&str>, Option<&str>),
) -> Result<()> {
    let (field, old, new) = what;
    record(
        conn,
        actor,
        happened_at,
        &actor.stamp(),
        Change {
            entity: entity.code,
            entity_id: id,
            field,
            old,
            new,
            version: None,
        },
    )?;
    Ok(())
}

/// A stored value as history keeps it.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(f) => Some(f.to_string()),
        Value::Text(s) => Some(s.clone()),
        Value::Blob(_) => Some("<binary>".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    fn actor() -> Actor {
        Actor::new(None, "测试员", "test", crate::clock::now())
    }

    /// A requirement row written directly, to edit with the engine.
    fn row(db: &Db) -> i64 {
        db.conn()
            .execute(
                "INSERT INTO requirements (number, received_date, brief, created_at, updated_at)
                 VALUES ('14061901', '2014-06-19', '问卷', 'x', 'x')",
                [],
            )
            .unwrap();
        db.conn().inserted_id().unwrap()
    }

    fn history(db: &Db) -> Vec<(String, Option<String>, Option<String>, String)> {
        let mut st = db
            .conn()
            .prepare("SELECT field, old_value, new_value, happened_at FROM history ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<crate::store::sql::Result<_>>()
            .unwrap()
    }

    fn edit<'a>(id: i64, seen: Option<i64>, values: Vec<(&'static str, Value)>) -> Edit<'a> {
        Edit {
            id,
            name: "14061901",
            seen_version: seen,
            happened_at: "2014-06-21T10:30:00+08:00",
            values,
            events: &[("withdrawn_at", Some("withdrawn"))],
        }
    }

    #[test]
    fn only_changed_columns_are_written_with_one_history_row_each() {
        let db = Db::test_db();
        let id = row(&db);
        let changed = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(
                id,
                Some(1),
                vec![
                    ("brief", Value::Text("问卷 计分".into())),
                    ("reporter", Value::Text(String::new())), // unchanged: '' already
                    ("grade", Value::Null),                   // unchanged: NULL already
                ],
            ),
        )
        .unwrap();
        assert_eq!(changed, ["brief"]);
        assert_eq!(
            history(&db),
            [(
                "brief".to_string(),
                Some("问卷".to_string()),
                Some("问卷 计分".to_string()),
                "2014-06-21T10:30:00+08:00".to_string()
            )]
        );
        let version: i64 = db
            .conn()
            .query_row(
                "SELECT version FROM requirements WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, 2);
    }

    #[test]
    fn no_change_writes_nothing() {
        let db = Db::test_db();
        let id = row(&db);
        let changed = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(id, None, vec![("brief", Value::Text("问卷".into()))]),
        )
        .unwrap();
        assert!(changed.is_empty());
        assert!(history(&db).is_empty());
    }

    /// A save on a version someone else has moved on from says who changed what since, with
    /// the values now; sent again on the version it names, it goes on top (issue 22).
    #[test]
    fn a_stale_save_says_who_changed_what_since() {
        let db = Db::test_db();
        let id = row(&db);
        let zhang = Actor::new(None, "张三", "app", crate::clock::now());
        let text = |t: &str| Value::Text(t.into());
        apply(
            db.conn(),
            &REQUIREMENT,
            &zhang,
            edit(
                id,
                Some(1),
                vec![("brief", text("问卷计分")), ("requester", text("郭主任"))],
            ),
        )
        .unwrap();
        apply(
            db.conn(),
            &REQUIREMENT,
            &zhang,
            edit(id, Some(2), vec![("decision", text("do"))]),
        )
        .unwrap();
        let e = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(id, Some(1), vec![("brief", text("问卷自动计分"))]),
        )
        .unwrap_err();
        let Error::Stale(stale) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(e.kind(), "conflict");
        assert_eq!(stale.version, 3);
        type Said<'a> = (
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
        );
        let said: Vec<Said> = stale
            .changes
            .iter()
            .map(|c| {
                (
                    c.field.as_str(),
                    c.label.as_str(),
                    c.before.as_deref(),
                    c.now.as_deref(),
                    c.now_raw.as_deref(),
                    c.by.as_str(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                (
                    "brief",
                    "需求梗概",
                    Some("问卷"),
                    Some("问卷计分"),
                    Some("问卷计分"),
                    "张三"
                ),
                (
                    "requester",
                    "需求人",
                    Some(""),
                    Some("郭主任"),
                    Some("郭主任"),
                    "张三"
                ),
                ("decision", "决策结果", None, Some("做"), Some("do"), "张三"),
            ]
        );
        let message = e.to_string();
        assert!(message.contains("第 1 版，现在是第 3 版"), "{message}");
        assert!(message.contains("张三"), "{message}");
        assert!(message.contains("需求梗概、需求人"), "{message}");
        // across IPC the window gets the version now and the changes
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["version"], 3);
        assert_eq!(json["changes"][0]["now"], "问卷计分");
        assert_eq!(json["changes"][0]["before"], "问卷");
        // saved again on the version now: on top of theirs
        let changed = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(
                id,
                Some(stale.version),
                vec![("brief", text("问卷自动计分"))],
            ),
        )
        .unwrap();
        assert_eq!(changed, ["brief"]);
    }

    /// A version moved without history rows of its own (an erasure writes none): what the user
    /// saw is unknown, so the refusal is a plain one, with nothing to save on top of.
    #[test]
    fn a_stale_save_over_an_unaccounted_version_is_refused_plainly() {
        let db = Db::test_db();
        let id = row(&db);
        db.conn()
            .execute("UPDATE requirements SET version = 2 WHERE id = ?1", [id])
            .unwrap();
        let e = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(id, Some(1), vec![("brief", Value::Text("新".into()))]),
        )
        .unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e:?}");
        assert!(serde_json::to_value(&e).unwrap().get("changes").is_none());
    }

    #[test]
    fn a_stale_version_or_a_missing_record_is_refused() {
        let db = Db::test_db();
        let id = row(&db);
        let e = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(id, Some(7), vec![("brief", Value::Text("新".into()))]),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "conflict");
        assert!(e.to_string().contains("需求 14061901 已被他人修改"), "{e}");
        let e = apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(id + 1, None, vec![]),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "not_found");
        assert!(history(&db).is_empty());
    }

    #[test]
    fn event_columns_are_named_as_events() {
        let db = Db::test_db();
        let id = row(&db);
        apply(
            db.conn(),
            &REQUIREMENT,
            &actor(),
            edit(
                id,
                None,
                vec![(
                    "withdrawn_at",
                    Value::Text("2014-06-21T10:30:00+08:00".into()),
                )],
            ),
        )
        .unwrap();
        assert_eq!(history(&db)[0].0, "withdrawn");
    }
}
