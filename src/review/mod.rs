//! Reading together: colleagues' notes on passages, and their corrections of what the annotator found.
//!
//! Neither ever changes the annotator's output: a note is anchored to a passage ([`anchor`]), a correction names
//! the item it confirms, rejects or fixes (or the span it adds), and the reviewed view of a document is the
//! annotator's annotation with the corrections applied over it ([`corrections::apply`]), every change remembering
//! who made it, when, and what the annotator had said. Both are anchored by the sentence's permalink id and the
//! text itself, so they find their place again after the document changes or is annotated anew, and say so when
//! they cannot.

pub mod anchor;
pub mod corrections;
pub mod notes;

/// Who may write notes and corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewPolicy {
    /// The owner and every viewer whose link opens the document (the default).
    #[default]
    Viewers,
    /// Only the owner.
    Owner,
    /// Nobody (`--read-only`).
    Off,
}

impl ReviewPolicy {
    /// Whether `access` may write notes and corrections on document `id`.
    pub fn allows(self, access: &crate::server::auth::Access, id: &str) -> bool {
        match self {
            ReviewPolicy::Off => false,
            ReviewPolicy::Owner => access.is_owner(),
            ReviewPolicy::Viewers => access.can_read(id),
        }
    }

    /// Whether the owner (`true`) or a viewer with a link may write on any document they can read: what a page
    /// offers.
    pub fn offers(self, owner: bool) -> bool {
        match self {
            ReviewPolicy::Off => false,
            ReviewPolicy::Owner => owner,
            ReviewPolicy::Viewers => true,
        }
    }
}

/// Who wrote a note or made a correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The name shown beside it.
    pub name: String,
    /// Who may change it later: `owner`, or `viewer:<the viewer's key>`.
    pub key: String,
}

/// The key of the person at the machine.
pub const OWNER_KEY: &str = "owner";

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// A display name someone typed: control characters and surrounding space dropped, capped; `None` when empty.
pub fn clean_name(name: &str) -> Option<String> {
    let visible: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let name: String = visible
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    let name = name.trim_end().to_string();
    (!name.is_empty()).then_some(name)
}
