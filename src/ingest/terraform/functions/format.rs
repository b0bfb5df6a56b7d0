//! `format` and `formatlist`: Go-style verbs as Terraform implements them.

use super::args::{self, ok_string, MAX_ELEMENTS};
use super::{EvalError, EvalResult, Func};
use crate::eval::value::{format_number, Value};

/// Widths and precisions above this are refused (guards huge outputs).
const MAX_WIDTH: usize = 10_000;

/// The formatting functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    match name {
        "format" => Some(Func::Strict(format)),
        "formatlist" => Some(Func::Strict(formatlist)),
        _ => None,
    }
}

fn format(args: &[Value]) -> EvalResult {
    let [spec, values @ ..] = args else {
        return Err(EvalError);
    };
    ok_string(render(&args::string(spec)?, values)?)
}

/// `formatlist(spec, args...)`: list arguments (all the same length) are iterated, others
/// repeat; with no list argument the result has one element.
fn formatlist(args: &[Value]) -> EvalResult {
    let [spec, values @ ..] = args else {
        return Err(EvalError);
    };
    let spec = args::string(spec)?;
    let mut len = None;
    for value in values {
        if let Value::List(items) = value {
            match len {
                Some(n) if n != items.len() => return Err(EvalError),
                _ => len = Some(items.len()),
            }
        }
    }
    let len = len.unwrap_or(1);
    if len > MAX_ELEMENTS {
        return Err(EvalError);
    }
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let row: Vec<Value> = values
            .iter()
            .map(|v| match v {
                Value::List(items) => items.get(i).cloned().unwrap_or_default(),
                other => other.clone(),
            })
            .collect();
        out.push(Value::String(render(&spec, &row)?));
    }
    Ok(Value::List(out))
}

/// One parsed `%` verb.
#[derive(Default)]
struct Verb {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Renders a format spec; every argument must be used exactly as Terraform requires.
fn render(spec: &str, values: &[Value]) -> Result<String, EvalError> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next_arg = 0;
    let mut max_used = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut verb = Verb::default();
        while let Some(&flag) = chars.peek() {
            match flag {
                '-' => verb.minus = true,
                '+' => verb.plus = true,
                ' ' => verb.space = true,
                '0' => verb.zero = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let n = digits(&mut chars).ok_or(EvalError)?;
            if chars.next() != Some(']') || n == 0 {
                return Err(EvalError);
            }
            next_arg = n - 1;
        }
        verb.width = digits(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            verb.precision = Some(digits(&mut chars).unwrap_or(0));
        }
        if verb.width.unwrap_or(0) > MAX_WIDTH || verb.precision.unwrap_or(0) > MAX_WIDTH {
            return Err(EvalError);
        }
        let kind = chars.next().ok_or(EvalError)?;
        if kind == '%' {
            out.push('%');
            continue;
        }
        let value = values.get(next_arg).ok_or(EvalError)?;
        next_arg += 1;
        max_used = max_used.max(next_arg);
        out.push_str(&format_verb(kind, &verb, value)?);
    }
    if max_used < values.len() {
        return Err(EvalError);
    }
    Ok(out)
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        chars.next();
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
    }
    n
}

fn format_verb(kind: char, verb: &Verb, value: &Value) -> Result<String, EvalError> {
    let body = match kind {
        'v' => match value {
            Value::Null => "null".to_owned(),
            Value::List(_) | Value::Object(_) => value.to_json().to_string(),
            other => args::string(other)?,
        },
        's' => {
            let s = args::string(value)?;
            match verb.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        'q' => serde_json::Value::String(args::string(value)?).to_string(),
        't' => args::boolean(value)?.to_string(),
        'd' | 'b' | 'o' | 'x' | 'X' => {
            let n = args::integer(value)?;
            let digits = match kind {
                'd' => n.unsigned_abs().to_string(),
                'b' => format!("{:b}", n.unsigned_abs()),
                'o' => format!("{:o}", n.unsigned_abs()),
                'x' => format!("{:x}", n.unsigned_abs()),
                _ => format!("{:X}", n.unsigned_abs()),
            };
            return Ok(pad_number(n < 0, &digits, verb));
        }
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
            let n = args::number(value)?;
            let p = verb.precision.unwrap_or(6);
            let digits = match kind {
                'f' | 'F' => format!("{:.*}", p, n.abs()),
                'e' | 'E' => exponent(n.abs(), p, kind == 'E'),
                _ => format_number(n.abs()),
            };
            return Ok(pad_number(n < 0.0, &digits, verb));
        }
        _ => return Err(EvalError),
    };
    Ok(pad(body, verb))
}

/// Go's `%e`: mantissa, `e`, sign and at least two exponent digits.
fn exponent(n: f64, precision: usize, upper: bool) -> String {
    let rust = format!("{:.*e}", precision, n);
    let (mantissa, exp) = rust.split_once('e').unwrap_or((&rust, "0"));
    let (sign, exp) = exp.strip_prefix('-').map_or(('+', exp), |e| ('-', e));
    let e = if upper { 'E' } else { 'e' };
    format!("{mantissa}{e}{sign}{exp:0>2}")
}

fn pad_number(negative: bool, digits: &str, verb: &Verb) -> String {
    let sign = match (negative, verb.plus, verb.space) {
        (true, _, _) => "-",
        (false, true, _) => "+",
        (false, false, true) => " ",
        _ => "",
    };
    let width = verb.width.unwrap_or(0);
    let len = sign.len() + digits.chars().count();
    if verb.zero && !verb.minus && len < width {
        format!("{sign}{}{digits}", "0".repeat(width - len))
    } else {
        pad(format!("{sign}{digits}"), verb)
    }
}

fn pad(body: String, verb: &Verb) -> String {
    let len = body.chars().count();
    let width = verb.width.unwrap_or(0);
    if len >= width {
        return body;
    }
    let fill = " ".repeat(width - len);
    if verb.minus {
        body + &fill
    } else {
        fill + &body
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s, strs};
    use crate::eval::value::Value;

    fn fmt(args: Vec<Value>) -> Option<Value> {
        run("format", args)
    }

    #[test]
    fn format_verbs() {
        let n = |x: f64| Value::Number(x);
        assert_eq!(
            fmt(vec![s("Hello, %s!"), s("Ander")]),
            Some(s("Hello, Ander!"))
        );
        assert_eq!(fmt(vec![s("%d items"), n(3.0)]), Some(s("3 items")));
        assert_eq!(
            fmt(vec![s("%03d|%-4d|%+d"), n(7.0), n(5.0), n(2.0)]),
            Some(s("007|5   |+2"))
        );
        assert_eq!(fmt(vec![s("%.2f"), n(1.23456)]), Some(s("1.23")));
        assert_eq!(fmt(vec![s("%q"), s("a\"b")]), Some(s("\"a\\\"b\"")));
        assert_eq!(fmt(vec![s("%t %%"), Value::Bool(true)]), Some(s("true %")));
        assert_eq!(fmt(vec![s("%v"), strs(&["a"])]), Some(s("[\"a\"]")));
        assert_eq!(
            fmt(vec![s("%5s|%-5s|"), s("ab"), s("cd")]),
            Some(s("   ab|cd   |"))
        );
        assert_eq!(fmt(vec![s("%[2]s %[1]s"), s("a"), s("b")]), Some(s("b a")));
        assert_eq!(
            fmt(vec![s("%x %e"), n(255.0), n(1234.5)]),
            Some(s("ff 1.234500e+03"))
        );
        assert_eq!(fmt(vec![s("%d"), n(1.5)]), None);
        assert_eq!(fmt(vec![s("%s %s"), s("a")]), None);
        assert_eq!(fmt(vec![s("%s"), s("a"), s("b")]), None);
        assert_eq!(fmt(vec![s("%s"), Value::Unknown]), Some(Value::Unknown));
        assert_eq!(fmt(vec![s("%999999999s"), s("a")]), None);
    }

    #[test]
    fn formatlist_iterates_lists() {
        assert_eq!(
            run("formatlist", vec![s("%s-%s"), strs(&["a", "b"]), s("x")]),
            Some(strs(&["a-x", "b-x"]))
        );
        assert_eq!(run("formatlist", vec![s("%s"), s("x")]), Some(strs(&["x"])));
        assert_eq!(
            run(
                "formatlist",
                vec![s("%s%s"), strs(&["a"]), strs(&["b", "c"])]
            ),
            None
        );
    }
}
