//! `register`: the 附表3 register, as text or as JSON keyed by the policy's headers.

use super::to_json;
use crate::domain::dates;
use crate::error::Result;
use crate::store::{decision_filter, grade_filter, status_filter, Db, RegisterQuery, RegisterRow};
use clap::Args;
use serde_json::{json, Map, Value};
use std::io::Write;

#[derive(Args, Debug)]
pub struct RegisterArgs {
    /// 以 JSON 数组输出（键为附表3表头，日期为 YYYY-MM-DD，空为 null）
    #[arg(long)]
    json: bool,
    /// 按需求状态筛选：完成 / 延期 / 空
    #[arg(long, value_parser = filter(status_filter))]
    status: Option<String>,
    /// 按决策结果筛选：做 / 不做 / 再议 / 需求转换 / 未决策
    #[arg(long, value_parser = filter(decision_filter))]
    decision: Option<String>,
    /// 按需求分级筛选：A / B / C / D
    #[arg(long, value_parser = filter(grade_filter))]
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

/// A value parser for a filter of the register's closed lists: checked by the register's own
/// reading of it (so refused with its message before anything runs), passed on as typed; a
/// blank value is no filter.
fn filter<T: 'static>(
    check: fn(&str) -> Result<T>,
) -> impl Fn(&str) -> Result<String> + Clone + Send + Sync + 'static {
    move |v| {
        let typed = v.trim();
        if !typed.is_empty() {
            check(typed)?;
        }
        Ok(v.to_string())
    }
}

pub fn register(db: &Db, a: RegisterArgs, out: &mut dyn Write) -> Result<()> {
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
        return Ok(());
    }
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
    Ok(())
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
