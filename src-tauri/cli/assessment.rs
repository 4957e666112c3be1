//! `assessment`: the 月度考核表 — each person's late steps of a month with the deductions of
//! SPEC §7 (issue 12's exact interface).

use super::to_json;
use crate::domain::dates::minute;
use crate::domain::monthly::Month;
use crate::error::{Error, Result};
use crate::store::{Actor, Db};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AssessmentArgs {
    /// 月份，例如 2014-06
    #[arg(long)]
    month: String,
    /// 以 JSON 输出：{月份, 截至, 本月未结束, 说明, 人员: [{姓名, 扣款, 无绩效, 无绩效原因, 明细: […]}]}
    #[arg(long)]
    json: bool,
    /// 以此时刻计算（默认现在；本月未结束时只计已经迟了的），例如 "2014-06-21 12:00"
    #[arg(long)]
    now: Option<String>,
    /// 导出考核表（.xlsx：合计、明细两页）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

pub fn assessment(db: &Db, actor: &Actor, a: AssessmentArgs, out: &mut dyn Write) -> Result<()> {
    let month = Month::parse(&a.month).ok_or_else(|| {
        Error::invalid(
            "--month",
            format!("--month“{}”不是月份（例如 2014-06）", a.month),
        )
    })?;
    let now = super::todo::now_arg(a.now.as_deref())?;
    let assessed = crate::api::exports::assessment(
        db,
        actor,
        month,
        now,
        a.out
            .as_deref()
            .map(|p| (p, super::export::existing(a.force))),
    )?;
    let sheets = &assessed.sheets;
    if let Some(path) = &a.out {
        if !a.json {
            writeln!(out, "已导出：{}", path.display())?;
        }
    }
    if a.json {
        let people: Vec<serde_json::Value> = sheets
            .iter()
            .map(|s| {
                serde_json::json!({
                    "姓名": s.name,
                    "扣款": s.deduction,
                    "无绩效": s.no_performance_pay,
                    "无绩效原因": s.no_pay_because,
                    "明细": s.lines.iter().map(|l| serde_json::json!({
                        "规则": l.rule,
                        "规则说明": l.explain,
                        "记录": l.record,
                        // a day for the steps counted in days, never a made-up midnight
                        "到期": if l.due_text.is_empty() { minute(&l.due) } else { l.due_text.clone() },
                        "完成": (!l.done_text.is_empty()).then(|| l.done_text.clone()),
                        "迟了": l.late_by,
                        "情况": l.reason,
                        "扣款": l.deduction,
                        "后果": l.consequence,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({
            "月份": month.label(),
            "截至": minute(&assessed.until),
            "本月未结束": assessed.unfinished,
            "说明": assessed.note,
            "仅本人": assessed.limited,
            "人员": people,
        });
        writeln!(out, "{}", to_json(&v)?)?;
    } else if a.out.is_none() {
        writeln!(out, "{}", assessed.note)?;
        for s in sheets {
            writeln!(
                out,
                "{}\t扣款 {} 元{}\t未按时 {} 项",
                s.name,
                s.deduction,
                if s.no_performance_pay {
                    "\t无绩效"
                } else {
                    ""
                },
                s.late_steps
            )?;
            for why in &s.no_pay_because {
                writeln!(out, "\t无绩效：{why}")?;
            }
        }
        writeln!(out, "{} 共 {} 人", month.label(), sheets.len())?;
    }
    Ok(())
}
