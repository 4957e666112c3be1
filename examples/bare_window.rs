//! A bare Tauri window (one static page, no state, no commands) built with the same Tauri and
//! configuration as Genjin: the yardstick for Genjin's launch time (issue 8's target: the first
//! register page within 1.3x of this window's launch). Driven by the window benchmark
//! (`tests/e2e/bench.rs`); see BENCHMARKS.md.
//!
//!     cargo build --release --example bare_window

fn main() {
    let mut context = tauri::generate_context!();
    // not Genjin's window from the configuration: a page of its own
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        // one static page served the way Genjin's own pages are: through a custom protocol
        .register_uri_scheme_protocol("bare", |_ctx, _request| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(b"<!doctype html><title>bare</title><h1 id=bare>bare</h1>".to_vec())
                .expect("a static response")
        })
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(
                app,
                "main",
                tauri::WebviewUrl::CustomProtocol("bare://localhost/".parse().expect("a URL")),
            )
            .title("bare")
            .inner_size(1366.0, 768.0)
            .build()?;
            Ok(())
        })
        .run(context)
        .expect("the bare window runs");
}
