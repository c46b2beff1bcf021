//! PolNeAR (`polnear/`): political news articles with attribution annotation.
//!
//! ```text
//! polnear/dev/text/<doc>.txt                   the article
//! polnear/dev/attributions/<doc>_<annotator>.ann   brat standoff, one file per annotator (see [`super::brat`])
//! polnear/sentences.tsv                         compartment, filename, sent_idx, start, end (character offsets)
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::brat::{self, Standoff};
use super::{LoadError, ParseError};

/// One article with the annotation of its first annotator.
#[derive(Debug, Clone)]
pub struct Article {
    /// File stem, e.g. "nyt_2016-10-02_…".
    pub name: String,
    /// The article text.
    pub text: String,
    /// The annotator whose file was used (the lexicographically smallest suffix), if any file exists.
    pub annotator: Option<String>,
    /// That annotator's annotation (empty when there is none).
    pub standoff: Standoff,
}

/// Article names of a compartment (`dev`, `train`), sorted, from the `text/` directory.
pub fn article_names(root: &Path, compartment: &str) -> Result<Vec<String>, LoadError> {
    let dir = root.join(compartment).join("text");
    let mut names: Vec<String> = list_dir(&dir)?
        .into_iter()
        .filter_map(|f| f.strip_suffix(".txt").map(str::to_string))
        .collect();
    names.sort();
    Ok(names)
}

/// File names in a directory.
fn list_dir(dir: &Path) -> Result<Vec<String>, LoadError> {
    let io = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LoadError::Missing { path: dir.to_path_buf() }
        } else {
            LoadError::Io { path: dir.to_path_buf(), source }
        }
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        if let Some(name) = entry.file_name().to_str() {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

/// The annotation file of the first annotator of `article` among `files`: `<article>_<annotator>.ann` with the
/// lexicographically smallest annotator id. The annotator id contains no `_`, so one article's name being a prefix
/// of another's cannot mix them up.
pub fn first_annotator<'a>(files: &'a [String], article: &str) -> Option<(&'a str, &'a str)> {
    files
        .iter()
        .filter_map(|f| {
            let annotator = f.strip_prefix(article)?.strip_prefix('_')?.strip_suffix(".ann")?;
            (!annotator.is_empty() && !annotator.contains('_')).then_some((f.as_str(), annotator))
        })
        .min_by_key(|(_, annotator)| *annotator)
}

/// Load these articles of a compartment (names from [`article_names`]) with their first annotator's annotation.
pub fn load_articles(root: &Path, compartment: &str, names: &[String]) -> Result<Vec<Article>, LoadError> {
    let ann_dir = root.join(compartment).join("attributions");
    let files = list_dir(&ann_dir)?;
    let mut out = Vec::new();
    for name in names {
        let text = super::read(&root.join(compartment).join("text").join(format!("{name}.txt")))?;
        let (annotator, standoff) = match first_annotator(&files, name) {
            Some((file, annotator)) => {
                let path: PathBuf = ann_dir.join(file);
                let standoff = brat::parse(&super::read(&path)?).map_err(|e| LoadError::parse(&path, e))?;
                (Some(annotator.to_string()), standoff)
            }
            None => (None, Standoff::default()),
        };
        out.push(Article { name: name.clone(), text, annotator, standoff });
    }
    Ok(out)
}

/// Sentence character ranges per article of one compartment, in order.
pub type Sentences = HashMap<String, Vec<(usize, usize)>>;

/// Parse `sentences.tsv` (with its header line), keeping the rows of `compartment`.
pub fn parse_sentences(tsv: &str, compartment: &str) -> Result<Sentences, ParseError> {
    let mut out: Sentences = HashMap::new();
    for (n, line) in tsv.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let err = |what: &str| ParseError(format!("line {}: {what}", n + 1));
        let cols: Vec<&str> = line.split('\t').collect();
        let [comp, file, idx, start, end] = cols.as_slice() else {
            return Err(err("expected 5 tab-separated columns"));
        };
        if *comp != compartment {
            continue;
        }
        let _: usize = idx.parse().map_err(|_| err("sent_idx is not a number"))?;
        let start: usize = start.parse().map_err(|_| err("start is not a number"))?;
        let end: usize = end.parse().map_err(|_| err("end is not a number"))?;
        out.entry(file.to_string()).or_default().push((start, end));
    }
    for ranges in out.values_mut() {
        ranges.sort_unstable();
    }
    Ok(out)
}

/// Read and parse `sentences.tsv` for one compartment.
pub fn load_sentences(path: &Path, compartment: &str) -> Result<Sentences, LoadError> {
    parse_sentences(&super::read(path)?, compartment).map_err(|e| LoadError::parse(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_annotator_is_the_smallest_suffix() {
        let files: Vec<String> =
            ["story-b_9f00.ann", "story_d473.ann", "story_4e07.ann", "story_extra_0000.ann", "other_0001.ann"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(first_annotator(&files, "story"), Some(("story_4e07.ann", "4e07")));
        assert_eq!(first_annotator(&files, "story-b"), Some(("story-b_9f00.ann", "9f00")));
        assert_eq!(first_annotator(&files, "missing"), None);
    }

    #[test]
    fn sentences_of_one_compartment() {
        let tsv = "compartment\tfilename\tsent_idx\tstart\tend\n\
                   dev\ta\t1\t12\t30\n\
                   dev\ta\t0\t0\t10\n\
                   train\tb\t0\t0\t5\n";
        let s = parse_sentences(tsv, "dev").expect("valid");
        assert_eq!(s.len(), 1);
        assert_eq!(s["a"], vec![(0, 10), (12, 30)]);
        assert!(parse_sentences("h\ndev\ta\tx\t0\t1\n", "dev").is_err());
        assert!(parse_sentences("h\ndev\ta\t0\n", "dev").is_err());
    }
}
