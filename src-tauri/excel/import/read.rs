//! Opening a spreadsheet safely: sniff the format from its bytes, refuse hostile files up front
//! (not a spreadsheet, truncated, encrypted, zip bombs, absurd dimensions), and turn every sheet
//! into a small grid of plain cells.
//!
//! Memory bound: a file is read into memory only up to `MAX_FILE_BYTES`; an .xlsx is streamed
//! cell by cell into a grid of at most `MAX_COLUMNS` columns and `MAX_CELLS` cells, so a sheet
//! that claims a million rows by a million columns costs nothing. .xls and .ods are parsed by
//! calamine into its bounding-box range first: that is bounded by their format limits (xls: 65,536
//! rows × 256 columns) and by the file size limit.

use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;
use std::io::{Cursor, Read, Seek};

pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The sum of the uncompressed sizes a zip container may declare.
pub const MAX_UNZIPPED_BYTES: u64 = 768 * 1024 * 1024;
/// Larger entries may not expand more than this many times (XML compresses ≈ 10–30×).
pub const MAX_RATIO: u64 = 250;
/// Columns beyond this are ignored: no register has more.
pub const MAX_COLUMNS: usize = 64;
pub const MAX_CELLS: usize = 8_000_000;

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

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// Rows from the sheet's first row (row 0 is Excel's row 1); short rows are padded on read.
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// False for .xlsx sheets until `load_merges` is called: finding merged cells costs a second
    /// pass over the sheet, spent only when a header needs it.
    pub merges_loaded: bool,
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
    Err(refuse("不是 Excel（.xlsx/.xls）或 ODS 工作簿"))
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
struct Grid {
    rows: Vec<Vec<Cell>>,
    cells: usize,
}

impl Grid {
    fn put(&mut self, row: usize, col: usize, cell: Cell) -> Result<(), Refusal> {
        if col >= MAX_COLUMNS || cell.is_empty() {
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
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = cell;
        Ok(())
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

fn broken(e: impl std::fmt::Display) -> Refusal {
    refuse(format!("文件已损坏或不完整，无法读取（{e}）"))
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
        fn end_streamed(&mut self) {}
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
    /// The sheet's first `PREFIX_ROWS` rows: answer true to take the rest row by row.
    fn prefix(&mut self, sheet: &Sheet) -> bool;
    /// One further row (0-based `r`); false stops reading. A cell the row does not have is
    /// `Cell::Empty` or an empty `Cell::Text` (buffers are reused from row to row).
    fn row(&mut self, r: usize, cells: &[Cell]) -> bool;
    /// The streamed sheet has ended.
    fn end_streamed(&mut self);
    /// A sheet taken whole (short, or not a register that can stream).
    fn whole(&mut self, sheet: Sheet);
}

/// Rows a sheet's layout is recognised from before its rows can stream.
pub const PREFIX_ROWS: usize = 40;

/// Reads an .xlsx cell by cell, handing a register's rows on as they complete, so that the
/// rows can be understood and written while the rest of the file is still being read.
pub fn stream_xlsx(bytes: &[u8], sink: &mut dyn SheetSink) -> Result<(), Refusal> {
    let mut book = open_xlsx(bytes)?;
    for name in book.sheet_names() {
        let mut grid = Grid {
            rows: Vec::new(),
            cells: 0,
        };
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
                    merges: Vec::new(),
                    merges_loaded: false,
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
            if c < MAX_COLUMNS {
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
        }
        drop(reader);
        if streaming {
            if let Some(done) = current {
                sink.row(done, &row);
            }
            sink.end_streamed();
        } else {
            sink.whole(Sheet {
                name,
                rows: grid.rows,
                merges: Vec::new(),
                merges_loaded: false,
            });
        }
    }
    Ok(())
}

/// The merged cells of an .xlsx sheet (a second pass over its XML).
pub fn load_merges(bytes: &[u8], sheet: &mut Sheet) {
    if sheet.merges_loaded {
        return;
    }
    sheet.merges_loaded = true;
    if let Ok(mut book) = calamine::Xlsx::new(Cursor::new(bytes)) {
        sheet.merges = book
            .merge_cells_by_sheet_name(&sheet.name)
            .map(merges_of)
            .unwrap_or_default();
    }
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
        let mut grid = Grid {
            rows: Vec::new(),
            cells: 0,
        };
        for (r, c, d) in range.used_cells() {
            grid.put(r0 as usize + r, c0 as usize + c, cell_of_data(d))?;
        }
        let merges = merges(book, &name);
        out.push(Sheet {
            name,
            rows: grid.rows,
            merges,
            merges_loaded: true,
        });
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
    let mut book = calamine::Ods::new(Cursor::new(bytes.to_vec())).map_err(|e| match e {
        calamine::OdsError::Password => password(),
        e => broken(e),
    })?;
    read_ranges(&mut book, |_, _| Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_what_is_not_a_spreadsheet() {
        assert!(sniff(b"").unwrap_err().0.contains("空"));
        assert!(sniff(b"hello, world").unwrap_err().0.contains("不是 Excel"));
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
        let mut g = Grid {
            rows: Vec::new(),
            cells: 0,
        };
        g.put(0, 0, Cell::Text("a".into())).unwrap();
        g.put(0, MAX_COLUMNS + 5, Cell::Text("far".into())).unwrap();
        assert_eq!(g.rows[0].len(), 1);
        assert!(g.put(3_000_000, 0, Cell::Text("x".into())).is_err());
    }
}
