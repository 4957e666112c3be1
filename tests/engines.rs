//! One store, two engines (issue 21): a database copied from a SQLite file onto the shared
//! server and back reads the same everywhere. With `GENJIN_TEST_PG` set the middle copy is a
//! PostgreSQL database; without, a second file (the same copy routine).

use super::common::{fresh_server_db, stderr, stdout, test_server, EVERY_ROLE};
use genjin::store::Db;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use super::common::{genjin_on as run, ok_on as ok};

/// A database with a little of everything: the legacy fixtures (requirements, bugs, delays read
/// from 备注), people, a delay signed at three levels with its scanned paper, screenshots, a
/// notice, and a requirement whose personal data was erased.
fn everything(db: &OsStr, dir: &Path) {
    ok(
        db,
        &[
            "add-person",
            "--name",
            "李小四",
            "--department",
            "资讯部",
            "--roles",
            EVERY_ROLE,
        ],
    );
    ok(
        db,
        &[
            "add-person",
            "--name",
            "赵经理",
            "--department",
            "策划部",
            "--roles",
            "产品经理",
        ],
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    ok(
        db,
        &["--as", "李小四", "import", fixtures.to_str().unwrap()],
    );
    let n = ok(
        db,
        &[
            "--as",
            "李小四",
            "add-requirement",
            "--received",
            "2014-06-30",
            "--reporter",
            "李小四",
            "--summary",
            "处方 打印",
            "--requester",
            "郭主任",
        ],
    )
    .trim()
    .to_string();
    ok(
        db,
        &[
            "--as",
            "李小四",
            "decide",
            &n,
            "--decision",
            "做",
            "--grade",
            "B",
        ],
    );
    ok(
        db,
        &["--as", "李小四", "expect", &n, "--date", "2014-07-10"],
    );
    let id = ok(
        db,
        &[
            "--as",
            "赵经理",
            "delay",
            "file",
            &n,
            "--new-date",
            "2014-07-25",
            "--reason",
            "接口未到位",
            "--filed",
            "2014-07-08",
        ],
    )
    .trim()
    .to_string();
    for (level, signer) in [
        ("直接领导", "陈主管"),
        ("部门领导", "周部长"),
        ("总经办", "李小四"),
    ] {
        ok(
            db,
            &[
                "--as",
                "李小四",
                "delay",
                "sign",
                &id,
                "--level",
                level,
                "--opinion",
                "同意",
                "--signer",
                signer,
                "--date",
                "2014-07-09",
            ],
        );
    }
    let photo = dir.join("签字页.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 scanned").unwrap();
    ok(
        db,
        &[
            "--as",
            "李小四",
            "delay",
            "attach",
            &id,
            photo.to_str().unwrap(),
        ],
    );
    let png = dir.join("界面.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest").unwrap();
    ok(db, &["--as", "李小四", "attach", &n, png.to_str().unwrap()]);
    ok(
        db,
        &[
            "--as",
            "李小四",
            "erase",
            "14061903",
            "--reason",
            "本人要求删除",
        ],
    );
}

/// What a user reads out of a database, command by command.
fn readings(db: &OsStr) -> Vec<(String, String)> {
    let reg: serde_json::Value = serde_json::from_str(&ok(db, &["register", "--json"])).unwrap();
    let numbers: Vec<String> = reg
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["需求编号"].as_str().unwrap().to_string())
        .collect();
    assert!(numbers.len() > 100, "{}", numbers.len());
    let mut out: Vec<(String, String)> = [
        vec!["register", "--json"],
        vec!["register", "--json", "--search", "问卷"],
        vec!["register", "--json", "--search", "王"],
        vec!["bugs", "--json"],
        vec!["delays", "--json"],
        vec!["assessment", "--json", "--month", "2014-06"],
        vec!["assessment", "--json", "--month", "2014-07"],
        vec!["people"],
        vec!["show", "14061903", "--json"],
    ]
    .into_iter()
    .map(|args| (args.join(" "), ok(db, &args)))
    .collect();
    for n in numbers.iter().take(8).chain(numbers.last()) {
        out.push((format!("history {n}"), ok(db, &["history", n])));
    }
    out
}

#[test]
fn a_database_copied_onto_the_server_and_back_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("科室.sqlite3");
    everything(source.as_os_str(), dir.path());
    let middle = match test_server() {
        Some(server) => fresh_server_db(&server).into(),
        None => dir.path().join("中转.sqlite3").into_os_string(),
    };
    let back = dir.path().join("回来.sqlite3");
    let said = ok(
        source.as_os_str(),
        &["copy-db", "--to", middle.to_str().unwrap()],
    );
    assert!(said.contains("各表行数与来源一致"), "{said}");
    assert!(said.contains("attachments: 2"), "{said}");
    assert!(said.contains("delay_signoffs: 3"), "{said}");
    ok(&middle, &["copy-db", "--to", back.to_str().unwrap()]);
    let (a, b, c) = (
        readings(source.as_os_str()),
        readings(&middle),
        readings(back.as_os_str()),
    );
    for ((what, x), ((_, y), (_, z))) in a.iter().zip(b.iter().zip(c.iter())) {
        assert_eq!(x, y, "{what}: the copy differs from the source");
        assert_eq!(x, z, "{what}: the copy back differs from the source");
    }
    // the erased name went nowhere on the way
    let shown = ok(back.as_os_str(), &["show", "14061903", "--json"]);
    assert!(!shown.contains("郭建国"), "{shown}");
    // numbers go on after the last one handed out, on the copy as on the source
    let next = |db: &OsStr| {
        ok(
            db,
            &[
                "--as",
                "李小四",
                "add-requirement",
                "--received",
                "2014-06-30",
                "--reporter",
                "李小四",
                "--summary",
                "再来一条",
            ],
        )
        .trim()
        .to_string()
    };
    assert_eq!(next(&middle), next(source.as_os_str()));
    // a target that holds data, or a file that exists, is refused whole, exit 2
    let o = run(
        source.as_os_str(),
        &["copy-db", "--to", middle.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(if test_server().is_some() {
            "不是空的"
        } else {
            "已存在"
        }),
        "{err}"
    );
    let o = run(
        source.as_os_str(),
        &["copy-db", "--to", back.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已存在"));
}

/// The schema at one version is the same on both engines: the same tables, the same columns.
#[test]
fn both_engines_reach_the_same_tables_and_columns() {
    let Some(server) = test_server() else {
        return; // runs where a server is given (the test command starts one)
    };
    let lite = Db::open_in_memory().unwrap().tables_and_columns().unwrap();
    let pg = Db::open_url(&fresh_server_db(&server))
        .unwrap()
        .tables_and_columns()
        .unwrap();
    assert!(lite.len() > 150, "{}", lite.len());
    assert_eq!(lite, pg);
}

/// Bad connections are said in Chinese, naming the server, exit 1; never a local file instead.
#[test]
fn a_server_that_cannot_be_reached_is_said_and_nothing_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_genjin"))
        .current_dir(dir.path())
        .env(
            "GENJIN_DB",
            "postgres://genjin:x@127.0.0.1:1/部门?connect_timeout=2",
        )
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .args(["register", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("连不上数据库服务器“127.0.0.1:1/部门”"),
        "{err}"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written locally"
    );
    // a password with @ unescaped: said, the password not echoed
    let o = run(
        OsStr::new("postgres://genjin:pa@ss@127.0.0.1:1/部门"),
        &["register"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("%40") && !err.contains("ss@127"), "{err}");
    if let Some(server) = test_server() {
        // a database that is not there; one that holds somebody else's tables
        let o = run(OsStr::new(&format!("{server}/no_such_db")), &["register"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&o.stderr).contains("没有这个数据库"));
        let url = fresh_server_db(&server);
        assert!(psql(&url, "CREATE TABLE orders (id int)").status.success());
        let o = run(OsStr::new(&url), &["register"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("不是跟进的数据库"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// Numbers never repeat (issue 21): four processes registering on one received day at the same
/// moment get distinct numbers, none lost; the 100th of the day is refused, said clearly.
#[test]
fn four_processes_at_once_get_distinct_numbers_and_the_day_fills_at_ninety_nine() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let db = super::common::db_arg(&path);
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut numbers = Vec::new();
                let mut refused = Vec::new();
                for i in 0..26 {
                    let o = run(
                        &db,
                        &[
                            "--as",
                            "李小四",
                            "add-requirement",
                            "--received",
                            "2014-06-19",
                            "--reporter",
                            "李小四",
                            "--summary",
                            &format!("并发{w}-{i}"),
                        ],
                    );
                    if o.status.success() {
                        numbers.push(String::from_utf8(o.stdout).unwrap().trim().to_string());
                    } else {
                        refused.push((o.status.code(), String::from_utf8(o.stderr).unwrap()));
                    }
                }
                (numbers, refused)
            })
        })
        .collect();
    let mut numbers = Vec::new();
    let mut refused = Vec::new();
    for w in workers {
        let (n, r) = w.join().unwrap();
        numbers.extend(n);
        refused.extend(r);
    }
    numbers.sort();
    let expected: Vec<String> = (1..=99).map(|i| format!("140619{i:02}")).collect();
    assert_eq!(numbers, expected, "every number of the day once, none lost");
    assert_eq!(refused.len(), 5, "{refused:?}");
    for (code, err) in &refused {
        assert_eq!(*code, Some(2), "{err}");
        assert!(
            err.contains("编号已用完") && err.contains("最多 99 个"),
            "{err}"
        );
    }
    let reg: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    assert_eq!(reg.as_array().unwrap().len(), 99);
}

/// A department at once on the command line (issue 22): four processes, a hundred mixed steps
/// each — registering over five received days, deciding, promising, telling the requester,
/// filing and signing delays, reporting bugs — all at the same moment on one database. No
/// number is handed out twice, every acknowledged write is there afterwards, and a refusal (if
/// any) is a clear message with its exit code.
#[test]
fn four_processes_of_mixed_steps_lose_nothing_and_share_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let db = super::common::db_arg(&path);
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    // the leader who signs (an applicant never signs their own)
    ok(
        &db,
        &["add-person", "--name", "王领导", "--roles", "决策组"],
    );
    #[derive(Default)]
    struct Done {
        requirements: Vec<String>,
        decided: Vec<String>,
        promised: Vec<String>,
        told: usize,
        delays: Vec<String>,
        bugs: Vec<String>,
        refused: Vec<(Option<i32>, String)>,
    }
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut done = Done::default();
                let refused = std::cell::RefCell::new(Vec::new());
                let step_as = |who: &str, args: &[&str]| -> Option<String> {
                    let mut all = vec!["--as", who];
                    all.extend_from_slice(args);
                    let o = run(&db, &all);
                    if o.status.success() {
                        return Some(String::from_utf8(o.stdout).unwrap().trim().to_string());
                    }
                    let err = String::from_utf8(o.stderr).unwrap();
                    refused.borrow_mut().push((o.status.code(), err));
                    None
                };
                let step = |args: &[&str]| step_as("李小四", args);
                let mut last = String::new();
                for i in 0..100usize {
                    match i % 5 {
                        0 => {
                            let day = format!("2014-06-{}", 16 + (i / 5) % 5);
                            let brief = format!("并发{w}-{i}");
                            if let Some(n) = step(&[
                                "add-requirement",
                                "--received",
                                &day,
                                "--reporter",
                                "李小四",
                                "--summary",
                                &brief,
                            ]) {
                                done.requirements.push(n.clone());
                                last = n;
                            }
                        }
                        1 => {
                            if step(&["decide", &last, "--decision", "做", "--grade", "B"])
                                .is_some()
                            {
                                done.decided.push(last.clone());
                            }
                        }
                        2 => {
                            if step(&["expect", &last, "--date", "2014-07-30"]).is_some() {
                                done.promised.push(last.clone());
                            }
                        }
                        3 => {
                            if step(&[
                                "notify",
                                &last,
                                "--step",
                                "决策结果",
                                "--to",
                                "报告人",
                                "--channel",
                                "电话",
                            ])
                            .is_some()
                            {
                                done.told += 1;
                            }
                        }
                        _ if (i / 5) % 2 == 0 => {
                            let content = format!("闪退{w}-{i}");
                            if let Some(n) = step(&[
                                "bug",
                                "add",
                                "--found",
                                "2014-07-01",
                                "--reported",
                                "2014-07-01",
                                "--reporter",
                                "李小四",
                                "--phone-model",
                                "iPhone 5s",
                                "--os",
                                "iOS 7.1",
                                "--content",
                                &content,
                            ]) {
                                done.bugs.push(n);
                            }
                        }
                        _ => {
                            if let Some(id) = step(&[
                                "delay",
                                "file",
                                &last,
                                "--new-date",
                                "2014-08-30",
                                "--reason",
                                "接口联调推迟",
                                "--filed",
                                "2014-07-20",
                            ]) {
                                if step_as(
                                    "王领导",
                                    &[
                                        "delay",
                                        "sign",
                                        &id,
                                        "--level",
                                        "直接领导",
                                        "--opinion",
                                        "同意",
                                        "--date",
                                        "2014-07-21",
                                    ],
                                )
                                .is_some()
                                {
                                    done.delays.push(id);
                                }
                            }
                        }
                    }
                }
                done.refused = refused.take();
                done
            })
        })
        .collect();
    let mut all = Done::default();
    for w in workers {
        let d = w.join().unwrap();
        all.requirements.extend(d.requirements);
        all.decided.extend(d.decided);
        all.promised.extend(d.promised);
        all.told += d.told;
        all.delays.extend(d.delays);
        all.bugs.extend(d.bugs);
        all.refused.extend(d.refused);
    }
    // nothing was refused: the steps queue up for the one write lock, none is turned away
    assert!(all.refused.is_empty(), "{:?}", all.refused);
    let distinct = |v: &[String]| v.iter().collect::<std::collections::HashSet<_>>().len();
    assert_eq!(
        (all.requirements.len(), distinct(&all.requirements)),
        (80, 80)
    );
    assert_eq!((all.bugs.len(), distinct(&all.bugs)), (40, 40));
    assert_eq!(
        (
            all.delays.len(),
            all.decided.len(),
            all.promised.len(),
            all.told
        ),
        (40, 80, 80, 80)
    );
    // every acknowledged write is there
    let reg: serde_json::Value = serde_json::from_str(&ok(&db, &["register", "--json"])).unwrap();
    let rows = reg.as_array().unwrap();
    assert_eq!(rows.len(), 80);
    for row in rows {
        let text = row.to_string();
        assert!(
            text.contains("\"做\"") && (text.contains("20140730") || text.contains("2014-07-30")),
            "{text}"
        );
    }
    let bugs: serde_json::Value = serde_json::from_str(&ok(&db, &["bugs", "--json"])).unwrap();
    assert_eq!(bugs.as_array().unwrap().len(), 40);
    let delays: serde_json::Value = serde_json::from_str(&ok(&db, &["delays", "--json"])).unwrap();
    assert_eq!(delays.as_array().unwrap().len(), 40);
}

/// A page of no rows reads on both engines (an empty `IN ()` is SQLite's alone): the to-do counts
/// the legacy promises overdue with a page of none, on every start.
#[test]
fn a_page_of_no_rows_reads_on_both_engines() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::common::db_arg(&dir.path().join("g.sqlite3"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/legacy");
    ok(&db, &["import", fixtures.to_str().unwrap()]);
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", "需求收集人"],
    );
    let todo = ok(&db, &["todo"]);
    assert!(todo.contains("旧表导入的逾期需求 23 条"), "{todo}");
}

/// Two people save the same requirement at the same moment, each over the version they saw:
/// one save lands, every other is refused as changed meanwhile — on a server as on a file
/// (issue 21: without the write lock, READ COMMITTED let both saves land, the first lost).
#[test]
fn simultaneous_saves_of_one_record_never_overwrite_each_other() {
    use genjin::store::{Actor, RequirementInput};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.sqlite3");
    let open = {
        let arg = super::common::db_arg(&path);
        move || match arg.to_str().filter(|s| s.starts_with("postgres")) {
            Some(url) => Db::open_url(url).unwrap(),
            None => Db::open(&path).unwrap(),
        }
    };
    let actor = Actor::new(None, "测试员", "test", genjin::clock::now());
    let input = RequirementInput {
        received_date: "2014-06-19".into(),
        reporter: "李四".into(),
        brief: "原来的梗概".into(),
        ..Default::default()
    };
    let number = open().create_requirement(&actor, &input).unwrap().number;
    for round in 0..5 {
        let seen = open().requirement(&number).unwrap().version;
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
        let savers: Vec<_> = (0..6)
            .map(|i| {
                let (open, barrier, number, actor) =
                    (open.clone(), barrier.clone(), number.clone(), actor.clone());
                let mut input = input.clone();
                input.brief = format!("第{round}轮 {i} 号的梗概");
                input.version = Some(seen);
                std::thread::spawn(move || {
                    let mut db = open();
                    barrier.wait();
                    db.update_requirement(&actor, &number, &input)
                        .map(|_| ())
                        .map_err(|e| e.kind())
                })
            })
            .collect();
        let outcomes: Vec<Result<(), &str>> =
            savers.into_iter().map(|s| s.join().unwrap()).collect();
        let landed = outcomes.iter().filter(|o| o.is_ok()).count();
        assert_eq!(landed, 1, "round {round}: {outcomes:?}");
        assert!(
            outcomes.iter().all(|o| o.is_ok() || *o == Err("conflict")),
            "{outcomes:?}"
        );
        assert_eq!(open().requirement(&number).unwrap().version, seen + 1);
    }
}

/// An erased name is gone from the search as from the record, on both engines (on a server the
/// search keeps folded texts beside the grams: rewritten too).
#[test]
fn an_erased_name_is_not_found_by_search() {
    let dir = tempfile::tempdir().unwrap();
    let db = super::common::db_arg(&dir.path().join("g.sqlite3"));
    ok(
        &db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    let n = ok(
        &db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "李小四",
            "--summary",
            "问卷",
            "--doctor",
            "郭建国",
            "--words",
            "郭建国说要自动计分",
        ],
    )
    .trim()
    .to_string();
    assert!(ok(&db, &["register", "--json", "--search", "郭建国"]).contains(&n));
    ok(&db, &["erase", &n, "--reason", "本人要求删除"]);
    for word in ["郭建国", "建国", "郭"] {
        assert_eq!(
            ok(&db, &["register", "--json", "--search", word]).trim(),
            "[]",
            "{word}"
        );
    }
    if let Some(url) = db.to_str().filter(|s| s.starts_with("postgres")) {
        let o = psql(
            url,
            "SELECT count(*) FROM requirement_grams WHERE folded LIKE '%建国%' OR '建国' = ANY(grams)",
        );
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "0");
    }
}

/// `sql` run by psql on the database at `url`.
fn psql(url: &str, sql: &str) -> std::process::Output {
    Command::new("psql")
        .arg(url)
        .args(["-qAtc", sql])
        .output()
        .unwrap()
}

/// A schema migration on a server waits for an import in flight (issue 22): it takes the
/// import's lock and the write lock before changing any table, so no writer holding some of
/// its rows waits on it for others (the server would end such a deadlock by failing one).
/// A start with nothing to migrate does not wait.
#[test]
fn a_migration_on_a_server_waits_for_an_import_and_a_start_does_not() {
    let Some(server) = test_server() else {
        return;
    };
    let url = fresh_server_db(&server);
    // another PC's import, holding the import lock for a while
    let import_running = || {
        let child = Command::new("psql")
            .arg(&url)
            .args([
                "-qAtc",
                "BEGIN; SELECT pg_advisory_xact_lock(7364102350235715); SELECT pg_sleep(3); COMMIT",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // (this database's: the cluster's other tests hold theirs meanwhile)
        let held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        let t = std::time::Instant::now();
        while stdout(&psql(&url, held)).trim() == "0" {
            assert!(
                t.elapsed().as_secs() < 10,
                "the import's lock was never held"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        child
    };
    // a new database's schema is written once the import has ended (it holds its lock for
    // 3 s from before it is seen holding it)
    let mut import = import_running();
    let t = std::time::Instant::now();
    let db = Db::open_url(&url).unwrap();
    assert!(
        t.elapsed() >= std::time::Duration::from_secs(2),
        "the schema was changed while an import held its lock ({:?})",
        t.elapsed()
    );
    assert!(import.wait().unwrap().success());
    drop(db);
    // a database already up to date opens at once
    let mut import = import_running();
    let db = Db::open_url(&url).unwrap();
    assert!(
        import.try_wait().unwrap().is_none(),
        "a start with nothing to migrate waited for the import"
    );
    drop(db);
    assert!(import.wait().unwrap().success());
}

/// A search on a server reads the rows of its keywords through the grams' index, whatever the
/// planner would make of the table (issue 22). Left to itself, the planner reads a handful of
/// rows, or a table whose statistics are stale, whole and tests every row's grams: at 100,000
/// requirements a common word then took 170 ms instead of 20.
#[test]
fn a_search_on_a_server_reads_the_grams_through_their_index() {
    let Some(server) = test_server() else {
        return;
    };
    let url = fresh_server_db(&server);
    let db = OsStr::new(&url);
    ok(
        db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    for summary in ["问卷自动计分", "问卷导出", "药房费用"] {
        ok(
            db,
            &[
                "add-requirement",
                "--received",
                "2014-06-19",
                "--reporter",
                "李小四",
                "--summary",
                summary,
            ],
        );
    }
    // statistics saying that 问卷 is in most rows (two of three): left to itself, the planner
    // reads the table whole
    let o = psql(&url, "ANALYZE requirement_grams");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let found = |word: &str| -> usize {
        let v: serde_json::Value =
            serde_json::from_str(&ok(db, &["register", "--json", "--search", word])).unwrap();
        v.as_array().unwrap().len()
    };
    // found by the grams alone, and confirmed on the folded texts
    assert_eq!((found("问卷"), found("问卷自动"), found("卷导")), (2, 1, 1));
    assert_eq!(found("自动导"), 0);
    // each process's statistics reach the server as it ends
    let scans = || -> i64 {
        let o = psql(
            &url,
            "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'requirement_grams_grams'",
        );
        String::from_utf8_lossy(&o.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while scans() < 4 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(scans() >= 4, "the grams' index was read {} times", scans());
}

/// A server that takes only encrypted connections (the test command's, over TCP with a
/// self-signed certificate: `GENJIN_TEST_PG_TLS`): `sslmode=require` and the default `prefer`
/// connect encrypted, as a department's server with its own certificate expects;
/// `sslmode=disable` is told the server wants encryption.
#[test]
fn an_encrypted_connection_is_made_when_the_server_asks() {
    let tls = std::env::var("GENJIN_TEST_PG_TLS").unwrap_or_default();
    let (Some(server), false) = (test_server(), tls.is_empty()) else {
        return; // runs where the test command started such a server
    };
    let url = fresh_server_db(&server);
    let name = url.rsplit('/').next().unwrap();
    let over_tls = |mode: &str| std::ffi::OsString::from(format!("{tls}/{name}?sslmode={mode}"));
    ok(
        &over_tls("require"),
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    assert!(ok(&over_tls("prefer"), &["people"]).contains("李小四"));
    // over the unix socket nothing is encrypted, whatever sslmode asks (as libpq reads it)
    let local = std::ffi::OsString::from(format!("{url}?sslmode=require"));
    assert!(ok(&local, &["people"]).contains("李小四"));
    let o = run(&over_tls("disable"), &["people"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("只接受加密连接"), "{err}");
}

/// The real binary on `db` with environment variables set (passwords).
fn run_with(db: &OsStr, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_genjin"));
    c.arg("--db").arg(db).args(args);
    c.env_remove("GENJIN_PASSWORD")
        .env_remove("GENJIN_NEW_PASSWORD");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run genjin")
}

/// Issue 22: anyone on the LAN can start Genjin on a shared database, so sign-in is always on
/// there. The first person sets their password as they are added; from then on every command
/// needs a name and that person's password, the setting cannot be turned off, and a person
/// deactivated is refused at once.
#[test]
fn on_a_shared_database_everyone_signs_in_with_their_own_password() {
    let Some(server) = test_server() else {
        return; // a file's sign-in stays optional (tests/desk.rs); this is the server's rule
    };
    let url = fresh_server_db(&server);
    let db = OsStr::new(&url);
    let mine = [("GENJIN_NEW_PASSWORD", "甲乙丙丁123")];
    let o = run_with(
        db,
        &mine,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("警告"), "{}", stderr(&o));

    let step = [
        "add-requirement",
        "--received",
        "2014-06-30",
        "--reporter",
        "李小四",
        "--summary",
        "处方打印",
        "--requester",
        "郭主任",
    ];
    // no name, no password, a wrong one: refused (exit 3), nothing written
    let o = run_with(db, &[], &step);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("--as"), "{}", stderr(&o));
    fn as_li<'a>(rest: &[&'a str]) -> Vec<&'a str> {
        [&["--as", "李小四"][..], rest].concat()
    }
    let o = run_with(db, &[], &as_li(&step));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("GENJIN_PASSWORD"), "{}", stderr(&o));
    let o = run_with(db, &[("GENJIN_PASSWORD", "不对的密码")], &as_li(&step));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("姓名或密码不对"), "{}", stderr(&o));
    let pw = [("GENJIN_PASSWORD", "甲乙丙丁123")];
    let o = run_with(db, &pw, &as_li(&["register", "--json"]));
    assert_eq!(stdout(&o).trim(), "[]", "{}", stderr(&o));

    // the right password: the change carries who made it
    let o = run_with(db, &pw, &as_li(&step));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_with(db, &pw, &as_li(&["register", "--json"]));
    assert!(stdout(&o).contains("处方打印"), "{}", stdout(&o));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let number = rows[0]["需求编号"].as_str().unwrap().to_string();
    let o = run_with(db, &pw, &as_li(&["history", &number, "--json"]));
    assert!(stdout(&o).contains("李小四"), "{}", stdout(&o));

    // sign-in cannot be turned off on a shared database, not even by the decision group
    let o = run_with(db, &pw, &as_li(&["settings", "security.sign_in", "off"]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("共享数据库"), "{}", stderr(&o));
    let o = run_with(db, &pw, &as_li(&["settings"]));
    assert!(
        stdout(&o).contains("security.sign_in = on"),
        "{}",
        stdout(&o)
    );

    // a second person, given a password by the first; deactivated, refused at once
    let o = run_with(
        db,
        &pw,
        &as_li(&["add-person", "--name", "赵经理", "--roles", "产品经理"]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let both = [
        ("GENJIN_PASSWORD", "甲乙丙丁123"),
        ("GENJIN_NEW_PASSWORD", "赵的密码456"),
    ];
    let o = run_with(db, &both, &as_li(&["password", "赵经理"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let zhao = [("GENJIN_PASSWORD", "赵的密码456")];
    let o = run_with(db, &zhao, &["--as", "赵经理", "register", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_with(
        db,
        &pw,
        &as_li(&["edit-person", "赵经理", "--inactive", "true"]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_with(db, &zhao, &["--as", "赵经理", "register", "--json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

/// Issue 22: a department's file copied onto the server, used without sign-in, has nobody
/// with a password there: copy-db says how to set the first; until then the server works as the
/// file did; the first password may only be set by someone who may manage people, and once it
/// is, everyone signs in.
#[test]
fn a_copied_database_without_passwords_gets_its_first_from_someone_who_manages_people() {
    let Some(server) = test_server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("office.sqlite3");
    let f = super::common::db_arg(&file);
    ok(
        &f,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    ok(
        &f,
        &[
            "--as",
            "李小四",
            "add-person",
            "--name",
            "王推广",
            "--roles",
            "需求报告人",
        ],
    );
    let url = fresh_server_db(&server);
    let db = OsStr::new(&url);
    let said = ok(&f, &["--as", "李小四", "copy-db", "--to", &url]);
    assert!(said.contains("还没有密码"), "{said}");
    // nobody has a password: the server works as the file did, a name being enough
    ok(db, &["--as", "王推广", "register", "--json"]);

    let mut shared = Db::open_url(&url).unwrap();
    assert!(shared.first_password_missing().unwrap());
    assert!(!shared.sign_in_required().unwrap());
    let wang = shared.person_by_name("王推广").unwrap().unwrap().id;
    let li = shared.person_by_name("李小四").unwrap().unwrap().id;
    let now = genjin::clock::now();
    // a reporter cannot be the first: nobody could then give the others theirs
    let e = shared
        .set_first_password(wang, "王的密码123", now)
        .unwrap_err();
    assert!(e.to_string().contains("管理人员名单"), "{e}");
    assert!(!shared.sign_in_required().unwrap());
    // nor, setting their own password meanwhile, lock the managers out: sign-in waits for one
    // of them
    let as_wang = genjin::store::Actor::new(Some(wang), "王推广", "test", now);
    shared
        .set_password(&as_wang, wang, "王的密码123", None)
        .unwrap();
    assert!(!shared.sign_in_required().unwrap());
    assert!(shared.first_password_missing().unwrap());
    shared.set_first_password(li, "李的密码123", now).unwrap();
    assert!(shared.sign_in_required().unwrap());
    assert!(!shared.first_password_missing().unwrap());
    // the first is set once: after it, people sign in
    let e = shared
        .set_first_password(li, "又一个密码", now)
        .unwrap_err();
    assert!(e.to_string().contains("请登录"), "{e}");
    drop(shared);
    let o = run_with(db, &[], &["--as", "王推广", "register", "--json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = run_with(
        db,
        &[("GENJIN_PASSWORD", "李的密码123")],
        &["--as", "李小四", "register", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}
