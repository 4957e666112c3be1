//! `report`: the periodic reports — the 新增需求收集周报 (and that it was sent), the
//! 需求收集处理月度总结, the 新增Bug周报.

use super::export::{day_arg, existing};
use crate::error::Result;
use crate::store::{Actor, Db};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(subcommand)]
    what: ReportWhat,
}

#[derive(Subcommand, Debug)]
enum ReportWhat {
    /// 新增需求收集周报：这一周（给出周五）的周报正文、标黄的登记表、待决策需求的需求报告表（10 份及以上打包）写入文件夹
    Weekly(Weekly),
    /// 记录某一周的周报已发送（及发送时间）
    WeeklySent(WeeklySent),
    /// 需求收集处理月度总结：某月的提交、决策、完成、延期、逾期，按报告人的采纳率排名，近 12 个月趋势（含图表）
    Monthly(Monthly),
    /// 新增Bug周报：某一周（周一至周日）反馈的 Bug 及其状态
    BugWeekly(BugWeekly),
}

#[derive(Args, Debug)]
struct Weekly {
    /// 这一周的周五，例如 2014-06-20（给出其他日子时取其所在周的周五）
    #[arg(long)]
    week: String,
    /// 输出文件夹（不存在时创建；同一周的文件会被替换）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 以 JSON 输出：{"周": 周五, "待决策": [需求编号…]}
    #[arg(long)]
    json: bool,
    /// 记录这一周的周报已于此时发送，例如 "2014-06-20 09:30"
    #[arg(long)]
    sent_at: Option<String>,
}

#[derive(Args, Debug)]
struct Monthly {
    /// 月份，例如 2014-06
    #[arg(long)]
    month: String,
    /// 输出文件（.xlsx，含图表）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 以 JSON 输出（键：月份、提交、决策、完成、延期、逾期、人员）
    #[arg(long)]
    json: bool,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

/// The monthly summary as `report monthly --json` gives it (issue 11's keys).
fn monthly_json(s: &crate::domain::monthly::MonthSummary) -> serde_json::Value {
    serde_json::json!({
        "月份": s.month.label(),
        "提交": s.submitted,
        "决策": {
            "做": s.decided.r#do,
            "不做": s.decided.do_not,
            "再议": s.decided.discuss,
            "需求转换": s.decided.convert,
        },
        "完成": s.completed,
        "延期": s.delayed,
        "逾期": s.overdue,
        "人员": s.reporters.iter().map(|p| serde_json::json!({
            "姓名": p.name,
            "提交": p.submitted,
            "已决策": p.decided,
            "采纳": p.adopted,
            "采纳率": p.adoption_rate,
        })).collect::<Vec<_>>(),
    })
}

#[derive(Args, Debug)]
struct WeeklySent {
    /// 这一周的周五（或这一周中的任意一天）
    #[arg(long)]
    week: String,
    /// 发送时间（默认现在），例如 "2014-06-20 09:30"
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct BugWeekly {
    /// 这一周中的任意一天，例如 2014-07-01
    #[arg(long)]
    week: String,
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: PathBuf,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

pub fn report(db: &mut Db, actor: &Actor, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    match a.what {
        ReportWhat::Weekly(w) => {
            let day = day_arg("--week", &w.week)?;
            let friday = crate::domain::weekly::friday_of(day);
            if let Some(at) = &w.sent_at {
                let s = db.record_weekly_sent(actor, friday, Some(at))?;
                if !w.json {
                    writeln!(out, "{} 这一周的周报已记录为 {} 发送", s.friday, s.sent_at)?;
                }
                if w.out.is_none() && !w.json {
                    return Ok(());
                }
            }
            let agenda: Vec<String> = match &w.out {
                Some(folder) => {
                    let done = crate::api::exports::weekly(
                        db,
                        day,
                        folder,
                        &crate::api::exports::sender(db, actor.person_id),
                    )?;
                    if !w.json {
                        for f in &done.files {
                            writeln!(out, "已写入：{f}")?;
                        }
                    }
                    done.agenda
                }
                None if w.json => db
                    .weekly_agenda(friday)?
                    .into_iter()
                    .map(|a| a.number)
                    .collect(),
                None => {
                    return Err(crate::error::Error::invalid(
                        "out",
                        "请用 --out 给出输出文件夹（或用 --json 只列出待决策需求）",
                    ))
                }
            };
            if w.json {
                let v = serde_json::json!({
                    "周": crate::domain::dates::iso(friday),
                    "待决策": agenda,
                });
                writeln!(out, "{}", super::to_json(&v)?)?;
            } else {
                writeln!(
                    out,
                    "{} 这一周待决策 {} 条：{}",
                    crate::domain::dates::iso(friday),
                    agenda.len(),
                    agenda.join(" ")
                )?;
            }
        }
        ReportWhat::Monthly(m) => {
            let month = crate::domain::monthly::Month::parse(&m.month).ok_or_else(|| {
                crate::error::Error::invalid(
                    "--month",
                    format!("--month“{}”不是月份（例如 2014-06）", m.month),
                )
            })?;
            let summary = match &m.out {
                Some(path) => {
                    let s = crate::api::exports::monthly(db, month, path, existing(m.force))?;
                    if !m.json {
                        writeln!(out, "已导出：{}", path.display())?;
                    }
                    s
                }
                None if m.json => crate::api::exports::monthly_summary(db, month)?.0,
                None => {
                    return Err(crate::error::Error::invalid(
                        "out",
                        "请用 --out 给出输出文件（或用 --json 只输出数字）",
                    ))
                }
            };
            if m.json {
                writeln!(out, "{}", super::to_json(&monthly_json(&summary))?)?;
            } else {
                writeln!(
                    out,
                    "{}：提交 {}，决策 {}，完成 {}，延期 {}，逾期 {}",
                    summary.month.label(),
                    summary.submitted,
                    summary.decided.total(),
                    summary.completed,
                    summary.delayed,
                    summary.overdue
                )?;
            }
        }
        ReportWhat::WeeklySent(w) => {
            let friday = crate::domain::weekly::friday_of(day_arg("--week", &w.week)?);
            let s = db.record_weekly_sent(actor, friday, w.at.as_deref())?;
            writeln!(out, "{} 这一周的周报已记录为 {} 发送", s.friday, s.sent_at)?;
        }
        ReportWhat::BugWeekly(w) => {
            let day = day_arg("--week", &w.week)?;
            let (monday, done) =
                crate::api::exports::bug_weekly(db, day, &w.out, existing(w.force))?;
            writeln!(
                out,
                "已导出 {} 至 {} 的新增Bug周报（{} 个）：{}",
                monday,
                monday + chrono::Duration::days(6),
                done.count,
                done.path
            )?;
            for n in &done.notes {
                writeln!(out, "注意：{n}")?;
            }
        }
    }
    Ok(())
}
