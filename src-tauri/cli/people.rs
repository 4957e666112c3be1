//! `people`, `add-person` and `edit-person`.

use super::{closed, to_json};
use crate::domain::people::Role;
use crate::error::{Error, Result};
use crate::store::{Actor, Db, PersonInput};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug)]
pub struct PeopleArgs {
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct AddPersonArgs {
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    department: String,
    /// 角色，逗号分隔：需求报告人,需求收集人,决策组,产品经理,IT,测试
    // one value holding the list: clap reads a fully qualified Vec as a single value
    #[arg(long, default_value = "", value_parser = roles)]
    roles: ::std::vec::Vec<Role>,
}

#[derive(Args, Debug)]
pub struct EditPersonArgs {
    /// 现在的姓名
    name: String,
    /// 部门（同名的人按部门区分；不给时取第一位同名的人）
    #[arg(long)]
    of: Option<String>,
    /// 新的姓名
    #[arg(long)]
    rename: Option<String>,
    /// 新的部门
    #[arg(long)]
    department: Option<String>,
    /// 新的角色（整体替换），逗号分隔：需求报告人,需求收集人,决策组,产品经理,IT,测试
    #[arg(long, value_parser = roles)]
    roles: Option<::std::vec::Vec<Role>>,
    /// 停用（true）或重新启用（false）
    #[arg(long)]
    inactive: Option<bool>,
}

/// `edit-person NAME [--of DEPT] [--rename] [--department] [--roles] [--inactive]`: what the
/// 人员 page edits; what is not given stays.
pub fn edit_person(
    db: &mut Db,
    actor: &Actor,
    a: EditPersonArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let name = a.name.trim();
    let p = db
        .people()?
        .into_iter()
        .find(|p| p.name == name && a.of.as_deref().is_none_or(|d| p.department == d.trim()))
        .ok_or_else(|| Error::NotFound(format!("人员名单中没有“{name}”")))?;
    let p = db.update_person(
        actor,
        p.id,
        &PersonInput {
            name: a.rename.unwrap_or(p.name),
            department: a.department.unwrap_or(p.department),
            roles: a.roles.unwrap_or(p.roles),
            active: Some(a.inactive.map(|i| !i).unwrap_or(p.active)),
            version: Some(p.version),
        },
    )?;
    let roles: Vec<&str> = p.roles.iter().map(|r| r.label()).collect();
    writeln!(
        out,
        "已修改人员：{}（{}）{}{}",
        p.name,
        p.department,
        roles.join("、"),
        if p.active { "" } else { "，已停用" }
    )?;
    Ok(())
}

#[derive(Args, Debug)]
pub struct PasswordArgs {
    /// 为谁设置（不给时为自己：--as 或操作人）
    name: Option<String>,
}

/// `password [NAME]`: sets a sign-in password, the new one from `GENJIN_NEW_PASSWORD` or asked
/// for twice on the terminal.
pub fn password(db: &mut Db, actor: &Actor, a: PasswordArgs, out: &mut dyn Write) -> Result<()> {
    let name = a.name.unwrap_or_else(|| actor.name.clone());
    let p = db
        .person_by_name(&name)?
        .ok_or_else(|| Error::NotFound(format!("人员名单中没有“{}”", name.trim())))?;
    let new = super::secret("GENJIN_NEW_PASSWORD", &format!("{} 的新密码：", p.name), true)
        .ok_or_else(|| {
            Error::invalid(
                "password",
                "读不到新密码（或两次输入不一样）；请用环境变量 GENJIN_NEW_PASSWORD 提供，或在终端中运行按提示输入",
            )
        })?;
    // changing one's own password: the current one from GENJIN_PASSWORD, or asked for
    let current = if actor.person_id == Some(p.id) && p.has_password {
        Some(
            super::secret("GENJIN_PASSWORD", "现在的密码：", false).ok_or_else(|| {
                Error::invalid(
                    "current",
                    "修改自己的密码需要现在的密码：请用环境变量 GENJIN_PASSWORD 提供",
                )
            })?,
        )
    } else {
        None
    };
    db.set_password(actor, p.id, &new, current.as_deref())?;
    writeln!(out, "已设置 {} 的登录密码", p.name)?;
    Ok(())
}

pub fn people(db: &Db, a: PeopleArgs, out: &mut dyn Write) -> Result<()> {
    let people = db.people()?;
    if a.json {
        writeln!(out, "{}", to_json(&people)?)?;
    } else {
        for p in people {
            let roles: Vec<&str> = p.roles.iter().map(|r| r.label()).collect();
            writeln!(out, "{}\t{}\t{}", p.name, p.department, roles.join("、"))?;
        }
    }
    Ok(())
}

pub fn add_person(db: &mut Db, actor: &Actor, a: AddPersonArgs, out: &mut dyn Write) -> Result<()> {
    // the first person of a shared database sets their password as they are added (issue 22):
    // from GENJIN_NEW_PASSWORD, or asked for twice on a terminal
    let first_on_server = db.adds_first_on_server()?;
    let password = if first_on_server {
        super::secret(
            "GENJIN_NEW_PASSWORD",
            &format!(
                "{} 的登录密码（共享数据库上每人用密码登录）：",
                a.name.trim()
            ),
            true,
        )
    } else {
        None
    };
    let p = db.add_person_with_password(
        actor,
        &PersonInput {
            name: a.name,
            department: a.department,
            roles: a.roles,
            active: None,
            version: None,
        },
        password.as_deref(),
    )?;
    writeln!(out, "已添加人员：{}（{}）", p.name, p.department)?;
    if first_on_server && password.is_none() {
        eprintln!(
            "警告：这是部门的共享数据库，但{}还没有登录密码：在有人设置密码之前，谁都能以别人的名义操作。请运行 genjin password --as {} 设置（新密码取自环境变量 GENJIN_NEW_PASSWORD）",
            p.name, p.name
        );
    }
    Ok(())
}

/// `--roles`: roles (label or code) separated by `,`, `，` or `、`.
fn roles(v: &str) -> Result<Vec<Role>> {
    let role = closed(Role::parse, "roles", "角色");
    v.split([',', '，', '、'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(role)
        .collect()
}
