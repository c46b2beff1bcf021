//! The `lectern` binary: `annotate` in its formats and inputs, one-line errors, and `serve` on `--port 0`.

use std::fs::File;
use std::process::Command;

use serde_json::Value;

use crate::support::{DEMO_TEXT, Served, TempDir, check_document, command, one_line_stderr, run, stdout_json};

fn arg(path: &std::path::Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

#[test]
fn annotate_one_file_prints_one_pretty_object() {
    let dir = TempDir::new("one");
    let file = dir.write("story.txt", b"Mayor to resign\nThe mayor may resign, officials said.\n");
    let out = run(&["annotate", arg(&file)], b"");
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = stdout_json(&out);
    assert_eq!(check_document(&doc), 2);
    assert_eq!(doc["document"]["name"], "story.txt");
    assert_eq!(doc["document"]["id"], "story");
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 10, "pretty-printed");
}

#[test]
fn annotate_several_files_prints_an_array_with_unique_ids() {
    let dir = TempDir::new("array");
    let a = dir.write("report.txt", b"First\nIt rained.");
    let b = dir.path("sub");
    std::fs::create_dir_all(&b).expect("create a subdir");
    let b = b.join("report.md");
    std::fs::write(&b, b"# Second\n\nIt *snowed*.").expect("write");
    let out = run(&["annotate", "--format", "json", arg(&a), arg(&b)], b"");
    assert!(out.status.success());
    let docs = stdout_json(&out);
    let docs = docs.as_array().expect("an array for several files");
    assert_eq!(docs.len(), 2);
    docs.iter().for_each(|d| {
        check_document(d);
    });
    assert_eq!(docs[0]["document"]["id"], "report");
    assert_eq!(docs[1]["document"]["id"], "report-2");
    assert_eq!(docs[1]["text"], "Second\nIt snowed.", "Markdown is converted to plain text");
    assert_eq!(docs[1]["document"]["title"], "Second");
}

#[test]
fn annotate_jsonl_prints_one_compact_document_per_line() {
    let dir = TempDir::new("jsonl");
    let a = dir.write("a.txt", DEMO_TEXT.as_bytes());
    let b = dir.write("b.txt", b"B\nShort text.");
    let out = run(&["annotate", "--format", "jsonl", arg(&a), arg(&b)], b"");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    let names: Vec<Value> = lines
        .iter()
        .map(|l| {
            let doc: Value = serde_json::from_str(l).expect("each line is a JSON document");
            check_document(&doc);
            doc["document"]["name"].clone()
        })
        .collect();
    assert_eq!(names, ["a.txt", "b.txt"]);
}

#[test]
fn annotate_reads_stdin_without_a_file_or_with_a_dash() {
    let text = "Stdin headline\r\n“We may go,” she said.\r\n";
    for args in [&["annotate"][..], &["annotate", "-"], &["annotate", "--format", "jsonl", "-"]] {
        let out = run(args, text.as_bytes());
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let doc = stdout_json(&out);
        check_document(&doc);
        assert_eq!(doc["text"], text, "{args:?}");
        assert_eq!(doc["document"]["name"], "<stdin>");
        assert_eq!(doc["document"]["id"], "stdin");
    }
}

#[test]
fn annotate_format_comes_from_the_environment_too() {
    let out = command(&["annotate"])
        .env("LECTERN_FORMAT", "jsonl")
        .stdin(File::open(env!("CARGO_MANIFEST_DIR").to_string() + "/demo/kim-putin-article.txt").expect("demo"))
        .output()
        .expect("run lectern");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1, "LECTERN_FORMAT=jsonl gives one line");
}

#[test]
fn bad_inputs_fail_with_one_line_naming_the_file_and_the_reason() {
    let dir = TempDir::new("bad");
    let too_large = dir.path("huge.txt");
    File::create(&too_large)
        .and_then(|f| f.set_len(lectern::ingest::MAX_BYTES + 1))
        .expect("create a sparse file over the limit");
    let cases = [
        (dir.write("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"), "not a PDF Lectern can read"),
        (dir.write("notes.docx", b"PK\x03\x04 not an archive"), "not a Word document"),
        (dir.write("empty.txt", b""), "empty"),
        (dir.write("blank.txt", b" \r\n\t\n"), "empty"),
        (dir.write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary"),
        (dir.path("missing.txt"), "no such file"),
        // No size limit on the command line: a file of 10 MiB of zero bytes is read, and refused for what it is.
        (too_large, "binary"),
        (dir.path(""), "directory"),
    ];
    for (path, reason) in cases {
        let out = run(&["annotate", arg(&path)], b"");
        assert_eq!(out.status.code(), Some(1), "{path:?}");
        assert!(out.stdout.is_empty(), "{path:?}: nothing on stdout");
        let line = one_line_stderr(&out);
        assert!(line.contains(arg(&path).trim_end_matches('/')), "{line:?} names {path:?}");
        assert!(line.contains(reason), "{line:?} gives the reason {reason:?}");
    }
}

#[test]
fn a_bad_file_among_good_ones_is_reported_and_the_rest_printed() {
    let dir = TempDir::new("mixed");
    let good = dir.write("good.txt", b"Good\nText.");
    let bad = dir.write("bad.txt", b"\xff\xfe");
    let out = run(&["annotate", arg(&good), arg(&bad)], b"");
    assert_eq!(out.status.code(), Some(1));
    let docs = stdout_json(&out);
    assert_eq!(docs.as_array().map(Vec::len), Some(1));
    assert_eq!(docs[0]["document"]["name"], "good.txt");
    assert!(one_line_stderr(&out).contains("bad.txt"));
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [&["annotate", "--format", "xml"][..], &["serve", "--host", "not-an-address"], &["annotate", "-", "-"]]
    {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn serve_skips_a_bad_file_and_serves_the_good_one() {
    let dir = TempDir::new("serve");
    let good = dir.write("good.txt", b"Good news\nThe mayor may stay, aides said.");
    let bad = dir.write("bad.bin", b"\x00\x01\x02\x03");
    let served = Served::start(&["serve", "--port", "0", arg(&good), arg(&bad)], &[], &dir);
    let url = served.url.clone();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0/"), "the real port is printed: {url}");
    // It answers at once, and adds the files while it does.
    assert_eq!(served.line, format!("Lectern is serving 0 documents on {url}"));
    assert!(served.startup.iter().any(|l| l == "  adding 2 files…"), "{:?}", served.startup);
    assert!(
        served
            .startup
            .iter()
            .any(|l| *l == format!("  added {}: {url}d/good", arg(&good))),
        "{:?}",
        served.startup
    );
    assert_eq!(served.startup.last().map(String::as_str), Some("  ready: 1 document"));
    let warning = served.stderr();
    assert!(warning.lines().any(|l| l.contains("bad.bin") && l.contains("binary")), "stderr: {warning}");

    let list: Value = get_json(&format!("{url}api/documents"));
    let docs = list["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["name"], "good.txt");
}

#[test]
fn no_arguments_serve_the_demo_and_sigterm_stops_cleanly() {
    let dir = TempDir::new("demo");
    let mut served = Served::start(&[], &[("LECTERN_PORT", "0")], &dir);
    assert!(served.line.starts_with("Lectern is serving 1 document on http://127.0.0.1:"), "{}", served.line);
    let doc = get_json(&format!("{}api/documents/kim-putin-article", served.url));
    assert_eq!(doc["text"], DEMO_TEXT);

    let killed = Command::new("kill")
        .args(["-TERM", &served.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = served.wait();
    assert!(status.success(), "graceful shutdown exits with 0, got {status:?}");
}

#[test]
fn serve_fails_when_no_file_can_be_read() {
    let dir = TempDir::new("none");
    let out = run(&["serve", "--port", "0", arg(&dir.path("missing.txt"))], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().any(|l| l.contains("missing.txt") && l.contains("no such file")), "{err}");
    assert!(err.lines().any(|l| l.contains("no document to serve")), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn serve_reports_a_port_in_use_in_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port to occupy");
    let port = taken.local_addr().expect("address").port().to_string();
    let out = run(&["serve", "--port", &port], b"");
    assert_eq!(out.status.code(), Some(1));
    let line = one_line_stderr(&out);
    assert!(line.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{line}");
    drop(taken);
}

/// GET a URL from the spawned binary with a small blocking client on its own runtime.
fn get_json(url: &str) -> Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let resp = crate::support::plain_client()
            .get(url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert!(resp.status().is_success(), "GET {url}: {}", resp.status());
        resp.json::<Value>().await.expect("a JSON body")
    })
}

/// The shared corpora, beside the checkout; `None` (with a message) when absent.
fn corpora() -> Option<String> {
    let dir = format!("{}/../shared/data", env!("CARGO_MANIFEST_DIR"));
    if std::path::Path::new(&dir).is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: {dir} is absent; lectern eval on real corpora not run");
        None
    }
}

#[test]
fn eval_quick_prints_a_json_report_with_every_layer() {
    let Some(data) = corpora() else { return };
    let out = run(&["eval", "--quick", "--json", "--data", &data], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = stdout_json(&out);
    let rows = report["rows"].as_array().expect("rows");
    for layer in ["sentences", "hedges", "attributions", "claims"] {
        assert!(rows.iter().any(|r| r["layer"] == layer), "no {layer} row");
    }
    assert!(report["subset"].as_str().is_some_and(|s| s.contains("25")), "{}", report["subset"]);
}

#[test]
fn eval_scores_polnear_train_when_asked() {
    let Some(data) = corpora() else { return };
    let out = run(&["eval", "--quick", "--json", "--polnear", "train", "--data", &data], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = stdout_json(&out);
    let rows = report["rows"].as_array().expect("rows");
    let corpora: Vec<&str> = rows.iter().filter_map(|r| r["corpus"].as_str()).collect();
    assert!(corpora.contains(&"PolNeAR train"), "{corpora:?}");
    assert!(!corpora.contains(&"PolNeAR dev"), "{corpora:?}");
}

#[test]
fn eval_without_corpora_skips_each_with_a_message() {
    let dir = TempDir::new("nodata");
    let out = run(&["eval", "--data", arg(&dir.path("missing"))], b"");
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.matches("SKIPPED").count() >= 4, "{table}");
}
