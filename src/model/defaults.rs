//! Platform defaults for properties moat's rules read, filled in when a source that is
//! already ARM-shaped (templates, exports) omits them: an omitted `publicNetworkAccess`
//! *is* public. The values agree with the Terraform mapping's provider defaults.

use serde_json::{Map, Value as Json};

use super::Resource;

/// One default: for resources of `kind`, `pointer` is `value` when omitted, or
/// `value_if_set` when the property at `unless_set` holds a value.
struct PlatformDefault {
    kind: &'static str,
    pointer: &'static str,
    value: &'static str,
    unless_set: Option<(&'static str, &'static str)>,
}

const fn default(
    kind: &'static str,
    pointer: &'static str,
    value: &'static str,
) -> PlatformDefault {
    PlatformDefault {
        kind,
        pointer,
        value,
        unless_set: None,
    }
}

/// The table of defaults.
const DEFAULTS: &[PlatformDefault] = &[
    default(
        "Microsoft.Storage/storageAccounts",
        "/properties/publicNetworkAccess",
        "Enabled",
    ),
    default(
        "Microsoft.Storage/storageAccounts",
        "/properties/networkAcls/defaultAction",
        "Allow",
    ),
    default(
        "Microsoft.KeyVault/vaults",
        "/properties/publicNetworkAccess",
        "Enabled",
    ),
    default(
        "Microsoft.KeyVault/vaults",
        "/properties/networkAcls/defaultAction",
        "Allow",
    ),
    default(
        "Microsoft.ContainerRegistry/registries",
        "/properties/publicNetworkAccess",
        "Enabled",
    ),
    default(
        "Microsoft.ContainerRegistry/registries",
        "/properties/networkRuleSet/defaultAction",
        "Allow",
    ),
    default(
        "Microsoft.MachineLearningServices/workspaces",
        "/properties/publicNetworkAccess",
        "Enabled",
    ),
    default(
        "Microsoft.Sql/servers",
        "/properties/publicNetworkAccess",
        "Enabled",
    ),
    // A flexible server in a delegated subnet (VNet integration) has no public endpoint.
    PlatformDefault {
        kind: "Microsoft.DBforPostgreSQL/flexibleServers",
        pointer: "/properties/network/publicNetworkAccess",
        value: "Enabled",
        unless_set: Some(("/properties/network/delegatedSubnetResourceId", "Disabled")),
    },
];

/// Fills the platform default of every property moat's rules read that `resource`'s body
/// omits; a filled property gets the declaration's span. Present values (unknown ones
/// too) are left alone, and so is a body whose containers are not objects.
pub fn fill_defaults(resource: &mut Resource) {
    for d in DEFAULTS {
        if !resource.is(d.kind) {
            continue;
        }
        if resource.body.pointer(d.pointer).is_some() {
            continue;
        }
        let value = match d.unless_set {
            Some((other, value)) if resource.body.pointer(other).is_some_and(is_set) => value,
            _ => d.value,
        };
        if insert(&mut resource.body, d.pointer, Json::from(value)) {
            resource
                .spans
                .insert(d.pointer.to_owned(), resource.origin.span);
        }
    }
}

fn is_set(value: &Json) -> bool {
    !(value.is_null() || value.as_str().is_some_and(str::is_empty))
}

/// Sets `pointer` (plain object keys) to `value`, creating missing objects; `false` when
/// a container on the way is not an object.
fn insert(body: &mut Json, pointer: &str, value: Json) -> bool {
    let mut parts = pointer.split('/').skip(1).peekable();
    let mut target = body;
    while let Some(key) = parts.next() {
        let Json::Object(map) = target else {
            return false;
        };
        if parts.peek().is_none() {
            map.insert(key.to_owned(), value);
            return true;
        }
        target = map
            .entry(key.to_owned())
            .or_insert_with(|| Json::Object(Map::new()));
    }
    false
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{FileId, Origin, SourceFormat, Span};

    fn resource(kind: &str, body: Json) -> Resource {
        Resource {
            id: String::new(),
            kind: kind.into(),
            name: "n".into(),
            body,
            origin: Origin {
                format: SourceFormat::Arm,
                address: "resources[0]".into(),
                span: Span::new(FileId(0), 3..9),
            },
            spans: Default::default(),
        }
    }

    #[test]
    fn fills_what_is_omitted_and_keeps_what_is_set() {
        let mut r = resource(
            "Microsoft.Storage/storageAccounts",
            json!({"properties": {"publicNetworkAccess": "Disabled"}}),
        );
        fill_defaults(&mut r);
        assert_eq!(
            r.body["properties"],
            json!({"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Allow"}})
        );
        assert_eq!(
            r.spans["/properties/networkAcls/defaultAction"],
            r.origin.span
        );
        assert!(!r.spans.contains_key("/properties/publicNetworkAccess"));
    }

    #[test]
    fn postgres_in_a_delegated_subnet_is_private_and_odd_bodies_are_left_alone() {
        let mut r = resource(
            "Microsoft.DBforPostgreSQL/flexibleServers",
            json!({"properties": {"network": {"delegatedSubnetResourceId": "/s"}}}),
        );
        fill_defaults(&mut r);
        assert_eq!(
            r.body.pointer("/properties/network/publicNetworkAccess"),
            Some(&json!("Disabled"))
        );
        let mut r = resource("Microsoft.Sql/servers", json!({"properties": "(unknown)"}));
        fill_defaults(&mut r);
        assert_eq!(r.body, json!({"properties": "(unknown)"}));
    }
}
