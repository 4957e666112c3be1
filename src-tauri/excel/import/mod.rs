//! Importing legacy Excel: registers (需求登记反馈表), single report forms (需求报告表), and
//! folders of them. `parse` reads and understands the files without touching the database; the
//! store then previews (`Db::import_preview`) and commits (`Db::import_commit`) the records.

pub mod form;
pub mod layout;
pub mod read;
pub mod values;

use crate::domain::numbering::Scheme;
use crate::domain::requirement::{check_brief, Decision, BRIEF_MAX_CHARS};
use chrono::NaiveDate;
use layout::{column_letter, detect, ColumnMap, Field, SheetKind};
use read::{read_book, Cell, Sheet};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;

/// A file to import: its name (as shown to people) and its bytes.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Set when the file is refused before reading (too large).
    pub refused: Option<String>,
}

impl Source {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Source {
            name: name.into(),
            bytes,
            refused: None,
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    pub sheet: String,
    /// Excel's row number (1-based).
    pub row: usize,
}

/// A row (or a file) that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub file: String,
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub reason: String,
}

/// One legacy requirement as the files state it: only the values they give.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub origin: Origin,
    pub number: String,
    pub received: NaiveDate,
    /// Requirement columns → stored text (codes for decision and grade, ISO days).
    pub values: Vec<(&'static str, String)>,
    /// Approved delays read from 备注: (new date, reason).
    pub delays: Vec<(NaiveDate, String)>,
    /// Values implied rather than stated (a form's brief from its 概述, its 需求人 from the
    /// doctor): they only fill empty fields and never conflict.
    pub defaults: Vec<(&'static str, String)>,
}

impl Record {
    pub fn value(&self, col: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    pub name: String,
    /// 登记表 / 需求报告表 / Bug收集反馈表 / 未识别
    pub kind: String,
    pub columns: Vec<ColumnMap>,
    pub rows: usize,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    pub refused: Option<String>,
    pub sheets: Vec<SheetReport>,
}

/// A correction of the column mapping made in the wizard.
#[derive(Debug, Clone, Deserialize)]
pub struct MappingOverride {
    pub file: String,
    pub sheet: String,
    pub column: usize,
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub files: Vec<FileReport>,
    pub records: Vec<Record>,
    pub rejected: Vec<Rejection>,
    /// Files passed over (lock files, other documents), with the reason.
    pub skipped: Vec<Rejection>,
    pub warnings: Vec<Rejection>,
}

impl Parsed {
    /// True when some file was refused as a whole (the command line then exits non-zero).
    pub fn any_file_refused(&self) -> bool {
        self.files.iter().any(|f| f.refused.is_some())
    }
}

const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// Files to import from paths given by a person: folders are walked recursively; inside a
/// folder only spreadsheets are taken, Excel lock files (`~$…`) and other files are noted.
pub fn collect(paths: &[PathBuf]) -> (Vec<Source>, Vec<Rejection>) {
    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    let mut stack: Vec<(PathBuf, bool)> = paths.iter().rev().map(|p| (p.clone(), true)).collect();
    while let Some((path, explicit)) = stack.pop() {
        let name = path.display().to_string();
        let note = |reason: String| Rejection {
            file: name.clone(),
            sheet: None,
            row: None,
            column: None,
            reason,
        };
        if path.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    let mut children: Vec<PathBuf> =
                        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    stack.extend(children.into_iter().rev().map(|p| (p, false)));
                }
                Err(e) => skipped.push(note(format!("无法读取文件夹：{e}"))),
            }
            continue;
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if file_name.starts_with("~$") {
            skipped.push(note("Excel 临时锁文件（~$ 开头），已跳过".into()));
            continue;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !explicit && !SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
            skipped.push(note("不是电子表格文件，已跳过".into()));
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > read::MAX_FILE_BYTES => sources.push(Source {
                name,
                bytes: Vec::new(),
                refused: Some(format!(
                    "文件有 {} MB，超过导入上限 {} MB",
                    m.len() / 1024 / 1024,
                    read::MAX_FILE_BYTES / 1024 / 1024
                )),
            }),
            Ok(_) => match std::fs::read(&path) {
                Ok(bytes) => sources.push(Source::new(name, bytes)),
                Err(e) => skipped.push(note(format!("无法读取文件：{e}"))),
            },
            Err(e) => skipped.push(note(format!("找不到或无法读取：{e}"))),
        }
    }
    (sources, skipped)
}

/// The received date a legacy number implies: `14061910` → 2014-06-19; `201406-001` → 2014-06-01.
pub fn received_of(number: &str) -> Option<NaiveDate> {
    if let Some((period, _)) = Scheme::Daily.parse("", number) {
        let (y, m, d) = (&period[0..2], &period[2..4], &period[4..6]);
        return NaiveDate::from_ymd_opt(
            2000 + y.parse::<i32>().ok()?,
            m.parse().ok()?,
            d.parse().ok()?,
        );
    }
    if let Some((period, _)) = Scheme::Monthly.parse("", number) {
        return NaiveDate::from_ymd_opt(period[0..4].parse().ok()?, period[4..6].parse().ok()?, 1);
    }
    None
}

/// Reads and understands every source. Nothing is written anywhere.
pub fn parse(sources: &[Source], overrides: &[MappingOverride]) -> Parsed {
    let mut out = Parsed::default();
    // Registers first, then forms, so a form fills in the record its register created.
    let mut forms: Vec<(String, Sheet)> = Vec::new();
    for src in sources {
        let refused = |reason: String| FileReport {
            file: src.name.clone(),
            refused: Some(reason),
            sheets: Vec::new(),
        };
        if let Some(reason) = &src.refused {
            out.files.push(refused(reason.clone()));
            continue;
        }
        // A parser bug must not take the app down: a panic while reading refuses the file.
        let read = std::panic::catch_unwind(|| read_book(&src.bytes));
        let sheets = match read {
            Ok(Ok(s)) => s,
            Ok(Err(r)) => {
                out.files.push(refused(r.0));
                continue;
            }
            Err(_) => {
                out.files
                    .push(refused("文件已损坏，读取时出错，未导入".into()));
                continue;
            }
        };
        let mut report = FileReport {
            file: src.name.clone(),
            refused: None,
            sheets: Vec::new(),
        };
        for mut sheet in sheets {
            let mut kind = detect(&sheet);
            if !sheet.merges_loaded && layout::needs_merges(&kind) {
                read::load_merges(&src.bytes, &mut sheet);
                if !sheet.merges.is_empty() {
                    kind = detect(&sheet);
                }
            }
            if let SheetKind::Register { columns, .. } = &mut kind {
                for o in overrides
                    .iter()
                    .filter(|o| o.file == src.name && o.sheet == sheet.name)
                {
                    if let Some(f) = o.field {
                        columns
                            .iter_mut()
                            .filter(|c| c.field == Some(f))
                            .for_each(|c| c.field = None);
                    }
                    match columns.iter_mut().find(|c| c.column == o.column) {
                        Some(c) => c.field = o.field,
                        None => columns.push(ColumnMap {
                            column: o.column,
                            letter: column_letter(o.column),
                            header: String::new(),
                            field: o.field,
                        }),
                    }
                }
            }
            let sheet_report = match kind {
                SheetKind::Register { data_start, columns } => {
                    let taken = register_rows(&src.name, &sheet, data_start, &columns, &mut out);
                    SheetReport { name: sheet.name.clone(), kind: "需求登记反馈表".into(), columns, rows: taken, note: None }
                }
                SheetKind::ReportForm => {
                    let name = sheet.name.clone();
                    forms.push((src.name.clone(), sheet));
                    SheetReport { name, kind: "需求报告表".into(), columns: Vec::new(), rows: 1, note: None }
                }
                SheetKind::BugLedger => SheetReport {
                    name: sheet.name.clone(),
                    kind: "Bug收集反馈表".into(),
                    columns: Vec::new(),
                    rows: 0,
                    note: Some("这是 Bug收集反馈表，不是需求登记表；Bug 记录的导入将随 Bug 功能提供，本次未导入".into()),
                },
                SheetKind::Unknown => SheetReport {
                    name: sheet.name.clone(),
                    kind: "未识别".into(),
                    columns: Vec::new(),
                    rows: 0,
                    note: Some(if sheet.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
                        "空工作表，已跳过".into()
                    } else {
                        "找不到需求编号等表头（可能是说明页），已跳过".into()
                    }),
                },
            };
            report.sheets.push(sheet_report);
        }
        out.files.push(report);
    }
    for (file, sheet) in forms {
        form_record(&file, &sheet, &mut out);
    }
    merge_duplicates(&mut out);
    out
}

fn reject(out: &mut Parsed, origin: &Origin, column: Option<&str>, reason: impl Into<String>) {
    out.rejected.push(Rejection {
        file: origin.file.clone(),
        sheet: Some(origin.sheet.clone()),
        row: Some(origin.row),
        column: column.map(str::to_string),
        reason: reason.into(),
    });
}

fn warn(out: &mut Parsed, origin: &Origin, column: Option<&str>, reason: impl Into<String>) {
    out.warnings.push(Rejection {
        file: origin.file.clone(),
        sheet: Some(origin.sheet.clone()),
        row: Some(origin.row),
        column: column.map(str::to_string),
        reason: reason.into(),
    });
}

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "共计"];

/// Turns the data rows of a register sheet into records; returns how many rows were taken.
fn register_rows(
    file: &str,
    sheet: &Sheet,
    data_start: usize,
    columns: &[ColumnMap],
    out: &mut Parsed,
) -> usize {
    let col_of = |f: Field| {
        columns
            .iter()
            .find(|c| c.field == Some(f))
            .map(|c| c.column)
    };
    let letter = |f: Field| col_of(f).map(|c| format!("{}（{}）", column_letter(c), f.label()));
    let get = |r: usize, f: Field| col_of(f).map(|c| sheet.cell(r, c)).unwrap_or(&Cell::Empty);
    let mut taken = 0;
    for r in data_start..sheet.rows.len() {
        let row = &sheet.rows[r];
        let filled = row.iter().filter(|c| !c.is_empty()).count();
        if filled == 0 {
            continue;
        }
        let origin = Origin {
            file: file.to_string(),
            sheet: sheet.name.clone(),
            row: r + 1,
        };
        let number = values::number(get(r, Field::Number));
        let has_total = || {
            row.iter()
                .any(|c| matches!(c, Cell::Text(t) if TOTAL_WORDS.iter().any(|w| t.contains(w))))
        };
        let received = received_of(&number);
        if received.is_none() && (filled == 1 || has_total()) {
            continue; // totals and decorative rows (a month heading, a note)
        }
        if number.is_empty() {
            reject(
                out,
                &origin,
                letter(Field::Number).as_deref(),
                "缺少需求编号",
            );
            continue;
        }
        if number == values::text(&Cell::Text(Field::Number.label().into())) {
            continue; // a header repeated further down (printed registers)
        }
        let Some(received) = received else {
            reject(
                out,
                &origin,
                letter(Field::Number).as_deref(),
                format!("需求编号“{number}”格式无法识别（应为 YYMMDDNN，例如 14061903）"),
            );
            continue;
        };
        match record_of_row(&origin, &number, received, &|f| get(r, f), &letter, out) {
            Ok(rec) => {
                out.records.push(rec);
                taken += 1;
            }
            Err((col, reason)) => reject(out, &origin, col.as_deref(), reason),
        }
    }
    taken
}

type RowError = (Option<String>, String);

fn record_of_row<'s>(
    origin: &Origin,
    number: &str,
    received: NaiveDate,
    get: &dyn Fn(Field) -> &'s Cell,
    letter: &dyn Fn(Field) -> Option<String>,
    out: &mut Parsed,
) -> Result<Record, RowError> {
    let err = |f: Field, reason: String| (letter(f), reason);
    let txt = |f: Field| values::text(get(f));
    let year = values::year_of(received);
    let mut vals: Vec<(&'static str, String)> = Vec::new();
    let mut put = |col: &'static str, v: String| {
        if !v.is_empty() {
            vals.push((col, v));
        }
    };
    put("reporter", txt(Field::Reporter));
    put("reporter_department", txt(Field::ReporterDepartment));
    put("requester", txt(Field::Requester));
    let decision = values::decision(&txt(Field::Decision)).map_err(|e| err(Field::Decision, e))?;
    let grade = values::grade(&txt(Field::Grade)).map_err(|e| err(Field::Grade, e))?;
    if let Some(d) = decision {
        put("decision", d.code().into());
    }
    match (decision, grade) {
        (Some(d), Some(g)) if d.leads_to_work() => put("grade", g.code().into()),
        (Some(d), Some(_)) => {
            warn(
                out,
                origin,
                letter(Field::Grade).as_deref(),
                format!("决策结果为“{}”却有需求分级，分级未导入", d.label()),
            );
        }
        (None, Some(_)) => {
            warn(
                out,
                origin,
                letter(Field::Grade).as_deref(),
                "没有决策结果却有需求分级，分级未导入",
            );
        }
        _ => {}
    }
    let expected = values::date(get(Field::Expected), year, Some(received))
        .map_err(|e| err(Field::Expected, e))?;
    let actual = values::date(get(Field::Actual), year, Some(received))
        .map_err(|e| err(Field::Actual, e))?;
    if let Some(d) = expected {
        put("expected_delivery", crate::domain::dates::iso(d));
    }
    if let Some(d) = actual {
        put("actual_delivery", crate::domain::dates::iso(d));
    }
    let brief = txt(Field::Brief);
    if check_brief(&brief).is_err() && !brief.is_empty() {
        let short: String = brief.chars().take(BRIEF_MAX_CHARS).collect();
        warn(
            out,
            origin,
            letter(Field::Brief).as_deref(),
            format!("需求梗概超过 {BRIEF_MAX_CHARS} 字：登记表中截短，全文保存在概述中"),
        );
        put("overview", brief.clone());
        put("brief", short);
    } else {
        put("brief", brief);
    }
    let remark_text = txt(Field::Remark);
    let remark = values::remark(
        &remark_text,
        expected.map(values::year_of).unwrap_or(year),
        expected.or(Some(received)),
    )
    .map_err(|e| err(Field::Remark, e))?;
    if decision == Some(Decision::Convert) {
        put("conversion_summary", remark.rest.clone());
    } else {
        put("remark", remark.rest.clone());
    }
    if let Ok(Some(d)) = values::date(get(Field::ReceivedDate), year, None) {
        if d != received {
            warn(
                out,
                origin,
                letter(Field::ReceivedDate).as_deref(),
                format!("收到日期 {d} 与需求编号不一致；收到日期以编号为准（{received}）"),
            );
        }
    }
    let stated = txt(Field::Status);
    let derived =
        crate::domain::requirement::derive_status(decision, actual, remark.delays.len() as u32);
    let stated_norm = if stated == "空" {
        String::new()
    } else {
        stated.clone()
    };
    if !stated.is_empty() && stated_norm != derived.label() {
        warn(
            out,
            origin,
            letter(Field::Status).as_deref(),
            format!(
                "状态列写的是“{stated}”，按记录推算应为“{}”；状态由记录推算，以推算为准",
                if derived.label().is_empty() {
                    "空"
                } else {
                    derived.label()
                }
            ),
        );
    }
    Ok(Record {
        origin: origin.clone(),
        number: number.to_string(),
        received,
        values: vals,
        delays: remark.delays,
        defaults: Vec::new(),
    })
}

fn form_record(file: &str, sheet: &Sheet, out: &mut Parsed) {
    let origin = Origin {
        file: file.to_string(),
        sheet: sheet.name.clone(),
        row: 1,
    };
    let Some(number) = form::number_from_file_name(file) else {
        reject(out, &origin, None, "无法确定需求编号：需求报告表的文件名应为“需求报告表YYMMDDNN”，例如 需求报告表14061903.xlsx");
        return;
    };
    let Some(received) = received_of(&number) else {
        reject(
            out,
            &origin,
            None,
            format!("文件名中的需求编号“{number}”不是有效日期"),
        );
        return;
    };
    let mut vals = form::read_form(sheet);
    if let Some(i) = vals.iter().position(|(c, _)| *c == "report_date") {
        match values::date(
            &Cell::Text(vals[i].1.clone()),
            received.format("%Y").to_string().parse().unwrap_or(2000),
            None,
        ) {
            Ok(Some(d)) => vals[i].1 = crate::domain::dates::iso(d),
            _ => {
                warn(
                    out,
                    &origin,
                    Some("填报日期"),
                    format!("填报日期“{}”无法识别，未导入", vals[i].1),
                );
                vals.remove(i);
            }
        }
    }
    let mut defaults = Vec::new();
    if let Some((_, overview)) = vals.iter().find(|(c, _)| *c == "overview") {
        defaults.push((
            "brief",
            overview.chars().take(BRIEF_MAX_CHARS).collect::<String>(),
        ));
    }
    // The doctor who asked is the requester (需求人) of a form.
    if let Some((_, doctor)) = vals.iter().find(|(c, _)| *c == "doctor_name") {
        defaults.push(("requester", doctor.clone()));
    }
    if vals.iter().any(|(c, _)| c.starts_with("imp_"))
        && !vals.iter().any(|(c, _)| c.starts_with("new_"))
    {
        vals.push(("kind", "improvement".into()));
    }
    out.records.push(Record {
        origin,
        number,
        received,
        values: vals,
        delays: Vec::new(),
        defaults,
    });
}

/// Several sources may speak of one number: a register row and its report form complete each
/// other; two rows of the same number that contradict each other cannot both be right.
fn merge_duplicates(out: &mut Parsed) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut merged: Vec<Record> = Vec::new();
    let records = std::mem::take(&mut out.records);
    for rec in records {
        let Some(&i) = first.get(&rec.number) else {
            first.insert(rec.number.clone(), merged.len());
            merged.push(rec);
            continue;
        };
        let base = &merged[i];
        let clash = rec
            .values
            .iter()
            .find(|(c, v)| base.value(c).is_some_and(|b| b != v));
        let same_file_sheet =
            base.origin.file == rec.origin.file && base.origin.sheet == rec.origin.sheet;
        if same_file_sheet && rec.values == base.values && rec.delays == base.delays {
            let why = format!("与第 {} 行重复（内容相同），只导入一次", base.origin.row);
            warn(out, &rec.origin, Some("需求编号"), why);
            continue;
        }
        if let Some((col, v)) = clash {
            let reason = format!(
                "需求编号 {} 已在 {} 第 {} 行出现，且{}不同（“{}” 与 “{}”）",
                rec.number,
                if same_file_sheet {
                    "本表".to_string()
                } else {
                    format!("{} 的工作表“{}”", base.origin.file, base.origin.sheet)
                },
                base.origin.row,
                crate::domain::fields::label(col),
                crate::domain::fields::display(col, base.value(col).unwrap_or_default()),
                crate::domain::fields::display(col, v)
            );
            reject(out, &rec.origin, Some("需求编号"), reason);
            continue;
        }
        let base = &mut merged[i];
        for (c, v) in rec.values {
            if base.value(c).is_none() {
                base.values.push((c, v));
            }
        }
        for d in rec.delays {
            if !base.delays.contains(&d) {
                base.delays.push(d);
            }
        }
        for (c, v) in rec.defaults {
            if !base.defaults.iter().any(|(bc, _)| *bc == c) {
                base.defaults.push((c, v));
            }
        }
    }
    out.records = merged;
}

/// Reads sources from paths (see `collect`) and parses them.
pub fn parse_paths(paths: &[PathBuf], overrides: &[MappingOverride]) -> Parsed {
    let (sources, skipped) = collect(paths);
    let mut parsed = parse(&sources, overrides);
    parsed.skipped.extend(skipped);
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_dates_from_numbers() {
        assert_eq!(
            received_of("14061910"),
            NaiveDate::from_ymd_opt(2014, 6, 19)
        );
        assert_eq!(
            received_of("201406-001"),
            NaiveDate::from_ymd_opt(2014, 6, 1)
        );
        assert_eq!(received_of("14136110"), None);
        assert_eq!(received_of("abc"), None);
    }
}
