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
    fn names_are_required_and_short() {
        assert!(check_name("张三").is_ok());
        assert!(check_name("  ").is_err());
        assert!(check_name(&"名".repeat(21)).is_err());
    }
}
