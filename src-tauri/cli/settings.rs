//! `settings` and `backup`: the database as a whole.

use crate::error::Result;
use crate::store::{Actor, Db};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// 设置项，例如 numbering.requirement.scheme
    key: Option<String>,
    /// 新的值，例如 YYYYMM-NNN
    value: Option<String>,
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// 备份文件路径
    dest: PathBuf,
}

pub fn settings(db: &mut Db, actor: &Actor, a: SettingsArgs, out: &mut dyn Write) -> Result<()> {
    match (a.key, a.value) {
        (Some(k), Some(v)) => {
            db.configure(actor, &k, &v)?;
            writeln!(out, "{k} = {}", v.trim())?;
        }
        (key, _) => {
            for (k, v, help) in db.settings()? {
                if key.as_deref().is_none_or(|want| want == k) {
                    writeln!(out, "{k} = {v}\t# {help}")?;
                }
            }
        }
    }
    Ok(())
}

pub fn backup(db: &Db, a: BackupArgs, out: &mut dyn Write) -> Result<()> {
    db.backup_to(&a.dest)?;
    writeln!(out, "已备份到 {}", a.dest.display())?;
    Ok(())
}
