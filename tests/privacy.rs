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
            decision_reason: String::new(),
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
            channel: "电话".into(),
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

/// The whole database file and its side files as bytes, to look for what must be gone.
fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut all = std::fs::read(path).unwrap();
    for side in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(side);
        if let Ok(b) = std::fs::read(std::path::PathBuf::from(p)) {
            all.extend(b);
        }
    }
    all
}

fn holds(bytes: &[u8], text: &str) -> bool {
    let t = text.as_bytes();
    bytes.windows(t.len()).any(|w| w == t)
}

/// Issue 19: erased means erased — the notices' and confirmations' history rows, the search
/// index (no two-character piece of the name left in the file), the backups it can reach; a
/// re-import with --on-conflict take brings neither name nor phone back; bugs can be erased.
#[test]
fn issue_19_erased_means_erased() {
    use genjin::domain::notify::{Audience, Step};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let mut db = Db::open(&path).unwrap();
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
    db.record_decision(
        &li,
        &r.number,
        &genjin::store::DecisionInput {
            decision: genjin::domain::requirement::Decision::DoNot,
            grade: None,
            conversion_summary: String::new(),
            decision_reason: String::new(),
            decision_date: String::new(),
            at: Default::default(),
        },
    )
    .unwrap();
    // the requester told by name, and confirming
    let told = db
        .record_notification(
            &li,
            &r.number,
            &NewNotification {
                step: Step::Decision,
                audience: Audience::Requester,
                recipient: "郭建国".into(),
                channel: "电话".into(),
                message: "郭建国医生您好，您的需求不做".into(),
                sent_at: None,
                confirmed: false,
            },
        )
        .unwrap();
    db.confirm_notification(&li, told.id, None).unwrap();
    // a bug whose text names its user
    let bug = db
        .report_bug(
            &li,
            &genjin::store::BugInput {
                found_date: "2014-06-20".into(),
                received_date: "2014-06-20".into(),
                reporter: "刘小妹".into(),
                phone_model: "华为".into(),
                os_version: "Android 14".into(),
                content: "用户王小明（13987654321）打开问卷闪退".into(),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
    db.index_search().unwrap();
    let backup = db
        .backup_now(genjin::store::BackupKind::Manual, genjin::clock::now())
        .unwrap()
        .unwrap();
    assert!(holds(&file_bytes(&backup), "郭建国"));

    let done = db.erase(&li, &r.number, "本人要求删除", &[]).unwrap();
    assert_eq!(done.noun, "需求");
    assert_eq!(done.backups_scrubbed.len(), 1, "{done:?}");
    assert!(done.note.contains("导出"), "{}", done.note);
    // the index's own list of terms (its pages, as a dump would read them)
    let terms = |p: &std::path::Path| -> Vec<String> {
        let c = rusqlite::Connection::open(p).unwrap();
        c.execute_batch(
            "CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, requirement_search, 'instance')",
        )
        .unwrap();
        let mut st = c.prepare("SELECT DISTINCT term FROM temp.terms").unwrap();
        let out: Vec<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out
    };
    for t in [terms(&path), terms(&backup)] {
        assert!(
            !t.iter().any(|t| t == "郭建" || t == "建国"),
            "a piece of the name is left in the search index: {t:?}"
        );
        assert!(t.iter().any(|t| t == "问卷"), "{t:?}");
    }
    let bytes = file_bytes(&path);
    for piece in ["郭建国", "13812345678", "yx250930"] {
        assert!(
            !holds(&bytes, piece),
            "{piece} is still in the database file"
        );
        assert!(
            !holds(&file_bytes(&backup), piece),
            "{piece} is still in the backup"
        );
    }
    let h: Vec<String> = db
        .requirement_history(r.id)
        .unwrap()
        .iter()
        .map(|e| format!("{}:{:?}→{:?}", e.field, e.old_value, e.new_value))
        .collect();
    assert!(h.iter().all(|l| !l.contains("郭建国")), "{h:?}");
    // an old register imported again, its values taken: nothing comes back
    let file = {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, v) in ["需求编号", "填表人", "需求人", "需求梗概", "备注"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *v).unwrap();
        }
        for (c, v) in [
            "14061901",
            "刘小妹",
            "郭建国",
            "问卷自动计分",
            "郭建国 电话13812345678",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        wb.save_to_buffer().unwrap()
    };
    let parsed = genjin::excel::import::parse(
        &[genjin::excel::import::Source::new("旧表.xlsx", file)],
        &[],
    );
    db.import_commit(
        &li,
        &parsed,
        genjin::store::ConflictPolicy::TakeFile,
        &mut |_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    let after = db.requirement(&r.number).unwrap();
    assert_eq!(after.requester, "已删除");
    assert!(!after.remark.contains("13812345678") && !after.remark.contains("郭建国"));
    // a bug: its user's name as given, and phone numbers
    let e = db
        .erase(&li, &bug.number, "本人要求删除", &["王小明".into()])
        .unwrap();
    assert_eq!(e.noun, "Bug");
    let b = db.bug(&bug.number).unwrap();
    assert_eq!(b.content, "用户已删除（139****4321）打开问卷闪退");
    let bh: Vec<String> = db
        .history("bug", b.id)
        .unwrap()
        .iter()
        .map(|e| format!("{:?}{:?}", e.old_value, e.new_value))
        .collect();
    assert!(bh.iter().all(|l| !l.contains("王小明")), "{bh:?}");
    assert!(bh.iter().any(|l| l.contains("本人要求删除")));
}

/// Issue 19: with privacy.mask_exports on, the 附表1 masks the phone number in its overview and
/// the masked 附表2 shows no full name in 医生原话 or 概述.
#[test]
fn issue_19_masked_exports_mask_names_in_free_text_and_the_delay_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&dir.path().join("g.sqlite3")).unwrap();
    let anyone = genjin::store::Actor::new(None, "设置", "test", genjin::clock::now());
    let r = db
        .create_requirement(
            &anyone,
            &RequirementInput {
                doctor_words: "我是郭建国，随访问卷能不能自动算分？".into(),
                overview: "郭建国要问卷自动算分，联系 13812345678".into(),
                ..with_doctor()
            },
        )
        .unwrap();
    let at = |t: &str| genjin::store::StepTime {
        happened_at: Some(t.into()),
        ..Default::default()
    };
    db.record_decision(
        &anyone,
        &r.number,
        &genjin::store::DecisionInput {
            decision: genjin::domain::requirement::Decision::Do,
            grade: Some(genjin::domain::requirement::Grade::C),
            conversion_summary: String::new(),
            decision_reason: String::new(),
            decision_date: String::new(),
            at: at("2014-06-21 10:30"),
        },
    )
    .unwrap();
    db.record_expected_delivery(
        &anyone,
        &r.number,
        &genjin::store::DeliveryInput {
            date: "2014-06-25".into(),
            at: at("2014-06-22 10:00"),
        },
    )
    .unwrap();
    let d = db
        .file_delay(
            &anyone,
            &r.number,
            &genjin::store::DelayInput {
                new_date: "2014-07-25".into(),
                reason: "实现难度大".into(),
                applicant: "赵经理".into(),
                filed_date: "2014-06-24".into(),
                ..Default::default()
            },
        )
        .unwrap();
    db.configure(&anyone, "privacy.mask_exports", "on").unwrap();
    let cells = |bytes: &[u8]| -> String {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        range
            .cells()
            .map(|(_, _, v)| v.to_string())
            .collect::<Vec<_>>()
            .join("|")
    };
    let form1 = cells(&genjin::api::exports::delay_form(&db, Some(d.id)).unwrap());
    assert!(!form1.contains("13812345678"), "{form1}");
    assert!(!form1.contains("郭建国"), "{form1}");
    let out = dir.path().join("附表2.xlsx");
    genjin::api::exports::report_form(
        &db,
        Some(&r.number),
        &out,
        genjin::excel::save::Existing::Keep,
    )
    .unwrap();
    let form2 = cells(&std::fs::read(&out).unwrap());
    assert!(!form2.contains("郭建国"), "{form2}");
    assert!(form2.contains("我是郭**"), "{form2}");
}
