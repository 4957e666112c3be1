//! People: who reports, collects, decides, plans, builds and tests; and who is operating the app.

use super::change::{self, Edit};
use super::{settings, Actor, Db};
use crate::domain::people::{
    check_name, may_assign, roles_from_codes, roles_to_codes, Action, Role,
};
use crate::error::{Error, Result};
use crate::store::sql::{params, Conn, OptionalExtension, Row, Value};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub roles: Vec<Role>,
    pub active: bool,
    /// Bumped by every edit (the change engine); an edit names the version it saw.
    pub version: i64,
    /// Whether a sign-in password is set (the hash itself never leaves the store).
    pub has_password: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub name: String,
    pub department: String,
    pub roles: Vec<Role>,
    pub active: Option<bool>,
    /// With an edit: the version the user saw (a stale one is refused).
    pub version: Option<i64>,
}

pub(crate) const OPERATOR_KEY: &str = "operator.person_id";
const COLUMNS: &str = "id, name, department, roles, active, version, password_hash <> ''";

fn from_row(r: &Row) -> crate::store::sql::Result<Person> {
    let roles: String = r.get(3)?;
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        department: r.get(2)?,
        roles: roles_from_codes(&roles),
        active: r.get::<_, i64>(4)? == 1,
        version: r.get(5)?,
        has_password: r.get::<_, i64>(6)? == 1,
    })
}

fn clean(input: &PersonInput) -> Result<(String, String, String)> {
    check_name(&input.name).map_err(|m| Error::invalid("name", m))?;
    Ok((
        input.name.trim().to_string(),
        input.department.trim().to_string(),
        roles_to_codes(&input.roles),
    ))
}

/// Why a first person must be able to manage people, and what to do (issue 19).
pub(crate) fn first_person_needs() -> String {
    "第一位人员要能管理人员名单，之后才能添加其他人：请同时勾选“需求收集人”或“决策组”（命令行：--roles 中加上 需求收集人 或 决策组）。跟进不会替你悄悄加角色".into()
}

fn duplicate(name: &str, dept: &str) -> Error {
    Error::Conflict(format!("人员“{name}”（{dept}）已存在"))
}

/// Refuses `action` unless `actor` may take it (issue 13): with no people listed yet anyone may
/// (a fresh database's set-up); after that the actor must be a listed, active person holding one
/// of the action's roles (`Action::roles`). Errors: `Forbidden`, naming who, what and which
/// roles may.
pub(crate) fn allow(conn: &Conn, actor: &Actor, action: Action) -> Result<()> {
    // a laptop's copy is replaced at every sync: what it may record is what it sends (issue 24)
    if !matches!(action, Action::Notify | Action::Backup) && super::sync::is_laptop(conn)? {
        return Err(Error::Forbidden(format!(
            "这是外出用的复制库，不能在这里{}（下次同步时会被共享数据库的内容替换）：外出时可以填写需求报告、报告 Bug、记录通知，其他操作请在共享数据库上做",
            action.label()
        )));
    }
    allow_roles(conn, actor, action)
}

/// [`allow`] without the laptop's limits: the roles alone (a laptop's own reports, which wait
/// to be sent, are checked so).
pub(crate) fn allow_roles(conn: &Conn, actor: &Actor, action: Action) -> Result<()> {
    let Some((name, roles)) = acting(conn, actor, action.label())? else {
        return Ok(());
    };
    // a database where no active person may manage people (made before roles were enforced,
    // or everyone with the role deactivated) would stay locked for good: then any listed,
    // active person may put the people list right
    if action == Action::People && !action.allowed(&roles) {
        let managers: i64 = conn.query_row(
            "SELECT count(*) FROM people WHERE active = 1
               AND (',' || roles || ',' LIKE '%,collector,%'
                    OR ',' || roles || ',' LIKE '%,decision_group,%')",
            [],
            |r| r.get(0),
        )?;
        if managers == 0 {
            return Ok(());
        }
    }
    if !action.allowed(&roles) {
        let may: Vec<&str> = action.roles().iter().map(|r| r.label()).collect();
        return Err(Error::Forbidden(format!(
            "{name} 没有可以{}的角色（需要：{}）",
            action.label(),
            may.join(" 或 ")
        )));
    }
    Ok(())
}

/// The acting person's name and roles: `None` while no people are listed (anyone may set up);
/// `Forbidden` for an actor who is not a listed, active person (`what`: what they tried, as
/// people say it).
pub(crate) fn acting(
    conn: &Conn,
    actor: &Actor,
    what: &str,
) -> Result<Option<(String, Vec<Role>)>> {
    let listed: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
    if listed == 0 {
        return Ok(None);
    }
    let who = match actor.person_id {
        Some(id) => conn
            .query_row(
                "SELECT name, roles, active FROM people WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)? == 1,
                    ))
                },
            )
            .optional()?,
        None => None,
    };
    let Some((name, roles, active)) = who else {
        return Err(Error::Forbidden(format!(
            "“{}”不在人员名单中，不能{what}。请先在“人员”中登记此人（命令行用 --as 指定已登记的人）",
            actor.name
        )));
    };
    if !active {
        return Err(Error::Forbidden(format!("{name} 已停用，不能{what}")));
    }
    Ok(Some((name, roles_from_codes(&roles))))
}

impl Db {
    /// The roles `actor` acts with: `None` while no people are listed (anyone may set up, as
    /// [`allow`] lets them); an actor who is no listed, active person holds none.
    pub fn acting_roles(&self, actor: &Actor) -> Result<Option<Vec<Role>>> {
        let listed: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
        if listed == 0 {
            return Ok(None);
        }
        Ok(Some(match actor.person_id {
            Some(id) => self
                .person(id)
                .ok()
                .filter(|p| p.active)
                .map(|p| p.roles)
                .unwrap_or_default(),
            None => Vec::new(),
        }))
    }

    /// Whether an active person holds `role` (the decision group's own steps are theirs once
    /// it has members: a restore, turning sign-in off).
    pub(crate) fn role_has_holders(&self, role: Role) -> Result<bool> {
        Ok(self
            .people()?
            .iter()
            .any(|p| p.active && p.roles.contains(&role)))
    }

    /// See [`allow`]: whether `actor` may take `action` now.
    pub fn allow(&self, actor: &Actor, action: Action) -> Result<()> {
        allow(self.conn(), actor, action)
    }

    /// The people as they stood at `at` (local time): the roles and active flags their history
    /// gives back — so a closed month is charged to whoever held a role then, however roles
    /// were changed or people deactivated since (issue 19). Someone added later counts as having
    /// held their roles all along: people are often listed after the fact (a replayed month).
    pub fn people_as_of(&self, at: chrono::NaiveDateTime) -> Result<Vec<Person>> {
        let mut people = self.people()?;
        let mut st = self.conn().prepare_cached(
            "SELECT entity_id, field, old_value, recorded_at FROM history
             WHERE entity = 'person' AND field IN ('roles', 'active')
             ORDER BY id DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (id, field, old, recorded) = row?;
            let later = crate::domain::dates::local_of_moment(&recorded).is_some_and(|t| t > at);
            if !later {
                break; // newest first: everything from here on was so at `at`
            }
            match field.as_str() {
                "roles" => {
                    if let Some(p) = people.iter_mut().find(|p| p.id == id) {
                        p.roles = roles_from_codes(old.as_deref().unwrap_or_default());
                    }
                }
                _ => {
                    if let Some(p) = people.iter_mut().find(|p| p.id == id) {
                        p.active = old.as_deref() == Some("1");
                    }
                }
            }
        }
        Ok(people)
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM people ORDER BY active DESC, name COLLATE PINYIN, department"
        ))?;
        let rows = st.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM people WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("找不到人员（编号 {id}）")))
    }

    /// The first person with this name (active ones first), if any.
    pub fn person_by_name(&self, name: &str) -> Result<Option<Person>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM people WHERE name = ?1 ORDER BY active DESC, id LIMIT 1"
                ),
                [name.trim()],
                from_row,
            )
            .optional()?)
    }

    /// Adds a person with the roles chosen (issue 19: never more). The first person of a fresh
    /// database must be able to manage people (else nobody could add anyone after them: refused,
    /// saying which role to add) and, when no one operates the app yet, becomes its operator.
    /// After that only the roles of `Action::People` may add, and only roles they may give
    /// (`may_assign`).
    pub fn add_person(&mut self, actor: &Actor, input: &PersonInput) -> Result<Person> {
        self.add_person_with_password(actor, input, None)
    }

    /// `add_person`, with the person's sign-in password set in the same transaction (issue 22:
    /// the first person of a shared database sets theirs as they are added). Errors as
    /// `add_person`, and `Invalid` for a short password.
    pub fn add_person_with_password(
        &mut self,
        actor: &Actor,
        input: &PersonInput,
        password: Option<&str>,
    ) -> Result<Person> {
        let (name, dept, roles) = clean(input)?;
        let hash = password.map(super::signin::hash_password).transpose()?;
        self.allow(actor, Action::People)?;
        let first = self.people()?.is_empty();
        if first && !Action::People.allowed(&input.roles) {
            return Err(Error::invalid("roles", first_person_needs()));
        }
        if !first {
            self.check_assign(actor, &[], &input.roles)?;
        }
        let now = actor.stamp();
        let id = self.write(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM people WHERE name = ?1 AND department = ?2)",
                params![name, dept],
                |r| r.get(0),
            )?;
            if exists {
                return Err(duplicate(&name, &dept));
            }
            tx.execute(
                "INSERT INTO people (name, department, roles, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, dept, roles, now],
            )?;
            let id = tx.inserted_id()?;
            change::event(tx, &change::PERSON, actor, id, &now, ("created", None, Some(&name)))?;
            if let Some(hash) = &hash {
                tx.execute(
                    "UPDATE people SET password_hash = ?1 WHERE id = ?2",
                    params![hash, id],
                )?;
                let event = ("password", None, Some("已设置"));
                change::event(tx, &change::PERSON, actor, id, &now, event)?;
            }
            if first && settings::get(tx, OPERATOR_KEY)?.is_none() {
                settings::set(tx, OPERATOR_KEY, &id.to_string())?;
            }
            Ok(id)
        })?;
        self.person(id)
    }

    /// Refuses giving `after` to someone who holds `before` unless the actor may give or take
    /// away every role that changes, and may touch every role the person holds
    /// (`may_assign`; issue 19). With no people listed (setting up) anything goes.
    fn check_assign(&self, actor: &Actor, before: &[Role], after: &[Role]) -> Result<()> {
        let touched: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| before.contains(r) || after.contains(r))
            .collect();
        match self.beyond(actor, &touched)? {
            None => Ok(()),
            Some(r) => Err(Error::Forbidden(format!(
                "{} 不能指定、去掉或改动担任“{}”的人：只有决策组，或自己就有这个角色全部权限的人才可以（权限不能由下往上给）",
                actor.name,
                r.label()
            ))),
        }
    }

    /// The first of `roles` the actor may not give (`may_assign`), if any. While sign-in is off
    /// (setting up), a role nobody active holds yet may be given by whoever manages people; in a
    /// database where nobody may manage people (see [`allow`]) by anyone listed. With sign-in
    /// on, never: who gives a role may set the password of the one they give it to, so that
    /// would be a way round the rule (issue 19).
    pub(crate) fn beyond(&self, actor: &Actor, roles: &[Role]) -> Result<Option<Role>> {
        let Some(mine) = self.acting_roles(actor)? else {
            return Ok(None);
        };
        let people = self.people()?;
        let signed = self.sign_in_required()?;
        let held = |r: Role| signed || people.iter().any(|p| p.active && p.roles.contains(&r));
        let unmanaged = !people
            .iter()
            .any(|p| p.active && Action::People.allowed(&p.roles));
        Ok(roles.iter().copied().find(|r| {
            let givable = may_assign(&mine, *r, held(*r)) || (unmanaged && !held(*r));
            !givable
        }))
    }

    /// Edits a person (the roles of `Action::People`). Refused when it would leave no active
    /// person who may manage the people list (no one could ever change roles again).
    pub fn update_person(&mut self, actor: &Actor, id: i64, input: &PersonInput) -> Result<Person> {
        let (name, dept, roles) = clean(input)?;
        self.allow(actor, Action::People)?;
        let before = self.person(id)?;
        let active = input.active.unwrap_or(before.active);
        let new_roles = roles_from_codes(&roles);
        if actor.person_id == Some(id) {
            if new_roles != before.roles || active != before.active {
                return Err(Error::Forbidden(
                    "不能修改自己的角色，也不能停用自己；请让能管理人员名单的另一人来改".into(),
                ));
            }
        } else {
            // someone holding a role the actor may not give is not theirs to edit
            self.check_assign(actor, &before.roles, &new_roles)?;
        }
        let keeps = active && Action::People.allowed(&roles_from_codes(&roles));
        let others = self
            .people()?
            .iter()
            .any(|p| p.id != id && p.active && Action::People.allowed(&p.roles));
        if !keeps && !others {
            return Err(Error::Forbidden(format!(
                "{} 是最后一位能管理人员名单的人（需求收集人或决策组），不能停用或去掉这个角色；请先让另一人担任",
                before.name
            )));
        }
        let now = actor.stamp();
        self.write(|tx| {
            let clash: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM people WHERE name = ?1 AND department = ?2 AND id <> ?3)",
                params![name, dept, id],
                |r| r.get(0),
            )?;
            if clash {
                return Err(duplicate(&name, &dept));
            }
            change::apply(
                tx,
                &change::PERSON,
                actor,
                Edit {
                    id,
                    name: &before.name,
                    seen_version: input.version,
                    happened_at: &now,
                    values: vec![
                        ("name", Value::Text(name.clone())),
                        ("department", Value::Text(dept.clone())),
                        ("roles", Value::Text(roles.clone())),
                        ("active", Value::Integer(i64::from(active))),
                    ],
                    events: &[],
                },
            )?;
            Ok(())
        })?;
        self.person(id)
    }

    /// The person operating the app on this database, once chosen.
    pub fn operator(&self) -> Result<Option<Person>> {
        let Some(id) = settings::get(self.conn(), OPERATOR_KEY)? else {
            return Ok(None);
        };
        match id.parse::<i64>() {
            Ok(id) => match self.person(id) {
                Ok(p) => Ok(Some(p)),
                Err(Error::NotFound(_)) => Ok(None),
                Err(e) => Err(e),
            },
            Err(_) => Ok(None),
        }
    }

    pub fn set_operator(&mut self, id: i64) -> Result<Person> {
        let p = self.person(id)?;
        if !p.active {
            return Err(Error::invalid(
                "person",
                format!("{} 已停用，不能作为操作人", p.name),
            ));
        }
        self.set_setting(OPERATOR_KEY, &id.to_string())?;
        Ok(p)
    }
}
