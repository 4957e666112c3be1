//! Builds a record's timeline (`domain::timeline`) from what the store keeps: the record's own
//! dates, its history rows, its notifications and its delay applications.

use super::Db;
use crate::domain::dates;
use crate::domain::fields::notification_summary;
use crate::domain::requirement::Decision;
use crate::domain::timeline::{
    requirement_timeline, DelayRecord, Event, HistoryFact, NoticeFact, RequirementDates,
    SignatureFact,
};
use crate::error::Result;
use chrono::DateTime;

impl Db {
    /// What happened to a requirement, oldest first. Errors: `NotFound` for an unknown number.
    pub fn requirement_timeline(&self, number: &str) -> Result<Vec<Event>> {
        let req = self.requirement(number)?;
        let day = |s: &Option<String>| s.as_deref().and_then(dates::from_iso);
        let decision = match (req.decision, req.grade) {
            (Some(d), Some(g)) => format!("{} {}", d.label(), g.label()),
            (Some(d), None) => d.label().to_string(),
            (None, _) => String::new(),
        };
        let decision =
            if req.decision == Some(Decision::Convert) && !req.conversion_summary.is_empty() {
                format!("{decision}：{}", req.conversion_summary)
            } else {
                decision
            };
        let record = RequirementDates {
            report_date: day(&req.report_date),
            received_date: dates::from_iso(&req.received_date),
            decision_date: day(&req.decision_date),
            decision,
            plan_actual_date: day(&req.plan_actual_date),
            it_acceptance_actual: day(&req.it_acceptance_actual),
            actual_delivery: day(&req.actual_delivery),
        };
        let history: Vec<HistoryFact> = self
            .history("requirement", req.id)?
            .into_iter()
            .filter_map(|h| {
                Some(HistoryFact {
                    happened_at: DateTime::parse_from_rfc3339(&h.happened_at).ok()?,
                    field: h.field,
                    field_label: h.field_label,
                    old: h.old_value,
                    new: h.new_value,
                    actor: h.actor,
                    recorded_at: h.recorded_at,
                    origin: h.origin,
                })
            })
            .collect();
        let notices: Vec<NoticeFact> = self
            .notification_records(req.id)?
            .into_iter()
            .filter_map(|n| {
                Some(NoticeFact {
                    summary: notification_summary(n.step, n.audience, &n.recipient, &n.channel),
                    sent_at: DateTime::parse_from_rfc3339(&n.sent_at).ok()?,
                    confirmed_at: n
                        .confirmed_at
                        .as_deref()
                        .and_then(|c| DateTime::parse_from_rfc3339(c).ok()),
                    recorded_at: n.recorded_at,
                    recorded_by: n.recorded_by,
                })
            })
            .collect();
        let mut delays: Vec<DelayRecord> = Vec::new();
        for d in &req.delays {
            let origin = self
                .history("delay", d.id)?
                .into_iter()
                .find(|h| h.field == "created" || h.field == "imported")
                .map(|h| h.origin)
                // a delay read from a ledger's 备注 came with its requirement
                .or_else(|| {
                    history
                        .iter()
                        .find(|h| h.field == "imported")
                        .map(|h| h.origin.clone())
                })
                .unwrap_or_default();
            let Some(facts) = d.facts() else { continue };
            delays.push(DelayRecord {
                facts,
                applicant: d.applicant.clone(),
                recorded_at: d.created_at.clone(),
                origin,
                signatures: d
                    .signoffs
                    .iter()
                    .filter_map(|s| {
                        Some(SignatureFact {
                            level: s.level.label().to_string(),
                            signer: s.signer.clone(),
                            opinion: s.opinion.label().to_string(),
                            comment: s.comment.clone(),
                            day: dates::from_iso(&s.signed_on)?,
                            recorded_by: s.recorded_by.clone(),
                            recorded_at: s.recorded_at.clone(),
                        })
                    })
                    .collect(),
            });
        }
        Ok(requirement_timeline(&record, &history, &notices, &delays))
    }
}
