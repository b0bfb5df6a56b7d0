//! String functions: toLower, toUpper, replace, split, substring, indexOf, lastIndexOf,
//! startsWith, endsWith, trim, padLeft.

use super::{arity, deep_eq, fail, from_utf16, int_arg, str_arg, to_text, utf16, EvalError};
use crate::eval::value::Value;

/// The longest string `padLeft` builds.
const MAX_PAD: i64 = 1 << 20;

/// Calls string function `name`, or `None` if it is not one.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Result<Value, EvalError>> {
    Some(match name {
        "tolower" => one_string(name, args, |s| s.to_lowercase()),
        "toupper" => one_string(name, args, |s| s.to_uppercase()),
        "trim" => one_string(name, args, |s| s.trim().to_owned()),
        "replace" => replace(name, args),
        "split" => split(name, args),
        "substring" => substring(name, args),
        "indexof" => index_of(name, args, false),
        "lastindexof" => index_of(name, args, true),
        "startswith" => affix(name, args, |s, p| s.starts_with(p)),
        "endswith" => affix(name, args, |s, p| s.ends_with(p)),
        "padleft" => pad_left(name, args),
        _ => return None,
    })
}

fn one_string(name: &str, args: &[Value], f: impl Fn(&str) -> String) -> Result<Value, EvalError> {
    arity(name, args, 1, 1)?;
    Ok(Value::String(f(str_arg(name, args, 0)?)))
}

fn replace(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 3, 3)?;
    let (s, old, new) = (
        str_arg(name, args, 0)?,
        str_arg(name, args, 1)?,
        str_arg(name, args, 2)?,
    );
    if old.is_empty() {
        return fail(name, "the string to replace must not be empty");
    }
    let grown = s.matches(old).count().saturating_mul(new.len());
    if grown.saturating_add(s.len()) as u64 > crate::eval::budget::MAX_VALUE {
        return fail(name, "the result would be too large");
    }
    Ok(Value::String(s.replace(old, new)))
}

/// `split(s, delimiter)` or `split(s, [delimiters])`: at each position the first delimiter
/// that matches wins, as .NET's `String.Split(string[])` does.
fn split(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let s = str_arg(name, args, 0)?;
    let delimiters: Vec<&str> = match &args[1] {
        Value::String(d) => vec![d],
        Value::List(items) => items
            .iter()
            .map(|d| {
                d.as_str()
                    .ok_or_else(|| EvalError::new("split(): delimiters must be strings"))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return fail(
                name,
                "the delimiter must be a string or an array of strings",
            )
        }
    };
    let delimiters: Vec<&str> = delimiters.into_iter().filter(|d| !d.is_empty()).collect();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        match delimiters.iter().find(|d| s[i..].starts_with(**d)) {
            Some(d) => {
                parts.push(Value::String(s[start..i].to_owned()));
                i += d.len();
                start = i;
            }
            None => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    parts.push(Value::String(s[start..].to_owned()));
    Ok(Value::List(parts))
}

/// `substring(s, start[, length])`, in UTF-16 code units; out-of-range is an error.
fn substring(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 3)?;
    let s = utf16(str_arg(name, args, 0)?);
    let start = int_arg(name, args, 1)?;
    if start < 0 || start > s.len() as i64 {
        return fail(name, "the start index is out of range");
    }
    let rest = s.len() as i64 - start;
    let length = match args.get(2) {
        Some(_) => int_arg(name, args, 2)?,
        None => rest,
    };
    if length < 0 || length > rest {
        return fail(name, "the length is out of range");
    }
    let start = start as usize;
    Ok(Value::String(from_utf16(
        &s[start..start + length as usize],
    )))
}

/// `indexOf` / `lastIndexOf`: in a string (case-insensitive, UTF-16 positions) or an array
/// (deep, case-sensitive equality); -1 when absent.
fn index_of(name: &str, args: &[Value], last: bool) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    if let Value::List(items) = &args[0] {
        let mut found = -1.0;
        let mut unknown = false;
        let order: Box<dyn Iterator<Item = (usize, &Value)>> = if last {
            Box::new(items.iter().enumerate().rev())
        } else {
            Box::new(items.iter().enumerate())
        };
        for (i, item) in order {
            match deep_eq(item, &args[1]) {
                Some(true) => {
                    found = i as f64;
                    break;
                }
                Some(false) => {}
                None => unknown = true,
            }
        }
        if unknown && found < 0.0 {
            return Ok(Value::Unknown);
        }
        return Ok(Value::Number(found));
    }
    let haystack: Vec<u16> = utf16(&text_arg(name, args, 0)?)
        .into_iter()
        .map(fold)
        .collect();
    let needle: Vec<u16> = utf16(&text_arg(name, args, 1)?)
        .into_iter()
        .map(fold)
        .collect();
    let n = needle.len();
    if n > haystack.len() {
        return Ok(Value::Number(-1.0));
    }
    let mut positions = 0..=haystack.len() - n;
    let matches = |i: &usize| haystack[*i..*i + n] == needle[..];
    let found = if last {
        positions.rev().find(matches)
    } else {
        positions.find(matches)
    };
    Ok(Value::Number(found.map_or(-1.0, |i| i as f64)))
}

/// `startsWith` / `endsWith`, case-insensitive as ARM's are.
fn affix(name: &str, args: &[Value], test: fn(&[u16], &[u16]) -> bool) -> Result<Value, EvalError> {
    arity(name, args, 2, 2)?;
    let s: Vec<u16> = utf16(str_arg(name, args, 0)?)
        .into_iter()
        .map(fold)
        .collect();
    let p: Vec<u16> = utf16(str_arg(name, args, 1)?)
        .into_iter()
        .map(fold)
        .collect();
    Ok(Value::Bool(test(&s, &p)))
}

/// `padLeft(value, totalLength[, padChar])`; the value may be a number.
fn pad_left(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 2, 3)?;
    let s = text_arg(name, args, 0)?;
    let total = int_arg(name, args, 1)?;
    if total > MAX_PAD {
        return fail(name, "the total length is too large");
    }
    let pad = match args.get(2) {
        Some(_) => {
            let p = str_arg(name, args, 2)?;
            let mut chars = p.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => return fail(name, "the padding must be a single character"),
            }
        }
        None => ' ',
    };
    let have = s.encode_utf16().count() as i64;
    let missing = usize::try_from(total - have).unwrap_or(0);
    let mut out: String = std::iter::repeat_n(pad, missing).collect();
    out.push_str(&s);
    Ok(Value::String(out))
}

/// A string or number argument, as text.
fn text_arg(name: &str, args: &[Value], i: usize) -> Result<String, EvalError> {
    match args.get(i) {
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(to_text(v).unwrap_or_default()),
        _ => fail(name, &format!("argument {} must be a string", i + 1)),
    }
}

/// Case-folds one UTF-16 code unit (when the BMP character lowercases to one BMP character).
fn fold(unit: u16) -> u16 {
    let Some(c) = char::from_u32(u32::from(unit)) else {
        return unit;
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if (l as u32) <= 0xFFFF => l as u32 as u16,
        _ => unit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::from(v)
    }

    fn run(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap().unwrap()
    }

    #[test]
    fn split_with_one_or_many_delimiters() {
        assert_eq!(
            run("split", &[s("a,b;c"), Value::List(vec![s(","), s(";")])]),
            Value::List(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            run("split", &[s("a--b-"), s("-")]),
            Value::List(vec![s("a"), s(""), s("b"), s("")])
        );
        assert_eq!(run("split", &[s("ab"), s("")]), Value::List(vec![s("ab")]));
    }

    #[test]
    fn substring_counts_utf16_units_and_checks_bounds() {
        assert_eq!(
            run(
                "substring",
                &[s("hello"), Value::Number(1.0), Value::Number(3.0)]
            ),
            s("ell")
        );
        assert_eq!(
            run("substring", &[s("hello"), Value::Number(2.0)]),
            s("llo")
        );
        assert_eq!(run("substring", &[s("a😀b"), Value::Number(3.0)]), s("b"));
        assert!(call(
            "substring",
            &[s("abc"), Value::Number(2.0), Value::Number(5.0)]
        )
        .unwrap()
        .is_err());
        assert!(call("substring", &[s("abc"), Value::Number(-1.0)])
            .unwrap()
            .is_err());
    }

    #[test]
    fn index_of_is_case_insensitive_for_strings() {
        assert_eq!(run("indexof", &[s("test"), s("T")]), Value::Number(0.0));
        assert_eq!(run("lastindexof", &[s("test"), s("T")]), Value::Number(3.0));
        assert_eq!(run("indexof", &[s("abcdef"), s("CD")]), Value::Number(2.0));
        assert_eq!(run("indexof", &[s("abc"), s("z")]), Value::Number(-1.0));
        assert_eq!(run("indexof", &[s("abc"), s("")]), Value::Number(0.0));
        let list = Value::List(vec![s("a"), s("B"), s("b")]);
        assert_eq!(run("indexof", &[list.clone(), s("b")]), Value::Number(2.0));
        assert_eq!(run("lastindexof", &[list, s("a")]), Value::Number(0.0));
    }

    #[test]
    fn affixes_trim_case_and_padding() {
        assert_eq!(
            run("startswith", &[s("abcdef"), s("AB")]),
            Value::Bool(true)
        );
        assert_eq!(run("endswith", &[s("abcdef"), s("e")]), Value::Bool(false));
        assert_eq!(run("trim", &[s("  x y ")]), s("x y"));
        assert_eq!(run("toupper", &[s("aB")]), s("AB"));
        assert_eq!(
            run("padleft", &[Value::Number(7.0), Value::Number(3.0), s("0")]),
            s("007")
        );
        assert_eq!(run("padleft", &[s("abcd"), Value::Number(2.0)]), s("abcd"));
        assert_eq!(run("replace", &[s("a-b-c"), s("-"), s("")]), s("abc"));
    }
}
