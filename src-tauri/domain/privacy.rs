//! Personal data (issue 13; 个人信息保护法 art. 47): the fields that hold it, how exports and
//! reports mask them when the `privacy.mask_exports` setting is on, and what an erased field
//! reads. A doctor's name, their 医享 account, their own words (医生原话), and phone numbers
//! written anywhere in free text.

use super::settings::Setting;

/// Requirement columns that hold a doctor's personal data.
pub const PERSONAL_FIELDS: &[&str] = &["doctor_name", "app_account", "doctor_words"];

/// Free-text requirement columns phone numbers may be written in.
pub const FREE_TEXT_FIELDS: &[&str] = &["overview", "brief", "remark", "conversion_summary"];

/// What an erased field reads (the record and its number stay).
pub const ERASED: &str = "已删除";

/// Settings of this module (see `domain::settings`).
pub const SETTINGS: &[Setting] = &[Setting {
    key: "privacy.mask_exports",
    default: "off",
    help: "导出的表格和报表中遮盖个人信息（医生姓名、医享账号、医生原话中的电话号码等）",
    check: |v| match v {
        "on" | "off" => Ok(()),
        _ => Err(format!("只能是 on（遮盖）或 off（不遮盖），不能是“{v}”")),
    },
    choices: &[("off", "不遮盖"), ("on", "遮盖")],
}];

/// `郭建国` → `郭**`: the family name kept.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) if name == ERASED => first.to_string() + &name[first.len_utf8()..],
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

/// `yx250930` → `yx****30`; short ones wholly hidden.
pub fn mask_account(account: &str) -> String {
    let a: Vec<char> = account.trim().chars().collect();
    if a.is_empty() || account.trim() == ERASED {
        return account.trim().to_string();
    }
    if a.len() <= 4 {
        return "*".repeat(a.len());
    }
    let head: String = a[..2].iter().collect();
    let tail: String = a[a.len() - 2..].iter().collect();
    format!("{head}****{tail}")
}

/// Phone numbers in free text masked: every run of 7 or more digits (a mobile `13812345678`,
/// a landline `0571-87654321`'s number part) keeps its first 3 and last 2–4 digits.
pub fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let run = &chars[start..i];
        if run.len() < 7 {
            out.extend(run);
            continue;
        }
        let keep_tail = if run.len() >= 11 { 4 } else { 2 };
        out.extend(&run[..3]);
        out.extend(std::iter::repeat_n('*', run.len() - 3 - keep_tail));
        out.extend(&run[run.len() - keep_tail..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_accounts_and_phones_are_masked() {
        assert_eq!(mask_name("郭建国"), "郭**");
        assert_eq!(mask_name("沈丽"), "沈*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_account("yx250930"), "yx****30");
        assert_eq!(mask_account("abc"), "***");
        assert_eq!(
            mask_phones("请回电 13812345678 或 0571-87654321，第2014期"),
            "请回电 138****5678 或 0571-876***21，第2014期"
        );
        assert_eq!(mask_phones("没有号码"), "没有号码");
    }
}
