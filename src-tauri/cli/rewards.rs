//! `rewards`: a quarter's reward candidates with their evidence (SPEC §7) — people decide the
//! amounts; the app only lists.

use super::to_json;
use crate::domain::assessment::Quarter;
use crate::error::{Error, Result};
use crate::store::Db;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct RewardsArgs {
    /// 季度，例如 2014-Q2
    #[arg(long)]
    quarter: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

pub fn rewards(db: &Db, a: RewardsArgs, out: &mut dyn Write) -> Result<()> {
    let q = Quarter::parse(&a.quarter).ok_or_else(|| {
        Error::invalid(
            "--quarter",
            format!("--quarter“{}”不是季度（例如 2014-Q2）", a.quarter),
        )
    })?;
    let r = db.rewards(q, crate::clock::now().naive_local())?;
    let iso = crate::domain::dates::iso;
    if a.json {
        let v = serde_json::json!({
            "季度": r.quarter,
            "准时奖": r.on_time.iter().map(|p| serde_json::json!({"姓名": p.name, "按时事项": p.steps})).collect::<Vec<_>>(),
            "重大需求提前完成": r.early_majors.iter().map(|m| serde_json::json!({
                "需求编号": m.number, "分级": m.grade, "决策日期": iso(m.decided),
                "承诺交付日": iso(m.promised), "实际交付日": iso(m.delivered),
                "工作日": m.span_days, "提前工作日": m.early_days, "负责人": m.responsible,
            })).collect::<Vec<_>>(),
            "无遗漏奖": r.no_misses.iter().map(|p| serde_json::json!({"姓名": p.name, "按时事项": p.steps})).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", to_json(&v)?)?;
        return Ok(());
    }
    writeln!(out, "{} 奖励候选（金额由人决定）", r.quarter)?;
    for p in &r.on_time {
        writeln!(out, "准时奖\t{}\t{} 项全部按时", p.name, p.steps)?;
    }
    for m in &r.early_majors {
        writeln!(
            out,
            "准时奖（重大需求）\t{}\t{} 级，{} 个工作日中提前 {} 个",
            m.number, m.grade, m.span_days, m.early_days
        )?;
    }
    for p in &r.no_misses {
        writeln!(out, "无遗漏奖\t{}\t{} 项全部按时", p.name, p.steps)?;
    }
    Ok(())
}
