//! Reading the inputs named on the command line: files, standard input and links, each bounded in size before it
//! is read whole.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::{Document, Hint, IngestError, MAX_BYTES, from_bytes_with, link};

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-` on the command line).
    Stdin,
    /// A file path.
    File(PathBuf),
    /// A link to fetch (`http://` or `https://`).
    Url(String),
}

impl Input {
    /// `-` means stdin, `http://…` and `https://…` a link; anything else is a path.
    pub fn from_arg(arg: PathBuf) -> Input {
        if arg.as_os_str() == "-" {
            return Input::Stdin;
        }
        match arg.to_str() {
            Some(s) if link::looks_like_url(s) => Input::Url(s.to_string()),
            _ => Input::File(arg),
        }
    }
}

impl fmt::Display for Input {
    /// The name used in messages: the path or link as given, or `<stdin>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Stdin => f.write_str("<stdin>"),
            Input::File(path) => write!(f, "{}", path.display()),
            Input::Url(url) => f.write_str(url),
        }
    }
}

/// A short reason for an I/O error, without the OS error number where a plain phrase says it better.
pub(super) fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => err.to_string(),
    }
}

/// Read and decode `input` into a document, refusing more than [`MAX_BYTES`].
pub fn load(input: &Input) -> Result<Document, IngestError> {
    load_limited(input, MAX_BYTES)
}

/// Read and decode `input` into a document, refusing more than `max_bytes`. A link is fetched (this blocks).
pub fn load_limited(input: &Input, max_bytes: u64) -> Result<Document, IngestError> {
    match input {
        Input::Stdin => from_bytes_with("<stdin>", &read_limited(io::stdin().lock(), max_bytes)?, &Hint::default()),
        Input::File(path) => {
            let name = path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            from_bytes_with(&name, &read_file(path, max_bytes)?, &Hint::default())
        }
        Input::Url(url) => link::fetch_document_blocking(url, max_bytes),
    }
}

/// Read a file, refusing directories and anything over `max` bytes before reading it all.
pub(super) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, IngestError> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory).into());
    }
    if meta.len() > max {
        return Err(IngestError::TooLarge { limit: max });
    }
    // Special files (pipes, /dev/zero) report no size: the limit is enforced while reading too.
    read_limited(file, max)
}

/// Read at most `max` bytes, failing with [`IngestError::TooLarge`] when there is more.
pub(super) fn read_limited(reader: impl Read, max: u64) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(IngestError::TooLarge { limit: max });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_is_rejected_while_reading() {
        let big = io::repeat(b'a').take(MAX_BYTES + 10);
        assert!(matches!(read_limited(big, MAX_BYTES), Err(IngestError::TooLarge { .. })));
        let fits = io::repeat(b'a').take(MAX_BYTES);
        assert_eq!(read_limited(fits, MAX_BYTES).map(|b| b.len() as u64).ok(), Some(MAX_BYTES));
        assert!(matches!(read_limited(io::repeat(b'a').take(11), 10), Err(IngestError::TooLarge { limit: 10 })));
    }

    #[test]
    fn missing_file_says_so() {
        let err = load(&Input::File(PathBuf::from("/nonexistent/lectern/x.txt")));
        assert!(matches!(&err, Err(IngestError::Io(e)) if e.kind() == io::ErrorKind::NotFound));
        assert_eq!(err.err().map(|e| e.to_string()).as_deref(), Some("no such file"));
    }

    #[test]
    fn arguments_are_files_stdin_or_links() {
        assert_eq!(Input::from_arg("-".into()), Input::Stdin);
        assert_eq!(Input::from_arg("a.txt".into()), Input::File("a.txt".into()));
        assert_eq!(Input::from_arg("https://example.org/a".into()), Input::Url("https://example.org/a".into()));
        assert_eq!(Input::from_arg("HTTP://example.org".into()), Input::Url("HTTP://example.org".into()));
        assert_eq!(Input::from_arg("http-notes.txt".into()), Input::File("http-notes.txt".into()));
    }
}
