//! The headless command line: the same core the window uses, for the jobs people script.
//! With no subcommand the window opens.

use crate::domain::dates;
use crate::domain::people::Role;
use crate::error::{Error, Result};
use crate::store::{
    Actor, Db, DecisionInput, DeliveryInput, PersonInput, RegisterQuery, RegisterRow, Requirement,
    RequirementInput, StepTime,
};
use clap::{Args, Parser, Subcommand};
use serde_json::{json, Map, Value};
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
    AddRequirement(AddRequirement),
    /// 打印需求登记反馈表（附表3）；--json 输出以表头为键的 JSON 数组
    Register(RegisterArgs),
    /// 显示一条需求的全部信息
    Show {
        /// 需求编号，例如 14061903
        number: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 记录决策结果（做 / 不做 / 再议 / 需求转换）及需求分级
    Decide(DecideArgs),
    /// 记录预期交付日
    Expect(DayArgs),
    /// 记录完成：实际交付日（状态变为“完成”）
    Complete(DayArgs),
    /// 撤回一条需求（保留记录和编号，编号不再使用）
    Withdraw {
        number: String,
        /// 撤回原因
        #[arg(long)]
        reason: String,
    },
    /// 显示一条需求的修改历史
    History {
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// 列出人员
    People {
        #[arg(long)]
        json: bool,
    },
    /// 添加人员
    AddPerson {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        department: String,
        /// 角色，逗号分隔：需求报告人,需求收集人,决策组,产品经理,IT,测试
        #[arg(long, default_value = "")]
        roles: String,
    },
    /// 导入旧的 Excel 登记表、需求报告表（文件或文件夹，.xlsx/.xls/.ods）；先预览再写入
    Import(ImportArgs),
    /// 查看设置；给出 KEY VALUE 时修改该设置（例如编号规则）
    Settings {
        /// 设置项，例如 numbering.requirement.scheme
        key: Option<String>,
        /// 新的值，例如 YYYYMM-NNN
        value: Option<String>,
    },
    /// 备份整个数据库到一个新文件（不会覆盖已有文件）
    Backup {
        /// 备份文件路径
        dest: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct AddRequirement {
    /// 收到日期（决定需求编号），例如 2014-06-19
    #[arg(long)]
    received: String,
    /// 填表人（需求报告人）
    #[arg(long)]
    reporter: String,
    /// 需求梗概（不超过 50 字，关键词用空格分隔）
    #[arg(long)]
    summary: String,
    /// 需求人（提出需求的医生/用户）
    #[arg(long, default_value = "")]
    requester: String,
    /// 需求类型：新需求 / 改进需求
    #[arg(long, default_value = "新需求")]
    kind: String,
    /// 需求来源，例如 推广部转达
    #[arg(long, default_value = "")]
    source: String,
    /// 填表人部门
    #[arg(long, default_value = "")]
    department: String,
    /// 填报日期
    #[arg(long, default_value = "")]
    report_date: String,
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
    /// 备注
    #[arg(long, default_value = "")]
    remark: String,
}

#[derive(Args, Debug)]
pub struct RegisterArgs {
    /// 以 JSON 数组输出（键为附表3表头，日期为 YYYY-MM-DD，空为 null）
    #[arg(long)]
    json: bool,
    /// 按需求状态筛选：完成 / 延期 / 空
    #[arg(long)]
    status: Option<String>,
    /// 按决策结果筛选：做 / 不做 / 再议 / 需求转换 / 未决策
    #[arg(long)]
    decision: Option<String>,
    /// 按需求分级筛选：A / B / C / D
    #[arg(long)]
    grade: Option<String>,
    /// 按填表人筛选
    #[arg(long)]
    reporter: Option<String>,
    /// 收到日期起（含）
    #[arg(long)]
    from: Option<String>,
    /// 收到日期止（含）
    #[arg(long)]
    to: Option<String>,
    /// 按编号或任意文字搜索
    #[arg(long)]
    search: Option<String>,
    /// 包括已撤回的需求
    #[arg(long)]
    all: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 要导入的文件或文件夹（文件夹会递归查找）
    #[arg(required = true, value_name = "文件或文件夹")]
    paths: Vec<PathBuf>,
    /// 只预览将要做的修改，不写入数据库
    #[arg(long)]
    dry_run: bool,
    /// 以 JSON 输出结果：{"created","updated","unchanged","rejected":[…],…}
    #[arg(long)]
    json: bool,
    /// 文件与数据库中已有的值不同时：keep 保留已有（默认）/ take 采用文件的
    #[arg(long, value_name = "keep|take", default_value = "keep")]
    on_conflict: String,
}

#[derive(Args, Debug)]
pub struct DecideArgs {
    number: String,
    /// 决策结果：做 / 不做 / 再议 / 需求转换
    #[arg(long)]
    decision: String,
    /// 需求分级：A / B / C / D（“做”和“需求转换”必填）
    #[arg(long)]
    grade: Option<String>,
    /// 转换概要（“需求转换”必填，写入备注）
    #[arg(long, default_value = "")]
    conversion: String,
    /// 决策日期（默认为发生当天）
    #[arg(long, default_value = "")]
    date: String,
    /// 发生时间（默认现在），例如 "2014-06-21 10:30"
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
pub struct DayArgs {
    number: String,
    /// 日期，例如 2014-06-25
    #[arg(long)]
    date: String,
    /// 发生时间（默认现在）
    #[arg(long)]
    at: Option<String>,
}

/// Entry point of the binary: returns the process exit code.
/// 0 success; 1 the operation failed; 2 the command line or an input was refused.
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    let path = cli.db.clone().unwrap_or_else(crate::default_db_path);
    let Some(command) = cli.command else {
        return report(crate::app::run(&path));
    };
    let result = Db::open(&path).and_then(|mut db| {
        let actor = actor(&db, cli.operator.as_deref())?;
        let mut out = std::io::stdout().lock();
        run(&mut db, &actor, command, &mut out)
    });
    report(result)
}

fn report(r: Result<()>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("错误：{e}");
            match e {
                Error::Invalid { .. } | Error::NotFound(_) | Error::NumbersExhausted(_) => 2,
                _ => 1,
            }
        }
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
    eprintln!(
        "错误：{what}。运行 genjin --help 查看用法。\n{}",
        e.render()
    );
    2
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

fn parse_enum<T>(
    field: &str,
    label: &str,
    v: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T> {
    parse(v).ok_or_else(|| Error::invalid(field, format!("无法识别的{label}“{v}”")))
}

/// Runs one subcommand, writing its output to `out`.
pub fn run(db: &mut Db, actor: &Actor, command: Command, out: &mut dyn Write) -> Result<()> {
    use crate::domain::requirement::{Decision, Grade, Kind};
    match command {
        Command::AddRequirement(a) => {
            let input = RequirementInput {
                kind: Some(parse_enum("kind", "需求类型", &a.kind, Kind::parse)?),
                source: a.source,
                reporter: a.reporter,
                reporter_department: a.department,
                report_date: a.report_date,
                received_date: a.received,
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
            let r = db.create_requirement(actor, &input)?;
            writeln!(out, "{}", r.number)?;
        }
        Command::Register(a) => {
            let q = RegisterQuery {
                status: a.status,
                decision: a.decision,
                grade: a.grade,
                reporter: a.reporter,
                received_from: a.from,
                received_to: a.to,
                search: a.search,
                include_withdrawn: a.all,
                limit: None,
                ..Default::default()
            };
            let page = db.register(&q, crate::clock::today())?;
            if a.json {
                let rows: Vec<Value> = page.rows.iter().map(register_json).collect();
                writeln!(out, "{}", to_json(&rows)?)?;
            } else {
                writeln!(out, "{}", REGISTER_HEADERS.join("\t"))?;
                for r in &page.rows {
                    let compact = |d: &Option<String>| {
                        d.as_deref()
                            .and_then(dates::from_iso)
                            .map(dates::compact)
                            .unwrap_or_default()
                    };
                    let cells = [
                        r.number.clone(),
                        r.reporter.clone(),
                        r.requester.clone(),
                        r.decision.clone(),
                        r.grade.clone(),
                        compact(&r.expected_delivery),
                        compact(&r.actual_delivery),
                        r.status.clone(),
                        r.brief.clone(),
                        r.remark.clone(),
                    ];
                    writeln!(
                        out,
                        "{}",
                        cells.map(|c| c.replace(['\t', '\n'], " ")).join("\t")
                    )?;
                }
                writeln!(out, "共 {} 条", page.total)?;
            }
        }
        Command::Show { number, json } => {
            let r = db.requirement(&number)?;
            if json {
                writeln!(out, "{}", to_json(&r)?)?;
            } else {
                show(&r, out)?;
            }
        }
        Command::Decide(a) => {
            let input = DecisionInput {
                decision: parse_enum("decision", "决策结果", &a.decision, Decision::parse)?,
                grade: a
                    .grade
                    .as_deref()
                    .map(|g| parse_enum("grade", "需求分级", &g.to_uppercase(), Grade::parse))
                    .transpose()?,
                conversion_summary: a.conversion,
                decision_date: a.date,
                at: StepTime {
                    happened_at: a.at,
                    version: None,
                },
            };
            let r = db.record_decision(actor, &a.number, &input)?;
            writeln!(
                out,
                "{} 决策结果：{} 状态：{}",
                r.number,
                label_of(r.decision),
                r.status.label()
            )?;
        }
        Command::Expect(a) => {
            let r = db.record_expected_delivery(actor, &a.number, &day_input(a.date, a.at))?;
            writeln!(
                out,
                "{} 预期交付日：{}",
                r.number,
                r.expected_delivery.unwrap_or_default()
            )?;
        }
        Command::Complete(a) => {
            let r = db.record_completion(actor, &a.number, &day_input(a.date, a.at))?;
            writeln!(
                out,
                "{} 实际交付日：{} 状态：{}",
                r.number,
                r.actual_delivery.unwrap_or_default(),
                r.status.label()
            )?;
        }
        Command::Withdraw { number, reason } => {
            let r = db.withdraw_requirement(actor, &number, &reason, &StepTime::default())?;
            writeln!(out, "{} 已撤回", r.number)?;
        }
        Command::History { number, json } => {
            let r = db.requirement(&number)?;
            let h = db.history("requirement", r.id)?;
            if json {
                writeln!(out, "{}", to_json(&h)?)?;
            } else {
                for e in h {
                    writeln!(
                        out,
                        "{}\t{}\t{} → {}\t{}\t记录于 {}",
                        e.happened_at,
                        e.field_label,
                        e.old_value.unwrap_or_default(),
                        e.new_value.unwrap_or_default(),
                        e.actor,
                        e.recorded_at
                    )?;
                }
            }
        }
        Command::People { json } => {
            let people = db.people()?;
            if json {
                writeln!(out, "{}", to_json(&people)?)?;
            } else {
                for p in people {
                    let roles: Vec<&str> = p.roles.iter().map(|r| r.label()).collect();
                    writeln!(out, "{}\t{}\t{}", p.name, p.department, roles.join("、"))?;
                }
            }
        }
        Command::AddPerson {
            name,
            department,
            roles,
        } => {
            let roles = roles
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| parse_enum("roles", "角色", r, Role::parse))
                .collect::<Result<Vec<_>>>()?;
            let p = db.add_person(
                actor,
                &PersonInput {
                    name,
                    department,
                    roles,
                    active: None,
                },
            )?;
            writeln!(out, "已添加人员：{}（{}）", p.name, p.department)?;
        }
        Command::Import(a) => return import(db, actor, a, out),
        Command::Settings { key, value } => match (key, value) {
            (Some(k), Some(v)) => {
                db.configure(actor, &k, &v)?;
                writeln!(out, "{k} = {}", v.trim())?;
            }
            (key, _) => {
                for (k, v, help) in db.settings()? {
                    if key.as_deref().is_none_or(|want| want == k) {
                        writeln!(out, "{k} = {v}\t# {help}")?;
                    }
                }
            }
        },
        Command::Backup { dest } => {
            db.backup_to(&dest)?;
            writeln!(out, "已备份到 {}", dest.display())?;
        }
    }
    Ok(())
}

/// `import`: preview, or commit all or nothing; a file refused as a whole makes the exit non-zero.
fn import(db: &mut Db, actor: &Actor, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    use crate::store::ConflictPolicy;
    let policy = match a.on_conflict.as_str() {
        "keep" | "保留" => ConflictPolicy::KeepExisting,
        "take" | "采用文件" => ConflictPolicy::TakeFile,
        other => {
            return Err(Error::invalid(
                "on_conflict",
                format!("--on-conflict 只能是 keep 或 take，不能是“{other}”"),
            ))
        }
    };
    let (report, refused) = crate::api::import::run(db, actor, &a.paths, a.dry_run, policy)?;
    if a.json {
        let mut v = serde_json::to_value(&report).map_err(json_error)?;
        v["dry_run"] = serde_json::json!(a.dry_run);
        writeln!(out, "{}", to_json(&v)?)?;
    } else {
        let verb = if a.dry_run {
            "预览（未写入）"
        } else {
            "已导入"
        };
        writeln!(
            out,
            "{verb}：新建 {} 条，更新 {} 条，未变 {} 条，拒绝 {} 行",
            report.created,
            report.updated,
            report.unchanged,
            report.rejected.len()
        )?;
        for f in &report.files {
            match &f.refused {
                Some(why) => writeln!(out, "拒绝文件 {}：{why}", f.file)?,
                None => {
                    for s in &f.sheets {
                        let note = s
                            .note
                            .as_deref()
                            .map(|n| format!("（{n}）"))
                            .unwrap_or_default();
                        writeln!(
                            out,
                            "  {} / {}：{}，{} 行{note}",
                            f.file, s.name, s.kind, s.rows
                        )?;
                    }
                }
            }
        }
        for (place, reason) in grouped(&report.rejected) {
            writeln!(out, "拒绝 {place}：{reason}")?;
        }
        for c in &report.conflicts {
            let taken = if c.take {
                "采用文件"
            } else {
                "保留已有"
            };
            writeln!(
                out,
                "冲突 {} {}：已有“{}”，文件“{}”（{} 第 {} 行）→ {taken}",
                c.number, c.field, c.existing, c.incoming, c.file, c.row
            )?;
        }
        for (place, reason) in grouped(&report.warnings) {
            writeln!(out, "提示 {place}：{reason}")?;
        }
        for s in &report.skipped {
            writeln!(out, "跳过 {}：{}", s.file, s.reason)?;
        }
    }
    if refused {
        return Err(Error::invalid("file", "有文件被整体拒绝（见上）"));
    }
    Ok(())
}

/// Rejections or warnings as lines: the same reason for the same column of one sheet once,
/// naming its rows (`第 2–601 行（600 行）`), in the order they were first met.
fn grouped(list: &[crate::excel::import::Rejection]) -> Vec<(String, &str)> {
    let mut groups: Vec<(&crate::excel::import::Rejection, Vec<usize>)> = Vec::new();
    let mut at: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for r in list {
        let key = (&r.file, &r.sheet, &r.column, &r.reason);
        match at.get(&key) {
            Some(&i) => groups[i].1.extend(r.row),
            None => {
                at.insert(key, groups.len());
                groups.push((r, r.row.into_iter().collect()));
            }
        }
    }
    groups
        .into_iter()
        .map(|(r, rows)| {
            let mut p = r.file.clone();
            if let Some(s) = &r.sheet {
                p.push_str(&format!(" / {s}"));
            }
            match rows.len() {
                0 => {}
                1 => p.push_str(&format!(" 第 {} 行", rows[0])),
                n => p.push_str(&format!(" 第 {} 行（{n} 行）", row_runs(&rows))),
            }
            if let Some(c) = &r.column {
                p.push_str(&format!(" {c} 列"));
            }
            (p, r.reason.as_str())
        })
        .collect()
}

/// Rows as people read them: `2–601、604、610–612`.
fn row_runs(rows: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &r in rows {
        match runs.last_mut() {
            Some(last) if r == last.1 + 1 => last.1 = r,
            _ => runs.push((r, r)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Pretty JSON for `--json` output.
fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> Error {
    Error::Io(std::io::Error::other(format!("JSON 输出失败：{e}")))
}

fn day_input(date: String, at: Option<String>) -> DeliveryInput {
    DeliveryInput {
        date,
        at: StepTime {
            happened_at: at,
            version: None,
        },
    }
}

fn label_of(d: Option<crate::domain::requirement::Decision>) -> &'static str {
    d.map(|d| d.label()).unwrap_or("")
}

/// The 附表3 headers, in the policy's order.
pub const REGISTER_HEADERS: [&str; 10] = [
    "需求编号",
    "填表人",
    "需求人",
    "决策结果",
    "需求分级",
    "预期交付日",
    "实际交付日",
    "需求状态",
    "需求梗概",
    "备注",
];

/// One register row as the policy's headers → values (dates `YYYY-MM-DD`, empty dates null).
pub fn register_json(r: &RegisterRow) -> Value {
    let values = [
        json!(r.number),
        json!(r.reporter),
        json!(r.requester),
        json!(r.decision),
        json!(r.grade),
        json!(r.expected_delivery),
        json!(r.actual_delivery),
        json!(r.status),
        json!(r.brief),
        json!(r.remark),
    ];
    let mut m = Map::new();
    for (k, v) in REGISTER_HEADERS.iter().zip(values) {
        m.insert((*k).to_string(), v);
    }
    Value::Object(m)
}

fn show(r: &Requirement, out: &mut dyn Write) -> Result<()> {
    let d = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows: Vec<(&str, String)> = vec![
        ("需求编号", r.number.clone()),
        ("需求状态", r.status.label().to_string()),
        ("需求类型", r.kind.label().to_string()),
        ("需求来源", r.source.clone()),
        (
            "填表人",
            format!("{} {}", r.reporter, r.reporter_department)
                .trim()
                .to_string(),
        ),
        ("填报日期", d(&r.report_date)),
        ("收到日期", r.received_date.clone()),
        ("需求人", r.requester.clone()),
        ("医生姓名", r.doctor_name.clone()),
        ("医院", r.hospital.clone()),
        ("科室", r.clinic_department.clone()),
        ("医享账号", r.app_account.clone()),
        ("医生原话", r.doctor_words.clone()),
        ("概述", r.overview.clone()),
        ("需求梗概", r.brief.clone()),
        ("决策结果", label_of(r.decision).to_string()),
        (
            "需求分级",
            r.grade.map(|g| g.label().to_string()).unwrap_or_default(),
        ),
        ("决策日期", d(&r.decision_date)),
        ("策划文档", r.plan_doc_number.clone()),
        ("预期交付日", d(&r.expected_delivery)),
        ("当前承诺交付日", d(&r.promised_date)),
        ("实际交付日", d(&r.actual_delivery)),
        ("备注", r.register_remark.clone()),
    ];
    for (k, v) in rows {
        writeln!(out, "{k}：{v}")?;
    }
    if let Some(w) = &r.withdrawn_at {
        writeln!(out, "已撤回：{w}（{}）", r.withdrawn_reason)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_runs_and_reasons_group_by_column() {
        assert_eq!(row_runs(&[2, 3, 4, 5, 7, 9, 10]), "2–5、7、9–10");
        assert_eq!(row_runs(&[4]), "4");
        let r = |row: usize, column: &str, reason: &str| crate::excel::import::Rejection {
            file: "旧.xlsx".into(),
            sheet: Some("表".into()),
            row: Some(row),
            column: Some(column.into()),
            reason: reason.into(),
        };
        let list = [
            r(2, "C", "甲"),
            r(2, "E", "乙"),
            r(3, "C", "甲"),
            r(4, "C", "甲"),
            r(9, "C", "丙"),
        ];
        let lines = grouped(&list);
        assert_eq!(
            lines,
            [
                ("旧.xlsx / 表 第 2–4 行（3 行） C 列".to_string(), "甲"),
                ("旧.xlsx / 表 第 2 行 E 列".to_string(), "乙"),
                ("旧.xlsx / 表 第 9 行 C 列".to_string(), "丙"),
            ]
        );
    }
}
