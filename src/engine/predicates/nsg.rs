//! `nsg-rule-open-inbound`: an NSG security rule that, after priority ordering, admits
//! inbound traffic from the internet to every port or to a sensitive one.

use std::borrow::Cow;

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
blocks for the same traffic, include all ports or one of `args.ports` for the rule's protocol. \
`args.ports` items are numbers or `lo-hi` ranges, sensitive over TCP and UDP, or carry a protocol \
(`22/tcp`, `1434/udp`). Ports written as numbers count like strings; a `Tcp` rule opens TCP ports, \
`Udp` UDP ports, `*` both, and `Icmp`, `Esp` or `Ah` none. Binds `{ports}`, `{source}`.";

/// The broad-source variant's name.
pub const BROAD_NAME: &str = "nsg-rule-broad-inbound";

/// What the broad-source variant says.
pub const BROAD_DOC: &str = "Like `nsg-rule-open-inbound`, but for sources that are a public IPv4 range wider than a /`args.wider_than` (default 8), e.g. `0.0.0.0/1` or `64.0.0.0/2`, instead of any address; the all-addresses sources (`*`, `Internet`, `0.0.0.0/0`) are left to `nsg-rule-open-inbound`. Takes the same `args.ports`. Binds `{ports}`, `{source}`.";

/// Which sources a variant of the predicate flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sources {
    /// Any address.
    Any,
    /// An IPv4 range with a prefix shorter than this (and longer than 0).
    WiderThan(u8),
}

impl Sources {
    fn matches(self, prefix: &str) -> bool {
        match self {
            Sources::Any => is_any_source(prefix),
            Sources::WiderThan(limit) => {
                !is_any_source(prefix) && broad_ipv4(prefix).is_some_and(|len| len < limit)
            }
        }
    }
}

/// The prefix length of an IPv4 CIDR (`64.0.0.0/2` → 2), if it is one.
fn broad_ipv4(prefix: &str) -> Option<u8> {
    let (address, length) = prefix.trim().split_once('/')?;
    super::network::ipv4(address)?;
    length.trim().parse::<u8>().ok().filter(|len| *len <= 32)
}

/// The transport protocols whose ports NSG rules match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transport {
    Tcp,
    Udp,
}

const TRANSPORTS: [Transport; 2] = [Transport::Tcp, Transport::Udp];

/// The compiled predicate: the sensitive ports per transport.
pub struct OpenInbound {
    tcp: PortSet,
    udp: PortSet,
    sources: Sources,
}

impl OpenInbound {
    /// Reads `args: {ports: [22, "3389", "5000-5010", "22/tcp", "1434/udp"]}`.
    pub fn new(args: &Value) -> Result<OpenInbound, String> {
        super::known_args(NAME, args, &["ports"])?;
        OpenInbound::with_sources(args, Sources::Any)
    }

    /// The broad-source variant: `args: {ports: […], wider_than: 8}`.
    pub fn broad(args: &Value) -> Result<OpenInbound, String> {
        super::known_args(BROAD_NAME, args, &["ports", "wider_than"])?;
        let limit = match args.get("wider_than") {
            None => 8,
            Some(v) => v
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .filter(|n| (1..=32).contains(n))
                .ok_or_else(|| {
                    format!("{BROAD_NAME}: wider_than must be a prefix length 1-32, not {v}")
                })?,
        };
        OpenInbound::with_sources(args, Sources::WiderThan(limit))
    }

    fn with_sources(args: &Value, sources: Sources) -> Result<OpenInbound, String> {
        let ports = args
            .get("ports")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{NAME} needs args.ports, a list of ports"))?;
        let mut tcp = Vec::new();
        let mut udp = Vec::new();
        for p in ports {
            let item = match p {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => {
                    return Err(format!(
                        "{NAME}: a port must be a number or a string, not {p}"
                    ))
                }
            };
            let (range, protocol) = item.split_once('/').unwrap_or((&item, "*"));
            let range = range.to_owned();
            match protocol.trim().to_ascii_lowercase().as_str() {
                "tcp" => tcp.push(range),
                "udp" => udp.push(range),
                "*" => {
                    tcp.push(range.clone());
                    udp.push(range);
                }
                other => return Err(format!("{NAME}: unknown protocol {other:?} in {item:?}")),
            }
        }
        let parse = |items: &[String]| {
            PortSet::parse(items.iter().map(String::as_str)).map_err(|e| format!("{NAME}: {e:?}"))
        };
        Ok(OpenInbound {
            tcp: parse(&tcp)?,
            udp: parse(&udp)?,
            sources,
        })
    }

    fn sensitive(&self, transport: Transport) -> &PortSet {
        match transport {
            Transport::Tcp => &self.tcp,
            Transport::Udp => &self.udp,
        }
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

    /// Singular and plural forms together; numbers count as their text, as Azure reads
    /// `"destinationPortRange": 22`.
    fn list(&self, singular: &str, plural: &str) -> Vec<Cow<'a, str>> {
        let item = |v: &'a Value| match v {
            Value::String(s) => Some(Cow::Borrowed(s.as_str())),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        };
        let mut out: Vec<Cow<'a, str>> = self
            .props
            .get(singular)
            .and_then(item)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(items) = self.props.get(plural).and_then(Value::as_array) {
            out.extend(items.iter().filter_map(item));
        }
        out
    }

    /// The transports whose ports the rule matches (none for ICMP, ESP, AH); an omitted
    /// protocol is taken as `*`. `None` when the protocol is unknown.
    fn transports(&self) -> Option<&'static [Transport]> {
        match self
            .field("protocol")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some(p) if is_unknown_text(p) => None,
            None | Some("*" | "any") => Some(&TRANSPORTS),
            Some("tcp") => Some(&TRANSPORTS[..1]),
            Some("udp") => Some(&TRANSPORTS[1..]),
            Some(_) => Some(&[]),
        }
    }

    fn priority(&self) -> Option<f64> {
        match self.props.get("priority") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    fn ports(&self) -> Result<PortSet, PortError> {
        let items = self.list("destinationPortRange", "destinationPortRanges");
        PortSet::parse(items.iter().map(|s| s.as_ref()))
    }

    /// `Some(true)` if any source admits the internet; `None` if a source is unknown.
    fn admits_any_source(&self) -> Option<bool> {
        self.admits(Sources::Any)
    }

    /// `Some(true)` if a source is of the kind `sources` flags; `None` if one is unknown.
    fn admits(&self, sources: Sources) -> Option<bool> {
        let listed = self.list("sourceAddressPrefix", "sourceAddressPrefixes");
        if listed.iter().any(|s| is_unknown_text(s)) {
            return None;
        }
        Some(listed.iter().any(|s| sources.matches(s)))
    }

    /// `Some(true)` if every destination of `other` is one of this rule's destinations
    /// (or this rule's destination is any address); `None` if a destination is unknown.
    fn destination_covers(&self, other: &SecurityRule<'_>) -> Option<bool> {
        let mine = self.list("destinationAddressPrefix", "destinationAddressPrefixes");
        let theirs = other.list("destinationAddressPrefix", "destinationAddressPrefixes");
        if mine.iter().chain(&theirs).any(|s| is_unknown_text(s)) {
            return None;
        }
        let any = |d: &Cow<'_, str>| {
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
}

impl Predicate for OpenInbound {
    fn name(&self) -> &'static str {
        match self.sources {
            Sources::Any => NAME,
            Sources::WiderThan(_) => BROAD_NAME,
        }
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let resource = graph.get(subject);
        let body = resource.body.json();
        let Some(props) = body.get("properties") else {
            return Outcome::new(Truth::False);
        };
        let rule = SecurityRule { props };
        let (Some(inbound), Some(allow), Some(from_any)) = (
            rule.is("direction", "Inbound"),
            rule.is("access", "Allow"),
            rule.admits(self.sources),
        ) else {
            return Outcome::unknown(format!(
                "direction, access or source of {} is not known statically",
                resource.name
            ));
        };
        if !(inbound && allow && from_any) {
            return Outcome::new(Truth::False);
        }
        let Some(transports) = rule.transports() else {
            return Outcome::unknown(format!(
                "the protocol of {} is not known statically",
                resource.name
            ));
        };
        let ports = match rule.ports() {
            Ok(ports) => ports,
            Err(PortError::Unknown) => {
                return Outcome::unknown(format!(
                    "the ports of {} are not known statically",
                    resource.name
                ))
            }
            Err(PortError::Invalid(_)) => return Outcome::new(Truth::False),
        };
        let parent_body = graph
            .parent(subject)
            .map(|parent| graph.get(parent).body.json());
        let siblings = parent_body
            .as_deref()
            .map(|body| body.pointer("/properties/securityRules"));
        let mut exposed = PortSet::default();
        for &transport in transports {
            let mut open = ports.clone();
            if let Some(siblings) = siblings {
                match shadowing_denies(siblings, &rule, &resource.body.json(), transport) {
                    Ok(denied) => open = open.minus(&denied),
                    Err(reason) => return Outcome::unknown(reason),
                }
            }
            exposed = exposed.union(&exposure(open, ports.is_all(), self.sensitive(transport)));
        }
        if exposed.is_empty() {
            return Outcome::new(Truth::False);
        }
        let source = rule
            .list("sourceAddressPrefix", "sourceAddressPrefixes")
            .into_iter()
            .find(|s| self.sources.matches(s))
            .unwrap_or(Cow::Borrowed("*"));
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

/// What an allow opens that matters: every port when it opens every port; when it was
/// written for every port but a Deny closes some, the sensitive ports left, else the rest;
/// otherwise the sensitive ports it opens.
fn exposure(open: PortSet, written_for_all: bool, sensitive: &PortSet) -> PortSet {
    let sensitive_open = open.intersect(sensitive);
    if open.is_all() || (written_for_all && sensitive_open.is_empty()) {
        open
    } else {
        sensitive_open
    }
}

/// The ports of `transport` that Deny rules of higher priority (lower number) block for
/// traffic from the internet, to every destination the rule opens. `Err` when such a rule's
/// fields are unknown.
fn shadowing_denies(
    siblings: Option<&Value>,
    rule: &SecurityRule<'_>,
    own_body: &Value,
    transport: Transport,
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
        let Some(deny_transports) = deny.transports() else {
            return Err(
                "the protocol of a Deny rule of the same NSG is not known statically".into(),
            );
        };
        if !from_any || priority >= own_priority || !deny_transports.contains(&transport) {
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
        let predicate = OpenInbound::new(&json!({"ports": ["22/tcp", 3389]})).unwrap();
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

    fn over(mut rule: Value, protocol: &str) -> Value {
        rule["properties"]["protocol"] = json!(protocol);
        rule
    }

    #[test]
    fn the_protocol_decides_which_ports_are_sensitive() {
        let g = graph(json!([
            over(rule("ssh-udp", 100, "Allow", "22"), "Udp"),
            over(rule("rdp-udp", 110, "Allow", "3389"), "udp"),
            over(rule("ping", 120, "Allow", "*"), "Icmp"),
            over(rule("ssh-tcp", 130, "Allow", "22"), "Tcp"),
        ]));
        assert_eq!(ports_of(&g, "ssh-udp"), None);
        assert_eq!(ports_of(&g, "rdp-udp").as_deref(), Some("3389"));
        assert_eq!(ports_of(&g, "ping"), None);
        assert_eq!(ports_of(&g, "ssh-tcp").as_deref(), Some("22"));
    }

    #[test]
    fn a_tcp_deny_leaves_the_udp_half_of_an_any_protocol_allow() {
        let g = graph(json!([
            over(rule("deny-tcp", 100, "Deny", "22-3389"), "Tcp"),
            rule("both", 200, "Allow", "22-3389"),
        ]));
        assert_eq!(ports_of(&g, "both").as_deref(), Some("3389"));
        let g = graph(json!([
            over(rule("deny-ping", 100, "Deny", "*"), "Icmp"),
            rule("ssh", 200, "Allow", "22"),
        ]));
        assert_eq!(ports_of(&g, "ssh").as_deref(), Some("22"));
    }

    #[test]
    fn ports_written_as_numbers_are_ports() {
        let mut single = rule("ssh", 100, "Allow", "0");
        single["properties"]["destinationPortRange"] = json!(22);
        let mut list = rule("rdp", 110, "Allow", "0");
        list["properties"]["destinationPortRange"] = json!("");
        list["properties"]["destinationPortRanges"] = json!([443, 3389]);
        let g = graph(json!([single, list]));
        assert_eq!(ports_of(&g, "ssh").as_deref(), Some("22"));
        assert_eq!(ports_of(&g, "rdp").as_deref(), Some("3389"));
    }

    #[test]
    fn broad_public_ranges_are_flagged_apart_from_any_address() {
        let from = |name: &str, source: &str| {
            let mut r = rule(name, 100, "Allow", "22");
            r["properties"]["sourceAddressPrefix"] = json!(source);
            r
        };
        let g = graph(json!([
            from("half", "0.0.0.0/1"),
            from("slash8", "20.0.0.0/8"),
            from("any", "*"),
            from("tag", "VirtualNetwork"),
            from("wide", "64.0.0.0/2"),
        ]));
        let broad = OpenInbound::broad(&json!({"ports": ["22/tcp"]})).unwrap();
        let fires = |name: &str| {
            let i = g
                .resources()
                .iter()
                .position(|r| r.name == format!("nsg/{name}"))
                .unwrap();
            broad.eval(&g, i).truth == Truth::True
        };
        assert!(fires("half"));
        assert!(fires("wide"));
        assert!(!fires("slash8"), "a /8 is not wider than a /8");
        assert!(!fires("any"), "any address is nsg-open-inbound's");
        assert!(!fires("tag"));
        assert!(OpenInbound::broad(&json!({"ports": [22], "wider_than": 40})).is_err());
        assert!(OpenInbound::new(&json!({"ports": [22], "wider_than": 8})).is_err());
    }

    #[test]
    fn port_arguments_name_their_protocol() {
        assert!(OpenInbound::new(&json!({"ports": ["22/sctp"]})).is_err());
        let p = OpenInbound::new(&json!({"ports": ["22/TCP", "53/udp", 3389]})).unwrap();
        assert_eq!(p.tcp.describe(), "22, 3389");
        assert_eq!(p.udp.describe(), "53, 3389");
    }
}
