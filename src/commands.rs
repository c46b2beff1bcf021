//! Running a [`Config`]: the `annotate` and `serve` commands. Errors carry context for a one-line message;
//! `main` prints them and picks the exit code.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use crate::cli::OutputFormat;
use crate::config::{AnnotateConfig, Config, EvalConfig, ServeConfig};
use crate::library::{Entry, Library};
use crate::load::{self, Ids};
use crate::server::{self, AppState, api::DocumentJson};

/// Run the configured command. `Ok(ExitCode::FAILURE)` means some inputs failed and were reported already.
pub fn run(config: Config) -> anyhow::Result<ExitCode> {
    init_logging();
    match config {
        Config::Annotate(c) => annotate(&c),
        Config::Serve(c) => serve(&c),
        Config::Eval(c) => evaluate(&c),
    }
}

/// `lectern eval`: the report as a table, or as JSON with any error listing on stderr (it quotes corpus text and
/// is never part of the JSON).
fn evaluate(config: &EvalConfig) -> anyhow::Result<ExitCode> {
    let mut report = eval::run(&config.options);
    if config.json {
        if let Some(errors) = report.errors.take() {
            eprintln!("{errors}");
        }
        let json = serde_json::to_string_pretty(&report).context("cannot serialise the report")?;
        println!("{json}");
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Logs go to stderr; `LECTERN_LOG` (e.g. `debug`, `tower_http=debug`) chooses what is logged.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LECTERN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("lectern=info,tower_http=warn"));
    // A second initialisation (tests calling `run` twice) keeps the first subscriber, which is what we want.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// `lectern annotate`: each input is loaded, annotated and printed; bad inputs are reported and skipped.
fn annotate(config: &AnnotateConfig) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut ids = Ids::default();
    let mut failed = false;
    let mut collected = Vec::new();
    for input in &config.inputs {
        let mut document = match load::load(input) {
            Ok(d) => d,
            Err(err) => {
                eprintln!("lectern: error: {input}: {err}");
                failed = true;
                continue;
            }
        };
        document.id = ids.claim(&document.id);
        let entry = Entry::annotate(document);
        match config.format {
            OutputFormat::Jsonl => {
                let written = serde_json::to_writer(&mut out, &DocumentJson::new(&entry))
                    .map_err(io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    .and_then(|()| out.flush());
                if stop_on(written)? {
                    return Ok(ExitCode::SUCCESS);
                }
            }
            OutputFormat::Json => collected.push(entry),
        }
    }
    if config.format == OutputFormat::Json && !collected.is_empty() {
        let written = if config.inputs.len() == 1 {
            collected
                .first()
                .map_or(Ok(()), |e| serde_json::to_writer_pretty(&mut out, &DocumentJson::new(e)))
        } else {
            let docs: Vec<DocumentJson<'_>> = collected.iter().map(DocumentJson::new).collect();
            serde_json::to_writer_pretty(&mut out, &docs)
        };
        let written = written
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush());
        if stop_on(written)? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `Ok(true)` when the reader went away (`lectern annotate | head`): stop quietly. Other write errors fail.
fn stop_on(written: io::Result<()>) -> anyhow::Result<bool> {
    match written {
        Ok(()) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(true),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// `lectern serve`: load what can be loaded, annotate it, and serve until ctrl-c or SIGTERM.
fn serve(config: &ServeConfig) -> anyhow::Result<ExitCode> {
    let documents = if config.inputs.is_empty() {
        vec![load::demo()]
    } else {
        let mut documents = Vec::new();
        for input in &config.inputs {
            match load::load(input) {
                Ok(d) => documents.push(d),
                Err(err) => eprintln!("lectern: warning: skipping {input}: {err}"),
            }
        }
        documents
    };
    if documents.is_empty() {
        bail!("no document to serve: every file was rejected");
    }
    let library = Library::annotate(documents);
    let count = library.len();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind(config.addr).await.with_context(|| {
            format!("cannot listen on {} (choose another --port, or --port 0 for any free one)", config.addr)
        })?;
        let addr = listener.local_addr().context("cannot read the listening address")?;
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "Lectern is serving {count} document(s) on http://{addr}/")
            .and_then(|()| stdout.flush())
            .context("cannot write to standard output")?;
        drop(stdout);
        if config.is_exposed() {
            eprintln!(
                "lectern: warning: listening on {addr} without authentication: anyone who can reach this address \
                 can read these documents"
            );
        }
        server::serve(listener, AppState::new(library))
            .await
            .context("the server stopped with an error")
    })?;
    Ok(ExitCode::SUCCESS)
}
