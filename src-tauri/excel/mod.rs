//! Excel at the edges: importing legacy registers and forms, exporting the forms to print.
//! Knows nothing of Tauri and holds no SQL.

pub mod bugs;
pub mod forms;
pub mod import;
