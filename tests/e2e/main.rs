//! End-to-end tests: the real window under Xvfb, driven through tauri-driver + WebKitWebDriver.
//! Run one at a time (`--test-threads=1`): each starts its own display and app.

mod bench;
mod desk;
mod flows;
mod harness;
