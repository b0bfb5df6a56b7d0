//! `nsg-rule-open-inbound`: an NSG security rule that, after priority ordering, admits
//! inbound traffic from the internet to every port or to a sensitive one.

use serde_json::Value;

use super::network::{is_any_source, PortError, PortSet};
use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{Graph, ResourceIndex};

/// The predicate's name.
pub const NAME: &str = "nsg-rule-open-inbound";

/// What it says.
pub const DOC: &str = "On a Microsoft.Network/networkSecurityGroups/securityRules resource: an inbound \
Allow rule whose source is any address (`*`, `Any`, `Internet`, `0.0.0.0/0`, `::/0`; service tags are \
not) and whose destination ports, minus those a Deny of higher priority in the same NSG already \
blocks for the same traffic, include all ports or one of `args.ports` (numbers or `lo-hi` ranges). \
Binds `{ports}`, `{source}`.";

/// The compiled predicate: the sensitive ports.
pub struct OpenInbound {
    sensitive: PortSet,
}

impl OpenInbound {
    /// Reads `args: {ports: [22, "3389", "5000-5010"]}`.
    pub fn new(args: &Value) -> Result<OpenInbound, String> {
        let ports = args
            .get("ports")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{NAME} needs args.ports, a list of ports"))?;
        let items: Vec<String> = ports
            .iter()
            .map(|p| match p {
                Value::Number(n) => Ok(n.to_string()),
                Value::String(s) => Ok(s.clone()),
                _ => Err(format!(
                    "{NAME}: a port must be a number or a string, not {p}"
                )),
            })
            .collect::<Result<_, _>>()?;
        let sensitive = PortSet::parse(items.iter().map(String::as_str))
            .map_err(|e| format!("{NAME}: {e:?}"))?;
        Ok(OpenInbound { sensitive })
    }
}

/// The facts of one security rule that matter here.
struct SecurityRule<'a> {
    props: &'a Value,
}

impl<'a> SecurityRule<'a> {
    fn field(&self, key: &str) -> Option<&'a str> {
        self.props.get(key).and_then(Value::as_str)
    }

    fn is(&self, key: &str, expected: &str) -> Option<bool> {
        match self.field(key) {
            Some(v) if is_unknown_text(v) => None,
            Some(v) => Some(v.eq_ignore_ascii_case(expected)),
            None => Some(false),
        }
    }

    /// Singular and plural forms together.
    fn list(&self, singular: &str, plural: &str) -> Vec<&'a str> {
        let mut out: Vec<&str> = self
            .field(singular)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(items) = self.props.get(plural).and_then(Value::as_array) {
            out.extend(items.iter().filter_map(Value::as_str));
        }
        out
    }

    fn priority(&self) -> Option<f64> {
        match self.props.get("priority") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    fn ports(&self) -> Result<PortSet, PortError> {
        PortSet::parse(self.list("destinationPortRange", "destinationPortRanges"))
    }

    /// `Some(true)` if any source admits the internet; `None` if a source is unknown.
    fn admits_any_source(&self) -> Option<bool> {
        let sources = self.list("sourceAddressPrefix", "sourceAddressPrefixes");
        if sources.iter().any(|s| is_unknown_text(s)) {
            return None;
        }
        Some(sources.iter().any(|s| is_any_source(s)))
    }

    /// `Some(true)` if every destination of `other` is one of this rule's destinations
    /// (or this rule's destination is any address); `None` if a destination is unknown.
    fn destination_covers(&self, other: &SecurityRule<'_>) -> Option<bool> {
        let mine = self.list("destinationAddressPrefix", "destinationAddressPrefixes");
        let theirs = other.list("destinationAddressPrefix", "destinationAddressPrefixes");
        if mine.iter().chain(&theirs).any(|s| is_unknown_text(s)) {
            return None;
        }
        let any = |d: &&str| {
            ["*", "any", "0.0.0.0/0", "::/0"]
                .iter()
                .any(|a| d.eq_ignore_ascii_case(a))
        };
        if mine.iter().any(any) {
            return Some(true);
        }
        Some(
            !theirs.is_empty()
                && theirs
                    .iter()
                    .all(|t| mine.iter().any(|m| m.eq_ignore_ascii_case(t))),
        )
    }

    fn protocol_covers(&self, other: &SecurityRule<'_>) -> bool {
        match (self.field("protocol"), other.field("protocol")) {
            (Some(mine), Some(theirs)) => mine == "*" || mine.eq_ignore_ascii_case(theirs),
            (Some(mine), None) => mine == "*",
            _ => false,
        }
    }
}

impl Predicate for OpenInbound {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let resource = graph.get(subject);
        let Some(props) = resource.body.get("properties") else {
            return Outcome::new(Truth::False);
        };
        let rule = SecurityRule { props };
        let (Some(inbound), Some(allow), Some(from_any)) = (
            rule.is("direction", "Inbound"),
            rule.is("access", "Allow"),
            rule.admits_any_source(),
        ) else {
            return Outcome::unknown(format!(
                "direction, access or source of {} is not known statically",
                resource.name
            ));
        };
        if !(inbound && allow && from_any) {
            return Outcome::new(Truth::False);
        }
        let mut open = match rule.ports() {
            Ok(ports) => ports,
            Err(PortError::Unknown) => {
                return Outcome::unknown(format!(
                    "the ports of {} are not known statically",
                    resource.name
                ))
            }
            Err(PortError::Invalid(_)) => return Outcome::new(Truth::False),
        };
        let all_ports = open.is_all();
        if let Some(parent) = graph.parent(subject) {
            match shadowing_denies(
                graph.get(parent).body.pointer("/properties/securityRules"),
                &rule,
                &resource.body,
            ) {
                Ok(denied) => open = open.minus(&denied),
                Err(reason) => return Outcome::unknown(reason),
            }
        }
        let sensitive_open = open.intersect(&self.sensitive);
        let exposed = if open.is_all() {
            open
        } else if all_ports && !open.is_empty() {
            if sensitive_open.is_empty() {
                open
            } else {
                sensitive_open
            }
        } else {
            sensitive_open
        };
        if exposed.is_empty() {
            return Outcome::new(Truth::False);
        }
        let source = rule
            .list("sourceAddressPrefix", "sourceAddressPrefixes")
            .into_iter()
            .find(|s| is_any_source(s))
            .unwrap_or("*");
        let pointer = if props.get("sourceAddressPrefix").is_some() {
            "/properties/sourceAddressPrefix"
        } else {
            "/properties/sourceAddressPrefixes"
        };
        Outcome::new(Truth::True)
            .with_evidence(subject, pointer)
            .with_binding("ports", exposed.describe())
            .with_binding("source", source)
    }
}

/// The ports that Deny rules of higher priority (lower number) block for traffic from
/// the internet with the same protocol, to every destination the rule opens. `Err` when such
/// a rule's fields are unknown.
fn shadowing_denies(
    siblings: Option<&Value>,
    rule: &SecurityRule<'_>,
    own_body: &Value,
) -> Result<PortSet, String> {
    let own_name = own_body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(own_priority) = rule.priority() else {
        return Err("the rule's priority is not known statically".into());
    };
    let mut denied = PortSet::default();
    for sibling in siblings.and_then(Value::as_array).into_iter().flatten() {
        if sibling
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case(own_name))
        {
            continue;
        }
        let Some(props) = sibling.get("properties") else {
            continue;
        };
        let deny = SecurityRule { props };
        if deny.is("direction", "Inbound") == Some(false)
            || deny.is("access", "Deny") == Some(false)
        {
            continue;
        }
        let (Some(true), Some(true), Some(from_any)) = (
            deny.is("direction", "Inbound"),
            deny.is("access", "Deny"),
            deny.admits_any_source(),
        ) else {
            return Err("a Deny rule of the same NSG is not known statically".into());
        };
        let Some(priority) = deny.priority() else {
            return Err(
                "the priority of a Deny rule of the same NSG is not known statically".into(),
            );
        };
        if !from_any || priority >= own_priority || !deny.protocol_covers(rule) {
            continue;
        }
        match deny.destination_covers(rule) {
            Some(true) => {}
            Some(false) => continue,
            None => {
                return Err(
                    "the destination of a Deny rule of the same NSG is not known statically".into(),
                )
            }
        }
        match deny.ports() {
            Ok(ports) => denied = denied.union(&ports),
            Err(PortError::Unknown) => {
                return Err(
                    "the ports of a Deny rule of the same NSG are not known statically".into(),
                )
            }
            Err(PortError::Invalid(_)) => {}
        }
    }
    Ok(denied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    const NSG: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg";

    fn graph(rules: Value) -> Graph {
        Graph::new(vec![Resource::test(
            NSG,
            "Microsoft.Network/networkSecurityGroups",
            json!({"properties": {"securityRules": rules}}),
        )])
    }

    fn rule(name: &str, priority: u32, access: &str, ports: &str) -> Value {
        json!({"name": name, "properties": {
            "priority": priority, "direction": "Inbound", "access": access, "protocol": "*",
            "sourceAddressPrefix": "*", "destinationPortRange": ports,
            "destinationAddressPrefix": "*",
        }})
    }

    fn to(mut rule: Value, destination: &str) -> Value {
        rule["properties"]["destinationAddressPrefix"] = json!(destination);
        rule
    }

    #[test]
    fn a_deny_shadows_only_the_destinations_it_covers() {
        let narrow_deny = graph(json!([
            to(rule("deny-ssh-db", 100, "Deny", "22"), "10.0.1.4"),
            rule("ssh", 200, "Allow", "22"),
        ]));
        assert_eq!(ports_of(&narrow_deny, "ssh").as_deref(), Some("22"));
        let same_host = graph(json!([
            to(rule("deny-ssh-db", 100, "Deny", "22"), "10.0.1.4"),
            to(rule("ssh", 200, "Allow", "22"), "10.0.1.4"),
        ]));
        assert_eq!(ports_of(&same_host, "ssh"), None);
        let wide_deny = graph(json!([
            rule("deny-ssh", 100, "Deny", "22"),
            to(rule("ssh", 200, "Allow", "22"), "VirtualNetwork"),
        ]));
        assert_eq!(ports_of(&wide_deny, "ssh"), None);
    }

    fn ports_of(graph: &Graph, rule: &str) -> Option<String> {
        let index = graph
            .resources()
            .iter()
            .position(|r| r.name == format!("nsg/{rule}"))
            .expect("the rule is a resource");
        let predicate = OpenInbound::new(&json!({"ports": [22, 3389]})).unwrap();
        let outcome = predicate.eval(graph, index);
        (outcome.truth == Truth::True).then(|| {
            outcome
                .bindings
                .iter()
                .find(|(k, _)| k == "ports")
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
    }

    #[test]
    fn every_port_open_is_described_as_all_ports() {
        let g = graph(json!([rule("any", 4096, "Allow", "*")]));
        assert_eq!(ports_of(&g, "any").as_deref(), Some("all ports"));
    }

    #[test]
    fn a_shadowed_wildcard_reports_the_sensitive_ports_left() {
        let g = graph(json!([
            rule("deny-ssh", 100, "Deny", "22"),
            rule("any", 200, "Allow", "*"),
        ]));
        assert_eq!(ports_of(&g, "any").as_deref(), Some("3389"));
        let g = graph(json!([
            rule("deny-ssh", 100, "Deny", "22"),
            rule("ssh", 200, "Allow", "22"),
        ]));
        assert_eq!(ports_of(&g, "ssh"), None);
    }
}
