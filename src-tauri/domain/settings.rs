//! The settings people may change, as a registry: each module declares its own keys with their
//! default, meaning and check (`numbering::SETTINGS`, `calendar::SETTINGS`, …) and [`ALL`] lists
//! those declarations. A new module adds its slice here; nothing else matches on keys.

/// One configurable setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// `area.name`, e.g. `numbering.requirement.scheme`.
    pub key: &'static str,
    /// The value in force until someone changes it.
    pub default: &'static str,
    /// What it means, in Chinese (shown by `genjin settings` and the settings screen).
    pub help: &'static str,
    /// Refuses a value with the Chinese reason; gets the value trimmed.
    pub check: fn(&str) -> Result<(), String>,
    /// For a closed list: each value with what people call it (the window offers these).
    pub choices: &'static [(&'static str, &'static str)],
}

/// Every module's settings, in the order they are listed.
pub const ALL: &[&[Setting]] = &[
    super::numbering::SETTINGS,
    super::calendar::SETTINGS,
    super::bug::SETTINGS,
    super::deadlines::SETTINGS,
    super::assessment::SETTINGS,
    super::privacy::SETTINGS,
    super::delay::SETTINGS,
    STORAGE,
];

labelled_enum!(
    /// Why a backup of the database was taken (`store::backup`).
    BackupKind {
        Daily = "daily", "每日自动";
        Import = "import", "导入前";
        Migration = "migration", "升级前";
        Restore = "restore", "恢复前";
        Manual = "manual", "手动";
    }
);

/// The database file's own settings.
pub const STORAGE: &[Setting] = &[
    Setting {
        key: "backup.keep",
        default: "30",
        help: "每种自动备份（每日、导入前、升级前、恢复前、手动）各保留最近几份",
        check: |v| match v.parse::<u32>() {
            Ok(n) if (1..=3650).contains(&n) => Ok(()),
            _ => Err(format!("须为 1 到 3650 之间的份数，不能是“{v}”")),
        },
        choices: &[],
    },
    Setting {
        key: "security.sign_in",
        default: "off",
        help: "登录：开启后每人用自己的密码登录（窗口启动时输入；命令行用 --as 姓名，密码取自环境变量 GENJIN_PASSWORD 或提示输入）",
        check: |v| match v {
            "on" | "off" => Ok(()),
            _ => Err(format!("只能是 on（开启）或 off（关闭），不能是“{v}”")),
        },
        choices: &[("off", "关闭（单人电脑）"), ("on", "开启（每人密码登录）")],
    },
];

/// The groups the settings screen shows, in order (issue 20: Chinese names, grouped, the key
/// only as a detail).
pub const GROUPS: &[&str] = &[
    "编号",
    "时间节点",
    "考核",
    "日历",
    "延期申请",
    "隐私",
    "备份",
    "登录",
    "附件",
];

/// What a setting is called and the group it is shown in (`GROUPS`).
pub fn presentation(key: &str) -> (&'static str, &'static str) {
    match key {
        "numbering.requirement.scheme" => ("编号", "需求编号规则"),
        "numbering.requirement.prefix" => ("编号", "需求编号前缀"),
        "numbering.bug.scheme" => ("编号", "Bug 编号规则"),
        "numbering.bug.prefix" => ("编号", "Bug 编号前缀"),
        "deadlines.within_hour_minutes" => ("时间节点", "“1小时内”的时限"),
        "deadlines.immediately_minutes" => ("时间节点", "“立即”的时限"),
        "deadlines.thursday_close" => ("时间节点", "周四提交需求的截止时间"),
        "deadlines.weekly_by" => ("时间节点", "周五发周报的截止时间"),
        "assessment.per_occurrence" => ("考核", "每次未按时扣款"),
        "assessment.band_low_max" => ("考核", "低档次数上限"),
        "assessment.band_mid_max" => ("考核", "中档次数上限"),
        "assessment.band_low" => ("考核", "低档扣款"),
        "assessment.band_mid" => ("考核", "中档扣款"),
        "assessment.late_day" => ("考核", "超过承诺交付日 1 天以上"),
        "assessment.late_week" => ("考核", "超过承诺交付日 7 天以上"),
        "calendar.mode" => ("日历", "时限按工作日还是自然日计算"),
        "delays.same_leader" => ("延期申请", "直接领导可兼部门领导"),
        "privacy.mask_exports" => ("隐私", "导出时遮盖个人信息"),
        "backup.keep" => ("备份", "每种备份保留的份数"),
        "security.sign_in" => ("登录", "每人用密码登录"),
        "attachments.max_mb" => ("附件", "附件大小上限（MB）"),
        _ => ("其他", "其他设置"),
    }
}

/// Whether only the decision group may change `key`: the assessment's amounts and bands and
/// the deadlines' windows are the company's rules (issue 12: "editable by the decision group,
/// refused for others").
pub fn decision_group_only(key: &str) -> bool {
    // who may sign twice on a delay is a separation of duties the collector must not relax
    key.starts_with("assessment.")
        || key.starts_with("deadlines.")
        || key == super::delay::SAME_LEADER_KEY
}

/// The editable lists people choose from, by code, with what they are called. Values are kept
/// in `list_items`; one no longer wanted is hidden, never deleted (records keep their value).
pub const LISTS: &[(&str, &str)] = &[
    ("source", "需求来源"),
    ("department", "部门"),
    ("bug_type", "Bug 类型"),
    ("severity", "严重程度"),
    ("channel", "来源渠道"),
    ("notice_channel", "通知方式"),
];

/// What a list is called, if `code` is an editable list.
pub fn list_label(code: &str) -> Option<&'static str> {
    LISTS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The declaration of `key`, if it is a configurable setting.
pub fn find(key: &str) -> Option<&'static Setting> {
    ALL.iter().flat_map(|m| m.iter()).find(|s| s.key == key)
}

/// All declarations, in order.
pub fn all() -> impl Iterator<Item = &'static Setting> {
    ALL.iter().flat_map(|m| m.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_has_a_chinese_name_in_a_listed_group() {
        for s in all() {
            let (group, name) = presentation(s.key);
            assert!(GROUPS.contains(&group), "{} has no group", s.key);
            assert!(
                !name.is_empty() && name != "其他设置",
                "{} has no name",
                s.key
            );
        }
    }

    #[test]
    fn keys_are_unique_and_defaults_pass_their_own_checks() {
        let keys: Vec<&str> = all().map(|s| s.key).collect();
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(keys.len(), unique.len(), "duplicate keys in {keys:?}");
        for s in all() {
            assert_eq!((s.check)(s.default), Ok(()), "{}", s.key);
            for (value, _) in s.choices {
                assert_eq!((s.check)(value), Ok(()), "{} {value}", s.key);
            }
        }
        assert!(find("numbering.bug.prefix").is_some());
        assert!(find("calendar.mode").is_some());
        assert!(find("no.such.key").is_none());
    }
}
