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

/// Whether only the decision group may change `key`: the assessment's amounts and bands and
/// the deadlines' windows are the company's rules (issue 12: "editable by the decision group,
/// refused for others").
pub fn decision_group_only(key: &str) -> bool {
    key.starts_with("assessment.") || key.starts_with("deadlines.")
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
