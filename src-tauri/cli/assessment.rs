//! `assessment`: the 月度考核表 — each person's late steps of a month with the deductions of
//! SPEC §7 (issue 12's exact interface).

use super::to_json;
use crate::domain::dates::minute;
use crate::domain::monthly::Month;
use crate::error::{Error, Result};
use crate::store::Db;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AssessmentArgs {
    /// 月份，例如 2014-06
    #[arg(long)]
    month: String,
    /// 以 JSON 输出：{月份, 人员: [{姓名, 扣款, 无绩效, 明细: […]}]}
    #[arg(long)]
    json: bool,
    /// 导出考核表（.xlsx：合计、明细两页）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

pub fn assessment(db: &Db, a: AssessmentArgs, out: &mut dyn Write) -> Result<()> {
    let month = Month::parse(&a.month).ok_or_else(|| {
        Error::invalid(
            "--month",
            format!("--month“{}”不是月份（例如 2014-06）", a.month),
        )
    })?;
    let sheets = db.assessment(month)?;
    if let Some(path) = &a.out {
        let bytes = crate::excel::assessment::assessment_book(&month.label(), &sheets)?;
        super::export::save(path, &bytes, a.force)?;
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
                    "明细": s.lines.iter().map(|l| serde_json::json!({
                        "规则": l.rule,
                        "记录": l.record,
                        "到期": minute(&l.due),
                        "完成": l.done.as_ref().map(minute),
                        "迟了": l.late_by,
                        "扣款": l.deduction,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({ "月份": month.label(), "人员": people });
        writeln!(out, "{}", to_json(&v)?)?;
    } else if a.out.is_none() {
        for s in &sheets {
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
        }
        writeln!(out, "{} 共 {} 人", month.label(), sheets.len())?;
    }
    Ok(())
}
