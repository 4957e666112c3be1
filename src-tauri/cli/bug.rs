//! `bug add|edit|reproduce|fix|to-requirement|show` and `bugs`: the BUG反馈流程 from the command line
//! (issue 10's exact interface).

use super::to_json;
use crate::error::{Error, Result};
use crate::store::{
    Actor, BugEdit, BugFilter, BugInput, BugView, Db, FixInput, ReproduceInput, StepTime,
};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct BugArgs {
    #[command(subcommand)]
    action: BugAction,
}

#[derive(Subcommand, Debug)]
enum BugAction {
    /// 登记一个 Bug（用户发现当天），打印 Bug 编号
    Add(Box<AddArgs>),
    /// 在外出用的电脑上（或在自己桌前）报告一个 Bug，等需求收集人登记编号：打印“待登记 N”
    Submit(Box<AddArgs>),
    /// 记录复现结果（测试人员为 --as）；复现后填写缺陷跟踪系统的编号和链接
    Reproduce(ReproduceArgs),
    /// 分类（类型、严重程度、来源渠道）或更正登记的内容；只改给出的项
    Edit(Box<EditArgs>),
    /// 记录修复日期和版本
    Fix(FixArgs),
    /// 把其实是新需求的 Bug 转为需求，打印新的需求编号
    ToRequirement(NumberArgs),
    /// 显示一个 Bug
    Show(ShowArgs),
}

#[derive(Args, Debug)]
struct AddArgs {
    /// 发现日期（用户发现 Bug 的日期），例如 2014-07-01
    #[arg(long)]
    found: String,
    /// 反馈人
    #[arg(long)]
    reporter: String,
    /// 手机型号
    #[arg(long)]
    phone_model: String,
    /// 手机系统及版本，例如 "iOS 7.1"
    #[arg(long)]
    os: String,
    /// Bug 内容
    #[arg(long)]
    content: String,
    /// 重现步骤
    #[arg(long, default_value = "")]
    steps: String,
    /// App 版本
    #[arg(long, default_value = "")]
    app_version: String,
    /// 医院
    #[arg(long, default_value = "")]
    hospital: String,
    /// 科室
    #[arg(long, default_value = "")]
    clinic: String,
    /// 类型（列表见设置），例如 功能缺陷
    #[arg(long = "type", default_value = "")]
    bug_type: String,
    /// 严重程度：轻微 / 一般 / 严重
    #[arg(long, default_value = "")]
    severity: String,
    /// 来源渠道，例如 客服热线
    #[arg(long, default_value = "")]
    channel: String,
    /// 截图（可多次给出；.jpg / .png）
    #[arg(long)]
    attach: Vec<PathBuf>,
    /// 反馈日期（决定编号；默认今天）
    #[arg(long, default_value = "")]
    reported: String,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct ReproduceArgs {
    /// Bug 编号，例如 B14070101
    number: String,
    /// 无法复现
    #[arg(long)]
    not_reproducible: bool,
    /// 说明（无法复现时必填）
    #[arg(long, default_value = "")]
    note: String,
    /// 缺陷跟踪系统中的编号
    #[arg(long, default_value = "")]
    tracker_id: String,
    /// 缺陷跟踪系统中的链接
    #[arg(long, default_value = "")]
    tracker_url: String,
    /// 已抄送反馈人（提交缺陷跟踪系统时抄送了反馈人）
    #[arg(long)]
    reporter_copied: bool,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct EditArgs {
    /// Bug 编号，例如 B14070101
    number: String,
    /// 类型（列表见设置），例如 功能缺陷
    #[arg(long = "type")]
    bug_type: Option<String>,
    /// 严重程度：轻微 / 一般 / 严重
    #[arg(long)]
    severity: Option<String>,
    /// 来源渠道，例如 客服热线
    #[arg(long)]
    channel: Option<String>,
    /// 反馈人
    #[arg(long)]
    reporter: Option<String>,
    /// 发现日期
    #[arg(long)]
    found: Option<String>,
    /// 手机型号
    #[arg(long)]
    phone_model: Option<String>,
    /// 手机系统及版本
    #[arg(long)]
    os: Option<String>,
    /// App 版本
    #[arg(long)]
    app_version: Option<String>,
    /// Bug 内容
    #[arg(long)]
    content: Option<String>,
    /// 重现步骤
    #[arg(long)]
    steps: Option<String>,
    /// 医院
    #[arg(long)]
    hospital: Option<String>,
    /// 科室
    #[arg(long)]
    clinic: Option<String>,
    /// 备注
    #[arg(long)]
    remark: Option<String>,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct FixArgs {
    /// Bug 编号
    number: String,
    /// 修复日期
    #[arg(long)]
    date: String,
    /// 修复版本
    #[arg(long, default_value = "")]
    version: String,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct NumberArgs {
    /// Bug 编号
    number: String,
}

#[derive(Args, Debug)]
struct ShowArgs {
    /// Bug 编号
    number: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct BugsArgs {
    /// 以 JSON 数组输出（键为 Bug收集反馈表 的中文名称）
    #[arg(long)]
    json: bool,
    /// 只列此状态：待复现 / 已复现 / 无法复现 / 已修复 / 已转需求 / 已撤回
    #[arg(long, default_value = "")]
    state: String,
    /// 只列此严重程度
    #[arg(long, default_value = "")]
    severity: String,
    /// 只列此类型
    #[arg(long = "type", default_value = "")]
    bug_type: String,
    /// 只列此手机型号
    #[arg(long, default_value = "")]
    phone_model: String,
    /// 只列此手机系统
    #[arg(long, default_value = "")]
    os: String,
    /// 只列此反馈人
    #[arg(long, default_value = "")]
    reporter: String,
    /// 发现日期从（含）
    #[arg(long, default_value = "")]
    from: String,
    /// 发现日期到（含）
    #[arg(long, default_value = "")]
    to: String,
    /// 关键词（空格分隔，须全部出现）
    #[arg(long, default_value = "")]
    search: String,
}

fn at(t: Option<String>) -> StepTime {
    StepTime {
        happened_at: t,
        version: None,
        by: None,
    }
}

/// A bug as `bugs --json` and `bug show --json` give it (issue 10's keys).
fn json_of(b: &BugView) -> Value {
    json!({
        "编号": b.number,
        "反馈人": b.reporter,
        "发现日期": b.found_date,
        "手机型号": b.phone_model,
        "手机系统": b.os_version,
        "内容": b.content,
        "重现步骤": b.steps,
        "类型": b.bug_type,
        "严重程度": b.severity,
        "状态": b.state.label(),
        "跟踪编号": b.tracker_id,
        "修复日期": b.fixed_date,
        "关联需求": b.requirement,
    })
}

/// `bug add`'s and `bug submit`'s fields, and the screenshots read.
type Screenshots = Vec<(String, Vec<u8>)>;

fn bug_input(x: AddArgs) -> Result<(BugInput, Screenshots)> {
    let files = super::read_files(&x.attach, "attach")?;
    let input = BugInput {
        found_date: x.found,
        received_date: x.reported,
        reporter: x.reporter,
        phone_model: x.phone_model,
        os_version: x.os,
        app_version: x.app_version,
        content: x.content,
        steps: x.steps,
        hospital: x.hospital,
        clinic_department: x.clinic,
        bug_type: x.bug_type,
        severity: x.severity,
        channel: x.channel,
        at: at(x.at),
    };
    Ok((input, files))
}

pub fn bug(db: &mut Db, actor: &Actor, a: BugArgs, out: &mut dyn Write) -> Result<()> {
    match a.action {
        BugAction::Add(x) => {
            let (input, files) = bug_input(*x)?;
            let b = db.report_bug(actor, &input, &files)?;
            writeln!(out, "{}", b.number)?;
        }
        BugAction::Submit(x) => {
            if !x.reported.trim().is_empty() {
                return Err(Error::invalid(
                    "reported",
                    "反馈日期（决定 Bug 编号）由需求收集人登记时确定，待登记的 Bug 不填 --reported",
                ));
            }
            let at_time = x.at.clone();
            let (input, files) = bug_input(*x)?;
            let s = db.submit_bug(actor, &input, &files, at_time.as_deref())?;
            writeln!(out, "{}", s.label())?;
        }
        BugAction::Reproduce(x) => {
            let b = db.reproduce_bug(
                actor,
                &x.number,
                &ReproduceInput {
                    reproduced: !x.not_reproducible,
                    note: x.note,
                    tracker_id: x.tracker_id,
                    tracker_url: x.tracker_url,
                    reporter_copied: x.reporter_copied.then_some(true),
                    at: at(x.at),
                },
            )?;
            writeln!(out, "{} {}", b.number, b.state.label())?;
        }
        BugAction::Edit(x) => {
            let x = *x;
            let b = db.edit_bug(
                actor,
                &x.number,
                &BugEdit {
                    reporter: x.reporter,
                    found_date: x.found,
                    phone_model: x.phone_model,
                    os_version: x.os,
                    app_version: x.app_version,
                    content: x.content,
                    steps: x.steps,
                    hospital: x.hospital,
                    clinic_department: x.clinic,
                    bug_type: x.bug_type,
                    severity: x.severity,
                    channel: x.channel,
                    remark: x.remark,
                    at: at(x.at),
                },
            )?;
            writeln!(
                out,
                "{} {} {} {} {}",
                b.number,
                b.state.label(),
                b.bug_type,
                b.severity,
                b.channel
            )?;
        }
        BugAction::Fix(x) => {
            let b = db.fix_bug(
                actor,
                &x.number,
                &FixInput {
                    date: x.date,
                    fixed_version: x.version,
                    at: at(x.at),
                },
            )?;
            writeln!(out, "{} {}", b.number, b.state.label())?;
        }
        BugAction::ToRequirement(x) => {
            let number = db.bug_to_requirement(actor, &x.number)?;
            writeln!(out, "{number}")?;
        }
        BugAction::Show(x) => {
            let b = db.bug(&x.number)?;
            if x.json {
                writeln!(out, "{}", to_json(&json_of(&b))?)?;
            } else {
                writeln!(
                    out,
                    "{}  {}  {}\n反馈人：{}  发现：{}  反馈：{}\n手机：{}  {}  App {}\n内容：{}\n重现步骤：{}",
                    b.number,
                    b.state.label(),
                    b.severity,
                    b.reporter,
                    b.found_date.as_deref().unwrap_or(""),
                    b.received_date,
                    b.phone_model,
                    b.os_version,
                    b.app_version,
                    b.content,
                    b.steps
                )?;
            }
        }
    }
    Ok(())
}

pub fn bugs(db: &Db, a: BugsArgs, out: &mut dyn Write) -> Result<()> {
    let all = db.bugs_where(&BugFilter {
        state: a.state,
        severity: a.severity,
        bug_type: a.bug_type,
        phone_model: a.phone_model,
        os_version: a.os,
        reporter: a.reporter,
        from: a.from,
        to: a.to,
        search: a.search,
    })?;
    if a.json {
        let v: Vec<Value> = all.iter().map(json_of).collect();
        writeln!(out, "{}", to_json(&v)?)?;
        return Ok(());
    }
    for b in &all {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            b.number,
            b.state.label(),
            b.reporter,
            b.phone_model,
            b.os_version,
            b.content
        )?;
    }
    writeln!(out, "共 {} 个", all.len())?;
    Ok(())
}
