//! People and the roles they play in the process (SPEC §1).

labelled_enum!(
    /// A role in the follow-up process; a person may have several.
    Role {
        Reporter = "reporter", "需求报告人";
        Collector = "collector", "需求收集人";
        DecisionGroup = "decision_group", "决策组";
        ProductManager = "product_manager", "产品经理";
        It = "it", "IT";
        Tester = "tester", "测试";
    }
);

labelled_enum!(
    /// What a person does to the records, as the role rules see it (issue 13): each change the
    /// core makes is one of these, and only the roles `Action::roles` names may make it.
    Action {
        Register = "register", "登记或修改需求";
        Decide = "decide", "记录或修改决策结果";
        Plan = "plan", "记录策划文档";
        Acceptance = "acceptance", "记录 IT 验收日";
        Deliver = "deliver", "记录预期交付日或完成交付";
        Responsible = "responsible", "指定负责人";
        Withdraw = "withdraw", "撤回或恢复需求";
        Notify = "notify", "记录通知";
        FileDelay = "file_delay", "提交或撤回延期申请";
        SignDelay = "sign_delay", "记录延期申请的领导签字";
        ReportBug = "report_bug", "登记 Bug";
        TriageBug = "triage_bug", "分类或更正 Bug";
        ReproduceBug = "reproduce_bug", "记录 Bug 复现";
        FixBug = "fix_bug", "记录 Bug 修复";
        BugToRequirement = "bug_to_requirement", "把 Bug 转为需求";
        Weekly = "weekly", "记录周报已发送";
        Rules = "rules", "修改考核与时间节点的规则";
        Settings = "settings", "修改设置、可选列表和节假日";
        People = "people", "管理人员名单";
        Import = "import", "导入旧表";
        Restore = "restore", "从备份恢复数据库";
        Backup = "backup", "备份整个数据库";
        Erase = "erase", "删除个人信息";
    }
);

impl Action {
    /// The roles that may do it. The collector keeps the register and records what others
    /// decided or reported on paper (SPEC §2: "the collector records the result"), so most
    /// steps are open to the role that does them and to the collector; the decision group
    /// alone changes the assessment's rules (issue 12), and recording a bug's reproduction is
    /// the tester's own (SPEC §3).
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::Register => &[Collector, Reporter],
            Action::Decide => &[DecisionGroup, Collector],
            Action::Plan => &[ProductManager, Collector],
            Action::Acceptance => &[It, ProductManager, Collector],
            Action::Deliver => &[ProductManager, Collector],
            Action::Responsible | Action::Withdraw | Action::SignDelay => {
                &[Collector, DecisionGroup]
            }
            Action::Notify => Role::ALL,
            Action::FileDelay => &[ProductManager, It, Collector],
            Action::ReportBug => &[Reporter, Collector, Tester],
            Action::TriageBug | Action::BugToRequirement => &[Tester, Collector],
            Action::ReproduceBug => &[Tester],
            Action::FixBug => &[It, Tester],
            Action::Weekly => &[Collector],
            Action::Rules => &[DecisionGroup],
            // a restore replaces everything, the people and the rules with it: the decision
            // group's (while it has no members, whoever takes backups: `Db::restore_from`)
            Action::Restore => &[DecisionGroup],
            Action::Settings | Action::People | Action::Import | Action::Backup | Action::Erase => {
                &[Collector, DecisionGroup]
            }
        }
    }

    /// Whether someone holding `roles` may do it.
    pub fn allowed(self, roles: &[Role]) -> bool {
        self.roles().iter().any(|r| roles.contains(r))
    }

    /// Why a step is closed to someone without the roles (the window shows it on the step).
    pub fn why_not(self) -> &'static str {
        match self {
            Action::Register => "你的角色不能登记或修改需求（需要：需求收集人 或 需求报告人）。",
            Action::Decide => "你的角色不能记录决策（需要：决策组 或 需求收集人）。",
            Action::Plan => "你的角色不能记录策划文档（需要：产品经理 或 需求收集人）。",
            Action::Acceptance => {
                "你的角色不能记录 IT 验收日（需要：IT、产品经理 或 需求收集人）。"
            }
            Action::Deliver => "你的角色不能记录交付日（需要：产品经理 或 需求收集人）。",
            Action::FileDelay => "你的角色不能提交延期申请（需要：产品经理、IT 或 需求收集人）。",
            Action::Withdraw => "你的角色不能撤回或恢复需求（需要：需求收集人 或 决策组）。",
            Action::TriageBug => "你的角色不能分类或更正 Bug（需要：测试 或 需求收集人）。",
            Action::ReproduceBug => "记录复现是测试人员的事（需要：测试）。",
            Action::FixBug => "你的角色不能记录修复（需要：IT 或 测试）。",
            Action::BugToRequirement => "你的角色不能把 Bug 转为需求（需要：测试 或 需求收集人）。",
            _ => "你的角色不能做这一步。",
        }
    }
}

/// Whether someone holding `mine` may give or take away `role` (issue 19: rights are never
/// raised from below). The decision group, who answer for the whole process, may hand out any
/// role; anyone else only a role whose every right they hold themselves (a collector may add
/// reporters, collectors and product managers, not testers, IT or the decision group). While
/// no active person holds `role` yet (`held` false: a database being set up), whoever may
/// manage people may give it to its first holder.
pub fn may_assign(mine: &[Role], role: Role, held: bool) -> bool {
    if mine.contains(&Role::DecisionGroup) || (!held && Action::People.allowed(mine)) {
        return true;
    }
    Action::ALL
        .iter()
        .filter(|a| a.allowed(&[role]))
        .all(|a| a.allowed(mine))
}

/// Whether someone holding `roles` reads everyone's monthly assessment (考核): the decision
/// group, who decide the pay. Everyone else reads their own sheet (and a collector the lines
/// charged to no one, to assign them).
pub fn reads_every_assessment(roles: &[Role]) -> bool {
    roles.contains(&Role::DecisionGroup)
}

/// Roles are stored as a comma-separated list of codes, in the canonical order.
pub fn roles_to_codes(roles: &[Role]) -> String {
    Role::ALL
        .iter()
        .filter(|r| roles.contains(r))
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn roles_from_codes(codes: &str) -> Vec<Role> {
    codes.split(',').filter_map(Role::from_code).collect()
}

/// Checks a person's name: required, at most 20 characters.
pub fn check_name(name: &str) -> Result<(), String> {
    let n = name.trim().chars().count();
    if n == 0 {
        Err("姓名不能为空".into())
    } else if n > 20 {
        Err(format!("姓名最多 20 个字，现在有 {n} 个字"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_in_canonical_order() {
        let codes = roles_to_codes(&[Role::It, Role::Collector, Role::It]);
        assert_eq!(codes, "collector,it");
        assert_eq!(roles_from_codes(&codes), vec![Role::Collector, Role::It]);
        assert_eq!(roles_from_codes(""), vec![]);
        assert_eq!(roles_from_codes("bogus,tester"), vec![Role::Tester]);
    }

    #[test]
    fn the_role_matrix() {
        use Role::*;
        // (action, a role that may, a role that may not)
        for (action, may, may_not) in [
            (Action::Decide, DecisionGroup, Reporter),
            (Action::Decide, Collector, ProductManager),
            (Action::Rules, DecisionGroup, Collector),
            (Action::ReproduceBug, Tester, Collector),
            (Action::Plan, ProductManager, It),
            (Action::Weekly, Collector, DecisionGroup),
            (Action::People, Collector, Reporter),
            (Action::Withdraw, DecisionGroup, Tester),
            (Action::FixBug, It, Reporter),
        ] {
            assert!(action.allowed(&[may]), "{action:?} by {may:?}");
            assert!(!action.allowed(&[may_not]), "{action:?} by {may_not:?}");
        }
        // telling someone is everyone's part
        for r in Role::ALL {
            assert!(Action::Notify.allowed(&[*r]));
        }
        assert!(!Action::Register.allowed(&[]));
    }

    #[test]
    fn rights_are_never_raised_from_below() {
        use Role::*;
        let held = true;
        // a collector hands out what a collector can do anyway, nothing beyond it
        for (role, may) in [
            (Reporter, true),
            (Collector, true),
            (ProductManager, true),
            (It, false),
            (Tester, false),
            (DecisionGroup, false),
        ] {
            assert_eq!(may_assign(&[Collector], role, held), may, "{role:?}");
        }
        // the decision group may give any role; a reporter none beyond their own
        assert!(Role::ALL
            .iter()
            .all(|r| may_assign(&[DecisionGroup], *r, held)));
        assert!(!may_assign(&[Reporter], Collector, held));
        assert!(may_assign(&[Reporter], Reporter, held));
        // a role nobody holds yet: whoever manages people gives it to its first holder
        assert!(may_assign(&[Collector], DecisionGroup, false));
        assert!(!may_assign(&[Reporter], DecisionGroup, false));
        assert!(reads_every_assessment(&[DecisionGroup]));
        assert!(!reads_every_assessment(&[Collector, ProductManager]));
    }

    #[test]
    fn names_are_required_and_short() {
        assert!(check_name("张三").is_ok());
        assert!(check_name("  ").is_err());
        assert!(check_name(&"名".repeat(21)).is_err());
    }
}
