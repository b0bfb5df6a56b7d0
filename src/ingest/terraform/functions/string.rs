//! String functions: case, trimming, splitting, joining, substrings, replace.

use std::collections::BTreeMap;

use super::args::{self, ok_string};
use super::regex::{Captures, Regex};
use super::{EvalError, EvalResult, Func};
use crate::eval::value::Value;

/// `indent` refuses wider indents (guards huge outputs).
const MAX_INDENT: usize = 10_000;

/// The string functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(Func::Strict(match name {
        "lower" => |a| unary(a, |s| s.to_lowercase()),
        "upper" => |a| unary(a, |s| s.to_uppercase()),
        "title" => |a| unary(a, title),
        "strrev" => |a| unary(a, |s| s.chars().rev().collect()),
        "trimspace" => |a| unary(a, |s| s.trim().to_owned()),
        "chomp" => |a| unary(a, |s| s.trim_end_matches(['\r', '\n']).to_owned()),
        "trim" => |a| binary(a, |s, cut| s.trim_matches(|c| cut.contains(c)).to_owned()),
        "trimprefix" => |a| binary(a, |s, p| s.strip_prefix(p).unwrap_or(s).to_owned()),
        "trimsuffix" => |a| binary(a, |s, p| s.strip_suffix(p).unwrap_or(s).to_owned()),
        "startswith" => |a| predicate(a, |s, p| s.starts_with(p)),
        "endswith" => |a| predicate(a, |s, p| s.ends_with(p)),
        "strcontains" => |a| predicate(a, |s, p| s.contains(p)),
        "split" => split,
        "join" => join,
        "substr" => substr,
        "replace" => replace,
        "indent" => indent,
        "regex" => |a| regex_fn(a, false),
        "regexall" => |a| regex_fn(a, true),
        _ => return None,
    }))
}

fn unary(args: &[Value], f: impl Fn(&str) -> String) -> EvalResult {
    let [s] = args else { return Err(EvalError) };
    ok_string(f(&args::string(s)?))
}

fn binary(args: &[Value], f: impl Fn(&str, &str) -> String) -> EvalResult {
    let [a, b] = args else { return Err(EvalError) };
    ok_string(f(&args::string(a)?, &args::string(b)?))
}

fn predicate(args: &[Value], f: impl Fn(&str, &str) -> bool) -> EvalResult {
    let [a, b] = args else { return Err(EvalError) };
    Ok(Value::Bool(f(&args::string(a)?, &args::string(b)?)))
}

/// Upper-cases the first letter of each word, as Go's `strings.Title` does.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            c.is_whitespace()
        };
    }
    out
}

/// `split(separator, string)`; an empty separator splits into characters.
fn split(args: &[Value]) -> EvalResult {
    let [sep, s] = args else {
        return Err(EvalError);
    };
    let (sep, s) = (args::string(sep)?, args::string(s)?);
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        s.split(sep.as_str()).map(Value::from).collect()
    };
    Ok(Value::List(parts))
}

/// `join(separator, list...)`.
fn join(args: &[Value]) -> EvalResult {
    let [sep, lists @ ..] = args else {
        return Err(EvalError);
    };
    if lists.is_empty() {
        return Err(EvalError);
    }
    let sep = args::string(sep)?;
    let mut parts = Vec::new();
    for list in lists {
        parts.extend(args::strings(list)?);
    }
    ok_string(parts.join(&sep))
}

/// `substr(string, offset, length)` in characters; negative offset counts from the end,
/// length -1 means the rest.
fn substr(args: &[Value]) -> EvalResult {
    let [s, offset, length] = args else {
        return Err(EvalError);
    };
    let chars: Vec<char> = args::string(s)?.chars().collect();
    let total = chars.len() as i64;
    let mut offset = args::integer(offset)?;
    let length = args::integer(length)?;
    if offset < 0 {
        offset += total;
    }
    if offset < 0 || length < -1 {
        return Err(EvalError);
    }
    let start = offset.min(total);
    let end = if length == -1 {
        total
    } else {
        start.saturating_add(length).min(total)
    };
    let slice = chars.get(start as usize..end as usize).unwrap_or_default();
    ok_string(slice.iter().collect::<String>())
}

/// `replace(string, search, replacement)`; a `/regex/` search uses the [`Regex`] subset
/// (unknown when outside it).
fn replace(args: &[Value]) -> EvalResult {
    let [s, search, replacement] = args else {
        return Err(EvalError);
    };
    let (s, search, replacement) = (
        args::string(s)?,
        args::string(search)?,
        args::string(replacement)?,
    );
    if let Some(pattern) = search.strip_prefix('/').and_then(|p| p.strip_suffix('/')) {
        let replaced = Regex::parse(pattern).and_then(|re| re.replace_all(&s, &replacement));
        return Ok(replaced.map_or(Value::Unknown, Value::String));
    }
    if search.is_empty() {
        return ok_string(s);
    }
    let grown = s.matches(&search).count().saturating_mul(replacement.len());
    if grown.saturating_add(s.len()) > args::MAX_STRING {
        return args::too_large();
    }
    ok_string(s.replace(&search, &replacement))
}

/// `indent(spaces, string)`: indents every line but the first.
fn indent(args: &[Value]) -> EvalResult {
    let [spaces, s] = args else {
        return Err(EvalError);
    };
    let (spaces, s) = (args::count(spaces)?, args::string(s)?);
    let lines = s.matches('\n').count();
    if spaces > MAX_INDENT || lines.saturating_mul(spaces) > args::MAX_ELEMENTS * 10 {
        return Err(EvalError);
    }
    ok_string(s.replace('\n', &format!("\n{}", " ".repeat(spaces))))
}

/// `regex(pattern, string)` (first match, error if none) and `regexall` (every match).
/// A match is the matched text without groups, a list of the groups, or a map of named groups.
fn regex_fn(args: &[Value], all: bool) -> EvalResult {
    let [pattern, s] = args else {
        return Err(EvalError);
    };
    let (pattern, s) = (args::string(pattern)?, args::string(s)?);
    let Some(re) = Regex::parse(&pattern) else {
        return Ok(Value::Unknown);
    };
    let chars: Vec<char> = s.chars().collect();
    let Some(matches) = re.find_all(&chars) else {
        return Ok(Value::Unknown);
    };
    let names = re.names();
    let named = names.iter().filter(|n| n.is_some()).count();
    if named != 0 && named != names.len() {
        return Err(EvalError);
    }
    let text = |span: &Option<(usize, usize)>| match span {
        Some((start, end)) => {
            Value::String(chars.get(*start..*end).unwrap_or_default().iter().collect())
        }
        None => Value::Null,
    };
    let shape = |caps: &Captures| match caps.split_first() {
        Some((whole, [])) => text(whole),
        Some((_, groups)) if named == 0 => Value::List(groups.iter().map(text).collect()),
        Some((_, groups)) => Value::Object(
            names
                .iter()
                .zip(groups)
                .filter_map(|(name, span)| Some((name.clone()?, text(span))))
                .collect::<BTreeMap<_, _>>(),
        ),
        None => Value::Null,
    };
    if all {
        Ok(Value::List(matches.iter().map(shape).collect()))
    } else {
        matches.first().map(shape).ok_or(EvalError)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s, strs};
    use crate::eval::value::Value;

    fn text(name: &str, args: Vec<Value>) -> String {
        match run(name, args) {
            Some(Value::String(s)) => s,
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn case_and_trimming() {
        assert_eq!(text("lower", vec![s("HeLLo")]), "hello");
        assert_eq!(text("upper", vec![Value::Number(5.0)]), "5");
        assert_eq!(
            text("title", vec![s("hello world-foo_bar")]),
            "Hello World-Foo_bar"
        );
        assert_eq!(text("trimspace", vec![s("  a b \n")]), "a b");
        assert_eq!(text("trim", vec![s("?!hello?!"), s("!?")]), "hello");
        assert_eq!(
            text("trimprefix", vec![s("helloworld"), s("hello")]),
            "world"
        );
        assert_eq!(
            text("trimsuffix", vec![s("helloworld"), s("world")]),
            "hello"
        );
        assert_eq!(text("chomp", vec![s("hello\r\n\n")]), "hello");
        assert_eq!(text("strrev", vec![s("héllo")]), "olléh");
        assert_eq!(
            run("startswith", vec![s("hello"), s("he")]),
            Some(Value::Bool(true))
        );
        assert_eq!(
            run("endswith", vec![s("hello"), s("he")]),
            Some(Value::Bool(false))
        );
        assert_eq!(run("lower", vec![Value::Null]), None);
    }

    #[test]
    fn split_join_substr_replace_indent() {
        assert_eq!(
            run("split", vec![s(","), s("a,b,,c")]),
            Some(strs(&["a", "b", "", "c"]))
        );
        assert_eq!(run("split", vec![s(","), s("")]), Some(strs(&[""])));
        assert_eq!(
            text("join", vec![s("-"), strs(&["a", "b"]), strs(&["c"])]),
            "a-b-c"
        );
        assert_eq!(run("join", vec![s("-")]), None);
        let num = |n: f64| Value::Number(n);
        assert_eq!(
            text("substr", vec![s("hello world"), num(1.0), num(4.0)]),
            "ello"
        );
        assert_eq!(
            text("substr", vec![s("hello world"), num(-5.0), num(-1.0)]),
            "world"
        );
        assert_eq!(
            text("substr", vec![s("héllo"), num(1.0), num(100.0)]),
            "éllo"
        );
        assert_eq!(text("substr", vec![s("abc"), num(10.0), num(1.0)]), "");
        assert_eq!(text("replace", vec![s("a-b-c"), s("-"), s("_")]), "a_b_c");
        let re = |p: &str| run("replace", vec![s("a1b22"), s(p), s("#")]);
        assert_eq!(re("/\\d+/"), Some(s("a#b#")));
        assert_eq!(re("/(?i)a/"), Some(Value::Unknown));
        assert_eq!(re("/"), Some(s("a1b22")));
        assert_eq!(text("indent", vec![num(2.0), s("a\nb\n")]), "a\n  b\n  ");
        assert_eq!(run("indent", vec![num(1e9), s("a")]), None);
    }

    #[test]
    fn regex_functions() {
        assert_eq!(run("regex", vec![s("[a-z]+"), s("53abc")]), Some(s("abc")));
        assert_eq!(run("regex", vec![s("[a-z]+"), s("53")]), None);
        assert_eq!(
            run("regex", vec![s("(\\d+)-(\\d+)"), s("x 10-20")]),
            Some(strs(&["10", "20"]))
        );
        let named = run("regex", vec![s("(?P<k>\\w+)=(?P<v>\\w+)"), s("a=b")]);
        let expected = [("k".to_string(), s("a")), ("v".to_string(), s("b"))];
        assert_eq!(named, Some(Value::Object(expected.into_iter().collect())));
        assert_eq!(
            run("regexall", vec![s("\\d"), s("a1b2")]),
            Some(strs(&["1", "2"]))
        );
        assert_eq!(run("regexall", vec![s("z"), s("a")]), Some(strs(&[])));
        assert_eq!(
            run("regex", vec![s("[[:alpha:]]"), s("a")]),
            Some(Value::Unknown)
        );
    }
}
