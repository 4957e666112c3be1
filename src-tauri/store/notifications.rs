//! Closing the loop: which notifications a requirement owes, their ready-to-send texts, and the
//! record of who was told what, when, how, and whether they confirmed (已知).

use super::history::{record, Change};
use super::requirements::load;
use super::{Actor, Db, Requirement};
use crate::domain::dates;
use crate::domain::fields::notification_summary;
use crate::domain::notify::{
    audiences, channel_name, compose, is_due, Audience, Facts, Step, CHANNEL_LIST,
};
use crate::error::{Error, Result};
use crate::store::sql::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct NotificationRecord {
    pub id: i64,
    pub step: Step,
    pub audience: Audience,
    pub recipient: String,
    /// How they were told, as people call it (a value of the 通知方式 list).
    pub channel: String,
    pub message: String,
    pub sent_at: String,
    pub confirmed_at: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// One message a requirement owes: to whom, the text, and what has been recorded for it.
#[derive(Debug, Clone, Serialize)]
pub struct NotificationDue {
    pub step: Step,
    pub audience: Audience,
    pub recipient: String,
    pub message: String,
    pub sent: bool,
    pub confirmed: bool,
    pub records: Vec<NotificationRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewNotification {
    pub step: Step,
    pub audience: Audience,
    #[serde(default)]
    pub recipient: String,
    /// A value of the 通知方式 list (`domain::notify::CHANNEL_LIST`).
    pub channel: String,
    #[serde(default)]
    pub message: String,
    /// When it was sent; defaults to now.
    #[serde(default)]
    pub sent_at: Option<String>,
    /// The person already confirmed (e.g. told in person or on the phone).
    #[serde(default)]
    pub confirmed: bool,
}

fn from_row(r: &Row) -> crate::store::sql::Result<NotificationRecord> {
    let step: String = r.get(1)?;
    let audience: String = r.get(2)?;
    Ok(NotificationRecord {
        id: r.get(0)?,
        step: Step::from_code(&step).unwrap_or(Step::Decision),
        audience: Audience::from_code(&audience).unwrap_or(Audience::Reporter),
        recipient: r.get(3)?,
        channel: r.get(4)?,
        message: r.get(5)?,
        sent_at: r.get(6)?,
        confirmed_at: r.get(7)?,
        recorded_by: r.get(8)?,
        recorded_at: r.get(9)?,
    })
}

const COLUMNS: &str =
    "id, step, audience, recipient, channel, message, sent_at, confirmed_at, recorded_by, recorded_at";

pub fn facts(req: &Requirement) -> Facts {
    let in_force = req.delays_in_force();
    let delay = in_force.last();
    Facts {
        number: req.number.clone(),
        brief: req.brief.clone(),
        overview: req.overview.clone(),
        reporter: req.reporter.clone(),
        requester: req.requester.clone(),
        decision: req.decision,
        grade: req.grade,
        conversion_summary: req.conversion_summary.clone(),
        decision_reason: req.decision_reason.clone(),
        expected_delivery: req.expected_delivery.as_deref().and_then(dates::from_iso),
        delay_new_date: delay.map(|d| d.new_date),
        // the short reason (`DelayFacts::reason`), never the application's whole reason
        delay_reason: delay.map(|d| d.reason.clone()).unwrap_or_default(),
        actual_delivery: req.actual_delivery.as_deref().and_then(dates::from_iso),
    }
}

/// The channel a notice names: a value of the 通知方式 list in use (an earlier version's code
/// is read as its name), else a Chinese refusal naming the field.
fn channel_of(conn: &crate::store::sql::Conn, input: &str) -> Result<String> {
    let name = channel_name(input);
    if name.is_empty() {
        return Err(Error::invalid("channel", "请选择通知方式"));
    }
    if super::settings::offered(conn, CHANNEL_LIST, &name)? {
        Ok(name)
    } else {
        Err(Error::invalid(
            "channel",
            format!("通知方式“{name}”不在列表中（可在 设置 → 可选列表 → 通知方式 中添加）"),
        ))
    }
}

fn default_recipient(req: &Requirement, audience: Audience) -> String {
    match audience {
        Audience::Reporter => req.reporter.clone(),
        Audience::Requester => req.requester.clone(),
        Audience::It => "IT部负责人".into(),
        Audience::User => "用户".into(),
    }
}

/// A notice owed and not yet recorded, with its requirement (the 批量通知 page).
#[derive(Debug, Clone, Serialize)]
pub struct OwedNotice {
    pub number: String,
    pub brief: String,
    pub step: Step,
    pub audience: Audience,
    pub recipient: String,
    pub message: String,
}

/// The notices owed now, the first `limit` of them, and how many there are.
#[derive(Debug, Clone, Serialize)]
pub struct OwedNotices {
    pub total: usize,
    pub items: Vec<OwedNotice>,
}

impl Db {
    /// The notices owed at `now` and not recorded yet (issue 20: recorded several at once):
    /// those of the requirements whose notice steps (R5, R6, R9–R12, R14) are open, oldest
    /// due first; only those to `recipient` when given. At most `limit` items, with the total.
    pub fn owed_notices(
        &self,
        now: chrono::NaiveDateTime,
        recipient: Option<&str>,
        limit: usize,
    ) -> Result<OwedNotices> {
        let mut open: Vec<(chrono::NaiveDateTime, String)> = self
            .deadlines(now.date())?
            .into_iter()
            .filter(|d| d.done.is_none() && !d.legacy && d.rule.tab() == "notify")
            .map(|d| (d.due, d.record))
            .collect();
        open.sort();
        let mut seen = std::collections::HashSet::new();
        let recipient = recipient.map(str::trim).filter(|r| !r.is_empty());
        let mut items = Vec::new();
        for (_, number) in open {
            if !seen.insert(number.clone()) {
                continue;
            }
            let req = match self.requirement(&number) {
                Ok(r) => r,
                Err(Error::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            for d in self.dues_of(&req)? {
                if d.sent || d.audience == Audience::It {
                    continue;
                }
                if recipient.is_some_and(|r| r != d.recipient) {
                    continue;
                }
                items.push(OwedNotice {
                    number: number.clone(),
                    brief: req.brief.clone(),
                    step: d.step,
                    audience: d.audience,
                    recipient: d.recipient,
                    message: d.message,
                });
            }
        }
        let total = items.len();
        items.truncate(limit);
        Ok(OwedNotices { total, items })
    }
}

/// One requirement's notice inside the caller's transaction: checked (due, a recipient, a
/// listed channel, a time not ahead), composed when no text is given, and kept. Returns its id.
pub(crate) fn notice_in(
    tx: &crate::store::sql::Conn,
    actor: &Actor,
    number: &str,
    n: &NewNotification,
    now: &str,
) -> Result<i64> {
    let sent_at = moment_or_now("sent_at", "发送时间", n.sent_at.as_deref(), now)?;
    let req = load(tx, number)?;
    if !is_due(n.step, &facts(&req)) {
        return Err(Error::Conflict(format!(
            "需求 {number} 还没有“{}”可以通知",
            n.step.label()
        )));
    }
    let recipient = if n.recipient.trim().is_empty() {
        default_recipient(&req, n.audience)
    } else {
        n.recipient.trim().to_string()
    };
    if recipient.is_empty() {
        return Err(Error::invalid("recipient", "请填写通知对象"));
    }
    let message = if n.message.trim().is_empty() {
        compose(n.step, n.audience, &facts(&req))
    } else {
        n.message.clone()
    };
    insert_notice(
        tx,
        actor,
        ("requirement", req.id),
        n,
        &recipient,
        &message,
        &sent_at,
        now,
    )
}

/// What a laptop does not send yet (issue 24) is refused there rather than lost at the next sync.
fn not_on_a_laptop(conn: &crate::store::sql::Conn, what: &str) -> Result<()> {
    if super::sync::is_laptop(conn)? {
        return Err(Error::Forbidden(format!(
            "这是外出用的复制库，不能在这里{what}：请回到共享数据库上记录"
        )));
    }
    Ok(())
}

/// On a laptop, notice `id` just recorded also waits to be sent (issue 24).
fn captured(
    tx: &crate::store::sql::Conn,
    actor: &Actor,
    number: &str,
    n: &NewNotification,
    id: i64,
    of_bug: bool,
) -> Result<()> {
    let sent_at: String = tx.query_row(
        "SELECT sent_at FROM notifications WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    super::sync::capture_notice(tx, actor, number, n, &sent_at, of_bug)
}

/// Records, in the caller's transaction, that a fixed bug's reporter or user was told (B4):
/// refused while the bug is not fixed. `now`: when it is recorded.
pub(crate) fn bug_notice_in(
    tx: &crate::store::sql::Conn,
    actor: &Actor,
    number: &str,
    n: &NewNotification,
    now: &str,
) -> Result<i64> {
    use crate::domain::notify::{compose_bug, BUG_AUDIENCES};
    let b = super::bugs::load(tx, number.trim())?;
    if b.fixed_date.is_none() || n.step != Step::BugFixed || !BUG_AUDIENCES.contains(&n.audience) {
        return Err(Error::Conflict(format!(
            "Bug {} 还没有修复，没有可以通知的事项",
            b.number
        )));
    }
    let sent_at = moment_or_now("sent_at", "发送时间", n.sent_at.as_deref(), now)?;
    // not named: the reporter, or the user the bug came from
    let recipient = match n.recipient.trim() {
        "" if n.audience == Audience::Reporter => b.reporter.clone(),
        "" => {
            let place = format!("{}{}", b.hospital, b.clinic_department);
            if place.is_empty() {
                "用户".to_string()
            } else {
                format!("用户（{place}）")
            }
        }
        named => named.to_string(),
    };
    if recipient.is_empty() {
        return Err(Error::invalid("recipient", "请填写通知对象"));
    }
    let message = if n.message.trim().is_empty() {
        compose_bug(n.audience, &bug_notice(&b))
    } else {
        n.message.clone()
    };
    insert_notice(
        tx,
        actor,
        ("bug", b.id),
        n,
        &recipient,
        &message,
        &sent_at,
        now,
    )
}

/// What a bug's notices quote.
fn bug_notice(b: &crate::store::BugView) -> crate::domain::notify::BugNotice {
    crate::domain::notify::BugNotice {
        number: b.number.clone(),
        content: b.content.clone(),
        reporter: b.reporter.clone(),
        fixed: b.fixed_date.as_deref().and_then(dates::from_iso),
        version: b.fixed_version.clone(),
    }
}

/// A moment typed by a person (`2014-06-21 10:30`), or `now` when left empty; `field`/`label`
/// name it in the refusal.
fn moment_or_now(field: &str, label: &str, input: Option<&str>, now: &str) -> Result<String> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(now.to_string()),
        Some(s) => {
            let stored = dates::parse_moment(s)
                .ok_or_else(|| Error::invalid(field, format!("{label}“{s}”无法识别")))?;
            // a notice is recorded after it was given, never ahead of it (issue 19)
            if let (Ok(t), Ok(n)) = (
                chrono::DateTime::parse_from_rfc3339(&stored),
                chrono::DateTime::parse_from_rfc3339(now),
            ) {
                dates::not_future(field, label, &t, n)?;
            }
            Ok(stored)
        }
    }
}

/// Writes one notification of a requirement or a bug (`owner`: its history entity and id) in
/// the caller's transaction, with its history rows (told; and confirmed, when it was).
#[allow(clippy::too_many_arguments)]
fn insert_notice(
    tx: &crate::store::sql::Conn,
    actor: &Actor,
    owner: (&str, i64),
    n: &NewNotification,
    recipient: &str,
    message: &str,
    sent_at: &str,
    now: &str,
) -> Result<i64> {
    let (entity, owner_id) = owner;
    let column = if entity == "bug" {
        "bug_id"
    } else {
        "requirement_id"
    };
    let confirmed = n.confirmed.then_some(sent_at);
    tx.execute(
        &format!(
            "INSERT INTO notifications ({column}, step, audience, recipient, channel, message,
                 sent_at, confirmed_at, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ),
        params![
            owner_id,
            n.step.code(),
            n.audience.code(),
            recipient,
            channel_of(tx, &n.channel)?,
            message,
            sent_at,
            confirmed,
            actor.name,
            now
        ],
    )?;
    let id = tx.inserted_id()?;
    let summary = notification_summary(n.step, n.audience, recipient, &channel_name(&n.channel));
    let fields: &[&str] = if n.confirmed {
        &["notification", "notification_confirmed"]
    } else {
        &["notification"]
    };
    for field in fields {
        record(
            tx,
            actor,
            sent_at,
            now,
            Change {
                entity,
                entity_id: owner_id,
                field,
                old: None,
                new: Some(&summary),
                version: None,
            },
        )?;
    }
    Ok(id)
}

impl Db {
    /// What a fixed bug owes (SPEC §3 step 4): the reporter, then the user through the promotion
    /// dept; each with its ready-to-send text and what was recorded. Empty until it is fixed.
    pub fn bug_notifications(&self, number: &str) -> Result<Vec<NotificationDue>> {
        use crate::domain::notify::{compose_bug, BUG_AUDIENCES};
        let b = self.bug(number)?;
        if b.fixed_date.is_none() {
            return Ok(Vec::new());
        }
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM notifications WHERE bug_id = ?1 ORDER BY sent_at, id"
        ))?;
        let records: Vec<NotificationRecord> = st
            .query_map([b.id], from_row)?
            .collect::<crate::store::sql::Result<_>>()?;
        let notice = bug_notice(&b);
        Ok(BUG_AUDIENCES
            .iter()
            .map(|&audience| {
                let mine: Vec<NotificationRecord> = records
                    .iter()
                    .filter(|r| r.step == Step::BugFixed && r.audience == audience)
                    .cloned()
                    .collect();
                NotificationDue {
                    step: Step::BugFixed,
                    audience,
                    recipient: match audience {
                        Audience::Reporter => b.reporter.clone(),
                        _ => "用户".into(),
                    },
                    message: compose_bug(audience, &notice),
                    sent: !mine.is_empty(),
                    confirmed: mine.iter().any(|r| r.confirmed_at.is_some()),
                    records: mine,
                }
            })
            .collect())
    }

    /// Records that a fixed bug's reporter or user was told (and whether they confirmed).
    pub fn record_bug_notification(
        &mut self,
        actor: &Actor,
        number: &str,
        n: &NewNotification,
    ) -> Result<NotificationRecord> {
        self.allow(actor, crate::domain::people::Action::Notify)?;
        let now = actor.stamp();
        let id = self.write(|tx| {
            let id = bug_notice_in(tx, actor, number, n, &now)?;
            captured(tx, actor, number.trim(), n, id, true)?;
            Ok(id)
        })?;
        self.notification(id)
    }

    pub(crate) fn notification_records(
        &self,
        requirement_id: i64,
    ) -> Result<Vec<NotificationRecord>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM notifications WHERE requirement_id = ?1 ORDER BY sent_at, id"
        ))?;
        let rows = st.query_map([requirement_id], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every message the requirement owes now, in process order, with what was recorded.
    pub fn notifications(&self, number: &str) -> Result<Vec<NotificationDue>> {
        self.dues_of(&self.requirement(number)?)
    }

    /// The notices requirement `req` owes (see [`Db::notifications`]).
    fn dues_of(&self, req: &Requirement) -> Result<Vec<NotificationDue>> {
        let f = facts(req);
        let records = self.notification_records(req.id)?;
        let mut out = Vec::new();
        for step in Step::ALL.iter().copied().filter(|s| is_due(*s, &f)) {
            for audience in audiences(step, &f) {
                // a 延期 notice tells of the delay now in force: one recorded before its approval
                // told of an earlier delay, and does not count for this one
                let since = match step {
                    Step::Delay => req
                        .delays_in_force()
                        .iter()
                        .filter_map(|d| d.approved_on)
                        .max()
                        .map(dates::iso),
                    _ => None,
                };
                let mine: Vec<NotificationRecord> = records
                    .iter()
                    .filter(|r| r.step == step && r.audience == audience)
                    .filter(|r| since.as_deref().is_none_or(|s| r.sent_at.as_str() >= s))
                    .cloned()
                    .collect();
                out.push(NotificationDue {
                    step,
                    audience,
                    recipient: default_recipient(req, audience),
                    message: compose(step, audience, &f),
                    sent: !mine.is_empty(),
                    confirmed: mine.iter().any(|r| r.confirmed_at.is_some()),
                    records: mine,
                });
            }
        }
        Ok(out)
    }

    /// Records one notice of requirement `number` (see [`Db::record_notifications`]).
    pub fn record_notification(
        &mut self,
        actor: &Actor,
        number: &str,
        n: &NewNotification,
    ) -> Result<NotificationRecord> {
        self.allow(actor, crate::domain::people::Action::Notify)?;
        let now = actor.stamp();
        let id = self.write(|tx| {
            let id = notice_in(tx, actor, number.trim(), n, &now)?;
            captured(tx, actor, number.trim(), n, id, false)?;
            Ok(id)
        })?;
        self.notification(id)
    }

    /// Records the same kind of notice for several requirements or recipients in one action
    /// (issue 20: after a meeting, "tell 周杰 the results of his three requirements"): all or
    /// none in one transaction, one notification and one history row each. Every item is
    /// checked before anything is kept. Errors: `InvalidRows` naming each refused requirement
    /// (the field `state` for a notice not due yet).
    pub fn record_notifications(
        &mut self,
        actor: &Actor,
        items: &[(String, NewNotification)],
    ) -> Result<Vec<NotificationRecord>> {
        self.allow(actor, crate::domain::people::Action::Notify)?;
        if items.is_empty() {
            return Err(Error::invalid("number", "请至少选择一条要记录的通知"));
        }
        let now = actor.stamp();
        let ids = self.write(|tx| {
            let mut ids = Vec::with_capacity(items.len());
            let mut problems = Vec::new();
            for (number, n) in items {
                let number = number.trim();
                let row = |field: &str, message: String| crate::error::RowProblem {
                    record: number.to_string(),
                    field: field.to_string(),
                    message,
                };
                match notice_in(tx, actor, number, n, &now) {
                    Ok(id) => {
                        captured(tx, actor, number, n, id, false)?;
                        ids.push(id)
                    }
                    Err(Error::Invalid { field, message }) => problems.push(row(&field, message)),
                    Err(Error::Conflict(message)) => problems.push(row("state", message)),
                    Err(Error::NotFound(message)) => problems.push(row("number", message)),
                    Err(other) => return Err(other),
                }
            }
            if problems.is_empty() {
                Ok(ids)
            } else {
                Err(Error::InvalidRows(problems))
            }
        })?;
        ids.into_iter().map(|id| self.notification(id)).collect()
    }

    fn notification(&self, id: i64) -> Result<NotificationRecord> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM notifications WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("找不到通知记录（{id}）")))
    }

    /// Records that the person told has confirmed they know (确定需求报告人已知).
    pub fn confirm_notification(
        &mut self,
        actor: &Actor,
        id: i64,
        confirmed_at: Option<&str>,
    ) -> Result<NotificationRecord> {
        self.allow(actor, crate::domain::people::Action::Notify)?;
        not_on_a_laptop(
            self.conn(),
            "补记对方已确认（外出时请在记录通知时就勾选“已确认”）",
        )?;
        let now = actor.stamp();
        let when = moment_or_now("confirmed_at", "确认时间", confirmed_at, &now)?;
        let before = self.notification(id)?;
        if before.confirmed_at.is_some() {
            return Ok(before);
        }
        // confirmed after it was sent, never before (issue 20: the window asks when)
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
        if let (Some(c), Some(sent)) = (at(&when), at(&before.sent_at)) {
            if c < sent {
                return Err(Error::invalid(
                    "confirmed_at",
                    format!(
                        "确认时间不能早于发送时间（{}）",
                        sent.naive_local().format("%Y-%m-%d %H:%M")
                    ),
                ));
            }
        }
        self.write(|tx| {
            // a requirement's notice, or a bug's: the history row goes to its owner
            let (req_id, bug_id): (Option<i64>, Option<i64>) = tx.query_row(
                "SELECT requirement_id, bug_id FROM notifications WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (entity, entity_id) = match (req_id, bug_id) {
                (Some(r), _) => ("requirement", r),
                (None, Some(b)) => ("bug", b),
                (None, None) => return Err(Error::NotFound(format!("找不到通知记录（{id}）"))),
            };
            tx.execute(
                "UPDATE notifications SET confirmed_at = ?1 WHERE id = ?2",
                params![when, id],
            )?;
            let summary = notification_summary(
                before.step,
                before.audience,
                &before.recipient,
                &before.channel,
            );
            record(
                tx,
                actor,
                &when,
                &now,
                Change {
                    entity,
                    entity_id,
                    field: "notification_confirmed",
                    old: None,
                    new: Some(&summary),
                    version: None,
                },
            )?;
            Ok(())
        })?;
        self.notification(id)
    }
}

#[cfg(test)]
mod second_delay_tests {
    use super::*;
    use crate::domain::delay::DelayFacts;
    use crate::domain::notify::{Audience, Step};
    use crate::store::{DecisionInput, DeliveryInput, RequirementInput, StepTime};

    fn d(s: &str) -> chrono::NaiveDate {
        dates::from_iso(s).unwrap()
    }

    /// A 延期 notice told of the delay in force then; a second approved delay is owed again.
    #[test]
    fn a_second_delay_is_told_again() {
        let mut db = Db::test_db();
        let a = Actor::new(None, "李小四", "test", crate::clock::now());
        let r = db
            .create_requirement(
                &a,
                &RequirementInput {
                    received_date: "2014-06-19".into(),
                    reporter: "刘小妹".into(),
                    requester: "郭主任".into(),
                    brief: "问卷自动计分".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        db.record_decision(
            &a,
            &r.number,
            &DecisionInput {
                decision: crate::domain::requirement::Decision::Do,
                grade: Some(crate::domain::requirement::Grade::C),
                conversion_summary: String::new(),
                decision_reason: String::new(),
                decision_date: "2014-06-20".into(),
                at: StepTime::default(),
            },
        )
        .unwrap();
        let day = DeliveryInput {
            date: "2014-06-25".into(),
            at: StepTime::default(),
        };
        db.record_expected_delivery(&a, &r.number, &day).unwrap();
        let delay = |filed: &str, new: &str, approved: &str| DelayFacts {
            id: 0,
            filed: d(filed),
            original: None,
            new_date: d(new),
            reason: "原因".into(),
            approved_on: Some(d(approved)),
            rejected_on: None,
            withdrawn: false,
        };
        let owed = |db: &Db| -> Vec<bool> {
            db.notifications(&r.number)
                .unwrap()
                .into_iter()
                .filter(|n| n.step == Step::Delay)
                .map(|n| n.sent)
                .collect()
        };
        crate::store::delays::insert_for_test(
            db.conn(),
            &a,
            r.id,
            &delay("2014-06-23", "2014-07-25", "2014-06-24"),
        )
        .unwrap();
        assert_eq!(owed(&db), [false, false]);
        for audience in [Audience::Reporter, Audience::Requester] {
            db.record_notification(
                &a,
                &r.number,
                &NewNotification {
                    step: Step::Delay,
                    audience,
                    recipient: String::new(),
                    channel: "QQ".into(),
                    message: String::new(),
                    sent_at: Some("2014-06-24 15:00".into()),
                    confirmed: false,
                },
            )
            .unwrap();
        }
        assert_eq!(owed(&db), [true, true]);
        crate::store::delays::insert_for_test(
            db.conn(),
            &a,
            r.id,
            &delay("2014-07-20", "2014-08-15", "2014-07-22"),
        )
        .unwrap();
        assert_eq!(owed(&db), [false, false], "the second delay is owed again");
    }
}

#[cfg(test)]
mod bug_notice_tests {
    use super::*;
    use crate::domain::notify::{Audience, Step};
    use crate::store::{BugInput, FixInput, ReproduceInput};

    /// Nothing is owed before the fix; then the reporter and the user, each recorded and
    /// confirmed on the bug's own history.
    #[test]
    fn a_fixed_bug_owes_the_reporter_and_the_user() {
        let mut db = Db::test_db();
        let tester = db
            .add_person(
                &Actor::new(None, "管理员", "test", crate::clock::now()),
                &crate::store::PersonInput {
                    name: "测试员小周".into(),
                    roles: crate::domain::people::Role::ALL.to_vec(),
                    ..Default::default()
                },
            )
            .unwrap();
        let a = Actor::new(Some(tester.id), "测试员小周", "test", crate::clock::now());
        let b = db
            .report_bug(
                &a,
                &BugInput {
                    found_date: "2014-07-01".into(),
                    received_date: "2014-07-01".into(),
                    reporter: "刘小妹".into(),
                    phone_model: "iPhone 5".into(),
                    os_version: "iOS 7.1".into(),
                    content: "提交问卷后闪退".into(),
                    ..Default::default()
                },
                &[],
            )
            .unwrap();
        assert!(db.bug_notifications(&b.number).unwrap().is_empty());
        let told = |db: &mut Db| {
            db.record_bug_notification(
                &a,
                &b.number,
                &NewNotification {
                    step: Step::BugFixed,
                    audience: Audience::Reporter,
                    recipient: "刘小妹".into(),
                    channel: "QQ".into(),
                    message: String::new(),
                    sent_at: None,
                    confirmed: false,
                },
            )
        };
        assert!(told(&mut db).is_err(), "nothing to tell before the fix");
        db.reproduce_bug(
            &a,
            &b.number,
            &ReproduceInput {
                reproduced: true,
                at: crate::store::StepTime {
                    happened_at: Some("2014-07-02 10:00".into()),
                    version: None,
                    by: None,
                },
                ..Default::default()
            },
        )
        .unwrap();
        db.fix_bug(
            &a,
            &b.number,
            &FixInput {
                date: "2014-07-03".into(),
                fixed_version: "2.3.1".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let due = db.bug_notifications(&b.number).unwrap();
        let who: Vec<Audience> = due.iter().map(|d| d.audience).collect();
        assert_eq!(who, [Audience::Reporter, Audience::User]);
        assert!(
            due[0].message.starts_with("刘小妹：") && due[0].message.contains("B14070101"),
            "{}",
            due[0].message
        );
        assert!(
            due[1].message.contains("2.3.1 版修复"),
            "{}",
            due[1].message
        );
        let rec = told(&mut db).unwrap();
        db.confirm_notification(&a, rec.id, None).unwrap();
        let due = db.bug_notifications(&b.number).unwrap();
        assert!(due[0].sent && due[0].confirmed && !due[1].sent);
        let fields: Vec<String> = db
            .conn()
            .prepare("SELECT field FROM history WHERE entity = 'bug' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            fields.contains(&"notification".to_string())
                && fields.contains(&"notification_confirmed".to_string()),
            "{fields:?}"
        );
    }
}
