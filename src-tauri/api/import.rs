//! The import, once for both shells: the window's wizard (load → preview → remap → commit with
//! progress and cancel, across calls) and `genjin import` (preview or commit, in one call).

use crate::error::{Error, Result};
use crate::excel::import::{
    collect, parse, parse_paths, MappingOverride, Parsed, Rejection, Source,
};
use crate::store::{Actor, ConflictChoices, ConflictPolicy, Db, ImportReport, Watch};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Files read for an import, and how to read them. Cheap to clone (the bytes are shared), so a
/// preview or a commit takes a copy and parses without holding the session.
#[derive(Clone, Default)]
pub struct Loaded {
    pub sources: Arc<[Source]>,
    /// Files passed over while collecting (lock files, other documents), with the reason.
    pub skipped: Vec<Rejection>,
    /// The column mapping as corrected in the wizard.
    pub overrides: Vec<MappingOverride>,
}

impl Loaded {
    /// Parses the files: records, rejections and warnings. Touches no database.
    pub fn parse(&self) -> Parsed {
        let mut parsed = parse(&self.sources, &self.overrides);
        parsed.skipped.extend(self.skipped.iter().cloned());
        parsed
    }
}

/// The import the wizard works on between calls, so a corrected mapping can be previewed again.
#[derive(Default)]
pub struct ImportSession {
    pub loaded: Loaded,
    /// Records the last preview counted: the commit's progress bar runs up to it.
    pub expected: usize,
    /// Files picked in the window and sent (as raw bytes, one by one) for the next load.
    pub uploads: Vec<Source>,
}

/// A lock that a panicking holder did not poison for good: the data stays usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Keeps a file picked in the window for the next `load`.
pub fn upload(session: &Mutex<ImportSession>, source: Source) {
    lock(session).uploads.push(source);
}

/// Reads files and folders (`paths`, blank ones ignored) and the files uploaded since the last
/// load, makes them the session's import and previews it (keeping what the database has).
/// Errors: `Invalid{paths}` when there is nothing to read.
pub fn load(
    db: &Mutex<Db>,
    session: &Mutex<ImportSession>,
    paths: &[String],
) -> Result<ImportReport> {
    let uploads = std::mem::take(&mut lock(session).uploads);
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() && uploads.is_empty() {
        return Err(Error::invalid(
            "paths",
            "请选择要导入的文件，或输入文件/文件夹路径",
        ));
    }
    let (mut sources, skipped) = collect(&paths);
    sources.extend(uploads);
    *lock(session) = ImportSession {
        loaded: Loaded {
            sources: sources.into(),
            skipped,
            overrides: Vec::new(),
        },
        ..ImportSession::default()
    };
    preview(db, session, ConflictPolicy::KeepExisting.into())
}

/// Previews again with a corrected column mapping and the conflict choices made so far.
pub fn remap(
    db: &Mutex<Db>,
    session: &Mutex<ImportSession>,
    overrides: Vec<MappingOverride>,
    choices: ConflictChoices,
) -> Result<ImportReport> {
    lock(session).loaded.overrides = overrides;
    preview(db, session, choices)
}

/// What committing the session's import would do, writing nothing. The files are parsed with
/// neither the session nor the database locked; the database is locked only to compare.
pub fn preview(
    db: &Mutex<Db>,
    session: &Mutex<ImportSession>,
    choices: ConflictChoices,
) -> Result<ImportReport> {
    let loaded = lock(session).loaded.clone();
    let parsed = loaded.parse();
    let report = lock(db).import_preview(&parsed, choices)?;
    lock(session).expected = report.created + report.updated + report.unchanged;
    Ok(report)
}

/// Commits the session's import in one transaction, all or nothing, reading the files again
/// while the records are written (as `run` does). `actor` says who, from the database;
/// `progress(done, total)` runs up to the last preview's count; setting `cancel` rolls it back.
/// The session is emptied once committed. Errors: `Conflict` when nothing is loaded.
pub fn commit(
    db: &Mutex<Db>,
    session: &Mutex<ImportSession>,
    cancel: &AtomicBool,
    choices: ConflictChoices,
    actor: impl FnOnce(&Db) -> Result<Actor>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let (loaded, expected) = {
        let s = lock(session);
        (s.loaded.clone(), s.expected)
    };
    if loaded.sources.is_empty() {
        return Err(Error::Conflict("没有可导入的内容，请先选择文件".into()));
    }
    cancel.store(false, Ordering::Relaxed);
    let report = {
        let mut db = lock(db);
        let actor = actor(&db)?;
        let watch = Watch {
            expected,
            progress,
            cancel,
        };
        db.import_sources(
            &actor,
            &loaded.sources,
            loaded.skipped,
            &loaded.overrides,
            choices,
            watch,
        )?
    };
    *lock(session) = ImportSession::default();
    Ok(report)
}

/// `genjin import`: previews (`dry_run`) or commits files and folders — reading and writing
/// overlapped, one transaction, all or nothing. Also says whether a file was refused as a whole.
pub fn run(
    db: &mut Db,
    actor: &Actor,
    paths: &[PathBuf],
    dry_run: bool,
    policy: ConflictPolicy,
) -> Result<(ImportReport, bool)> {
    if dry_run {
        let parsed = parse_paths(paths, &[]);
        let report = db.import_preview(&parsed, policy)?;
        return Ok((report, parsed.any_file_refused()));
    }
    let report = db.import_paths(actor, paths, &[], policy)?;
    // committed; now the new rows go into the search index, so a script's next search is fast.
    // Failing that changes nothing imported (searches scan the rows not indexed yet; the next
    // catch-up indexes them), so it is said, not treated as the import failing.
    if let Err(e) = db.index_search() {
        eprintln!("提示：搜索索引暂未更新（导入的数据不受影响，下次会补上）：{e}");
    }
    let refused = report.files.iter().any(|f| f.refused.is_some());
    Ok((report, refused))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixtures() -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/legacy")
            .to_string_lossy()
            .into_owned()
    }

    fn actor() -> Actor {
        Actor::new(None, "李小四", "test", crate::clock::now())
    }

    #[test]
    fn the_wizard_loads_previews_remaps_and_commits_once() {
        let db = Mutex::new(Db::open_in_memory().unwrap());
        let session = Mutex::new(ImportSession::default());
        let err = load(&db, &session, &["  ".into()]).unwrap_err();
        assert_eq!(err.field(), Some("paths"));

        let report = load(&db, &session, &[fixtures()]).unwrap();
        assert_eq!(report.created, 102);
        assert_eq!(lock(&session).expected, 102);
        let again = remap(&db, &session, Vec::new(), ConflictPolicy::TakeFile.into()).unwrap();
        assert_eq!(again.created, 102);

        let cancel = AtomicBool::new(false);
        let mut calls = 0;
        let done = commit(
            &db,
            &session,
            &cancel,
            ConflictPolicy::KeepExisting.into(),
            |_| Ok(actor()),
            &mut |_, total| {
                calls += 1;
                assert!(total >= 102);
            },
        )
        .unwrap();
        assert_eq!(done.created, 102);
        assert!(calls > 0);
        assert!(
            lock(&session).loaded.sources.is_empty(),
            "emptied once committed"
        );
        let none = commit(
            &db,
            &session,
            &cancel,
            ConflictPolicy::KeepExisting.into(),
            |_| Ok(actor()),
            &mut |_, _| {},
        )
        .unwrap_err();
        assert_eq!(none.kind(), "conflict");
    }

    #[test]
    fn the_command_line_previews_then_commits() {
        let mut db = Db::open_in_memory().unwrap();
        let paths = [PathBuf::from(fixtures())];
        let policy = ConflictPolicy::KeepExisting;
        let (preview, refused) = run(&mut db, &actor(), &paths, true, policy).unwrap();
        assert_eq!((preview.created, refused), (102, false));
        let (done, _) = run(&mut db, &actor(), &paths, false, policy).unwrap();
        assert_eq!(done.created, 102);
        // the import left its rows to the search index's catch-up, which ran before returning
        assert_eq!(db.search_backlog().unwrap(), 0);
        let (again, _) = run(&mut db, &actor(), &paths, true, policy).unwrap();
        assert_eq!((again.created, again.unchanged), (0, 102));
    }
}
