//! PostgreSQL flexible servers and Azure SQL servers, with their firewall rules.

use serde_json::json;

use super::builder::{enabled, same, Builder};
use super::{child, parent_from_id, top_level, Mapped};
use crate::ingest::terraform::instance::Instance;

/// `azurerm_postgresql_flexible_server`. Public access defaults to enabled unless the
/// server is in a delegated subnet (VNet integration), which makes it private.
pub fn postgresql_flexible_server(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["sku_name"], "/sku/name", same);
    b.attr(&["version"], "/properties/version", same);
    b.attr(
        &["delegated_subnet_id"],
        "/properties/network/delegatedSubnetResourceId",
        same,
    );
    b.attr(
        &["private_dns_zone_id"],
        "/properties/network/privateDnsZoneArmResourceId",
        same,
    );
    let default = if inst.is_set("delegated_subnet_id") {
        "Disabled"
    } else {
        "Enabled"
    };
    b.attr_or(
        &["public_network_access_enabled"],
        "/properties/network/publicNetworkAccess",
        enabled,
        json!(default),
    );
    top_level(b, "Microsoft.DBforPostgreSQL/flexibleServers")
}

/// `azurerm_postgresql_flexible_server_firewall_rule`.
pub fn postgresql_firewall_rule(inst: &Instance) -> Mapped {
    firewall_rule(
        inst,
        "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
    )
}

/// `azurerm_mssql_server`.
pub fn mssql_server(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["version"], "/properties/version", same);
    b.attr_or(
        &["public_network_access_enabled"],
        "/properties/publicNetworkAccess",
        enabled,
        json!("Enabled"),
    );
    b.attr(
        &["minimum_tls_version"],
        "/properties/minimalTlsVersion",
        same,
    );
    b.attr(
        &["outbound_network_restriction_enabled"],
        "/properties/restrictOutboundNetworkAccess",
        enabled,
    );
    top_level(b, "Microsoft.Sql/servers")
}

/// `azurerm_mssql_firewall_rule`.
pub fn mssql_firewall_rule(inst: &Instance) -> Mapped {
    firewall_rule(inst, "Microsoft.Sql/servers/firewallRules")
}

fn firewall_rule(inst: &Instance, kind: &str) -> Mapped {
    let mut b = Builder::new(inst);
    b.attr(&["start_ip_address"], "/properties/startIpAddress", same);
    b.attr(&["end_ip_address"], "/properties/endIpAddress", same);
    let (rg, server) = parent_from_id(inst, "server_id");
    child(b, kind, &rg, &server)
}
