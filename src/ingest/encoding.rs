//! Bytes to text in the right encoding. In order: a byte-order mark; an encoding declared by the server
//! (`Content-Type: …; charset=…`) or by the document itself (`<meta charset>`), when the bytes decode cleanly in it;
//! UTF-8 when the bytes are valid UTF-8; otherwise the guess of a detector trained on the web (chardetng). The
//! result says which of these decided, so the page can tell the reader.

use encoding_rs::{Encoding, UTF_8};

/// What decided the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// A byte-order mark at the start.
    Bom,
    /// The server's `Content-Type` header.
    Http,
    /// The document's own declaration (`<meta charset>`).
    Declared,
    /// The bytes are valid UTF-8.
    Utf8,
    /// Nothing was declared: detected from the bytes.
    Detected,
}

impl EncodingSource {
    /// Every source.
    pub const ALL: [EncodingSource; 5] = [
        EncodingSource::Bom,
        EncodingSource::Http,
        EncodingSource::Declared,
        EncodingSource::Utf8,
        EncodingSource::Detected,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Http => "http",
            EncodingSource::Declared => "declared",
            EncodingSource::Utf8 => "utf-8",
            EncodingSource::Detected => "detected",
        }
    }

    /// The source with this machine name.
    pub fn parse(name: &str) -> Option<EncodingSource> {
        EncodingSource::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// How a page says it: "detected", "declared by the page", …
    pub fn describe(self) -> &'static str {
        match self {
            EncodingSource::Bom => "marked by a byte-order mark",
            EncodingSource::Http => "declared by the server",
            EncodingSource::Declared => "declared by the document",
            EncodingSource::Utf8 => "valid UTF-8",
            EncodingSource::Detected => "not declared; detected from the text",
        }
    }
}

/// Decoded text and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's WHATWG name, e.g. `UTF-8`, `windows-1252`.
    pub encoding: &'static str,
    /// What decided it.
    pub source: EncodingSource,
}

/// Decode `bytes`. `declared` are `(source, label)` pairs in order of authority (the server's before the
/// document's); a label that names no encoding, or in which the bytes do not decode cleanly, is passed over.
pub fn decode(bytes: &[u8], declared: &[(EncodingSource, &str)]) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded { text: text.into_owned(), encoding: encoding.name(), source: EncodingSource::Bom };
    }
    for &(source, label) in declared {
        let Some(encoding) = Encoding::for_label(label.trim().as_bytes()) else { continue };
        // A page cannot declare UTF-16 in itself (its declaration would not be readable): the HTML standard reads
        // that as UTF-8.
        let encoding =
            if source != EncodingSource::Http && encoding.name().starts_with("UTF-16") { UTF_8 } else { encoding };
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            return Decoded { text: text.into_owned(), encoding: encoding.name(), source };
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded { text: text.to_string(), encoding: UTF_8.name(), source: EncodingSource::Utf8 };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded { text: text.into_owned(), encoding: encoding.name(), source: EncodingSource::Detected }
}

/// The `charset` parameter of a `Content-Type` value, if any.
pub fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// The encoding an HTML document declares in its first 1024 bytes (`<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`), as the HTML standard's prescan looks for it.
pub fn html_declared(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(found) = find(&lower[at..], b"<meta") {
        let start = at + found;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = rest
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            if let Some(value) = rest.strip_prefix(b"=") {
                let value: Vec<u8> = value
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'')
                    .take_while(|b| {
                        !(b.is_ascii_whitespace() || **b == b'"' || **b == b'\'' || **b == b';' || **b == b'/')
                    })
                    .copied()
                    .collect();
                if !value.is_empty() {
                    return Some(String::from_utf8_lossy(&value).into_owned());
                }
            }
        }
        at = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_wins() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Café".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&utf16, &[(EncodingSource::Http, "windows-1252")]);
        assert_eq!((d.text.as_str(), d.encoding, d.source), ("Café", "UTF-16LE", EncodingSource::Bom));
        let d = decode(b"\xEF\xBB\xBFabc", &[]);
        assert_eq!((d.text.as_str(), d.source), ("abc", EncodingSource::Bom));
    }

    #[test]
    fn a_declaration_is_honoured_when_the_bytes_fit_it() {
        let d = decode(b"caf\xe9 \x93quoted\x94", &[(EncodingSource::Declared, "windows-1252")]);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.source),
            ("café “quoted”", "windows-1252", EncodingSource::Declared)
        );
        // Declared UTF-8 but not UTF-8: the declaration is wrong, so the bytes decide.
        let d = decode(b"caf\xe9 au lait, na\xefve", &[(EncodingSource::Http, "utf-8")]);
        assert_eq!((d.text.as_str(), d.source), ("café au lait, naïve", EncodingSource::Detected));
        // An unknown label is passed over.
        let d = decode(b"plain", &[(EncodingSource::Http, "x-no-such-encoding")]);
        assert_eq!(d.source, EncodingSource::Utf8);
    }

    #[test]
    fn undeclared_legacy_text_is_detected() {
        let text = "Le maire a déclaré que la réunion aurait lieu à l'hôtel de ville, a-t-il précisé.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let d = decode(&bytes, &[]);
        assert_eq!((d.text.as_str(), d.source), (text, EncodingSource::Detected));
        assert_eq!(decode("déjà".as_bytes(), &[]).source, EncodingSource::Utf8);
    }

    #[test]
    fn declarations_are_found_where_browsers_look() {
        assert_eq!(charset_of("text/html; charset=ISO-8859-1"), Some("ISO-8859-1"));
        assert_eq!(charset_of("text/html;charset=\"utf-8\""), Some("utf-8"));
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(
            html_declared(b"<!doctype html><html><head><meta charset=\"windows-1252\">").as_deref(),
            Some("windows-1252")
        );
        let http_equiv = b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">";
        assert_eq!(html_declared(http_equiv).as_deref(), Some("shift_jis"));
        assert_eq!(html_declared(b"<html><head><title>none</title>"), None);
        let late = [vec![b' '; 2000], b"<meta charset=utf-8>".to_vec()].concat();
        assert_eq!(html_declared(&late), None, "only the first 1024 bytes count");
    }
}
