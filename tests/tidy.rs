//! The architecture's invariants, phrased as absences and checked on the source tree (as
//! rust-analyzer's `tidy` tests do): a change that breaks one fails the test run, naming the
//! file and line.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative to the package root) whose name ends with `ext`.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, ext, out);
            } else if p.to_string_lossy().ends_with(ext) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), ext, &mut out);
    out.sort();
    assert!(!out.is_empty(), "no {ext} files under {dir}");
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The lines of a Rust file that ship: every line but comments and the items marked
/// `#[cfg(test)]` (a test module, helper or impl, through the brace or semicolon that ends it).
fn shipped_lines(p: &Path) -> Vec<(usize, String)> {
    shipped_lines_of(&std::fs::read_to_string(p).unwrap())
}

/// How a line changes the brace depth, with strings, characters and comments left out; `state`
/// carries a string (or a raw string's closing) from one line into the next.
fn braces(line: &str, state: &mut Option<String>) -> (i64, bool, bool) {
    let chars: Vec<char> = line.chars().collect();
    let (mut depth, mut semicolon, mut opened, mut i) = (0i64, false, false, 0);
    while i < chars.len() {
        if let Some(close) = state.clone() {
            // inside a string: find its end
            if close == "\"" {
                if chars[i] == '\\' {
                    i += 2;
                    continue;
                }
                if chars[i] == '"' {
                    *state = None;
                }
                i += 1;
                continue;
            }
            let rest: String = chars[i..].iter().collect();
            if rest.starts_with(close.as_str()) {
                i += close.chars().count();
                *state = None;
            } else {
                i += 1;
            }
            continue;
        }
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        if rest.starts_with("//") {
            break;
        }
        if c == 'r' && (rest.starts_with("r#") || rest.starts_with("r\"")) {
            let hashes = rest[1..].chars().take_while(|&h| h == '#').count();
            if rest[1 + hashes..].starts_with('"') {
                *state = Some(format!("\"{}", "#".repeat(hashes)));
                i += 2 + hashes;
                continue;
            }
        }
        if c == '"' {
            *state = Some("\"".into());
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            continue;
        } else if c == '\'' && chars.get(i + 1) == Some(&'\\') {
            // '\n', '\'', '\u{…}'
            while i < chars.len() && !(chars[i] == '\'' && i > 0 && chars[i - 1] != '\\') {
                i += 1;
            }
            i += 1;
            continue;
        } else if c == '{' {
            depth += 1;
            opened = true;
        } else if c == '}' {
            depth -= 1;
        } else if c == ';' {
            semicolon = true;
        }
        i += 1;
    }
    (depth, semicolon, opened)
}

fn shipped_lines_of(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut state: Option<String> = None;
    // inside an item marked #[cfg(test)]: the depth it is at, and whether its body opened
    let mut test_item: Option<(i64, bool)> = None;
    for (i, l) in text.lines().enumerate() {
        let in_string = state.is_some();
        let (change, semicolon, opens) = braces(l, &mut state);
        if let Some((depth, opened)) = test_item.as_mut() {
            *depth += change;
            *opened |= opens;
            let attribute = l.trim_start().starts_with("#[") || l.trim_start().starts_with("//");
            if *depth <= 0 && !attribute && (*opened || semicolon) {
                test_item = None;
            }
            continue;
        }
        if !in_string && l.trim() == "#[cfg(test)]" {
            test_item = Some((0, false));
            continue;
        }
        if in_string || !l.trim_start().starts_with("//") {
            out.push((i + 1, l.to_string()));
        }
    }
    out
}

/// The skipping of test items ends where the item ends: after a one-line test function, a
/// multi-line signature, braces inside strings, the shipped code that follows is checked.
#[test]
fn test_items_are_skipped_to_their_end_and_no_further() {
    let text = r#"fn a() {}
impl X {
    #[cfg(test)]
    fn one_line() -> i64 { 1 }
    fn shipped_1() {
        x.unwrap();
    }
    #[cfg(test)]
    #[allow(dead_code)]
    fn long(
        a: i64,
    ) -> String {
        format!("{{ }} {a} }}")
    }
    fn shipped_2() {}
    #[cfg(test)]
    use std::fmt;
    const SHIPPED_3: &str = "}";
}
#[cfg(test)]
mod tests {
    fn t() { let s = "
}
"; }
}
fn shipped_4() {}
"#;
    let kept: Vec<String> = shipped_lines_of(text).into_iter().map(|(_, l)| l).collect();
    let kept = kept.join("\n");
    for shipped in [
        "shipped_1",
        "x.unwrap()",
        "shipped_2",
        "SHIPPED_3",
        "shipped_4",
    ] {
        assert!(kept.contains(shipped), "{shipped} was skipped:\n{kept}");
    }
    for test in ["one_line", "fn long", "format!", "use std::fmt", "fn t()"] {
        assert!(!kept.contains(test), "{test} was kept:\n{kept}");
    }
}

/// Lines of `paths` (shipped code only) for which `bad` holds, as `file:line: text`.
fn offences(paths: &[PathBuf], bad: impl Fn(&str) -> bool) -> Vec<String> {
    paths
        .iter()
        .flat_map(|p| {
            shipped_lines(p)
                .into_iter()
                .filter(|(_, l)| bad(l))
                .map(move |(n, l)| format!("{}:{n}: {}", rel(p), l.trim()))
        })
        .collect()
}

/// The core: everything that must run without a window.
const CORE: &[&str] = &[
    "src-tauri/domain",
    "src-tauri/store",
    "src-tauri/excel",
    "src-tauri/api",
];

fn core_files() -> Vec<PathBuf> {
    CORE.iter()
        .filter(|d| root().join(d).exists())
        .flat_map(|d| files(d, ".rs"))
        .collect()
}

#[test]
fn the_core_knows_nothing_of_tauri() {
    let found = offences(&core_files(), |l| {
        l.contains("tauri::") || l.contains("use tauri")
    });
    assert!(
        found.is_empty(),
        "the core must not use tauri:\n{}",
        found.join("\n")
    );
}

/// Statements only the store may hold.
fn looks_like_sql(l: &str) -> bool {
    const SQL: &[&str] = &[
        "SELECT ",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
        "CREATE TABLE",
        "CREATE INDEX",
        "PRAGMA ",
        "BEGIN IMMEDIATE",
        ".execute(",
        ".query_row(",
        ".prepare(",
        ".prepare_cached(",
    ];
    SQL.iter().any(|k| l.contains(k))
}

#[test]
fn sql_lives_only_in_the_store() {
    let outside: Vec<PathBuf> = files("src-tauri", ".rs")
        .into_iter()
        .filter(|p| !rel(p).starts_with("src-tauri/store/"))
        .collect();
    let found = offences(&outside, looks_like_sql);
    assert!(
        found.is_empty(),
        "SQL outside src-tauri/store:\n{}",
        found.join("\n")
    );
}

/// Issue 21: nothing above the store knows which engine runs. The engines' crates are named only
/// in `store/sql/` (the one surface and its engines), the opening and migrations of a file
/// (`store/mod.rs`) and SQLite's backup API (`store/backup.rs`).
#[test]
fn only_the_store_engine_files_name_an_engine() {
    const ENGINE_FILES: &[&str] = &[
        "src-tauri/store/sql/",
        "src-tauri/store/mod.rs",
        "src-tauri/store/backup.rs",
    ];
    let others: Vec<PathBuf> = files("src-tauri", ".rs")
        .into_iter()
        .filter(|p| !ENGINE_FILES.iter().any(|f| rel(p).starts_with(f)))
        .collect();
    let found = offences(&others, |l| {
        [
            "rusqlite",
            "tokio_postgres",
            "postgres_types",
            "libsqlite3",
            "rustls",
        ]
        .iter()
        .any(|c| l.contains(c))
    });
    assert!(
        found.is_empty(),
        "an engine's crate outside the store's engine files:\n{}",
        found.join("\n")
    );
    // and the SQL above the surface is engine-neutral: no SQLite-only spellings
    let store: Vec<PathBuf> = files("src-tauri/store", ".rs")
        .into_iter()
        .filter(|p| !ENGINE_FILES.iter().any(|f| rel(p).starts_with(f)))
        .filter(|p| !rel(p).ends_with("search.rs"))
        .collect();
    let found = offences(&store, |l| {
        [
            "group_concat(",
            "printf(",
            "ifnull(",
            "last_insert_rowid",
            "PRAGMA",
            "INSERT OR ",
            "BEGIN IMMEDIATE",
            " IS '",
            "rowid",
        ]
        .iter()
        .any(|c| l.contains(c))
    });
    assert!(
        found.is_empty(),
        "SQLite-only SQL above the engine files:\n{}",
        found.join("\n")
    );
}

/// One owner per table (issue 21): a requirement is written only by `store/requirements/` (and
/// the two passes that write whole rows by design: the import's bulk writer and the erasure's
/// scrub); a delay application only by `store/delays.rs`; what laptops send and the pairs of
/// databases only by `store/sync.rs`.
#[test]
fn each_table_is_written_by_its_owner() {
    let owners: &[(&str, &[&str])] = &[
        (
            "requirements",
            &[
                "src-tauri/store/requirements/",
                "src-tauri/store/import.rs",
                "src-tauri/store/privacy.rs",
            ],
        ),
        ("delay_applications", &["src-tauri/store/delays.rs"]),
        // issue 24: what laptops send, and the pairs of databases
        ("submissions", &["src-tauri/store/sync.rs"]),
        ("sync_peers", &["src-tauri/store/sync.rs"]),
    ];
    for (table, allowed) in owners {
        let others: Vec<PathBuf> = files("src-tauri", ".rs")
            .into_iter()
            .filter(|p| !allowed.iter().any(|a| rel(p).starts_with(a)))
            .collect();
        let found = offences(&others, |l| {
            ["UPDATE ", "INSERT INTO ", "DELETE FROM "].iter().any(|w| {
                l.contains(&format!("{w}{table} ")) || l.contains(&format!("{w}{table}\""))
            })
        });
        assert!(
            found.is_empty(),
            "{table} written outside its owner:\n{}",
            found.join("\n")
        );
    }
}

/// An export is composed once, in `api/` (issue 21: the 附表1 and the 考核表 were composed in each
/// shell): the shells write files through `excel::save` and name the import's types, and call
/// no workbook builder themselves.
#[test]
fn the_shells_compose_no_workbook() {
    let shells: Vec<PathBuf> = ["src-tauri/commands", "src-tauri/cli"]
        .iter()
        .flat_map(|d| files(d, ".rs"))
        .collect();
    let found = offences(&shells, |l| {
        l.split("excel::")
            .skip(1)
            .any(|rest| !rest.starts_with("save") && !rest.starts_with("import"))
    });
    assert!(
        found.is_empty(),
        "a shell composes a workbook (do it in api/):\n{}",
        found.join("\n")
    );
}

/// The exports build their workbooks from `views/` (records as read), never from the store: the
/// store may call the importer's parsers, the spreadsheets never call back (issue 21: the
/// store↔excel circle cut, so the store can be split by engine cleanly).
#[test]
fn the_spreadsheets_do_not_depend_on_the_store() {
    let found = offences(&files("src-tauri/excel", ".rs"), |l| {
        l.contains("crate::store") || l.contains("super::store")
    });
    assert!(
        found.is_empty(),
        "excel/ reaches into the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_api_js_calls_invoke() {
    let found: Vec<String> = files("ui", ".js")
        .into_iter()
        .filter(|p| rel(p) != "ui/js/api.js")
        .flat_map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = rel(&p);
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains("invoke(") || l.contains("__TAURI__"))
                .map(|(n, l)| format!("{name}:{}: {}", n + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "only ui/js/api.js may call invoke:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_is_given_the_time() {
    // `clock.rs` is for the shells: the core gets `now` from its caller.
    let found = offences(&core_files(), |l| l.contains("clock::"));
    assert!(
        found.is_empty(),
        "the core must not call clock::\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_shells_read_the_clock() {
    // The core takes "now" as an argument (`Actor::now`, `as_of`); the window's commands and
    // the command line read the clock, through `clock.rs`.
    let found = offences(&files("src-tauri", ".rs"), |l| {
        l.contains("Local::now") || l.contains("Utc::now") || l.contains("SystemTime::now")
    });
    let found: Vec<String> = found
        .into_iter()
        .filter(|l| !l.starts_with("src-tauri/clock.rs:"))
        .collect();
    assert!(
        found.is_empty(),
        "the clock is read only in src-tauri/clock.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn shipped_code_does_not_panic_on_errors() {
    let found = offences(&files("src-tauri", ".rs"), |l| {
        l.contains(".unwrap()") || l.contains(".expect(")
    });
    assert!(
        found.is_empty(),
        "shipped code returns errors instead of unwrap()/expect():\n{}",
        found.join("\n")
    );
}

#[test]
fn unsafe_code_is_forbidden() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[lints.rust]") && manifest.contains("unsafe_code = \"forbid\""),
        "Cargo.toml must forbid unsafe code"
    );
}

#[test]
fn the_capabilities_have_a_real_home() {
    // tauri-build watches the capabilities folder; a missing one made every build stale.
    let build = std::fs::read_to_string(root().join("src-tauri/build.rs")).unwrap();
    assert!(build.contains("src-tauri/capabilities"));
    assert!(!files("src-tauri/capabilities", ".json").is_empty());
}

/// Every ES module of the window is preloaded by `ui/index.html`, so the launch fetches them
/// together instead of one import level after another.
#[test]
fn every_ui_module_is_preloaded() {
    let index = std::fs::read_to_string(root().join("ui/index.html")).unwrap();
    let ui = root().join("ui");
    let missing: Vec<String> = files("ui/js", "js")
        .iter()
        .map(|p| {
            p.strip_prefix(&ui)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|m| {
            m != "js/app.js"
                && !index.contains(&format!("<link rel=\"modulepreload\" href=\"{m}\">"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add to ui/index.html's modulepreload list: {missing:?}"
    );
}

/// Issue 22: on a server every table of what people record announces its changes (a statement
/// trigger `genjin_changes`, migration 13), so every window shows others' changes; a table added
/// later gets one too, or is named here (bookkeeping that changes only beside a table that
/// announces, or derived).
#[test]
fn every_recorded_table_announces_its_changes_on_a_server() {
    const SILENT: &[&str] = &[
        "genjin_schema",
        "history",
        "number_counters",
        "requirement_grams",
        "search_state",
    ];
    let mut tables = Vec::new();
    let mut announced = Vec::new();
    for p in files("src-tauri/store/migrations/postgres", ".sql") {
        let text = std::fs::read_to_string(&p).unwrap();
        let words: Vec<&str> = text.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0] == "CREATE" && w[1] == "TABLE" {
                tables.push(w[2].trim_end_matches('(').to_string());
            }
        }
        for (i, w) in words.windows(3).enumerate() {
            if w == ["CREATE", "TRIGGER", "genjin_changes"] {
                let rest = &words[i..];
                let on = rest.iter().position(|x| *x == "ON").map(|j| rest[j + 1]);
                announced.extend(on.map(str::to_string));
            }
        }
    }
    // the scan found both (a change in how the files are written would otherwise pass unseen)
    assert!(!tables.is_empty() && !announced.is_empty());
    let silent: Vec<&String> = tables
        .iter()
        .filter(|t| !announced.contains(t) && !SILENT.contains(&t.as_str()))
        .collect();
    assert!(
        silent.is_empty(),
        "tables that do not announce their changes: {silent:?}"
    );
}
