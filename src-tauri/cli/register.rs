//! `register`: the 附表3 register, as text or as JSON keyed by the policy's headers.

use super::to_json;
use crate::domain::dates;
use crate::domain::forms::REGISTER;
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
    /// 按需求状态筛选：完成 / 延期 / 空 / 逾期（已过承诺交付日，未完成）
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
    /// 按编号或任意文字搜索；用空格分隔的多个关键词须同时出现
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
    writeln!(out, "{}", REGISTER.labels().join("\t"))?;
    for r in &page.rows {
        let cells: Vec<String> = REGISTER
            .fields
            .iter()
            .map(|f| {
                let v = r.value(f.key).unwrap_or_default();
                if f.day {
                    dates::from_iso(v).map(dates::compact).unwrap_or_default()
                } else {
                    v.replace(['\t', '\n'], " ")
                }
            })
            .collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    writeln!(out, "共 {} 条", page.total)?;
    Ok(())
}

/// One register row as the policy's headers (`domain::forms::REGISTER`) → values (days
/// `YYYY-MM-DD`, an empty day null).
pub fn register_json(r: &RegisterRow) -> Value {
    let mut m = Map::new();
    for f in REGISTER.fields {
        let v = match r.value(f.key) {
            None => Value::Null,
            Some(v) if f.day && v.is_empty() => Value::Null,
            Some(v) => json!(v),
        };
        m.insert(f.label.to_string(), v);
    }
    Value::Object(m)
}
