//! A document's sentences as CSV, one row each, for a spreadsheet or a data frame:
//!
//! ```text
//! index,id,text,claim,checkworthy,hedges,speakers
//! 0,s-1a2b3c4d,"Kim would likely travel by train, officials said.",attributed,0.731,would likely (epistemic),officials (unnamed)
//! ```
//!
//! `index` counts from 0 as in Lectern's JSON; `id` is the sentence's permalink id (`view::permalink`), the
//! fragment of its link on the reading page; `checkworthy` is rounded to three decimals; `hedges` are `cue (category)` and
//! `speakers` the resolved speakers as `speaker (kind)`, each once, joined by `; `. The `csv` crate quotes every
//! field that needs it (quotes, commas, line breaks), as RFC 4180 says. A sentence that does not fit the text is
//! left out, as are hedges that do not.

use std::io::{self, Write};

use annotate::Sentence;

use super::offsets::Offsets;
use crate::entry::Entry;
use crate::view::{sentence_ids, summary};

/// The header row.
pub const HEADER: [&str; 7] = ["index", "id", "text", "claim", "checkworthy", "hedges", "speakers"];

/// Separator between the hedges, or the speakers, of one cell.
pub const LIST_SEPARATOR: &str = "; ";

/// Write the sentences of `entry` to `out`.
pub fn write(entry: &Entry, out: impl Write) -> io::Result<()> {
    let text = &entry.document.text;
    let offsets = Offsets::new(text);
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let ids = sentence_ids(text, &entry.annotated);
    for (i, (s, id)) in entry.annotated.sentences.iter().zip(&ids).enumerate() {
        let (Some(id), Some(at)) = (id, offsets.locate(s.span)) else { continue };
        // Rounded as Lectern's JSON rounds it.
        let checkworthy = (f64::from(summary::checkworthy(s.checkworthy)) * 1000.0).round() / 1000.0;
        let hedges: Vec<String> = s
            .hedges
            .iter()
            .filter_map(|h| Some(format!("{} ({})", offsets.locate(h.span)?.text, h.category.as_str())))
            .collect();
        let speakers: Vec<String> = speakers(s)
            .iter()
            .map(|(speaker, kind)| format!("{speaker} ({kind})"))
            .collect();
        w.write_record([
            i.to_string().as_str(),
            id,
            at.text,
            s.claim.as_str(),
            &checkworthy.to_string(),
            &hedges.join(LIST_SEPARATOR),
            &speakers.join(LIST_SEPARATOR),
        ])?;
    }
    w.flush()
}

/// The resolved speakers of a sentence's attributions with their kinds, each once, in order.
fn speakers(s: &Sentence) -> Vec<(&str, &'static str)> {
    let mut out: Vec<(&str, &'static str)> = Vec::new();
    for a in &s.attributions {
        if let Some(speaker) = a.speaker.as_deref()
            && !out.iter().any(|(seen, _)| *seen == speaker)
        {
            out.push((speaker, a.kind.as_str()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::fixtures;

    fn rows(entry: &Entry) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        write(entry, &mut out).expect("writes to memory");
        let mut r = ::csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_slice());
        r.records()
            .map(|row| row.expect("a CSV row").iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn rows_read_back_as_the_sentences() {
        let entry = fixtures::annotated(fixtures::HOSTILE);
        let rows = rows(&entry);
        assert_eq!(rows[0], HEADER);
        let text = &entry.document.text;
        let ids = sentence_ids(text, &entry.annotated);
        assert_eq!(rows.len() - 1, entry.annotated.sentences.len());
        for (i, (row, s)) in rows[1..].iter().zip(&entry.annotated.sentences).enumerate() {
            assert_eq!(row.len(), HEADER.len());
            assert_eq!(row[0], i.to_string());
            assert_eq!(Some(row[1].as_str()), ids[i].as_deref());
            assert_eq!(row[2], s.span.text(text));
            assert_eq!(row[3], s.claim.as_str());
            let score: f32 = row[4].parse().expect("a number");
            assert!((score - s.checkworthy).abs() < 0.001);
            let hedges: Vec<String> = s
                .hedges
                .iter()
                .map(|h| format!("{} ({})", h.span.text(text), h.category.as_str()))
                .collect();
            assert_eq!(row[5], hedges.join("; "));
        }
        let quoted = rows
            .iter()
            .find(|r| r[2].starts_with("\"We will *not* close the plant, ever,\""));
        assert_eq!(quoted.map(|r| r[6].as_str()), Some("Ann O'Neil (named)"), "{rows:?}");
        assert!(
            rows.iter()
                .any(|r| r[2].contains("🚂") && r[2].contains("<script>alert(1)</script>"))
        );
        assert!(rows.iter().any(|r| r[5] == "would likely (epistemic)"), "{rows:?}");
    }

    #[test]
    fn line_breaks_inside_a_cell_stay_in_the_cell() {
        let entry = fixtures::crossing();
        let rows = rows(&entry);
        assert_eq!(rows.len(), 3, "the header and the two sentences that fit");
        assert!(rows[1][2].contains("and\nunsafe") && rows[1][2].contains('"'));
        assert_eq!(rows[1][6], "the *city*\tengineer <b> (unnamed)");
        assert_eq!(rows[1][4], "0.813");
        assert_eq!(rows[2][2], "It might\nreopen.");
        assert_eq!(rows[2][5], "might\nreopen (epistemic)", "hedges that do not fit are left out");
    }
}
