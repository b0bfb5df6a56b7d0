//! Evaluation shared by every source format.

pub mod value;
