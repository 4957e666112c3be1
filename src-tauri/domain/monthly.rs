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
        // a year in full (`14-06` is not read as the year 14)
        if y.len() != 4 {
            return None;
        }
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
    /// Every decision it was given, oldest first, with its day (a 再议 and the later 做 both):
    /// from the history; a decision the history does not hold (an imported one) with its
    /// 决策日期, else the day received (legacy registers state no decision days).
    pub decisions: Vec<(NaiveDate, Decision)>,
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

impl MonthFacts {
    /// The decision as it stood at the end of `day`.
    pub fn decision_on(&self, day: NaiveDate) -> Option<Decision> {
        super::requirement::decision_on(&self.decisions, day)
    }
}

/// The month's figures from every requirement's facts. Each decision counts in the month it
/// was made (a 再议 in June and the 做 in July both count, each in its month); per reporter, the
/// decisions as they stood at the month's end. A withdrawn requirement counts where it had
/// happened before it was withdrawn (it was submitted), never as overdue after.
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
        let at_end = f.decision_on(last);
        if month.contains(f.received) {
            s.submitted += 1;
            let p = people.entry(f.reporter.as_str()).or_default();
            p.0 += 1;
            if let Some(d) = at_end.filter(|d| *d != Decision::Discuss) {
                p.1 += 1;
                if d.leads_to_work() {
                    p.2 += 1;
                }
            }
        }
        for (day, d) in &f.decisions {
            if month.contains(*day) {
                s.decided.add(*d);
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
            let decision = at_end;
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

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn req(reporter: &str, received: &str, decisions: &[(&str, Decision)]) -> MonthFacts {
        MonthFacts {
            reporter: reporter.into(),
            received: d(received),
            decisions: decisions.iter().map(|(day, x)| (d(day), *x)).collect(),
            expected: None,
            actual_delivery: None,
            withdrawn: None,
            delays: Vec::new(),
        }
    }

    fn delay(id: i64, filed: &str, new: &str, approved: Option<&str>) -> DelayFacts {
        DelayFacts {
            id,
            filed: d(filed),
            original: None,
            new_date: d(new),
            reason: String::new(),
            approved_on: approved.map(d),
            rejected_on: None,
            withdrawn: false,
        }
    }

    #[test]
    fn a_decision_counts_in_its_month_and_reporters_see_the_months_end() {
        // 再议 in June, 做 in July: June counts a 再议, July a 做
        let a = req(
            "张三",
            "2014-06-09",
            &[
                ("2014-06-14", Decision::Discuss),
                ("2014-07-05", Decision::Do),
            ],
        );
        let june = summarize(
            Month {
                year: 2014,
                month: 6,
            },
            std::slice::from_ref(&a),
        );
        let july = summarize(
            Month {
                year: 2014,
                month: 7,
            },
            std::slice::from_ref(&a),
        );
        assert_eq!((june.decided.discuss, june.decided.r#do), (1, 0));
        assert_eq!((july.decided.discuss, july.decided.r#do), (0, 1));
        // June's reporter figures: only 再议 at June's end — not decided
        assert_eq!(
            (june.reporters[0].decided, june.reporters[0].adopted),
            (0, 0)
        );
    }

    #[test]
    fn withdrawn_delayed_twice_and_the_year_boundary() {
        let dec = Month {
            year: 2014,
            month: 12,
        };
        // promised 12-20, delayed to 12-28 (approved 12-18), again to 01-10 (approved 12-27):
        // delayed in December, not overdue on 12-31
        let mut twice = req("李四", "2014-12-01", &[("2014-12-05", Decision::Do)]);
        twice.expected = Some(d("2014-12-20"));
        twice.delays = vec![
            delay(1, "2014-12-15", "2014-12-28", Some("2014-12-18")),
            delay(2, "2014-12-26", "2015-01-10", Some("2014-12-27")),
        ];
        // promised 12-25, withdrawn 12-26: submitted, never overdue
        let mut gone = req("李四", "2014-12-02", &[("2014-12-05", Decision::Do)]);
        gone.expected = Some(d("2014-12-25"));
        gone.withdrawn = Some(d("2014-12-26"));
        // promised 12-30, not delivered: overdue on 12-31; in January still overdue
        let mut late = req("王五", "2014-12-03", &[("2014-12-05", Decision::Convert)]);
        late.expected = Some(d("2014-12-30"));
        let all = [twice, gone, late];
        let s = summarize(dec, &all);
        assert_eq!((s.submitted, s.delayed, s.overdue), (3, 1, 1));
        assert_eq!(s.decided.r#do + s.decided.convert, 3);
        let jan = summarize(dec.next(), &all);
        assert_eq!(
            (jan.submitted, jan.delayed, jan.overdue),
            (0, 0, 2),
            "01-10 passed too"
        );
        assert_eq!(jan.month.label(), "2015-01");
    }

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
        assert_eq!(Month::parse("14-06"), None);
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
