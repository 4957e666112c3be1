//! Importing legacy Excel: registers (需求登记反馈表), single report forms (需求报告表), Bug收集反馈表
//! ledgers (`bugs`), and folders of them. `parse` reads and understands the files without touching the database; the
//! store then previews (`Db::import_preview`) and commits (`Db::import_commit`) the records.

pub mod bugs;
pub mod form;
pub mod layout;
pub mod read;
pub mod values;

use crate::domain::numbering::Scheme;
use crate::domain::requirement::{brief_from, check_brief, Decision, BRIEF_MAX_CHARS};
use chrono::NaiveDate;
use layout::{column_letter, detect, ColumnMap, Field, SheetKind};
use read::{read_book, Cell, Sheet, SheetSink};
use serde::{Deserialize, Serialize};
// foldhash: every imported row costs several lookups by number; SipHash was ~5 % of an import.
use foldhash::{HashMap, HashMapExt};
use std::path::PathBuf;
use std::sync::Arc;

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
    /// Shared by every record of the file and sheet (no copy per row).
    pub file: Arc<str>,
    pub sheet: Arc<str>,
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
    /// Shared with the maps that find a record by its number (no copy per map).
    pub number: Arc<str>,
    pub received: NaiveDate,
    /// Requirement columns → stored text (codes for decision and grade, ISO days).
    pub values: Values,
    /// Approved delays read from 备注: (new date, reason).
    pub delays: Vec<(NaiveDate, String)>,
    /// Values implied rather than stated (a form's brief from its 概述, its 需求人 from the
    /// doctor): they only fill empty fields and never conflict.
    pub defaults: Vec<(&'static str, String)>,
}

impl Record {
    pub fn value(&self, col: &str) -> Option<&str> {
        self.values.get(col)
    }
}

/// Column → text pairs of one record, in insertion order, sharing one text buffer: a record is
/// made for every imported row and kept until the import ends, and one allocation instead of one
/// per value halves the cost of making and freeing them (see BENCHMARKS.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    text: String,
    cols: Vec<(&'static str, u32, u32)>,
}

impl Values {
    pub fn with_capacity(values: usize, bytes: usize) -> Self {
        Values {
            text: String::with_capacity(bytes),
            cols: Vec::with_capacity(values),
        }
    }

    /// Adds a value (the caller keeps columns unique).
    pub fn push(&mut self, col: &'static str, value: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.cols.push((col, start, self.text.len() as u32));
    }

    pub fn get(&self, col: &str) -> Option<&str> {
        self.cols
            .iter()
            .find(|(c, _, _)| *c == col)
            .map(|&(_, a, b)| &self.text[a as usize..b as usize])
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.cols
            .iter()
            .map(|&(c, a, b)| (c, &self.text[a as usize..b as usize]))
    }

    pub fn len(&self) -> usize {
        self.cols.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cols.is_empty()
    }
}

impl<S: AsRef<str>> FromIterator<(&'static str, S)> for Values {
    fn from_iter<I: IntoIterator<Item = (&'static str, S)>>(iter: I) -> Self {
        let mut v = Values::default();
        for (c, s) in iter {
            v.push(c, s.as_ref());
        }
        v
    }
}

/// Content of a recognised sheet that was read but is not imported, and why: with the records,
/// rejections and sheet notes, every non-empty cell of a file is either stored or named
/// (issue 13: nothing silently lost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotTaken {
    pub file: String,
    pub sheet: String,
    /// Excel's rows (1-based, inclusive) it covers.
    pub first_row: usize,
    pub last_row: usize,
    /// The column (0-based) for a column's cells; `None` for whole rows.
    pub column: Option<usize>,
    /// The place as people name it: `K 列（联系电话）`, `第 1 行`.
    pub place: String,
    /// The entry covers `column` and every column right of it (cells past the last column
    /// read).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub and_right: bool,
    /// How many non-empty cells are left out.
    pub cells: usize,
    pub reason: String,
}

/// Counts, per column, the non-empty cells of a sheet's taken rows that no field stores, and
/// turns them into `NotTaken` entries when the sheet ends.
pub(crate) struct Tally {
    file: Arc<str>,
    sheet: Arc<str>,
    /// By column: `None` when its values are stored, else why they are not.
    why: Vec<Option<String>>,
    headers: Vec<String>,
    /// By column: (cells, first row, last row), rows 1-based.
    counts: Vec<(usize, usize, usize)>,
}

impl Tally {
    /// `columns`: (column, header, why its values are not stored — `None` when they are).
    /// Columns not named are columns without a header.
    pub(crate) fn new(
        file: &Arc<str>,
        sheet: &Arc<str>,
        columns: impl IntoIterator<Item = (usize, String, Option<String>)>,
    ) -> Tally {
        let mut t = Tally {
            file: file.clone(),
            sheet: sheet.clone(),
            why: Vec::new(),
            headers: Vec::new(),
            counts: Vec::new(),
        };
        for (c, header, why) in columns {
            if c >= t.why.len() {
                t.why.resize(c + 1, Some(String::new()));
                t.headers.resize(c + 1, String::new());
            }
            t.why[c] = why;
            t.headers[c] = header;
        }
        t
    }

    /// A taken row (`r` 0-based): its cells in columns no field stores are counted.
    pub(crate) fn row(&mut self, r: usize, row: &[Cell]) {
        for (c, cell) in row.iter().enumerate() {
            if self.why.get(c).is_some_and(Option::is_none) || cell.is_empty() {
                continue;
            }
            if c >= self.counts.len() {
                self.counts.resize(c + 1, (0, 0, 0));
            }
            let e = &mut self.counts[c];
            if e.0 == 0 {
                e.1 = r + 1;
            }
            e.0 += 1;
            e.2 = r + 1;
        }
    }

    /// A whole row (`r` 0-based) not taken, with its reason (nothing when it is empty).
    pub(crate) fn skip_row(&self, out: &mut Parsed, r: usize, row: &[Cell], reason: &str) {
        let cells = row.iter().filter(|c| !c.is_empty()).count();
        if cells > 0 {
            out.not_taken.push(NotTaken {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                first_row: r + 1,
                last_row: r + 1,
                column: None,
                place: format!("第 {} 行", r + 1),
                and_right: false,
                cells,
                reason: reason.to_string(),
            });
        }
    }

    pub(crate) fn finish(self, out: &mut Parsed) {
        for (c, &(cells, first, last)) in self.counts.iter().enumerate() {
            if cells == 0 {
                continue;
            }
            let header = self.headers.get(c).map(String::as_str).unwrap_or("");
            let why = match self.why.get(c) {
                Some(Some(why)) if !why.is_empty() => why.clone(),
                _ if header.is_empty() => {
                    "这一列没有表头，不知道是什么内容，未导入（可在预览中指定它对应的字段）".into()
                }
                _ => format!("“{header}”没有对应的字段，未导入（可在预览中指定它对应的字段）"),
            };
            out.not_taken.push(NotTaken {
                file: self.file.to_string(),
                sheet: self.sheet.to_string(),
                first_row: first,
                last_row: last,
                column: Some(c),
                and_right: false,
                place: if header.is_empty() {
                    format!("{} 列", column_letter(c))
                } else {
                    format!("{} 列（{header}）", column_letter(c))
                },
                cells,
                reason: why,
            });
        }
    }
}

/// The rows above a header (titles, notes, a month heading), named as not taken.
pub(crate) fn title_rows(tally: &Tally, out: &mut Parsed, sheet: &Sheet, header_top: usize) {
    for r in 0..header_top.min(sheet.rows.len()) {
        tally.skip_row(
            out,
            r,
            &sheet.rows[r],
            "表头上方的标题或说明，不是需求，未导入",
        );
    }
}

/// Cells right of the columns read, named as not taken.
pub(crate) fn beyond_note(out: &mut Parsed, file: &str, sheet: &str, b: Option<read::Beyond>) {
    if let Some(b) = b {
        out.not_taken.push(NotTaken {
            file: file.to_string(),
            sheet: sheet.to_string(),
            first_row: b.row + 1,
            last_row: b.last_row + 1,
            column: Some(b.col),
            and_right: true,
            place: format!("{} 列及更右", column_letter(b.col)),
            cells: b.cells,
            reason: format!(
                "超出可读取的范围（最多读到第 {} 列 {}），这些单元格未导入；请把它们移到左边的列后重新导入",
                read::MAX_COLUMNS,
                column_letter(read::MAX_COLUMNS - 1)
            ),
        });
    }
}

/// The merged ranges of a sheet's data area, filled down: a value written once over several
/// rows (填表人 B2:B4 holding 周小明) belongs to each of them (issue 13). Each range is said
/// in the preview when its top row is read.
pub(crate) struct Fills {
    /// Ranges over several rows inside the data area, by first row, with the top cell's value
    /// once read.
    open: Vec<(read::Merge, Option<Cell>)>,
    /// The next range not yet reached, and the ranges covering the rows being read: each row
    /// looks only at these (a sheet of thousands of merged ranges stays linear).
    next: usize,
    active: Vec<usize>,
}

impl Fills {
    pub(crate) fn new(merges: &[read::Merge], data_start: usize) -> Fills {
        let mut open: Vec<(read::Merge, Option<Cell>)> = merges
            .iter()
            .filter(|m| m.first_row >= data_start && m.last_row > m.first_row)
            .map(|m| (*m, None))
            .collect();
        open.sort_by_key(|(m, _)| m.first_row);
        Fills {
            open,
            next: 0,
            active: Vec::new(),
        }
    }

    /// Row `r` (0-based) as it is to be read; rows come in ascending order.
    pub(crate) fn apply<'a>(
        &mut self,
        r: usize,
        row: &'a [Cell],
        mut said: impl FnMut(&read::Merge, &Cell),
    ) -> std::borrow::Cow<'a, [Cell]> {
        use std::borrow::Cow;
        if self.open.is_empty() {
            return Cow::Borrowed(row);
        }
        while self.next < self.open.len() && self.open[self.next].0.first_row <= r {
            let (m, value) = &mut self.open[self.next];
            if m.first_row == r {
                *value = row.get(m.first_col).filter(|c| !c.is_empty()).cloned();
                if let Some(v) = value {
                    said(m, v);
                }
            }
            self.active.push(self.next);
            self.next += 1;
        }
        let open = &self.open;
        self.active.retain(|&i| open[i].0.last_row >= r);
        let mut filled: Option<Vec<Cell>> = None;
        for &i in &self.active {
            let (m, value) = &self.open[i];
            if m.first_row >= r {
                continue;
            }
            let Some(v) = value else { continue };
            let cur = filled.as_deref().unwrap_or(row);
            if cur.get(m.first_col).is_some_and(|c| !c.is_empty()) {
                continue;
            }
            let f = filled.get_or_insert_with(|| row.to_vec());
            if f.len() <= m.first_col {
                f.resize(m.first_col + 1, Cell::Empty);
            }
            f[m.first_col] = v.clone();
        }
        match filled {
            Some(f) => Cow::Owned(f),
            None => Cow::Borrowed(row),
        }
    }

    /// Fills a whole sheet's data area in place, saying each range in `out`'s warnings.
    pub(crate) fn fill_sheet(&mut self, sheet: &mut Sheet, file: &str, out: &mut Parsed) {
        if self.open.is_empty() {
            return;
        }
        // (rows the sheet does not have hold nothing but the merged value: no record)
        let name = sheet.name.clone();
        for r in 0..sheet.rows.len() {
            let row = std::mem::take(&mut sheet.rows[r]);
            let new = self
                .apply(r, &row, |m, v| merge_said(out, file, &name, m, v))
                .into_owned();
            sheet.rows[r] = new;
        }
    }
}

/// The preview's word on a merged range of the data area.
pub(crate) fn merge_said(out: &mut Parsed, file: &str, sheet: &str, m: &read::Merge, v: &Cell) {
    let range = format!(
        "{}{}:{}{}",
        column_letter(m.first_col),
        m.first_row + 1,
        column_letter(m.last_col),
        m.last_row + 1
    );
    out.warnings.push(Rejection {
        file: file.to_string(),
        sheet: Some(sheet.to_string()),
        row: Some(m.first_row + 1),
        column: Some(column_letter(m.first_col)),
        reason: format!(
            "{range} 是合并单元格：其中的“{}”按第 {}–{} 行每一行都填写导入",
            values::text(v),
            m.first_row + 1,
            m.last_row + 1
        ),
    });
}

/// Why a register column's values are not stored (`None`: they are).
fn register_column_why(field: Option<Field>) -> Option<String> {
    match field {
        Some(Field::Status) => {
            Some("需求状态由记录推算，这一列只用来核对（与推算不同时逐行提示）".into())
        }
        Some(Field::ReceivedDate) => {
            Some("收到日期由需求编号决定，这一列只用来核对（与编号不同时逐行提示）".into())
        }
        Some(_) => None,
        None => Some(String::new()),
    }
}

fn register_tally(file: &Arc<str>, sheet: &Arc<str>, columns: &[ColumnMap]) -> Tally {
    Tally::new(
        file,
        sheet,
        columns
            .iter()
            .map(|c| (c.column, c.header.clone(), register_column_why(c.field))),
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    pub name: String,
    /// 登记表 / 需求报告表 / Bug收集反馈表 / 未识别
    pub kind: String,
    /// The same as a stable code for programs: `register`, `report_form`, `bug_ledger`,
    /// `unknown`.
    pub kind_code: &'static str,
    pub columns: Vec<ColumnMap>,
    pub rows: usize,
    pub note: Option<String>,
    /// The header's rows (Excel's, 1-based); empty for forms and sheets not recognised.
    pub header_rows: Vec<usize>,
    /// The columns (0-based) whose values are imported; the others' cells are `NotTaken`.
    pub stored_columns: Vec<usize>,
}

/// The header rows (1-based) of a register whose data starts at `data_start` (0-based).
fn register_header_rows(data_start: usize, header_rows: usize) -> Vec<usize> {
    (data_start.saturating_sub(header_rows) + 1..=data_start).collect()
}

fn stored_register_columns(columns: &[ColumnMap]) -> Vec<usize> {
    columns
        .iter()
        .filter(|c| register_column_why(c.field).is_none())
        .map(|c| c.column)
        .collect()
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
    /// Shared: the parser remembers each record (to merge later sources of the same number)
    /// while the writer uses it, without copying.
    pub records: Vec<Arc<Record>>,
    pub rejected: Vec<Rejection>,
    /// Files passed over (lock files, other documents), with the reason.
    pub skipped: Vec<Rejection>,
    pub warnings: Vec<Rejection>,
    /// What recognised sheets held that is not imported, and why.
    pub not_taken: Vec<NotTaken>,
    /// Bugs read from Bug收集反馈表 ledgers (few: kept whole, written after the requirements).
    pub bugs: Vec<bugs::BugRecord>,
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
                Err(e) => skipped.push(note(format!(
                    "无法读取文件夹：{}",
                    crate::error::io_reason(&e)
                ))),
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
                Err(e) => skipped.push(note(format!(
                    "无法读取文件：{}",
                    crate::error::io_reason(&e)
                ))),
            },
            Err(e) => skipped.push(note(format!(
                "找不到或无法读取：{}",
                crate::error::io_reason(&e)
            ))),
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

/// Reads and understands every source, one record per number. Nothing is written anywhere.
pub fn parse(sources: &[Source], overrides: &[MappingOverride]) -> Parsed {
    // the emitter merges later sources of a number into its record; here only the order in
    // which numbers were first met is kept
    let mut order: Vec<Arc<str>> = Vec::new();
    let mut sink = |e: Emitted| {
        if let Emitted::New(r) = e {
            order.push(r.number.clone());
        }
        true
    };
    let mut out = parse_with(sources, overrides, &mut sink);
    let mut merged: HashMap<Arc<str>, Arc<Record>> = std::mem::take(&mut out.records)
        .into_iter()
        .map(|r| (r.number.clone(), r))
        .collect();
    out.records = order.iter().filter_map(|n| merged.remove(n)).collect();
    out
}

/// Reads and understands every source, handing each record to `sink` as soon as it is known
/// (registers first, then report forms, so a form fills in the record its register made).
/// The returned `Parsed` has the files, rejections and warnings; its `records` are the records
/// handed on as finally merged, in no particular order (kept until the parse ends to merge later
/// sources of a number; the caller decides where and when they are freed).
pub fn parse_with(
    sources: &[Source],
    overrides: &[MappingOverride],
    sink: &mut dyn FnMut(Emitted) -> bool,
) -> Parsed {
    let mut out = Parsed::default();
    let mut emitter = Emitter::new(sink);
    let mut forms: Vec<(String, Sheet)> = Vec::new();
    for src in sources {
        if emitter.stopped {
            break;
        }
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
        let mut ctx = SheetContext {
            src,
            file: src.name.as_str().into(),
            overrides,
            out: &mut out,
            emitter: &mut emitter,
            forms: &mut forms,
            sheets: Vec::new(),
            current: None,
        };
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match read::sniff(&src.bytes) {
                Ok(read::Format::Xlsx) => read::stream_xlsx(&src.bytes, &mut ctx),
                _ => read_book(&src.bytes).map(|sheets| {
                    for sheet in sheets {
                        ctx.whole(sheet);
                    }
                }),
            }
        }));
        let sheets = std::mem::take(&mut ctx.sheets);
        match read {
            Ok(Ok(())) => out.files.push(FileReport {
                file: src.name.clone(),
                refused: None,
                sheets,
            }),
            Ok(Err(r)) => out.files.push(refused(r.0)),
            Err(_) => out
                .files
                .push(refused("文件已损坏，读取时出错，未导入".into())),
        }
    }
    for (file, sheet) in forms {
        form_record(&file, &sheet, &mut out, &mut emitter);
    }
    bugs::merge_duplicates(&mut out);
    out.records = emitter.seen.into_values().collect();
    out
}

/// Applies the wizard's mapping corrections for one sheet.
fn apply_overrides(
    columns: &mut Vec<ColumnMap>,
    file: &str,
    sheet: &str,
    overrides: &[MappingOverride],
) {
    for o in overrides
        .iter()
        .filter(|o| o.file == file && o.sheet == sheet)
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

/// The register sheet being streamed row by row.
struct Streaming {
    name: Arc<str>,
    header_rows: Vec<usize>,
    columns: Vec<ColumnMap>,
    taken: usize,
    fills: Fills,
    tally: Tally,
}

/// What the reader hands each sheet of one file to.
struct SheetContext<'s, 'e, 'f> {
    src: &'s Source,
    file: Arc<str>,
    overrides: &'s [MappingOverride],
    out: &'s mut Parsed,
    emitter: &'s mut Emitter<'e>,
    forms: &'f mut Vec<(String, Sheet)>,
    sheets: Vec<SheetReport>,
    current: Option<Streaming>,
}

impl read::SheetSink for SheetContext<'_, '_, '_> {
    fn prefix(&mut self, sheet: &Sheet) -> bool {
        let SheetKind::Register {
            data_start,
            header_rows,
            mut columns,
        } = detect(sheet)
        else {
            return false;
        };
        apply_overrides(&mut columns, &self.src.name, &sheet.name, self.overrides);
        let name: Arc<str> = sheet.name.as_str().into();
        let mut tally = register_tally(&self.file, &name, &columns);
        title_rows(
            &tally,
            self.out,
            sheet,
            data_start.saturating_sub(header_rows),
        );
        let mut head = sheet.clone();
        // the same ranges go on filling the streamed rows below the prefix
        let mut fills = Fills::new(&sheet.merges, data_start);
        fills.fill_sheet(&mut head, &self.file, self.out);
        let taken = register_rows(
            &self.file,
            &name,
            &head,
            data_start,
            &columns,
            self.out,
            self.emitter,
            &mut tally,
        );
        self.current = Some(Streaming {
            name,
            header_rows: register_header_rows(data_start, header_rows),
            columns,
            taken,
            fills,
            tally,
        });
        true
    }

    fn row(&mut self, r: usize, cells: &[Cell]) -> bool {
        let Some(cur) = self.current.as_mut() else {
            return false;
        };
        let (file, out) = (&self.file, &mut *self.out);
        let cells = cur
            .fills
            .apply(r, cells, |m, v| merge_said(out, file, &cur.name, m, v));
        if register_row(
            &self.file,
            &cur.name,
            r,
            &cells,
            &cur.columns,
            self.out,
            self.emitter,
            &mut cur.tally,
        ) {
            cur.taken += 1;
        }
        !self.emitter.stopped
    }

    fn end_streamed(&mut self, beyond: Option<read::Beyond>) {
        if let Some(cur) = self.current.take() {
            cur.tally.finish(self.out);
            beyond_note(self.out, &self.file, &cur.name, beyond);
            self.sheets.push(SheetReport {
                name: cur.name.to_string(),
                kind: crate::domain::forms::REGISTER.title.into(),
                kind_code: "register",
                stored_columns: stored_register_columns(&cur.columns),
                columns: cur.columns,
                rows: cur.taken,
                note: None,
                header_rows: cur.header_rows,
            });
        }
    }

    fn whole(&mut self, mut sheet: Sheet) {
        let mut kind = detect(&sheet);
        if let SheetKind::Register { columns, .. } = &mut kind {
            apply_overrides(columns, &self.src.name, &sheet.name, self.overrides);
        }
        let recognised = !matches!(kind, SheetKind::Unknown);
        if recognised {
            beyond_note(self.out, &self.file, &sheet.name, sheet.beyond);
        }
        let report = match kind {
            SheetKind::Register {
                data_start,
                header_rows,
                columns,
            } => {
                let name: Arc<str> = sheet.name.as_str().into();
                let mut tally = register_tally(&self.file, &name, &columns);
                title_rows(
                    &tally,
                    self.out,
                    &sheet,
                    data_start.saturating_sub(header_rows),
                );
                Fills::new(&sheet.merges, data_start).fill_sheet(&mut sheet, &self.file, self.out);
                let taken = register_rows(
                    &self.file,
                    &name,
                    &sheet,
                    data_start,
                    &columns,
                    self.out,
                    self.emitter,
                    &mut tally,
                );
                tally.finish(self.out);
                SheetReport {
                    name: sheet.name.clone(),
                    kind: crate::domain::forms::REGISTER.title.into(),
                    kind_code: "register",
                    stored_columns: stored_register_columns(&columns),
                    columns,
                    rows: taken,
                    note: None,
                    header_rows: register_header_rows(data_start, header_rows),
                }
            }
            SheetKind::ReportForm => {
                let name = sheet.name.clone();
                self.forms.push((self.src.name.clone(), sheet));
                SheetReport {
                    name,
                    kind: crate::domain::forms::REPORT.title.into(),
                    kind_code: "report_form",
                    columns: Vec::new(),
                    rows: 1,
                    note: None,
                    header_rows: Vec::new(),
                    stored_columns: Vec::new(),
                }
            }
            SheetKind::BugLedger => {
                let read = bugs::ledger_rows(&self.file, &mut sheet, self.out);
                SheetReport {
                    name: sheet.name.clone(),
                    kind: crate::domain::forms::BUG_LEDGER.title.into(),
                    kind_code: "bug_ledger",
                    columns: Vec::new(),
                    rows: read.rows,
                    note: read.note,
                    header_rows: read.header_row.into_iter().collect(),
                    stored_columns: read.stored_columns,
                }
            }
            SheetKind::Unknown => SheetReport {
                name: sheet.name.clone(),
                kind: "未识别".into(),
                kind_code: "unknown",
                columns: Vec::new(),
                header_rows: Vec::new(),
                stored_columns: Vec::new(),
                rows: 0,
                note: Some(if sheet.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
                    "空工作表，已跳过".into()
                } else {
                    "找不到需求编号等表头（可能是说明页），已跳过".into()
                }),
            },
        };
        self.sheets.push(report);
    }
}

fn reject(out: &mut Parsed, origin: &Origin, column: Option<&str>, reason: impl Into<String>) {
    out.rejected.push(Rejection {
        file: origin.file.to_string(),
        sheet: Some(origin.sheet.to_string()),
        row: Some(origin.row),
        column: column.map(str::to_string),
        reason: reason.into(),
    });
}

fn warn(out: &mut Parsed, origin: &Origin, column: Option<&str>, reason: impl Into<String>) {
    out.warnings.push(Rejection {
        file: origin.file.to_string(),
        sheet: Some(origin.sheet.to_string()),
        row: Some(origin.row),
        column: column.map(str::to_string),
        reason: reason.into(),
    });
}

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "共计"];

/// Turns the data rows of a register sheet into records; returns how many rows were taken.
#[allow(clippy::too_many_arguments)]
fn register_rows(
    file: &Arc<str>,
    name: &Arc<str>,
    sheet: &Sheet,
    data_start: usize,
    columns: &[ColumnMap],
    out: &mut Parsed,
    emitter: &mut Emitter<'_>,
    tally: &mut Tally,
) -> usize {
    let mut taken = 0;
    for r in data_start..sheet.rows.len() {
        if emitter.stopped {
            break;
        }
        if register_row(file, name, r, &sheet.rows[r], columns, out, emitter, tally) {
            taken += 1;
        }
    }
    taken
}

/// One data row of a register (`r` is 0-based): a record handed on, a rejection, or a row
/// named as not taken (decorative and totals rows; blank rows say nothing). Returns whether a
/// record was taken; its cells no field stores are counted in `tally`.
#[allow(clippy::too_many_arguments)]
fn register_row(
    file: &Arc<str>,
    sheet: &Arc<str>,
    r: usize,
    row: &[Cell],
    columns: &[ColumnMap],
    out: &mut Parsed,
    emitter: &mut Emitter<'_>,
    tally: &mut Tally,
) -> bool {
    // where each field is, looked up once per row rather than once per use
    let mut at = [None; Field::ALL.len()];
    for c in columns {
        if let Some(f) = c.field {
            at[f as usize].get_or_insert(c.column);
        }
    }
    let col_of = |f: Field| at[f as usize];
    let letter = |f: Field| col_of(f).map(|c| format!("{}（{}）", column_letter(c), f.label()));
    let get = |f: Field| col_of(f).and_then(|c| row.get(c)).unwrap_or(&Cell::Empty);
    let filled = row.iter().filter(|c| !c.is_empty()).count();
    if filled == 0 {
        return false;
    }
    let origin = Origin {
        file: file.clone(),
        sheet: sheet.clone(),
        row: r + 1,
    };
    let number = values::number(get(Field::Number));
    let has_total = || {
        row.iter()
            .any(|c| matches!(c, Cell::Text(t) if TOTAL_WORDS.iter().any(|w| t.contains(w))))
    };
    let received = received_of(&number);
    if received.is_none() && has_total() {
        tally.skip_row(out, r, row, "合计行，不是需求，未导入");
        return false;
    }
    if received.is_none() && filled == 1 {
        // a month heading, a note between the rows
        tally.skip_row(
            out,
            r,
            row,
            "只有一格、没有需求编号（分组标题或说明），未导入",
        );
        return false;
    }
    if number.is_empty() {
        reject(
            out,
            &origin,
            letter(Field::Number).as_deref(),
            "缺少需求编号",
        );
        return false;
    }
    if number == Field::Number.label() {
        // printed registers repeat the header on every page
        tally.skip_row(out, r, row, "重复的表头行，未导入");
        return false;
    }
    let Some(received) = received else {
        let why = format!("需求编号“{number}”格式无法识别（应为 YYMMDDNN，例如 14061903）");
        reject(out, &origin, letter(Field::Number).as_deref(), why);
        return false;
    };
    match record_of_row(&origin, &number, received, &get, &letter, out) {
        Ok(rec) => {
            emitter.emit(rec, out);
            tally.row(r, row);
            true
        }
        Err((col, reason)) => {
            reject(out, &origin, col.as_deref(), reason);
            false
        }
    }
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
    let year = values::year_of(received);
    let peek = |f: Field| values::text_ref(get(f));
    let mut vals = Values::with_capacity(10, 160);
    let mut put = |col: &'static str, v: &str| {
        if !v.is_empty() {
            vals.push(col, v);
        }
    };
    put("reporter", &peek(Field::Reporter));
    put("reporter_department", &peek(Field::ReporterDepartment));
    put("requester", &peek(Field::Requester));
    // notes people wrote beside a decision or grade ("做（已排期）") go to 备注, never lost
    let mut notes: Vec<String> = Vec::new();
    let mut noted = |f: Field, text: &str, value: &str, note: Option<String>| {
        if let Some(note) = note {
            let why = format!("“{text}”按“{value}”导入，“{note}”记入备注");
            warn(out, origin, letter(f).as_deref(), why);
            notes.push(format!("{}：{note}", f.label()));
        }
    };
    let text = peek(Field::Decision);
    let (decision, note) =
        values::with_note(&text, values::decision).map_err(|e| err(Field::Decision, e))?;
    noted(
        Field::Decision,
        &text,
        decision.map(|d| d.label()).unwrap_or(""),
        note,
    );
    let text = peek(Field::Grade);
    let (grade, note) =
        values::with_note(&text, values::grade).map_err(|e| err(Field::Grade, e))?;
    noted(
        Field::Grade,
        &text,
        grade.map(|g| g.label()).unwrap_or(""),
        note,
    );
    if let Some(d) = decision {
        put("decision", d.code());
    }
    match (decision, grade) {
        (Some(d), Some(g)) if d.leads_to_work() => put("grade", g.code()),
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
        put("expected_delivery", &crate::domain::dates::iso(d));
    }
    if let Some(d) = actual {
        put("actual_delivery", &crate::domain::dates::iso(d));
    }
    let brief = peek(Field::Brief);
    if check_brief(&brief).is_err() && !brief.is_empty() {
        let short = brief_from(&brief);
        warn(
            out,
            origin,
            letter(Field::Brief).as_deref(),
            format!("需求梗概超过 {BRIEF_MAX_CHARS} 字：登记表中在 {BRIEF_MAX_CHARS} 字内的句读处截短，全文保存在概述中"),
        );
        put("overview", &brief);
        put("brief", &short);
    } else {
        put("brief", &brief);
    }
    let remark_text = peek(Field::Remark);
    let remark = values::remark(
        &remark_text,
        expected.map(values::year_of).unwrap_or(year),
        expected.or(Some(received)),
    )
    .map_err(|e| err(Field::Remark, e))?;
    let mut remark_out = if decision == Some(Decision::Convert) {
        put("conversion_summary", &remark.rest);
        String::new()
    } else {
        remark.rest.clone()
    };
    for note in notes {
        if !remark_out.is_empty() {
            remark_out.push('；');
        }
        remark_out.push_str(&note);
    }
    put("remark", &remark_out);
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
    let stated = peek(Field::Status);
    let derived =
        crate::domain::requirement::derive_status(decision, actual, remark.delays.len() as u32);
    let stated_norm = if stated == "空" { "" } else { &stated };
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
        number: number.into(),
        received,
        values: vals,
        delays: remark.delays,
        defaults: Vec::new(),
    })
}

fn form_record(file: &str, sheet: &Sheet, out: &mut Parsed, emitter: &mut Emitter<'_>) {
    let origin = Origin {
        file: file.into(),
        sheet: sheet.name.as_str().into(),
        row: 1,
    };
    let Some(number) = form::number_from_file_name(file).or_else(|| form::number_in_sheet(sheet))
    else {
        reject(out, &origin, None, "无法确定需求编号：需求报告表的文件名应为“需求报告表YYMMDDNN”（例如 需求报告表14061903.xlsx），或在表中“需求编号”一格写明");
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
    let (mut vals, used) = form::read_form_cells(sheet);
    // what the form holds besides its items is named, not dropped (issue 13)
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() || used.contains(&(r, c)) {
                continue;
            }
            out.not_taken.push(NotTaken {
                file: file.to_string(),
                sheet: sheet.name.clone(),
                first_row: r + 1,
                last_row: r + 1,
                column: Some(c),
                place: format!("{}{}", column_letter(c), r + 1),
                and_right: false,
                cells: 1,
                reason: format!(
                    "“{}”不是需求报告表中的任何一项，未导入",
                    values::text(cell).chars().take(30).collect::<String>()
                ),
            });
        }
    }
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
        defaults.push(("brief", brief_from(overview)));
    }
    // The doctor who asked is the requester (需求人) of a form.
    if let Some((_, doctor)) = vals.iter().find(|(c, _)| *c == "doctor_name") {
        defaults.push(("requester", doctor.clone()));
    }
    if !vals.iter().any(|(c, _)| *c == "kind")
        && vals.iter().any(|(c, _)| c.starts_with("imp_"))
        && !vals.iter().any(|(c, _)| c.starts_with("new_"))
    {
        vals.push(("kind", "improvement".into()));
    }
    let rec = Record {
        origin,
        number: number.into(),
        received,
        values: vals.into_iter().collect(),
        delays: Vec::new(),
        defaults,
    };
    emitter.emit(rec, out);
}

/// What the parser hands on: a requirement met for the first time, or more values for one
/// handed on before (a report form after its register row).
#[derive(Debug, Clone)]
pub enum Emitted {
    New(Arc<Record>),
    Fill(Arc<Record>),
}

/// Hands records on as they are understood. Several sources may speak of one number: a
/// register row and its report form complete each other; a row repeated unchanged in the same
/// sheet counts once; two that contradict each other cannot both be right (the later is
/// rejected). The sink answers false to stop the parse (the writer has gone).
pub struct Emitter<'a> {
    seen: HashMap<Arc<str>, Arc<Record>>,
    sink: &'a mut dyn FnMut(Emitted) -> bool,
    pub stopped: bool,
}

impl<'a> Emitter<'a> {
    pub fn new(sink: &'a mut dyn FnMut(Emitted) -> bool) -> Self {
        Emitter {
            seen: HashMap::new(),
            sink,
            stopped: false,
        }
    }

    fn send(&mut self, e: Emitted) {
        if !self.stopped && !(self.sink)(e) {
            self.stopped = true;
        }
    }

    fn emit(&mut self, rec: Record, out: &mut Parsed) {
        let base = match self.seen.entry(rec.number.clone()) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                let rec = Arc::new(rec);
                slot.insert(rec.clone());
                self.send(Emitted::New(rec));
                return;
            }
            std::collections::hash_map::Entry::Occupied(slot) => slot.into_mut(),
        };
        let same_sheet =
            base.origin.file == rec.origin.file && base.origin.sheet == rec.origin.sheet;
        if same_sheet && rec.values == base.values && rec.delays == base.delays {
            let why = format!("与第 {} 行重复（内容相同），只导入一次", base.origin.row);
            warn(out, &rec.origin, Some("需求编号"), why);
            return;
        }
        if let Some((col, v)) = rec
            .values
            .iter()
            .find(|(c, v)| base.value(c).is_some_and(|b| b != *v))
        {
            let place = if same_sheet {
                "本表".to_string()
            } else {
                format!("{} 的工作表“{}”", base.origin.file, base.origin.sheet)
            };
            let reason = format!(
                "需求编号 {} 已在 {} 第 {} 行出现，且{}不同（“{}” 与 “{}”）",
                rec.number,
                place,
                base.origin.row,
                crate::domain::fields::label("requirement", col),
                crate::domain::fields::display(
                    "requirement",
                    col,
                    base.value(col).unwrap_or_default()
                ),
                crate::domain::fields::display("requirement", col, v)
            );
            reject(out, &rec.origin, Some("需求编号"), reason);
            return;
        }
        let mut fill = Record {
            values: Values::default(),
            delays: Vec::new(),
            defaults: Vec::new(),
            ..rec.clone()
        };
        // a second source of a number is rare: copying the remembered record then is cheap
        let base = Arc::make_mut(base);
        for (c, v) in rec.values.iter() {
            if base.value(c).is_none() {
                base.values.push(c, v);
                fill.values.push(c, v);
            }
        }
        for d in rec.delays {
            if !base.delays.contains(&d) {
                base.delays.push(d.clone());
                fill.delays.push(d);
            }
        }
        for (c, v) in rec.defaults {
            if !base.defaults.iter().any(|(bc, _)| *bc == c) {
                base.defaults.push((c, v.clone()));
                fill.defaults.push((c, v));
            }
        }
        if !(fill.values.is_empty() && fill.delays.is_empty() && fill.defaults.is_empty()) {
            if same_sheet {
                let why = format!(
                    "需求编号 {} 已在第 {} 行出现：本行补充的内容并入同一条需求",
                    rec.number, base.origin.row
                );
                warn(out, &rec.origin, Some("需求编号"), why);
            }
            self.send(Emitted::Fill(Arc::new(fill)));
        }
    }
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

    #[test]
    fn values_keep_each_text_and_their_order() {
        let mut v = Values::with_capacity(2, 8);
        v.push("reporter", "刘小妹");
        v.push("brief", "");
        v.push("grade", "B");
        assert_eq!(v.get("reporter"), Some("刘小妹"));
        assert_eq!(v.get("brief"), Some(""));
        assert_eq!(v.get("grade"), Some("B"));
        assert_eq!(v.get("remark"), None);
        let pairs: Vec<_> = v.iter().collect();
        assert_eq!(
            pairs,
            [("reporter", "刘小妹"), ("brief", ""), ("grade", "B")]
        );
        assert_eq!(v.len(), 3);
        let same: Values = pairs.into_iter().collect();
        assert_eq!(same, v);
        let other: Values = [("reporter", "刘小"), ("brief", "妹")]
            .into_iter()
            .collect();
        assert_ne!(
            other, v,
            "the same text split differently is not the same values"
        );
    }
}
