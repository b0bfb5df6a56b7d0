//! moat: a policy and compliance static analyzer for Azure private networking and identity.
//!
//! The pipeline: discover → units → ingest → model → engine → report. Each stage is a module.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod drift;
pub mod engine;
pub mod eval;
pub mod fs;
pub mod ingest;
pub mod model;
pub mod progress;
pub mod redact;
pub mod report;
pub mod scan;
pub mod suppress;
pub mod units;
