//! `--format junit` / `-o junit=FILE`: a suite per rule, a failing testcase per (rule,
//! resource) finding with its message and location, suppressed findings skipped, clean
//! rules passing, input errors as errors — and every untrusted value escaped.

use std::path::Path;
use std::process::{Command, Output};

#[path = "support/nsg.rs"]
mod nsg;
use nsg::open_nsg;

fn moat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_moat"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("moat runs")
}

/// The `<testsuite …>` element of `rule` through its end tag.
fn suite<'a>(xml: &'a str, rule: &str) -> &'a str {
    let start = xml
        .find(&format!("<testsuite name=\"{rule}\""))
        .unwrap_or_else(|| panic!("no suite {rule}:\n{xml}"));
    let end = xml[start..].find("</testsuite>").expect("suite ends") + start;
    &xml[start..end]
}

/// Parses the XML with Python's parser when `python3` is present: well-formedness is
/// checked by a real XML reader, not by this test's own string matching.
fn well_formed(xml: &str, dir: &Path) {
    let file = dir.join("check.xml");
    std::fs::write(&file, xml).expect("write");
    let Ok(out) = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])",
        ])
        .arg(&file)
        .output()
    else {
        eprintln!("skipped the XML parse: python3 is not installed");
        return;
    };
    assert!(
        out.status.success(),
        "not well-formed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn junit_has_a_suite_per_rule_and_a_testcase_per_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = [
        open_nsg("open", r#"nsg<&\"'\u001b[31m"#, ""),
        open_nsg("open2", "nsg-two", ""),
        open_nsg(
            "quiet",
            "nsg-quiet",
            "# moat:ignore nsg-open-inbound -- bastion <only>",
        ),
    ]
    .concat();
    std::fs::write(dir.path().join("main.tf"), main).expect("main.tf");
    let out = moat(dir.path(), &["scan", ".", "-f", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).expect("UTF-8");
    well_formed(&xml, dir.path());
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(!xml.contains('\u{1b}'), "a raw control character: {xml}");

    let nsg_suite = suite(&xml, "nsg-open-inbound");
    assert!(
        nsg_suite.contains("tests=\"3\" failures=\"2\" errors=\"0\" skipped=\"1\""),
        "{nsg_suite}"
    );
    let failing = nsg_suite.matches("<failure ").count();
    assert_eq!(failing, 2, "{nsg_suite}");
    assert!(nsg_suite.contains(
        "<testcase name=\"azurerm_network_security_group.open.securityRules[&quot;ssh&quot;]\" classname=\"nsg-open-inbound\" file=\"main.tf\" line=\""
    ));
    // The hostile name, escaped in the attribute and in the body.
    assert!(
        nsg_suite.contains("nsg&lt;&amp;&quot;&apos;\\x1b[31m"),
        "{nsg_suite}"
    );
    assert!(nsg_suite.contains("type=\"high\"") || nsg_suite.contains("type=\"critical\""));
    assert!(
        nsg_suite.contains(">main.tf:"),
        "location in the body: {nsg_suite}"
    );
    assert!(
        nsg_suite.contains("<skipped message=\"suppressed at main.tf:")
            && nsg_suite.contains("bastion &lt;only&gt;"),
        "{nsg_suite}"
    );

    // A rule that found nothing passes: one testcase, no failure.
    let clean = suite(&xml, "keyvault-purge-protection");
    assert!(clean.contains("tests=\"1\" failures=\"0\""), "{clean}");
    assert!(!clean.contains("<failure"));
    assert!(xml.contains("<testsuites name=\"moat\" tests=\""));
    assert!(xml.contains("failures=\"2\" errors=\"0\">"), "totals");
}

#[test]
fn junit_file_next_to_the_console_report_with_input_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"azurerm_x\" \"y\" {\n  a = \n",
    )
    .expect("main.tf");
    let out = moat(dir.path(), &["scan", ".", "-o", "junit=moat.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let console = String::from_utf8_lossy(&out.stdout);
    assert!(
        !console.contains("<testsuites"),
        "the text report stays: {console}"
    );
    let xml = std::fs::read_to_string(dir.path().join("moat.xml")).expect("junit written");
    well_formed(&xml, dir.path());
    let inputs = suite(&xml, "moat inputs");
    assert!(inputs.contains("errors=\"1\""), "{inputs}");
    assert!(
        inputs.contains("<error message=\"HCL syntax error"),
        "{inputs}"
    );
    assert!(inputs.contains("file=\"main.tf\" line=\"2\""), "{inputs}");
}
