//! Keyboard shortcuts. Each [`Action`] owns its key, its name (the `data-action` the page script dispatches on)
//! and its description; the help dialog is rendered from [`Action::ALL`] and the script reads the keys from it, so
//! the keys are defined here only. The layer keys (1–5) come from [`super::Layer::key`].

/// Something the reader can do from the keyboard (or with the buttons that carry the same `data-action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Focus the next highlight in the shown layers.
    NextMark,
    /// Focus the previous highlight in the shown layers.
    PrevMark,
    /// Focus the next sentence.
    NextSentence,
    /// Focus the previous sentence.
    PrevSentence,
    /// Focus the source ledger.
    Ledger,
    /// Copy a link to the current sentence.
    CopyLink,
    /// Write a note on the selected passage, or on the current sentence.
    Note,
    /// Hide every layer, or show them all again.
    AllLayers,
    /// Switch between the system's colours, light and dark.
    Theme,
    /// Show the shortcuts.
    Help,
    /// Close the explanation or the dialog, clear a speaker's highlight.
    Close,
}

impl Action {
    /// Every action, in the order of the help dialog.
    pub const ALL: [Action; 11] = [
        Action::NextMark,
        Action::PrevMark,
        Action::NextSentence,
        Action::PrevSentence,
        Action::Ledger,
        Action::CopyLink,
        Action::Note,
        Action::AllLayers,
        Action::Theme,
        Action::Help,
        Action::Close,
    ];

    /// The `data-action` value.
    pub fn name(self) -> &'static str {
        match self {
            Action::NextMark => "next-mark",
            Action::PrevMark => "prev-mark",
            Action::NextSentence => "next-sentence",
            Action::PrevSentence => "prev-sentence",
            Action::Ledger => "ledger",
            Action::CopyLink => "copy-link",
            Action::Note => "note",
            Action::AllLayers => "all-layers",
            Action::Theme => "theme",
            Action::Help => "help",
            Action::Close => "close",
        }
    }

    /// The key, as `KeyboardEvent.key` reports it.
    pub fn key(self) -> &'static str {
        match self {
            Action::NextMark => "j",
            Action::PrevMark => "k",
            Action::NextSentence => "n",
            Action::PrevSentence => "p",
            Action::Ledger => "s",
            Action::CopyLink => "c",
            Action::Note => "m",
            Action::AllLayers => "0",
            Action::Theme => "t",
            Action::Help => "?",
            Action::Close => "Escape",
        }
    }

    /// The key as printed on a keyboard.
    pub fn key_label(self) -> &'static str {
        match self {
            Action::Close => "Esc",
            other => other.key(),
        }
    }

    /// What it does.
    pub fn describe(self) -> &'static str {
        match self {
            Action::NextMark => "Next highlight in the shown layers",
            Action::PrevMark => "Previous highlight in the shown layers",
            Action::NextSentence => "Next sentence",
            Action::PrevSentence => "Previous sentence",
            Action::Ledger => "Go to the source ledger",
            Action::CopyLink => "Copy a link to the current sentence",
            Action::Note => "Write a note on the selected words, or on the current sentence",
            Action::AllLayers => "Hide all highlights, or show them again",
            Action::Theme => "Switch colours: system, dark, light",
            Action::Help => "Show these shortcuts",
            Action::Close => "Close an explanation or this dialog; clear a speaker's highlight",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Layer;

    #[test]
    fn keys_and_names_are_distinct_and_do_not_clash_with_layer_keys() {
        let mut keys: Vec<String> = Action::ALL.iter().map(|a| a.key().to_string()).collect();
        keys.extend(Layer::ALL.iter().map(|l| l.key().to_string()));
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "every key does one thing");
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }

    #[test]
    fn the_page_script_handles_every_action_and_names_no_layer() {
        let script = include_str!("../../static/app.js");
        for action in Action::ALL {
            assert!(script.contains(&format!("'{}'", action.name())), "app.js handles {}", action.name());
        }
        for layer in Layer::ALL {
            for quoted in [format!("'{}'", layer.name()), format!("\"{}\"", layer.name())] {
                assert!(!script.contains(&quoted), "app.js reads layer names from the page, not {quoted}");
            }
        }
    }
}
