//! `terraform show -json plan.out`: the planned values of every resource instance, in
//! root and child modules, mapped through the same azurerm / azapi mappings. Values the
//! plan marks `after_unknown` are unknown; an unknown `…_id` that the configuration
//! says references another resource's `id` takes that resource's id. Findings point at
//! the `.tf` declaration when it is among the scanned files, else into the plan.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl_edit::structure::{Block, BlockLabel, Structure};
use serde_json::Value as Json;

use super::config::block_head;
use super::instance::{eval_body, Instance, Trace};
use super::mapping::{self, Mapped};
use super::module_source::is_local;
use super::{apply_patches, azapi, parse, NoReferences};
use crate::diagnostic::Diagnostic;
use crate::eval::value::Value;
use crate::fs::normalise;
use crate::ingest::json::JsonDoc;
use crate::model::{FileId, Resource, Sources, Span};

/// How deeply `child_modules` are followed.
const MAX_DEPTH: usize = 64;

/// Whether a JSON document is a Terraform plan as `terraform show -json` prints it.
pub fn is_plan(value: &Json) -> bool {
    value.get("format_version").is_some()
        && (value.get("planned_values").is_some() || value.get("configuration").is_some())
}

/// Maps a plan's planned resources to canonical resources.
pub fn ingest_plan(
    doc: &JsonDoc,
    file: FileId,
    sources: &Sources,
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let plan = &doc.value;
    let Some(root_module) = plan.pointer("/planned_values/root_module") else {
        diagnostics.push(Diagnostic::warning(
            sources.path(file),
            doc.span_of(""),
            "Terraform plan without planned_values; nothing to read",
        ));
        return (Vec::new(), diagnostics);
    };
    let after_unknown: HashMap<&str, &Json> = plan
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            Some((
                c.get("address")?.as_str()?,
                c.pointer("/change/after_unknown")?,
            ))
        })
        .collect();
    let locator = Locator::new(plan, sources, file);
    let mut planned = Vec::new();
    collect_resources(root_module, "/planned_values/root_module", 0, &mut planned);
    let mut instances: Vec<(Instance, Option<&Json>)> = planned
        .into_iter()
        .map(|(pointer, resource)| {
            let address = text(resource, "address");
            let mut value = resource.get("values").map_or(Value::Null, Value::from_json);
            if let Some(unknown) = after_unknown.get(address) {
                mark_unknown(&mut value, unknown);
            }
            let value = match value {
                Value::Object(map) => map,
                _ => BTreeMap::new(),
            };
            let declared = locator.declaration(resource);
            let (head, spans) = match &declared {
                Some((head, spans)) => (*head, spans.clone()),
                None => plan_spans(doc, &pointer, file),
            };
            let inst = Instance {
                origins: std::collections::HashMap::new(),
                address: address.to_owned(),
                kind: text(resource, "type").to_owned(),
                value,
                spans,
                head,
                // A plan holds values, not expressions: nothing is known to be a literal.
                literals: Default::default(),
            };
            (inst, locator.expressions(resource))
        })
        .collect();
    let ids: HashMap<String, Value> = instances
        .iter()
        .filter_map(|(inst, _)| Some((inst.address.clone(), map(inst)?.id)))
        .collect();
    for (inst, expressions) in &mut instances {
        let Some(expressions) = expressions else {
            continue;
        };
        let path = module_path(&inst.address);
        let resolve = |reference: &str| locator.resolve(&path, reference, &ids, 0);
        for (key, value) in inst.value.iter_mut() {
            if let Some(expr) = expressions.get(key) {
                fill_references(value, expr, &resolve);
            }
        }
    }
    let mut resources = Vec::new();
    let mut patches = Vec::new();
    for (inst, _) in &instances {
        if let Some(mapped) = map(inst) {
            resources.extend(mapped.resources);
            patches.extend(mapped.patches);
        }
    }
    apply_patches(&mut resources, patches);
    (resources, diagnostics)
}

fn map(inst: &Instance) -> Option<Mapped> {
    azapi::map(inst).or_else(|| mapping::map(inst))
}

fn text<'j>(value: &'j Json, key: &str) -> &'j str {
    value.get(key).and_then(Json::as_str).unwrap_or_default()
}

/// Managed resources of a planned module and its child modules, with their pointers.
fn collect_resources<'j>(
    module: &'j Json,
    pointer: &str,
    depth: usize,
    out: &mut Vec<(String, &'j Json)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for (i, r) in module
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if r.get("mode").and_then(Json::as_str) != Some("data") {
            out.push((format!("{pointer}/resources/{i}"), r));
        }
    }
    for (i, child) in module
        .get("child_modules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        collect_resources(
            child,
            &format!("{pointer}/child_modules/{i}"),
            depth + 1,
            out,
        );
    }
}

/// Sets to unknown every value `after_unknown` marks `true`.
fn mark_unknown(value: &mut Value, unknown: &Json) {
    match unknown {
        Json::Bool(true) => *value = Value::Unknown,
        Json::Object(map) => {
            if matches!(value, Value::Null) {
                *value = Value::Object(BTreeMap::new());
            }
            if let Value::Object(fields) = value {
                for (k, u) in map {
                    let slot = fields.entry(k.clone()).or_insert(Value::Null);
                    mark_unknown(slot, u);
                }
            }
        }
        Json::Array(items) => {
            if let Value::List(values) = value {
                for (v, u) in values.iter_mut().zip(items) {
                    mark_unknown(v, u);
                }
            }
        }
        _ => {}
    }
}

/// The module path of an address, one segment a call with its instance key:
/// `module.a["k"].module.b.azurerm_x.y[0]` → `["a[\"k\"]", "b"]`.
fn module_path(address: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = module_segment_end(after);
        segments.push(&after[..end]);
        rest = after[end..].strip_prefix('.').unwrap_or_default();
    }
    segments
}

/// The end of `name` or `name["key"]` / `name[0]` at the start of `s`.
fn module_segment_end(s: &str) -> usize {
    let name_end = s.find(['.', '[']).unwrap_or(s.len());
    if !s[name_end..].starts_with('[') {
        return name_end;
    }
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in s[name_end..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return name_end + i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Fills unknown values whose expression references something `resolve` knows.
fn fill_references(value: &mut Value, expr: &Json, resolve: &dyn Fn(&str) -> Option<Value>) {
    match (value, expr) {
        (value @ Value::Unknown, Json::Object(e)) => {
            if let Some(found) = first_reference(e).and_then(resolve) {
                *value = found;
            }
        }
        (Value::List(items), Json::Array(exprs)) => {
            for (item, e) in items.iter_mut().zip(exprs) {
                if let (Value::Object(fields), Json::Object(block)) = (item, e) {
                    for (k, v) in fields.iter_mut() {
                        if let Some(e) = block.get(k) {
                            fill_references(v, e, resolve);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// The most specific reference of an expression (Terraform lists it first).
fn first_reference(expr: &serde_json::Map<String, Json>) -> Option<&str> {
    expr.get("references")?.as_array()?.first()?.as_str()
}

/// Spans into the plan itself: the resource object and every value under `values`.
fn plan_spans(doc: &JsonDoc, pointer: &str, file: FileId) -> (Span, HashMap<String, Span>) {
    let head = doc
        .spans
        .get(pointer)
        .copied()
        .unwrap_or_else(|| Span::new(file, 0..0));
    let prefix = format!("{pointer}/values/");
    let spans = doc
        .spans
        .iter()
        .filter_map(|(p, span)| {
            let rest = p.strip_prefix(&prefix)?;
            Some((
                rest.replace('/', ".").replace("~1", "/").replace("~0", "~"),
                *span,
            ))
        })
        .collect();
    (head, spans)
}

/// Finds the `.tf` declaration of a planned resource among the scanned files, through the
/// plan's configuration (module call sources), taking the plan's folder as the root.
struct Locator<'a> {
    configuration: Option<&'a Json>,
    root: PathBuf,
    sources: &'a Sources,
}

impl<'a> Locator<'a> {
    fn new(plan: &'a Json, sources: &'a Sources, file: FileId) -> Locator<'a> {
        let root = sources
            .path(file)
            .parent()
            .map_or_else(|| PathBuf::from("."), normalise);
        Locator {
            configuration: plan.pointer("/configuration/root_module"),
            root,
            sources,
        }
    }

    /// What a reference made in module `path` evaluates to: another resource's `id`, or
    /// an input variable, through the expression the module call passes.
    fn resolve(
        &self,
        path: &[&str],
        reference: &str,
        ids: &HashMap<String, Value>,
        depth: usize,
    ) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let prefix: String = path.iter().map(|s| format!("module.{s}.")).collect();
        if let Some(target) = reference.strip_suffix(".id") {
            if let Some(id) = ids.get(&format!("{prefix}{target}")) {
                return Some(id.clone());
            }
        }
        let variable = reference.strip_prefix("var.")?;
        let (call, parent) = path.split_last()?;
        let name = &call[..call.find('[').unwrap_or(call.len())];
        let (module, _) = self.module_at(parent)?;
        let expr = module
            .get("module_calls")?
            .get(name)?
            .get("expressions")?
            .get(variable)?
            .as_object()?;
        self.resolve(parent, first_reference(expr)?, ids, depth + 1)
    }

    /// The configured module of a planned resource, and its folder when it is local.
    fn module(&self, resource: &Json) -> Option<(&'a Json, Option<PathBuf>)> {
        self.module_at(&module_path(text(resource, "address")))
    }

    /// The configured module at a module path, and its folder when it is local.
    fn module_at(&self, path: &[&str]) -> Option<(&'a Json, Option<PathBuf>)> {
        let mut module = self.configuration?;
        let mut dir = Some(self.root.clone());
        for segment in path {
            let name = &segment[..segment.find('[').unwrap_or(segment.len())];
            let call = module.get("module_calls")?.get(name)?;
            let source = text(call, "source");
            dir = dir
                .filter(|_| is_local(source))
                .map(|d| normalise(&d.join(source)));
            module = call.get("module")?;
        }
        Some((module, dir))
    }

    /// The configuration's `expressions` of a planned resource.
    fn expressions(&self, resource: &Json) -> Option<&'a Json> {
        let (module, _) = self.module(resource)?;
        let (kind, name) = (text(resource, "type"), text(resource, "name"));
        module
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| {
                text(r, "type") == kind && text(r, "name") == name && text(r, "mode") != "data"
            })?
            .get("expressions")
    }

    /// The declaration's head and attribute spans, when its file was scanned.
    fn declaration(&self, resource: &Json) -> Option<(Span, HashMap<String, Span>)> {
        let (_, dir) = self.module(resource)?;
        let dir = dir?;
        let (kind, name) = (text(resource, "type"), text(resource, "name"));
        self.sources
            .iter()
            .filter(|(_, f)| in_dir(&f.path, &dir) && super::is_config_file(&f.path))
            .find_map(|(file, f)| {
                if !f.text().contains(name) {
                    return None;
                }
                let (body, map) = if parse::is_json_syntax(&f.path) {
                    let (body, map) = parse::parse_json_file(self.sources, file).ok()?;
                    (body, Some(map))
                } else {
                    (parse::parse_file(self.sources, file).ok()?, None)
                };
                let remap = |s: Span| map.as_ref().map_or(s, |m| m.span(s));
                body.into_iter().find_map(|s| match s {
                    Structure::Block(block) if declares(&block, kind, name) => {
                        let mut trace = Trace::default();
                        eval_body(&block.body, &NoReferences, file, "", &mut trace, true);
                        let spans = trace.spans.into_iter().map(|(k, s)| (k, remap(s)));
                        Some((remap(block_head(&block, file)), spans.collect()))
                    }
                    _ => None,
                })
            })
    }
}

fn in_dir(path: &Path, dir: &Path) -> bool {
    path.parent().map(normalise).as_deref() == Some(dir)
}

fn declares(block: &Block, kind: &str, name: &str) -> bool {
    let label = |l: &BlockLabel| match l {
        BlockLabel::String(s) => s.value().to_string(),
        BlockLabel::Ident(i) => i.value().to_string(),
    };
    block.ident.as_str() == "resource"
        && block.labels.iter().map(label).collect::<Vec<_>>() == [kind, name]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_keep_instance_keys() {
        assert_eq!(
            module_path(r#"module.a["x.y"].module.b[0].azurerm_subnet.s["k"]"#),
            [r#"a["x.y"]"#, "b[0]"]
        );
        assert!(module_path("azurerm_subnet.s").is_empty());
    }
}
