//! Mutation run on the stable toolchain: every fixture under `testdata/` is mutated a
//! bounded number of times (byte changes, truncation, line deletion and duplication,
//! bracket insertion; a seeded PRNG, so every run sees the same mutants) and scanned by the
//! real binary beside the files of its folder. Each run must end by itself (no signal, no
//! panic) with exit ≤ 2, within a time and an address-space limit, and every error it
//! reports must name a file and a line; a JSON input cut short after what marks it as one
//! must fail the gate. `MOAT_MUTANTS` raises the count per fixture.
//! Binary fixtures (a NUL byte: the reader refuses the whole file, so its error has no
//! line) are neither mutated nor copied beside a mutant.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Mutants per fixture by default: ~190 fixtures × 4 keeps a debug run well under a minute
/// on a loaded 2-core machine. The operators rotate across fixtures, so each is used.
const DEFAULT_MUTANTS: usize = 4;
/// How many mutation operators [`mutate`] knows.
const OPERATORS: usize = 5;
/// A run taking longer than this has run away (debug build, shared machine).
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// Address-space limit of a run, in KiB (`ulimit -v`): 2 GiB.
const MEMORY_LIMIT_KIB: u64 = 2 * 1024 * 1024;

const EXTENSIONS: &[&str] = &["tf", "tfvars", "json", "bicep", "bicepparam"];

/// xorshift64*: small, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Bytes a changed byte becomes: the syntax of every format, and plain text.
const INTERESTING: &[u8] = b"{}[]()\"',:=$.#/*\\\n -_aZ09";

/// A char boundary of `text` at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One mutant of `text`: the operator is chosen by `n` (each kind in turn), the place by
/// the PRNG. Mutants stay UTF-8 text: only ASCII bytes are changed.
fn mutate(text: &str, n: usize, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match n % OPERATORS {
        0 => {
            let ascii: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| b.is_ascii())
                .map(|(i, _)| i)
                .collect();
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..1 + rng.below(3) {
                if let Some(&i) = ascii.get(rng.below(ascii.len())) {
                    bytes[i] = INTERESTING[rng.below(INTERESTING.len())];
                }
            }
            String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
        }
        1 => text[..boundary(text, rng.below(text.len()))].to_owned(),
        2 => {
            let drop = rng.below(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != drop)
                .map(|(_, l)| *l)
                .collect()
        }
        3 => {
            let twice = rng.below(lines.len());
            let mut out = String::new();
            for (i, l) in lines.iter().enumerate() {
                out.push_str(l);
                if i == twice {
                    out.push_str(l);
                }
            }
            out
        }
        _ => {
            let at = boundary(text, rng.below(text.len() + 1));
            let bracket = ["{", "[", "(", "}", "]", "\"", "${", "[["][rng.below(8)];
            format!("{}{bracket}{}", &text[..at], &text[at..])
        }
    }
}

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            fixtures(&path, out);
        } else if is_text_input(&path) {
            out.push(path);
        }
    }
}

/// An input file of a format moat reads that is text (UTF-8 without NUL bytes).
fn is_text_input(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
        && std::fs::read_to_string(path).is_ok_and(|t| !t.contains('\0'))
}

/// The exit code of one mutant run, or what went wrong with it.
fn check_run(dir: &Path, label: &str) -> Result<i32, String> {
    let script =
        format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" scan \"$1\" --format json --unknown");
    let stdout_path = dir.with_extension("out");
    let stderr_path = dir.with_extension("err");
    let mut child = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_moat")])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("run sh");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{label}: no result within {TIME_LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let Some(code) = status.code() else {
        return Err(format!("{label}: killed by a signal ({status}); {stderr}"));
    };
    if stderr.contains("panicked") || code > 2 {
        return Err(format!("{label}: exit {code}; {stderr}"));
    }
    let report: serde_json::Value = match serde_json::from_str(&stdout) {
        Ok(r) => r,
        Err(e) => return Err(format!("{label}: output is not JSON ({e}); {stderr}")),
    };
    let errors = report["errors"].as_array().cloned().unwrap_or_default();
    let unlocated = errors.iter().find(|e| {
        e["level"] == "error"
            && (e["file"].as_str().is_none_or(str::is_empty) || e["line"].as_u64().is_none())
    });
    if let Some(e) = unlocated {
        return Err(format!("{label}: error without file and line: {e}"));
    }
    let has_error = errors.iter().any(|e| e["level"] == "error");
    if code == 2 && !has_error {
        return Err(format!("{label}: exit 2 without an error entry"));
    }
    Ok(code)
}

/// A JSON input cut short while its prefix still says what it is (an ARM `$schema` or an
/// ARM id) must fail the gate: the check behind "no silent loss".
fn marked_but_passed(text: &str, mutant: &str, label: &str, code: i32) -> Result<(), String> {
    let lower = mutant.to_ascii_lowercase();
    let marked = [
        "deploymenttemplate.json",
        "deploymentparameters.json",
        "\"/subscriptions/",
    ]
    .iter()
    .any(|m| lower.contains(m));
    if marked && mutant.trim_end() != text.trim_end() {
        return Err(format!("{label}: truncated JSON input, exit {code}"));
    }
    Ok(())
}

/// Writes the fixture's folder (its input files, not sub-folders) to `dir` with the
/// fixture replaced by `mutant`.
fn stage(fixture: &Path, mutant: &str, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let folder = fixture.parent().unwrap();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && is_text_input(&path) {
            let name = path.file_name().unwrap();
            if path == fixture {
                std::fs::write(dir.join(name), mutant).unwrap();
            } else {
                std::fs::copy(&path, dir.join(name)).unwrap();
            }
        }
    }
}

#[test]
fn mutants_of_every_fixture_end_cleanly_with_located_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    fixtures(&root.join("testdata"), &mut files);
    assert!(files.len() > 100, "{} fixtures", files.len());
    let per_fixture: usize = std::env::var("MOAT_MUTANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_MUTANTS);
    let work: Vec<(PathBuf, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(k, f)| (0..per_fixture).map(move |n| (f.clone(), n + k)))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let failed_gate = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((fixture, n)) = work.get(i) else {
                    break;
                };
                let relative = fixture.strip_prefix(root).unwrap().display().to_string();
                let text = std::fs::read_to_string(fixture).unwrap();
                let mut rng = Rng::new(fnv(&relative) ^ (*n as u64).wrapping_mul(0x9e37_79b9));
                let mutant = mutate(&text, *n, &mut rng);
                let dir = tmp.path().join(i.to_string());
                stage(fixture, &mutant, &dir);
                let label = format!("{relative} mutant {n}");
                let result = check_run(&dir, &label).and_then(|code| {
                    if n % OPERATORS == 1 && relative.ends_with(".json") && code != 2 {
                        marked_but_passed(&text, &mutant, &label, code)?;
                    }
                    Ok(code)
                });
                match result {
                    Ok(2) => {
                        failed_gate.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(failure) => failures.lock().unwrap().push(failure),
                }
                let _ = std::fs::remove_dir_all(&dir);
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} mutants failed:\n{}",
        failures.len(),
        work.len(),
        failures.join("\n")
    );
    let errors = failed_gate.into_inner();
    eprintln!(
        "{} mutants in {:?}, {errors} exit 2",
        work.len(),
        started.elapsed()
    );
    // Most mutants break the syntax: a run where few fail the gate checked nothing.
    assert!(errors * 4 > work.len(), "only {errors} mutants exit 2");
}

#[test]
fn mutants_are_deterministic_text_and_differ_from_the_original() {
    let text = "resource \"a\" \"b\" {\n  name = \"é\"\n  list = [1, 2]\n}\n";
    for n in 0..10 {
        let a = mutate(text, n, &mut Rng::new(7 + n as u64));
        let b = mutate(text, n, &mut Rng::new(7 + n as u64));
        assert_eq!(a, b);
        if n % OPERATORS != 0 {
            assert_ne!(a, text, "operator {n}");
        }
    }
}
