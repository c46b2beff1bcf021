//! The `lectern` binary: parse, validate, run, and map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 an input could not be read or the server could not start; 2 a usage error.

use std::process::ExitCode;

use lectern::config::Config;

fn main() -> ExitCode {
    let config = match Config::from_args(lectern::cli::parse()) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("lectern: error: {err}");
            return ExitCode::from(2);
        }
    };
    match lectern::commands::run(config) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lectern: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
