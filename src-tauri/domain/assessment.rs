//! The monthly assessment (考核, SPEC §7): from a month's late steps (`domain::deadlines`), each
//! person's deductions with the evidence — per occurrence for a report or a user not told in
//! time, counted bands for the collector's and the product manager's notices, lateness bands
//! against promised dates (an approved delay filed in time moves the date; one filed late does
//! not) — and "no performance pay" where a band says so. The amounts and band edges are settings
//! (`assessment.*`), the policy's figures by default.

use super::deadlines::{Deadline, Rule};
use super::monthly::Month;
use super::settings::Setting;
use chrono::{NaiveDateTime, NaiveTime};
use serde::Serialize;

/// Settings of this module (see `domain::settings`).
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "assessment.per_occurrence",
        default: "20",
        help: "每次未按时提交需求/Bug、未按时告知用户的扣款（元）",
        check: yuan,
        choices: &[],
    },
    Setting {
        key: "assessment.band_low_max",
        default: "5",
        help: "收集人、产品经理每月未按时次数的第一档上限（含）：1 到此数扣第一档",
        check: count,
        choices: &[],
    },
    Setting {
        key: "assessment.band_mid_max",
        default: "10",
        help: "第二档上限（含）；超过此数当月无绩效",
        check: count,
        choices: &[],
    },
    Setting {
        key: "assessment.band_low",
        default: "20",
        help: "第一档扣款（元）",
        check: yuan,
        choices: &[],
    },
    Setting {
        key: "assessment.band_mid",
        default: "50",
        help: "第二档扣款（元）",
        check: yuan,
        choices: &[],
    },
    Setting {
        key: "assessment.late_day",
        default: "20",
        help: "晚于承诺交付日 1 天以内的扣款（元）",
        check: yuan,
        choices: &[],
    },
    Setting {
        key: "assessment.late_week",
        default: "100",
        help: "晚于承诺交付日 7 天以内的扣款（元）；超过 7 天当月无绩效",
        check: yuan,
        choices: &[],
    },
];

fn yuan(v: &str) -> Result<(), String> {
    match v.parse::<u32>() {
        Ok(n) if n <= 100_000 => Ok(()),
        _ => Err(format!("须为 0 到 100000 之间的整数（元），不能是“{v}”")),
    }
}

fn count(v: &str) -> Result<(), String> {
    match v.parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(()),
        _ => Err(format!("须为 1 到 1000 之间的次数，不能是“{v}”")),
    }
}

/// The amounts and band edges in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amounts {
    pub per_occurrence: u32,
    pub band_low_max: u32,
    pub band_mid_max: u32,
    pub band_low: u32,
    pub band_mid: u32,
    pub late_day: u32,
    pub late_week: u32,
}

impl Amounts {
    /// From setting values; unreadable ones fall back to the policy's figures.
    pub fn from_settings(value: impl Fn(&str) -> String) -> Amounts {
        let n = |k: &str, d: u32| value(k).parse().unwrap_or(d);
        Amounts {
            per_occurrence: n("assessment.per_occurrence", 20),
            band_low_max: n("assessment.band_low_max", 5),
            band_mid_max: n("assessment.band_mid_max", 10),
            band_low: n("assessment.band_low", 20),
            band_mid: n("assessment.band_mid", 50),
            late_day: n("assessment.late_day", 20),
            late_week: n("assessment.late_week", 100),
        }
    }
}

/// How a late step is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charge {
    /// Per occurrence: a report or bug submitted late (B1), a user or requester told late.
    Each,
    /// Counted per month into bands: the collector's registering and notices.
    CollectorBand,
    /// Counted per month into bands: the product manager telling the collector.
    ManagerBand,
    /// Against a promised date.
    Delivery,
    /// Listed as evidence, not charged by the policy.
    None,
}

fn charge(rule: Rule) -> Charge {
    match rule {
        Rule::R1 | Rule::B1 | Rule::R6 | Rule::R10 | Rule::R12 | Rule::B4 => Charge::Each,
        Rule::R2 | Rule::R5 | Rule::R9 | Rule::R11 | Rule::R14 => Charge::CollectorBand,
        Rule::R8 | Rule::R13 => Charge::ManagerBand,
        Rule::Delivery => Charge::Delivery,
        _ => Charge::None,
    }
}

/// One line of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The rule's label (`R9 记录预期交付日并通知报告人`), or a band's summary.
    pub rule: String,
    /// The rule in words, with the windows in force (empty for a band's summary).
    pub explain: String,
    pub record: String,
    pub due: NaiveDateTime,
    pub done: Option<NaiveDateTime>,
    /// The due and done times as people read them: a day for the steps counted in days
    /// (`2024-09-09`), else to the minute (`2024-09-10 10:00`); done empty when not done.
    pub due_text: String,
    pub done_text: String,
    /// `2小时`, `3天`.
    pub late_by: String,
    /// What happened, in the rule's words: `次日提交（迟 1 天）`, `至今未告知（已迟 2 天）`.
    pub reason: String,
    /// In yuan.
    pub deduction: u32,
    /// What the line costs, and why: `超过承诺交付日 7 天以上 → 当月无绩效`,
    /// `晚于承诺交付日 1 天以内 → 扣 20 元`, `每次扣 20 元`, `计入收集人本月未按时次数`.
    pub consequence: String,
}

/// One person's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sheet {
    pub name: String,
    /// In yuan.
    pub deduction: u32,
    pub no_performance_pay: bool,
    /// Why there is no performance pay this month (one entry per cause), in words.
    pub no_pay_because: Vec<String>,
    /// How many steps were missed (the band lines are summaries, not steps).
    pub late_steps: usize,
    pub lines: Vec<Line>,
}

/// A month's assessment: the sheets, and up to when they count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// `2014-06`.
    pub month: String,
    /// The moment it counts up to: the month's end, or now while the month runs.
    pub until: NaiveDateTime,
    /// The month is not over: only what is already late counts.
    pub unfinished: bool,
    /// `截至 2026-12-04 10:00（本月未结束）`, or `2014-06 全月`.
    pub note: String,
    /// Only some sheets are shown: the reader's own (the decision group reads everyone's).
    pub limited: bool,
    pub sheets: Vec<Sheet>,
}

/// The month's assessment as of `now`: every deadline due in `month` (up to `now` while the
/// month runs) that was missed — done after it, or not done by the month's end (by `now`,
/// counted up to `now`) — charged to `person_of(deadline)`; people ranked by name. Legacy
/// steps (history brought in by a file, or entered with times before the record came into
/// Genjin) are never charged. `explain` gives each rule's words.
pub fn assess(
    month: Month,
    deadlines: &[Deadline],
    person_of: &dyn Fn(&Deadline) -> String,
    a: Amounts,
    now: NaiveDateTime,
    explain: &dyn Fn(Rule) -> String,
) -> Assessment {
    let month_end = month
        .last()
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
    let unfinished = now < month_end;
    let end = if unfinished { now } else { month_end };
    let mut people: std::collections::BTreeMap<String, Sheet> = std::collections::BTreeMap::new();
    let mut bands: std::collections::BTreeMap<(String, bool), u32> =
        std::collections::BTreeMap::new();
    for d in deadlines {
        if d.legacy {
            continue;
        }
        let due = d.assessed_due.unwrap_or(d.due);
        if !month.contains(due.date()) || due > end {
            continue;
        }
        let Some(late) = d.lateness(due, end) else {
            continue;
        };
        let name = person_of(d);
        let sheet = people.entry(name.clone()).or_insert_with(|| Sheet {
            name: name.clone(),
            deduction: 0,
            no_performance_pay: false,
            no_pay_because: Vec::new(),
            late_steps: 0,
            lines: Vec::new(),
        });
        let (deduction, consequence) = match charge(d.rule) {
            Charge::Each => (a.per_occurrence, format!("每次扣 {} 元", a.per_occurrence)),
            Charge::CollectorBand | Charge::ManagerBand => {
                let collector = charge(d.rule) == Charge::CollectorBand;
                *bands.entry((name.clone(), collector)).or_default() += 1;
                (0, format!("计入{}本月未按时次数", band_name(collector)))
            }
            Charge::Delivery => {
                let days = late.days();
                if days <= 1 {
                    (
                        a.late_day,
                        format!("晚于承诺交付日 1 天以内 → 扣 {} 元", a.late_day),
                    )
                } else if days <= 7 {
                    (
                        a.late_week,
                        format!("晚于承诺交付日 7 天以内 → 扣 {} 元", a.late_week),
                    )
                } else {
                    sheet.no_performance_pay = true;
                    sheet.no_pay_because.push(format!(
                        "{}：超过承诺交付日 7 天以上（{}） → 当月无绩效",
                        d.record,
                        late.reason(d.rule, d.done.is_some())
                    ));
                    (0, "超过承诺交付日 7 天以上 → 当月无绩效".to_string())
                }
            }
            Charge::None => (0, "列为证据，制度未规定扣款".to_string()),
        };
        let day_or_minute = |t: &NaiveDateTime| {
            if d.rule.in_days() {
                super::dates::iso(t.date())
            } else {
                super::dates::minute(t)
            }
        };
        sheet.deduction += deduction;
        sheet.late_steps += 1;
        sheet.lines.push(Line {
            rule: d.rule.label().to_string(),
            explain: explain(d.rule),
            record: d.record.clone(),
            due,
            done: d.done,
            due_text: day_or_minute(&due),
            done_text: d.done.as_ref().map(day_or_minute).unwrap_or_default(),
            late_by: late.text(),
            reason: late.reason(d.rule, d.done.is_some()),
            deduction,
            consequence,
        });
    }
    // the counted bands, one line each
    for ((name, collector), n) in bands {
        let Some(sheet) = people.get_mut(&name) else {
            continue; // (a band is only counted for a person with a sheet)
        };
        let who = band_name(collector);
        let (deduction, consequence) = if n <= a.band_low_max {
            (
                a.band_low,
                format!("1–{} 次 → 扣 {} 元", a.band_low_max, a.band_low),
            )
        } else if n <= a.band_mid_max {
            (
                a.band_mid,
                format!(
                    "{}–{} 次 → 扣 {} 元",
                    a.band_low_max + 1,
                    a.band_mid_max,
                    a.band_mid
                ),
            )
        } else {
            sheet.no_performance_pay = true;
            sheet.no_pay_because.push(format!(
                "{who}本月未按时 {n} 次，超过 {} 次 → 当月无绩效",
                a.band_mid_max
            ));
            (0, format!("超过 {} 次 → 当月无绩效", a.band_mid_max))
        };
        sheet.deduction += deduction;
        sheet.lines.push(Line {
            rule: format!(
                "{who}本月未按时 {n} 次（{}）",
                if n > a.band_mid_max {
                    format!("超过 {} 次：当月无绩效", a.band_mid_max)
                } else if n > a.band_low_max {
                    format!("{}–{} 次", a.band_low_max + 1, a.band_mid_max)
                } else {
                    format!("1–{} 次", a.band_low_max)
                }
            ),
            explain: if collector {
                "收集人未按时登记（R2）、记录并通知（R5、R9、R11、R14）的次数，每月合计分档扣款"
                    .to_string()
            } else {
                "产品经理未按时给出预期交付日（R8）、告知收集人已完成（R13）的次数，每月合计分档扣款"
                    .to_string()
            },
            record: String::new(),
            due: end,
            done: None,
            due_text: String::new(),
            done_text: String::new(),
            late_by: String::new(),
            reason: String::new(),
            deduction,
            consequence,
        });
    }
    let note = if unfinished {
        format!("截至 {}（本月未结束）", super::dates::minute(&now))
    } else {
        format!("{} 全月", month.label())
    };
    Assessment {
        month: month.label(),
        until: end,
        unfinished,
        note,
        limited: false,
        sheets: people.into_values().collect(),
    }
}

/// Whose counted band: the collector's registering and notices, or the product manager's.
fn band_name(collector: bool) -> &'static str {
    if collector {
        "收集人登记、通知"
    } else {
        "产品经理通知收集人"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadlines::Responsible;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn late(rule: Rule, record: &str, who: &str, due: &str, done: Option<&str>) -> Deadline {
        Deadline {
            rule,
            record: record.into(),
            responsible: Responsible {
                role: "",
                person: who.into(),
            },
            due: at(due),
            done: done.map(at),
            assessed_due: None,
            legacy: false,
        }
    }

    fn run_at(ds: &[Deadline], now: &str) -> Assessment {
        assess(
            Month {
                year: 2014,
                month: 6,
            },
            ds,
            &|d| d.responsible.person.clone(),
            Amounts::from_settings(|_| String::new()),
            at(now),
            &|r| r.label().to_string(),
        )
    }

    fn run(ds: &[Deadline]) -> Vec<Sheet> {
        run_at(ds, "2014-08-01 09:00").sheets
    }

    #[test]
    fn the_collectors_bands_at_their_edges() {
        for (n, deduction, no_pay) in [
            (5, 20, false),
            (6, 50, false),
            (10, 50, false),
            (11, 0, true),
        ] {
            let ds: Vec<Deadline> = (0..n)
                .map(|i| {
                    late(
                        Rule::R5,
                        &format!("140601{i:02}"),
                        "李小四",
                        "2014-06-21 11:30",
                        Some("2014-06-21 13:00"),
                    )
                })
                .collect();
            let s = &run(&ds)[0];
            assert_eq!(
                (s.deduction, s.no_performance_pay),
                (deduction, no_pay),
                "{n} times"
            );
            assert!(s.lines.last().unwrap().rule.contains(&format!("{n} 次")));
        }
    }

    #[test]
    fn each_occurrence_delivery_bands_and_what_is_not_late() {
        let ds = [
            // told the requester a day late: −20
            late(
                Rule::R6,
                "14060101",
                "刘小妹",
                "2014-06-10 23:59",
                Some("2014-06-11 09:00"),
            ),
            // on time: nothing
            late(
                Rule::R10,
                "14060102",
                "刘小妹",
                "2014-06-10 23:59",
                Some("2014-06-10 18:00"),
            ),
            // due in July: not this month
            late(Rule::R6, "14060103", "刘小妹", "2014-07-01 23:59", None),
            // delivered 1 day late −20; 3 days −100; 9 days: no performance pay
            late(
                Rule::Delivery,
                "14060104",
                "孙经理",
                "2014-06-10 23:59",
                Some("2014-06-11 00:00"),
            ),
            late(
                Rule::Delivery,
                "14060105",
                "孙经理",
                "2014-06-12 23:59",
                Some("2014-06-15 00:00"),
            ),
            late(
                Rule::Delivery,
                "14060106",
                "孙经理",
                "2014-06-20 23:59",
                None,
            ),
        ];
        let sheets = run(&ds);
        let liu = sheets.iter().find(|s| s.name == "刘小妹").unwrap();
        assert_eq!((liu.deduction, liu.lines.len()), (20, 1));
        // "the same day": told the next morning is a day late, not "10 hours"
        assert_eq!(liu.lines[0].late_by, "1天");
        assert_eq!(liu.lines[0].reason, "次日告知（迟 1 天）");
        assert_eq!(liu.lines[0].done_text, "2014-06-11");
        let sun = sheets.iter().find(|s| s.name == "孙经理").unwrap();
        assert_eq!(sun.deduction, 120);
        assert!(sun.no_performance_pay, "10 days late by the month's end");
        assert_eq!(
            sun.lines
                .iter()
                .map(|l| l.late_by.as_str())
                .collect::<Vec<_>>(),
            ["1天", "3天", "10天"]
        );
        // the no-pay line says which rule and which step caused it
        assert_eq!(
            sun.no_pay_because,
            ["14060106：超过承诺交付日 7 天以上（至今未交付（已迟 10 天）） → 当月无绩效"]
        );
        assert_eq!(
            sun.lines[2].consequence,
            "超过承诺交付日 7 天以上 → 当月无绩效"
        );
    }

    /// Issue 19: viewed on the 4th, a month counts only what is already late, up to now.
    #[test]
    fn an_unfinished_month_counts_only_what_is_already_late() {
        let ds = [
            // due on the 11th: not due yet on the 4th
            late(
                Rule::Delivery,
                "14060201",
                "孙经理",
                "2014-06-11 23:59",
                None,
            ),
            // due on the 2nd and open: two days late by the 4th
            late(
                Rule::Delivery,
                "14060202",
                "孙经理",
                "2014-06-02 23:59",
                None,
            ),
            // R5 due an hour ago, not done: late by the hour
            late(Rule::R5, "14060203", "李小四", "2014-06-04 09:00", None),
        ];
        let a = run_at(&ds, "2014-06-04 10:00");
        assert!(a.unfinished);
        assert_eq!(a.note, "截至 2014-06-04 10:00（本月未结束）");
        let sun = a.sheets.iter().find(|s| s.name == "孙经理").unwrap();
        assert_eq!(sun.lines.len(), 1, "{sun:?}");
        assert_eq!(sun.lines[0].late_by, "2天");
        assert!(!sun.no_performance_pay);
        assert_eq!(sun.deduction, 100);
        let li = a.sheets.iter().find(|s| s.name == "李小四").unwrap();
        assert_eq!(li.lines[0].late_by, "1小时");
        // once over, the month counts to its end, whenever it is run
        let closed = run_at(&ds, "2014-07-02 08:00");
        assert!(!closed.unfinished);
        assert_eq!(closed.note, "2014-06 全月");
        assert_eq!(closed, run_at(&ds, "2015-01-01 00:00"));
        let sun = closed.sheets.iter().find(|s| s.name == "孙经理").unwrap();
        assert!(sun.no_performance_pay);
    }

    #[test]
    fn legacy_steps_are_never_charged() {
        let mut d = late(
            Rule::Delivery,
            "14060301",
            "孙经理",
            "2014-06-02 23:59",
            None,
        );
        d.legacy = true;
        assert!(run(&[d]).is_empty());
    }

    #[test]
    fn a_late_filed_delay_does_not_move_the_date_assessed() {
        let mut d = late(
            Rule::Delivery,
            "14060107",
            "孙经理",
            "2014-06-30 23:59",
            Some("2014-06-25 00:00"),
        );
        // the date in force moved to 06-30 by a delay filed after the promise of 06-20 passed
        d.assessed_due = Some(at("2014-06-20 23:59"));
        let s = &run(&[d])[0];
        assert_eq!((s.deduction, s.lines[0].late_by.as_str()), (100, "5天"));
    }
}

/// A calendar quarter, `2014-Q2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quarter {
    pub year: i32,
    pub quarter: u32,
}

impl Quarter {
    /// `2014-Q2` (also `2014Q2`, `2014-q2`); `None` otherwise.
    pub fn parse(s: &str) -> Option<Quarter> {
        let t = s.trim().to_uppercase();
        let (y, q) = t.split_once('Q')?;
        let y = y.trim_end_matches('-');
        if y.len() != 4 {
            return None;
        }
        let quarter: u32 = q.parse().ok()?;
        (1..=4).contains(&quarter).then_some(Quarter {
            year: y.parse().ok()?,
            quarter,
        })
    }

    pub fn label(self) -> String {
        format!("{}-Q{}", self.year, self.quarter)
    }

    /// Its three months.
    pub fn months(self) -> [Month; 3] {
        let first = Month {
            year: self.year,
            month: (self.quarter - 1) * 3 + 1,
        };
        [first, first.next(), first.next().next()]
    }

    pub fn contains(self, day: chrono::NaiveDate) -> bool {
        self.months().iter().any(|m| m.contains(day))
    }
}

/// A major requirement (grade A / B) delivered early (policy: 准时奖, "major requirement done
/// 50% of the working days early").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlyMajor {
    pub number: String,
    pub grade: String,
    pub decided: chrono::NaiveDate,
    pub promised: chrono::NaiveDate,
    pub delivered: chrono::NaiveDate,
    /// Working days from the decision to the promise, and how many of them were left over.
    pub span_days: i64,
    pub early_days: i64,
    pub responsible: String,
}

/// One person's record in a quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnTime {
    pub name: String,
    /// Steps due in the quarter, all done in time.
    pub steps: usize,
}

/// The quarter's reward candidates with their evidence (SPEC §7): people decide the amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rewards {
    pub quarter: String,
    /// 准时奖: every step of theirs due in the quarter done in time.
    pub on_time: Vec<OnTime>,
    /// 准时奖 (major): grade A/B requirements delivered with at least half the working days left.
    pub early_majors: Vec<EarlyMajor>,
    /// 无遗漏奖: collectors whose registering and notices were all in time.
    pub no_misses: Vec<OnTime>,
}

/// The candidates of `quarter` from the deadlines (as of its end, or `now` while it runs: only
/// what was due by then counts) and the majors found early.
pub fn rewards(
    quarter: Quarter,
    now: NaiveDateTime,
    deadlines: &[Deadline],
    person_of: &dyn Fn(&Deadline) -> String,
    early_majors: Vec<EarlyMajor>,
) -> Rewards {
    let end = quarter.months()[2]
        .last()
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
        .min(now);
    // per person: (steps, late); and the collector's own steps
    let mut all: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut collector: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for d in deadlines {
        let due = d.assessed_due.unwrap_or(d.due);
        if d.legacy || !quarter.contains(due.date()) || due > end {
            continue;
        }
        let late = d.lateness(due, end).is_some();
        let name = person_of(d);
        let e = all.entry(name.clone()).or_default();
        e.0 += 1;
        e.1 += usize::from(late);
        if charge(d.rule) == Charge::CollectorBand {
            let c = collector.entry(name).or_default();
            c.0 += 1;
            c.1 += usize::from(late);
        }
    }
    let clean = |m: std::collections::BTreeMap<String, (usize, usize)>| {
        m.into_iter()
            .filter(|(_, (n, late))| *n > 0 && *late == 0)
            .map(|(name, (steps, _))| OnTime { name, steps })
            .collect()
    };
    Rewards {
        quarter: quarter.label(),
        on_time: clean(all),
        early_majors,
        no_misses: clean(collector),
    }
}

#[cfg(test)]
mod reward_tests {
    use super::*;

    #[test]
    fn quarters_parse_and_hold_their_months() {
        let q = Quarter::parse("2014-q2").unwrap();
        assert_eq!(q.label(), "2014-Q2");
        assert_eq!(q.months()[2].label(), "2014-06");
        assert!(Quarter::parse("2014-Q5").is_none() && Quarter::parse("14-Q1").is_none());
    }
}
