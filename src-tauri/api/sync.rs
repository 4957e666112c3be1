//! Offline laptops (issue 24), once for both shells: a laptop's copy made for one person
//! (`copy-db --for`), and the sync — by file (`sync --out`, `sync --in [--reply]`) or over the
//! network (`sync --with`). The store does the rows (`store/sync.rs`); this module does the
//! files: one JSON envelope naming the database it comes from and the one it is for, its body
//! signed with the secret the pair shares (HMAC-SHA256), so a file for another database, or
//! a damaged or altered one, is refused whole before anything is written.

use crate::domain::people::Action;
use crate::error::{io_reason, Error, Result};
use crate::excel::save::{write_atomic, Existing};
use crate::store::{Actor, Applied, Batch, Db, Reply};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::Path;

/// What a sync file says it is.
const FORMAT: &str = "genjin-sync";
const VERSION: u32 = 1;
/// A sync file larger than this is not read (a laptop's own photos are a few megabytes each).
const MAX_FILE: u64 = 1 << 30;

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    /// `steps` (a laptop's) or `reply` (the department's).
    kind: String,
    from: String,
    to: String,
    made_at: String,
    body: String,
    mac: String,
}

fn mac_of(secret: &str, kind: &str, from: &str, to: &str, made_at: &str, body: &str) -> String {
    // HMAC takes a key of any length: `new_from_slice` never refuses one
    let Ok(mut m) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    for part in [FORMAT, kind, from, to, made_at, body] {
        m.update(&(part.len() as u64).to_le_bytes());
        m.update(part.as_bytes());
    }
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn seal(secret: &str, kind: &str, from: &str, to: &str, made_at: &str, body: String) -> Envelope {
    Envelope {
        format: FORMAT.into(),
        version: VERSION,
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
        made_at: made_at.into(),
        mac: mac_of(secret, kind, from, to, made_at, &body),
        body,
    }
}

fn damaged(path: &Path) -> Error {
    Error::invalid(
        "file",
        format!(
            "同步文件“{}”已损坏或被改动过（校验不符），没有应用任何内容。请让对方重新生成后再发一次",
            path.display()
        ),
    )
}

fn verify(env: &Envelope, secret: &str, path: &Path) -> Result<()> {
    let want = mac_of(
        secret,
        &env.kind,
        &env.from,
        &env.to,
        &env.made_at,
        &env.body,
    );
    // the same length and every byte compared: no early exit on the first difference
    let same = !want.is_empty()
        && want.len() == env.mac.len()
        && want
            .bytes()
            .zip(env.mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(damaged(path))
    }
}

fn read_envelope(path: &Path) -> Result<Envelope> {
    let said = |why: String| Error::invalid("file", format!("无法读取“{}”：{why}", path.display()));
    let size = std::fs::metadata(path)
        .map_err(|e| said(io_reason(&e)))?
        .len();
    if size > MAX_FILE {
        return Err(said("文件过大，不是跟进的同步文件".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| said(io_reason(&e)))?;
    let env: Envelope = serde_json::from_slice(&bytes).map_err(|_| {
        Error::invalid(
            "file",
            format!(
                "“{}”不是跟进的同步文件，或已损坏（读不出内容），没有应用任何内容",
                path.display()
            ),
        )
    })?;
    if env.format != FORMAT {
        return Err(Error::invalid(
            "file",
            format!("“{}”不是跟进的同步文件", path.display()),
        ));
    }
    if env.version != VERSION {
        return Err(Error::invalid(
            "file",
            format!(
                "同步文件“{}”来自另一版本的跟进（格式第 {} 版），请把两边升级到同一版本",
                path.display(),
                env.version
            ),
        ));
    }
    Ok(env)
}

fn write_envelope(path: &Path, env: &Envelope) -> Result<()> {
    let bytes = serde_json::to_vec(env).map_err(json)?;
    write_atomic(path, &bytes, "genjin", Existing::Replace)
}

fn json(e: serde_json::Error) -> Error {
    Error::Io(std::io::Error::other(format!("无法写出同步内容：{e}")))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

/// A laptop's copy, made.
#[derive(Debug, Clone, Serialize)]
pub struct LaptopMade {
    pub path: String,
    pub person: String,
    pub requirements: usize,
    pub bugs: usize,
}

impl LaptopMade {
    pub fn summary(&self) -> String {
        format!(
            "已为 {} 制作外出用的数据库“{}”：{} 条需求、{} 个 Bug（仅本人报告的），以及人员、列表、设置和日历。在外面用它登记，回来后同步（genjin --db 该文件 sync --with 共享数据库地址，或 sync --out 文件）",
            self.person, self.path, self.requirements, self.bugs
        )
    }
}

/// `copy-db --to FILE --for NAME`: a new SQLite file holding what `person` needs offline, which
/// knows it came from `db` (and `db` knows it). The roles that may copy the database may make
/// one. Errors: `Invalid` for a target that exists or is a server, `NotFound` for a person not
/// listed.
pub fn copy_for(db: &mut Db, actor: &Actor, to: &str, person: &str) -> Result<LaptopMade> {
    db.allow(actor, Action::Backup)?;
    if db.upstream()?.is_some() {
        return Err(Error::Conflict(
            "这本身是外出用的复制库：请在共享数据库上为外出人员制作".into(),
        ));
    }
    let to = to.trim();
    let person = person.trim();
    if crate::server_url(Path::new(to)).is_some() {
        return Err(Error::invalid(
            "to",
            "外出用的数据库是一台电脑上的文件：--for 时 --to 请给一个新的 .sqlite3 文件名",
        ));
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
    match db.person_by_name(person)? {
        Some(p) if p.active => {}
        Some(_) => {
            return Err(Error::Conflict(format!(
                "{person} 已停用，不能为其制作外出用的数据库"
            )))
        }
        None => {
            return Err(Error::NotFound(format!(
                "人员名单中没有“{person}”，没有复制"
            )))
        }
    }
    let upstream = db.database_id()?;
    let snapshot = db.snapshot_with(person, true)?;
    let secret = crate::store::new_secret();
    let now = actor.stamp();
    let made = (|| {
        let mut laptop = Db::open(path)?;
        let id =
            laptop.become_laptop(&upstream, &db.location(), person, &secret, &snapshot, &now)?;
        drop(laptop);
        db.add_laptop(&id, person, &secret, &now)?;
        Ok(())
    })();
    if let Err(e) = made {
        crate::store::remove_database_file(path);
        return Err(e);
    }
    let rows = |t: &str| {
        snapshot
            .tables
            .iter()
            .find(|x| x.table == t)
            .map_or(0, |x| x.rows.len())
    };
    Ok(LaptopMade {
        path: path.display().to_string(),
        person: person.to_string(),
        requirements: rows("requirements"),
        bugs: rows("bugs"),
    })
}

/// What a sync did, as both shells say it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Steps sent (a laptop) or in the file (the department).
    pub sent: usize,
    /// Of those, newly arrived here (the department).
    pub arrived: usize,
    /// Reports and bugs waiting for the collector, notices applied, steps refused (the
    /// department, of the steps in this file).
    pub waiting: usize,
    pub applied: usize,
    pub refused: Vec<String>,
    /// On the laptop: what the reply brought.
    pub registered: Vec<String>,
    pub came_back_refused: Vec<String>,
    /// The reply was one applied before: nothing changed.
    pub already: bool,
    /// The steps were applied here (the department's side ran).
    pub received: bool,
    pub reply: Option<String>,
    pub notes: Vec<String>,
}

impl SyncReport {
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.arrived > 0 {
            out.push(format!(
                "送达 {} 条：待登记 {} 条，已记录 {} 条，未采用 {} 条",
                self.arrived,
                self.waiting,
                self.applied,
                self.refused.len()
            ));
        } else if self.sent > 0 && self.received {
            out.push(format!("{} 条记录以前都已送达，这次没有改动", self.sent));
        } else if self.sent > 0 {
            out.push(format!("已发出 {} 条待同步的记录", self.sent));
        }
        out.extend(self.refused.iter().map(|r| format!("未采用：{r}")));
        out.extend(self.registered.iter().map(|r| format!("已登记：{r}")));
        out.extend(
            self.came_back_refused
                .iter()
                .map(|r| format!("未采用：{r}")),
        );
        if self.already {
            out.push("这个回执已经应用过，没有改动".into());
        }
        if let Some(r) = &self.reply {
            out.push(format!(
                "回执已写入“{r}”：请发回给外出人员，在其电脑上导入（待同步 → 导入回执，或 genjin sync --in 回执文件）"
            ));
        }
        out.extend(self.notes.iter().cloned());
        if out.is_empty() {
            out.push("已同步：没有新的登记结果".into());
        }
        out
    }
}

fn laptop_of(db: &Db) -> Result<crate::store::Upstream> {
    db.upstream()?.ok_or_else(|| {
        Error::Conflict(
            "本数据库不是外出用的复制库（由 genjin copy-db --to 文件 --for 姓名 制作），没有要同步的内容".into(),
        )
    })
}

/// `sync --out FILE` on a laptop: every step waiting, into one signed file for the department.
pub fn sync_out(db: &mut Db, actor: &Actor, out: &Path) -> Result<SyncReport> {
    let up = laptop_of(db)?;
    let me = db.database_id()?;
    // marked sent before the file is written: a step that may have left is never given up here
    let steps = db.take_outgoing(&actor.stamp())?;
    let ids: Vec<i64> = steps.iter().map(|s| s.id).collect();
    let batch = Batch {
        from: me.clone(),
        person: up.person.clone(),
        schema: crate::store::schema_version(),
        seen: up.replies,
        steps,
    };
    let body = serde_json::to_string(&batch).map_err(json)?;
    let env = seal(&up.secret, "steps", &me, &up.peer, &actor.stamp(), body);
    if let Err(e) = write_envelope(out, &env) {
        // nothing left: the steps may be given up again
        db.untake_outgoing(&actor.stamp())?;
        return Err(e);
    }
    let mut report = SyncReport {
        sent: ids.len(),
        ..Default::default()
    };
    report.notes.push(if ids.is_empty() {
        format!(
            "没有待发送的内容；文件“{}”仍可发给需求收集人，以取回最新情况",
            out.display()
        )
    } else {
        format!(
            "已写入“{}”：请用 QQ 或邮件发给需求收集人，在“待登记 → 导入同步文件”中导入（或 genjin sync --in）",
            out.display()
        )
    });
    Ok(report)
}

/// `sync --in FILE [--reply REPLY]`: a laptop's file applied at the department (and its reply
/// written), or the department's reply applied on the laptop.
pub fn sync_in(
    db: &mut Db,
    actor: &Actor,
    file: &Path,
    reply: Option<&Path>,
) -> Result<SyncReport> {
    let env = read_envelope(file)?;
    let me = db.database_id()?;
    if env.to != me {
        return Err(Error::Conflict(format!(
            "同步文件“{}”是为另一个数据库制作的（发往 {}，本数据库是 {}），没有应用",
            file.display(),
            short(&env.to),
            short(&me)
        )));
    }
    match env.kind.as_str() {
        "steps" => {
            let Some((_, secret)) = db.laptop(&env.from)? else {
                return Err(Error::Conflict(format!(
                    "同步文件“{}”来自一个不是从本数据库复制的外出数据库（{}），没有应用",
                    file.display(),
                    short(&env.from)
                )));
            };
            verify(&env, &secret, file)?;
            let batch: Batch = serde_json::from_str(&env.body).map_err(|_| damaged(file))?;
            if batch.from != env.from {
                return Err(damaged(file));
            }
            db.allow(actor, Action::Register)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let before = db.arrived_from(&batch.from)?;
            let answer = db.receive(&batch, &format!("sync:{name}"), actor.now)?;
            let mut report = department_report(&batch, &answer, &before);
            if let Some(path) = reply {
                let body = serde_json::to_string(&answer).map_err(json)?;
                let out = seal(&secret, "reply", &me, &batch.from, &actor.stamp(), body);
                write_envelope(path, &out)?;
                report.reply = Some(path.display().to_string());
            } else {
                report.notes.push(
                    "没有写回执（加 --reply 文件 写出回执，外出人员才能知道登记结果）".into(),
                );
            }
            Ok(report)
        }
        "reply" => {
            let up = laptop_of(db)?;
            if env.from != up.peer {
                return Err(Error::Conflict(format!(
                    "回执“{}”来自另一个数据库（{}），不是本机的复制来源（{}），没有应用",
                    file.display(),
                    short(&env.from),
                    short(&up.peer)
                )));
            }
            verify(&env, &up.secret, file)?;
            let answer: Reply = serde_json::from_str(&env.body).map_err(|_| damaged(file))?;
            let mut report = SyncReport::default();
            if reply.is_some() {
                report
                    .notes
                    .push("回执不需要再写回执：--reply 已忽略".into());
            }
            let applied = db.apply_reply(&answer, &actor.stamp())?;
            laptop_report(&mut report, &applied, db)?;
            Ok(report)
        }
        other => Err(Error::invalid(
            "file",
            format!("同步文件“{}”的种类“{other}”无法识别", file.display()),
        )),
    }
}

/// `sync --with URL` on a laptop: its steps applied on the department's database and the
/// reply applied here, with no file between.
pub fn sync_with(db: &mut Db, actor: &Actor, url: &str) -> Result<SyncReport> {
    let up = laptop_of(db)?;
    let me = db.database_id()?;
    let url = url.trim();
    let mut dept = match crate::server_url(Path::new(url)) {
        Some(u) => Db::open_url(u)?,
        None => {
            let p = Path::new(url);
            if !p.exists() {
                return Err(Error::NotFound(format!(
                    "找不到数据库“{url}”（没有新建）；请给共享数据库的地址 postgres://…"
                )));
            }
            Db::open(p)?
        }
    };
    let there = dept.database_id()?;
    if there != up.peer {
        return Err(Error::Conflict(format!(
            "“{}”上的数据库（{}）不是本机的复制来源（{}），没有同步",
            dept.location(),
            short(&there),
            short(&up.peer)
        )));
    }
    match dept.laptop(&me)? {
        Some((_, secret)) if secret == up.secret => {}
        _ => return Err(Error::Conflict(
            "共享数据库上没有本机复制库的记录（或已重新制作），没有同步；请重新制作外出用的数据库"
                .into(),
        )),
    }
    let steps = db.take_outgoing(&actor.stamp())?;
    let batch = Batch {
        from: me,
        person: up.person.clone(),
        schema: crate::store::schema_version(),
        seen: up.replies,
        steps,
    };
    let before = dept.arrived_from(&batch.from)?;
    // the steps arrive at the department's time
    let now = dept.server_time(actor.now)?.unwrap_or(actor.now);
    let answer = match dept.receive(&batch, "sync:网络", now) {
        Ok(a) => a,
        Err(e) => {
            // refused whole (or cut off before its commit): nothing arrived
            db.untake_outgoing(&actor.stamp())?;
            return Err(e);
        }
    };
    drop(dept);
    let mut report = department_report(&batch, &answer, &before);
    let applied = db.apply_reply(&answer, &actor.stamp())?;
    laptop_report(&mut report, &applied, db)?;
    Ok(report)
}

/// The department's side of a report: what the steps of `batch` became (`before`: the ids
/// that had arrived before this sync).
fn department_report(batch: &Batch, answer: &Reply, before: &[i64]) -> SyncReport {
    let mut r = SyncReport {
        sent: batch.steps.len(),
        received: true,
        ..Default::default()
    };
    for step in &batch.steps {
        if before.contains(&step.id) {
            continue;
        }
        let Some(o) = answer.outcomes.iter().find(|o| o.id == step.id) else {
            continue;
        };
        r.arrived += 1;
        match o.state.as_str() {
            "waiting" => r.waiting += 1,
            "applied" => r.applied += 1,
            "refused" => r.refused.push(format!("{}（{}）", step.summary, o.reason)),
            _ => {}
        }
    }
    r
}

fn laptop_report(r: &mut SyncReport, applied: &Applied, db: &Db) -> Result<()> {
    r.already = applied.already;
    if applied.sent_again > 0 {
        r.notes.push(format!(
            "共享数据库上已没有本机送达过的 {} 条记录（它可能从备份恢复过）：下次同步时会重新发送",
            applied.sent_again
        ));
    }
    for (id, number) in &applied.registered {
        let s = db.submission_by_origin_id(*id)?;
        r.registered
            .push(format!("待登记 {} {} → {number}", s.id, s.summary));
    }
    for (id, reason) in &applied.refused {
        let s = db.submission_by_origin_id(*id)?;
        r.came_back_refused
            .push(format!("待登记 {} {}（{reason}）", s.id, s.summary));
    }
    Ok(())
}
