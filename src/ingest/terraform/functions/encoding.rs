//! Encoding functions: base64, JSON, URL query escaping.

use super::args::{self, ok_string};
use super::{EvalError, EvalResult, Func};
use crate::eval::base64;
use crate::eval::value::Value;

/// The encoding functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(Func::Strict(match name {
        "base64encode" => |a| match a {
            [s] => ok_string(base64::encode(args::string(s)?.as_bytes())),
            _ => Err(EvalError),
        },
        "base64decode" => base64decode,
        "jsonencode" => jsonencode,
        "jsondecode" => jsondecode,
        "urlencode" => urlencode,
        _ => return None,
    }))
}

/// Decodes standard base64, strictly padded and without whitespace; the result must be
/// UTF-8, as Terraform requires.
fn base64decode(args: &[Value]) -> EvalResult {
    let [s] = args else { return Err(EvalError) };
    let s = args::string(s)?;
    let padding = s.len() - s.trim_end_matches('=').len();
    if s.len() % 4 != 0 || padding > 2 || s.bytes().any(|b| b.is_ascii_whitespace()) {
        return Err(EvalError);
    }
    let bytes = base64::decode(&s).ok_or(EvalError)?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| EvalError)
}

/// `jsonencode`: sorted object keys, Go's HTML-safe escaping of `<`, `>`, `&`.
fn jsonencode(args: &[Value]) -> EvalResult {
    let [value] = args else { return Err(EvalError) };
    let json = value.to_json().to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    ok_string(out)
}

fn jsondecode(args: &[Value]) -> EvalResult {
    let [s] = args else { return Err(EvalError) };
    let json: serde_json::Value = serde_json::from_str(&args::string(s)?).map_err(|_| EvalError)?;
    Ok(from_json(json))
}

/// Converts decoded JSON to a value (every string stays a string).
fn from_json(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Unknown, Value::Number),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

/// `urlencode`: Go's `url.QueryEscape` (space → `+`).
fn urlencode(args: &[Value]) -> EvalResult {
    let [s] = args else { return Err(EvalError) };
    let mut out = String::new();
    for b in args::string(s)?.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    ok_string(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s, strs};
    use crate::eval::value::Value;

    #[test]
    fn base64_round_trips() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("héllo", "aMOpbGxv"),
        ] {
            assert_eq!(run("base64encode", vec![s(plain)]), Some(s(encoded)));
            assert_eq!(run("base64decode", vec![s(encoded)]), Some(s(plain)));
        }
        assert_eq!(run("base64decode", vec![s("Zm9")]), None);
        assert_eq!(run("base64decode", vec![s("/w==")]), None);
    }

    #[test]
    fn json_and_url() {
        let value = Value::Object(
            [
                ("b".to_string(), Value::Number(1.0)),
                ("a".to_string(), strs(&["<x>"])),
            ]
            .into_iter()
            .collect(),
        );
        let encoded = r#"{"a":["\u003cx\u003e"],"b":1}"#;
        assert_eq!(run("jsonencode", vec![value.clone()]), Some(s(encoded)));
        assert_eq!(run("jsondecode", vec![s(encoded)]), Some(value));
        assert_eq!(run("jsondecode", vec![s("{")]), None);
        assert_eq!(run("jsonencode", vec![Value::Number(1.5)]), Some(s("1.5")));
        assert_eq!(
            run("urlencode", vec![s("a b&c/é")]),
            Some(s("a+b%26c%2F%C3%A9"))
        );
    }
}
