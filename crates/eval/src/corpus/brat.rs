//! brat standoff annotation (`.ann` files), as PolNeAR uses it.
//!
//! ```text
//! T93<TAB>Source 12 28<TAB>the city council
//! T91<TAB>Content 40 61;75 102<TAB>…                       (a discontinuous span: two fragments)
//! E4<TAB>Attribution:T90 Content:T91 Cue:T92 Source:T93
//! ```
//!
//! Offsets are **character** offsets into the document text (Python string indices), half-open. Lines of other
//! kinds (relations `R`, attributes `A`, notes `#`) are not used by PolNeAR's attributions and are skipped.

use super::ParseError;

/// A text-bound annotation (`T` line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBound {
    /// Its id, e.g. "T10".
    pub id: String,
    /// Its label, e.g. "Source", "Cue", "Content", "Attribution", "Discard".
    pub label: String,
    /// Character ranges `(start, end)`, in the order written; more than one for a discontinuous span.
    pub fragments: Vec<(usize, usize)>,
}

impl TextBound {
    /// From the first fragment's start to the last fragment's end.
    pub fn hull(&self) -> (usize, usize) {
        let start = self.fragments.iter().map(|f| f.0).min().unwrap_or(0);
        let end = self.fragments.iter().map(|f| f.1).max().unwrap_or(0);
        (start, end)
    }
}

/// An event (`E` line): a trigger and its role arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its id, e.g. "E4".
    pub id: String,
    /// The event type, e.g. "Attribution" or "Attribution-no-source".
    pub kind: String,
    /// The trigger's text-bound id.
    pub trigger: String,
    /// `(role, text-bound id)` pairs in the order written, e.g. `("Cue", "T11")`. A repeated role carries a number,
    /// e.g. "Content2".
    pub args: Vec<(String, String)>,
}

/// One `.ann` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standoff {
    /// Text-bound annotations in file order.
    pub text_bounds: Vec<TextBound>,
    /// Events in file order.
    pub events: Vec<Event>,
}

impl Standoff {
    /// The text-bound annotation with this id.
    pub fn text_bound(&self, id: &str) -> Option<&TextBound> {
        self.text_bounds.iter().find(|t| t.id == id)
    }
}

/// Parse one `.ann` file.
pub fn parse(ann: &str) -> Result<Standoff, ParseError> {
    let mut out = Standoff::default();
    for (n, line) in ann.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let err = |what: &str| ParseError(format!("line {}: {what}", n + 1));
        // A line that does not open with an annotation id (`T12<TAB>`, `E3<TAB>`) continues the covered text of the
        // line before it, which may hold a newline.
        let id = line.split('\t').next().unwrap_or_default();
        let annotation = id.len() > 1 && id[1..].chars().all(|c| c.is_ascii_digit()) && line.contains('\t');
        if !annotation {
            continue;
        }
        if line.starts_with('T') {
            let mut cols = line.splitn(3, '\t');
            let id = cols.next().unwrap_or_default();
            let spec = cols.next().ok_or_else(|| err("text-bound line without a label column"))?;
            let (label, ranges) = spec.split_once(' ').ok_or_else(|| err("text-bound without offsets"))?;
            let mut fragments = Vec::new();
            for range in ranges.split(';') {
                let (a, b) = range.trim().split_once(' ').ok_or_else(|| err("fragment is not `start end`"))?;
                let a: usize = a.parse().map_err(|_| err("start offset is not a number"))?;
                let b: usize = b.parse().map_err(|_| err("end offset is not a number"))?;
                if b < a {
                    return Err(err("fragment ends before it starts"));
                }
                fragments.push((a, b));
            }
            out.text_bounds
                .push(TextBound { id: id.to_string(), label: label.to_string(), fragments });
        } else if line.starts_with('E') {
            let (id, spec) = line.split_once('\t').ok_or_else(|| err("event line without arguments"))?;
            let mut parts = spec
                .split_whitespace()
                .map(|p| p.split_once(':').ok_or_else(|| err("argument without ':'")));
            let (kind, trigger) = parts.next().ok_or_else(|| err("event without a trigger"))??;
            let args = parts
                .map(|p| p.map(|(role, tid)| (role.to_string(), tid.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            out.events
                .push(Event { id: id.to_string(), kind: kind.to_string(), trigger: trigger.to_string(), args });
        }
    }
    Ok(out)
}

/// A role name without its repetition number: "Content2" -> "Content".
pub fn base_role(role: &str) -> &str {
    role.trim_end_matches(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANN: &str = "T1\tSource 0 9\tThe mayor\n\
                       T2\tCue 10 14\tsaid\n\
                       T3\tContent 16 30;38 52\tthe bridge … will reopen soon\n\
                       T4\tAttribution 10 14\tsaid\n\
                       E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
                       T5\tCue 60 67\tclaimed\n\
                       T6\tContent 68 80\tit was safe\n\
                       T8\tContent 90 95\tmore\n\
                       T7\tAttribution-no-source 60 67\tclaimed\n\
                       E2\tAttribution-no-source:T7 Cue:T5 Content:T6 Content2:T8\n\
                       #1\tAnnotatorNotes T1\tnote\n\
                       T9\tDiscard 100 120\tRead more here.\r\n";

    #[test]
    fn text_bounds_with_discontinuous_spans() {
        let s = parse(ANN).expect("valid");
        assert_eq!(s.text_bounds.len(), 9);
        let t3 = s.text_bound("T3").expect("T3");
        assert_eq!(t3.label, "Content");
        assert_eq!(t3.fragments, vec![(16, 30), (38, 52)]);
        assert_eq!(t3.hull(), (16, 52));
        assert_eq!(s.text_bound("T9").map(|t| t.fragments.clone()), Some(vec![(100, 120)]));
    }

    #[test]
    fn events_with_roles_in_any_order() {
        let s = parse(ANN).expect("valid");
        assert_eq!(s.events.len(), 2);
        let e1 = &s.events[0];
        assert_eq!((e1.id.as_str(), e1.kind.as_str(), e1.trigger.as_str()), ("E1", "Attribution", "T4"));
        let roles: Vec<&str> = e1.args.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(roles, ["Content", "Cue", "Source"]);
        let e2 = &s.events[1];
        assert_eq!(e2.kind, "Attribution-no-source");
        let contents: Vec<&str> = e2
            .args
            .iter()
            .filter(|(r, _)| base_role(r) == "Content")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(contents, ["T6", "T8"]);
    }

    #[test]
    fn bad_lines_are_errors_with_line_numbers() {
        assert_eq!(parse("T1\tCue 5\tx").map(|_| ()), Err(ParseError("line 1: fragment is not `start end`".into())));
        assert!(parse("T1\tCue 9 5\tx").is_err());
        assert_eq!(parse("\nE1\tAttribution").map(|_| ()), Err(ParseError("line 2: argument without ':'".into())));
        assert!(parse("E1\tAttribution:T1 Cue").is_err());
    }

    #[test]
    fn covered_text_may_run_over_a_newline() {
        let ann = "T1\tContent 0 5;8 20\tThe a.\nThe text goes on\nT2\tCue 21 25\tsaid\nE1\tAttribution:T2 Cue:T2\n";
        let s = parse(ann).expect("continuation lines are skipped");
        assert_eq!(s.text_bounds.len(), 2);
        assert_eq!(s.text_bounds[1].label, "Cue");
        assert_eq!(s.events.len(), 1);
    }
}
