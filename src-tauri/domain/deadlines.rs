//! The deadlines (时间节点, SPEC §6; the policy's table): for each step of a requirement (R…)
//! and of a bug (B…), when it falls due — computed from the recorded time of the step that
//! triggers it — and when it was done, from the record. A step whose trigger has not happened
//! has no deadline; one never done is late once its due time has passed.
//!
//! The windows are settings (`deadlines.*`): "within 1 hour" and "immediately" in minutes
//! (default 60), "same day" = by 24:00 of the trigger's day, "N days" counted by the calendar
//! (working days with holidays and 调休, or calendar days: `calendar.mode`), the 周报's
//! "Friday morning" as a time of day (default 12:00).
//!
//! This module covers the steps whose trigger and completion the record states: R1, R2, R4–R14
//! and the promised delivery date, B1, B2 and B4. R3 (the meeting itself, "when needed") has no
//! deadline of its own; nor has B3 (IT's own process).

use super::calendar::Calendar;
use super::settings::Setting;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

labelled_enum!(
    /// A step of the policy's deadline table.
    Rule {
        R1 = "R1", "R1 周四下班前提交需求";
        R2 = "R2", "R2 登记并发送周报";
        R4 = "R4", "R4 预估策划文档交付日";
        R5 = "R5", "R5 记录决策并通知报告人";
        R6 = "R6", "R6 告知需求人决策结果";
        R7 = "R7", "R7 预估验收日";
        R8 = "R8", "R8 预估交付日";
        R9 = "R9", "R9 记录预期交付日并通知报告人";
        R10 = "R10", "R10 告知需求人预期交付日";
        R11 = "R11", "R11 记录延期并通知报告人";
        R12 = "R12", "R12 告知需求人延期";
        R13 = "R13", "R13 告知收集人已完成";
        R14 = "R14", "R14 记录完成并通知报告人";
        Delivery = "delivery", "按承诺日期交付";
        B1 = "B1", "B1 当天提交 Bug";
        B2 = "B2", "B2 复现后提交缺陷跟踪并抄送报告人";
        B4 = "B4", "B4 当天告知用户修复结果";
    }
);

impl Rule {
    /// Whether lateness is counted in days: the steps whose deadline is a day ("the same day",
    /// "within 2 days", the promised date) or whose doing the record knows only as a day (a
    /// report or a bug received on a day). The others ("within the hour", "immediately", the
    /// 周报 by Friday noon) are counted in minutes and hours (issue 19: a day-only fact is
    /// never turned into midnight to claim minutes).
    pub fn in_days(self) -> bool {
        matches!(
            self,
            Rule::R1
                | Rule::R4
                | Rule::R6
                | Rule::R7
                | Rule::R10
                | Rule::R12
                | Rule::Delivery
                | Rule::B1
                | Rule::B4
        )
    }

    /// The requirement's tab where the step is done (issue 20: a to-do line opens it): the
    /// notices (通知) for telling and recording-and-telling, the flow (流程) for estimates and
    /// delivery; empty for a bug or the 周报, which have no tabs.
    pub fn tab(self) -> &'static str {
        match self {
            Rule::R5 | Rule::R6 | Rule::R9 | Rule::R10 | Rule::R11 | Rule::R12 | Rule::R14 => {
                "notify"
            }
            Rule::R1 | Rule::R4 | Rule::R7 | Rule::R8 | Rule::R13 | Rule::Delivery => "flow",
            Rule::R2 | Rule::B1 | Rule::B2 | Rule::B4 => "",
        }
    }

    /// What doing the step is called, as in 次日提交 / 至今未告知.
    pub fn verb(self) -> &'static str {
        match self {
            Rule::R1 | Rule::B1 => "提交",
            Rule::R2 => "发出周报",
            Rule::R4 | Rule::R7 | Rule::R8 => "预估",
            Rule::R5 | Rule::R9 | Rule::R11 | Rule::R14 => "记录并通知",
            Rule::R6 | Rule::R10 | Rule::R12 | Rule::R13 | Rule::B4 => "告知",
            Rule::Delivery => "交付",
            Rule::B2 => "提交缺陷跟踪并抄送",
        }
    }

    /// The rule in words, with the windows in force: what a manager reads beside the code.
    pub fn explain(self, w: &Windows) -> String {
        let hour = span(w.within_hour);
        let now = span(w.immediately);
        let days = match w.calendar.mode() {
            super::calendar::CalendarMode::WorkingDays => "2 个工作日",
            super::calendar::CalendarMode::CalendarDays => "2 天",
        };
        match self {
            Rule::R1 => format!(
                "需求报告人须在填报当周的周四 {} 前把需求报告表交给收集人",
                w.thursday_close.format("%H:%M")
            ),
            Rule::R2 => format!(
                "收集人须在周五 {} 前登记本周收到的需求并把周报发给决策组",
                w.weekly_by.format("%H:%M")
            ),
            Rule::R4 => format!("决策为做或需求转换后 {days}内，产品经理须预估策划文档交付日"),
            Rule::R5 => format!("决策会后{hour}内，收集人须记录决策结果并通知需求报告人"),
            Rule::R6 => "需求报告人须在得知决策结果的当天告知需求人".into(),
            Rule::R7 => format!("收到策划文档后 {days}内，IT 须预估验收日"),
            Rule::R8 => format!("IT 预估验收日后{hour}内，产品经理须给出预期交付日"),
            Rule::R9 => format!("产品经理给出预期交付日后{hour}内，收集人须记录并通知需求报告人"),
            Rule::R10 => "需求报告人须在得知预期交付日的当天告知需求人".into(),
            Rule::R11 => format!("延期申请批准后{hour}内，收集人须记录延期并通知需求报告人"),
            Rule::R12 => "需求报告人须在得知延期的当天告知需求人".into(),
            Rule::R13 => format!("验收后{now}内，产品经理须告知收集人已完成"),
            Rule::R14 => format!("得知完成后{now}内，收集人须记录完成并通知需求报告人"),
            Rule::Delivery => "须在承诺的交付日（批准的延期改后的日期）当天或之前交付".into(),
            Rule::B1 => "需求报告人须在用户发现 Bug 的当天提交".into(),
            Rule::B2 => format!("测试复现后{now}内，须提交缺陷跟踪系统并抄送报告人"),
            Rule::B4 => "须在修复结果出来的当天告知用户".into(),
        }
    }
}

/// A window as people say it: ` 1 小时`, ` 30 分钟`.
fn span(d: Duration) -> String {
    let m = d.num_minutes();
    if m % 60 == 0 {
        format!(" {} 小时", m / 60)
    } else {
        format!(" {m} 分钟")
    }
}

/// Settings of this module (see `domain::settings`).
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "deadlines.within_hour_minutes",
        default: "60",
        help: "“1小时内”的时限（分钟）：R5 记录决策并通知报告人、R8 产品经理给出预期交付日、R9 记录预期交付日并通知报告人、R11 记录延期并通知报告人",
        check: minutes,
        choices: &[],
    },
    Setting {
        key: "deadlines.immediately_minutes",
        default: "60",
        help: "“立即”的时限（分钟）：R13 产品经理告知收集人已完成、R14 记录完成并通知报告人、B2 复现后提交缺陷跟踪并抄送报告人",
        check: minutes,
        choices: &[],
    },
    Setting {
        key: "deadlines.thursday_close",
        default: "18:00",
        help: "“周四下班前”的时刻（R1：报告人提交需求）",
        check: |v| match NaiveTime::parse_from_str(v, "%H:%M") {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("须为 时:分（例如 18:00），不能是“{v}”")),
        },
        choices: &[],
    },
    Setting {
        key: "deadlines.weekly_by",
        default: "12:00",
        help: "周报须在周五几点前发出（R2，“周五上午”）",
        check: |v| match NaiveTime::parse_from_str(v, "%H:%M") {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("须为 时:分（例如 12:00），不能是“{v}”")),
        },
        choices: &[],
    },
];

fn minutes(v: &str) -> Result<(), String> {
    match v.parse::<u32>() {
        Ok(n) if (1..=24 * 60).contains(&n) => Ok(()),
        _ => Err(format!("须为 1 到 1440 之间的分钟数，不能是“{v}”")),
    }
}

/// The windows in force (from the settings and the calendar).
#[derive(Debug, Clone)]
pub struct Windows {
    pub within_hour: Duration,
    pub immediately: Duration,
    pub weekly_by: NaiveTime,
    pub thursday_close: NaiveTime,
    pub calendar: Calendar,
}

impl Windows {
    /// Reads the windows from setting values (`deadlines.*`); unreadable values fall back to the
    /// defaults (the settings screen refuses them anyway).
    pub fn from_settings(value: impl Fn(&str) -> String, calendar: Calendar) -> Windows {
        let mins = |k: &str| Duration::minutes(value(k).parse::<i64>().unwrap_or(60));
        Windows {
            within_hour: mins("deadlines.within_hour_minutes"),
            immediately: mins("deadlines.immediately_minutes"),
            weekly_by: NaiveTime::parse_from_str(&value("deadlines.weekly_by"), "%H:%M")
                .unwrap_or(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)),
            thursday_close: NaiveTime::parse_from_str(&value("deadlines.thursday_close"), "%H:%M")
                .unwrap_or(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN)),
            calendar,
        }
    }

    fn end_of(day: NaiveDate) -> NaiveDateTime {
        day.and_hms_opt(23, 59, 59).unwrap_or(NaiveDateTime::MAX)
    }

    /// "Within N days": N days (as the calendar counts them) after the trigger, by its end.
    fn days_after(&self, t: NaiveDateTime, n: i32) -> NaiveDateTime {
        Self::end_of(self.calendar.add_working_days(t.date(), n))
    }
}

/// Who is responsible for a step (a role of the policy, and the person when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Responsible {
    /// `需求收集人`, `产品经理`, `IT`, `推广部`, `测试`, `需求报告人`.
    pub role: &'static str,
    /// The person, when the record names one (the reporter of a requirement, the tester who
    /// reproduced a bug …); empty when the role's holder is meant.
    pub person: String,
}

/// One deadline of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub rule: Rule,
    /// 需求编号, Bug number, or the week (`2014-06-20 周报`).
    pub record: String,
    pub responsible: Responsible,
    pub due: NaiveDateTime,
    pub done: Option<NaiveDateTime>,
    /// For the assessment, when it differs from `due`: a promised date moved by a delay filed
    /// after the promise had passed still counts from the promise (SPEC §7).
    pub assessed_due: Option<NaiveDateTime>,
    /// History, not a task (issue 19): its trigger happened before a legacy file brought the
    /// record into Genjin, or a legacy file stated it. Never due, on no one's to-do, in no
    /// month's assessment.
    pub legacy: bool,
}

impl Deadline {
    pub fn new(
        rule: Rule,
        record: &str,
        role: &'static str,
        person: &str,
        due: NaiveDateTime,
        done: Option<NaiveDateTime>,
    ) -> Deadline {
        Deadline {
            rule,
            record: record.to_string(),
            responsible: Responsible {
                role,
                person: person.to_string(),
            },
            due,
            done,
            assessed_due: None,
            legacy: false,
        }
    }

    /// Late: done after it was due, or not done and `now` is past it (in the rule's units: a
    /// step counted in days is late from the day after its due day).
    pub fn late(&self, now: NaiveDateTime) -> bool {
        self.lateness(self.due, now).is_some()
    }

    /// How late against `due` (the deadline's own, or the one assessed), done or as of `now`:
    /// `None` when in time.
    pub fn lateness(&self, due: NaiveDateTime, now: NaiveDateTime) -> Option<Lateness> {
        let end = self.done.unwrap_or(now);
        if self.rule.in_days() {
            let days = (end.date() - due.date()).num_days();
            (days > 0).then_some(Lateness::Days(days))
        } else {
            (end > due).then(|| Lateness::Minutes((end - due).num_minutes().max(1)))
        }
    }
}

/// How late a step was, in the units of its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lateness {
    Minutes(i64),
    Days(i64),
}

impl Lateness {
    /// Whole days, rounded up (the promised date's bands: ≤1, ≤7, more).
    pub fn days(self) -> i64 {
        match self {
            Lateness::Days(d) => d,
            Lateness::Minutes(m) => (m + 24 * 60 - 1) / (24 * 60),
        }
    }

    /// `3天`, `2小时`, `30分钟`.
    pub fn text(self) -> String {
        match self {
            Lateness::Days(d) => format!("{d}天"),
            Lateness::Minutes(m) if m < 60 => format!("{m}分钟"),
            Lateness::Minutes(m) if m < 24 * 60 => format!("{}小时", (m + 59) / 60),
            Lateness::Minutes(m) => format!("{}天", (m + 24 * 60 - 1) / (24 * 60)),
        }
    }

    /// What happened, in the rule's words: `次日提交（迟 1 天）`, `晚 3 天交付（迟 3 天）`,
    /// `迟 2小时记录并通知`, `至今未告知（已迟 2 天）`.
    pub fn reason(self, rule: Rule, done: bool) -> String {
        let verb = rule.verb();
        let amount = self.text();
        if !done {
            return format!("至今未{verb}（已迟 {}）", spaced(&amount));
        }
        match self {
            Lateness::Days(1) => format!("次日{verb}（迟 1 天）"),
            Lateness::Days(d) => format!("晚 {d} 天{verb}（迟 {d} 天）"),
            Lateness::Minutes(_) => format!("迟 {amount}{verb}"),
        }
    }
}

/// `3天` → `3 天` (a count in running text).
fn spaced(amount: &str) -> String {
    let digits: String = amount.chars().take_while(char::is_ascii_digit).collect();
    format!("{digits} {}", &amount[digits.len()..])
}

/// What a requirement's deadlines depend on: the moments (local time) its steps were recorded
/// as happening, and the notices given.
#[derive(Debug, Clone, Default)]
pub struct RequirementMoments {
    pub number: String,
    pub reporter: String,
    pub requester: String,
    /// Who answers for the steps (empty: the role's holder).
    pub collector: String,
    pub product_manager: String,
    pub it_owner: String,
    /// 填报日期 (the day the reporter filled the form) and the day the collector received it.
    pub reported: Option<NaiveDate>,
    pub received: Option<NaiveDate>,
    /// The decision (the meeting's moment); `work` when it was 做 / 需求转换.
    pub decided: Option<NaiveDateTime>,
    pub work: bool,
    pub plan_estimated: Option<NaiveDateTime>,
    pub plan_delivered: Option<NaiveDateTime>,
    pub acceptance_estimated: Option<NaiveDateTime>,
    pub acceptance_actual: Option<NaiveDateTime>,
    pub expected_recorded: Option<NaiveDateTime>,
    /// The date in force today (after approved delays) and the day delivered.
    pub promised: Option<NaiveDate>,
    /// The date the assessment holds it to: moved only by approved delays filed before the
    /// date they moved had passed (SPEC §7).
    pub promised_honoured: Option<NaiveDate>,
    pub delivered_day: Option<NaiveDate>,
    pub delivered_recorded: Option<NaiveDateTime>,
    /// When the latest approved delay was recorded as approved.
    pub delay_approved: Option<NaiveDateTime>,
    /// First notices after the trigger: (step, audience) → when sent.
    pub told_reporter_decision: Option<NaiveDateTime>,
    pub told_requester_decision: Option<NaiveDateTime>,
    pub told_reporter_expected: Option<NaiveDateTime>,
    pub told_requester_expected: Option<NaiveDateTime>,
    pub told_reporter_delay: Option<NaiveDateTime>,
    pub told_requester_delay: Option<NaiveDateTime>,
    pub told_reporter_completion: Option<NaiveDateTime>,
    pub withdrawn: bool,
    /// When a legacy file brought the record into Genjin (`None`: registered here). A step
    /// whose trigger happened before is history (issue 19); a record registered in Genjin
    /// keeps every step it records, however far back they are dated (a replay).
    pub arrived: Option<NaiveDateTime>,
    /// It came in from a legacy file: its report's own days (R1) are history too.
    pub imported: bool,
    /// When the date in force was promised (the expected date recorded, or the delay that
    /// moved it approved).
    pub promise_recorded: Option<NaiveDateTime>,
    /// The triggers a legacy file stated rather than someone recorded in Genjin (`decided`,
    /// `plan_delivered`, `acceptance_estimated`, `acceptance_actual`, `expected_recorded`,
    /// `delivered_recorded`, `delay_approved`, `promised`): history as well.
    pub stated: Vec<&'static str>,
}

/// A requirement's deadlines (SPEC §6 R4–R14 and the promised date). Each is marked `legacy`
/// when its trigger is history: it happened before a legacy file brought the record in, or a
/// legacy file stated it.
pub fn requirement_deadlines(m: &RequirementMoments, w: &Windows) -> Vec<Deadline> {
    if m.withdrawn {
        return Vec::new();
    }
    let mut out = Vec::new();
    let history = |trigger: &'static str, at: Option<NaiveDateTime>| {
        m.stated.contains(&trigger) || matches!((at, m.arrived), (Some(t), Some(a)) if t < a)
    };
    // a step whose trigger has not happened (no due time) has no deadline
    let mut push = |rule,
                    role: &'static str,
                    person: &str,
                    trigger: (&'static str, Option<NaiveDateTime>),
                    due: Option<NaiveDateTime>,
                    done| {
        if let Some(due) = due {
            let mut d = Deadline::new(rule, &m.number, role, person, due, done);
            d.legacy = if rule == Rule::R1 {
                m.imported
            } else {
                history(trigger.0, trigger.1)
            };
            out.push(d);
        }
    };
    let same_day = |t: Option<NaiveDateTime>| t.map(|t| Windows::end_of(t.date()));
    let hour = |t: Option<NaiveDateTime>| t.map(|t| t + w.within_hour);
    let now_ = |t: Option<NaiveDateTime>| t.map(|t| t + w.immediately);
    // R1: the report reaches the collector by Thursday close of the week it was filled in
    // (received that Thursday counts as in time: a received day has no hour)
    push(
        Rule::R1,
        "需求报告人",
        &m.reporter,
        ("reported", None),
        m.reported.map(|r| {
            let thursday = super::weekly::friday_of(r) - Duration::days(1);
            let thursday = if r > thursday {
                thursday + Duration::days(7)
            } else {
                thursday
            };
            thursday.and_time(w.thursday_close)
        }),
        m.received.and_then(|d| d.and_hms_opt(0, 0, 0)),
    );
    // the decision: recorded and told within the hour; the requester told the same day
    let (col, pm, it) = (&m.collector, &m.product_manager, &m.it_owner);
    let decided = ("decided", m.decided);
    push(
        Rule::R5,
        "需求收集人",
        col,
        decided,
        hour(m.decided),
        m.told_reporter_decision,
    );
    push(
        Rule::R6,
        "推广部",
        &m.reporter,
        ("told_reporter_decision", m.told_reporter_decision),
        same_day(m.told_reporter_decision),
        m.told_requester_decision,
    );
    if m.work {
        push(
            Rule::R4,
            "产品经理",
            pm,
            decided,
            m.decided.map(|t| w.days_after(t, 2)),
            m.plan_estimated,
        );
        push(
            Rule::R7,
            "IT",
            it,
            ("plan_delivered", m.plan_delivered),
            m.plan_delivered.map(|t| w.days_after(t, 2)),
            m.acceptance_estimated,
        );
        push(
            Rule::R8,
            "产品经理",
            pm,
            ("acceptance_estimated", m.acceptance_estimated),
            hour(m.acceptance_estimated),
            m.expected_recorded,
        );
        push(
            Rule::R13,
            "产品经理",
            pm,
            ("acceptance_actual", m.acceptance_actual),
            now_(m.acceptance_actual),
            m.delivered_recorded,
        );
    }
    push(
        Rule::R9,
        "需求收集人",
        col,
        ("expected_recorded", m.expected_recorded),
        hour(m.expected_recorded),
        m.told_reporter_expected,
    );
    push(
        Rule::R10,
        "推广部",
        &m.reporter,
        ("told_reporter_expected", m.told_reporter_expected),
        same_day(m.told_reporter_expected),
        m.told_requester_expected,
    );
    push(
        Rule::R11,
        "需求收集人",
        col,
        ("delay_approved", m.delay_approved),
        hour(m.delay_approved),
        m.told_reporter_delay,
    );
    push(
        Rule::R12,
        "推广部",
        &m.reporter,
        ("told_reporter_delay", m.told_reporter_delay),
        same_day(m.told_reporter_delay),
        m.told_requester_delay,
    );
    push(
        Rule::R14,
        "需求收集人",
        col,
        ("delivered_recorded", m.delivered_recorded),
        now_(m.delivered_recorded),
        m.told_reporter_completion,
    );
    // the promise: delivered by the end of the date in force
    push(
        Rule::Delivery,
        "产品经理",
        pm,
        ("promised", m.promise_recorded),
        m.promised.map(Windows::end_of),
        // a day, like the promise: delivered any time on the promised day is on time
        m.delivered_day.map(Windows::end_of),
    );
    if let (Some(last), Some(h)) = (out.last_mut(), m.promised_honoured) {
        if last.rule == Rule::Delivery && Some(h) != m.promised {
            last.assessed_due = Some(Windows::end_of(h));
        }
    }
    out
}

/// What a bug's deadlines depend on.
#[derive(Debug, Clone, Default)]
pub struct BugMoments {
    pub number: String,
    pub reporter: String,
    pub tester: String,
    pub found: Option<NaiveDate>,
    pub received: Option<NaiveDate>,
    pub reproduced: Option<NaiveDateTime>,
    /// When the reporter was recorded as copied on the tracker entry.
    pub copied: Option<NaiveDateTime>,
    pub fixed: Option<NaiveDate>,
    pub told_user: Option<NaiveDateTime>,
    pub closed_otherwise: bool,
    /// When a legacy file brought the bug in (`None`: reported in Genjin), whether one did, and
    /// the triggers a file stated (`reproduced`, `fixed`). See [`RequirementMoments`].
    pub arrived: Option<NaiveDateTime>,
    pub imported: bool,
    pub stated: Vec<&'static str>,
}

/// A bug's deadlines (SPEC §6 B1, B2, B4; B3 follows IT's own process), `legacy` as for a
/// requirement's.
pub fn bug_deadlines(b: &BugMoments, w: &Windows) -> Vec<Deadline> {
    let mut out = Vec::new();
    let start = |d: Option<NaiveDate>| d.and_then(|d| d.and_hms_opt(0, 0, 0));
    let history = |trigger: &'static str, at: Option<NaiveDateTime>| {
        b.stated.contains(&trigger) || matches!((at, b.arrived), (Some(t), Some(a)) if t < a)
    };
    // a step whose trigger has not happened (no due time) has no deadline
    let mut push =
        |rule, role: &'static str, person: &str, legacy: bool, due: Option<NaiveDateTime>, done| {
            if let Some(due) = due {
                let mut d = Deadline::new(rule, &b.number, role, person, due, done);
                d.legacy = legacy;
                out.push(d);
            }
        };
    push(
        Rule::B1,
        "需求报告人",
        &b.reporter,
        b.imported,
        b.found.map(Windows::end_of),
        start(b.received),
    );
    if !b.closed_otherwise {
        push(
            Rule::B2,
            "测试",
            &b.tester,
            history("reproduced", b.reproduced),
            b.reproduced.map(|t| t + w.immediately),
            b.copied,
        );
        // the fix is a day: its trigger is history only when a file stated it, or the day
        // was over before the bug came in
        let fixed_end = b.fixed.map(Windows::end_of);
        push(
            Rule::B4,
            "推广部",
            &b.reporter,
            history("fixed", fixed_end),
            fixed_end,
            b.told_user,
        );
    }
    out
}

/// The 周报 of a week with requirements to register: sent by Friday morning (R2), by
/// `collector` (empty: the role's holder).
pub fn weekly_deadline(
    friday: NaiveDate,
    collector: &str,
    sent: Option<NaiveDateTime>,
    w: &Windows,
) -> Deadline {
    Deadline::new(
        Rule::R2,
        &format!("{} 周报", super::dates::iso(friday)),
        "需求收集人",
        collector,
        friday.and_time(w.weekly_by),
        sent,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{CalendarMode, DayKind};

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn windows() -> Windows {
        // 2014-10-01..07 National Day, 10-11 (Saturday) a 调休 working day
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7)
            .map(|i| {
                (
                    NaiveDate::from_ymd_opt(2014, 10, i).unwrap(),
                    DayKind::Holiday,
                )
            })
            .collect();
        days.push((d("2014-10-11"), DayKind::Workday));
        Windows::from_settings(
            |k| {
                crate::domain::settings::find(k)
                    .map(|s| s.default.to_string())
                    .unwrap_or_default()
            },
            Calendar::new(days).with_mode(CalendarMode::WorkingDays),
        )
    }

    fn rule(ds: &[Deadline], r: Rule) -> &Deadline {
        ds.iter()
            .find(|x| x.rule == r)
            .unwrap_or_else(|| panic!("{r:?} in {ds:?}"))
    }

    #[test]
    fn the_decision_at_10_30_makes_r5_due_at_11_30() {
        let m = RequirementMoments {
            number: "14061901".into(),
            reporter: "刘小妹".into(),
            decided: Some(at("2014-06-21 10:30")),
            work: true,
            told_reporter_decision: Some(at("2014-06-21 11:40")),
            ..Default::default()
        };
        let ds = requirement_deadlines(&m, &windows());
        let r5 = rule(&ds, Rule::R5);
        assert_eq!(r5.due, at("2014-06-21 11:30"));
        assert!(
            r5.late(at("2014-06-21 12:00")),
            "told at 11:40: ten minutes late"
        );
        // R6: the requester the same day the reporter learnt it; not told yet at 23:00 → not late
        let r6 = rule(&ds, Rule::R6);
        assert_eq!(r6.due.date(), d("2014-06-21"));
        assert_eq!(r6.responsible.person, "刘小妹");
        assert!(!r6.late(at("2014-06-21 23:00")) && r6.late(at("2014-06-22 08:00")));
        // R4: within 2 working days of the Saturday meeting → Tuesday's end
        assert_eq!(rule(&ds, Rule::R4).due.date(), d("2014-06-24"));
        // no trigger, no deadline: nothing estimated yet, so no R8
        assert!(!ds.iter().any(|x| x.rule == Rule::R8 || x.rule == Rule::R9));
    }

    #[test]
    fn days_count_working_days_across_a_holiday_with_a_tiaoxiu_saturday() {
        let m = RequirementMoments {
            number: "14092901".into(),
            decided: Some(at("2014-09-29 10:00")),
            work: true,
            plan_delivered: Some(at("2014-09-30 16:00")),
            ..Default::default()
        };
        let ds = requirement_deadlines(&m, &windows());
        // R4 from Monday 09-29: Tuesday 09-30, then the holiday to 10-07, Wednesday 10-08
        assert_eq!(rule(&ds, Rule::R4).due.date(), d("2014-10-08"));
        // R7 from Tuesday 09-30: 10-08, then 10-09
        assert_eq!(rule(&ds, Rule::R7).due.date(), d("2014-10-09"));
    }

    /// Issue 19: what a legacy file brought in is history — its stated promise and delay, and
    /// any step dated before the import — while what is recorded in Genjin afterwards counts.
    #[test]
    fn imported_history_is_history() {
        let imported_at = at("2026-12-01 09:00");
        let m = RequirementMoments {
            number: "14061914".into(),
            reporter: "刘小妹".into(),
            reported: Some(d("2014-06-16")),
            received: Some(d("2014-06-20")),
            promised: Some(d("2014-07-25")),
            delay_approved: Some(imported_at),
            promise_recorded: Some(imported_at),
            // a decision typed in afterwards with its 2014 time, and one made after the import
            decided: Some(at("2014-06-21 10:30")),
            work: true,
            arrived: Some(imported_at),
            imported: true,
            stated: vec!["delay_approved", "promised"],
            ..Default::default()
        };
        let ds = requirement_deadlines(&m, &windows());
        for r in [Rule::R1, Rule::R11, Rule::Delivery, Rule::R5, Rule::R4] {
            assert!(rule(&ds, r).legacy, "{r:?}");
        }
        let later = RequirementMoments {
            decided: Some(at("2026-12-02 10:30")),
            ..m.clone()
        };
        let ds = requirement_deadlines(&later, &windows());
        assert!(
            !rule(&ds, Rule::R5).legacy,
            "decided in Genjin after the import"
        );
        // registered in Genjin: every step counts, however far back it is dated (a replay)
        let replay = RequirementMoments {
            arrived: None,
            imported: false,
            stated: Vec::new(),
            ..m
        };
        assert!(requirement_deadlines(&replay, &windows())
            .iter()
            .all(|x| !x.legacy));
    }

    /// Issue 19: a day-only fact is counted in days, never turned into midnight to claim
    /// minutes: a bug found on the 24th and submitted on the 25th is a day late.
    #[test]
    fn day_facts_are_late_in_days() {
        let b = BugMoments {
            number: "B14112501".into(),
            reporter: "刘小妹".into(),
            found: Some(d("2014-11-24")),
            received: Some(d("2014-11-25")),
            ..Default::default()
        };
        let b1 = rule(&bug_deadlines(&b, &windows()), Rule::B1).clone();
        let late = b1.lateness(b1.due, at("2014-12-01 00:00")).unwrap();
        assert_eq!(late, Lateness::Days(1));
        assert_eq!(late.text(), "1天");
        assert_eq!(late.reason(Rule::B1, true), "次日提交（迟 1 天）");
        // "within the hour" stays in minutes
        let r5 = Deadline::new(
            Rule::R5,
            "x",
            "需求收集人",
            "",
            at("2014-06-21 11:30"),
            Some(at("2014-06-21 11:40")),
        );
        assert_eq!(
            r5.lateness(r5.due, at("2014-06-22 00:00")),
            Some(Lateness::Minutes(10))
        );
        assert_eq!(
            Lateness::Minutes(10).reason(Rule::R5, true),
            "迟 10分钟记录并通知"
        );
        assert_eq!(
            Lateness::Days(3).reason(Rule::R6, false),
            "至今未告知（已迟 3 天）"
        );
        assert!(Rule::R9.explain(&windows()).contains("1 小时内"));
    }

    #[test]
    fn a_promise_is_due_on_its_day_and_a_withdrawn_requirement_has_none() {
        let mut m = RequirementMoments {
            number: "14061901".into(),
            promised: Some(d("2014-07-25")),
            ..Default::default()
        };
        let p = rule(&requirement_deadlines(&m, &windows()), Rule::Delivery).clone();
        assert!(!p.late(at("2014-07-25 20:00")) && p.late(at("2014-07-26 00:01")));
        m.delivered_day = Some(d("2014-07-25"));
        let p = rule(&requirement_deadlines(&m, &windows()), Rule::Delivery).clone();
        assert!(!p.late(at("2014-08-30 00:00")), "delivered on the day");
        m.withdrawn = true;
        assert!(requirement_deadlines(&m, &windows()).is_empty());
    }

    #[test]
    fn a_report_is_due_by_thursday_close_of_its_week() {
        let m = |reported: &str, received: &str| RequirementMoments {
            number: "x".into(),
            reporter: "刘小妹".into(),
            reported: Some(d(reported)),
            received: Some(d(received)),
            ..Default::default()
        };
        let r1 = |reported, received| {
            requirement_deadlines(&m(reported, received), &windows())
                .into_iter()
                .find(|x| x.rule == Rule::R1)
                .unwrap()
        };
        let on_thursday = r1("2014-06-16", "2014-06-19");
        assert_eq!(on_thursday.due, at("2014-06-19 18:00"));
        assert!(!on_thursday.late(at("2014-07-01 00:00")));
        assert!(
            r1("2014-06-16", "2014-06-20").late(at("2014-07-01 00:00")),
            "Friday: late"
        );
        // filled on a Friday: the next Thursday
        assert_eq!(r1("2014-06-20", "2014-06-23").due, at("2014-06-26 18:00"));
    }

    #[test]
    fn bugs_and_the_weekly_report() {
        let b = BugMoments {
            number: "B14070101".into(),
            reporter: "刘小妹".into(),
            found: Some(d("2014-07-01")),
            received: Some(d("2014-07-02")),
            reproduced: Some(at("2014-07-02 09:00")),
            copied: Some(at("2014-07-02 09:30")),
            fixed: Some(d("2014-07-03")),
            ..Default::default()
        };
        let ds = bug_deadlines(&b, &windows());
        assert!(
            rule(&ds, Rule::B1).late(at("2014-07-10 00:00")),
            "reported a day after"
        );
        assert!(!rule(&ds, Rule::B2).late(at("2014-07-10 00:00")));
        let b4 = rule(&ds, Rule::B4);
        assert_eq!(b4.due, at("2014-07-03 23:59") + Duration::seconds(59));
        assert!(b4.late(at("2014-07-04 09:00")));
        let r2 = weekly_deadline(
            d("2014-06-20"),
            "",
            Some(at("2014-06-20 11:00")),
            &windows(),
        );
        assert_eq!(r2.due, at("2014-06-20 12:00"));
        assert!(!r2.late(at("2014-06-21 00:00")));
    }
}
