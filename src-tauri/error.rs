//! One error type for the core, the command line and the IPC boundary.
//!
//! Every variant carries a Chinese message for the user and a stable `kind` code for programs:
//! the UI switches on `kind`, never on the wording.

use serde::ser::SerializeStruct;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input the rules refuse; `field` names the offending field (a column code or label).
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Several rows of one form refused at once (issue 20: a decision meeting marks every row
    /// with a problem, not one message at a time). Nothing was written.
    #[error("{}", rows_message(.0))]
    InvalidRows(Vec<RowProblem>),
    #[error("{0}")]
    NotFound(String),
    /// The record changed under the user (stale version) or the change contradicts its state.
    #[error("{0}")]
    Conflict(String),
    /// A save refused because the record changed since the user saw it (issue 22): who
    /// changed what meanwhile, and the version now (to save again on top of it).
    #[error("{}", .0.message)]
    Stale(Box<Stale>),
    /// A period has handed out all its numbers (the 100th requirement of a day).
    #[error("{0}")]
    NumbersExhausted(String),
    /// The user cancelled a long operation; nothing was written.
    #[error("{0}")]
    Cancelled(String),
    /// The actor is not a known person, or has no role that may make this change (issue 13).
    #[error("{0}")]
    Forbidden(String),
    /// The database server cannot be reached or refused the connection (issue 21).
    #[error("{0}")]
    Unreachable(String),
    #[error("{}", db_reason(.0))]
    Database(#[from] crate::store::sql::DbError),
    #[error("数据库结构升级没有完成（文件可能被其他程序改动过，或磁盘已满、只读）。升级前的备份在数据库旁的 backups 文件夹中，可用 genjin restore 或 设置 → 备份与恢复 恢复。（详情：{0}）")]
    Migration(String),
    #[error("文件读写失败：{}", io_reason(.0))]
    Io(#[from] std::io::Error),
}

/// A record changed under the user ([`Error::Stale`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stale {
    pub message: String,
    /// The record's version now: a save on top of the others' changes sends it.
    pub version: i64,
    /// What changed since the version the user saw, oldest first.
    pub changes: Vec<StaleChange>,
}

/// One field changed by someone else since the user looked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StaleChange {
    /// The field's code (the column: what the window's form calls it).
    pub field: String,
    /// Its label as the forms print it.
    pub label: String,
    /// Its value when the user looked, and now, as people read them.
    pub before: Option<String>,
    pub now: Option<String>,
    /// The same as stored (a form sends either: a code, or the label people read).
    pub before_raw: Option<String>,
    pub now_raw: Option<String>,
    /// Who changed it last, and when that was recorded (`2026-12-05 10:30`).
    pub by: String,
    pub at: String,
}

/// One row's refusal in [`Error::InvalidRows`]: the record (需求编号), the field, the message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowProblem {
    pub record: String,
    pub field: String,
    pub message: String,
}

fn rows_message(rows: &[RowProblem]) -> String {
    let lines: Vec<String> = rows
        .iter()
        .map(|r| format!("{}：{}", r.record, r.message))
        .collect();
    format!("{} 条有问题，均未记录：\n{}", rows.len(), lines.join("\n"))
}

/// A domain rule's refusal (`domain::Refusal`: field, message) is an `Invalid` input.
impl From<(&'static str, String)> for Error {
    fn from((field, message): (&'static str, String)) -> Self {
        Error::invalid(field, message)
    }
}

/// What went wrong with the database, said in Chinese for the failures people can act on
/// (issue 13: a read-only or full disk is a message, never a panic); others keep the engine's
/// words.
pub fn db_reason(e: &crate::store::sql::DbError) -> String {
    use crate::store::sql::DbKind as K;
    match e.kind {
        K::ReadOnly => {
            "数据库文件是只读的（文件或所在文件夹没有写权限，或磁盘只读），刚才的修改没有保存"
                .into()
        }
        K::Full => "磁盘已满，刚才的修改没有保存；请腾出磁盘空间后再试".into(),
        K::Busy => "数据库正被另一个程序占用，刚才的修改没有保存；请稍后再试".into(),
        K::Disconnected => "与数据库服务器的连接断开了（服务器停止或网络中断）。刚才的修改要么完整保存了，要么完全没有保存，不会只保存一半；跟进正在重新连接，连上后请查看，需要时再操作一次（你填写的内容还在）".into(),
        K::CannotOpen => "无法打开数据库文件（请检查路径和权限）".into(),
        K::PermissionDenied => "没有权限读写数据库文件".into(),
        K::NotADatabase | K::Corrupt => {
            "数据库文件已损坏；请从备份恢复（设置 → 备份与恢复，或 genjin restore 备份文件）".into()
        }
        K::Io => "读写数据库文件时出错（磁盘或网络故障），刚才的修改没有保存".into(),
        _ => format!("数据库错误：{e}"),
    }
}

/// What went wrong with a file, said in Chinese (the OS's own text is English).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有权限".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::NotADirectory => "这不是文件夹".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "磁盘是只读的".into(),
        K::InvalidFilename => "文件名无效".into(),
        K::UnexpectedEof => "文件不完整".into(),
        // a message already in Chinese (ours, made with io::Error::other) stays as it is
        _ if e
            .to_string()
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) =>
        {
            e.to_string()
        }
        _ => "无法读写".into(),
    }
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::InvalidRows(_) => "invalid_rows",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) | Error::Stale(_) => "conflict",
            Error::NumbersExhausted(_) => "numbers_exhausted",
            Error::Cancelled(_) => "cancelled",
            Error::Forbidden(_) => "forbidden",
            Error::Unreachable(_) => "unreachable",
            Error::Database(_) => "database",
            Error::Migration(_) => "migration",
            Error::Io(_) => "io",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Crosses IPC as `{kind, message, field?, rows?, version?, changes?}`.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Error", 6)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("field", &self.field())?;
        if let Error::InvalidRows(rows) = self {
            st.serialize_field("rows", rows)?;
        } else {
            st.skip_field("rows")?;
        }
        if let Error::Stale(stale) = self {
            st.serialize_field("version", &stale.version)?;
            st.serialize_field("changes", &stale.changes)?;
        } else {
            st.skip_field("version")?;
            st.skip_field("changes")?;
        }
        st.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_failures_people_can_act_on_are_said_in_chinese() {
        use crate::store::sql::{DbError, DbKind};
        let said = |kind: DbKind| Error::Database(DbError::new(kind, "x")).to_string();
        assert!(said(DbKind::ReadOnly).contains("只读"));
        assert!(said(DbKind::Full).contains("磁盘已满"));
        assert!(said(DbKind::Busy).contains("占用"));
        assert!(said(DbKind::Corrupt).contains("备份恢复"));
        assert!(said(DbKind::Io).contains("没有保存"));
    }

    #[test]
    fn serializes_kind_message_and_field() {
        let e = Error::invalid("brief", "需求梗概不能为空");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "invalid");
        assert_eq!(v["message"], "需求梗概不能为空");
        assert_eq!(v["field"], "brief");
        let v = serde_json::to_value(Error::NotFound("x".into())).unwrap();
        assert_eq!(v["kind"], "not_found");
        assert!(v["field"].is_null());
        assert!(v.get("rows").is_none());
        let e = Error::InvalidRows(vec![RowProblem {
            record: "14061903".into(),
            field: "grade".into(),
            message: "须选分级".into(),
        }]);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "invalid_rows");
        assert_eq!(v["rows"][0]["record"], "14061903");
        assert_eq!(v["rows"][0]["field"], "grade");
        assert!(v["message"]
            .as_str()
            .unwrap()
            .contains("14061903：须选分级"));
    }
}
