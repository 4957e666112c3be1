//! What the store hands the shells and the exports: records as read, with what the domain
//! derived from them. Plain data (serde), no SQL: `excel/` builds its workbooks from these
//! without depending on the store (issue 21: the store↔excel circle cut), and the store fills
//! them (`store/*`: the `from_row`s).

use crate::domain::bug::BugState;
use crate::domain::delay::{DelayState, Opinion, SignLevel};
use crate::domain::requirement::{Decision, Grade, Kind, Status, Steps};
use serde::Serialize;

/// An attachment as lists show it (without its bytes).
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub added_by: String,
    pub added_at: String,
}

/// One signature on an application.
#[derive(Debug, Clone, Serialize)]
pub struct SignoffView {
    pub level: SignLevel,
    pub signer: String,
    pub opinion: Opinion,
    pub comment: String,
    /// The day written beside the signature.
    pub signed_on: String,
    /// Who typed it in, and when (RFC 3339).
    pub recorded_by: String,
    pub recorded_at: String,
}

/// An application as a requirement's views show it.
#[derive(Debug, Clone, Serialize)]
pub struct DelayView {
    pub id: i64,
    /// 需求编号 of its requirement.
    pub number: String,
    pub applicant: String,
    pub applicant_department: String,
    pub filed_date: String,
    pub original_date: Option<String>,
    pub new_date: String,
    pub overview: String,
    pub reason: String,
    /// The short reason in force: the one given, else the reason's first clause.
    pub short_reason: String,
    /// When the approval was recorded (RFC 3339).
    pub approved_at: Option<String>,
    /// The day the last level agreed: the new date is in force from then.
    pub approved_on: Option<String>,
    pub rejected_on: Option<String>,
    pub withdrawn_at: Option<String>,
    pub created_at: String,
    pub version: i64,
    /// The signatures so far, in the order of the levels.
    pub signoffs: Vec<SignoffView>,
    /// The signed paper, photographed or scanned (`store::attachments`).
    pub scans: Vec<AttachmentView>,
    // derived
    pub state: DelayState,
    /// The state as a stable code (`pending`, `approved`, `rejected`, `withdrawn`) for styling.
    pub state_code: &'static str,
    /// 逾期申请: filed after the original date had passed.
    pub filed_late: bool,
    /// The level that signs next while it is 待签 (`None` otherwise), and its code.
    pub next_level: Option<SignLevel>,
    pub next_level_code: Option<&'static str>,
    /// Whether it may be withdrawn now (`domain::delay::check_withdrawal`), and why not.
    pub withdraw: crate::domain::gate::Gate,
    /// The signature that may be voided now (`domain::delay::check_void`): the latest, while
    /// the application is not approved.
    pub voidable: Option<SignLevel>,
}

/// A bug as its views show it.
#[derive(Debug, Clone, Serialize)]
pub struct BugView {
    pub id: i64,
    pub number: String,
    pub reporter: String,
    pub found_date: Option<String>,
    pub received_date: String,
    pub phone_model: String,
    pub os_version: String,
    pub app_version: String,
    pub content: String,
    pub steps: String,
    pub hospital: String,
    pub clinic_department: String,
    pub bug_type: String,
    pub severity: String,
    pub channel: String,
    pub reproduced: Option<bool>,
    pub reproduced_by: String,
    pub reproduced_at: Option<String>,
    pub reproduce_note: String,
    pub tracker_id: String,
    pub tracker_url: String,
    pub fixed_date: Option<String>,
    pub fixed_version: String,
    /// 关联需求: the requirement it became.
    pub requirement: Option<String>,
    /// Whether the reporter was copied when it was filed in the tracker (SPEC §6 B2).
    pub reporter_copied: bool,
    pub remark: String,
    pub withdrawn_at: Option<String>,
    pub version: i64,
    /// Screenshots kept with it.
    pub screenshots: Vec<AttachmentView>,
    // derived
    pub state: BugState,
    pub state_code: &'static str,
    /// What may be done next.
    pub next: crate::domain::bug::BugSteps,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    pub number: String,
    pub reporter: String,
    pub requester: String,
    pub decision: String,
    pub grade: String,
    /// As first promised: after an approved delay the register keeps it (the policy's way).
    pub expected_delivery: Option<String>,
    pub actual_delivery: Option<String>,
    pub status: String,
    /// The status as a stable code (`open`, `delayed`, `done`) for styling.
    pub status_code: &'static str,
    pub brief: String,
    pub remark: String,
    pub received_date: String,
    pub withdrawn: bool,
    pub overdue: bool,
}

impl RegisterRow {
    /// The value of a 附表3 field (`domain::forms::REGISTER`'s keys) as stored: days
    /// `YYYY-MM-DD`, an empty day `None`; an unknown key `None`.
    pub fn value(&self, key: &str) -> Option<&str> {
        fn text(s: &str) -> Option<&str> {
            Some(s)
        }
        match key {
            "number" => text(&self.number),
            "reporter" => text(&self.reporter),
            "requester" => text(&self.requester),
            "decision" => text(&self.decision),
            "grade" => text(&self.grade),
            "expected_delivery" => self.expected_delivery.as_deref(),
            "actual_delivery" => self.actual_delivery.as_deref(),
            "status" => text(&self.status),
            "brief" => text(&self.brief),
            "remark" => text(&self.remark),
            "received_date" => text(&self.received_date),
            _ => None,
        }
    }
}

/// A requirement as stored, with what is derived from it.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    pub source: String,
    pub reporter: String,
    pub reporter_department: String,
    pub report_date: Option<String>,
    pub received_date: String,
    pub requester: String,
    pub doctor_name: String,
    pub hospital: String,
    pub clinic_department: String,
    pub app_account: String,
    pub doctor_words: String,
    pub overview: String,
    pub brief: String,
    pub new_intensity: String,
    pub new_simplifies: String,
    pub new_similar: String,
    pub imp_phone_model: String,
    pub imp_os_version: String,
    pub imp_annoyance: String,
    pub imp_steps: String,
    pub decision: Option<Decision>,
    pub grade: Option<Grade>,
    pub decision_date: Option<String>,
    pub conversion_summary: String,
    /// Why 不做, passed on to the requester (optional).
    pub decision_reason: String,
    pub plan_doc_number: String,
    pub plan_estimated_date: Option<String>,
    pub plan_actual_date: Option<String>,
    pub it_acceptance_estimated: Option<String>,
    pub it_acceptance_actual: Option<String>,
    pub expected_delivery: Option<String>,
    pub actual_delivery: Option<String>,
    pub remark: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_reason: String,
    /// Who answers for its steps (SPEC §6): filled when one of them first does a step, editable.
    pub collector: String,
    pub product_manager: String,
    pub it_owner: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    // derived
    pub status: Status,
    /// The status as a stable code (`open`, `delayed`, `done`) for styling.
    pub status_code: &'static str,
    /// The delivery date in force (`domain::delay::in_force`): the latest approved delay's new
    /// date, else 预期交付日.
    pub promised_date: Option<String>,
    pub register_remark: String,
    /// Every delay application, withdrawn ones too, in the order filed.
    pub delays: Vec<DelayView>,
    /// Screenshots kept with it (issue 20), oldest first, without their bytes.
    pub screenshots: Vec<AttachmentView>,
    /// What the user may do next (the window enables exactly these).
    pub steps: Steps,
    /// 逾期交付: delivered after the date in force.
    pub delivered_late: bool,
    /// 逾期 as of the day the record was read for (`Db::requirement_on`); false when read
    /// without a day (`Db::requirement`).
    pub overdue: bool,
    /// Who may be named as having done each step, for someone recording it on their behalf
    /// (`Db::with_doers`; empty until asked).
    pub doers: Vec<StepDoer>,
}

/// Who may be named as having done one step (issue 19): the active holders of its role, and
/// the one named unless someone else is chosen — the operator when they hold the role, else no
/// one (the step is then recorded without a doer).
#[derive(Debug, Clone, Serialize)]
pub struct StepDoer {
    /// `plan`, `it_acceptance`, `expect`, `complete` (the `Steps` they belong to).
    pub step: &'static str,
    /// The role whose step it is (`产品经理`, `IT`).
    pub role: &'static str,
    pub people: Vec<String>,
    pub default: String,
}
