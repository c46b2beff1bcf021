//! Validated configuration: what [`crate::cli::Args`] means, checked once before anything starts.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::cli::{Args, Command, EvalArgs, EvalLayer, ExportArgs, PolnearPart, ServeArgs};
use crate::formats::ExportFormat;
use crate::ingest::Input;

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Config {
    /// Serve documents over HTTP.
    Serve(ServeConfig),
    /// Print annotations.
    Annotate(AnnotateConfig),
    /// Measure the annotator on the corpora.
    Eval(EvalConfig),
    /// Write the library out.
    Export(ExportConfig),
}

/// A checked `export`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportConfig {
    /// Only corrected documents.
    pub corrections: bool,
    /// Where to write; `None` prints JSON Lines.
    pub out: Option<PathBuf>,
    /// The library's folder.
    pub data: Option<PathBuf>,
}

/// A checked `eval`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalConfig {
    /// What to run.
    pub options: eval::Options,
    /// JSON instead of a table.
    pub json: bool,
    /// Score against this gold folder instead of the corpora.
    pub gold: Option<PathBuf>,
}

/// A checked `serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// Where to listen; port 0 means any free port.
    pub addr: SocketAddr,
    /// Files (or stdin) to add to the library; empty serves the library as it is.
    pub inputs: Vec<Input>,
    /// The library's folder; `None` when there is no home folder to put it in (then `--data` is required).
    pub data: Option<PathBuf>,
    /// Viewers with a link may add documents.
    pub allow_upload: bool,
    /// Largest request body, in bytes.
    pub max_upload: u64,
    /// Names besides localhost, the host name and IP addresses that requests may name.
    pub allow_hosts: Vec<String>,
    /// Watch the files given for changes.
    pub watch: bool,
    /// Who may write notes and corrections.
    pub review: crate::review::ReviewPolicy,
    /// The rules alone, without the learned model.
    pub fast: bool,
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
    /// How to write.
    pub format: ExportFormat,
    /// Where to write files, one per document; `None` prints.
    pub out: Option<PathBuf>,
    /// The rules alone, without the learned model.
    pub fast: bool,
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
    /// `--max-upload` is not a size.
    #[error("invalid --max-upload: {0}")]
    Size(String),
    /// Several documents in a format of one document per file, to standard output.
    #[error("--format {0} writes one document per file: give --out DIR for several")]
    OutNeeded(ExportFormat),
    /// `--allow-host` is not a host name.
    #[error("invalid --allow-host {0:?}: expected a host name such as lectern.office.lan")]
    AllowHost(String),
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
                let format = a.format;
                let one_per_file = matches!(
                    format,
                    ExportFormat::Brat | ExportFormat::Csv | ExportFormat::Markdown | ExportFormat::Html
                );
                if one_per_file && inputs.len() > 1 && a.out.is_none() {
                    return Err(ConfigError::OutNeeded(format));
                }
                Ok(Config::Annotate(AnnotateConfig { inputs, format, out: a.out, fast: a.fast }))
            }
            Some(Command::Eval(a)) => Ok(Config::Eval(eval_config(a))),
            Some(Command::Export(ExportArgs { corrections, out, data })) => {
                Ok(Config::Export(ExportConfig { corrections, out, data: data.or_else(crate::store::default_dir) }))
            }
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
    EvalConfig {
        options: eval::Options { data: a.data, errors, limit: a.limit, limit_docs, polnear, accurate: a.accurate },
        json: a.json,
        gold: a.gold,
    }
}

fn serve(a: ServeArgs) -> Result<Config, ConfigError> {
    let ip = match (&a.host, a.lan) {
        (Some(h), _) => host(h)?,
        (None, true) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        (None, false) => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    let max_upload = crate::size::parse(&a.max_upload).map_err(ConfigError::Size)?;
    let mut allow_hosts = Vec::new();
    for h in a.allow_host.iter().map(|h| h.trim()).filter(|h| !h.is_empty()) {
        let valid = h.len() <= 253
            && h.split('.')
                .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if !valid {
            return Err(ConfigError::AllowHost(h.to_string()));
        }
        allow_hosts.push(h.to_ascii_lowercase());
    }
    Ok(Config::Serve(ServeConfig {
        addr: SocketAddr::new(ip, a.port),
        inputs: inputs(a.files)?,
        data: a.data.or_else(crate::store::default_dir),
        allow_upload: a.allow_upload && !a.read_only,
        max_upload,
        allow_hosts,
        watch: !a.no_watch,
        fast: a.fast,
        review: match (a.read_only, a.notes) {
            (true, _) => crate::review::ReviewPolicy::Off,
            (false, crate::cli::NotesArg::Owner) => crate::review::ReviewPolicy::Owner,
            (false, crate::cli::NotesArg::Viewers) => crate::review::ReviewPolicy::Viewers,
        },
    }))
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
    fn no_arguments_serve_the_library_on_loopback_with_the_defaults() {
        let Ok(Config::Serve(c)) = config(&["lectern"]) else { panic!("no arguments serve") };
        assert_eq!(c.addr, SocketAddr::from(([127, 0, 0, 1], 3000)));
        assert!(c.inputs.is_empty() && !c.allow_upload && c.watch && c.allow_hosts.is_empty());
        assert_eq!(c.max_upload, 20 * 1024 * 1024);
        assert_eq!(c.data, crate::store::default_dir());
    }

    #[test]
    fn lan_listens_everywhere_and_options_are_checked() {
        let Ok(Config::Serve(c)) = config(&["lectern", "--lan", "--data", "/tmp/lib", "--max-upload", "1M"]) else {
            panic!("--lan parses")
        };
        assert_eq!(c.addr, SocketAddr::from(([0, 0, 0, 0], 3000)));
        assert!(c.is_exposed());
        assert_eq!((c.data, c.max_upload), (Some(PathBuf::from("/tmp/lib")), 1 << 20));
        assert!(matches!(config(&["lectern", "--max-upload", "big"]), Err(ConfigError::Size(_))));
        assert!(matches!(config(&["lectern", "--allow-host", "a b"]), Err(ConfigError::AllowHost(_))));
        let Ok(Config::Serve(c)) = config(&["lectern", "--allow-host", "Lectern.Office.LAN"]) else { panic!() };
        assert_eq!(c.allow_hosts, ["lectern.office.lan"]);
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
        assert_eq!(c.format, ExportFormat::Json);
        assert_eq!(c.out, None);
        assert!(matches!(
            config(&["lectern", "annotate", "-f", "csv", "a.txt", "b.txt"]),
            Err(ConfigError::OutNeeded(_))
        ));
        assert!(config(&["lectern", "annotate", "-f", "csv", "--out", "x", "a.txt", "b.txt"]).is_ok());
        assert_eq!(config(&["lectern", "annotate", "-", "a.txt", "-"]), Err(ConfigError::StdinTwice));
    }
}
