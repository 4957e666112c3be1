//! Personal data (issue 13; 个人信息保护法 art. 47): the fields that hold it, how exports and
//! reports mask them when the `privacy.mask_exports` setting is on, and what an erased field
//! reads. A doctor's name, their 医享 account, their own words (医生原话), and phone numbers
//! written anywhere in free text.

use super::settings::Setting;

/// Requirement columns that hold a doctor's or user's personal data: erased whole. 需求人 is
/// the doctor or user who asked.
pub const PERSONAL_FIELDS: &[&str] = &["doctor_name", "app_account", "doctor_words", "requester"];

/// Free-text requirement columns a name or phone number may be written in: scrubbed.
pub const FREE_TEXT_FIELDS: &[&str] = &[
    "overview",
    "brief",
    "remark",
    "conversion_summary",
    "new_intensity",
    "new_simplifies",
    "new_similar",
    "imp_annoyance",
    "imp_steps",
    "withdrawn_reason",
    "decision_reason",
];

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

/// Free text as a masked export shows it (issue 19): each of `names` (the doctor's, the
/// requester's — at least two characters) written in it masked like the name field
/// (`郭建国` → `郭**`), and phone numbers masked.
pub fn mask_text(text: &str, names: &[&str]) -> String {
    let mut names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| n.chars().count() >= 2 && *n != ERASED)
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let mut t = text.to_string();
    for n in names {
        t = t.replace(n, &mask_name(n));
    }
    mask_phones(&t)
}

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

/// Phone numbers in free text masked, keeping their first 3 and last 4 digits: a mobile number
/// (11 digits from 1: `13812345678`, `138-1234-5678`, `138 1234 5678`) or a number with its
/// area code (10–12 digits from 0: `0571-87654321`), in ASCII or full-width digits. Other runs of
/// digits — a 需求编号 `14061901`, a day `2014-06-20` — stay as they are.
pub fn mask_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let value = |c: char| {
        if c.is_ascii_digit() {
            c
        } else {
            char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
        }
    };
    let phone = |run: &[char]| -> bool {
        let ds: Vec<char> = run
            .iter()
            .copied()
            .filter(|c| digit(*c))
            .map(value)
            .collect();
        (ds.len() == 11 && ds[0] == '1') || ((10..=12).contains(&ds.len()) && ds[0] == '0')
    };
    let mask = |run: &[char], out: &mut String| {
        let n = run.iter().filter(|c| digit(**c)).count();
        let mut i = 0;
        for &c in run {
            if digit(c) {
                out.push(if i >= 3 && i + 4 < n { '*' } else { c });
                i += 1;
            } else {
                out.push(c);
            }
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // digits, with single '-' or ' ' between groups
        let start = i;
        while i < chars.len() {
            let separator =
                (chars[i] == '-' || chars[i] == ' ') && chars.get(i + 1).is_some_and(|c| digit(*c));
            if !digit(chars[i]) && !separator {
                break;
            }
            i += 1;
        }
        let run = &chars[start..i];
        if phone(run) {
            mask(run, &mut out);
            continue;
        }
        // not one number: each space-separated part may be
        for (k, part) in run.split(|c| *c == ' ').enumerate() {
            if k > 0 {
                out.push(' ');
            }
            if phone(part) {
                mask(part, &mut out);
            } else {
                out.extend(part);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_written_in_free_text_are_masked_too() {
        assert_eq!(
            mask_text("郭建国主任说：请回电郭建国 13812345678", &["郭建国", "郭"]),
            "郭**主任说：请回电郭** 138****5678"
        );
    }

    #[test]
    fn names_accounts_and_phones_are_masked() {
        assert_eq!(mask_name("郭建国"), "郭**");
        assert_eq!(mask_name("沈丽"), "沈*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_account("yx250930"), "yx****30");
        assert_eq!(mask_account("abc"), "***");
        assert_eq!(
            mask_phones("请回电 13812345678 或 0571-87654321，第2014期"),
            "请回电 138****5678 或 057*-****4321，第2014期"
        );
        assert_eq!(mask_phones("138-1234-5678"), "138-****-5678");
        assert_eq!(mask_phones("电话 138 1234 5678。"), "电话 138 **** 5678。");
        assert_eq!(mask_phones("１３８１２３４５６７８"), "１３８****５６７８");
        // other numbers stay: a 需求编号, a day, a count beside a phone number
        assert_eq!(
            mask_phones("见 14061901，2014-06-20"),
            "见 14061901，2014-06-20"
        );
        assert_eq!(mask_phones("共 3 13812345678"), "共 3 138****5678");
        assert_eq!(mask_phones("没有号码"), "没有号码");
    }
}
