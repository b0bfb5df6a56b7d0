//! `azapi_resource` and `azapi_update_resource`: already ARM-shaped (`type` with an
//! api-version, `body`, `parent_id`), so they join the model without a mapping table.

use serde_json::{json, Value as Json};

use super::instance::Instance;
use super::mapping::{Builder, Mapped, Patch};
use crate::eval::value::{Value, UNKNOWN_MARKER};
use crate::model::defaults::fill_defaults;
use crate::model::id;
use crate::model::pointer::push_token;

/// Maps an azapi instance; `None` for other types.
pub fn map(inst: &Instance) -> Option<Mapped> {
    match inst.kind.as_str() {
        "azapi_resource" => Some(resource(inst)),
        "azapi_update_resource" => Some(update(inst)),
        _ => None,
    }
}

fn text(inst: &Instance, attr: &str) -> Option<String> {
    inst.get(attr).and_then(Value::as_str).map(str::to_owned)
}

/// The ARM type without its `@api-version`.
fn kind(inst: &Instance) -> Option<String> {
    let full = text(inst, "type")?;
    let kind = full.split('@').next().unwrap_or_default().trim();
    (kind.matches('/').count() >= 1).then(|| crate::model::canonical_type(kind))
}

/// `body` as a value: an HCL object, or the JSON string `jsonencode` made.
fn body(inst: &Instance) -> Value {
    match inst.get("body") {
        Some(Value::String(s)) => {
            serde_json::from_str::<Json>(s).map_or(Value::Unknown, |j| Value::from_json(&j))
        }
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

/// The id of a resource of `kind` named `name` under `parent_id` (a subscription,
/// resource group or parent resource), and its full name (`parent/child` for children).
fn child_id(parent_id: Option<&str>, kind: &str, name: &str) -> (String, String) {
    let segments = kind.split('/').count();
    let Some(parent) = parent_id.map(|p| p.trim_end_matches('/')) else {
        let full = if segments > 2 {
            format!("{UNKNOWN_MARKER}/{name}")
        } else {
            name.to_owned()
        };
        let rid = id::build(id::PLACEHOLDER_SUBSCRIPTION, UNKNOWN_MARKER, kind, &full);
        return (rid, full);
    };
    if kind.eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") {
        return (format!("{parent}/resourceGroups/{name}"), name.to_owned());
    }
    match id::parse(parent) {
        Some(p)
            if segments > 2
                && kind
                    .to_ascii_lowercase()
                    .starts_with(&format!("{}/", p.kind.to_ascii_lowercase())) =>
        {
            let last = kind.rsplit('/').next().unwrap_or_default();
            (
                format!("{parent}/{last}/{name}"),
                format!("{}/{name}", p.name),
            )
        }
        _ => (
            format!("{parent}/providers/{}", id::interleave(kind, name)),
            name.to_owned(),
        ),
    }
}

/// Copies the spans of `body.…` attributes to the pointers they produced.
fn body_spans(inst: &Instance) -> Vec<(String, crate::model::Span)> {
    inst.spans
        .iter()
        .filter_map(|(path, span)| {
            let rest = path.strip_prefix("body.")?;
            Some((format!("/{}", rest.replace('.', "/")), *span))
        })
        .collect()
}

/// `azapi_resource`.
fn resource(inst: &Instance) -> Mapped {
    let Some(kind) = kind(inst) else {
        return Mapped {
            id: Value::Unknown,
            ..Mapped::default()
        };
    };
    let name = text(inst, "name").unwrap_or_else(|| inst.address.clone());
    let (resource_id, full_name) = child_id(text(inst, "parent_id").as_deref(), &kind, &name);
    let mut b = Builder::new(inst);
    let body_span = inst.span("body");
    match body(inst) {
        Value::Object(map) => {
            for (key, value) in map {
                let span = inst.span(&format!("body.{key}"));
                b.set(&format!("/{key}"), value.to_json(), span);
            }
        }
        v if v.is_unknown() || v.is_symbolic() => {
            b.set("/properties", json!(UNKNOWN_MARKER), body_span);
        }
        _ => {}
    }
    for (pointer, span) in body_spans(inst) {
        b.set_span(&pointer, span);
    }
    b.common();
    identity(&mut b, inst);
    let mut resource = b.finish(&kind, &full_name, resource_id.clone());
    // The body is ARM's, so what it omits is what ARM omits: the platform defaults apply,
    // as they do to ARM templates and snapshots (azurerm mappings fill the provider's own).
    fill_defaults(&mut resource);
    Mapped {
        id: Value::String(resource_id),
        resources: vec![resource],
        patches: Vec::new(),
    }
}

/// `identity { type, identity_ids }` → ARM's `identity`.
fn identity(b: &mut Builder<'_>, inst: &Instance) {
    if inst.block_count("identity") == 0 {
        return;
    }
    b.attr(&["identity.0.type"], "/identity/type", |v| v.to_json());
    if let Some(ids) = inst.get("identity.0.identity_ids") {
        let value = match ids.as_list() {
            Some(items) => Json::Object(
                items
                    .iter()
                    .map(|i| {
                        (
                            i.to_template_string()
                                .unwrap_or_else(|| UNKNOWN_MARKER.into()),
                            json!({}),
                        )
                    })
                    .collect(),
            ),
            None => json!(UNKNOWN_MARKER),
        };
        b.set(
            "/identity/userAssignedIdentities",
            value,
            inst.span("identity.0.identity_ids"),
        );
    }
}

/// `azapi_update_resource`: its body's properties patch the resource at `resource_id`
/// (or `parent_id` + `type` + `name`), property by property.
fn update(inst: &Instance) -> Mapped {
    let target = text(inst, "resource_id").or_else(|| {
        let kind = kind(inst)?;
        let name = text(inst, "name")?;
        Some(child_id(text(inst, "parent_id").as_deref(), &kind, &name).0)
    });
    let Some(target) = target else {
        return Mapped {
            id: Value::Unknown,
            ..Mapped::default()
        };
    };
    let spans = body_spans(inst);
    let mut patches = Vec::new();
    let mut leaves = Vec::new();
    collect_leaves(&body(inst).to_json(), &mut String::new(), &mut leaves);
    for (pointer, value) in leaves {
        let span = spans
            .iter()
            .filter(|(p, _)| pointer.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map_or_else(|| inst.span("body"), |(_, s)| *s);
        let spans = vec![(pointer.clone(), span)];
        patches.push(Patch {
            target: target.clone(),
            provenance: inst.provenance(spans.iter().map(|(p, s)| (p, s))),
            spans,
            pointer,
            value,
        });
    }
    Mapped {
        id: Value::String(target),
        resources: Vec::new(),
        patches,
    }
}

/// Every scalar or array in an object, with its JSON pointer.
fn collect_leaves(value: &Json, pointer: &mut String, out: &mut Vec<(String, Json)>) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            for (key, v) in map {
                let len = pointer.len();
                push_token(pointer, key);
                collect_leaves(v, pointer, out);
                pointer.truncate(len);
            }
        }
        _ if pointer.is_empty() => {}
        other => out.push((pointer.clone(), other.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{load, LoadOptions};

    #[test]
    fn omitted_properties_take_the_platform_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("main.tf"),
            r#"
resource "azapi_resource" "pg" {
  type      = "Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview"
  name      = "psql"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  body      = jsonencode({ properties = { version = "16" } })
}

resource "azapi_resource" "kv" {
  type      = "Microsoft.KeyVault/vaults@2023-07-01"
  name      = "kv"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  body      = { properties = { publicNetworkAccess = "Disabled" } }
}

resource "azapi_resource" "sql" {
  type      = "Microsoft.Sql/servers@2023-05-01-preview"
  name      = "sql"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  body      = { properties = var.unknown }
}

variable "unknown" {}
"#,
        )
        .expect("write main.tf");
        let loaded = load(&LoadOptions {
            paths: vec![dir.path().to_path_buf()],
            ..LoadOptions::default()
        });
        let body = |kind: &str| {
            let r = loaded.graph.resources().iter().find(|r| r.is(kind));
            r.expect(kind).body.json()
        };
        let pg = body("Microsoft.DBforPostgreSQL/flexibleServers");
        assert_eq!(
            pg["properties"]["network"]["publicNetworkAccess"],
            "Enabled"
        );
        assert_eq!(pg["properties"]["version"], "16");
        let kv = body("Microsoft.KeyVault/vaults");
        assert_eq!(kv["properties"]["publicNetworkAccess"], "Disabled");
        assert_eq!(kv["properties"]["networkAcls"]["defaultAction"], "Allow");
        let sql = body("Microsoft.Sql/servers");
        assert!(sql["properties"]
            .as_str()
            .is_some_and(crate::eval::symbolic::is_unknown_text));
    }

    #[test]
    fn ids_follow_the_parent() {
        let rg = "/subscriptions/s/resourceGroups/rg";
        assert_eq!(
            child_id(Some(rg), "Microsoft.ContainerRegistry/registries", "cr"),
            (
                format!("{rg}/providers/Microsoft.ContainerRegistry/registries/cr"),
                "cr".into()
            )
        );
        let vnet = format!("{rg}/providers/Microsoft.Network/virtualNetworks/v");
        assert_eq!(
            child_id(
                Some(&vnet),
                "Microsoft.Network/virtualNetworks/subnets",
                "s"
            ),
            (format!("{vnet}/subnets/s"), "v/s".into())
        );
        assert_eq!(
            child_id(
                Some("/subscriptions/s"),
                "Microsoft.Resources/resourceGroups",
                "rg"
            ),
            (rg.to_owned(), "rg".into())
        );
    }
}
