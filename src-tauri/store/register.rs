//! The live 需求登记反馈表 (附表3): filtered, searched, sorted and paged in SQL, so it stays fast
//! with 100,000 rows. The status column is computed by `genjin_status`, the domain's own rule.

use super::Db;
use crate::domain::dates;
use crate::domain::requirement::{is_overdue, register_remark, Decision, Grade, Status};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Number,
    Reporter,
    Requester,
    Decision,
    Grade,
    Expected,
    Actual,
    Status,
    Brief,
    Received,
}

impl SortKey {
    fn sql(self) -> &'static str {
        match self {
            SortKey::Number => "number",
            SortKey::Reporter => "reporter",
            SortKey::Requester => "requester",
            SortKey::Decision => "decision",
            SortKey::Grade => "grade",
            SortKey::Expected => "expected_delivery",
            SortKey::Actual => "actual_delivery",
            SortKey::Status => "status",
            SortKey::Brief => "brief",
            SortKey::Received => "received_date",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegisterQuery {
    pub status: Option<String>,
    /// A decision label, or `未决策` for requirements not decided yet.
    pub decision: Option<String>,
    pub grade: Option<String>,
    pub reporter: Option<String>,
    pub received_from: Option<String>,
    pub received_to: Option<String>,
    /// Matched against the number and every text of the record.
    pub search: Option<String>,
    pub include_withdrawn: bool,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    /// Rows per page; `None` means all (command-line export).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    pub number: String,
    pub reporter: String,
    pub requester: String,
    pub decision: String,
    pub grade: String,
    /// As first promised: after an approved delay the register keeps it (the policy's way).
    pub expected_delivery: Option<String>,
    pub actual_delivery: Option<String>,
    pub status: String,
    /// The status as a stable code (`open`, `delayed`, `done`) for styling.
    pub status_code: &'static str,
    pub brief: String,
    pub remark: String,
    pub received_date: String,
    pub withdrawn: bool,
    pub overdue: bool,
}

impl RegisterRow {
    /// The value of a 附表3 field (`domain::forms::REGISTER`'s keys) as stored: days
    /// `YYYY-MM-DD`, an empty day `None`; an unknown key `None`.
    pub fn value(&self, key: &str) -> Option<&str> {
        fn text(s: &str) -> Option<&str> {
            Some(s)
        }
        match key {
            "number" => text(&self.number),
            "reporter" => text(&self.reporter),
            "requester" => text(&self.requester),
            "decision" => text(&self.decision),
            "grade" => text(&self.grade),
            "expected_delivery" => self.expected_delivery.as_deref(),
            "actual_delivery" => self.actual_delivery.as_deref(),
            "status" => text(&self.status),
            "brief" => text(&self.brief),
            "remark" => text(&self.remark),
            "received_date" => text(&self.received_date),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterPage {
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<RegisterRow>,
}

const SEARCHED: &[&str] = &[
    "number",
    "reporter",
    "requester",
    "brief",
    "overview",
    "doctor_words",
    "doctor_name",
    "hospital",
    "clinic_department",
    "app_account",
    "remark",
    "conversion_summary",
    "plan_doc_number",
    "source",
];

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn day_filter(field: &str, label: &str, v: &Option<String>) -> Result<Option<String>> {
    nonempty(v)
        .map(|s| {
            dates::parse_day(s)
                .map(dates::iso)
                .ok_or_else(|| Error::invalid(field, format!("{label}“{s}”不是有效日期")))
        })
        .transpose()
}

/// What the 需求状态 filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Is(Status),
    /// 逾期: overdue now (`domain::requirement::is_overdue` as of the query's day).
    Overdue,
}

/// The filter's word for overdue requirements.
pub const OVERDUE: &str = "逾期";

/// A 需求状态 filter as people type it: a status (label or code), 空 / 未完成 for open ones, or
/// 逾期 for those overdue now.
pub fn status_filter(s: &str) -> Result<StatusFilter> {
    if s == OVERDUE || s == "overdue" {
        return Ok(StatusFilter::Overdue);
    }
    Status::parse(s)
        .or(if s == "空" || s == "未完成" {
            Some(Status::Open)
        } else {
            None
        })
        .map(StatusFilter::Is)
        .ok_or_else(|| Error::invalid("status", format!("无法识别的需求状态“{s}”")))
}

/// The SQL form of `domain::requirement::is_overdue` over the register's base rows (`?` is
/// today, `YYYY-MM-DD`); a test keeps it in step with the rows' own `overdue` flag.
fn overdue_sql(today: &str) -> String {
    format!("(status <> 'done' AND promised_date IS NOT NULL AND promised_date < {today})")
}

/// A 决策结果 filter: a decision (label or code), or 未决策 (`None`) for those not decided yet.
pub fn decision_filter(s: &str) -> Result<Option<Decision>> {
    if s == "未决策" {
        return Ok(None);
    }
    Decision::parse(s)
        .map(Some)
        .ok_or_else(|| Error::invalid("decision", format!("无法识别的决策结果“{s}”")))
}

/// A 需求分级 filter, upper or lower case.
pub fn grade_filter(s: &str) -> Result<Grade> {
    Grade::parse(&s.to_uppercase())
        .ok_or_else(|| Error::invalid("grade", format!("无法识别的需求分级“{s}”")))
}

/// The WHERE clause and its parameters for a query.
fn filters(q: &RegisterQuery, today: &str) -> Result<(String, Vec<Value>)> {
    let mut wh: Vec<String> = Vec::new();
    let mut ps: Vec<Value> = Vec::new();
    let bind = |ps: &mut Vec<Value>, v: Value| {
        ps.push(v);
        format!("?{}", ps.len())
    };
    if !q.include_withdrawn {
        wh.push("withdrawn_at IS NULL".into());
    }
    if let Some(s) = nonempty(&q.status) {
        match status_filter(s)? {
            StatusFilter::Is(st) => {
                let p = bind(&mut ps, Value::Text(st.code().into()));
                wh.push(format!("status = {p}"));
            }
            StatusFilter::Overdue => {
                let p = bind(&mut ps, Value::Text(today.into()));
                wh.push(overdue_sql(&p));
            }
        }
    }
    if let Some(s) = nonempty(&q.decision) {
        match decision_filter(s)? {
            None => wh.push("decision IS NULL".into()),
            Some(d) => {
                let p = bind(&mut ps, Value::Text(d.code().into()));
                wh.push(format!("decision = {p}"));
            }
        }
    }
    if let Some(s) = nonempty(&q.grade) {
        let p = bind(&mut ps, Value::Text(grade_filter(s)?.code().into()));
        wh.push(format!("grade = {p}"));
    }
    if let Some(s) = nonempty(&q.reporter) {
        let p = bind(&mut ps, Value::Text(s.into()));
        wh.push(format!("reporter = {p}"));
    }
    if let Some(d) = day_filter("received_from", "起始日期", &q.received_from)? {
        let p = bind(&mut ps, Value::Text(d));
        wh.push(format!("received_date >= {p}"));
    }
    if let Some(d) = day_filter("received_to", "截止日期", &q.received_to)? {
        let p = bind(&mut ps, Value::Text(d));
        wh.push(format!("received_date <= {p}"));
    }
    if let Some(s) = nonempty(&q.search) {
        // keywords separated by spaces (the 需求梗概 convention) must all be found, each in
        // any of the searched columns
        for word in dates::normalize_width(s).split_whitespace() {
            let pattern = format!(
                "%{}%",
                word.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let p = bind(&mut ps, Value::Text(pattern));
            let any = SEARCHED
                .iter()
                .map(|c| format!("{c} LIKE {p} ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ");
            wh.push(format!("({any})"));
        }
    }
    let clause = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    Ok((clause, ps))
}

/// Rows with the status and the delays in force (`store::delays`) worked out once, as a
/// common table. Put together once per process.
static BASE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH base AS (
    SELECT r.*,
           genjin_status(r.decision, r.actual_delivery, coalesce(d.n, 0)) AS status,
           d.notes AS delay_notes,
           coalesce(d.in_force, r.expected_delivery) AS promised_date
    FROM requirements r
    LEFT JOIN ({}) d ON d.requirement_id = r.id
)",
        super::delays::IN_FORCE_BY_REQUIREMENT
    )
});

impl Db {
    /// One page of the register as of `today` (which decides 逾期: the date in force has
    /// passed and the requirement is not 完成).
    pub fn register(&self, q: &RegisterQuery, today: NaiveDate) -> Result<RegisterPage> {
        let base = BASE.as_str();
        let today = dates::iso(today);
        let (clause, mut ps) = filters(q, &today)?;
        // Only a status filter needs the derived columns to count.
        let source = if nonempty(&q.status).is_some() {
            format!("{base} SELECT count(*) FROM base")
        } else {
            "SELECT count(*) FROM requirements".to_string()
        };
        let total: i64 = self.conn().query_row(
            &format!("{source} {clause}"),
            rusqlite::params_from_iter(ps.iter()),
            |r| r.get(0),
        )?;
        let dir = if q.descending { "DESC" } else { "ASC" };
        let key = q.sort.sql();
        let order = if q.sort == SortKey::Number {
            // never empty, and the unique index serves this order
            format!("ORDER BY number {dir}")
        } else {
            // empty values last, whatever the direction; the number breaks ties
            format!("ORDER BY ({key} IS NULL OR {key} = '') ASC, {key} {dir}, number {dir}")
        };
        let limit = q.limit.map(i64::from).unwrap_or(-1);
        ps.push(Value::Integer(limit));
        ps.push(Value::Integer(i64::from(q.offset)));
        let n = ps.len();
        let sql = format!(
            "{base} SELECT number, reporter, requester, decision, grade, expected_delivery,
                    actual_delivery, status, brief, conversion_summary, delay_notes, remark,
                    received_date, withdrawn_at IS NOT NULL, promised_date
             FROM base {clause} {order} LIMIT ?{} OFFSET ?{n}",
            n - 1
        );
        let mut st = self.conn().prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(ps.iter()), |r| {
            let decision: Option<String> = r.get(3)?;
            let grade: Option<String> = r.get(4)?;
            let status: String = r.get(7)?;
            let notes: Option<String> = r.get(10)?;
            let delays: Vec<(chrono::NaiveDate, String)> = notes
                .unwrap_or_default()
                .split('\u{1e}')
                .filter_map(|n| {
                    let (d, reason) = n.split_once('\u{1f}')?;
                    Some((dates::from_iso(d)?, reason.to_string()))
                })
                .collect();
            let conversion: String = r.get(9)?;
            let remark: String = r.get(11)?;
            let promised: Option<String> = r.get(14)?;
            let status = Status::from_code(&status).unwrap_or(Status::Open);
            Ok(RegisterRow {
                number: r.get(0)?,
                reporter: r.get(1)?,
                requester: r.get(2)?,
                decision: decision
                    .as_deref()
                    .and_then(Decision::from_code)
                    .map(|d| d.label().to_string())
                    .unwrap_or_default(),
                grade: grade.unwrap_or_default(),
                expected_delivery: r.get(5)?,
                actual_delivery: r.get(6)?,
                status: status.label().to_string(),
                status_code: status.code(),
                brief: r.get(8)?,
                remark: register_remark(&conversion, &delays, &remark),
                received_date: r.get(12)?,
                withdrawn: r.get(13)?,
                overdue: is_overdue(status, promised.as_deref(), today.as_str()),
            })
        })?;
        Ok(RegisterPage {
            total: total as u64,
            offset: q.offset,
            rows: rows.collect::<Result<_, _>>()?,
        })
    }

    /// Everyone who has filed a requirement, for the reporter filter.
    pub fn reporters(&self) -> Result<Vec<String>> {
        let mut st = self.conn().prepare_cached(
            "SELECT DISTINCT reporter FROM requirements WHERE reporter <> '' ORDER BY reporter",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
