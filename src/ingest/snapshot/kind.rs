//! A live resource's type in canonical casing. Resource Graph prints types in lowercase
//! and some `az` commands print none: the known casing wins, then a `type` that agrees
//! with the id and is not all lowercase, then the id's own segments.

use crate::model::canonical_type;

/// The canonical type of a resource whose id reads as `id_kind` and whose export says
/// `declared` (if anything).
pub fn resolve(id_kind: &str, declared: Option<&str>) -> String {
    let known = canonical_type(id_kind);
    if known != id_kind {
        return known;
    }
    match declared {
        Some(d) if d.eq_ignore_ascii_case(id_kind) && d.chars().any(|c| c.is_ascii_uppercase()) => {
            d.to_owned()
        }
        _ => known,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_known_then_declared_then_id_casing() {
        assert_eq!(
            resolve("microsoft.network/networksecuritygroups", None),
            "Microsoft.Network/networkSecurityGroups"
        );
        assert_eq!(
            resolve(
                "microsoft.contoso/widgets",
                Some("Microsoft.Contoso/widgets")
            ),
            "Microsoft.Contoso/widgets"
        );
        assert_eq!(
            resolve(
                "Microsoft.Contoso/widgets",
                Some("microsoft.contoso/widgets")
            ),
            "Microsoft.Contoso/widgets"
        );
        assert_eq!(
            resolve("Microsoft.Contoso/widgets", Some("Microsoft.Other/things")),
            "Microsoft.Contoso/widgets"
        );
    }
}
