//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::Severity;

/// moat: find private-networking and identity mistakes in Azure deployments
/// (Terraform today; ARM, Bicep and live exports next) before and after they ship.
#[derive(Debug, Parser)]
#[command(name = "moat", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Colour the text report and errors: `auto` on a terminal unless `NO_COLOR` is set.
    /// Machine formats (JSON, SARIF, JUnit, …) and files are never coloured.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only: no summary lines, no progress, no notes on stderr.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always colour the console text report (e.g. piped into `less -R`).
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream: `terminal` says whether it is one, `no_color` is the
    /// value of `NO_COLOR` (any non-empty value turns colour off, <https://no-color.org>).
    pub fn enabled(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders and report rule violations.
    Scan(ScanArgs),
    /// List or explain the rules.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print the normalized resources moat sees (for debugging rules and inputs).
    Model(ModelArgs),
    /// Record the current findings in a baseline file (`scan --baseline` then reports
    /// only new ones).
    Baseline(BaselineArgs),
    /// Print the effective configuration and where each value came from.
    Config(ConfigArgs),
    /// Compare two JSON reports (`scan -f json`): which findings are new, fixed, unchanged.
    Diff(DiffArgs),
    /// Combine JSON reports (one per shard: subscription, CI job) into one report.
    Merge(MergeArgs),
    /// Compare the resources code declares with a live export: what drifted, what exists
    /// on one side only.
    Drift(DriftArgs),
}

/// Configuration flags shared by `scan`, `baseline` and `config`.
#[derive(Debug, Args, Default)]
pub struct GateArgs {
    /// The configuration file (default: `.moat.yaml` in the scanned folder or above).
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules: ids or prefixes, comma-separated or repeated (replaces the
    /// file's `select`).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules: ids or prefixes (added to the file's `ignore`).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Report nothing located in files matching these globs (added to the file's `exclude`).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude: Vec<String>,
}

/// `moat baseline`.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// The baseline file to write.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// Configuration.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Where rules come from.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// `moat config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The paths a scan would read (the configuration is found from the first).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Where rules come from.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// `moat rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// One line per rule: id, severity, title (`--format json`: every rule's metadata).
    List(RulesListArgs),
    /// The full documentation of one rule.
    Explain {
        /// The rule id, e.g. nsg-open-inbound.
        id: String,
        /// Also load rules from these folders.
        #[command(flatten)]
        rules: RulesArgs,
    },
}

/// `moat rules list`.
#[derive(Debug, Args)]
pub struct RulesListArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Where rules come from.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Where rules come from.
#[derive(Debug, Args, Default)]
pub struct RulesArgs {
    /// Load additional rules from a folder of YAML files (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// What to read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files and folders to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// A Terraform variables file, applied to every root module (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// A Terraform variable, `name=value` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// An ARM parameter file, applied to every ARM template after the template's own
    /// `<name>.parameters.json` (repeatable; later files win).
    #[arg(long = "parameters", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,
    /// The folder no read may leave, symlinks followed (default: the git work tree
    /// holding the paths, else the paths themselves).
    #[arg(long = "root", value_name = "DIR")]
    pub root: Option<PathBuf>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected NAME=VALUE, got '{s}'"))
}

/// Output formats of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Human-readable, with source snippets.
    Text,
    /// The stable machine contract.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding and input error.
    Github,
    /// JUnit XML: a suite per rule, a failing testcase per (rule, resource) finding.
    Junit,
    /// One self-contained HTML page for people: summary, chart, filters, every finding.
    Html,
    /// Markdown (for `$GITHUB_STEP_SUMMARY`, wikis, tickets).
    Markdown,
    /// One row per finding, for spreadsheets.
    Csv,
}

/// `moat scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Write the report to a file instead of standard output; `FORMAT=FILE` (repeatable,
    /// e.g. `sarif=moat.sarif`) writes another format as well and keeps the console report.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    pub output: Vec<String>,
    /// Exit 1 only for findings at or above this severity.
    #[arg(long, value_enum, default_value_t = SeverityArg::Low)]
    pub severity_threshold: SeverityArg,
    /// Also report rules that could not be decided because a value is unknown.
    #[arg(long)]
    pub unknown: bool,
    /// A previous JSON report (`scan -f json`): mark every finding new or unchanged and
    /// list the fixed ones, in every format.
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
    /// Report only findings not recorded in this baseline (written by `moat baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Exit 0 even when findings reach the threshold (input errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Configuration.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Where rules come from.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A readable summary.
    Text,
    /// `{"new": [...], "fixed": [...], "unchanged": [...]}` of findings.
    Json,
}

/// `moat diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report.
    pub old: PathBuf,
    /// The later JSON report.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// `moat drift`.
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// The code: Terraform, ARM or Bicep files and folders.
    pub iac: PathBuf,
    /// The live export (a file or folder of `az` / Resource Graph dumps).
    pub export: PathBuf,
    /// Output format: text, or `{"drift": [...], "live_only": [...], "iac_only": [...]}`.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// The folder no read may leave (default: the git work tree holding each path, else
    /// the path itself).
    #[arg(long = "root", value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Where rules come from (both sides are scanned to mark live-only findings).
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Output formats of `merge`: those that can be made from JSON reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// A readable summary.
    Text,
    /// The JSON report, like `scan -f json`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// One self-contained HTML page.
    Html,
    /// Markdown.
    Markdown,
    /// One row per finding.
    Csv,
    /// JUnit XML: a suite per rule, a failing testcase per (rule, resource) finding.
    Junit,
}

/// `moat merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports (`scan -f json`) to combine.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = MergeFormat::Text)]
    pub format: MergeFormat,
    /// Write the report to a file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A previous JSON report: mark what is new, fixed and unchanged.
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
    /// Where rules come from (their titles and remediation appear in the reports).
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Output formats of `model`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    /// One line per resource.
    Text,
    /// Every resource with its body.
    Json,
}

/// `moat model`.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ModelFormat::Text)]
    pub format: ModelFormat,
}

/// A severity on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Everything, notes included.
    Info,
    /// Low and above (the default).
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ColorChoice;
    use std::ffi::OsStr;

    #[test]
    fn colour_follows_the_flag_the_terminal_and_no_color() {
        assert!(ColorChoice::Auto.enabled(true, None));
        assert!(ColorChoice::Auto.enabled(true, Some(OsStr::new(""))));
        assert!(!ColorChoice::Auto.enabled(true, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Auto.enabled(false, None));
        assert!(ColorChoice::Always.enabled(false, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Never.enabled(true, None));
    }
}
