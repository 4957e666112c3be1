//! Requirement rules: kinds, decisions, grades, the derived status and what each step accepts.

use super::gate::Gate;
use chrono::{Datelike, NaiveDate};

labelled_enum!(
    /// 新需求 or 改进需求 (附表2).
    Kind {
        New = "new", "新需求";
        Improvement = "improvement", "改进需求";
    }
);

labelled_enum!(
    /// The decision group's verdict (决策结果).
    Decision {
        Do = "do", "做";
        DoNot = "do_not", "不做";
        Discuss = "discuss", "再议";
        Convert = "convert", "需求转换";
    }
);

labelled_enum!(
    /// 需求分级: how urgently a 做 / 需求转换 requirement is scheduled.
    Grade {
        A = "A", "A";
        B = "B", "B";
        C = "C", "C";
        D = "D", "D";
    }
);

labelled_enum!(
    /// 需求状态 as the register shows it. Derived, never typed.
    Status {
        Open = "open", "";
        Delayed = "delayed", "延期";
        Done = "done", "完成";
    }
);

impl Grade {
    /// What the grade means (the policy's 需求缓急标准).
    pub fn meaning(self) -> &'static str {
        match self {
            Grade::A => "暂停手头工作，优先开发",
            Grade::B => "手头正在做的功能完成后，立即开发",
            Grade::C => "插入未完成的功能中，根据实际情况排期",
            Grade::D => "直接放在现有功能排期最末位",
        }
    }
}

impl Decision {
    /// 做 and 需求转换 lead to work; 不做 and 再议 do not.
    pub fn leads_to_work(self) -> bool {
        matches!(self, Decision::Do | Decision::Convert)
    }
}

/// The decision in force at the end of `day`, from a requirement's decisions (oldest first,
/// each with its day): a 再议 stands until a later decision replaces it.
pub fn decision_on(decisions: &[(NaiveDate, Decision)], day: NaiveDate) -> Option<Decision> {
    decisions
        .iter()
        .rev()
        .find(|(d, _)| *d <= day)
        .map(|(_, x)| *x)
}

/// The status the register shows, from the facts recorded.
///
/// A 不做 decision closes a requirement (the policy's example register writes 完成); so does an
/// actual delivery date. An approved delay that has not been delivered yet reads 延期.
pub fn derive_status(
    decision: Option<Decision>,
    actual_delivery: Option<NaiveDate>,
    approved_delays: u32,
) -> Status {
    if decision == Some(Decision::DoNot) || actual_delivery.is_some() {
        Status::Done
    } else if approved_delays > 0 {
        Status::Delayed
    } else {
        Status::Open
    }
}

/// 逾期: the promised date in force (`domain::delay::in_force`) has passed and the requirement
/// is not 完成. Days are dates or stored `YYYY-MM-DD` text, which order alike (the register
/// compares text, so 100,000 rows need no parsing).
pub fn is_overdue<D: PartialOrd>(status: Status, promised: Option<D>, today: D) -> bool {
    status != Status::Done && promised.is_some_and(|p| p < today)
}

/// The longest 需求梗概 the register takes.
pub const BRIEF_MAX_CHARS: usize = 50;

/// Checks a decision against the policy; returns the Chinese reason it is refused.
pub fn check_decision(
    decision: Decision,
    grade: Option<Grade>,
    conversion_summary: &str,
) -> Result<(), (&'static str, String)> {
    match (decision, grade) {
        (d, None) if d.leads_to_work() => Err((
            "grade",
            format!("决策结果为“{}”时必须选择需求分级（A/B/C/D）", d.label()),
        )),
        (d, Some(_)) if !d.leads_to_work() => Err((
            "grade",
            format!("决策结果为“{}”时不能设置需求分级", d.label()),
        )),
        (Decision::Convert, _) if conversion_summary.trim().is_empty() => Err((
            "conversion_summary",
            "决策结果为“需求转换”时必须填写转换概要（将写入备注）".into(),
        )),
        (d, _) if d != Decision::Convert && !conversion_summary.trim().is_empty() => {
            Err(("conversion_summary", "只有“需求转换”才填写转换概要".into()))
        }
        _ => Ok(()),
    }
}

/// Checks a 需求梗概: required, at most 50 characters.
pub fn check_brief(brief: &str) -> Result<(), String> {
    let n = brief.trim().chars().count();
    if n == 0 {
        Err("需求梗概不能为空".into())
    } else if n > BRIEF_MAX_CHARS {
        Err(format!(
            "需求梗概最多 {BRIEF_MAX_CHARS} 个字，现在有 {n} 个字"
        ))
    } else {
        Ok(())
    }
}

/// What a user may do next with a requirement, derived from its record. The window shows these
/// (which step cards are enabled, and why not); it never re-decides them. The same rules refuse
/// a step taken anyway (from the command line, or a stale window) with a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Steps {
    /// Edit the report (附表2 fields).
    pub edit: Gate,
    pub decide: Gate,
    /// 策划, IT验收, 预期交付日, 完成交付: only after 做 / 需求转换.
    pub plan: Gate,
    pub it_acceptance: Gate,
    /// Only while no delay is approved (after that, a new delay application changes the date).
    pub expect: Gate,
    pub complete: Gate,
    /// 申请延期 (附表1): promised, to be done, not delivered, no application being signed.
    pub delay: Gate,
    pub withdraw: Gate,
    pub restore: Gate,
}

/// The steps someone may record on another's behalf, and whose they are (issue 19): the
/// planning document and the dates are the product manager's, the acceptance date IT's.
pub const STEP_ROLES: &[(&str, super::people::Role)] = &[
    ("plan", super::people::Role::ProductManager),
    ("it_acceptance", super::people::Role::It),
    ("expect", super::people::Role::ProductManager),
    ("complete", super::people::Role::ProductManager),
];

impl Steps {
    /// Closes the steps someone holding `roles` may not take (issue 13), each saying which
    /// roles may: the window shows what the core allows this operator, as the core will
    /// refuse it anyway.
    pub fn limit_to(&mut self, roles: &[super::people::Role]) {
        use super::people::Action;
        for (gate, action) in [
            (&mut self.edit, Action::Register),
            (&mut self.decide, Action::Decide),
            (&mut self.plan, Action::Plan),
            (&mut self.it_acceptance, Action::Acceptance),
            (&mut self.expect, Action::Deliver),
            (&mut self.complete, Action::Deliver),
            (&mut self.delay, Action::FileDelay),
            (&mut self.withdraw, Action::Withdraw),
            (&mut self.restore, Action::Withdraw),
        ] {
            if gate.open && !action.allowed(roles) {
                *gate = Gate {
                    open: false,
                    why: action.why_not(),
                };
            }
        }
    }
}

const WITHDRAWN: &str = "需求已撤回。";
const NOT_WORK: &str = "决策结果为“做”或“需求转换”后才能记录。";
const DELAY_APPROVED: &str = "已有批准的延期申请，交付日以延期申请为准。";

const NO_PROMISE: &str = "先记录④预期交付日，才能登记完成交付。";

/// What the next steps depend on.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepFacts {
    pub decision: Option<Decision>,
    pub withdrawn: bool,
    /// Delay applications in force.
    pub approved_delays: usize,
    /// A 预期交付日 has been given (the promise a delivery is measured against).
    pub promised: bool,
    /// 实际交付日 recorded.
    pub delivered: bool,
    /// A delay application is waiting for signatures.
    pub pending_delay: bool,
}

/// The steps open to a requirement: work steps after 做 / 需求转换; ⑤ 完成交付 only once a
/// delivery date was promised (SPEC §2: the collector records the delivery after step 4);
/// ④ only while no delay is approved; nothing but 恢复 once withdrawn.
pub fn steps(f: StepFacts) -> Steps {
    let StepFacts {
        decision,
        withdrawn,
        approved_delays,
        promised,
        delivered,
        pending_delay,
    } = f;
    let delay = match super::delay::filing_blocked(
        decision.is_some_and(Decision::leads_to_work),
        delivered || decision == Some(Decision::DoNot),
        withdrawn,
        promised,
        pending_delay,
    ) {
        Some(why) => Gate::closed(why),
        None => Gate::OPEN,
    };
    let live = Gate::when(!withdrawn, WITHDRAWN);
    let work = if withdrawn {
        Gate::closed(WITHDRAWN)
    } else {
        Gate::when(decision.is_some_and(Decision::leads_to_work), NOT_WORK)
    };
    let expect = if work.open {
        Gate::when(approved_delays == 0, DELAY_APPROVED)
    } else {
        work.clone()
    };
    Steps {
        edit: live.clone(),
        decide: live.clone(),
        plan: work.clone(),
        it_acceptance: work.clone(),
        expect,
        complete: if work.open {
            Gate::when(promised, NO_PROMISE)
        } else {
            work
        },
        delay,
        withdraw: live,
        restore: Gate::when(withdrawn, "需求未撤回。"),
    }
}

/// The work steps (策划, IT验收, 预期交付日, 完成交付) need a 做 or 需求转换 decision.
pub fn check_needs_work(number: &str, decision: Option<Decision>, step: &str) -> crate::Result<()> {
    if decision.is_some_and(Decision::leads_to_work) {
        Ok(())
    } else {
        Err(crate::Error::Conflict(format!(
            "需求 {number} 的决策结果不是“做”或“需求转换”，不能记录{step}"
        )))
    }
}

/// A day of the process cannot come before the day the requirement was received.
pub fn check_not_before_received(
    field: &str,
    label: &str,
    day: Option<NaiveDate>,
    received: Option<NaiveDate>,
) -> crate::Result<()> {
    match (day, received) {
        (Some(d), Some(r)) if d < r => Err(crate::Error::invalid(
            field,
            format!(
                "{label}（{}）不能早于收到日期（{}）",
                super::dates::iso(d),
                super::dates::iso(r)
            ),
        )),
        _ => Ok(()),
    }
}

/// The reporter fills the form before the collector receives it: 填报日期 cannot be after
/// 收到日期 (field `report_date`).
pub fn check_report_date(report: Option<NaiveDate>, received: NaiveDate) -> crate::Result<()> {
    match report {
        Some(r) if r > received => Err(crate::Error::invalid(
            "report_date",
            format!(
                "填报日期（{}）不能晚于收到日期（{}）",
                super::dates::iso(r),
                super::dates::iso(received)
            ),
        )),
        _ => Ok(()),
    }
}

/// 完成交付 is recorded against a promise: a 预期交付日 must have been given first.
pub fn check_promised(number: &str, promised: bool) -> crate::Result<()> {
    if promised {
        Ok(())
    } else {
        Err(crate::Error::Conflict(format!(
            "需求 {number} 还没有预期交付日：请先记录④预期交付日，再登记完成交付"
        )))
    }
}

/// Delivered after the date in force (no approved delay covered it): 逾期交付. Days are dates
/// or stored `YYYY-MM-DD` text.
pub fn delivered_late<D: PartialOrd>(actual: Option<D>, promised: Option<D>) -> bool {
    matches!((actual, promised), (Some(a), Some(p)) if a > p)
}

/// 预期交付日 is given once; after an approved delay only a new delay application moves it.
pub fn check_expected_delivery_open(approved_delays: usize) -> crate::Result<()> {
    if approved_delays > 0 {
        Err(crate::Error::Conflict(
            "已有批准的延期申请，交付日以延期申请为准；如需再改期，请提交新的延期申请".into(),
        ))
    } else {
        Ok(())
    }
}

/// A day that claims something already happened (收到日期, 实际交付日) cannot be after today.
pub fn check_not_future(
    field: &str,
    label: &str,
    day: NaiveDate,
    today: NaiveDate,
) -> crate::Result<()> {
    if day > today {
        Err(crate::Error::invalid(field, format!("{label}不能晚于今天")))
    } else {
        Ok(())
    }
}

/// A 需求梗概 made from longer text (a form's 概述, an over-long register cell): the whole text
/// when it fits in 50 characters, else cut at the last phrase boundary (，。；、！？ or a space)
/// within 50 characters — never mid-phrase unless the first phrase alone is longer — without the
/// trailing punctuation.
pub fn brief_from(text: &str) -> String {
    const BOUNDARY: &[char] = &[
        '，', '。', '；', '、', '！', '？', ',', '.', ';', '!', '?', ' ', '　',
    ];
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = flat.chars().collect();
    let cut = if chars.len() <= BRIEF_MAX_CHARS {
        chars.len()
    } else {
        chars[..=BRIEF_MAX_CHARS]
            .iter()
            .rposition(|c| BOUNDARY.contains(c))
            .filter(|&i| i > 0)
            .unwrap_or(BRIEF_MAX_CHARS)
    };
    let kept: String = chars[..cut].iter().collect();
    kept.trim_end_matches(BOUNDARY).to_string()
}

/// The 备注 the register shows: the conversion summary, a note for every approved delay, then
/// the free remark, joined by "；".
///
/// A delay reads `因实现难度大延期到7月25日交付` — "因<short reason>延期到M月D日交付", the policy's
/// own example row 14061914 (SPEC §8), one short line (issue 20: the whole reason made a 9-line
/// row); without a reason `延期到7月25日交付`. The year is written too (`延期到2015年1月10日交付`)
/// when the new date falls in another year than `first_promised`, the first promised date
/// (预期交付日), so the note is never ambiguous. The importer reads it back.
pub fn register_remark(
    conversion_summary: &str,
    first_promised: Option<NaiveDate>,
    approved_delays: &[(NaiveDate, String)],
    remark: &str,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !conversion_summary.trim().is_empty() {
        parts.push(conversion_summary.trim().to_string());
    }
    for (date, reason) in approved_delays {
        let day = if first_promised.is_some_and(|p| p.year() == date.year()) {
            format!("{}月{}日", date.month(), date.day())
        } else {
            super::dates::chinese(*date)
        };
        // a separator inside the reason would end the note's clause when it is read back
        let reason = reason
            .trim()
            .replace(['，', ',', '；', ';', ' ', '　'], "、");
        let because = if reason.is_empty() {
            String::new()
        } else {
            format!("因{reason}")
        };
        parts.push(format!("{because}延期到{day}交付"));
    }
    if !remark.trim().is_empty() {
        parts.push(remark.trim().to_string());
    }
    parts.join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_a_role_may_not_take_are_closed_with_why() {
        use crate::domain::people::Role;
        let mut s = steps(StepFacts {
            decision: Some(Decision::Do),
            promised: true,
            ..Default::default()
        });
        assert!(s.decide.open && s.plan.open && s.withdraw.open);
        s.limit_to(&[Role::ProductManager]);
        assert!(
            s.plan.open && s.expect.open && s.complete.open,
            "a PM's own steps stay"
        );
        assert!(!s.decide.open && s.decide.why.contains("决策组"));
        assert!(!s.withdraw.open && !s.edit.open);
        let mut s = steps(StepFacts::default());
        s.limit_to(&[Role::Collector]);
        assert!(s.decide.open && s.edit.open && s.withdraw.open);
    }

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn status_follows_the_policy_example_register() {
        // 14061910: 做 A, delivered → 完成
        assert_eq!(
            derive_status(Some(Decision::Do), day("2014-06-20"), 0),
            Status::Done
        );
        // 14061911: 不做 → 完成
        assert_eq!(derive_status(Some(Decision::DoNot), None, 0), Status::Done);
        // 14061912: 再议 → empty
        assert_eq!(
            derive_status(Some(Decision::Discuss), None, 0),
            Status::Open
        );
        // 14061913: 需求转换 B, promised, not delivered → empty
        assert_eq!(
            derive_status(Some(Decision::Convert), None, 0),
            Status::Open
        );
        // 14061914: 做 C with an approved delay → 延期
        assert_eq!(derive_status(Some(Decision::Do), None, 1), Status::Delayed);
        // delivered after a delay → 完成
        assert_eq!(
            derive_status(Some(Decision::Do), day("2014-07-25"), 1),
            Status::Done
        );
        // undecided → empty
        assert_eq!(derive_status(None, None, 0), Status::Open);
    }

    #[test]
    fn overdue_is_a_passed_promise_not_yet_done() {
        let today = day("2014-07-02");
        assert!(is_overdue(Status::Open, day("2014-07-01"), today.unwrap()));
        assert!(is_overdue(
            Status::Delayed,
            day("2014-07-01"),
            today.unwrap()
        ));
        assert!(
            !is_overdue(Status::Open, day("2014-07-02"), today.unwrap()),
            "due today"
        );
        assert!(!is_overdue(Status::Done, day("2014-07-01"), today.unwrap()));
        assert!(!is_overdue(Status::Open, None, today.unwrap()));
        // stored text orders as the dates do (the register's way)
        assert!(is_overdue(Status::Open, Some("2014-07-01"), "2014-07-02"));
        assert!(!is_overdue(Status::Open, Some("2014-07-02"), "2014-07-02"));
        assert!(is_overdue(Status::Open, Some("2013-12-31"), "2014-01-01"));
    }

    #[test]
    fn grade_is_required_for_work_and_refused_otherwise() {
        assert!(check_decision(Decision::Do, Some(Grade::A), "").is_ok());
        assert!(check_decision(Decision::Do, None, "").is_err());
        assert!(check_decision(Decision::Convert, None, "改病友圈").is_err());
        assert!(check_decision(Decision::Convert, Some(Grade::B), "改病友圈").is_ok());
        assert!(check_decision(Decision::DoNot, Some(Grade::C), "").is_err());
        assert!(check_decision(Decision::DoNot, None, "").is_ok());
        assert!(check_decision(Decision::Discuss, Some(Grade::D), "").is_err());
        assert!(check_decision(Decision::Discuss, None, "").is_ok());
    }

    #[test]
    fn conversion_needs_its_summary_and_only_conversion_has_one() {
        let (field, e) = check_decision(Decision::Convert, Some(Grade::B), "  ").unwrap_err();
        assert!(e.contains("转换概要"), "{e}");
        assert_eq!(field, "conversion_summary");
        assert_eq!(
            check_decision(Decision::Do, None, "").unwrap_err().0,
            "grade"
        );
        assert!(check_decision(Decision::Do, Some(Grade::B), "x").is_err());
    }

    #[test]
    fn brief_is_at_most_fifty_characters() {
        assert!(check_brief(&"需".repeat(50)).is_ok());
        let e = check_brief(&"需".repeat(51)).unwrap_err();
        assert!(e.contains("51"), "{e}");
        assert!(check_brief("   ").is_err());
    }

    #[test]
    fn register_remark_joins_conversion_delays_and_remark() {
        let d = NaiveDate::from_ymd_opt(2014, 7, 25).unwrap();
        let p = NaiveDate::from_ymd_opt(2014, 6, 25);
        assert_eq!(
            register_remark("改病友圈", p, &[(d, "实现难度大".into())], " 见邮件 "),
            "改病友圈；因实现难度大延期到7月25日交付；见邮件"
        );
        let next_year = NaiveDate::from_ymd_opt(2015, 1, 10).unwrap();
        assert_eq!(
            register_remark("", p, &[(d, String::new()), (next_year, "联调".into())], ""),
            "延期到7月25日交付；因联调延期到2015年1月10日交付"
        );
        assert_eq!(register_remark("", None, &[], ""), "");
        // a separator in the reason would cut the clause when the note is read back
        assert_eq!(
            register_remark("", p, &[(d, "客户原因，需联调".into())], ""),
            "因客户原因、需联调延期到7月25日交付"
        );
    }

    #[test]
    fn steps_follow_the_decision_withdrawal_and_delays() {
        let f = |decision, withdrawn, approved_delays, promised| {
            steps(StepFacts {
                decision,
                withdrawn,
                approved_delays,
                promised,
                ..Default::default()
            })
        };
        let open = f(None, false, 0, false);
        assert!(open.decide.open && open.edit.open && open.withdraw.open && !open.restore.open);
        assert!(!open.plan.open && !open.expect.open && !open.complete.open);
        assert_eq!(open.plan.why, NOT_WORK);
        for d in [Decision::Do, Decision::Convert] {
            let s = f(Some(d), false, 0, true);
            assert!(s.plan.open && s.it_acceptance.open && s.expect.open && s.complete.open);
        }
        for d in [Decision::DoNot, Decision::Discuss] {
            let s = f(Some(d), false, 0, true);
            assert!(!s.plan.open && !s.expect.open && !s.complete.open, "{d:?}");
        }
        // right after the decision: ⑤ is not offered until a date was promised
        let decided = f(Some(Decision::Do), false, 0, false);
        assert!(decided.expect.open && !decided.complete.open);
        assert_eq!(decided.complete.why, NO_PROMISE);
        let delayed = f(Some(Decision::Do), false, 1, true);
        assert!(!delayed.expect.open && delayed.complete.open);
        assert_eq!(delayed.expect.why, DELAY_APPROVED);
        let gone = f(Some(Decision::Do), true, 0, true);
        assert!(gone.restore.open && !gone.decide.open && !gone.edit.open && !gone.withdraw.open);
        assert_eq!(gone.complete.why, WITHDRAWN);
    }

    #[test]
    fn briefs_are_cut_at_a_phrase_boundary() {
        let check = |text: &str, want: &str| assert_eq!(brief_from(text), want, "{text}");
        check(
            "随访问卷能不能自动算分，每次手算太麻烦了。",
            "随访问卷能不能自动算分，每次手算太麻烦了",
        );
        check("  问卷 自动计分 ", "问卷 自动计分");
        let long = format!(
            "随访问卷能不能自动算分，{}",
            "每次手算都要对照量表一项一项加起来非常麻烦而且容易出错护士也不愿意做".repeat(2)
        );
        check(&long, "随访问卷能不能自动算分");
        let phrases = "问卷自动计分，量表结果自动归档，异常值提醒医生，随访短信自动发送，复诊预约提醒，病友圈消息推送，在线问诊记录导出";
        let b = brief_from(phrases);
        assert!(
            b.chars().count() <= BRIEF_MAX_CHARS
                && phrases.starts_with(&b)
                && b.ends_with("病友圈消息推送"),
            "{b}"
        );
        let one = "一".repeat(60);
        assert_eq!(
            brief_from(&one).chars().count(),
            BRIEF_MAX_CHARS,
            "no boundary: cut at 50"
        );
        assert!(check_brief(&brief_from(&long)).is_ok());
    }

    #[test]
    fn a_report_is_filled_before_it_is_received() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_report_date(Some(d("2014-06-18")), d("2014-06-19")).is_ok());
        assert!(check_report_date(Some(d("2014-06-19")), d("2014-06-19")).is_ok());
        assert!(check_report_date(None, d("2014-06-19")).is_ok());
        let e = check_report_date(Some(d("2026-11-30")), d("2014-06-19")).unwrap_err();
        assert_eq!(e.field(), Some("report_date"));
        assert!(e.to_string().contains("不能晚于收到日期"), "{e}");
    }

    #[test]
    fn late_delivery_is_after_the_date_in_force() {
        assert!(delivered_late(Some("2014-06-26"), Some("2014-06-25")));
        assert!(!delivered_late(Some("2014-06-25"), Some("2014-06-25")));
        assert!(!delivered_late(None, Some("2014-06-25")));
        assert!(!delivered_late(Some("2014-06-26"), None));
        assert!(check_promised("14061901", false).is_err() && check_promised("x", true).is_ok());
    }

    #[test]
    fn step_rules_refuse_with_the_field_named() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_needs_work("14061901", Some(Decision::Do), "策划").is_ok());
        let e = check_needs_work("14061901", Some(Decision::Discuss), "策划").unwrap_err();
        assert_eq!(e.kind(), "conflict");
        assert!(e.to_string().contains("不能记录策划"), "{e}");
        let e = check_not_before_received(
            "actual_delivery",
            "实际交付日",
            Some(d("2014-06-18")),
            Some(d("2014-06-19")),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("actual_delivery"));
        assert!(
            check_not_before_received("x", "x", Some(d("2014-06-19")), Some(d("2014-06-19")))
                .is_ok()
        );
        assert!(check_not_future("x", "实际交付日", d("2014-06-20"), d("2014-06-19")).is_err());
        assert!(
            check_expected_delivery_open(1).is_err() && check_expected_delivery_open(0).is_ok()
        );
    }

    #[test]
    fn labels_and_codes_round_trip() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.label()), Some(*d));
            assert_eq!(Decision::from_code(d.code()), Some(*d));
        }
        assert_eq!(Decision::parse(" 需求转换 "), Some(Decision::Convert));
        assert_eq!(Kind::parse("改进需求"), Some(Kind::Improvement));
        assert_eq!(Grade::parse("e"), None);
        assert_eq!(serde_json::to_string(&Decision::DoNot).unwrap(), "\"不做\"");
    }
}
