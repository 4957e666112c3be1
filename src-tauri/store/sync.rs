//! Offline laptops (issue 24): the only owner of `submissions` and `sync_peers`.
//!
//! A laptop is a SQLite copy made for one person (`laptop_copy`): their requirements and bugs,
//! the people, lists, settings and calendar, and an `upstream` row naming the department's
//! database and the secret the two sign their files with. What the person records there —
//! a 需求报告表, a bug report, "told the requester" — is kept in `submissions` (待同步) and
//! sent as [`Step`]s. The department's database receives them (`receive`): reports and bugs wait
//! in the same table for the collector (待登记), who registers them (`accept`) — numbers are
//! only ever made there —, and a notice is applied at once through the same store operation a
//! window uses, as its person, with its own "happened at" and the laptop's "recorded at".
//! `UNIQUE (origin, origin_id)` makes each step arrive at most once, however often a sync is
//! repeated or cut off. The department answers with a [`Reply`]: what became of every step of
//! that laptop, and a fresh [`Snapshot`] of what the person sees, which the laptop puts in place
//! of its copy in one transaction (then replays its own notices still on their way).

use super::notifications::NewNotification;
use super::people::OPERATOR_KEY;
use super::requirements::RequirementInput;
use super::sql::{params, Conn, OptionalExtension, Row, Value, ValueRef};
use super::{Actor, BugInput, Db};
use crate::domain::dates;
use crate::domain::people::Action;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The settings key of a database's identity (random, made the first time it is needed).
pub(crate) const DATABASE_ID: &str = "database.id";

/// Settings that belong to one database, never carried to a laptop: its identity, who operates
/// it, what PCs opened it, where it moved.
const LOCAL_SETTINGS: &[&str] = &[DATABASE_ID, OPERATOR_KEY, "app.", "database.moved_to"];

/// The tables a laptop holds a copy of, parents before children.
const MIRRORED: &[&str] = &[
    "settings",
    "people",
    "list_items",
    "calendar_days",
    "rule_versions",
    "requirements",
    "bugs",
    "delay_applications",
    "delay_signoffs",
    "notifications",
    "attachments",
    "history",
];

crate::domain::labelled_enum!(
    /// What a submission is.
    SubmissionKind {
        Requirement = "requirement", "需求报告";
        Bug = "bug", "Bug";
        Notice = "notice", "通知";
    }
);

crate::domain::labelled_enum!(
    /// Where a submission stands.
    SubmissionState {
        Waiting = "waiting", "待登记";
        Registered = "registered", "已登记";
        Applied = "applied", "已记录";
        Refused = "refused", "未采用";
        Discarded = "discarded", "已放弃";
    }
);

/// One row of `submissions`, as the lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct Submission {
    pub id: i64,
    /// '' when recorded in this database; else the database it came from.
    pub origin: String,
    pub origin_id: i64,
    pub kind: SubmissionKind,
    pub person: String,
    pub target: String,
    pub summary: String,
    pub fields: serde_json::Value,
    pub happened_at: String,
    pub recorded_at: String,
    pub sent_at: Option<String>,
    pub arrived_at: Option<String>,
    pub state: SubmissionState,
    pub number: String,
    pub reason: String,
    pub settled_at: Option<String>,
    pub settled_by: String,
    /// Said for people: 待发送 / 已发送 / 待登记 / 已登记为 … / 未采用：…
    pub standing: String,
    /// What the window decides on: the state's and the kind's codes (`waiting`, `refused`, …).
    pub state_code: &'static str,
    pub kind_code: &'static str,
    /// Its person may still give it up here (waiting and never sent, or came back refused).
    pub discardable: bool,
}

impl Submission {
    /// `待登记 N` as the command line prints it.
    pub fn label(&self) -> String {
        format!("待登记 {}", self.id)
    }
}

const COLUMNS: &str = "id, origin, origin_id, kind, person, target, summary, fields, happened_at,
    recorded_at, sent_at, arrived_at, state, number, reason, settled_at, settled_by";

fn from_row(r: &Row) -> super::sql::Result<Submission> {
    let kind: String = r.get(3)?;
    let state: String = r.get(12)?;
    let fields: String = r.get(7)?;
    let mut s = Submission {
        id: r.get(0)?,
        origin: r.get(1)?,
        origin_id: r.get(2)?,
        kind: SubmissionKind::from_code(&kind).unwrap_or(SubmissionKind::Requirement),
        person: r.get(4)?,
        target: r.get(5)?,
        summary: r.get(6)?,
        fields: serde_json::from_str(&fields).unwrap_or(serde_json::Value::Null),
        happened_at: r.get(8)?,
        recorded_at: r.get(9)?,
        sent_at: r.get(10)?,
        arrived_at: r.get(11)?,
        state: SubmissionState::from_code(&state).unwrap_or(SubmissionState::Waiting),
        number: r.get(13)?,
        reason: r.get(14)?,
        settled_at: r.get(15)?,
        settled_by: r.get(16)?,
        standing: String::new(),
        state_code: "",
        kind_code: "",
        discardable: false,
    };
    s.standing = standing(&s);
    s.state_code = s.state.code();
    s.kind_code = s.kind.code();
    s.discardable = s.origin.is_empty()
        && (s.state == SubmissionState::Refused
            || (s.state == SubmissionState::Waiting
                && s.sent_at.is_none()
                && s.arrived_at.is_none()));
    Ok(s)
}

fn standing(s: &Submission) -> String {
    match s.state {
        SubmissionState::Waiting if s.origin.is_empty() && s.arrived_at.is_none() => {
            if s.sent_at.is_some() {
                "已发送，等待回执".into()
            } else {
                "待发送".into()
            }
        }
        SubmissionState::Waiting => "已送达，待登记".into(),
        SubmissionState::Registered => format!("已登记为 {}", s.number),
        SubmissionState::Applied => "已记录".into(),
        SubmissionState::Refused => format!("未采用：{}", s.reason),
        SubmissionState::Discarded => "已放弃".into(),
    }
}

/// A step as it travels from a laptop to the department.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    /// Its id on the laptop.
    pub id: i64,
    pub kind: String,
    pub person: String,
    pub target: String,
    pub summary: String,
    pub fields: serde_json::Value,
    pub happened_at: String,
    pub recorded_at: String,
}

/// What became of one step at the department.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outcome {
    /// The step's id on the laptop.
    pub id: i64,
    pub state: String,
    pub number: String,
    pub reason: String,
    pub arrived_at: Option<String>,
}

/// One value of a row, as a file carries it (a blob as base64).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob { b64: String },
}

impl Cell {
    fn from_value(v: Value) -> Cell {
        use base64::Engine;
        match v {
            Value::Null => Cell::Null,
            Value::Integer(i) => Cell::Integer(i),
            Value::Real(f) => Cell::Real(f),
            Value::Text(t) => Cell::Text(t),
            Value::Blob(b) => Cell::Blob {
                b64: base64::engine::general_purpose::STANDARD.encode(b),
            },
        }
    }

    fn to_value(&self) -> Result<Value> {
        use base64::Engine;
        Ok(match self {
            Cell::Null => Value::Null,
            Cell::Integer(i) => Value::Integer(*i),
            Cell::Real(f) => Value::Real(*f),
            Cell::Text(t) => Value::Text(t.clone()),
            Cell::Blob { b64 } => Value::Blob(
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|_| Error::invalid("file", "同步内容中的附件已损坏"))?,
            ),
        })
    }
}

/// The rows of one table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableRows {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// What a laptop holds of the department's database, for one person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Snapshot {
    pub schema: usize,
    pub person: String,
    pub tables: Vec<TableRows>,
}

/// The department's answer to a laptop.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reply {
    /// Counts up per laptop: an older reply is never applied over a newer one.
    pub seq: i64,
    pub outcomes: Vec<Outcome>,
    pub snapshot: Snapshot,
}

/// The laptop's side of the pair: the database it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Upstream {
    pub peer: String,
    pub person: String,
    pub secret: String,
    pub location: String,
    pub replies: i64,
    pub last_sync: Option<String>,
}

/// What a laptop sends: its identity and the steps waiting.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Batch {
    pub from: String,
    pub person: String,
    /// The schema version of the laptop: the department applies nothing from another.
    pub schema: usize,
    /// The last reply the laptop applied.
    pub seen: i64,
    pub steps: Vec<Step>,
}

/// What applying a reply did on the laptop.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    pub registered: Vec<(i64, String)>,
    pub refused: Vec<(i64, String)>,
    /// The reply was applied before (or a newer one was): nothing changed.
    pub already: bool,
    /// Steps the department no longer has (put back from a backup): to be sent again.
    pub sent_again: usize,
}

fn random_hex(bytes: usize) -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new secret for a laptop and its department (64 hex digits from the OS's randomness).
pub fn new_secret() -> String {
    random_hex(32)
}

/// This database's identity, made (in the caller's transaction) the first time it is asked.
pub(crate) fn database_id(tx: &Conn) -> Result<String> {
    if let Some(id) = super::settings::get(tx, DATABASE_ID)? {
        return Ok(id);
    }
    let id = random_hex(16);
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [DATABASE_ID, id.as_str()],
    )?;
    Ok(super::settings::get(tx, DATABASE_ID)?.unwrap_or(id))
}

/// Whether this database is a laptop's copy (it has an upstream).
pub(crate) fn is_laptop(conn: &Conn) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sync_peers WHERE role = 'upstream'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

fn upstream_in(conn: &Conn) -> Result<Option<Upstream>> {
    Ok(conn
        .query_row(
            "SELECT peer, person, secret, location, replies, last_sync FROM sync_peers
              WHERE role = 'upstream'",
            [],
            |r| {
                Ok(Upstream {
                    peer: r.get(0)?,
                    person: r.get(1)?,
                    secret: r.get(2)?,
                    location: r.get(3)?,
                    replies: r.get(4)?,
                    last_sync: r.get(5)?,
                })
            },
        )
        .optional()?)
}

fn load(conn: &Conn, id: i64) -> Result<Submission> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM submissions WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("找不到待登记 {id}")))
}

fn select(conn: &Conn, filter: &str, p: &[&dyn super::sql::ToSql]) -> Result<Vec<Submission>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE {filter} ORDER BY id"
    ))?;
    let rows = st
        .query_map(p, from_row)?
        .collect::<super::sql::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts a submission recorded here (its `origin_id` its own id).
#[allow(clippy::too_many_arguments)]
fn insert_own(
    tx: &Conn,
    kind: SubmissionKind,
    person: &str,
    target: &str,
    summary: &str,
    fields: &serde_json::Value,
    happened_at: &str,
    now: &str,
    moment: i64,
    arrived: bool,
) -> Result<i64> {
    // the id a step travels with: after the last, and never below `moment`, when it is
    // recorded in milliseconds — a laptop put back from its own backup (it takes one a day)
    // goes on with ids the department has not seen, instead of reusing theirs
    let last: i64 = tx.query_row(
        "SELECT coalesce(max(origin_id), 0) FROM submissions WHERE origin = ''",
        [],
        |r| r.get(0),
    )?;
    let next = (last + 1).max(moment);
    let arrived_at = arrived.then_some(now);
    tx.execute(
        "INSERT INTO submissions (origin, origin_id, kind, person, target, summary, fields,
             happened_at, recorded_at, arrived_at)
         VALUES ('', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            next,
            kind.code(),
            person,
            target,
            summary,
            fields.to_string(),
            happened_at,
            now,
            arrived_at
        ],
    )?;
    Ok(tx.inserted_id()?)
}

fn json_of<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// The first 40 characters of `s` on one line.
fn line(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    one.chars().take(40).collect()
}

/// Records, inside the caller's transaction, that `actor` told someone about requirement
/// `number` on a laptop: the notice waits there to be sent (the same notice is kept in the
/// laptop's own tables too, so its lists show it at once). Nothing on a database that is not
/// a laptop.
pub(crate) fn capture_notice(
    tx: &Conn,
    actor: &Actor,
    number: &str,
    n: &NewNotification,
    sent_at: &str,
    of_bug: bool,
) -> Result<()> {
    if upstream_in(tx)?.is_none() {
        return Ok(());
    }
    let mut n = n.clone();
    n.sent_at = Some(sent_at.to_string());
    let mut fields = json_of(&n);
    if of_bug {
        fields["bug"] = serde_json::Value::Bool(true);
    }
    let summary = format!(
        "{number} {}：{}（{}）",
        n.step.label(),
        n.audience.label(),
        n.channel
    );
    insert_own(
        tx,
        SubmissionKind::Notice,
        &actor.name,
        number,
        &summary,
        &fields,
        sent_at,
        &actor.stamp(),
        actor.now.timestamp_millis(),
        false,
    )?;
    Ok(())
}

/// Checks and completes a report as a laptop or a desk records it: the form's rules, and the
/// reporter (default the person recording it).
fn checked_report(actor: &Actor, input: &RequirementInput) -> Result<RequirementInput> {
    let mut input = input.clone();
    if input.reporter.trim().is_empty() {
        input.reporter = actor.name.clone();
    }
    input.received_date.clear();
    super::requirements::report_values(&input, None)?;
    if let Some(d) =
        super::requirements::optional_day("report_date", "填报日期", &input.report_date)?
    {
        if d > actor.today() {
            return Err(Error::invalid("report_date", "填报日期不能晚于今天"));
        }
    }
    Ok(input)
}

fn checked_bug(actor: &Actor, input: &BugInput) -> Result<BugInput> {
    let mut input = input.clone();
    if input.reporter.trim().is_empty() {
        input.reporter = actor.name.clone();
    }
    input.received_date.clear();
    let found = super::requirements::required_day("found_date", "发现日期", &input.found_date)?;
    crate::domain::bug::check_report(
        &input.phone_model,
        &input.os_version,
        &input.content,
        found,
        actor.today(),
        actor.today(),
    )?;
    Ok(input)
}

/// What the window's menu says of syncing: on a laptop its 待同步, on the department its 待登记.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncStatus {
    /// On a laptop: whose it is, the database it came from, the last sync.
    pub laptop: Option<LaptopStatus>,
    /// Recorded here and not settled: waiting to be sent or to be registered.
    pub pending: i64,
    /// Came back refused, with why (a laptop), not yet given up.
    pub refused: i64,
    /// Reports and bugs waiting for the collector (the department).
    pub inbox: i64,
    /// Laptop copies made from this database.
    pub laptops: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaptopStatus {
    pub person: String,
    pub upstream: String,
    pub last_sync: Option<String>,
}

impl Db {
    /// The shared database's clock (a server's; `None` on a file, whose PC's clock the caller
    /// has), in the offset of `like`: a step arriving over the network arrives at the
    /// department's time, not at the laptop's (whose clock may be wrong, and the received day
    /// makes the 需求编号).
    pub fn server_time(
        &self,
        like: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>> {
        if !self.conn().is_server() {
            return Ok(None);
        }
        let secs: i64 = self.conn().query_row(
            "SELECT CAST(floor(extract(epoch FROM clock_timestamp())) AS BIGINT)",
            [],
            |r| r.get(0),
        )?;
        Ok(chrono::DateTime::from_timestamp(secs, 0).map(|t| t.with_timezone(&like.timezone())))
    }

    /// The menu's counts (see [`SyncStatus`]).
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let count =
            |sql: &str| -> Result<i64> { Ok(self.conn().query_row(sql, [], |r| r.get(0))?) };
        let laptop = self.upstream()?.map(|u| LaptopStatus {
            person: u.person,
            upstream: u.location,
            last_sync: u.last_sync,
        });
        Ok(SyncStatus {
            laptop,
            pending: count(
                "SELECT count(*) FROM submissions WHERE origin = '' AND state = 'waiting'",
            )?,
            refused: count(
                "SELECT count(*) FROM submissions WHERE origin = '' AND state = 'refused'",
            )?,
            inbox: count(
                "SELECT count(*) FROM submissions WHERE arrived_at IS NOT NULL
                   AND state = 'waiting'",
            )?,
            laptops: count("SELECT count(*) FROM sync_peers WHERE role = 'laptop'")?,
        })
    }

    /// This database's identity (made and kept the first time it is asked).
    pub fn database_id(&mut self) -> Result<String> {
        if let Some(id) = super::settings::get(self.conn(), DATABASE_ID)? {
            return Ok(id);
        }
        self.write(database_id)
    }

    /// The database this one is a laptop copy of, if it is one.
    pub fn upstream(&self) -> Result<Option<Upstream>> {
        upstream_in(self.conn())
    }

    /// Records a 需求报告表 waiting to be registered (a laptop's, or a reporter's at a desk):
    /// checked as the form is, never numbered here. Returns its local id (`待登记 N`).
    pub fn submit_requirement(
        &mut self,
        actor: &Actor,
        input: &RequirementInput,
        screenshots: &[(String, Vec<u8>)],
        at: Option<&str>,
    ) -> Result<Submission> {
        super::people::allow_roles(self.conn(), actor, Action::Register)?;
        let input = checked_report(actor, input)?;
        let summary = line(&input.brief);
        self.submit(
            actor,
            SubmissionKind::Requirement,
            &summary,
            json_of(&input),
            screenshots,
            at,
        )
    }

    /// Records a bug report waiting to be numbered (see [`Db::submit_requirement`]).
    pub fn submit_bug(
        &mut self,
        actor: &Actor,
        input: &BugInput,
        screenshots: &[(String, Vec<u8>)],
        at: Option<&str>,
    ) -> Result<Submission> {
        super::people::allow_roles(self.conn(), actor, Action::ReportBug)?;
        let mut input = checked_bug(actor, input)?;
        input.at = Default::default();
        let summary = line(&input.content);
        self.submit(
            actor,
            SubmissionKind::Bug,
            &summary,
            json_of(&input),
            screenshots,
            at,
        )
    }

    /// A checked report or bug kept as waiting, its photos inside its form: at once in the
    /// collector's 待登记 on a department's database, sent at the next sync from a laptop.
    fn submit(
        &mut self,
        actor: &Actor,
        kind: SubmissionKind,
        summary: &str,
        mut fields: serde_json::Value,
        screenshots: &[(String, Vec<u8>)],
        at: Option<&str>,
    ) -> Result<Submission> {
        with_screenshots(self.conn(), &mut fields, screenshots)?;
        let when = dates::happened_at(at, actor.now)?;
        let laptop = self.upstream()?.is_some();
        let now = actor.stamp();
        let id = self.write(|tx| {
            insert_own(
                tx,
                kind,
                &actor.name,
                "",
                summary,
                &fields,
                &when,
                &now,
                actor.now.timestamp_millis(),
                !laptop,
            )
        })?;
        load(self.conn(), id)
    }

    /// A submission recorded here, by the id it travels with.
    pub fn submission_by_origin_id(&self, origin_id: i64) -> Result<Submission> {
        select(
            self.conn(),
            "origin = '' AND origin_id = ?1",
            params![origin_id],
        )?
        .pop()
        .ok_or_else(|| Error::NotFound(format!("找不到待同步的记录 {origin_id}")))
    }

    /// The ids (on laptop `from`) of the steps that have arrived from it.
    pub fn arrived_from(&self, from: &str) -> Result<Vec<i64>> {
        let mut st = self
            .conn()
            .prepare("SELECT origin_id FROM submissions WHERE origin = ?1")?;
        let ids = st
            .query_map([from], |r| r.get(0))?
            .collect::<super::sql::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// 待同步 on a laptop: what was recorded here and is not settled yet — waiting to be sent,
    /// sent and not answered, arrived and waiting for the collector — and what came back
    /// refused, with why.
    pub fn pending(&self) -> Result<Vec<Submission>> {
        select(
            self.conn(),
            "origin = '' AND (state = 'waiting' OR state = 'refused')",
            &[],
        )
    }

    /// What a laptop sends next: every step recorded here still waiting (a repeat is harmless:
    /// the department keeps each once), marked sent at `at` in the same transaction — before
    /// it leaves, so a step that may have gone can no longer be given up here.
    pub fn take_outgoing(&mut self, at: &str) -> Result<Vec<Step>> {
        self.write(|tx| {
            let steps: Vec<Step> = select(
                tx,
                "origin = '' AND state = 'waiting' AND arrived_at IS NULL",
                &[],
            )?
            .into_iter()
            .map(|s| Step {
                id: s.origin_id,
                kind: s.kind.code().to_string(),
                person: s.person,
                target: s.target,
                summary: s.summary,
                fields: s.fields,
                happened_at: s.happened_at,
                recorded_at: s.recorded_at,
            })
            .collect();
            tx.execute(
                "UPDATE submissions SET sent_at = ?1
                  WHERE origin = '' AND state = 'waiting' AND arrived_at IS NULL
                    AND sent_at IS NULL",
                [at],
            )?;
            Ok(steps)
        })
    }

    /// Undoes [`Db::take_outgoing`] of `at` when nothing left after all (the file could not be
    /// written, the department refused the sync): those steps may be given up again.
    pub fn untake_outgoing(&mut self, at: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE submissions SET sent_at = NULL
                  WHERE origin = '' AND state = 'waiting' AND arrived_at IS NULL
                    AND sent_at = ?1",
                [at],
            )?;
            Ok(())
        })
    }

    /// Gives up a step that waits or came back refused (the person may record it again).
    pub fn discard(&mut self, actor: &Actor, id: i64) -> Result<Submission> {
        let s = load(self.conn(), id)?;
        if !s.origin.is_empty() {
            return Err(Error::Conflict(format!(
                "待登记 {id} 是别处发来的，只能登记或不予登记"
            )));
        }
        if s.person != actor.name {
            super::people::allow_roles(self.conn(), actor, Action::Register)?;
        }
        if !s.discardable {
            return Err(Error::Conflict(format!(
                "待登记 {id} {}，不能放弃",
                s.standing
            )));
        }
        let now = actor.stamp();
        self.write(|tx| {
            // (as it stands in this transaction: a sync may have sent it meanwhile)
            let changed = tx.execute(
                "UPDATE submissions SET state = 'discarded', settled_at = ?1, settled_by = ?2
                  WHERE id = ?3 AND (state = 'refused'
                     OR (state = 'waiting' AND sent_at IS NULL AND arrived_at IS NULL))",
                params![now, actor.name, id],
            )?;
            if changed != 1 {
                return Err(Error::Conflict(format!(
                    "待登记 {id} 刚刚已发出，不能放弃；请等同步的结果"
                )));
            }
            Ok(())
        })?;
        load(self.conn(), id)
    }

    /// The collector's 待登记: reports and bugs waiting to be registered, and the steps that
    /// arrived and could not be applied (with why; not the reports the collector declined).
    pub fn inbox(&self) -> Result<Vec<Submission>> {
        select(
            self.conn(),
            "arrived_at IS NOT NULL AND (state = 'waiting'
              OR (state = 'refused' AND origin <> '' AND settled_by = ''))",
            &[],
        )
    }

    /// Registers a waiting report (a 需求编号 of the day it arrived, or `received`) or bug
    /// (its number of that day), as the collector does on receipt. Returns the number.
    pub fn accept(
        &mut self,
        actor: &Actor,
        id: i64,
        received: Option<&str>,
        at: Option<&str>,
    ) -> Result<String> {
        let s = load(self.conn(), id)?;
        let action = match s.kind {
            SubmissionKind::Bug => Action::ReportBug,
            _ => Action::Register,
        };
        self.allow(actor, action)?;
        self.allow(actor, Action::Register)?;
        let Some(arrived) = s.arrived_at.clone() else {
            return Err(Error::Conflict(format!(
                "待登记 {id} 还没有送到本数据库（它在等待同步）"
            )));
        };
        match s.state {
            SubmissionState::Waiting => {}
            SubmissionState::Registered => {
                return Err(Error::Conflict(format!(
                    "待登记 {id} 已登记为 {}",
                    s.number
                )))
            }
            _ => {
                return Err(Error::Conflict(format!(
                    "待登记 {id} {}，不能登记",
                    s.standing
                )))
            }
        }
        let day = match received.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => super::requirements::required_day("received_date", "收到日期", d)?,
            None => dates::day_of_moment(&arrived).unwrap_or(actor.today()),
        };
        let now = actor.stamp();
        let number = match s.kind {
            SubmissionKind::Requirement => {
                let mut input: RequirementInput = serde_json::from_value(s.fields.clone())
                    .map_err(|e| Error::Conflict(format!("待登记 {id} 的内容无法读取：{e}")))?;
                input.received_date = dates::iso(day);
                input.happened_at = at.map(str::to_string);
                input.version = None;
                let files = screenshots_of(&s.fields)?;
                self.write(|tx| {
                    claim(tx, id)?;
                    let (rid, number) = super::requirements::insert(tx, actor, &input)?;
                    for (name, media, bytes) in &files {
                        super::attachments::insert_for_requirement(
                            tx, actor, rid, name, media, bytes,
                        )?;
                    }
                    settle(tx, id, "registered", &number, &now, &actor.name)?;
                    Ok(number)
                })?
            }
            SubmissionKind::Bug => {
                let mut input: BugInput = serde_json::from_value(s.fields.clone())
                    .map_err(|e| Error::Conflict(format!("待登记 {id} 的内容无法读取：{e}")))?;
                input.received_date = dates::iso(day);
                input.at.happened_at = at.map(str::to_string);
                let files = screenshots_of(&s.fields)?;
                self.write(|tx| {
                    claim(tx, id)?;
                    let number = super::bugs::insert_bug(tx, actor, &input, &files)?;
                    settle(tx, id, "registered", &number, &now, &actor.name)?;
                    Ok(number)
                })?
            }
            SubmissionKind::Notice => {
                return Err(Error::Conflict(format!(
                    "待登记 {id} 是一条通知记录，到达时已经处理，不需登记"
                )))
            }
        };
        Ok(number)
    }

    /// Declines a waiting report with a reason, which its reporter sees at their next sync.
    pub fn decline(&mut self, actor: &Actor, id: i64, reason: &str) -> Result<Submission> {
        self.allow(actor, Action::Register)?;
        let s = load(self.conn(), id)?;
        if s.state != SubmissionState::Waiting || s.arrived_at.is_none() {
            return Err(Error::Conflict(format!(
                "待登记 {id} {}，不能不予登记",
                s.standing
            )));
        }
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", "请写明不予登记的原因"));
        }
        let now = actor.stamp();
        self.write(|tx| {
            claim(tx, id)?;
            tx.execute(
                "UPDATE submissions SET state = 'refused', reason = ?1, settled_at = ?2,
                     settled_by = ?3 WHERE id = ?4",
                params![reason.trim(), now, actor.name, id],
            )?;
            Ok(())
        })?;
        load(self.conn(), id)
    }

    /// Registers a laptop copy made from this database (the department's side of
    /// `copy-db --for`): `peer` the laptop's id, `secret` the key of their files.
    pub(crate) fn add_laptop(
        &mut self,
        peer: &str,
        person: &str,
        secret: &str,
        now: &str,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_peers (role, peer, person, secret, made_at)
                 VALUES ('laptop', ?1, ?2, ?3, ?4)",
                params![peer, person, secret, now],
            )?;
            Ok(())
        })
    }

    /// The laptop `peer` made from this database: (person, secret).
    pub fn laptop(&self, peer: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT person, secret FROM sync_peers WHERE role = 'laptop' AND peer = ?1",
                [peer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// What `person` sees on a laptop, read in one snapshot: their requirements and bugs with
    /// what hangs from them, the people (without others' passwords), lists, settings, calendar
    /// and rules.
    pub fn snapshot_for(&self, person: &str) -> Result<Snapshot> {
        self.snapshot_with(person, false)
    }

    /// [`Db::snapshot_for`]; `hash`: with the person's own password hash (the first copy, made
    /// at the department; a reply travels by mail and carries none). Sign-in on the laptop
    /// follows the department's: on when it is required there.
    pub(crate) fn snapshot_with(&self, person: &str, hash: bool) -> Result<Snapshot> {
        let required = self.sign_in_required()?;
        let snap = self.conn().begin_snapshot()?;
        let out = snapshot_in(self.conn(), person, hash, required);
        drop(snap);
        out
    }

    /// The department's side of a sync: the steps of laptop `from` applied in one transaction
    /// — each at most once — then what became of all of that laptop's steps and a fresh
    /// snapshot for its person. `origin` names the sync in the history (`sync:<file>`).
    pub fn receive(
        &mut self,
        batch: &Batch,
        origin: &str,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Reply> {
        let Some((person, _)) = self.laptop(&batch.from)? else {
            return Err(Error::Conflict(
                "这台电脑的数据库不是从本数据库复制的（或复制记录已不在），没有应用".into(),
            ));
        };
        if batch.schema != super::schema_version() {
            return Err(Error::Conflict(format!(
                "外出电脑上的跟进是另一版本（数据库结构第 {} 版，这里第 {} 版），没有应用。请把两边升级到同一版本后再同步",
                batch.schema,
                super::schema_version()
            )));
        }
        if person != batch.person {
            return Err(Error::Conflict(format!(
                "同步内容的人员（{}）与复制时的人员（{person}）不一致，没有应用",
                batch.person
            )));
        }
        let stamp = dates::stamp(now);
        let seq = self.write(|tx| {
            let mut steps = batch.steps.clone();
            steps.sort_by_key(|s| s.id);
            for step in &steps {
                // (its form is not compared: a registered one keeps only its summary)
                let known: Option<(String, String, String)> = tx
                    .query_row(
                        "SELECT kind, summary, recorded_at FROM submissions
                          WHERE origin = ?1 AND origin_id = ?2",
                        params![batch.from, step.id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                if let Some((kind, summary, recorded)) = known {
                    let same = kind == step.kind
                        && summary == step.summary
                        && recorded == step.recorded_at;
                    if !same {
                        // two laptops made from one copy (a file copied, or an old copy put
                        // back): their steps share ids; nothing of this sync is applied
                        return Err(Error::Conflict(format!(
                            "这台电脑上的第 {} 条记录与以前送达的同号记录内容不同：外出用的数据库被复制过或换成了旧的副本。没有应用任何内容；请需求收集人为这台电脑重新制作外出用的数据库",
                            step.id
                        )));
                    }
                    continue;
                }
                arrive(tx, &batch.from, &person, step, origin, &stamp)?;
            }
            // a reply counts on from the last the laptop applied, whatever this database
            // remembers (a restored backup remembers fewer)
            tx.execute(
                "UPDATE sync_peers
                    SET replies = CASE WHEN replies > ?3 THEN replies ELSE ?3 END + 1,
                        last_sync = ?1
                  WHERE role = 'laptop' AND peer = ?2",
                params![stamp, batch.from, batch.seen],
            )?;
            let seq: i64 = tx.query_row(
                "SELECT replies FROM sync_peers WHERE role = 'laptop' AND peer = ?1",
                [batch.from.as_str()],
                |r| r.get(0),
            )?;
            Ok(seq)
        })?;
        let outcomes = select(self.conn(), "origin = ?1", params![batch.from])?
            .into_iter()
            .map(|s| Outcome {
                id: s.origin_id,
                state: s.state.code().to_string(),
                number: s.number,
                reason: s.reason,
                arrived_at: s.arrived_at,
            })
            .collect();
        Ok(Reply {
            seq,
            outcomes,
            snapshot: self.snapshot_for(&person)?,
        })
    }

    /// The laptop's side: a reply put in place in one transaction — the copy replaced by its
    /// snapshot, each step's state taken over —, then the notices still on their way replayed
    /// on the copy. A reply older than the last applied changes nothing.
    pub fn apply_reply(&mut self, reply: &Reply, now: &str) -> Result<Applied> {
        let Some(up) = self.upstream()? else {
            return Err(Error::Conflict(
                "本数据库不是外出用的复制库，不能应用回执".into(),
            ));
        };
        if reply.snapshot.person != up.person {
            return Err(Error::Conflict(format!(
                "回执是给 {} 的，本数据库属于 {}，没有应用",
                reply.snapshot.person, up.person
            )));
        }
        let mut applied = Applied::default();
        self.write(|tx| {
            // (read in this transaction: two replies applied at once apply in order)
            let seen: i64 = tx.query_row(
                "SELECT replies FROM sync_peers WHERE role = 'upstream'",
                [],
                |r| r.get(0),
            )?;
            if reply.seq <= seen {
                applied.already = true;
                return Ok(());
            }
            put_snapshot(tx, &reply.snapshot)?;
            let told: std::collections::HashSet<i64> =
                reply.outcomes.iter().map(|o| o.id).collect();
            for o in &reply.outcomes {
                let before: Option<String> = tx
                    .query_row(
                        "SELECT state FROM submissions WHERE origin = '' AND origin_id = ?1",
                        [o.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(state) = before else { continue };
                // given up here after it was refused there: it stays given up
                if state == "discarded" && o.state == "refused" {
                    continue;
                }
                if o.state == "registered" && state != "registered" {
                    applied.registered.push((o.id, o.number.clone()));
                }
                if o.state == "refused" && state != "refused" {
                    applied.refused.push((o.id, o.reason.clone()));
                }
                tx.execute(
                    "UPDATE submissions SET state = ?1, number = ?2, reason = ?3, arrived_at = ?4
                      WHERE origin = '' AND origin_id = ?5",
                    params![o.state, o.number, o.reason, o.arrived_at, o.id],
                )?;
                // registered: the record (in the copy just put in place) holds the form now
                if o.state == "registered" {
                    let fields: String = tx.query_row(
                        "SELECT fields FROM submissions WHERE origin = '' AND origin_id = ?1",
                        [o.id],
                        |r| r.get(0),
                    )?;
                    let fields = serde_json::from_str(&fields).unwrap_or_default();
                    tx.execute(
                        "UPDATE submissions SET fields = ?1 WHERE origin = '' AND origin_id = ?2",
                        params![brief_fields(&fields).to_string(), o.id],
                    )?;
                }
            }
            // a step the department no longer has (its database was put back from a backup
            // made before it arrived) is sent again
            let arrived: Vec<i64> = {
                let mut st = tx.prepare(
                    "SELECT origin_id FROM submissions
                      WHERE origin = '' AND state <> 'discarded' AND arrived_at IS NOT NULL",
                )?;
                let ids = st
                    .query_map([], |r| r.get(0))?
                    .collect::<super::sql::Result<Vec<i64>>>()?;
                ids
            };
            for id in arrived.into_iter().filter(|id| !told.contains(id)) {
                tx.execute(
                    "UPDATE submissions SET arrived_at = NULL, state = 'waiting', number = '',
                         reason = ''
                      WHERE origin = '' AND origin_id = ?1",
                    [id],
                )?;
                applied.sent_again += 1;
            }
            tx.execute(
                "UPDATE sync_peers SET replies = ?1, last_sync = ?2 WHERE role = 'upstream'",
                params![reply.seq, now],
            )?;
            replay_notices(tx)?;
            Ok(())
        })?;
        if !applied.already {
            self.index_search()?;
        }
        Ok(applied)
    }

    /// Makes this (new, empty) database the laptop copy of `upstream` for `person`: its own
    /// identity, the pair's secret, and the first snapshot. Returns this database's id.
    pub(crate) fn become_laptop(
        &mut self,
        upstream: &str,
        location: &str,
        person: &str,
        secret: &str,
        snapshot: &Snapshot,
        now: &str,
    ) -> Result<String> {
        let id = self.write(|tx| {
            let id = database_id(tx)?;
            tx.execute(
                "INSERT INTO sync_peers (role, peer, person, secret, made_at, location)
                 VALUES ('upstream', ?1, ?2, ?3, ?4, ?5)",
                params![upstream, person, secret, now, location],
            )?;
            Ok(id)
        })?;
        self.put_first_snapshot(snapshot)?;
        Ok(id)
    }

    /// Puts a snapshot in place on a fresh laptop copy (its first, before any reply).
    pub(crate) fn put_first_snapshot(&mut self, snapshot: &Snapshot) -> Result<()> {
        self.write(|tx| put_snapshot(tx, snapshot))?;
        self.index_search()?;
        Ok(())
    }
}

/// Keeps `screenshots` (checked as any screenshot is) inside a submission's form, as base64.
fn with_screenshots(
    conn: &Conn,
    fields: &mut serde_json::Value,
    screenshots: &[(String, Vec<u8>)],
) -> Result<()> {
    use base64::Engine;
    let mut shots = Vec::new();
    for (name, bytes) in screenshots {
        let (name, media) = super::attachments::check_file(conn, name, bytes, false)?;
        shots.push(serde_json::json!({
            "name": name,
            "media": media,
            "b64": base64::engine::general_purpose::STANDARD.encode(bytes),
        }));
    }
    if !shots.is_empty() {
        fields["screenshots"] = serde_json::Value::Array(shots);
    }
    Ok(())
}

/// The screenshots a report or bug carries (checked when it was recorded).
fn screenshots_of(fields: &serde_json::Value) -> Result<Vec<(String, &'static str, Vec<u8>)>> {
    use base64::Engine;
    let mut out = Vec::new();
    for shot in fields["screenshots"].as_array().into_iter().flatten() {
        let name = shot["name"].as_str().unwrap_or("截图.png").to_string();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(shot["b64"].as_str().unwrap_or_default())
            .map_err(|_| Error::Conflict(format!("待登记的截图“{name}”已损坏")))?;
        let media = match shot["media"].as_str() {
            Some("image/png") => "image/png",
            Some("image/jpeg") => "image/jpeg",
            Some("application/pdf") => "application/pdf",
            _ => "image/png",
        };
        out.push((name, media, bytes));
    }
    Ok(out)
}

/// Takes a waiting submission for the collector's step, in the step's transaction: another
/// collector who registered or declined it meanwhile wins, and this one is told.
fn claim(tx: &Conn, id: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE submissions SET state = 'registered' WHERE id = ?1 AND state = 'waiting'",
        [id],
    )?;
    if changed != 1 {
        let s = load(tx, id)?;
        let by = if s.settled_by.is_empty() {
            "别人".to_string()
        } else {
            s.settled_by.clone()
        };
        return Err(Error::Conflict(format!(
            "待登记 {id} 刚刚已被 {by} 处理：{}",
            s.standing
        )));
    }
    Ok(())
}

/// Marks a submission registered: the record holds the form from now on, so the submission
/// keeps only what its lists show (no photos, no personal data an erasure would miss).
fn settle(tx: &Conn, id: i64, state: &str, number: &str, now: &str, by: &str) -> Result<()> {
    let s = load(tx, id)?;
    tx.execute(
        "UPDATE submissions SET state = ?1, number = ?2, settled_at = ?3, settled_by = ?4,
             fields = ?5
          WHERE id = ?6",
        params![
            state,
            number,
            now,
            by,
            brief_fields(&s.fields).to_string(),
            id
        ],
    )?;
    Ok(())
}

/// What a settled report keeps of its form: who reported it and when, and its 梗概.
fn brief_fields(fields: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for key in ["reporter", "report_date", "found_date", "brief", "bug"] {
        if let Some(v) = fields.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    serde_json::Value::Object(out)
}

/// A submission as the lists show it: its photos counted, not carried.
pub fn listed(mut s: Submission) -> Submission {
    if let Some(shots) = s.fields.get("screenshots").and_then(|v| v.as_array()) {
        let n = shots.len();
        s.fields["screenshots"] = serde_json::Value::from(n);
    }
    s
}

/// One step arriving from laptop `from` (in the receiving transaction): a report or bug waits
/// for the collector; a notice is applied as `person` did it, or refused with why.
fn arrive(tx: &Conn, from: &str, person: &str, step: &Step, origin: &str, now: &str) -> Result<()> {
    let kind = SubmissionKind::from_code(&step.kind).ok_or_else(|| {
        Error::invalid("file", format!("同步内容中有无法识别的步骤“{}”", step.kind))
    })?;
    let recorded = chrono::DateTime::parse_from_rfc3339(&step.recorded_at)
        .map_err(|_| Error::invalid("file", "同步内容中的记录时间无法识别"))?;
    let actor = Actor::new(person_id(tx, person)?, person, origin, recorded);
    let action = match kind {
        SubmissionKind::Requirement => Action::Register,
        SubmissionKind::Bug => Action::ReportBug,
        SubmissionKind::Notice => Action::Notify,
    };
    let mut state = "waiting";
    let mut reason = String::new();
    if step.person != person {
        state = "refused";
        reason = format!("记录人 {} 不是这台电脑的使用人 {person}", step.person);
    } else if let Err(e) = super::people::allow(tx, &actor, action) {
        state = "refused";
        reason = e.to_string();
    } else if kind == SubmissionKind::Notice {
        tx.execute_batch("SAVEPOINT arriving")?;
        match apply_notice(tx, &actor, step) {
            Ok(()) => {
                tx.execute_batch("RELEASE SAVEPOINT arriving")?;
                state = "applied";
            }
            Err(
                e @ (Error::Invalid { .. }
                | Error::Conflict(_)
                | Error::NotFound(_)
                | Error::Forbidden(_)
                | Error::Stale(_)),
            ) => {
                tx.execute_batch("ROLLBACK TO SAVEPOINT arriving; RELEASE SAVEPOINT arriving")?;
                state = "refused";
                reason = e.to_string();
            }
            Err(other) => return Err(other),
        }
    }
    let settled = (state != "waiting").then_some(now);
    tx.execute(
        "INSERT INTO submissions (origin, origin_id, kind, person, target, summary, fields,
             happened_at, recorded_at, arrived_at, state, reason, settled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            from,
            step.id,
            kind.code(),
            step.person,
            step.target,
            step.summary,
            step.fields.to_string(),
            step.happened_at,
            step.recorded_at,
            now,
            state,
            reason,
            settled
        ],
    )?;
    Ok(())
}

/// A notice from a laptop, applied as its person recorded it: refused when the same step was
/// already told to the same audience (by someone else, or by an earlier sync).
fn apply_notice(tx: &Conn, actor: &Actor, step: &Step) -> Result<()> {
    let n: NewNotification = serde_json::from_value(step.fields.clone())
        .map_err(|_| Error::invalid("file", "同步内容中的通知记录无法读取"))?;
    if step.fields["bug"] == serde_json::Value::Bool(true) {
        // B4: a fixed bug's user told by 推广部
        let b = super::bugs::load(tx, step.target.trim())?;
        let told: Option<(String, String)> = tx
            .query_row(
                "SELECT recorded_by, sent_at FROM notifications
                  WHERE bug_id = ?1 AND step = ?2 AND audience = ?3 ORDER BY id LIMIT 1",
                params![b.id, n.step.code(), n.audience.code()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((by, at)) = told {
            return Err(Error::Conflict(format!(
                "Bug {} 的“{}”已由 {by} 于 {} 通知过{}",
                b.number,
                n.step.label(),
                dates::local_of_moment(&at)
                    .map(|t| dates::minute(&t))
                    .unwrap_or(at.clone()),
                n.audience.label()
            )));
        }
        super::notifications::bug_notice_in(tx, actor, &b.number, &n, &actor.stamp())?;
        return Ok(());
    }
    let req = super::requirements::load(tx, step.target.trim())?;
    if let Some(at) = &req.withdrawn_at {
        return Err(Error::Conflict(format!(
            "需求 {} 已于 {} 撤回（{}），不再记录通知",
            req.number,
            dates::day_of_moment(at)
                .map(dates::chinese)
                .unwrap_or_else(|| at.clone()),
            req.withdrawn_reason
        )));
    }
    // a 延期 notice tells of the delay now in force: one recorded before its approval told of
    // an earlier delay (as the notices owed count them)
    let since = match n.step {
        crate::domain::notify::Step::Delay => req
            .delays_in_force()
            .iter()
            .filter_map(|d| d.approved_on)
            .max()
            .map(dates::iso),
        _ => None,
    }
    .unwrap_or_default();
    let told: Option<(String, String)> = tx
        .query_row(
            "SELECT recorded_by, sent_at FROM notifications
              WHERE requirement_id = ?1 AND step = ?2 AND audience = ?3 AND sent_at >= ?4
              ORDER BY id LIMIT 1",
            params![req.id, n.step.code(), n.audience.code(), since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((by, at)) = told {
        return Err(Error::Conflict(format!(
            "需求 {} 的“{}”已由 {by} 于 {} 通知过{}",
            req.number,
            n.step.label(),
            dates::local_of_moment(&at)
                .map(|t| dates::minute(&t))
                .unwrap_or(at.clone()),
            n.audience.label()
        )));
    }
    super::notifications::notice_in(tx, actor, &req.number, &n, &actor.stamp())?;
    Ok(())
}

/// The laptop's notices still on their way, recorded again on its fresh copy (so its lists
/// keep showing them until the department's copy comes back with them). One that no longer
/// fits the copy is left to the department to refuse.
fn replay_notices(tx: &Conn) -> Result<()> {
    let waiting = select(
        tx,
        "origin = '' AND kind = 'notice' AND state = 'waiting' AND arrived_at IS NULL",
        &[],
    )?;
    for s in waiting {
        let Ok(n) = serde_json::from_value::<NewNotification>(s.fields.clone()) else {
            continue;
        };
        let Ok(recorded) = chrono::DateTime::parse_from_rfc3339(&s.recorded_at) else {
            continue;
        };
        let actor = Actor::new(None, s.person.clone(), "sync", recorded);
        tx.execute_batch("SAVEPOINT replay")?;
        let replayed = if s.fields["bug"] == serde_json::Value::Bool(true) {
            super::notifications::bug_notice_in(tx, &actor, &s.target, &n, &s.recorded_at)
        } else {
            super::notifications::notice_in(tx, &actor, &s.target, &n, &s.recorded_at)
        };
        match replayed {
            Ok(_) => tx.execute_batch("RELEASE SAVEPOINT replay")?,
            Err(_) => tx.execute_batch("ROLLBACK TO SAVEPOINT replay; RELEASE SAVEPOINT replay")?,
        }
    }
    Ok(())
}

fn is_local_setting(key: &str) -> bool {
    LOCAL_SETTINGS
        .iter()
        .any(|l| key == *l || (l.ends_with('.') && key.starts_with(l)))
}

/// The listed person of that name (an active one first): the person of a laptop.
fn person_id(conn: &Conn, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM people WHERE name = ?1 ORDER BY active DESC, id LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Reads what `person` sees on a laptop (in the caller's snapshot).
fn snapshot_in(conn: &Conn, person: &str, hash: bool, required: bool) -> Result<Snapshot> {
    let Some(pid) = person_id(conn, person)? else {
        return Err(Error::NotFound(format!("人员名单中没有“{person}”")));
    };
    // signing in on the laptop needs the person's own password, which only the first copy
    // brings: required there when it is here and that copy carries one
    let has_password: bool = conn.query_row(
        "SELECT password_hash <> '' FROM people WHERE id = ?1",
        [pid],
        |r| r.get(0),
    )?;
    let sign_in = required && has_password;
    let reqs = "SELECT id FROM requirements WHERE reporter = ?1 OR reporter_id = ?2";
    let bugs = "SELECT id FROM bugs WHERE reporter = ?1";
    let delays = format!("SELECT id FROM delay_applications WHERE requirement_id IN ({reqs})");
    let notices = format!(
        "SELECT id FROM notifications WHERE requirement_id IN ({reqs}) OR bug_id IN ({bugs})"
    );
    let filter = |table: &str| -> String {
        match table {
            "requirements" => format!("id IN ({reqs})"),
            "bugs" => format!("id IN ({bugs})"),
            "delay_applications" => format!("id IN ({delays})"),
            "delay_signoffs" => format!("delay_id IN ({delays})"),
            "notifications" => format!("id IN ({notices})"),
            "attachments" => format!(
                "requirement_id IN ({reqs}) OR bug_id IN ({bugs}) OR delay_id IN ({delays})"
            ),
            "history" => format!(
                "(entity = 'requirement' AND entity_id IN ({reqs}))
                 OR (entity = 'bug' AND entity_id IN ({bugs}))
                 OR (entity = 'delay' AND entity_id IN ({delays}))
                 OR (entity = 'notification' AND entity_id IN ({notices}))"
            ),
            _ => "1 = 1".into(),
        }
    };
    let mut req_ids = std::collections::HashSet::new();
    let mut bug_ids = std::collections::HashSet::new();
    let mut tables = Vec::new();
    for table in MIRRORED {
        let columns = super::copy::columns(conn, table)?;
        let list = columns.join(", ");
        let order = if columns.iter().any(|c| c == "id") {
            " ORDER BY id"
        } else {
            ""
        };
        let mut st = conn.prepare(&format!(
            "SELECT {list} FROM {table} WHERE {}{order}",
            filter(table)
        ))?;
        let read = |r: &Row| (0..columns.len()).map(|i| r.get(i)).collect();
        let where_ = filter(table);
        // bound as the filter names them (a server refuses a parameter it cannot type)
        let rows: Vec<Vec<Value>> = match (where_.contains("?1"), where_.contains("?2")) {
            (true, true) => st.query_map(params![person, pid], read)?,
            (true, false) => st.query_map(params![person], read)?,
            (false, _) => st.query_map(params![], read)?,
        }
        .collect::<super::sql::Result<_>>()?;
        let at = |name: &str| columns.iter().position(|c| c == name);
        let mut out = Vec::with_capacity(rows.len());
        for mut row in rows {
            match *table {
                "settings" => {
                    let Some(Value::Text(key)) = at("key").map(|k| &row[k]) else {
                        continue;
                    };
                    if is_local_setting(key) {
                        continue;
                    }
                }
                "people" => {
                    if let (Some(i), Some(h)) = (at("id"), at("password_hash")) {
                        if !hash || row[i] != Value::Integer(pid) {
                            row[h] = Value::Text(String::new());
                        }
                    }
                }
                "requirements" => {
                    if let Some(i) = at("id") {
                        if let Value::Integer(id) = row[i] {
                            req_ids.insert(id);
                        }
                    }
                }
                "bugs" => {
                    if let Some(i) = at("id") {
                        if let Value::Integer(id) = row[i] {
                            bug_ids.insert(id);
                        }
                    }
                }
                _ => {}
            }
            out.push(row);
        }
        if *table == "settings" {
            // the laptop's own answer, whether or not this database holds the row
            let (k, v) = (
                columns.iter().position(|c| c == "key"),
                columns.iter().position(|c| c == "value"),
            );
            if let (Some(k), Some(v), 2) = (k, v, columns.len()) {
                out.retain(|row| row[k] != Value::Text("security.sign_in".into()));
                let mut row = vec![Value::Null, Value::Null];
                row[k] = Value::Text("security.sign_in".into());
                row[v] = Value::Text(if sign_in { "on" } else { "off" }.into());
                out.push(row);
            }
        }
        tables.push((table.to_string(), columns, out));
    }
    // links to records the laptop does not hold are left out
    for (table, columns, rows) in &mut tables {
        let (col, keep) = match table.as_str() {
            "requirements" => ("from_bug_id", &bug_ids),
            "bugs" => ("requirement_id", &req_ids),
            _ => continue,
        };
        if let Some(i) = columns.iter().position(|c| c == col) {
            for row in rows.iter_mut() {
                if let Value::Integer(id) = row[i] {
                    if !keep.contains(&id) {
                        row[i] = Value::Null;
                    }
                }
            }
        }
    }
    Ok(Snapshot {
        schema: super::schema_version(),
        person: person.to_string(),
        tables: tables
            .into_iter()
            .map(|(table, columns, rows)| TableRows {
                table,
                columns,
                rows: rows
                    .into_iter()
                    .map(|r| r.into_iter().map(Cell::from_value).collect())
                    .collect(),
            })
            .collect(),
    })
}

/// Replaces the laptop's copy with `snap` (in the caller's transaction): its own settings,
/// submissions, peers and passwords stay, and its person operates it.
fn put_snapshot(tx: &Conn, snap: &Snapshot) -> Result<()> {
    if snap.schema != super::schema_version() {
        return Err(Error::Conflict(format!(
            "同步内容来自另一版本的跟进（数据库结构第 {} 版，本机第 {} 版），没有应用。请把两边升级到同一版本后再同步",
            snap.schema,
            super::schema_version()
        )));
    }
    for t in &snap.tables {
        if !MIRRORED.contains(&t.table.as_str()) {
            return Err(Error::invalid(
                "file",
                format!("同步内容中有不应出现的表“{}”", t.table),
            ));
        }
        let here = super::copy::columns(tx, &t.table)?;
        if t.columns.iter().any(|c| !here.contains(c))
            || t.rows.iter().any(|r| r.len() != t.columns.len())
        {
            return Err(Error::invalid(
                "file",
                format!("同步内容中表“{}”的列与本机不符", t.table),
            ));
        }
    }
    // the laptop's own passwords stay (a reply carries none)
    let hashes: Vec<(i64, String)> = {
        let mut st =
            tx.prepare("SELECT id, password_hash FROM people WHERE password_hash <> ''")?;
        let h = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<super::sql::Result<Vec<_>>>()?;
        h
    };
    tx.defer_constraints()?;
    tx.execute_batch("DELETE FROM requirement_search; UPDATE search_state SET indexed_upto = 0")?;
    for table in MIRRORED.iter().rev() {
        if *table == "settings" {
            let keys: Vec<String> = {
                let mut st = tx.prepare("SELECT key FROM settings")?;
                let k = st
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<super::sql::Result<Vec<_>>>()?;
                k
            };
            for k in keys.iter().filter(|k| !is_local_setting(k)) {
                tx.execute("DELETE FROM settings WHERE key = ?1", [k.as_str()])?;
            }
        } else {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
    }
    for t in &snap.tables {
        let names: Vec<&str> = t.columns.iter().map(String::as_str).collect();
        let key = t.columns.iter().position(|c| c == "key");
        let mut rows = Vec::with_capacity(t.rows.len());
        for r in &t.rows {
            let row = r.iter().map(Cell::to_value).collect::<Result<Vec<_>>>()?;
            if t.table == "settings" {
                if let Some(Value::Text(k)) = key.map(|i| &row[i]) {
                    if is_local_setting(k) {
                        continue;
                    }
                }
            }
            rows.push(row);
        }
        for chunk in rows.chunks(500) {
            let refs: Vec<Vec<ValueRef<'_>>> = chunk
                .iter()
                .map(|row| row.iter().map(Value::as_ref).collect())
                .collect();
            tx.append_rows(&t.table, &names, &refs)?;
        }
        if t.columns.iter().any(|c| c == "id") {
            tx.ids_follow(&t.table)?;
        }
    }
    for (id, hash) in hashes {
        tx.execute(
            "UPDATE people SET password_hash = ?1 WHERE id = ?2 AND password_hash = ''",
            params![hash, id],
        )?;
    }
    // sign-in on a laptop whose person has no password here would lock them out of their own
    // waiting steps: it stays off until a new copy brings their password
    let usable: i64 = tx.query_row(
        "SELECT count(*) FROM people WHERE name = ?1 AND active = 1 AND password_hash <> ''",
        [snap.person.as_str()],
        |r| r.get(0),
    )?;
    if usable == 0 {
        super::settings::set(tx, "security.sign_in", "off")?;
    }
    // the person operates their laptop
    if let Some(me) = person_id(tx, &snap.person)? {
        super::settings::set(tx, OPERATOR_KEY, &me.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(db: &Db, name: &str) -> Actor {
        let id = db.person_by_name(name).unwrap().map(|p| p.id);
        Actor::new(id, name, "test", chrono::Local::now().fixed_offset())
    }

    /// Two collectors registering one report at once: the one whose transaction comes second
    /// is told, and no second number is made (the check is made again inside the write).
    #[test]
    fn a_report_is_claimed_once() {
        let mut db = Db::test_db();
        let first = Actor::new(None, "李收集", "test", chrono::Local::now().fixed_offset());
        db.add_person(
            &first,
            &super::super::PersonInput {
                name: "李收集".into(),
                roles: vec![crate::domain::people::Role::Collector],
                ..Default::default()
            },
        )
        .unwrap();
        let a = actor(&db, "李收集");
        let s = db
            .submit_requirement(
                &a,
                &RequirementInput {
                    brief: "问卷 计分".into(),
                    ..Default::default()
                },
                &[],
                None,
            )
            .unwrap();
        db.write(|tx| claim(tx, s.id)).unwrap();
        let again = db.write(|tx| claim(tx, s.id)).unwrap_err();
        assert!(again.to_string().contains("刚刚已被"), "{again}");
    }

    /// Settings that belong to one database never travel to a laptop.
    #[test]
    fn local_settings_stay_local() {
        for key in [
            DATABASE_ID,
            OPERATOR_KEY,
            "app.opened_by.PC-1",
            "database.moved_to",
        ] {
            assert!(is_local_setting(key), "{key}");
        }
        for key in [
            "security.sign_in",
            "numbering.requirement",
            "deadlines.r5_hours",
        ] {
            assert!(!is_local_setting(key), "{key}");
        }
    }
}
