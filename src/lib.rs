//! Lectern, the application: load documents, annotate them with the [`annotate`] crate, and show the result in the
//! browser ([`server`]) or as JSON ([`server::api`], also printed by `lectern annotate`).
//!
//! Data flows one way: [`load`] turns bytes into a [`load::Document`], [`library`] pairs each document with its
//! annotation, [`view`] turns an annotation into flat segments for the templates, and [`server`] answers requests
//! from the library.

pub mod cli;
pub mod commands;
pub mod config;
pub mod library;
pub mod load;
pub mod server;
pub mod view;
