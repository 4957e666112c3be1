//! Excel at the edges: importing legacy registers and forms (and, later, exporting the forms).
//! Knows nothing of Tauri and holds no SQL.

pub mod import;
