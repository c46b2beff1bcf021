//! Text -> paragraphs -> sentences, losslessly.
//!
//! A newline is always a boundary (a headline has no full stop). Inside a paragraph, `sentencex` (Wikimedia's
//! segmenter, with compiled-in abbreviation lists) proposes boundaries; Lectern then adds what news needs:
//! a quotation holding two full sentences is split between them (sentencex never splits inside quotes), wire
//! datelines and company suffixes end sentences, the rows of a table flattened into one paragraph are cut apart,
//! and quote marks and a glued semicolon stay with the sentence they belong to.
//!
//! The output is lossless by construction: boundaries are *cut points*, every piece between two cut points is
//! trimmed of whitespace, so what lies between consecutive sentences is whitespace only.

use std::borrow::Cow;

use crate::span::Span;

/// A sentence found by the segmenter: its span and the index of its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub span: Span,
    pub paragraph: usize,
}

/// Split `text` into paragraphs (trimmed, non-empty lines) and sentences.
pub(crate) fn segment(text: &str) -> (Vec<Span>, Vec<Segment>) {
    let paragraphs = paragraphs(text);
    let mut sentences = Vec::new();
    for (p, para) in paragraphs.iter().enumerate() {
        for span in sentences_in(text, *para) {
            sentences.push(Segment { span, paragraph: p });
        }
    }
    (paragraphs, sentences)
}

/// The text's lines (split at `\n`; a `\r` before it is whitespace), trimmed, without the empty ones.
pub(crate) fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        if let Some(span) = trim(text, Span::new(start, start + piece.len())) {
            out.push(span);
        }
        start += piece.len();
    }
    out
}

/// `span` without leading and trailing whitespace, or `None` when nothing is left.
pub(crate) fn trim(text: &str, span: Span) -> Option<Span> {
    let s = span.text(text);
    let lead = s.len() - s.trim_start().len();
    let inner = s.trim();
    if inner.is_empty() {
        return None;
    }
    let start = span.start + lead;
    Some(Span::new(start, start + inner.len()))
}

/// Sentences of one paragraph.
fn sentences_in(text: &str, para: Span) -> Vec<Span> {
    let body = para.text(text);
    let masked = mask_apostrophes(body);
    let (mut cuts, forced) = segmenter_cuts(&masked);
    cuts.extend(quotation_cuts(body));
    cuts.extend(company_suffix_cuts(body));
    cuts.extend(dateline_cut(body));
    cuts.extend(table_row_cuts(body));
    for c in &mut cuts {
        *c = past_closing_marks(body, before_opening_quote(body, *c));
    }
    cuts.retain(|&c| !after_title(body, c) && !abbreviation_then_lowercase(body, c) && !clock_then_time_zone(body, c));
    list_items(body, &mut cuts);
    // The piece ends bound every sentence's length, whatever the rules above removed: no sentence grows unbounded.
    cuts.extend(forced);
    cuts.push(body.len());
    cuts.retain(|&c| c > 0 && c <= body.len() && body.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();

    let mut out: Vec<Span> = Vec::new();
    let mut start = 0;
    for cut in cuts {
        if let Some(span) = trim(text, Span::new(para.start + start, para.start + cut)) {
            match out.last_mut() {
                // "“…” ― Ana Lima": a signature after a quotation stays with it.
                Some(prev) if is_signature(span.text(text)) => prev.end = span.end,
                _ => out.push(span),
            }
        }
        start = cut;
    }
    out
}

/// A dash and up to four capitalised words, nothing else: the signature under a quotation.
fn is_signature(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['―', '—', '–']) else { return false };
    let words: Vec<&str> = rest.trim_end_matches('.').split_whitespace().collect();
    (1..=4).contains(&words.len()) && words.iter().all(|w| w.starts_with(char::is_uppercase))
}

/// A list marker at byte `at` of `body`: "1.", "a.", "⁃9." (a bullet, up to three digits or one letter, a full
/// stop) followed by whitespace. Returns the marker's ordinal (digits as a number, a letter as 1 for "a") and its
/// end.
fn list_marker(body: &str, at: usize) -> Option<(u32, usize)> {
    let rest = body.get(at..)?;
    let rest_trim = rest.trim_start_matches(['⁃', '•', '‣', '–', '-']);
    let bullet = rest.len() - rest_trim.len();
    let digits = rest_trim.chars().take_while(char::is_ascii_digit).count();
    let (ordinal, len) = if (1..=3).contains(&digits) {
        (rest_trim[..digits].parse().ok()?, digits)
    } else {
        let c = rest_trim.chars().next().filter(char::is_ascii_lowercase)?;
        (u32::from(c) - u32::from('a') + 1, 1)
    };
    let after = &rest_trim[len..];
    let follows_space = after.strip_prefix('.')?.starts_with(char::is_whitespace);
    follows_space.then_some((ordinal, at + bullet + len + 1))
}

/// A paragraph that opens with a list marker ("1. Buy bread 2. Pay the rent") is cut before each next
/// marker of the sequence and never just after a marker.
fn list_items(body: &str, cuts: &mut Vec<usize>) {
    let Some((mut expected, first_end)) = list_marker(body, 0) else { return };
    let mut markers = vec![first_end];
    let mut item_starts = Vec::new();
    for (i, c) in body.char_indices() {
        if i <= first_end || !c.is_whitespace() {
            continue;
        }
        let at = i + c.len_utf8();
        if let Some((ordinal, end)) = list_marker(body, at)
            && ordinal == expected + 1
        {
            expected = ordinal;
            markers.push(end);
            item_starts.push(at);
        }
    }
    cuts.retain(|c| !markers.iter().any(|&m| body[m..*c.max(&m)].trim().is_empty()));
    cuts.extend(item_starts);
}

/// Titles that always precede a name, so a sentence never ends with one: "Ms. ‖ Roe" is no boundary.
const TITLES: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "Gen.", "Prof.", "Lt.", "Col.", "Sgt.", "Capt.", "Adm.",
    "Rev.", "St.", "Messrs.", "Mmes.", "Maj.", "Cmdr.", "Gens.", "Sens.", "Reps.",
];

/// Longest word, in bytes, that [`last_word`] looks back over: enough for any abbreviation, and it keeps a text
/// without spaces linear.
const MAX_WORD_LOOKBACK: usize = 32;

/// The word that ends just before cut point `c` (trailing whitespace skipped), at most [`MAX_WORD_LOOKBACK`] bytes.
fn last_word(body: &str, c: usize) -> &str {
    let before = body.get(..c).unwrap_or("").trim_end();
    let mut from = before.len().saturating_sub(MAX_WORD_LOOKBACK);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    before[from..].rsplit(char::is_whitespace).next().unwrap_or("")
}

/// True when the text before cut point `c` ends with a title.
fn after_title(body: &str, c: usize) -> bool {
    let last = last_word(body, c).trim_start_matches(['(', '“', '"', '`']);
    TITLES.contains(&last)
}

/// Quote marks that can open a quotation (straight ones included: they open as often as they close).
const OPENING_QUOTES: &[char] = &['"', '“', '‘', '`', '\''];

/// `s` without the (at most three) quote marks that open it.
fn skip_opening_quotes(s: &str) -> &str {
    let mut rest = s;
    for _ in 0..3 {
        rest = rest.strip_prefix(OPENING_QUOTES).unwrap_or(rest);
    }
    rest
}

/// True when the text before cut point `c` ends with an abbreviation ("Cos.", "p.m.") or an ellipsis and the text
/// after it goes on in lowercase, after any opening quote marks ("…the Acme Co. \"have been…"): no new sentence
/// starts there.
fn abbreviation_then_lowercase(body: &str, c: usize) -> bool {
    let after = skip_opening_quotes(body.get(c..).unwrap_or("").trim_start());
    let last = last_word(body, c);
    let stem = last.strip_suffix('.').unwrap_or("");
    let abbreviation =
        !stem.is_empty() && (stem.contains('.') || stem.chars().filter(|c| c.is_alphabetic()).count() <= 7);
    abbreviation && after.starts_with(|ch: char| ch.is_lowercase() || ch == '-')
}

/// Time zones written after a clock time in news copy: "until 5 p.m. EST" goes on after "p.m.".
const TIME_ZONES: &[&str] = &[
    "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "ET", "CT", "MT", "PT", "GMT",
    "UTC", "BST", "CET", "CEST", "IST", "JST",
];

/// True when cut point `c` follows "a.m." or "p.m." and a time zone comes next: the zone belongs to the clock time,
/// so no sentence ends there although the zone is capitalised.
fn clock_then_time_zone(body: &str, c: usize) -> bool {
    let last = last_word(body, c);
    if !last.eq_ignore_ascii_case("a.m.") && !last.eq_ignore_ascii_case("p.m.") {
        return false;
    }
    let after = body.get(c..).unwrap_or("").trim_start();
    let zone = after.split(|ch: char| !ch.is_ascii_alphabetic()).next().unwrap_or("");
    TIME_ZONES.contains(&zone)
}

/// Cut point `c` moved back before an opening quote mark that ends the piece before it: sentencex sometimes cuts
/// after the "``" or "“" that opens the next sentence's quotation ("He spoke Friday. ``‖We will…").
fn before_opening_quote(body: &str, c: usize) -> usize {
    let Some(before) = body.get(..c) else { return c };
    let Some(q) = ["``", "“", "‘"].into_iter().find(|q| before.ends_with(q)) else { return c };
    let at = c - q.len();
    // Only a mark that stands apart from the word before it opens a quotation.
    if body[..at].ends_with(char::is_whitespace) { at } else { c }
}

/// Cut point `c` moved past a closing quote mark and a semicolon glued to the sentence end before it ("…in his
/// post.; Next…", "…we agree.'' Then…"): neither ever opens a sentence, so they stay with the one they follow.
fn past_closing_marks(body: &str, c: usize) -> usize {
    let Some(before) = body.get(..c) else { return c };
    // The sentence end, looked for behind at most a few closing marks so that the look back stays short.
    let ends_sentence = before
        .chars()
        .rev()
        .take(4)
        .find(|ch| !matches!(ch, '"' | '”' | '\'' | '’' | ')'))
        .is_some_and(|ch| matches!(ch, '.' | '!' | '?'));
    if !ends_sentence {
        return c;
    }
    let mut end = c;
    for mark in ["''", "”", ";"] {
        if body[end..].starts_with(mark) {
            end += mark.len();
        }
    }
    let free = body[end..].chars().next().is_none_or(char::is_whitespace);
    if free { end } else { c }
}

/// Fewest bare "@" markers ("@" and a space) that mark a paragraph as a flattened table.
const MIN_TABLE_ROW_MARKERS: usize = 2;

/// Cut points of a table flattened into one paragraph, as wire and newspaper archives keep them: each row opens
/// with an "@" row marker ("@ Northland ...... 12.5 +3.1 @ Southmark ...... 8.0 -1.2"), and the source line under
/// the table ("Source: …") follows its last figure. A paragraph is such a table only when at least
/// [`MIN_TABLE_ROW_MARKERS`] markers stand apart from any word, so that a handle ("@acme") in prose cuts nothing,
/// and as many follow a figure that ends the row before, so that prices in prose ("tea @ $2 a cup") cut nothing.
fn table_row_cuts(body: &str) -> Vec<usize> {
    let (mut bare, mut after_figure) = (0, 0);
    let mut rows = Vec::new();
    for (i, _) in body.match_indices('@') {
        let starts_word = i == 0 || body[..i].ends_with(char::is_whitespace);
        if !starts_word {
            continue;
        }
        if body[i + 1..].chars().next().is_none_or(char::is_whitespace) {
            bare += 1;
        }
        // Rows end in figures: "… 12.5 +3.1 @ Southmark"; in "tea @ $2 a cup and coffee @ $3 a cup" none does.
        if body[..i].trim_end().ends_with(|c: char| c.is_ascii_digit() || c == '%') {
            after_figure += 1;
        }
        rows.push(i);
    }
    if bare < MIN_TABLE_ROW_MARKERS || after_figure < MIN_TABLE_ROW_MARKERS {
        return Vec::new();
    }
    let mut offset = 0;
    let mut previous = "";
    for word in body.split_inclusive(char::is_whitespace) {
        let w = word.trim_end();
        let after_figure = previous.ends_with(|c: char| c.is_ascii_digit());
        if after_figure && matches!(w, "Source:" | "Sources:") {
            rows.push(offset);
        }
        if !w.is_empty() {
            previous = w;
        }
        offset += word.len();
    }
    rows
}

/// Company suffixes that end a sentence more often than news abbreviations elsewhere do: "…, an analyst with
/// Acme Holdings Inc. Ms. Roe disagreed …".
const COMPANY_SUFFIXES: &[&str] = &["Inc.", "Corp.", "Ltd.", "Co.", "Cos.", "Bancorp.", "Plc.", "L.P.", "LLC."];

/// Cut points after a company suffix followed by a capitalised word: a suffix standing as a word of its own
/// (after the start or a whitespace character), then one whitespace character, then a capital or an opening
/// double quote mark.
fn company_suffix_cuts(body: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    // Every suffix ends with a full stop: look only there.
    for (dot, _) in body.match_indices('.') {
        let end = dot + 1;
        let Some(word) = COMPANY_SUFFIXES.iter().find(|w| body[..end].ends_with(**w)) else { continue };
        let start = end - word.len();
        let own_word = body[..start].chars().next_back().is_none_or(char::is_whitespace);
        let mut after = body[end..].chars();
        let spaced = after.next().is_some_and(char::is_whitespace);
        let starts_sentence = after.next().is_some_and(|c| c.is_uppercase() || c == '“' || c == '"');
        if own_word && spaced && starts_sentence {
            cuts.push(end);
        }
    }
    cuts
}

/// "WASHINGTON (AP) _ The Senate …": the dateline that opens a wire story ends at its underscore dash.
fn dateline_cut(body: &str) -> Option<usize> {
    let first = body.split_whitespace().next()?;
    let mut letters = first.chars().filter(|c| c.is_alphabetic());
    let upper = letters.clone().all(char::is_uppercase);
    if letters.nth(1).is_none() || !upper {
        return None;
    }
    let mut offset = 0;
    for (n, word) in body.split_inclusive(char::is_whitespace).enumerate() {
        let w = word.trim_end();
        if n > 8 {
            break;
        }
        // The underscore dash of wire copy; a "--" or "—" after a dateline is left inside the sentence.
        let dash = w == "_";
        if dash && n > 0 {
            let end = offset + w.len();
            let rest = body.get(end..)?.trim_start();
            return rest
                .starts_with(|c: char| c.is_uppercase() || c == '`' || c == '"' || c == '“')
                .then_some(end);
        }
        offset += word.len();
    }
    None
}

/// `text` with apostrophes inside or at the end of words ("Inc.'s", "Acme's", "companies' brands") replaced by
/// letters of the same byte length. The segmenter reads a straight or curly apostrophe as a single quotation mark
/// and never splits inside what it takes for a quotation, so one possessive could swallow a whole paragraph.
fn mask_apostrophes(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for (i, mark) in text.match_indices(['\'', '’']) {
        let prev = text[..i].chars().next_back();
        let next = text[i + mark.len()..].chars().next();
        let inside = prev.is_some_and(|p| p.is_alphanumeric() || p == '.') && next.is_some_and(char::is_alphabetic);
        let plural_possessive = prev == Some('s') && next.is_none_or(|n| n.is_whitespace());
        if inside || plural_possessive {
            if out.is_empty() {
                out.reserve(text.len());
            }
            out.push_str(&text[copied..i]);
            out.push_str(&"xxx"[..mark.len()]);
            copied = i + mark.len();
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Longest piece of a paragraph given to the segmenter at once. Its time grows with the square of the length of
/// what it takes for a quotation, so an unbalanced quote mark in a long paragraph could take minutes; pieces of this
/// size keep every paragraph linear. No sentence is this long, so cutting a piece at a space loses nothing real.
const MAX_SEGMENTER_PIECE: usize = 8 * 1024;

/// The segmenter's cut points in `body`, given to it in pieces of at most [`MAX_SEGMENTER_PIECE`] bytes, each ending
/// after a full stop and a space where there is one, else at a space, else at a character boundary; and, apart, the
/// ends of those pieces, which no later rule may remove.
fn segmenter_cuts(body: &str) -> (Vec<usize>, Vec<usize>) {
    let mut cuts = Vec::new();
    let mut forced = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let mut end = (start + MAX_SEGMENTER_PIECE).min(body.len());
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        if end < body.len() {
            let window = &body[start..end];
            let at = window.rfind(". ").map(|k| k + 2).or_else(|| window.rfind(' ').map(|k| k + 1));
            end = at.filter(|&k| k > 0).map_or(end, |k| start + k);
            forced.push(end);
        }
        let piece = &body[start..end];
        let cut_points = if piece.matches(QUOTE_MARKS).count() > MAX_QUOTE_MARKS_PER_PIECE {
            // Hundreds of quote marks are no quotations; hide them so that the segmenter stays fast.
            let plain: String = piece
                .chars()
                .map(|c| if QUOTE_MARKS.contains(&c) { " ".repeat(c.len_utf8()) } else { c.to_string() })
                .collect();
            sentencex::get_sentence_boundaries("en", &plain)
                .iter()
                .map(|b| b.end_byte)
                .collect::<Vec<_>>()
        } else {
            sentencex::get_sentence_boundaries("en", piece)
                .iter()
                .map(|b| b.end_byte)
                .collect()
        };
        cuts.extend(cut_points.into_iter().map(|c| start + c));
        start = end;
    }
    (cuts, forced)
}

/// Quote marks the segmenter pairs up.
const QUOTE_MARKS: [char; 6] = ['"', '“', '”', '\'', '‘', '’'];

/// More quote marks than this in one piece are hidden from the segmenter (each one costs it a pass over the piece).
const MAX_QUOTE_MARKS_PER_PIECE: usize = 200;

/// Longest quotation, in bytes, searched for sentences of its own: longer "quotations" come from a stray quote mark.
const MAX_QUOTATION_SPLIT: usize = 4 * 1024;

/// Minimum words on each side for a split inside a quotation, so that `“That one is ours.” he said` stays whole.
const MIN_WORDS_IN_QUOTED_SENTENCE: usize = 4;

/// Cut points inside quotations that hold more than one full sentence: “A did this. B did that,” she said.
fn quotation_cuts(body: &str) -> Vec<usize> {
    let mut cuts = Vec::new();
    for q in quotations(body).into_iter().filter(|q| q.len() <= MAX_QUOTATION_SPLIT) {
        let inner = q.text(body);
        // A split needs a sentence end with more text after it; without one the segmenter need not be asked.
        let Some(stop) = inner.find(['.', '!', '?']) else { continue };
        if inner[stop + 1..].trim().is_empty() {
            continue;
        }
        let pieces: Vec<Span> = {
            let mut start = 0;
            let mut v = Vec::new();
            for b in sentencex::get_sentence_boundaries("en", &mask_apostrophes(inner)) {
                if b.end_byte > start && b.end_byte <= inner.len() {
                    v.push(Span::new(start, b.end_byte));
                    start = b.end_byte;
                }
            }
            if start < inner.len() {
                v.push(Span::new(start, inner.len()));
            }
            v
        };
        for pair in pieces.windows(2) {
            let (a, b) = (pair[0].text(inner), pair[1].text(inner));
            let ends_sentence = a.trim_end().ends_with(['.', '!', '?']);
            let starts_upper = b.trim_start().chars().next().is_some_and(char::is_uppercase);
            if ends_sentence
                && starts_upper
                && words(a) >= MIN_WORDS_IN_QUOTED_SENTENCE
                && words(b) >= MIN_WORDS_IN_QUOTED_SENTENCE
            {
                cuts.push(q.start + pair[0].end);
            }
        }
    }
    cuts
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Interiors of double quotations (curly “…” or straight "…") in `body`, outermost only. An unclosed quotation
/// runs to the end of the paragraph.
pub(crate) fn quotations(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let bytes = body.as_bytes();
    for (i, c) in body.char_indices() {
        // Typewriter-style quotes: `` opens, '' closes.
        let doubled = |q: u8| c == char::from(q) && bytes.get(i + 1) == Some(&q);
        match (c, open) {
            ('“', None) => open = Some(i + c.len_utf8()),
            ('"', None) => open = Some(i + 1),
            (_, None) if doubled(b'`') => open = Some(i + 2),
            ('”' | '"', Some(s)) => {
                out.push(Span::new(s, i));
                open = None;
            }
            (_, Some(s)) if doubled(b'\'') && i >= s => {
                out.push(Span::new(s, i));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push(Span::new(s, body.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences of `text`, as strings.
    fn split(text: &str) -> Vec<&str> {
        segment(text).1.iter().map(|s| s.span.text(text)).collect()
    }

    macro_rules! t {
        ($name:ident, $input:expr, [$($expected:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let expected: Vec<&str> = vec![$($expected),*];
                assert_eq!(split($input), expected);
            }
        };
    }

    t!(
        headline_without_full_stop,
        "Mayor to resign\nThe mayor will resign today.",
        ["Mayor to resign", "The mayor will resign today."]
    );
    t!(
        month_abbreviations,
        "The summit runs from Sept. 7 to Sept. 10. It ends then.",
        ["The summit runs from Sept. 7 to Sept. 10.", "It ends then."]
    );
    t!(
        country_abbreviation,
        "U.S. officials met Gen. Smith on Tuesday. Nothing was agreed.",
        ["U.S. officials met Gen. Smith on Tuesday.", "Nothing was agreed."]
    );
    t!(
        initials,
        "The report by J. R. Smith was late. It came out Friday.",
        ["The report by J. R. Smith was late.", "It came out Friday."]
    );
    t!(decimals, "Inflation rose 3.2 percent. Prices fell.", ["Inflation rose 3.2 percent.", "Prices fell."]);
    t!(
        closing_quote_after_stop,
        "“We will win.” The crowd cheered loudly.",
        ["“We will win.”", "The crowd cheered loudly."]
    );
    t!(
        quotation_with_two_sentences,
        "“The port has been closed for three weeks. That is why the prices of grain went up,” the minister said.",
        ["“The port has been closed for three weeks.", "That is why the prices of grain went up,” the minister said."]
    );
    t!(
        short_quoted_sentence_stays,
        "The guide pointed at the peak, \"That one is ours.\" he said.",
        ["The guide pointed at the peak, \"That one is ours.\" he said."]
    );
    t!(crlf_and_blank_lines, "One line\r\n\r\n  Two line. Three here.  \r\n", ["One line", "Two line.", "Three here."]);
    t!(
        unbalanced_quote,
        "“He said it. Then he left the room in a hurry without a word",
        ["“He said it.", "Then he left the room in a hurry without a word"]
    );
    t!(numbered_list, "1. Buy bread 2. Pay the rent.", ["1. Buy bread", "2. Pay the rent."]);
    t!(lettered_list, "a. One item. b. Another item", ["a. One item.", "b. Another item"]);
    t!(not_a_list, "Profits fell 3. Shares rose.", ["Profits fell 3.", "Shares rose."]);
    t!(
        signature_stays_with_its_quotation,
        "“The bus never came.” ― Ana Lima\nNext line.",
        ["“The bus never came.” ― Ana Lima", "Next line."]
    );
    t!(
        company_suffix_ends_a_sentence,
        "He is an analyst with Acme Holdings Inc. Ms. Roe disagreed.",
        ["He is an analyst with Acme Holdings Inc.", "Ms. Roe disagreed."]
    );
    t!(company_suffix_inside_a_sentence, "Acme Inc. said profits rose.", ["Acme Inc. said profits rose."]);
    t!(
        typewriter_quotes,
        "``The mill has been shut for a year. We want our jobs back now,'' a worker said.",
        ["``The mill has been shut for a year.", "We want our jobs back now,'' a worker said."]
    );
    t!(
        wire_dateline,
        "OSLO, Norway (AP) _ The ferry sank on Monday.",
        ["OSLO, Norway (AP) _", "The ferry sank on Monday."]
    );
    t!(em_dash_dateline_stays, "OSLO (AP) — The ferry sank on Monday.", ["OSLO (AP) — The ferry sank on Monday."]);
    t!(
        abbreviation_before_lowercase,
        "Shares of Acme Cos. rose after the Bancorp. deal closed.",
        ["Shares of Acme Cos. rose after the Bancorp. deal closed."]
    );
    t!(not_a_dateline, "NATO — the alliance — met on Monday.", ["NATO — the alliance — met on Monday."]);
    t!(
        possessives_are_not_quotations,
        "Acme Inc.'s deal closed. Nordvik's chief left. The firms' talks ended. Rivals' shares fell.",
        ["Acme Inc.'s deal closed.", "Nordvik's chief left.", "The firms' talks ended.", "Rivals' shares fell."]
    );
    t!(
        table_rows_open_at_row_markers,
        "Ferry fares rose. @ Route Fare @ Northport ...... 12.5 +3.1 @ Southmark ...... 8.0 -1.2 @Westvale Co. (Elbonia) \
         ...... 4.25 -0.5 Source: Harbor Board",
        [
            "Ferry fares rose.",
            "@ Route Fare",
            "@ Northport ...... 12.5 +3.1",
            "@ Southmark ...... 8.0 -1.2",
            "@Westvale Co. (Elbonia) ...... 4.25 -0.5",
            "Source: Harbor Board",
        ]
    );
    t!(
        handles_in_prose_are_no_rows,
        "She wrote to @nordvik_news and @ferrywatch on Monday about the fares.",
        ["She wrote to @nordvik_news and @ferrywatch on Monday about the fares."]
    );
    t!(
        prices_in_prose_are_no_table,
        "The shop sells tea @ $2 a cup and coffee @ $3 a cup.",
        ["The shop sells tea @ $2 a cup and coffee @ $3 a cup."]
    );
    t!(
        one_bare_at_sign_is_no_table,
        "The stall sold apples @ two for a dollar and @Bramble Farm sold pears.",
        ["The stall sold apples @ two for a dollar and @Bramble Farm sold pears."]
    );
    t!(
        glued_semicolon_stays_with_its_sentence,
        "The mayor will stay in office.; Her deputy resigned. \"We need more buses.\"; The council agreed.",
        ["The mayor will stay in office.;", "Her deputy resigned.", "\"We need more buses.\";", "The council agreed."]
    );
    t!(
        semicolon_inside_a_sentence_stays,
        "The mayor stayed; her deputy resigned.",
        ["The mayor stayed; her deputy resigned."]
    );
    t!(
        opening_quote_starts_the_next_sentence,
        "She spoke.'' Okafor on Monday. ``Again, the ferry will run on time.",
        ["She spoke.''", "Okafor on Monday.", "``Again, the ferry will run on time."]
    );
    t!(
        ellipsis_then_quoted_lowercase,
        "The ferry, the bridge and the tunnel... ``is a plan worth funding,'' he said.",
        ["The ferry, the bridge and the tunnel... ``is a plan worth funding,'' he said."]
    );
    t!(
        company_suffix_then_quoted_lowercase,
        "Rivals such as Nordvik Co. \"have cut fares all year,\" he said.",
        ["Rivals such as Nordvik Co. \"have cut fares all year,\" he said."]
    );
    t!(
        clock_time_then_time_zone,
        "Bids are due by 5 p.m. EST on Friday. The auction follows.",
        ["Bids are due by 5 p.m. EST on Friday.", "The auction follows."]
    );
    t!(
        closing_quote_stays_with_its_sentence,
        "It was about the ferry vote.'' Okafor on Monday. ``Again, we will rebuild it.''",
        ["It was about the ferry vote.''", "Okafor on Monday. ``Again, we will rebuild it.''"]
    );
    t!(empty, "", []);
    t!(whitespace_only, " \n\t \n", []);

    #[test]
    fn long_paragraphs_are_segmented_in_pieces_without_loss() {
        let sentence = "The council met on Tuesday and voted to close the old bridge. ";
        let text = format!("“{}", sentence.repeat(400));
        let spans: Vec<&str> = split(&text);
        assert_eq!(spans.len(), 400, "every sentence found, none merged across a piece");
        assert!(spans.iter().skip(1).all(|s| *s == sentence.trim()));
    }

    #[test]
    fn lossless_between_sentences_is_whitespace() {
        let text = "A b c. “D e f g. H i j k,” l said.\n\nM n o? P q!  R";
        let (_, s) = segment(text);
        let mut prev = 0;
        for seg in &s {
            assert!(text[prev..seg.span.start].trim().is_empty());
            prev = seg.span.end;
        }
        assert!(text[prev..].trim().is_empty());
    }
}
