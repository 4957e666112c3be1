//! The core end to end on a database: numbering, lifecycle, derived status, register queries,
//! notifications, history, people.

use crate::common::{actor, memory_db, report};
use genjin::domain::requirement::{Decision, Grade, Status};
use genjin::store::{
    Actor, DecisionInput, DeliveryInput, ItAcceptanceInput, NewNotification, PersonInput,
    PlanInput, RegisterQuery, SortKey, StepTime,
};

fn decide(d: Decision, g: Option<Grade>, conversion: &str) -> DecisionInput {
    DecisionInput {
        decision: d,
        grade: g,
        conversion_summary: conversion.into(),
        decision_reason: String::new(),
        decision_date: "2014-06-21".into(),
        at: StepTime {
            happened_at: Some("2014-06-21 10:45".into()),
            version: None,
            by: None,
        },
    }
}

fn day(date: &str) -> DeliveryInput {
    DeliveryInput {
        date: date.into(),
        at: StepTime::default(),
    }
}

fn all(db: &genjin::store::Db) -> Vec<genjin::store::RegisterRow> {
    db.register(
        &RegisterQuery {
            sort: SortKey::Number,
            limit: None,
            ..Default::default()
        },
        genjin::clock::today(),
    )
    .unwrap()
    .rows
}

/// The policy's example register (附表3), minus the delayed row (delays come with their own
/// application form), reproduced through the lifecycle steps.
#[test]
fn the_policy_example_register_comes_out_of_the_lifecycle() {
    let mut db = memory_db();
    let a = actor();
    for i in 1..=9 {
        db.create_requirement(&a, &report("2014-06-19", "填充", "", &format!("占位{i}")))
            .unwrap();
    }
    let n10 = db
        .create_requirement(
            &a,
            &report("2014-06-19", "李小四", "王总", "制作需求反馈制度"),
        )
        .unwrap();
    let n11 = db
        .create_requirement(&a, &report("2014-06-19", "张三", "李明", "app视频会议系统"))
        .unwrap();
    let n12 = db
        .create_requirement(&a, &report("2014-06-19", "陈小美", "沈院", "对接药房费用"))
        .unwrap();
    let n13 = db
        .create_requirement(
            &a,
            &report("2014-06-19", "岳飞飞", "省二", "平移病友圈到app"),
        )
        .unwrap();
    assert_eq!(
        [&n10.number, &n11.number, &n12.number, &n13.number],
        ["14061910", "14061911", "14061912", "14061913"]
    );
    db.record_decision(&a, "14061910", &decide(Decision::Do, Some(Grade::A), ""))
        .unwrap();
    db.record_expected_delivery(&a, "14061910", &day("20140620"))
        .unwrap();
    db.record_completion(&a, "14061910", &day("2014-06-20"))
        .unwrap();
    db.record_decision(&a, "14061911", &decide(Decision::DoNot, None, ""))
        .unwrap();
    db.record_decision(&a, "14061912", &decide(Decision::Discuss, None, ""))
        .unwrap();
    db.record_decision(
        &a,
        "14061913",
        &decide(Decision::Convert, Some(Grade::B), "改病友圈为app内社区"),
    )
    .unwrap();
    db.record_expected_delivery(&a, "14061913", &day("2014/7/1"))
        .unwrap();

    let rows = all(&db);
    let get = |n: &str| rows.iter().find(|r| r.number == n).unwrap().clone();
    let r10 = get("14061910");
    assert_eq!(
        (
            r10.decision.as_str(),
            r10.grade.as_str(),
            r10.status.as_str()
        ),
        ("做", "A", "完成")
    );
    assert_eq!(r10.expected_delivery.as_deref(), Some("2014-06-20"));
    assert_eq!(r10.actual_delivery.as_deref(), Some("2014-06-20"));
    let r11 = get("14061911");
    assert_eq!(
        (
            r11.decision.as_str(),
            r11.grade.as_str(),
            r11.status.as_str()
        ),
        ("不做", "", "完成")
    );
    let r12 = get("14061912");
    assert_eq!((r12.decision.as_str(), r12.status.as_str()), ("再议", ""));
    let r13 = get("14061913");
    assert_eq!(
        (
            r13.decision.as_str(),
            r13.grade.as_str(),
            r13.status.as_str()
        ),
        ("需求转换", "B", "")
    );
    assert_eq!(r13.expected_delivery.as_deref(), Some("2014-07-01"));
    assert_eq!(
        r13.remark, "改病友圈为app内社区",
        "the conversion summary goes into 备注"
    );
}

#[test]
fn a_refused_decision_changes_nothing() {
    let mut db = memory_db();
    let r = db
        .create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
        .unwrap();
    let e = db
        .record_decision(
            &actor(),
            &r.number,
            &decide(Decision::DoNot, Some(Grade::A), ""),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "invalid");
    let e = db
        .record_decision(&actor(), &r.number, &decide(Decision::Do, None, ""))
        .unwrap_err();
    assert!(e.to_string().contains("需求分级"), "{e}");
    let after = db.requirement(&r.number).unwrap();
    assert_eq!(after.version, r.version);
    assert_eq!(after.decision, None);
    assert_eq!(
        db.history("requirement", r.id).unwrap().len(),
        1,
        "only the creation"
    );
}

#[test]
fn later_steps_need_a_decision_to_do_the_work() {
    let mut db = memory_db();
    let r = db
        .create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
        .unwrap();
    let e = db
        .record_expected_delivery(&actor(), &r.number, &day("2014-06-25"))
        .unwrap_err();
    assert_eq!(e.kind(), "conflict");
    db.record_decision(&actor(), &r.number, &decide(Decision::Discuss, None, ""))
        .unwrap();
    assert!(db
        .record_completion(&actor(), &r.number, &day("2014-06-25"))
        .is_err());
    db.record_decision(
        &actor(),
        &r.number,
        &decide(Decision::Do, Some(Grade::D), ""),
    )
    .unwrap();
    let e = db
        .record_expected_delivery(&actor(), &r.number, &day("2014-06-01"))
        .unwrap_err();
    assert!(e.to_string().contains("不能早于收到日期"), "{e}");
    let e = db
        .record_expected_delivery(&actor(), &r.number, &day("2014-06-31"))
        .unwrap_err();
    assert_eq!(e.field(), Some("expected_delivery"));
    assert!(
        e.to_string().contains("2014-06-31"),
        "the message names the value: {e}"
    );
}

#[test]
fn every_step_is_in_the_history_with_who_and_when() {
    let mut db = memory_db();
    let collector = Actor::new(None, "李小四", "test", genjin::clock::now());
    let pm = Actor::new(None, "王产品", "test", genjin::clock::now());
    let r = db
        .create_requirement(
            &collector,
            &report("2014-06-19", "刘小妹", "郭主任", "问卷自动计分"),
        )
        .unwrap();
    db.record_decision(
        &collector,
        &r.number,
        &decide(Decision::Do, Some(Grade::C), ""),
    )
    .unwrap();
    db.record_plan(
        &pm,
        &r.number,
        &PlanInput {
            plan_doc_number: "CH-2014-07".into(),
            plan_estimated_date: "2014-06-23".into(),
            plan_actual_date: String::new(),
            at: StepTime {
                happened_at: Some("2014-06-21T11:00".into()),
                version: None,
                by: None,
            },
        },
    )
    .unwrap();
    db.record_it_acceptance(
        &pm,
        &r.number,
        &ItAcceptanceInput {
            estimated: "2014-06-24".into(),
            actual: String::new(),
            at: StepTime::default(),
        },
    )
    .unwrap();
    let h = db.history("requirement", r.id).unwrap();
    let fields: Vec<&str> = h.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "created",
            "decision",
            "grade",
            "decision_date",
            "plan_doc_number",
            "plan_estimated_date",
            "it_acceptance_estimated"
        ]
    );
    let decision = &h[1];
    assert_eq!(decision.field_label, "决策结果");
    assert_eq!(decision.new_value.as_deref(), Some("做"));
    assert_eq!(decision.actor, "李小四");
    assert!(
        decision.happened_at.starts_with("2014-06-21T10:45"),
        "backdated: {}",
        decision.happened_at
    );
    assert!(
        decision.recorded_at > decision.happened_at,
        "recorded later than it happened"
    );
    assert_eq!(h[4].actor, "王产品");
    // recording the same values again changes nothing and adds no history
    db.record_decision(
        &collector,
        &r.number,
        &decide(Decision::Do, Some(Grade::C), ""),
    )
    .unwrap();
    assert_eq!(db.history("requirement", r.id).unwrap().len(), h.len());
}

#[test]
fn a_step_cannot_have_happened_in_the_future() {
    let mut db = memory_db();
    let r = db
        .create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
        .unwrap();
    let mut d = decide(Decision::Discuss, None, "");
    d.at.happened_at = Some("2999-01-01 10:00".into());
    let e = db.record_decision(&actor(), &r.number, &d).unwrap_err();
    assert_eq!(e.field(), Some("happened_at"));
}

#[test]
fn withdrawn_requirements_keep_their_number_and_leave_the_register() {
    let mut db = memory_db();
    let r = db
        .create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
        .unwrap();
    db.create_requirement(&actor(), &report("2014-06-19", "张三", "", "二"))
        .unwrap();
    let w = db
        .withdraw_requirement(&actor(), &r.number, "重复登记", &StepTime::default())
        .unwrap();
    assert!(w.withdrawn_at.is_some());
    assert_eq!(all(&db).len(), 1);
    let with = db
        .register(
            &RegisterQuery {
                include_withdrawn: true,
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap();
    assert_eq!(with.total, 2);
    assert!(with
        .rows
        .iter()
        .any(|r| r.number == "14061901" && r.withdrawn));
    // a withdrawn requirement cannot move on until restored
    assert_eq!(
        db.record_decision(&actor(), &r.number, &decide(Decision::Discuss, None, ""))
            .unwrap_err()
            .kind(),
        "conflict"
    );
    db.restore_requirement(&actor(), &r.number, &StepTime::default())
        .unwrap();
    assert_eq!(all(&db).len(), 2);
    let fields: Vec<String> = db
        .history("requirement", r.id)
        .unwrap()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert!(
        fields.contains(&"withdrawn".to_string()) && fields.contains(&"restored".to_string()),
        "{fields:?}"
    );
    assert_eq!(
        db.create_requirement(&actor(), &report("2014-06-19", "张三", "", "三"))
            .unwrap()
            .number,
        "14061903"
    );
}

#[test]
fn register_filters_search_sort_and_pages() {
    let mut db = memory_db();
    let a = actor();
    let specs = [
        ("2014-06-19", "张三", "郭主任", "问卷自动计分"),
        ("2014-06-19", "李四", "沈院", "对接药房费用"),
        ("2014-06-20", "张三", "王总", "病历夹搜索"),
        ("2014-06-23", "王五", "何院长", "患者自评量表"),
    ];
    for (d, rep, req, b) in specs {
        db.create_requirement(&a, &report(d, rep, req, b)).unwrap();
    }
    let mut words = report("2014-06-23", "王五", "", "语音病历");
    words.doctor_words = "能不能把我说的话直接变成病历？".into();
    db.create_requirement(&a, &words).unwrap();
    db.record_decision(&a, "14061901", &decide(Decision::Do, Some(Grade::C), ""))
        .unwrap();
    db.record_decision(&a, "14061902", &decide(Decision::DoNot, None, ""))
        .unwrap();
    db.record_decision(&a, "14062001", &decide(Decision::Do, Some(Grade::A), ""))
        .unwrap();

    let q = |f: &dyn Fn(&mut RegisterQuery)| {
        let mut q = RegisterQuery {
            limit: None,
            ..Default::default()
        };
        f(&mut q);
        db.register(&q, genjin::clock::today())
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.number)
            .collect::<Vec<_>>()
    };
    assert_eq!(q(&|q| q.status = Some("完成".into())), ["14061902"]);
    assert_eq!(q(&|q| q.status = Some("空".into())).len(), 4);
    assert_eq!(
        q(&|q| q.decision = Some("做".into())),
        ["14061901", "14062001"]
    );
    assert_eq!(
        q(&|q| q.decision = Some("未决策".into())),
        ["14062301", "14062302"]
    );
    assert_eq!(q(&|q| q.grade = Some("a".into())), ["14062001"]);
    assert_eq!(
        q(&|q| q.reporter = Some("张三".into())),
        ["14061901", "14062001"]
    );
    assert_eq!(
        q(&|q| {
            q.received_from = Some("2014-06-20".into());
            q.received_to = Some("20140622".into());
        }),
        ["14062001"]
    );
    assert_eq!(
        q(&|q| q.search = Some("病历".into())),
        ["14062001", "14062302"],
        "brief and doctor's words"
    );
    assert_eq!(q(&|q| q.search = Some("沈院".into())), ["14061902"]);
    assert_eq!(
        q(&|q| q.search = Some("１４０６２３".into())),
        ["14062301", "14062302"],
        "full-width digits"
    );
    assert_eq!(
        q(&|q| q.search = Some("%".into())),
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(
        q(&|q| {
            q.sort = SortKey::Grade;
        }),
        ["14062001", "14061901", "14061902", "14062301", "14062302"],
        "graded first (A, C), then the empty ones by number"
    );
    assert_eq!(
        q(&|q| {
            q.sort = SortKey::Reporter;
            q.descending = true;
        })[0],
        "14062001",
        "by pinyin (issue 20): 张三 (zhang) > 王五 (wang) > 李四 (li)"
    );
    let page = db
        .register(
            &RegisterQuery {
                offset: 2,
                limit: Some(2),
                descending: true,
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(
        page.rows
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>(),
        ["14062001", "14061902"]
    );
    let e = db
        .register(
            &RegisterQuery {
                status: Some("进行".into()),
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("status"));
    let e = db
        .register(
            &RegisterQuery {
                received_from: Some("2014-13-01".into()),
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("2014-13-01"), "{e}");
}

#[test]
fn overdue_is_flagged_when_the_promised_date_passes() {
    let mut db = memory_db();
    let r = db
        .create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
        .unwrap();
    db.record_decision(
        &actor(),
        &r.number,
        &decide(Decision::Do, Some(Grade::B), ""),
    )
    .unwrap();
    db.record_expected_delivery(&actor(), &r.number, &day("2014-06-25"))
        .unwrap();
    assert!(all(&db)[0].overdue);
    db.record_completion(&actor(), &r.number, &day("2014-06-30"))
        .unwrap();
    let row = &all(&db)[0];
    assert!(!row.overdue);
    assert_eq!(row.status, Status::Done.label());
}

/// Issue 8: the register's 逾期 filter selects exactly the rows flagged overdue, as of the day
/// asked; an approved delay moves the day.
#[test]
fn the_overdue_filter_agrees_with_the_rows_flag() {
    let mut db = memory_db();
    for (brief, expected, done) in [
        ("过期未完成", Some("2014-06-25"), None),
        ("过期已完成", Some("2014-06-25"), Some("2014-06-30")),
        ("未到期", Some("2014-07-25"), None),
        ("无承诺", None, None),
    ] {
        let r = db
            .create_requirement(&actor(), &report("2014-06-19", "张三", "", brief))
            .unwrap();
        db.record_decision(
            &actor(),
            &r.number,
            &decide(Decision::Do, Some(Grade::B), ""),
        )
        .unwrap();
        if let Some(e) = expected {
            db.record_expected_delivery(&actor(), &r.number, &day(e))
                .unwrap();
        }
        if let Some(c) = done {
            db.record_completion(&actor(), &r.number, &day(c)).unwrap();
        }
    }
    let on = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    for today in ["2014-06-20", "2014-06-26", "2014-07-26"] {
        let flagged: Vec<String> = db
            .register(
                &RegisterQuery {
                    limit: None,
                    ..Default::default()
                },
                on(today),
            )
            .unwrap()
            .rows
            .into_iter()
            .filter(|r| r.overdue)
            .map(|r| r.brief)
            .collect();
        let page = db
            .register(
                &RegisterQuery {
                    status: Some("逾期".into()),
                    limit: None,
                    ..Default::default()
                },
                on(today),
            )
            .unwrap();
        let filtered: Vec<String> = page.rows.into_iter().map(|r| r.brief).collect();
        assert_eq!(filtered, flagged, "as of {today}");
        assert_eq!(page.total as usize, flagged.len());
    }
    let late = db
        .register(
            &RegisterQuery {
                status: Some("逾期".into()),
                limit: None,
                ..Default::default()
            },
            on("2014-07-26"),
        )
        .unwrap();
    assert_eq!(late.total, 2, "过期未完成 and 未到期 (passed by then)");
}

/// Issue 8: keywords separated by spaces are all required, each in any searched column.
#[test]
fn search_keywords_are_anded() {
    let mut db = memory_db();
    for (brief, requester) in [
        ("随访 短信", ""),
        ("随访 问卷", ""),
        ("短信 提醒", "随访科"),
    ] {
        db.create_requirement(&actor(), &report("2014-06-19", "张三", requester, brief))
            .unwrap();
    }
    let find = |s: &str| {
        let mut v: Vec<String> = db
            .register(
                &RegisterQuery {
                    search: Some(s.into()),
                    limit: None,
                    ..Default::default()
                },
                genjin::clock::today(),
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.brief)
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        find("随访 短信"),
        ["短信 提醒", "随访 短信"],
        "the second in 需求人"
    );
    assert_eq!(
        find("随访　问卷"),
        ["随访 问卷"],
        "a full-width space separates too"
    );
    assert_eq!(find(" 随访  "), ["短信 提醒", "随访 短信", "随访 问卷"]);
    assert!(find("随访 药房").is_empty());
}

#[test]
fn notifications_close_the_loop() {
    use genjin::domain::notify::{Audience, Step};
    let mut db = memory_db();
    let r = db
        .create_requirement(
            &actor(),
            &report("2014-06-19", "刘小妹", "郭主任", "问卷自动计分"),
        )
        .unwrap();
    assert!(
        db.notifications(&r.number).unwrap().is_empty(),
        "nothing to tell before a decision"
    );
    let premature = NewNotification {
        step: Step::Completion,
        audience: Audience::Reporter,
        recipient: String::new(),
        channel: "QQ".into(),
        message: String::new(),
        sent_at: None,
        confirmed: false,
    };
    assert_eq!(
        db.record_notification(&actor(), &r.number, &premature)
            .unwrap_err()
            .kind(),
        "conflict"
    );

    db.record_decision(
        &actor(),
        &r.number,
        &decide(Decision::Do, Some(Grade::C), ""),
    )
    .unwrap();
    let due = db.notifications(&r.number).unwrap();
    let who: Vec<(Step, Audience)> = due.iter().map(|d| (d.step, d.audience)).collect();
    assert_eq!(
        who,
        [
            (Step::Decision, Audience::Reporter),
            (Step::Decision, Audience::Requester),
            (Step::Decision, Audience::It)
        ]
    );
    assert!(due
        .iter()
        .all(|d| d.message.contains("14061901") && !d.sent));
    assert_eq!(due[0].recipient, "刘小妹");
    assert_eq!(due[1].recipient, "郭主任");

    let sent = db
        .record_notification(
            &actor(),
            &r.number,
            &NewNotification {
                step: Step::Decision,
                audience: Audience::Reporter,
                sent_at: Some("2014-06-21 11:10".into()),
                ..premature
            },
        )
        .unwrap();
    assert_eq!(sent.recipient, "刘小妹", "defaults to the reporter");
    assert!(
        sent.message.contains("决策结果：做"),
        "defaults to the composed message"
    );
    assert!(sent.confirmed_at.is_none());
    let confirmed = db
        .confirm_notification(&actor(), sent.id, Some("2014-06-21 11:30"))
        .unwrap();
    assert!(confirmed
        .confirmed_at
        .unwrap()
        .starts_with("2014-06-21T11:30"));
    let due = db.notifications(&r.number).unwrap();
    assert!(due[0].sent && due[0].confirmed);
    assert!(!due[1].sent);
    let fields: Vec<String> = db
        .history("requirement", r.id)
        .unwrap()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert!(
        fields.ends_with(&["notification".into(), "notification_confirmed".into()]),
        "{fields:?}"
    );
}

#[test]
fn people_are_unique_per_department_and_edits_are_recorded() {
    let mut db = memory_db();
    use genjin::domain::people::Role;
    let p = db
        .add_person(
            &actor(),
            &PersonInput {
                name: " 李小四 ".into(),
                department: "资讯部".into(),
                roles: vec![Role::Collector],
                active: None,
                version: None,
            },
        )
        .unwrap();
    assert_eq!(p.name, "李小四");
    // the first person of a fresh database holds the roles ticked (issue 19) and operates it
    assert_eq!(p.roles, vec![Role::Collector]);
    assert_eq!(db.operator().unwrap().unwrap().id, p.id);
    let li = crate::common::actor_in(&db, "李小四");
    let dup = PersonInput {
        name: "李小四".into(),
        department: "资讯部".into(),
        ..Default::default()
    };
    assert_eq!(db.add_person(&li, &dup).unwrap_err().kind(), "conflict");
    let other = PersonInput {
        department: "推广部".into(),
        roles: vec![Role::Collector],
        ..dup.clone()
    };
    let o = db.add_person(&li, &other).unwrap();
    db.set_operator(o.id).unwrap();
    assert_eq!(db.operator().unwrap().unwrap().id, o.id);
    // (one's own roles are another's to change: issue 19)
    let other_li = Actor::new(Some(o.id), "李小四", "test", genjin::clock::now());
    let upd = db
        .update_person(
            &other_li,
            p.id,
            &PersonInput {
                name: "李小四".into(),
                department: "资讯部".into(),
                roles: vec![Role::Collector, Role::Reporter],
                active: Some(false),
                version: None,
            },
        )
        .unwrap();
    assert!(!upd.active);
    let h = db.history("person", p.id).unwrap();
    assert_eq!(
        h.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["created", "roles", "active"]
    );
    assert_eq!(h[1].new_value.as_deref(), Some("需求报告人、需求收集人"));
    // a person's edit names the version it saw, as a requirement's does (the change engine)
    assert_eq!(upd.version, p.version + 1);
    let stale = PersonInput {
        name: "李小四".into(),
        department: "资讯部".into(),
        version: Some(p.version),
        ..Default::default()
    };
    let e = db.update_person(&other_li, p.id, &stale).unwrap_err();
    assert_eq!(e.kind(), "conflict");
    assert!(e.to_string().contains("人员 李小四 已被他人修改"), "{e}");
}

#[test]
fn requirements_link_to_a_known_reporter() {
    let mut db = memory_db();
    let p = db
        .add_person(
            &actor(),
            &PersonInput {
                name: "张三".into(),
                roles: vec![genjin::domain::people::Role::Collector],
                ..Default::default()
            },
        )
        .unwrap();
    let r = db
        .create_requirement(
            &crate::common::actor_in(&db, "张三"),
            &report("2014-06-19", "张三", "", "一"),
        )
        .unwrap();
    assert_eq!(r.reporter, p.name);
    assert!(db.reporters().unwrap().contains(&"张三".to_string()));
}

#[test]
fn monthly_numbering_is_a_setting() {
    let mut db = memory_db();
    db.configure(&actor(), "numbering.requirement.scheme", "YYYYMM-NNN")
        .unwrap();
    assert_eq!(
        db.create_requirement(&actor(), &report("2024-05-09", "张三", "", "一"))
            .unwrap()
            .number,
        "202405-001"
    );
    assert_eq!(
        db.create_requirement(&actor(), &report("2024-05-30", "张三", "", "二"))
            .unwrap()
            .number,
        "202405-002"
    );
    assert_eq!(
        db.configure(&actor(), "numbering.requirement.scheme", "NNN")
            .unwrap_err()
            .kind(),
        "invalid"
    );
    assert_eq!(
        db.configure(&actor(), "no.such.key", "x")
            .unwrap_err()
            .kind(),
        "invalid"
    );
}

#[test]
fn edits_of_the_report_keep_number_and_received_date() {
    let mut db = memory_db();
    let r = db
        .create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
        .unwrap();
    let mut edit = report("2014-06-20", "张三", "", "一");
    let e = db
        .update_requirement(&actor(), &r.number, &edit)
        .unwrap_err();
    assert_eq!(e.field(), Some("received_date"));
    edit.received_date = String::new();
    edit.doctor_words = "  原话，前后空格也保留  ".into();
    edit.brief = "问卷 自动计分".into();
    let r2 = db.update_requirement(&actor(), &r.number, &edit).unwrap();
    assert_eq!(r2.doctor_words, "  原话，前后空格也保留  ", "verbatim");
    assert_eq!(r2.brief, "问卷 自动计分");
    assert_eq!(r2.number, r.number);
    let long = report("", "张三", "", &"长".repeat(51));
    assert_eq!(
        db.update_requirement(&actor(), &r.number, &long)
            .unwrap_err()
            .field(),
        Some("brief")
    );
}

#[test]
fn the_database_file_survives_reopening_and_backs_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    {
        let mut db = genjin::store::Db::open(&path).unwrap();
        db.create_requirement(&actor(), &report("2014-06-19", "张三", "", "一"))
            .unwrap();
    }
    let db = genjin::store::Db::open(&path).unwrap();
    assert_eq!(db.requirement("14061901").unwrap().brief, "一");
    let copy = dir.path().join("copy.sqlite3");
    db.backup_to(&copy).unwrap();
    assert_eq!(
        genjin::store::Db::open(&copy)
            .unwrap()
            .requirement("14061901")
            .unwrap()
            .brief,
        "一"
    );
}
