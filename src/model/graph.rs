//! The resource graph: resources indexed by id and type, and the relations between them.

use std::collections::HashMap;

use foldhash::fast::FixedState;
use rayon::prelude::*;

use super::children;
use super::children::Duplicate;
use super::grouped::Grouped;
use super::id;
use super::key_table::{Key, KeyTable};
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
///
/// The indexes hold resource indices only: keys are read back from the resources
/// ([`KeyTable`]), relations from every resource are [`Grouped`] in one vector each.
#[derive(Debug, Default)]
pub struct Graph {
    resources: Vec<Resource>,
    /// `(unit, id)` → resources, the first declaration first.
    by_id: KeyTable,
    /// `(unit, provider key)` → resources ([`id::provider_part`]).
    by_provider_key: KeyTable,
    /// `(resource group, provider key)` → resources of every unit, for fully known ids
    /// from other units.
    by_group_key: KeyTable,
    /// Lowercased type → resources: one key per type, not per resource.
    by_type: HashMap<String, Vec<ResourceIndex>, FixedState>,
    referrers: Grouped<Reference>,
    children: Grouped<ResourceIndex>,
    /// Per resource: its parent, or `NO_PARENT`.
    parent: Vec<u32>,
    duplicates: Vec<Duplicate>,
    relations: Relations,
}

impl Graph {
    /// Builds the graph: merges export records per unit, links inline and separate
    /// children per unit, indexes.
    pub fn new(resources: Vec<Resource>) -> Graph {
        let (mut resources, duplicates, by_id) = children::merge_duplicates(resources);
        children::link_children(&mut resources, &by_id);
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
        let resources = &self.resources;
        let n = resources.len();
        // The three id tables are built side by side, one per core.
        let table = |member: fn(&Resource) -> bool, key: fn(&Resource) -> Key<'_>| {
            let mut table = KeyTable::with_capacity(n);
            for (i, r) in resources.iter().enumerate().filter(|(_, r)| member(r)) {
                table.insert(i, key(r), |j| key(&resources[j]));
            }
            table
        };
        let has_key: fn(&Resource) -> bool = |r| id::provider_part(&r.id).is_some();
        let has_group: fn(&Resource) -> bool =
            |r| id::provider_part(&r.id).is_some() && id::resource_group(&r.id).is_some();
        let (by_id, (by_provider_key, by_group_key)) = rayon::join(
            || table(|_| true, id_key),
            || {
                rayon::join(
                    || table(has_key, provider_key),
                    || table(has_group, group_key),
                )
            },
        );
        self.by_id = by_id;
        self.by_provider_key = by_provider_key;
        self.by_group_key = by_group_key;
        let mut lower = String::new();
        for (i, r) in resources.iter().enumerate() {
            lower.clear();
            lower.extend(r.kind.chars().map(|c| c.to_ascii_lowercase()));
            match self.by_type.get_mut(lower.as_str()) {
                Some(members) => members.push(i),
                None => {
                    self.by_type.insert(lower.clone(), vec![i]);
                }
            }
        }
        self.by_type.values_mut().for_each(Vec::shrink_to_fit);
        let parents: Vec<Option<ResourceIndex>> = self
            .resources
            .par_iter()
            .map(|r| id::parent(&r.id).and_then(|p| self.resolve_in(r.unit, p)))
            .collect();
        self.parent = vec![NO_PARENT; n];
        let mut children = Vec::new();
        for (i, p) in parents.into_iter().enumerate() {
            if let Some(p) = p {
                self.parent[i] = u32::try_from(p).expect("fewer than 2^32 - 1 resources");
                children.push((p, i));
            }
        }
        self.children = Grouped::new(n, children);
        // Reading every body for ids and resolving them only reads the indexes above: on
        // every core, then gathered in resource order (referrers stay sorted by `from`).
        let references: Vec<(ResourceIndex, Reference)> = (0..n)
            .into_par_iter()
            .flat_map_iter(|i| self.references_from(i))
            .collect();
        self.referrers = Grouped::new(n, references);
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
        let resources = &self.resources;
        if let Some(i) = self
            .by_id
            .get(Key::new(unit.0, resource_id), |j| id_key(&resources[j]))
            .next()
        {
            return Some(i);
        }
        let key = Key::new(unit.0, id::provider_part(resource_id)?);
        let mut matches = self
            .by_provider_key
            .get(key, |j| provider_key(&resources[j]));
        match (matches.next(), matches.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    fn resolve_known(&self, unit: UnitId, resource_id: &str) -> Option<ResourceIndex> {
        if !id::is_fully_known(resource_id) {
            return None;
        }
        let key = Key::pair(
            0,
            id::resource_group(resource_id)?,
            id::provider_part(resource_id)?,
        );
        let resources = &self.resources;
        let mut matches = self
            .by_group_key
            .get(key, |j| group_key(&resources[j]))
            .filter(|&i| {
                let r = &resources[i];
                r.unit != unit
                    && (r.id.eq_ignore_ascii_case(resource_id)
                        || id::has_placeholder_subscription(&r.id))
            });
        match (matches.next(), matches.next()) {
            (Some(only), None) => Some(only),
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
        self.referrers.get(index)
    }

    /// Child resources (`…/parent/childType/child`).
    pub fn children(&self, index: ResourceIndex) -> &[ResourceIndex] {
        self.children.get(index)
    }

    /// The parent of a child resource.
    pub fn parent(&self, index: ResourceIndex) -> Option<ResourceIndex> {
        self.parent
            .get(index)
            .filter(|&&p| p != NO_PARENT)
            .map(|&p| p as usize)
    }

    /// The relations indexed once for the predicates.
    pub fn relations(&self) -> &Relations {
        &self.relations
    }
}

/// [`Graph::parent`] of a resource without one.
const NO_PARENT: u32 = u32::MAX;

/// A resource's key in [`Graph`]'s `by_id`.
fn id_key(r: &Resource) -> Key<'_> {
    Key::new(r.unit.0, &r.id)
}

/// A resource's key in [`Graph`]'s `by_provider_key` (only resources with one are there).
fn provider_key(r: &Resource) -> Key<'_> {
    Key::new(r.unit.0, id::provider_part(&r.id).unwrap_or_default())
}

/// A resource's key in [`Graph`]'s `by_group_key` (only resources with one are there).
fn group_key(r: &Resource) -> Key<'_> {
    Key::pair(
        0,
        id::resource_group(&r.id).unwrap_or_default(),
        id::provider_part(&r.id).unwrap_or_default(),
    )
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
    fn ids_resolve_without_case_to_the_first_declaration_of_their_unit() {
        let rg = "/subscriptions/s/resourceGroups/rg/providers";
        let vnet = |n: &str| format!("{rg}/Microsoft.Network/virtualNetworks/{n}");
        let kind = "Microsoft.Network/virtualNetworks";
        let mut second = in_unit(0, &vnet("A"), kind, json!({"properties": {"n": 1}}));
        second.origin.address = "another declaration".into();
        let graph = Graph::new(vec![
            in_unit(0, &vnet("a"), kind, json!({"properties": {"n": 0}})),
            in_unit(0, &vnet("b"), kind, json!({})),
            in_unit(1, &vnet("a"), kind, json!({})),
            second,
        ]);
        assert_eq!(graph.resources().len(), 4);
        assert_eq!(
            graph.duplicates(),
            &[Duplicate {
                first: 0,
                second: 3
            }]
        );
        let shouted = vnet("a").to_ascii_uppercase();
        assert_eq!(graph.resolve(1, &shouted), Some(0), "the first of two");
        assert_eq!(graph.resolve(2, &shouted), Some(2), "its own unit's");
        // Another scope: by type and names, but two declarations are ambiguous.
        let elsewhere =
            "/subscriptions/t/resourceGroups/x/providers/microsoft.network/virtualnetworks";
        assert_eq!(graph.resolve(0, &format!("{elsewhere}/B")), Some(1));
        assert_eq!(graph.resolve(0, &format!("{elsewhere}/a")), None);
        assert_eq!(graph.resolve(2, &format!("{elsewhere}/a")), Some(2));
        assert_eq!(graph.resolve(0, &format!("{elsewhere}/c")), None);
        assert_eq!(
            graph.of_type("MICROSOFT.NETWORK/VIRTUALNETWORKS"),
            &[0, 1, 2, 3]
        );
        assert_eq!(
            graph.of_type("Microsoft.Network/other"),
            &[] as &[ResourceIndex]
        );
        assert_eq!(graph.parent(0), None);
        assert_eq!(graph.parent(99), None);
        assert_eq!(graph.referrers(99), &[]);
    }

    #[test]
    fn referrers_and_children_keep_resource_order() {
        let rg = "/subscriptions/s/resourceGroups/rg/providers";
        let nsg = format!("{rg}/Microsoft.Network/networkSecurityGroups/n");
        let vnet = format!("{rg}/Microsoft.Network/virtualNetworks/v");
        let subnet = |name: &str| {
            resource(
                &format!("{vnet}/subnets/{name}"),
                "Microsoft.Network/virtualNetworks/subnets",
                json!({"properties": {"networkSecurityGroup": {"id": nsg}, "x": {"a/b~c": [nsg]}}}),
            )
        };
        let graph = Graph::new(vec![
            subnet("b"),
            resource(&nsg, "Microsoft.Network/networkSecurityGroups", json!({})),
            resource(&vnet, "Microsoft.Network/virtualNetworks", json!({})),
            subnet("a"),
        ]);
        assert_eq!(graph.children(2), &[0, 3]);
        assert_eq!(graph.parent(3), Some(2));
        let from: Vec<(ResourceIndex, &str)> = graph
            .referrers(1)
            .iter()
            .map(|r| (r.from, r.pointer.as_str()))
            .collect();
        assert_eq!(
            from.iter().filter(|(f, _)| *f == 0).count(),
            2,
            "both of b's references: {from:?}"
        );
        let order: Vec<ResourceIndex> = from.iter().map(|(f, _)| *f).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted, "sorted by the referring resource");
        assert_eq!(from[0].1, "/properties/networkSecurityGroup/id");
        assert_eq!(from[1].1, "/properties/x/a~1b~0c/0", "escaped keys");
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
