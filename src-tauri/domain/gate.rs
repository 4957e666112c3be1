//! What a user may do next with a record, as the core derives it: every record type with steps
//! (requirements, delay applications, bugs) answers each step with a [`Gate`], and the window
//! enables exactly the open ones and shows the reason of the closed ones.

/// Whether a step is open, and if not, why (in Chinese, as the window shows it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Gate {
    pub open: bool,
    pub why: &'static str,
}

impl Gate {
    pub const OPEN: Gate = Gate {
        open: true,
        why: "",
    };

    pub fn closed(why: &'static str) -> Gate {
        Gate { open: false, why }
    }

    /// Open when `cond`, else closed for `why`.
    pub fn when(cond: bool, why: &'static str) -> Gate {
        if cond {
            Gate::OPEN
        } else {
            Gate::closed(why)
        }
    }
}
