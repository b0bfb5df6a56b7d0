//! The canonical model: ARM-shaped resources from every source, and the graph over them.

pub mod body;
mod children;
pub mod defaults;
pub mod graph;
mod grouped;
pub mod id;
pub mod intern;
mod key_table;
pub mod lazy_spans;
pub mod line_index;
pub mod pointer;
pub mod provenance;
pub mod relations;
pub mod resource;
pub mod source;
pub mod unit;

pub use body::Body;
pub use children::{splits_off, Duplicate};
pub use graph::{Graph, Reference, ResourceIndex};
pub use provenance::{Provenance, ProvenanceKind};
pub use resource::{canonical_body_key, canonical_type, Origin, Resource, SourceFormat};
pub use source::{FileId, LineCol, SourceFile, Sources, Span, Text};
pub use unit::{Unit, UnitId, UnitKind};
