//! Subnets and the NSGs that guard them: `subnet-nsg-where-needed` (a subnet that hosts
//! compute or private endpoints has an NSG) and `subnet-outbound-internet-denied` (the
//! subnet's NSG denies outbound internet traffic).

use serde_json::Value;

use super::network::is_any_source;
use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{Graph, ResourceIndex};

/// The NSG predicate's name.
pub const NSG_NAME: &str = "subnet-nsg-where-needed";

/// What it says.
pub const NSG_DOC: &str = "On a Microsoft.Network/virtualNetworks/subnets resource: when a \
resource in scope places compute in the subnet (a NIC, a VM scale set, an Azure ML compute, an AKS \
node pool) or a private endpoint, the subnet has a network security group. `args.uses` lists which \
uses count (default `[compute, private-endpoint]`); subnets named in `args.exempt` (default \
`GatewaySubnet`, `AzureFirewallSubnet`, `AzureFirewallManagementSubnet`, `RouteServerSubnet`, \
`AzureBastionSubnet`: Azure forbids or restricts NSGs there) always pass. False binds `{uses}`.";

/// The outbound predicate's name.
pub const OUTBOUND_NAME: &str = "subnet-outbound-internet-denied";

/// What it says.
pub const OUTBOUND_DOC: &str = "On a Microsoft.Network/virtualNetworks/subnets resource: the \
subnet's NSG denies outbound traffic to the internet. The decision is the rule of highest priority \
(lowest number) among the outbound rules for every protocol and port whose destination is any \
address or `Internet`; without such a rule Azure's default `AllowInternetOutBound` (65001) \
applies. Rules for some ports only (an approved `443` to a service tag) do not decide. A subnet \
without an NSG allows it. False binds `{why}`.";

/// Subnet names Azure forbids or restricts NSGs on.
const EXEMPT: &[&str] = &[
    "GatewaySubnet",
    "AzureFirewallSubnet",
    "AzureFirewallManagementSubnet",
    "RouteServerSubnet",
    "AzureBastionSubnet",
];

/// Resource types that place something in a subnet they name, and the use that is.
const USES: &[(&str, &str)] = &[
    ("Microsoft.Network/networkInterfaces", "compute"),
    ("Microsoft.Compute/virtualMachineScaleSets", "compute"),
    (
        "Microsoft.MachineLearningServices/workspaces/computes",
        "compute",
    ),
    ("Microsoft.ContainerService/managedClusters", "compute"),
    ("Microsoft.Network/privateEndpoints", "private-endpoint"),
];

/// The compiled NSG predicate.
pub struct NsgWhereNeeded {
    uses: Vec<String>,
    exempt: Vec<String>,
}

fn strings(name: &str, args: &Value, key: &str, default: &[&str]) -> Result<Vec<String>, String> {
    match args.get(key) {
        None => Ok(default.iter().map(|s| (*s).to_owned()).collect()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{name}: {key} must be a list of strings"))
            })
            .collect(),
        Some(_) => Err(format!("{name}: {key} must be a list of strings")),
    }
}

impl NsgWhereNeeded {
    /// Reads `args: {uses: [compute, private-endpoint], exempt: [GatewaySubnet, …]}`.
    pub fn new(args: &Value) -> Result<NsgWhereNeeded, String> {
        super::known_args(NSG_NAME, args, &["uses", "exempt"])?;
        let uses = strings(NSG_NAME, args, "uses", &["compute", "private-endpoint"])?;
        if let Some(bad) = uses.iter().find(|u| !USES.iter().any(|(_, k)| k == u)) {
            return Err(format!(
                "{NSG_NAME}: unknown use '{bad}' (known: compute, private-endpoint)"
            ));
        }
        Ok(NsgWhereNeeded {
            uses,
            exempt: strings(NSG_NAME, args, "exempt", EXEMPT)?,
        })
    }
}

/// The uses of a subnet by resources in scope that name it, deduplicated, in table order.
fn subnet_uses(graph: &Graph, subnet: ResourceIndex) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for reference in graph.referrers(subnet) {
        let referrer = graph.get(reference.from);
        if let Some((_, using)) = USES.iter().find(|(kind, _)| referrer.is(kind)) {
            if !found.contains(using) {
                found.push(using);
            }
        }
    }
    found
}

/// The subnet's last name segment (`vnet/snet-pe` → `snet-pe`).
fn subnet_name(graph: &Graph, subnet: ResourceIndex) -> &str {
    let name = &graph.get(subnet).name;
    name.rsplit('/').next().unwrap_or(name)
}

/// The NSG id the subnet names: `Ok(None)` when it has none, `Err` when it is unknown.
fn nsg_id(body: &Value) -> Result<Option<&str>, ()> {
    match body.pointer("/properties/networkSecurityGroup") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if is_unknown_text(s) => Err(()),
        Some(nsg) => match nsg.get("id") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if is_unknown_text(s) => Err(()),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(()),
        },
    }
}

impl Predicate for NsgWhereNeeded {
    fn name(&self) -> &'static str {
        NSG_NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let name = subnet_name(graph, subject);
        if self.exempt.iter().any(|e| e.eq_ignore_ascii_case(name)) {
            return Outcome::new(Truth::True);
        }
        let uses: Vec<&str> = subnet_uses(graph, subject)
            .into_iter()
            .filter(|u| self.uses.iter().any(|wanted| wanted == u))
            .collect();
        if uses.is_empty() {
            return Outcome::new(Truth::True);
        }
        match nsg_id(&graph.get(subject).body.json()) {
            Ok(Some(_)) => Outcome::new(Truth::True),
            Err(()) => {
                Outcome::unknown("the subnet's network security group is not known statically")
                    .with_evidence(subject, "/properties/networkSecurityGroup")
            }
            Ok(None) => Outcome::new(Truth::False)
                .with_evidence(subject, "")
                .with_binding(
                    "uses",
                    uses.iter()
                        .map(|u| {
                            if *u == "compute" {
                                "compute"
                            } else {
                                "private endpoints"
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" and "),
                ),
        }
    }
}

/// The compiled outbound predicate.
pub struct OutboundDenied;

impl OutboundDenied {
    /// Takes no args.
    pub fn new(args: &Value) -> Result<OutboundDenied, String> {
        super::known_args(OUTBOUND_NAME, args, &[])?;
        Ok(OutboundDenied)
    }
}

/// How an outbound rule bears on "all traffic to the internet".
enum Bearing {
    /// Not about all traffic to the internet.
    Irrelevant,
    /// Decides it at this priority: allow (`true`) or deny.
    Decides(f64, bool),
}

fn text<'a>(props: &'a Value, key: &str) -> Option<&'a str> {
    props.get(key).and_then(Value::as_str)
}

/// Whether a security rule's fields decide all outbound internet traffic; `Err` when a
/// field that matters is unknown.
fn bearing(props: &Value) -> Result<Bearing, ()> {
    let field = |key: &str| match props.get(key) {
        Some(Value::String(s)) if is_unknown_text(s) => Err(()),
        Some(Value::String(s)) => Ok(Some(s.to_ascii_lowercase())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        _ => Ok(None),
    };
    let list = |singular: &str, plural: &str| -> Result<Vec<String>, ()> {
        let mut out: Vec<String> = field(singular)?.into_iter().collect();
        if let Some(items) = props.get(plural).and_then(Value::as_array) {
            for item in items {
                match item {
                    Value::String(s) if is_unknown_text(s) => return Err(()),
                    Value::String(s) => out.push(s.to_ascii_lowercase()),
                    Value::Number(n) => out.push(n.to_string()),
                    _ => {}
                }
            }
        } else if props
            .get(plural)
            .and_then(Value::as_str)
            .is_some_and(is_unknown_text)
        {
            return Err(());
        }
        Ok(out.into_iter().filter(|s| !s.is_empty()).collect())
    };
    if field("direction")?.as_deref() != Some("outbound") {
        return Ok(Bearing::Irrelevant);
    }
    let protocol = field("protocol")?;
    if !matches!(protocol.as_deref(), None | Some("*" | "any")) {
        return Ok(Bearing::Irrelevant);
    }
    let ports = list("destinationPortRange", "destinationPortRanges")?;
    if !ports.iter().any(|p| p == "*" || p == "0-65535") {
        return Ok(Bearing::Irrelevant);
    }
    let destinations = list("destinationAddressPrefix", "destinationAddressPrefixes")?;
    if !destinations.iter().any(|d| is_any_source(d)) {
        return Ok(Bearing::Irrelevant);
    }
    let priority = match props.get("priority") {
        Some(Value::Number(n)) => n.as_f64().ok_or(())?,
        Some(Value::String(s)) => s.parse().map_err(|_| ())?,
        _ => return Err(()),
    };
    let allow = match field("access")?.as_deref() {
        Some("allow") => true,
        Some("deny") => false,
        _ => return Ok(Bearing::Irrelevant),
    };
    Ok(Bearing::Decides(priority, allow))
}

impl Predicate for OutboundDenied {
    fn name(&self) -> &'static str {
        OUTBOUND_NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let body = graph.get(subject).body.json();
        let id = match nsg_id(&body) {
            Err(()) => {
                return Outcome::unknown(
                    "the subnet's network security group is not known statically",
                )
            }
            Ok(None) => {
                return Outcome::new(Truth::False)
                    .with_evidence(subject, "")
                    .with_binding(
                        "why",
                        "it has no network security group, so Azure's default rule allows it",
                    )
            }
            Ok(Some(id)) => id,
        };
        let Some(nsg) = graph.resolve(subject, id) else {
            return Outcome::unknown(format!("{id} is not in the scanned files"));
        };
        let nsg_body = graph.get(nsg).body.json();
        let rules = nsg_body.pointer("/properties/securityRules");
        let rules = match rules {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(items)) => items.as_slice(),
            Some(_) => return Outcome::unknown("the NSG's rules are not known statically"),
        };
        let mut decision: Option<(f64, bool, &str)> = None;
        for rule in rules {
            let Some(props) = rule.get("properties") else {
                continue;
            };
            let name = text(rule, "name").unwrap_or("?");
            match bearing(props) {
                Err(()) => {
                    return Outcome::unknown(format!(
                        "outbound rule '{name}' of the NSG is not known statically"
                    ))
                }
                Ok(Bearing::Irrelevant) => {}
                Ok(Bearing::Decides(priority, allow)) => {
                    if decision.is_none_or(|(p, ..)| priority < p) {
                        decision = Some((priority, allow, name));
                    }
                }
            }
        }
        let why = match decision {
            Some((_, false, _)) => return Outcome::new(Truth::True),
            Some((_, true, name)) => {
                format!("NSG '{}' allows it with rule '{name}'", graph.get(nsg).name)
            }
            None => format!(
                "NSG '{}' has no outbound Deny to the internet, so Azure's default rule \
                 AllowInternetOutBound allows it",
                graph.get(nsg).name
            ),
        };
        Outcome::new(Truth::False)
            .with_evidence(subject, "/properties/networkSecurityGroup")
            .with_binding("why", why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    const RG: &str = "/subscriptions/s/resourceGroups/rg/providers";

    fn subnet_graph(subnet: &str, nsg: Option<Value>, users: &[&str]) -> Graph {
        let vnet = format!("{RG}/Microsoft.Network/virtualNetworks/vnet");
        let nsg_id = format!("{RG}/Microsoft.Network/networkSecurityGroups/nsg");
        let mut subnet_props = json!({});
        if nsg.is_some() {
            subnet_props["networkSecurityGroup"] = json!({"id": nsg_id});
        }
        let mut resources = vec![Resource::test(
            &vnet,
            "Microsoft.Network/virtualNetworks",
            json!({"properties": {"subnets": [{"name": subnet, "properties": subnet_props}]}}),
        )];
        if let Some(rules) = nsg {
            resources.push(Resource::test(
                &nsg_id,
                "Microsoft.Network/networkSecurityGroups",
                json!({"properties": {"securityRules": rules}}),
            ));
        }
        for (i, kind) in users.iter().enumerate() {
            resources.push(Resource::test(
                &format!("{RG}/{kind}/user{i}"),
                kind,
                json!({"properties": {"subnet": {"id": format!("{vnet}/subnets/{subnet}")}}}),
            ));
        }
        Graph::new(resources)
    }

    fn subnet_index(graph: &Graph) -> ResourceIndex {
        graph
            .resources()
            .iter()
            .position(|r| r.is("Microsoft.Network/virtualNetworks/subnets"))
            .expect("the inline subnet is a resource")
    }

    #[test]
    fn only_used_subnets_need_an_nsg_and_special_subnets_never() {
        let p = NsgWhereNeeded::new(&Value::Null).unwrap();
        let pe = "Microsoft.Network/privateEndpoints";
        let g = subnet_graph("snet-pe", None, &[pe]);
        let o = p.eval(&g, subnet_index(&g));
        assert_eq!(o.truth, Truth::False);
        assert_eq!(o.bindings[0].1, "private endpoints");
        let g = subnet_graph("snet-empty", None, &[]);
        assert_eq!(p.eval(&g, subnet_index(&g)).truth, Truth::True);
        let g = subnet_graph("GatewaySubnet", None, &[pe]);
        assert_eq!(p.eval(&g, subnet_index(&g)).truth, Truth::True);
        let g = subnet_graph("snet-pe", Some(json!([])), &[pe]);
        assert_eq!(p.eval(&g, subnet_index(&g)).truth, Truth::True);
        let compute_only = NsgWhereNeeded::new(&json!({"uses": ["compute"]})).unwrap();
        let g = subnet_graph("snet-pe", None, &[pe]);
        assert_eq!(compute_only.eval(&g, subnet_index(&g)).truth, Truth::True);
        assert!(NsgWhereNeeded::new(&json!({"uses": ["database"]})).is_err());
    }

    fn outbound(name: &str, priority: u32, access: &str, destination: &str, ports: &str) -> Value {
        json!({"name": name, "properties": {
            "priority": priority, "direction": "Outbound", "access": access, "protocol": "*",
            "sourceAddressPrefix": "*", "sourcePortRange": "*",
            "destinationAddressPrefix": destination, "destinationPortRange": ports,
        }})
    }

    #[test]
    fn the_highest_priority_all_traffic_rule_decides_outbound_internet() {
        let p = OutboundDenied;
        let users = ["Microsoft.MachineLearningServices/workspaces/computes"];
        let verdict = |rules: Value| {
            let g = subnet_graph("snet-ml", Some(rules), &users);
            p.eval(&g, subnet_index(&g)).truth
        };
        assert_eq!(verdict(json!([])), Truth::False, "the default allows it");
        assert_eq!(
            verdict(json!([outbound("deny", 4000, "Deny", "Internet", "*")])),
            Truth::True
        );
        assert_eq!(
            verdict(json!([
                outbound("aml", 100, "Allow", "AzureMachineLearning", "443"),
                outbound("deny", 4000, "Deny", "Internet", "*"),
            ])),
            Truth::True
        );
        assert_eq!(
            verdict(json!([
                outbound("all", 100, "Allow", "*", "*"),
                outbound("deny", 4000, "Deny", "Internet", "*"),
            ])),
            Truth::False
        );
        assert_eq!(
            verdict(json!([outbound(
                "deny-web", 100, "Deny", "Internet", "443"
            )])),
            Truth::False,
            "denying one port leaves the rest"
        );
        let mut unknown = outbound("deny", 4000, "Deny", "Internet", "*");
        unknown["properties"]["access"] = json!(crate::eval::value::UNKNOWN_MARKER);
        assert_eq!(verdict(json!([unknown])), Truth::Unknown);
        let g = subnet_graph("snet-ml", None, &users);
        assert_eq!(p.eval(&g, subnet_index(&g)).truth, Truth::False);
    }
}
