//! Evaluation shared by every source format.

pub mod digest;
pub mod value;
