//! `genjin-cli` (issue 23): Genjin's command line for a terminal on Windows. There a release
//! `genjin.exe` is a windows-subsystem program (no console window when started from the Start
//! menu), which cannot print to the terminal it was typed in; `genjin-cli.exe` is the same
//! Genjin as a console program — every subcommand, its output, its password prompt and exit
//! codes (without a subcommand it opens the window, as `genjin` does). The other way, attaching
//! the window's program to its parent's console, needs `unsafe` Windows calls, which this crate
//! forbids.
//!
//! Elsewhere `genjin` prints anyway; so that the same command works on every PC, `genjin-cli`
//! there runs the `genjin` installed beside it (in place of itself: nothing of the core is
//! linked twice into the package).

#[cfg(windows)]
fn main() {
    std::process::exit(genjin::cli::main(std::env::args_os()));
}

#[cfg(unix)]
fn main() {
    use std::os::unix::process::CommandExt;
    let genjin = match std::env::current_exe() {
        Ok(me) => me.with_file_name("genjin"),
        Err(e) => {
            eprintln!("找不到跟进程序本身的位置：{e}");
            std::process::exit(1);
        }
    };
    // returns only when genjin could not be started
    let e = std::process::Command::new(&genjin)
        .args(std::env::args_os().skip(1))
        .exec();
    eprintln!("无法启动“{}”：{e}", genjin.display());
    std::process::exit(1);
}
