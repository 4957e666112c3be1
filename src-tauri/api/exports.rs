//! The exports and reports, once for both shells: what goes into each file and where it is
//! written (atomically, `excel::save`). The window hands in the path its save dialog returned;
//! the command line its `--out`.

use crate::domain::dates;
use crate::error::Result;
use crate::excel::save::{write_atomic, Existing};
use crate::store::{BugFilter, BugView, Db};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// What an export wrote: the file and how many records are in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub path: String,
    pub count: usize,
    /// What the person printing it should know (a form that prints on two pages).
    pub notes: Vec<String>,
}

fn written(out: &Path, count: usize) -> Exported {
    Exported {
        path: out.display().to_string(),
        count,
        notes: Vec::new(),
    }
}

/// The month's 考核表 as `actor` may read it (their own, or everyone's for the decision group),
/// as of `now`; written to `out` as the assessment workbook (totals, evidence, 审核/批准) when
/// given. Both shells call this: the window's 导出考核表 and `genjin assessment --out`.
pub fn assessment(
    db: &Db,
    actor: &crate::store::Actor,
    month: crate::domain::monthly::Month,
    now: chrono::NaiveDateTime,
    out: Option<(&Path, Existing)>,
) -> Result<crate::domain::assessment::Assessment> {
    let assessed = db.assessment_for(actor, month, now)?;
    if let Some((path, existing)) = out {
        let bytes = crate::excel::assessment::assessment_book(&assessed)?;
        write_atomic(path, &bytes, "xlsx", existing)?;
    }
    Ok(assessed)
}

/// The Bug收集反馈表 of the bugs reported (反馈日期) from `from` to `to`, inclusive (either
/// open). Errors: `Invalid` when `from` is after `to` or the file cannot be written.
pub fn bug_ledger(
    db: &Db,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: &Path,
    existing: Existing,
) -> Result<Exported> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(crate::Error::invalid("from", "起始日期不能晚于结束日期"));
        }
    }
    let bugs: Vec<_> = db
        .bugs()?
        .into_iter()
        .filter(|x| {
            let day = dates::from_iso(&x.received_date);
            from.is_none_or(|f| day.is_some_and(|d| d >= f))
                && to.is_none_or(|t| day.is_some_and(|d| d <= t))
        })
        .collect();
    let bugs = bugs_for_export(db, bugs)?;
    let (bytes, note) = crate::excel::bugs::bug_ledger(&bugs)?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok(Exported {
        notes: note.into_iter().collect(),
        ..written(out, bugs.len())
    })
}

/// The Bug收集反馈表 of the bugs a list filter lets through (the window's current list).
pub fn bug_ledger_filtered(db: &Db, filter: &BugFilter, out: &Path) -> Result<Exported> {
    let bugs = bugs_for_export(db, db.bugs_where(filter)?)?;
    let (bytes, note) = crate::excel::bugs::bug_ledger(&bugs)?;
    write_atomic(out, &bytes, "xlsx", Existing::Replace)?;
    Ok(Exported {
        notes: note.into_iter().collect(),
        ..written(out, bugs.len())
    })
}

/// The Monday of the week (Monday–Sunday) that holds `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The 新增Bug周报 of the week holding `day` (Monday–Sunday): the bugs reported in it with
/// where each stands. Returns the Monday too.
pub fn bug_weekly(
    db: &Db,
    day: NaiveDate,
    out: &Path,
    existing: Existing,
) -> Result<(NaiveDate, Exported)> {
    let monday = monday_of(day);
    let sunday = monday + chrono::Duration::days(6);
    let bugs: Vec<_> = db
        .bugs()?
        .into_iter()
        .filter(|b| dates::from_iso(&b.received_date).is_some_and(|d| d >= monday && d <= sunday))
        .collect();
    let bugs = bugs_for_export(db, bugs)?;
    let (bytes, note) = crate::excel::bugs::bug_weekly(monday, &bugs)?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok((
        monday,
        Exported {
            notes: note.into_iter().collect(),
            ..written(out, bugs.len())
        },
    ))
}

/// Whether exports and reports mask personal data (`privacy.mask_exports`, issue 13).
fn masking(db: &Db) -> Result<bool> {
    Ok(db.setting("privacy.mask_exports")?.as_deref() == Some("on"))
}

/// A requirement as a masked export shows it: the doctor's name and account masked, phone
/// numbers in free text masked (`domain::privacy`).
fn masked(mut r: crate::store::Requirement) -> crate::store::Requirement {
    use crate::domain::privacy::{mask_account, mask_name, mask_text};
    // the names as written in free text too (issue 19: 医生原话 and 概述 quote them)
    let (doctor, requester, account) = (
        r.doctor_name.clone(),
        r.requester.clone(),
        r.app_account.clone(),
    );
    let names = [doctor.as_str(), requester.as_str(), account.as_str()];
    r.doctor_name = mask_name(&r.doctor_name);
    r.requester = mask_name(&r.requester);
    r.app_account = mask_account(&r.app_account);
    for text in [
        &mut r.doctor_words,
        &mut r.overview,
        &mut r.brief,
        &mut r.remark,
        &mut r.register_remark,
        &mut r.conversion_summary,
        &mut r.new_intensity,
        &mut r.new_simplifies,
        &mut r.new_similar,
        &mut r.imp_annoyance,
        &mut r.imp_steps,
    ] {
        *text = mask_text(text, &names);
    }
    r
}

/// The requirement as an export shows it: masked when the setting says so.
fn for_export(db: &Db, r: crate::store::Requirement) -> Result<crate::store::Requirement> {
    Ok(if masking(db)? { masked(r) } else { r })
}

/// Register rows as an export shows them: phone numbers in 梗概 and 备注 masked when the
/// setting says so.
fn rows_for_export(
    db: &Db,
    mut rows: Vec<crate::store::RegisterRow>,
) -> Result<Vec<crate::store::RegisterRow>> {
    if masking(db)? {
        use crate::domain::privacy::{mask_name, mask_text};
        for r in &mut rows {
            let names = [r.requester.clone()];
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            r.requester = mask_name(&r.requester);
            r.brief = mask_text(&r.brief, &names);
            r.remark = mask_text(&r.remark, &names);
        }
    }
    Ok(rows)
}

/// Bugs as an export shows them: phone numbers in their texts masked when the setting says so.
fn bugs_for_export(db: &Db, mut bugs: Vec<BugView>) -> Result<Vec<BugView>> {
    if masking(db)? {
        use crate::domain::privacy::mask_phones;
        for b in &mut bugs {
            b.content = mask_phones(&b.content);
            b.steps = mask_phones(&b.steps);
            b.remark = mask_phones(&b.remark);
        }
    }
    Ok(bugs)
}

/// 附表1 需求延期交付申请 of application `id`, or blank (`None`), as bytes: with
/// `privacy.mask_exports` on, its 需求概述, reason and the leaders' comments masked as the
/// requirement's own exports are (issue 19: the form quoted the doctor's phone number).
pub fn delay_form(db: &Db, id: Option<i64>) -> Result<Vec<u8>> {
    delay_form_printed(db, id).map(|(bytes, _)| bytes)
}

/// [`delay_form`], and what its export says when it prints on more than one page.
pub fn delay_form_printed(db: &Db, id: Option<i64>) -> Result<(Vec<u8>, Option<String>)> {
    let Some(id) = id else {
        return crate::excel::forms::delay_form_printed(None);
    };
    let mut d = db.delay(id)?;
    if masking(db)? {
        use crate::domain::privacy::mask_text;
        let r = db.requirement(&d.number)?;
        let names = [
            r.doctor_name.as_str(),
            r.requester.as_str(),
            r.app_account.as_str(),
        ];
        d.overview = mask_text(&d.overview, &names);
        d.reason = mask_text(&d.reason, &names);
        for s in &mut d.signoffs {
            s.comment = mask_text(&s.comment, &names);
        }
    }
    crate::excel::forms::delay_form_printed(Some(&d))
}

/// 附表2 需求报告表 of requirement `number`, or blank (`None`), to `out`.
/// Errors: `NotFound` for an unknown number; `Invalid` when the file cannot be written.
pub fn report_form(
    db: &Db,
    number: Option<&str>,
    out: &Path,
    existing: Existing,
) -> Result<Exported> {
    let req = number
        .map(|n| db.requirement(n).and_then(|r| for_export(db, r)))
        .transpose()?;
    let (bytes, note) = crate::excel::forms::report_form_printed(req.as_ref())?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok(Exported {
        notes: note.into_iter().collect(),
        ..written(out, usize::from(req.is_some()))
    })
}

/// 附表3 需求登记反馈表 of the requirements `query` selects (all of them: its paging is ignored),
/// to `out`, in the register's order. `today` decides 逾期. `progress(done, total)` is called
/// as rows are written (a large export takes seconds).
pub fn register(
    db: &Db,
    query: &crate::store::RegisterQuery,
    today: NaiveDate,
    out: &Path,
    existing: Existing,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Exported> {
    let all = crate::store::RegisterQuery {
        offset: 0,
        limit: None,
        ..query.clone()
    };
    let rows = rows_for_export(db, db.register(&all, today)?.rows)?;
    let bytes = crate::excel::register::register_book(
        crate::domain::forms::REGISTER.title,
        &rows,
        &|_| false,
        progress,
    )?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok(written(out, rows.len()))
}

/// What the 新增需求收集周报 wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Weekly {
    /// The week's Friday (YYYY-MM-DD).
    pub friday: String,
    /// 需求编号 of the requirements to decide at the week's meeting.
    pub agenda: Vec<String>,
    /// The mail's body, as written to 周报正文.txt.
    pub body: String,
    /// The files written, in the folder.
    pub files: Vec<String>,
}

/// A week's report before anything is written: its Friday, agenda, mail body, and whether it
/// was sent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WeeklyPreview {
    pub friday: String,
    pub agenda: Vec<crate::store::AgendaItem>,
    pub body: String,
    pub sent: Option<crate::store::WeeklySent>,
    /// The decision meeting's default time (policy R3), as typed: `2014-06-21 10:00`.
    pub meeting_at: String,
    /// From how many forms they are packed into one .zip.
    pub zip_from: usize,
}

/// The week holding `day`: its agenda and the mail body `sender` signs (SPEC §9).
pub fn weekly_preview(db: &Db, day: NaiveDate, sender: &str) -> Result<WeeklyPreview> {
    use crate::domain::weekly::{friday_of, mail_body, AgendaLine};
    let friday = friday_of(day);
    let mut agenda = db.weekly_agenda(friday)?;
    if masking(db)? {
        use crate::domain::privacy::{mask_name, mask_text};
        for a in &mut agenda {
            let names = [a.requester.clone()];
            a.brief = mask_text(&a.brief, &[names[0].as_str()]);
            a.requester = mask_name(&a.requester);
        }
    }
    let (from, to) = crate::domain::weekly::intake(friday);
    let received = db.received_count(from, to)?;
    let lines: Vec<AgendaLine<'_>> = agenda
        .iter()
        .map(|a| AgendaLine {
            number: &a.number,
            brief: &a.brief,
            reporter: &a.reporter,
            requester: &a.requester,
            discussed_again: a.discussed_again,
        })
        .collect();
    let body = mail_body(friday, received, &lines, sender);
    Ok(WeeklyPreview {
        friday: dates::iso(friday),
        sent: db.weekly_sent(friday)?,
        agenda,
        body,
        meeting_at: crate::domain::weekly::meeting_time(friday),
        zip_from: crate::domain::weekly::ZIP_FROM,
    })
}

/// Who signs the weekly mail: the operator with their department, else the collecting
/// department (资讯部, SPEC §1).
pub fn sender(db: &Db, person_id: Option<i64>) -> String {
    match person_id.and_then(|id| db.person(id).ok()) {
        Some(p) if !p.department.is_empty() => format!("{} {}", p.department, p.name),
        Some(p) => p.name,
        None => "资讯部".to_string(),
    }
}

/// The name of the weekly report's body file.
pub const WEEKLY_BODY_FILE: &str = "周报正文.txt";

/// The 新增需求收集周报 of the week holding `day` (its Friday; SPEC §9), written into `folder`
/// (made when missing): 周报正文.txt (the mail body), the full 需求登记反馈表 with the agenda's
/// rows highlighted yellow, and the agenda's 需求报告表 — packed into one .zip when there are
/// 10 or more. Files of the same week are replaced. `sender` signs the mail.
/// Errors: `Invalid` naming the folder when it cannot be made or written.
pub fn weekly(db: &Db, day: NaiveDate, folder: &Path, sender: &str) -> Result<Weekly> {
    let WeeklyPreview {
        friday,
        agenda,
        body,
        ..
    } = weekly_preview(db, day, sender)?;
    let friday = dates::from_iso(&friday).unwrap_or(day);
    std::fs::create_dir_all(folder).map_err(|e| {
        crate::Error::invalid(
            "out",
            format!(
                "无法创建文件夹 {}：{}",
                folder.display(),
                crate::error::io_reason(&e)
            ),
        )
    })?;
    let stamp = dates::compact(friday);
    let mut files = Vec::new();
    let body_path = folder.join(WEEKLY_BODY_FILE);
    write_atomic(&body_path, body.as_bytes(), "txt", Existing::Replace)?;
    files.push(body_path.display().to_string());

    let rows = db
        .register(
            &crate::store::RegisterQuery {
                // the register as it stood that Friday: what had come in by then
                received_to: Some(dates::iso(friday)),
                limit: None,
                ..Default::default()
            },
            friday,
        )?
        .rows;
    let rows = rows_for_export(db, rows)?;
    let marked: std::collections::HashSet<&str> =
        agenda.iter().map(|a| a.number.as_str()).collect();
    let title = format!(
        "{}（{} 周报，标黄为本周待决策）",
        crate::domain::forms::REGISTER.title,
        dates::chinese(friday)
    );
    let book = crate::excel::register::register_book(
        &title,
        &rows,
        &|r| marked.contains(r.number.as_str()),
        &mut |_, _| {},
    )?;
    let register_path = folder.join(format!(
        "{}_{stamp}.xlsx",
        crate::domain::forms::REGISTER.title
    ));
    write_atomic(&register_path, &book, "xlsx", Existing::Replace)?;
    files.push(register_path.display().to_string());

    let mut forms: Vec<(String, Vec<u8>)> = Vec::new();
    for a in &agenda {
        let req = for_export(db, db.requirement(&a.number)?)?;
        forms.push((
            crate::excel::forms::report_form_file_name(Some(&a.number)),
            crate::excel::forms::report_form(Some(&req))?,
        ));
    }
    let zip_path = folder.join(format!(
        "{}_{stamp}.zip",
        crate::domain::forms::REPORT.title
    ));
    if forms.len() >= crate::domain::weekly::ZIP_FROM {
        write_atomic(&zip_path, &zip_of(&forms)?, "zip", Existing::Replace)?;
        files.push(zip_path.display().to_string());
        // written again for the same week: its forms are in the archive, not loose as well
        for (name, _) in &forms {
            let _ = std::fs::remove_file(folder.join(name));
        }
    } else {
        for (name, bytes) in &forms {
            let p = folder.join(name);
            write_atomic(&p, bytes, "xlsx", Existing::Replace)?;
            files.push(p.display().to_string());
        }
        // an archive of an earlier run of this week no longer matches
        let _ = std::fs::remove_file(&zip_path);
    }
    Ok(Weekly {
        friday: dates::iso(friday),
        agenda: agenda.into_iter().map(|a| a.number).collect(),
        body,
        files,
    })
}

/// Files packed into one .zip (names as they are: UTF-8, which Windows 10+ and WPS read).
fn zip_of(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    use std::io::Write;
    let failed = |e: String| crate::Error::Io(std::io::Error::other(format!("打包失败：{e}")));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| failed(e.to_string()))?;
        zip.write_all(bytes).map_err(|e| failed(e.to_string()))?;
    }
    Ok(zip
        .finish()
        .map_err(|e| failed(e.to_string()))?
        .into_inner())
}

/// The 需求收集处理月度总结 of `month` and the twelve months up to it (oldest first).
pub fn monthly_summary(
    db: &Db,
    month: crate::domain::monthly::Month,
) -> Result<(
    crate::domain::monthly::MonthSummary,
    Vec<crate::domain::monthly::MonthSummary>,
)> {
    use crate::domain::monthly::{summarize, trend_months};
    let facts = db.month_facts()?;
    let trend: Vec<_> = trend_months(month)
        .into_iter()
        .map(|m| summarize(m, &facts))
        .collect();
    let summary = trend
        .last()
        .cloned()
        .unwrap_or_else(|| summarize(month, &facts));
    Ok((summary, trend))
}

/// The monthly summary as a workbook with native charts, to `out`.
pub fn monthly(
    db: &Db,
    month: crate::domain::monthly::Month,
    out: &Path,
    existing: Existing,
) -> Result<crate::domain::monthly::MonthSummary> {
    let (summary, trend) = monthly_summary(db, month)?;
    let bytes = crate::excel::monthly::monthly_book(&summary, &trend)?;
    write_atomic(out, &bytes, "xlsx", existing)?;
    Ok(summary)
}
