//! Validated configuration: what [`crate::cli::Args`] means, checked once before anything starts.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::cli::{Args, Command, EvalArgs, EvalLayer, OutputFormat, PolnearPart, ServeArgs};
use crate::load::Input;

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Config {
    /// Serve documents over HTTP.
    Serve(ServeConfig),
    /// Print annotations.
    Annotate(AnnotateConfig),
    /// Measure the annotator on the corpora.
    Eval(EvalConfig),
}

/// A checked `eval`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalConfig {
    /// What to run.
    pub options: eval::Options,
    /// JSON instead of a table.
    pub json: bool,
}

/// A checked `serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// Where to listen; port 0 means any free port.
    pub addr: SocketAddr,
    /// What to serve; empty means the bundled demo article.
    pub inputs: Vec<Input>,
}

impl ServeConfig {
    /// True when the address answers more than this machine.
    pub fn is_exposed(&self) -> bool {
        !self.addr.ip().is_loopback()
    }
}

/// A checked `annotate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotateConfig {
    /// What to annotate, in order; never empty (no file means stdin).
    pub inputs: Vec<Input>,
    /// How to print.
    pub format: OutputFormat,
}

/// Arguments that parse but make no sense.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// `--host` is not an IP address.
    #[error("invalid --host {0:?}: expected an IP address such as 127.0.0.1, ::1 or 0.0.0.0")]
    Host(String),
    /// `-` given more than once.
    #[error("standard input (-) can be read only once")]
    StdinTwice,
}

impl Config {
    /// Check `args`.
    pub fn from_args(args: Args) -> Result<Config, ConfigError> {
        match args.command {
            None => serve(args.serve),
            Some(Command::Serve(a)) => serve(a),
            Some(Command::Annotate(a)) => {
                let mut inputs = inputs(a.files)?;
                if inputs.is_empty() {
                    inputs.push(Input::Stdin);
                }
                Ok(Config::Annotate(AnnotateConfig { inputs, format: a.format }))
            }
            Some(Command::Eval(a)) => Ok(Config::Eval(eval_config(a))),
        }
    }
}

fn eval_config(a: EvalArgs) -> EvalConfig {
    let errors = a.errors.map(|l| match l {
        EvalLayer::Sentences => eval::Layer::Sentences,
        EvalLayer::Hedges => eval::Layer::Hedges,
        EvalLayer::Attributions => eval::Layer::Attributions,
        EvalLayer::Claims => eval::Layer::Claims,
    });
    let limit_docs = if a.quick { Some(eval::QUICK_DOCS) } else { a.limit_docs };
    let polnear = match a.polnear {
        PolnearPart::Dev => eval::PolnearPart::Dev,
        PolnearPart::Train => eval::PolnearPart::Train,
    };
    EvalConfig { options: eval::Options { data: a.data, errors, limit: a.limit, limit_docs, polnear }, json: a.json }
}

fn serve(a: ServeArgs) -> Result<Config, ConfigError> {
    let ip = host(&a.host)?;
    Ok(Config::Serve(ServeConfig { addr: SocketAddr::new(ip, a.port), inputs: inputs(a.files)? }))
}

/// An IP address; `localhost` is accepted as 127.0.0.1.
fn host(host: &str) -> Result<IpAddr, ConfigError> {
    let host = host.trim();
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| ConfigError::Host(host.to_string()))
}

fn inputs(files: Vec<std::path::PathBuf>) -> Result<Vec<Input>, ConfigError> {
    let inputs: Vec<Input> = files.into_iter().map(Input::from_arg).collect();
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        return Err(ConfigError::StdinTwice);
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(args: &[&str]) -> Result<Config, ConfigError> {
        let args = Args::try_parse_from(args).map_err(|e| ConfigError::Host(e.to_string()))?;
        Config::from_args(args)
    }

    #[test]
    fn no_arguments_serve_the_demo_on_loopback() {
        let expected = ServeConfig { addr: SocketAddr::from(([127, 0, 0, 1], 3000)), inputs: Vec::new() };
        assert_eq!(config(&["lectern"]), Ok(Config::Serve(expected)));
    }

    #[test]
    fn hosts_are_ip_addresses() {
        let Ok(Config::Serve(c)) = config(&["lectern", "serve", "--host", "0.0.0.0", "--port", "0"]) else {
            panic!("0.0.0.0 is a valid host")
        };
        assert!(c.is_exposed());
        assert_eq!(c.addr.port(), 0);
        assert!(matches!(config(&["lectern", "serve", "--host", "[::1]"]), Ok(Config::Serve(c)) if !c.is_exposed()));
        assert!(
            matches!(config(&["lectern", "serve", "--host", "localhost"]), Ok(Config::Serve(c)) if !c.is_exposed())
        );
        assert_eq!(
            config(&["lectern", "serve", "--host", "example.org"]),
            Err(ConfigError::Host("example.org".into()))
        );
    }

    #[test]
    fn annotate_defaults_to_stdin_and_reads_it_once() {
        let Ok(Config::Annotate(c)) = config(&["lectern", "annotate"]) else { panic!("annotate parses") };
        assert_eq!(c.inputs, [Input::Stdin]);
        assert_eq!(c.format, OutputFormat::Json);
        assert_eq!(config(&["lectern", "annotate", "-", "a.txt", "-"]), Err(ConfigError::StdinTwice));
    }
}
