//! `report`: the periodic reports as spreadsheets (issue 10: the 新增Bug周报; the weekly and
//! monthly requirement reports follow in issue 11).

use super::export::{day_arg, save};
use crate::error::Result;
use crate::store::Db;
use chrono::Datelike;
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
    /// 新增Bug周报：某一周（周一至周日）反馈的 Bug 及其状态
    BugWeekly(BugWeekly),
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

pub fn report(db: &Db, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    match a.what {
        ReportWhat::BugWeekly(w) => {
            let day = day_arg("--week", &w.week)?;
            let monday =
                day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
            let sunday = monday + chrono::Duration::days(6);
            let bugs: Vec<_> = db
                .bugs()?
                .into_iter()
                .filter(|b| {
                    crate::domain::dates::from_iso(&b.received_date)
                        .is_some_and(|d| d >= monday && d <= sunday)
                })
                .collect();
            save(
                &w.out,
                &crate::excel::bugs::bug_weekly(monday, &bugs)?,
                w.force,
            )?;
            writeln!(
                out,
                "已导出 {} 至 {} 的新增Bug周报（{} 个）：{}",
                monday,
                sunday,
                bugs.len(),
                w.out.display()
            )?;
        }
    }
    Ok(())
}
