//! 附表1 需求延期交付申请: the sign-off levels, an application's state, and the one definition of
//! which promised delivery date is in force (SPEC §2 step 4, §5 "Delay application", §8 附表1).
//!
//! Everything that needs "the date in force" — the requirement view, the register, the import,
//! the notifications and (later) the deadlines — asks [`in_force`]; the register's SQL form of
//! the same rule lives beside the delay table in `store::delays` and is tested against it.

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
}
