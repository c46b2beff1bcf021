//! Sentence segmentation: the Golden Rules, and sentence boundary P/R/F1 on FactBank and PolNeAR.
//!
//! A boundary is a sentence's end offset, compared exactly after trimming trailing whitespace on both sides (the
//! annotator's sentences are trimmed already). Every sentence end counts, the document's last one included.

use std::collections::BTreeSet;
use std::time::Instant;

use annotate::CharIndex;

use crate::corpus::{golden, polnear, szeged};
use crate::metrics::Counts;
use crate::report::{ErrorSection, Score};
use crate::text::{boundary, word_before};
use crate::{Ctx, Layer, Row, bars};

const GOLDEN: &str = "golden-rules/rules.json";
const FACTBANK: &str = "szeged-uncertainty/factbank-dev.xml";
const POLNEAR: &str = "polnear";
const POLNEAR_SENTENCES: &str = "polnear/sentences.tsv";

/// Characters of context on each side of a boundary in error listings.
const WIDTH: usize = 40;

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    golden_rules(ctx);
    factbank(ctx);
    polnear(ctx);
}

/// Counts of predicted against gold boundaries (exact offsets), with the missed and the spurious ones.
pub fn boundary_counts(gold: &[usize], pred: &[usize]) -> (Counts, Vec<usize>, Vec<usize>) {
    let gold: BTreeSet<usize> = gold.iter().copied().collect();
    let pred: BTreeSet<usize> = pred.iter().copied().collect();
    let missed: Vec<usize> = gold.difference(&pred).copied().collect();
    let spurious: Vec<usize> = pred.difference(&gold).copied().collect();
    let tp = gold.intersection(&pred).count();
    (Counts { tp, fp: spurious.len(), fn_: missed.len() }, missed, spurious)
}

/// Sentences trimmed and joined with one space into one text, with each sentence's end offset. Empty sentences are
/// left out.
pub fn join_sentences<'a>(sentences: impl IntoIterator<Item = &'a str>) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut ends = Vec::new();
    for s in sentences.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(s);
        ends.push(text.len());
    }
    (text, ends)
}

/// `end` moved left past whitespace.
fn trim_end(text: &str, end: usize) -> usize {
    text.get(..end).map_or(end, |s| s.trim_end().len())
}

/// Accumulates boundary counts and error examples over a corpus.
#[derive(Default)]
struct Boundaries {
    counts: Counts,
    missed: Vec<(String, String)>,
    spurious: Vec<(String, String)>,
}

impl Boundaries {
    fn add(&mut self, text: &str, gold: &[usize], pred: &[usize], examples: bool) {
        let (counts, missed, spurious) = boundary_counts(gold, pred);
        self.counts.merge(counts);
        if examples {
            let show = |at: &usize| (boundary(text, *at, WIDTH), word_before(text, *at));
            self.missed.extend(missed.iter().map(show));
            self.spurious.extend(spurious.iter().map(show));
        }
    }

    fn finish(self, ctx: &mut Ctx<'_>, corpus: &'static str, reference: Option<&'static str>, bar: Option<bars::Bar>) {
        ctx.rows
            .push(Row::new(Layer::Sentences, corpus, "boundary", Score::prf(self.counts), reference, bar));
        ctx.error_section(
            Layer::Sentences,
            ErrorSection::new(format!("{corpus}: missed boundaries (word before ‖)"), self.missed),
        );
        ctx.error_section(
            Layer::Sentences,
            ErrorSection::new(format!("{corpus}: spurious boundaries (word before ‖)"), self.spurious),
        );
    }
}

fn golden_rules(ctx: &mut Ctx<'_>) {
    let t = Instant::now();
    let rules = match golden::load(&ctx.path(GOLDEN)) {
        Ok(r) => r,
        Err(e) => return ctx.skipped(Layer::Sentences, "Golden Rules", GOLDEN, &e),
    };
    let mut failed = Vec::new();
    let mut examples = Vec::new();
    for rule in &rules {
        let doc = ctx.annotate(&rule.input);
        let segments: Vec<&str> = doc.sentences.iter().map(|s| s.span.text(&rule.input)).collect();
        if !golden::passes(&segments, &rule.expected_sentences) {
            failed.push(rule.id);
            let got: Vec<&str> = segments.iter().map(|s| s.trim()).collect();
            let example = format!("#{} {}: expected {:?}, got {:?}", rule.id, rule.name, rule.expected_sentences, got);
            examples.push((example, String::new()));
        }
    }
    failed.sort_unstable();
    let score = Score::Passed { passed: rules.len() - failed.len(), total: rules.len() };
    ctx.rows.push(Row::new(
        Layer::Sentences,
        "Golden Rules",
        "rules passed",
        score,
        Some(bars::REF_GOLDEN_RULES),
        Some(bars::GOLDEN_RULES),
    ));
    ctx.error_section(Layer::Sentences, ErrorSection::new("Golden Rules: failing rules".into(), examples));
    ctx.golden_rules_failed = failed;
    ctx.ran(Layer::Sentences, "Golden Rules", GOLDEN, (rules.len(), rules.len(), "rules"), t);
}

fn factbank(ctx: &mut Ctx<'_>) {
    let t = Instant::now();
    let docs = match szeged::load(&ctx.path(FACTBANK)) {
        Ok(d) => d,
        Err(e) => return ctx.skipped(Layer::Sentences, "FactBank dev", FACTBANK, &e),
    };
    let picked = ctx.pick(docs.len(), 1);
    let examples = ctx.wants_errors(Layer::Sentences);
    let mut acc = Boundaries::default();
    for doc in picked.iter().map(|&i| &docs[i]) {
        let (text, gold) = join_sentences(doc.sentences.iter().map(|s| s.text.as_str()));
        let pred: Vec<usize> = ctx.annotate(&text).sentences.iter().map(|s| s.span.end).collect();
        acc.add(&text, &gold, &pred, examples);
    }
    acc.finish(ctx, "FactBank dev", Some(bars::REF_BOUNDARY_NEWS), Some(bars::BOUNDARY_NEWS));
    ctx.ran(Layer::Sentences, "FactBank dev", FACTBANK, (picked.len(), docs.len(), "documents"), t);
}

fn polnear(ctx: &mut Ctx<'_>) {
    let t = Instant::now();
    let part = ctx.opts.polnear;
    let (corpus, dir) = (part.corpus(), part.dir());
    let folder = format!("polnear/{dir}/text");
    let sentences = match polnear::load_sentences(&ctx.path(POLNEAR_SENTENCES), dir) {
        Ok(s) => s,
        Err(e) => return ctx.skipped(Layer::Sentences, corpus, POLNEAR_SENTENCES, &e),
    };
    let root = ctx.path(POLNEAR);
    let names = match polnear::article_names(&root, dir) {
        Ok(n) => n,
        Err(e) => return ctx.skipped(Layer::Sentences, corpus, &folder, &e),
    };
    let picked = ctx.pick(names.len(), 1);
    let examples = ctx.wants_errors(Layer::Sentences);
    let mut acc = Boundaries::default();
    let mut without = Vec::new();
    for name in picked.iter().map(|&i| &names[i]) {
        let Some(gold_chars) = sentences.get(name) else {
            without.push(name.as_str());
            continue;
        };
        let path = root.join(dir).join("text").join(format!("{name}.txt"));
        let text = match crate::corpus::read(&path) {
            Ok(t) => t,
            Err(e) => return ctx.skipped(Layer::Sentences, corpus, &folder, &e),
        };
        let index = CharIndex::new(&text);
        let gold: Vec<usize> = gold_chars.iter().map(|&(_, end)| trim_end(&text, index.byte_of(end))).collect();
        let pred: Vec<usize> = ctx.annotate(&text).sentences.iter().map(|s| s.span.end).collect();
        acc.add(&text, &gold, &pred, examples);
    }
    acc.finish(ctx, corpus, None, None);
    if !without.is_empty() {
        ctx.notes.push(format!(
            "{corpus}: {} article(s) have no rows in sentences.tsv and are left out of the sentence scores.",
            without.len()
        ));
    }
    ctx.notes.push(
        "PolNeAR's sentences.tsv most likely derives from the CoreNLP processing shipped with the corpus (its README \
         lists ssplit), not from hand annotation: read its boundary F1 as agreement with CoreNLP's splitter."
            .into(),
    );
    ctx.ran(
        Layer::Sentences,
        corpus,
        &format!("{folder} + sentences.tsv"),
        (picked.len() - without.len(), names.len(), "articles"),
        t,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_match_exactly() {
        let (c, missed, spurious) = boundary_counts(&[10, 25, 40], &[10, 26, 40, 55]);
        assert_eq!(c, Counts { tp: 2, fp: 2, fn_: 1 });
        assert_eq!(missed, vec![25]);
        assert_eq!(spurious, vec![26, 55]);
        // Duplicates count once.
        assert_eq!(boundary_counts(&[5, 5], &[5]).0, Counts { tp: 1, fp: 0, fn_: 0 });
    }

    #[test]
    fn joined_sentences_and_their_ends() {
        let (text, ends) = join_sentences([" The tide turned. ", "", "It rained.  "]);
        assert_eq!(text, "The tide turned. It rained.");
        assert_eq!(ends, vec![16, 27]);
    }

    #[test]
    fn gold_ends_ignore_trailing_whitespace() {
        assert_eq!(trim_end("Done.  \nNext", 7), 5);
        assert_eq!(trim_end("Done.", 5), 5);
    }
}
