//! Filesystem functions. Files are read through [`Scope::read_file`] (missing → unknown);
//! path functions are pure string operations with Go's `filepath` semantics.

use hcl_edit::parser::parse_template;

use super::args::{self, ok_string};
use super::{evaluate_template_file, EvalError, EvalResult, Func, Scope};
use crate::eval::base64::encode as base64_encode;
use crate::eval::digest::{hex, md5, sha1, sha256};
use crate::eval::value::Value;

/// The filesystem functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(match name {
        "file" => Func::Scoped(|a, s| read(a, s, |text| Ok(Value::String(text)))),
        "fileexists" => Func::Scoped(|a, s| read(a, s, |_| Ok(Value::Bool(true)))),
        "filebase64" => Func::Scoped(|a, s| read(a, s, |t| ok_string(base64_encode(t.as_bytes())))),
        "filemd5" => Func::Scoped(|a, s| read(a, s, |t| ok_string(hex(&md5(t.as_bytes()))))),
        "filesha1" => Func::Scoped(|a, s| read(a, s, |t| ok_string(hex(&sha1(t.as_bytes()))))),
        "filesha256" => Func::Scoped(|a, s| read(a, s, |t| ok_string(hex(&sha256(t.as_bytes()))))),
        "filebase64sha256" => {
            Func::Scoped(|a, s| read(a, s, |t| ok_string(base64_encode(&sha256(t.as_bytes())))))
        }
        "templatefile" => Func::Scoped(templatefile),
        "abspath" => Func::Strict(|a| path(a, |p| p.starts_with('/').then(|| clean(p)))),
        "dirname" => Func::Strict(|a| path(a, |p| Some(dirname(p)))),
        "basename" => Func::Strict(|a| path(a, |p| Some(basename(p)))),
        "pathexpand" => Func::Strict(|a| path(a, |p| (!p.starts_with('~')).then(|| p.to_owned()))),
        _ => return None,
    })
}

/// Reads the file named by the only argument and maps its text; unreadable → unknown.
fn read(args: &[Value], scope: &dyn Scope, then: fn(String) -> EvalResult) -> EvalResult {
    let [path] = args else { return Err(EvalError) };
    match scope.read_file(&args::string(path)?) {
        Some(text) => then(text),
        None => Ok(Value::Unknown),
    }
}

/// `templatefile(path, vars)`: the file is a template seeing only `vars`.
fn templatefile(args: &[Value], scope: &dyn Scope) -> EvalResult {
    let [path, vars] = args else {
        return Err(EvalError);
    };
    let vars = args::object(vars)?;
    let Some(text) = scope.read_file(&args::string(path)?) else {
        return Ok(Value::Unknown);
    };
    let template = parse_template(&text).map_err(|_| EvalError)?;
    evaluate_template_file(&template, vars, scope)
}

/// A path function: `f` gives `None` when the result depends on the machine (unknown).
fn path(args: &[Value], f: fn(&str) -> Option<String>) -> EvalResult {
    let [p] = args else { return Err(EvalError) };
    Ok(f(&args::string(p)?).map_or(Value::Unknown, Value::String))
}

/// Go's `filepath.Clean`: lexical `.` / `..` / duplicate-slash removal.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Dir`.
fn dirname(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(path.get(..=i).unwrap_or(path)),
        None => ".".to_owned(),
    }
}

/// Go's `filepath.Base`.
fn basename(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_owned();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{call_checked, Scope};
    use crate::eval::value::Value;

    /// A scope with two files: a template and a plain file.
    struct Files;

    impl Scope for Files {
        fn resolve(&self, _root: &str, _attrs: &[&str]) -> Option<(Value, usize)> {
            Some((Value::from("outer"), 0))
        }

        fn read_file(&self, path: &str) -> Option<String> {
            match path {
                "t.tpl" => Some("Hi ${name}!%{ for x in items ~}\n [${x}]%{ endfor }".into()),
                "outer.tpl" => Some("${var}".into()),
                "nested.tpl" => Some("${templatefile(\"t.tpl\", {})}".into()),
                "plain.txt" => Some("hello".into()),
                _ => None,
            }
        }
    }

    fn run(name: &str, args: Vec<Value>) -> Option<Value> {
        call_checked(name, args, &Files).ok()
    }

    fn s(text: &str) -> Value {
        Value::from(text)
    }

    #[test]
    fn files_go_through_the_scope() {
        assert_eq!(run("file", vec![s("plain.txt")]), Some(s("hello")));
        assert_eq!(run("file", vec![s("missing.txt")]), Some(Value::Unknown));
        assert_eq!(
            run("fileexists", vec![s("plain.txt")]),
            Some(Value::Bool(true))
        );
        assert_eq!(run("filebase64", vec![s("plain.txt")]), Some(s("aGVsbG8=")));
        assert_eq!(
            run("filemd5", vec![s("plain.txt")]),
            Some(s("5d41402abc4b2a76b9719d911017c592"))
        );
    }

    #[test]
    fn templatefile_sees_only_its_vars() {
        let vars: BTreeMap<String, Value> = [
            ("name".to_string(), s("Bob")),
            ("items".to_string(), Value::List(vec![s("a"), s("b")])),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            run("templatefile", vec![s("t.tpl"), Value::Object(vars)]),
            Some(s("Hi Bob![a][b]"))
        );
        let empty = Value::Object(BTreeMap::new());
        assert_eq!(
            run("templatefile", vec![s("outer.tpl"), empty.clone()]),
            None
        );
        assert_eq!(
            run("templatefile", vec![s("nested.tpl"), empty.clone()]),
            None
        );
        assert_eq!(
            run("templatefile", vec![s("missing.tpl"), empty]),
            Some(Value::Unknown)
        );
    }

    #[test]
    fn path_functions() {
        assert_eq!(
            run("dirname", vec![s("foo/bar/baz.txt")]),
            Some(s("foo/bar"))
        );
        assert_eq!(run("dirname", vec![s("baz.txt")]), Some(s(".")));
        assert_eq!(run("dirname", vec![s("/a")]), Some(s("/")));
        assert_eq!(
            run("basename", vec![s("foo/bar/baz.txt")]),
            Some(s("baz.txt"))
        );
        assert_eq!(run("basename", vec![s("foo/bar/")]), Some(s("bar")));
        assert_eq!(run("abspath", vec![s("/a/./b/../c")]), Some(s("/a/c")));
        assert_eq!(run("abspath", vec![s("rel")]), Some(Value::Unknown));
        assert_eq!(run("pathexpand", vec![s("~/.ssh")]), Some(Value::Unknown));
        assert_eq!(run("pathexpand", vec![s("/etc")]), Some(s("/etc")));
    }
}
