//! Readers for the gold corpora in `../shared/data/`: each turns one file format into plain Rust values.
//!
//! The readers never embed or copy corpus text anywhere; they read it at run time. Parsers take `&str` so they can
//! be tested on hand-written snippets, and file access is kept to [`read`].

pub mod brat;
pub mod claimbuster;
pub mod golden;
pub mod polnear;
pub mod szeged;

use std::path::{Path, PathBuf};

/// Why a corpus could not be used. A missing file is expected (the corpora are not shipped): the run skips that
/// corpus and says so.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file or directory does not exist.
    #[error("{} not found", .path.display())]
    Missing {
        /// What was looked for.
        path: PathBuf,
    },
    /// It exists but could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// What was read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// It was read but is not in the expected format.
    #[error("cannot parse {}: {source}", .path.display())]
    Parse {
        /// What was parsed.
        path: PathBuf,
        /// What was wrong.
        source: ParseError,
    },
}

/// A format error, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl LoadError {
    /// A parse error in `path`.
    pub fn parse(path: &Path, source: ParseError) -> LoadError {
        LoadError::Parse { path: path.to_path_buf(), source }
    }
}

/// Read a whole UTF-8 file, telling a missing file apart from an unreadable one.
pub fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LoadError::Missing { path: path.to_path_buf() }
        } else {
            LoadError::Io { path: path.to_path_buf(), source }
        }
    })
}
