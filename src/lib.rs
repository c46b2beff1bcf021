//! Lectern, the application: a library of documents annotated by the [`annotate`] crate, read in the browser
//! ([`server`]), shared on the local network through share links, or printed as JSON (`lectern annotate`).
//!
//! Data flows one way: [`load`] turns bytes into a [`ingest::Document`]; the [`library`] annotates it and keeps it in
//! the [`store`] (SQLite), announcing each change; [`view`] turns an annotation into flat segments for the
//! templates; [`formats`] defines what leaves as JSON; and [`server`] answers requests from immutable snapshots
//! ([`entry::Entry`]) the store hands out.

pub mod cli;
pub mod commands;
pub mod config;
pub mod entry;
pub mod formats;
pub mod ingest;
pub mod lan;
pub mod library;
pub mod review;
pub mod server;
pub mod size;
pub mod store;
pub mod view;
pub mod watch;
