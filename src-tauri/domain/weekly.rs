//! The week of the 新增需求收集周报 and the decision meeting (SPEC §2 steps 1–2, §9): reports
//! arrive until Thursday close of business, the collector mails the weekly report on Friday
//! morning, the decision group meets on Saturday. A requirement is on a week's agenda when it
//! was received by that Thursday and, as of that Friday, is not withdrawn and not decided — or
//! was decided 再议 (no consensus: discussed again).

use super::dates;
use super::requirement::Decision;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// From how many 需求报告表 a 周报 packs them into one archive (policy 003: fewer than 10 are
/// attached one by one).
pub const ZIP_FROM: usize = 10;

/// When the week's decision meeting is held by default (policy R3: Saturday 10:00–11:00), as
/// people type a moment: `2014-06-21 10:00`.
pub fn meeting_time(friday: NaiveDate) -> String {
    format!("{} 10:00", dates::iso(friday + Duration::days(1)))
}

/// The Friday of the week (Monday–Sunday) that holds `day`.
pub fn friday_of(day: NaiveDate) -> NaiveDate {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    monday + Duration::days(4)
}

/// What the agenda rule looks at.
#[derive(Debug, Clone, Copy)]
pub struct AgendaFacts<'a> {
    pub received: NaiveDate,
    /// Its decisions, oldest first, each with its day (an undated one on the day received).
    pub decisions: &'a [(NaiveDate, Decision)],
    /// The day it was delivered (实际交付日), if it was.
    pub delivered: Option<NaiveDate>,
    /// When it was withdrawn (RFC 3339 or a day), if it was.
    pub withdrawn_at: Option<&'a str>,
}

/// Whether a requirement is on the agenda of the week whose Friday is `friday`: received by
/// Thursday; on Friday not withdrawn, not delivered, and either undecided or standing at 再议.
/// A decision made on the Friday itself takes it off (it no longer waits for the meeting).
pub fn on_agenda(f: AgendaFacts<'_>, friday: NaiveDate) -> bool {
    let thursday = friday - Duration::days(1);
    let by_friday = |s: Option<&str>| {
        s.and_then(|s| dates::from_iso(s.get(..10).unwrap_or(s)))
            .is_some_and(|d| d <= friday)
    };
    if f.received > thursday
        || by_friday(f.withdrawn_at)
        || f.delivered.is_some_and(|d| d <= friday)
    {
        return false;
    }
    matches!(
        super::requirement::decision_on(f.decisions, friday),
        None | Some(Decision::Discuss)
    )
}

/// Whether it stands at 再议 on that Friday (on the agenda again).
pub fn discussed_again(decisions: &[(NaiveDate, Decision)], friday: NaiveDate) -> bool {
    super::requirement::decision_on(decisions, friday) == Some(Decision::Discuss)
}

/// The days whose reports a week's 周报 covers: from the Friday before to this Thursday
/// (reports close on Thursday; one arriving on a Friday or at the weekend belongs to the next).
pub fn intake(friday: NaiveDate) -> (NaiveDate, NaiveDate) {
    (friday - Duration::days(7), friday - Duration::days(1))
}

/// One requirement as the mail names it.
#[derive(Debug, Clone)]
pub struct AgendaLine<'a> {
    pub number: &'a str,
    pub brief: &'a str,
    pub reporter: &'a str,
    pub requester: &'a str,
    pub discussed_again: bool,
}

/// The 周报 mail's body, in Chinese: the week, how many requirements came in, the ones to decide
/// at Saturday's meeting (需求编号, 梗概, 填表人, 需求人), what is attached, and who sends it.
pub fn mail_body(
    friday: NaiveDate,
    received_this_week: usize,
    agenda: &[AgendaLine<'_>],
    sender: &str,
) -> String {
    let (from, to) = intake(friday);
    let saturday = friday + Duration::days(1);
    debug_assert_eq!(saturday.weekday(), Weekday::Sat);
    let mut out = format!(
        "各位领导：\n\n本周（{} 至 {}）共收到新需求 {} 条；{}的决策会待决策需求 {} 条{}。\
         附件为《需求登记反馈表》（本周待决策的需求已标黄）{}。\n\n",
        dates::chinese(from),
        dates::chinese(to),
        received_this_week,
        dates::chinese(saturday),
        agenda.len(),
        {
            let again = agenda.iter().filter(|a| a.discussed_again).count();
            if again > 0 {
                format!("（其中再议 {again} 条）")
            } else {
                String::new()
            }
        },
        if agenda.is_empty() {
            String::new()
        } else if agenda.len() >= ZIP_FROM {
            "及待决策需求的需求报告表（已打包为一个压缩文件）".to_string()
        } else {
            "及待决策需求的需求报告表".to_string()
        }
    );
    if agenda.is_empty() {
        out.push_str("本周没有待决策的需求。\n");
    } else {
        out.push_str("待决策需求：\n");
        for (i, a) in agenda.iter().enumerate() {
            out.push_str(&format!(
                "{}. {} {}（填表人：{}；需求人：{}）{}\n",
                i + 1,
                a.number,
                a.brief,
                if a.reporter.is_empty() {
                    "—"
                } else {
                    a.reporter
                },
                if a.requester.is_empty() {
                    "—"
                } else {
                    a.requester
                },
                if a.discussed_again {
                    "【再议】"
                } else {
                    ""
                }
            ));
        }
    }
    out.push_str(&format!("\n{}\n{}\n", sender, dates::chinese(friday)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_weeks_friday() {
        assert_eq!(friday_of(d("2014-06-16")), d("2014-06-20"));
        assert_eq!(friday_of(d("2014-06-20")), d("2014-06-20"));
        assert_eq!(
            friday_of(d("2014-06-22")),
            d("2014-06-20"),
            "Sunday ends the week"
        );
    }

    #[test]
    fn the_agenda_is_received_by_thursday_and_undecided_or_discussed_again() {
        let friday = d("2014-06-20");
        let f = |received: &str,
                 decisions: &[(&str, Decision)],
                 delivered: Option<&str>,
                 withdrawn: Option<&'static str>| {
            let decisions: Vec<(NaiveDate, Decision)> =
                decisions.iter().map(|(day, x)| (d(day), *x)).collect();
            on_agenda(
                AgendaFacts {
                    received: d(received),
                    decisions: &decisions,
                    delivered: delivered.map(d),
                    withdrawn_at: withdrawn,
                },
                friday,
            )
        };
        assert!(f("2014-06-19", &[], None, None), "Thursday's report");
        assert!(!f("2014-06-20", &[], None, None), "Friday's waits a week");
        assert!(
            f("2014-06-02", &[], None, None),
            "an old one still undecided"
        );
        assert!(
            f(
                "2014-06-10",
                &[("2014-06-14", Decision::Discuss)],
                None,
                None
            ),
            "再议"
        );
        assert!(!f(
            "2014-06-10",
            &[("2014-06-14", Decision::Do)],
            None,
            None
        ));
        assert!(
            f("2014-06-18", &[("2014-06-21", Decision::Do)], None, None),
            "decided at that Saturday's meeting: still waiting on Friday"
        );
        assert!(
            !f("2014-06-18", &[("2014-06-20", Decision::Do)], None, None),
            "decided on the Friday itself: no longer waits"
        );
        assert!(
            f(
                "2014-06-10",
                &[
                    ("2014-06-14", Decision::Discuss),
                    ("2014-06-21", Decision::Do)
                ],
                None,
                None
            ),
            "再议 on Friday though decided since"
        );
        assert!(!f("2014-06-18", &[], Some("2014-06-19"), None), "delivered");
        assert!(!f(
            "2014-06-18",
            &[],
            None,
            Some("2014-06-19T10:00:00+08:00")
        ));
        assert!(f(
            "2014-06-18",
            &[],
            None,
            Some("2014-06-23T10:00:00+08:00")
        ));
    }

    #[test]
    fn the_mail_names_each_requirement() {
        let lines = [
            AgendaLine {
                number: "14061901",
                brief: "问卷自动计分",
                reporter: "刘小妹",
                requester: "郭主任",
                discussed_again: false,
            },
            AgendaLine {
                number: "14061205",
                brief: "病友圈 独立入口",
                reporter: "陈小美",
                requester: "",
                discussed_again: true,
            },
        ];
        let body = mail_body(d("2014-06-20"), 3, &lines, "资讯部 李小四");
        assert!(body.starts_with("各位领导："), "{body}");
        assert!(body.contains("2014年6月13日 至 2014年6月19日"), "{body}");
        assert!(body.contains("共收到新需求 3 条"), "{body}");
        assert!(body.contains("待决策需求 2 条（其中再议 1 条）"), "{body}");
        assert!(
            body.contains("1. 14061901 问卷自动计分（填表人：刘小妹；需求人：郭主任）"),
            "{body}"
        );
        assert!(
            body.contains("2. 14061205 病友圈 独立入口（填表人：陈小美；需求人：—）【再议】"),
            "{body}"
        );
        assert!(body.ends_with("资讯部 李小四\n2014年6月20日\n"), "{body}");
    }
}
