//! Names of recorded fields as people read them, for history and error messages: each entity
//! with history (requirement, delay application, person, setting) has its own labels.

use super::notify::{Audience, Step};
use super::people::roles_from_codes;
use super::requirement::{Decision, Kind};

/// Events any entity may record. (code, Chinese label).
const EVENTS: &[(&str, &str)] = &[
    ("created", "创建"),
    ("withdrawn", "撤回"),
    ("restored", "恢复"),
    ("imported", "导入"),
    ("personal_data_erased", "删除个人信息"),
    ("done_by", "完成人（他人代录）"),
    ("screenshot", "添加截图"),
];

/// A requirement's fields (附表2 and 附表3). Codes are column names.
const REQUIREMENT: &[(&str, &str)] = &[
    ("number", "需求编号"),
    ("kind", "需求类型"),
    ("source", "需求来源"),
    ("reporter", "填表人"),
    ("reporter_department", "填表人部门"),
    ("report_date", "填报日期"),
    ("received_date", "收到日期"),
    ("requester", "需求人"),
    ("doctor_name", "医生姓名"),
    ("hospital", "医院"),
    ("clinic_department", "科室"),
    ("app_account", "医享账号"),
    ("doctor_words", "医生原话"),
    ("overview", "概述"),
    ("brief", "需求梗概"),
    ("new_intensity", "同科室需求强烈程度"),
    ("new_simplifies", "能简化哪些工作"),
    ("new_similar", "类似功能"),
    ("imp_phone_model", "手机型号"),
    ("imp_os_version", "手机系统及版本"),
    ("imp_annoyance", "旧版本最困扰之处"),
    ("imp_steps", "用户操作过程"),
    ("decision", "决策结果"),
    ("grade", "需求分级"),
    ("decision_date", "决策日期"),
    ("conversion_summary", "转换概要"),
    ("decision_reason", "不做的原因"),
    ("plan_doc_number", "策划文档编号"),
    ("plan_estimated_date", "策划文档预计交付"),
    ("plan_actual_date", "策划文档实际交付"),
    ("it_acceptance_estimated", "IT预计验收日"),
    ("it_acceptance_actual", "IT实际验收日"),
    ("expected_delivery", "预期交付日"),
    ("actual_delivery", "实际交付日"),
    ("remark", "备注"),
    ("withdrawn_reason", "撤回原因"),
    ("notification", "通知"),
    ("notification_confirmed", "确认已知"),
    ("from_bug", "由 Bug 转来"),
    ("collector", "需求收集人"),
    ("product_manager", "产品经理"),
    ("it_owner", "IT负责人"),
];

/// A delay application's fields (附表1) and its sign-off events.
const DELAY: &[(&str, &str)] = &[
    ("applicant", "申请人"),
    ("applicant_department", "部门"),
    ("filed_date", "填报日期"),
    ("original_date", "原交付日"),
    ("new_date", "新交付日"),
    ("overview", "需求概述"),
    ("reason", "延期原因"),
    ("approved_on", "批准日期"),
    ("rejected_on", "驳回日期"),
    ("withdrawn_reason", "撤回原因"),
    ("signoff_direct", "直接领导意见"),
    ("signoff_department", "部门领导意见"),
    ("signoff_gm_office", "总经办意见"),
    ("signoff_direct_voided", "作废直接领导签字（原因）"),
    ("signoff_department_voided", "作废部门领导签字（原因）"),
    ("signoff_gm_office_voided", "作废总经办签字（原因）"),
    ("short_reason", "简短原因"),
    ("attachment", "签字扫描件"),
];

/// A bug's fields (Bug收集反馈表).
const BUG: &[(&str, &str)] = &[
    ("number", "编号"),
    ("reporter", "反馈人"),
    ("found_date", "发现日期"),
    ("received_date", "反馈日期"),
    ("phone_model", "手机型号"),
    ("os_version", "手机系统"),
    ("app_version", "App版本"),
    ("content", "内容"),
    ("steps", "重现步骤"),
    ("hospital", "医院"),
    ("clinic_department", "科室"),
    ("bug_type", "类型"),
    ("severity", "严重程度"),
    ("channel", "来源渠道"),
    ("reproduced", "复现结果"),
    ("reproduced_by", "测试人员"),
    ("reproduced_at", "复现时间"),
    ("reproduce_note", "复现说明"),
    ("tracker_id", "跟踪编号"),
    ("tracker_url", "跟踪链接"),
    ("reporter_copied", "已抄送反馈人"),
    ("remark", "备注"),
    ("fixed_date", "修复日期"),
    ("fixed_version", "修复版本"),
    ("converted_at", "转需求"),
    ("converted", "转为需求"),
    ("notification", "通知"),
    ("notification_confirmed", "确认已知"),
];

const PERSON: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("department", "部门"),
    ("roles", "角色"),
    ("active", "在职"),
];

/// The Chinese label of a field (or event) of an entity (`requirement`, `delay`, `person`,
/// `setting`, …); an unknown code is shown as it is.
pub fn label<'a>(entity: &str, code: &'a str) -> &'a str {
    let own: &[(&str, &str)] = match entity {
        "requirement" => REQUIREMENT,
        "delay" => DELAY,
        "bug" => BUG,
        "person" => PERSON,
        _ => &[],
    };
    EVENTS
        .iter()
        .chain(own)
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// A stored value of an entity's field as people read it: codes become their Chinese labels.
pub fn display(entity: &str, field: &str, value: &str) -> String {
    match (entity, field) {
        ("requirement", "decision") => Decision::from_code(value).map(|d| d.label().to_string()),
        ("requirement", "kind") => Kind::from_code(value).map(|k| k.label().to_string()),
        ("person", "roles") => Some(
            roles_from_codes(value)
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("person", "active") | ("bug", "reporter_copied") => {
            Some(if value == "1" { "是" } else { "否" }.to_string())
        }
        ("bug", "reproduced") => Some(
            if value == "1" {
                "已复现"
            } else {
                "无法复现"
            }
            .to_string(),
        ),
        // a stored moment reads as people write it (issue 20): 2026-11-16 16:00
        _ => super::dates::local_of_moment(value).map(|t| super::dates::minute(&t)),
    }
    .unwrap_or_else(|| value.to_string())
}

/// Where a change came from, as people read it: 窗口, 命令行, 导入 FILE (the file's name only,
/// never a path); anything else as it is.
pub fn origin_label(origin: &str) -> String {
    match origin {
        "app" => "窗口".into(),
        "cli" => "命令行".into(),
        o => match (o.strip_prefix("import:"), o.strip_prefix("sync:")) {
            (Some(file), _) => {
                let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
                format!("导入 {name}")
            }
            // a step recorded on a laptop, applied by a sync (issue 24): by file or network
            (_, Some(how)) => format!("外出同步 {how}"),
            _ => o.to_string(),
        },
    }
}

/// Text for a notification event in the history: `决策结果 → 需求报告人 张三（QQ）`.
pub fn notification_summary(
    step: Step,
    audience: Audience,
    recipient: &str,
    channel: &str,
) -> String {
    format!(
        "{} → {} {}（{}）",
        step.label(),
        audience.label(),
        recipient,
        channel
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_displays() {
        assert_eq!(label("requirement", "expected_delivery"), "预期交付日");
        assert_eq!(label("requirement", "unknown_field"), "unknown_field");
        assert_eq!(label("delay", "new_date"), "新交付日");
        assert_eq!(label("delay", "created"), "创建");
        assert_eq!(label("person", "name"), "姓名");
        assert_eq!(
            label("person", "brief"),
            "brief",
            "a requirement field is not a person's"
        );
        assert_eq!(display("requirement", "decision", "convert"), "需求转换");
        assert_eq!(display("person", "roles", "collector,it"), "需求收集人、IT");
        assert_eq!(display("requirement", "brief", "x"), "x");
        assert_eq!(
            display("notification", "sent_at", "2026-11-16T16:00:00+08:00"),
            "2026-11-16 16:00",
            "a stored moment reads as people write it"
        );
        assert_eq!(display("requirement", "brief", "2026-11-16"), "2026-11-16");
        assert_eq!(
            display("bug", "decision", "convert"),
            "convert",
            "another entity's field"
        );
        assert_eq!(origin_label("app"), "窗口");
        assert_eq!(origin_label("cli"), "命令行");
        assert_eq!(
            origin_label("import:需求报告表14061903.xlsx"),
            "导入 需求报告表14061903.xlsx"
        );
        assert_eq!(
            origin_label("import:D:\\旧表\\登记表.xls"),
            "导入 登记表.xls"
        );
        assert_eq!(origin_label("sync:网络"), "外出同步 网络");
        assert_eq!(
            origin_label("sync:外出同步-张三.genjin"),
            "外出同步 外出同步-张三.genjin"
        );
    }
}
