//! `delay file|sign|withdraw` and `delays`: 附表1 需求延期交付申请 from the command line (issue 9's
//! exact interface: scripts drive it).

use super::{closed, to_json};
use crate::domain::delay::{Opinion, SignLevel};
use crate::error::{Error, Result};
use crate::store::{Actor, Db, DelayInput, DelayView, SignInput, StepTime};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::io::Write;

#[derive(Args, Debug)]
pub struct DelayArgs {
    #[command(subcommand)]
    action: DelayAction,
}

#[derive(Subcommand, Debug)]
enum DelayAction {
    /// 提交一份需求延期交付申请（附表1），打印申请编号
    File(FileArgs),
    /// 记录一位领导的签字（直接领导 → 部门领导 → 总经办，依次各一次）
    Sign(SignArgs),
    /// 撤回一份尚无人签字的申请
    Withdraw(WithdrawArgs),
    /// 作废录错的签字（批准前，从最后一级往前；原因记入历史），再重新记录正确的签字
    Void(VoidArgs),
    /// 保存签字后的纸质申请（照片或扫描件：.jpg / .png / .pdf）
    Attach(AttachArgs),
}

#[derive(Args, Debug)]
struct AttachArgs {
    /// 申请编号
    id: String,
    /// 照片或扫描件的文件路径
    file: std::path::PathBuf,
}

#[derive(Args, Debug)]
struct FileArgs {
    /// 需求编号，例如 14061914
    number: String,
    /// 新交付日，例如 2014-07-25（须晚于原交付日）
    #[arg(long)]
    new_date: String,
    /// 延期原因（完整原因，印在附表1上）
    #[arg(long)]
    reason: String,
    /// 简短原因（写进登记表备注和给需求人的消息，至多 20 字；默认取延期原因的第一句）
    #[arg(long, default_value = "")]
    short_reason: String,
    /// 需求概述（默认取需求的概述或梗概）
    #[arg(long, default_value = "")]
    overview: String,
    /// 填报日期（默认今天）
    #[arg(long, default_value = "")]
    filed: String,
    /// 发生时间（默认现在），例如 "2014-06-25 10:30"
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct SignArgs {
    /// 申请编号（delay file 打印的数字）
    id: String,
    /// 签字级别：直接领导 / 部门领导 / 总经办
    #[arg(long, value_parser = closed(SignLevel::parse, "level", "签字级别"))]
    level: SignLevel,
    /// 意见：同意 / 不同意
    #[arg(long, value_parser = closed(Opinion::parse, "opinion", "意见"))]
    opinion: Opinion,
    /// 签字人（人员姓名；默认为记录的人，即 --as）
    #[arg(long, default_value = "")]
    signer: String,
    /// 领导写下的意见说明
    #[arg(long, default_value = "")]
    comment: String,
    /// 签字日期（纸上写的日期；默认今天）
    #[arg(long, default_value = "")]
    date: String,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct VoidArgs {
    /// 申请编号
    #[arg(value_name = "申请编号")]
    id: String,
    /// 作废哪一级的签字：直接领导 / 部门领导 / 总经办
    #[arg(long, value_parser = closed(SignLevel::parse, "level", "签字级别"))]
    level: SignLevel,
    /// 作废原因（例如：签字人录错）
    #[arg(long)]
    reason: String,
}

#[derive(Args, Debug)]
struct WithdrawArgs {
    /// 申请编号
    id: String,
    /// 撤回原因
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Args, Debug)]
pub struct DelaysArgs {
    /// 只列出这条需求的申请（需求编号）
    number: Option<String>,
    /// 以 JSON 数组输出（键为附表1的中文名称，日期为 YYYY-MM-DD）
    #[arg(long)]
    json: bool,
}

/// An application id as typed; a Chinese refusal otherwise.
fn id(s: &str) -> Result<i64> {
    s.trim()
        .parse()
        .map_err(|_| Error::invalid("id", format!("申请编号“{s}”不是数字")))
}

pub fn delay(db: &mut Db, actor: &Actor, a: DelayArgs, out: &mut dyn Write) -> Result<()> {
    match a.action {
        DelayAction::File(f) => {
            let v = db.file_delay(
                actor,
                &f.number,
                &DelayInput {
                    new_date: f.new_date,
                    reason: f.reason,
                    short_reason: f.short_reason,
                    overview: f.overview,
                    filed_date: f.filed,
                    at: StepTime {
                        happened_at: f.at,
                        version: None,
                        by: None,
                    },
                    ..Default::default()
                },
            )?;
            writeln!(out, "{}", v.id)?;
        }
        DelayAction::Sign(s) => {
            let v = db.sign_delay(
                actor,
                id(&s.id)?,
                &SignInput {
                    level: s.level,
                    opinion: s.opinion,
                    signer: s.signer,
                    comment: s.comment,
                    date: s.date,
                    at: StepTime {
                        happened_at: s.at,
                        version: None,
                        by: None,
                    },
                },
            )?;
            // what went in, as the paper says it, then where the application stands
            if let Some(x) = v.signoffs.iter().find(|x| x.level == s.level) {
                writeln!(
                    out,
                    "{} {} {}（{}）",
                    x.level.label(),
                    x.signer,
                    x.opinion.label(),
                    x.signed_on
                )?;
            }
            writeln!(
                out,
                "延期申请 {}（需求 {}）：{}",
                v.id,
                v.number,
                v.state.label()
            )?;
        }
        DelayAction::Attach(t) => {
            let bytes = std::fs::read(&t.file).map_err(|e| {
                Error::invalid(
                    "file",
                    format!(
                        "无法读取 {}：{}",
                        t.file.display(),
                        crate::error::io_reason(&e)
                    ),
                )
            })?;
            let v = db.attach_delay_scan(actor, id(&t.id)?, &t.file.to_string_lossy(), &bytes)?;
            writeln!(out, "已保存：{}（{} 字节）", v.file_name, v.size)?;
        }
        DelayAction::Void(x) => {
            let v = db.void_signoff(actor, id(&x.id)?, x.level, &x.reason, &StepTime::default())?;
            writeln!(
                out,
                "已作废{}的签字；延期申请 {}（需求 {}）：{}",
                x.level.label(),
                v.id,
                v.number,
                v.state.label()
            )?;
        }
        DelayAction::Withdraw(w) => {
            let v = db.withdraw_delay(actor, id(&w.id)?, &w.reason, &StepTime::default())?;
            writeln!(
                out,
                "延期申请 {}（需求 {}）：{}",
                v.id,
                v.number,
                v.state.label()
            )?;
        }
    }
    Ok(())
}

/// One application as `delays --json` gives it (issue 9's keys).
pub fn json_of(v: &DelayView) -> Value {
    json!({
        "id": v.id,
        "需求编号": v.number,
        "申请人": v.applicant,
        "部门": v.applicant_department,
        "填报日期": v.filed_date,
        "原交付日": v.original_date,
        "新交付日": v.new_date,
        "需求概述": v.overview,
        "延期原因": v.reason,
        "状态": v.state.label(),
        "逾期申请": v.filed_late,
        "签字": v.signoffs.iter().map(|s| json!({
            "级别": s.level.label(),
            "签字人": s.signer,
            "意见": s.opinion.label(),
            "说明": s.comment,
            "日期": s.signed_on,
        })).collect::<Vec<_>>(),
    })
}

pub fn delays(db: &Db, a: DelaysArgs, out: &mut dyn Write) -> Result<()> {
    let all = db.delays(a.number.as_deref())?;
    if a.json {
        let v: Vec<Value> = all.iter().map(json_of).collect();
        writeln!(out, "{}", to_json(&v)?)?;
        return Ok(());
    }
    for v in &all {
        let signed: Vec<String> = v
            .signoffs
            .iter()
            .map(|s| format!("{}{}{}", s.level.label(), s.signer, s.opinion.label()))
            .collect();
        writeln!(
            out,
            "{}\t{}\t{} → {}\t{}{}\t{}\t{}",
            v.id,
            v.number,
            v.original_date.as_deref().unwrap_or(""),
            v.new_date,
            v.state.label(),
            if v.filed_late {
                "（逾期申请）"
            } else {
                ""
            },
            v.reason,
            signed.join("，")
        )?;
    }
    writeln!(out, "共 {} 份", all.len())?;
    Ok(())
}
