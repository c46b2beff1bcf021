//! Wire formats: how annotated documents and the library leave Lectern. Only this module defines them; the CLI
//! and the server both write through it, so the two cannot drift apart.
//!
//! - [`lectern`]: Lectern's own JSON (and JSON Lines), documented in `docs/json-format.md`, plus the library
//!   listing and errors of the HTTP API;
//! - [`shares`]: share links, for the owner.

pub mod lectern;
pub mod shares;
