//! Relations rules ask about many times, indexed once when the graph is built so that no
//! predicate walks a collection per subject (a hub zone has one link per spoke network).

use std::collections::{HashMap, HashSet};

use foldhash::fast::FixedState;
use serde_json::Value;

use super::graph::{Graph, ResourceIndex};
use super::id;
use super::unit::UnitId;
use crate::eval::symbolic::is_unknown_text;

/// Pointer of the network a private DNS zone link (or any child naming one) points at.
const LINKED_NETWORK: &str = "/properties/virtualNetwork/id";
/// Pointer of the remote network a virtual network peering names.
const REMOTE_NETWORK: &str = "/properties/remoteVirtualNetwork/id";
/// The type of a virtual network peering (a child of its local network).
const PEERING: &str = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";
/// The type of a VPN or ExpressRoute gateway.
const GATEWAY: &str = "Microsoft.Network/virtualNetworkGateways";

/// The indexed relations of a [`Graph`]: resource indices and unit ids only, one entry
/// per relation (most resources have none), hashed with foldhash.
#[derive(Debug, Default)]
pub struct Relations {
    /// `(parent, network)`: a child of `parent` (a zone's link) names `network`.
    network_links: HashSet<(u32, u32), FixedState>,
    /// Parents with a child whose linked network is not known statically.
    unknown_network_links: HashSet<u32, FixedState>,
    /// Network → the networks peered with it, whichever side declares the peering.
    peers: HashMap<u32, Vec<ResourceIndex>, FixedState>,
    /// Networks with a peering whose remote network is not known statically.
    unknown_peers: HashSet<u32, FixedState>,
    /// Deployment unit → the networks whose `GatewaySubnet` holds a VPN/ExpressRoute gateway.
    gateway_networks: HashMap<UnitId, Vec<ResourceIndex>, FixedState>,
    /// Units with a gateway whose subnet or network is not known statically.
    unknown_gateway_networks: HashSet<UnitId, FixedState>,
}

/// A resource index as the relations key it (graphs hold fewer than 2³² resources).
fn key(index: ResourceIndex) -> u32 {
    u32::try_from(index).expect("fewer than 2^32 resources")
}

impl Relations {
    /// Indexes the relations of a graph whose ids, parents and children are indexed.
    pub fn build(graph: &Graph) -> Relations {
        let mut relations = Relations::default();
        for (i, resource) in graph.resources().iter().enumerate() {
            if resource.is(GATEWAY) {
                relations.index_gateway(graph, i);
                continue;
            }
            let Some(parent) = graph.parent(i) else {
                continue;
            };
            if resource.is(PEERING) {
                relations.index_peering(graph, i, parent);
                continue;
            }
            let json = resource.body.json();
            let Some(network) = json.pointer(LINKED_NETWORK).and_then(Value::as_str) else {
                continue;
            };
            if let Some(resolved) = graph.resolve(i, network) {
                relations.network_links.insert((key(parent), key(resolved)));
            }
            if is_unknown_text(network) {
                relations.unknown_network_links.insert(key(parent));
            }
        }
        relations
    }

    fn index_peering(&mut self, graph: &Graph, peering: ResourceIndex, local: ResourceIndex) {
        let json = graph.get(peering).body.json();
        let remote = json.pointer(REMOTE_NETWORK).and_then(Value::as_str);
        match remote.and_then(|r| graph.resolve(peering, r)) {
            Some(remote) if remote != local => {
                self.peers.entry(key(local)).or_default().push(remote);
                self.peers.entry(key(remote)).or_default().push(local);
            }
            Some(_) => {}
            None if remote.is_some_and(is_unknown_text) => {
                self.unknown_peers.insert(key(local));
            }
            None => {}
        }
    }

    /// Indexes the networks whose `GatewaySubnet` a gateway's ip configurations name.
    fn index_gateway(&mut self, graph: &Graph, gateway: ResourceIndex) {
        let unit = graph.get(gateway).unit;
        let json = graph.get(gateway).body.json();
        let configs = json.pointer("/properties/ipConfigurations");
        let subnets: Vec<Option<&str>> = match configs {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|c| c.pointer("/properties/subnet/id"))
                .map(Value::as_str)
                .collect(),
            Some(Value::String(s)) if is_unknown_text(s) => vec![None],
            _ => Vec::new(),
        };
        for subnet in subnets {
            let network = match subnet {
                Some(s) if !is_unknown_text(s) => {
                    if !id::last_name(s).eq_ignore_ascii_case("GatewaySubnet") {
                        continue;
                    }
                    id::parent(s).and_then(|v| graph.resolve(gateway, v))
                }
                _ => None,
            };
            match network {
                Some(vnet) => self.gateway_networks.entry(unit).or_default().push(vnet),
                None => {
                    self.unknown_gateway_networks.insert(unit);
                }
            }
        }
    }

    /// The networks of a unit that hold a VPN or ExpressRoute gateway (in their
    /// `GatewaySubnet`), and whether some gateway's network is not known statically.
    pub fn gateway_networks(&self, unit: UnitId) -> (&[ResourceIndex], bool) {
        (
            self.gateway_networks.get(&unit).map_or(&[], Vec::as_slice),
            self.unknown_gateway_networks.contains(&unit),
        )
    }

    /// The networks peered with `network` (either side declaring the peering), and whether
    /// it has a peering whose remote network is not known statically.
    pub fn peered_networks(&self, network: ResourceIndex) -> (&[ResourceIndex], bool) {
        (
            self.peers.get(&key(network)).map_or(&[], Vec::as_slice),
            self.unknown_peers.contains(&key(network)),
        )
    }

    /// Whether a child of `zone` (a virtual network link) names `network`, or names a
    /// network whose id is not fully known statically (which may be it).
    pub fn zone_linked_to(&self, zone: ResourceIndex, network: ResourceIndex) -> bool {
        self.network_links.contains(&(key(zone), key(network)))
            || self.unknown_network_links.contains(&key(zone))
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

    #[test]
    fn peerings_are_indexed_both_ways() {
        let rg = "/subscriptions/s/resourceGroups/rg/providers";
        let vnet = |n: &str| format!("{rg}/Microsoft.Network/virtualNetworks/{n}");
        let peering = |from: &str, to: &str| {
            Resource::test(
                &format!("{}/virtualNetworkPeerings/to-{to}", vnet(from)),
                PEERING,
                json!({"properties": {"remoteVirtualNetwork": {"id": vnet(to)}}}),
            )
        };
        let graph = Graph::new(vec![
            Resource::test(&vnet("hub"), "Microsoft.Network/virtualNetworks", json!({})),
            Resource::test(
                &vnet("spoke"),
                "Microsoft.Network/virtualNetworks",
                json!({}),
            ),
            Resource::test(
                &vnet("other"),
                "Microsoft.Network/virtualNetworks",
                json!({}),
            ),
            peering("spoke", "hub"),
            Resource::test(
                &format!("{}/virtualNetworkPeerings/x", vnet("other")),
                PEERING,
                json!({"properties": {"remoteVirtualNetwork": {"id": UNKNOWN_MARKER}}}),
            ),
        ]);
        let relations = graph.relations();
        assert_eq!(relations.peered_networks(0), (&[1][..], false));
        assert_eq!(relations.peered_networks(1), (&[0][..], false));
        assert_eq!(relations.peered_networks(2), (&[][..], true));
    }
}
