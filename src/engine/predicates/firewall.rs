//! `firewall-rule-allows-all`: a server firewall rule whose IP range covers the internet.

use serde_json::Value;

use super::network::ipv4;
use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{Graph, ResourceIndex};

/// The predicate's name.
pub const NAME: &str = "firewall-rule-allows-all";

/// What it says.
pub const DOC: &str = "On a firewall rule (`properties.startIpAddress` / `endIpAddress`, as on \
PostgreSQL, MySQL and SQL servers): the range covers the whole public IPv4 unicast space, from 1.0.0.0 \
or lower to 223.255.255.255 or higher (`0.0.0.0`–`255.255.255.255` is the usual spelling). The \
`0.0.0.0`–`0.0.0.0` rule (\"allow Azure services\") is not all addresses. Binds `{range}`.";

const FIRST_PUBLIC: u32 = 0x0100_0000;
const LAST_UNICAST: u32 = 0xDFFF_FFFF;

/// The compiled predicate. Its evidence is the end address: the start of an all-addresses
/// rule (`0.0.0.0`) looks like the harmless "allow Azure services" rule, the end does not.
pub struct AllowsAll;

impl Predicate for AllowsAll {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let body = &*graph.get(subject).body.json();
        let field = |k: &str| {
            body.pointer(&format!("/properties/{k}"))
                .and_then(Value::as_str)
        };
        let (Some(start), Some(end)) = (field("startIpAddress"), field("endIpAddress")) else {
            return Outcome::new(Truth::False);
        };
        if is_unknown_text(start) || is_unknown_text(end) {
            return Outcome::unknown("the firewall rule's range is not known statically");
        }
        let (Some(lo), Some(hi)) = (ipv4(start), ipv4(end)) else {
            return Outcome::new(Truth::False);
        };
        Outcome::new((lo <= FIRST_PUBLIC && hi >= LAST_UNICAST).into())
            .with_evidence(subject, "/properties/endIpAddress")
            .with_binding("range", format!("{start}-{end}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use serde_json::json;

    fn rule(start: &str, end: &str) -> Graph {
        Graph::new(vec![Resource::test(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/sql/firewallRules/r",
            "Microsoft.Sql/servers/firewallRules",
            json!({"properties": {"startIpAddress": start, "endIpAddress": end}}),
        )])
    }

    #[test]
    fn all_addresses_point_at_the_end_of_the_range() {
        let outcome = AllowsAll.eval(&rule("0.0.0.0", "255.255.255.255"), 0);
        assert_eq!(outcome.truth, Truth::True);
        assert_eq!(outcome.evidence[0].pointer, "/properties/endIpAddress");
        assert_eq!(
            outcome.bindings,
            vec![("range".to_owned(), "0.0.0.0-255.255.255.255".to_owned())]
        );
        assert_eq!(
            AllowsAll.eval(&rule("0.0.0.0", "0.0.0.0"), 0).truth,
            Truth::False
        );
        assert_eq!(
            AllowsAll.eval(&rule("1.0.0.0", "223.255.255.255"), 0).truth,
            Truth::True
        );
    }
}
