//! Resource ID functions: resourceId, subscriptionResourceId, tenantResourceId,
//! extensionResourceId, managementGroupResourceId.
//!
//! The resource type is the first argument holding a `/`; the arguments before it are the
//! optional scope (`subscriptionId`, `resourceGroupName`), and the names after it must supply
//! one segment per type segment after the namespace (`Microsoft.Network/virtualNetworks/subnets`
//! takes two names; a name may also carry several segments as `vnet/subnet`).

use super::{fail, str_arg, Context, EvalError};
use crate::eval::value::Value;

/// A scope value taken from the context.
enum Scope {
    Known(String),
    Unknown,
    Absent,
}

/// Calls resource ID function `name`, or `None` if it is not one.
pub(super) fn call(
    name: &str,
    args: &[Value],
    ctx: &dyn Context,
) -> Option<Result<Value, EvalError>> {
    Some(match name {
        "resourceid" => resource_id(name, args, ctx),
        "subscriptionresourceid" => subscription_resource_id(name, args, ctx),
        "tenantresourceid" => typed_path(name, args, 0, 0)
            .map(|(_, path)| Value::String(format!("/providers/{path}"))),
        "extensionresourceid" => extension_resource_id(name, args),
        "managementgroupresourceid" => management_group_resource_id(name, args, ctx),
        _ => return None,
    })
}

fn resource_id(name: &str, args: &[Value], ctx: &dyn Context) -> Result<Value, EvalError> {
    let (prefix, path) = typed_path(name, args, 0, 2)?;
    let subscription = match prefix.as_slice() {
        [subscription, _] => Scope::Known((*subscription).to_owned()),
        _ => subscription_id(ctx),
    };
    let group = match prefix.last() {
        Some(group) => Scope::Known((*group).to_owned()),
        None => scope_field(ctx.resource_group(), "name"),
    };
    Ok(match (subscription, group) {
        (Scope::Known(s), Scope::Known(g)) => Value::String(format!(
            "/subscriptions/{s}/resourceGroups/{g}/providers/{path}"
        )),
        (Scope::Known(s), Scope::Absent) => {
            Value::String(format!("/subscriptions/{s}/providers/{path}"))
        }
        (Scope::Absent, _) => return fail(name, "no subscription to resolve the ID in"),
        _ => Value::Unknown,
    })
}

fn subscription_resource_id(
    name: &str,
    args: &[Value],
    ctx: &dyn Context,
) -> Result<Value, EvalError> {
    let (prefix, path) = typed_path(name, args, 0, 1)?;
    let subscription = match prefix.first() {
        Some(s) => Scope::Known((*s).to_owned()),
        None => subscription_id(ctx),
    };
    Ok(match subscription {
        Scope::Known(s) => Value::String(format!("/subscriptions/{s}/providers/{path}")),
        Scope::Unknown => Value::Unknown,
        Scope::Absent => return fail(name, "no subscription to resolve the ID in"),
    })
}

fn extension_resource_id(name: &str, args: &[Value]) -> Result<Value, EvalError> {
    let base = str_arg(name, args, 0)?;
    let (_, path) = typed_path(name, &args[1..], 0, 0)?;
    Ok(Value::String(format!(
        "{}/providers/{path}",
        base.trim_end_matches('/')
    )))
}

fn management_group_resource_id(
    name: &str,
    args: &[Value],
    ctx: &dyn Context,
) -> Result<Value, EvalError> {
    let (prefix, path) = typed_path(name, args, 0, 1)?;
    let group = match prefix.first() {
        Some(g) => Scope::Known((*g).to_owned()),
        None => scope_field(ctx.management_group(), "name"),
    };
    Ok(match group {
        Scope::Known(g) => Value::String(format!(
            "/providers/Microsoft.Management/managementGroups/{g}/providers/{path}"
        )),
        Scope::Unknown => Value::Unknown,
        Scope::Absent => return fail(name, "no management group to resolve the ID in"),
    })
}

/// Splits `args` into the scope arguments before the resource type (between `min_prefix` and
/// `max_prefix` of them) and the `Namespace/type1/name1/type2/name2` path.
fn typed_path<'a>(
    name: &str,
    args: &'a [Value],
    min_prefix: usize,
    max_prefix: usize,
) -> Result<(Vec<&'a str>, String), EvalError> {
    let strings = args
        .iter()
        .map(Value::as_str)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| EvalError::new(format!("{name}(): expects string arguments")))?;
    let Some(at) = strings
        .iter()
        .take(max_prefix + 1)
        .position(|s| s.contains('/'))
    else {
        return fail(
            name,
            "expects a resource type such as 'Microsoft.Storage/storageAccounts'",
        );
    };
    if at < min_prefix {
        return fail(name, "missing scope arguments");
    }
    let mut types = strings[at].trim_matches('/').split('/');
    let namespace = types.next().unwrap_or_default();
    let types: Vec<&str> = types.collect();
    let names: Vec<&str> = strings[at + 1..]
        .iter()
        .flat_map(|n| n.split('/'))
        .collect();
    if names.len() != types.len() {
        return fail(
            name,
            &format!(
                "resource type '{}' needs {} resource name(s), got {}",
                strings[at],
                types.len(),
                names.len()
            ),
        );
    }
    let mut path = namespace.to_owned();
    for (t, n) in types.iter().zip(&names) {
        path.push('/');
        path.push_str(t);
        path.push('/');
        path.push_str(n);
    }
    Ok((strings[..at].to_vec(), path))
}

fn subscription_id(ctx: &dyn Context) -> Scope {
    scope_field(ctx.subscription(), "subscriptionId")
}

/// A string field of a scope object from the context (`resourceGroup().name`).
fn scope_field(scope: Value, field: &str) -> Scope {
    match scope {
        Value::Unknown => Scope::Unknown,
        Value::Object(map) => match super::get_ci(&map, field) {
            Some(Value::String(s)) => Scope::Known(s.clone()),
            Some(Value::Unknown) => Scope::Unknown,
            _ => Scope::Absent,
        },
        _ => Scope::Absent,
    }
}
