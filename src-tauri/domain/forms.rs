//! The policy's forms (附表1–3), owned once: their titles, labels, order and the field each
//! label carries (SPEC §8; the forms at the end of `shared/seeds/003_*.txt`). The importer reads
//! by these labels, the command line and the window write these headers, and the exports (later
//! issues) lay out these fields in this order.

use serde::Serialize;

/// One labelled place on a form or one column of a register: the requirement (or delay) field
/// it carries and the label printed for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The stored field (a column code, as in `domain::fields`).
    pub key: &'static str,
    /// The label printed on the paper form / the column header.
    pub label: &'static str,
    /// Column width in characters, for registers printed on A4 (0 on forms).
    pub width: u8,
    /// A day: written `20140620` on paper, `YYYY-MM-DD` in JSON.
    pub day: bool,
}

const fn f(key: &'static str, label: &'static str) -> Field {
    Field {
        key,
        label,
        width: 0,
        day: false,
    }
}

const fn day(key: &'static str, label: &'static str) -> Field {
    Field {
        day: true,
        ..f(key, label)
    }
}

const fn col(key: &'static str, label: &'static str, width: u8) -> Field {
    Field {
        width,
        ..f(key, label)
    }
}

const fn day_col(key: &'static str, label: &'static str, width: u8) -> Field {
    Field {
        width,
        ..day(key, label)
    }
}

/// A form: its title and its labelled places, in the order printed.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Form {
    /// `附表2`.
    pub annex: &'static str,
    pub title: &'static str,
    /// The line under the title (报告人 / 部门 / 填报日期 or 申请人 / 部门 / 填报日期).
    pub heading_line: &'static [Field],
    pub fields: &'static [Field],
}

/// 附表3 需求登记反馈表: the register's columns, in the policy's order. Dates are written
/// `20140620` in it; the 预期交付日 column keeps the first promise (SPEC §8).
pub const REGISTER: Form = Form {
    annex: "附表3",
    title: "需求登记反馈表",
    heading_line: &[],
    fields: &[
        col("number", "需求编号", 10),
        col("reporter", "填表人", 8),
        col("requester", "需求人", 8),
        col("decision", "决策结果", 8),
        col("grade", "需求分级", 8),
        day_col("expected_delivery", "预期交付日", 10),
        day_col("actual_delivery", "实际交付日", 10),
        col("status", "需求状态", 8),
        col("brief", "需求梗概", 30),
        col("remark", "备注", 30),
    ],
};

/// 附表2 需求报告表: what a reporter fills in, in the order of the paper form. The 新需求补充
/// questions and the 改进需求补充 part follow 需求补充.
pub const REPORT: Form = Form {
    annex: "附表2",
    title: "需求报告表",
    heading_line: &[
        f("reporter", "报告人"),
        f("reporter_department", "部门"),
        day("report_date", "填报日期"),
    ],
    fields: &[
        f("doctor_name", "医生姓名"),
        f("hospital", "医院"),
        f("clinic_department", "科室"),
        f("app_account", "医享账号"),
        f("doctor_words", "医生原话"),
        f("overview", "概述"),
        // 需求补充 — 新需求补充
        f("new_intensity", "同科室医生对这个需求强烈吗？"),
        f(
            "new_simplifies",
            "这个需求如果实现，能帮助用户简化哪些工作（用户为什么会想要这个功能）？",
        ),
        f("new_similar", "有没有见过类似的功能？如果有，告知软件名。"),
        // 改进需求补充
        f("imp_phone_model", "手机型号"),
        f("imp_os_version", "手机系统及版本"),
        f("imp_annoyance", "旧版本最让人烦的地方"),
        f("imp_steps", "用户操作的过程"),
    ],
};

/// The section headings of 附表2's 需求补充 box, and the hints printed in it.
pub const REPORT_SUPPLEMENT: &str = "需求补充";
pub const REPORT_SUPPLEMENT_NEW: &str = "新需求补充";
pub const REPORT_SUPPLEMENT_IMPROVEMENT: &str = "改进需求补充";
pub const REPORT_SUPPLEMENT_HINT: &str = "医生原话里已经交代清楚的不用赘言。";
pub const REPORT_IMPROVEMENT_HINT: &str = "改进需求最好图文并茂。";

/// 附表1 需求延期交付申请: the applicant's line, the table, the reason and the three
/// signature areas (each with room to write and "年 月 日").
pub const DELAY: Form = Form {
    annex: "附表1",
    title: "需求延期交付申请",
    heading_line: &[
        f("applicant", "申请人"),
        f("applicant_department", "部门"),
        day("filed_date", "填报日期"),
    ],
    fields: &[
        f("number", "需求编号"),
        day("original_date", "原交付日"),
        day("new_date", "新交付日"),
        f("overview", "需求概述"),
        f("reason", "延期原因"),
        f("signoff_direct", "直接领导意见"),
        f("signoff_department", "部门领导意见"),
        f("signoff_gm_office", "总经办意见"),
    ],
};

/// The Bug收集反馈表: the columns of the ledgers testers kept (the legacy files' own headers and
/// order, so an exported ledger reads like theirs), then what Genjin adds — every field a
/// person enters, so a ledger exported by Genjin imports back unchanged (issue 10).
/// Widths fit 25 columns across an A4 landscape page (rows grow to their wrapped text).
/// How many of `BUG_LEDGER`'s columns go on paper: the legacy ledgers' own (Bug编号 … 状态);
/// the rest stay in the file for the round trip (issue 20: 25 columns printed at 5 pt).
pub const BUG_LEDGER_PRINTED: usize = 11;

pub const BUG_LEDGER: Form = Form {
    annex: "",
    title: "Bug收集反馈表",
    heading_line: &[],
    fields: &[
        col("number", "Bug编号", 10),
        col("reporter", "报告人", 7),
        day_col("found_date", "发现日期", 9),
        col("phone_model", "手机型号", 10),
        col("os_version", "手机系统", 10),
        col("content", "Bug内容", 34),
        col("steps", "操作步骤", 34),
        col("reproduced", "是否复现", 5),
        col("tracker_id", "BugFree编号", 8),
        day_col("fixed_date", "修复日期", 9),
        col("state", "状态", 7),
        col("severity", "严重程度", 5),
        col("requirement", "关联需求", 9),
        day_col("received_date", "反馈日期", 9),
        col("app_version", "App版本", 6),
        col("hospital", "医院", 10),
        col("clinic_department", "科室", 6),
        col("bug_type", "类型", 7),
        col("channel", "来源渠道", 7),
        col("fixed_version", "修复版本", 6),
        col("reproduced_by", "测试人员", 7),
        col("reproduce_note", "复现说明", 12),
        col("tracker_url", "跟踪链接", 12),
        col("reporter_copied", "已抄送反馈人", 6),
        col("remark", "备注", 12),
    ],
};

/// The weekly report of new bugs (新增Bug周报) has the ledger's columns; this is its title.
pub const BUG_WEEKLY_TITLE: &str = "新增Bug周报";

/// The box the three signatures sit in on 附表1.
pub const DELAY_OPINIONS: &str = "领导意见";

impl Form {
    /// Every labelled place: the heading line, then the body.
    pub fn all(&self) -> impl Iterator<Item = &'static Field> {
        self.heading_line.iter().chain(self.fields.iter())
    }

    /// The labels in order (for a register: its header row).
    pub fn labels(&self) -> Vec<&'static str> {
        self.all().map(|f| f.label).collect()
    }

    /// The field a label names.
    pub fn field_of(&self, label: &str) -> Option<&'static Field> {
        let label = label.trim();
        self.all().find(|f| f.label == label)
    }

    /// The label printed for a field.
    pub fn label_of(&self, key: &str) -> Option<&'static str> {
        self.all().find(|f| f.key == key).map(|f| f.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_has_the_policy_columns_in_order() {
        assert_eq!(
            REGISTER.labels(),
            [
                "需求编号",
                "填表人",
                "需求人",
                "决策结果",
                "需求分级",
                "预期交付日",
                "实际交付日",
                "需求状态",
                "需求梗概",
                "备注"
            ]
        );
        assert!(REGISTER.all().all(|c| c.width > 0));
    }

    #[test]
    fn labels_lead_to_fields_and_back() {
        assert_eq!(REPORT.field_of("报告人").map(|f| f.key), Some("reporter"));
        assert_eq!(REPORT.field_of(" 报告人 ").map(|f| f.key), Some("reporter"));
        assert_eq!(
            REPORT.field_of("医享账号").map(|f| f.key),
            Some("app_account")
        );
        assert_eq!(REPORT.label_of("doctor_words"), Some("医生原话"));
        assert_eq!(DELAY.label_of("new_date"), Some("新交付日"));
        assert_eq!(REPORT.field_of("需求梗概"), None, "not on the report form");
    }

    #[test]
    fn every_form_field_has_a_history_label() {
        for form in [&REGISTER, &REPORT] {
            for field in form.all().filter(|f| f.key != "status") {
                assert_ne!(
                    super::super::fields::label("requirement", field.key),
                    field.key,
                    "{} has no label in domain::fields",
                    field.key
                );
            }
        }
        for field in DELAY.all().filter(|f| f.key != "number") {
            assert_ne!(
                super::super::fields::label("delay", field.key),
                field.key,
                "{}",
                field.key
            );
        }
    }
}
