//! `todo`: what is due and overdue (待办), soonest first — the deadlines of SPEC §6 computed from
//! what was recorded.

use super::to_json;
use crate::error::{Error, Result};
use crate::store::Db;
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct TodoArgs {
    /// 只列此人负责的（记录上的人，或担任该角色的人）
    #[arg(long)]
    person: Option<String>,
    /// 以此时刻计算（默认现在），例如 "2014-06-21 12:00"
    #[arg(long)]
    now: Option<String>,
    /// 以 JSON 数组输出：{规则, 说明, 记录, 负责人, 到期, 逾期}
    #[arg(long)]
    json: bool,
}

/// `--now TIME` (default: the clock's now), as local time.
pub(crate) fn now_arg(t: Option<&str>) -> Result<chrono::NaiveDateTime> {
    Ok(match t {
        Some(t) => crate::domain::dates::parse_moment(t)
            .and_then(|s| crate::domain::dates::local_of_moment(&s))
            .ok_or_else(|| {
                Error::invalid(
                    "now",
                    format!("--now“{t}”无法识别（例如 2014-06-21 12:00）"),
                )
            })?,
        None => crate::clock::now().naive_local(),
    })
}

pub fn todo(db: &Db, a: TodoArgs, out: &mut dyn Write) -> Result<()> {
    let now = now_arg(a.now.as_deref())?;
    let crate::store::TodoPage { items, notes, .. } =
        db.todo_page(now, a.person.as_deref(), None)?;
    if a.json {
        let v: Vec<serde_json::Value> = items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "规则": i.rule,
                    "说明": i.explain,
                    "记录": i.record,
                    "负责人": i.responsible,
                    "到期": i.due,
                    "逾期": i.overdue,
                })
            })
            .collect();
        writeln!(out, "{}", to_json(&v)?)?;
        return Ok(());
    }
    for i in &items {
        writeln!(
            out,
            "{}\t{}\t{}\t{}{}",
            i.due,
            i.rule,
            i.record,
            i.responsible,
            if i.overdue { "\t逾期" } else { "" }
        )?;
    }
    writeln!(out, "共 {} 项", items.len())?;
    // the collector's notes (issue 19): lists to check or assign, no one's steps
    for n in notes {
        let how = match n.kind {
            crate::store::NoteKind::LegacyOverdue => {
                format!(
                    "（genjin register --status {}）",
                    crate::store::LEGACY_OVERDUE
                )
            }
            crate::store::NoteKind::Unassigned => format!(
                "（genjin responsible {} --collector/--product-manager/--it 姓名）",
                n.record
            ),
        };
        writeln!(out, "另：{}{how}", n.text)?;
    }
    Ok(())
}
