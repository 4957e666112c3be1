//! Writing an export to disk (issue 11 "every export"): the bytes go to a temporary file in the
//! target's folder, which is then renamed over the target — atomic on every OS — so a crash or
//! a full disk never leaves half a spreadsheet where a good one was. An export is readable like
//! any file the user saves (issue 20: it was 0600, the temporary file's mode): created with
//! 0666 less the user's umask. The database and its backups stay the user's alone
//! (`store::backup`).

use crate::error::{io_reason, Error, Result};
use std::io::Write;
use std::path::Path;

/// Whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// The user chose it in the save dialog, which asked before replacing (or `--force`).
    Replace,
    /// Refuse: `out` already exists.
    Keep,
}

/// Writes `bytes` to `out` atomically. `extension` (`xlsx`, `zip`, `txt`): the name must end so
/// (empty: any name, for a file saved as it came).
/// Errors: `Invalid` (field `out`) with a Chinese reason naming the path — a wrong extension, a
/// file already there (with `Existing::Keep`), a missing folder, no permission, a full disk.
pub fn write_atomic(out: &Path, bytes: &[u8], extension: &str, existing: Existing) -> Result<()> {
    let said = |why: String| Error::invalid("out", format!("无法写入 {}：{why}", out.display()));
    let right_kind = extension.is_empty()
        || out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(extension));
    if !right_kind {
        return Err(Error::invalid(
            "out",
            format!("{} 不是 .{extension} 文件名", out.display()),
        ));
    }
    if existing == Existing::Keep && out.exists() {
        return Err(Error::invalid(
            "out",
            format!("{} 已存在（加 --force 覆盖）", out.display()),
        ));
    }
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(said("文件夹不存在".into()));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".genjin-").suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(folder)
        .map_err(|e| said(io_reason(&e)))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| said(io_reason(&e)))?;
    match existing {
        Existing::Replace => tmp.persist(out).map(drop),
        Existing::Keep => tmp.persist_noclobber(out).map(drop),
    }
    .map_err(|e| said(io_reason(&e.error)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_refuses_or_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("登记表.xlsx");
        write_atomic(&out, b"one", "xlsx", Existing::Keep).unwrap();
        let e = write_atomic(&out, b"two", "xlsx", Existing::Keep).unwrap_err();
        assert!(e.to_string().contains("已存在"), "{e}");
        write_atomic(&out, b"three", "xlsx", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"three");
        let e = write_atomic(&dir.path().join("a.txt"), b"x", "xlsx", Existing::Keep).unwrap_err();
        assert!(e.to_string().contains("不是 .xlsx"), "{e}");
        let e = write_atomic(
            &dir.path().join("无此文件夹/a.xlsx"),
            b"x",
            "xlsx",
            Existing::Keep,
        )
        .unwrap_err();
        assert!(e.to_string().contains("文件夹不存在"), "{e}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["登记表.xlsx"], "no temporary file left");
        // readable like any file the user saves (the umask decides), not owner-only
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            let umask = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("Umask:"))
                        .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
                });
            if let Some(umask) = umask {
                assert_eq!(mode, 0o666 & !umask, "{mode:o} with umask {umask:o}");
            }
        }
    }
}
