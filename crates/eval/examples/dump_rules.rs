//! Write the rules' output on PolNeAR articles, for training the learned tagger (`tools/tagger/`).
//!
//! ```text
//! cargo run --release -p eval --example dump_rules -- [DATA_DIR] [PART] [OUT_JSONL]
//! ```
//! Defaults: `../shared/data`, `train`, `target/tagger/rules-train.jsonl`. One JSON object per article:
//! `{"name", "sentences": [[start, end], …], "spans": [[role, start, end], …]}` with `role` one of `source`, `cue`,
//! `content`, and every offset in characters (Python string indices), as the corpus's own standoff files count them.
//! The sentences are the annotator's own, so the tagger is trained on the windows it will see at run time; the
//! spans are what the rules alone (`annotate::annotate`) find. No article text is written.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use annotate::CharIndex;
use eval::corpus::polnear;
use serde_json::json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(args.first().map_or("../shared/data", String::as_str));
    let part = args.get(1).map_or("train", String::as_str);
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| format!("target/tagger/rules-{part}.jsonl"));
    let root = data.join("polnear");
    let articles = match polnear::article_names(&root, part).and_then(|n| polnear::load_articles(&root, part, &n)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("dump_rules: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut lines = Vec::new();
    for article in &articles {
        let doc = annotate::annotate(&article.text);
        let index = CharIndex::new(&article.text);
        let c = |b: usize| index.char_of(b);
        let sentences: Vec<[usize; 2]> = doc.sentences.iter().map(|s| [c(s.span.start), c(s.span.end)]).collect();
        let mut spans = Vec::new();
        for a in doc.sentences.iter().flat_map(|s| &s.attributions) {
            for (role, span) in [("source", a.source), ("cue", a.cue), ("content", a.content)] {
                if let Some(span) = span {
                    spans.push(json!([role, c(span.start), c(span.end)]));
                }
            }
        }
        lines.push(json!({ "name": article.name, "sentences": sentences, "spans": spans }).to_string());
    }
    let written = std::fs::File::create(&out).and_then(|mut f| {
        for line in &lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    });
    if let Err(e) = written {
        eprintln!("dump_rules: {out}: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!("dump_rules: {} articles of polnear/{part} to {out}", lines.len());
    ExitCode::SUCCESS
}
