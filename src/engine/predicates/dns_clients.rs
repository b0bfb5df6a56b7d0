//! Private DNS as the clients of private endpoints see it: `private-dns-zone-reaches-clients`
//! (an endpoint's zones are linked to a network its clients resolve from) and
//! `vnet-private-dns-resolution` (a network with custom DNS servers and private endpoints
//! has something forwarding the `privatelink` zones). Both read the indexed relations
//! (zone links, peerings, referrers), never a collection per subject.

use serde_json::Value;

use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{id, Graph, ResourceIndex};

/// The zone predicate's name.
pub const ZONE_NAME: &str = "private-dns-zone-reaches-clients";

/// What it says.
pub const ZONE_DOC: &str = "On a Microsoft.Network/privateEndpoints resource: every private DNS \
zone of its zone groups that is in scope is linked to at least one network of the endpoint's \
clients: the endpoint's own network and every network peered with it (either side declaring the \
peering). On-premises clients over VPN or ExpressRoute enter through the gateway's network, which \
gateway transit requires to be the endpoint's network or one peered with it, so it is among \
them. A zone with a link to a network not known statically may be linked to any. False binds \
`{zones}` and `{networks}`.";

/// The resolution predicate's name.
pub const RESOLUTION_NAME: &str = "vnet-private-dns-resolution";

/// What it says.
pub const RESOLUTION_DOC: &str = "On a Microsoft.Network/virtualNetworks resource with custom DNS \
servers (`dhcpOptions.dnsServers`) and private endpoints in it or in a peered network: something in \
the same deployment forwards the `privatelink` zones to Azure DNS — a Private DNS Resolver inbound \
endpoint, or a DNS forwarding ruleset linked to the network — or every DNS server is Azure DNS \
(168.63.129.16) or listed in `args.forwarders` (servers known to forward, such as an Azure Firewall \
DNS proxy). False binds `{servers}`.";

/// Azure's own DNS address.
const AZURE_DNS: &str = "168.63.129.16";

/// The virtual network of a resource's subnet id at `pointer`.
fn network_of_subnet(graph: &Graph, from: ResourceIndex, pointer: &str) -> Option<ResourceIndex> {
    let json = graph.get(from).body.json();
    let subnet = json.pointer(pointer).and_then(Value::as_str)?;
    graph.resolve(from, id::parent(subnet)?)
}

/// The compiled zone predicate.
pub struct ZoneReachesClients;

impl ZoneReachesClients {
    /// Takes no args.
    pub fn new(args: &Value) -> Result<ZoneReachesClients, String> {
        super::known_args(ZONE_NAME, args, &[])?;
        Ok(ZoneReachesClients)
    }
}

impl Predicate for ZoneReachesClients {
    fn name(&self) -> &'static str {
        ZONE_NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let Some(vnet) = network_of_subnet(graph, subject, "/properties/subnet/id") else {
            return Outcome::new(Truth::True);
        };
        let relations = graph.relations();
        let (peers, unknown_peers) = relations.peered_networks(vnet);
        let clients: Vec<ResourceIndex> =
            std::iter::once(vnet).chain(peers.iter().copied()).collect();
        let mut unlinked: Vec<(ResourceIndex, String, String)> = Vec::new();
        for &group in graph.children(subject) {
            if !graph
                .get(group)
                .is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups")
            {
                continue;
            }
            let json = graph.get(group).body.json();
            let configs = json
                .pointer("/properties/privateDnsZoneConfigs")
                .and_then(Value::as_array);
            for (i, config) in configs.into_iter().flatten().enumerate() {
                let zone_id = config
                    .pointer("/properties/privateDnsZoneId")
                    .and_then(Value::as_str);
                let Some(zone) = zone_id.and_then(|z| graph.resolve(group, z)) else {
                    continue;
                };
                if clients.iter().any(|&c| relations.zone_linked_to(zone, c)) {
                    continue;
                }
                let pointer =
                    format!("/properties/privateDnsZoneConfigs/{i}/properties/privateDnsZoneId");
                unlinked.push((group, pointer, graph.get(zone).name.clone()));
            }
        }
        if unlinked.is_empty() {
            return Outcome::new(Truth::True);
        }
        if unknown_peers {
            return Outcome::unknown(format!(
                "network {} has a peering whose remote network is not known statically",
                graph.get(vnet).name
            ));
        }
        let networks = clients
            .iter()
            .map(|&c| graph.get(c).name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let zones = unlinked
            .iter()
            .map(|(.., zone)| zone.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut outcome = Outcome::new(Truth::False)
            .with_binding("zones", zones)
            .with_binding("networks", networks);
        for (group, pointer, _) in unlinked {
            outcome = outcome.with_evidence(group, pointer);
        }
        outcome
    }
}

/// The compiled resolution predicate.
pub struct PrivateResolution {
    forwarders: Vec<String>,
}

impl PrivateResolution {
    /// Reads `args: {forwarders: ["10.0.0.4"]}` (optional).
    pub fn new(args: &Value) -> Result<PrivateResolution, String> {
        super::known_args(RESOLUTION_NAME, args, &["forwarders"])?;
        let forwarders = match args.get("forwarders") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str().map(str::to_owned).ok_or_else(|| {
                        format!("{RESOLUTION_NAME}: forwarders must be a list of addresses")
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(format!(
                    "{RESOLUTION_NAME}: forwarders must be a list of addresses"
                ))
            }
        };
        Ok(PrivateResolution { forwarders })
    }
}

/// Whether a network (its subnets) holds a private endpoint, by the referrers index.
fn hosts_endpoint(graph: &Graph, vnet: ResourceIndex) -> bool {
    graph.children(vnet).iter().any(|&subnet| {
        graph
            .referrers(subnet)
            .iter()
            .any(|r| graph.get(r.from).is("Microsoft.Network/privateEndpoints"))
    })
}

/// Whether something in the network's deployment unit forwards private zones: a resolver
/// inbound endpoint, or a forwarding ruleset linked to this network.
fn resolution_in_scope(graph: &Graph, vnet: ResourceIndex) -> bool {
    let unit = graph.get(vnet).unit;
    let inbound = graph
        .of_type("Microsoft.Network/dnsResolvers/inboundEndpoints")
        .iter()
        .any(|&i| graph.get(i).unit == unit);
    inbound
        || graph.referrers(vnet).iter().any(|r| {
            graph
                .get(r.from)
                .is("Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks")
        })
}

impl Predicate for PrivateResolution {
    fn name(&self) -> &'static str {
        RESOLUTION_NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let pointer = "/properties/dhcpOptions/dnsServers";
        let body = graph.get(subject).body.json();
        let servers = match body.pointer(pointer) {
            None | Some(Value::Null) => return Outcome::new(Truth::True),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Outcome::unknown("the DNS servers are not known statically")
                    .with_evidence(subject, pointer)
            }
        };
        let mut listed = Vec::new();
        for server in servers {
            match server.as_str() {
                Some(s) if !is_unknown_text(s) => listed.push(s.trim()),
                _ => {
                    return Outcome::unknown("a DNS server is not known statically")
                        .with_evidence(subject, pointer)
                }
            }
        }
        let custom: Vec<&str> = listed
            .into_iter()
            .filter(|s| *s != AZURE_DNS && !self.forwarders.iter().any(|f| f == s))
            .collect();
        if custom.is_empty() {
            return Outcome::new(Truth::True);
        }
        let (peers, _) = graph.relations().peered_networks(subject);
        let endpoints =
            hosts_endpoint(graph, subject) || peers.iter().any(|&p| hosts_endpoint(graph, p));
        if !endpoints || resolution_in_scope(graph, subject) {
            return Outcome::new(Truth::True);
        }
        Outcome::new(Truth::False)
            .with_evidence(subject, pointer)
            .with_binding("servers", custom.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    const RG: &str = "/subscriptions/s/resourceGroups/rg/providers";

    fn vnet(name: &str, body: Value) -> Resource {
        Resource::test(
            &format!("{RG}/Microsoft.Network/virtualNetworks/{name}"),
            "Microsoft.Network/virtualNetworks",
            body,
        )
    }

    fn endpoint(in_vnet: &str, zone: &str) -> Vec<Resource> {
        let pe = format!("{RG}/Microsoft.Network/privateEndpoints/pe");
        vec![
            Resource::test(
                &pe,
                "Microsoft.Network/privateEndpoints",
                json!({"properties": {"subnet": {"id": format!("{RG}/Microsoft.Network/virtualNetworks/{in_vnet}/subnets/pe")}}}),
            ),
            Resource::test(
                &format!("{pe}/privateDnsZoneGroups/default"),
                "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
                json!({"properties": {"privateDnsZoneConfigs": [{"properties": {"privateDnsZoneId": format!("{RG}/Microsoft.Network/privateDnsZones/{zone}")}}]}}),
            ),
        ]
    }

    fn zone(name: &str, linked_to: &str) -> Vec<Resource> {
        let zone = format!("{RG}/Microsoft.Network/privateDnsZones/{name}");
        vec![
            Resource::test(&zone, "Microsoft.Network/privateDnsZones", json!({})),
            Resource::test(
                &format!("{zone}/virtualNetworkLinks/l"),
                "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                json!({"properties": {"virtualNetwork": {"id": format!("{RG}/Microsoft.Network/virtualNetworks/{linked_to}")}}}),
            ),
        ]
    }

    fn peering(from: &str, to: &str) -> Resource {
        Resource::test(
            &format!("{RG}/Microsoft.Network/virtualNetworks/{from}/virtualNetworkPeerings/p"),
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            json!({"properties": {"remoteVirtualNetwork": {"id": format!("{RG}/Microsoft.Network/virtualNetworks/{to}")}}}),
        )
    }

    fn subnet_body() -> Value {
        json!({"properties": {"subnets": [{"name": "pe", "properties": {}}]}})
    }

    fn verdict(resources: Vec<Resource>) -> Truth {
        let graph = Graph::new(resources);
        let pe = graph
            .resources()
            .iter()
            .position(|r| r.is("Microsoft.Network/privateEndpoints"))
            .unwrap();
        ZoneReachesClients.eval(&graph, pe).truth
    }

    #[test]
    fn a_zone_linked_to_a_peered_hub_reaches_the_clients_an_isolated_one_does_not() {
        let z = "privatelink.vaultcore.azure.net";
        let base = || {
            vec![
                vnet("spoke", subnet_body()),
                vnet("hub", json!({})),
                vnet("elsewhere", json!({})),
            ]
        };
        let mut peered = base();
        peered.extend(endpoint("spoke", z));
        peered.extend(zone(z, "hub"));
        peered.push(peering("hub", "spoke"));
        assert_eq!(verdict(peered), Truth::True);
        let mut isolated = base();
        isolated.extend(endpoint("spoke", z));
        isolated.extend(zone(z, "elsewhere"));
        assert_eq!(verdict(isolated), Truth::False);
    }

    #[test]
    fn custom_dns_needs_a_forwarder_only_with_endpoints() {
        let with_dns = |servers: Value| json!({"properties": {"dhcpOptions": {"dnsServers": servers}, "subnets": [{"name": "pe", "properties": {}}]}});
        let eval = |resources: Vec<Resource>, args: Value| {
            let graph = Graph::new(resources);
            PrivateResolution::new(&args).unwrap().eval(&graph, 0).truth
        };
        let mut with_pe = vec![vnet("spoke", with_dns(json!(["10.1.0.4"])))];
        with_pe.extend(endpoint("spoke", "privatelink.blob.core.windows.net"));
        assert_eq!(eval(with_pe, Value::Null), Truth::False);
        let mut forwarded = vec![vnet("spoke", with_dns(json!(["10.1.0.4"])))];
        forwarded.extend(endpoint("spoke", "privatelink.blob.core.windows.net"));
        assert_eq!(
            eval(forwarded, json!({"forwarders": ["10.1.0.4"]})),
            Truth::True
        );
        assert_eq!(
            eval(
                vec![vnet("spoke", with_dns(json!(["10.1.0.4"])))],
                Value::Null
            ),
            Truth::True,
            "no endpoint, nothing to resolve"
        );
        let mut unknown = vec![vnet(
            "spoke",
            with_dns(json!([crate::eval::value::UNKNOWN_MARKER])),
        )];
        unknown.extend(endpoint("spoke", "privatelink.blob.core.windows.net"));
        assert_eq!(eval(unknown, Value::Null), Truth::Unknown);
    }
}
