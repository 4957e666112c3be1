//! Issue 20, "a smoother day at the desk": what the command line and the core do for it.

use super::common::{genjin, ok, stderr, EVERY_ROLE};
use std::path::Path;

/// A database with one person who holds every role and one requirement; its number.
fn one_requirement(db: &Path) -> String {
    ok(
        db,
        &["add-person", "--name", "李小四", "--roles", EVERY_ROLE],
    );
    ok(
        db,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "李小四",
            "--summary",
            "问卷 自动计分",
            "--kind",
            "改进需求",
        ],
    )
    .trim()
    .to_string()
}

/// Item 3: a requirement takes screenshots as a bug does — all or none, one history row each.
#[test]
fn screenshots_are_kept_with_a_requirement() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.sqlite3");
    let n = one_requirement(&db);
    let png = dir.path().join("界面 1.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest").unwrap();
    let fake = dir.path().join("假图.png");
    std::fs::write(&fake, b"not a picture").unwrap();
    // one bad file refuses the whole upload: nothing kept
    let o = genjin(
        &db,
        &["attach", &n, png.to_str().unwrap(), fake.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("假图.png"), "{}", stderr(&o));
    let shown: serde_json::Value = serde_json::from_str(&ok(&db, &["show", &n, "--json"])).unwrap();
    assert_eq!(shown["screenshots"].as_array().unwrap().len(), 0);
    let said = ok(&db, &["attach", &n, png.to_str().unwrap()]);
    assert!(said.contains("已添加 1 张截图，共 1 张"), "{said}");
    let shown: serde_json::Value = serde_json::from_str(&ok(&db, &["show", &n, "--json"])).unwrap();
    assert_eq!(shown["screenshots"][0]["file_name"], "界面 1.png");
    assert!(ok(&db, &["show", &n]).contains("截图：界面 1.png"));
    assert!(ok(&db, &["history", &n]).contains("添加截图"));
    let o = genjin(&db, &["attach", "99999999", png.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("找不到需求编号 99999999"),
        "{}",
        stderr(&o)
    );
}
