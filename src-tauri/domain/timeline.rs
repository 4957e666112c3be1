//! The timeline: what happened to a record, when it happened, when it was recorded and where
//! the record of it came from. The deadline engine (SPEC §6) stands on it.
//!
//! A requirement's own dates (收到日期, 决策日期, 实际交付日 …) are facts with day precision; the
//! history adds moments (预期交付日 given, 撤回, edits), the notifications when people were told,
//! the delay applications when they were filed and decided. A record read from a legacy file
//! yields the dates its file states — never the time of the import, which is only when it was
//! recorded.

use super::delay::DelayFacts;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

labelled_enum!(
    /// What happened.
    EventKind {
        Reported = "reported", "填报";
        Received = "received", "收到需求";
        Decided = "decided", "决策";
        Promised = "promised", "给出预期交付日";
        PlanDelivered = "plan_delivered", "策划文档交付";
        ItAccepted = "it_accepted", "IT验收";
        Delivered = "delivered", "完成交付";
        DelayFiled = "delay_filed", "提交延期申请";
        DelaySigned = "delay_signed", "延期签字";
        DelayApproved = "delay_approved", "延期批准";
        DelayRejected = "delay_rejected", "延期被驳回";
        Notified = "notified", "通知";
        Confirmed = "confirmed", "确认已知";
        Edited = "edited", "修改";
        Withdrawn = "withdrawn", "撤回";
        Restored = "restored", "恢复";
    }
);

/// When something happened: a day (what forms and files state) or a moment (what the app saw).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Happened {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl Happened {
    pub fn day(self) -> NaiveDate {
        match self {
            Happened::Day(d) => d,
            Happened::At(t) => t.date_naive(),
        }
    }
}

/// One event of a record's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub kind: EventKind,
    pub happened: Happened,
    /// When it was entered (RFC 3339), when known.
    pub recorded_at: Option<String>,
    /// Where the entry came from: `app`, `cli`, `import:<file>`, or empty when not known.
    pub origin: String,
    pub actor: String,
    /// What people read beside it: `做 C`, `2014年7月25日`, `需求梗概：…`.
    pub detail: String,
}

/// A history row as the timeline needs it.
#[derive(Debug, Clone)]
pub struct HistoryFact {
    pub field: String,
    pub field_label: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub actor: String,
    pub happened_at: DateTime<FixedOffset>,
    pub recorded_at: String,
    pub origin: String,
}

impl HistoryFact {
    fn imported(&self) -> bool {
        self.origin.starts_with("import:")
    }
}

/// A notification as the timeline needs it.
#[derive(Debug, Clone)]
pub struct NoticeFact {
    pub summary: String,
    pub sent_at: DateTime<FixedOffset>,
    pub confirmed_at: Option<DateTime<FixedOffset>>,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A delay application as the timeline needs it: the rule's facts and who did what.
#[derive(Debug, Clone)]
pub struct DelayRecord {
    pub facts: DelayFacts,
    pub applicant: String,
    /// When it was entered (RFC 3339) and from where (`app`, `cli`, `import:<file>`).
    pub recorded_at: String,
    pub origin: String,
    /// The signatures in the order of the levels.
    pub signatures: Vec<SignatureFact>,
}

/// One leader's signature on a delay application (附表1), as the paper states it.
#[derive(Debug, Clone)]
pub struct SignatureFact {
    /// `直接领导`, `部门领导`, `总经办`.
    pub level: String,
    pub signer: String,
    /// `同意` / `不同意`, and the words written beside it.
    pub opinion: String,
    pub comment: String,
    /// The day written beside the signature.
    pub day: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A requirement's own dates (the facts its record states).
#[derive(Debug, Clone, Default)]
pub struct RequirementDates {
    pub report_date: Option<NaiveDate>,
    pub received_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    /// `做 C`, `需求转换 B：…`.
    pub decision: String,
    pub plan_actual_date: Option<NaiveDate>,
    pub it_acceptance_actual: Option<NaiveDate>,
    pub actual_delivery: Option<NaiveDate>,
}

/// The dated facts of a requirement, and the columns whose history tells who recorded each.
fn facts(d: &RequirementDates) -> Vec<(EventKind, Option<NaiveDate>, &'static str, String)> {
    vec![
        (
            EventKind::Reported,
            d.report_date,
            "report_date",
            String::new(),
        ),
        (
            EventKind::Received,
            d.received_date,
            "received_date",
            String::new(),
        ),
        (
            EventKind::Decided,
            d.decision_date,
            "decision",
            d.decision.clone(),
        ),
        (
            EventKind::PlanDelivered,
            d.plan_actual_date,
            "plan_actual_date",
            String::new(),
        ),
        (
            EventKind::ItAccepted,
            d.it_acceptance_actual,
            "it_acceptance_actual",
            String::new(),
        ),
        (
            EventKind::Delivered,
            d.actual_delivery,
            "actual_delivery",
            String::new(),
        ),
    ]
}

/// Columns whose changes are part of a dated fact above (not separate edits).
const PART_OF_A_FACT: &[&str] = &[
    "decision",
    "grade",
    "decision_date",
    "conversion_summary",
    "report_date",
    "received_date",
    "plan_doc_number",
    "plan_estimated_date",
    "plan_actual_date",
    "it_acceptance_estimated",
    "it_acceptance_actual",
    "actual_delivery",
];

/// A requirement's timeline, oldest first (events of one day in process order).
pub fn requirement_timeline(
    dates: &RequirementDates,
    history: &[HistoryFact],
    notices: &[NoticeFact],
    delays: &[DelayRecord],
) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    // who first wrote the record: the creation or the import
    let first = history
        .iter()
        .find(|h| h.field == "created" || h.field == "imported");
    for (kind, day, column, detail) in facts(dates) {
        let Some(day) = day else { continue };
        let source = history.iter().rev().find(|h| h.field == column).or(first);
        out.push(Event {
            kind,
            happened: Happened::Day(day),
            recorded_at: source.map(|h| h.recorded_at.clone()),
            origin: source.map(|h| h.origin.clone()).unwrap_or_default(),
            actor: source.map(|h| h.actor.clone()).unwrap_or_default(),
            detail,
        });
    }
    for h in history {
        let kind = match h.field.as_str() {
            "created" | "imported" => continue,
            _ if PART_OF_A_FACT.contains(&h.field.as_str()) => continue,
            // a file states no moment for its changes: only the dated facts above count
            _ if h.imported() => continue,
            "withdrawn" => EventKind::Withdrawn,
            "restored" => EventKind::Restored,
            "expected_delivery" => EventKind::Promised,
            // notifications come from their own table, below
            "notification" | "notification_confirmed" => continue,
            _ => EventKind::Edited,
        };
        let detail = match kind {
            EventKind::Promised => h.new.clone().unwrap_or_default(),
            EventKind::Withdrawn => String::new(),
            _ => format!(
                "{}：{} → {}",
                h.field_label,
                h.old.as_deref().unwrap_or(""),
                h.new.as_deref().unwrap_or("")
            ),
        };
        out.push(Event {
            kind,
            happened: Happened::At(h.happened_at),
            recorded_at: Some(h.recorded_at.clone()),
            origin: h.origin.clone(),
            actor: h.actor.clone(),
            detail,
        });
    }
    for n in notices {
        let base = Event {
            kind: EventKind::Notified,
            happened: Happened::At(n.sent_at),
            recorded_at: Some(n.recorded_at.clone()),
            origin: String::new(),
            actor: n.recorded_by.clone(),
            detail: n.summary.clone(),
        };
        if let Some(c) = n.confirmed_at {
            out.push(Event {
                kind: EventKind::Confirmed,
                happened: Happened::At(c),
                ..base.clone()
            });
        }
        out.push(base);
    }
    for r in delays.iter().filter(|r| !r.facts.withdrawn) {
        let d = &r.facts;
        let detail = format!("#{} 新交付日 {}（{}）", d.id, d.new_date, d.reason);
        let last = r.signatures.last();
        let mut push = |kind, day, actor: &str, recorded_at: &str, detail: String| {
            out.push(Event {
                kind,
                happened: Happened::Day(day),
                recorded_at: Some(recorded_at.to_string()),
                origin: r.origin.clone(),
                actor: actor.to_string(),
                detail,
            })
        };
        push(
            EventKind::DelayFiled,
            d.filed,
            &r.applicant,
            &r.recorded_at,
            detail.clone(),
        );
        for s in &r.signatures {
            let comment = if s.comment.is_empty() {
                String::new()
            } else {
                format!("：{}", s.comment)
            };
            push(
                EventKind::DelaySigned,
                s.day,
                &s.signer,
                &s.recorded_at,
                format!("#{} {} {}{comment}", d.id, s.level, s.opinion),
            );
        }
        // the decision is the last signature's: same day, signer and entry
        let (actor, recorded_at) = last
            .map(|s| (s.signer.as_str(), s.recorded_at.as_str()))
            .unwrap_or(("", r.recorded_at.as_str()));
        if let Some(a) = d.approved_on {
            push(
                EventKind::DelayApproved,
                a,
                actor,
                recorded_at,
                detail.clone(),
            );
        }
        if let Some(rej) = d.rejected_on {
            push(
                EventKind::DelayRejected,
                rej,
                actor,
                recorded_at,
                detail.clone(),
            );
        }
    }
    // by day; within a day the process order, then the moment
    out.sort_by(|a, b| {
        let moment = |e: &Event| match e.happened {
            Happened::At(t) => Some(t),
            Happened::Day(_) => None,
        };
        (a.happened.day(), a.kind as u8, moment(a)).cmp(&(
            b.happened.day(),
            b.kind as u8,
            moment(b),
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn row(field: &str, new: Option<&str>, happened: &str, origin: &str) -> HistoryFact {
        HistoryFact {
            field: field.into(),
            field_label: field.into(),
            old: None,
            new: new.map(Into::into),
            actor: "李小四".into(),
            happened_at: at(happened),
            recorded_at: happened.into(),
            origin: origin.into(),
        }
    }

    fn kinds(events: &[Event]) -> Vec<(EventKind, NaiveDate)> {
        events.iter().map(|e| (e.kind, e.happened.day())).collect()
    }

    #[test]
    fn an_imported_record_keeps_the_dates_of_its_file() {
        let dates = RequirementDates {
            received_date: Some(d("2014-06-19")),
            decision_date: Some(d("2014-06-21")),
            decision: "做 A".into(),
            actual_delivery: Some(d("2014-06-20")),
            ..Default::default()
        };
        let imported = "2026-11-30T14:00:00+08:00";
        let history = [
            row(
                "imported",
                Some("旧.xlsx · 表 · 第 3 行"),
                imported,
                "import:旧.xlsx",
            ),
            row(
                "expected_delivery",
                Some("2014-06-25"),
                imported,
                "import:旧.xlsx",
            ),
        ];
        let events = requirement_timeline(&dates, &history, &[], &[]);
        assert_eq!(
            kinds(&events),
            [
                (EventKind::Received, d("2014-06-19")),
                (EventKind::Delivered, d("2014-06-20")),
                (EventKind::Decided, d("2014-06-21")),
            ]
        );
        assert!(events.iter().all(|e| e.origin == "import:旧.xlsx"));
        assert!(events.iter().all(|e| e.happened.day() != d("2026-11-30")));
        assert_eq!(
            events[0].recorded_at.as_deref(),
            Some(imported),
            "recorded at the import"
        );
    }

    #[test]
    fn app_entries_add_moments_notices_and_delays() {
        let dates = RequirementDates {
            received_date: Some(d("2014-06-19")),
            decision_date: Some(d("2014-06-21")),
            decision: "做 C".into(),
            ..Default::default()
        };
        let history = [
            row(
                "created",
                Some("14061901"),
                "2014-06-19T09:00:00+08:00",
                "app",
            ),
            row("decision", Some("do"), "2014-06-21T10:30:00+08:00", "cli"),
            row(
                "expected_delivery",
                Some("2014-07-01"),
                "2014-06-23T09:00:00+08:00",
                "app",
            ),
            row(
                "brief",
                Some("问卷 计分"),
                "2014-06-22T09:00:00+08:00",
                "app",
            ),
        ];
        let notices = [NoticeFact {
            summary: "决策结果 → 需求报告人 张三（QQ）".into(),
            sent_at: at("2014-06-21T11:00:00+08:00"),
            confirmed_at: Some(at("2014-06-21T11:05:00+08:00")),
            recorded_at: "2014-06-21T11:06:00+08:00".into(),
            recorded_by: "李小四".into(),
        }];
        let sign = |level: &str, signer: &str, day: &str| SignatureFact {
            level: level.into(),
            signer: signer.into(),
            opinion: "同意".into(),
            comment: String::new(),
            day: d(day),
            recorded_by: "李小四".into(),
            recorded_at: "2014-07-02T09:00:00+08:00".into(),
        };
        let delay = DelayRecord {
            facts: DelayFacts {
                id: 1,
                filed: d("2014-06-28"),
                original: Some(d("2014-07-01")),
                new_date: d("2014-07-25"),
                reason: "实现难度大".into(),
                approved_on: Some(d("2014-06-30")),
                rejected_on: None,
                withdrawn: false,
            },
            applicant: "赵经理".into(),
            recorded_at: "2014-06-28T10:00:00+08:00".into(),
            origin: "cli".into(),
            signatures: vec![
                sign("直接领导", "钱主管", "2014-06-29"),
                sign("部门领导", "孙部长", "2014-06-30"),
                sign("总经办", "王总", "2014-06-30"),
            ],
        };
        let events = requirement_timeline(&dates, &history, &notices, &[delay]);
        assert_eq!(
            kinds(&events),
            [
                (EventKind::Received, d("2014-06-19")),
                (EventKind::Decided, d("2014-06-21")),
                (EventKind::Notified, d("2014-06-21")),
                (EventKind::Confirmed, d("2014-06-21")),
                (EventKind::Edited, d("2014-06-22")),
                (EventKind::Promised, d("2014-06-23")),
                (EventKind::DelayFiled, d("2014-06-28")),
                (EventKind::DelaySigned, d("2014-06-29")),
                (EventKind::DelaySigned, d("2014-06-30")),
                (EventKind::DelaySigned, d("2014-06-30")),
                (EventKind::DelayApproved, d("2014-06-30")),
            ]
        );
        assert_eq!(events[6].actor, "赵经理", "filed by the applicant");
        assert_eq!(events[9].detail, "#1 总经办 同意");
        assert_eq!(
            (events[10].actor.as_str(), events[10].origin.as_str()),
            ("王总", "cli"),
            "approved by the 总经办's signature"
        );
        assert_eq!(
            events[1].origin, "cli",
            "the decision was recorded from the command line"
        );
        assert_eq!(events[1].detail, "做 C");
        assert_eq!(events[5].detail, "2014-07-01");
    }
}
