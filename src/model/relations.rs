//! Relations rules ask about many times, indexed once when the graph is built so that no
//! predicate walks a collection per subject (a hub zone has one link per spoke network).

use std::collections::HashSet;

use serde_json::Value;

use super::graph::{Graph, ResourceIndex};
use crate::eval::symbolic::is_unknown_text;

/// Pointer of the network a private DNS zone link (or any child naming one) points at.
const LINKED_NETWORK: &str = "/properties/virtualNetwork/id";

/// The indexed relations of a [`Graph`].
#[derive(Debug, Default)]
pub struct Relations {
    /// `(parent, network)`: a child of `parent` (a zone's link) names `network`.
    network_links: HashSet<(ResourceIndex, ResourceIndex)>,
    /// Parents with a child whose linked network is not known statically.
    unknown_network_links: HashSet<ResourceIndex>,
}

impl Relations {
    /// Indexes the relations of a graph whose ids, parents and children are indexed.
    pub fn build(graph: &Graph) -> Relations {
        let mut relations = Relations::default();
        for (i, resource) in graph.resources().iter().enumerate() {
            let Some(parent) = graph.parent(i) else {
                continue;
            };
            let Some(network) = resource
                .body
                .pointer(LINKED_NETWORK)
                .and_then(Value::as_str)
            else {
                continue;
            };
            if let Some(resolved) = graph.resolve(i, network) {
                relations.network_links.insert((parent, resolved));
            }
            if is_unknown_text(network) {
                relations.unknown_network_links.insert(parent);
            }
        }
        relations
    }

    /// Whether a child of `zone` (a virtual network link) names `network`, or names a
    /// network whose id is not fully known statically (which may be it).
    pub fn zone_linked_to(&self, zone: ResourceIndex, network: ResourceIndex) -> bool {
        self.network_links.contains(&(zone, network)) || self.unknown_network_links.contains(&zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::UNKNOWN_MARKER;
    use crate::model::Resource;
    use serde_json::json;

    #[test]
    fn zone_links_are_indexed_by_network_and_unknown_networks_may_be_any() {
        let rg = "/subscriptions/s/resourceGroups/rg/providers";
        let zone = |n: &str| format!("{rg}/Microsoft.Network/privateDnsZones/{n}");
        let vnet = |n: &str| format!("{rg}/Microsoft.Network/virtualNetworks/{n}");
        let link = |z: &str, n: &str, to: &str| {
            Resource::test(
                &format!("{}/virtualNetworkLinks/{n}", zone(z)),
                "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                json!({"properties": {"virtualNetwork": {"id": to}}}),
            )
        };
        let graph = Graph::new(vec![
            Resource::test(&zone("a"), "Microsoft.Network/privateDnsZones", json!({})),
            Resource::test(&zone("b"), "Microsoft.Network/privateDnsZones", json!({})),
            Resource::test(&vnet("one"), "Microsoft.Network/virtualNetworks", json!({})),
            Resource::test(&vnet("two"), "Microsoft.Network/virtualNetworks", json!({})),
            link("a", "l1", &vnet("one")),
            link("b", "l2", UNKNOWN_MARKER),
        ]);
        let relations = graph.relations();
        assert!(relations.zone_linked_to(0, 2));
        assert!(
            !relations.zone_linked_to(0, 3),
            "zone a is linked to one only"
        );
        assert!(!relations.zone_linked_to(2, 2), "a network links nothing");
        assert!(
            relations.zone_linked_to(1, 3),
            "an unknown network may be any"
        );
    }
}
