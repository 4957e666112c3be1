//! Offline laptops from the command line (issue 24's exact interface): `submit`, `pending`,
//! `discard`, `sync --out/--in/--with`, and at the department `inbox` and `accept`.

use super::{closed, to_json};
use crate::domain::dates;
use crate::domain::requirement::Kind;
use crate::error::{Error, Result};
use crate::store::{Actor, Db, RequirementInput, Submission, SubmissionKind};
use clap::Args;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SubmitArgs {
    /// 需求梗概（不超过 50 字，关键词用空格分隔）
    #[arg(long)]
    summary: String,
    /// 需求类型：新需求 / 改进需求
    #[arg(long, default_value = "新需求", value_parser = closed(Kind::parse, "kind", "需求类型"))]
    kind: Kind,
    /// 需求来源，例如 推广部转达
    #[arg(long, default_value = "")]
    source: String,
    /// 医生姓名
    #[arg(long, default_value = "")]
    doctor: String,
    /// 医院
    #[arg(long, default_value = "")]
    hospital: String,
    /// 科室
    #[arg(long, default_value = "")]
    clinic: String,
    /// 医享账号
    #[arg(long, default_value = "")]
    account: String,
    /// 医生原话（原样保存）
    #[arg(long, default_value = "")]
    words: String,
    /// 概述
    #[arg(long, default_value = "")]
    overview: String,
    /// 需求人（提出需求的医生/用户）
    #[arg(long, default_value = "")]
    requester: String,
    /// 填报日期（默认今天）
    #[arg(long, default_value = "")]
    report_date: String,
    /// 填表人部门
    #[arg(long, default_value = "")]
    department: String,
    /// 备注
    #[arg(long, default_value = "")]
    remark: String,
    /// 填报时间（默认现在）
    #[arg(long)]
    at: Option<String>,
    /// 截图或照片（可多次给出；.jpg / .png），登记时随需求保存
    #[arg(long)]
    attach: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct PendingArgs {
    /// 输出 JSON（键：编号、类型、内容、记录时间、状态、原因）
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct IdArgs {
    /// 待登记编号（genjin pending / genjin inbox 列出的编号）
    id: i64,
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// 把待同步的内容写入一个文件（外出时用，发给需求收集人）
    #[arg(long, value_name = "文件")]
    out: Option<PathBuf>,
    /// 应用一个同步文件：在共享数据库上应用外出人员的文件，或在外出电脑上应用回执
    #[arg(long = "in", value_name = "文件")]
    in_: Option<PathBuf>,
    /// 应用外出人员的文件后，把回执写入这个文件（发回给外出人员）
    #[arg(long, value_name = "文件", requires = "in_")]
    reply: Option<PathBuf>,
    /// 直接与共享数据库同步：postgres://用户:密码@服务器:端口/数据库名
    #[arg(long, value_name = "地址")]
    with: Option<String>,
}

#[derive(Args, Debug)]
pub struct InboxArgs {
    /// 输出 JSON（键：编号、类型、报告人、需求梗概、填报日期、到达时间）
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct AcceptArgs {
    /// 待登记编号（genjin inbox 列出的编号）
    id: i64,
    /// 收到日期（决定编号；默认为到达本数据库的日期）
    #[arg(long)]
    received: Option<String>,
    /// 登记时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct DeclineArgs {
    /// 待登记编号
    id: i64,
    /// 不予登记的原因（报告人同步后会看到）
    #[arg(long)]
    reason: String,
}

pub fn submit(db: &mut Db, actor: &Actor, a: SubmitArgs, out: &mut dyn Write) -> Result<()> {
    let input = RequirementInput {
        kind: Some(a.kind),
        source: a.source,
        reporter: actor.name.clone(),
        reporter_department: a.department,
        report_date: a.report_date,
        requester: a.requester,
        doctor_name: a.doctor,
        hospital: a.hospital,
        clinic_department: a.clinic,
        app_account: a.account,
        doctor_words: a.words,
        overview: a.overview,
        brief: a.summary,
        remark: a.remark,
        ..Default::default()
    };
    let files = super::read_files(&a.attach, "attach")?;
    let s = db.submit_requirement(actor, &input, &files, a.at.as_deref())?;
    writeln!(out, "{}", s.label())?;
    Ok(())
}

fn minute(stored: &str) -> String {
    dates::local_of_moment(stored)
        .map(|t| dates::minute(&t))
        .unwrap_or_else(|| stored.to_string())
}

fn kind_label(s: &Submission) -> &'static str {
    match s.kind {
        SubmissionKind::Requirement => "需求",
        SubmissionKind::Bug => "Bug",
        SubmissionKind::Notice => "通知",
    }
}

pub fn pending(db: &Db, a: PendingArgs, out: &mut dyn Write) -> Result<()> {
    let list = db.pending()?;
    if a.json {
        let rows: Vec<_> = list
            .iter()
            .map(|s| {
                json!({
                    "编号": s.id,
                    "类型": kind_label(s),
                    "内容": s.summary,
                    "记录时间": minute(&s.recorded_at),
                    "状态": s.standing,
                    "原因": s.reason,
                })
            })
            .collect();
        writeln!(out, "{}", to_json(&rows)?)?;
        return Ok(());
    }
    if list.is_empty() {
        writeln!(out, "没有待同步的内容")?;
    }
    for s in &list {
        writeln!(
            out,
            "待登记 {}\t{}\t{}\t{}\t{}",
            s.id,
            kind_label(s),
            s.summary,
            minute(&s.recorded_at),
            s.standing
        )?;
    }
    Ok(())
}

pub fn discard(db: &mut Db, actor: &Actor, a: IdArgs, out: &mut dyn Write) -> Result<()> {
    let s = db.discard(actor, a.id)?;
    writeln!(out, "待登记 {} 已放弃：{}", s.id, s.summary)?;
    Ok(())
}

pub fn sync(db: &mut Db, actor: &Actor, a: SyncArgs, out: &mut dyn Write) -> Result<()> {
    use crate::api::sync;
    let report = match (a.out, a.in_, a.with) {
        (Some(file), None, None) => sync::sync_out(db, actor, &file)?,
        (None, Some(file), None) => sync::sync_in(db, actor, &file, a.reply.as_deref())?,
        (None, None, Some(url)) => sync::sync_with(db, actor, &url)?,
        _ => {
            return Err(Error::invalid(
                "sync",
                "请给出 --out 文件、--in 文件 或 --with 地址 之一",
            ))
        }
    };
    for line in report.lines() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The report date a submission states: a report's 填报日期, a bug's 发现日期.
fn stated_day(s: &Submission) -> String {
    let key = match s.kind {
        SubmissionKind::Bug => "found_date",
        _ => "report_date",
    };
    let typed = s.fields[key].as_str().unwrap_or_default();
    dates::parse_day(typed)
        .map(dates::iso)
        .or_else(|| dates::day_of_moment(&s.happened_at).map(dates::iso))
        .unwrap_or_default()
}

fn reporter(s: &Submission) -> String {
    s.fields["reporter"]
        .as_str()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or(&s.person)
        .to_string()
}

pub fn inbox(db: &Db, a: InboxArgs, out: &mut dyn Write) -> Result<()> {
    let list = db.inbox()?;
    let (waiting, refused): (Vec<&Submission>, Vec<&Submission>) = list
        .iter()
        .partition(|s| s.state == crate::store::SubmissionState::Waiting);
    if a.json {
        let rows: Vec<_> = waiting
            .iter()
            .map(|s| {
                json!({
                    "编号": s.id,
                    "类型": kind_label(s),
                    "报告人": reporter(s),
                    "需求梗概": s.summary,
                    "填报日期": stated_day(s),
                    "到达时间": s.arrived_at.as_deref().map(minute).unwrap_or_default(),
                })
            })
            .collect();
        writeln!(out, "{}", to_json(&rows)?)?;
        return Ok(());
    }
    if waiting.is_empty() {
        writeln!(out, "没有待登记的报告")?;
    }
    for s in &waiting {
        writeln!(
            out,
            "待登记 {}\t{}\t{}\t{}\t填报 {}\t到达 {}",
            s.id,
            kind_label(s),
            reporter(s),
            s.summary,
            stated_day(s),
            s.arrived_at.as_deref().map(minute).unwrap_or_default()
        )?;
    }
    if !refused.is_empty() {
        writeln!(out, "\n未能应用（{} 条）：", refused.len())?;
        for s in &refused {
            writeln!(
                out,
                "待登记 {}\t{}\t{}\t{}\t{}",
                s.id,
                kind_label(s),
                s.person,
                s.summary,
                s.reason
            )?;
        }
    }
    Ok(())
}

pub fn accept(db: &mut Db, actor: &Actor, a: AcceptArgs, out: &mut dyn Write) -> Result<()> {
    let number = db.accept(actor, a.id, a.received.as_deref(), a.at.as_deref())?;
    writeln!(out, "{number}")?;
    Ok(())
}

pub fn decline(db: &mut Db, actor: &Actor, a: DeclineArgs, out: &mut dyn Write) -> Result<()> {
    let s = db.decline(actor, a.id, &a.reason)?;
    writeln!(out, "待登记 {} 不予登记：{}", s.id, s.reason)?;
    Ok(())
}
