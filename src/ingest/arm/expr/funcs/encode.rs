//! Encoding and conversion functions: string, json, base64, base64ToString, base64ToJson,
//! uriComponent, uriComponentToString, uri, dataUri, dataUriToString.

use super::{arity, fail, str_arg, EvalError};
use crate::eval::base64::{decode as base64_decode, encode as base64_encode};
use crate::eval::value::{format_number, Value};

/// The prefix `dataUri` writes.
const DATA_URI_PREFIX: &str = "data:text/plain;charset=utf8;base64,";

/// Calls encoding function `name`, or `None` if it is not one.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Result<Value, EvalError>> {
    Some(match name {
        "string" => arity(name, args, 1, 1).and_then(|()| stringify(&args[0])),
        "json" => arity(name, args, 1, 1).and_then(|()| parse_json(name, str_arg(name, args, 0)?)),
        "base64" => one(name, args, |s| Ok(base64_encode(s.as_bytes()))),
        "base64tostring" => one(name, args, |s| decode_utf8(name, s)),
        "base64tojson" => arity(name, args, 1, 1).and_then(|()| {
            let text = decode_utf8(name, str_arg(name, args, 0)?)?;
            parse_json(name, &text)
        }),
        "uricomponent" => one(name, args, |s| Ok(escape_data(s))),
        "uricomponenttostring" => one(name, args, |s| Ok(unescape_data(s))),
        "uri" => uri(name, args),
        "datauri" => arity(name, args, 1, 1).and_then(|()| match stringify(&args[0])? {
            Value::String(text) => Ok(Value::String(format!(
                "{DATA_URI_PREFIX}{}",
                base64_encode(text.as_bytes())
            ))),
            other => Ok(other),
        }),
        "datauritostring" => one(name, args, |s| data_uri_to_string(name, s)),
        _ => return None,
    })
}

fn one(
    name: &str,
    args: &[Value],
    f: impl FnOnce(&str) -> Result<String, EvalError>,
) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    f(str_arg(name, args, 0)?).map(Value::String)
}

/// `string(value)`: strings as-is, `True` / `False`, null as empty, collections as
/// compact JSON; unknown if anything inside is.
pub(super) fn stringify(value: &Value) -> Result<Value, EvalError> {
    if value.contains_unknown() {
        return Ok(Value::Unknown);
    }
    to_string(value).map(Value::String)
}

fn to_string(value: &Value) -> Result<String, EvalError> {
    Ok(match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => format_number(*n),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Null => String::new(),
        Value::List(_) | Value::Object(_) => serde_json::to_string(&value.to_json())
            .map_err(|e| EvalError::new(format!("string(): {e}")))?,
        Value::Unknown => return Err(EvalError::new("string(): unknown value")),
    })
}

fn parse_json(name: &str, text: &str) -> Result<Value, EvalError> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|json| Value::from_json(&json))
        .map_err(|e| EvalError::new(format!("{name}(): invalid JSON: {e}")))
}

fn decode_utf8(name: &str, text: &str) -> Result<String, EvalError> {
    let bytes =
        base64_decode(text).ok_or_else(|| EvalError::new(format!("{name}(): invalid base64")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Percent-encodes all but RFC 3986's unreserved characters, as .NET's `Uri.EscapeDataString`.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; malformed ones stay as written.
fn unescape_data(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `uri(base, relative)`: resolves `relative` against an absolute `base` (RFC 3986, without
/// dot-segment removal).
fn uri(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let (base, relative) = (str_arg(name, args, 0)?, str_arg(name, args, 1)?);
    let Some(scheme_end) = base.find("://") else {
        return fail(name, "the base URI must be absolute");
    };
    if relative.contains("://") {
        return Ok(Value::from(relative));
    }
    let authority_end = base[scheme_end + 3..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| scheme_end + 3 + i);
    let resolved = if relative.starts_with('/') {
        format!("{}{relative}", &base[..authority_end])
    } else {
        let path_end = base[authority_end..]
            .find(['?', '#'])
            .map_or(base.len(), |i| authority_end + i);
        match base[authority_end..path_end].rfind('/') {
            Some(slash) => format!("{}{relative}", &base[..=authority_end + slash]),
            None => format!("{}/{relative}", &base[..authority_end]),
        }
    };
    Ok(Value::String(resolved))
}

fn data_uri_to_string(name: &str, s: &str) -> Result<String, EvalError> {
    let Some((header, data)) = s
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(','))
    else {
        return fail(name, "not a data URI");
    };
    if header.ends_with(";base64") {
        decode_utf8(name, data)
    } else {
        Ok(unescape_data(data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap().unwrap()
    }

    #[test]
    fn base64_round_trips() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("one, two, three", "b25lLCB0d28sIHRocmVl"),
        ] {
            assert_eq!(run("base64", &[Value::from(plain)]), Value::from(encoded));
            assert_eq!(
                run("base64tostring", &[Value::from(encoded)]),
                Value::from(plain)
            );
        }
        assert!(call("base64tostring", &[Value::from("!!")])
            .unwrap()
            .is_err());
        assert_eq!(
            run("base64tojson", &[Value::from("eyJhIjogMX0=")]),
            Value::Object([("a".to_owned(), Value::Number(1.0))].into())
        );
    }

    #[test]
    fn uri_functions() {
        assert_eq!(
            run(
                "uricomponent",
                &[Value::from(
                    "http://contoso.com/resources/nested/azuredeploy.json"
                )]
            ),
            Value::from("http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json")
        );
        assert_eq!(
            run("uricomponenttostring", &[Value::from("a%20b%2")]),
            Value::from("a b%2")
        );
        assert_eq!(
            run(
                "uri",
                &[
                    Value::from("http://contoso.org/firstpath"),
                    Value::from("myscript.sh")
                ]
            ),
            Value::from("http://contoso.org/myscript.sh")
        );
        assert_eq!(
            run(
                "uri",
                &[
                    Value::from("http://contoso.org/firstpath/"),
                    Value::from("myscript.sh")
                ]
            ),
            Value::from("http://contoso.org/firstpath/myscript.sh")
        );
        assert_eq!(
            run(
                "uri",
                &[Value::from("http://contoso.org"), Value::from("a/b")]
            ),
            Value::from("http://contoso.org/a/b")
        );
        assert_eq!(
            run(
                "uri",
                &[Value::from("https://x.io/a/b?q=1"), Value::from("/c")]
            ),
            Value::from("https://x.io/c")
        );
        assert_eq!(
            run("datauri", &[Value::from("Hello")]),
            Value::from("data:text/plain;charset=utf8;base64,SGVsbG8=")
        );
        assert_eq!(
            run(
                "datauritostring",
                &[Value::from("data:;base64,SGVsbG8sIFdvcmxkIQ==")]
            ),
            Value::from("Hello, World!")
        );
    }

    #[test]
    fn string_and_json() {
        let obj = run(
            "json",
            &[Value::from(r#"{"b": [1, true, null], "a": "x"}"#)],
        );
        assert_eq!(
            run("string", &[obj]),
            Value::from(r#"{"a":"x","b":[1,true,null]}"#)
        );
        assert_eq!(run("string", &[Value::Bool(true)]), Value::from("True"));
        assert_eq!(run("string", &[Value::Number(3.0)]), Value::from("3"));
        assert!(call("json", &[Value::from("{")]).unwrap().is_err());
        assert_eq!(
            run("string", &[Value::List(vec![Value::Unknown])]),
            Value::Unknown
        );
    }
}
