// Genjin's one program: no subcommand opens the window, a subcommand runs headless.
// On Windows a release build is a windows-subsystem program (issue 23): started from the Start
// menu it opens the window with no black console window beside it. Such a program cannot print
// to the terminal it was typed in, so the install carries genjin-cli.exe (src-tauri/console.rs)
// for the command line.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() {
    std::process::exit(genjin::cli::main(std::env::args_os()));
}
