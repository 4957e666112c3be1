//! Issue 13, roles: every change the core makes is allowed only to listed people holding a role
//! that may make it (`Action::roles`), for the window and the command line alike. The role
//! matrix as a table: for each action, someone holding each single role tries it on a database
//! where it can be done; it succeeds exactly when the matrix says so, and an actor who is not a
//! listed person is refused with the `forbidden` kind.

use genjin::domain::delay::{Opinion, SignLevel};
use genjin::domain::people::{Action, Role};
use genjin::domain::requirement::{Decision, Grade};
use genjin::excel::import::Source;
use genjin::store::{
    Actor, BugEdit, BugInput, Db, DecisionInput, DelayInput, DeliveryInput, FixInput,
    ItAcceptanceInput, NewNotification, PersonInput, PlanInput, ReproduceInput, RequirementInput,
    ResponsibleInput, SignInput, StepTime,
};

fn actor_of(db: &Db, name: &str) -> Actor {
    let id = db.person_by_name(name).unwrap().map(|p| p.id);
    Actor::new(id, name, "test", genjin::clock::now())
}

fn add(db: &mut Db, by: &Actor, name: &str, roles: Vec<Role>) {
    db.add_person(
        by,
        &PersonInput {
            name: name.into(),
            department: String::new(),
            roles,
            active: None,
            version: None,
        },
    )
    .unwrap();
}

fn report(received: &str, brief: &str) -> RequirementInput {
    RequirementInput {
        received_date: received.into(),
        reporter: "刘小妹".into(),
        requester: "郭主任".into(),
        brief: brief.into(),
        ..Default::default()
    }
}

fn decision(d: Decision) -> DecisionInput {
    DecisionInput {
        decision: d,
        grade: d.leads_to_work().then_some(Grade::C),
        conversion_summary: String::new(),
        decision_date: String::new(),
        at: StepTime {
            happened_at: Some("2014-06-21 10:30".into()),
            version: None,
        },
    }
}

fn bug(reporter: &str) -> BugInput {
    BugInput {
        found_date: "2014-06-20".into(),
        received_date: "2014-06-20".into(),
        reporter: reporter.into(),
        phone_model: "华为".into(),
        os_version: "Android 14".into(),
        content: "闪退".into(),
        ..Default::default()
    }
}

/// A database where every action can be done: its first person 管理员 (every role) set it up;
/// 14061901 is undecided, 14061902 decided 做 with a promised date and a delay filed; bug
/// B14062001 reported, bug B14062002 reproduced; one person per single role, and 李主管 to sign.
fn world() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let boss = Actor::new(None, "管理员", "test", genjin::clock::now());
    add(&mut db, &boss, "管理员", vec![Role::Collector]);
    let a = actor_of(&db, "管理员");
    for r in Role::ALL {
        add(&mut db, &a, &format!("只有{}", r.label()), vec![*r]);
    }
    add(&mut db, &a, "李主管", vec![Role::Reporter]);
    db.create_requirement(&a, &report("2014-06-19", "一"))
        .unwrap();
    db.create_requirement(&a, &report("2014-06-19", "二"))
        .unwrap();
    db.record_decision(&a, "14061902", &decision(Decision::Do))
        .unwrap();
    db.record_expected_delivery(
        &a,
        "14061902",
        &DeliveryInput {
            date: "2014-07-10".into(),
            at: StepTime::default(),
        },
    )
    .unwrap();
    db.file_delay(
        &a,
        "14061902",
        &DelayInput {
            new_date: "2014-07-20".into(),
            reason: "实现难度大".into(),
            filed_date: "2014-07-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    db.report_bug(&a, &bug("刘小妹"), &[]).unwrap();
    db.report_bug(&a, &bug("刘小妹"), &[]).unwrap();
    let tester = actor_of(&db, "只有测试");
    db.reproduce_bug(
        &tester,
        "B14062002",
        &ReproduceInput {
            reproduced: true,
            at: StepTime {
                happened_at: Some("2014-06-21 09:00".into()),
                version: None,
            },
            ..Default::default()
        },
    )
    .unwrap();
    db
}

/// The action tried once on a fresh world.
fn attempt(action: Action, db: &mut Db, who: &Actor) -> genjin::error::Result<()> {
    let at = StepTime::default();
    match action {
        Action::Register => db
            .create_requirement(who, &report("2014-06-20", "三"))
            .map(drop),
        Action::Decide => db
            .record_decision(who, "14061901", &decision(Decision::DoNot))
            .map(drop),
        Action::Plan => db
            .record_plan(
                who,
                "14061902",
                &PlanInput {
                    plan_doc_number: "CH-1".into(),
                    plan_estimated_date: "2014-06-25".into(),
                    plan_actual_date: String::new(),
                    at,
                },
            )
            .map(drop),
        Action::Acceptance => db
            .record_it_acceptance(
                who,
                "14061902",
                &ItAcceptanceInput {
                    estimated: "2014-07-05".into(),
                    actual: String::new(),
                    at,
                },
            )
            .map(drop),
        Action::Deliver => db
            .record_completion(
                who,
                "14061902",
                &DeliveryInput {
                    date: "2014-07-08".into(),
                    at,
                },
            )
            .map(drop),
        Action::Responsible => db
            .set_responsible(
                who,
                "14061902",
                &ResponsibleInput {
                    product_manager: Some("只有产品经理".into()),
                    ..Default::default()
                },
            )
            .map(drop),
        Action::Withdraw => db
            .withdraw_requirement(who, "14061901", "重复登记", &at)
            .map(drop),
        Action::Notify => db
            .record_notification(
                who,
                "14061902",
                &NewNotification {
                    step: genjin::domain::notify::Step::Decision,
                    audience: genjin::domain::notify::Audience::Reporter,
                    recipient: String::new(),
                    channel: genjin::domain::notify::Channel::Qq,
                    message: String::new(),
                    sent_at: None,
                    confirmed: false,
                },
            )
            .map(drop),
        Action::FileDelay => {
            let id = db.delays(Some("14061902")).unwrap()[0].id;
            db.withdraw_delay(who, id, "不再需要", &at).map(drop)
        }
        Action::SignDelay => {
            let id = db.delays(Some("14061902")).unwrap()[0].id;
            db.sign_delay(
                who,
                id,
                &SignInput {
                    level: SignLevel::Direct,
                    opinion: Opinion::Agree,
                    signer: "李主管".into(),
                    comment: String::new(),
                    date: "2014-07-02".into(),
                    at,
                },
            )
            .map(drop)
        }
        Action::ReportBug => db.report_bug(who, &bug("陈晨"), &[]).map(drop),
        Action::TriageBug => db
            .edit_bug(
                who,
                "B14062001",
                &BugEdit {
                    content: Some("打开问卷闪退".into()),
                    ..Default::default()
                },
            )
            .map(drop),
        Action::ReproduceBug => db
            .reproduce_bug(
                who,
                "B14062001",
                &ReproduceInput {
                    reproduced: true,
                    ..Default::default()
                },
            )
            .map(drop),
        Action::FixBug => db
            .fix_bug(
                who,
                "B14062002",
                &FixInput {
                    date: "2014-06-22".into(),
                    ..Default::default()
                },
            )
            .map(drop),
        Action::BugToRequirement => db.bug_to_requirement(who, "B14062001").map(drop),
        Action::Weekly => db
            .record_weekly_sent(
                who,
                chrono::NaiveDate::from_ymd_opt(2014, 6, 20).unwrap(),
                Some("2014-06-20 09:00"),
            )
            .map(drop),
        Action::Rules => db.configure(who, "assessment.band_low", "30"),
        Action::Settings => db.add_list_item(who, "department", "财务部"),
        Action::People => add_checked(db, who, "新同事", vec![Role::Reporter]),
        Action::Import => {
            let bytes = std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../shared/fixtures/legacy/需求登记反馈表_2015.xls"),
            )
            .unwrap();
            let parsed = genjin::excel::import::parse(&[Source::new("2015.xls", bytes)], &[]);
            db.import_commit(
                who,
                &parsed,
                genjin::store::ConflictPolicy::KeepExisting,
                &mut |_, _| {},
                &std::sync::atomic::AtomicBool::new(false),
            )
            .map(drop)
        }
        Action::Restore => {
            let dir = tempfile::tempdir().unwrap();
            let copy = dir.path().join("copy.sqlite3");
            db.backup_to(&copy).unwrap();
            db.restore_from(who, &copy).map(drop)
        }
        Action::Erase => db
            .erase_personal_data(who, "14061902", "本人要求删除")
            .map(drop),
    }
}

fn add_checked(db: &mut Db, by: &Actor, name: &str, roles: Vec<Role>) -> genjin::error::Result<()> {
    db.add_person(
        by,
        &PersonInput {
            name: name.into(),
            department: String::new(),
            roles,
            active: None,
            version: None,
        },
    )
    .map(drop)
}

#[test]
fn the_role_matrix_is_enforced_for_every_action() {
    for action in Action::ALL {
        for role in Role::ALL {
            let mut db = world();
            let who = actor_of(&db, &format!("只有{}", role.label()));
            let result = attempt(*action, &mut db, &who);
            if action.allowed(&[*role]) {
                assert!(result.is_ok(), "{action:?} by {role:?}: {:?}", result.err());
            } else {
                let e = result.expect_err(&format!("{action:?} by {role:?} was let through"));
                assert_eq!(e.kind(), "forbidden", "{action:?} by {role:?}: {e}");
                assert!(e.to_string().contains(action.label()), "{e}");
            }
        }
        // someone not in the people list may do nothing once people are listed
        let mut db = world();
        let stranger = Actor::new(None, "路人甲", "cli", genjin::clock::now());
        let e = attempt(*action, &mut db, &stranger).unwrap_err();
        assert_eq!(e.kind(), "forbidden", "{action:?} by a stranger: {e}");
        assert!(e.to_string().contains("不在人员名单"), "{e}");
    }
}

#[test]
fn a_fresh_database_lets_its_first_person_in_with_every_role() {
    let mut db = Db::open_in_memory().unwrap();
    let anyone = Actor::new(None, "命令行", "cli", genjin::clock::now());
    // before anyone is listed, anyone may set up
    db.create_requirement(&anyone, &report("2014-06-19", "一"))
        .unwrap();
    add(&mut db, &anyone, "李小四", vec![Role::Reporter]);
    let first = db.person_by_name("李小四").unwrap().unwrap();
    assert_eq!(first.roles, Role::ALL.to_vec(), "every role");
    assert_eq!(db.operator().unwrap().unwrap().id, first.id, "and operates");
    // from then on only listed people act
    let e = db
        .create_requirement(&anyone, &report("2014-06-19", "二"))
        .unwrap_err();
    assert_eq!(e.kind(), "forbidden");
    let li = actor_of(&db, "李小四");
    db.record_decision(&li, "14061901", &decision(Decision::Do))
        .unwrap();
    // a later person gets the roles given, and the operator stays
    add(&mut db, &li, "王五", vec![Role::Tester]);
    assert_eq!(
        db.person_by_name("王五").unwrap().unwrap().roles,
        vec![Role::Tester]
    );
    assert_eq!(db.operator().unwrap().unwrap().name, "李小四");
    // the last person who may manage people cannot lock everyone out
    let e = db
        .update_person(
            &li,
            first.id,
            &PersonInput {
                name: "李小四".into(),
                department: String::new(),
                roles: vec![Role::Reporter],
                active: None,
                version: None,
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), "forbidden");
    assert!(e.to_string().contains("最后一位"), "{e}");
}

/// A database where no active person may manage people (made before roles were enforced, or
/// every manager deactivated) is not locked for good: any listed person may put the list right.
#[test]
fn a_database_without_a_manager_lets_a_listed_person_fix_the_roles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    {
        let mut db = Db::open(&path).unwrap();
        let anyone = Actor::new(None, "设置", "test", genjin::clock::now());
        add(&mut db, &anyone, "李小四", vec![]);
        let li = actor_of(&db, "李小四");
        add(&mut db, &li, "刘小妹", vec![Role::Reporter]);
    }
    // as an older Genjin left it: nobody holds a managing role
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE people SET roles = 'reporter'", [])
        .unwrap();
    let mut db = Db::open(&path).unwrap();
    let liu = actor_of(&db, "刘小妹");
    let e = db.configure(&liu, "backup.keep", "5").unwrap_err();
    assert_eq!(
        e.kind(),
        "forbidden",
        "other changes still need their roles"
    );
    let li = db.person_by_name("李小四").unwrap().unwrap();
    db.update_person(
        &liu,
        li.id,
        &PersonInput {
            name: "李小四".into(),
            department: String::new(),
            roles: vec![Role::Collector],
            active: None,
            version: None,
        },
    )
    .unwrap();
    // now there is a manager again, and only they may manage
    let e = add_checked(&mut db, &liu, "王五", vec![Role::Tester]).unwrap_err();
    assert_eq!(e.kind(), "forbidden");
    let li = actor_of(&db, "李小四");
    add_checked(&mut db, &li, "王五", vec![Role::Tester]).unwrap();
}
