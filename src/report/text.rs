//! `--format text`: each finding rendered by miette with its source snippet, marked when it
//! fails the gate, grouped under a header per resource from [`GROUP_AT`] findings on, then
//! a summary. Everything taken from the scanned files (names, addresses, messages,
//! snippets) is escaped ([`escape`]): no control character or bidi override reaches the
//! terminal or CI log; colour (a terminal only) adds nothing but SGR sequences.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};

use super::json::JsonProvenance;
use super::{display_path, escape};
use crate::diagnostic::{Diagnostic, Level};
use crate::engine::{Finding, Rule, Severity, Undecided};
use crate::model::{ResourceIndex, SourceFile, Sources, Span};
use crate::scan::Scan;

/// One item to render: a finding or an input problem.
struct Item {
    code: Option<String>,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    label: Option<(Span, String)>,
    source: Option<NamedSource<Window>>,
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Item {}

impl MietteDiagnostic for Item {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (span, text) = self.label.as_ref()?;
        let len = span.end.saturating_sub(span.start);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(text.clone()),
            span.start,
            len,
        ))))
    }
}

/// Lines longer than this (minified JSON, generated files) are not shown as a snippet:
/// the location is printed instead.
const MAX_SNIPPET_LINE: usize = 400;

/// Points an item at a span: a source snippet with a label, or, when the lines around the
/// span are too long to show, `file:line:column` after the message.
fn attach(mut item: Item, sources: &Sources, span: Span, label: String) -> Item {
    let file = sources.get(span.file);
    if longest_line(file, span) > MAX_SNIPPET_LINE {
        let at = super::Location::of(sources, span);
        item.message = format!(
            "{}\n  at {}:{}:{} ({})",
            item.message,
            escape::text(&at.file),
            at.start_line,
            at.start_column,
            escape::text(&label)
        );
        return item;
    }
    let window = Window::around(file, span);
    item.source = Some(NamedSource::new(
        escape::text(&display_path(&file.path)),
        window,
    ));
    item.label = Some((span, escape::text(&label).into_owned()));
    item
}

/// The length in bytes of the longest line the span touches, or more than
/// [`MAX_SNIPPET_LINE`] when it is longer than that; reads only the span and that much
/// around it.
fn longest_line(file: &SourceFile, span: Span) -> usize {
    let from = span.start.saturating_sub(MAX_SNIPPET_LINE + 1);
    let to = span
        .end
        .saturating_add(MAX_SNIPPET_LINE + 1)
        .min(file.len());
    let bytes = file.bytes(from..to);
    let (start, end) = (span.start.min(to) - from, span.end.min(to) - from);
    let line_start = match memchr::memrchr(b'\n', &bytes[..start]) {
        Some(i) => i + 1,
        None if from > 0 => return MAX_SNIPPET_LINE + 1,
        None => 0,
    };
    let line_end = match memchr::memchr(b'\n', &bytes[end..]) {
        Some(i) => end + i,
        None if to < file.len() => return MAX_SNIPPET_LINE + 1,
        None => bytes.len(),
    };
    bytes[line_start..line_end.max(line_start)]
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

/// The lines of a file around a span given to miette, numbered as in the file: the
/// snippet reads as if the whole file were given, at the cost of a few lines.
#[derive(Debug)]
struct Window {
    /// The lines, escaped.
    text: Arc<str>,
    /// Where they start in the file.
    offset: usize,
    /// The 0-based line they start on.
    line: usize,
}

/// Lines of context a window holds beyond the span's (miette shows fewer).
const WINDOW_CONTEXT: usize = 3;

impl Window {
    fn around(file: &SourceFile, span: Span) -> Window {
        let first = file
            .line_col(span.start)
            .line
            .saturating_sub(WINDOW_CONTEXT)
            .max(1);
        let last = file.line_col(span.end).line + WINDOW_CONTEXT + 1;
        let offset = file.offset_of(first, 1);
        let end = file.offset_of(last, 1);
        let text = file.read(offset..end);
        Window {
            text: Arc::from(escape::snippet(&text)),
            offset,
            line: first - 1,
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span
            .offset()
            .checked_sub(self.offset)
            .ok_or(MietteError::OutOfBounds)?;
        let inner =
            self.text
                .read_span(&SourceSpan::new(start.into(), span.len()), before, after)?;
        let at = inner.span();
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((at.offset() + self.offset).into(), at.len()),
            inner.line() + self.line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium | Severity::Low => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn finding_item(scan: &Scan, rules: &[Rule], f: &Finding, new: bool, fails: bool) -> Item {
    let sources = &scan.loaded.sources;
    let evidence = scan.loaded.graph.get(f.evidence_resource);
    let resource = scan.loaded.graph.get(f.resource);
    let remediation = rules
        .iter()
        .find(|r| r.id == f.rule_id)
        .map(|r| super::az::remediation(r, resource.origin.format, &resource.id));
    // Each origin on a line of its own under the message, each escaped on its own.
    let mut message = escape::text(&f.message).into_owned();
    for origin in JsonProvenance::of_finding(&scan.loaded.graph, sources, f) {
        message.push_str("\n  ");
        message.push_str(&escape::text(&origin.label()));
    }
    let item = Item {
        code: Some(format!(
            "{} ({}{}){}",
            escape::text(&f.rule_id),
            f.severity,
            if new { ", new" } else { "" },
            if fails { " [fails the gate]" } else { "" }
        )),
        severity: miette_severity(f.severity),
        message,
        help: remediation.map(|r| escape::text_keeping_lines(&r).into_owned()),
        label: None,
        source: None,
    };
    attach(item, sources, f.span, evidence.origin.address.to_string())
}

fn undecided_item(scan: &Scan, u: &Undecided) -> Item {
    let resource = scan.loaded.graph.get(u.resource);
    let item = Item {
        code: Some(format!("{} (undecided)", escape::text(&u.rule_id))),
        severity: miette::Severity::Advice,
        message: escape::text(&format!(
            "{} '{}' could not be checked: {}",
            resource.kind,
            crate::eval::symbolic::display(&resource.name),
            crate::eval::symbolic::display(&u.reason)
        ))
        .into_owned(),
        help: None,
        label: None,
        source: None,
    };
    attach(
        item,
        &scan.loaded.sources,
        u.span,
        resource.origin.address.to_string(),
    )
}

fn diagnostic_item(sources: &Sources, d: &Diagnostic) -> Item {
    let severity = match d.level {
        Level::Error => miette::Severity::Error,
        Level::Warning => miette::Severity::Warning,
    };
    match d.span {
        Some(span) => {
            let item = Item {
                code: Some("input".into()),
                severity,
                message: escape::text(&d.message).into_owned(),
                help: None,
                label: None,
                source: None,
            };
            attach(item, sources, span, "here".into())
        }
        None => Item {
            code: Some("input".into()),
            severity,
            message: escape::text(&format!("{}: {}", display_path(&d.path), d.message))
                .into_owned(),
            help: None,
            label: None,
            source: None,
        },
    }
}

/// How the text report is laid out and what it marks.
pub struct Style<'a> {
    /// The terminal width the layout wraps at (fixed in snapshots).
    pub width: usize,
    /// List the rules left undecided by unknown values (`--unknown`).
    pub show_undecided: bool,
    /// Colour (only on a terminal, `--color`); never in files or machine formats.
    pub color: bool,
    /// Findings and input errors only: no warnings, no summary (`--quiet`).
    pub quiet: bool,
    /// Findings at or above this severity fail the gate and are marked; none with
    /// `--exit-zero`.
    pub gate: Option<Severity>,
    /// Findings marked `new` (`--compare`).
    pub is_new: &'a dyn Fn(&Finding) -> bool,
}

/// From this many findings on, the report groups them under a header per resource.
pub const GROUP_AT: usize = 40;

/// Renders findings and input problems (and, with `show_undecided`, rules left undecided by
/// unknown values), then a summary line, without colours or gate marks. `width` fixes the
/// layout (snapshots).
pub fn render(scan: &Scan, rules: &[Rule], width: usize, show_undecided: bool) -> String {
    render_with(
        scan,
        rules,
        &Style {
            width,
            show_undecided,
            color: false,
            quiet: false,
            gate: None,
            is_new: &|_| false,
        },
    )
}

/// Renders the report as `style` says: findings at or above the gate marked `[fails the
/// gate]`, grouped by resource from [`GROUP_AT`] findings on, and a summary that counts
/// what fails the gate and what stayed undecided.
pub fn render_with(scan: &Scan, rules: &[Rule], style: &Style<'_>) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        // Help holds `az` commands: never split `--allow-trusted-services` at a hyphen.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    let emit = |out: &mut String, item: Item| {
        if handler.render_report(out, &item).is_err() {
            out.push_str(&item.message);
        }
        out.push('\n');
    };
    for d in &scan.loaded.diagnostics {
        if !style.quiet || d.level == Level::Error {
            emit(&mut out, diagnostic_item(&scan.loaded.sources, d));
        }
    }
    let findings = &scan.verdicts.findings;
    let fails = |f: &Finding| style.gate.is_some_and(|t| f.severity >= t);
    let item = |f: &Finding| finding_item(scan, rules, f, (style.is_new)(f), fails(f));
    if findings.len() >= GROUP_AT {
        for (resource, group) in by_resource(findings) {
            out.push_str(&resource_header(scan, resource, group.len(), style.color));
            for f in group {
                emit(&mut out, item(f));
            }
        }
    } else {
        for f in findings {
            emit(&mut out, item(f));
        }
    }
    if style.show_undecided {
        for u in &scan.verdicts.undecided {
            emit(&mut out, undecided_item(scan, u));
        }
    }
    if !style.quiet {
        out.push_str(&summary(scan));
        out.push_str(&gate_line(findings, style.gate));
        out.push_str(&undecided_line(
            &scan.verdicts.undecided,
            style.show_undecided,
        ));
        out.push_str(&unmapped(scan, style.show_undecided));
    }
    // Defence in depth: whatever reached the report unescaped, no control character but
    // the line breaks the layout needs (and, coloured, the report's own colours) leaves it.
    if style.color {
        escape::console_styled(&out).into_owned()
    } else {
        escape::console(&out).into_owned()
    }
}

/// Findings grouped by the resource they belong to, resources in order of first finding.
fn by_resource(findings: &[Finding]) -> Vec<(ResourceIndex, Vec<&Finding>)> {
    let mut groups: Vec<(ResourceIndex, Vec<&Finding>)> = Vec::new();
    let mut at: std::collections::HashMap<ResourceIndex, usize> = Default::default();
    for f in findings {
        let i = *at.entry(f.resource).or_insert_with(|| {
            groups.push((f.resource, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(f);
    }
    groups
}

/// `── azurerm_subnet.a (Microsoft.Network/virtualNetworks/subnets) · main.tf:12 · 3 findings`
fn resource_header(scan: &Scan, resource: ResourceIndex, n: usize, color: bool) -> String {
    let r = scan.loaded.graph.get(resource);
    let at = super::Location::of(&scan.loaded.sources, r.origin.span);
    let text = format!(
        "── {} ({}) · {}:{} · {n} finding{}",
        escape::text(&crate::eval::symbolic::display(&r.origin.address)),
        escape::text(&r.kind),
        escape::text(&at.file),
        at.start_line,
        if n == 1 { "" } else { "s" }
    );
    if color {
        format!("\x1b[1m{text}\x1b[0m\n\n")
    } else {
        format!("{text}\n\n")
    }
}

/// `N findings fail the gate (--severity-threshold high)`, when there is a gate.
fn gate_line(findings: &[Finding], gate: Option<Severity>) -> String {
    let Some(threshold) = gate else {
        return String::new();
    };
    let n = findings.iter().filter(|f| f.severity >= threshold).count();
    format!(
        "{n} finding{} fail{} the gate (--severity-threshold {threshold})\n",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
    )
}

/// How many checks (rule × resource) of how many rules stayed undecided because a value is
/// unknown; nothing when all were decided.
fn undecided_line(undecided: &[Undecided], listed: bool) -> String {
    if undecided.is_empty() {
        return String::new();
    }
    let rules: std::collections::BTreeSet<&str> =
        undecided.iter().map(|u| u.rule_id.as_str()).collect();
    format!(
        "{} check{} of {} rule{} undecided: a value is unknown{}\n",
        undecided.len(),
        if undecided.len() == 1 { "" } else { "s" },
        rules.len(),
        if rules.len() == 1 { "" } else { "s" },
        if listed {
            " (listed above)"
        } else {
            " (--unknown lists them)"
        }
    )
}

/// A line counting the resources of types moat does not map; with `--unknown`, the types.
fn unmapped(scan: &Scan, list: bool) -> String {
    let unmapped = &scan.loaded.unmapped;
    if unmapped.is_empty() {
        return String::new();
    }
    let resources: usize = unmapped.values().sum();
    let mut out = format!(
        "{resources} resource{} of {} unmapped type{} not checked{}\n",
        if resources == 1 { "" } else { "s" },
        unmapped.len(),
        if unmapped.len() == 1 { "" } else { "s" },
        if list { ":" } else { " (--unknown lists them)" },
    );
    if list {
        for (kind, n) in unmapped {
            out.push_str(&format!("  {kind}: {n}\n"));
        }
    }
    out
}

fn summary(scan: &Scan) -> String {
    let findings = &scan.verdicts.findings;
    let mut counts: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .iter()
    .filter_map(|s| {
        let n = findings.iter().filter(|f| f.severity == *s).count();
        (n > 0).then(|| format!("{n} {s}"))
    })
    .collect();
    if counts.is_empty() {
        counts.push("none".into());
    }
    let errors = scan
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let mut gate = String::new();
    if !scan.suppressed.is_empty() {
        let inline = scan
            .suppressed
            .iter()
            .filter(|s| s.kind == crate::suppress::Kind::Inline)
            .count();
        gate.push_str(&format!("; {inline} suppressed"));
    }
    if let Some(b) = scan.baseline {
        gate.push_str(&format!(
            "; {} in the baseline, {} baselined fixed",
            b.matched, b.fixed
        ));
    }
    format!(
        "{} finding{} ({}) in {} resources from {} files; {} input error{}{gate}\n",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        counts.join(", "),
        scan.loaded.graph.resources().len(),
        scan.loaded.file_count(),
        errors,
        if errors == 1 { "" } else { "s" },
    )
}
