//! `moat drift`: the resources a deployment's code declares, matched with the live ones of
//! an export, and the security-relevant properties that differ (public network access,
//! default network actions, SKU, identity, NSG rules, private DNS zone groups, firewall
//! ranges), plus the resources that exist on one side only. Resources are matched by type
//! and name (ARM names are unique within a type in a resource group; code rarely knows its
//! subscription), and by id among several live candidates.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::engine::Severity;
use crate::eval::symbolic::display;
use crate::model::Resource;
use crate::report::Location;
use crate::scan::{Loaded, Scan};

/// The properties compared, as JSON pointers into the ARM-shaped body.
const PROPERTIES: &[&str] = &[
    "/properties/publicNetworkAccess",
    "/properties/networkAcls/defaultAction",
    "/properties/networkRuleSet/defaultAction",
    "/properties/allowBlobPublicAccess",
    "/sku/name",
    "/identity/type",
    "/properties/access",
    "/properties/direction",
    "/properties/priority",
    "/properties/protocol",
    "/properties/sourceAddressPrefix",
    "/properties/destinationPortRange",
    "/properties/startIpAddress",
    "/properties/endIpAddress",
];

/// A list-valued property compared as a set of names: the zones of a zone group.
const ZONE_CONFIGS: &str = "/properties/privateDnsZoneConfigs";

/// One property that differs.
#[derive(Debug, Serialize)]
pub struct Drift {
    /// The live resource's id.
    pub resource: String,
    /// The property, a JSON pointer into the resource.
    pub property: String,
    /// The value the code declares.
    pub iac: Value,
    /// The value deployed.
    pub live: Value,
    /// Where the code declares the resource.
    pub location: Location,
}

/// A resource found on one side only.
#[derive(Debug, Serialize)]
pub struct Unmatched {
    /// Canonical ARM type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Full name.
    pub name: String,
    /// The ARM id (live) or the address in the code.
    pub id: String,
    /// Where it was read.
    pub location: Location,
}

/// A finding on the live side, marked when the code does not have it.
#[derive(Debug, Serialize)]
pub struct LiveFinding {
    /// The rule.
    pub rule_id: String,
    /// Its severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The live resource's id.
    pub resource: String,
    /// Where the export holds it.
    pub location: Location,
    /// True when the same rule does not fire on the resource in the code (or no code
    /// declares it): the fault was made after deployment, in the portal or by a script.
    pub live_only: bool,
}

/// `moat drift --format json`.
#[derive(Debug, Serialize)]
pub struct DriftReport {
    /// Properties that differ.
    pub drift: Vec<Drift>,
    /// Live resources no code declares ("someone made it in the portal").
    pub live_only: Vec<Unmatched>,
    /// Declared resources not in the export (not deployed, or outside the export).
    pub iac_only: Vec<Unmatched>,
    /// The export's findings, each marked live-only or not.
    pub findings: Vec<LiveFinding>,
}

fn key(r: &Resource) -> (String, String) {
    (r.kind.to_ascii_lowercase(), r.name.to_ascii_lowercase())
}

/// A comparable form of a value: strings case-insensitively (Azure echoes enums in its
/// own case), numbers as numbers; `None` when the code does not know it.
fn normal(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.contains("(unknown)") || s.contains('\u{E000}') => None,
        Value::String(s) if s.starts_with('[') && s.ends_with(']') => None,
        Value::String(s) => Some(s.to_ascii_lowercase()),
        other => Some(other.to_string().to_ascii_lowercase()),
    }
}

/// The zone names of a zone group's configs, in order.
fn zones(v: &Value) -> Option<BTreeSet<String>> {
    let configs = v.as_array()?;
    configs
        .iter()
        .map(|c| {
            let id = c.pointer("/properties/privateDnsZoneId")?.as_str()?;
            let zone = id.rsplit('/').next()?;
            normal(&Value::String(zone.to_owned()))
        })
        .collect()
}

fn unmatched(loaded: &Loaded, r: &Resource, live: bool) -> Unmatched {
    Unmatched {
        kind: r.kind.to_string(),
        name: display(&r.name),
        id: display(if live { &r.id } else { &r.origin.address }),
        location: Location::of(&loaded.sources, r.origin.span),
    }
}

fn differences(iac: &Loaded, declared: &Resource, live: &Resource, out: &mut Vec<Drift>) {
    let mut push = |property: &str, a: &Value, b: &Value| {
        out.push(Drift {
            resource: live.id.to_string(),
            property: property.to_owned(),
            iac: a.clone(),
            live: b.clone(),
            location: Location::of(&iac.sources, declared.origin.span),
        });
    };
    let (declared_body, live_body) = (declared.body.json(), live.body.json());
    for property in PROPERTIES {
        let (Some(a), Some(b)) = (declared_body.pointer(property), live_body.pointer(property))
        else {
            continue;
        };
        if let (Some(x), Some(y)) = (normal(a), normal(b)) {
            if x != y {
                push(property, a, b);
            }
        }
    }
    let (a, b) = (
        declared_body.pointer(ZONE_CONFIGS),
        live_body.pointer(ZONE_CONFIGS),
    );
    if let (Some(a), Some(b)) = (a, b) {
        if let (Some(x), Some(y)) = (zones(a), zones(b)) {
            if x != y {
                let names = |s: BTreeSet<String>| Value::from(s.into_iter().collect::<Vec<_>>());
                push(ZONE_CONFIGS, &names(x), &names(y));
            }
        }
    }
}

/// The export's findings, marked live-only where the code's scan has no finding of the
/// same rule on the resource of the same type and name.
fn live_findings(iac: &Scan, live: &Scan) -> Vec<LiveFinding> {
    let in_code: BTreeSet<(String, (String, String))> = iac
        .verdicts
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), key(iac.loaded.graph.get(f.resource))))
        .collect();
    live.verdicts
        .findings
        .iter()
        .map(|f| {
            let r = live.loaded.graph.get(f.resource);
            LiveFinding {
                rule_id: f.rule_id.clone(),
                severity: f.severity,
                message: f.message.clone(),
                resource: r.id.to_string(),
                location: Location::of(&live.loaded.sources, f.span),
                live_only: !in_code.contains(&(f.rule_id.clone(), key(r))),
            }
        })
        .collect()
}

/// Matches the declared resources with the live ones, lists what differs, and marks the
/// live findings the code does not have.
pub fn compare(iac_scan: &Scan, live_scan: &Scan) -> DriftReport {
    let (iac, live) = (&iac_scan.loaded, &live_scan.loaded);
    let mut by_key: HashMap<(String, String), Vec<&Resource>> = HashMap::new();
    for r in live.graph.resources() {
        by_key.entry(key(r)).or_default().push(r);
    }
    let mut matched: BTreeSet<String> = BTreeSet::new();
    let mut report = DriftReport {
        drift: Vec::new(),
        live_only: Vec::new(),
        iac_only: Vec::new(),
        findings: live_findings(iac_scan, live_scan),
    };
    for declared in iac.graph.resources() {
        let candidates = by_key.get(&key(declared)).map(Vec::as_slice).unwrap_or(&[]);
        let found = candidates
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(&declared.id))
            .or_else(|| candidates.first());
        match found {
            Some(live_resource) => {
                matched.insert(live_resource.id.to_ascii_lowercase());
                differences(iac, declared, live_resource, &mut report.drift);
            }
            None => report.iac_only.push(unmatched(iac, declared, false)),
        }
    }
    for r in live.graph.resources() {
        if !matched.contains(&r.id.to_ascii_lowercase()) {
            report.live_only.push(unmatched(live, r, true));
        }
    }
    report
}

/// The report as text: one line per difference, then the unmatched resources.
pub fn render_text(report: &DriftReport) -> String {
    use crate::report::escape::text;
    let mut out = format!(
        "{} propert{} drifted; {} of {} live findings not in the code; {} live-only, {} code-only resource{}\n",
        report.drift.len(),
        if report.drift.len() == 1 { "y" } else { "ies" },
        report.findings.iter().filter(|f| f.live_only).count(),
        report.findings.len(),
        report.live_only.len(),
        report.iac_only.len(),
        if report.iac_only.len() == 1 { "" } else { "s" },
    );
    for d in &report.drift {
        out.push_str(&format!(
            "  drift  {}  {}: code {} live {}  ({}:{})\n",
            text(&d.resource),
            text(&d.property),
            text(&d.iac.to_string()),
            text(&d.live.to_string()),
            text(&d.location.file),
            d.location.start_line
        ));
    }
    for (label, list) in [
        ("live-only", &report.live_only),
        ("code-only", &report.iac_only),
    ] {
        for u in list {
            out.push_str(&format!(
                "  {label}  {} {}  ({}:{})\n",
                text(&u.kind),
                text(&u.id),
                text(&u.location.file),
                u.location.start_line
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_expression_values_are_not_compared() {
        assert_eq!(
            normal(&Value::String("Enabled".into())),
            Some("enabled".into())
        );
        assert_eq!(normal(&Value::String("(unknown)".into())), None);
        assert_eq!(normal(&Value::String("[parameters('x')]".into())), None);
        assert_eq!(normal(&Value::Null), None);
        assert_eq!(normal(&serde_json::json!(300)), Some("300".into()));
    }

    #[test]
    fn zone_groups_compare_by_zone_name() {
        let a = serde_json::json!([{"properties": {"privateDnsZoneId": "/x/privateDnsZones/privatelink.blob.core.windows.net"}}]);
        let b = serde_json::json!([{"name": "n", "properties": {"privateDnsZoneId": "/y/PRIVATEDNSZONES/Privatelink.Blob.Core.Windows.Net"}}]);
        assert_eq!(zones(&a), zones(&b));
    }
}
