//! `notify`: a notice recorded as it was given — to whom, through which channel, when, and
//! whether they confirmed (the policy's "确定需求报告人已知") — for a requirement or a bug.

use crate::domain::notify::{Audience, Step};
use crate::error::{Error, Result};
use crate::store::{Actor, Db, NewNotification};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct NotifyArgs {
    /// 需求编号或 Bug 编号；同一通知发给几条需求时可给出多个编号（全部记录或全不记录）
    #[arg(value_name = "编号", required = true)]
    numbers: Vec<String>,
    /// 通知的事项：决策结果 / 预期交付日 / 延期 / 完成交付 / 修复结果
    #[arg(long, value_parser = step, value_name = "事项")]
    step: Step,
    /// 通知谁：报告人 / 需求人 / 用户（/ IT部）
    #[arg(long = "to", value_parser = audience, value_name = "对象")]
    to: Audience,
    /// 通知方式：QQ / 微信 / 企业微信 / 钉钉 / OA / 电话 / 当面 / 邮件（可选列表“通知方式”中的一项）
    #[arg(long, value_name = "方式")]
    channel: String,
    /// 对方的姓名（默认：这条记录上的报告人、需求人）
    #[arg(long, default_value = "")]
    recipient: String,
    /// 对方已确认知道
    #[arg(long)]
    confirmed: bool,
    /// 通知的时间（默认现在），例如 "2014-06-21 11:00"
    #[arg(long)]
    at: Option<String>,
}

/// `--step`: the labels, and 修复结果 for a bug's fix (issue 12's wording).
fn step(v: &str) -> Result<Step> {
    match v.trim() {
        "修复结果" | "修复" => Ok(Step::BugFixed),
        t => {
            Step::parse(t).ok_or_else(|| Error::invalid("step", format!("无法识别的通知事项“{v}”")))
        }
    }
}

/// `--to`: the labels, and 报告人 for the reporter.
fn audience(v: &str) -> Result<Audience> {
    match v.trim() {
        "报告人" | "填表人" => Ok(Audience::Reporter),
        "IT" => Ok(Audience::It),
        t => Audience::parse(t)
            .ok_or_else(|| Error::invalid("to", format!("无法识别的通知对象“{v}”"))),
    }
}

pub fn notify(db: &mut Db, actor: &Actor, a: NotifyArgs, out: &mut dyn Write) -> Result<()> {
    let n = NewNotification {
        step: a.step,
        audience: a.to,
        recipient: a.recipient,
        channel: a.channel,
        message: String::new(),
        sent_at: a.at,
        confirmed: a.confirmed,
    };
    // several requirements at once (issue 20): one action, all or none
    if let [_, _, ..] = a.numbers.as_slice() {
        let items: Vec<(String, NewNotification)> = a
            .numbers
            .iter()
            .map(|num| (num.clone(), n.clone()))
            .collect();
        let done = db.record_notifications(actor, &items)?;
        for (num, record) in a.numbers.iter().zip(&done) {
            writeln!(
                out,
                "已记录：{} {} → {}（{}，{}）",
                num.trim(),
                record.step.label(),
                record.recipient,
                record.channel,
                record.sent_at
            )?;
        }
        return Ok(());
    }
    let number = a.numbers.first().map(String::as_str).unwrap_or_default();
    // a 需求编号, or a Bug's number (its own sequence)
    let record = match db.requirement(number) {
        Ok(_) => db.record_notification(actor, number, &n)?,
        Err(Error::NotFound(not_req)) => match db.bug(number) {
            Ok(_) => db.record_bug_notification(actor, number, &n)?,
            Err(Error::NotFound(_)) => {
                return Err(Error::NotFound(format!("{not_req}，也没有这个编号的 Bug")))
            }
            Err(e) => return Err(e),
        },
        Err(e) => return Err(e),
    };
    writeln!(
        out,
        "已记录：{} → {}（{}，{}）{}",
        record.step.label(),
        record.recipient,
        record.channel,
        record.sent_at,
        if record.confirmed_at.is_some() {
            "，已确认"
        } else {
            ""
        }
    )?;
    Ok(())
}
