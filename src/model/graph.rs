//! The resource graph: resources indexed by id and type, and the relations between them.

use std::collections::HashMap;

use rayon::prelude::*;

use super::children;
use super::children::Duplicate;
use super::id;
use super::relations::Relations;
use super::resource::Resource;
use super::unit::UnitId;

/// Index of a resource in a [`Graph`].
pub type ResourceIndex = usize;

/// A reference from one resource's body to another resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The resource holding the id.
    pub from: ResourceIndex,
    /// JSON pointer of the string holding the id, in `from`'s body.
    pub pointer: String,
}

/// All resources of a scan, with indexes for every relation rules ask about.
///
/// Identity is per deployment unit: an id resolves inside the referring resource's unit
/// first, and reaches another unit only when it is fully known
/// ([`id::is_fully_known`]); nothing merges across units.
#[derive(Debug, Default)]
pub struct Graph {
    resources: Vec<Resource>,
    by_id: HashMap<(UnitId, String), ResourceIndex>,
    by_provider_key: HashMap<(UnitId, String), Vec<ResourceIndex>>,
    /// `resource group|provider key` → resources, for fully known ids from other units.
    by_group_key: HashMap<String, Vec<ResourceIndex>>,
    by_type: HashMap<String, Vec<ResourceIndex>>,
    referrers: HashMap<ResourceIndex, Vec<Reference>>,
    children: HashMap<ResourceIndex, Vec<ResourceIndex>>,
    parent: HashMap<ResourceIndex, ResourceIndex>,
    duplicates: Vec<Duplicate>,
    relations: Relations,
}

impl Graph {
    /// Builds the graph: merges export records per unit, links inline and separate
    /// children per unit, indexes.
    pub fn new(resources: Vec<Resource>) -> Graph {
        let (mut resources, duplicates) = children::merge_duplicates(resources);
        children::link_children(&mut resources);
        // Complete now: every body packed, to be decoded only while it is read.
        resources.par_iter_mut().for_each(|r| r.body.pack());
        let mut graph = Graph {
            resources,
            duplicates,
            ..Graph::default()
        };
        graph.index();
        graph.relations = Relations::build(&graph);
        graph
    }

    fn index(&mut self) {
        for (i, r) in self.resources.iter().enumerate() {
            let lower = r.id.to_ascii_lowercase();
            if let Some(key) = id::provider_key(&r.id) {
                if let Some(group) = id::resource_group(&lower) {
                    self.by_group_key
                        .entry(format!("{group}|{key}"))
                        .or_default()
                        .push(i);
                }
                self.by_provider_key
                    .entry((r.unit, key))
                    .or_default()
                    .push(i);
            }
            self.by_id.entry((r.unit, lower)).or_insert(i);
            self.by_type
                .entry(r.kind.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        for i in 0..self.resources.len() {
            let unit = self.resources[i].unit;
            if let Some(p) =
                id::parent(&self.resources[i].id).and_then(|p| self.resolve_in(unit, p))
            {
                self.parent.insert(i, p);
                self.children.entry(p).or_default().push(i);
            }
        }
        // Reading every body for ids and resolving them only reads the indexes above: on
        // every core, then gathered in resource order (referrers stay sorted by `from`).
        let references: Vec<Vec<(ResourceIndex, Reference)>> = (0..self.resources.len())
            .into_par_iter()
            .map(|i| self.references_from(i))
            .collect();
        for (target, reference) in references.into_iter().flatten() {
            self.referrers.entry(target).or_default().push(reference);
        }
    }

    /// The resources `from`'s body names by id (itself aside), with where it names them.
    fn references_from(&self, from: ResourceIndex) -> Vec<(ResourceIndex, Reference)> {
        let mut found = Vec::new();
        self.resources[from].body.strings(|pointer, s| {
            if !id::looks_like_id(s) {
                return;
            }
            if let Some(t) = self.resolve(from, s).filter(|&t| t != from) {
                let pointer = pointer.to_owned();
                found.push((t, Reference { from, pointer }));
            }
        });
        found
    }

    /// All resources.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The resource at an index.
    pub fn get(&self, index: ResourceIndex) -> &Resource {
        &self.resources[index]
    }

    /// Ids declared twice inside one unit (both declarations are kept).
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// The resource an id written in resource `from` names: inside `from`'s unit first
    /// (exact, case-insensitive match, then the one resource with the same type and names
    /// under any subscription and group); else, when the id is fully known, the one
    /// resource of another unit with that id, or with that group and names under its
    /// unit's unknown (placeholder) subscription.
    pub fn resolve(&self, from: ResourceIndex, resource_id: &str) -> Option<ResourceIndex> {
        let unit = self.resources[from].unit;
        self.resolve_in(unit, resource_id)
            .or_else(|| self.resolve_known(unit, resource_id))
    }

    fn resolve_in(&self, unit: UnitId, resource_id: &str) -> Option<ResourceIndex> {
        if let Some(&i) = self.by_id.get(&(unit, resource_id.to_ascii_lowercase())) {
            return Some(i);
        }
        match self
            .by_provider_key
            .get(&(unit, id::provider_key(resource_id)?))?
            .as_slice()
        {
            [only] => Some(*only),
            _ => None,
        }
    }

    fn resolve_known(&self, unit: UnitId, resource_id: &str) -> Option<ResourceIndex> {
        if !id::is_fully_known(resource_id) {
            return None;
        }
        let lower = resource_id.to_ascii_lowercase();
        let key = format!(
            "{}|{}",
            id::resource_group(&lower)?,
            id::provider_key(&lower)?
        );
        let placeholder = format!("/subscriptions/{}/", id::PLACEHOLDER_SUBSCRIPTION);
        let mut matches = self.by_group_key.get(&key)?.iter().filter(|&&i| {
            let r = &self.resources[i];
            r.unit != unit
                && (r.id.eq_ignore_ascii_case(resource_id)
                    || r.id.to_ascii_lowercase().starts_with(&placeholder))
        });
        match (matches.next(), matches.next()) {
            (Some(&only), None) => Some(only),
            _ => None,
        }
    }

    /// Resources of a type (case-insensitive).
    pub fn of_type(&self, kind: &str) -> &[ResourceIndex] {
        self.by_type
            .get(&kind.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Who holds this resource's id somewhere in their body.
    pub fn referrers(&self, index: ResourceIndex) -> &[Reference] {
        self.referrers.get(&index).map_or(&[], Vec::as_slice)
    }

    /// Child resources (`…/parent/childType/child`).
    pub fn children(&self, index: ResourceIndex) -> &[ResourceIndex] {
        self.children.get(&index).map_or(&[], Vec::as_slice)
    }

    /// The parent of a child resource.
    pub fn parent(&self, index: ResourceIndex) -> Option<ResourceIndex> {
        self.parent.get(&index).copied()
    }

    /// The relations indexed once for the predicates.
    pub fn relations(&self) -> &Relations {
        &self.relations
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn resource(id: &str, kind: &str, body: Value) -> Resource {
        Resource::test(id, kind, body)
    }

    #[test]
    fn references_resolve_across_scopes_and_index_referrers() {
        let sa =
            "/subscriptions/real/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa";
        let pe_ref = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/RG/providers/microsoft.storage/storageaccounts/SA";
        let graph = Graph::new(vec![
            resource(sa, "Microsoft.Storage/storageAccounts", json!({})),
            resource(
                "/subscriptions/real/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe",
                "Microsoft.Network/privateEndpoints",
                json!({"properties": {"privateLinkServiceConnections": [{"properties": {"privateLinkServiceId": pe_ref}}]}}),
            ),
        ]);
        assert_eq!(graph.resolve(1, pe_ref), Some(0));
        assert_eq!(
            graph.referrers(0),
            &[Reference {
                from: 1,
                pointer:
                    "/properties/privateLinkServiceConnections/0/properties/privateLinkServiceId"
                        .into()
            }]
        );
        assert_eq!(graph.of_type("microsoft.network/privateendpoints"), &[1]);
    }

    #[test]
    fn children_know_their_parent() {
        let vnet =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";
        let graph = Graph::new(vec![
            resource(vnet, "Microsoft.Network/virtualNetworks", json!({})),
            resource(
                &format!("{vnet}/subnets/a"),
                "Microsoft.Network/virtualNetworks/subnets",
                json!({}),
            ),
        ]);
        assert_eq!(graph.parent(1), Some(0));
        assert_eq!(graph.children(0), &[1]);
    }

    fn in_unit(unit: u32, id: &str, kind: &str, body: Value) -> Resource {
        let mut r = resource(id, kind, body);
        r.unit = UnitId(unit);
        r
    }

    #[test]
    fn identity_is_per_unit_and_crosses_units_only_by_fully_known_ids() {
        let placeholder = format!(
            "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
            id::PLACEHOLDER_SUBSCRIPTION
        );
        let known = "/subscriptions/1f2e3d4c-0000-4000-8000-123456789abc/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";
        let vnet = "Microsoft.Network/virtualNetworks";
        let graph = Graph::new(vec![
            in_unit(0, &placeholder, vnet, json!({"properties": {"n": 0}})),
            in_unit(1, &placeholder, vnet, json!({"properties": {"n": 1}})),
            in_unit(
                1,
                &format!("{placeholder}/subnets/s"),
                "Microsoft.Network/virtualNetworks/subnets",
                json!({}),
            ),
            in_unit(
                2,
                "/subscriptions/x/resourceGroups/rg/providers/T/u/a",
                "T/u",
                json!({}),
            ),
        ]);
        assert_eq!(graph.resources().len(), 4, "nothing merged across units");
        assert_eq!(graph.resolve(0, &placeholder), Some(0));
        assert_eq!(graph.resolve(2, &placeholder), Some(1));
        assert_eq!(
            graph.parent(2),
            Some(1),
            "children join their own unit's parent"
        );
        assert_eq!(graph.children(0), &[] as &[ResourceIndex]);
        // From another unit, a placeholder id is private to its units, and a fully known id
        // that two units could hold is ambiguous: neither.
        assert_eq!(graph.resolve(3, &placeholder), None);
        assert_eq!(graph.resolve(3, known), None);
        let graph = Graph::new(vec![
            in_unit(0, &placeholder, vnet, json!({})),
            in_unit(
                1,
                "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z",
                "Microsoft.Network/privateDnsZones",
                json!({"properties": {"peer": known}}),
            ),
        ]);
        assert_eq!(graph.resolve(1, known), Some(0));
        assert_eq!(graph.referrers(0).len(), 1);
    }
}
