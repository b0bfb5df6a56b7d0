//! Where a directive applies: the lines a finding can be suppressed from (the attribute at
//! fault, the resource's declaration, its parent's, the `module` call that created it), and
//! an index from those lines to the directives written there — linear in the findings and
//! the comment lines around them, not in findings × directives.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::directive;
use super::Placed;
use crate::engine::Finding;
use crate::fs::normalise;
use crate::model::{FileId, Span};
use crate::scan::Loaded;

/// A line a suppression may sit at or above.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    file: FileId,
    /// 1-based.
    line: usize,
    /// A resource declaration: also covered from inside its block and by ARM `metadata`.
    declaration: bool,
}

/// What matters about a line when walking from a target to its directives.
#[derive(Clone, Copy)]
struct Shape {
    /// Nothing but a comment.
    comment: bool,
    /// Indented or blank: still inside the block above.
    body: bool,
    /// An ARM object's opening `{` or a Bicep decorator line.
    opener: bool,
}

/// Directives by place, with what is needed to walk the lines around a target.
pub struct Index<'a> {
    loaded: &'a Loaded,
    /// (file, line) → directives written on that line (comments).
    by_line: HashMap<(FileId, usize), Vec<usize>>,
    /// (file, declaration line) → ARM `metadata` directives of that resource.
    by_declaration: HashMap<(FileId, usize), Vec<usize>>,
    /// Per file holding directives, by line - 1: the shape of each line.
    shapes: HashMap<FileId, Vec<Shape>>,
    /// Lines where a resource is declared.
    declarations: HashSet<(FileId, usize)>,
    /// (unit folder, module name) → the lines calling it.
    modules: HashMap<(PathBuf, String), Vec<Target>>,
}

impl<'a> Index<'a> {
    /// Indexes the directives found in the files read.
    pub fn new(loaded: &'a Loaded, placed: &[Placed]) -> Index<'a> {
        let line_of = |span: Span| loaded.sources.get(span.file).line_col(span.start).line;
        let declarations: HashSet<(FileId, usize)> = loaded
            .graph
            .resources()
            .iter()
            .map(|r| (r.origin.span.file, line_of(r.origin.span)))
            .collect();
        let mut index = Index {
            loaded,
            by_line: HashMap::new(),
            by_declaration: HashMap::new(),
            shapes: HashMap::new(),
            declarations,
            modules: HashMap::new(),
        };
        for (i, p) in placed.iter().enumerate() {
            if p.directive.metadata {
                let nearest = index
                    .declarations
                    .iter()
                    .filter(|(file, _)| *file == p.file)
                    .map(|(_, line)| *line)
                    .min_by_key(|line| (line.abs_diff(p.line), *line));
                if let Some(line) = nearest {
                    index
                        .by_declaration
                        .entry((p.file, line))
                        .or_default()
                        .push(i);
                }
                continue;
            }
            index.by_line.entry((p.file, p.line)).or_default().push(i);
            index.shapes.entry(p.file).or_insert_with(|| {
                loaded
                    .sources
                    .get(p.file)
                    .text()
                    .lines()
                    .map(|l| Shape {
                        comment: directive::is_comment_line(l),
                        body: l.trim().is_empty() || l.starts_with([' ', '\t']),
                        opener: l.trim() == "{" || l.trim_start().starts_with('@'),
                    })
                    .collect()
            });
        }
        index
    }

    /// The directives that may cover a finding, by where they sit (not yet by rule).
    pub fn candidates(&mut self, finding: &Finding) -> Vec<usize> {
        let mut out = Vec::new();
        for target in self.targets(finding) {
            self.at(target, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Directives on the target line, in the comment lines directly above it, and for a
    /// declaration inside its block before anything else is declared (Checkov's habit) or
    /// in its ARM `metadata`.
    fn at(&self, target: Target, out: &mut Vec<usize>) {
        let Target {
            file,
            line,
            declaration,
        } = target;
        if declaration {
            out.extend(self.by_declaration.get(&(file, line)).into_iter().flatten());
        }
        let Some(shapes) = self.shapes.get(&file) else {
            return;
        };
        let on = |l: usize, out: &mut Vec<usize>| {
            out.extend(self.by_line.get(&(file, l)).into_iter().flatten());
        };
        on(line, out);
        // Above a declaration, an ARM object's `{` and Bicep decorators (`@description`)
        // may stand between the comment and the declaration line.
        let mut above = line - 1;
        while above >= 1 {
            match shapes.get(above - 1) {
                Some(s) if s.comment => on(above, out),
                Some(s) if declaration && s.opener => {}
                _ => break,
            }
            above -= 1;
        }
        if declaration {
            let mut below = line + 1;
            while shapes.get(below - 1).is_some_and(|s| s.body)
                && !self.declarations.contains(&(file, below))
            {
                on(below, out);
                below += 1;
            }
        }
    }

    fn targets(&mut self, finding: &Finding) -> Vec<Target> {
        let loaded = self.loaded;
        let line_of = |span: Span| loaded.sources.get(span.file).line_col(span.start).line;
        let mut out = vec![Target {
            file: finding.span.file,
            line: line_of(finding.span),
            declaration: false,
        }];
        let parent = loaded.graph.parent(finding.resource);
        for index in [finding.resource, finding.evidence_resource]
            .into_iter()
            .chain(parent)
        {
            let resource = loaded.graph.get(index);
            out.push(Target {
                file: resource.origin.span.file,
                line: line_of(resource.origin.span),
                declaration: true,
            });
            if let Some(name) = module_name(&resource.origin.address) {
                if let Some(unit) = loaded.units.get(resource.unit.index()) {
                    out.extend(self.module_calls(&unit.path, name));
                }
            }
        }
        out
    }

    /// The lines calling module `name` (`module "name" {` in Terraform, `module name '…'`
    /// in Bicep) in the files of the unit's folder.
    fn module_calls(&mut self, unit: &Path, name: &str) -> Vec<Target> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = |p: &Path| normalise(&cwd.join(p));
        let unit = absolute(unit);
        let folder = if unit.is_dir() {
            unit
        } else {
            unit.parent().map(Path::to_path_buf).unwrap_or(unit)
        };
        let key = (folder, name.to_owned());
        if let Some(found) = self.modules.get(&key) {
            return found.clone();
        }
        let terraform = format!("module \"{name}\"");
        let bicep = format!("module {name} ");
        let mut found = Vec::new();
        for (file, source) in self.loaded.sources.iter() {
            // A big file is a JSON export: it calls no module.
            if source.is_big() || absolute(&source.path).parent() != Some(key.0.as_path()) {
                continue;
            }
            for (i, line) in source.text().lines().enumerate() {
                let t = line.trim_start();
                if t.starts_with(&terraform) || t.starts_with(&bicep) {
                    found.push(Target {
                        file,
                        line: i + 1,
                        declaration: false,
                    });
                }
            }
        }
        self.modules.insert(key, found.clone());
        found
    }
}

/// `module.net["a"].x` → `net`.
fn module_name(address: &str) -> Option<&str> {
    let rest = address.strip_prefix("module.")?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::module_name;

    #[test]
    fn module_names_come_from_the_outermost_call() {
        assert_eq!(module_name("module.net[\"a\"].module.b.x"), Some("net"));
        assert_eq!(module_name("module.registry.acr"), Some("registry"));
        assert_eq!(module_name("azurerm_key_vault.kv"), None);
    }
}
