//! `lectern-eval`: run Lectern's evaluation over the shared corpora and print the table (or JSON).
//!
//! ```text
//! cargo run --release -p eval --bin lectern-eval -- --data ../shared/data [--json] [--errors LAYER] [--limit N]
//!                                                   [--limit-docs N | --quick]
//! ```
//!
//! The app exposes the same as `lectern eval`; this binary lets the crate be run on its own.

use std::path::PathBuf;
use std::process::ExitCode;

use eval::{Layer, Options, QUICK_DOCS};

const USAGE: &str = "\
Usage: lectern-eval [OPTIONS]

Measure Lectern's annotator against the gold corpora and print P/R/F1 beside published reference points.

Options:
  --data DIR         corpora directory [default: ../shared/data]
  --json             print the report as JSON instead of a table
  --errors LAYER     also print false positives/negatives of a layer
                     (sentences | hedges | attributions | claims); corpus text, terminal only
  --limit N          most error examples to print, in all [default: 40]
  --limit-docs N     only N documents of each corpus, evenly spaced (ClaimBuster: 40·N sentences)
  --quick            same as --limit-docs 25, for CI
  -h, --help         print this help
";

/// Parsed command line, or a reason to stop.
enum Parsed {
    Run { opts: Options, json: bool },
    Help,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut opts = Options::default();
    let mut json = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = |name: &str| inline.clone().or_else(|| args.next()).ok_or(format!("{name} needs a value"));
        let number = |name: &str, v: String| v.parse::<usize>().map_err(|_| format!("{name}: not a number: {v:?}"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--json" => json = true,
            "--quick" => opts.limit_docs = Some(QUICK_DOCS),
            "--data" => opts.data = PathBuf::from(value("--data")?),
            "--errors" => opts.errors = Some(value("--errors")?.parse::<Layer>()?),
            "--limit" => opts.limit = number("--limit", value("--limit")?)?,
            "--limit-docs" => opts.limit_docs = Some(number("--limit-docs", value("--limit-docs")?)?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Parsed::Run { opts, json })
}

fn main() -> ExitCode {
    let (opts, json) = match parse(std::env::args().skip(1)) {
        Ok(Parsed::Run { opts, json }) => (opts, json),
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("lectern-eval: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut report = eval::run(&opts);
    if json {
        // Error listings quote corpus text: never part of the JSON, printed to stderr instead.
        if let Some(errors) = report.errors.take() {
            eprintln!("{errors}");
        }
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("lectern-eval: cannot serialise the report: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{report}");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn flags_and_values() {
        let Ok(Parsed::Run { opts, json }) = parse(args("--data /d --json --errors hedges --limit=5 --quick")) else {
            panic!("should parse");
        };
        assert!(json);
        assert_eq!(opts.data, PathBuf::from("/d"));
        assert_eq!(opts.errors, Some(Layer::Hedges));
        assert_eq!(opts.limit, 5);
        assert_eq!(opts.limit_docs, Some(QUICK_DOCS));
        assert!(matches!(parse(args("--help")), Ok(Parsed::Help)));
    }

    #[test]
    fn bad_input_is_explained() {
        assert!(parse(args("--errors nouns")).is_err_and(|e| e.contains("sentences")));
        assert!(parse(args("--limit x")).is_err_and(|e| e.contains("not a number")));
        assert!(parse(args("--data")).is_err_and(|e| e.contains("needs a value")));
        assert!(parse(args("--verbose")).is_err());
    }
}
