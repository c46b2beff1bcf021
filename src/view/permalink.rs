//! Stable sentence ids for permalinks: `s-` followed by eight hex digits derived from the sentence's text.
//!
//! An id must survive what does not change the sentence: edits elsewhere in the document, re-annotation with a
//! newer annotator, a different position in the list. So it comes from the sentence's content, never from its
//! index. The text is normalised first (case, runs of whitespace, curly versus straight quotes and dashes), so a
//! typographic touch-up keeps the link working. The digest is 64-bit FNV-1a, written out here because the
//! standard library's hasher may change between Rust releases and ids must not. A sentence that occurs twice (or,
//! far less likely, two sentences with the same digest) gets `-2`, `-3`… in text order, so ids stay unique.

/// Offset basis of 64-bit FNV-1a.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Prime of 64-bit FNV-1a.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The element id of each sentence, in order: `s-1a2b3c4d`, or `s-1a2b3c4d-2` for the second with that digest.
pub fn ids<'a>(sentences: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: Vec<(u32, usize)> = Vec::new();
    sentences
        .into_iter()
        .map(|text| {
            let digest = digest(text);
            let n = match seen.iter_mut().find(|(d, _)| *d == digest) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((digest, 1));
                    1
                }
            };
            if n == 1 { format!("s-{digest:08x}") } else { format!("s-{digest:08x}-{n}") }
        })
        .collect()
}

/// The 32-bit digest of a sentence: FNV-1a 64 over its normalised text, folded.
fn digest(text: &str) -> u32 {
    let mut hash = FNV_OFFSET;
    for byte in normalise(text).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    // Folding keeps every input bit's influence; the truncation to 32 bits is intended.
    ((hash >> 32) ^ hash) as u32
}

/// Lowercase, straight quotes and hyphens, single spaces, no surrounding whitespace.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '‘' | '’' | '‚' | '‛' | '′' => out.push('\''),
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => out.push('"'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_hex_and_depend_only_on_the_text() {
        let a = ids(["Kim will travel.", "Putin waits."]);
        let b = ids(["A new first sentence.", "Putin waits.", "Kim will travel."]);
        assert!(a.iter().all(|id| id.len() == 10 && id.starts_with("s-")), "{a:?}");
        assert!(a.iter().all(|id| id[2..].bytes().all(|b| b.is_ascii_hexdigit())), "{a:?}");
        assert_eq!(a[0], b[2], "moving a sentence keeps its id");
        assert_eq!(a[1], b[1]);
        assert_ne!(a[0], a[1]);
    }

    #[test]
    fn ids_are_pinned_so_old_links_keep_working() {
        // A change here breaks every permalink anyone has shared: only ever change it on purpose.
        assert_eq!(ids(["Kim will travel."]), ["s-ad225d19"]);
    }

    #[test]
    fn typographic_changes_keep_the_id() {
        let base = ids(["“It’s over,” she said — again."]);
        for variant in [
            "\"It's over,\" she said - again.",
            "  “IT’S   over,”\tshe said — again. ",
            "“It’s over,” she\nsaid — again.",
        ] {
            assert_eq!(ids([variant]), base, "{variant:?}");
        }
        assert_ne!(ids(["“It’s over,” she said — again!"]), base, "punctuation that changes meaning changes the id");
    }

    #[test]
    fn repeated_sentences_get_an_occurrence_counter() {
        let got = ids(["No comment.", "Yes.", "No comment.", "no  comment."]);
        assert_eq!(got[2], format!("{}-2", got[0]));
        assert_eq!(got[3], format!("{}-3", got[0]));
        assert_ne!(got[1], got[0]);
    }

    #[test]
    fn empty_and_odd_text_never_panics() {
        let got = ids(["", " ", "🙂", "\u{0}"]);
        assert_eq!(got.len(), 4);
        assert_eq!(got[1], format!("{}-2", got[0]), "blank text normalises to the empty string");
    }
}
