//! Issue 12's proof: one scripted month (September 2024, with the 中秋 holiday and its 调休
//! workdays) played through the core API, and its assessment worked out by hand below.
//!
//! The calendar: Sat 09-14 and Sun 09-29 are 调休 workdays; 09-15..09-17 (中秋) and
//! 10-01..10-07 (国庆) are holidays. Every meeting is a Saturday at 10:30, so R5 is due at
//! 11:30 and R4 two working days later (Sat 09-07 → Tue 09-10 23:59).
//!
//! People: collectors 周敏 and 吴芳; product managers 郑伟 and 王强; IT 钱工; tester 孙测;
//! reporters (推广部) 刘小妹 and 陈晨; leaders 李主管, 赵部长 and 王总 (决策组) sign delays.
//!
//! The records, and what each leaves late (everything not named is done in time):
//! - **A1** (received Thu 09-05, filled Mon 09-02: R1 due Thu 18:00, in time). 做 B on 09-07.
//!   The planning document arrives Fri 09-13 16:00, so R7 is due two working days later —
//!   Sat 09-14 (调休) and Wed 09-18 (the 15th–17th are holidays) — at 09-18 23:59; IT
//!   estimates on 09-19 10:00: **R7 钱工 1天** (listed, no deduction; "within 2 days" is
//!   counted in days). (Without the 调休 it
//!   would be in time; without the holidays three days late.) Promised 09-27; a delay filed on
//!   09-25 (in time) moves it to 09-30, approved 09-25 14:00 and told at once; delivered on the
//!   调休 Sunday 09-29: in time against the honoured 09-30 (two days late against 09-27).
//! - **C1–C8** (received 09-04, collector 周敏; product manager 郑伟 for C1–C3, 王强 for
//!   C4–C8). 做 on 09-07. IT estimates acceptance 09-11 10:00, so R8 is due 11:00; the expected
//!   date is recorded at 12:30: **R8 2小时** each. IT accepts 09-19 10:00, so R13 is due 11:00;
//!   completion is recorded at 14:00: **R13 3小时** each. Promised 09-20, delivered 09-19.
//! - **D1** (郑伟): planning estimate recorded 09-11 09:00, R4 due 09-10 23:59: **R4 1天**
//!   (listed). Promised 09-20 and never delivered: at the month's end **10天** late → no
//!   performance pay.
//! - **D2** (郑伟): expected date recorded 09-09 10:00, the reporter told 11:30: **R9 周敏
//!   30分钟**. Promised 09-20, delivered 09-21: **1天, −20**. Completion recorded 09-21 10:00,
//!   the reporter told 11:30: **R14 周敏 30分钟**.
//! - **D3** (王强, reporter 陈晨): expected date (09-13) recorded and told the reporter 09-09;
//!   陈晨 tells the requester 09-10 09:00: **R10 陈晨 1天 (the next day), −20**. Delivered 09-20:
//!   **7天, −100**.
//! - **D4** (王强, reporter 陈晨): promised 09-10; a delay filed 09-12 — after the promise
//!   had passed — to 09-13, approved 09-12 16:00; the reporter told 17:30: **R11 周敏 30分钟**;
//!   陈晨 tells the requester 09-13 10:00: **R12 陈晨 1天, −20**. Delivered 09-13: in time
//!   by the date in force, but the late-filed delay is not honoured: **3天 against 09-10, −100**.
//! - **P1** (received Fri 09-06, filled Mon 09-02): **R1 刘小妹 1天 (a day after Thursday),
//!   −20**. 不做 on 09-14; 刘小妹 tells the requester 09-15 09:00: **R6 1天, −20**.
//! - **W1–W11** (吴芳, received 09-11): 不做 on 09-14, the reporter told 11:45: **R5 吴芳
//!   15分钟** ×11.
//! - **E1** (周敏, received 09-18, alone in the week of Fri 09-20): that 周报 is sent 15:00:
//!   **R2 周敏 3小时**. 不做 on 09-21, the reporter told 12:45: **R5 周敏 2小时**.
//! - **Bug 1** (刘小妹): found 09-09, submitted 09-10: **B1 1天 (次日提交, not "1 minute
//!   after midnight"), −20**; reproduced 09-10
//!   10:00, the reporter copied 12:00: **B2 孙测 1小时** (listed). Fixed 09-12, user told that
//!   day.
//! - **Bug 2** (陈晨): fixed 09-13, the user told 09-14 09:00: **B4 1天, −20**.
//!
//! The sheet (SPEC §7, default rules):
//! - 刘小妹: R1, R6, B1 → −60. 陈晨: R10, R12, B4 → −60.
//! - 周敏: R2, R5, R9, R11, R14 = 5 collector misses → the 1–5 band, −20.
//! - 吴芳: 11 collector misses → more than 10: no performance pay, nothing deducted.
//! - 郑伟: R8 ×3 + R13 ×3 = 6 manager misses → the 6–10 band, −50; D2 −20; D1 > 7 days: no
//!   performance pay → −70 and no performance pay.
//! - 王强: R8 ×5 + R13 ×5 = 10 → the 6–10 band, −50; D3 −100; D4 −100 → −250.
//! - 钱工: R7 (0). 孙测: B2 (0).

use chrono::Datelike;
use genjin::domain::calendar::DayKind;
use genjin::domain::delay::{Opinion, SignLevel};
use genjin::domain::monthly::Month;
use genjin::domain::notify::{Audience, Step};
use genjin::domain::people::Role;
use genjin::domain::requirement::{Decision, Grade};
use genjin::store::{
    Actor, BugInput, Db, DecisionInput, DelayInput, DeliveryInput, FixInput, ItAcceptanceInput,
    NewNotification, PersonInput, PlanInput, ReproduceInput, RequirementInput, ResponsibleInput,
    SignInput, StepTime,
};
use std::collections::HashMap;

struct Month2024 {
    db: Db,
    ids: HashMap<&'static str, i64>,
}

fn at(t: &str) -> StepTime {
    StepTime {
        happened_at: Some(t.to_string()),
        version: None,
        by: None,
    }
}

impl Month2024 {
    fn actor(&self, name: &str) -> Actor {
        Actor::new(
            self.ids.get(name).copied(),
            name,
            "test",
            genjin::clock::now(),
        )
    }

    fn person(&mut self, name: &'static str, role: Role) {
        // the first person (王总) sets the database up; the others are added by them
        let by = self.actor(if self.ids.is_empty() {
            "设置"
        } else {
            "王总"
        });
        let p = self
            .db
            .add_person(
                &by,
                &PersonInput {
                    name: name.into(),
                    department: String::new(),
                    roles: vec![role],
                    active: None,
                    version: None,
                },
            )
            .unwrap();
        self.ids.insert(name, p.id);
    }

    /// A report registered by `collector`, answered for by `manager`: its number.
    fn requirement(
        &mut self,
        collector: &str,
        manager: &str,
        reporter: &str,
        received: &str,
        filled: &str,
    ) -> String {
        let a = self.actor(collector);
        let r = self
            .db
            .create_requirement(
                &a,
                &RequirementInput {
                    received_date: received.into(),
                    report_date: filled.into(),
                    reporter: reporter.into(),
                    requester: "郭主任".into(),
                    brief: "问卷随访".into(),
                    // registered on the day it was received, as it happened (today: now)
                    happened_at: (received != crate::common::today_iso())
                        .then(|| format!("{received} 09:00")),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(r.collector, collector, "registering makes the collector's");
        if !manager.is_empty() {
            self.db
                .set_responsible(
                    &a,
                    &r.number,
                    &ResponsibleInput {
                        product_manager: Some(manager.into()),
                        it_owner: Some("钱工".into()),
                        ..Default::default()
                    },
                )
                .unwrap();
        }
        r.number
    }

    fn meeting(&mut self, when: &str, verdicts: &[(&str, Decision)]) {
        let verdicts: Vec<(String, DecisionInput)> = verdicts
            .iter()
            .map(|(n, d)| {
                (
                    n.to_string(),
                    DecisionInput {
                        decision: *d,
                        grade: d.leads_to_work().then_some(Grade::C),
                        conversion_summary: String::new(),
                        decision_reason: String::new(),
                        decision_date: String::new(),
                        at: StepTime::default(),
                    },
                )
            })
            .collect();
        let a = self.actor("王总");
        self.db.record_meeting(&a, &verdicts, Some(when)).unwrap();
    }

    fn tell(&mut self, who: &str, number: &str, step: Step, to: Audience, when: &str) {
        let a = self.actor(who);
        self.db
            .record_notification(
                &a,
                number,
                &NewNotification {
                    step,
                    audience: to,
                    recipient: String::new(),
                    channel: "QQ".into(),
                    message: String::new(),
                    sent_at: Some(when.into()),
                    confirmed: false,
                },
            )
            .unwrap();
    }

    /// The decision told: the reporter by the collector, the requester by the reporter.
    fn told_decision(&mut self, number: &str, collector: &str, reporter: &str, r: &str, q: &str) {
        self.tell(collector, number, Step::Decision, Audience::Reporter, r);
        self.tell(reporter, number, Step::Decision, Audience::Requester, q);
    }

    fn plan(&mut self, manager: &str, number: &str, estimated: &str, actual: &str, when: &str) {
        let a = self.actor(manager);
        self.db
            .record_plan(
                &a,
                number,
                &PlanInput {
                    plan_doc_number: "CH-01".into(),
                    plan_estimated_date: estimated.into(),
                    plan_actual_date: actual.into(),
                    at: at(when),
                },
            )
            .unwrap();
    }

    fn acceptance(&mut self, number: &str, estimated: &str, actual: &str, when: &str) {
        let a = self.actor("钱工");
        self.db
            .record_it_acceptance(
                &a,
                number,
                &ItAcceptanceInput {
                    estimated: estimated.into(),
                    actual: actual.into(),
                    at: at(when),
                },
            )
            .unwrap();
    }

    fn expect(&mut self, manager: &str, number: &str, date: &str, when: &str) {
        let a = self.actor(manager);
        self.db
            .record_expected_delivery(
                &a,
                number,
                &DeliveryInput {
                    date: date.into(),
                    at: at(when),
                },
            )
            .unwrap();
    }

    fn complete(&mut self, manager: &str, number: &str, date: &str, when: &str) {
        let a = self.actor(manager);
        self.db
            .record_completion(
                &a,
                number,
                &DeliveryInput {
                    date: date.into(),
                    at: at(when),
                },
            )
            .unwrap();
    }

    /// A delay filed by `manager` on `filed`, signed by the three levels (the collector 周敏
    /// records the paper's signatures), the 总经办 at `approved`.
    fn delay(&mut self, manager: &str, number: &str, filed: &str, new_date: &str, approved: &str) {
        let a = self.actor(manager);
        let clerk = self.actor("周敏");
        let d = self
            .db
            .file_delay(
                &a,
                number,
                &DelayInput {
                    new_date: new_date.into(),
                    reason: "实现难度大".into(),
                    filed_date: filed.into(),
                    at: at(&format!("{filed} 09:00")),
                    ..Default::default()
                },
            )
            .unwrap();
        let day = &approved[..10];
        for (level, signer, when) in [
            (SignLevel::Direct, "李主管", format!("{day} 10:00")),
            (SignLevel::Department, "赵部长", format!("{day} 11:00")),
            (SignLevel::GmOffice, "王总", approved.to_string()),
        ] {
            self.db
                .sign_delay(
                    &clerk,
                    d.id,
                    &SignInput {
                        level,
                        opinion: Opinion::Agree,
                        signer: signer.into(),
                        comment: String::new(),
                        date: day.into(),
                        at: at(&when),
                    },
                )
                .unwrap();
        }
    }
}

/// One line of a sheet as the hand-worked table states it: rule code, record, how late, yuan.
type Line = (String, String, String, u32);

fn at_time(t: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap()
}

/// A month's sheets as of `now`, each as (name, yuan, no performance pay, its lines).
fn sheet(db: &Db, month: Month, now: chrono::NaiveDateTime) -> Vec<(String, u32, bool, Vec<Line>)> {
    let mut got: Vec<(String, u32, bool, Vec<Line>)> = db
        .assessment(month, now)
        .unwrap()
        .sheets
        .iter()
        .map(|s| {
            let mut lines: Vec<Line> = s
                .lines
                .iter()
                .map(|l| {
                    // a rule's label starts with its code; a band line is kept whole
                    let rule = match l.rule.split_once(' ') {
                        Some((code, _)) if !l.record.is_empty() => code.to_string(),
                        _ => l.rule.clone(),
                    };
                    let rule = if rule == "按承诺日期交付" {
                        "delivery".to_string()
                    } else {
                        rule
                    };
                    (rule, l.record.clone(), l.late_by.clone(), l.deduction)
                })
                .collect();
            lines.sort();
            (s.name.clone(), s.deduction, s.no_performance_pay, lines)
        })
        .collect();
    got.sort();
    got
}

/// The to-do as (rule, record, responsible, due, overdue).
fn todo_lines(db: &Db, now: chrono::NaiveDateTime) -> Vec<(String, String, String, String, bool)> {
    db.todo(now, None)
        .unwrap()
        .into_iter()
        .map(|i| (i.rule, i.record, i.responsible, i.due, i.overdue))
        .collect()
}

fn line(rule: &str, record: &str, late: &str, yuan: u32) -> Line {
    (rule.into(), record.into(), late.into(), yuan)
}

#[test]
fn a_scripted_month_is_assessed_as_worked_out_by_hand() {
    let mut m = Month2024 {
        db: Db::open_in_memory().unwrap(),
        ids: HashMap::new(),
    };
    for (name, role) in [
        ("王总", Role::DecisionGroup),
        ("周敏", Role::Collector),
        ("吴芳", Role::Collector),
        ("郑伟", Role::ProductManager),
        ("王强", Role::ProductManager),
        ("钱工", Role::It),
        ("孙测", Role::Tester),
        ("刘小妹", Role::Reporter),
        ("陈晨", Role::Reporter),
        ("李主管", Role::Reporter),
        ("赵部长", Role::Reporter),
    ] {
        m.person(name, role);
    }
    let boss = m.actor("王总");
    for (day, kind, name) in [
        ("2024-09-14", DayKind::Workday, "中秋调休"),
        ("2024-09-15", DayKind::Holiday, "中秋节"),
        ("2024-09-16", DayKind::Holiday, "中秋节"),
        ("2024-09-17", DayKind::Holiday, "中秋节"),
        ("2024-09-29", DayKind::Workday, "国庆调休"),
    ] {
        m.db.set_calendar_day(&boss, day, kind, name, true).unwrap();
    }
    for day in 1..=7 {
        m.db.set_calendar_day(
            &boss,
            &format!("2024-10-{day:02}"),
            DayKind::Holiday,
            "国庆节",
            true,
        )
        .unwrap();
    }
    use Audience::{Reporter, Requester};
    use Decision::{Do, DoNot};

    // ---- the week of Fri 09-06: A1, C1–C8, D1–D4, all 周敏's
    let a1 = m.requirement("周敏", "郑伟", "刘小妹", "2024-09-05", "2024-09-02");
    let c: Vec<String> = (0..8)
        .map(|i| {
            let pm = if i < 3 { "郑伟" } else { "王强" };
            m.requirement("周敏", pm, "刘小妹", "2024-09-04", "")
        })
        .collect();
    let d1 = m.requirement("周敏", "郑伟", "刘小妹", "2024-09-04", "");
    let d2 = m.requirement("周敏", "郑伟", "刘小妹", "2024-09-04", "");
    let d3 = m.requirement("周敏", "王强", "陈晨", "2024-09-04", "");
    let d4 = m.requirement("周敏", "王强", "陈晨", "2024-09-04", "");
    let week = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let a = m.actor("周敏");
    m.db.record_weekly_sent(&a, week("2024-09-06"), Some("2024-09-06 10:00"))
        .unwrap();
    let mut verdicts: Vec<(&str, Decision)> = vec![(a1.as_str(), Do)];
    verdicts.extend(c.iter().map(|n| (n.as_str(), Do)));
    verdicts.extend([d1.as_str(), d2.as_str(), d3.as_str(), d4.as_str()].map(|n| (n, Do)));
    m.meeting("2024-09-07 10:30", &verdicts);
    let reporter_of = |n: &str| {
        if n == d3 || n == d4 {
            "陈晨"
        } else {
            "刘小妹"
        }
    };
    for (n, _) in &verdicts {
        let n = n.to_string();
        m.told_decision(
            &n,
            "周敏",
            reporter_of(&n),
            "2024-09-07 10:50",
            "2024-09-07 12:00",
        );
    }

    // A1: every step, R7 late because of the holiday and the 调休 Saturday
    m.plan("郑伟", &a1, "2024-09-13", "", "2024-09-09 10:00");
    m.plan("郑伟", &a1, "2024-09-13", "2024-09-13", "2024-09-13 16:00");
    m.acceptance(&a1, "2024-09-26", "", "2024-09-19 10:00");
    m.expect("郑伟", &a1, "2024-09-27", "2024-09-19 10:40");
    m.tell("周敏", &a1, Step::Expected, Reporter, "2024-09-19 11:20");
    m.tell("刘小妹", &a1, Step::Expected, Requester, "2024-09-19 20:00");
    m.delay("郑伟", &a1, "2024-09-25", "2024-09-30", "2024-09-25 14:00");
    m.tell("周敏", &a1, Step::Delay, Reporter, "2024-09-25 14:30");
    m.tell("刘小妹", &a1, Step::Delay, Requester, "2024-09-25 16:00");
    m.acceptance(&a1, "2024-09-26", "2024-09-29", "2024-09-29 10:00");
    m.complete("郑伟", &a1, "2024-09-29", "2024-09-29 10:30");
    m.tell("周敏", &a1, Step::Completion, Reporter, "2024-09-29 11:00");

    // C1–C8: R8 and R13 late, everything else in time
    for (i, n) in c.iter().enumerate() {
        let pm = if i < 3 { "郑伟" } else { "王强" };
        m.plan(pm, n, "2024-09-10", "", "2024-09-09 10:00");
        m.plan(pm, n, "2024-09-10", "2024-09-10", "2024-09-10 10:00");
        m.acceptance(n, "2024-09-19", "", "2024-09-11 10:00");
        m.expect(pm, n, "2024-09-20", "2024-09-11 12:30");
        m.tell("周敏", n, Step::Expected, Reporter, "2024-09-11 13:00");
        m.tell("刘小妹", n, Step::Expected, Requester, "2024-09-11 15:00");
        m.acceptance(n, "2024-09-19", "2024-09-19", "2024-09-19 10:00");
        m.complete(pm, n, "2024-09-19", "2024-09-19 14:00");
        m.tell("周敏", n, Step::Completion, Reporter, "2024-09-19 14:30");
    }

    // D1: R4 late, never delivered
    m.plan("郑伟", &d1, "2024-09-13", "", "2024-09-11 09:00");
    m.expect("郑伟", &d1, "2024-09-20", "2024-09-09 11:00");
    m.tell("周敏", &d1, Step::Expected, Reporter, "2024-09-09 11:30");
    m.tell("刘小妹", &d1, Step::Expected, Requester, "2024-09-09 14:00");
    // D2: R9 and R14 late, delivered a day late
    m.plan("郑伟", &d2, "2024-09-13", "", "2024-09-09 10:00");
    m.expect("郑伟", &d2, "2024-09-20", "2024-09-09 10:00");
    m.tell("周敏", &d2, Step::Expected, Reporter, "2024-09-09 11:30");
    m.tell("刘小妹", &d2, Step::Expected, Requester, "2024-09-09 14:00");
    m.complete("郑伟", &d2, "2024-09-21", "2024-09-21 10:00");
    m.tell("周敏", &d2, Step::Completion, Reporter, "2024-09-21 11:30");
    // D3: R10 late, delivered seven days late
    m.plan("王强", &d3, "2024-09-13", "", "2024-09-09 10:00");
    m.expect("王强", &d3, "2024-09-13", "2024-09-09 10:00");
    m.tell("周敏", &d3, Step::Expected, Reporter, "2024-09-09 10:30");
    m.tell("陈晨", &d3, Step::Expected, Requester, "2024-09-10 09:00");
    m.complete("王强", &d3, "2024-09-20", "2024-09-20 10:00");
    m.tell("周敏", &d3, Step::Completion, Reporter, "2024-09-20 10:30");
    // D4: a delay filed after the promise had passed; R11 and R12 late
    m.plan("王强", &d4, "2024-09-13", "", "2024-09-09 10:00");
    m.expect("王强", &d4, "2024-09-10", "2024-09-09 10:00");
    m.tell("周敏", &d4, Step::Expected, Reporter, "2024-09-09 10:30");
    m.tell("陈晨", &d4, Step::Expected, Requester, "2024-09-09 14:00");
    m.delay("王强", &d4, "2024-09-12", "2024-09-13", "2024-09-12 16:00");
    m.tell("周敏", &d4, Step::Delay, Reporter, "2024-09-12 17:30");
    m.tell("陈晨", &d4, Step::Delay, Requester, "2024-09-13 10:00");
    m.complete("王强", &d4, "2024-09-13", "2024-09-13 11:00");
    m.tell("周敏", &d4, Step::Completion, Reporter, "2024-09-13 11:30");

    // ---- the week of Fri 09-13: P1 (周敏) and W1–W11 (吴芳); its 周报 in time
    let p1 = m.requirement("周敏", "", "刘小妹", "2024-09-06", "2024-09-02");
    let w: Vec<String> = (0..11)
        .map(|_| m.requirement("吴芳", "", "陈晨", "2024-09-11", ""))
        .collect();
    let a = m.actor("吴芳");
    m.db.record_weekly_sent(&a, week("2024-09-13"), Some("2024-09-13 11:00"))
        .unwrap();
    let mut verdicts: Vec<(&str, Decision)> = vec![(p1.as_str(), DoNot)];
    verdicts.extend(w.iter().map(|n| (n.as_str(), DoNot)));
    m.meeting("2024-09-14 10:30", &verdicts);
    m.told_decision(
        &p1,
        "周敏",
        "刘小妹",
        "2024-09-14 10:50",
        "2024-09-15 09:00",
    );
    for n in &w {
        m.told_decision(n, "吴芳", "陈晨", "2024-09-14 11:45", "2024-09-14 13:00");
    }

    // ---- the week of Fri 09-20: E1 alone, its 周报 late
    let e1 = m.requirement("周敏", "", "刘小妹", "2024-09-18", "");
    let a = m.actor("周敏");
    m.db.record_weekly_sent(&a, week("2024-09-20"), Some("2024-09-20 15:00"))
        .unwrap();
    m.meeting("2024-09-21 10:30", &[(e1.as_str(), DoNot)]);
    m.told_decision(
        &e1,
        "周敏",
        "刘小妹",
        "2024-09-21 12:45",
        "2024-09-21 14:00",
    );

    // ---- bugs
    let bug = |m: &mut Month2024, reporter: &str, found: &str, received: &str| -> String {
        let a = m.actor(reporter);
        m.db.report_bug(
            &a,
            &BugInput {
                found_date: found.into(),
                received_date: received.into(),
                reporter: reporter.into(),
                content: "打开问卷闪退".into(),
                phone_model: "华为 Mate 60".into(),
                os_version: "HarmonyOS 4.0".into(),
                at: at(&format!("{received} 08:30")),
                ..Default::default()
            },
            &[],
        )
        .unwrap()
        .number
    };
    let reproduce = |m: &mut Month2024, number: &str, copied: bool, when: &str| {
        let a = m.actor("孙测");
        m.db.reproduce_bug(
            &a,
            number,
            &ReproduceInput {
                reproduced: true,
                reporter_copied: Some(copied),
                at: at(when),
                ..Default::default()
            },
        )
        .unwrap();
    };
    let fix = |m: &mut Month2024, number: &str, day: &str| {
        let a = m.actor("钱工");
        m.db.fix_bug(
            &a,
            number,
            &FixInput {
                date: day.into(),
                fixed_version: "2.1.0".into(),
                at: at(&format!("{day} 15:00")),
            },
        )
        .unwrap();
    };
    let tell_user = |m: &mut Month2024, who: &str, number: &str, when: &str| {
        let a = m.actor(who);
        m.db.record_bug_notification(
            &a,
            number,
            &NewNotification {
                step: Step::BugFixed,
                audience: Audience::User,
                recipient: String::new(),
                channel: "电话".into(),
                message: String::new(),
                sent_at: Some(when.into()),
                confirmed: true,
            },
        )
        .unwrap();
    };
    let b1 = bug(&mut m, "刘小妹", "2024-09-09", "2024-09-10");
    reproduce(&mut m, &b1, false, "2024-09-10 10:00");
    reproduce(&mut m, &b1, true, "2024-09-10 12:00");
    fix(&mut m, &b1, "2024-09-12");
    tell_user(&mut m, "刘小妹", &b1, "2024-09-12 16:00");
    let b2 = bug(&mut m, "陈晨", "2024-09-10", "2024-09-10");
    reproduce(&mut m, &b2, true, "2024-09-10 11:00");
    fix(&mut m, &b2, "2024-09-13");
    tell_user(&mut m, "陈晨", &b2, "2024-09-14 09:00");

    // ---- the sheet, worked out by hand (see the module's comment)
    let week20 = "2024-09-20 周报";
    let mut expected: Vec<(&str, u32, bool, Vec<Line>)> = vec![
        (
            "刘小妹",
            60,
            false,
            vec![
                line("R1", &p1, "1天", 20),
                line("R6", &p1, "1天", 20),
                line("B1", &b1, "1天", 20),
            ],
        ),
        (
            "陈晨",
            60,
            false,
            vec![
                line("R10", &d3, "1天", 20),
                line("R12", &d4, "1天", 20),
                line("B4", &b2, "1天", 20),
            ],
        ),
        (
            "周敏",
            20,
            false,
            vec![
                line("R2", week20, "3小时", 0),
                line("R5", &e1, "2小时", 0),
                line("R9", &d2, "30分钟", 0),
                line("R11", &d4, "30分钟", 0),
                line("R14", &d2, "30分钟", 0),
                line("收集人登记、通知本月未按时 5 次（1–5 次）", "", "", 20),
            ],
        ),
        ("吴芳", 0, true, {
            let mut v: Vec<Line> = w.iter().map(|n| line("R5", n, "15分钟", 0)).collect();
            v.push(line(
                "收集人登记、通知本月未按时 11 次（超过 10 次：当月无绩效）",
                "",
                "",
                0,
            ));
            v
        }),
        ("郑伟", 70, true, {
            let mut v: Vec<Line> = Vec::new();
            for n in &c[..3] {
                v.push(line("R8", n, "2小时", 0));
                v.push(line("R13", n, "3小时", 0));
            }
            v.push(line("R4", &d1, "1天", 0));
            v.push(line("delivery", &d1, "10天", 0));
            v.push(line("delivery", &d2, "1天", 20));
            v.push(line(
                "产品经理通知收集人本月未按时 6 次（6–10 次）",
                "",
                "",
                50,
            ));
            v
        }),
        ("王强", 250, false, {
            let mut v: Vec<Line> = Vec::new();
            for n in &c[3..] {
                v.push(line("R8", n, "2小时", 0));
                v.push(line("R13", n, "3小时", 0));
            }
            v.push(line("delivery", &d3, "7天", 100));
            v.push(line("delivery", &d4, "3天", 100));
            v.push(line(
                "产品经理通知收集人本月未按时 10 次（6–10 次）",
                "",
                "",
                50,
            ));
            v
        }),
        ("钱工", 0, false, vec![line("R7", &a1, "1天", 0)]),
        ("孙测", 0, false, vec![line("B2", &b1, "1小时", 0)]),
    ];
    let september = Month {
        year: 2024,
        month: 9,
    };
    let after_september = at_time("2024-10-15 09:00");
    let mut got = sheet(&m.db, september, after_september);
    got.sort();
    for e in &mut expected {
        e.3.sort();
    }
    let mut expected: Vec<(String, u32, bool, Vec<Line>)> = expected
        .into_iter()
        .map(|(n, d, p, l)| (n.to_string(), d, p, l))
        .collect();
    expected.sort();
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e, "{}", e.0);
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");

    // Issue 19: the collector then imports her old registers — overdue promises of 2014, delays
    // written in 备注, a bug ledger. That is history: the to-do and every month's sheet are
    // unchanged, this month's included; the overdue legacy promises are listed to check.
    let now = genjin::clock::now().naive_local();
    let this_month = Month {
        year: now.year(),
        month: now.month(),
    };
    let todo_before = todo_lines(&m.db, now);
    let this_month_before = sheet(&m.db, this_month, now);
    let legacy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    let parsed = genjin::excel::import::parse_paths(&[legacy], &[]);
    let collector = m.actor("周敏");
    let report =
        m.db.import_commit(
            &collector,
            &parsed,
            genjin::store::ConflictPolicy::KeepExisting,
            &mut |_, _| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
    assert!(report.created > 90, "{}", report.created);
    let stated_delays =
        m.db.delays(None)
            .unwrap()
            .iter()
            .filter(|d| d.overview == "由旧登记表备注导入")
            .count();
    assert!(stated_delays > 0, "the legacy register states delays");
    assert_eq!(
        todo_lines(&m.db, now),
        todo_before,
        "the to-do is unchanged"
    );
    assert_eq!(sheet(&m.db, september, after_september), got);
    assert_eq!(sheet(&m.db, this_month, now), this_month_before);
    for month in 1..=12 {
        let old = sheet(&m.db, Month { year: 2014, month }, now);
        assert!(old.is_empty(), "2014-{month:02}: {old:?}");
    }
    // listed for the collector to check: one note, the register's 旧表逾期 filter
    let overdue = m.db.legacy_overdue(now.date()).unwrap();
    assert!(overdue > 0);
    let notes = m.db.todo_notes(now, Some("周敏")).unwrap();
    let note = notes
        .iter()
        .find(|n| n.kind == genjin::store::NoteKind::LegacyOverdue)
        .expect("the legacy note");
    assert_eq!(
        note.text,
        format!("旧表导入的逾期需求 {overdue} 条，请核对")
    );
    assert!(
        m.db.todo_notes(now, Some("刘小妹")).unwrap().is_empty(),
        "a reporter's to-do has no collector's notes"
    );

    // the calendar decides R7: without the 调休 Saturday it is due Thu 09-19 (in time); without
    // the 中秋 holidays either, Mon 09-16 (three days late)
    let it = |db: &Db| -> Option<String> {
        let sheets = db.assessment(september, after_september).unwrap().sheets;
        let s = sheets.iter().find(|s| s.name == "钱工")?;
        Some(s.lines[0].late_by.clone())
    };
    m.db.remove_calendar_day(&boss, "2024-09-14").unwrap();
    assert_eq!(it(&m.db), None, "R7 in time without the 调休 workday");
    m.db.set_calendar_day(&boss, "2024-09-14", DayKind::Workday, "中秋调休", true)
        .unwrap();
    for day in ["2024-09-15", "2024-09-16", "2024-09-17"] {
        m.db.remove_calendar_day(&boss, day).unwrap();
    }
    assert_eq!(it(&m.db).as_deref(), Some("3天"), "R7 without the holidays");
}

/// Issue 19: who answers for a step is who did it, not who typed it. A collector typing in the
/// product manager's steps from the meeting notes does not become the product manager; naming
/// who did it (`by`) makes them answer for it; a miss with no one named and several holders of
/// the role is charged to the role and listed for the collector to assign; with one holder, it
/// is theirs.
#[test]
fn who_answers_for_a_step_is_who_did_it() {
    let mut m = Month2024 {
        db: Db::open_in_memory().unwrap(),
        ids: HashMap::new(),
    };
    for (name, role) in [
        ("王总", Role::DecisionGroup),
        ("周敏", Role::Collector),
        ("郑伟", Role::ProductManager),
        ("王强", Role::ProductManager),
    ] {
        m.person(name, role);
    }
    let a = m.requirement("周敏", "", "刘小妹", "2024-09-04", "");
    let b = m.requirement("周敏", "", "刘小妹", "2024-09-04", "");
    m.meeting(
        "2024-09-07 10:30",
        &[(a.as_str(), Decision::Do), (b.as_str(), Decision::Do)],
    );
    // the collector types in both promises; for b she names who gave it
    m.expect("周敏", &a, "2024-09-20", "2024-09-09 10:00");
    let clerk = m.actor("周敏");
    let r =
        m.db.record_expected_delivery(
            &clerk,
            &b,
            &DeliveryInput {
                date: "2024-09-20".into(),
                at: StepTime {
                    happened_at: Some("2024-09-09 10:00".into()),
                    version: None,
                    by: Some("郑伟".into()),
                },
            },
        )
        .unwrap();
    assert_eq!(r.product_manager, "郑伟", "who did it answers for it");
    assert_eq!(
        m.db.requirement(&a).unwrap().product_manager,
        "",
        "not the typist"
    );
    let h = m.db.requirement_history(r.id).unwrap();
    assert!(h.iter().any(|e| e.field == "done_by"
        && e.new_value.as_deref() == Some("郑伟")
        && e.actor == "周敏"));
    // naming someone who does not hold the role is refused
    let e =
        m.db.record_completion(
            &clerk,
            &b,
            &DeliveryInput {
                date: "2024-09-21".into(),
                at: StepTime {
                    by: Some("周敏".into()),
                    ..Default::default()
                },
            },
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("by"), "{e}");
    // neither is delivered: a's miss is the role's (two product managers), b's is 郑伟's
    let september = Month {
        year: 2024,
        month: 9,
    };
    let later = chrono::NaiveDate::from_ymd_opt(2024, 10, 15)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let sheets = m.db.assessment(september, later).unwrap().sheets;
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"产品经理（未指定负责人）"), "{names:?}");
    assert!(names.contains(&"郑伟"), "{names:?}");
    // the collector answers for her own steps (she told no one), never for the deliveries
    let zhou = sheets.iter().find(|s| s.name == "周敏").unwrap();
    assert!(
        zhou.lines
            .iter()
            .all(|l| !l.rule.starts_with("按承诺日期交付")),
        "the typist is not charged the product manager's promise: {zhou:?}"
    );
    let notes = m.db.todo_notes(later, Some("周敏")).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.kind == genjin::store::NoteKind::Unassigned && n.record == a),
        "{notes:?}"
    );
    // a closed month stays as it was: 王强 deactivated since does not make a's miss 郑伟's
    let before = m.db.assessment(september, later).unwrap();
    let wang = m.db.person_by_name("王强").unwrap().unwrap();
    let boss = m.actor("王总");
    m.db.update_person(
        &boss,
        wang.id,
        &PersonInput {
            name: "王强".into(),
            department: String::new(),
            roles: vec![Role::ProductManager],
            active: Some(false),
            version: Some(wang.version),
        },
    )
    .unwrap();
    assert_eq!(m.db.assessment(september, later).unwrap(), before);
    // while the month runs, the one product manager left answers for what has no one named
    let now = genjin::clock::now().naive_local();
    let c = m.requirement("周敏", "", "刘小妹", &crate::common::today_iso(), "");
    let this_minute = now.format("%Y-%m-%d %H:%M").to_string();
    m.meeting(&this_minute, &[(c.as_str(), Decision::Do)]);
    let todo = m.db.todo(now, Some("郑伟")).unwrap();
    assert!(
        todo.iter()
            .any(|i| i.record == c && i.rule.starts_with("R4")),
        "the single holder's: {todo:?}"
    );
}
