//! Every export, as the API serves it and the command line writes it, read back: the W3C Web Annotation and the
//! brat standoff give back the same spans as Lectern's JSON, every offset points at the same text, the CSV has
//! every sentence, the brief its counts, and the standalone page opens with nothing from outside itself.

use std::collections::BTreeSet;
use std::io::Read;

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{TempDir, demo_library, fixture, run, select, spawn, stdout_json};
use lectern::formats::ExportFormat;

/// A span as `(layer, start, end)` in characters.
type Spanned = (String, u64, u64);

/// The spans of Lectern's JSON document: hedges, and each attribution's source, cue and content.
fn json_spans(doc: &Value) -> BTreeSet<Spanned> {
    let mut out = BTreeSet::new();
    for s in doc["sentences"].as_array().into_iter().flatten() {
        for h in s["hedges"].as_array().into_iter().flatten() {
            out.insert(("hedge".into(), h["start"].as_u64().unwrap_or(0), h["end"].as_u64().unwrap_or(0)));
        }
        for a in s["attributions"].as_array().into_iter().flatten() {
            for part in ["source", "cue", "content"] {
                if let (Some(start), Some(end)) = (a[part]["start"].as_u64(), a[part]["end"].as_u64()) {
                    out.insert((part.into(), start, end));
                }
            }
        }
    }
    out
}

fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}

/// The spans of a W3C collection, each checked: its position and its quote name the same text.
fn w3c_spans(collection: &Value, text: &str) -> BTreeSet<Spanned> {
    assert_eq!(collection["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(collection["type"], "AnnotationCollection");
    let items = collection["first"]["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(collection["total"].as_u64(), Some(items.len() as u64));
    let mut out = BTreeSet::new();
    for a in &items {
        assert_eq!(a["type"], "Annotation");
        let selectors = a["target"]["selector"].as_array().cloned().unwrap_or_default();
        let quote = selectors
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .expect("a quote selector");
        let position = selectors
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .expect("a position selector");
        let (start, end) = (position["start"].as_u64().unwrap_or(0), position["end"].as_u64().unwrap_or(0));
        assert_eq!(chars(text, start, end), quote["exact"].as_str().unwrap_or_default(), "{a}");
        let prefix = quote["prefix"].as_str().unwrap_or("");
        assert!(chars(text, start.saturating_sub(prefix.chars().count() as u64), start) == prefix, "prefix of {a}");
        let tag = a["body"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|b| b["purpose"] == "tagging")
            .and_then(|b| b["value"].as_str())
            .unwrap_or_default()
            .to_string();
        if tag != "claim" {
            out.insert((tag, start, end));
        }
    }
    out
}

/// The spans of a brat `.ann`, each checked against the `.txt` (fragments of a discontinuous span included).
fn brat_spans(ann: &str, text: &str) -> BTreeSet<Spanned> {
    let mut out = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for line in ann.lines() {
        let mut cols = line.splitn(3, '\t');
        let (id, what, quoted) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""), cols.next());
        if let Some(rest) = id.strip_prefix('T') {
            assert!(rest.parse::<u32>().is_ok(), "{line}");
            ids.insert(id.to_string());
            let (kind, frags) = what.split_once(' ').expect("a type and offsets");
            let mut pieces = Vec::new();
            let (mut first, mut last) = (u64::MAX, 0);
            for frag in frags.split(';') {
                let (a, b) = frag.split_once(' ').expect("two offsets");
                let (a, b): (u64, u64) = (a.parse().expect("a number"), b.parse().expect("a number"));
                pieces.push(chars(text, a, b));
                first = first.min(a);
                last = last.max(b);
            }
            assert_eq!(pieces.join(" "), quoted.unwrap_or_default(), "{line}");
            let layer = match kind {
                "Source" => "source",
                "Cue" => "cue",
                "Content" => "content",
                "Hedge" => "hedge",
                _ => continue,
            };
            out.insert((layer.to_string(), first, last));
        } else if id.starts_with('E') {
            for arg in what.split(' ') {
                let target = arg.split_once(':').map_or("", |(_, t)| t);
                assert!(ids.contains(target), "{line}: {target} is a T line above");
            }
        }
    }
    out
}

#[tokio::test]
async fn the_w3c_and_brat_exports_give_back_the_same_spans() {
    let server = spawn(vec![fixture(), demo_library().remove(0)]).await;
    for id in ["fixture", "kim-putin-article"] {
        let (_, doc) = server.json(&format!("/api/documents/{id}")).await;
        let text = doc["text"].as_str().unwrap_or_default().to_string();
        let want = json_spans(&doc);
        assert!(want.len() > 5, "{id} has spans to compare");

        let resp = server.get(&format!("/api/documents/{id}?format=w3c")).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let kind = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(kind.starts_with("application/ld+json"), "{kind}");
        let w3c: Value = resp.json().await.expect("JSON-LD");
        assert_eq!(w3c_spans(&w3c, &text), want, "{id}: W3C spans");

        let resp = server.get(&format!("/api/documents/{id}?format=brat")).await;
        assert_eq!(resp.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/zip"));
        let disposition = resp
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains(&format!("{id}-brat.zip")),
            "{disposition}"
        );
        let bytes = resp.bytes().await.expect("the zip");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip archive");
        let mut read = |name: String| {
            let mut s = String::new();
            zip.by_name(&name)
                .expect("the file is in the archive")
                .read_to_string(&mut s)
                .expect("text");
            s
        };
        let txt = read(format!("{id}.txt"));
        assert_eq!(txt, text, "the .txt is the document text");
        let ann = read(format!("{id}.ann"));
        assert_eq!(brat_spans(&ann, &txt), want, "{id}: brat spans");
        let conf = read("annotation.conf".to_string());
        for section in ["[entities]", "[events]", "[attributes]"] {
            assert!(conf.contains(section), "{conf}");
        }
    }
}

#[tokio::test]
async fn csv_markdown_and_html_downloads() {
    let server = spawn(demo_library()).await;
    let (_, doc) = server.json("/api/documents/kim-putin-article").await;
    let sentences = doc["sentences"].as_array().cloned().unwrap_or_default();

    let csv = server
        .get("/api/documents/kim-putin-article?format=csv")
        .await
        .text()
        .await
        .unwrap_or_default();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    assert_eq!(header, ["index", "id", "text", "claim", "checkworthy", "hedges", "speakers"]);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), sentences.len());
    for (row, s) in rows.iter().zip(&sentences) {
        assert_eq!(row.get(2), s["text"].as_str());
        assert_eq!(row.get(3), s["claim"].as_str());
    }

    let brief = server
        .get("/api/documents/kim-putin-article?format=markdown")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(brief.starts_with("# Kim Jong-un expected to meet with Putin"), "{brief}");
    assert!(brief.contains("/d/kim-putin-article#s-"), "links to sentences");
    let sources = doc["sources"].as_array().map_or(0, Vec::len);
    assert!(brief.contains(&format!("Sources: {sources}")), "{brief}");

    let resp = server.get("/api/documents/kim-putin-article?format=html").await;
    let policy = resp
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(policy.starts_with("default-src 'none'") && !policy.contains("script-src"), "no script: {policy}");
    let html = scraper::Html::parse_document(&resp.text().await.unwrap_or_default());
    assert!(select(&html, "script, link, img, iframe, object, embed").is_empty(), "nothing is loaded from outside");
    assert!(select(&html, "[src]").is_empty());
    assert_eq!(select(&html, "head style").len(), 1);
    let hrefs: Vec<&str> = html
        .tree
        .values()
        .filter_map(|n| n.as_element())
        .filter_map(|e| e.attr("href"))
        .collect();
    assert!(hrefs.iter().all(|h| h.starts_with('#')), "links stay inside the page: {hrefs:?}");
    assert_eq!(
        select(&html, ".doc-text mark[data-layer=hedge]").len(),
        doc["sentences"]
            .as_array()
            .map_or(0, |s| s.iter().map(|x| x["hedges"].as_array().map_or(0, Vec::len)).sum())
    );
    assert!(select(&html, "form, dialog, details.export, .share-open").is_empty(), "no controls that need the server");
    // Buttons need the script, which is not there: each is disabled or hidden with the script-only controls.
    for b in select(&html, "button") {
        let hidden = b
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|e| e.value().classes().any(|c| c == "js-only"));
        assert!(b.value().attr("disabled").is_some() || hidden, "a live button in a page without script");
    }

    let resp = server.get("/api/documents/kim-putin-article?format=xml").await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let error: Value = resp.json().await.unwrap_or(Value::Null);
    assert!(
        error["error"]
            .as_str()
            .is_some_and(|e| ExportFormat::ALL.iter().all(|f| e.contains(f.as_str()))),
        "{error}"
    );
}

#[tokio::test]
async fn the_reading_page_offers_every_export() {
    let server = spawn(demo_library()).await;
    let (_, page) = server.html("/d/kim-putin-article").await;
    let offered: Vec<String> = select(&page, ".export-menu a[download]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let wanted: Vec<String> = ExportFormat::ALL
        .iter()
        .map(|f| format!("/api/documents/kim-putin-article?format={}", f.as_str()))
        .collect();
    assert_eq!(offered, wanted);
    for href in offered {
        assert_eq!(server.get(&href).await.status(), StatusCode::OK, "{href}");
    }
}

#[test]
fn the_command_line_writes_every_format() {
    let dir = TempDir::new("formats");
    let a = dir.write("alpha.txt", b"Alpha\nOfficials said the plant would likely close.");
    let b = dir.write("beta.md", b"# Beta\n\nThe mayor may resign, aides said.");
    let (a, b) = (a.to_str().unwrap_or_default().to_string(), b.to_str().unwrap_or_default().to_string());
    let out = run(&["annotate", "--format", "w3c", &a], b"");
    assert!(out.status.success());
    assert_eq!(stdout_json(&out)["type"], "AnnotationCollection");
    let out = run(&["annotate", "--format", "w3c", &a, &b], b"");
    assert_eq!(stdout_json(&out).as_array().map(Vec::len), Some(2));
    let out = run(&["annotate", "--format", "csv", &a, &b], b"");
    assert_eq!(out.status.code(), Some(2), "several documents in one CSV need --out");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out DIR"));
    let folder = dir.path("out");
    let folder_arg = folder.to_str().unwrap_or_default().to_string();
    let out = run(&["annotate", "--format", "brat", "--out", &folder_arg, &a, &b], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names, ["alpha.ann", "alpha.txt", "annotation.conf", "beta.ann", "beta.txt"]);
    for f in ExportFormat::ALL {
        let out = run(&["annotate", "--format", f.as_str(), &a], b"");
        assert!(out.status.success() && !out.stdout.is_empty(), "--format {f}");
    }
    let help = run(&["annotate", "--help"], b"");
    let help = String::from_utf8_lossy(&help.stdout);
    for f in ExportFormat::ALL {
        assert!(help.contains(f.as_str()), "--help lists {f}");
    }
}
