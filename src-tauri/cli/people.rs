//! `people` and `add-person`.

use super::{closed, to_json};
use crate::domain::people::Role;
use crate::error::Result;
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
    let p = db.add_person(
        actor,
        &PersonInput {
            name: a.name,
            department: a.department,
            roles: a.roles,
            active: None,
            version: None,
        },
    )?;
    writeln!(out, "已添加人员：{}（{}）", p.name, p.department)?;
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
