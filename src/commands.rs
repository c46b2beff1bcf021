//! Running a [`Config`]: the `annotate` and `serve` commands. Errors carry context for a one-line message;
//! `main` prints them and picks the exit code.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use std::sync::Arc;

use crate::config::{AnnotateConfig, Config, EvalConfig, ExportConfig, ServeConfig};
use crate::entry::{Entry, Made};
use crate::formats::lectern::DocumentJson;
use crate::formats::{self, ExportFormat};
use crate::ingest::{self, Ids, Input};
use crate::lan;
use crate::library::{ImportError, Library};
use crate::server::auth::Hosts;
use crate::server::{self, AppState, Options};
use crate::size;
use crate::store::{AddedBy, NewDocument, Outcome, Store};
use crate::watch;

/// Run the configured command. `Ok(ExitCode::FAILURE)` means some inputs failed and were reported already.
pub fn run(config: Config) -> anyhow::Result<ExitCode> {
    init_logging();
    match config {
        Config::Annotate(c) => annotate(&c),
        Config::Serve(c) => serve(&c),
        Config::Eval(c) => evaluate(&c),
        Config::Export(c) => export(&c),
    }
}

/// `lectern export`: the library's documents (with `--corrections`, those someone corrected) as they read after
/// colleagues' corrections: into a folder as brat standoff and `documents.jsonl`, or as JSON Lines on stdout.
fn export(config: &ExportConfig) -> anyhow::Result<ExitCode> {
    let Some(data) = config.data.as_deref() else {
        bail!("there is no home folder to find the library in: give --data DIR (or LECTERN_DATA)");
    };
    let library = Library::new(Store::open(data)?);
    let entries = library.export(config.corrections)?;
    match &config.out {
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            for entry in &entries {
                let mut line = Vec::new();
                formats::export(ExportFormat::Jsonl, entry, None, &mut line).map_err(|e| anyhow::anyhow!("{e}"))?;
                if stop_on(out.write_all(&line))? {
                    return Ok(ExitCode::SUCCESS);
                }
            }
            if stop_on(out.flush())? {
                return Ok(ExitCode::SUCCESS);
            }
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            let mut wrote_conf = false;
            let mut jsonl = Vec::new();
            for entry in &entries {
                write_files(dir, entry, ExportFormat::Brat, &mut wrote_conf)?;
                formats::export(ExportFormat::Jsonl, entry, None, &mut jsonl).map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            let path = dir.join("documents.jsonl");
            std::fs::write(&path, &jsonl).with_context(|| format!("cannot write {}", path.display()))?;
            let what = match (config.corrections, entries.len()) {
                (true, 1) => "corrected document",
                (true, _) => "corrected documents",
                (false, 1) => "document",
                (false, _) => "documents",
            };
            eprintln!(
                "lectern: wrote {} {what} to {} (brat standoff and documents.jsonl)",
                entries.len(),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `lectern eval`: the report as a table, or as JSON with any error listing on stderr (it quotes corpus text and
/// is never part of the JSON).
fn evaluate(config: &EvalConfig) -> anyhow::Result<ExitCode> {
    let mut report = match &config.gold {
        Some(dir) => eval::gold::run(dir, &annotate::annotate),
        None => eval::run(&config.options),
    };
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

/// The learned model the accurate pipeline needs, checked; a missing or damaged file is an error that says how to
/// go without it, never a silent fall-back to the rules.
fn load_model() -> anyhow::Result<annotate::Model> {
    annotate::Model::load_default().map_err(|e| {
        anyhow::anyhow!(
            "the learned model could not be loaded from {}: {e}. Give --fast to annotate with the rules alone, or set \
             LECTERN_TAGGER to the weights file",
            annotate::Model::default_path().display()
        )
    })
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

/// Inputs `lectern annotate` reads and annotates at once (on every core) before writing them, in order.
const BATCH: usize = 64;

/// `lectern annotate`: each input is loaded, annotated and written (printed, or into `--out`); bad inputs are
/// reported and skipped. Inputs are read and annotated on every core, a batch at a time, and written in the order
/// given; on a terminal a progress bar says how far it is. The command line has no size limit (the server's is
/// `--max-upload`).
fn annotate(config: &AnnotateConfig) -> anyhow::Result<ExitCode> {
    use rayon::prelude::*;
    if let Some(dir) = &config.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let model = if config.fast { None } else { Some(load_model()?) };
    let pipeline = model.as_ref().map_or(annotate::Pipeline::Fast, annotate::Pipeline::Accurate);
    let progress = progress_bar(config.inputs.len());
    let mut out = BufWriter::new(io::stdout().lock());
    let mut ids = Ids::default();
    let mut failed = false;
    let mut collected = Vec::new();
    let mut written_conf = false;
    for batch in config.inputs.chunks(BATCH) {
        let loaded: Vec<Result<Entry, ingest::IngestError>> = batch
            .par_iter()
            .map(|input| {
                let result = ingest::load_limited(input, u64::MAX).map(|doc| {
                    let annotated = annotate::annotate_with(&doc.text, pipeline);
                    let mut entry = Entry::from_parts(doc, annotated);
                    entry.record.made = if model.is_some() { Made::Model } else { Made::Rules };
                    entry
                });
                if let Some(bar) = &progress {
                    bar.inc(1);
                }
                result
            })
            .collect();
        for (input, result) in batch.iter().zip(loaded) {
            let mut entry = match result {
                Ok(e) => e,
                Err(err) => {
                    let line = format!("lectern: error: {input}: {err}");
                    match &progress {
                        Some(bar) => bar.suspend(|| eprintln!("{line}")),
                        None => eprintln!("{line}"),
                    }
                    failed = true;
                    continue;
                }
            };
            entry.document.id = ids.claim(&entry.document.id);
            if let Some(dir) = &config.out {
                write_files(dir, &entry, config.format, &mut written_conf)?;
                continue;
            }
            match config.format {
                ExportFormat::Json | ExportFormat::W3c => collected.push(entry),
                ExportFormat::Html => {
                    let html = server::pages::standalone_page(&entry).map_err(|e| anyhow::anyhow!("{e}"))?;
                    if stop_on(out.write_all(html.as_bytes()).and_then(|()| out.flush()))? {
                        return Ok(ExitCode::SUCCESS);
                    }
                }
                format => {
                    let written = formats::export(format, &entry, None, &mut out).map_err(|e| match e {
                        formats::ExportError::Io(io) => io,
                        other => io::Error::other(other.to_string()),
                    });
                    if stop_on(written)? {
                        return Ok(ExitCode::SUCCESS);
                    }
                }
            }
        }
        if stop_on(out.flush())? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if !collected.is_empty() {
        let written = match (config.format, collected.as_slice()) {
            (ExportFormat::W3c, [one]) => formats::web_annotation::write(one, None, &mut out),
            (ExportFormat::W3c, many) => {
                let all: Vec<_> = many.iter().map(|e| formats::web_annotation::collection(e, None)).collect();
                serde_json::to_writer_pretty(&mut out, &all).map_err(io::Error::from)
            }
            (_, [one]) if config.inputs.len() == 1 => {
                serde_json::to_writer_pretty(&mut out, &DocumentJson::new(one)).map_err(io::Error::from)
            }
            (_, many) => {
                let docs: Vec<DocumentJson<'_>> = many.iter().map(DocumentJson::new).collect();
                serde_json::to_writer_pretty(&mut out, &docs).map_err(io::Error::from)
            }
        };
        let written = written.and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush());
        if stop_on(written)? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A progress bar on stderr for more than one input, when stderr is a terminal; `None` otherwise (piped, or
/// redirected to a file: then nothing but errors is written there).
fn progress_bar(inputs: usize) -> Option<indicatif::ProgressBar> {
    if inputs < 2 || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(inputs as u64);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {per_sec}, {eta} left")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// Write `entry` in `format` into `dir`, named after its id (brat: the text, the annotations, and once the
/// configuration brat reads them with).
fn write_files(
    dir: &std::path::Path,
    entry: &Entry,
    format: ExportFormat,
    wrote_conf: &mut bool,
) -> anyhow::Result<()> {
    let id = &entry.document.id;
    let write = |name: String, bytes: &[u8]| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    match format {
        ExportFormat::Brat => {
            let files = formats::brat::files(entry);
            write(format!("{id}.txt"), files.txt.as_bytes())?;
            write(format!("{id}.ann"), files.ann.as_bytes())?;
            if !*wrote_conf {
                write("annotation.conf".to_string(), formats::brat::annotation_conf().as_bytes())?;
                *wrote_conf = true;
            }
        }
        ExportFormat::Html => {
            let html = server::pages::standalone_page(entry).map_err(|e| anyhow::anyhow!("{e}"))?;
            write(format!("{id}.html"), html.as_bytes())?;
        }
        _ => {
            let mut bytes = Vec::new();
            formats::export(format, entry, None, &mut bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
            write(format!("{id}.{}", format.extension()), &bytes)?;
        }
    }
    Ok(())
}

/// `Ok(true)` when the reader went away (`lectern annotate | head`): stop quietly. Other write errors fail.
fn stop_on(written: io::Result<()>) -> anyhow::Result<bool> {
    match written {
        Ok(()) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(true),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// `lectern serve`: open the library, add the files given (and watch them), listen, print where, and serve until
/// ctrl-c or SIGTERM.
fn serve(config: &ServeConfig) -> anyhow::Result<ExitCode> {
    let Some(data) = config.data.as_deref() else {
        bail!("there is no home folder to keep the library in: choose one with --data DIR (or LECTERN_DATA)");
    };
    let store = Store::open(data)?;
    let library = Arc::new(Library::new(store));
    if !config.fast {
        // Loaded on a thread of its own, so that the first page is answered at once with the rules' annotation.
        library.start_refiner(|| load_model().map_err(|e| e.to_string()));
    }
    // Claim the port before the (possibly long) imports, so that a port in use is reported at once.
    let listener = std::net::TcpListener::bind(config.addr).with_context(|| {
        format!("cannot listen on {} (choose another --port, or --port 0 for any free one)", config.addr)
    })?;
    listener.set_nonblocking(true).context("cannot set up the listening socket")?;
    let addr = listener.local_addr().context("cannot read the listening address")?;

    // A file that is not there is reported now; reading and annotating what is there happens once the server
    // answers, so that a large file never delays the first page.
    let inputs: Vec<Input> = config
        .inputs
        .iter()
        .filter(|input| match input {
            Input::File(path) => match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => {
                    eprintln!("lectern: warning: skipping {input}: is a directory, not a file");
                    false
                }
                Ok(_) => true,
                Err(err) => {
                    eprintln!(
                        "lectern: warning: skipping {input}: {}",
                        ImportError::from(ingest::IngestError::from(err))
                    );
                    false
                }
            },
            _ => true,
        })
        .cloned()
        .collect();
    if !config.inputs.is_empty() && inputs.is_empty() {
        bail!("no document to serve: every file was rejected");
    }
    let store = library.store();
    if config.inputs.is_empty() && store.count()? == 0 {
        library.add(NewDocument { document: ingest::demo(), origin: None, added_by: AddedBy::File })?;
    }
    let count = store.count()?;
    let urls = lan::urls(addr);
    let machine = server::machine_name();
    let options = Options {
        allow_upload: config.allow_upload,
        max_upload: config.max_upload,
        hosts: Hosts::new(&machine, &config.allow_hosts),
        machine: machine.into(),
        bases: urls.clone(),
        local_only: !config.is_exposed(),
        fetch_timeout: ingest::link::TIMEOUT,
        review: config.review,
    };
    print_banner(config, count, &urls, store.path(), inputs.len())?;
    let ip = config.addr.ip();
    if !ip.is_loopback() && !ip.is_unspecified() {
        eprintln!(
            "lectern: warning: listening on {ip} only: requests from this machine come from {ip} too, not from \
             127.0.0.1, so nobody is the owner (who makes share links); use --lan to listen everywhere"
        );
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime
        .block_on(async {
            let listener = TcpListener::from_std(listener).context("cannot use the listening socket")?;
            // Import in the background; if nothing at all could be read, stop with status 1 as a file error would.
            let (failed_tx, failed_rx) = tokio::sync::oneshot::channel::<()>();
            let importer = Arc::clone(&library);
            let (max, watch_files, base) = (config.max_upload, config.watch, urls.first().cloned().unwrap_or_default());
            let given = !config.inputs.is_empty();
            let watching = tokio::task::spawn_blocking(move || {
                let watched = import_all(&importer, &inputs, max, &base);
                if given && watched.imported == 0 {
                    eprintln!("lectern: error: no document to serve: every file was rejected");
                    let _ = failed_tx.send(());
                    return None;
                }
                if !watch_files || watched.files.is_empty() {
                    return None;
                }
                match watch::start(Arc::clone(&importer), &watched.files, max) {
                    Ok(w) => Some(w),
                    Err(err) => {
                        eprintln!("lectern: warning: cannot watch the files for changes: {err}");
                        None
                    }
                }
            });
            // Annotations made by another annotator version are recomputed while the server already answers (and a
            // page asked for meanwhile is recomputed on the spot).
            let refresh = Arc::clone(&library);
            tokio::task::spawn_blocking(move || match refresh.refresh_stale() {
                Ok(0) => {}
                Ok(n) => tracing::info!(documents = n, "annotated again with this annotator version"),
                Err(err) => tracing::warn!(error = %err, "cannot bring stored annotations up to date"),
            });
            let state = AppState {
                library,
                options: Arc::new(options),
                shutdown: tokio::sync::watch::channel(false).1,
                cache: Arc::default(),
            };
            let failed = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = Arc::clone(&failed);
            let stop = async move {
                tokio::select! {
                    () = server::shutdown_signal() => {}
                    Ok(()) = failed_rx => flag.store(true, std::sync::atomic::Ordering::SeqCst),
                }
            };
            server::serve(listener, state, stop)
                .await
                .context("the server stopped with an error")?;
            // The watch (if any) ends with the server.
            drop(watching.await);
            Ok::<bool, anyhow::Error>(failed.load(std::sync::atomic::Ordering::SeqCst))
        })
        .map(|failed| if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// What [`import_all`] did.
struct Imported {
    /// Documents added or found.
    imported: usize,
    /// The files among them, to watch.
    files: Vec<std::path::PathBuf>,
}

/// Add every input to the library, saying each on stdout (`added …`) or stderr (a warning), then `ready`.
fn import_all(library: &Library, inputs: &[Input], max: u64, base: &str) -> Imported {
    let mut done = Imported { imported: 0, files: Vec::new() };
    for input in inputs {
        let pending = library.begin_import(&input.to_string());
        let result = match input {
            Input::File(path) => library.import_file(path, max),
            Input::Stdin => ingest::load_limited(input, max)
                .map_err(ImportError::from)
                .and_then(|document| {
                    Ok(library.add(NewDocument { document, origin: None, added_by: AddedBy::File })?)
                }),
            // A link is its document's origin: given again, it brings the page up to date instead of adding it
            // twice.
            Input::Url(url) => ingest::load_limited(input, max)
                .map_err(ImportError::from)
                .and_then(|document| {
                    let origin = document.meta.url.clone().unwrap_or_else(|| url.clone());
                    Ok(library.add(NewDocument { document, origin: Some(origin), added_by: AddedBy::Owner })?)
                }),
        };
        library.end_import(pending);
        match result {
            Ok((entry, outcome)) => {
                done.imported += 1;
                if let Input::File(path) = input {
                    done.files.push(path.clone());
                }
                let what = match outcome {
                    Outcome::Created => "added",
                    Outcome::Updated => "updated",
                    Outcome::Existing | Outcome::Unchanged => "already there",
                };
                say(&format!("  {what} {input}: {base}d/{}", entry.document.id));
            }
            Err(err) => eprintln!("lectern: warning: skipping {input}: {err}"),
        }
    }
    let count = library.store().count().unwrap_or(0);
    say(&format!("  ready: {}", if count == 1 { "1 document".to_string() } else { format!("{count} documents") }));
    done
}

/// A line on stdout, now (scripts and tests wait for these); a closed stdout is not an error here.
fn say(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// Say where Lectern listens: the first line names the owner's address (scripts and tests read it); then, on a
/// LAN, every address with a QR code of the first when stdout is a terminal; then the library and the limits, and
/// how many files are being added (each is said as it is, then `ready`; with none, `ready` at once).
fn print_banner(
    config: &ServeConfig,
    count: usize,
    urls: &[String],
    db: &std::path::Path,
    adding: usize,
) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    let owner = urls
        .iter()
        .find(|u| u.contains("://127.0.0.1:") || u.contains("://[::1]:"))
        .or(urls.last());
    let owner = owner.map_or("", String::as_str);
    let documents = if count == 1 { "1 document".to_string() } else { format!("{count} documents") };
    let mut text = String::new();
    if config.is_exposed() {
        text.push_str(&format!(
            "Lectern is serving {documents} on your network, to people with a share link, and to you on {owner}\n"
        ));
        for u in urls {
            let note = if u == owner { "   (this machine: you, the owner)" } else { "" };
            text.push_str(&format!("  {u}{note}\n"));
        }
        if io::stdout().is_terminal()
            && let Some(qr) = urls.first().filter(|u| *u != owner).and_then(|u| lan::qr_text(u))
        {
            text.push_str(&qr);
        }
        text.push_str(&format!("  share links: make them on a reading page (Share…) or at {owner}shares\n"));
    } else {
        text.push_str(&format!("Lectern is serving {documents} on {owner}\n"));
    }
    let uploads = if config.allow_upload { "you and viewers with a link" } else { "you only" };
    text.push_str(&format!("  library: {}\n", db.display()));
    text.push_str(&format!("  uploads: up to {} each, by {uploads}\n", size::human(config.max_upload)));
    match adding {
        0 => text.push_str(&format!("  ready: {documents}\n")),
        1 => text.push_str("  adding 1 file…\n"),
        n => text.push_str(&format!("  adding {n} files…\n")),
    }
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}
