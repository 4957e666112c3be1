//! The `attachments` table: files kept with a record: the signed paper of a delay application
//! (附表1), photographed or scanned; the screenshots of a bug and of a requirement (an 改进需求
//! asks for pictures: "最好图文并茂").

use super::change::{self};
use super::delays::DELAY;
use super::{Actor, Db};
use crate::error::{Error, Result};
use crate::store::sql::{params, Conn, OptionalExtension};
pub use crate::views::AttachmentView;

/// The largest file kept, in bytes, by the `attachments.max_mb` setting.
fn max_bytes(conn: &Conn) -> Result<usize> {
    let mb: usize = super::settings::value(conn, crate::domain::bug::MAX_MB_KEY)?
        .parse()
        .unwrap_or(20);
    Ok(mb * 1024 * 1024)
}

/// Refuses a file that is not what its name says (a photo `.jpg`/`.png`, or `.pdf` when
/// `pdf_too`), is empty, or is over the size limit. Returns its name (without folders) and
/// media type.
pub(crate) fn check_file(
    conn: &Conn,
    file_name: &str,
    bytes: &[u8],
    pdf_too: bool,
) -> Result<(String, &'static str)> {
    let name = std::path::Path::new(file_name.trim())
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let media = media_type(&name)?;
    if media == "application/pdf" && !pdf_too {
        return Err(Error::invalid(
            "file",
            format!("“{name}”不是图片（可用 .jpg、.png）"),
        ));
    }
    if bytes.is_empty() {
        return Err(Error::invalid("file", format!("“{name}”是空文件")));
    }
    let looks_right = match media {
        "image/jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        "image/png" => bytes.starts_with(b"\x89PNG"),
        _ => bytes.starts_with(b"%PDF"),
    };
    if !looks_right {
        return Err(Error::invalid(
            "file",
            format!("“{name}”的内容不是它的扩展名所说的图片或 PDF"),
        ));
    }
    let max = max_bytes(conn)?;
    if bytes.len() > max {
        return Err(Error::invalid(
            "file",
            format!(
                "“{name}”超过 {} MB（设置 attachments.max_mb），请缩小后再上传",
                max / 1024 / 1024
            ),
        ));
    }
    Ok((name, media))
}

/// The media type of a scan or photo by its name, or a Chinese refusal.
fn media_type(file_name: &str) -> Result<&'static str> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => Ok("image/jpeg"),
        "png" => Ok("image/png"),
        "pdf" => Ok("application/pdf"),
        _ => Err(Error::invalid(
            "file",
            format!("“{file_name}”不是照片或扫描件（可用 .jpg、.png、.pdf）"),
        )),
    }
}

/// The files kept with one record — `owner` is the column naming it (`delay_id`, `bug_id`) —
/// oldest first.
fn of_owner(conn: &Conn, owner: &str, id: i64) -> Result<Vec<AttachmentView>> {
    // a requirement's own pictures, not the signed papers of its delay applications
    let own = if owner == "requirement_id" {
        " AND delay_id IS NULL"
    } else {
        ""
    };
    let mut st = conn.prepare_cached(&format!(
        "SELECT id, file_name, media_type, length(data), added_by, added_at FROM attachments
         WHERE {owner} = ?1{own} AND removed_at IS NULL ORDER BY id"
    ))?;
    let rows = st.query_map([id], |r| {
        Ok(AttachmentView {
            id: r.get(0)?,
            file_name: r.get(1)?,
            media_type: r.get(2)?,
            size: r.get(3)?,
            added_by: r.get(4)?,
            added_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<crate::store::sql::Result<_>>()?)
}

/// The signed papers kept with delay application `delay_id` (inside or outside a transaction).
pub(crate) fn of_delay(conn: &Conn, delay_id: i64) -> Result<Vec<AttachmentView>> {
    of_owner(conn, "delay_id", delay_id)
}

/// Keeps a screenshot of bug `bug_id` inside the caller's transaction (checked by
/// [`check_file`] beforehand).
pub(crate) fn insert_for_bug(
    conn: &Conn,
    actor: &Actor,
    bug_id: i64,
    name: &str,
    media: &str,
    bytes: &[u8],
) -> Result<i64> {
    conn.execute(
        "INSERT INTO attachments (bug_id, file_name, media_type, data, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![bug_id, name, media, bytes, actor.name, actor.stamp()],
    )?;
    conn.inserted_id().map_err(Into::into)
}

/// The screenshots kept with bug `bug_id`, oldest first.
/// Keeps a checked screenshot with requirement `id` in the caller's transaction, with its
/// history row.
pub(crate) fn insert_for_requirement(
    tx: &Conn,
    actor: &Actor,
    id: i64,
    name: &str,
    media: &str,
    bytes: &[u8],
) -> Result<()> {
    let now = actor.stamp();
    tx.execute(
        "INSERT INTO attachments (requirement_id, file_name, media_type, data, added_by,
             added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, name, media, bytes, actor.name, now],
    )?;
    change::event(
        tx,
        &change::REQUIREMENT,
        actor,
        id,
        &now,
        ("screenshot", None, Some(name)),
    )?;
    Ok(())
}

pub(crate) fn of_bug(conn: &Conn, bug_id: i64) -> Result<Vec<AttachmentView>> {
    of_owner(conn, "bug_id", bug_id)
}

/// The screenshots kept with requirement `requirement_id` (not its delays' papers), oldest first.
pub(crate) fn of_requirement(conn: &Conn, requirement_id: i64) -> Result<Vec<AttachmentView>> {
    of_owner(conn, "requirement_id", requirement_id)
}

impl Db {
    /// Keeps screenshots with requirement `number` (issue 20: as a bug's), all or none in one
    /// transaction, one history row each: images only (`.jpg`, `.png`), each within the
    /// `attachments.max_mb` setting. Returns the requirement's screenshots as they now stand.
    /// Errors: `Invalid` (field `file`) for another kind of file, an empty or too large one,
    /// or no file at all; `NotFound` for an unknown requirement.
    pub fn attach_to_requirement(
        &mut self,
        actor: &Actor,
        number: &str,
        files: &[(String, Vec<u8>)],
    ) -> Result<Vec<AttachmentView>> {
        self.allow(actor, crate::domain::people::Action::Register)?;
        if files.is_empty() {
            return Err(Error::invalid("file", "请选择或粘贴要添加的截图"));
        }
        let checked = files
            .iter()
            .map(|(name, bytes)| {
                let (name, media) = check_file(self.conn(), name, bytes, false)?;
                Ok((name, media, bytes))
            })
            .collect::<Result<Vec<_>>>()?;
        let number = number.trim();
        let id = self.write(|tx| {
            let id: i64 = tx
                .query_row(
                    "SELECT id FROM requirements WHERE number = ?1",
                    [number],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("找不到需求编号 {number}")))?;
            for (name, media, bytes) in &checked {
                insert_for_requirement(tx, actor, id, name, media, bytes)?;
            }
            Ok(id)
        })?;
        of_requirement(self.conn(), id)
    }

    /// Keeps the signed paper of delay application `delay_id` (a photo or a scan, `.jpg`,
    /// `.png` or `.pdf`, at most the `attachments.max_mb` setting); a history row says it was added.
    /// Errors: `Invalid` for another kind of file, an empty or too large one; `NotFound` for an
    /// unknown application.
    pub fn attach_delay_scan(
        &mut self,
        actor: &Actor,
        delay_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<AttachmentView> {
        self.allow(actor, crate::domain::people::Action::SignDelay)?;
        let (name, media) = check_file(self.conn(), file_name, bytes, true)?;
        let id =
            self.write(|tx| {
                let (requirement_id, withdrawn): (i64, bool) = tx
                    .query_row(
                        "SELECT requirement_id, withdrawn_at IS NOT NULL FROM delay_applications
                         WHERE id = ?1",
                        [delay_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?
                    .ok_or_else(|| Error::NotFound(format!("找不到延期申请 {delay_id}")))?;
                if withdrawn {
                    return Err(Error::invalid(
                        "file",
                        format!("延期申请 {delay_id} 已撤回，不再收存签字件"),
                    ));
                }
                let now = actor.stamp();
                tx.execute(
                "INSERT INTO attachments (requirement_id, delay_id, file_name, media_type, data,
                     added_by, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![requirement_id, delay_id, name, media, bytes, actor.name, now],
            )?;
                let id = tx.inserted_id()?;
                change::event(
                    tx,
                    &DELAY,
                    actor,
                    delay_id,
                    &now,
                    ("attachment", None, Some(&name)),
                )?;
                Ok(id)
            })?;
        self.delay_scans(delay_id)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| Error::NotFound(format!("找不到附件 {id}")))
    }

    /// The signed papers kept with a delay application, oldest first.
    pub fn delay_scans(&self, delay_id: i64) -> Result<Vec<AttachmentView>> {
        of_delay(self.conn(), delay_id)
    }

    /// An attachment's bytes and media type.
    pub fn attachment_data(&self, id: i64) -> Result<(String, Vec<u8>)> {
        self.conn()
            .query_row(
                "SELECT media_type, data FROM attachments WHERE id = ?1 AND removed_at IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("找不到附件 {id}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DeliveryInput, RequirementInput, StepTime};

    #[test]
    fn a_scan_is_kept_with_its_application() {
        let mut db = Db::test_db();
        let a = Actor::new(None, "李小四", "test", crate::clock::now());
        let r = db
            .create_requirement(
                &a,
                &RequirementInput {
                    received_date: "2014-06-19".into(),
                    reporter: "刘小妹".into(),
                    brief: "问卷自动计分".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        db.record_decision(
            &a,
            &r.number,
            &crate::store::DecisionInput {
                decision: crate::domain::requirement::Decision::Do,
                grade: Some(crate::domain::requirement::Grade::C),
                conversion_summary: String::new(),
                decision_reason: String::new(),
                decision_date: "2014-06-20".into(),
                at: StepTime::default(),
            },
        )
        .unwrap();
        let day = DeliveryInput {
            date: "2014-06-25".into(),
            at: StepTime::default(),
        };
        db.record_expected_delivery(&a, &r.number, &day).unwrap();
        let d = db
            .file_delay(
                &a,
                &r.number,
                &crate::store::DelayInput {
                    new_date: "2014-07-25".into(),
                    reason: "实现难度大".into(),
                    filed_date: "2014-06-23".into(),
                    applicant: "赵经理".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let err = db
            .attach_delay_scan(&a, d.id, "签字.docx", b"x")
            .unwrap_err();
        assert_eq!(err.kind(), "invalid");
        assert!(db.attach_delay_scan(&a, 99, "签字.jpg", b"x").is_err());
        let v = db
            .attach_delay_scan(&a, d.id, "/tmp/签字页.JPG", b"\xff\xd8\xff")
            .unwrap();
        assert_eq!(
            (v.file_name.as_str(), v.media_type.as_str(), v.size),
            ("签字页.JPG", "image/jpeg", 3)
        );
        assert_eq!(db.delay_scans(d.id).unwrap().len(), 1);
        assert_eq!(db.attachment_data(v.id).unwrap().1, b"\xff\xd8\xff");
    }
}
