//! PostgreSQL flexible servers and Azure SQL servers, with their firewall rules.

use serde_json::json;

use super::builder::{enabled, same, Builder};
use super::{child, parent_from_id, text_or_unknown, top_level, Mapped};
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
    flexible_network(&mut b);
    b.secret(
        &["administrator_password"],
        "/properties/administratorLoginPassword",
    );
    top_level(b, "Microsoft.DBforPostgreSQL/flexibleServers")
}

/// Public access of a flexible server: enabled unless it is in a delegated subnet (VNet
/// integration); newer providers write it as a flag, `azurerm_mysql_flexible_server` 4.x
/// also as the text `public_network_access`.
fn flexible_network(b: &mut Builder<'_>) {
    let inst = b.inst();
    let default = if inst.is_set("delegated_subnet_id") {
        "Disabled"
    } else {
        "Enabled"
    };
    if !b.attr(
        &["public_network_access"],
        "/properties/network/publicNetworkAccess",
        same,
    ) {
        b.attr_or(
            &["public_network_access_enabled"],
            "/properties/network/publicNetworkAccess",
            enabled,
            json!(default),
        );
    }
}

/// `azurerm_mysql_flexible_server`, public unless in a delegated subnet.
pub fn mysql_flexible_server(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["sku_name"], "/sku/name", same);
    b.attr(&["version"], "/properties/version", same);
    b.attr(
        &["delegated_subnet_id"],
        "/properties/network/delegatedSubnetResourceId",
        same,
    );
    flexible_network(&mut b);
    b.secret(
        &["administrator_password"],
        "/properties/administratorLoginPassword",
    );
    top_level(b, "Microsoft.DBforMySQL/flexibleServers")
}

/// `azurerm_mysql_flexible_server_firewall_rule`: names its server by `server_name` and
/// `resource_group_name`.
pub fn mysql_firewall_rule(inst: &Instance) -> Mapped {
    firewall_rule_by_server_name(inst, "Microsoft.DBforMySQL/flexibleServers/firewallRules")
}

/// `azurerm_postgresql_flexible_server_firewall_rule`.
pub fn postgresql_firewall_rule(inst: &Instance) -> Mapped {
    firewall_rule(
        inst,
        "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
    )
}

/// `azurerm_mssql_server`, and the legacy `azurerm_sql_server` (provider ≤ 3.x), whose
/// arguments moat reads have the same names.
pub fn mssql_server(inst: &Instance) -> Mapped {
    let mut b = Builder::new(inst);
    b.common();
    b.attr(&["version"], "/properties/version", same);
    b.public_network_access();
    b.attr(
        &["minimum_tls_version"],
        "/properties/minimalTlsVersion",
        same,
    );
    b.secret(
        &["administrator_login_password"],
        "/properties/administratorLoginPassword",
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

/// The legacy `azurerm_sql_firewall_rule` (provider ≤ 3.x): it names its server by
/// `server_name` and `resource_group_name` instead of `server_id`.
pub fn sql_firewall_rule(inst: &Instance) -> Mapped {
    firewall_rule_by_server_name(inst, "Microsoft.Sql/servers/firewallRules")
}

fn firewall_range(b: &mut Builder<'_>) {
    b.attr(&["start_ip_address"], "/properties/startIpAddress", same);
    b.attr(&["end_ip_address"], "/properties/endIpAddress", same);
}

fn firewall_rule(inst: &Instance, kind: &str) -> Mapped {
    let mut b = Builder::new(inst);
    firewall_range(&mut b);
    let (rg, server) = parent_from_id(inst, "server_id");
    child(b, kind, &rg, &server)
}

/// A firewall rule that names its server by `server_name` and `resource_group_name`.
fn firewall_rule_by_server_name(inst: &Instance, kind: &str) -> Mapped {
    let mut b = Builder::new(inst);
    firewall_range(&mut b);
    let rg = text_or_unknown(inst, "resource_group_name");
    let server = text_or_unknown(inst, "server_name");
    child(b, kind, &rg, &server)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;
    use crate::eval::value::Value;
    use crate::model::{FileId, Span};

    fn instance(kind: &str, args: &[(&str, &str)]) -> Instance {
        Instance {
            address: format!("{kind}.x"),
            kind: kind.to_owned(),
            value: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect::<BTreeMap<_, _>>(),
            spans: HashMap::new(),
            origins: HashMap::new(),
            head: Span::new(FileId(0), 0..0),
            literals: Default::default(),
        }
    }

    #[test]
    fn only_a_literal_password_reaches_the_model() {
        let args = [
            ("name", "sql"),
            ("administrator_login_password", "pw-literal-1!"),
        ];
        let mut written = instance("azurerm_mssql_server", &args);
        written
            .literals
            .insert("administrator_login_password".to_owned());
        let literal = &mssql_server(&written).resources[0];
        assert_eq!(
            literal.body.json()["properties"]["administratorLoginPassword"],
            "pw-literal-1!"
        );
        // The same value from a variable or reference is not in the source.
        let passed = &mssql_server(&instance("azurerm_mssql_server", &args)).resources[0];
        assert_eq!(
            passed.body.json()["properties"]["administratorLoginPassword"],
            crate::eval::value::UNKNOWN_MARKER
        );
    }

    #[test]
    fn legacy_sql_rules_join_the_server_named_by_name_and_group() {
        let server = mssql_server(&instance(
            "azurerm_sql_server",
            &[("name", "sql-old"), ("resource_group_name", "rg-db")],
        ));
        let rule = sql_firewall_rule(&instance(
            "azurerm_sql_firewall_rule",
            &[
                ("name", "all"),
                ("server_name", "sql-old"),
                ("resource_group_name", "rg-db"),
                ("start_ip_address", "0.0.0.0"),
            ],
        ));
        let server = &server.resources[0];
        let rule = &rule.resources[0];
        assert_eq!(
            server.body.json()["properties"]["publicNetworkAccess"],
            "Enabled"
        );
        assert_eq!(&*rule.kind, "Microsoft.Sql/servers/firewallRules");
        assert_eq!(*rule.id, format!("{}/firewallRules/all", server.id));
        assert_eq!(rule.body.json()["properties"]["startIpAddress"], "0.0.0.0");
    }
}
