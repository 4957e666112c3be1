//! The packages' settings (issue 23), read back: no Windows target can be built on this
//! machine, so what a Windows PC gets is checked by reading what the bundler is told. The Linux
//! packages themselves are built, installed and tried by `tools/package.sh --check`.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("tauri.conf.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn windows_gets_a_per_user_chinese_installer_that_needs_no_internet() {
    let c = config();
    let bundle = &c["bundle"];
    let targets: Vec<&str> = bundle["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for t in ["deb", "rpm", "nsis"] {
        assert!(targets.contains(&t), "{t} is built: {targets:?}");
    }
    // the AppImage bundler downloads its tools while building: not here
    assert!(!targets.contains(&"appimage"), "{targets:?}");
    let nsis = &bundle["windows"]["nsis"];
    // runs without admin rights: installed for the user who runs it
    assert_eq!(nsis["installMode"], "currentUser");
    // in Simplified Chinese, without asking which language
    assert_eq!(nsis["languages"], serde_json::json!(["SimpChinese"]));
    assert_eq!(nsis["displayLanguageSelector"], false);
    assert_eq!(bundle["windows"]["wix"]["language"], "zh-CN");
    // a PC without the WebView2 runtime and without internet still gets a working Genjin:
    // the runtime's offline installer is inside (+≈127 MB), run only where it is missing
    assert_eq!(
        bundle["windows"]["webviewInstallMode"],
        serde_json::json!({ "type": "offlineInstaller", "silent": true })
    );
}

#[test]
fn uninstalling_on_windows_never_deletes_the_database() {
    let c = config();
    let hooks = c["bundle"]["windows"]["nsis"]["installerHooks"]
        .as_str()
        .unwrap();
    let hooks = std::fs::read_to_string(root().join(hooks)).unwrap();
    let hook = |name: &str| -> String {
        hooks
            .split(&format!("!macro {name}\n"))
            .nth(1)
            .and_then(|m| m.split("!macroend").next())
            .unwrap_or_else(|| panic!("a {name} hook"))
            .to_string()
    };
    // Tauri's uninstaller deletes %APPDATA%\<identifier> (the database, its backups) when its
    // 删除应用程序数据 box is ticked: the pre-uninstall hook (run before that) keeps the answer
    // and clears the box for it
    let pre = hook("NSIS_HOOK_PREUNINSTALL");
    assert!(
        pre.contains("StrCpy $GenjinDeleteLocalData $DeleteAppDataCheckboxState\n")
            && pre
                .trim_end()
                .ends_with("StrCpy $DeleteAppDataCheckboxState 0"),
        "{pre}"
    );
    // the post-uninstall hook (the program closed, its files gone) deletes only the window's
    // local data, and not on an update
    let post = hook("NSIS_HOOK_POSTUNINSTALL");
    assert!(post.contains("${If} $GenjinDeleteLocalData = 1"), "{post}");
    assert!(post.contains("${AndIf} $UpdateMode <> 1"), "{post}");
    assert!(
        post.contains(r#"RmDir /r "$LOCALAPPDATA\${BUNDLEID}""#),
        "{post}"
    );
    for h in [&pre, &post] {
        assert!(!h.contains("$APPDATA"), "{h}");
    }
    // where that data lives, as the hook says
    assert_eq!(c["identifier"], "cn.genjin.desktop");
}

#[test]
fn windows_starts_the_window_without_a_console_and_installs_a_console_twin() {
    let main = std::fs::read_to_string(root().join("src-tauri/main.rs")).unwrap();
    assert!(
        main.contains(
            r#"#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]"#
        ),
        "a release genjin.exe opens no console window"
    );
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    // the bundler installs every [[bin]] of the package beside the main one
    assert!(manifest.contains("name = \"genjin-cli\"\npath = \"src-tauri/console.rs\""));
    assert!(manifest.contains("default-run = \"genjin\""));
    let console = std::fs::read_to_string(root().join("src-tauri/console.rs")).unwrap();
    assert!(
        !console.contains("windows_subsystem"),
        "genjin-cli keeps its console"
    );
    assert!(console.contains("genjin::cli::main(std::env::args_os())"));
    assert_eq!(config()["mainBinaryName"], "genjin");
}

#[test]
fn linux_menus_show_the_chinese_name_and_the_icon() {
    let c = config();
    for kind in ["deb", "rpm"] {
        let template = c["bundle"]["linux"][kind]["desktopTemplate"]
            .as_str()
            .unwrap();
        let entry = std::fs::read_to_string(root().join(template)).unwrap();
        assert!(
            entry.contains("\nName=跟进 — 客户需求反馈及跟进\n"),
            "{entry}"
        );
        assert!(entry.contains("\nIcon={{icon}}\n") && entry.contains("\nExec={{exec}}\n"));
    }
    let icons: Vec<&str> = c["bundle"]["icon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    for icon in &icons {
        assert!(root().join(icon).is_file(), "{icon}");
    }
    assert!(icons.iter().any(|i| i.ends_with(".ico")), "Windows' icon");
}

#[test]
fn the_command_line_says_its_version() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_genjin"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("genjin {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(config()["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn the_console_twin_runs_the_same_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("数据 目录").join("需求.sqlite3");
    let run = |bin: &str, args: &[&str]| {
        let o = std::process::Command::new(bin)
            .env_remove("GENJIN_DB")
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let cli = env!("CARGO_BIN_EXE_genjin-cli");
    let added = run(
        cli,
        &[
            "add-requirement",
            "--received",
            "2014-06-19",
            "--reporter",
            "张三",
            "--summary",
            "问卷自动计分",
        ],
    );
    assert!(added.contains("14061901"), "{added}");
    let about = run(env!("CARGO_BIN_EXE_genjin"), &["about", "--json"]);
    let about: serde_json::Value = serde_json::from_str(&about).unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["database"], db.display().to_string());
    assert_eq!(about["shared"], false);
    // the console twin opened it before this run, on this PC
    assert_eq!(about["opened_before"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        about["opened_by"],
        serde_json::json!([{ "pc": about["pc"], "version": env!("CARGO_PKG_VERSION") }])
    );
    let said = run(cli, &["about"]);
    assert!(
        said.starts_with(&format!(
            "跟进 Genjin {}（这台电脑：",
            env!("CARGO_PKG_VERSION")
        )),
        "{said}"
    );
}
