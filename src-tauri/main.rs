// Genjin's one binary: no subcommand opens the window, a subcommand runs headless.
fn main() {
    std::process::exit(genjin::cli::main(std::env::args_os()));
}
