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
/// `#[cfg(test)]` (a test module or helper, up to its closing brace at the item's indentation).
fn shipped_lines(p: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(p).unwrap();
    let mut out = Vec::new();
    let mut skipping: Option<usize> = None; // the indentation of the test item being skipped
    let mut item_starts = false; // the line after `#[cfg(test)]`
    for (i, l) in text.lines().enumerate() {
        let indent = l.len() - l.trim_start().len();
        if std::mem::take(&mut item_starts) && l.trim_end().ends_with(';') && !l.contains('{') {
            // a one-line item (`use …;`)
            skipping = None;
            continue;
        }
        if let Some(at) = skipping {
            if indent == at && (l.trim() == "}" || l.trim() == "};") {
                skipping = None;
            }
            continue;
        }
        if l.trim() == "#[cfg(test)]" {
            skipping = Some(indent);
            item_starts = true;
            continue;
        }
        if !l.trim_start().starts_with("//") {
            out.push((i + 1, l.to_string()));
        }
    }
    out
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
