//! Resource groups, virtual networks, subnets, NSGs, private endpoints and private DNS.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::builder::{as_text, enabled, same, Builder};
use super::{
    child, id_name, own_name, parent_from_id, text, text_or_unknown, top_level, Mapped, Patch,
};
use crate::eval::value::Value;
use crate::ingest::terraform::instance::Instance;
use crate::model::{id, Origin, Resource, SourceFormat, UnitId};

/// `azurerm_resource_group`.
pub fn resource_group(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    let kind = "Microsoft.Resources/resourceGroups";
    let resource_id = id::build(id::PLACEHOLDER_SUBSCRIPTION, "", kind, &id_name(inst));
    Mapped::one(b.finish(kind, &own_name(inst), resource_id))
}

/// `azurerm_virtual_network`, with inline `subnet` blocks.
pub fn virtual_network(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(
        &["address_space"],
        "/properties/addressSpace/addressPrefixes",
        same,
    );
    b.attr(&["dns_servers"], "/properties/dhcpOptions/dnsServers", same);
    for i in 0..inst.block_count("subnet") {
        let at = |attr: &str| format!("subnet.{i}.{attr}");
        let pointer = |p: &str| format!("/properties/subnets/{i}{p}");
        b.attr(&[&at("name")], &pointer("/name"), same);
        b.attr(
            &[&at("address_prefixes")],
            &pointer("/properties/addressPrefixes"),
            same,
        );
        b.attr(
            &[&at("address_prefix")],
            &pointer("/properties/addressPrefix"),
            same,
        );
        b.attr(
            &[&at("security_group")],
            &pointer("/properties/networkSecurityGroup/id"),
            same,
        );
    }
    top_level(b, "Microsoft.Network/virtualNetworks")
}

/// `azurerm_subnet`.
pub fn subnet(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(&["address_prefixes"], "/properties/addressPrefixes", same);
    b.attr_or(
        &[
            "private_endpoint_network_policies",
            "private_endpoint_network_policies_enabled",
        ],
        "/properties/privateEndpointNetworkPolicies",
        enabled,
        json!("Disabled"),
    );
    if let Some(services) = inst.get("service_endpoints").and_then(Value::as_list) {
        let list: Vec<Json> = services
            .iter()
            .map(|s| json!({"service": s.to_json()}))
            .collect();
        b.set(
            "/properties/serviceEndpoints",
            Json::Array(list),
            inst.span("service_endpoints"),
        );
    }
    for i in 0..inst.block_count("delegation") {
        b.attr(
            &[&format!("delegation.{i}.name")],
            &format!("/properties/delegations/{i}/name"),
            same,
        );
        b.attr(
            &[&format!("delegation.{i}.service_delegation.0.name")],
            &format!("/properties/delegations/{i}/properties/serviceName"),
            same,
        );
    }
    let rg = text_or_unknown(inst, "resource_group_name");
    let vnet = text_or_unknown(inst, "virtual_network_name");
    child(b, "Microsoft.Network/virtualNetworks/subnets", &rg, &vnet)
}

/// The fields of a security rule, inline or separate: (Terraform attribute, ARM property).
const RULE_FIELDS: &[(&str, &str)] = &[
    ("description", "description"),
    ("priority", "priority"),
    ("direction", "direction"),
    ("access", "access"),
    ("protocol", "protocol"),
    ("source_port_range", "sourcePortRange"),
    ("source_port_ranges", "sourcePortRanges"),
    ("destination_port_range", "destinationPortRange"),
    ("destination_port_ranges", "destinationPortRanges"),
    ("source_address_prefix", "sourceAddressPrefix"),
    ("source_address_prefixes", "sourceAddressPrefixes"),
    ("destination_address_prefix", "destinationAddressPrefix"),
    ("destination_address_prefixes", "destinationAddressPrefixes"),
];

fn security_rule_fields(b: &mut Builder<'_>, attr_prefix: &str, pointer_prefix: &str) {
    for (attr, property) in RULE_FIELDS {
        let conversion = if attr.contains("_port_range") {
            as_text
        } else {
            same
        };
        b.attr(
            &[&format!("{attr_prefix}{attr}")],
            &format!("{pointer_prefix}/properties/{property}"),
            conversion,
        );
    }
}

/// `azurerm_network_security_group`, with inline `security_rule` blocks.
pub fn network_security_group(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.set("/properties/securityRules", json!([]), inst.head);
    for i in 0..inst.block_count("security_rule") {
        b.attr(
            &[&format!("security_rule.{i}.name")],
            &format!("/properties/securityRules/{i}/name"),
            same,
        );
        let span = inst.span(&format!("security_rule.{i}"));
        b.set(
            &format!("/properties/securityRules/{i}/type"),
            json!("Microsoft.Network/networkSecurityGroups/securityRules"),
            span,
        );
        security_rule_fields(
            &mut b,
            &format!("security_rule.{i}."),
            &format!("/properties/securityRules/{i}"),
        );
        b.set_span(&format!("/properties/securityRules/{i}"), span);
    }
    top_level(b, "Microsoft.Network/networkSecurityGroups")
}

/// `azurerm_network_security_rule`.
pub fn network_security_rule(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    security_rule_fields(&mut b, "", "");
    let rg = text_or_unknown(inst, "resource_group_name");
    let nsg = text_or_unknown(inst, "network_security_group_name");
    child(
        b,
        "Microsoft.Network/networkSecurityGroups/securityRules",
        &rg,
        &nsg,
    )
}

/// `azurerm_subnet_network_security_group_association`: sets the subnet's NSG.
pub fn subnet_nsg_association(inst: &Instance) -> Mapped {
    let (Some(subnet), Some(nsg)) = (
        text(inst, "subnet_id"),
        inst.get("network_security_group_id"),
    ) else {
        return Mapped::default();
    };
    let span = inst.span("network_security_group_id");
    let spans = vec![("/properties/networkSecurityGroup".to_owned(), span)];
    Mapped {
        id: Value::String(subnet.clone()),
        resources: Vec::new(),
        patches: vec![Patch {
            target: subnet,
            pointer: "/properties/networkSecurityGroup".into(),
            value: json!({"id": nsg.to_json()}),
            provenance: inst.provenance(spans.iter().map(|(p, s)| (p, s))),
            spans,
        }],
    }
}

/// `azurerm_virtual_network_dns_servers`: sets the network's custom DNS servers.
pub fn virtual_network_dns_servers(inst: &Instance) -> Mapped {
    let (Some(vnet), Some(servers)) = (text(inst, "virtual_network_id"), inst.get("dns_servers"))
    else {
        return Mapped::default();
    };
    let span = inst.span("dns_servers");
    let spans = vec![("/properties/dhcpOptions/dnsServers".to_owned(), span)];
    Mapped {
        id: Value::String(format!("{vnet}/dnsServers/default")),
        resources: Vec::new(),
        patches: vec![Patch {
            target: vnet,
            pointer: "/properties/dhcpOptions/dnsServers".into(),
            value: servers.to_json(),
            provenance: inst.provenance(spans.iter().map(|(p, s)| (p, s))),
            spans,
        }],
    }
}

/// `azurerm_virtual_network_gateway`: type (`Vpn`, `ExpressRoute`), SKU (name and tier are
/// the same value in azurerm) and generation.
pub fn virtual_network_gateway(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["type"], "/properties/gatewayType", same);
    b.attr(&["vpn_type"], "/properties/vpnType", same);
    b.attr(&["sku"], "/properties/sku/name", same);
    b.attr(&["sku"], "/properties/sku/tier", same);
    b.attr(&["generation"], "/properties/vpnGatewayGeneration", same);
    b.attr(&["active_active"], "/properties/activeActive", same);
    ip_configurations(&mut b, "ip_configuration", "/properties/ipConfigurations");
    top_level(b, "Microsoft.Network/virtualNetworkGateways")
}

/// `ip_configuration` blocks (name, subnet, public IP) as ARM `ipConfigurations`.
fn ip_configurations(b: &mut Builder<'_>, block: &str, pointer: &str) {
    for i in 0..b.inst().block_count(block) {
        let at = |attr: &str| format!("{block}.{i}.{attr}");
        let to = |p: &str| format!("{pointer}/{i}{p}");
        b.attr(&[&at("name")], &to("/name"), same);
        b.attr(&[&at("subnet_id")], &to("/properties/subnet/id"), same);
        b.attr(
            &[&at("public_ip_address_id")],
            &to("/properties/publicIPAddress/id"),
            same,
        );
        b.attr(
            &[&at("private_ip_address_allocation")],
            &to("/properties/privateIPAllocationMethod"),
            same,
        );
        b.attr(
            &[&at("private_ip_address")],
            &to("/properties/privateIPAddress"),
            same,
        );
    }
}

/// `azurerm_network_interface`: its IP configurations' subnets and public IPs.
pub fn network_interface(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    ip_configurations(&mut b, "ip_configuration", "/properties/ipConfigurations");
    top_level(b, "Microsoft.Network/networkInterfaces")
}

/// `azurerm_public_ip`.
pub fn public_ip(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["sku"], "/sku/name", same);
    b.attr(
        &["allocation_method"],
        "/properties/publicIPAllocationMethod",
        same,
    );
    top_level(b, "Microsoft.Network/publicIPAddresses")
}

/// `azurerm_virtual_network_peering`: a child of the local network naming the remote one.
pub fn virtual_network_peering(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(
        &["remote_virtual_network_id"],
        "/properties/remoteVirtualNetwork/id",
        same,
    );
    b.attr(
        &["allow_gateway_transit"],
        "/properties/allowGatewayTransit",
        same,
    );
    b.attr(
        &["use_remote_gateways"],
        "/properties/useRemoteGateways",
        same,
    );
    let rg = text_or_unknown(inst, "resource_group_name");
    let vnet = text_or_unknown(inst, "virtual_network_name");
    child(
        b,
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        &rg,
        &vnet,
    )
}

/// `azurerm_private_dns_resolver`.
pub fn private_dns_resolver(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(
        &["virtual_network_id"],
        "/properties/virtualNetwork/id",
        same,
    );
    top_level(b, "Microsoft.Network/dnsResolvers")
}

/// `azurerm_private_dns_resolver_inbound_endpoint` / `_outbound_endpoint`: children of the
/// resolver named by `private_dns_resolver_id`.
fn resolver_endpoint(inst: &Instance, kind: &str) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    ip_configurations(&mut b, "ip_configurations", "/properties/ipConfigurations");
    b.attr(&["subnet_id"], "/properties/subnet/id", same);
    let (rg, resolver) = parent_from_id(inst, "private_dns_resolver_id");
    child(b, kind, &rg, &resolver)
}

/// `azurerm_private_dns_resolver_inbound_endpoint`.
pub fn private_dns_resolver_inbound_endpoint(inst: &Instance) -> Mapped {
    resolver_endpoint(inst, "Microsoft.Network/dnsResolvers/inboundEndpoints")
}

/// `azurerm_private_dns_resolver_outbound_endpoint`.
pub fn private_dns_resolver_outbound_endpoint(inst: &Instance) -> Mapped {
    resolver_endpoint(inst, "Microsoft.Network/dnsResolvers/outboundEndpoints")
}

/// `azurerm_private_dns_resolver_dns_forwarding_ruleset`.
pub fn dns_forwarding_ruleset(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    if let Some(ids) = inst.get("private_dns_resolver_outbound_endpoint_ids") {
        let list = match ids.as_list() {
            Some(items) => items.iter().map(|i| json!({"id": i.to_json()})).collect(),
            None => vec![json!({"id": ids.to_json()})],
        };
        b.set(
            "/properties/dnsResolverOutboundEndpoints",
            Json::Array(list),
            inst.span("private_dns_resolver_outbound_endpoint_ids"),
        );
    }
    top_level(b, "Microsoft.Network/dnsForwardingRulesets")
}

/// `azurerm_private_dns_resolver_virtual_network_link`: a ruleset's link to a network.
pub fn dns_forwarding_ruleset_link(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(
        &["virtual_network_id"],
        "/properties/virtualNetwork/id",
        same,
    );
    let (rg, ruleset) = parent_from_id(inst, "dns_forwarding_ruleset_id");
    child(
        b,
        "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
        &rg,
        &ruleset,
    )
}

/// `azurerm_private_endpoint`; its `private_dns_zone_group` becomes the child resource
/// `privateEndpoints/privateDnsZoneGroups`, as in ARM.
pub fn private_endpoint(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["subnet_id"], "/properties/subnet/id", same);
    b.attr(
        &["custom_network_interface_name"],
        "/properties/customNetworkInterfaceName",
        same,
    );
    let manual = inst
        .get("private_service_connection.0.is_manual_connection")
        .and_then(Value::as_bool)
        == Some(true);
    let list = if manual {
        "manualPrivateLinkServiceConnections"
    } else {
        "privateLinkServiceConnections"
    };
    if inst.block_count("private_service_connection") > 0 {
        let at = |attr: &str| format!("private_service_connection.0.{attr}");
        let pointer = |p: &str| format!("/properties/{list}/0{p}");
        b.attr(&[&at("name")], &pointer("/name"), same);
        b.attr(
            &[
                &at("private_connection_resource_id"),
                &at("private_connection_resource_alias"),
            ],
            &pointer("/properties/privateLinkServiceId"),
            same,
        );
        b.attr(
            &[&at("subresource_names")],
            &pointer("/properties/groupIds"),
            same,
        );
        b.attr(
            &[&at("request_message")],
            &pointer("/properties/requestMessage"),
            same,
        );
    }
    let mut mapped = top_level(b, "Microsoft.Network/privateEndpoints");
    if inst.block_count("private_dns_zone_group") > 0 {
        if let Some(endpoint) = mapped.resources.first() {
            let group = dns_zone_group(inst, endpoint);
            mapped.resources.push(group);
        }
    }
    mapped
}

fn dns_zone_group(inst: &Instance, endpoint: &Resource) -> Resource {
    let kind = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";
    let group_name =
        text(inst, "private_dns_zone_group.0.name").unwrap_or_else(|| "default".into());
    let name = format!("{}/{group_name}", endpoint.name);
    let resource_id = format!("{}/privateDnsZoneGroups/{group_name}", endpoint.id);
    let ids_path = "private_dns_zone_group.0.private_dns_zone_ids";
    let ids_span = inst.span(ids_path);
    let configs: Vec<Json> = match inst.get(ids_path) {
        Some(Value::List(ids)) => ids
            .iter()
            .map(|zone| {
                let zone_name = zone
                    .as_str()
                    .map_or("zone", id::last_name)
                    .replace('.', "-");
                json!({"name": zone_name, "properties": {"privateDnsZoneId": zone.to_json()}})
            })
            .collect(),
        Some(other) => {
            vec![json!({"name": "zone", "properties": {"privateDnsZoneId": other.to_json()}})]
        }
        None => Vec::new(),
    };
    let mut spans = BTreeMap::new();
    spans.insert("/properties/privateDnsZoneConfigs".to_owned(), ids_span);
    let head = inst.span("private_dns_zone_group.0");
    Resource {
        body: json!({
            "id": resource_id,
            "name": group_name,
            "type": kind,
            "properties": {"privateDnsZoneConfigs": configs},
        })
        .into(),
        id: resource_id.into(),
        kind: crate::model::intern::kind(kind),
        name,
        origin: Origin {
            format: SourceFormat::Terraform,
            address: format!("{}.private_dns_zone_group", inst.address).into(),
            span: head,
        },
        provenance: inst.provenance(&spans),
        spans,
        lazy_spans: Default::default(),
        unit: UnitId::default(),
    }
}

/// `azurerm_private_dns_zone`.
pub fn private_dns_zone(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(&["tags"], "/tags", same);
    b.set("/location", json!("global"), inst.head);
    top_level(b, "Microsoft.Network/privateDnsZones")
}

/// `azurerm_private_dns_zone_virtual_network_link`.
pub fn private_dns_zone_link(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(&["tags"], "/tags", same);
    b.set("/location", json!("global"), inst.head);
    b.attr(
        &["virtual_network_id"],
        "/properties/virtualNetwork/id",
        same,
    );
    b.attr_or(
        &["registration_enabled"],
        "/properties/registrationEnabled",
        same,
        json!(false),
    );
    // The zone by name and group, or (newer providers) by id.
    let (rg, zone) = match text(inst, "private_dns_zone_name") {
        Some(zone) => (text_or_unknown(inst, "resource_group_name"), zone),
        None => parent_from_id(inst, "private_dns_zone_id"),
    };
    child(
        b,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        &rg,
        &zone,
    )
}
