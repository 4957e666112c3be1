//! Integration tests: one binary, a module per area (see ripgrep's layout).
//! `store` drives the core on temp databases, `cli` the real binary, `ipc` the Tauri commands
//! through the mock runtime (no window).

mod assessment;
mod backup;
mod cli;
mod common;
mod desk;
mod engines;
mod import;
mod ipc;
mod packaging;
mod printing;
mod privacy;
mod roles;
mod store;
mod sync;
mod tidy;
