// The capabilities live in src-tauri/capabilities/. tauri-build would otherwise watch a
// `capabilities/` folder beside Cargo.toml; a watched path that does not exist is stale on every
// fingerprint check, so every `cargo build` recompiled the crate even with nothing changed.
fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero with its message on stderr.
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
