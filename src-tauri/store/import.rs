//! Writing imported legacy records: what each would do to the database (preview), and doing it
//! all in one transaction (commit) — or nothing, on an error or a cancel.

use super::change::{self, Edit};
use super::{Actor, Db};
use crate::domain::dates;
use crate::domain::fields;
use crate::domain::numbering::Scheme;
use crate::error::{Error, Result};
use crate::excel::import::{FileReport, Parsed, Record, Rejection};
use crate::store::sql::{params, Begin, Conn, OptionalExtension, ValueRef};
use serde::{Deserialize, Serialize};
// foldhash: every imported row costs several lookups by number; SipHash was ~5 % of an import.
use foldhash::{HashMap, HashMapExt};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What to do when a file and the database disagree on a value both have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictPolicy {
    /// Keep what the database has (the file only fills in empty values).
    #[default]
    KeepExisting,
    /// Take the file's value.
    TakeFile,
}

/// The policy for every conflict, with exceptions (a number and column) decided the other way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ConflictChoices {
    #[serde(default)]
    pub policy: ConflictPolicy,
    #[serde(default)]
    pub exceptions: Vec<ConflictKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ConflictKey {
    pub number: String,
    pub column: String,
}

impl ConflictChoices {
    /// Whether the file's value is taken for this number and column.
    pub fn takes(&self, number: &str, column: &str) -> bool {
        let flipped = self
            .exceptions
            .iter()
            .any(|k| k.number == number && k.column == column);
        (self.policy == ConflictPolicy::TakeFile) != flipped
    }
}

impl From<ConflictPolicy> for ConflictChoices {
    fn from(policy: ConflictPolicy) -> Self {
        ConflictChoices {
            policy,
            exceptions: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Conflict {
    pub number: String,
    /// The column code (what a choice names), and its label for people.
    pub column: String,
    /// Whether the file's value will be (or was) taken.
    pub take: bool,
    /// Why the file's value can never be taken, whatever is chosen (empty: it may be): a delay
    /// a file states for a requirement that lives in Genjin needs the decision group's
    /// signatures (issue 19).
    pub never: String,
    pub field: String,
    pub existing: String,
    pub incoming: String,
    pub file: String,
    pub sheet: String,
    pub row: usize,
}

/// The outcome of an import, previewed or committed.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
    pub conflicts: Vec<Conflict>,
    pub warnings: Vec<Rejection>,
    /// What recognised sheets held that is not imported, and why (issue 13).
    pub not_taken: Vec<crate::excel::import::NotTaken>,
    pub skipped: Vec<Rejection>,
    pub files: Vec<FileReport>,
    pub committed: bool,
    /// The bugs of Bug收集反馈表 ledgers: created, updated, unchanged.
    pub bugs: super::bugs::BugCounts,
}

/// Columns an import may write.
const IMPORTABLE: &[&str] = &[
    "kind",
    "reporter",
    "reporter_department",
    "report_date",
    "requester",
    "doctor_name",
    "hospital",
    "clinic_department",
    "app_account",
    "doctor_words",
    "overview",
    "brief",
    "new_intensity",
    "new_simplifies",
    "new_similar",
    "imp_phone_model",
    "imp_os_version",
    "imp_annoyance",
    "imp_steps",
    "decision",
    "grade",
    "conversion_summary",
    "expected_delivery",
    "actual_delivery",
    "remark",
];

/// The lifecycle's columns: on a requirement registered in Genjin only the steps recorded here
/// set them, never a file (issue 19).
const LIFECYCLE: &[&str] = &[
    "decision",
    "grade",
    "conversion_summary",
    "expected_delivery",
    "actual_delivery",
];

/// Importable columns that are NULL rather than empty text when a file does not give them
/// (what `ABSENT` encodes; a test keeps the two in step).
#[cfg(test)]
const NULLABLE: &[&str] = &[
    "report_date",
    "decision",
    "grade",
    "expected_delivery",
    "actual_delivery",
];

enum Outcome {
    Create,
    Update {
        id: i64,
        changes: Vec<(&'static str, Option<String>, Option<String>)>,
        delays: Vec<(chrono::NaiveDate, String)>,
    },
    Unchanged,
    /// The file's row is another requirement under a number already used: refused (issue 19).
    Clash(Rejection),
}

/// Whether two texts say the same for the identity check: equal once folded (full-width
/// forms half-width, no spaces), or one inside the other making at least a third of it (not a
/// stray character); a blank one tells nothing.
fn same_text(a: &str, b: &str) -> bool {
    let f = |t: &str| -> String {
        crate::domain::dates::normalize_width(t)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let (a, b) = (f(a), f(b));
    if a.is_empty() || b.is_empty() {
        return true; // nothing to tell them apart by
    }
    // one written inside the other (a summary shortened or completed), not a stray character
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let n = short.chars().count();
    long.contains(short.as_str()) && n >= 2 && n * 3 >= long.chars().count()
}

/// Whether a file's row is a different requirement than the one stored under its number
/// (issue 19): a different person (填表人 or 需求人) *and* a different text (需求梗概, else 概述)
/// — a typo or a later correction of one of them is the same requirement. `None` when it is.
fn clash(conn: &Conn, id: i64, rec: &Record) -> Result<Option<String>> {
    let (reporter, requester, brief, overview): (String, String, String, String) = conn
        .prepare_cached(
            "SELECT reporter, requester, brief, overview FROM requirements WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let theirs = |col: &str| rec.value(col).unwrap_or("").trim().to_string();
    let person = |stored: &str, col: &str| {
        let file = theirs(col);
        !stored.trim().is_empty()
            && stored.trim() != crate::domain::privacy::ERASED
            && !file.is_empty()
            && !same_text(stored, &file)
    };
    let other_person = person(&reporter, "reporter") || person(&requester, "requester");
    let (stored_text, file_text) = if !brief.trim().is_empty() && !theirs("brief").is_empty() {
        (brief.clone(), theirs("brief"))
    } else {
        (overview.clone(), theirs("overview"))
    };
    let other_text = !stored_text.trim().is_empty()
        && !file_text.is_empty()
        && !same_text(&stored_text, &file_text);
    if !(other_person && other_text) {
        return Ok(None);
    }
    let show = |reporter: &str, requester: &str, text: &str| {
        format!(
            "填表人 {}，需求人 {}，梗概“{}”",
            if reporter.trim().is_empty() {
                "—"
            } else {
                reporter.trim()
            },
            if requester.trim().is_empty() {
                "—"
            } else {
                requester.trim()
            },
            text.trim()
        )
    };
    Ok(Some(format!(
        "编号冲突：文件中的 {} 是另一条需求（{}），而跟进中已登记的 {} 是（{}）；未导入这一行。请核对编号，如确是新需求请另行登记",
        rec.number,
        show(&theirs("reporter"), &theirs("requester"), &file_text),
        rec.number,
        show(&reporter, &requester, &stored_text)
    )))
}

/// Compares one record with the database. Conflicts are values both have that differ.
/// `brought_here`: the record was created by this same import (its delays are the file's own
/// history); otherwise it lives in Genjin and a delay the file states is a conflict that is
/// never applied (issue 19: a file cannot approve a delay).
fn diff(
    conn: &Conn,
    rec: &Record,
    choices: &ConflictChoices,
    conflicts: &mut Vec<Conflict>,
    brought_here: bool,
) -> Result<Outcome> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM requirements WHERE number = ?1")?
        .query_row([&*rec.number], |r| r.get(0))
        .optional()?;
    let Some(id) = id else {
        return Ok(Outcome::Create);
    };
    if !brought_here {
        if let Some(why) = clash(conn, id, rec)? {
            return Ok(Outcome::Clash(Rejection {
                file: rec.origin.file.to_string(),
                sheet: Some(rec.origin.sheet.to_string()),
                row: Some(rec.origin.row),
                column: Some("需求编号".into()),
                reason: why,
            }));
        }
    }
    let mut changes = Vec::new();
    // registered in Genjin (not brought in by a file): its steps are Genjin's to record
    // … and personal data erased on request is not brought back by a file (issues 13, 19):
    // neither the personal fields nor the free text that held it
    let (living, erased): (bool, bool) = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM history WHERE entity = 'requirement'
                        AND entity_id = ?1 AND field = 'created'),
                    EXISTS (SELECT 1 FROM history WHERE entity = 'requirement'
                        AND entity_id = ?1 AND field = 'personal_data_erased')",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    for (col, new) in rec.values.iter() {
        debug_assert!(IMPORTABLE.contains(&col));
        if erased
            && (crate::domain::privacy::PERSONAL_FIELDS.contains(&col)
                || crate::domain::privacy::FREE_TEXT_FIELDS.contains(&col))
        {
            continue;
        }
        let old: Option<String> = conn
            .prepare_cached(&format!("SELECT {col} FROM requirements WHERE id = ?1"))?
            .query_row([id], |r| r.get(0))?;
        let old_empty = old.as_deref().is_none_or(str::is_empty)
            || (col == "kind" && old.as_deref() == Some("new"));
        if old.as_deref() == Some(new) {
            continue;
        }
        // a requirement registered in Genjin has its steps recorded here, by whom and when:
        // a file neither fills nor changes them (issue 19: no way around the rules)
        if living && LIFECYCLE.contains(&col) {
            conflicts.push(Conflict {
                number: rec.number.to_string(),
                column: col.to_string(),
                take: false,
                never: "这条需求是在跟进中登记的：决策和交付要由相应的人在跟进中记录（谁、何时），旧表不能代替".into(),
                field: fields::label("requirement", col).to_string(),
                existing: if old_empty {
                    "（空）".into()
                } else {
                    fields::display("requirement", col, old.as_deref().unwrap_or_default())
                },
                incoming: fields::display("requirement", col, new),
                file: rec.origin.file.to_string(),
                sheet: rec.origin.sheet.to_string(),
                row: rec.origin.row,
            });
            continue;
        }
        if !old_empty {
            let take = choices.takes(&rec.number, col);
            conflicts.push(Conflict {
                number: rec.number.to_string(),
                column: col.to_string(),
                take,
                never: String::new(),
                field: fields::label("requirement", col).to_string(),
                existing: fields::display("requirement", col, old.as_deref().unwrap_or_default()),
                incoming: fields::display("requirement", col, new),
                file: rec.origin.file.to_string(),
                sheet: rec.origin.sheet.to_string(),
                row: rec.origin.row,
            });
            if !take {
                continue;
            }
        }
        changes.push((col, old, Some(new.to_string())));
    }
    // Only 做 / 需求转换 carry a grade: decide by the decision the row ends up with, whether
    // the file's was taken or the stored one kept.
    let (stored_decision, stored_grade): (Option<String>, Option<String>) = conn.query_row(
        "SELECT decision, grade FROM requirements WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let final_decision = match changes.iter().find(|(c, _, _)| *c == "decision") {
        Some((_, _, new)) => new.clone(),
        None => stored_decision,
    };
    let works = final_decision
        .as_deref()
        .and_then(crate::domain::requirement::Decision::from_code)
        .is_some_and(|d| d.leads_to_work());
    if !works {
        changes.retain(|(c, _, new)| !(*c == "grade" && new.is_some()));
        if final_decision.is_some() && stored_grade.is_some() {
            changes.push(("grade", stored_grade, None));
        }
    }
    for (col, new) in &rec.defaults {
        if rec.value(col).is_some() || changes.iter().any(|(c, _, _)| c == col) {
            continue;
        }
        let old: Option<String> = conn
            .prepare_cached(&format!("SELECT {col} FROM requirements WHERE id = ?1"))?
            .query_row([id], |r| r.get(0))?;
        if old.as_deref().is_none_or(str::is_empty) {
            changes.push((*col, old, Some(new.clone())));
        }
    }
    let have = super::delays::approved_new_dates(conn, id)?;
    let mut delays: Vec<_> = rec
        .delays
        .iter()
        .filter(|(d, _)| !have.contains(&dates::iso(*d)))
        .cloned()
        .collect();
    if !brought_here {
        // a requirement living in Genjin is delayed by a signed application, never by a file
        let have = match have.last() {
            Some(d) => Some(d.clone()),
            None if delays.is_empty() => None,
            None => conn.query_row(
                "SELECT expected_delivery FROM requirements WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?,
        };
        for (day, reason) in delays.drain(..) {
            conflicts.push(Conflict {
                number: rec.number.to_string(),
                column: "delay".into(),
                take: false,
                never: "文件不能批准延期：这条需求已在跟进中，延期须提交延期申请（附表1）并由决策组签字".into(),
                field: "延期".into(),
                existing: have
                    .as_deref()
                    .map(|d| format!("交付日 {}", fields::display("requirement", "expected_delivery", d)))
                    .unwrap_or_else(|| "无批准的延期".into()),
                incoming: format!(
                    "延期到 {}{}",
                    fields::display("requirement", "expected_delivery", &dates::iso(day)),
                    if reason.trim().is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", reason.trim())
                    }
                ),
                file: rec.origin.file.to_string(),
                sheet: rec.origin.sheet.to_string(),
                row: rec.origin.row,
            });
        }
    }
    Ok(if changes.is_empty() && delays.is_empty() {
        Outcome::Unchanged
    } else {
        Outcome::Update {
            id,
            changes,
            delays,
        }
    })
}

/// The actor of an imported file's history rows: the operator, from `import:<file name>`.
pub(crate) fn file_actor(actor: &Actor, file: &str) -> Actor {
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| file.to_string());
    Actor::new(
        actor.person_id,
        actor.name.clone(),
        format!("import:{name}"),
        actor.now,
    )
}

impl Db {
    /// What committing would do, without writing anything.
    pub fn import_preview(
        &self,
        parsed: &Parsed,
        choices: impl Into<ConflictChoices>,
    ) -> Result<ImportReport> {
        let choices = choices.into();
        let mut report = empty_report(parsed);
        // a number met again in the same files adds to the record they bring in
        let mut brought: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut clashed: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for rec in &parsed.records {
            let here = brought.contains(&*rec.number);
            match diff(self.conn(), rec, &choices, &mut report.conflicts, here)? {
                Outcome::Create => {
                    report.created += 1;
                    brought.insert(&rec.number);
                }
                Outcome::Update { .. } => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
                Outcome::Clash(r) => {
                    if clashed.insert(&rec.number) {
                        report.rejected.push(r);
                    }
                }
            }
        }
        let numbers: std::collections::HashSet<&str> =
            parsed.records.iter().map(|r| &*r.number).collect();
        report.bugs = super::bugs::import_bugs(
            self.conn(),
            None,
            &parsed.bugs,
            &choices,
            &|n| numbers.contains(n),
            &mut super::bugs::Findings {
                conflicts: &mut report.conflicts,
                rejected: &mut report.rejected,
                warnings: &mut report.warnings,
            },
        )?;
        Ok(report)
    }

    /// Writes every record in one transaction. `progress(done, total)` is called as it goes;
    /// when `cancel` becomes true the transaction is rolled back and nothing is written.
    /// The backup an import starts with (issue 13): what was there before can always be had
    /// back. A backup that fails stops the import before it writes anything.
    fn backup_before_import(&self, actor: &Actor) -> Result<()> {
        self.backup_now(super::BackupKind::Import, actor.now)
            .map(|_| ())
            .map_err(|e| Error::invalid("backup", format!("导入前的备份没有成功，未导入：{e}")))
    }

    pub fn import_commit(
        &mut self,
        actor: &Actor,
        parsed: &Parsed,
        choices: impl Into<ConflictChoices>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        self.allow(actor, crate::domain::people::Action::Import)?;
        self.backup_before_import(actor)?;
        let total = parsed.records.len();
        let watch = Watch {
            expected: total,
            progress,
            cancel,
        };
        let chunks = parsed.records.chunks(CHUNK);
        let bugs = std::sync::Mutex::new(parsed.bugs.clone());
        let written = self.write_chunks(actor, choices.into(), chunks, &|| total, &bugs, watch)?;
        Ok(finished(empty_report(parsed), written))
    }

    /// Imports files and folders with reading and writing overlapped (see `import_sources`).
    pub fn import_paths(
        &mut self,
        actor: &Actor,
        paths: &[std::path::PathBuf],
        overrides: &[crate::excel::import::MappingOverride],
        choices: impl Into<ConflictChoices>,
    ) -> Result<ImportReport> {
        let (sources, skipped) = crate::excel::import::collect(paths);
        let never = AtomicBool::new(false);
        let watch = Watch {
            expected: 0,
            progress: &mut |_, _| {},
            cancel: &never,
        };
        self.import_sources(actor, &sources, skipped, overrides, choices, watch)
    }

    /// Imports sources with reading and writing overlapped: a second thread reads and
    /// understands the files while this one writes what is understood so far, all in one
    /// transaction. The outcome is that of `parse` then `import_commit`, in about the time of the
    /// slower half, reporting progress to `watch` and stopping when it is cancelled. Nothing is
    /// written when anything fails or the import is cancelled.
    pub fn import_sources(
        &mut self,
        actor: &Actor,
        sources: &[crate::excel::import::Source],
        skipped: Vec<Rejection>,
        overrides: &[crate::excel::import::MappingOverride],
        choices: impl Into<ConflictChoices>,
        watch: Watch<'_>,
    ) -> Result<ImportReport> {
        self.allow(actor, crate::domain::people::Action::Import)?;
        use crate::excel::import::{parse_with, Emitted};
        self.backup_before_import(actor)?;
        use std::sync::atomic::AtomicUsize;
        let choices = choices.into();
        // records understood so far: the progress bar's total grows with it
        let understood = AtomicUsize::new(0);
        // the ledgers' bugs, handed over before the last chunk so they join the transaction
        let bugs = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Arc<Record>>>(16);
            let understood = &understood;
            let bugs_slot = &bugs;
            let parser = scope.spawn(move || {
                let mut chunk: Vec<Arc<Record>> = Vec::with_capacity(CHUNK);
                let mut open = true;
                let mut sink = |e: Emitted| {
                    let (Emitted::New(rec) | Emitted::Fill(rec)) = e;
                    chunk.push(rec);
                    if chunk.len() >= CHUNK {
                        understood.fetch_add(chunk.len(), Ordering::Relaxed);
                        open = send
                            .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                            .is_ok();
                    }
                    open
                };
                let mut parsed = parse_with(sources, overrides, &mut sink);
                if let Ok(mut slot) = bugs_slot.lock() {
                    *slot = std::mem::take(&mut parsed.bugs);
                }
                if !chunk.is_empty() {
                    understood.fetch_add(chunk.len(), Ordering::Relaxed);
                    let _ = send.send(chunk);
                }
                drop(send); // the writer can commit now, while the records are freed here
                drop(std::mem::take(&mut parsed.records));
                parsed
            });
            let understood = || understood.load(Ordering::Relaxed);
            // the receiver is gone when this returns: a parser still sending stops
            let written = self.write_chunks(actor, choices, receive, &understood, &bugs, watch);
            let mut parsed = parser
                .join()
                .map_err(|_| Error::Conflict("读取文件时出错，数据库未做任何修改".into()))?;
            parsed.skipped.extend(skipped);
            Ok(finished(empty_report(&parsed), written?))
        })
    }

    /// Applies records chunk by chunk in one transaction, checking `watch.cancel` before each
    /// chunk and reporting progress after it (in all: the expected count, or `known()` records
    /// when more, never fewer than written).
    /// After the last chunk the ledgers' bugs in `bugs` (filled by then) are written in the
    /// same transaction.
    fn write_chunks<C: AsRef<[Arc<Record>]>>(
        &mut self,
        actor: &Actor,
        choices: ConflictChoices,
        chunks: impl IntoIterator<Item = C>,
        known: &dyn Fn() -> usize,
        bugs: &std::sync::Mutex<Vec<crate::excel::import::bugs::BugRecord>>,
        watch: Watch<'_>,
    ) -> Result<Written> {
        let Watch {
            expected,
            progress,
            cancel,
        } = watch;
        // on a server others' saves go on while the new rows are written; the write lock is
        // taken for the rest (issue 22: an import holds back no one beyond its own rows)
        let written = self
            .write_as(Begin::Import, |tx| {
                let mut w = Writer::new(tx, actor, choices)?;
                let mut done = 0;
                for chunk in chunks {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(cancelled());
                    }
                    for rec in chunk.as_ref() {
                        w.apply(tx, rec)?;
                    }
                    done += chunk.as_ref().len();
                    progress(done, known().max(expected).max(done));
                }
                if cancel.load(Ordering::Relaxed) {
                    return Err(cancelled());
                }
                w.lock_and_catch_up(tx)?;
                let bugs =
                    std::mem::take(&mut *bugs.lock().map_err(|_| {
                        Error::Conflict("读取文件时出错，数据库未做任何修改".into())
                    })?);
                let mut warnings = Vec::new();
                let choices = w.choices.clone();
                let (counts, mut conflicts, mut rejected) = w.finish(tx)?;
                let bug_counts = super::bugs::import_bugs(
                    tx,
                    Some(actor),
                    &bugs,
                    &choices,
                    &|_| false,
                    &mut super::bugs::Findings {
                        conflicts: &mut conflicts,
                        rejected: &mut rejected,
                        warnings: &mut warnings,
                    },
                )?;
                Ok(Written {
                    counts,
                    conflicts,
                    bugs: bug_counts,
                    warnings,
                    rejected,
                })
            })
            .map_err(number_taken_meanwhile)?;
        if written.counts.0 >= BULK {
            // a server plans with the new sizes at once (committed: a failure here loses
            // nothing, the server's own rounds catch up)
            let _ = self.conn().after_bulk_write();
        }
        Ok(written)
    }
}

/// Who watches a running import: `progress(records written, records in all)` is called as it
/// goes (in all: `expected`, as a preview counted them, or the records understood so far when
/// more); when `cancel` becomes true the import stops and its transaction is rolled back.
pub struct Watch<'a> {
    pub expected: usize,
    pub progress: &'a mut dyn FnMut(usize, usize),
    pub cancel: &'a AtomicBool,
}

/// Applies a record's changes to an existing requirement.
fn update(
    tx: &Conn,
    rec: &Record,
    who: &Actor,
    now: &str,
    id: i64,
    changes: &[(&'static str, Option<String>, Option<String>)],
    delays: &[(chrono::NaiveDate, String)],
) -> Result<()> {
    // Through the change engine, like every other edit: the changed columns in one statement
    // (so the schema's checks see the row as a whole), a history row per field, version + 1.
    let values = changes
        .iter()
        .map(|(col, _, new)| (*col, crate::store::sql::Value::from(new.clone())))
        .collect();
    let changed = change::apply(
        tx,
        &change::REQUIREMENT,
        who,
        Edit {
            id,
            name: &rec.number,
            seen_version: None,
            happened_at: now,
            values,
            events: &[],
        },
    )?;
    let promised: Option<String> = tx.query_row(
        "SELECT expected_delivery FROM requirements WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let filed = promised.clone().unwrap_or_else(|| dates::iso(rec.received));
    for d in delays {
        super::delays::insert_imported(tx, id, promised.as_deref(), &filed, d, now)?;
    }
    if changed.is_empty() && !delays.is_empty() {
        // only delays came: the requirement's version still moves, so an open window refreshes
        tx.prepare_cached(
            "UPDATE requirements SET version = version + 1, updated_at = ?1 WHERE id = ?2",
        )?
        .execute(params![now, id])?;
    }
    Ok(())
}

/// Records handed from the parser to the writer at a time (and between cancel checks).
const CHUNK: usize = 512;

fn cancelled() -> Error {
    Error::Cancelled("导入已取消，数据库未做任何修改".into())
}

/// What happened to each number in one import.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Created,
    Updated,
    Unchanged,
}

/// (created, updated, unchanged)
type Counts = (usize, usize, usize);

/// Where an importable column's value goes in the INSERT (after number, received, created,
/// updated): `IMPORTABLE`'s order, as a match (this runs for every imported value).
fn slot(col: &str) -> Option<usize> {
    Some(match col {
        "kind" => 0,
        "reporter" => 1,
        "reporter_department" => 2,
        "report_date" => 3,
        "requester" => 4,
        "doctor_name" => 5,
        "hospital" => 6,
        "clinic_department" => 7,
        "app_account" => 8,
        "doctor_words" => 9,
        "overview" => 10,
        "brief" => 11,
        "new_intensity" => 12,
        "new_simplifies" => 13,
        "new_similar" => 14,
        "imp_phone_model" => 15,
        "imp_os_version" => 16,
        "imp_annoyance" => 17,
        "imp_steps" => 18,
        "decision" => 19,
        "grade" => 20,
        "conversion_summary" => 21,
        "expected_delivery" => 22,
        "actual_delivery" => 23,
        "remark" => 24,
        _ => return None,
    })
}

/// What an importable column holds when a file does not give it (`IMPORTABLE`'s order).
const ABSENT: [Option<&str>; IMPORTABLE.len()] = {
    let mut a = [Some(""); IMPORTABLE.len()];
    a[0] = Some("new"); // kind
    a[3] = None; // report_date
    a[19] = None; // decision
    a[20] = None; // grade
    a[22] = None; // expected_delivery
    a[23] = None; // actual_delivery
    a
};

/// New requirements waiting to be written together ([`Writer::flush`]), with ids reserved
/// for them.
#[derive(Default)]
struct Pending {
    /// Ids reserved and not yet given to a record.
    ids: std::collections::VecDeque<i64>,
    created: Vec<(i64, Arc<Record>)>,
    numbers: std::collections::HashSet<Arc<str>>,
}

/// New requirements written at a time: one `COPY` each of requirements and history rows on a
/// server (a round trip a row was 80× the bare parse, issue 21), prepared inserts on a file.
const FLUSH: usize = 1_000;

/// A new requirement's importable values (`IMPORTABLE`'s order): the file's, else a default
/// the import set, else what a column holds when no file gives it.
fn importable(rec: &Record) -> [Option<&str>; IMPORTABLE.len()] {
    let mut vals: [Option<&str>; IMPORTABLE.len()] = [None; IMPORTABLE.len()];
    // values come after defaults: a value given wins over a default
    let defaults = rec.defaults.iter().map(|(c, v)| (*c, v.as_str()));
    for (col, v) in defaults.chain(rec.values.iter()) {
        if let Some(i) = slot(col) {
            vals[i] = Some(v);
        }
    }
    for (v, absent) in vals.iter_mut().zip(ABSENT) {
        if v.is_none() {
            *v = absent;
        }
    }
    vals
}

/// New requirements from one import above which the server is told to refresh its figures
/// ([`crate::store::sql::Conn::after_bulk_write`]).
const BULK: usize = 2_000;

/// The history columns of an import's note ([`note_row`]).
const NOTE_COLUMNS: [&str; 10] = [
    "entity",
    "entity_id",
    "field",
    "old_value",
    "new_value",
    "actor_id",
    "actor_name",
    "happened_at",
    "recorded_at",
    "origin",
];

/// Which file, sheet and row a record came from, as its history note says it.
fn origin_of(rec: &Record) -> String {
    let o = &rec.origin;
    format!("{} · {} · 第 {} 行", o.file, o.sheet, o.row)
}

/// The history row (as [`NOTE_COLUMNS`]) saying where imported requirement `id` came from.
fn note_row<'r>(id: i64, origin: &'r str, who: &'r Actor, now: &'r str) -> Vec<ValueRef<'r>> {
    vec![
        ValueRef::Text("requirement"),
        ValueRef::Integer(id),
        ValueRef::Text("imported"),
        ValueRef::Null,
        ValueRef::Text(origin),
        who.person_id.map_or(ValueRef::Null, ValueRef::Integer),
        ValueRef::Text(&who.name),
        ValueRef::Text(now),
        ValueRef::Text(now),
        ValueRef::Text(&who.origin),
    ]
}

/// Applies records inside one transaction: creates, fills in, or leaves alone; remembers what
/// happened to each number (a report form after its register row adds to the same record).
/// New requirements are gathered and written a batch at a time; a record that needs one of
/// them read back (a second row of the same number) writes the batch first.
struct Writer<'a> {
    actor: &'a Actor,
    choices: ConflictChoices,
    now: String,
    /// Every number in the database (before the import, or written by it), with what this
    /// import did to it (None: not touched).
    numbers: HashMap<Arc<str>, Option<Class>>,
    counters: HashMap<String, u32>,
    /// The history actor of each file ("import:<file name>"), the last one at hand.
    actors: HashMap<Arc<str>, Actor>,
    conflicts: Vec<Conflict>,
    /// Rows refused while writing: another requirement under a number already used.
    rejected: Vec<Rejection>,
    clashed: std::collections::HashSet<Arc<str>>,
    pending: Pending,
    /// The requirements' columns as the rows hold them.
    columns: Vec<&'static str>,
    /// Records of requirements there before the import, applied once the write lock is held,
    /// with their place among the records.
    later: Vec<(usize, Arc<Record>)>,
    /// Records applied or set aside so far.
    seen: usize,
    /// Records received from this day on are numbered in periods others may be numbering in
    /// now (a day, a month): the write lock is taken before the first of them.
    live_from: chrono::NaiveDate,
    /// The place of the record each conflict, each rejection came from.
    conflict_order: Vec<usize>,
    rejected_order: Vec<usize>,
    /// The write lock is held (on a file: from the start, but the order is the same).
    locked: bool,
}

impl<'a> Writer<'a> {
    fn new(tx: &Conn, actor: &'a Actor, choices: ConflictChoices) -> Result<Self> {
        // Which numbers exist already, in one query: new ones skip the per-row comparison.
        let numbers: HashMap<Arc<str>, Option<Class>> = {
            let mut st = tx.prepare("SELECT number FROM requirements")?;
            let numbers = st.query_map([], |r| Ok((r.get::<_, String>(0)?.into(), None)))?;
            numbers.collect::<Result<_, _>>()?
        };
        let mut columns = vec!["id", "number", "received_date", "created_at", "updated_at"];
        columns.extend(IMPORTABLE);
        Ok(Writer {
            actor,
            choices,
            now: actor.stamp(),
            numbers,
            counters: HashMap::new(),
            actors: HashMap::new(),
            conflicts: Vec::new(),
            rejected: Vec::new(),
            clashed: Default::default(),
            pending: Pending::default(),
            columns,
            later: Vec::new(),
            live_from: actor.today() - chrono::Duration::days(LIVE_DAYS),
            // (on a file the write lock is SQLite's, held from the start)
            locked: !tx.is_server(),
            seen: 0,
            conflict_order: Vec::new(),
            rejected_order: Vec::new(),
        })
    }

    fn apply(&mut self, tx: &Conn, rec: &Arc<Record>) -> Result<()> {
        let seq = self.seen;
        self.seen += 1;
        // a number of these weeks' periods is one others may be handing out right now: from
        // it on the import writes under the write lock, so the two never take the same number
        if !self.locked && rec.received >= self.live_from {
            self.lock_and_catch_up(tx)?;
        }
        // a record already in the database is compared and updated under the write lock, after
        // the new ones (others may be saving it meanwhile)
        if !self.locked
            && self
                .numbers
                .get(&*rec.number)
                .is_some_and(|class| *class != Some(Class::Created))
        {
            self.later.push((seq, rec.clone()));
            return Ok(());
        }
        self.apply_now(tx, rec)?;
        // what it found is reported in the file's order, whenever it was applied
        self.conflict_order.resize(self.conflicts.len(), seq);
        self.rejected_order.resize(self.rejected.len(), seq);
        Ok(())
    }

    fn apply_now(&mut self, tx: &Conn, rec: &Arc<Record>) -> Result<()> {
        if !self.actors.contains_key(&*rec.origin.file) {
            self.actors.insert(
                rec.origin.file.clone(),
                file_actor(self.actor, &rec.origin.file),
            );
        }
        let outcome = match self.numbers.get(&*rec.number) {
            Some(class) => {
                let here = *class == Some(Class::Created);
                if here && self.pending.numbers.contains(&*rec.number) {
                    // its row is read back: written first
                    self.flush(tx)?;
                }
                diff(tx, rec, &self.choices, &mut self.conflicts, here)?
            }
            None => Outcome::Create,
        };
        match outcome {
            Outcome::Clash(r) => {
                if self.clashed.insert(rec.number.clone()) {
                    self.rejected.push(r);
                }
            }
            Outcome::Unchanged => {
                // (only a number already in the map is compared, so it is there)
                if let Some(class) = self.numbers.get_mut(&*rec.number) {
                    class.get_or_insert(Class::Unchanged);
                }
            }
            Outcome::Create => {
                self.create(tx, rec)?;
                if let Some((period, seq)) = Scheme::Daily
                    .split("", &rec.number)
                    .or_else(|| Scheme::Monthly.split("", &rec.number))
                {
                    match self.counters.get_mut(period) {
                        Some(top) => *top = (*top).max(seq),
                        None => {
                            self.counters.insert(period.to_string(), seq);
                        }
                    }
                }
                self.numbers
                    .insert(rec.number.clone(), Some(Class::Created));
            }
            Outcome::Update {
                id,
                changes,
                delays,
            } => {
                self.note_imported(tx, id, rec)?;
                let who = &self.actors[&*rec.origin.file];
                update(tx, rec, who, &self.now, id, &changes, &delays)?;
                if let Some(class) = self.numbers.get_mut(&*rec.number) {
                    if *class != Some(Class::Created) {
                        *class = Some(Class::Updated);
                    }
                }
            }
        }
        Ok(())
    }

    /// Takes the write lock (the import lock alone was held so far, on a server) and applies
    /// the records of requirements that were there before the import, in the file's order.
    fn lock_and_catch_up(&mut self, tx: &Conn) -> Result<()> {
        tx.take_write_lock()?;
        self.locked = true;
        if tx.is_server() {
            // numbers others gave meanwhile are compared as any already there, never written
            // again
            let mut st = tx.prepare("SELECT number FROM requirements")?;
            let numbers = st.query_map([], |r| r.get::<_, String>(0))?;
            for n in numbers {
                self.numbers.entry(n?.into()).or_insert(None);
            }
        }
        for (seq, rec) in std::mem::take(&mut self.later) {
            self.apply_now(tx, &rec)?;
            self.conflict_order.resize(self.conflicts.len(), seq);
            self.rejected_order.resize(self.rejected.len(), seq);
        }
        Ok(())
    }

    /// Gathers a new requirement from a record, to be written with its batch.
    fn create(&mut self, tx: &Conn, rec: &Arc<Record>) -> Result<()> {
        if self.pending.ids.is_empty() {
            // (on a file the ids follow the largest written: the batch is written first)
            self.flush(tx)?;
            self.pending.ids = tx.reserve_ids("requirements", FLUSH)?.into();
        }
        let Some(id) = self.pending.ids.pop_front() else {
            return Err(Error::Conflict("数据库没有给出新需求的编号，未导入".into()));
        };
        self.pending.created.push((id, rec.clone()));
        self.pending.numbers.insert(rec.number.clone());
        Ok(())
    }

    /// Writes the gathered requirements with the history notes saying where each came from,
    /// their delays, and (on a server) their search index rows.
    fn flush(&mut self, tx: &Conn) -> Result<()> {
        let Writer {
            pending,
            actors,
            now,
            columns,
            ..
        } = self;
        if pending.created.is_empty() {
            return Ok(());
        }
        let created = &pending.created;
        let days: Vec<String> = created
            .iter()
            .map(|(_, r)| dates::iso(r.received))
            .collect();
        let values: Vec<[Option<&str>; IMPORTABLE.len()]> =
            created.iter().map(|(_, r)| importable(r)).collect();
        let rows: Vec<Vec<ValueRef<'_>>> = created
            .iter()
            .zip(&days)
            .zip(&values)
            .map(|(((id, rec), day), vals)| {
                let mut row = Vec::with_capacity(columns.len());
                row.extend([
                    ValueRef::Integer(*id),
                    ValueRef::Text(&rec.number),
                    ValueRef::Text(day),
                    ValueRef::Text(now),
                    ValueRef::Text(now),
                ]);
                row.extend(
                    vals.iter()
                        .map(|v| v.map_or(ValueRef::Null, ValueRef::Text)),
                );
                row
            })
            .collect();
        tx.append_rows("requirements", columns, &rows)?;
        let origins: Vec<String> = created.iter().map(|(_, r)| origin_of(r)).collect();
        let notes: Vec<Vec<ValueRef<'_>>> = created
            .iter()
            .zip(&origins)
            .map(|((id, rec), origin)| note_row(*id, origin, &actors[&*rec.origin.file], now))
            .collect();
        tx.append_rows("history", &NOTE_COLUMNS, &notes)?;
        for ((id, rec), day) in created.iter().zip(&days) {
            let promised = rec.value("expected_delivery");
            let filed = promised.unwrap_or(day);
            for d in &rec.delays {
                super::delays::insert_imported(tx, *id, promised, filed, d, now)?;
            }
        }
        if tx.is_server() {
            // a server's search index is written with the rows (a file's catches up after)
            let texts: Vec<(i64, Vec<String>)> = created
                .iter()
                .zip(&values)
                .map(|((id, rec), vals)| {
                    let texts = super::search::SEARCHED
                        .iter()
                        .map(|&c| match c {
                            "number" => rec.number.to_string(),
                            c => slot(c)
                                .and_then(|i| vals[i])
                                .unwrap_or_default()
                                .to_string(),
                        })
                        .collect();
                    (*id, texts)
                })
                .collect();
            super::search::index_imported(tx, &texts)?;
        }
        pending.created.clear();
        pending.numbers.clear();
        Ok(())
    }

    /// The history row saying which file, sheet and row a requirement was imported from.
    fn note_imported(&self, tx: &Conn, id: i64, rec: &Record) -> Result<()> {
        let origin = origin_of(rec);
        let who = &self.actors[&*rec.origin.file];
        tx.append_rows(
            "history",
            &NOTE_COLUMNS,
            &[note_row(id, &origin, who, &self.now)],
        )?;
        Ok(())
    }

    /// Raises the number counters past the imported numbers; returns the counts, conflicts
    /// and the rows refused while writing.
    fn finish(mut self, tx: &Conn) -> Result<(Counts, Vec<Conflict>, Vec<Rejection>)> {
        self.flush(tx)?;
        for (period, seq) in &self.counters {
            tx.prepare_cached(
                "INSERT INTO number_counters (series, period, last_seq) VALUES ('requirement', ?1, ?2)
                 ON CONFLICT (series, period) DO UPDATE SET last_seq = CASE WHEN excluded.last_seq > number_counters.last_seq
                 THEN excluded.last_seq ELSE number_counters.last_seq END",
            )?
            .execute(params![period, seq])?;
        }
        let count = |k: Class| self.numbers.values().filter(|c| **c == Some(k)).count();
        let counts = (
            count(Class::Created),
            count(Class::Updated),
            count(Class::Unchanged),
        );
        Ok((
            counts,
            in_order(self.conflicts, &self.conflict_order),
            in_order(self.rejected, &self.rejected_order),
        ))
    }
}

/// The one race an import on a server can lose (issue 22): a number of an old period in the
/// file given to a requirement registered by hand on another PC while the import ran. The
/// whole import is refused — said in words, not as the database's.
fn number_taken_meanwhile(e: Error) -> Error {
    match e {
        Error::Database(d)
            if d.kind == crate::store::sql::DbKind::Constraint
                && d.detail.contains("requirements_number_key") =>
        {
            Error::Conflict(
                "导入时另一台电脑刚好登记了文件中也有的需求编号，整个导入已撤销，数据库未做任何修改；请重新导入（那条需求会与文件中的一行比对）"
                    .into(),
            )
        }
        other => other,
    }
}

/// How far back an imported record's received day may lie in a period others are numbering
/// in now (this month and the last, for a monthly series).
const LIVE_DAYS: i64 = 62;

/// `items` in the order of their records' places (`at`, one per item), equal places kept.
fn in_order<T>(items: Vec<T>, at: &[usize]) -> Vec<T> {
    // (an item of no known place goes last, never lost)
    let places = at.iter().copied().chain(std::iter::repeat(usize::MAX));
    let mut placed: Vec<(usize, T)> = places.zip(items).collect();
    placed.sort_by_key(|(place, _)| *place);
    placed.into_iter().map(|(_, item)| item).collect()
}

/// What a committed import wrote.
struct Written {
    counts: Counts,
    conflicts: Vec<Conflict>,
    bugs: super::bugs::BugCounts,
    /// Said while writing (a 关联需求 not found), and bug rows refused there.
    warnings: Vec<Rejection>,
    rejected: Vec<Rejection>,
}

fn finished(mut report: ImportReport, w: Written) -> ImportReport {
    (report.created, report.updated, report.unchanged) = w.counts;
    report.conflicts = w.conflicts;
    report.bugs = w.bugs;
    report.warnings.extend(w.warnings);
    report.rejected.extend(w.rejected);
    report.committed = true;
    report
}

fn empty_report(parsed: &Parsed) -> ImportReport {
    ImportReport {
        created: 0,
        updated: 0,
        unchanged: 0,
        rejected: parsed.rejected.clone(),
        conflicts: Vec::new(),
        warnings: parsed.warnings.clone(),
        not_taken: parsed.not_taken.clone(),
        skipped: parsed.skipped.clone(),
        files: parsed.files.clone(),
        committed: false,
        bugs: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number taken on another PC during an import is said in words; other refusals stay.
    #[test]
    fn a_number_taken_meanwhile_is_said_in_words() {
        use crate::store::sql::{DbError, DbKind};
        let taken = Error::Database(DbError::new(
            DbKind::Constraint,
            "duplicate key value violates unique constraint \"requirements_number_key\"",
        ));
        let said = number_taken_meanwhile(taken);
        assert_eq!(said.kind(), "conflict");
        assert!(said.to_string().contains("另一台电脑刚好登记"), "{said}");
        let other = Error::Database(DbError::new(DbKind::Constraint, "people_name_key"));
        assert_eq!(number_taken_meanwhile(other).kind(), "database");
    }

    #[test]
    fn slots_and_absent_values_follow_the_importable_columns() {
        for (i, col) in IMPORTABLE.iter().enumerate() {
            assert_eq!(slot(col), Some(i), "{col}");
            let absent = if NULLABLE.contains(col) {
                None
            } else if *col == "kind" {
                Some("new")
            } else {
                Some("")
            };
            assert_eq!(ABSENT[i], absent, "{col}");
        }
        assert_eq!(slot("number"), None);
    }
}
