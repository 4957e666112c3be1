//! Moving a department's data between engines (issue 21): `genjin copy-db --to …`.

use crate::domain::people::Action;
use crate::error::{Error, Result};
use crate::store::{Actor, CopyReport, Db};
use std::path::Path;

/// Copies `db` whole into `to`: an empty shared database (`postgres://…`) or a new SQLite file.
/// A copy holds everyone's data and password hashes: the roles that may take a backup may
/// copy. Errors: `Invalid` for a target that exists and is not empty.
pub fn copy_db(db: &Db, actor: &Actor, to: &str) -> Result<CopyReport> {
    db.allow(actor, Action::Backup)?;
    let to = to.trim();
    if let Some(url) = crate::server_url(Path::new(to)) {
        let mut target = Db::open_url(url)?;
        return db.copy_into(&mut target, actor.today());
    }
    let path = Path::new(to);
    if path.exists() {
        return Err(Error::invalid(
            "to",
            format!(
                "目标文件“{}”已存在，没有复制（不会覆盖或并入已有文件）。请给一个新文件名",
                path.display()
            ),
        ));
    }
    db.copy_to_file(path)
}
