//! `.moat.yaml`: which rules run, at what severity and with which options, which paths are
//! not reported, and extra rule folders — merged with the command line, each value
//! remembering where it came from (`moat config` prints them).

mod glob;
mod select;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::engine::{Rule, Severity};
pub use select::Selection;

/// The file name looked for, upward from the scanned path.
pub const FILE_NAME: &str = ".moat.yaml";

/// The file as written; unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    severity: Option<BTreeMap<String, Severity>>,
    options: Option<BTreeMap<String, Map<String, Value>>>,
    exclude: Option<Vec<String>>,
    rules: Option<Vec<PathBuf>>,
}

/// What the command line says about configuration.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config FILE` (else `.moat.yaml` is looked for upward).
    pub file: Option<PathBuf>,
    /// `--select`: replaces the file's `select`.
    pub select: Vec<String>,
    /// `--ignore`: added to the file's `ignore`.
    pub ignore: Vec<String>,
    /// `--exclude`: added to the file's `exclude`.
    pub exclude: Vec<String>,
    /// `--rules`: added to the file's `rules`.
    pub rule_dirs: Vec<PathBuf>,
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built in.
    Default,
    /// A line of the configuration file.
    File(PathBuf, usize),
    /// A flag.
    CommandLine,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(path, line) => write!(f, "{}:{line}", crate::report::display_path(path)),
            Origin::CommandLine => f.write_str("command line"),
        }
    }
}

/// The effective configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// Rule ids or prefixes to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids or prefixes not to run.
    pub ignore: Vec<String>,
    /// Severity per rule id.
    pub severity: BTreeMap<String, Severity>,
    /// Predicate options per rule id.
    pub options: BTreeMap<String, Map<String, Value>>,
    /// Path globs whose findings, undecided rules and input problems are not reported.
    pub exclude: Vec<String>,
    /// Extra rule folders.
    pub rule_dirs: Vec<PathBuf>,
    /// The folder `exclude` globs are relative to: the file's folder, else the current one.
    pub base: PathBuf,
    /// Where each value came from, by key (`select`, `severity.<id>`, `options.<id>`, …).
    pub origins: BTreeMap<String, Origin>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not valid YAML, or not the schema (with line and column).
    #[error("{}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A value names no rule, or options a rule does not take.
    #[error("{0}")]
    Rules(String),
}

/// Finds `.moat.yaml` in the folder of the first scanned path or any folder above it.
pub fn find(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let cwd = std::env::current_dir().unwrap_or_default();
    let start = cwd.join(&first);
    let start = if start.is_dir() {
        start
    } else {
        start
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.clone())
    };
    let found = start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())?;
    Some(
        found
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(found),
    )
}

/// Reads the configuration for a scan of `paths`, then applies the command line.
pub fn load(paths: &[PathBuf], overrides: &Overrides) -> Result<Config, ConfigError> {
    let mut config = Config {
        base: std::env::current_dir().unwrap_or_default(),
        ..Config::default()
    };
    for key in ["select", "ignore", "exclude", "rules"] {
        config.origins.insert(key.to_owned(), Origin::Default);
    }
    if let Some(path) = overrides.file.clone().or_else(|| find(paths)) {
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            path: path.clone(),
            source,
        })?;
        config.read_file(&path, &text)?;
    }
    config.apply(overrides);
    Ok(config)
}

impl Config {
    fn read_file(&mut self, path: &Path, text: &str) -> Result<(), ConfigError> {
        let file: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            serde_norway::from_str(text).map_err(|e| ConfigError::Invalid {
                path: path.to_owned(),
                message: e.to_string(),
            })?
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let lines = KeyLines::new(text);
        let at = |key: &str, sub: Option<&str>| Origin::File(path.to_owned(), lines.line(key, sub));
        if let Some(select) = file.select {
            self.select = select;
            self.origins.insert("select".into(), at("select", None));
        }
        if let Some(ignore) = file.ignore {
            self.ignore = ignore;
            self.origins.insert("ignore".into(), at("ignore", None));
        }
        if let Some(exclude) = file.exclude {
            self.exclude = exclude;
            self.origins.insert("exclude".into(), at("exclude", None));
        }
        if let Some(rules) = file.rules {
            self.rule_dirs = rules.into_iter().map(|d| dir.join(d)).collect();
            self.origins.insert("rules".into(), at("rules", None));
        }
        for (id, severity) in file.severity.unwrap_or_default() {
            self.origins
                .insert(format!("severity.{id}"), at("severity", Some(&id)));
            self.severity.insert(id, severity);
        }
        for (id, options) in file.options.unwrap_or_default() {
            self.origins
                .insert(format!("options.{id}"), at("options", Some(&id)));
            self.options.insert(id, options);
        }
        self.base = if dir.as_os_str().is_empty() {
            self.base.clone()
        } else {
            std::env::current_dir().unwrap_or_default().join(dir)
        };
        self.file = Some(path.to_owned());
        Ok(())
    }

    fn apply(&mut self, overrides: &Overrides) {
        if !overrides.select.is_empty() {
            self.select = overrides.select.clone();
            self.origins.insert("select".into(), Origin::CommandLine);
        }
        let extend = |list: &mut Vec<String>, extra: &[String]| {
            list.extend(extra.iter().cloned());
            !extra.is_empty()
        };
        if extend(&mut self.ignore, &overrides.ignore) {
            self.origins.insert("ignore".into(), Origin::CommandLine);
        }
        if extend(&mut self.exclude, &overrides.exclude) {
            self.origins.insert("exclude".into(), Origin::CommandLine);
        }
        if !overrides.rule_dirs.is_empty() {
            self.rule_dirs.extend(overrides.rule_dirs.iter().cloned());
            self.origins.insert("rules".into(), Origin::CommandLine);
        }
    }

    /// The rules to run: options recompiled in, severities overridden, `select`/`ignore`
    /// applied. A selector, severity or option naming no rule is an error (a typo would
    /// otherwise silently do nothing).
    pub fn apply_rules(&self, rules: Vec<Rule>) -> Result<Vec<Rule>, ConfigError> {
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        for id in self.severity.keys().chain(self.options.keys()) {
            if !ids.contains(&id.as_str()) {
                return Err(ConfigError::Rules(format!(
                    "configuration names rule '{id}', which does not exist"
                )));
            }
        }
        let selection =
            Selection::new(&self.select, &self.ignore, &ids).map_err(ConfigError::Rules)?;
        let mut out = Vec::new();
        for rule in rules {
            if !selection.selects(&rule.id) {
                continue;
            }
            let mut rule = match self.options.get(&rule.id) {
                Some(options) => rule
                    .with_options(options)
                    .map_err(|e| ConfigError::Rules(format!("options.{}: {e}", rule.id)))?,
                None => rule,
            };
            if let Some(severity) = self.severity.get(&rule.id) {
                rule.severity = *severity;
            }
            out.push(rule);
        }
        Ok(out)
    }

    /// Whether a file's findings and problems are left out of the report.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = crate::fs::normalise(&cwd.join(path));
        let relative = absolute.strip_prefix(&self.base).unwrap_or(&absolute);
        let shown = relative.to_string_lossy().replace('\\', "/");
        self.exclude.iter().any(|g| glob::matches(g, &shown))
    }

    /// Drops findings (suppressed or not), undecided rules and input problems located in
    /// excluded files.
    pub fn exclude_from(&self, scan: &mut crate::scan::Scan) {
        if self.exclude.is_empty() {
            return;
        }
        let sources = &scan.loaded.sources;
        let kept = |span: &crate::model::Span| !self.is_excluded(sources.path(span.file));
        scan.verdicts.findings.retain(|f| kept(&f.span));
        scan.verdicts.undecided.retain(|u| kept(&u.span));
        scan.suppressed.retain(|s| kept(&s.finding.span));
        scan.loaded
            .diagnostics
            .retain(|d| !self.is_excluded(&d.path));
    }

    /// `moat config`: every effective value and where it came from.
    pub fn render(&self, rules: &[Rule]) -> String {
        let mut out = String::new();
        let file = self
            .file
            .as_ref()
            .map_or_else(|| "none".to_owned(), |f| crate::report::display_path(f));
        let _ = writeln!(out, "# configuration file: {file}");
        let list = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
        let origin = |key: &str| {
            self.origins
                .get(key)
                .map_or_else(|| Origin::Default.to_string(), ToString::to_string)
        };
        let dirs: Vec<String> = self
            .rule_dirs
            .iter()
            .map(|d| crate::report::display_path(d))
            .collect();
        for (key, value) in [
            ("select", list(&self.select)),
            ("ignore", list(&self.ignore)),
            ("exclude", list(&self.exclude)),
            ("rules", list(&dirs)),
        ] {
            let _ = writeln!(out, "{key} = {value}  # {}", origin(key));
        }
        for rule in rules {
            let key = format!("severity.{}", rule.id);
            let _ = writeln!(out, "{key} = {}  # {}", rule.severity, origin(&key));
        }
        for (id, options) in &self.options {
            let key = format!("options.{id}");
            let _ = writeln!(
                out,
                "{key} = {}  # {}",
                Value::Object(options.clone()),
                origin(&key)
            );
        }
        let enabled: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
        let _ = writeln!(out, "# rules that run: {}", enabled.join(", "));
        out
    }
}

/// Lines of top-level keys and of the keys directly under them, for provenance.
struct KeyLines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> KeyLines<'a> {
    fn new(text: &'a str) -> KeyLines<'a> {
        KeyLines {
            lines: text.lines().collect(),
        }
    }

    /// 1-based line of `key:` at the top level, or of `sub:` below it (else the key's).
    fn line(&self, key: &str, sub: Option<&str>) -> usize {
        let is_key = |line: &str, k: &str| {
            let t = line.trim_start().trim_start_matches(['"', '\'']);
            t.strip_prefix(k).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        };
        let top = self
            .lines
            .iter()
            .position(|l| !l.starts_with([' ', '\t']) && is_key(l, key))
            .unwrap_or(0);
        let Some(sub) = sub else { return top + 1 };
        let below = self.lines[top..]
            .iter()
            .enumerate()
            .skip(1)
            .take_while(|(_, l)| l.trim().is_empty() || l.starts_with([' ', '\t', '#']))
            .find(|(_, l)| is_key(l, sub) || l.contains(&format!("{sub}:")))
            .map(|(i, _)| top + i);
        below.unwrap_or(top) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_line_and_column() {
        let mut config = Config::default();
        let err = config
            .read_file(Path::new(".moat.yaml"), "select: [nsg]\nignored: [x]\n")
            .expect_err("unknown key");
        let text = err.to_string();
        assert!(text.contains("ignored"), "{text}");
        assert!(text.contains("line 2 column 1"), "{text}");
    }

    #[test]
    fn values_remember_their_line() {
        let mut config = Config::default();
        let text =
            "select: [nsg]\nseverity:\n  acr-public-access: low\n  nsg-open-inbound: medium\n";
        config.read_file(Path::new("c.yaml"), text).expect("valid");
        assert_eq!(
            config.origins.get("severity.nsg-open-inbound"),
            Some(&Origin::File(PathBuf::from("c.yaml"), 4))
        );
        assert_eq!(
            config.origins.get("select"),
            Some(&Origin::File(PathBuf::from("c.yaml"), 1))
        );
        config.apply(&Overrides {
            select: vec!["acr".into()],
            ..Overrides::default()
        });
        assert_eq!(config.origins.get("select"), Some(&Origin::CommandLine));
        assert_eq!(config.select, vec!["acr".to_owned()]);
    }
}
