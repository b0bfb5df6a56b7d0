//! Azure Machine Learning predicates: which workspaces are sensitive, which resources sit
//! next to a private workspace, and whether a managed network reaches every private data
//! store through a private-endpoint outbound rule.

use serde_json::Value;

use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{id, Graph, ResourceIndex};

pub mod reach;

const WORKSPACE: &str = "Microsoft.MachineLearningServices/workspaces";

/// The three-valued truth of a text property compared with `expected` (case-insensitive):
/// absent is false, an unknown text is unknown.
fn text_is(body: &Value, pointer: &str, expected: &str) -> Truth {
    match body.pointer(pointer) {
        Some(Value::String(s)) if is_unknown_text(s) => Truth::Unknown,
        Some(Value::String(s)) => s.eq_ignore_ascii_case(expected).into(),
        _ => Truth::False,
    }
}

/// Whether a workspace's `publicNetworkAccess` is `Disabled`.
fn private_workspace(graph: &Graph, workspace: ResourceIndex) -> Truth {
    text_is(
        &graph.get(workspace).body.json(),
        "/properties/publicNetworkAccess",
        "Disabled",
    )
}

/// Reads an optional boolean argument.
fn bool_arg(name: &str, args: &Value, key: &str, default: bool) -> Result<bool, String> {
    match args.get(key) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!("{name}: {key} must be true or false, not {other}")),
    }
}

/// `ml-workspace-sensitive`.
pub mod sensitive {
    use super::*;

    /// The predicate's name.
    pub const NAME: &str = "ml-workspace-sensitive";

    /// What it says.
    pub const DOC: &str = "On a Microsoft.MachineLearningServices/workspaces resource: the \
workspace is sensitive. By default a workspace is sensitive when its public network access is \
disabled (`args.private: true`) or it is a high-business-impact workspace (`hbiWorkspace`, \
`args.high_business_impact: true`); `args.tags: [\"key\", \"key=value\"]` adds workspaces carrying \
one of those tags. Binds `{sensitive}` (why).";

    /// The compiled predicate.
    pub struct Sensitive {
        private: bool,
        high_business_impact: bool,
        tags: Vec<(String, Option<String>)>,
    }

    impl Sensitive {
        /// Reads `args: {private, high_business_impact, tags}` (all optional).
        pub fn new(args: &Value) -> Result<Sensitive, String> {
            super::super::known_args(NAME, args, &["private", "high_business_impact", "tags"])?;
            let tags = match args.get("tags") {
                None => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|t| {
                        t.as_str()
                            .map(|t| match t.split_once('=') {
                                Some((k, v)) => (k.trim().to_owned(), Some(v.trim().to_owned())),
                                None => (t.trim().to_owned(), None),
                            })
                            .ok_or_else(|| format!("{NAME}: tags must be strings, not {t}"))
                    })
                    .collect::<Result<_, _>>()?,
                Some(other) => return Err(format!("{NAME}: tags must be a list, not {other}")),
            };
            Ok(Sensitive {
                private: bool_arg(NAME, args, "private", true)?,
                high_business_impact: bool_arg(NAME, args, "high_business_impact", true)?,
                tags,
            })
        }

        fn tagged(&self, body: &Value) -> Outcome {
            if self.tags.is_empty() {
                return Outcome::new(Truth::False);
            }
            let tags = match body.get("tags") {
                Some(Value::Object(map)) => map,
                Some(Value::String(s)) if is_unknown_text(s) => {
                    return Outcome::unknown("the workspace's tags are not known statically")
                }
                _ => return Outcome::new(Truth::False),
            };
            let outcomes = self.tags.iter().map(|(key, wanted)| {
                let Some((k, v)) = tags.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) else {
                    return Outcome::new(Truth::False);
                };
                let truth = match (wanted, v) {
                    (None, _) => Truth::True,
                    (Some(_), Value::String(s)) if is_unknown_text(s) => Truth::Unknown,
                    (Some(w), Value::String(s)) => s.eq_ignore_ascii_case(w).into(),
                    (Some(w), other) => serde_json::from_str::<Value>(w)
                        .is_ok_and(|parsed| parsed == *other)
                        .into(),
                };
                Outcome::new(truth)
                    .with_evidence(0, format!("/tags/{k}"))
                    .with_binding("sensitive", format!("it is tagged '{k}'"))
            });
            Outcome::any(outcomes.collect::<Vec<_>>())
        }
    }

    impl Predicate for Sensitive {
        fn name(&self) -> &'static str {
            NAME
        }

        fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
            let body = &*graph.get(subject).body.json();
            let mut outcomes = Vec::new();
            if self.private {
                outcomes.push(
                    Outcome::new(private_workspace(graph, subject))
                        .with_evidence(subject, "/properties/publicNetworkAccess")
                        .with_binding("sensitive", "its public network access is disabled"),
                );
            }
            if self.high_business_impact {
                let truth = match body.pointer("/properties/hbiWorkspace") {
                    Some(Value::Bool(b)) => (*b).into(),
                    Some(Value::String(s)) if is_unknown_text(s) => Truth::Unknown,
                    Some(Value::String(s)) => s.eq_ignore_ascii_case("true").into(),
                    _ => Truth::False,
                };
                outcomes.push(
                    Outcome::new(truth)
                        .with_evidence(subject, "/properties/hbiWorkspace")
                        .with_binding("sensitive", "it is a high-business-impact workspace"),
                );
            }
            let mut tagged = self.tagged(body);
            for e in &mut tagged.evidence {
                e.resource = subject;
            }
            outcomes.push(tagged);
            let mut outcome = Outcome::any(outcomes);
            if outcome.truth == Truth::Unknown && outcome.unknown_reason.is_none() {
                outcome.unknown_reason =
                    Some("whether the workspace is sensitive is not known statically".into());
            }
            outcome
        }
    }
}

/// `ml-private-workspace-nearby`.
pub mod nearby {
    use super::*;

    /// The predicate's name.
    pub const NAME: &str = "ml-private-workspace-nearby";

    /// What it says.
    pub const DOC: &str = "On any resource: a workspace whose public network access is disabled \
sits next to it — in the same deployment unit and the same resource group (`args.scope: \
resource-group`, the default), or anywhere in the same unit (`args.scope: unit`) — or the \
workspace or one of its children (connections, computes) names the resource by id. Binds \
`{workspace}`.";

    /// How far "next to" reaches.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Scope {
        ResourceGroup,
        Unit,
    }

    /// The compiled predicate.
    pub struct Nearby {
        scope: Scope,
    }

    impl Nearby {
        /// Reads `args: {scope: resource-group | unit}` (optional).
        pub fn new(args: &Value) -> Result<Nearby, String> {
            super::super::known_args(NAME, args, &["scope"])?;
            let scope = match args.get("scope").map(|s| s.as_str()) {
                None | Some(Some("resource-group")) => Scope::ResourceGroup,
                Some(Some("unit")) => Scope::Unit,
                Some(_) => {
                    return Err(format!("{NAME}: scope must be resource-group or unit"));
                }
            };
            Ok(Nearby { scope })
        }

        fn same_place(&self, graph: &Graph, a: ResourceIndex, b: ResourceIndex) -> Truth {
            let (ra, rb) = (graph.get(a), graph.get(b));
            if ra.unit != rb.unit {
                return Truth::False;
            }
            if self.scope == Scope::Unit {
                return Truth::True;
            }
            match (id::resource_group(&ra.id), id::resource_group(&rb.id)) {
                (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => Truth::True,
                (Some(x), Some(y)) if is_unknown_text(x) || is_unknown_text(y) => Truth::Unknown,
                _ => Truth::False,
            }
        }
    }

    /// The workspace a referrer belongs to: itself, or its parent when it is a child.
    fn owning_workspace(graph: &Graph, referrer: ResourceIndex) -> Option<ResourceIndex> {
        if graph.get(referrer).is(WORKSPACE) {
            return Some(referrer);
        }
        graph
            .parent(referrer)
            .filter(|&p| graph.get(p).is(WORKSPACE))
    }

    impl Predicate for Nearby {
        fn name(&self) -> &'static str {
            NAME
        }

        fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
            let mut outcomes = Vec::new();
            for reference in graph.referrers(subject) {
                if let Some(ws) = owning_workspace(graph, reference.from) {
                    outcomes.push(
                        Outcome::new(private_workspace(graph, ws))
                            .with_evidence(reference.from, reference.pointer.clone())
                            .with_binding("workspace", graph.get(ws).name.clone()),
                    );
                }
            }
            for &ws in graph.of_type(WORKSPACE) {
                let place = self.same_place(graph, subject, ws);
                if place == Truth::False {
                    continue;
                }
                let truth = match (place, private_workspace(graph, ws)) {
                    (_, Truth::False) => Truth::False,
                    (Truth::True, Truth::True) => Truth::True,
                    _ => Truth::Unknown,
                };
                outcomes.push(
                    Outcome::new(truth)
                        .with_evidence(ws, "/properties/publicNetworkAccess")
                        .with_binding("workspace", graph.get(ws).name.clone()),
                );
            }
            let mut outcome = Outcome::any(outcomes);
            if outcome.truth == Truth::Unknown && outcome.unknown_reason.is_none() {
                outcome.unknown_reason = Some(
                    "whether a private workspace is next to it is not known statically".into(),
                );
            }
            outcome
        }
    }
}

/// `ml-outbound-private-endpoints`.
pub mod outbound {
    use super::*;

    /// The predicate's name.
    pub const NAME: &str = "ml-outbound-private-endpoints";

    /// What it says.
    pub const DOC: &str = "On a workspace with a managed network: every private data store the \
workspace uses (named by id in one of its children — datastores, connections — or by \
`accountName` in a datastore; storage accounts, key vaults, registries, SQL and PostgreSQL \
servers, Cosmos DB, AI services, AI Search) has a `PrivateEndpoint` outbound rule \
(`managedNetwork.outboundRules` or a `workspaces/outboundRules` child) whose \
`destination.serviceResourceId` names it. The workspace's own storage account, key vault and \
registry get their rules from Azure ML and count only with `args.include_default_dependencies: \
true`. Binds `{dependency}`.";

    /// Data-store types a managed network reaches through private endpoints.
    const DATA_STORES: &[&str] = &[
        "Microsoft.Storage/storageAccounts",
        "Microsoft.KeyVault/vaults",
        "Microsoft.ContainerRegistry/registries",
        "Microsoft.Sql/servers",
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "Microsoft.DocumentDB/databaseAccounts",
        "Microsoft.CognitiveServices/accounts",
        "Microsoft.Search/searchServices",
    ];

    /// Where a workspace names the dependencies Azure ML gives outbound rules itself.
    const DEFAULT_DEPENDENCIES: &[&str] = &[
        "/properties/storageAccount",
        "/properties/keyVault",
        "/properties/containerRegistry",
    ];

    const RULE: &str = "Microsoft.MachineLearningServices/workspaces/outboundRules";

    /// The compiled predicate.
    pub struct OutboundPrivateEndpoints {
        include_default_dependencies: bool,
    }

    impl OutboundPrivateEndpoints {
        /// Reads `args: {include_default_dependencies: bool}` (optional).
        pub fn new(args: &Value) -> Result<OutboundPrivateEndpoints, String> {
            super::super::known_args(NAME, args, &["include_default_dependencies"])?;
            Ok(OutboundPrivateEndpoints {
                include_default_dependencies: bool_arg(
                    NAME,
                    args,
                    "include_default_dependencies",
                    false,
                )?,
            })
        }
    }

    fn is_data_store(graph: &Graph, index: ResourceIndex) -> bool {
        DATA_STORES.iter().any(|k| graph.get(index).is(k))
    }

    /// The data store an id names, or the one its parent chain names (a container's id
    /// names its storage account).
    fn data_store(graph: &Graph, from: ResourceIndex, resource_id: &str) -> Option<ResourceIndex> {
        let mut current = Some(resource_id);
        while let Some(candidate) = current {
            if let Some(t) = graph.resolve(from, candidate) {
                return is_data_store(graph, t).then_some(t);
            }
            current = id::parent(candidate);
        }
        None
    }

    fn collect_ids(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) if id::looks_like_id(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
            Value::Object(map) => map.values().for_each(|v| collect_ids(v, out)),
            _ => {}
        }
    }

    /// The data stores the workspace's children use, with the child that names each.
    fn used_stores(graph: &Graph, workspace: ResourceIndex) -> Vec<(ResourceIndex, ResourceIndex)> {
        let unit = graph.get(workspace).unit;
        let mut found = Vec::new();
        for &child in graph.children(workspace) {
            let resource = graph.get(child);
            if resource.is(RULE) {
                continue;
            }
            let mut ids = Vec::new();
            collect_ids(&resource.body.json(), &mut ids);
            found.extend(
                ids.iter()
                    .filter_map(|i| data_store(graph, child, i))
                    .map(|t| (t, child)),
            );
            if let Some(account) = resource
                .body
                .json()
                .pointer("/properties/accountName")
                .and_then(Value::as_str)
            {
                let mut named = graph
                    .of_type("Microsoft.Storage/storageAccounts")
                    .iter()
                    .copied()
                    .filter(|&s| {
                        let sa = graph.get(s);
                        sa.unit == unit && sa.name.eq_ignore_ascii_case(account)
                    });
                if let (Some(only), None) = (named.next(), named.next()) {
                    found.push((only, child));
                }
            }
        }
        found
    }

    /// Whether a data store refuses public traffic: public access disabled, or a network
    /// rule set that denies by default.
    fn is_private(graph: &Graph, store: ResourceIndex) -> Truth {
        let body = &*graph.get(store).body.json();
        let signals = [
            text_is(body, "/properties/publicNetworkAccess", "Disabled"),
            text_is(body, "/properties/network/publicNetworkAccess", "Disabled"),
            text_is(body, "/properties/networkAcls/defaultAction", "Deny"),
            text_is(body, "/properties/networkRuleSet/defaultAction", "Deny"),
        ];
        if signals.contains(&Truth::True) {
            Truth::True
        } else if signals.contains(&Truth::Unknown) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    /// The destinations of the workspace's private-endpoint outbound rules: `Ok(targets)`,
    /// or `Err` when a destination is not known statically.
    fn rule_targets(graph: &Graph, workspace: ResourceIndex) -> Result<Vec<ResourceIndex>, String> {
        let mut rules: Vec<(ResourceIndex, Value)> = Vec::new();
        let body = graph.get(workspace).body.json();
        match body.pointer("/properties/managedNetwork/outboundRules") {
            Some(Value::Object(map)) => rules.extend(map.values().map(|r| (workspace, r.clone()))),
            Some(Value::Array(items)) => rules.extend(items.iter().map(|r| (workspace, r.clone()))),
            Some(Value::String(s)) if is_unknown_text(s) => {
                return Err("the workspace's outbound rules are not known statically".into())
            }
            _ => {}
        }
        for &child in graph.children(workspace) {
            let resource = graph.get(child);
            if resource.is(RULE) {
                if let Some(props) = resource.body.json().get("properties") {
                    rules.push((child, props.clone()));
                }
            }
        }
        let mut targets = Vec::new();
        for (holder, rule) in &rules {
            let holder = *holder;
            if text_is(rule, "/type", "PrivateEndpoint") == Truth::False {
                continue;
            }
            let destination = rule
                .pointer("/destination/serviceResourceId")
                .and_then(Value::as_str);
            match destination.and_then(|d| graph.resolve(holder, d)) {
                Some(t) => targets.push(t),
                None if destination.is_some_and(is_unknown_text)
                    || text_is(rule, "/type", "PrivateEndpoint") == Truth::Unknown =>
                {
                    return Err("an outbound rule's destination is not known statically".into())
                }
                None => {}
            }
        }
        Ok(targets)
    }

    impl Predicate for OutboundPrivateEndpoints {
        fn name(&self) -> &'static str {
            NAME
        }

        fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
            let body = &*graph.get(subject).body.json();
            let mut stores = used_stores(graph, subject);
            if self.include_default_dependencies {
                for pointer in DEFAULT_DEPENDENCIES {
                    if let Some(t) = body
                        .pointer(pointer)
                        .and_then(Value::as_str)
                        .and_then(|d| data_store(graph, subject, d))
                    {
                        stores.push((t, subject));
                    }
                }
            }
            stores.sort_unstable();
            stores.dedup_by_key(|(store, _)| *store);
            let defaults: Vec<ResourceIndex> = DEFAULT_DEPENDENCIES
                .iter()
                .filter_map(|p| body.pointer(p).and_then(Value::as_str))
                .filter_map(|d| data_store(graph, subject, d))
                .collect();
            if !self.include_default_dependencies {
                stores.retain(|(store, _)| !defaults.contains(store));
            }
            let targets = rule_targets(graph, subject);
            let mut outcomes = Vec::new();
            for (store, via) in stores {
                let private = is_private(graph, store);
                let covered = match &targets {
                    Ok(t) if t.contains(&store) => Truth::True,
                    Ok(_) => Truth::False,
                    Err(_) => Truth::Unknown,
                };
                // Fine when the store is public or a rule reaches it.
                let truth = match (private, covered) {
                    (Truth::False, _) | (_, Truth::True) => Truth::True,
                    (Truth::True, Truth::False) => Truth::False,
                    _ => Truth::Unknown,
                };
                let mut outcome = Outcome::new(truth)
                    .with_evidence(via, "")
                    .with_binding("dependency", graph.get(store).name.clone());
                if truth == Truth::Unknown {
                    outcome.unknown_reason = Some(match &targets {
                        Err(reason) => reason.clone(),
                        Ok(_) => format!(
                            "whether '{}' is private is not known statically",
                            graph.get(store).name
                        ),
                    });
                }
                outcomes.push(outcome);
            }
            Outcome::all(outcomes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::UNKNOWN_MARKER;
    use crate::model::Resource;
    use serde_json::json;

    const RG: &str = "/subscriptions/s/resourceGroups/rg/providers";

    fn ws(body: Value) -> Resource {
        Resource::test(
            &format!("{RG}/Microsoft.MachineLearningServices/workspaces/ws"),
            WORKSPACE,
            body,
        )
    }

    fn sa(name: &str, access: &str) -> Resource {
        Resource::test(
            &format!("{RG}/Microsoft.Storage/storageAccounts/{name}"),
            "Microsoft.Storage/storageAccounts",
            json!({"properties": {"publicNetworkAccess": access}}),
        )
    }

    #[test]
    fn sensitivity_follows_the_options() {
        let g = Graph::new(vec![ws(json!({
            "properties": {"publicNetworkAccess": "Enabled", "hbiWorkspace": true},
            "tags": {"classification": "confidential"}
        }))]);
        let p = |args: Value| sensitive::Sensitive::new(&args).unwrap().eval(&g, 0);
        assert_eq!(p(Value::Null).truth, Truth::True);
        let o = p(json!({"high_business_impact": false}));
        assert_eq!(o.truth, Truth::False);
        let o = p(json!({"high_business_impact": false, "tags": ["classification=confidential"]}));
        assert_eq!(o.truth, Truth::True);
        assert_eq!(o.evidence[0].pointer, "/tags/classification");
        assert!(sensitive::Sensitive::new(&json!({"hbi": true})).is_err());
        let unknown = Graph::new(vec![ws(
            json!({"properties": {"publicNetworkAccess": UNKNOWN_MARKER}}),
        )]);
        let o = sensitive::Sensitive::new(&Value::Null)
            .unwrap()
            .eval(&unknown, 0);
        assert_eq!(o.truth, Truth::Unknown);
    }

    #[test]
    fn nearby_means_same_group_and_unit_or_named() {
        let account = |rg: &str| {
            Resource::test(
                &format!("/subscriptions/s/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/ai"),
                "Microsoft.CognitiveServices/accounts",
                json!({}),
            )
        };
        let private = ws(json!({"properties": {"publicNetworkAccess": "Disabled"}}));
        let near = nearby::Nearby::new(&Value::Null).unwrap();
        let g = Graph::new(vec![account("rg"), private.clone()]);
        assert_eq!(near.eval(&g, 0).truth, Truth::True);
        let g = Graph::new(vec![account("other"), private.clone()]);
        assert_eq!(near.eval(&g, 0).truth, Truth::False);
        let unit = nearby::Nearby::new(&json!({"scope": "unit"})).unwrap();
        assert_eq!(unit.eval(&g, 0).truth, Truth::True);
        let g = Graph::new(vec![account(UNKNOWN_MARKER), private]);
        assert_eq!(near.eval(&g, 0).truth, Truth::Unknown);
        let public = ws(json!({"properties": {"publicNetworkAccess": "Enabled"}}));
        let g = Graph::new(vec![account("rg"), public]);
        assert_eq!(near.eval(&g, 0).truth, Truth::False);
        assert!(nearby::Nearby::new(&json!({"scope": "tenant"})).is_err());
    }

    #[test]
    fn private_data_stores_need_an_outbound_rule() {
        let datastore = Resource::test(
            &format!("{RG}/Microsoft.MachineLearningServices/workspaces/ws/datastores/lake"),
            "Microsoft.MachineLearningServices/workspaces/datastores",
            json!({"properties": {"datastoreType": "AzureBlob", "accountName": "lake"}}),
        );
        let rule = |target: &str| json!({"r": {"type": "PrivateEndpoint", "destination": {"serviceResourceId": target, "subresourceTarget": "blob"}}});
        let lake = format!("{RG}/Microsoft.Storage/storageAccounts/lake");
        let p = outbound::OutboundPrivateEndpoints::new(&Value::Null).unwrap();
        let graph = |rules: Value, access: &str| {
            Graph::new(vec![
                ws(
                    json!({"properties": {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "outboundRules": rules}}}),
                ),
                datastore.clone(),
                sa("lake", access),
            ])
        };
        let o = p.eval(&graph(json!({}), "Disabled"), 0);
        assert_eq!(o.truth, Truth::False);
        assert_eq!(
            o.bindings,
            vec![("dependency".to_owned(), "lake".to_owned())]
        );
        assert_eq!(
            p.eval(&graph(rule(&lake), "Disabled"), 0).truth,
            Truth::True
        );
        assert_eq!(p.eval(&graph(json!({}), "Enabled"), 0).truth, Truth::True);
        assert_eq!(
            p.eval(&graph(json!({}), UNKNOWN_MARKER), 0).truth,
            Truth::Unknown
        );
        assert_eq!(
            p.eval(&graph(rule(UNKNOWN_MARKER), "Disabled"), 0).truth,
            Truth::Unknown
        );
    }

    #[test]
    fn default_dependencies_count_only_when_asked() {
        let default_sa = format!("{RG}/Microsoft.Storage/storageAccounts/wsstore");
        let g = Graph::new(vec![
            ws(json!({"properties": {"storageAccount": default_sa}})),
            sa("wsstore", "Disabled"),
        ]);
        let off = outbound::OutboundPrivateEndpoints::new(&Value::Null).unwrap();
        assert_eq!(off.eval(&g, 0).truth, Truth::True);
        let on =
            outbound::OutboundPrivateEndpoints::new(&json!({"include_default_dependencies": true}))
                .unwrap();
        assert_eq!(on.eval(&g, 0).truth, Truth::False);
    }
}
