//! `settings` and `backup`: the database as a whole.

use crate::error::{Error, Result};
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
    /// 考核与时间节点的规则从哪天起生效（默认今天；之前的月份仍按旧规则考核）
    #[arg(long)]
    from: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// 列表：source（需求来源）/ department（部门）/ bug_type（Bug 类型）/ severity（严重程度）/ channel（来源渠道）/ notice_channel（通知方式）
    name: String,
    /// 加入一个值（已隐藏的则重新显示）
    #[arg(long)]
    add: Option<String>,
    /// 隐藏一个值（不再供选择；已有记录不受影响）
    #[arg(long)]
    hide: Option<String>,
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// 备份文件路径（不给时备份到数据库旁的 backups 文件夹）
    dest: Option<PathBuf>,
    /// 列出 backups 文件夹中已有的备份（最新的在前）
    #[arg(long)]
    list: bool,
}

#[derive(Args, Debug)]
pub struct CopyDbArgs {
    /// 复制到哪里：postgres://用户:密码@服务器:端口/数据库名（须为空库），或一个新的 .sqlite3 文件
    #[arg(long)]
    to: String,
    /// 为外出人员制作一份离线用的数据库（只含本人报告的需求和 Bug，以及人员、列表、设置、日历）：给出其姓名
    #[arg(long = "for", value_name = "姓名")]
    for_person: Option<String>,
}

pub fn copy_db(db: &mut Db, actor: &Actor, a: CopyDbArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(person) = &a.for_person {
        let made = crate::api::sync::copy_for(db, actor, &a.to, person)?;
        writeln!(out, "{}", made.summary())?;
        return Ok(());
    }
    let report = crate::api::copy::copy_db(db, actor, &a.to)?;
    writeln!(out, "{}", report.summary())?;
    Ok(())
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// 用来恢复的备份文件
    file: PathBuf,
}

pub fn settings(db: &mut Db, actor: &Actor, a: SettingsArgs, out: &mut dyn Write) -> Result<()> {
    match (a.key, a.value) {
        (Some(k), Some(v)) => {
            let from = a
                .from
                .as_deref()
                .map(|d| super::export::day_arg("--from", d))
                .transpose()?;
            db.configure_from(actor, &k, &v, from)?;
            writeln!(out, "{k} = {}", v.trim())?;
            // who cannot sign in now is said at once (issue 19)
            if k == "security.sign_in" && v.trim() == "on" {
                let missing = db.without_password()?;
                if !missing.is_empty() {
                    eprintln!(
                        "注意：还没有设置密码的 {} 人现在无法登录，直到有人为其设置密码（genjin password 姓名）：{}",
                        missing.len(),
                        missing.join("、")
                    );
                }
            }
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

/// `list NAME [--add V] [--hide V]`: an editable list, changed then printed.
pub fn list(db: &mut Db, actor: &Actor, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(v) = &a.add {
        db.add_list_item(actor, &a.name, v)?;
    }
    if let Some(v) = &a.hide {
        db.hide_list_item(actor, &a.name, v)?;
    }
    for (value, shown) in db.list_all(&a.name)? {
        writeln!(out, "{value}{}", if shown { "" } else { "\t（已隐藏）" })?;
    }
    Ok(())
}

pub fn backup(db: &Db, actor: &Actor, a: BackupArgs, out: &mut dyn Write) -> Result<()> {
    if a.list {
        for b in db.backups()? {
            writeln!(
                out,
                "{}\t{}\t{:.1} MB\t{}",
                b.taken_at,
                b.kind_label,
                b.bytes as f64 / 1e6,
                b.path.display()
            )?;
        }
        return Ok(());
    }
    let dest = db
        .backup_as(actor, a.dest.as_deref())?
        .ok_or_else(|| Error::invalid("dest", "内存数据库没有备份文件夹，请给出备份文件路径"))?;
    writeln!(out, "已备份到 {}", dest.display())?;
    Ok(())
}

pub fn restore(db: &mut Db, actor: &Actor, a: RestoreArgs, out: &mut dyn Write) -> Result<()> {
    let safety = db.restore_from(actor, &a.file)?;
    writeln!(out, "已从 {} 恢复", a.file.display())?;
    if !safety.as_os_str().is_empty() {
        writeln!(out, "恢复前的数据库已备份到 {}", safety.display())?;
    }
    Ok(())
}
