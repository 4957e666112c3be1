//! Issue 13, personal data: erased on request (PIPL art. 47) — from the record, its history, its
//! notices and the search index, the record and its number kept with one history row — and
//! masked in exports when the setting says so.

use crate::common::{actor_in, report};
use genjin::store::{Db, NewNotification, PersonInput, RegisterQuery, RequirementInput};

fn with_doctor() -> RequirementInput {
    RequirementInput {
        doctor_name: "郭建国".into(),
        app_account: "yx250930".into(),
        doctor_words: "随访问卷能不能自动算分？请回电 13812345678".into(),
        overview: "问卷自动算分，联系 13812345678".into(),
        hospital: "省二院".into(),
        ..report("2014-06-19", "刘小妹", "郭主任", "问卷自动计分")
    }
}

fn found(db: &Db, words: &str) -> usize {
    db.register(
        &RegisterQuery {
            search: Some(words.into()),
            include_withdrawn: true,
            limit: None,
            ..Default::default()
        },
        genjin::clock::today(),
    )
    .unwrap()
    .rows
    .len()
}

#[test]
fn personal_data_is_erased_everywhere_and_the_record_stays() {
    let mut db = Db::open_in_memory().unwrap();
    let setup = genjin::store::Actor::new(None, "设置", "test", genjin::clock::now());
    db.add_person(
        &setup,
        &PersonInput {
            name: "李小四".into(),
            roles: genjin::domain::people::Role::ALL.to_vec(),
            ..Default::default()
        },
    )
    .unwrap();
    let li = actor_in(&db, "李小四");
    let r = db.create_requirement(&li, &with_doctor()).unwrap();
    // an edit: the history now holds the doctor's words twice
    db.update_requirement(
        &li,
        &r.number,
        &RequirementInput {
            doctor_words: "问卷能自动算分吗？电话 13812345678".into(),
            version: Some(r.version),
            ..with_doctor()
        },
    )
    .unwrap();
    db.record_decision(
        &li,
        &r.number,
        &genjin::store::DecisionInput {
            decision: genjin::domain::requirement::Decision::DoNot,
            grade: None,
            conversion_summary: String::new(),
            decision_date: String::new(),
            at: Default::default(),
        },
    )
    .unwrap();
    db.record_notification(
        &li,
        &r.number,
        &NewNotification {
            step: genjin::domain::notify::Step::Decision,
            audience: genjin::domain::notify::Audience::Reporter,
            recipient: String::new(),
            channel: genjin::domain::notify::Channel::Phone,
            message: "郭建国医生（13812345678）的需求已收到".into(),
            sent_at: None,
            confirmed: false,
        },
    )
    .unwrap();
    db.index_search().unwrap();
    assert_eq!(found(&db, "郭建国"), 1, "searchable before");
    let history_text = |db: &Db| -> String {
        db.requirement_history(r.id)
            .unwrap()
            .iter()
            .map(|e| format!("{:?}|{:?}", e.old_value, e.new_value))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(history_text(&db).contains("13812345678"));

    let e = db.erase_personal_data(&li, &r.number, " ").unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    let erased = db
        .erase_personal_data(&li, &r.number, "本人要求删除")
        .unwrap();
    assert_eq!(erased.number, "14061901", "the record and its number stay");
    assert_eq!(erased.doctor_name, "已删除");
    assert_eq!(erased.app_account, "已删除");
    assert_eq!(erased.doctor_words, "已删除");
    assert_eq!(erased.overview, "问卷自动算分，联系 138****5678");
    assert_eq!(erased.hospital, "省二院", "not personal data");
    assert_eq!(erased.brief, "问卷自动计分");
    let h = history_text(&db);
    assert!(
        !h.contains("郭建国") && !h.contains("13812345678") && !h.contains("yx250930"),
        "{h}"
    );
    // other history is untouched: the number in the row that created it is no phone number
    assert!(
        db.requirement_history(r.id)
            .unwrap()
            .iter()
            .any(|e| e.field == "created" && e.new_value.as_deref() == Some("14061901")),
        "{h}"
    );
    assert_eq!(erased.requester, "已删除", "需求人 is the person too");
    let last = db.requirement_history(r.id).unwrap();
    let row = last
        .iter()
        .find(|e| e.field == "personal_data_erased")
        .expect("a history row says it");
    assert_eq!(row.new_value.as_deref(), Some("本人要求删除"));
    assert_eq!(row.actor, "李小四");
    let notes = db.notifications(&r.number).unwrap();
    let messages: Vec<&str> = notes
        .iter()
        .flat_map(|d| d.records.iter().map(|n| n.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages, ["已删除医生（138****5678）的需求已收到"]);
    db.index_search().unwrap();
    assert_eq!(
        found(&db, "郭建国"),
        0,
        "no longer found by the doctor's name"
    );
    assert_eq!(found(&db, "问卷"), 1, "the requirement still is");
}

#[test]
fn exports_mask_personal_data_when_the_setting_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let mut db = Db::open(&path).unwrap();
    let anyone = genjin::store::Actor::new(None, "设置", "test", genjin::clock::now());
    let r = db.create_requirement(&anyone, &with_doctor()).unwrap();
    let cells = |out: &std::path::Path| -> String {
        use calamine::{open_workbook, Reader, Xlsx};
        let mut book: Xlsx<_> = open_workbook(out).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        range
            .cells()
            .map(|(_, _, v)| v.to_string())
            .collect::<Vec<_>>()
            .join("|")
    };
    let plain = dir.path().join("plain.xlsx");
    genjin::api::exports::report_form(
        &db,
        Some(&r.number),
        &plain,
        genjin::excel::save::Existing::Keep,
    )
    .unwrap();
    let text = cells(&plain);
    assert!(text.contains("郭建国") && text.contains("yx250930") && text.contains("13812345678"));
    db.configure(&anyone, "privacy.mask_exports", "on").unwrap();
    let masked = dir.path().join("masked.xlsx");
    genjin::api::exports::report_form(
        &db,
        Some(&r.number),
        &masked,
        genjin::excel::save::Existing::Keep,
    )
    .unwrap();
    let text = cells(&masked);
    assert!(text.contains("郭**") && text.contains("yx****30"), "{text}");
    assert!(text.contains("138****5678"), "{text}");
    assert!(
        !text.contains("郭建国") && !text.contains("13812345678") && !text.contains("yx250930"),
        "{text}"
    );
    // the record itself keeps them: masking is for what leaves the database
    assert_eq!(db.requirement(&r.number).unwrap().doctor_name, "郭建国");
}

/// Erased personal data is not brought back by importing the old register again, even when the
/// file's values are taken over the stored ones.
#[test]
fn a_reimport_does_not_bring_erased_data_back() {
    let mut db = Db::open_in_memory().unwrap();
    let anyone = genjin::store::Actor::new(None, "设置", "test", genjin::clock::now());
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/legacy/需求登记反馈表_2014.xlsx");
    let import = |db: &mut Db, policy| {
        db.import_paths(&anyone, std::slice::from_ref(&file), &[], policy)
            .unwrap()
    };
    import(&mut db, genjin::store::ConflictPolicy::KeepExisting);
    let r = db
        .register(
            &RegisterQuery {
                limit: None,
                ..Default::default()
            },
            genjin::clock::today(),
        )
        .unwrap()
        .rows
        .into_iter()
        .find(|r| !r.requester.is_empty())
        .expect("a row with a 需求人");
    let asked = r.requester.clone();
    db.erase_personal_data(&anyone, &r.number, "本人要求删除")
        .unwrap();
    import(&mut db, genjin::store::ConflictPolicy::TakeFile);
    let after = db.requirement(&r.number).unwrap();
    assert_eq!(after.requester, "已删除", "not {asked} again");
}
