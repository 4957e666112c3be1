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
    pub rule: String,
    pub record: String,
    pub due: NaiveDateTime,
    pub done: Option<NaiveDateTime>,
    /// `2小时`, `3天`.
    pub late_by: String,
    /// In yuan.
    pub deduction: u32,
}

/// One person's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sheet {
    pub name: String,
    /// In yuan.
    pub deduction: u32,
    pub no_performance_pay: bool,
    /// How many steps were missed (the band lines are summaries, not steps).
    pub late_steps: usize,
    pub lines: Vec<Line>,
}

/// How late, as people say it: minutes under an hour, hours under a day, else days.
pub fn late_text(minutes: i64) -> String {
    if minutes < 60 {
        format!("{}分钟", minutes.max(1))
    } else if minutes < 24 * 60 {
        format!("{}小时", (minutes + 59) / 60)
    } else {
        format!("{}天", (minutes + 24 * 60 - 1) / (24 * 60))
    }
}

/// The month's sheets: every deadline due in `month` that was missed (done after it, or not
/// done by the month's end), charged to `person_of(deadline)`; people ranked by name.
pub fn assess(
    month: Month,
    deadlines: &[Deadline],
    person_of: &dyn Fn(&Deadline) -> String,
    a: Amounts,
) -> Vec<Sheet> {
    let end = month
        .last()
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
    let mut people: std::collections::BTreeMap<String, Sheet> = std::collections::BTreeMap::new();
    let mut bands: std::collections::BTreeMap<(String, bool), u32> =
        std::collections::BTreeMap::new();
    for d in deadlines {
        let due = d.assessed_due.unwrap_or(d.due);
        if !month.contains(due.date()) {
            continue;
        }
        let finished = d.done.unwrap_or(end);
        if finished <= due || (d.done.is_none() && end <= due) {
            continue;
        }
        let minutes = (finished - due).num_minutes().max(1);
        let name = person_of(d);
        let sheet = people.entry(name.clone()).or_insert_with(|| Sheet {
            name: name.clone(),
            deduction: 0,
            no_performance_pay: false,
            late_steps: 0,
            lines: Vec::new(),
        });
        let deduction = match charge(d.rule) {
            Charge::Each => a.per_occurrence,
            Charge::CollectorBand | Charge::ManagerBand => {
                *bands
                    .entry((name.clone(), charge(d.rule) == Charge::CollectorBand))
                    .or_default() += 1;
                0
            }
            Charge::Delivery => {
                let days = (minutes + 24 * 60 - 1) / (24 * 60);
                if days <= 1 {
                    a.late_day
                } else if days <= 7 {
                    a.late_week
                } else {
                    sheet.no_performance_pay = true;
                    0
                }
            }
            Charge::None => 0,
        };
        sheet.deduction += deduction;
        sheet.late_steps += 1;
        sheet.lines.push(Line {
            rule: d.rule.label().to_string(),
            record: d.record.clone(),
            due,
            done: d.done,
            late_by: late_text(minutes),
            deduction,
        });
    }
    // the counted bands, one line each
    for ((name, collector), n) in bands {
        let Some(sheet) = people.get_mut(&name) else {
            continue; // (a band is only counted for a person with a sheet)
        };
        let deduction = if n <= a.band_low_max {
            a.band_low
        } else if n <= a.band_mid_max {
            a.band_mid
        } else {
            sheet.no_performance_pay = true;
            0
        };
        sheet.deduction += deduction;
        sheet.lines.push(Line {
            rule: format!(
                "{}本月未按时 {n} 次（{}）",
                if collector {
                    "收集人登记、通知"
                } else {
                    "产品经理通知收集人"
                },
                if n > a.band_mid_max {
                    format!("超过 {} 次：当月无绩效", a.band_mid_max)
                } else if n > a.band_low_max {
                    format!("{}–{} 次", a.band_low_max + 1, a.band_mid_max)
                } else {
                    format!("1–{} 次", a.band_low_max)
                }
            ),
            record: String::new(),
            due: end,
            done: None,
            late_by: String::new(),
            deduction,
        });
    }
    people.into_values().collect()
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
        }
    }

    fn run(ds: &[Deadline]) -> Vec<Sheet> {
        assess(
            Month {
                year: 2014,
                month: 6,
            },
            ds,
            &|d| d.responsible.person.clone(),
            Amounts::from_settings(|_| String::new()),
        )
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
        assert_eq!(liu.lines[0].late_by, "10小时");
        let sun = sheets.iter().find(|s| s.name == "孙经理").unwrap();
        assert_eq!(sun.deduction, 120);
        assert!(sun.no_performance_pay, "10 days late by the month's end");
        assert_eq!(
            sun.lines
                .iter()
                .map(|l| l.late_by.as_str())
                .collect::<Vec<_>>(),
            ["1分钟", "3天", "10天"]
        );
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

/// The candidates of `quarter` from the deadlines (as of its end) and the majors found early.
pub fn rewards(
    quarter: Quarter,
    deadlines: &[Deadline],
    person_of: &dyn Fn(&Deadline) -> String,
    early_majors: Vec<EarlyMajor>,
) -> Rewards {
    let end = quarter.months()[2]
        .last()
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
    // per person: (steps, late); and the collector's own steps
    let mut all: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut collector: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for d in deadlines {
        let due = d.assessed_due.unwrap_or(d.due);
        if !quarter.contains(due.date()) || due > end {
            continue;
        }
        let late = match d.done {
            Some(done) => done > due,
            None => end > due,
        };
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
