//! The moat binary: parse the command line, call the library, set the exit code
//! (0 clean, 1 findings at or above the threshold, 2 usage or input error).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use miette::{miette, IntoDiagnostic as _, Result};

use moat::cli::{Cli, Command, ModelFormat, RulesArgs, RulesCommand, ScanArgs, ScanFormat};
use moat::diagnostic::Level;
use moat::engine::{self, Rule, Severity};
use moat::report;
use moat::scan::{self, LoadOptions};

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            let text = format!("{report:?}");
            eprintln!("{}", report::escape::console(&text));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => scan_command(&args),
        Command::Rules { command } => rules_command(command),
        Command::Model(args) => {
            let loaded = scan::load(&load_options(&args.input));
            let out = match args.format {
                ModelFormat::Json => report::model::render_json(&loaded),
                ModelFormat::Text => report::model::render_text(&loaded),
            };
            write_stdout(&out)?;
            let failed = loaded.diagnostics.iter().any(|d| d.level == Level::Error);
            Ok(if failed { EXIT_ERROR } else { 0 })
        }
    }
}

fn load_rules(args: &RulesArgs) -> Result<Vec<Rule>> {
    let mut rules = engine::builtin_rules().map_err(|e| miette!("{e}"))?;
    for dir in &args.rule_dirs {
        rules.extend(engine::load_dir(dir).map_err(|e| miette!("{e}"))?);
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = rules.iter().find(|r| !seen.insert(r.id.clone())) {
        return Err(miette!(
            "rule id '{}' is defined twice (second in {})",
            dup.id,
            dup.source.display()
        ));
    }
    Ok(rules)
}

fn load_options(input: &moat::cli::InputArgs) -> LoadOptions {
    LoadOptions {
        paths: input.paths.clone(),
        var_files: input.var_files.clone(),
        vars: input.vars.clone(),
        parameter_files: input.parameter_files.clone(),
        isolate_files: false,
        root: input.root.clone(),
    }
}

fn scan_command(args: &ScanArgs) -> Result<u8> {
    let rules = load_rules(&args.rules)?;
    let scan = scan::scan(&load_options(&args.input), &rules);
    let out = match args.format {
        ScanFormat::Text => report::text::render(&scan, &rules, terminal_width(), args.unknown),
        ScanFormat::Json => report::json::render(&scan, &rules, args.unknown),
        ScanFormat::Sarif => report::sarif::render(&scan, &rules),
        ScanFormat::Github => report::github::render(&scan),
    };
    match &args.output {
        Some(path) => std::fs::write(path, out).into_diagnostic()?,
        None => write_stdout(&out)?,
    }
    let threshold: Severity = args.severity_threshold.into();
    if scan
        .loaded
        .diagnostics
        .iter()
        .any(|d| d.level == Level::Error)
    {
        return Ok(EXIT_ERROR);
    }
    let failing = scan
        .verdicts
        .findings
        .iter()
        .any(|f| f.severity >= threshold);
    Ok(if failing { EXIT_FINDINGS } else { 0 })
}

fn rules_command(command: RulesCommand) -> Result<u8> {
    match command {
        RulesCommand::List(args) => {
            let rules = load_rules(&args)?;
            let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let mut out = String::new();
            for r in &rules {
                out.push_str(&format!(
                    "{:<width$}  {:<8}  {}\n",
                    r.id,
                    r.severity.as_str(),
                    r.title
                ));
            }
            write_stdout(&report::escape::console(&out))?;
            Ok(0)
        }
        RulesCommand::Explain { id, rules } => {
            let rules = load_rules(&rules)?;
            let Some(rule) = rules.iter().find(|r| r.id == id) else {
                return Err(miette!("no rule '{id}'; `moat rules list` shows them all"));
            };
            write_stdout(&report::escape::console(&report::explain(rule)))?;
            Ok(0)
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.into_diagnostic(),
    }
}
