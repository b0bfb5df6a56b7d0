//! ARM deployment templates: recognition, parameters, the template expression language,
//! and the evaluation of resources into canonical resources.

pub mod expr;
