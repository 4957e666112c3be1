//! What crosses the boundary for requirements: the inputs of each step and the record with what
//! is derived from it. The column list is written once ([`COLUMNS`]) and rows are read by name.

use crate::domain::dates;
use crate::domain::delay::in_force;
use crate::domain::requirement::{
    delivered_late, derive_status, is_overdue, register_remark, steps, Decision, Grade, Kind,
    Status, StepFacts,
};
use crate::store::sql::Row;
use crate::store::DelayView;
pub use crate::views::{Requirement, StepDoer};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The report as the reporter filled it (附表2) plus what the collector adds on receipt.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RequirementInput {
    pub kind: Option<Kind>,
    pub source: String,
    pub reporter: String,
    pub reporter_department: String,
    pub report_date: String,
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
    pub remark: String,
    /// With an edit: the version the user saw (a stale one is refused).
    pub version: Option<i64>,
    /// When it was registered (default now): registration is replayed with its time, which
    /// the 周报 (R2) and the assessment depend on (issue 19).
    pub happened_at: Option<String>,
}

/// When a step happened (defaults to now; work is often entered later), the version seen, and
/// who did it when someone records it on their behalf (issue 19: the collector typing in the
/// product manager's estimate from the meeting notes names the product manager; by default the
/// operator did it when they hold the step's role).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepTime {
    pub happened_at: Option<String>,
    pub version: Option<i64>,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DecisionInput {
    pub decision: Decision,
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    pub conversion_summary: String,
    /// Why 不做, to pass on to the requester (optional; only for 不做).
    #[serde(default)]
    pub decision_reason: String,
    /// The day of the decision meeting; defaults to the day it happened.
    #[serde(default)]
    pub decision_date: String,
    #[serde(flatten)]
    pub at: StepTime,
}

/// Who is responsible for a requirement's steps; `None` keeps the stored name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ResponsibleInput {
    pub collector: Option<String>,
    pub product_manager: Option<String>,
    pub it_owner: Option<String>,
    #[serde(flatten)]
    pub at: StepTime,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlanInput {
    pub plan_doc_number: String,
    pub plan_estimated_date: String,
    pub plan_actual_date: String,
    #[serde(flatten)]
    pub at: StepTime,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItAcceptanceInput {
    pub estimated: String,
    pub actual: String,
    #[serde(flatten)]
    pub at: StepTime,
}

/// A single day: the expected delivery date, or the actual delivery (completion).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeliveryInput {
    pub date: String,
    #[serde(flatten)]
    pub at: StepTime,
}

/// The stored columns of a requirement, in one place.
pub(crate) const COLUMNS: &[&str] = &[
    "id",
    "number",
    "kind",
    "source",
    "reporter",
    "reporter_department",
    "report_date",
    "received_date",
    "requester",
    "doctor_name",
    "hospital",
    "clinic_department",
    "app_account",
    "doctor_words",
    "overview",
    "brief",
    "new_intensity",
    "new_simplifies",
    "new_similar",
    "imp_phone_model",
    "imp_os_version",
    "imp_annoyance",
    "imp_steps",
    "decision",
    "grade",
    "decision_date",
    "conversion_summary",
    "decision_reason",
    "plan_doc_number",
    "plan_estimated_date",
    "plan_actual_date",
    "it_acceptance_estimated",
    "it_acceptance_actual",
    "expected_delivery",
    "actual_delivery",
    "remark",
    "withdrawn_at",
    "withdrawn_reason",
    "collector",
    "product_manager",
    "it_owner",
    "created_at",
    "updated_at",
    "version",
];

/// A `requirements` row (selected with [`COLUMNS`]) read by column name; derived fields empty
/// until [`Requirement::derive`].
pub(crate) fn from_row(r: &Row) -> crate::store::sql::Result<Requirement> {
    let kind: String = r.get("kind")?;
    let decision: Option<String> = r.get("decision")?;
    let grade: Option<String> = r.get("grade")?;
    Ok(Requirement {
        id: r.get("id")?,
        number: r.get("number")?,
        kind: Kind::from_code(&kind).unwrap_or(Kind::New),
        source: r.get("source")?,
        reporter: r.get("reporter")?,
        reporter_department: r.get("reporter_department")?,
        report_date: r.get("report_date")?,
        received_date: r.get("received_date")?,
        requester: r.get("requester")?,
        doctor_name: r.get("doctor_name")?,
        hospital: r.get("hospital")?,
        clinic_department: r.get("clinic_department")?,
        app_account: r.get("app_account")?,
        doctor_words: r.get("doctor_words")?,
        overview: r.get("overview")?,
        brief: r.get("brief")?,
        new_intensity: r.get("new_intensity")?,
        new_simplifies: r.get("new_simplifies")?,
        new_similar: r.get("new_similar")?,
        imp_phone_model: r.get("imp_phone_model")?,
        imp_os_version: r.get("imp_os_version")?,
        imp_annoyance: r.get("imp_annoyance")?,
        imp_steps: r.get("imp_steps")?,
        decision: decision.as_deref().and_then(Decision::from_code),
        grade: grade.as_deref().and_then(Grade::from_code),
        decision_date: r.get("decision_date")?,
        conversion_summary: r.get("conversion_summary")?,
        decision_reason: r.get("decision_reason")?,
        plan_doc_number: r.get("plan_doc_number")?,
        plan_estimated_date: r.get("plan_estimated_date")?,
        plan_actual_date: r.get("plan_actual_date")?,
        it_acceptance_estimated: r.get("it_acceptance_estimated")?,
        it_acceptance_actual: r.get("it_acceptance_actual")?,
        expected_delivery: r.get("expected_delivery")?,
        actual_delivery: r.get("actual_delivery")?,
        remark: r.get("remark")?,
        withdrawn_at: r.get("withdrawn_at")?,
        withdrawn_reason: r.get("withdrawn_reason")?,
        collector: r.get("collector")?,
        product_manager: r.get("product_manager")?,
        it_owner: r.get("it_owner")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        version: r.get("version")?,
        status: Status::Open,
        status_code: Status::Open.code(),
        promised_date: None,
        register_remark: String::new(),
        delays: Vec::new(),
        screenshots: Vec::new(),
        steps: steps(StepFacts::default()),
        delivered_late: false,
        overdue: false,
        doers: Vec::new(),
    })
}

impl Requirement {
    /// Works out status, date in force, 备注 and next steps from the record and every delay
    /// recorded so far (approvals are never dated in the future, so that is "as of now"; the
    /// deadline engine asks `in_force` for earlier days).
    pub(crate) fn derive(&mut self) {
        let facts: Vec<_> = self.delays.iter().filter_map(DelayView::facts).collect();
        let expected = self.expected_delivery.as_deref().and_then(dates::from_iso);
        let force = in_force(expected, &facts, NaiveDate::MAX);
        let approved: Vec<(NaiveDate, String)> = force
            .approved
            .iter()
            .map(|d| (d.new_date, d.reason.clone()))
            .collect();
        self.status = derive_status(
            self.decision,
            self.actual_delivery.as_deref().and_then(dates::from_iso),
            u32::try_from(approved.len()).unwrap_or(u32::MAX),
        );
        self.status_code = self.status.code();
        self.promised_date = force.date.map(dates::iso);
        self.register_remark =
            register_remark(&self.conversion_summary, expected, &approved, &self.remark);
        self.steps = steps(StepFacts {
            decision: self.decision,
            withdrawn: self.withdrawn_at.is_some(),
            approved_delays: approved.len(),
            promised: self.expected_delivery.is_some(),
            delivered: self.actual_delivery.is_some(),
            pending_delay: self
                .delays
                .iter()
                .any(|d| d.state == crate::domain::delay::DelayState::Pending),
        });
        self.delivered_late = delivered_late(
            self.actual_delivery.as_deref(),
            self.promised_date.as_deref(),
        );
    }

    /// Works out 逾期 as of `today` (the shells pass the clock's day).
    pub(crate) fn derive_on(&mut self, today: NaiveDate) {
        let promised = self.promised_date.as_deref().and_then(dates::from_iso);
        self.overdue = is_overdue(self.status, promised, today);
    }

    /// The applications in force now, as the rules see them, in the order approved.
    pub fn delays_in_force(&self) -> Vec<crate::domain::delay::DelayFacts> {
        let facts: Vec<_> = self.delays.iter().filter_map(DelayView::facts).collect();
        in_force(None, &facts, NaiveDate::MAX)
            .approved
            .into_iter()
            .cloned()
            .collect()
    }
}
