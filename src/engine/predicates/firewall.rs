//! `firewall-rule-allows-all`: a server firewall rule whose IP range covers the internet.

use serde_json::Value;

use super::network::ipv4;
use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::value::UNKNOWN_MARKER;
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

/// The compiled predicate.
pub struct AllowsAll;

impl Predicate for AllowsAll {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let body = &graph.get(subject).body;
        let field = |k: &str| {
            body.pointer(&format!("/properties/{k}"))
                .and_then(Value::as_str)
        };
        let (Some(start), Some(end)) = (field("startIpAddress"), field("endIpAddress")) else {
            return Outcome::new(Truth::False);
        };
        if start == UNKNOWN_MARKER || end == UNKNOWN_MARKER {
            return Outcome::unknown("the firewall rule's range is not known statically");
        }
        let (Some(lo), Some(hi)) = (ipv4(start), ipv4(end)) else {
            return Outcome::new(Truth::False);
        };
        Outcome::new((lo <= FIRST_PUBLIC && hi >= LAST_UNICAST).into())
            .with_evidence(subject, "/properties/startIpAddress")
            .with_binding("range", format!("{start}-{end}"))
    }
}
