//! End-to-end tests: the real window under Xvfb, driven through tauri-driver + WebKitWebDriver.
//! Run one at a time (`--test-threads=1`): each starts its own display and app.

mod bench;
// the integration tests' helpers: which database a path stands for in a run on a server
#[path = "../common.rs"]
#[allow(dead_code)]
mod common;
mod desk;
mod flows;
mod harness;
mod installed;
mod laptop;
mod live;
mod shared;
mod together;
