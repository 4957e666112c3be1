//! The headless command line: the same core the window uses, for the jobs people script.
//! With no subcommand the window opens. One file per area holds its arguments and its output.

mod assessment;
mod bug;
mod calendar;
mod delay;
mod export;
mod import;
mod meeting;
mod notify;
mod people;
mod register;
mod report;
mod requirement;
mod rewards;
mod settings;
mod sync;
mod todo;

pub use register::register_json;

use crate::error::{Error, Result};
use crate::store::{Actor, Db};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "genjin",
    version,
    about = "跟进 Genjin：客户需求反馈及跟进。不带子命令时打开窗口；带子命令时在命令行中运行，不打开窗口。",
    after_help = "示例：\n  genjin --db 需求.sqlite3 add-requirement --received 2014-06-19 --reporter 张三 --summary \"问卷自动计分\" --requester 郭主任\n  genjin --db 需求.sqlite3 decide 14061901 --decision 做 --grade C\n  genjin --db 需求.sqlite3 register --json"
)]
pub struct Cli {
    /// 数据库文件路径（默认：系统数据目录下的 cn.genjin.desktop/genjin.sqlite3）
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// 以谁的名义操作（人员姓名；默认为窗口中选定的操作人）
    #[arg(long = "as", global = true, value_name = "姓名")]
    pub operator: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 登记一条新需求，打印分配的需求编号
    AddRequirement(requirement::AddArgs),
    /// 打印需求登记反馈表（附表3）；--json 输出以表头为键的 JSON 数组
    Register(register::RegisterArgs),
    /// 显示一条需求的全部信息
    Show(requirement::ShowArgs),
    /// 记录决策结果（做 / 不做 / 再议 / 需求转换）及需求分级
    Decide(requirement::DecideArgs),
    /// 记录预期交付日
    Expect(requirement::DayArgs),
    /// 记录完成：实际交付日（状态变为“完成”）
    Complete(requirement::DayArgs),
    /// 撤回一条需求（保留记录和编号，编号不再使用）
    Withdraw(requirement::WithdrawArgs),
    /// 给一条需求添加截图（.jpg / .png，可一次给出多个）
    Attach(requirement::AttachArgs),
    /// 应本人要求删除一条需求中的个人信息（医生姓名、医享账号、医生原话、电话号码）；需求及编号保留
    Erase(requirement::EraseArgs),
    /// 显示一条需求（含其延期申请）或一个 Bug 的修改历史
    History(requirement::HistoryArgs),
    /// 显示一条需求的时间线：每件事发生在哪一天（每行：日期、事件、说明、来源）
    Timeline(requirement::TimelineArgs),
    /// 负责人：需求收集人、产品经理、IT负责人（第一次由担任该角色的人做某一步时自动填入）
    Responsible(requirement::ResponsibleArgs),
    /// 策划：记录策划文档编号、预计交付日、实际交付日（未给出的保持不变）
    Plan(requirement::PlanArgs),
    /// IT验收：记录预计验收日、实际验收日（未给出的保持不变）
    Acceptance(requirement::AcceptanceArgs),
    /// 记录一次通知：对谁、经什么渠道、何时、是否已确认（需求或 Bug）
    Notify(notify::NotifyArgs),
    /// 列出人员
    People(people::PeopleArgs),
    /// 添加人员（新数据库的第一位人员拥有全部角色，并成为操作人）
    AddPerson(people::AddPersonArgs),
    /// 修改人员：改名、部门、角色，停用或重新启用
    EditPerson(people::EditPersonArgs),
    /// 设置登录密码（自己的，或能管理人员名单的人为他人设置）；新密码取自环境变量 GENJIN_NEW_PASSWORD 或提示输入
    Password(people::PasswordArgs),
    /// 导入旧的 Excel 登记表、需求报告表、Bug收集反馈表（文件或文件夹，.xlsx/.xls/.ods）；先预览再写入
    Import(import::ImportArgs),
    /// 查看设置；给出 KEY VALUE 时修改该设置（例如编号规则）
    Settings(settings::SettingsArgs),
    /// 可选列表（需求来源、部门、Bug 类型、严重程度、来源渠道、通知方式）：查看、加入、隐藏
    List(settings::ListArgs),
    /// 备份整个数据库：不给文件时备份到数据库旁的 backups 文件夹；--list 列出已有备份
    Backup(settings::BackupArgs),
    /// 把整个数据库复制到一个空的共享数据库（--to postgres://…）或一个新的数据库文件（--to 文件.sqlite3），复制后逐表核对
    #[command(name = "copy-db")]
    CopyDb(settings::CopyDbArgs),
    /// 从备份文件恢复整个数据库（先检查备份完好，并先把当前数据库备份一份）
    Restore(settings::RestoreArgs),
    /// 节假日与调休：列出；add 录入一天；remove 移除一天（时间节点按工作日计算时使用）
    Calendar(calendar::CalendarArgs),
    /// 需求延期交付申请（附表1）：file 提交；sign 记录领导签字；withdraw 撤回
    Delay(delay::DelayArgs),
    /// 列出延期申请（给出需求编号时只列这条需求的）
    Delays(delay::DelaysArgs),
    /// 导出可直接打印的表格（.xlsx）
    Export(export::ExportArgs),
    /// Bug 反馈流程：add 登记；edit 分类、更正；reproduce 复现；fix 修复；to-requirement 转需求；show 显示
    Bug(bug::BugArgs),
    /// 列出 Bug（Bug收集反馈表）
    Bugs(bug::BugsArgs),
    /// 周报（新增需求收集周报、新增Bug周报）、记录周报已发送；月报
    Report(report::ReportArgs),
    /// 月度考核表：某月每人未按时的事项与扣款（--json、--out 导出 .xlsx）
    Assessment(assessment::AssessmentArgs),
    /// 季度奖励候选：全部按时的人、提前完成的重大需求、无遗漏的收集人（附证据；金额由人决定）
    Rewards(rewards::RewardsArgs),
    /// 待办：按时间节点（附表的时限）算出的待办与逾期事项，最早到期的在前
    Todo(todo::TodoArgs),
    /// 关于：本程序的版本、打开的数据库、各台电脑打开它所用的跟进版本（不需登录）
    About(AboutArgs),
    /// 决策会：列出这一周的待决策需求；用 --verdict 一次记录整场会议的决策（同一时间，全部或全不）
    Meeting(meeting::MeetingArgs),
    /// 填写一份需求报告表（附表2），等需求收集人登记编号（外出时或在自己桌前）：打印“待登记 N”
    Submit(sync::SubmitArgs),
    /// 待同步：还没送到共享数据库的记录，以及未被采用的（附原因）
    Pending(sync::PendingArgs),
    /// 放弃一条待同步或未被采用的记录
    Discard(sync::IdArgs),
    /// 外出用的电脑与共享数据库同步：--with 地址 直接同步；--out 文件 / --in 文件 [--reply 回执] 经文件同步
    Sync(sync::SyncArgs),
    /// 待登记：送到本数据库、等需求收集人登记编号的需求报告和 Bug，以及未能应用的记录
    Inbox(sync::InboxArgs),
    /// 登记一条待登记的报告：打印分配的需求编号（或 Bug 编号）
    Accept(sync::AcceptArgs),
    /// 不予登记一条待登记的报告（写明原因，报告人同步后会看到）
    Decline(sync::DeclineArgs),
}

impl Command {
    /// Only reads or copies out: on a database file that is not there it is refused rather than
    /// making an empty one (a mistyped `--db`).
    fn only_reads(&self) -> bool {
        matches!(
            self,
            Command::Register(_)
                | Command::About(_)
                | Command::Show(_)
                | Command::History(_)
                | Command::Timeline(_)
                | Command::People(_)
                | Command::Backup(_)
                | Command::CopyDb(_)
                | Command::Delays(_)
                | Command::Export(_)
                | Command::Bugs(_)
                | Command::Todo(_)
                | Command::Assessment(_)
                | Command::Rewards(_)
                | Command::Pending(_)
                | Command::Discard(_)
                | Command::Sync(_)
                | Command::Inbox(_)
                | Command::Accept(_)
                | Command::Decline(_)
        )
    }
}

/// `genjin about`.
#[derive(clap::Args, Debug)]
pub struct AboutArgs {
    /// 输出 JSON（键：version、pc、database、shared、schema、opened_before、opened_by）
    #[arg(long)]
    pub json: bool,
}

/// `genjin about`: what runs where (issue 23), asked of no one's sign-in — a support call
/// needs it from whoever is at the PC.
fn about(db: &Db, a: &AboutArgs, out: &mut dyn Write) -> Result<()> {
    let said = crate::api::about::about(db)?;
    if a.json {
        writeln!(out, "{}", to_json(&said)?)?;
    } else {
        for line in said.lines() {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Entry point of the binary: returns the process exit code.
/// 0 success; 1 the operation failed; 2 the command line or an input was refused; 3 the actor
/// may not make the change (issue 13: not a listed person, or no role for it).
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match parse(args) {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    // --db, else GENJIN_DB, else the default file; a postgres:// URL is a shared database
    let named = cli
        .db
        .clone()
        .or_else(|| std::env::var_os("GENJIN_DB").map(PathBuf::from))
        .filter(|p| !p.as_os_str().is_empty());
    // neither: the shared database this user chose on this PC in the window (issue 22)
    let remembered = match named {
        Some(_) => None,
        None => match crate::api::connection::remembered() {
            Ok(r) => r,
            // a damaged choice is said, never taken for this PC's file
            Err(e) if cli.command.is_none() => {
                return report(crate::app::run_unavailable(&e.to_string()))
            }
            Err(e) => return failed(&e),
        },
    };
    let shared = named
        .as_deref()
        .and_then(crate::server_url)
        .map(str::to_string)
        .or(remembered);
    if let Some(url) = shared.as_deref() {
        let Some(command) = cli.command else {
            return report(crate::app::run_shared(url, named.is_some()));
        };
        let result = Db::open_url(url).and_then(|mut db| {
            if let Command::About(a) = &command {
                return about(&db, a, &mut std::io::stdout().lock());
            }
            let actor = if db.sign_in_required()? {
                signed_in(&db, cli.operator.as_deref())?
            } else {
                actor(&db, cli.operator.as_deref())?
            };
            let mut out = std::io::stdout().lock();
            run(&mut db, &actor, command, &mut out)
        });
        return report(result);
    }
    let path = named.clone().unwrap_or_else(crate::default_db_path);
    let Some(command) = cli.command else {
        return report(crate::app::run(&path, named.is_some()));
    };
    // a path typed wrong never silently makes an empty database to read from (issue 19)
    if !path.exists() && command.only_reads() {
        return failed(&Error::NotFound(format!(
            "找不到数据库文件“{}”（没有新建）；请检查 --db 的路径",
            path.display()
        )));
    }
    let result = Db::open(&path).and_then(|mut db| {
        if db.is_new_file() {
            eprintln!("提示：已新建数据库文件“{}”", path.display());
        }
        if let Some(w) = crate::store::storage_warning(&path) {
            eprintln!("警告：{w}");
        }
        if let Some(w) = db.moved_warning()? {
            eprintln!("警告：{w}");
        }
        // the first start of the day takes the day's backup; a failed one is said, not fatal
        if let Err(e) = db.daily_backup(crate::clock::now()) {
            eprintln!("警告：今天的自动备份没有成功：{e}");
        }
        if let Command::About(a) = &command {
            return about(&db, a, &mut std::io::stdout().lock());
        }
        let actor = if db.sign_in_required()? {
            signed_in(&db, cli.operator.as_deref())?
        } else {
            actor(&db, cli.operator.as_deref())?
        };
        let mut out = std::io::stdout().lock();
        run(&mut db, &actor, command, &mut out)
    });
    report(result)
}

/// Parses the command line with clap's English help text replaced by Chinese.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> std::result::Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let matches = chinese(Cli::command()).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Names shown for values (`--received <日期>`), by argument id; others read 值.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("db", "路径"),
    ("dest", "文件"),
    ("number", "需求编号"),
    ("day", "日期"),
    ("received", "日期"),
    ("report_date", "日期"),
    ("date", "日期"),
    ("at", "时间"),
    ("from", "日期"),
    ("to", "日期"),
    ("key", "设置项"),
    ("value", "值"),
    ("name", "名称"),
    ("reporter", "姓名"),
    ("requester", "姓名"),
    ("doctor", "姓名"),
    ("decision", "决策结果"),
    ("grade", "分级"),
    ("kind", "类型"),
    ("status", "状态"),
    ("roles", "角色"),
    ("search", "关键词"),
    ("id", "编号"),
    ("file", "文件"),
    ("files", "文件"),
    ("path", "路径"),
    ("level", "级别"),
    ("reason", "原因"),
    ("opinion", "意见"),
    ("signer", "姓名"),
    ("channel", "渠道"),
    ("found", "日期"),
    ("out", "文件"),
    ("month", "月份"),
    ("reported", "日期"),
];

/// The command line in Chinese (clap's own words are English): the usage line, the headings
/// (子命令 / 参数 / 选项), value names, and the help and version flags; no `help` subcommand.
fn chinese(cmd: clap::Command) -> clap::Command {
    let root = cmd.get_name().to_string();
    localize(cmd, &root, true)
}

fn localize(cmd: clap::Command, path: &str, root: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    // a bug's commands take a Bug number, not a 需求编号 (issue 20)
    let of_bugs = path.split(' ').nth(1) == Some("bug");
    // positionals are listed in the order they are given (issue 20: `delay attach --help`
    // listed the file before the application)
    let mut position = 0;
    let cmd = cmd.mut_args(|a| {
        let a = if a.is_positional() {
            position += 1;
            a.display_order(position)
        } else {
            a
        };
        let heading = if a.is_positional() {
            "参数"
        } else {
            "选项"
        };
        let english = a.get_value_names().is_some_and(|names| {
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        });
        let mut a = a.help_heading(heading);
        if a.get_help().is_none() && a.get_id() == "number" {
            a = a.help(if of_bugs {
                "Bug 编号，例如 B14070101"
            } else {
                "需求编号，例如 14061903"
            });
        }
        // clap writes a default as `[default: …]`: an empty one is left unsaid, another is
        // said in Chinese
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            let said = defaults.join("、");
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            a = a.hide_default_value(true);
            if !said.trim().is_empty() && !help.contains("默认") {
                a = a.help(format!("{help}（默认：{said}）"));
            }
        }
        if english && a.get_action().takes_values() {
            let id = a.get_id().as_str();
            let name = if of_bugs && id == "number" {
                "Bug编号"
            } else {
                VALUE_NAMES
                    .iter()
                    .find(|(k, _)| *k == id)
                    .map(|(_, n)| *n)
                    .unwrap_or("值")
            };
            a.value_name(name)
        } else {
            a
        }
    });
    let mut usage = format!("{path} [选项]");
    for a in cmd.get_positionals() {
        let name = a
            .get_value_names()
            .and_then(|n| n.first())
            .map(|n| n.to_string())
            .unwrap_or_else(|| a.get_id().to_string());
        let many = if matches!(a.get_action(), ArgAction::Append) {
            "..."
        } else {
            ""
        };
        usage.push_str(&if a.is_required_set() {
            format!(" <{name}>{many}")
        } else {
            format!(" [{name}]{many}")
        });
    }
    if cmd.has_subcommands() {
        usage.push_str(" [子命令]");
    }
    let mut cmd = cmd
        .override_usage(usage)
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("子命令")
        .subcommand_value_name("子命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    let parent = path.to_string();
    cmd.mut_subcommands(|sub| {
        let path = format!("{parent} {}", sub.get_name());
        localize(sub, &path, false)
    })
}

fn report(r: Result<()>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => failed(&e),
    }
}

/// Says why on stderr and gives the exit code: 2 for a refusal — input refused, not found,
/// or a change the record's state does not allow (one kind of refusal, one code: issue 20) —
/// 3 for a change the actor may not make (not a listed person, or no role for it), else 1. A
/// closed pipe (`genjin register | head -1`) is no error: nothing is said, and the code is 0.
fn failed(e: &Error) -> i32 {
    if let Error::Io(io) = e {
        if io.kind() == std::io::ErrorKind::BrokenPipe {
            return 0;
        }
    }
    eprintln!("错误：{e}");
    match e {
        Error::Invalid { .. }
        | Error::InvalidRows(_)
        | Error::NotFound(_)
        | Error::Conflict(_)
        | Error::Stale(_)
        | Error::NumbersExhausted(_) => 2,
        Error::Forbidden(_) => 3,
        _ => 1,
    }
}

fn clap_error(e: clap::Error) -> i32 {
    use clap::error::ErrorKind as K;
    if matches!(
        e.kind(),
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return 0;
    }
    // a value our parsers refused (`closed`, `filter`): its own message, as the core words it
    if let Some(refused) = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<Error>()) {
        return failed(refused);
    }
    let what = match e.kind() {
        K::MissingRequiredArgument => "缺少必填参数",
        K::UnknownArgument => "无法识别的参数",
        K::InvalidSubcommand => "无法识别的子命令",
        K::InvalidValue | K::ValueValidation => "参数取值无效",
        K::ArgumentConflict => "参数互相冲突",
        K::TooManyValues | K::WrongNumberOfValues => "参数个数不对",
        K::MissingSubcommand => "缺少子命令",
        _ => "命令行有误",
    };
    // what clap found, in its own words only where they are the user's (an argument, a value)
    use clap::error::{ContextKind, ContextValue};
    let found: Vec<String> = [
        ContextKind::InvalidSubcommand,
        ContextKind::InvalidArg,
        ContextKind::InvalidValue,
    ]
    .iter()
    .filter_map(|k| e.get(*k))
    .map(|v| match v {
        ContextValue::String(s) => format!("“{s}”"),
        ContextValue::Strings(list) => list
            .iter()
            .map(|s| format!("“{s}”"))
            .collect::<Vec<_>>()
            .join("、"),
        other => format!("“{other}”"),
    })
    .collect();
    let found = if found.is_empty() {
        String::new()
    } else {
        format!("：{}", found.join(" "))
    };
    eprintln!("错误：{what}{found}。运行 genjin --help 查看用法。");
    2
}

/// With sign-in on (issue 13): `--as NAME` is required, the password taken from the
/// `GENJIN_PASSWORD` environment variable or asked for on the terminal without echo.
fn signed_in(db: &Db, name: Option<&str>) -> Result<Actor> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Err(Error::Forbidden(
            "已开启登录：请用 --as 姓名 指明是谁（密码取自环境变量 GENJIN_PASSWORD，或在提示时输入）"
                .into(),
        ));
    };
    let password = secret("GENJIN_PASSWORD", &format!("{name} 的密码："), false).ok_or_else(|| {
        Error::Forbidden(
            "已开启登录：读不到密码；请用环境变量 GENJIN_PASSWORD 提供（或在终端中运行，按提示输入）"
                .into(),
        )
    })?;
    let p = db.sign_in(name, &password)?;
    Ok(Actor::new(Some(p.id), p.name, "cli", crate::clock::now()))
}

/// A password from the environment variable `var`, else asked for on the terminal without echo
/// (twice with `confirm`; `None` when the two differ). `None` when neither can give it: a script
/// (stdin not a terminal) is never left waiting at a prompt.
pub(crate) fn secret(var: &str, prompt: &str, confirm: bool) -> Option<String> {
    use std::io::IsTerminal;
    if let Ok(v) = std::env::var(var) {
        return Some(v);
    }
    if !std::io::stdin().is_terminal() {
        return None;
    }
    let first = rpassword::prompt_password(prompt).ok()?;
    if confirm && rpassword::prompt_password("再输入一次：").ok()? != first {
        return None;
    }
    Some(first)
}

/// The actor of a command-line change: `--as NAME`, else the window's operator, else "命令行".
fn actor(db: &Db, name: Option<&str>) -> Result<Actor> {
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        let id = db.person_by_name(name)?.map(|p| p.id);
        return Ok(Actor::new(id, name, "cli", crate::clock::now()));
    }
    Ok(match db.operator()? {
        Some(p) => Actor::new(Some(p.id), p.name, "cli", crate::clock::now()),
        None => Actor::new(None, "命令行", "cli", crate::clock::now()),
    })
}

/// A value parser for one of the domain's closed lists (`labelled_enum!`): what `parse` accepts
/// (the Chinese label or the code), else refused as `无法识别的{what}“{value}”` (exit code 2).
fn closed<T: 'static>(
    parse: fn(&str) -> Option<T>,
    field: &'static str,
    what: &'static str,
) -> impl Fn(&str) -> Result<T> + Clone + Send + Sync + 'static {
    move |v| parse(v).ok_or_else(|| Error::invalid(field, format!("无法识别的{what}“{v}”")))
}

/// Runs one subcommand, writing its output to `out`.
pub fn run(db: &mut Db, actor: &Actor, command: Command, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::AddRequirement(a) => requirement::add(db, actor, a, out),
        Command::Register(a) => register::register(db, a, out),
        Command::Show(a) => requirement::show(db, a, out),
        Command::Decide(a) => requirement::decide(db, actor, a, out),
        Command::Expect(a) => requirement::expect(db, actor, a, out),
        Command::Complete(a) => requirement::complete(db, actor, a, out),
        Command::Withdraw(a) => requirement::withdraw(db, actor, a, out),
        Command::Attach(a) => requirement::attach(db, actor, a, out),
        Command::Erase(a) => requirement::erase(db, actor, a, out),
        Command::History(a) => requirement::history(db, a, out),
        Command::Timeline(a) => requirement::timeline(db, a, out),
        Command::Plan(a) => requirement::plan(db, actor, a, out),
        Command::Responsible(a) => requirement::responsible(db, actor, a, out),
        Command::Acceptance(a) => requirement::acceptance(db, actor, a, out),
        Command::Notify(a) => notify::notify(db, actor, a, out),
        Command::People(a) => people::people(db, a, out),
        Command::AddPerson(a) => people::add_person(db, actor, a, out),
        Command::EditPerson(a) => people::edit_person(db, actor, a, out),
        Command::Password(a) => people::password(db, actor, a, out),
        Command::Import(a) => import::import(db, actor, a, out),
        Command::Settings(a) => settings::settings(db, actor, a, out),
        Command::Backup(a) => settings::backup(db, actor, a, out),
        Command::CopyDb(a) => settings::copy_db(db, actor, a, out),
        Command::Restore(a) => settings::restore(db, actor, a, out),
        Command::List(a) => settings::list(db, actor, a, out),
        Command::Calendar(a) => calendar::calendar(db, actor, a, out),
        Command::Delay(a) => delay::delay(db, actor, a, out),
        Command::Delays(a) => delay::delays(db, a, out),
        Command::Export(a) => export::export(db, a, out),
        Command::Bug(a) => bug::bug(db, actor, a, out),
        Command::Bugs(a) => bug::bugs(db, a, out),
        Command::Report(a) => report::report(db, actor, a, out),
        Command::Meeting(a) => meeting::meeting(db, actor, a, out),
        Command::Todo(a) => todo::todo(db, a, out),
        Command::About(a) => about(db, &a, out),
        Command::Assessment(a) => assessment::assessment(db, actor, a, out),
        Command::Rewards(a) => rewards::rewards(db, a, out),
        Command::Submit(a) => sync::submit(db, actor, a, out),
        Command::Pending(a) => sync::pending(db, a, out),
        Command::Discard(a) => sync::discard(db, actor, a, out),
        Command::Sync(a) => sync::sync(db, actor, a, out),
        Command::Inbox(a) => sync::inbox(db, a, out),
        Command::Accept(a) => sync::accept(db, actor, a, out),
        Command::Decline(a) => sync::decline(db, actor, a, out),
    }
}

/// Pretty JSON for `--json` output.
/// The files named on the command line (`--attach`, `attach`'s files) as (name, bytes); one
/// that cannot be read is refused by `field`, naming it and why.
fn read_files(paths: &[PathBuf], field: &str) -> Result<Vec<(String, Vec<u8>)>> {
    paths
        .iter()
        .map(|p| {
            std::fs::read(p)
                .map(|bytes| (p.to_string_lossy().to_string(), bytes))
                .map_err(|e| {
                    Error::invalid(
                        field,
                        format!("无法读取 {}：{}", p.display(), crate::error::io_reason(&e)),
                    )
                })
        })
        .collect()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> Error {
    Error::Io(std::io::Error::other(format!("JSON 输出失败：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn one_kind_of_refusal_one_exit_code_and_a_closed_pipe_is_no_error() {
        let pipe = Error::Io(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(failed(&pipe), 0);
        assert_eq!(failed(&Error::Conflict("需求 1 未被撤回".into())), 2);
        assert_eq!(failed(&Error::invalid("date", "还没有预期交付日")), 2);
        assert_eq!(failed(&Error::Forbidden("无权".into())), 3);
        let disk = Error::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(failed(&disk), 1);
    }

    #[test]
    fn help_lists_arguments_in_order_and_names_bug_numbers() {
        let help = |path: &[&str]| {
            let mut cmd = chinese(Cli::command());
            for p in path {
                cmd = cmd.find_subcommand(p).unwrap().clone();
            }
            cmd.render_help().to_string()
        };
        let attach = help(&["delay", "attach"]);
        let (id, file) = (
            attach.find("申请编号").unwrap(),
            attach.find("照片或扫描件的文件路径").unwrap(),
        );
        assert!(id < file, "{attach}");
        let bug = help(&["bug", "reproduce"]);
        assert!(
            bug.contains("<Bug编号>") && !bug.contains("需求编号"),
            "{bug}"
        );
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn closed_lists_parse_labels_and_codes_and_refuse_the_rest() {
        let parse = |args: &[&str]| super::parse(args.iter().map(OsString::from));
        let refused = |args: &[&str]| {
            let e = parse(args).unwrap_err();
            let why = std::error::Error::source(&e)
                .and_then(|s| s.downcast_ref::<Error>())
                .map(|e| (e.field().map(String::from), e.to_string()));
            (e.kind(), why)
        };
        for ok in [
            &["genjin", "decide", "1", "--decision", "do", "--grade", "b"][..],
            &[
                "genjin",
                "add-person",
                "--name",
                "甲",
                "--roles",
                "IT，测试、 决策组",
            ],
            &["genjin", "import", "x", "--on-conflict", "采用文件"],
            &[
                "genjin",
                "register",
                "--status",
                "未完成",
                "--decision",
                "未决策",
            ],
            &["genjin", "register", "--status", " "],
        ] {
            assert!(parse(ok).is_ok(), "{ok:?}");
        }
        let (kind, why) = refused(&["genjin", "decide", "1", "--decision", "做", "--grade", "e"]);
        assert_eq!(kind, clap::error::ErrorKind::ValueValidation);
        assert_eq!(
            why,
            Some((Some("grade".into()), "无法识别的需求分级“E”".into()))
        );
        let (_, why) = refused(&["genjin", "add-person", "--name", "甲", "--roles", "IT,厨师"]);
        assert_eq!(
            why,
            Some((Some("roles".into()), "无法识别的角色“厨师”".into()))
        );
    }
}
