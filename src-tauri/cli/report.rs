//! `report`: the periodic reports as spreadsheets (issue 10: the 新增Bug周报; the weekly and
//! monthly requirement reports follow in issue 11).

use super::export::{day_arg, existing};
use crate::error::Result;
use crate::store::Db;
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
        }
    }
    Ok(())
}
