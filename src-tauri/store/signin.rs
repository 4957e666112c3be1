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
    /// Whether people must sign in (`security.sign_in` = on).
    pub fn sign_in_required(&self) -> Result<bool> {
        Ok(self.setting("security.sign_in")?.as_deref() == Some("on"))
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
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(Error::invalid(
                "password",
                format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
            ));
        }
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| Error::Conflict(format!("无法保存密码：{e}")))?
            .to_string();
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

fn wrong() -> Error {
    Error::Forbidden("姓名或密码不对，未登录".into())
}
