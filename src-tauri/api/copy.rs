//! Moving a department's data between engines (issue 21): `genjin copy-db --to …`.

use crate::domain::people::Action;
use crate::error::{Error, Result};
use crate::store::{Actor, CopyReport, Db};
use std::path::Path;

/// Copies `db` whole into `to`: an empty shared database (`postgres://…`) or a new SQLite file.
/// A copy holds everyone's data and password hashes: the roles that may take a backup may
/// copy. Errors: `Invalid` for a target that exists and is not empty.
pub fn copy_db(db: &Db, actor: &Actor, to: &str) -> Result<CopyReport> {
    copy_db_watched(db, actor, to, &mut |_| {})
}

/// [`copy_db`], telling `progress` how far a copy onto a server is (the window's move).
pub fn copy_db_watched(
    db: &Db,
    actor: &Actor,
    to: &str,
    progress: &mut dyn FnMut(crate::store::CopyProgress),
) -> Result<CopyReport> {
    db.allow(actor, Action::Backup)?;
    let to = to.trim();
    if let Some(url) = crate::server_url(Path::new(to)) {
        let mut target = Db::open_url(url)?;
        let mut report = db.copy_into_watched(&mut target, actor.today(), progress)?;
        // on a shared database everyone signs in (issue 22): say how to set the first password
        if target.first_password_missing()? {
            report.notes.push(
                "共享数据库上每人用自己的密码登录，复制过去的人员都还没有密码：请能管理人员名单的人（需求收集人或决策组）先为自己设置——在窗口中连接共享数据库时会提示，命令行为 genjin --db 共享数据库地址 password --as 姓名".into(),
            );
        }
        return Ok(report);
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
