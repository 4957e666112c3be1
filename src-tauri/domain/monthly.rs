//! The 需求收集处理月度总结 (SPEC §9; the collector's month-end report, policy 003): for a
//! calendar month — requirements submitted (received in it), decided in it by result, completed
//! (delivered in it), delayed (an application approved in it), overdue at its end — and per
//! reporter: submitted in the month, how many of those were decided (做 / 不做 / 需求转换 as the
//! decisions stand at month end), adopted (做 / 需求转换) and the adoption rate (采纳率 = adopted /
//! decided), ranked. The same figures for the twelve months up to it are the trends.

use super::delay::{in_force, DelayFacts};
use super::requirement::{derive_status, is_overdue, Decision};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// `2014-06` (also `2014-6`, `201406`, `2014年6月`). `None` when it is not a month.
    pub fn parse(s: &str) -> Option<Month> {
        let t: String = super::dates::normalize_width(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let t = t.trim_end_matches('月');
        let (y, m) = if let Some((y, m)) = t.split_once(['-', '/', '.', '年']) {
            (y.to_string(), m.to_string())
        } else if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            (t[..4].to_string(), t[4..].to_string())
        } else {
            return None;
        };
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Month { year, month })
    }

    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last(self) -> NaiveDate {
        self.next().first().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        Month::of(day) == self
    }

    /// `2014-06`.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// What the summary needs of one requirement.
#[derive(Debug, Clone)]
pub struct MonthFacts {
    pub reporter: String,
    pub received: NaiveDate,
    pub decision: Option<Decision>,
    pub decision_date: Option<NaiveDate>,
    pub expected: Option<NaiveDate>,
    pub actual_delivery: Option<NaiveDate>,
    /// The day it was withdrawn, if it was.
    pub withdrawn: Option<NaiveDate>,
    pub delays: Vec<DelayFacts>,
}

/// Decisions by result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByDecision {
    pub r#do: usize,
    pub do_not: usize,
    pub discuss: usize,
    pub convert: usize,
}

impl ByDecision {
    fn add(&mut self, d: Decision) {
        match d {
            Decision::Do => self.r#do += 1,
            Decision::DoNot => self.do_not += 1,
            Decision::Discuss => self.discuss += 1,
            Decision::Convert => self.convert += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.r#do + self.do_not + self.discuss + self.convert
    }
}

/// One reporter's month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReporterMonth {
    pub name: String,
    pub submitted: usize,
    /// Of the month's submissions: 做 + 不做 + 需求转换 decided by month end.
    pub decided: usize,
    /// Of those: 做 + 需求转换.
    pub adopted: usize,
    /// adopted / decided (0 when nothing was decided).
    pub adoption_rate: f64,
}

/// One month's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthSummary {
    pub month: Month,
    pub submitted: usize,
    pub decided: ByDecision,
    pub completed: usize,
    pub delayed: usize,
    pub overdue: usize,
    /// Ranked by 采纳率, then submitted (both descending), then name.
    pub reporters: Vec<ReporterMonth>,
}

/// The month's figures from every requirement's facts. A withdrawn requirement counts where it
/// had happened before it was withdrawn (it was submitted), never as overdue after. A decision
/// without its day (legacy registers state none) counts in the month the requirement was
/// received — the month its register sheet covered.
pub fn summarize(month: Month, all: &[MonthFacts]) -> MonthSummary {
    let (first, last) = (month.first(), month.last());
    let by_end = |d: Option<NaiveDate>| d.is_some_and(|d| d <= last);
    let mut s = MonthSummary {
        month,
        submitted: 0,
        decided: ByDecision::default(),
        completed: 0,
        delayed: 0,
        overdue: 0,
        reporters: Vec::new(),
    };
    let mut people: std::collections::BTreeMap<&str, (usize, usize, usize)> =
        std::collections::BTreeMap::new();
    for f in all {
        let decided_on = f.decision.and(f.decision_date.or(Some(f.received)));
        if month.contains(f.received) {
            s.submitted += 1;
            let p = people.entry(f.reporter.as_str()).or_default();
            p.0 += 1;
            if let (Some(d), true) = (f.decision, by_end(decided_on)) {
                if d != Decision::Discuss {
                    p.1 += 1;
                    if d.leads_to_work() {
                        p.2 += 1;
                    }
                }
            }
        }
        if let (Some(d), Some(day)) = (f.decision, decided_on) {
            if month.contains(day) {
                s.decided.add(d);
            }
        }
        if f.actual_delivery.is_some_and(|d| month.contains(d)) {
            s.completed += 1;
        }
        if f.delays
            .iter()
            .any(|d| d.in_force_on(last) && d.approved_on.is_some_and(|a| a >= first))
        {
            s.delayed += 1;
        }
        // overdue at month end: promised (as in force that day), not delivered by then, still open
        let live = f.received <= last && !by_end(f.withdrawn);
        if live {
            let decision = f.decision.filter(|_| by_end(decided_on));
            let delivered = f.actual_delivery.filter(|d| *d <= last);
            let force = in_force(f.expected, &f.delays, last);
            let status = derive_status(decision, delivered, force.approved.len() as u32);
            if is_overdue(status, force.date, last) {
                s.overdue += 1;
            }
        }
    }
    s.reporters = people
        .into_iter()
        .map(|(name, (submitted, decided, adopted))| ReporterMonth {
            name: name.to_string(),
            submitted,
            decided,
            adopted,
            adoption_rate: if decided == 0 {
                0.0
            } else {
                adopted as f64 / decided as f64
            },
        })
        .collect();
    s.reporters.sort_by(|a, b| {
        b.adoption_rate
            .total_cmp(&a.adoption_rate)
            .then(b.submitted.cmp(&a.submitted))
            .then(a.name.cmp(&b.name))
    });
    s
}

/// The twelve months up to and including `month`, oldest first.
pub fn trend_months(month: Month) -> Vec<Month> {
    let mut out = vec![month];
    for _ in 0..11 {
        let p = out[out.len() - 1].prev();
        out.push(p);
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_as_people_write_them() {
        let june = Month {
            year: 2014,
            month: 6,
        };
        for s in ["2014-06", "2014-6", "201406", "2014年6月", "２０１４-０６"] {
            assert_eq!(Month::parse(s), Some(june), "{s}");
        }
        assert_eq!(Month::parse("2014-13"), None);
        assert_eq!(june.last(), NaiveDate::from_ymd_opt(2014, 6, 30).unwrap());
        assert_eq!(
            Month {
                year: 2014,
                month: 12
            }
            .next()
            .label(),
            "2015-01"
        );
        let t = trend_months(Month {
            year: 2014,
            month: 3,
        });
        assert_eq!(
            (t[0].label(), t[11].label()),
            ("2013-04".into(), "2014-03".into())
        );
    }
}
