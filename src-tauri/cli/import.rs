//! `import`: legacy Excel registers and report forms, previewed or committed.

use super::{json_error, to_json};
use crate::error::{Error, Result};
use crate::excel::import::Rejection;
use crate::store::{Actor, ConflictPolicy, Db};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

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
    #[arg(long, value_name = "keep|take", default_value = "keep", value_parser = on_conflict)]
    on_conflict: ConflictPolicy,
}

/// `import`: preview, or commit all or nothing; a file refused as a whole makes the exit non-zero.
/// `--on-conflict`'s words: English for scripts, Chinese as the wizard says them.
#[derive(Clone, Copy, ValueEnum)]
enum OnConflict {
    #[value(name = "keep", alias = "保留")]
    Keep,
    #[value(name = "take", alias = "采用文件")]
    Take,
}

fn on_conflict(v: &str) -> Result<ConflictPolicy> {
    match OnConflict::from_str(v, false) {
        Ok(OnConflict::Keep) => Ok(ConflictPolicy::KeepExisting),
        Ok(OnConflict::Take) => Ok(ConflictPolicy::TakeFile),
        Err(_) => Err(Error::invalid(
            "on_conflict",
            format!("--on-conflict 只能是 keep 或 take，不能是“{v}”"),
        )),
    }
}

pub fn import(db: &mut Db, actor: &Actor, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let (report, refused) = crate::api::import::run(db, actor, &a.paths, a.dry_run, a.on_conflict)?;
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
        let b = report.bugs;
        if b.created + b.updated + b.unchanged > 0 {
            writeln!(
                out,
                "Bug：新建 {} 个，更新 {} 个，未变 {} 个",
                b.created, b.updated, b.unchanged
            )?;
        }
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
        for n in &report.not_taken {
            let rows = if n.first_row == n.last_row {
                format!("第 {} 行", n.first_row)
            } else {
                format!("第 {}–{} 行", n.first_row, n.last_row)
            };
            let place = if n.column.is_some() {
                format!("{} {rows}", n.place)
            } else {
                n.place.clone()
            };
            writeln!(
                out,
                "未导入 {} / {} {place}（{} 格）：{}",
                n.file, n.sheet, n.cells, n.reason
            )?;
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
fn grouped(list: &[Rejection]) -> Vec<(String, &str)> {
    let mut groups: Vec<(&Rejection, Vec<usize>)> = Vec::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_runs_and_reasons_group_by_column() {
        assert_eq!(row_runs(&[2, 3, 4, 5, 7, 9, 10]), "2–5、7、9–10");
        assert_eq!(row_runs(&[4]), "4");
        let r = |row: usize, column: &str, reason: &str| Rejection {
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
