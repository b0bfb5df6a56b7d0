//! `format(template, args...)`: a subset of .NET composite formatting — `{0}`, alignment
//! `{0,5}` / `{0,-5}`, `{{` / `}}`, and the numeric specifiers D, X, N, F, G with precision.

use super::encode::stringify;
use super::{arity, as_int, fail, str_arg, EvalError};
use crate::eval::value::{format_number, Value};

/// The widest alignment or precision honoured.
const MAX_WIDTH: usize = 1024;

/// Calls `format`, or `None` if `name` is not it.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Result<Value, EvalError>> {
    (name == "format").then(|| format(name, args))
}

fn format(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    arity(name, args, 1, usize::MAX)?;
    let template = str_arg(name, args, 0)?;
    let values = &args[1..];
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let brace = &rest[i..];
        if brace.starts_with("{{") || brace.starts_with("}}") {
            out.push_str(&brace[..1]);
            rest = &brace[2..];
            continue;
        }
        if brace.starts_with('}') {
            return fail(name, "unmatched '}' in the format string");
        }
        let Some(close) = brace.find('}') else {
            return fail(name, "unmatched '{' in the format string");
        };
        match item(&brace[1..close], values)? {
            Some(text) => out.push_str(&text),
            None => return Ok(Value::Unknown),
        }
        rest = &brace[close + 1..];
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

/// One `{index[,alignment][:spec]}` item; `None` if its value is unknown.
fn item(spec: &str, values: &[Value]) -> Result<Option<String>, EvalError> {
    let bad = || EvalError::new(format!("format(): invalid format item '{{{spec}}}'"));
    let (head, number_format) = spec
        .split_once(':')
        .map_or((spec, None), |(h, f)| (h, Some(f)));
    let (index, alignment) = head
        .split_once(',')
        .map_or((head, None), |(i, a)| (i, Some(a)));
    let index: usize = index.trim().parse().map_err(|_| bad())?;
    let value = values
        .get(index)
        .ok_or_else(|| EvalError::new(format!("format(): no argument {index}")))?;
    let text = match (value, number_format) {
        (Value::Number(n), Some(f)) => number(*n, f).ok_or_else(bad)?,
        _ => match stringify(value)? {
            Value::String(s) => s,
            _ => return Ok(None),
        },
    };
    let Some(alignment) = alignment else {
        return Ok(Some(text));
    };
    let width: i64 = alignment.trim().parse().map_err(|_| bad())?;
    let pad = (width.unsigned_abs() as usize)
        .min(MAX_WIDTH)
        .saturating_sub(text.chars().count());
    let padding = " ".repeat(pad);
    Ok(Some(if width < 0 {
        text + &padding
    } else {
        padding + &text
    }))
}

/// A number with a .NET standard numeric format (`D2`, `X`, `N0`, `F3`, `G`).
fn number(n: f64, spec: &str) -> Option<String> {
    let mut chars = spec.chars();
    let kind = chars.next()?;
    let precision: Option<usize> = match chars.as_str() {
        "" => None,
        p => Some(p.parse::<usize>().ok()?.min(MAX_WIDTH)),
    };
    match kind {
        'D' | 'd' => {
            let i = as_int(n)?;
            let digits = format!(
                "{:0width$}",
                i.unsigned_abs(),
                width = precision.unwrap_or(0)
            );
            Some(if i < 0 { format!("-{digits}") } else { digits })
        }
        'X' | 'x' => {
            let i = as_int(n)?;
            let hex = format!("{:0width$x}", i, width = precision.unwrap_or(0));
            Some(if kind == 'X' { hex.to_uppercase() } else { hex })
        }
        'F' | 'f' => Some(format!("{:.*}", precision.unwrap_or(2), n)),
        'N' | 'n' => Some(group_thousands(&format!(
            "{:.*}",
            precision.unwrap_or(2),
            n
        ))),
        'G' | 'g' if precision.is_none() => Some(format_number(n)),
        _ => None,
    }
}

/// Inserts `,` between thousands in a plain decimal number.
fn group_thousands(plain: &str) -> String {
    let (sign, unsigned) = plain.strip_prefix('-').map_or(("", plain), |u| ("-", u));
    let (int, frac) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(args: &[Value]) -> Result<Value, EvalError> {
        call("format", args).unwrap()
    }

    #[test]
    fn formats_like_dotnet() {
        let args = [
            Value::from("{0}, {1}. Formatted number: {2:N0}"),
            Value::from("Hello"),
            Value::from("User"),
            Value::Number(8175133.0),
        ];
        assert_eq!(
            fmt(&args).unwrap(),
            Value::from("Hello, User. Formatted number: 8,175,133")
        );
        assert_eq!(
            fmt(&[Value::from("vm{0:D3}"), Value::Number(7.0)]).unwrap(),
            Value::from("vm007")
        );
        assert_eq!(
            fmt(&[Value::from("{0:x}|{0,4}|{0,-3}|"), Value::Number(255.0)]).unwrap(),
            Value::from("ff| 255|255|")
        );
        assert_eq!(
            fmt(&[Value::from("{{{0}}}"), Value::Bool(false)]).unwrap(),
            Value::from("{False}")
        );
        assert_eq!(
            fmt(&[Value::from("{0:F1}"), Value::Number(2.26)]).unwrap(),
            Value::from("2.3")
        );
        assert!(fmt(&[Value::from("{1}"), Value::Number(1.0)]).is_err());
        assert!(fmt(&[Value::from("{0"), Value::Number(1.0)]).is_err());
        assert!(fmt(&[Value::from("}"), Value::Number(1.0)]).is_err());
        assert_eq!(
            fmt(&[Value::from("{0}"), Value::List(vec![Value::Unknown])]).unwrap(),
            Value::Unknown
        );
    }
}
