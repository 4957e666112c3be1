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
    /// 粘贴放假通知：从文件（- 为标准输入）读取，每行一条，例如“2025-10-01 至 2025-10-08 国庆节”“2025-09-28 调休上班”；先列出将录入的日期，加 --commit 才写入
    Notice {
        /// 通知文本文件（UTF-8）；- 表示从标准输入读取
        #[arg(value_name = "文件")]
        file: std::path::PathBuf,
        /// 写入（不加时只预览）
        #[arg(long)]
        commit: bool,
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
            // scripts replace as before; what the window would ask is said (issue 20)
            let before = db.calendar_days()?;
            let d = db.set_calendar_day(actor, &day, kind, &name, true)?;
            writeln!(out, "{}\t{}\t{}", d.day, d.kind.label(), d.name)?;
            if let Some(was) = before.iter().find(|b| b.day == d.day && **b != d) {
                writeln!(out, "（替换了原来的“{} {}”）", was.kind.label(), was.name)?;
            }
            if let Some(q) = crate::domain::dates::parse_day(&day)
                .and_then(|d| crate::domain::calendar::question(d, kind))
            {
                writeln!(out, "注意：{q}")?;
            }
        }
        Some(CalendarAction::Notice { file, commit }) => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file).map_err(|e| {
                    crate::Error::invalid(
                        "file",
                        format!(
                            "无法读取 {}：{}",
                            file.display(),
                            crate::error::io_reason(&e)
                        ),
                    )
                })?
            };
            let p = db.calendar_preview(&text)?;
            for d in &p.days {
                let mut line = format!(
                    "{}\t{}\t{}",
                    d.entry.day,
                    d.entry.kind.label(),
                    d.entry.name
                );
                if let Some(was) = &d.replaces {
                    line.push_str(&format!("\t替换原来的“{} {}”", was.kind.label(), was.name));
                }
                if let Some(q) = &d.question {
                    line.push_str(&format!("\t注意：{q}"));
                }
                writeln!(out, "{line}")?;
            }
            for s in &p.skipped {
                writeln!(out, "跳过第 {} 行“{}”：{}", s.line, s.text, s.reason)?;
            }
            if commit {
                let n = db.calendar_paste(actor, &text)?;
                writeln!(out, "已录入 {n} 天")?;
            } else {
                writeln!(
                    out,
                    "共 {} 天（预览，未写入；加 --commit 写入）",
                    p.days.len()
                )?;
            }
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
