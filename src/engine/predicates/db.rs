//! `db-public-endpoint-closed`: a database server (Azure SQL, PostgreSQL or MySQL flexible)
//! has no public endpoint; when it has one, how far its firewall rules open it.

use serde_json::Value;

use super::network::ipv4;
use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{Graph, ResourceIndex};

/// The predicate's name.
pub const NAME: &str = "db-public-endpoint-closed";

/// What it says.
pub const DOC: &str = "On Microsoft.Sql/servers, Microsoft.DBforPostgreSQL/flexibleServers and \
Microsoft.DBforMySQL/flexibleServers: public network access (`properties.publicNetworkAccess`, \
`properties.network.publicNetworkAccess` on flexible servers) is not `Enabled`. False binds \
`{exposure}` and, when every firewall rule in scope is known and admits at most \
2^(32-`args.wider_than`) addresses (default /8) and none is the 0.0.0.0 \"Azure services\" rule, \
`{severity}` = `info`: the endpoint exists but only listed addresses reach it.";

/// The compiled predicate.
pub struct PublicEndpointClosed {
    /// Firewall ranges of more addresses than a prefix of this length are broad.
    wider_than: u8,
}

impl PublicEndpointClosed {
    /// Reads `args: {wider_than: 8}` (optional).
    pub fn new(args: &Value) -> Result<PublicEndpointClosed, String> {
        super::known_args(NAME, args, &["wider_than"])?;
        let wider_than = match args.get("wider_than") {
            None => 8,
            Some(v) => v
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .filter(|n| (1..=32).contains(n))
                .ok_or_else(|| format!("{NAME}: wider_than must be a prefix length 1-32"))?,
        };
        Ok(PublicEndpointClosed { wider_than })
    }
}

/// What a set of firewall rules admits.
enum Firewall {
    /// Nothing: no rule.
    Closed,
    /// Only the listed, narrow ranges.
    Narrow(usize),
    /// A broad range or every Azure service, by the named rule.
    Broad(String),
    /// A rule's range is not known statically.
    Unknown,
}

fn firewall(graph: &Graph, server: ResourceIndex, wider_than: u8) -> Firewall {
    let limit = 1u64 << (32 - u32::from(wider_than));
    let mut narrow = 0;
    for &child in graph.children(server) {
        let rule = graph.get(child);
        if !rule.kind.ends_with("/firewallRules") {
            continue;
        }
        let body = rule.body.json();
        let field = |key: &str| {
            body.pointer(&format!("/properties/{key}"))
                .and_then(Value::as_str)
        };
        let (Some(start), Some(end)) = (field("startIpAddress"), field("endIpAddress")) else {
            return Firewall::Unknown;
        };
        if is_unknown_text(start) || is_unknown_text(end) {
            return Firewall::Unknown;
        }
        let (Some(lo), Some(hi)) = (ipv4(start), ipv4(end)) else {
            continue;
        };
        let name = rule
            .name
            .rsplit('/')
            .next()
            .unwrap_or(&rule.name)
            .to_owned();
        if lo == 0 && hi == 0 {
            return Firewall::Broad(format!("firewall rule '{name}' admits every Azure service"));
        }
        if u64::from(hi.saturating_sub(lo)) + 1 > limit {
            return Firewall::Broad(format!("firewall rule '{name}' admits {start}–{end}"));
        }
        narrow += 1;
    }
    if narrow == 0 {
        Firewall::Closed
    } else {
        Firewall::Narrow(narrow)
    }
}

impl Predicate for PublicEndpointClosed {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let body = &*graph.get(subject).body.json();
        let pointer = if body
            .pointer("/properties/network/publicNetworkAccess")
            .is_some()
        {
            "/properties/network/publicNetworkAccess"
        } else {
            "/properties/publicNetworkAccess"
        };
        match body.pointer(pointer).and_then(Value::as_str) {
            Some(v) if is_unknown_text(v) => {
                return Outcome::unknown("public network access is not known statically")
                    .with_evidence(subject, pointer)
            }
            Some(v) if v.eq_ignore_ascii_case("Enabled") => {}
            _ => return Outcome::new(Truth::True),
        }
        let outcome = Outcome::new(Truth::False).with_evidence(subject, pointer);
        match firewall(graph, subject, self.wider_than) {
            Firewall::Closed => outcome
                .with_binding(
                    "exposure",
                    "no firewall rule admits an address yet, but one rule or a portal click opens it",
                )
                .with_binding("severity", "info"),
            Firewall::Narrow(n) => outcome
                .with_binding(
                    "exposure",
                    format!("restricted by {n} narrow firewall rule(s)"),
                )
                .with_binding("severity", "info"),
            Firewall::Broad(why) => outcome.with_binding("exposure", why),
            Firewall::Unknown => outcome.with_binding(
                "exposure",
                "its firewall rules are not known statically",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    const SQL: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql";

    fn server(access: &str, rules: &[(&str, &str)]) -> Graph {
        let mut resources = vec![Resource::test(
            SQL,
            "Microsoft.Sql/servers",
            json!({"properties": {"publicNetworkAccess": access}}),
        )];
        for (i, (start, end)) in rules.iter().enumerate() {
            resources.push(Resource::test(
                &format!("{SQL}/firewallRules/r{i}"),
                "Microsoft.Sql/servers/firewallRules",
                json!({"properties": {"startIpAddress": start, "endIpAddress": end}}),
            ));
        }
        Graph::new(resources)
    }

    fn severity(o: &Outcome) -> Option<&str> {
        o.bindings
            .iter()
            .find(|(k, _)| k == "severity")
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn narrow_firewalls_lower_the_severity_broad_ones_do_not() {
        let p = PublicEndpointClosed::new(&Value::Null).unwrap();
        assert_eq!(p.eval(&server("Disabled", &[]), 0).truth, Truth::True);
        let narrow = p.eval(&server("Enabled", &[("203.0.113.0", "203.0.113.255")]), 0);
        assert_eq!(narrow.truth, Truth::False);
        assert_eq!(severity(&narrow), Some("info"));
        let azure = p.eval(&server("Enabled", &[("0.0.0.0", "0.0.0.0")]), 0);
        assert_eq!(severity(&azure), None);
        let wide = p.eval(&server("Enabled", &[("0.0.0.0", "127.255.255.255")]), 0);
        assert_eq!(severity(&wide), None);
        let unknown = crate::eval::value::UNKNOWN_MARKER;
        assert_eq!(p.eval(&server(unknown, &[]), 0).truth, Truth::Unknown);
        let unknown_rule = p.eval(&server("Enabled", &[("10.0.0.1", unknown)]), 0);
        assert_eq!(unknown_rule.truth, Truth::False);
        assert_eq!(severity(&unknown_rule), None);
    }
}
