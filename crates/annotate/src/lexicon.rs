//! Lexicons: phrase lists as data.
