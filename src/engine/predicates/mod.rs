//! Named predicates: domain knowledge that JSONPath cannot say cleanly, written once in
//! Rust and callable from any rule as `predicate: <name>` with `args`.

mod db;
mod dns_clients;
mod firewall;
mod ml;
mod network;
mod nsg;
mod private_dns;
mod secret;
mod subnet;

use std::fmt;

use serde_json::Value;

use super::outcome::Outcome;
use crate::model::{Graph, ResourceIndex};

/// A named predicate, compiled with its arguments.
pub trait Predicate: Send + Sync {
    /// The name rules call it by.
    fn name(&self) -> &'static str;
    /// Evaluates it on one resource.
    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome;
}

impl fmt::Debug for dyn Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every predicate: name and what it says, for `moat rules predicates` and custom rules.
pub const PREDICATES: &[(&str, &str)] = &[
    (nsg::NAME, nsg::DOC),
    (private_dns::NAME, private_dns::DOC),
    (firewall::NAME, firewall::DOC),
    (ml::sensitive::NAME, ml::sensitive::DOC),
    (ml::nearby::NAME, ml::nearby::DOC),
    (ml::outbound::NAME, ml::outbound::DOC),
    (ml::reach::NAME, ml::reach::DOC),
    (nsg::BROAD_NAME, nsg::BROAD_DOC),
    (subnet::NSG_NAME, subnet::NSG_DOC),
    (subnet::OUTBOUND_NAME, subnet::OUTBOUND_DOC),
    (db::NAME, db::DOC),
    (secret::NAME, secret::DOC),
    (dns_clients::ZONE_NAME, dns_clients::ZONE_DOC),
    (dns_clients::RESOLUTION_NAME, dns_clients::RESOLUTION_DOC),
];

/// Compiles a predicate by name with its `args`.
pub fn compile(name: &str, args: Value) -> Result<Box<dyn Predicate>, String> {
    match name {
        nsg::NAME => Ok(Box::new(nsg::OpenInbound::new(&args)?)),
        private_dns::NAME => Ok(Box::new(private_dns::DnsComplete::new(&args)?)),
        nsg::BROAD_NAME => Ok(Box::new(nsg::OpenInbound::broad(&args)?)),
        subnet::NSG_NAME => Ok(Box::new(subnet::NsgWhereNeeded::new(&args)?)),
        subnet::OUTBOUND_NAME => Ok(Box::new(subnet::OutboundDenied::new(&args)?)),
        db::NAME => Ok(Box::new(db::PublicEndpointClosed::new(&args)?)),
        secret::NAME => Ok(Box::new(secret::NoLiteralSecret::new(&args)?)),
        dns_clients::ZONE_NAME => Ok(Box::new(dns_clients::ZoneReachesClients::new(&args)?)),
        dns_clients::RESOLUTION_NAME => Ok(Box::new(dns_clients::PrivateResolution::new(&args)?)),
        firewall::NAME => {
            no_args(name, &args).map(|()| Box::new(firewall::AllowsAll) as Box<dyn Predicate>)
        }
        ml::sensitive::NAME => Ok(Box::new(ml::sensitive::Sensitive::new(&args)?)),
        ml::nearby::NAME => Ok(Box::new(ml::nearby::Nearby::new(&args)?)),
        ml::outbound::NAME => Ok(Box::new(ml::outbound::OutboundPrivateEndpoints::new(
            &args,
        )?)),
        ml::reach::NAME => Ok(Box::new(ml::reach::EndpointReachesClients::new(&args)?)),
        _ => Err(format!(
            "unknown predicate '{name}'; known: {}",
            PREDICATES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Rejects `args` keys a predicate does not know (a misspelt option would do nothing).
fn known_args(name: &str, args: &Value, known: &[&str]) -> Result<(), String> {
    match args {
        Value::Null => Ok(()),
        Value::Object(map) => match map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "predicate '{name}' has no option '{k}' (it takes: {})",
                known.join(", ")
            )),
            None => Ok(()),
        },
        _ => Err(format!("predicate '{name}': args must be a mapping")),
    }
}

fn no_args(name: &str, args: &Value) -> Result<(), String> {
    if args.is_null() {
        Ok(())
    } else {
        Err(format!("predicate '{name}' takes no args"))
    }
}
