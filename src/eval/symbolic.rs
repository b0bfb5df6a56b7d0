//! Symbolic strings: unknown values that keep their identity.
//!
//! A value only deployment knows but whose producer is known (a parameter without a value,
//! `var.name`, a hash of such a value) becomes, wherever it is turned into text, its
//! producer's description between [`OPEN`] and [`CLOSE`]: `'pe-${prefix}-blob'` evaluates to
//! `"pe-\u{E000}prefix\u{E001}-blob"`. Such strings compare as strings, so values built the
//! same way from the same unknowns are equal (ids join, references resolve) and values built
//! from different unknowns differ. Everything that needs the real text (rules, comparisons
//! with known values, lengths) treats them as unknown; reports show them as `pe-{prefix}-blob`.

use super::digest;
use super::value::UNKNOWN_MARKER;

/// Opens a producer description (a Unicode private-use character).
pub const OPEN: char = '\u{E000}';

/// Closes a producer description.
pub const CLOSE: char = '\u{E001}';

/// Separates a description's readable part from the digest that keeps it unique.
const DIGEST: char = '#';

/// The symbolic string standing for the value `producer` gives (`prefix`, `var.name`).
/// `/` in the description is replaced, so that a symbolic name stays one id segment.
pub fn marker(producer: &str) -> String {
    let clean: String = producer
        .chars()
        .map(|c| match c {
            '/' => '\u{2215}',
            OPEN | CLOSE => '?',
            c => c,
        })
        .collect();
    format!("{OPEN}{clean}{CLOSE}")
}

/// The symbolic string of `producer` in the deployment `unit` (its root file or folder):
/// the same producer in another unit is another unknown. Reports show only `producer`.
pub fn marker_in(producer: &str, unit: &str) -> String {
    marker(&format!("{producer}{DIGEST}{}", short_digest(unit)))
}

/// The runtime property at dotted `path` (`properties.principalId`, as in the full
/// resource) of the resource with id `resource_id`: Bicep's `uami.properties.principalId`
/// and ARM's `reference(resourceId(...)).principalId` are the same unknown. Reads as
/// `{userAssignedIdentities/uami.properties.principalId}`.
pub fn runtime_property(resource_id: &str, path: &str) -> String {
    let mut tail: Vec<&str> = resource_id.rsplit('/').take(2).collect();
    tail.reverse();
    marker_in(
        &format!("{}.{path}", display(&tail.join("/"))),
        &resource_id.to_ascii_lowercase(),
    )
}

/// The first 8 hex digits of the SHA-1 of `text`.
fn short_digest(text: &str) -> String {
    let mut hex = digest::hex(&digest::sha1(text.as_bytes()));
    hex.truncate(8);
    hex
}

/// The symbolic result of a deterministic function `name` applied to `args` of which some
/// are symbolic (`uniqueString(prefix)`): equal for equal calls, readable as the call.
pub fn call(name: &str, args: &[String]) -> String {
    let readable: Vec<String> = args.iter().map(|a| display(a)).collect();
    marker(&format!(
        "{name}({}){DIGEST}{}",
        readable.join(", "),
        short_digest(&args.join("\u{0}"))
    ))
}

/// Whether `s` holds a symbolic part.
pub fn is_symbolic(s: &str) -> bool {
    s.contains(OPEN)
}

/// Whether `s` is text moat cannot know statically: the anonymous unknown marker or a
/// symbolic string. Rules treat both alike: undecided.
pub fn is_unknown_text(s: &str) -> bool {
    s == UNKNOWN_MARKER || is_symbolic(s)
}

/// Whether two texts are equal, as far as can be known: identical texts are equal, a
/// symbolic one is otherwise undecided (`None`), never different.
pub fn text_equals(a: &str, b: &str) -> Option<bool> {
    if a == b {
        Some(true)
    } else if is_symbolic(a) || is_symbolic(b) {
        None
    } else {
        Some(false)
    }
}

/// `s` as people read it: every symbolic part as `{producer}` (`pe-{prefix}-blob`).
pub fn display(s: &str) -> String {
    if !is_symbolic(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    let mut hidden = false;
    for c in s.chars() {
        match c {
            OPEN => {
                inside = true;
                hidden = false;
                out.push('{');
            }
            CLOSE if inside => {
                inside = false;
                hidden = false;
                out.push('}');
            }
            DIGEST if inside => hidden = true,
            _ if hidden => {}
            '\u{2215}' if inside => out.push('/'),
            c => out.push(c),
        }
    }
    out
}

/// `value` with every string shown as people read it ([`display`]), for model output.
pub fn display_json(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Json::String(s) if is_symbolic(s) => Json::String(display(s)),
        Json::Array(items) => Json::Array(items.iter().map(display_json).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (display(k), display_json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The producers of the symbolic parts of `s`, in order, without duplicates (`["prefix"]`).
pub fn unknown_parts(s: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for piece in s.split(OPEN).skip(1) {
        let inner = piece.split(CLOSE).next().unwrap_or_default();
        let readable = inner.split(DIGEST).next().unwrap_or_default().to_owned();
        if !parts.contains(&readable) {
            parts.push(readable);
        }
    }
    parts
}

/// Whether a function call reads one of its arguments as text that is symbolic: for the
/// functions in `comparing`, a symbol anywhere inside an argument counts (they compare
/// values within collections); `contains` on an object compares its keys only; for the
/// rest, an argument that is itself symbolic text. Shared by the ARM and Terraform function
/// libraries.
pub fn reads_symbol(name: &str, args: &[super::value::Value], comparing: &[&str]) -> bool {
    use super::value::Value;
    match (name, args) {
        ("contains", [Value::Object(map), key]) => {
            key.contains_symbolic() || map.keys().any(|k| is_symbolic(k))
        }
        _ if comparing.contains(&name) => args.iter().any(Value::contains_symbolic),
        _ => args.iter().any(Value::is_symbolic),
    }
}

/// `s` with `f` applied to its literal parts only (`toLower` of `PE-{Prefix}` keeps the
/// producer's description as written).
pub fn map_literal(s: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&f(&rest[..start]));
        let end = rest[start..]
            .find(CLOSE)
            .map_or(rest.len(), |e| start + e + CLOSE.len_utf8());
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    out.push_str(&f(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_display_as_placeholders() {
        let s = format!("pe-{}-blob", marker("prefix"));
        assert!(is_symbolic(&s));
        assert!(is_unknown_text(&s));
        assert!(!is_symbolic("pe-x-blob"));
        assert_eq!(display(&s), "pe-{prefix}-blob");
        let hashed = format!("{}-{}-x", marker_in("a", "u"), marker_in("b", "u"));
        assert_eq!(display(&hashed), "{a}-{b}-x");
        assert_eq!(unknown_parts(&s), ["prefix"]);
    }

    #[test]
    fn the_same_producer_in_two_units_differs_but_reads_alike() {
        let a = marker_in("var.name", "env/a");
        let b = marker_in("var.name", "env/b");
        assert_ne!(a, b);
        assert_eq!(a, marker_in("var.name", "env/a"));
        assert_eq!(display(&a), display(&b));
        assert_eq!(unknown_parts(&a), ["var.name"]);
    }

    #[test]
    fn runtime_properties_read_as_type_and_name() {
        let id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami";
        let p = runtime_property(id, "properties.principalId");
        assert_ne!(
            p,
            runtime_property(&format!("{id}2"), "properties.principalId")
        );
        assert_ne!(p, runtime_property(id, "properties.clientId"));
        assert_eq!(
            display(&p),
            "{userAssignedIdentities/uami.properties.principalId}"
        );
    }

    #[test]
    fn slashes_stay_inside_one_segment() {
        let m = marker("module.a/b.var.x");
        assert!(!m.contains('/'));
    }

    #[test]
    fn calls_are_equal_when_built_alike_and_read_as_the_call() {
        let a = call("uniqueString", &[marker("prefix"), "x".into()]);
        let b = call("uniqueString", &[marker("prefix"), "x".into()]);
        let c = call("uniqueString", &[marker("prefix"), "y".into()]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(display(&a), "{uniqueString({prefix}, x)}");
        assert_eq!(unknown_parts(&a), ["uniqueString({prefix}, x)"]);
    }

    #[test]
    fn equality_with_a_symbolic_text_is_undecided_unless_identical() {
        let s = marker("prefix");
        assert_eq!(text_equals(&s, &s), Some(true));
        assert_eq!(text_equals(&s, "x"), None);
        assert_eq!(text_equals(&s, &marker("other")), None);
        assert_eq!(text_equals("a", "b"), Some(false));
    }

    #[test]
    fn literal_parts_are_mapped_alone() {
        let s = format!("PE-{}", marker("Prefix"));
        assert_eq!(
            map_literal(&s, str::to_lowercase),
            format!("pe-{}", marker("Prefix"))
        );
    }
}
