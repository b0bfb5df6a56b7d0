//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and Azure DevOps, with the
//! rules' metadata and help, and partial fingerprints that survive line moves. URIs are
//! percent-encoded references relative to the scan root (`uriBaseId: %SRCROOT%`); input
//! errors are the invocation's notifications; columns count Unicode code points, as the
//! run declares (`columnKind`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location as SarifLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif,
    Suppression, Tool, ToolComponent,
};

use super::doc::{Change, Doc, DocFinding};
use super::escape;
use crate::engine::{Rule, Severity};
use crate::fs::normalise;
use crate::scan::Scan;

/// The `uriBaseId` every artifact location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where the run happened: what paths are made relative to, and the run's category.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The absolute scan root (`--root`, default the git work tree): `%SRCROOT%`.
    pub root: PathBuf,
    /// The absolute folder the report's relative paths are relative to (the working
    /// directory the scan ran in).
    pub cwd: PathBuf,
    /// What was scanned, relative to the root (`.`, `infra/prod`): the stable part of
    /// `automationDetails.id`, so code scanning keeps one alert set per scanned folder.
    pub category: String,
}

impl RunInfo {
    /// A run rooted at `root` over `paths` (as named on the command line), both made
    /// absolute against the working directory.
    pub fn new(root: &Path, paths: &[PathBuf]) -> RunInfo {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = normalise(&cwd.join(root));
        let mut named: Vec<String> = paths
            .iter()
            .map(|p| relative_to(&root, &normalise(&cwd.join(p))).unwrap_or_else(|| ".".into()))
            .collect();
        named.sort();
        named.dedup();
        let category = if named.is_empty() {
            ".".to_owned()
        } else {
            named.join(",")
        };
        RunInfo {
            root,
            cwd,
            category,
        }
    }

    /// An artifact location for a report path: relative to `%SRCROOT%` when the file is
    /// under the root, an absolute `file://` URI otherwise.
    fn artifact(&self, file: &str) -> ArtifactLocation {
        let absolute = normalise(&self.cwd.join(file));
        match relative_to(&self.root, &absolute) {
            Some(relative) => {
                let mut at = ArtifactLocation::builder()
                    .uri(escape::uri_path(&relative))
                    .build();
                at.uri_base_id = Some(SRCROOT.to_owned());
                at
            }
            None => ArtifactLocation::builder()
                .uri(file_uri(&absolute, false))
                .build(),
        }
    }
}

/// `path` relative to `root` with `/` separators, if it is under it (`.` for the root).
fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let shown = relative.to_string_lossy().replace('\\', "/");
    Some(if shown.is_empty() {
        ".".to_owned()
    } else {
        shown
    })
}

/// An absolute `file://` URI; a folder's ends with `/`, as `originalUriBaseIds` requires.
fn file_uri(path: &Path, folder: bool) -> String {
    let mut shown = path.to_string_lossy().replace('\\', "/");
    if !shown.starts_with('/') {
        shown.insert(0, '/'); // C:/… on Windows
    }
    if folder && !shown.ends_with('/') {
        shown.push('/');
    }
    format!("file://{}", escape::uri_path(&shown))
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium | Severity::Low => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// GitHub's `security-severity`: a CVSS-like score that sorts alerts.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The rule's tags: `security`, `azure`, and its benchmark controls (`MCSB:NS-2`,
/// `CIS:4.1.2`), which code scanning lists and filters by.
fn tags(rule: &Rule) -> Vec<String> {
    let refs = &rule.references;
    ["security".to_owned(), "azure".to_owned()]
        .into_iter()
        .chain(refs.mcsb.iter().map(|id| format!("MCSB:{id}")))
        .chain(refs.cis.iter().map(|id| format!("CIS:{id}")))
        .collect()
}

/// The first paragraph of the docs' "What it does", as plain text; the title when the
/// docs have none.
fn what_it_does(rule: &Rule) -> String {
    let paragraph: Vec<&str> = rule
        .docs
        .lines()
        .skip_while(|l| l.trim() != "## What it does")
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    if paragraph.is_empty() {
        return rule.title.clone();
    }
    plain_text(&paragraph.join(" "))
}

/// Markdown as plain text for `help.text`: headings, emphasis, code marks and fences
/// dropped, links as `text (url)`.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            continue;
        }
        let heading = line.trim_start_matches('#');
        let line = match heading.strip_prefix(' ') {
            Some(title) if heading.len() < line.len() => title,
            _ => line,
        };
        let line = line.replace("**", "").replace('`', "");
        out.push_str(&links_as_text(&line));
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// `[text](url)` → `text (url)`.
fn links_as_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        let text = &after[..close];
        let url = &after[close + 2..close + 2 + end];
        out.push_str(&format!("{text} ({url})"));
        rest = &after[close + 2 + end + 1..];
    }
    out.push_str(rest);
    out
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_owned(),
        serde_json::json!(security_severity(rule.severity)),
    );
    extra.insert("severity".to_owned(), serde_json::json!(rule.severity));
    extra.insert(
        "references".to_owned(),
        serde_json::to_value(&rule.references).unwrap_or_default(),
    );
    let properties = PropertyBag::builder()
        .tags(tags(rule))
        .additional_properties(extra)
        .build();
    let help = format!(
        "{}\n\n## Remediation\n{}",
        rule.docs.trim_end(),
        rule.remediation.to_markdown()
    );
    let mut builder = ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.id.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.title.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(what_it_does(rule))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(plain_text(&help))
                .markdown(help)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::to_value(level(rule.severity)).unwrap_or_default())
                .build(),
        )
        .properties(properties)
        .build();
    builder.help_uri = rule.references.links.first().cloned();
    builder
}

/// Renders a scan as a SARIF 2.1.0 log.
pub fn render(scan: &Scan, rules: &[Rule], info: &RunInfo) -> String {
    render_doc(&Doc::of_scan(scan, rules, false), rules, info)
}

fn result(f: &DocFinding, rules: &[Rule], info: &RunInfo) -> SarifResult {
    let at = &f.location;
    let region = Region::builder()
        .start_line(at.start_line as i64)
        .start_column(at.start_column as i64)
        .end_line(at.end_line as i64)
        .end_column(at.end_column as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(info.artifact(&at.file))
        .region(region)
        .build();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("moat/v2".to_owned(), f.fingerprint.clone());
    let mut extra = BTreeMap::new();
    extra.insert(
        "resourceType".to_owned(),
        serde_json::json!(f.resource.kind),
    );
    extra.insert(
        "resourceName".to_owned(),
        serde_json::json!(f.resource.name),
    );
    extra.insert("address".to_owned(), serde_json::json!(f.resource.address));
    // The fix in the finding's source format, as the JSON report carries it.
    if let Some(fix) = f.extra.get("remediation") {
        extra.insert("remediation".to_owned(), fix.clone());
    }
    let mut result = SarifResult::builder()
        .rule_id(f.rule_id.clone())
        .level(level(f.severity))
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![SarifLocation::builder()
            .physical_location(physical)
            .build()])
        .partial_fingerprints(fingerprints)
        .properties(PropertyBag::builder().additional_properties(extra).build())
        .build();
    result.rule_index = rules
        .iter()
        .position(|r| r.id == f.rule_id)
        .map(|i| i as i64);
    let related = related_locations(f, info);
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    // SARIF's own vocabulary for a comparison with a previous run.
    result.baseline_state = f.change.and_then(|c| match c {
        Change::New => Some(serde_json::json!("new")),
        Change::Unchanged => Some(serde_json::json!("unchanged")),
        Change::Fixed => None,
    });
    result
}

/// The finding's provenance (the JSON `provenance` list) as related locations: where the
/// value at fault was set, nearest first, each with its message; one set on the command
/// line has a message and no physical location.
fn related_locations(f: &DocFinding, info: &RunInfo) -> Vec<SarifLocation> {
    let Some(list) = f.extra.get("provenance").and_then(Value::as_array) else {
        return Vec::new();
    };
    let number = |p: &Value, key: &str| p.get(key).and_then(Value::as_i64);
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let message = p.get("message").and_then(Value::as_str).unwrap_or_default();
            let mut location = SarifLocation::builder()
                .id(i as i64)
                .message(Message::builder().text(message.to_owned()).build())
                .build();
            let file = p.get("file").and_then(Value::as_str);
            if let (Some(file), Some(line), Some(column)) =
                (file, number(p, "line"), number(p, "column"))
            {
                let mut region = Region::builder()
                    .start_line(line)
                    .start_column(column)
                    .build();
                region.end_line = number(p, "end_line");
                region.end_column = number(p, "end_column");
                let physical = PhysicalLocation::builder()
                    .artifact_location(info.artifact(file))
                    .region(region)
                    .build();
                location.physical_location = Some(physical);
            }
            location
        })
        .collect()
}

/// The report's suppressed findings (inline or by the baseline: the JSON `suppressed`
/// list), each with its SARIF suppression (`inSource` or `external`, and the
/// justification); code scanning shows them as dismissed.
fn suppressed(doc: &Doc) -> Vec<(DocFinding, Suppression)> {
    let Some(list) = doc.extra.get("suppressed").and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| serde_json::from_value::<DocFinding>(v.clone()).ok())
        .map(|f| {
            let why = f.extra.get("suppressed");
            let text = |key: &str| {
                why.and_then(|w| w.get(key))
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let kind = if text("kind") == "inline" {
                "inSource"
            } else {
                "external"
            };
            let suppression = Suppression::builder()
                .kind(serde_json::json!(kind))
                .justification(text("justification"))
                .build();
            (f, suppression)
        })
        .collect()
}

/// `automationDetails.id`: `moat/` for a scan of the whole root, `moat/infra/prod/` for
/// a folder under it; the trailing `/` makes the whole id the category, stable across runs.
fn automation_id(category: &str) -> String {
    match category {
        "." | "" => "moat/".to_owned(),
        folder => format!("moat/{folder}/"),
    }
}

/// The run's invocation: successful unless an input could not be read (exit code 2), with
/// every input error and warning as a notification at its file, line and column.
fn invocation(doc: &Doc, info: &RunInfo) -> Invocation {
    let field = |e: &Value, key: &str| e.get(key).and_then(Value::as_str).map(str::to_owned);
    let notifications: Vec<Notification> = doc
        .errors
        .iter()
        .map(|e| {
            let level = match field(e, "level").as_deref() {
                Some("error") => "error",
                Some("warning") => "warning",
                _ => "note",
            };
            let mut notification = Notification::builder()
                .message(
                    Message::builder()
                        .text(field(e, "message").unwrap_or_default())
                        .build(),
                )
                .level(serde_json::json!(level))
                .build();
            if let Some(file) = field(e, "file").filter(|f| !f.is_empty()) {
                let line = e.get("line").and_then(Value::as_i64);
                let column = e.get("column").and_then(Value::as_i64);
                let mut physical = PhysicalLocation::builder()
                    .artifact_location(info.artifact(&file))
                    .build();
                if let Some(line) = line {
                    let mut region = Region::builder().start_line(line).build();
                    region.start_column = column;
                    physical.region = Some(region);
                }
                notification.locations = Some(vec![SarifLocation::builder()
                    .physical_location(physical)
                    .build()]);
            }
            notification
        })
        .collect();
    let failed = doc
        .errors
        .iter()
        .any(|e| field(e, "level").as_deref() == Some("error"));
    let mut invocation = Invocation::builder().execution_successful(!failed).build();
    invocation.tool_execution_notifications = Some(notifications);
    invocation
}

/// Renders a JSON report as a SARIF 2.1.0 log. With `--compare`, each result carries its
/// `baselineState` (`new`, `unchanged`); fixed findings are not results, so code scanning
/// closes their alerts.
pub fn render_doc(doc: &Doc, rules: &[Rule], info: &RunInfo) -> String {
    let results: Vec<SarifResult> = doc
        .findings
        .iter()
        .map(|f| result(f, rules, info))
        .chain(suppressed(doc).iter().map(|(f, s)| {
            let mut result = result(f, rules, info);
            result.suppressions = Some(vec![s.clone()]);
            result
        }))
        .collect();
    let driver = ToolComponent::builder()
        .name("moat")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/moat-scanner/moat")
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    let mut bases = BTreeMap::new();
    bases.insert(
        SRCROOT.to_owned(),
        ArtifactLocation::builder()
            .uri(file_uri(&info.root, true))
            .build(),
    );
    run.original_uri_base_ids = Some(bases);
    run.invocations = Some(vec![invocation(doc, info)]);
    run.automation_details = Some(
        RunAutomationDetails::builder()
            .id(automation_id(&info.category))
            .build(),
    );
    let log = Sarif::builder()
        .version(serde_json::json!("2.1.0"))
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markdown_but_keeps_code_indentation() {
        let md = "## What it does\nFlags `x` **now**; see [docs](https://a.b/c).\n\n```hcl\nr {\n  a = 1\n}\n```\n#hash";
        assert_eq!(
            plain_text(md),
            "What it does\nFlags x now; see docs (https://a.b/c).\n\nr {\n  a = 1\n}\n#hash"
        );
    }

    #[test]
    fn paths_are_relative_to_the_root_or_absolute_uris() {
        let info = RunInfo {
            root: PathBuf::from("/repo"),
            cwd: PathBuf::from("/repo/infra"),
            category: ".".to_owned(),
        };
        let at = info.artifact("prod/my main.tf");
        assert_eq!(at.uri.as_deref(), Some("infra/prod/my%20main.tf"));
        assert_eq!(at.uri_base_id.as_deref(), Some(SRCROOT));
        let outside = info.artifact("../../etc/x.tf");
        assert_eq!(outside.uri.as_deref(), Some("file:///etc/x.tf"));
        assert_eq!(outside.uri_base_id, None);
        assert_eq!(file_uri(Path::new("/repo"), true), "file:///repo/");
        assert_eq!(automation_id("."), "moat/");
        assert_eq!(automation_id("infra/prod"), "moat/infra/prod/");
    }
}
