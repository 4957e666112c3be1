//! The operations both shells offer, each written once: the window's commands and the command
//! line call these, never the steps inside them (as gitbutler's `but-api` serves its app and its
//! CLI). Knows nothing of Tauri: a shell hands in the database, and for the wizard its session
//! and cancel flag, and runs the call where it likes (the window on a blocking thread).

pub mod about;
pub mod connection;
pub mod copy;
pub mod exports;
pub mod import;
pub mod sync;
