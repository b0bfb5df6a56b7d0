//! `ml-workspace-endpoint-reaches-clients`: a private workspace's `amlworkspace` endpoints
//! sit in networks its clients reach. Answered from the indexes (children, referrers,
//! peerings, gateways per unit), never by walking every resource per workspace.

use serde_json::Value;

use super::super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{id, Graph, ResourceIndex};

/// The predicate's name.
pub const NAME: &str = "ml-workspace-endpoint-reaches-clients";

/// What it says.
pub const DOC: &str = "On a Microsoft.MachineLearningServices/workspaces resource: every client \
network is reached by one of the workspace's private endpoints (`amlworkspace`, automatic or \
manual), i.e. an endpoint sits in that network or in one peered with it (either side declaring \
the peering). Client networks are the networks of the subnets the workspace's computes sit in \
(`properties.properties.subnet.id`) and the networks whose `GatewaySubnet` holds a VPN or \
ExpressRoute gateway in the workspace's deployment unit. True when the workspace has no such \
endpoint or no known client network; unknown when a network on the way is not known statically. \
False binds `{problem}` naming the client network no endpoint reaches.";

const COMPUTE: &str = "Microsoft.MachineLearningServices/workspaces/computes";
const ENDPOINT: &str = "Microsoft.Network/privateEndpoints";
const CONNECTIONS: [&str; 2] = [
    "/properties/privateLinkServiceConnections/",
    "/properties/manualPrivateLinkServiceConnections/",
];

/// A network a resource's subnet id names: none, known, or not known statically.
enum Network {
    None,
    Known(ResourceIndex),
    Unknown,
}

/// The network of the subnet id at `pointer` in `from`'s body.
fn network_at(graph: &Graph, from: ResourceIndex, pointer: &str) -> Network {
    match graph.get(from).body.json().pointer(pointer) {
        None | Some(Value::Null) => Network::None,
        Some(Value::String(s)) if !is_unknown_text(s) => {
            match id::parent(s).and_then(|v| graph.resolve(from, v)) {
                Some(vnet) => Network::Known(vnet),
                None => Network::Unknown,
            }
        }
        Some(_) => Network::Unknown,
    }
}

/// Whether the connection holding the id at `pointer` names the `amlworkspace` group.
fn aml_group(graph: &Graph, endpoint: ResourceIndex, pointer: &str) -> Truth {
    let Some(connection) = pointer.strip_suffix("/properties/privateLinkServiceId") else {
        return Truth::False;
    };
    if !CONNECTIONS.iter().any(|c| connection.starts_with(c)) {
        return Truth::False;
    }
    let json = graph.get(endpoint).body.json();
    let groups = json.pointer(&format!("{connection}/properties/groupIds"));
    match groups {
        Some(Value::Array(items)) => {
            Outcome::any(items.iter().map(|g| {
                Outcome::new(match g.as_str() {
                    Some(s) if is_unknown_text(s) => Truth::Unknown,
                    Some(s) => s.eq_ignore_ascii_case("amlworkspace").into(),
                    None => Truth::False,
                })
            }))
            .truth
        }
        Some(Value::String(s)) if is_unknown_text(s) => Truth::Unknown,
        _ => Truth::False,
    }
}

/// The networks a workspace's clients use, and whether one is not known statically.
fn client_networks(graph: &Graph, workspace: ResourceIndex) -> (Vec<ResourceIndex>, bool) {
    let (gateways, mut unknown) = graph
        .relations()
        .gateway_networks(graph.get(workspace).unit);
    let mut clients = Vec::new();
    for &compute in graph.children(workspace) {
        if !graph.get(compute).is(COMPUTE) {
            continue;
        }
        match network_at(graph, compute, "/properties/properties/subnet/id") {
            Network::None => {}
            Network::Known(vnet) => clients.push(vnet),
            Network::Unknown => unknown = true,
        }
    }
    clients.extend_from_slice(gateways);
    clients.sort_unstable();
    clients.dedup();
    (clients, unknown)
}

/// The compiled predicate.
pub struct EndpointReachesClients;

impl EndpointReachesClients {
    /// Takes no args.
    pub fn new(args: &Value) -> Result<EndpointReachesClients, String> {
        super::super::known_args(NAME, args, &[])?;
        Ok(EndpointReachesClients)
    }
}

impl Predicate for EndpointReachesClients {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let mut endpoints = Vec::new();
        let mut unknown_endpoint = false;
        for reference in graph.referrers(subject) {
            let from = reference.from;
            if !graph.get(from).is(ENDPOINT) {
                continue;
            }
            match aml_group(graph, from, &reference.pointer) {
                Truth::False => continue,
                Truth::Unknown => {
                    unknown_endpoint = true;
                    continue;
                }
                Truth::True => {}
            }
            match network_at(graph, from, "/properties/subnet/id") {
                Network::Known(vnet) => endpoints.push(vnet),
                Network::None | Network::Unknown => unknown_endpoint = true,
            }
        }
        if endpoints.is_empty() && !unknown_endpoint {
            return Outcome::new(Truth::True);
        }
        let relations = graph.relations();
        let (clients, unknown_client) = client_networks(graph, subject);
        let reaches = |client: ResourceIndex| -> Truth {
            let (peers, unknown_peers) = relations.peered_networks(client);
            if endpoints.iter().any(|&e| e == client || peers.contains(&e)) {
                return Truth::True;
            }
            let endpoint_peers_unknown = endpoints.iter().any(|&e| relations.peered_networks(e).1);
            if unknown_endpoint || unknown_peers || endpoint_peers_unknown {
                Truth::Unknown
            } else {
                Truth::False
            }
        };
        let mut undecided = unknown_client;
        for client in clients {
            match reaches(client) {
                Truth::True => {}
                Truth::Unknown => undecided = true,
                Truth::False => {
                    let problem = format!(
                        "none of its private endpoints (amlworkspace) is in client network '{}' \
                         or in a network peered with it: clients there cannot reach its API, \
                         studio or notebooks",
                        graph.get(client).name
                    );
                    return Outcome::new(Truth::False)
                        .with_evidence(subject, "/properties/publicNetworkAccess")
                        .with_binding("problem", problem);
                }
            }
        }
        if undecided {
            Outcome::unknown(
                "a client network of the workspace, or the network of one of its private \
                 endpoints or their peerings, is not known statically",
            )
        } else {
            Outcome::new(Truth::True)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::UNKNOWN_MARKER;
    use crate::model::Resource;
    use serde_json::json;

    const RG: &str = "/subscriptions/s/resourceGroups/rg/providers";

    fn vnet_id(name: &str) -> String {
        format!("{RG}/Microsoft.Network/virtualNetworks/{name}")
    }

    fn vnet(name: &str) -> Resource {
        Resource::test(
            &vnet_id(name),
            "Microsoft.Network/virtualNetworks",
            json!({"properties": {"subnets": [{"name": "GatewaySubnet", "properties": {}}, {"name": "snet", "properties": {}}]}}),
        )
    }

    /// A private workspace, its endpoint in `pe_vnet`, and a VPN gateway in `gateway_vnet`.
    fn deployment(pe_vnet: &str, gateway_vnet: &str) -> Vec<Resource> {
        let ws = format!("{RG}/Microsoft.MachineLearningServices/workspaces/ws");
        vec![
            Resource::test(
                &ws,
                "Microsoft.MachineLearningServices/workspaces",
                json!({"properties": {"publicNetworkAccess": "Disabled"}}),
            ),
            vnet("hub"),
            vnet("spoke"),
            Resource::test(
                &format!("{RG}/Microsoft.Network/privateEndpoints/pe"),
                ENDPOINT,
                json!({"properties": {
                    "subnet": {"id": format!("{}/subnets/snet", vnet_id(pe_vnet))},
                    "privateLinkServiceConnections": [{"properties": {"privateLinkServiceId": ws, "groupIds": ["amlworkspace"]}}]
                }}),
            ),
            Resource::test(
                &format!("{RG}/Microsoft.Network/virtualNetworkGateways/vgw"),
                "Microsoft.Network/virtualNetworkGateways",
                json!({"properties": {"ipConfigurations": [{"properties": {"subnet": {"id": format!("{}/subnets/GatewaySubnet", vnet_id(gateway_vnet))}}}]}}),
            ),
        ]
    }

    fn compute(subnet: &str) -> Resource {
        Resource::test(
            &format!("{RG}/Microsoft.MachineLearningServices/workspaces/ws/computes/c"),
            COMPUTE,
            json!({"properties": {"properties": {"subnet": {"id": subnet}}}}),
        )
    }

    fn verdict(resources: Vec<Resource>) -> Truth {
        EndpointReachesClients.eval(&Graph::new(resources), 0).truth
    }

    #[test]
    fn the_gateway_network_is_a_client_reached_when_peered_or_the_same() {
        assert_eq!(verdict(deployment("hub", "hub")), Truth::True);
        assert_eq!(verdict(deployment("spoke", "hub")), Truth::False);
        let mut peered = deployment("spoke", "hub");
        peered.push(Resource::test(
            &format!("{}/virtualNetworkPeerings/p", vnet_id("spoke")),
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            json!({"properties": {"remoteVirtualNetwork": {"id": vnet_id("hub")}}}),
        ));
        assert_eq!(verdict(peered), Truth::True);
    }

    #[test]
    fn compute_networks_are_clients_and_unknown_ones_leave_it_undecided() {
        let mut unreached = deployment("hub", "hub");
        unreached.push(compute(&format!("{}/subnets/snet", vnet_id("spoke"))));
        assert_eq!(verdict(unreached), Truth::False);
        let mut unknown = deployment("hub", "hub");
        unknown.push(compute(UNKNOWN_MARKER));
        assert_eq!(verdict(unknown), Truth::Unknown);
        let mut unknown_gateway = deployment("hub", "hub");
        unknown_gateway[4] = Resource::test(
            &format!("{RG}/Microsoft.Network/virtualNetworkGateways/vgw"),
            "Microsoft.Network/virtualNetworkGateways",
            json!({"properties": {"ipConfigurations": [{"properties": {"subnet": {"id": UNKNOWN_MARKER}}}]}}),
        );
        assert_eq!(verdict(unknown_gateway), Truth::Unknown);
    }

    #[test]
    fn no_endpoint_or_no_client_says_nothing() {
        let mut no_endpoint = deployment("spoke", "hub");
        no_endpoint.remove(3);
        assert_eq!(verdict(no_endpoint), Truth::True);
        let mut no_gateway = deployment("spoke", "hub");
        no_gateway.remove(4);
        assert_eq!(verdict(no_gateway), Truth::True);
    }
}
