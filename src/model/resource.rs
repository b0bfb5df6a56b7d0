//! The canonical resource: ARM REST shape, whatever the source.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::body::Body;
use super::lazy_spans::LazySpans;
use super::provenance::Provenance;
use super::source::Span;
use super::unit::UnitId;

/// Where a resource came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Terraform HCL.
    Terraform,
    /// An ARM deployment template.
    Arm,
    /// A Bicep file.
    Bicep,
    /// An export of live resources.
    Snapshot,
}

/// The declaration a resource came from.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The source format.
    pub format: SourceFormat,
    /// The source's own name for it: `azurerm_storage_account.sa`, a Bicep symbolic name,
    /// or the ARM id of a live resource (then sharing the id's allocation).
    pub address: Arc<str>,
    /// The declaration's head (`resource "x" "y"`, the resource's `"type"` line): where a
    /// finding about an omitted property points.
    pub span: Span,
}

/// One Azure resource in ARM REST shape.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The ARM id; built from type and names when the source does not give one.
    pub id: Arc<str>,
    /// The type in canonical casing, e.g. `Microsoft.Storage/storageAccounts`; interned
    /// ([`super::intern::kind`]) where many resources share it.
    pub kind: Arc<str>,
    /// The full name; children as `parent/child`.
    pub name: String,
    /// `{name, type, location, sku, kind, identity, tags, properties}`, with platform
    /// defaults filled in for what the source omits.
    pub body: Body,
    /// Where the resource was declared.
    pub origin: Origin,
    /// JSON pointer into `body` → span of the source text that produced it.
    pub spans: BTreeMap<String, Span>,
    /// Spans recomputed from the source when asked for, consulted after [`Resource::spans`]
    /// (a live export's rows: see [`Resource::span_of`]).
    pub lazy_spans: LazySpans,
    /// The deployment unit it belongs to: identity is only shared inside a unit.
    pub unit: UnitId,
    /// JSON pointer into `body` → where the value there was set, nearest first, when it
    /// came through variables or parameters (see [`Resource::provenance_of`]).
    pub provenance: BTreeMap<String, Vec<Provenance>>,
}

impl Resource {
    /// The span for a JSON pointer: the closest mapped ancestor, else the declaration.
    pub fn span_of(&self, pointer: &str) -> Span {
        self.spanned_ancestor(pointer)
            .map_or(self.origin.span, |(_, span)| span)
    }

    /// The closest ancestor of `pointer` (itself included) with a span, and the span.
    fn spanned_ancestor<'p>(&self, pointer: &'p str) -> Option<(&'p str, Span)> {
        let mut p = pointer;
        loop {
            let found = self.spans.get(p).copied().or_else(|| {
                if self.lazy_spans.is_empty() {
                    return None;
                }
                self.lazy_spans.get(p)
            });
            if let Some(span) = found {
                return Some((p, span));
            }
            match p.rfind('/') {
                Some(i) if !p.is_empty() => p = &p[..i],
                _ => return None,
            }
        }
    }

    /// Every pointer with a span, the lazy ones computed: afterwards
    /// [`Resource::lazy_spans`] is empty and [`Resource::spans`] holds them all.
    pub fn materialize_spans(&mut self) {
        if self.lazy_spans.is_empty() {
            return;
        }
        let lazy = std::mem::take(&mut self.lazy_spans);
        for (pointer, span) in lazy.into_map() {
            self.spans.entry(pointer).or_insert(span);
        }
    }

    /// Where the value at a JSON pointer was set: the provenance of the pointer whose span
    /// [`Resource::span_of`] gives (the closest ancestor with a span); empty when the value
    /// was written where it is.
    pub fn provenance_of(&self, pointer: &str) -> &[Provenance] {
        if self.provenance.is_empty() {
            return &[];
        }
        self.spanned_ancestor(pointer)
            .and_then(|(p, _)| self.provenance.get(p))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the type is `kind` (case-insensitive, as ARM compares types).
    pub fn is(&self, kind: &str) -> bool {
        self.kind.eq_ignore_ascii_case(kind)
    }
}

#[cfg(test)]
impl Resource {
    /// A live resource for unit tests: named from its id (`nsg/rule` for children),
    /// declared at bytes 0..1 of file 0, no attribute spans.
    pub(crate) fn test(id: &str, kind: &str, body: serde_json::Value) -> Resource {
        Resource {
            id: id.into(),
            kind: kind.into(),
            name: super::id::parse(id)
                .map_or_else(|| super::id::last_name(id).to_owned(), |p| p.name),
            body: body.into(),
            origin: Origin {
                format: SourceFormat::Snapshot,
                address: id.into(),
                span: Span::new(super::source::FileId(0), 0..1),
            },
            spans: BTreeMap::new(),
            lazy_spans: LazySpans::default(),
            unit: UnitId::default(),
            provenance: BTreeMap::new(),
        }
    }
}

/// Known resource types in their canonical casing, to repair lowercase exports.
const CANONICAL_TYPES: &[&str] = &[
    "Microsoft.Resources/resourceGroups",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks/subnets",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/networkSecurityGroups/securityRules",
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    "Microsoft.Network/privateDnsZones",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    "Microsoft.Network/networkInterfaces",
    "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/routeTables",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.KeyVault/vaults",
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.Insights/components",
    "Microsoft.OperationalInsights/workspaces",
    "Microsoft.ManagedIdentity/userAssignedIdentities",
    "Microsoft.MachineLearningServices/workspaces",
    "Microsoft.MachineLearningServices/workspaces/computes",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
    "Microsoft.DBforPostgreSQL/servers",
    "Microsoft.Sql/servers",
    "Microsoft.Sql/servers/firewallRules",
    "Microsoft.Sql/servers/databases",
    "Microsoft.DocumentDB/databaseAccounts",
    "Microsoft.Web/sites",
    "Microsoft.CognitiveServices/accounts",
    "Microsoft.Search/searchServices",
];

/// Top-level body keys in the casing rules address them by.
const BODY_KEYS: &[&str] = &[
    "properties",
    "sku",
    "kind",
    "identity",
    "location",
    "tags",
    "zones",
    "plan",
];

/// A top-level body key in the casing rules address it by (`Properties` → `properties`);
/// other keys are returned as given.
pub fn canonical_body_key(key: &str) -> String {
    BODY_KEYS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_owned(), |k| (*k).to_owned())
}

/// The canonical casing of a resource type; unknown types are returned as given.
pub fn canonical_type(kind: &str) -> String {
    CANONICAL_TYPES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(kind))
        .map_or_else(|| kind.to_owned(), |known| (*known).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::FileId;

    #[test]
    fn canonical_type_repairs_lowercase() {
        assert_eq!(
            canonical_type("microsoft.network/networksecuritygroups"),
            "Microsoft.Network/networkSecurityGroups"
        );
        assert_eq!(canonical_type("Contoso.X/y"), "Contoso.X/y");
    }

    #[test]
    fn span_of_falls_back_to_ancestor_then_declaration() {
        let decl = Span::new(FileId(0), 0..5);
        let attr = Span::new(FileId(0), 10..20);
        let r = Resource {
            id: "".into(),
            kind: "T/x".into(),
            name: "n".into(),
            body: serde_json::json!({}).into(),
            origin: Origin {
                format: SourceFormat::Terraform,
                address: "a.b".into(),
                span: decl,
            },
            spans: [("/properties/networkAcls".to_owned(), attr)].into(),
            lazy_spans: Default::default(),
            unit: UnitId::default(),
            provenance: BTreeMap::new(),
        };
        assert_eq!(r.span_of("/properties/networkAcls/defaultAction"), attr);
        assert_eq!(r.span_of("/sku/name"), decl);
    }

    #[test]
    fn provenance_follows_the_pointer_the_span_stands_for() {
        use crate::model::{Provenance, ProvenanceKind};
        let tfvars = Provenance::at(ProvenanceKind::Tfvars, "var.x", Span::new(FileId(1), 0..3));
        let mut r = Resource::test("/subscriptions/s/x", "T/x", serde_json::json!({}));
        r.spans
            .insert("/properties/a".into(), Span::new(FileId(0), 5..9));
        r.spans
            .insert("/properties/a/b".into(), Span::new(FileId(0), 6..8));
        r.provenance
            .insert("/properties/a".into(), vec![tfvars.clone()]);
        assert_eq!(r.provenance_of("/properties/a/c"), [tfvars]);
        assert!(r.provenance_of("/properties/a/b").is_empty());
        assert!(r.provenance_of("/sku").is_empty());
    }
}
