//! Evaluation shared by every source format.

pub mod base64;
pub mod budget;
pub mod digest;
pub mod symbolic;
pub mod value;
