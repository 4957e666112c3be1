//! Opening a spreadsheet safely: sniff the format from its bytes, refuse hostile files up front
//! (not a spreadsheet, truncated, encrypted, zip bombs, absurd dimensions), and turn every sheet
//! into a small grid of plain cells.
//!
//! Memory bound: a file is read into memory only up to `MAX_FILE_BYTES`; an .xlsx is streamed
//! cell by cell into a grid of at most `MAX_COLUMNS` columns and `MAX_CELLS` cells, so a sheet
//! that claims a million rows by a million columns costs nothing. .xls and .ods are parsed by
//! calamine into its bounding-box range first: that is bounded by their format limits (xls: 65,536
//! rows × 256 columns) and by the file size limit.
//!
//! Nothing is dropped without a word (issue 13): cells right of `MAX_COLUMNS` are counted into
//! the sheet's `beyond`, merged ranges are read for every format (an .xlsx's with one byte scan of
//! its sheet, an .ods's from its cells' spans), and a file that is not a workbook at all (a web
//! page or text saved as .xls) is refused saying what it is.

use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};

pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The sum of the uncompressed sizes a zip container may declare.
pub const MAX_UNZIPPED_BYTES: u64 = 768 * 1024 * 1024;
/// Larger entries may not expand more than this many times (XML compresses ≈ 10–30×).
pub const MAX_RATIO: u64 = 250;
/// Columns read (A … AMJ); cells right of them are counted in `Sheet::beyond` and reported.
pub const MAX_COLUMNS: usize = 1024;
pub const MAX_CELLS: usize = 8_000_000;
/// Cells a sheet's grid may hold, empty ones padding short rows included (≈ 0.8 GB at most):
/// bounds a sheet whose rows each hold one far cell.
pub const MAX_SLOTS: usize = 24_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

/// Non-empty cells right of `MAX_COLUMNS` that were not read: how many, the rows they are on
/// (0-based, first and last) and the leftmost column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beyond {
    pub cells: usize,
    pub row: usize,
    pub last_row: usize,
    pub col: usize,
}

impl Beyond {
    fn note(slot: &mut Option<Beyond>, row: usize, col: usize) {
        match slot {
            Some(b) => {
                b.cells += 1;
                b.row = b.row.min(row);
                b.last_row = b.last_row.max(row);
                b.col = b.col.min(col);
            }
            None => {
                *slot = Some(Beyond {
                    cells: 1,
                    row,
                    last_row: row,
                    col,
                })
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// Rows from the sheet's first row (row 0 is Excel's row 1); short rows are padded on read.
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// Cells right of the columns read.
    pub beyond: Option<Beyond>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

/// Why a whole file is refused, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

fn refuse(msg: impl Into<String>) -> Refusal {
    Refusal(msg.into())
}

/// Which format the bytes are, or why they are not a spreadsheet we read.
pub fn sniff(bytes: &[u8]) -> Result<Format, Refusal> {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.len() >= 8 && bytes[..8] == CFB {
        return Ok(Format::Xls);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| refuse("文件不完整或已损坏（压缩包结构无法读取）"))?;
        check_zip(&mut zip)?;
        if zip.index_for_name("xl/workbook.xml").is_some() {
            return Ok(Format::Xlsx);
        }
        if zip.index_for_name("content.xml").is_some() {
            return Ok(Format::Ods);
        }
        if zip.index_for_name("xl/workbook.bin").is_some() {
            return Err(refuse(
                "这是 .xlsb 二进制工作簿，请在 Excel 中另存为 .xlsx 后再导入",
            ));
        }
        return Err(refuse("这是一个压缩包，但不是 Excel 或 ODS 工作簿"));
    }
    if bytes.is_empty() {
        return Err(refuse("文件是空的"));
    }
    Err(refuse(not_a_workbook(bytes)))
}

/// What a file that is no workbook is, as far as its first bytes tell: web pages and text are
/// what many systems write when they "export to Excel", under an .xls name.
fn not_a_workbook(bytes: &[u8]) -> String {
    const RESAVE: &str = "请用 Excel、WPS 或 LibreOffice 打开它，另存为 .xlsx 后再导入";
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lower = head[start..].to_ascii_lowercase();
    let has = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<") && (has(b"<table") || has(b"<html")))
    {
        return format!("这个文件其实是网页（HTML），只是用了表格的扩展名（有些系统“导出 Excel”时会这样做）。{RESAVE}");
    }
    if lower.starts_with(b"<?xml") {
        if has(b"urn:schemas-microsoft-com:office:spreadsheet") {
            return format!(
                "这是 Excel 2003 的 XML 表格（SpreadsheetML），不是 .xlsx/.xls 工作簿。{RESAVE}"
            );
        }
        return format!("这是一个 XML 文件，不是 Excel 或 ODS 工作簿。{RESAVE}");
    }
    if lower.starts_with(b"%pdf") {
        return "这是 PDF 文件，不是表格，无法导入；请找到它原来的 Excel 文件".into();
    }
    if lower.starts_with(b"{\\rtf") {
        return format!("这是 RTF 文档（写字板/Word），不是表格。{RESAVE}");
    }
    // UTF-16 text (Excel's "Unicode 文本") starts with its byte-order mark and is full of NULs
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let texty = utf16 || (!head.is_empty() && !head.contains(&0));
    if texty {
        return format!("这是一个文本文件（可能是 CSV 或用制表符分隔的文本），只是用了表格的扩展名，不是 Excel 工作簿。{RESAVE}");
    }
    "不是 Excel（.xlsx/.xls）或 ODS 工作簿".into()
}

/// Refuses zip containers whose declared contents are absurd (zip bombs).
fn check_zip<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<(), Refusal> {
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|_| refuse("文件不完整或已损坏（压缩包条目无法读取）"))?;
        let size = f.size();
        let packed = f.compressed_size().max(1);
        if size > 16 * 1024 * 1024 && size / packed > MAX_RATIO {
            return Err(refuse(format!(
                "文件内容解压后异常膨胀（{} 压缩 {} 字节却声称解压为 {} 字节），疑似压缩炸弹，已拒绝",
                f.name().unwrap_or_default(),
                packed,
                size
            )));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(refuse(format!(
            "文件解压后达 {} MB，超过上限 {} MB，已拒绝",
            total / 1024 / 1024,
            MAX_UNZIPPED_BYTES / 1024 / 1024
        )));
    }
    Ok(())
}

fn cell_of_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| Cell::Date(t.date()))
            .unwrap_or(Cell::Number(dt.as_f64())),
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e:?}")),
    }
}

fn cell_of_ref(d: DataRef<'_>) -> Cell {
    match d {
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        other => cell_of_data(&Data::from(other)),
    }
}

/// A growing grid that never exceeds the bounds.
#[derive(Default)]
struct Grid {
    rows: Vec<Vec<Cell>>,
    cells: usize,
    /// Cells held, padding included.
    slots: usize,
    beyond: Option<Beyond>,
}

impl Grid {
    fn put(&mut self, row: usize, col: usize, cell: Cell) -> Result<(), Refusal> {
        if cell.is_empty() {
            return Ok(());
        }
        if col >= MAX_COLUMNS {
            Beyond::note(&mut self.beyond, row, col);
            return Ok(());
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(refuse(format!("工作表的单元格超过 {MAX_CELLS} 个，已拒绝")));
        }
        if row >= self.rows.len() {
            if row > 2_000_000 {
                return Err(refuse("工作表的行数异常（超过两百万行），已拒绝"));
            }
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if col >= r.len() {
            self.slots += col + 1 - r.len();
            if self.slots > MAX_SLOTS {
                return Err(refuse(
                    "工作表的行很多且每行都写到很靠右的列，超过可读取的范围，已拒绝",
                ));
            }
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = cell;
        Ok(())
    }

    fn into_sheet(self, name: String, merges: Vec<Merge>) -> Sheet {
        Sheet {
            name,
            rows: self.rows,
            merges,
            beyond: self.beyond,
        }
    }
}

fn merges_of(dims: Vec<calamine::Dimensions>) -> Vec<Merge> {
    dims.into_iter()
        .map(|d| Merge {
            first_row: d.start.0 as usize,
            first_col: d.start.1 as usize,
            last_row: d.end.0 as usize,
            last_col: d.end.1 as usize,
        })
        .collect()
}

fn password() -> Refusal {
    refuse("文件有密码保护（已加密），请在 Excel 中取消密码后再导入")
}

/// A file the parser could not read: said in Chinese, without the parser's own words (they
/// mean nothing to the people who see this), with what to do about it.
fn broken(_e: impl std::fmt::Display) -> Refusal {
    refuse("文件已损坏，或者写法不规范，无法读取。请用 Excel、WPS 或 LibreOffice 打开它，另存为 .xlsx 后再导入")
}

/// Reads every sheet of a workbook into grids.
pub fn read_book(bytes: &[u8]) -> Result<Vec<Sheet>, Refusal> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "文件有 {} MB，超过导入上限 {} MB",
            bytes.len() / 1024 / 1024,
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    match sniff(bytes)? {
        Format::Xlsx => read_xlsx(bytes),
        Format::Xls => read_xls(bytes),
        Format::Ods => read_ods(bytes),
    }
}

fn open_xlsx(bytes: &[u8]) -> Result<calamine::Xlsx<Cursor<&[u8]>>, Refusal> {
    calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => password(),
        e => broken(e),
    })
}

/// Every sheet of an .xlsx, whole (a sink that never streams).
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, Refusal> {
    struct Whole(Vec<Sheet>);
    impl SheetSink for Whole {
        fn prefix(&mut self, _: &Sheet) -> bool {
            false
        }
        fn row(&mut self, _: usize, _: &[Cell]) -> bool {
            false
        }
        fn end_streamed(&mut self, _: Option<Beyond>) {}
        fn whole(&mut self, sheet: Sheet) {
            self.0.push(sheet);
        }
    }
    let mut sink = Whole(Vec::new());
    stream_xlsx(bytes, &mut sink)?;
    Ok(sink.0)
}

/// Where a streamed .xlsx goes, sheet by sheet.
pub trait SheetSink {
    /// The sheet's first `PREFIX_ROWS` rows (with all its merged ranges): answer true to take the
    /// rest row by row.
    fn prefix(&mut self, sheet: &Sheet) -> bool;
    /// One further row (0-based `r`); false stops reading. A cell the row does not have is
    /// `Cell::Empty` or an empty `Cell::Text` (buffers are reused from row to row).
    fn row(&mut self, r: usize, cells: &[Cell]) -> bool;
    /// The streamed sheet has ended; `beyond`: its cells right of the columns read.
    fn end_streamed(&mut self, beyond: Option<Beyond>);
    /// A sheet taken whole (short, or not a register that can stream).
    fn whole(&mut self, sheet: Sheet);
}

/// Rows a sheet's layout is recognised from before its rows can stream.
pub const PREFIX_ROWS: usize = 40;

/// Reads an .xlsx cell by cell, handing a register's rows on as they complete, so that the
/// rows can be understood and written while the rest of the file is still being read.
pub fn stream_xlsx(bytes: &[u8], sink: &mut dyn SheetSink) -> Result<(), Refusal> {
    let mut book = open_xlsx(bytes)?;
    let mut merges = xlsx_merges(bytes);
    for name in book.sheet_names() {
        let sheet_merges = merges.remove(&name).unwrap_or_default();
        let mut grid = Grid::default();
        let mut decided = false;
        let mut streaming = false;
        let mut current: Option<usize> = None;
        let mut row: Vec<Cell> = Vec::new();
        let mut reader = book.worksheet_cells_reader(&name).map_err(broken)?;
        while let Some(cell) = reader.next_cell().map_err(broken)? {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            if !decided && r >= PREFIX_ROWS {
                decided = true;
                let head = Sheet {
                    name: name.clone(),
                    rows: grid.rows.clone(),
                    merges: sheet_merges.clone(),
                    beyond: None,
                };
                streaming = sink.prefix(&head);
            }
            if !streaming {
                grid.put(r, c, cell_of_ref(cell.get_value().clone()))?;
                continue;
            }
            grid.cells += 1;
            if grid.cells > MAX_CELLS {
                return Err(refuse(format!("工作表的单元格超过 {MAX_CELLS} 个，已拒绝")));
            }
            if current != Some(r) {
                if let Some(done) = current {
                    if !sink.row(done, &row) {
                        return Ok(());
                    }
                }
                // Emptied, keeping each text's buffer for the next row (no allocation per cell).
                for cell in row.iter_mut() {
                    match cell {
                        Cell::Text(t) => t.clear(),
                        other => *other = Cell::Empty,
                    }
                }
                current = Some(r);
            }
            if c >= MAX_COLUMNS {
                if !cell_of_ref(cell.get_value().clone()).is_empty() {
                    Beyond::note(&mut grid.beyond, r, c);
                }
                continue;
            }
            if c >= row.len() {
                row.resize(c + 1, Cell::Empty);
            }
            let text = match cell.get_value() {
                DataRef::SharedString(s) => Some(*s),
                DataRef::String(s) => Some(s.as_str()),
                _ => None,
            };
            match (&mut row[c], text) {
                (Cell::Text(buf), Some(s)) => {
                    buf.clear(); // a cell given twice: the last one counts
                    buf.push_str(s);
                }
                (slot, _) => *slot = cell_of_ref(cell.get_value().clone()),
            }
        }
        drop(reader);
        if streaming {
            if let Some(done) = current {
                sink.row(done, &row);
            }
            sink.end_streamed(grid.beyond);
        } else {
            sink.whole(grid.into_sheet(name, sheet_merges));
        }
    }
    Ok(())
}

/// Each sheet's part in an .xlsx: (sheet name, zip entry), from the workbook and its relations.
fn xlsx_sheet_parts<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Vec<(String, String)> {
    let read = |zip: &mut zip::ZipArchive<R>, path: &str| -> Option<Vec<u8>> {
        let mut f = zip.by_name(path).ok()?;
        let mut out = Vec::new();
        f.by_ref()
            .take(16 * 1024 * 1024)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    };
    let (Some(book), Some(rels)) = (
        read(zip, "xl/workbook.xml"),
        read(zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return Vec::new();
    };
    let mut targets: HashMap<String, String> = HashMap::new();
    each_element(&rels, |local, attrs| {
        if local == "Relationship" {
            if let (Some(id), Some(target)) = (attr(attrs, "Id"), attr(attrs, "Target")) {
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.insert(id, path);
            }
        }
    });
    let mut out = Vec::new();
    each_element(&book, |local, attrs| {
        if local == "sheet" {
            let id = attrs
                .iter()
                .find(|(k, _)| k == "r:id" || k.ends_with(":id"))
                .map(|(_, v)| v.clone());
            if let (Some(name), Some(path)) =
                (attr(attrs, "name"), id.and_then(|i| targets.get(&i)))
            {
                out.push((name, path.clone()));
            }
        }
    });
    out
}

/// Calls `f(local name, attributes)` for every element of a small XML part.
fn each_element(xml: &[u8], mut f: impl FnMut(&str, &[(String, String)])) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attrs: Vec<(String, String)> = e
                    .attributes()
                    .flatten()
                    .map(|a| (a.key.as_ref().to_string(), unescaped(&a.value)))
                    .collect();
                f(e.local_name().as_ref(), &attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
}

fn attr(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// An attribute's value as written, with its escapes (`&amp;`) resolved.
fn unescaped(raw: &str) -> String {
    quick_xml::escape::unescape(raw)
        .map(|v| v.into_owned())
        .unwrap_or_else(|_| raw.to_string())
}

/// `B2:B4` → the range (0-based); a single cell is no merge.
fn range_of(r: &str) -> Option<Merge> {
    let (a, b) = r.split_once(':')?;
    let cell = |s: &str| -> Option<(usize, usize)> {
        let s = s.trim_matches('$');
        let split = s.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = s.split_at(split);
        let mut col = 0usize;
        for ch in letters.trim_end_matches('$').chars() {
            if !ch.is_ascii_alphabetic() {
                return None;
            }
            col = col
                .checked_mul(26)?
                .checked_add(ch.to_ascii_uppercase() as usize - 'A' as usize + 1)?;
        }
        let row: usize = digits.parse().ok()?;
        Some((row.checked_sub(1)?, col.checked_sub(1)?))
    };
    let (r0, c0) = cell(a)?;
    let (r1, c1) = cell(b)?;
    Some(Merge {
        first_row: r0.min(r1),
        first_col: c0.min(c1),
        last_row: r0.max(r1),
        last_col: c0.max(c1),
    })
}

/// The merged ranges of every sheet of an .xlsx, by sheet name. An .xlsx lists them after the
/// cells (`<mergeCells>`), so this reads each sheet's part through once as bytes — a byte scan
/// is several times cheaper than calamine's second XML pass — and parses only what follows the
/// marker. A part that cannot be read gives no merges (the cells reader reports it).
pub fn xlsx_merges(bytes: &[u8]) -> MergesBySheet {
    let mut out = HashMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let finder = memchr::memmem::Finder::new(b"mergeCells");
    for (name, path) in xlsx_sheet_parts(&mut zip) {
        let Ok(mut f) = zip.by_name(&path) else {
            continue;
        };
        let mut buf = vec![0u8; 1 << 16];
        let mut carry: Vec<u8> = Vec::new();
        let mut tail: Option<Vec<u8>> = None;
        loop {
            let n = match f.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if let Some(t) = tail.as_mut() {
                if t.len() < 16 * 1024 * 1024 {
                    t.extend_from_slice(&buf[..n]);
                }
                continue;
            }
            carry.extend_from_slice(&buf[..n]);
            if let Some(p) = finder.find(&carry) {
                tail = Some(carry[p..].to_vec());
                continue;
            }
            // keep what could be the start of the marker
            let keep = carry.len().saturating_sub(16);
            carry.drain(..keep);
        }
        let Some(tail) = tail else { continue };
        let mut xml = b"<".to_vec();
        xml.extend_from_slice(&tail);
        let mut merges = Vec::new();
        each_element(&xml, |local, attrs| {
            if local == "mergeCell" {
                merges.extend(attr(attrs, "ref").as_deref().and_then(range_of));
            }
        });
        if !merges.is_empty() {
            out.insert(name, merges);
        }
    }
    out
}

fn read_ranges<R: Reader<Cursor<Vec<u8>>>>(
    book: &mut R,
    merges: impl Fn(&R, &str) -> Vec<Merge>,
) -> Result<Vec<Sheet>, Refusal>
where
    R::Error: std::fmt::Display,
{
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(broken)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut grid = Grid::default();
        for (r, c, d) in range.used_cells() {
            grid.put(r0 as usize + r, c0 as usize + c, cell_of_data(d))?;
        }
        let merges = merges(book, &name);
        out.push(grid.into_sheet(name, merges));
    }
    Ok(out)
}

/// Walks every stream of an OLE compound file with loop and size checks, so that a corrupt
/// container is refused here instead of sending calamine round a sector loop.
fn check_compound_file(bytes: &[u8]) -> Result<(), Refusal> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(broken)?;
    let streams: Vec<std::path::PathBuf> = comp
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    if streams.iter().any(|p| p.ends_with("EncryptedPackage")) {
        return Err(password());
    }
    let mut total: u64 = 0;
    for path in streams {
        let stream = comp.open_stream(&path).map_err(broken)?;
        let n = std::io::copy(&mut stream.take(MAX_FILE_BYTES + 1), &mut std::io::sink())
            .map_err(broken)?;
        total += n;
        if total > 4 * MAX_FILE_BYTES {
            return Err(refuse("文件内部结构异常（数据流总长远超文件大小），已拒绝"));
        }
    }
    Ok(())
}

fn read_xls(bytes: &[u8]) -> Result<Vec<Sheet>, Refusal> {
    check_compound_file(bytes)?;
    match calamine::Xls::new(Cursor::new(bytes.to_vec())) {
        Ok(mut book) => read_ranges(&mut book, |b, n| {
            b.merge_cells_by_sheet_name(n)
                .map(merges_of)
                .unwrap_or_default()
        }),
        Err(calamine::XlsError::Password) => Err(password()),
        Err(e) => {
            // An encrypted .xlsx is stored in the same container format as .xls.
            match calamine::Xlsx::new(Cursor::new(bytes)) {
                Err(calamine::XlsxError::Password) => Err(password()),
                _ => Err(broken(e)),
            }
        }
    }
}

fn read_ods(bytes: &[u8]) -> Result<Vec<Sheet>, Refusal> {
    let (bytes, merges) = tidy_ods(bytes)?;
    let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => password(),
        e => broken(e),
    })?;
    read_ranges(&mut book, |_, name| {
        merges.get(name).cloned().unwrap_or_default()
    })
}

/// Merged ranges by sheet name.
pub type MergesBySheet = HashMap<String, Vec<Merge>>;

/// An .ods made fit for calamine, and its merged ranges by sheet name.
///
/// calamine stops at anything between a row's cells that is not a cell, though XML allows
/// whitespace and comments there and some generators indent their output; such text means
/// nothing outside a paragraph (ODF 1.2 §5.1.1 collapses it), so `content.xml` is rewritten
/// without it. Whitespace inside paragraphs (`text:*` elements) is kept as written. While
/// passing, the cells' `table:number-rows-spanned` / `number-columns-spanned` give the merged
/// ranges (calamine does not report an .ods's).
fn tidy_ods(bytes: &[u8]) -> Result<(Vec<u8>, MergesBySheet), Refusal> {
    use quick_xml::events::{BytesStart, Event};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    let mut content = Vec::new();
    zip.by_name("content.xml")
        .map_err(broken)?
        .take(MAX_UNZIPPED_BYTES)
        .read_to_end(&mut content)
        .map_err(broken)?;
    let mut reader = quick_xml::Reader::from_reader(content.as_slice());
    reader.config_mut().trim_text(false);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(content.len()));
    let mut merges: HashMap<String, Vec<Merge>> = HashMap::new();
    let mut stack: Vec<String> = Vec::new();
    let (mut table, mut row, mut col, mut row_repeat) = (String::new(), 0usize, 0usize, 1usize);
    let number = |e: &BytesStart, key: &str| -> usize {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(broken)?;
        match &event {
            Event::Eof => break,
            Event::Comment(_) => {
                buf.clear();
                continue;
            }
            Event::Text(t) => {
                let in_text = stack.last().is_some_and(|n| n.starts_with("text:"));
                if !in_text && t.chars().all(char::is_whitespace) {
                    buf.clear();
                    continue;
                }
            }
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        table = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == "table:name")
                            .map(|a| unescaped(&a.value))
                            .unwrap_or_default();
                        row = 0;
                    }
                    "table:table-row" => {
                        col = 0;
                        row_repeat = number(e, "table:number-rows-repeated");
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let (rows, cols) = (
                            number(e, "table:number-rows-spanned").max(1),
                            number(e, "table:number-columns-spanned").max(1),
                        );
                        if e.name().as_ref() == "table:table-cell" && (rows > 1 || cols > 1) {
                            merges.entry(table.clone()).or_default().push(Merge {
                                first_row: row,
                                first_col: col,
                                last_row: row.saturating_add(rows - 1),
                                last_col: col.saturating_add(cols - 1),
                            });
                        }
                        col = col.saturating_add(number(e, "table:number-columns-repeated"));
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(e.name().as_ref().to_string());
                }
            }
            Event::End(e) => {
                if e.name().as_ref() == "table:table-row" {
                    row = row.saturating_add(row_repeat);
                }
                stack.pop();
            }
            _ => {}
        }
        writer.write_event(event).map_err(broken)?;
        buf.clear();
    }
    let content = writer.into_inner();
    // the same package with the tidied content (stored: it is read once, right away)
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() * 2)));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(broken)?;
        if entry.name().is_ok_and(|n| n == "content.xml") {
            drop(entry);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(content.len() > u32::MAX as usize / 2);
            out.start_file("content.xml", options).map_err(broken)?;
            out.write_all(&content).map_err(broken)?;
        } else {
            out.raw_copy_file(entry).map_err(broken)?;
        }
    }
    let bytes = out.finish().map_err(broken)?.into_inner();
    Ok((bytes, merges))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_a_file_that_is_no_workbook_is() {
        let said = |b: &[u8]| sniff(b).unwrap_err().0;
        assert!(said(b"\xEF\xBB\xBF <!DOCTYPE html><html><table>").contains("网页"));
        assert!(said(b"<table border=1><tr><td>14061901</td></tr></table>").contains("网页"));
        assert!(said(b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">")
            .contains("SpreadsheetML"));
        assert!(said("需求编号,填表人\n14061901,周小明\n".as_bytes()).contains("文本文件"));
        assert!(said(b"%PDF-1.7").contains("PDF"));
        assert!(said(&[0xFF, 0xFE, 0x00, 0x97, 0x42, 0x6C]).contains("文本文件"));
        for m in [said(b"<html>"), said(b"a\tb")] {
            assert!(m.contains("另存为 .xlsx"), "{m}");
        }
    }

    #[test]
    fn merged_ranges_are_read_from_references() {
        assert_eq!(
            range_of("B2:B4"),
            Some(Merge {
                first_row: 1,
                first_col: 1,
                last_row: 3,
                last_col: 1
            })
        );
        assert_eq!(
            range_of("$AA$10:$AB$10").map(|m| (m.first_col, m.last_col)),
            Some((26, 27))
        );
        assert_eq!(range_of("B2"), None);
    }

    #[test]
    fn sniffs_what_is_not_a_spreadsheet() {
        assert!(sniff(b"").unwrap_err().0.contains("空"));
        assert!(sniff(b"hello, world").unwrap_err().0.contains("文本文件"));
        assert!(sniff(&[0, 1, 2, 3]).unwrap_err().0.contains("不是 Excel"));
        assert!(sniff(b"PK\x03\x04 truncated")
            .unwrap_err()
            .0
            .contains("损坏"));
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Ok(Format::Xls)
        );
    }

    #[test]
    fn grid_ignores_far_columns_and_caps_rows() {
        let mut g = Grid::default();
        g.put(0, 0, Cell::Text("a".into())).unwrap();
        g.put(0, MAX_COLUMNS + 5, Cell::Text("far".into())).unwrap();
        g.put(2, MAX_COLUMNS + 1, Cell::Text("farther".into()))
            .unwrap();
        assert_eq!(g.rows[0].len(), 1);
        assert_eq!(
            g.beyond,
            Some(Beyond {
                cells: 2,
                row: 0,
                last_row: 2,
                col: MAX_COLUMNS + 1
            }),
            "counted, not dropped without a word"
        );
        assert!(g.put(3_000_000, 0, Cell::Text("x".into())).is_err());
    }
}
