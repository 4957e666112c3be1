//! 附表1 需求延期交付申请: the sign-off levels, an application's state, and the one definition of
//! which promised delivery date is in force (SPEC §2 step 4, §5 "Delay application", §8 附表1).
//!
//! Everything that needs "the date in force" — the requirement view, the register, the import,
//! the notifications and (later) the deadlines — asks [`in_force`]; the register's SQL form of
//! the same rule lives beside the delay table in `store::delays` and is tested against it.

pub use super::Refusal;
use chrono::NaiveDate;

labelled_enum!(
    /// The three signatures of 附表1, in the order they are given.
    SignLevel {
        Direct = "direct", "直接领导";
        Department = "department", "部门领导";
        GmOffice = "gm_office", "总经办";
    }
);

labelled_enum!(
    /// A leader's opinion on the form.
    Opinion {
        Agree = "agree", "同意";
        Disagree = "disagree", "不同意";
    }
);

labelled_enum!(
    /// Where an application stands (issue 9's 状态). Derived from the days its sign-offs set
    /// (`approved_on` when the last level agreed, `rejected_on` when one disagreed), never typed.
    DelayState {
        Pending = "pending", "待签";
        Approved = "approved", "已批准";
        Rejected = "rejected", "已驳回";
        Withdrawn = "withdrawn", "已撤回";
    }
);

impl SignLevel {
    /// The level that signs after this one, if any.
    pub fn next(self) -> Option<SignLevel> {
        match self {
            SignLevel::Direct => Some(SignLevel::Department),
            SignLevel::Department => Some(SignLevel::GmOffice),
            SignLevel::GmOffice => None,
        }
    }
}

/// What the rules need to know of one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayFacts {
    pub id: i64,
    /// 填报日期.
    pub filed: NaiveDate,
    /// 原交付日: the date in force when it was filed.
    pub original: Option<NaiveDate>,
    /// 新交付日.
    pub new_date: NaiveDate,
    pub reason: String,
    /// The day the last level signed 同意: from then on the new date is in force.
    pub approved_on: Option<NaiveDate>,
    /// The day a level signed 不同意.
    pub rejected_on: Option<NaiveDate>,
    pub withdrawn: bool,
}

impl DelayFacts {
    pub fn state(&self) -> DelayState {
        if self.withdrawn {
            DelayState::Withdrawn
        } else if self.rejected_on.is_some() {
            DelayState::Rejected
        } else if self.approved_on.is_some() {
            DelayState::Approved
        } else {
            DelayState::Pending
        }
    }

    /// 逾期申请: filed after the original date had passed. Allowed, but the assessment counts
    /// only applications filed before the promised date (SPEC §7).
    pub fn filed_late(&self) -> bool {
        self.original.is_some_and(|o| self.filed > o)
    }

    /// Approved, not withdrawn, and approved on or before `as_of`.
    pub fn in_force_on(&self, as_of: NaiveDate) -> bool {
        self.state() == DelayState::Approved && self.approved_on.is_some_and(|d| d <= as_of)
    }
}

/// The promised delivery as of a day, and the approved applications that made it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce<'a> {
    /// The date in force: the latest approved application's new date, else 预期交付日.
    pub date: Option<NaiveDate>,
    /// The applications in force, in the order they were approved.
    pub approved: Vec<&'a DelayFacts>,
}

/// Which promised date counts on `as_of`: applications approved on or before that day, taken
/// in the order of approval (then filing, then entry); the last one's new date wins. With none,
/// the first promise (`expected`, 预期交付日) is in force. Pending, rejected and withdrawn
/// applications never count, and neither does one approved after `as_of`.
pub fn in_force(
    expected: Option<NaiveDate>,
    delays: &[DelayFacts],
    as_of: NaiveDate,
) -> InForce<'_> {
    let mut approved: Vec<&DelayFacts> = delays.iter().filter(|d| d.in_force_on(as_of)).collect();
    approved.sort_by_key(|d| (d.approved_on, d.filed, d.id));
    InForce {
        date: approved.last().map(|d| d.new_date).or(expected),
        approved,
    }
}

/// What filing an application needs to know of its requirement and of the form.
#[derive(Debug, Clone)]
pub struct FilingFacts<'a> {
    pub number: &'a str,
    /// The decision asks for work (做 / 需求转换).
    pub needs_work: bool,
    /// Delivered (实际交付日) or not to be done: nothing left to delay.
    pub done: bool,
    pub withdrawn: bool,
    /// The promised date in force on the filing day (`in_force`): the form's 原交付日.
    pub in_force: Option<NaiveDate>,
    /// The day the last approved application took effect: a filing day before it would state
    /// an original date no longer in force.
    pub last_approved: Option<NaiveDate>,
    /// Another application of this requirement is still being signed.
    pub pending: bool,
    pub received: NaiveDate,
    /// 填报日期.
    pub filed: NaiveDate,
    /// 新交付日.
    pub new_date: NaiveDate,
    pub reason: &'a str,
    pub today: NaiveDate,
}

const NO_PROMISE: &str = "还没有预期交付日，请先登记预期交付日";

/// Why a requirement in this state cannot get a delay application now (`None`: it can). The
/// requirement's steps show it (the window's 申请延期 button); [`check_filing`] enforces it.
pub fn filing_blocked(
    needs_work: bool,
    done: bool,
    withdrawn: bool,
    promised: bool,
    pending: bool,
) -> Option<&'static str> {
    if withdrawn {
        Some("需求已撤回，不能申请延期")
    } else if !needs_work {
        Some("决策结果不是“做”或“需求转换”，没有交付日可延期")
    } else if done {
        Some("已完成交付，不能再申请延期")
    } else if !promised {
        Some(NO_PROMISE)
    } else if pending {
        Some("已有一份待签的延期申请，请先签完或撤回它")
    } else {
        None
    }
}

/// Whether a 需求延期交付申请 may be filed (SPEC §2 step 4, §5 "Delay application"): the
/// requirement is to be done, promised, not yet delivered, with no other application being
/// signed; the new date is after the date in force; a reason is given; the filing day is not in
/// the future nor before the requirement was received. Filing after the promised date is allowed
/// (it is then 逾期申请).
pub fn check_filing(f: &FilingFacts) -> Result<NaiveDate, Refusal> {
    let refuse = |field: &'static str, m: String| Err((field, m));
    if let Some(why) = filing_blocked(
        f.needs_work,
        f.done,
        f.withdrawn,
        f.in_force.is_some(),
        f.pending,
    ) {
        return refuse("number", format!("需求 {}：{why}", f.number));
    }
    let Some(original) = f.in_force else {
        return refuse("number", NO_PROMISE.into());
    };
    if f.filed > f.today {
        return refuse("filed_date", "填报日期不能晚于今天".into());
    }
    if f.filed < f.received {
        return refuse(
            "filed_date",
            format!(
                "填报日期不能早于收到日期（{}）",
                f.received.format("%Y-%m-%d")
            ),
        );
    }
    if f.new_date <= original {
        return refuse(
            "new_date",
            format!("新交付日须晚于原交付日（{}）", original.format("%Y-%m-%d")),
        );
    }
    if f.new_date <= f.filed {
        return refuse("new_date", "新交付日须晚于填报日期".into());
    }
    if let Some(last) = f.last_approved {
        if f.filed < last {
            return refuse(
                "filed_date",
                format!(
                    "填报日期不能早于上一份延期申请的批准日期（{}）",
                    last.format("%Y-%m-%d")
                ),
            );
        }
    }
    if f.reason.trim().is_empty() {
        return refuse("reason", "请填写延期原因".into());
    }
    Ok(original)
}

/// One signature already on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed {
    pub level: SignLevel,
    pub opinion: Opinion,
    pub day: NaiveDate,
}

/// What a new signature does to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutcome {
    /// The next level signs next.
    Continues,
    /// The last level agreed: the new date is in force from the signature's day.
    Approved,
    /// A level disagreed: the application is rejected.
    Rejected,
}

/// A signature to be recorded.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    pub level: SignLevel,
    pub opinion: Opinion,
    /// The day written beside it.
    pub day: NaiveDate,
    /// The signer has the decision-group role (needed for 总经办).
    pub signer_in_decision_group: bool,
    /// The signer is the applicant (who cannot sign their own application).
    pub signer_is_applicant: bool,
    /// The level the signer already signed on this application, if any.
    pub signer_signed_at: Option<SignLevel>,
    /// 直接领导 and 部门领导 may be the same person (the `delays.same_leader` setting: small
    /// companies, issue 20).
    pub same_leader_allowed: bool,
}

/// Whether a signature may be recorded now, and what it does (附表1: 直接领导 → 部门领导 →
/// 总经办, in that order, once each; any 不同意 rejects; the 总经办 signer is of the decision
/// group). `signed` are the signatures so far; `filed` the filing day.
pub fn check_signature(
    state: DelayState,
    signed: &[Signed],
    filed: NaiveDate,
    new: Signature,
    today: NaiveDate,
) -> Result<SignOutcome, Refusal> {
    let Signature {
        level,
        opinion,
        day,
        signer_in_decision_group,
        signer_is_applicant,
        signer_signed_at,
        same_leader_allowed,
    } = new;
    if state != DelayState::Pending {
        return Err(("level", format!("该申请{}，不能再签字", state.label())));
    }
    if let Some(s) = signed.iter().find(|s| s.level == level) {
        return Err((
            "level",
            format!(
                "{}已于 {} 签过字，不能重复签",
                level.label(),
                s.day.format("%Y-%m-%d")
            ),
        ));
    }
    let due = SignLevel::ALL
        .iter()
        .copied()
        .find(|l| !signed.iter().any(|s| s.level == *l));
    if due != Some(level) {
        let due = due.map(|l| l.label()).unwrap_or("");
        return Err((
            "level",
            format!("请先记录{due}的签字（签字顺序：直接领导 → 部门领导 → 总经办）"),
        ));
    }
    if day > today {
        return Err(("date", "签字日期不能晚于今天".into()));
    }
    if day < filed {
        return Err((
            "date",
            format!("签字日期不能早于填报日期（{}）", filed.format("%Y-%m-%d")),
        ));
    }
    if let Some(last) = signed.iter().map(|s| s.day).max() {
        if day < last {
            return Err((
                "date",
                format!(
                    "签字日期不能早于上一级的签字日期（{}）",
                    last.format("%Y-%m-%d")
                ),
            ));
        }
    }
    if signer_is_applicant {
        return Err(("signer", "申请人不能为自己的延期申请签字".into()));
    }
    if let Some(before) = signer_signed_at {
        let lower_two = |l: SignLevel| matches!(l, SignLevel::Direct | SignLevel::Department);
        if !(same_leader_allowed && lower_two(before) && lower_two(level)) {
            return Err((
                "signer",
                if same_leader_allowed {
                    "同一个人只能在直接领导和部门领导两级同时签字，总经办须由另一位领导签署".into()
                } else {
                    "同一个人不能在两级签字（三级须由三位领导分别签署；设置 delays.same_leader 可允许直接领导兼部门领导）".into()
                },
            ));
        }
    }
    if level == SignLevel::GmOffice && !signer_in_decision_group {
        return Err(("signer", "总经办意见须由决策组成员签署".into()));
    }
    Ok(match (opinion, level.next()) {
        (Opinion::Disagree, _) => SignOutcome::Rejected,
        (Opinion::Agree, None) => SignOutcome::Approved,
        (Opinion::Agree, Some(_)) => SignOutcome::Continues,
    })
}

/// Whether the signature of `level` may be voided (issue 20: a wrong person or level was
/// recorded): while the application is not approved nor withdrawn, the latest signature only
/// (an earlier one is reached by voiding the later ones first), with a reason.
pub fn check_void(
    state: DelayState,
    signed: &[Signed],
    level: SignLevel,
    reason: &str,
) -> Result<(), Refusal> {
    match state {
        DelayState::Approved => {
            return Err((
                "level",
                "申请已批准，签字不能再作废（如需改期，请另行申请延期）".into(),
            ))
        }
        DelayState::Withdrawn => return Err(("level", "申请已撤回，签字不能再作废".into())),
        DelayState::Pending | DelayState::Rejected => {}
    }
    if !signed.iter().any(|s| s.level == level) {
        return Err((
            "level",
            format!("{}还没有签字，没有可作废的", level.label()),
        ));
    }
    let latest = SignLevel::ALL
        .iter()
        .rev()
        .copied()
        .find(|l| signed.iter().any(|s| s.level == *l));
    if latest != Some(level) {
        let latest = latest.map(|l| l.label()).unwrap_or("");
        return Err((
            "level",
            format!("请先作废{latest}的签字（从最后一级往前作废）"),
        ));
    }
    if reason.trim().is_empty() {
        return Err(("reason", "请写明作废原因（例如：签字人录错）".into()));
    }
    Ok(())
}

/// The short reason a register 备注 and the requester's message carry (issue 20): the one
/// given on the application (or read from a legacy 备注: the user's own words, whole), else the
/// first clause of the full reason, at most [`SHORT_REASON_MAX_CHARS`] characters.
pub fn short_reason(given: &str, reason: &str) -> String {
    const END: &[char] = &['。', '，', '；', '！', '？', '.', ',', ';', '!', '?'];
    let given = given.trim().trim_end_matches(END);
    if !given.is_empty() {
        return given.to_string();
    }
    let first = reason
        .trim()
        .split(['，', '。', '；', '！', '？', ',', ';', '!', '?', '\n'])
        .map(str::trim)
        .find(|c| !c.is_empty())
        .unwrap_or_default();
    let first = first
        .trim_start_matches(['因', '由'])
        .trim_start_matches('于');
    first.chars().take(SHORT_REASON_MAX_CHARS).collect()
}

/// The longest short reason (a register 备注 stays one line).
pub const SHORT_REASON_MAX_CHARS: usize = 20;

/// The `delays.same_leader` setting's key.
pub const SAME_LEADER_KEY: &str = "delays.same_leader";

/// Settings of this module (see `domain::settings`).
pub const SETTINGS: &[super::settings::Setting] = &[super::settings::Setting {
    key: SAME_LEADER_KEY,
    default: "allowed",
    help: "直接领导与部门领导可否为同一人（小公司常见；总经办始终须另一位决策组成员）",
    check: |v| match v {
        "allowed" | "refused" => Ok(()),
        _ => Err(format!(
            "只能是 allowed（允许）或 refused（不允许），不能是“{v}”"
        )),
    },
    choices: &[
        ("allowed", "允许（直接领导兼部门领导）"),
        ("refused", "不允许（三级须三位不同的领导）"),
    ],
}];

/// Whether an application may be withdrawn: only while no one has signed it.
pub fn check_withdrawal(state: DelayState, signatures: usize) -> Result<(), Refusal> {
    if state != DelayState::Pending {
        return Err(("id", format!("该申请{}，不能撤回", state.label())));
    }
    if signatures > 0 {
        return Err((
            "id",
            "已有领导签字的申请不能撤回；如不再需要，请由下一级签“不同意”".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// An application: filed, original → new, approved or rejected on a day.
    fn delay(
        id: i64,
        filed: &str,
        original: &str,
        new: &str,
        approved: Option<&str>,
    ) -> DelayFacts {
        DelayFacts {
            id,
            filed: d(filed),
            original: Some(d(original)),
            new_date: d(new),
            reason: "实现难度大".into(),
            approved_on: approved.map(d),
            rejected_on: None,
            withdrawn: false,
        }
    }

    fn check(
        name: &str,
        expected: Option<&str>,
        delays: &[DelayFacts],
        as_of: &str,
        want: Option<&str>,
    ) {
        let got = in_force(expected.map(d), delays, d(as_of));
        assert_eq!(got.date, want.map(d), "{name}");
    }

    #[test]
    fn the_date_in_force() {
        let first = delay(
            1,
            "2014-06-25",
            "2014-07-01",
            "2014-07-25",
            Some("2014-06-27"),
        );
        let second = delay(
            2,
            "2014-07-20",
            "2014-07-25",
            "2014-08-15",
            Some("2014-07-22"),
        );
        let pending = delay(3, "2014-06-25", "2014-07-01", "2014-07-25", None);
        let mut rejected = delay(4, "2014-06-25", "2014-07-01", "2014-07-25", None);
        rejected.rejected_on = Some(d("2014-06-26"));
        let mut withdrawn = first.clone();
        withdrawn.withdrawn = true;
        let late = delay(
            5,
            "2014-07-03",
            "2014-07-01",
            "2014-07-20",
            Some("2014-07-04"),
        );

        /// (case, 预期交付日, applications, as of, date in force)
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            &'a [DelayFacts],
            &'a str,
            Option<&'a str>,
        );
        let cases: &[Case] = &[
            ("no promise, no delay", None, &[], "2014-07-01", None),
            (
                "none: the first promise",
                Some("2014-07-01"),
                &[],
                "2014-07-01",
                Some("2014-07-01"),
            ),
            (
                "pending does not count",
                Some("2014-07-01"),
                std::slice::from_ref(&pending),
                "2014-07-01",
                Some("2014-07-01"),
            ),
            (
                "approved",
                Some("2014-07-01"),
                std::slice::from_ref(&first),
                "2014-07-01",
                Some("2014-07-25"),
            ),
            (
                "approved later than as_of",
                Some("2014-07-01"),
                std::slice::from_ref(&first),
                "2014-06-26",
                Some("2014-07-01"),
            ),
            (
                "approved on the day",
                Some("2014-07-01"),
                std::slice::from_ref(&first),
                "2014-06-27",
                Some("2014-07-25"),
            ),
            (
                "rejected",
                Some("2014-07-01"),
                std::slice::from_ref(&rejected),
                "2014-07-10",
                Some("2014-07-01"),
            ),
            (
                "withdrawn",
                Some("2014-07-01"),
                std::slice::from_ref(&withdrawn),
                "2014-07-10",
                Some("2014-07-01"),
            ),
            (
                "second delay",
                Some("2014-07-01"),
                &[second.clone(), first.clone()],
                "2014-08-01",
                Some("2014-08-15"),
            ),
            (
                "second not yet approved",
                Some("2014-07-01"),
                &[first.clone(), second.clone()],
                "2014-07-21",
                Some("2014-07-25"),
            ),
            (
                "filed after the due day",
                Some("2014-07-01"),
                std::slice::from_ref(&late),
                "2014-07-05",
                Some("2014-07-20"),
            ),
        ];
        for (name, expected, delays, as_of, want) in cases {
            check(name, *expected, delays, as_of, *want);
        }
    }

    #[test]
    fn states_and_late_filing() {
        let mut a = delay(1, "2014-06-25", "2014-07-01", "2014-07-25", None);
        assert_eq!(a.state(), DelayState::Pending);
        assert!(!a.filed_late());
        a.approved_on = Some(d("2014-06-27"));
        assert_eq!(a.state(), DelayState::Approved);
        let late = delay(2, "2014-07-02", "2014-07-01", "2014-07-25", None);
        assert!(late.filed_late(), "filed the day after the promised date");
        let on_the_day = delay(3, "2014-07-01", "2014-07-01", "2014-07-25", None);
        assert!(
            !on_the_day.filed_late(),
            "filed on the promised date is in time"
        );
        assert_eq!(SignLevel::Direct.next(), Some(SignLevel::Department));
        assert_eq!(SignLevel::GmOffice.next(), None);
    }

    /// Plays signatures in turn on a fresh application filed 2014-06-25; returns the state
    /// after each, or the field of the first refusal.
    fn play(steps: &[(SignLevel, Opinion, &str, bool)]) -> Result<DelayState, &'static str> {
        let mut state = DelayState::Pending;
        let mut signed = Vec::new();
        for &(level, opinion, day, decision_group) in steps {
            let outcome = check_signature(
                state,
                &signed,
                d("2014-06-25"),
                Signature {
                    level,
                    opinion,
                    day: d(day),
                    signer_in_decision_group: decision_group,
                    signer_is_applicant: false,
                    signer_signed_at: None,
                    same_leader_allowed: false,
                },
                d("2014-07-31"),
            )
            .map_err(|(field, _)| field)?;
            signed.push(Signed {
                level,
                opinion,
                day: d(day),
            });
            state = match outcome {
                SignOutcome::Continues => DelayState::Pending,
                SignOutcome::Approved => DelayState::Approved,
                SignOutcome::Rejected => DelayState::Rejected,
            };
        }
        Ok(state)
    }

    #[test]
    fn the_sign_off_state_machine() {
        use Opinion::{Agree as Y, Disagree as N};
        use SignLevel::{Department as Dep, Direct as Dir, GmOffice as Gm};
        type Case<'a> = (
            &'a str,
            &'a [(SignLevel, Opinion, &'a str, bool)],
            Result<DelayState, &'a str>,
        );
        let cases: &[Case] = &[
            ("nothing signed", &[], Ok(DelayState::Pending)),
            (
                "all three agree",
                &[
                    (Dir, Y, "2014-06-26", false),
                    (Dep, Y, "2014-06-26", false),
                    (Gm, Y, "2014-06-27", true),
                ],
                Ok(DelayState::Approved),
            ),
            (
                "two agreed: still pending",
                &[(Dir, Y, "2014-06-26", false), (Dep, Y, "2014-06-26", false)],
                Ok(DelayState::Pending),
            ),
            (
                "rejected by 直接领导",
                &[(Dir, N, "2014-06-26", false)],
                Ok(DelayState::Rejected),
            ),
            (
                "rejected by 部门领导",
                &[(Dir, Y, "2014-06-26", false), (Dep, N, "2014-06-27", false)],
                Ok(DelayState::Rejected),
            ),
            (
                "rejected by 总经办",
                &[
                    (Dir, Y, "2014-06-26", false),
                    (Dep, Y, "2014-06-26", false),
                    (Gm, N, "2014-06-27", true),
                ],
                Ok(DelayState::Rejected),
            ),
            (
                "no signing after a rejection",
                &[(Dir, N, "2014-06-26", false), (Dep, Y, "2014-06-27", false)],
                Err("level"),
            ),
            (
                "out of order",
                &[(Dep, Y, "2014-06-26", false)],
                Err("level"),
            ),
            (
                "the same level twice",
                &[(Dir, Y, "2014-06-26", false), (Dir, Y, "2014-06-26", false)],
                Err("level"),
            ),
            (
                "总经办 outside the decision group",
                &[
                    (Dir, Y, "2014-06-26", false),
                    (Dep, Y, "2014-06-26", false),
                    (Gm, Y, "2014-06-27", false),
                ],
                Err("signer"),
            ),
            (
                "signed before filing",
                &[(Dir, Y, "2014-06-24", false)],
                Err("date"),
            ),
            (
                "signed in the future",
                &[(Dir, Y, "2014-08-01", false)],
                Err("date"),
            ),
            (
                "signed before the level before",
                &[(Dir, Y, "2014-06-27", false), (Dep, Y, "2014-06-26", false)],
                Err("date"),
            ),
        ];
        for (name, steps, want) in cases {
            assert_eq!(play(steps), *want, "{name}");
        }
    }

    #[test]
    fn a_signer_signs_once_and_never_their_own() {
        let sign = |level, applicant, before, allowed| {
            let signed: Vec<Signed> = SignLevel::ALL
                .iter()
                .take_while(|l| **l != level)
                .map(|l| Signed {
                    level: *l,
                    opinion: Opinion::Agree,
                    day: d("2014-06-26"),
                })
                .collect();
            check_signature(
                DelayState::Pending,
                &signed,
                d("2014-06-25"),
                Signature {
                    level,
                    opinion: Opinion::Agree,
                    day: d("2014-06-26"),
                    signer_in_decision_group: true,
                    signer_is_applicant: applicant,
                    signer_signed_at: before,
                    same_leader_allowed: allowed,
                },
                d("2014-07-31"),
            )
            .map_err(|e| e.0)
        };
        use SignLevel::{Department as Dep, Direct as Dir, GmOffice as Gm};
        assert_eq!(sign(Dir, false, None, true), Ok(SignOutcome::Continues));
        assert_eq!(sign(Dir, true, None, true), Err("signer"));
        // 直接领导 is also 部门领导 where the setting allows it; never the 总经办 too
        assert_eq!(
            sign(Dep, false, Some(Dir), true),
            Ok(SignOutcome::Continues)
        );
        assert_eq!(sign(Dep, false, Some(Dir), false), Err("signer"));
        assert_eq!(sign(Gm, false, Some(Dep), true), Err("signer"));
        assert_eq!(sign(Gm, false, Some(Dir), true), Err("signer"));
    }

    #[test]
    fn only_the_latest_signature_of_an_open_application_is_voided_with_a_reason() {
        use SignLevel::{Department as Dep, Direct as Dir, GmOffice as Gm};
        let signed = |levels: &[SignLevel]| -> Vec<Signed> {
            levels
                .iter()
                .map(|l| Signed {
                    level: *l,
                    opinion: Opinion::Agree,
                    day: d("2014-06-26"),
                })
                .collect()
        };
        let two = signed(&[Dir, Dep]);
        assert!(check_void(DelayState::Pending, &two, Dep, "录错了签字人").is_ok());
        assert_eq!(
            check_void(DelayState::Pending, &two, Dir, "录错")
                .unwrap_err()
                .0,
            "level"
        );
        assert_eq!(
            check_void(DelayState::Pending, &two, Gm, "录错")
                .unwrap_err()
                .0,
            "level"
        );
        assert_eq!(
            check_void(DelayState::Pending, &two, Dep, " ")
                .unwrap_err()
                .0,
            "reason"
        );
        assert!(check_void(DelayState::Rejected, &two, Dep, "意见录反了").is_ok());
        let three = signed(&[Dir, Dep, Gm]);
        assert!(check_void(DelayState::Approved, &three, Gm, "录错").is_err());
        assert!(check_void(DelayState::Withdrawn, &two, Dep, "录错").is_err());
    }

    #[test]
    fn the_short_reason_is_given_or_the_first_clause() {
        assert_eq!(short_reason(" 接口未开放。 ", "很长的原因"), "接口未开放");
        assert_eq!(
            short_reason("", "原因：接口未开放，需联调"),
            "原因：接口未开放"
        );
        assert_eq!(
            short_reason(
                "",
                "因实现难度大，需要重新设计数据库结构。另外第三方接口也没有开放"
            ),
            "实现难度大"
        );
        assert_eq!(short_reason("", "  "), "");
        assert_eq!(
            short_reason("", &"很".repeat(40)).chars().count(),
            SHORT_REASON_MAX_CHARS
        );
    }

    #[test]
    fn withdrawal_only_while_unsigned() {
        assert!(check_withdrawal(DelayState::Pending, 0).is_ok());
        assert_eq!(
            check_withdrawal(DelayState::Pending, 1).unwrap_err().0,
            "id"
        );
        assert!(check_withdrawal(DelayState::Approved, 3).is_err());
        assert!(check_withdrawal(DelayState::Withdrawn, 0).is_err());
    }

    #[test]
    fn filing_rules() {
        let ok = FilingFacts {
            number: "14061901",
            needs_work: true,
            done: false,
            withdrawn: false,
            in_force: Some(d("2014-07-01")),
            pending: false,
            last_approved: None,
            received: d("2014-06-19"),
            filed: d("2014-06-25"),
            new_date: d("2014-07-25"),
            reason: "接口未开放",
            today: d("2014-06-30"),
        };
        assert_eq!(check_filing(&ok), Ok(d("2014-07-01")));
        let late = FilingFacts {
            filed: d("2014-07-03"),
            today: d("2014-07-05"),
            ..ok.clone()
        };
        assert!(check_filing(&late).is_ok(), "filing late is allowed");
        type Change = fn(&mut FilingFacts);
        let refused: &[(&str, Change, &str)] = &[
            ("withdrawn", |f| f.withdrawn = true, "number"),
            ("not to be done", |f| f.needs_work = false, "number"),
            ("delivered", |f| f.done = true, "number"),
            ("no promise yet", |f| f.in_force = None, "number"),
            ("another pending", |f| f.pending = true, "number"),
            (
                "filed in the future",
                |f| f.filed = d("2014-07-01"),
                "filed_date",
            ),
            (
                "filed before received",
                |f| f.filed = d("2014-06-18"),
                "filed_date",
            ),
            (
                "new date not later",
                |f| f.new_date = d("2014-07-01"),
                "new_date",
            ),
            ("no reason", |f| f.reason = " ", "reason"),
        ];
        for (name, change, field) in refused {
            let mut f = ok.clone();
            change(&mut f);
            assert_eq!(check_filing(&f).map_err(|e| e.0), Err(*field), "{name}");
        }
    }
}
