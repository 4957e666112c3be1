//! `export`: the paper forms and registers as spreadsheets to print (附表1, 附表2, 附表3, the
//! Bug收集反馈表).

use crate::error::{Error, Result};
use crate::store::Db;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

#[derive(Subcommand, Debug)]
enum ExportWhat {
    /// 需求延期交付申请（附表1）：一份申请，或 --blank 空白表，A4 纵向一页
    Delay(DelayExport),
    /// Bug收集反馈表：全部，或某段时间反馈的（A4 横向，每页重复表头）
    Bugs(BugsExport),
    /// 需求报告表（附表2）：一条需求的，或 --blank 空白表（交给报告人手工填写），A4 纵向一页
    Form(FormExport),
    /// 需求登记反馈表（附表3）：全部，或按状态、收到日期筛选（A4 横向，每页重复表头）
    Register(RegisterExport),
}

#[derive(Args, Debug)]
struct RegisterExport {
    /// 输出文件，例如 D:\需求登记反馈表.xlsx
    #[arg(long)]
    out: PathBuf,
    /// 按需求状态筛选：完成 / 延期 / 空 / 逾期
    #[arg(long)]
    status: Option<String>,
    /// 收到日期起（含）
    #[arg(long)]
    from: Option<String>,
    /// 收到日期止（含）
    #[arg(long)]
    to: Option<String>,
    /// 包括已撤回的需求
    #[arg(long)]
    all: bool,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct FormExport {
    /// 需求编号，例如 14061903
    number: Option<String>,
    /// 导出空白表
    #[arg(long)]
    blank: bool,
    /// 输出文件，例如 D:\需求报告表14061903.xlsx
    #[arg(long)]
    out: PathBuf,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
struct BugsExport {
    /// 输出文件，例如 D:\Bug收集反馈表.xlsx
    #[arg(long)]
    out: PathBuf,
    /// 反馈日期起（含）
    #[arg(long)]
    from: Option<String>,
    /// 反馈日期止（含）
    #[arg(long)]
    to: Option<String>,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

/// A day typed on the command line, or a Chinese refusal naming the option.
pub(crate) fn day_arg(option: &str, v: &str) -> Result<chrono::NaiveDate> {
    crate::domain::dates::parse_day(v).ok_or_else(|| {
        Error::invalid(
            option,
            format!("{option}“{v}”不是有效日期（例如 2014-07-01）"),
        )
    })
}

#[derive(Args, Debug)]
struct DelayExport {
    /// 申请编号（delays 列出的 id）
    id: Option<String>,
    /// 导出空白表（手工填写用）
    #[arg(long)]
    blank: bool,
    /// 输出文件，例如 D:\延期申请.xlsx
    #[arg(long)]
    out: PathBuf,
    /// 已有同名文件时覆盖它
    #[arg(long)]
    force: bool,
}

/// `--force`: replace a file already there.
pub(crate) fn existing(force: bool) -> crate::excel::save::Existing {
    if force {
        crate::excel::save::Existing::Replace
    } else {
        crate::excel::save::Existing::Keep
    }
}

/// Writes `bytes` to `out` atomically (`excel::save`), refusing to replace a file unless `force`.
pub(crate) fn save(out: &std::path::Path, bytes: &[u8], force: bool) -> Result<()> {
    crate::excel::save::write_atomic(out, bytes, "xlsx", existing(force))
}

pub fn export(db: &Db, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    match a.what {
        ExportWhat::Delay(d) => {
            let (bytes, note) = match (d.id.as_deref(), d.blank) {
                (None, true) => crate::api::exports::delay_form_printed(db, None)?,
                (Some(id), false) => {
                    let id: i64 = id
                        .trim()
                        .parse()
                        .map_err(|_| Error::invalid("id", format!("申请编号“{id}”不是数字")))?;
                    crate::api::exports::delay_form_printed(db, Some(id))?
                }
                _ => {
                    return Err(Error::invalid(
                        "id",
                        "请给出一个申请编号，或用 --blank 导出空白表（二者选一）",
                    ))
                }
            };
            save(&d.out, &bytes, d.force)?;
            writeln!(out, "已导出：{}", d.out.display())?;
            if let Some(n) = note {
                writeln!(out, "注意：{n}")?;
            }
        }
        ExportWhat::Form(f) => {
            let number = match (f.number.as_deref(), f.blank) {
                (Some(n), false) => Some(n),
                (None, true) => None,
                _ => {
                    return Err(Error::invalid(
                        "number",
                        "请给出一个需求编号，或用 --blank 导出空白表（二者选一）",
                    ))
                }
            };
            let done = crate::api::exports::report_form(db, number, &f.out, existing(f.force))?;
            writeln!(out, "已导出：{}", done.path)?;
            for n in &done.notes {
                writeln!(out, "注意：{n}")?;
            }
        }
        ExportWhat::Register(r) => {
            let from = r
                .from
                .as_deref()
                .map(|v| day_arg("--from", v))
                .transpose()?;
            let to = r.to.as_deref().map(|v| day_arg("--to", v)).transpose()?;
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(Error::invalid("--from", "--from 不能晚于 --to"));
                }
            }
            let q = crate::store::RegisterQuery {
                status: r.status,
                received_from: r.from,
                received_to: r.to,
                include_withdrawn: r.all,
                limit: None,
                ..Default::default()
            };
            let done = crate::api::exports::register(
                db,
                &q,
                crate::clock::today(),
                &r.out,
                existing(r.force),
                &mut |_, _| {},
            )?;
            writeln!(out, "已导出 {} 条需求：{}", done.count, done.path)?;
        }
        ExportWhat::Bugs(b) => {
            let from = b
                .from
                .as_deref()
                .map(|v| day_arg("--from", v))
                .transpose()?;
            let to = b.to.as_deref().map(|v| day_arg("--to", v)).transpose()?;
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(Error::invalid("--from", "--from 不能晚于 --to"));
                }
            }
            let done = crate::api::exports::bug_ledger(db, from, to, &b.out, existing(b.force))?;
            writeln!(out, "已导出 {} 个 Bug：{}", done.count, done.path)?;
            for n in &done.notes {
                writeln!(out, "注意：{n}")?;
            }
        }
    }
    Ok(())
}
