//! The source ledger: every speaker with how they are cited, and links to the sentences they carry.

use annotate::{Annotated, SourceKind};

use super::{Layer, SentenceLink, classes};

/// A speaker for the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceView<'a> {
    /// The speaker as named in the text.
    pub speaker: &'a str,
    /// Named, unnamed or media.
    pub kind: SourceKind,
    /// CSS classes for a sample of the source highlight in this kind.
    pub class: String,
    /// Indices of the sentences the speaker carries.
    pub sentences: &'a [usize],
    /// Links to those sentences (those shown on the page).
    pub links: Vec<SentenceLink>,
    /// The element ids of those sentences, space-separated (the `data-targets` the page script cycles through).
    pub targets: String,
    /// Attributions to the speaker that quote them verbatim.
    pub direct: usize,
    /// Attributions to the speaker in the writer's words.
    pub indirect: usize,
    /// The cue phrases that introduce the speaker, lowercased, each once, in order of first use.
    pub cues: Vec<String>,
}

/// The ledger of `annotated`, whose sentence `i` has the element id `ids[i]` (`None` when it is not shown).
pub fn ledger<'a>(text: &str, annotated: &'a Annotated, ids: &[Option<String>]) -> Vec<SourceView<'a>> {
    annotated
        .sources
        .iter()
        .map(|s| {
            let links: Vec<SentenceLink> = s
                .sentences
                .iter()
                .filter_map(|&i| ids.get(i)?.as_ref().map(|sid| SentenceLink { sid: sid.clone(), number: i + 1 }))
                .collect();
            let mine = || {
                annotated
                    .sentences
                    .iter()
                    .flat_map(|x| &x.attributions)
                    .filter(|a| a.speaker.as_deref() == Some(s.speaker.as_str()))
            };
            let direct = mine().filter(|a| a.direct_quote).count();
            let mut cues: Vec<String> = Vec::new();
            for cue in mine().filter_map(|a| a.cue).filter_map(|c| text.get(c.start..c.end)) {
                let cue = cue.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                if !cue.is_empty() && !cues.contains(&cue) {
                    cues.push(cue);
                }
            }
            SourceView {
                speaker: &s.speaker,
                kind: s.kind,
                class: classes(Layer::Source, Some(s.kind.as_str())),
                sentences: &s.sentences,
                targets: links.iter().map(|l| l.sid.as_str()).collect::<Vec<_>>().join(" "),
                links,
                direct,
                indirect: mine().count() - direct,
                cues,
            }
        })
        .collect()
}
