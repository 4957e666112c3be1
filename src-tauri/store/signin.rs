//! Optional sign-in (issue 13): with `security.sign_in` on, each person proves who they are
//! with their own password — in the window when it opens, on the command line with `--as NAME`
//! and the password from `GENJIN_PASSWORD` or a prompt. Passwords are kept as Argon2id PHC
//! strings (salt and parameters inside), set by the person themself or by someone who may
//! manage people; a history row says a password was set, never what it is. Off by default, so a
//! single-user office PC stays simple.

use super::change::{self, PERSON};
use super::people::Person;
use super::{Actor, Db};
use crate::domain::people::Action;
use crate::error::{Error, Result};
use crate::store::sql::{params, OptionalExtension};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 6;

impl Db {
    /// Whether people must sign in: `security.sign_in` is on, or the database is a department's
    /// shared one and someone active who may manage people holds a password (issue 22: anyone
    /// on the LAN can start Genjin, so there it is always on once it can be — once someone can
    /// give the others theirs; `first_password_missing` is the gap before).
    pub fn sign_in_required(&self) -> Result<bool> {
        if self.setting("security.sign_in")?.as_deref() == Some("on") {
            return Ok(true);
        }
        Ok(self.is_shared() && self.anyone_has_password()?)
    }

    /// A shared database on which nobody active who may manage people holds a password yet
    /// (copied from a file used without sign-in, or set up on the command line without one):
    /// anyone could act as anyone until such a person sets theirs, so the shells say so and
    /// ask for it (issue 22).
    pub fn first_password_missing(&self) -> Result<bool> {
        Ok(self.is_shared() && !self.anyone_has_password()?)
    }

    /// Someone active who may manage people holds a password (a reporter's own password alone
    /// would lock the managers out: nobody could give them theirs).
    /// A shared database with nobody listed yet: the person added now sets their password as
    /// they are added (issue 22; both shells ask for it).
    pub fn adds_first_on_server(&self) -> Result<bool> {
        Ok(self.is_shared() && self.people()?.is_empty())
    }

    fn anyone_has_password(&self) -> Result<bool> {
        Ok(self
            .people()?
            .iter()
            .any(|p| p.active && p.has_password && Action::People.allowed(&p.roles)))
    }

    /// The first password of a shared database (issue 22), set by `person_id` for themself as
    /// they take the window: only while nobody active holds one, and only by someone who may
    /// manage people (else nobody could give the others theirs). Errors: `Forbidden` once
    /// someone has one (sign in instead) or for someone who may not manage people; `Invalid`
    /// for a short password.
    pub fn set_first_password(
        &mut self,
        person_id: i64,
        password: &str,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Person> {
        if !self.first_password_missing()? {
            return Err(Error::Forbidden(
                "已经有能管理人员名单的人设置了登录密码：请登录（没有密码的人请让能管理人员名单的人为其设置）"
                    .into(),
            ));
        }
        let person = self.person(person_id)?;
        if !person.active {
            return Err(Error::Forbidden(format!("{} 已停用", person.name)));
        }
        if !Action::People.allowed(&person.roles) {
            return Err(Error::Forbidden(format!(
                "第一个设置密码的人要能管理人员名单（需求收集人或决策组），才能再为其他人设置密码；{} 不能，请由需求收集人或决策组成员来设置",
                person.name
            )));
        }
        let actor = Actor::new(Some(person.id), person.name.clone(), "app", at);
        self.set_password(&actor, person_id, password, None)?;
        self.person(person_id)
    }

    /// Sets `person_id`'s password: the person themself — giving `current`, their password now,
    /// when they have one — or someone who may manage people and give every role the person
    /// holds (a reset, without it).
    /// Errors: `Invalid` for a password shorter than `MIN_PASSWORD_CHARS`, `Forbidden` when not
    /// allowed or `current` is wrong, `NotFound` for an unknown person.
    pub fn set_password(
        &mut self,
        actor: &Actor,
        person_id: i64,
        password: &str,
        current: Option<&str>,
    ) -> Result<()> {
        let person = self.person(person_id)?;
        // a laptop's passwords are the department's, brought by its copy (issue 24)
        if super::sync::is_laptop(self.conn())? {
            return Err(Error::Forbidden(
                "这是外出用的复制库：密码请在共享数据库上修改，下次制作外出用的数据库时带过来"
                    .into(),
            ));
        }
        if actor.person_id != Some(person_id) {
            self.allow(actor, Action::People)?;
            // a password opens everything its holder may do: only someone who may give all of
            // their roles may set it (issue 19)
            if let Some(r) = self.beyond(actor, &person.roles)? {
                return Err(Error::Forbidden(format!(
                    "{} 担任“{}”，{} 没有这个角色的全部权限，不能为其设置密码；请本人或决策组来设置",
                    person.name,
                    r.label(),
                    actor.name
                )));
            }
        } else if person.has_password {
            let Some(current) = current else {
                return Err(Error::invalid("current", "请先输入现在的密码"));
            };
            self.sign_in_person(person_id, current)
                .map_err(|_| Error::Forbidden("现在的密码不对，未修改".into()))?;
        }
        let hash = hash_password(password)?;
        let now = actor.stamp();
        self.write(|tx| {
            tx.execute(
                "UPDATE people SET password_hash = ?1, version = version + 1, updated_at = ?2
                 WHERE id = ?3",
                params![hash, now, person_id],
            )?;
            change::event(
                tx,
                &PERSON,
                actor,
                person_id,
                &now,
                ("password", None, Some("已设置")),
            )
        })?;
        let _ = person;
        Ok(())
    }

    /// The active people who have no password yet: with sign-in on they cannot sign in until
    /// someone sets one (said before sign-in is turned on, issue 19).
    pub fn without_password(&self) -> Result<Vec<String>> {
        Ok(self
            .people()?
            .into_iter()
            .filter(|p| p.active && !p.has_password)
            .map(|p| p.name)
            .collect())
    }

    /// The listed, active person called `name` if `password` is theirs. Errors: `Forbidden`
    /// (the same words for an unknown name and a wrong password: nothing to guess from).
    pub fn sign_in(&self, name: &str, password: &str) -> Result<Person> {
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM people WHERE name = ?1 AND active = 1 ORDER BY id LIMIT 1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => self.sign_in_person(id, password),
            None => Err(wrong()),
        }
    }

    /// Person `id` (listed, active) if `password` is theirs (the window's sign-in, by the
    /// person picked from the list). Errors: `Forbidden`.
    pub fn sign_in_person(&self, id: i64, password: &str) -> Result<Person> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT name, password_hash FROM people WHERE id = ?1 AND active = 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((name, hash)) = row else {
            return Err(wrong());
        };
        if hash.is_empty() {
            return Err(Error::Forbidden(format!(
                "{name} 还没有设置密码，请让能管理人员名单的人为其设置"
            )));
        }
        let parsed = PasswordHash::new(&hash).map_err(|_| wrong())?;
        let _ = &name;
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .map_err(|_| wrong())?;
        self.person(id)
    }
}

/// The Argon2id PHC string kept for `password`. Errors: `Invalid` for a short one.
pub(crate) fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::Conflict(format!("无法保存密码：{e}")))?
        .to_string())
}

fn wrong() -> Error {
    Error::Forbidden("姓名或密码不对，未登录".into())
}
