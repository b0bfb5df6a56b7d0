//! The moat binary: parse the command line, call the library, set the exit code
//! (0 clean, 1 findings at or above the threshold, 2 usage or input error).

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use miette::{miette, IntoDiagnostic as _, Result};

use moat::cli::{
    Cli, ColorChoice, Command, DiffArgs, DiffFormat, DriftArgs, GateArgs, InputArgs, MergeArgs,
    MergeFormat, ModelFormat, RulesArgs, RulesCommand, ScanArgs, ScanFormat,
};
use moat::config::{self, Config};
use moat::diagnostic::Level;
use moat::engine::{self, Rule, Severity};
use moat::report::{self, doc::Change, doc::Doc};
use moat::scan::{self, LoadOptions, Scan};
use moat::{baseline, suppress};

/// A tenant's model is millions of small allocations made and freed on every core:
/// mimalloc's per-thread heaps cost a fraction of the system allocator's time and space.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc returns freed memory to the system 10 ms after it is freed; a scan frees and
/// takes back memory all the time (a 100k-resource Terraform corpus spent 3.5 s of system
/// time faulting returned pages in again). One second keeps it for reuse. And no
/// transparent huge pages: the kernel zeroes 2 MiB for every first touch of one (a
/// 1M-row export: 2 s of system time less without them).
#[cfg(feature = "mimalloc")]
fn tune_allocator() {
    /// `mi_option_purge_delay` in mimalloc's v2 and v3 headers (its Rust binding has no
    /// name for it).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: mimalloc documents options as settable at any time; this stores a number.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000) }
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's
    // memory policy; failing (an old kernel) leaves the default.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    tune_allocator();
    let cli = Cli::parse();
    let color = colored(cli.color, std::io::stderr().is_terminal());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().color(color).build())
    }));
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            let text = format!("{report:?}");
            if color {
                eprintln!("{}", report::escape::console_styled(&text));
            } else {
                eprintln!("{}", report::escape::console(&text));
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Whether a stream gets colour: `--color`, whether it is a terminal, and `NO_COLOR`.
fn colored(choice: ColorChoice, terminal: bool) -> bool {
    choice.enabled(terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// What every command may look at beyond its own arguments.
#[derive(Clone, Copy)]
struct Console {
    /// Colour the text report on stdout.
    color: bool,
    /// `--quiet`.
    quiet: bool,
}

fn run(cli: Cli) -> Result<u8> {
    let console = Console {
        color: colored(cli.color, std::io::stdout().is_terminal()),
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Scan(args) => scan_command(&args, console),
        Command::Rules { command } => rules_command(command),
        Command::Baseline(args) => {
            let (_, _, scan) = gated_scan(&args.input, &args.gate, &args.rules, console.quiet)?;
            std::fs::write(&args.output, baseline::render(&scan)).into_diagnostic()?;
            if !console.quiet {
                eprintln!(
                    "moat: {} finding{} recorded in {}",
                    scan.verdicts.findings.len(),
                    if scan.verdicts.findings.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    report::escape::console(&args.output.display().to_string())
                );
            }
            Ok(if has_errors(&scan) { EXIT_ERROR } else { 0 })
        }
        Command::Config(args) => {
            let (config, rules, _) = configure(&args.paths, &args.gate, &args.rules)?;
            write_stdout(&report::escape::console(&config.render(&rules)))?;
            Ok(0)
        }
        Command::Diff(args) => diff_command(&args),
        Command::Merge(args) => merge_command(&args),
        Command::Drift(args) => drift_command(&args),
        Command::Model(args) => {
            let loaded = scan::load(&load_options(&args.input));
            let out = match args.format {
                ModelFormat::Json => report::model::render_json(&loaded),
                ModelFormat::Text => report::model::render_text(&loaded),
            };
            write_stdout(&out)?;
            let failed = loaded.diagnostics.iter().any(|d| d.level == Level::Error);
            // The process ends here: freeing a whole tenant's model would only cost time.
            std::mem::forget(loaded);
            Ok(if failed { EXIT_ERROR } else { 0 })
        }
    }
}

fn load_rules(args: &RulesArgs) -> Result<Vec<Rule>> {
    load_rule_dirs(&args.rule_dirs)
}

fn load_rule_dirs(dirs: &[std::path::PathBuf]) -> Result<Vec<Rule>> {
    let mut rules = engine::builtin_rules().map_err(|e| miette!("{e}"))?;
    for dir in dirs {
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

fn load_options(input: &InputArgs) -> LoadOptions {
    LoadOptions {
        paths: input.paths.clone(),
        var_files: input.var_files.clone(),
        vars: input.vars.clone(),
        parameter_files: input.parameter_files.clone(),
        isolate_files: false,
        root: input.root.clone(),
    }
}

/// The configuration for a scan of `paths` and the rules it runs.
/// Also returns the ids of every rule loaded, selected or not.
fn configure(
    paths: &[std::path::PathBuf],
    gate: &GateArgs,
    rules: &RulesArgs,
) -> Result<(Config, Vec<Rule>, Vec<String>)> {
    let overrides = config::Overrides {
        file: gate.config.clone(),
        select: gate.select.clone(),
        ignore: gate.ignore.clone(),
        exclude: gate.exclude.clone(),
        rule_dirs: rules.rule_dirs.clone(),
    };
    let config = config::load(paths, &overrides).map_err(|e| miette!("{e}"))?;
    let all = load_rule_dirs(&config.rule_dirs)?;
    let known = all.iter().map(|r| r.id.clone()).collect();
    let rules = config.apply_rules(all).map_err(|e| miette!("{e}"))?;
    Ok((config, rules, known))
}

/// A scan with the inline suppressions and then the configuration's exclusions applied;
/// on a terminal, progress after a second (not with `quiet`).
fn gated_scan(
    input: &InputArgs,
    gate: &GateArgs,
    rules: &RulesArgs,
    quiet: bool,
) -> Result<(Config, Vec<Rule>, Scan)> {
    let (config, rules, known) = configure(&input.paths, gate, rules)?;
    let progress = moat::progress::Progress::on_stderr("moat: scanning", quiet);
    let mut scan = scan::scan(&load_options(input), &rules);
    progress.set_message("moat: applying suppressions");
    suppress::apply(&mut scan, &rules, &known, suppress::directive::today());
    config.exclude_from(&mut scan);
    Ok((config, rules, scan))
}

fn has_errors(scan: &Scan) -> bool {
    scan.loaded
        .diagnostics
        .iter()
        .any(|d| d.level == Level::Error)
}

fn scan_command(args: &ScanArgs, console: Console) -> Result<u8> {
    let (config, rules, mut scan) =
        gated_scan(&args.input, &args.gate, &args.rules, console.quiet)?;
    if let Some(path) = &args.baseline {
        let mut recorded = baseline::read(path).map_err(|e| miette!("{e}"))?;
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        recorded.retain_in_scope(&ids, |file| config.is_excluded(file));
        baseline::apply(&mut scan, &recorded, &report::display_path(path));
    }
    let previous = args.compare.as_deref().map(Doc::read).transpose();
    let previous = previous.map_err(|e| miette!("{e}"))?;
    let doc = || {
        let mut doc = Doc::of_scan(&scan, &rules, args.unknown);
        if let Some(previous) = &previous {
            doc.compare(previous);
        }
        doc
    };
    let people = |format: MergeFormat| {
        let doc = doc();
        let snippets = report::snippet::of_sources(&scan.loaded.sources, &doc);
        report::render::render(&doc, format, &rules, &snippets)
    };
    let threshold: Severity = args.severity_threshold.into();
    // Only the text report on the console is coloured.
    let render = |format: ScanFormat, to_console: bool| match (format, &previous) {
        (ScanFormat::Text, _) => {
            let before: std::collections::HashSet<&str> = previous
                .iter()
                .flat_map(|p| &p.findings)
                .map(|f| f.fingerprint.as_str())
                .collect();
            let is_new = |f: &engine::Finding| {
                previous.is_some()
                    && !before.contains(report::fingerprint(f, &scan.loaded).as_str())
            };
            let style = report::text::Style {
                width: terminal_width(),
                show_undecided: args.unknown,
                color: to_console && console.color,
                quiet: console.quiet,
                gate: (!args.exit_zero).then_some(threshold),
                is_new: &is_new,
            };
            let mut out = report::text::render_with(&scan, &rules, &style);
            if previous.is_some() && !console.quiet {
                out.push_str(&report::summary::compare_line(&doc()));
            }
            out
        }
        (ScanFormat::Json, None) => report::json::render(&scan, &rules, args.unknown),
        (ScanFormat::Json, Some(_)) => doc().to_json(),
        (ScanFormat::Sarif, _) => {
            let info = report::sarif::RunInfo::new(&scan.loaded.base, &args.input.paths);
            report::sarif::render_doc(&doc(), &rules, &info)
        }
        (ScanFormat::Github, _) => {
            let mut out = report::github::render(&scan);
            if previous.is_some() {
                let line = report::summary::compare_line(&doc());
                out.push_str(&format!("::notice title=moat::{line}"));
            }
            out
        }
        (ScanFormat::Junit, _) => report::junit::render(&doc(), &rules),
        (ScanFormat::Html, _) => people(MergeFormat::Html),
        (ScanFormat::Markdown, _) => people(MergeFormat::Markdown),
        (ScanFormat::Csv, _) => people(MergeFormat::Csv),
    };
    // The JSON report is written as it is serialized; the others are rendered first.
    let emit = |format: ScanFormat, to_console: bool, out: &mut dyn std::io::Write| match (
        format, &previous,
    ) {
        (ScanFormat::Json, None) => report::json::write(&scan, &rules, args.unknown, out),
        _ => out.write_all(render(format, to_console).as_bytes()),
    };
    let (console_file, extra) = outputs(&args.output)?;
    for (format, path) in &extra {
        write_to(Some(std::path::Path::new(path)), |out| {
            emit(*format, false, out)
        })?;
    }
    write_to(console_file.map(std::path::Path::new), |out| {
        emit(args.format, console_file.is_none(), out)
    })?;
    let code = if has_errors(&scan) {
        EXIT_ERROR
    } else if !args.exit_zero
        && scan
            .verdicts
            .findings
            .iter()
            .any(|f| f.severity >= threshold)
    {
        EXIT_FINDINGS
    } else {
        0
    };
    // The process ends here: freeing a whole tenant's model would only cost time.
    std::mem::forget(scan);
    Ok(code)
}

/// Splits `-o` values: at most one plain `FILE` (the `--format` report goes there instead
/// of the console) and any number of `FORMAT=FILE`.
#[allow(clippy::type_complexity)]
fn outputs(values: &[String]) -> Result<(Option<&str>, Vec<(ScanFormat, &str)>)> {
    use clap::ValueEnum as _;
    let mut console = None;
    let mut extra = Vec::new();
    for value in values {
        let typed = value
            .split_once('=')
            .and_then(|(f, path)| Some((ScanFormat::from_str(f, true).ok()?, path)));
        match typed {
            Some((_, "")) => return Err(miette!("--output {value}: no file name")),
            Some(pair) => extra.push(pair),
            None if console.is_some() => {
                return Err(miette!(
                    "--output: only one plain FILE; write others as FORMAT=FILE (sarif=moat.sarif)"
                ))
            }
            None => console = Some(value.as_str()),
        }
    }
    Ok((console, extra))
}

/// `moat diff OLD NEW`: exit 1 when NEW has findings OLD had not.
fn diff_command(args: &DiffArgs) -> Result<u8> {
    let old = Doc::read(&args.old).map_err(|e| miette!("{e}"))?;
    let mut new = Doc::read(&args.new).map_err(|e| miette!("{e}"))?;
    new.compare(&old);
    let out = match args.format {
        DiffFormat::Text => report::summary::render(&new),
        DiffFormat::Json => {
            let plain = |c: Change| -> Vec<_> {
                new.with_change(c)
                    .into_iter()
                    .map(|f| report::doc::DocFinding {
                        change: None,
                        ..f.clone()
                    })
                    .collect()
            };
            let diff = serde_json::json!({
                "new": plain(Change::New),
                "fixed": plain(Change::Fixed),
                "unchanged": plain(Change::Unchanged),
            });
            let mut out = serde_json::to_string_pretty(&diff).into_diagnostic()?;
            out.push('\n');
            out
        }
    };
    write_stdout(&out)?;
    let any_new = !new.with_change(Change::New).is_empty();
    Ok(if any_new { EXIT_FINDINGS } else { 0 })
}

/// `moat merge A.json B.json …`: one report from shards, deduplicated by fingerprint.
fn merge_command(args: &MergeArgs) -> Result<u8> {
    let rules = load_rules(&args.rules)?;
    let docs = args
        .reports
        .iter()
        .map(|p| Doc::read(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| miette!("{e}"))?;
    let mut doc = Doc::merge(docs);
    if let Some(previous) = &args.compare {
        doc.compare(&Doc::read(previous).map_err(|e| miette!("{e}"))?);
    }
    let out = report::render::render(&doc, args.format, &rules, &Default::default());
    write_output(args.output.as_deref(), &out)?;
    Ok(0)
}

/// `moat drift IAC EXPORT`: exit 1 when a property drifted.
fn drift_command(args: &DriftArgs) -> Result<u8> {
    let rules = load_rules(&args.rules)?;
    let load = |path: &std::path::Path| {
        let options = LoadOptions {
            paths: vec![path.to_path_buf()],
            var_files: Vec::new(),
            vars: Vec::new(),
            parameter_files: Vec::new(),
            isolate_files: false,
            root: args.root.clone(),
        };
        scan::scan(&options, &rules)
    };
    let (iac, live) = (load(&args.iac), load(&args.export));
    let report = moat::drift::compare(&iac, &live);
    let out = match args.format {
        DiffFormat::Text => moat::drift::render_text(&report),
        DiffFormat::Json => {
            let mut out = serde_json::to_string_pretty(&report).into_diagnostic()?;
            out.push('\n');
            out
        }
    };
    write_stdout(&out)?;
    let failed = [&iac, &live]
        .iter()
        .flat_map(|s| &s.loaded.diagnostics)
        .any(|d| d.level == Level::Error);
    Ok(if failed {
        EXIT_ERROR
    } else if report.drift.is_empty() {
        0
    } else {
        EXIT_FINDINGS
    })
}

/// Writes to a file, else to standard output (a reader that went away is no error).
fn write_to(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    let written = match path {
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)?;
            out.flush()
        }),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out).and_then(|()| out.flush())
        }
    };
    match written {
        Err(e) if path.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.into_diagnostic(),
    }
}

fn write_output(path: Option<&std::path::Path>, out: &str) -> Result<()> {
    write_to(path, |w| w.write_all(out.as_bytes()))
}

fn rules_command(command: RulesCommand) -> Result<u8> {
    match command {
        RulesCommand::List(args) if args.format == DiffFormat::Json => {
            let rules = load_rules(&args.rules)?;
            write_stdout(&report::catalog::render_json(&rules))?;
            Ok(0)
        }
        RulesCommand::List(args) => {
            let rules = load_rules(&args.rules)?;
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
    write_output(None, text)
}
