//! The Tauri commands through IPC on the mock runtime: argument names, DTOs and `{kind, message}`
//! errors as the window sees them.

use genjin::app::{build_app, AppState};
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

const FIRST_PASSWORD: &str = "lixiaosi1";

struct Harness {
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
}

impl Harness {
    fn new() -> Self {
        let db = super::common::memory_db();
        let app = build_app(
            mock_builder(),
            AppState::new(db, std::path::Path::new(":memory:")),
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Harness { _app: app, webview }
    }

    /// Adds the first person and makes them this window's operator: on a shared database
    /// (issue 22) with the password they set as they are added, which signs them in.
    fn first_person(&self, input: Value) -> Value {
        let mut args = json!({"input": input, "makeOperator": true});
        if super::common::on_server() {
            args["password"] = json!(FIRST_PASSWORD);
        }
        self.call("person_add", args).unwrap()
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.send(cmd, tauri::ipc::InvokeBody::Json(args), Default::default())
    }

    fn send(
        &self,
        cmd: &str,
        body: tauri::ipc::InvokeBody,
        headers: tauri::http::HeaderMap,
    ) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body,
                headers,
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }
}

#[test]
fn changes_need_an_operator_first() {
    let h = Harness::new();
    let info = h.call("app_info", json!({})).unwrap();
    assert!(info["operator"].is_null());
    assert_eq!(info["decisions"].as_array().unwrap().len(), 4);
    let err = h
        .call(
            "requirement_create",
            json!({"input": {"received_date": "2014-06-19", "reporter": "张三", "brief": "x"}}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "conflict");
    assert!(err["message"].as_str().unwrap().contains("操作人"));

    let first = json!({"name": "李小四", "department": "资讯部", "roles": ["需求收集人"]});
    if super::common::on_server() {
        // a shared database: the first person sets their password as they are added (issue 22)
        let err = h
            .call("person_add", json!({"input": first, "makeOperator": true}))
            .unwrap_err();
        assert_eq!(err["field"], "password", "{err}");
        assert!(
            err["message"].as_str().unwrap().contains("设置密码"),
            "{err}"
        );
    }
    let p = h.first_person(first);
    // the first person of a fresh database holds the roles ticked, no more (issue 19)
    assert_eq!(p["roles"], json!(["需求收集人"]));
    let info = h.call("app_info", json!({})).unwrap();
    assert_eq!(info["operator"]["name"], "李小四");
    // a later one the roles given; as operator they may not do what their roles do not allow
    let p = h
        .call("person_add", json!({"input": {"name": "刘小妹", "department": "推广部", "roles": ["需求报告人"]}, "makeOperator": true}))
        .unwrap();
    assert_eq!(p["roles"], json!(["需求报告人"]));
    if super::common::on_server() {
        // there the window's operator is whoever signed in, with their own password
        let info = h.call("app_info", json!({})).unwrap();
        assert_eq!(info["sign_in"], true);
        assert_eq!(info["operator"]["name"], "李小四");
        h.call(
            "person_set_password",
            json!({"id": p["id"], "password": "xiaomei1"}),
        )
        .unwrap();
        let err = h
            .call(
                "operator_sign_in",
                json!({"id": p["id"], "password": "xiaomei2"}),
            )
            .unwrap_err();
        assert_eq!(err["kind"], "forbidden");
        h.call(
            "operator_sign_in",
            json!({"id": p["id"], "password": "xiaomei1"}),
        )
        .unwrap();
    }
    h.call(
        "requirement_create",
        json!({"input": {"received_date": "2014-06-19", "reporter": "刘小妹", "brief": "问卷"}}),
    )
    .unwrap();
    let err = h
        .call(
            "requirement_decide",
            json!({"number": "14061901", "input": {"decision": "不做"}}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "forbidden");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("决策组 或 需求收集人"),
        "{err}"
    );
}

#[test]
fn a_requirement_through_the_commands() {
    let h = Harness::new();
    h.first_person(json!({"name": "李小四", "roles": ["需求收集人", "决策组", "产品经理", "IT", "测试", "需求报告人"]}));
    let r = h
        .call(
            "requirement_create",
            json!({"input": {"kind": "改进需求", "received_date": "2014-06-19", "reporter": "刘小妹", "requester": "郭主任",
                             "brief": "问卷自动计分", "imp_phone_model": "华为 P7"}}),
        )
        .unwrap();
    assert_eq!(r["number"], "14061901");
    assert_eq!(r["kind"], "改进需求");
    assert_eq!(r["status"], "");

    let err = h
        .call(
            "requirement_decide",
            json!({"number": "14061901", "input": {"decision": "做"}}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(
        err["field"], "grade",
        "the missing grade is named (issue 20)"
    );

    let r = h
        .call(
            "requirement_decide",
            json!({"number": "14061901", "input": {"decision": "不做", "version": 1}}),
        )
        .unwrap();
    assert_eq!(r["status"], "完成");
    let stale = h
        .call(
            "requirement_decide",
            json!({"number": "14061901", "input": {"decision": "再议", "version": 1}}),
        )
        .unwrap_err();
    assert_eq!(stale["kind"], "conflict");

    let page = h
        .call("register_query", json!({"query": {"status": "完成"}}))
        .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["number"], "14061901");
    assert_eq!(page["rows"][0]["decision"], "不做");

    let history = h
        .call("requirement_history", json!({"number": "14061901"}))
        .unwrap();
    assert_eq!(history[1]["field_label"], "决策结果");
    assert_eq!(history[1]["actor"], "李小四");
    assert_eq!(history[1]["origin"], "app");

    let due = h
        .call("notification_list", json!({"number": "14061901"}))
        .unwrap();
    assert_eq!(
        due.as_array().unwrap().len(),
        2,
        "不做: reporter and requester, not IT"
    );
    let rec = h
        .call(
            "notification_record",
            json!({"number": "14061901", "input": {"step": "决策结果", "audience": "需求报告人", "channel": "电话", "confirmed": true}}),
        )
        .unwrap();
    assert!(rec["confirmed_at"].is_string());
    assert_eq!(rec["channel"], "电话");
}

#[test]
fn register_pages_are_capped() {
    let h = Harness::new();
    h.first_person(json!({"name": "李小四", "roles": ["需求收集人", "决策组", "产品经理", "IT", "测试", "需求报告人"]}));
    for i in 0..3 {
        h.call("requirement_create", json!({"input": {"received_date": "2014-06-19", "reporter": "张三", "brief": format!("需求{i}")}}))
            .unwrap();
    }
    let page = h
        .call(
            "register_query",
            json!({"query": {"limit": 2, "descending": true}}),
        )
        .unwrap();
    assert_eq!(page["total"], 3);
    assert_eq!(page["rows"].as_array().unwrap().len(), 2);
    assert_eq!(page["rows"][0]["number"], "14061903");
    let bad = h
        .call("register_query", json!({"query": {"grade": "Z"}}))
        .unwrap_err();
    assert_eq!(bad["field"], "grade");
}

#[test]
fn picked_files_arrive_as_raw_bytes_named_in_a_header() {
    let h = Harness::new();
    h.first_person(json!({"name": "李小四", "roles": ["需求收集人", "决策组", "产品经理", "IT", "测试", "需求报告人"]}));
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/legacy/需求登记反馈表_2015.xls");
    let bytes = std::fs::read(file).unwrap();
    let mut headers = tauri::http::HeaderMap::new();
    // what encodeURIComponent makes of the name
    let name: String = "需求登记反馈表_2015.xls"
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    headers.insert("x-file-name", name.parse().unwrap());
    h.send(
        "import_upload",
        tauri::ipc::InvokeBody::Raw(bytes),
        headers.clone(),
    )
    .unwrap();
    let preview = h.call("import_load", json!({"paths": []})).unwrap();
    assert_eq!(preview["created"], 40);
    assert_eq!(preview["files"][0]["file"], "需求登记反馈表_2015.xls");
    // the upload was taken by that load: loading again has nothing
    let err = h.call("import_load", json!({"paths": []})).unwrap_err();
    assert_eq!(err["kind"], "invalid");

    let err = h
        .send(
            "import_upload",
            tauri::ipc::InvokeBody::Raw(vec![1, 2, 3]),
            Default::default(),
        )
        .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("文件名"), "{err}");
    let err = h
        .send(
            "import_upload",
            tauri::ipc::InvokeBody::Json(json!({"bytes": [1, 2, 3]})),
            headers,
        )
        .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("二进制"), "{err}");
}
