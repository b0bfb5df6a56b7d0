//! ARM resource ids: building them, and reading type, name and parent back out.

/// The subscription moat assumes when a source does not say (Terraform, ARM templates).
pub const PLACEHOLDER_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// The resource group moat assumes when a template deployed to a resource group does not
/// say which (`resourceGroup().name` in an ARM template).
pub const PLACEHOLDER_RESOURCE_GROUP: &str = "moat-resource-group";

/// Builds an ARM id for a resource group-scoped resource.
///
/// `kind` is the full type (`Microsoft.Network/virtualNetworks/subnets`) and `name` the
/// full name with `/` between parent and child names (`vnet/snet`).
pub fn build(subscription: &str, resource_group: &str, kind: &str, name: &str) -> String {
    let mut id = format!("/subscriptions/{subscription}");
    if kind.eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") {
        id.push_str("/resourceGroups/");
        id.push_str(name);
        return id;
    }
    if !resource_group.is_empty() {
        id.push_str("/resourceGroups/");
        id.push_str(resource_group);
    }
    id.push_str("/providers/");
    id.push_str(&interleave(kind, name));
    id
}

/// `Microsoft.Network/virtualNetworks/subnets` + `vnet/snet` →
/// `Microsoft.Network/virtualNetworks/vnet/subnets/snet`.
///
/// The id stays well-formed when the name is not known statically (a child named by its
/// address alone): missing parent names and empty segments become unknowns with identity
/// (`{parent of resources[2]}`), never empty segments.
pub fn interleave(kind: &str, name: &str) -> String {
    let mut types = kind.split('/');
    let namespace = types.next().unwrap_or_default();
    let mut out = namespace.to_owned();
    let slots = kind.split('/').count().saturating_sub(1);
    let given: Vec<&str> = name.split('/').collect();
    let missing = slots.saturating_sub(given.len());
    let mut names = (0..missing)
        .map(|k| {
            let ancestor = "parent of ".repeat(missing - k);
            crate::eval::symbolic::marker(&format!("{ancestor}{name}"))
        })
        .chain(given.iter().map(|n| {
            if n.is_empty() {
                crate::eval::symbolic::marker(&format!("a name in {name}"))
            } else {
                (*n).to_owned()
            }
        }));
    for t in types {
        out.push('/');
        out.push_str(t);
        out.push('/');
        out.push_str(&names.next().unwrap_or_default());
    }
    out
}

/// The parts of an ARM id after its last `/providers/`.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedId {
    /// Full type, e.g. `Microsoft.Network/networkSecurityGroups/securityRules`.
    pub kind: String,
    /// Full name, e.g. `nsg/rule1`.
    pub name: String,
}

/// Reads type and name from an ARM id; `None` if it is not one.
pub fn parse(id: &str) -> Option<ParsedId> {
    if let Some(pos) = last_providers(id) {
        let rest = &id[pos + "/providers/".len()..];
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        if segments.len() < 3 || segments.len().is_multiple_of(2) {
            return None;
        }
        let mut kind = segments[0].to_owned();
        let mut names = Vec::new();
        for pair in segments[1..].chunks(2) {
            kind.push('/');
            kind.push_str(pair[0]);
            names.push(pair[1]);
        }
        return Some(ParsedId {
            kind,
            name: names.join("/"),
        });
    }
    let segments: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [s, _, rg, name]
            if s.eq_ignore_ascii_case("subscriptions")
                && rg.eq_ignore_ascii_case("resourceGroups") =>
        {
            Some(ParsedId {
                kind: "Microsoft.Resources/resourceGroups".to_owned(),
                name: (*name).to_owned(),
            })
        }
        _ => None,
    }
}

/// Whether a string looks like an ARM resource id.
pub fn looks_like_id(s: &str) -> bool {
    s.get(..14)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("/subscriptions"))
}

/// The byte position of the last `/providers/` in an id, in any case.
fn last_providers(id: &str) -> Option<usize> {
    const PROVIDERS: &[u8] = b"/providers/";
    id.rmatch_indices('/').map(|(i, _)| i).find(|&i| {
        id.as_bytes()[i..]
            .get(..PROVIDERS.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(PROVIDERS))
    })
}

/// The id of the parent of a child resource (`…/subnets/snet` → the VNet), if it has one.
pub fn parent(id: &str) -> Option<&str> {
    let pos = last_providers(id)?;
    let rest = &id[pos + "/providers/".len()..];
    if rest.split('/').filter(|s| !s.is_empty()).count() <= 3 {
        return None;
    }
    let cut = id.trim_end_matches('/').rmatch_indices('/').nth(1)?.0;
    Some(&id[..cut])
}

/// The resource group an id is in, if it names one.
pub fn resource_group(id: &str) -> Option<&str> {
    let mut segments = id.split('/').filter(|s| !s.is_empty());
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case("resourceGroups") {
            return segments.next();
        }
    }
    None
}

/// Whether an id names one resource whatever else is scanned: a literal subscription GUID
/// that is not the placeholder, a resource group that is not the placeholder, and no
/// unknown part (symbolic `U+E000` or the `(unknown)` marker). Only such ids relate
/// resources of different deployment units.
pub fn is_fully_known(id: &str) -> bool {
    if id.contains('\u{E000}') || id.contains(crate::eval::value::UNKNOWN_MARKER) {
        return false;
    }
    let mut segments = id.split('/');
    let (Some(""), Some(s), Some(subscription)) =
        (segments.next(), segments.next(), segments.next())
    else {
        return false;
    };
    s.eq_ignore_ascii_case("subscriptions")
        && is_guid(subscription)
        && subscription != PLACEHOLDER_SUBSCRIPTION
        && resource_group(id).is_some_and(|rg| !rg.is_empty() && rg != PLACEHOLDER_RESOURCE_GROUP)
        && !id
            .trim_end_matches('/')
            .split('/')
            .skip(1)
            .any(str::is_empty)
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The last segment of an id: the resource's own name.
pub fn last_name(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

/// The scope-independent key of an id: lowercase, from the last `/providers/` on.
///
/// Sources disagree on subscription and resource group (a Terraform reference to a
/// resource group that is a data source, a placeholder subscription), never on this part.
pub fn provider_key(id: &str) -> Option<String> {
    provider_part(id).map(str::to_ascii_lowercase)
}

/// [`provider_key`] as written (not lowercased), borrowed from the id: compare it without
/// case.
pub fn provider_part(id: &str) -> Option<&str> {
    Some(id[last_providers(id)?..].trim_end_matches('/'))
}

/// Whether an id is under the placeholder subscription (`/subscriptions/{placeholder}/…`).
pub fn has_placeholder_subscription(id: &str) -> bool {
    let prefix = "/subscriptions/";
    id.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        && id[prefix.len()..]
            .strip_prefix(PLACEHOLDER_SUBSCRIPTION)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBNET: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet";

    #[test]
    fn ids_of_children_with_unknown_names_have_no_empty_segment() {
        let id = interleave(
            "Microsoft.Compute/virtualMachines/extensions",
            "resources[2]",
        );
        assert!(!id.contains("//") && !id.ends_with('/'), "{id}");
        assert_eq!(
            crate::eval::symbolic::display(&id),
            "Microsoft.Compute/virtualMachines/{parent of resources[2]}/extensions/resources[2]"
        );
        let id = interleave("Microsoft.Network/virtualNetworks/subnets", "vnet/");
        assert!(!id.ends_with('/'), "{id}");
    }

    #[test]
    fn builds_child_ids() {
        assert_eq!(
            build(
                "s",
                "rg",
                "Microsoft.Network/virtualNetworks/subnets",
                "vnet/snet"
            ),
            SUBNET
        );
        assert_eq!(
            build("s", "rg", "Microsoft.Resources/resourceGroups", "rg"),
            "/subscriptions/s/resourceGroups/rg"
        );
    }

    #[test]
    fn parses_type_name_and_parent() {
        let parsed = parse(SUBNET).unwrap();
        assert_eq!(parsed.kind, "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(parsed.name, "vnet/snet");
        assert_eq!(
            parent(SUBNET),
            Some("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet")
        );
        assert_eq!(parent(parent(SUBNET).unwrap()), None);
        assert_eq!(resource_group(SUBNET), Some("rg"));
        assert_eq!(resource_group("/subscriptions/s"), None);
        assert_eq!(
            parse("/subscriptions/s/resourceGroups/rg").unwrap().kind,
            "Microsoft.Resources/resourceGroups"
        );
        assert_eq!(parse("not an id"), None);
        assert_eq!(parse("/subscriptions/s/providers/X/y"), None);
    }

    #[test]
    fn fully_known_ids_have_a_real_subscription_and_group() {
        let known = "/subscriptions/1f2e3d4c-0000-4000-8000-123456789abc/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net";
        assert!(is_fully_known(known));
        assert!(!is_fully_known(SUBNET));
        assert!(!is_fully_known(&known.replace(
            "1f2e3d4c-0000-4000-8000-123456789abc",
            PLACEHOLDER_SUBSCRIPTION
        )));
        assert!(!is_fully_known(
            &known.replace("rg-hub", PLACEHOLDER_RESOURCE_GROUP)
        ));
        assert!(!is_fully_known(&known.replace("rg-hub", "(unknown)")));
        assert!(!is_fully_known(
            &known.replace("rg-hub", "\u{E000}var.rg\u{E001}")
        ));
        assert!(!is_fully_known(
            "/subscriptions/1f2e3d4c-0000-4000-8000-123456789abc/providers/X/y/z"
        ));
        assert!(!is_fully_known(&format!("{known}//x")));
    }

    #[test]
    fn provider_part_is_the_key_as_written() {
        assert_eq!(
            provider_part("/subscriptions/s/resourceGroups/rg/PROVIDERS/X.Y/z/n/"),
            Some("/PROVIDERS/X.Y/z/n")
        );
        assert_eq!(provider_part("/subscriptions/s/resourceGroups/rg"), None);
        assert_eq!(
            provider_part("/subscriptions/s/providers/A.B/c/n/Providers/X.Y/z/m"),
            Some("/Providers/X.Y/z/m"),
            "the last one"
        );
        assert_eq!(provider_part("/providers"), None);
        assert!(has_placeholder_subscription(&format!(
            "/Subscriptions/{PLACEHOLDER_SUBSCRIPTION}/resourceGroups/rg"
        )));
        assert!(!has_placeholder_subscription(&format!(
            "/subscriptions/{PLACEHOLDER_SUBSCRIPTION}0/resourceGroups/rg"
        )));
        assert!(!has_placeholder_subscription("/subscriptions/é"));
    }

    #[test]
    fn provider_key_ignores_scope_and_case() {
        assert_eq!(
            provider_key(SUBNET),
            provider_key("/subscriptions/other/resourceGroups/RG2/providers/microsoft.network/virtualnetworks/VNET/subnets/snet")
        );
        assert!(looks_like_id(SUBNET));
        assert!(!looks_like_id("/tmp/x"));
    }
}
