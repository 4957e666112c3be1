//! Closing the loop: what must be told to whom at each step, and the ready-to-send text.
//!
//! The policy: the collector tells the reporter (and makes sure the reporter knows), the reporter
//! tells the original requester; IT is told about every 做 / 需求转换. Every message quotes the
//! 需求编号.

use super::dates;
use super::requirement::{Decision, Grade};
use chrono::NaiveDate;

labelled_enum!(
    /// The step of the process a notification belongs to.
    Step {
        Decision = "decision", "决策结果";
        Expected = "expected", "预期交付日";
        Delay = "delay", "延期";
        Completion = "completion", "完成交付";
        BugFixed = "bug_fixed", "Bug修复";
    }
);

labelled_enum!(
    /// Who is to be told (用户: the user who met a bug, told by the promotion dept).
    Audience {
        Reporter = "reporter", "需求报告人";
        Requester = "requester", "需求人";
        It = "it", "IT部";
        User = "user", "用户";
    }
);

/// How people were told is an editable list (issue 20: 微信, 企业微信, 钉钉 besides the policy's
/// OA, QQ and the phone): its code in `list_items`.
pub const CHANNEL_LIST: &str = "notice_channel";

/// A channel as typed: what people call it, the codes of earlier versions (`qq`, `phone`, …)
/// read as their names.
pub fn channel_name(input: &str) -> String {
    let t = input.trim();
    match t.to_ascii_lowercase().as_str() {
        "oa" => "OA".into(),
        "qq" => "QQ".into(),
        "phone" => "电话".into(),
        "in_person" => "当面".into(),
        "email" => "邮件".into(),
        "wechat" => "微信".into(),
        _ => t.to_string(),
    }
}

/// The facts a message quotes.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub number: String,
    pub brief: String,
    /// The 概述: what a requester or user is told the requirement is (issue 20: never the
    /// 梗概's keyword list).
    pub overview: String,
    pub reporter: String,
    pub requester: String,
    pub decision: Option<Decision>,
    pub grade: Option<Grade>,
    pub conversion_summary: String,
    /// Why 不做, to pass on (optional).
    pub decision_reason: String,
    pub expected_delivery: Option<NaiveDate>,
    pub delay_new_date: Option<NaiveDate>,
    /// The delay's short reason (never the application's whole internal reason).
    pub delay_reason: String,
    pub actual_delivery: Option<NaiveDate>,
}

/// Which audiences a step must reach, given the facts (IT only hears of work to do).
pub fn audiences(step: Step, facts: &Facts) -> Vec<Audience> {
    let mut v = vec![Audience::Reporter, Audience::Requester];
    if step == Step::Decision && facts.decision.is_some_and(Decision::leads_to_work) {
        v.push(Audience::It);
    }
    v
}

/// Whether the facts have reached the step (there is something to tell).
pub fn is_due(step: Step, facts: &Facts) -> bool {
    match step {
        Step::Decision => facts.decision.is_some(),
        Step::Expected => facts.expected_delivery.is_some(),
        Step::Delay => facts.delay_new_date.is_some(),
        Step::Completion => facts.actual_delivery.is_some(),
        // a bug's step: never owed by a requirement
        Step::BugFixed => false,
    }
}

/// What a bug's notices quote (SPEC §3 step 4, §6 B4).
#[derive(Debug, Clone, Default)]
pub struct BugNotice {
    pub number: String,
    pub content: String,
    pub reporter: String,
    pub fixed: Option<NaiveDate>,
    pub version: String,
}

/// Who hears of a fixed bug: the reporter (from the tester), then the user (from the promotion
/// dept, the same day).
pub const BUG_AUDIENCES: [Audience; 2] = [Audience::Reporter, Audience::User];

/// The ready-to-send message about a fixed bug, quoting its number.
pub fn compose_bug(audience: Audience, b: &BugNotice) -> String {
    let version = if b.version.trim().is_empty() {
        String::new()
    } else {
        format!("在 {} 版", b.version.trim())
    };
    let what = format!("问题（编号 {}，“{}”）", b.number, b.content);
    match audience {
        Audience::User => format!(
            "您好：您反馈的{what}已{version}修复（{}），更新后即可正常使用。感谢您的反馈！",
            day(b.fixed)
        ),
        _ => {
            let who = if b.reporter.is_empty() {
                "您好"
            } else {
                b.reporter.as_str()
            };
            format!(
                "{who}：您反馈的{what}已{version}修复（{}）。请推广部当天告知用户，并回复“已知”确认。",
                day(b.fixed)
            )
        }
    }
}

/// The requirement as a message names it: the 梗概 for colleagues; for a requester or a user
/// the 概述 in its first sentence (at most 40 characters), else the 梗概.
fn quoted(facts: &Facts, outside: bool) -> String {
    const OUTSIDE_MAX_CHARS: usize = 40;
    let overview = facts
        .overview
        .split(['。', '\n', '！', '？'])
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let what = if outside && !overview.is_empty() {
        let mut s: String = overview.chars().take(OUTSIDE_MAX_CHARS).collect();
        if overview.chars().count() > OUTSIDE_MAX_CHARS {
            s.push('…');
        }
        s
    } else {
        facts.brief.trim().to_string()
    };
    if what.is_empty() {
        format!("需求（编号 {}）", facts.number)
    } else {
        format!("需求（编号 {}，“{}”）", facts.number, what)
    }
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(dates::chinese).unwrap_or_else(|| "（待定）".into())
}

fn decision_sentence(facts: &Facts) -> String {
    let Some(decision) = facts.decision else {
        return "尚未决策".into();
    };
    let mut s = format!("决策结果：{}", decision.label());
    if let Some(g) = facts.grade {
        s.push_str(&format!("，需求分级：{}（{}）", g.label(), g.meaning()));
    }
    if decision == Decision::Convert && !facts.conversion_summary.is_empty() {
        s.push_str(&format!(
            "，转换说明：{}",
            clause(&facts.conversion_summary)
        ));
    }
    if decision == Decision::DoNot && !facts.decision_reason.trim().is_empty() {
        s.push_str(&format!("，原因：{}", clause(&facts.decision_reason)));
    }
    s
}

/// A text quoted inside a sentence: without its own closing punctuation (issue 20: "…交付。，"
/// was seen).
fn clause(s: &str) -> &str {
    s.trim()
        .trim_end_matches(['。', '，', '；', '！', '.', ',', ';', '!'])
}

/// The ready-to-send message for one step and audience, in Chinese, quoting the 需求编号.
pub fn compose(step: Step, audience: Audience, facts: &Facts) -> String {
    let what = quoted(
        facts,
        matches!(audience, Audience::Requester | Audience::User),
    );
    let body = match step {
        Step::Decision => format!("{what}已经决策会议讨论，{}。", decision_sentence(facts)),
        Step::Expected => format!("{what}的预期交付日为{}。", day(facts.expected_delivery)),
        Step::Delay => {
            let reason = clause(&facts.delay_reason);
            let reason = if reason.is_empty() {
                String::new()
            } else {
                format!("因{reason}，")
            };
            format!(
                "{what}{reason}经决策组批准延期交付，新交付日为{}。",
                day(facts.delay_new_date)
            )
        }
        Step::Completion => format!(
            "{what}已于{}完成交付，可以使用了。",
            day(facts.actual_delivery)
        ),
        Step::BugFixed => format!("{what}相关的问题已修复。"),
    };
    match audience {
        Audience::Reporter => {
            let who = if facts.reporter.is_empty() {
                "您好"
            } else {
                facts.reporter.as_str()
            };
            let relay = if facts.requester.is_empty() {
                "请转告需求人".to_string()
            } else {
                format!("请转告需求人{}", facts.requester)
            };
            format!("{who}：您提交的{body}{relay}，并回复“已知”确认。")
        }
        Audience::Requester => {
            let who = if facts.requester.is_empty() {
                "您好".to_string()
            } else {
                format!("{}您好", facts.requester)
            };
            format!("{who}：您提出的{body}感谢您的反馈！")
        }
        Audience::It => {
            format!("IT部：{body}请安排评估验收日期（预估需在收到策划文档后2天内给出）。")
        }
        Audience::User => format!("您好：{body}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            number: "14061914".into(),
            brief: "问卷自动计分".into(),
            reporter: "刘小妹".into(),
            requester: "郭主任".into(),
            decision: Some(Decision::Do),
            grade: Some(Grade::C),
            expected_delivery: NaiveDate::from_ymd_opt(2014, 6, 25),
            ..Facts::default()
        }
    }

    #[test]
    fn every_message_quotes_the_number() {
        let f = Facts {
            delay_new_date: NaiveDate::from_ymd_opt(2014, 7, 25),
            delay_reason: "实现难度大".into(),
            actual_delivery: NaiveDate::from_ymd_opt(2014, 7, 25),
            ..facts()
        };
        for step in Step::ALL {
            for aud in Audience::ALL {
                let m = compose(*step, *aud, &f);
                assert!(m.contains("14061914"), "{m}");
            }
        }
    }

    #[test]
    fn decision_message_names_result_grade_and_relay() {
        let m = compose(Step::Decision, Audience::Reporter, &facts());
        assert!(m.starts_with("刘小妹："), "{m}");
        assert!(m.contains("决策结果：做"), "{m}");
        assert!(m.contains("需求分级：C"), "{m}");
        assert!(m.contains("请转告需求人郭主任"), "{m}");
        let m = compose(Step::Expected, Audience::Requester, &facts());
        assert!(m.starts_with("郭主任您好"), "{m}");
        assert!(m.contains("2014年6月25日"), "{m}");
    }

    #[test]
    fn it_hears_only_of_work() {
        assert!(audiences(Step::Decision, &facts()).contains(&Audience::It));
        let no = Facts {
            decision: Some(Decision::DoNot),
            grade: None,
            ..facts()
        };
        assert!(!audiences(Step::Decision, &no).contains(&Audience::It));
        assert!(!audiences(Step::Completion, &facts()).contains(&Audience::It));
    }

    #[test]
    fn steps_fall_due_with_their_facts() {
        let f = facts();
        assert!(is_due(Step::Decision, &f));
        assert!(is_due(Step::Expected, &f));
        assert!(!is_due(Step::Delay, &f));
        assert!(!is_due(Step::Completion, &f));
    }
}
