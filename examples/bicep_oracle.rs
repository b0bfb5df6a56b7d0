//! The Bicep oracle: for every folder under the given directories holding `main.bicep` and
//! the template the Bicep compiler produced from it (`azuredeploy.json` in
//! Azure/azure-quickstart-templates, `main.json` in Azure/bicep-registry-modules), compares
//! the resources moat's Bicep lowering gives with those moat's ARM reader gives for the
//! compiled template: the multiset of (type, name), both case-insensitive.
//!
//! Both sides use the same placeholders (subscription, resource group) and the templates'
//! default parameter values. A name that is not known statically (a parameter without a
//! default, `resourceGroup().location`, `utcNow()`) counts as the token `<unknown>`: an
//! unknown name matches only an unknown name of the same type. Folders whose `main.bicep`
//! (or a local module) calls a registry module are counted apart: the compiler inlines
//! registry modules, moat reports them as not followed.
//!
//! Usage: `cargo run --release --example bicep_oracle -- DIR... [--verbose]`

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use moat::ingest::arm::{self, ArmDocument};
use moat::ingest::bicep;
use moat::ingest::json;
use moat::model::{Resource, Sources};

type Key = (String, String);

fn folders(dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    let main = dir.join("main.bicep");
    if main.is_file() {
        for compiled in ["azuredeploy.json", "main.json"] {
            if dir.join(compiled).is_file() {
                out.push((main.clone(), dir.join(compiled)));
                break;
            }
        }
    }
    for e in entries {
        if e.is_dir() {
            folders(&e, out);
        }
    }
}

fn bicep_keys(r: &[Resource]) -> Vec<Key> {
    r.iter()
        .map(|r| {
            let unknown = r.body.json().get("name").and_then(|n| n.as_str()) == Some("(unknown)");
            key(&r.kind, if unknown { None } else { Some(&r.name) })
        })
        .collect()
}

/// The ARM reader names a resource whose name is unknown by its address; a name equal to
/// the address is taken as unknown unless the lowering has that very name (a symbolic name
/// can equal the real name).
fn arm_keys(r: &[Resource], mine: &HashMap<Key, usize>) -> Vec<Key> {
    r.iter()
        .map(|r| {
            let a: &str = &r.origin.address;
            let looks_unknown = r.name == *a || r.name.ends_with(&format!("/{a}"));
            let literal = key(&r.kind, Some(&r.name));
            if looks_unknown && !mine.contains_key(&literal) {
                key(&r.kind, None)
            } else {
                literal
            }
        })
        .collect()
}

/// A name built from unknowns with identity counts as it reads (`pe-{prefix}-blob`): both
/// sides must build it from the same parameters the same way.
fn key(kind: &str, name: Option<&str>) -> Key {
    (
        kind.to_ascii_lowercase(),
        name.map_or_else(
            || "<unknown>".to_owned(),
            |n| moat::eval::symbolic::display(n).to_ascii_lowercase(),
        ),
    )
}

fn counts(keys: Vec<Key>) -> HashMap<Key, usize> {
    let mut m = HashMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// Gives every `nullable` parameter without a default the default `null` it has in ARM (the
/// ARM reader takes it as unknown), in the template and its nested templates.
fn null_defaults(template: &mut serde_json::Value) {
    match template {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(params)) = map.get_mut("parameters") {
                for p in params.values_mut() {
                    if let Some(p) = p.as_object_mut() {
                        if p.get("nullable") == Some(&serde_json::Value::Bool(true)) {
                            p.entry("defaultValue").or_insert(serde_json::Value::Null);
                        }
                    }
                }
            }
            map.values_mut().for_each(null_defaults);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(null_defaults),
        _ => {}
    }
}

/// The compiled template's resources, through moat's ARM reader.
fn compiled(path: &Path) -> Option<Vec<Resource>> {
    let mut sources = Sources::default();
    let text = moat::ingest::read_text(path).ok()?;
    let file = sources.add(path.to_path_buf(), text);
    let mut doc = json::parse(&sources, file).ok()?;
    null_defaults(&mut doc.value);
    let Some(ArmDocument::Template(scope)) = arm::recognise(&doc.value) else {
        return None;
    };
    Some(arm::ingest(&doc, file, scope, Vec::new(), &sources).0)
}

#[derive(Default)]
struct Tally {
    folders: usize,
    arm: usize,
    matched: usize,
    extra: usize,
    exact_folders: usize,
    /// Matched only as an anonymous unknown name of the same type (not by identity).
    anonymous: usize,
    /// Matched by a name with unknown parts (`pe-{prefix}-blob`).
    symbolic: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let mut pairs = Vec::new();
    let dirs: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    for dir in &dirs {
        folders(dir, &mut pairs);
    }
    // The corpora named are the scan root: modules anywhere in them are followed.
    let guard = moat::fs::Guard::new(&moat::fs::scan_root(&dirs), &[]);
    let start = Instant::now();
    let (mut parsed, mut clean) = (0usize, 0usize);
    let mut plain = Tally::default();
    let mut registry = Tally::default();
    let mut missing_by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut extra_by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples: BTreeMap<String, String> = BTreeMap::new();
    for (main, compiled_path) in &pairs {
        let Some(arm_resources) = compiled(compiled_path) else {
            continue;
        };
        let mut sources = Sources::default();
        let mut diagnostics = Vec::new();
        let ws = bicep::workspace::load(
            std::slice::from_ref(main),
            &guard,
            &mut sources,
            &mut diagnostics,
        );
        parsed += 1;
        let syntax = diagnostics
            .iter()
            .any(|d| d.message.starts_with("Bicep syntax"));
        if !syntax {
            clean += 1;
        } else if verbose {
            for d in diagnostics
                .iter()
                .filter(|d| d.message.starts_with("Bicep syntax"))
            {
                println!("SYNTAX {}: {}", d.path.display(), d.message);
            }
        }
        let uses_registry = diagnostics
            .iter()
            .any(|d| d.message.contains("registry module"));
        let (resources, _) = bicep::lower_file(&ws, main);
        let mine = counts(bicep_keys(&resources));
        let theirs = counts(arm_keys(&arm_resources, &mine));
        let tally = if uses_registry {
            &mut registry
        } else {
            &mut plain
        };
        tally.folders += 1;
        let total: usize = theirs.values().sum();
        let mut matched = 0;
        for (k, n) in &theirs {
            let m = mine.get(k).copied().unwrap_or(0);
            matched += m.min(*n);
            if k.1 == "<unknown>" {
                tally.anonymous += m.min(*n);
                if verbose {
                    println!("ANONYMOUS {} {} x{}", main.display(), k.0, m.min(*n));
                }
            } else if k.1.contains('{') {
                tally.symbolic += m.min(*n);
            }
            if m < *n && !uses_registry {
                *missing_by_type.entry(k.0.clone()).or_insert(0) += n - m;
                examples
                    .entry(format!("missing {}", k.0))
                    .or_insert_with(|| format!("{} ({})", main.display(), k.1));
                if verbose {
                    println!("MISSING {} {} {} x{}", main.display(), k.0, k.1, n - m);
                }
            }
        }
        let mut extra = 0;
        for (k, n) in &mine {
            let t = theirs.get(k).copied().unwrap_or(0);
            if *n > t {
                extra += n - t;
                if !uses_registry {
                    *extra_by_type.entry(k.0.clone()).or_insert(0) += n - t;
                    examples
                        .entry(format!("extra {}", k.0))
                        .or_insert_with(|| format!("{} ({})", main.display(), k.1));
                    if verbose {
                        println!("EXTRA {} {} {} x{}", main.display(), k.0, k.1, n - t);
                    }
                }
            }
        }
        tally.arm += total;
        tally.matched += matched;
        tally.extra += extra;
        if matched == total && extra == 0 {
            tally.exact_folders += 1;
        }
    }
    let elapsed = start.elapsed();
    let pct = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!("folders with main.bicep and a compiled template: {parsed}");
    println!(
        "main.bicep (and its local modules) parsed without a syntax error: {clean}/{parsed} ({:.1}%)",
        pct(clean, parsed)
    );
    for (label, t) in [
        ("without registry modules", &plain),
        ("calling registry modules", &registry),
    ] {
        println!(
            "{label}: {} folders, {} exact; compiled resources {}, matched {} ({:.2}%), extra in lowering {}",
            t.folders,
            t.exact_folders,
            t.arm,
            t.matched,
            pct(t.matched, t.arm),
            t.extra
        );
        println!(
            "  matched by identity {} ({:.2}%): {} by a name with unknown parts; {} more only as an anonymous unknown name",
            t.matched - t.anonymous,
            pct(t.matched - t.anonymous, t.arm),
            t.symbolic,
            t.anonymous
        );
    }
    println!("time: {:.2} s", elapsed.as_secs_f64());
    let top = |m: &BTreeMap<String, usize>, label: &str| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        for (k, n) in v.into_iter().take(15) {
            let ex = examples
                .get(&format!("{label} {k}"))
                .cloned()
                .unwrap_or_default();
            println!("  {label} {n:4} {k}  e.g. {ex}");
        }
    };
    println!("top mismatches (folders without registry modules):");
    top(&missing_by_type, "missing");
    top(&extra_by_type, "extra");
}
