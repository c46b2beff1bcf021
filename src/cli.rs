//! Command-line arguments, as clap parses them. Nothing here is validated beyond types: [`crate::config`] turns
//! these into a checked [`crate::config::Config`].

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::formats::ExportFormat;

/// Lectern: read the news with its machinery visible. Sources, attributions, claims and hedges are highlighted
/// sentence by sentence, in the browser or as JSON.
///
/// Without a subcommand, Lectern serves (with the `serve` options below): `lectern` alone serves its bundled demo
/// article on http://127.0.0.1:3000/.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, about, long_about, args_conflicts_with_subcommands = true)]
pub struct Args {
    /// What to do; `serve` when left out.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `serve`, for when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Lectern's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve documents for reading in the browser (the bundled demo article when no file is given).
    Serve(ServeArgs),
    /// Print the annotation of documents as JSON, without starting a server.
    Annotate(AnnotateArgs),
    /// Measure the annotator against the public gold corpora (or a folder of your own gold, --gold) and print
    /// precision, recall and F1 beside published reference points.
    Eval(EvalArgs),
    /// Write the library's documents as they read after colleagues' corrections, as brat standoff and JSON Lines:
    /// with --corrections, a newsroom's corrections become gold data for `lectern eval --gold`.
    Export(ExportArgs),
}

/// Arguments of `lectern export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Only the documents someone corrected.
    #[arg(long, env = "LECTERN_EXPORT_CORRECTIONS")]
    pub corrections: bool,

    /// Folder to write into: each document's text and annotations (name.txt, name.ann), annotation.conf, and
    /// documents.jsonl with every document's JSON. Without it, the JSON Lines go to standard output.
    #[arg(short, long, env = "LECTERN_OUT", value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Folder of the library (as for `serve --data`).
    #[arg(long, env = "LECTERN_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
}

/// Arguments of `lectern eval`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// Folder holding the corpora (golden-rules/, szeged-uncertainty/, polnear/, claimbuster/); a missing corpus is
    /// skipped with a message.
    #[arg(long, env = "LECTERN_EVAL_DATA", default_value = "../shared/data", value_name = "DIR")]
    pub data: PathBuf,

    /// Print the report as JSON instead of a table.
    #[arg(long, env = "LECTERN_EVAL_JSON")]
    pub json: bool,

    /// Also print false positives and negatives of one layer, with context (corpus text: for the terminal only).
    #[arg(long, env = "LECTERN_EVAL_ERRORS", value_enum, value_name = "LAYER")]
    pub errors: Option<EvalLayer>,

    /// Most error examples to print, in all.
    #[arg(long, env = "LECTERN_EVAL_LIMIT", default_value_t = 40, value_name = "N")]
    pub limit: usize,

    /// Only N documents of each corpus, evenly spaced (ClaimBuster: 40 sentences per document).
    #[arg(long, env = "LECTERN_EVAL_LIMIT_DOCS", value_name = "N", conflicts_with = "quick")]
    pub limit_docs: Option<usize>,

    /// A quick subset (25 documents per corpus), as the test suite runs.
    #[arg(long, env = "LECTERN_EVAL_QUICK")]
    pub quick: bool,

    /// Which part of PolNeAR to score: `dev` (84 articles, where the bars apply) or `train` (840 articles, to see
    /// whether the rules carry over).
    #[arg(long, env = "LECTERN_EVAL_POLNEAR", value_enum, default_value = "dev", value_name = "PART")]
    pub polnear: PolnearPart,

    /// Also score the accurate pipeline (the rules with the learned attribution tagger) beside the fast one, on
    /// attributions and check-worthy claims; it takes minutes on a full run.
    #[arg(long, env = "LECTERN_EVAL_ACCURATE")]
    pub accurate: bool,

    /// Score against this folder of brat standoff gold (name.txt beside name.ann, as `lectern export --corrections
    /// --out DIR` writes it) instead of the public corpora, with the same scorer.
    #[arg(long, env = "LECTERN_EVAL_GOLD", value_name = "DIR", conflicts_with_all = ["quick", "limit_docs", "errors"])]
    pub gold: Option<PathBuf>,
}

/// A part of PolNeAR for `lectern eval --polnear`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolnearPart {
    /// The development articles.
    Dev,
    /// The training articles.
    Train,
}

/// A layer of `lectern eval --errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalLayer {
    /// Sentence boundaries.
    Sentences,
    /// Hedge cues.
    Hedges,
    /// Attributions.
    Attributions,
    /// Check-worthy claims.
    Claims,
}

/// Arguments of `lectern serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// TCP port to listen on; 0 picks a free port (the printed URL shows which).
    #[arg(short, long, env = "LECTERN_PORT", default_value_t = 3000)]
    pub port: u16,

    /// Share on the local network: listen on every interface and print each address. Colleagues then read only
    /// through share links you make, and change nothing (see --allow-upload).
    #[arg(long, env = "LECTERN_LAN", conflicts_with = "host")]
    pub lan: bool,

    /// IP address to listen on, instead of 127.0.0.1 (this machine only) or, with --lan, every interface. Share
    /// links apply on any address: only requests from 127.0.0.1 or ::1 are the owner's.
    #[arg(long, env = "LECTERN_HOST", value_name = "ADDR")]
    pub host: Option<String>,

    /// Folder of the library (its database, lectern.db). Default: the platform's user data folder, e.g.
    /// ~/.local/share/lectern.
    #[arg(long, env = "LECTERN_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Let viewers with a share link add documents (upload and paste). They can never delete.
    #[arg(long, env = "LECTERN_ALLOW_UPLOAD")]
    pub allow_upload: bool,

    /// Read with the rules alone: no learned model is loaded, and documents keep the rules' annotation (fast, for
    /// large archives). By default the rules' annotation is shown at once and the learned model refines it in the
    /// background.
    #[arg(long, env = "LECTERN_FAST")]
    pub fast: bool,

    /// Who may write notes and corrections: `viewers` (you, and colleagues whose link opens the document) or
    /// `owner` (only you).
    #[arg(long, env = "LECTERN_NOTES", value_enum, default_value_t = NotesArg::Viewers, value_name = "WHO")]
    pub notes: NotesArg,

    /// Nobody writes notes or corrections, and viewers add nothing: the library is only read.
    #[arg(long, env = "LECTERN_READ_ONLY", conflicts_with = "allow_upload")]
    pub read_only: bool,

    /// Largest upload or request body, e.g. 20MiB, 512k.
    #[arg(long, env = "LECTERN_MAX_UPLOAD", default_value = "20MiB", value_name = "SIZE")]
    pub max_upload: String,

    /// Another name this machine is reached by (besides localhost, its host name and its addresses), e.g. a DNS
    /// name on the office network; requests naming any other host are refused. Repeat, or separate with commas.
    #[arg(long, env = "LECTERN_ALLOW_HOST", value_name = "NAME", value_delimiter = ',')]
    pub allow_host: Vec<String>,

    /// Do not watch the files given: a change on disk is picked up only when they are given again.
    #[arg(long, env = "LECTERN_NO_WATCH")]
    pub no_watch: bool,

    /// Plain-text or Markdown (.md, .markdown) files to add to the library and watch; `-` reads standard input.
    /// Files that cannot be read are reported and skipped. Without files, the library is served as it is (with the
    /// bundled demo article when it is empty).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Who may write notes and corrections (`--notes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NotesArg {
    /// The owner and viewers with a link.
    Viewers,
    /// Only the owner.
    Owner,
}

/// Arguments of `lectern annotate`.
#[derive(Debug, Clone, clap::Args)]
pub struct AnnotateArgs {
    /// Output format.
    #[arg(short, long, env = "LECTERN_FORMAT", value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// Annotate with the rules alone (megabytes a second, for corpora) instead of the rules and the learned model.
    #[arg(long, env = "LECTERN_FAST")]
    pub fast: bool,

    /// Write one file per document into this folder (named after the document, with the format's extension;
    /// brat: its .txt and .ann, and annotation.conf) instead of printing. Needed for several documents in the
    /// formats that are one document per file (brat, csv, markdown, html).
    #[arg(short, long, env = "LECTERN_OUT", value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Files to annotate (plain text, Markdown, HTML, PDF, Word), links (http:// or https://) to fetch; `-` or no
    /// file reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `--format` takes the export formats by their names, the same everywhere (`?format=` of the API, the reading
/// page's export menu), with their menu labels as help.
impl ValueEnum for ExportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &ExportFormat::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()).help(self.label()))
    }
}

/// Parse the process's arguments; on a usage error clap prints it and exits with status 2.
pub fn parse() -> Args {
    Args::parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn no_arguments_means_no_subcommand() {
        let args = Args::try_parse_from(["lectern"]).ok();
        assert!(args.is_some_and(|a| a.command.is_none()));
    }

    #[test]
    fn serve_options_work_without_the_subcommand() {
        let args = Args::try_parse_from(["lectern", "--port", "0", "a.txt"]).ok();
        let Some(Args { command: None, serve }) = args else { panic!("top-level serve options did not parse") };
        assert_eq!((serve.port, serve.files.len()), (0, 1));
    }

    #[test]
    fn lan_and_host_exclude_each_other_and_lists_split_on_commas() {
        assert!(Args::try_parse_from(["lectern", "--lan", "--host", "0.0.0.0"]).is_err());
        let args = Args::try_parse_from(["lectern", "serve", "--lan", "--allow-host", "a.lan,b.lan", "--allow-upload"]);
        let Ok(Args { command: Some(Command::Serve(s)), .. }) = args else { panic!("serve did not parse") };
        assert!(s.lan && s.allow_upload && !s.no_watch);
        assert_eq!(s.allow_host, ["a.lan", "b.lan"]);
        assert_eq!(s.max_upload, "20MiB");
    }

    #[test]
    fn annotate_takes_a_format() {
        let args = Args::try_parse_from(["lectern", "annotate", "--format", "jsonl", "a.txt", "-"]).ok();
        let Some(Args { command: Some(Command::Annotate(a)), .. }) = args else { panic!("annotate did not parse") };
        assert_eq!(a.format, ExportFormat::Jsonl);
        assert_eq!(a.out, None);
        assert_eq!(a.files.len(), 2);
        assert!(Args::try_parse_from(["lectern", "annotate", "--format", "xml"]).is_err());
        for name in ["w3c", "brat", "csv", "markdown", "html"] {
            assert!(Args::try_parse_from(["lectern", "annotate", "--format", name, "a.txt"]).is_ok(), "{name}");
        }
    }

    #[test]
    fn eval_options() {
        let args = Args::try_parse_from(["lectern", "eval", "--data", "/d", "--errors", "hedges", "--quick"]).ok();
        let Some(Args { command: Some(Command::Eval(e)), .. }) = args else { panic!("eval did not parse") };
        assert_eq!((e.errors, e.quick, e.limit), (Some(EvalLayer::Hedges), true, 40));
        assert!(Args::try_parse_from(["lectern", "eval", "--errors", "nouns"]).is_err());
        assert!(Args::try_parse_from(["lectern", "eval", "--quick", "--limit-docs", "3"]).is_err());
        let args = Args::try_parse_from(["lectern", "eval", "--polnear", "train"]).ok();
        let Some(Args { command: Some(Command::Eval(e)), .. }) = args else { panic!("eval did not parse") };
        assert_eq!(e.polnear, PolnearPart::Train);
        assert!(Args::try_parse_from(["lectern", "eval", "--polnear", "test"]).is_err());
    }
}
