//! The BUG反馈流程 (SPEC §3, §5 "Bug", §6 B1–B4): a bug's state, derived from what was recorded,
//! and the rules of its steps — report, reproduce (or not), fix, 转需求.

use super::settings::Setting;
pub use super::Refusal;
use chrono::NaiveDate;

/// The largest screenshot or scan kept, in MB (a setting: `attachments.max_mb`).
pub const MAX_MB_KEY: &str = "attachments.max_mb";

/// Settings of this module (see `domain::settings`).
pub const SETTINGS: &[Setting] = &[Setting {
    key: MAX_MB_KEY,
    default: "20",
    help: "截图、扫描件等附件的大小上限（MB，1–200）",
    check: |v| match v.parse::<u32>() {
        Ok(n) if (1..=200).contains(&n) => Ok(()),
        _ => Err(format!("须为 1 到 200 之间的整数（MB），不能是“{v}”")),
    },
    choices: &[],
}];

labelled_enum!(
    /// Where a bug stands. Derived, never typed.
    BugState {
        Reported = "reported", "待复现";
        Reproduced = "reproduced", "已复现";
        NotReproducible = "not_reproducible", "无法复现";
        Fixed = "fixed", "已修复";
        Converted = "converted", "已转需求";
        Withdrawn = "withdrawn", "已撤回";
    }
);

/// What a bug's state depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct BugFacts {
    /// `Some(true)` reproduced, `Some(false)` 无法复现, `None` not tried yet.
    pub reproduced: Option<bool>,
    pub fixed: bool,
    pub converted: bool,
    pub withdrawn: bool,
}

/// The state: withdrawn, converted and fixed end it; else what reproduction found.
pub fn bug_state(f: BugFacts) -> BugState {
    if f.withdrawn {
        BugState::Withdrawn
    } else if f.converted {
        BugState::Converted
    } else if f.fixed {
        BugState::Fixed
    } else {
        match f.reproduced {
            Some(true) => BugState::Reproduced,
            Some(false) => BugState::NotReproducible,
            None => BugState::Reported,
        }
    }
}

/// What may be done next to a bug (the window enables exactly these).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BugSteps {
    /// Triage and corrections of what was reported (type, severity, channel, the report's
    /// fields): open until the bug is withdrawn.
    pub edit: super::gate::Gate,
    pub reproduce: super::gate::Gate,
    pub fix: super::gate::Gate,
    pub convert: super::gate::Gate,
}

impl BugSteps {
    /// Closes the steps someone holding `roles` may not take (issue 13), saying which roles may.
    pub fn limit_to(&mut self, roles: &[super::people::Role]) {
        use super::people::Action;
        for (gate, action) in [
            (&mut self.edit, Action::TriageBug),
            (&mut self.reproduce, Action::ReproduceBug),
            (&mut self.fix, Action::FixBug),
            (&mut self.convert, Action::BugToRequirement),
        ] {
            if gate.open && !action.allowed(roles) {
                *gate = super::gate::Gate::closed(action.why_not());
            }
        }
    }
}

/// The steps open in a state: reproduce and 转需求 while open; fix once reproduced.
pub fn bug_steps(state: BugState) -> BugSteps {
    use super::gate::Gate;
    let open = match state {
        BugState::Fixed => Gate::closed("Bug 已修复。"),
        BugState::Converted => Gate::closed("Bug 已转为需求。"),
        BugState::Withdrawn => Gate::closed("Bug 已撤回。"),
        _ => Gate::OPEN,
    };
    let fix = if !open.open {
        open.clone()
    } else if state == BugState::Reproduced {
        Gate::OPEN
    } else {
        Gate::closed("复现后才能记录修复。")
    };
    BugSteps {
        edit: if state == BugState::Withdrawn {
            Gate::closed("Bug 已撤回。")
        } else {
            Gate::OPEN
        },
        reproduce: open.clone(),
        fix,
        convert: open,
    }
}

/// A new bug: phone model, OS and content are what a tester needs to reproduce it (SPEC §3 step 1);
/// found and reported days not in the future, found not after reported.
pub fn check_report(
    phone_model: &str,
    os: &str,
    content: &str,
    found: NaiveDate,
    reported: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if phone_model.trim().is_empty() {
        return Err(("phone_model", "请填写手机型号".into()));
    }
    if os.trim().is_empty() {
        return Err(("os_version", "请填写手机系统及版本".into()));
    }
    if content.trim().is_empty() {
        return Err(("content", "请填写 Bug 内容".into()));
    }
    if found > today {
        return Err(("found_date", "发现日期不能晚于今天".into()));
    }
    if reported > today {
        return Err(("received_date", "反馈日期不能晚于今天".into()));
    }
    if found > reported {
        return Err(("found_date", "发现日期不能晚于反馈日期".into()));
    }
    Ok(())
}

/// A step on a bug that is still open (not fixed, converted or withdrawn).
pub fn check_open(number: &str, state: BugState, step: &str) -> Result<(), Refusal> {
    match state {
        BugState::Fixed | BugState::Converted | BugState::Withdrawn => Err((
            "number",
            format!("Bug {number} {}，不能再{step}", state.label()),
        )),
        _ => Ok(()),
    }
}

/// The fix: on a reproduced bug (one that could not be reproduced is not fixed, SPEC §3), not
/// before it was found, not in the future.
pub fn check_fix(
    number: &str,
    state: BugState,
    found: NaiveDate,
    fixed: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    check_open(number, state, "记录修复")?;
    if state != BugState::Reproduced {
        return Err((
            "number",
            format!(
                "Bug {number} 尚未复现（{}），请先记录复现结果",
                state.label()
            ),
        ));
    }
    if fixed < found {
        return Err((
            "date",
            format!("修复日期不能早于发现日期（{}）", found.format("%Y-%m-%d")),
        ));
    }
    if fixed > today {
        return Err(("date", "修复日期不能晚于今天".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_steps_a_role_may_not_take_are_closed_with_why() {
        use crate::domain::people::Role;
        let mut s = bug_steps(BugState::Reproduced);
        assert!(s.fix.open);
        s.limit_to(&[Role::Reporter]);
        assert!(!s.fix.open && s.fix.why.contains("IT"));
        let mut s = bug_steps(BugState::Reported);
        s.limit_to(&[Role::Tester]);
        assert!(s.reproduce.open && s.edit.open && s.convert.open);
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_state_follows_the_facts() {
        let f = |reproduced, fixed, converted, withdrawn| {
            bug_state(BugFacts {
                reproduced,
                fixed,
                converted,
                withdrawn,
            })
        };
        assert_eq!(f(None, false, false, false), BugState::Reported);
        assert_eq!(f(Some(true), false, false, false), BugState::Reproduced);
        assert_eq!(
            f(Some(false), false, false, false),
            BugState::NotReproducible
        );
        assert_eq!(f(Some(true), true, false, false), BugState::Fixed);
        assert_eq!(f(None, false, true, false), BugState::Converted);
        assert_eq!(f(Some(true), true, false, true), BugState::Withdrawn);
    }

    #[test]
    fn steps_are_refused_out_of_turn() {
        let today = d("2014-07-31");
        assert!(check_report(
            "iPhone 5",
            "iOS 7.1",
            "闪退",
            d("2014-07-01"),
            d("2014-07-01"),
            today
        )
        .is_ok());
        assert_eq!(
            check_report("", "iOS", "闪退", d("2014-07-01"), d("2014-07-01"), today)
                .unwrap_err()
                .0,
            "phone_model"
        );
        assert_eq!(
            check_report("M", "iOS", " ", d("2014-07-01"), d("2014-07-01"), today)
                .unwrap_err()
                .0,
            "content"
        );
        assert_eq!(
            check_report("M", "iOS", "x", d("2014-07-02"), d("2014-07-01"), today)
                .unwrap_err()
                .0,
            "found_date"
        );
        assert!(check_fix(
            "B1",
            BugState::Reproduced,
            d("2014-07-01"),
            d("2014-07-03"),
            today
        )
        .is_ok());
        assert_eq!(
            check_fix(
                "B1",
                BugState::Reproduced,
                d("2014-07-01"),
                d("2014-06-30"),
                today
            )
            .unwrap_err()
            .0,
            "date"
        );
        assert_eq!(
            check_fix(
                "B1",
                BugState::Reported,
                d("2014-07-01"),
                d("2014-07-03"),
                today
            )
            .unwrap_err()
            .0,
            "number"
        );
        assert_eq!(
            check_fix(
                "B1",
                BugState::Fixed,
                d("2014-07-01"),
                d("2014-07-03"),
                today
            )
            .unwrap_err()
            .0,
            "number"
        );
        assert!(check_open("B1", BugState::NotReproducible, "复现").is_ok());
        assert!(check_open("B1", BugState::Converted, "复现").is_err());
    }
}
