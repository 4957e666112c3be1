//! `meeting`: the decision meeting (决策会) — the week's agenda, and the verdicts on it recorded
//! in one sitting with the meeting's time.

use crate::domain::requirement::{Decision, Grade};
use crate::error::{Error, Result};
use crate::store::{Actor, Db, DecisionInput, StepTime};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct MeetingArgs {
    /// 这一周中的任意一天（默认今天）：不给 --verdict 时列出这一周的待决策需求
    #[arg(long)]
    week: Option<String>,
    /// 一条决策：编号=结果[:分级[:转换概要]]，例如 14061903=做:B、14061912=再议、
    /// 14061904=需求转换:C:改为科室公告；可多次给出，全部在一个事务中记录
    #[arg(long = "verdict")]
    verdicts: Vec<String>,
    /// 决策会的时间（默认现在），例如 "2014-06-21 10:00"
    #[arg(long)]
    at: Option<String>,
}

/// `14061903=做:B` → (number, input).
fn verdict(v: &str) -> Result<(String, DecisionInput)> {
    let bad = |why: &str| {
        Error::invalid(
            "verdict",
            format!("--verdict“{v}”{why}（例如 14061903=做:B）"),
        )
    };
    let (number, rest) = v.split_once('=').ok_or_else(|| bad("缺少“=”"))?;
    let mut parts = rest.splitn(3, [':', '：']);
    let decision = parts
        .next()
        .and_then(|d| Decision::parse(d.trim()))
        .ok_or_else(|| bad("的决策结果无法识别"))?;
    let grade = match parts.next().map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => Some(Grade::parse(&g.to_uppercase()).ok_or_else(|| bad("的分级无法识别"))?),
        None => None,
    };
    Ok((
        number.trim().to_string(),
        DecisionInput {
            decision,
            grade,
            conversion_summary: parts.next().unwrap_or("").trim().to_string(),
            decision_reason: String::new(),
            decision_date: String::new(),
            at: StepTime::default(),
        },
    ))
}

pub fn meeting(db: &mut Db, actor: &Actor, a: MeetingArgs, out: &mut dyn Write) -> Result<()> {
    if a.verdicts.is_empty() {
        let day = match a.week.as_deref() {
            Some(w) => super::export::day_arg("--week", w)?,
            None => crate::clock::today(),
        };
        let friday = crate::domain::weekly::friday_of(day);
        let agenda = db.weekly_agenda(friday)?;
        writeln!(
            out,
            "{} 这一周待决策 {} 条：",
            crate::domain::dates::iso(friday),
            agenda.len()
        )?;
        for item in agenda {
            writeln!(
                out,
                "{}\t{}\t{}\t{}{}",
                item.number,
                item.brief,
                item.reporter,
                item.requester,
                if item.discussed_again { "\t再议" } else { "" }
            )?;
        }
        return Ok(());
    }
    let verdicts = a
        .verdicts
        .iter()
        .map(|v| verdict(v))
        .collect::<Result<Vec<_>>>()?;
    let done = db.record_meeting(actor, &verdicts, a.at.as_deref())?;
    writeln!(out, "已记录 {} 条决策：{}", done.len(), done.join(" "))?;
    Ok(())
}
