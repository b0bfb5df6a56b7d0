//! The value every source evaluates to: JSON-like, plus `Unknown`.
//!
//! Terraform, ARM and Bicep evaluators all produce [`Value`]s. `Unknown` stands for what
//! cannot be known statically (a variable without a value, `reference()`, a data source):
//! it propagates through operations instead of being guessed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The marker a value that cannot be known statically becomes in a resource body.
pub const UNKNOWN_MARKER: &str = "(unknown)";

/// A statically evaluated value.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// `null`; an omitted optional value.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number; integers are exact up to 2^53.
    Number(f64),
    /// A string.
    String(String),
    /// A list, tuple or set (sets keep first-seen order, without duplicates).
    List(Vec<Value>),
    /// An object or map; keys are sorted, as Terraform iterates them.
    Object(BTreeMap<String, Value>),
    /// A value that cannot be known before deployment.
    Unknown,
}

impl Value {
    /// Whether this value is unknown (at the top level).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Whether this value is a symbolic string (an unknown with identity, see
    /// [`symbolic`](super::symbolic)).
    pub fn is_symbolic(&self) -> bool {
        matches!(self, Value::String(s) if super::symbolic::is_symbolic(s))
    }

    /// Whether this value holds a symbolic string anywhere inside (keys included): what
    /// functions needing real text (lengths, comparisons, numbers) cannot compute on.
    pub fn contains_symbolic(&self) -> bool {
        match self {
            Value::String(s) => super::symbolic::is_symbolic(s),
            Value::List(items) => items.iter().any(Value::contains_symbolic),
            Value::Object(map) => map
                .iter()
                .any(|(k, v)| super::symbolic::is_symbolic(k) || v.contains_symbolic()),
            _ => false,
        }
    }

    /// Whether this value is unknown anywhere inside.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(items) => items.iter().any(Value::contains_unknown),
            Value::Object(map) => map.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one (or the strings `"true"` / `"false"`, as Terraform converts).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The number, if this is one (or a string holding one, as Terraform converts).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// An attribute of an object; `Unknown` stays `Unknown`, anything else gives `None`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => map.get(key),
            Value::Unknown => Some(&Value::Unknown),
            _ => None,
        }
    }

    /// A short name of the value's type, for diagnostics.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown => "unknown",
        }
    }

    /// The value as template text (`"${x}"`): strings as-is, numbers without a needless
    /// `.0`, booleans as `true`/`false`. `None` for null, collections and unknown.
    pub fn to_template_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(format_number(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Converts to JSON; `Unknown` becomes [`UNKNOWN_MARKER`].
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
            ),
            Value::Unknown => serde_json::Value::String(UNKNOWN_MARKER.to_owned()),
        }
    }

    /// Converts from JSON; [`UNKNOWN_MARKER`] becomes `Unknown`.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) if s == UNKNOWN_MARKER => Value::Unknown,
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Formats a number as Terraform and ARM print it: `3`, not `3.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let mut s = String::new();
        let _ = write!(s, "{}", n as i64);
        s
    } else {
        n.to_string()
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_round_trips_through_json() {
        let v = Value::List(vec![Value::Unknown, Value::from("a")]);
        assert_eq!(Value::from_json(&v.to_json()), v);
        assert!(v.contains_unknown());
    }

    #[test]
    fn integers_print_without_fraction() {
        assert_eq!(
            Value::Number(3.0).to_template_string().as_deref(),
            Some("3")
        );
        assert_eq!(
            Value::Number(2.5).to_template_string().as_deref(),
            Some("2.5")
        );
        assert_eq!(Value::Number(3.0).to_json(), serde_json::json!(3));
    }
}
