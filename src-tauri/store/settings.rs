//! Key/value settings kept in the database (numbering scheme, the operator, …). Which keys
//! people may change, their defaults and checks are declared by the domain modules
//! (`domain::settings`).

use super::history::{record, Change};
use super::{Actor, Db};
use crate::domain::settings as domain_settings;
use crate::error::{Error, Result};
use crate::store::sql::{Conn, OptionalExtension};

const SIGN_IN_KEY: &str = "security.sign_in";

/// Why sign-in cannot be turned off on a shared database (issue 22).
const SHARED_SIGN_IN: &str =
    "这是部门的共享数据库：局域网里谁都能打开跟进，所以登录始终开启，不能关闭（每人用自己的密码登录）";

/// Which Genjin each PC last opened a database with (issue 23: a support call can tell what
/// runs where): `app.opened_by.<PC name>` → version.
const OPENED_BY_PREFIX: &str = "app.opened_by.";

/// This build's version, as `genjin --version` and 关于 say it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// This PC's name as the system has it (Windows' COMPUTERNAME, Linux's hostname), or 本机.
pub fn this_pc() -> String {
    let named = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    named.unwrap_or_else(|| "本机".to_string())
}

/// Records that this version opened the database on this PC, and returns the version this PC
/// opened it with before (`None`: never, or with a Genjin older than the record). Writes only
/// when this PC's record says another version — a start of the same version changes nothing
/// and tells no other window of a change; PCs on different versions each keep their own row.
/// Best effort: a file opened read-only, or a server while another writer holds its write lock
/// (a restore, a copy, a save), opens all the same, unrecorded — the record is for support, not
/// data anyone entered, and never waits for or clashes with a writer.
pub(crate) fn note_opened_by(conn: &Conn) -> Option<String> {
    let key = format!("{OPENED_BY_PREFIX}{}", this_pc());
    let before = get(conn, &key).ok().flatten();
    if before.as_deref() != Some(VERSION) {
        let _ = record_opened_by(conn, &key);
    }
    before
}

fn record_opened_by(conn: &Conn, key: &str) -> crate::store::sql::Result<()> {
    let tx = conn.begin(crate::store::sql::Begin::Deferred)?;
    if conn.try_write_lock()? {
        set(conn, key, VERSION)?;
        tx.commit()?;
    }
    Ok(())
}

/// Where a database's data was moved (issue 22): `host:port/db`, then the moment.
const MOVED_KEY: &str = "database.moved_to";

impl Db {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(get(self.conn(), key)?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            set(tx, key, value)?;
            Ok(())
        })
    }

    /// Marks this database as moved onto the shared database at `to` (issue 22: 迁移本机数据到
    /// 共享数据库), so whoever still opens it is told where its data went.
    pub fn mark_moved(&mut self, actor: &Actor, to: &str) -> Result<()> {
        self.allow(actor, crate::domain::people::Action::Backup)?;
        let at: String = actor
            .stamp()
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        self.set_setting(MOVED_KEY, &format!("{to}\u{1f}{at}"))
    }

    /// The Genjin version this PC opened this database with before this process did (`None`:
    /// no record, as for a new database or one this PC last used with an older Genjin).
    pub fn opened_before(&self) -> Option<&str> {
        self.opened_before.as_deref()
    }

    /// Each PC that opened this database and the Genjin version it last did so with, by PC name.
    pub fn opened_by(&self) -> Result<Vec<(String, String)>> {
        // the prefix compared as it is (LIKE would take its `_` for any character)
        let mut st = self.conn().prepare(&format!(
            "SELECT key, value FROM settings WHERE substr(key, 1, {}) = ?1 ORDER BY key",
            OPENED_BY_PREFIX.chars().count()
        ))?;
        let rows = st.query_map([OPENED_BY_PREFIX], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, version) = row?;
            if let Some(pc) = key.strip_prefix(OPENED_BY_PREFIX) {
                out.push((pc.to_string(), version));
            }
        }
        Ok(out)
    }

    /// Where this database's data was moved, and when (`None`: it was not).
    pub fn moved_to(&self) -> Result<Option<(String, String)>> {
        Ok(self
            .setting(MOVED_KEY)?
            .map(|v| match v.split_once('\u{1f}') {
                Some((to, at)) => (to.to_string(), at.to_string()),
                None => (v, String::new()),
            }))
    }

    /// What the shells say to whoever opens a database whose data was moved to a shared one.
    pub fn moved_warning(&self) -> Result<Option<String>> {
        Ok(self.moved_to()?.map(|(to, at)| {
            format!("这个数据库的数据已于 {at} 迁移到共享数据库“{to}”：在这里的修改不会出现在共享数据库中。请在 设置 → 数据库 中连接共享数据库")
        }))
    }

    /// The configurable settings (`domain::settings`) with their values in force and meaning.
    pub fn settings(&self) -> Result<Vec<(String, String, String)>> {
        self.setting_entries().map(|v| {
            v.into_iter()
                .map(|(s, value)| (s.key.to_string(), value, s.help.to_string()))
                .collect()
        })
    }

    /// Each declared setting with its value in force.
    pub fn setting_entries(&self) -> Result<Vec<(&'static domain_settings::Setting, String)>> {
        domain_settings::all()
            .map(|s| {
                // on a shared database sign-in is always on (issue 22)
                if s.key == SIGN_IN_KEY && self.is_shared() {
                    return Ok((s, "on".to_string()));
                }
                Ok((s, value(self.conn(), s.key)?))
            })
            .collect()
    }

    /// Who may change `key`, when `actor` may not (issue 20: the settings screen shows it
    /// disabled, saying who may); `None` when `actor` may, or when no one operates yet.
    pub fn setting_lock(&self, actor: Option<&Actor>, key: &str) -> Result<Option<String>> {
        use crate::domain::people::Action;
        if key == SIGN_IN_KEY && self.is_shared() {
            return Ok(Some(SHARED_SIGN_IN.to_string()));
        }
        // sign-in, while on, is turned off only by the decision group (`configure`)
        let action = if key == "security.sign_in" && self.sign_in_off_is_rules()? {
            Action::Rules
        } else {
            action_for(key)
        };
        let may = |a: Action| -> String {
            let roles: Vec<&str> = a.roles().iter().map(|r| r.label()).collect();
            format!("只有{}可以修改", roles.join("、"))
        };
        let Some(actor) = actor else {
            return Ok(None);
        };
        Ok(match self.allow(actor, action) {
            Ok(()) => None,
            Err(Error::Forbidden(_)) => Some(may(action)),
            Err(e) => return Err(e),
        })
    }

    /// Whether turning sign-in off is the decision group's now: it is on and the decision group
    /// has members (issue 19: turning it off opens every account to anyone at the PC).
    fn sign_in_off_is_rules(&self) -> Result<bool> {
        Ok(self.sign_in_required()?
            && self.role_has_holders(crate::domain::people::Role::DecisionGroup)?)
    }

    /// Changes one configurable setting after its module's check; the change goes to history.
    pub fn configure(&mut self, actor: &Actor, key: &str, value: &str) -> Result<()> {
        self.configure_from(actor, key, value, None)
    }

    /// `configure`, for a rule of the decision group taking effect from `from` (default today):
    /// months before it keep the rule they had (`value_as_of`). Errors: `Invalid` for an
    /// unknown key, a refused value, a non-member, or `from` given for another setting.
    pub fn configure_from(
        &mut self,
        actor: &Actor,
        key: &str,
        value: &str,
        from: Option<chrono::NaiveDate>,
    ) -> Result<()> {
        let value = value.trim();
        if from.is_some() && !domain_settings::decision_group_only(key) {
            return Err(Error::invalid(
                "from",
                format!("“{key}”不是考核或时间节点的规则，没有生效日期"),
            ));
        }
        let Some(spec) = domain_settings::find(key) else {
            return Err(Error::invalid(
                "key",
                format!("未知的设置项“{key}”（运行 genjin settings 查看可用设置）"),
            ));
        };
        (spec.check)(value).map_err(|m| Error::invalid(key, m))?;
        // the assessment's and deadlines' rules are the decision group's (issue 12); the rest
        // of the settings the collector's too
        use crate::domain::people::Action;
        let action = action_for(key);
        self.allow(actor, action).map_err(|e| match e {
            Error::Forbidden(m) if action == Action::Rules => Error::Forbidden(format!(
                "“{key}”是决策组的规则（考核、时间节点、延期签字），只有决策组成员可以修改：{m}"
            )),
            other => other,
        })?;
        if key == SIGN_IN_KEY && value == "off" && self.is_shared() {
            return Err(Error::invalid(key, SHARED_SIGN_IN));
        }
        // turning sign-in off opens every account to anyone at the PC: the decision group's
        // to decide once it has members (issue 19: no way around them)
        if key == "security.sign_in" && value == "off" && self.sign_in_off_is_rules()? {
            self.allow(actor, Action::Rules).map_err(|e| match e {
                Error::Forbidden(m) => Error::Forbidden(format!(
                    "关闭登录后任何人都能以别人的名义操作，只有决策组成员可以关闭：{m}"
                )),
                other => other,
            })?;
        }
        // the two series must not write the same numbers (B24051001 twice)
        let other_prefix = match key {
            "numbering.requirement.prefix" => Some("numbering.bug.prefix"),
            "numbering.bug.prefix" => Some("numbering.requirement.prefix"),
            _ => None,
        };
        if let Some(other) = other_prefix {
            if self::value(self.conn(), other)?.trim() == value {
                return Err(Error::invalid(
                    key,
                    format!(
                        "需求编号和 Bug 编号的前缀不能相同（都是“{value}”），否则两种编号会重复；请换一个前缀"
                    ),
                ));
            }
        }
        // turning sign-in on without a password of one's own would lock everyone out
        if key == "security.sign_in" && value.trim() == "on" {
            let has = match actor.person_id {
                Some(id) => self.person(id)?.has_password,
                None => false,
            };
            if !has {
                return Err(Error::invalid(
                    key,
                    "开启登录前，请先为自己设置密码（否则开启后无人能登录）",
                ));
            }
        }
        let now = actor.stamp();
        let versioned = domain_settings::decision_group_only(key);
        let from = from.unwrap_or(actor.today());
        self.write(|tx| {
            let old = get(tx, key)?;
            if versioned {
                tx.execute(
                    "INSERT INTO rule_versions (key, value, effective_from, recorded_by, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    crate::store::sql::params![key, value, crate::domain::dates::iso(from), actor.name, now],
                )?;
            }
            set(tx, key, value)?;
            record(
                tx,
                actor,
                &now,
                &now,
                Change {
                    entity: "setting",
                    entity_id: 0,
                    field: key,
                    old: old.as_deref(),
                    new: Some(value),
                    version: None,
                },
            )?;
            Ok(())
        })
    }

    /// Every value of an editable list, hidden ones too: (value, shown).
    pub fn list_all(&self, list: &str) -> Result<Vec<(String, bool)>> {
        known_list(list)?;
        let mut st = self.conn().prepare_cached(
            "SELECT value, active FROM list_items WHERE list = ?1 ORDER BY sort, value",
        )?;
        let rows = st.query_map([list], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? == 1)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a value to an editable list (or shows it again if it was hidden); history keeps it.
    pub fn add_list_item(&mut self, actor: &Actor, list: &str, value: &str) -> Result<()> {
        self.allow(actor, crate::domain::people::Action::Settings)?;
        let label = known_list(list)?;
        let value = value.trim();
        if value.is_empty() {
            return Err(Error::invalid(
                "value",
                format!("请填写要加入“{label}”的值"),
            ));
        }
        if value.chars().count() > 30 {
            return Err(Error::invalid("value", "列表中的值不超过 30 个字"));
        }
        let now = actor.stamp();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO list_items (list, value, sort)
                 VALUES (?1, ?2, (SELECT coalesce(max(sort), 0) + 1 FROM list_items WHERE list = ?1))
                 ON CONFLICT (list, value) DO UPDATE SET active = 1",
                crate::store::sql::params![list, value],
            )?;
            record(
                tx,
                actor,
                &now,
                &now,
                Change {
                    entity: "setting",
                    entity_id: 0,
                    field: &format!("list.{list}"),
                    old: None,
                    new: Some(value),
                    version: None,
                },
            )?;
            Ok(())
        })
    }

    /// Hides a value of an editable list (it is no longer offered; records keep it).
    pub fn hide_list_item(&mut self, actor: &Actor, list: &str, value: &str) -> Result<()> {
        self.allow(actor, crate::domain::people::Action::Settings)?;
        let label = known_list(list)?;
        let value = value.trim();
        let now = actor.stamp();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE list_items SET active = 0 WHERE list = ?1 AND value = ?2 AND active = 1",
                crate::store::sql::params![list, value],
            )?;
            if n == 0 {
                return Err(Error::invalid("value", format!("“{label}”中没有“{value}”")));
            }
            record(
                tx,
                actor,
                &now,
                &now,
                Change {
                    entity: "setting",
                    entity_id: 0,
                    field: &format!("list.{list}"),
                    old: Some(value),
                    new: None,
                    version: None,
                },
            )?;
            Ok(())
        })
    }

    /// The values of one editable list (`source`, `department`, `bug_type`, …), in order.
    pub fn list_items(&self, list: &str) -> Result<Vec<String>> {
        let mut st = self.conn().prepare_cached(
            "SELECT value FROM list_items WHERE list = ?1 AND active = 1 ORDER BY sort, value",
        )?;
        let rows = st.query_map([list], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The label of an editable list, or a Chinese refusal naming the known ones.
fn known_list(list: &str) -> Result<&'static str> {
    domain_settings::list_label(list).ok_or_else(|| {
        let known: Vec<String> = domain_settings::LISTS
            .iter()
            .map(|(c, l)| format!("{c}（{l}）"))
            .collect();
        Error::invalid(
            "list",
            format!("没有列表“{list}”（可用：{}）", known.join("、")),
        )
    })
}

/// The value in force of a configurable setting (stored, else its declared default); an
/// undeclared key reads as stored, else empty.
/// The action changing `key` takes: the decision group's rules (`Rules`), else `Settings`.
fn action_for(key: &str) -> crate::domain::people::Action {
    use crate::domain::people::Action;
    if domain_settings::decision_group_only(key) {
        Action::Rules
    } else {
        Action::Settings
    }
}

/// Whether `value` is offered in editable list `list` (present and not hidden).
pub(crate) fn offered(conn: &crate::store::sql::Conn, list: &str, value: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM list_items WHERE list = ?1 AND value = ?2 AND active = 1")?
        .exists(crate::store::sql::params![list, value])?)
}

pub(crate) fn value(conn: &crate::store::sql::Conn, key: &str) -> Result<String> {
    Ok(match get(conn, key)? {
        Some(v) => v,
        None => domain_settings::find(key)
            .map(|s| s.default.to_string())
            .unwrap_or_default(),
    })
}

pub(crate) fn get(
    conn: &crate::store::sql::Conn,
    key: &str,
) -> crate::store::sql::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
}

pub(crate) fn set(tx: &Conn, key: &str, value: &str) -> crate::store::sql::Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The value of a versioned rule in force on `day`: the latest version taking effect by then;
/// before its first version, the value it had then (the declared default, or a value set before
/// versions were kept). Other settings: the value in force now.
pub(crate) fn value_as_of(
    conn: &crate::store::sql::Conn,
    key: &str,
    day: chrono::NaiveDate,
) -> Result<String> {
    if !domain_settings::decision_group_only(key) {
        return value(conn, key);
    }
    let iso = crate::domain::dates::iso(day);
    let in_force: Option<String> = conn
        .prepare_cached(
            "SELECT value FROM rule_versions WHERE key = ?1 AND effective_from <= ?2
             ORDER BY effective_from DESC, id DESC LIMIT 1",
        )?
        .query_row(crate::store::sql::params![key, iso], |r| r.get(0))
        .optional()?;
    if let Some(v) = in_force {
        return Ok(v);
    }
    let versioned: bool = conn
        .prepare_cached("SELECT 1 FROM rule_versions WHERE key = ?1")?
        .exists([key])?;
    if versioned {
        // every version takes effect later: the value before them
        let before: Option<Option<String>> = conn
            .prepare_cached(
                "SELECT old_value FROM history WHERE entity = 'setting' AND field = ?1
                 ORDER BY id LIMIT 1",
            )?
            .query_row([key], |r| r.get(0))
            .optional()?;
        return Ok(before.flatten().unwrap_or_else(|| {
            domain_settings::find(key)
                .map(|s| s.default.to_string())
                .unwrap_or_default()
        }));
    }
    value(conn, key)
}
