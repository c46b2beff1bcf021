//! Attributions without a verb of saying: a speaker's name and a colon ("MAYOR: …"), a quotation signed with a dash
//! ("“…” ― Ana Lima"), and "reportedly", a report whose source the writer does not name.

use super::content::clause;
use super::quotes::{Quote, inside_quote};
use super::source::is_dash;
use super::{Attribution, build, span_of};
use crate::document::Rule;
use crate::token::Token;

/// Words that open a line with a colon but name no speaker: "Update: …", "Note: …".
pub(super) const NOT_SPEAKERS: &[&str] = &[
    "note",
    "update",
    "updated",
    "correction",
    "editor's",
    "photo",
    "source",
    "watch",
    "related",
    "read",
    "see",
    "listen",
    "video",
    "warning",
    "breaking",
    "exclusive",
    "opinion",
    "analysis",
    "q",
    "a",
];

/// "MAYOR: Well, look …", "Poll: Voters turn away …": a short capitalised name opening the sentence, then a colon.
pub(super) fn colon_speaker(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Option<Attribution> {
    let a = toks.iter().position(|t| t.word)?;
    let colon = (a..toks.len().min(a + 7)).find(|&k| toks[k].text == ":")?;
    let name = &toks[a..colon];
    let named = !name.is_empty()
        && name
            .iter()
            .all(|t| t.word && (t.capitalized() || t.is_any(&["of", "the", "and"])))
        && !name[0].is_any(NOT_SPEAKERS)
        && colon + 1 < toks.len();
    // A transcript quoted paragraph by paragraph opens each turn with a quote mark: "“WALLACE: Let's start …".
    // The name is in capitals there ("WALLACE:"), unlike a quoted phrase with a colon ("“Today: sunny …”").
    let opens_turn = a > 0
        && toks[..a].iter().all(|t| matches!(t.text, "“" | "\"" | "‘" | "'"))
        && name.iter().all(|t| !t.word || !t.text.chars().any(char::is_lowercase));
    if !named || (inside_quote(quotes, toks[colon].span) && !opens_turn) {
        return None;
    }
    let content = clause(toks, colon + 1, toks.len());
    let rule = Rule::named("colon-speaker", "a name and a colon open the line: what follows is theirs");
    Some(build(text, toks[colon].span, Some(span_of(toks, (a, colon))), content, quotes, rule))
}

/// "“… a disgrace.” ― Carla Sanchez": a quotation signed with a dash and a name.
pub(super) fn dash_byline(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Option<Attribution> {
    // A signature may also use the horizontal bar, which never sets off a parenthetical.
    let signs = |k: usize| is_dash(&toks[k]) || toks[k].text == "―";
    let closes = |t: &str| matches!(t, "”" | "\"" | "’" | "'");
    // The dash may open the next sentence when the quotation ends with its own full stop: "… a disgrace.” ― Ana".
    let ends_previous = |k: usize| {
        let before = text[..toks[k].span.start].trim_end_matches(|c: char| c.is_whitespace());
        before.chars().next_back().is_some_and(|c| closes(c.encode_utf8(&mut [0; 4])))
    };
    let dash =
        (0..toks.len()).find(|&k| signs(k) && if k == 0 { ends_previous(k) } else { closes(toks[k - 1].text) })?;
    let mut end = dash + 1;
    while end < toks.len() && end - dash <= 4 && toks[end].word && toks[end].capitalized() {
        end += 1;
    }
    if end == dash + 1 {
        return None;
    }
    let before = quotes.partition_point(|q| q.inner.end <= toks[dash].span.start);
    let quote = before.checked_sub(1).map(|k| quotes[k])?;
    let content = Some(quote.inner);
    let rule = Rule::named("dash-byline", "a quotation signed with a dash and the speaker's name");
    Some(build(text, toks[dash].span, Some(span_of(toks, (dash + 1, end))), content, quotes, rule))
}

/// "The minister reportedly resigned": the writer relays a report without naming its source. The attribution has a
/// cue and the sentence as content but no source, and counts as unnamed.
pub(super) fn reportedly(text: &str, toks: &[Token<'_>], quotes: &[Quote]) -> Option<Attribution> {
    let k = toks.iter().position(|t| t.is("reportedly"))?;
    if inside_quote(quotes, toks[k].span) {
        return None;
    }
    let rule = Rule::named("reportedly", "\"reportedly\": a report the writer relays without naming its source");
    Some(build(text, toks[k].span, None, clause(toks, 0, toks.len()), quotes, rule))
}
