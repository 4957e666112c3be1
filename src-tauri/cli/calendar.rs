//! `calendar`: the holidays and make-up workdays (调休) deadlines are counted with.

use super::{closed, to_json};
use crate::domain::calendar::DayKind;
use crate::error::Result;
use crate::store::{Actor, Db};
use clap::{Args, Subcommand};
use std::io::Write;

#[derive(Args, Debug)]
pub struct CalendarArgs {
    #[command(subcommand)]
    action: Option<CalendarAction>,
    /// 以 JSON 输出列表
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum CalendarAction {
    /// 录入一天：节假日或调休上班日（已录入的同一天会被替换）
    Add {
        /// 日期，例如 2014-10-01
        day: String,
        /// 类型：节假日 / 调休上班（或 holiday / workday）
        #[arg(long, default_value = "节假日", value_parser = closed(DayKind::parse, "kind", "类型"))]
        kind: DayKind,
        /// 名称，例如 国庆节
        #[arg(long, default_value = "")]
        name: String,
    },
    /// 从列表中移除一天（恢复按周一至周五计算）
    Remove {
        /// 日期，例如 2014-10-01
        day: String,
    },
}

pub fn calendar(db: &mut Db, actor: &Actor, a: CalendarArgs, out: &mut dyn Write) -> Result<()> {
    match a.action {
        Some(CalendarAction::Add { day, kind, name }) => {
            let d = db.set_calendar_day(actor, &day, kind, &name)?;
            writeln!(out, "{}\t{}\t{}", d.day, d.kind.label(), d.name)?;
        }
        Some(CalendarAction::Remove { day }) => {
            db.remove_calendar_day(actor, &day)?;
            writeln!(out, "已移除 {}", day.trim())?;
        }
        None => {
            let days = db.calendar_days()?;
            if a.json {
                writeln!(out, "{}", to_json(&days)?)?;
            } else {
                for d in days {
                    writeln!(out, "{}\t{}\t{}", d.day, d.kind.label(), d.name)?;
                }
            }
        }
    }
    Ok(())
}
