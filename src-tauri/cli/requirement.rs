//! One requirement's life: add-requirement, show, decide, expect, complete, withdraw, history,
//! timeline.

use super::{closed, to_json};
use crate::domain::dates;
use crate::domain::requirement::{Decision, Grade, Kind};
use crate::error::Result;
use crate::store::{
    Actor, Db, DecisionInput, DeliveryInput, Requirement, RequirementInput, StepTime,
};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct AddArgs {
    /// 收到日期（决定需求编号），例如 2014-06-19
    #[arg(long)]
    received: String,
    /// 填表人（需求报告人）
    #[arg(long)]
    reporter: String,
    /// 需求梗概（不超过 50 字，关键词用空格分隔）
    #[arg(long)]
    summary: String,
    /// 需求人（提出需求的医生/用户）
    #[arg(long, default_value = "")]
    requester: String,
    /// 需求类型：新需求 / 改进需求
    #[arg(long, default_value = "新需求", value_parser = closed(Kind::parse, "kind", "需求类型"))]
    kind: Kind,
    /// 需求来源，例如 推广部转达
    #[arg(long, default_value = "")]
    source: String,
    /// 填表人部门
    #[arg(long, default_value = "")]
    department: String,
    /// 填报日期
    #[arg(long, default_value = "")]
    report_date: String,
    /// 医生姓名
    #[arg(long, default_value = "")]
    doctor: String,
    /// 医院
    #[arg(long, default_value = "")]
    hospital: String,
    /// 科室
    #[arg(long, default_value = "")]
    clinic: String,
    /// 医享账号
    #[arg(long, default_value = "")]
    account: String,
    /// 医生原话（原样保存）
    #[arg(long, default_value = "")]
    words: String,
    /// 概述
    #[arg(long, default_value = "")]
    overview: String,
    /// 备注
    #[arg(long, default_value = "")]
    remark: String,
    /// 登记时间（默认现在；补录时写实际登记的时间），例如 "2014-06-19 16:30"
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// 需求编号，例如 14061903
    number: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    number: String,
    /// 决策结果：做 / 不做 / 再议 / 需求转换
    #[arg(long, value_parser = closed(Decision::parse, "decision", "决策结果"))]
    decision: Decision,
    /// 需求分级：A / B / C / D（“做”和“需求转换”必填）
    #[arg(long, value_parser = grade)]
    grade: Option<Grade>,
    /// 转换概要（“需求转换”必填，写入备注）
    #[arg(long, default_value = "")]
    conversion: String,
    /// 不做的原因（可选，写进告知需求人的消息）
    #[arg(long, default_value = "")]
    reason: String,
    /// 决策日期（默认为发生当天）
    #[arg(long, default_value = "")]
    date: String,
    /// 发生时间（默认现在），例如 "2014-06-21 10:30"
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct DayArgs {
    number: String,
    /// 日期，例如 2014-06-25
    #[arg(long)]
    date: String,
    /// 由谁完成（他人代录时写明；默认：操作人担任这一步的角色时为操作人）
    #[arg(long)]
    by: Option<String>,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct ResponsibleArgs {
    number: String,
    /// 需求收集人（空字符串表示清除）
    #[arg(long)]
    collector: Option<String>,
    /// 产品经理
    #[arg(long)]
    product_manager: Option<String>,
    /// IT负责人
    #[arg(long = "it")]
    it_owner: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    number: String,
    /// 策划文档编号
    #[arg(long)]
    doc_number: Option<String>,
    /// 策划文档预计交付日
    #[arg(long)]
    estimated: Option<String>,
    /// 策划文档实际交付日（收到策划文档的日子）
    #[arg(long)]
    delivered: Option<String>,
    /// 由谁完成（他人代录时写明；默认：操作人担任这一步的角色时为操作人）
    #[arg(long)]
    by: Option<String>,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct AcceptanceArgs {
    number: String,
    /// IT 预计验收日
    #[arg(long)]
    estimated: Option<String>,
    /// IT 实际验收日
    #[arg(long)]
    actual: Option<String>,
    /// 由谁完成（他人代录时写明；默认：操作人担任这一步的角色时为操作人）
    #[arg(long)]
    by: Option<String>,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct WithdrawArgs {
    number: String,
    /// 撤回原因
    #[arg(long)]
    reason: String,
}

#[derive(Args, Debug)]
pub struct AttachArgs {
    /// 需求编号
    #[arg(value_name = "需求编号")]
    number: String,
    /// 截图文件（.jpg / .png）
    #[arg(value_name = "文件", required = true)]
    files: Vec<std::path::PathBuf>,
}

#[derive(Args, Debug)]
pub struct EraseArgs {
    /// 需求编号或 Bug 编号，例如 14061903、B14070101
    number: String,
    /// 删除原因（例如：本人要求删除）
    #[arg(long)]
    reason: String,
    /// 还要从文字中删除的姓名（可多次给出），例如 Bug 内容里写到的用户姓名
    #[arg(long = "name")]
    names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    number: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// 需求编号，例如 14061903
    number: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

pub fn add(db: &mut Db, actor: &Actor, a: AddArgs, out: &mut dyn Write) -> Result<()> {
    let input = RequirementInput {
        kind: Some(a.kind),
        source: a.source,
        reporter: a.reporter,
        reporter_department: a.department,
        report_date: a.report_date,
        received_date: a.received,
        requester: a.requester,
        doctor_name: a.doctor,
        hospital: a.hospital,
        clinic_department: a.clinic,
        app_account: a.account,
        doctor_words: a.words,
        overview: a.overview,
        brief: a.summary,
        remark: a.remark,
        happened_at: a.at,
        ..Default::default()
    };
    let r = db.create_requirement(actor, &input)?;
    writeln!(out, "{}", r.number)?;
    Ok(())
}

pub fn show(db: &Db, a: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let r = db.requirement_on(&a.number, crate::clock::today())?;
    if a.json {
        let mut v = serde_json::to_value(&r).map_err(super::json_error)?;
        // the promised date in force (after approved delays), under its policy name
        v["现行交付日"] = serde_json::json!(r.promised_date);
        writeln!(out, "{}", to_json(&v)?)?;
    } else {
        show_text(&r, out)?;
    }
    Ok(())
}

pub fn decide(db: &mut Db, actor: &Actor, a: DecideArgs, out: &mut dyn Write) -> Result<()> {
    let input = DecisionInput {
        decision: a.decision,
        grade: a.grade,
        conversion_summary: a.conversion,
        decision_reason: a.reason,
        decision_date: a.date,
        at: StepTime {
            happened_at: a.at,
            version: None,
            by: None,
        },
    };
    let r = db.record_decision(actor, &a.number, &input)?;
    writeln!(
        out,
        "{} 决策结果：{} 状态：{}",
        r.number,
        label_of(r.decision),
        r.status.label()
    )?;
    Ok(())
}

pub fn expect(db: &mut Db, actor: &Actor, a: DayArgs, out: &mut dyn Write) -> Result<()> {
    let r = db.record_expected_delivery(actor, &a.number, &day_input(a.date, a.at, a.by))?;
    writeln!(
        out,
        "{} 预期交付日：{}",
        r.number,
        r.expected_delivery.unwrap_or_default()
    )?;
    Ok(())
}

pub fn complete(db: &mut Db, actor: &Actor, a: DayArgs, out: &mut dyn Write) -> Result<()> {
    let r = db.record_completion(actor, &a.number, &day_input(a.date, a.at, a.by))?;
    writeln!(
        out,
        "{} 实际交付日：{} 状态：{}",
        r.number,
        r.actual_delivery.unwrap_or_default(),
        r.status.label()
    )?;
    Ok(())
}

/// 负责人: who answers for the requirement's steps; what is not given is kept.
pub fn responsible(
    db: &mut Db,
    actor: &Actor,
    a: ResponsibleArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let r = db.set_responsible(
        actor,
        &a.number,
        &crate::store::ResponsibleInput {
            collector: a.collector,
            product_manager: a.product_manager,
            it_owner: a.it_owner,
            at: StepTime::default(),
        },
    )?;
    writeln!(
        out,
        "{} 需求收集人：{}，产品经理：{}，IT负责人：{}",
        r.number, r.collector, r.product_manager, r.it_owner
    )?;
    Ok(())
}

/// 策划: the planning document's number, estimate and delivery; what is not given is kept.
pub fn plan(db: &mut Db, actor: &Actor, a: PlanArgs, out: &mut dyn Write) -> Result<()> {
    let now = db.requirement(&a.number)?;
    let keep = |given: Option<String>, stored: Option<String>| given.or(stored).unwrap_or_default();
    let r = db.record_plan(
        actor,
        &a.number,
        &crate::store::PlanInput {
            plan_doc_number: keep(a.doc_number, Some(now.plan_doc_number)),
            plan_estimated_date: keep(a.estimated, now.plan_estimated_date),
            plan_actual_date: keep(a.delivered, now.plan_actual_date),
            at: StepTime {
                happened_at: a.at,
                version: None,
                by: a.by,
            },
        },
    )?;
    writeln!(
        out,
        "{} 策划文档 {}：预计 {}，实际 {}",
        r.number,
        r.plan_doc_number,
        r.plan_estimated_date.unwrap_or_default(),
        r.plan_actual_date.unwrap_or_default()
    )?;
    Ok(())
}

/// IT 验收: the estimated and actual acceptance days; what is not given is kept.
pub fn acceptance(
    db: &mut Db,
    actor: &Actor,
    a: AcceptanceArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let now = db.requirement(&a.number)?;
    let r = db.record_it_acceptance(
        actor,
        &a.number,
        &crate::store::ItAcceptanceInput {
            estimated: a
                .estimated
                .or(now.it_acceptance_estimated)
                .unwrap_or_default(),
            actual: a.actual.or(now.it_acceptance_actual).unwrap_or_default(),
            at: StepTime {
                happened_at: a.at,
                version: None,
                by: a.by,
            },
        },
    )?;
    writeln!(
        out,
        "{} IT验收：预计 {}，实际 {}",
        r.number,
        r.it_acceptance_estimated.unwrap_or_default(),
        r.it_acceptance_actual.unwrap_or_default()
    )?;
    Ok(())
}

pub fn withdraw(db: &mut Db, actor: &Actor, a: WithdrawArgs, out: &mut dyn Write) -> Result<()> {
    let r = db.withdraw_requirement(actor, &a.number, &a.reason, &StepTime::default())?;
    writeln!(out, "{} 已撤回", r.number)?;
    Ok(())
}

/// `attach NUMBER FILE…`: screenshots kept with a requirement, all or none.
pub fn attach(db: &mut Db, actor: &Actor, a: AttachArgs, out: &mut dyn Write) -> Result<()> {
    let files = super::read_files(&a.files, "file")?;
    let shots = db.attach_to_requirement(actor, &a.number, &files)?;
    writeln!(
        out,
        "{} 已添加 {} 张截图，共 {} 张",
        a.number.trim(),
        files.len(),
        shots.len()
    )?;
    Ok(())
}

/// `erase NUMBER --reason [--name …]`: a requirement's or a bug's personal data erased on
/// request (PIPL), in the backups it reaches too; what is left is said.
pub fn erase(db: &mut Db, actor: &Actor, a: EraseArgs, out: &mut dyn Write) -> Result<()> {
    let e = db.erase(actor, &a.number, &a.reason, &a.names)?;
    let what = if e.noun == "需求" {
        "医生姓名、医享账号、医生原话、需求人，文字中的这些名字和电话号码"
    } else {
        "Bug 内容和通知中用户的姓名、给出的姓名和电话号码"
    };
    writeln!(
        out,
        "{} {} 的个人信息已删除（{what}），历史记录、通知和搜索索引中也已删除",
        e.noun, e.number
    )?;
    if !e.backups_scrubbed.is_empty() {
        writeln!(
            out,
            "已同样删除 {} 个备份中的这些信息",
            e.backups_scrubbed.len()
        )?;
    }
    for left in &e.backups_left {
        writeln!(out, "这个备份中仍有原内容：{left}")?;
    }
    writeln!(out, "注意：{}", e.note)?;
    Ok(())
}

pub fn history(db: &Db, a: HistoryArgs, out: &mut dyn Write) -> Result<()> {
    // a 需求编号, or a Bug's number (its own sequence)
    let h = match db.requirement(&a.number) {
        Ok(r) => db.requirement_history(r.id)?,
        Err(crate::error::Error::NotFound(not_req)) => match db.bug(&a.number) {
            Ok(b) => db.history("bug", b.id)?,
            Err(crate::error::Error::NotFound(_)) => {
                return Err(crate::error::Error::NotFound(format!(
                    "{not_req}，也没有这个编号的 Bug"
                )))
            }
            Err(e) => return Err(e),
        },
        Err(e) => return Err(e),
    };
    if a.json {
        writeln!(out, "{}", to_json(&h)?)?;
    } else {
        for e in h {
            writeln!(
                out,
                "{}\t{}\t{} → {}\t{}\t记录于 {}",
                e.happened_at,
                e.field_label,
                e.old_value.unwrap_or_default(),
                e.new_value.unwrap_or_default(),
                e.actor,
                e.recorded_at
            )?;
        }
    }
    Ok(())
}

/// One line per event, oldest first: `YYYY-MM-DD<TAB>what<TAB>detail<TAB>origin`.
pub fn timeline(db: &Db, a: TimelineArgs, out: &mut dyn Write) -> Result<()> {
    let events = db.requirement_timeline(&a.number)?;
    if a.json {
        writeln!(out, "{}", to_json(&events)?)?;
        return Ok(());
    }
    for e in &events {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            dates::iso(e.happened.day()),
            e.kind.label(),
            e.detail.replace(['\t', '\n'], " "),
            e.origin
        )?;
    }
    Ok(())
}

/// `--grade`: A–D, lower case accepted.
fn grade(v: &str) -> Result<Grade> {
    closed(Grade::parse, "grade", "需求分级")(&v.to_uppercase())
}

fn day_input(date: String, at: Option<String>, by: Option<String>) -> DeliveryInput {
    DeliveryInput {
        date,
        at: StepTime {
            happened_at: at,
            version: None,
            by,
        },
    }
}

fn label_of(d: Option<Decision>) -> &'static str {
    d.map(|d| d.label()).unwrap_or("")
}

fn show_text(r: &Requirement, out: &mut dyn Write) -> Result<()> {
    let d = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows: Vec<(&str, String)> = vec![
        ("需求编号", r.number.clone()),
        ("需求状态", r.status.label().to_string()),
        ("需求类型", r.kind.label().to_string()),
        ("需求来源", r.source.clone()),
        (
            "填表人",
            format!("{} {}", r.reporter, r.reporter_department)
                .trim()
                .to_string(),
        ),
        ("填报日期", d(&r.report_date)),
        ("收到日期", r.received_date.clone()),
        ("需求人", r.requester.clone()),
        ("医生姓名", r.doctor_name.clone()),
        ("医院", r.hospital.clone()),
        ("科室", r.clinic_department.clone()),
        ("医享账号", r.app_account.clone()),
        ("医生原话", r.doctor_words.clone()),
        ("概述", r.overview.clone()),
        ("需求梗概", r.brief.clone()),
        ("决策结果", label_of(r.decision).to_string()),
        (
            "需求分级",
            r.grade.map(|g| g.label().to_string()).unwrap_or_default(),
        ),
        ("决策日期", d(&r.decision_date)),
        ("策划文档", r.plan_doc_number.clone()),
        ("预期交付日", d(&r.expected_delivery)),
        ("当前承诺交付日", d(&r.promised_date)),
        ("实际交付日", d(&r.actual_delivery)),
        ("备注", r.register_remark.clone()),
        ("需求收集人", r.collector.clone()),
        ("产品经理", r.product_manager.clone()),
        ("IT负责人", r.it_owner.clone()),
        (
            "截图",
            r.screenshots
                .iter()
                .map(|a| a.file_name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        ),
    ];
    for (k, v) in rows {
        writeln!(out, "{k}：{v}")?;
    }
    if let Some(w) = &r.withdrawn_at {
        writeln!(out, "已撤回：{w}（{}）", r.withdrawn_reason)?;
    }
    if r.overdue {
        writeln!(
            out,
            "逾期：承诺交付日 {} 已过，尚未完成",
            d(&r.promised_date)
        )?;
    }
    if r.delivered_late {
        writeln!(out, "逾期交付：晚于承诺交付日 {}", d(&r.promised_date))?;
    }
    Ok(())
}
