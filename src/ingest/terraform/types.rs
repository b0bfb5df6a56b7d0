//! Conversion of a variable's value to its declared `type`, as Terraform does on the way
//! into a module: `optional(T, default)` attributes of objects are filled in, and
//! primitives convert (`"2"` → `2` for a number).

use hcl_edit::expr::{Expression, ObjectKey};

use super::eval::evaluate;
use super::NoReferences;
use crate::eval::value::Value;

/// How deeply type expressions may nest before conversion gives up.
const MAX_DEPTH: usize = 64;

/// Converts `value` to the type `ty` describes; what does not fit is kept as it is.
pub fn conform(ty: &Expression, value: Value) -> Value {
    convert(ty, value, 0)
}

fn convert(ty: &Expression, value: Value, depth: usize) -> Value {
    if depth > MAX_DEPTH || matches!(value, Value::Unknown | Value::Null) {
        return value;
    }
    match ty {
        Expression::Variable(name) => primitive(name.as_str(), value),
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let mut args = call.args.iter();
            let Some(inner) = args.next() else {
                return value;
            };
            match (name, value) {
                ("list" | "set", Value::List(items)) => Value::List(
                    items
                        .into_iter()
                        .map(|v| convert(inner, v, depth + 1))
                        .collect(),
                ),
                ("map", Value::Object(map)) => Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, convert(inner, v, depth + 1)))
                        .collect(),
                ),
                ("object", Value::Object(map)) => object(inner, map, depth),
                ("optional", v) => convert(inner, v, depth + 1),
                (_, v) => v,
            }
        }
        Expression::Parenthesis(p) => convert(p.inner(), value, depth + 1),
        _ => value,
    }
}

/// `object({a = T, b = optional(T, d)})`: converts known attributes, fills absent optional
/// ones with their default (or null).
fn object(
    ty: &Expression,
    mut map: std::collections::BTreeMap<String, Value>,
    depth: usize,
) -> Value {
    let Expression::Object(attrs) = ty else {
        return Value::Object(map);
    };
    for (key, attr_ty) in attrs.iter() {
        let key = match key {
            ObjectKey::Ident(i) => i.as_str().to_owned(),
            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
            ObjectKey::Expression(_) => continue,
        };
        let attr_ty = attr_ty.expr();
        let current = map.remove(&key).unwrap_or(Value::Null);
        let converted = match (optional_parts(attr_ty), current) {
            (Some((inner, Some(default))), Value::Null) => {
                convert(inner, evaluate(default, &NoReferences), depth + 1)
            }
            (Some((inner, _)), v) => convert(inner, v, depth + 1),
            (None, v) => convert(attr_ty, v, depth + 1),
        };
        map.insert(key, converted);
    }
    Value::Object(map)
}

/// `optional(T)` / `optional(T, default)` → (T, default).
fn optional_parts(ty: &Expression) -> Option<(&Expression, Option<&Expression>)> {
    let Expression::FuncCall(call) = ty else {
        return None;
    };
    if call.name.name.as_str() != "optional" {
        return None;
    }
    let mut args = call.args.iter();
    let inner = args.next()?;
    Some((inner, args.next()))
}

fn primitive(name: &str, value: Value) -> Value {
    match (name, &value) {
        ("string", Value::Number(_) | Value::Bool(_)) => {
            value.to_template_string().map_or(value, Value::String)
        }
        ("number", Value::String(_)) => value.as_f64().map_or(value, Value::Number),
        ("bool", Value::String(_)) => value.as_bool().map_or(value, Value::Bool),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Expression {
        hcl_edit::parser::parse_expr(src).unwrap()
    }

    fn value(src: &str) -> Value {
        evaluate(&ty(src), &NoReferences)
    }

    #[test]
    fn optional_attributes_take_their_defaults() {
        let t = ty("map(object({ subnet = string, zones = optional(list(string), []), public = optional(bool, false), name = optional(string) }))");
        let v = conform(
            &t,
            value(r#"{ a = { subnet = "s" }, b = { subnet = "t", public = "true" } }"#),
        );
        assert_eq!(
            v,
            value(
                r#"{ a = { subnet = "s", zones = [], public = false, name = null }, b = { subnet = "t", zones = [], public = true, name = null } }"#
            )
        );
    }

    #[test]
    fn primitives_convert_and_unknowns_stay() {
        assert_eq!(conform(&ty("number"), value(r#""2""#)), Value::Number(2.0));
        assert_eq!(conform(&ty("string"), Value::Number(2.0)), Value::from("2"));
        assert_eq!(
            conform(&ty("object({a = string})"), Value::Unknown),
            Value::Unknown
        );
    }
}
