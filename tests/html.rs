//! The HTML report in a real browser: Debian's `chromium`, headless, opens the report of
//! the example export and of a generated 10,000-resource export from a `file:` URL; no
//! console message (script error, blocked request) may appear, the counts shown must equal
//! the JSON report's, and a filter given in the URL fragment must hide exactly the findings
//! it excludes. Skipped, with a notice, where no chromium is installed (`.ci/run` installs
//! it).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The chromium binary on PATH, if any; a notice when there is none.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        eprintln!("notice: no chromium on PATH; the HTML report was not opened in a browser");
    }
    found
}

fn moat(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_moat"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("moat runs");
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "moat {args:?} failed"
    );
    out.stdout
}

/// What the browser made of a page: the DOM after scripts ran, and its log.
struct Page {
    dom: String,
    log: String,
}

fn open(browser: &Path, html: &Path, fragment: &str) -> Page {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}{fragment}", html.display());
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("chromium runs");
    Page {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        log: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The number inside `<b id="{id}">N</b>`, or `<span id="{id}">N</span>`.
fn shown(dom: &str, id: &str) -> Option<usize> {
    let at = dom.find(&format!("id=\"{id}\">"))? + id.len() + 6;
    dom[at..].split('<').next()?.trim().parse().ok()
}

/// Finding articles in the DOM, and how many of them are not hidden.
fn articles(dom: &str) -> (usize, usize) {
    let tags: Vec<&str> = dom
        .split("<article class=\"finding\"")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect();
    let visible = tags.iter().filter(|t| !t.contains("hidden")).count();
    (tags.len(), visible)
}

fn check(browser: &Path, dir: &Path, scan: &[&str]) {
    let mut json_args = scan.to_vec();
    json_args.extend(["-f", "json"]);
    let report: Value = serde_json::from_slice(&moat(dir, &json_args)).expect("JSON report");
    let html = dir.join("report.html");
    let mut html_args = scan.to_vec();
    html_args.extend(["-f", "html", "-o", "report.html"]);
    moat(dir, &html_args);

    let total = report["findings"].as_array().map_or(0, Vec::len);
    assert!(total > 0, "the fixture has findings");
    let count = |sev: &str| report["summary"]["by_severity"][sev].as_u64().unwrap_or(0) as usize;

    let page = open(browser, &html, "");
    assert!(
        page.dom.contains("id=\"findings\""),
        "chromium rendered nothing"
    );
    let console: Vec<&str> = page
        .log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert_eq!(shown(&page.dom, "count-total"), Some(total));
    assert_eq!(shown(&page.dom, "shown-count"), Some(total));
    for sev in ["critical", "high", "medium", "low", "info"] {
        assert_eq!(
            shown(&page.dom, &format!("count-{sev}")),
            Some(count(sev)),
            "{sev}"
        );
    }
    assert_eq!(articles(&page.dom), (total, total));

    let page = open(browser, &html, "#severity=high");
    let console: Vec<&str> = page
        .log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert_eq!(articles(&page.dom), (total, count("high")));
    assert_eq!(shown(&page.dom, "shown-count"), Some(count("high")));
}

#[test]
fn the_report_of_the_example_export_works_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/snapshot");
    check(
        &browser,
        dir.path(),
        &["scan", &example.display().to_string()],
    );
}

#[test]
fn the_report_of_a_10k_resource_export_works_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export");
    std::fs::create_dir_all(&export).expect("mkdir");
    // 10,000 storage accounts over two subscriptions and seven resource groups, every third
    // open to all networks; the expected counts come from the JSON report.
    let rows: Vec<Value> = (0..10_000)
        .map(|i| {
            let sub = ["11111111-0000-4000-8000-000000000001", "22222222-0000-4000-8000-000000000002"][i % 2];
            let rg = format!("rg-{}", i % 7);
            let open = i % 3 == 0;
            serde_json::json!({
                "id": format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/st{i:05}"),
                "name": format!("st{i:05}"),
                "type": "microsoft.storage/storageaccounts",
                "resourceGroup": rg,
                "subscriptionId": sub,
                "properties": {
                    "publicNetworkAccess": if open { "Enabled" } else { "Disabled" },
                    "networkAcls": {"defaultAction": if open { "Allow" } else { "Deny" }}
                }
            })
        })
        .collect();
    let page = serde_json::json!({"count": rows.len(), "data": rows});
    std::fs::write(export.join("resources.json"), page.to_string()).expect("write");
    check(&browser, dir.path(), &["scan", "export"]);
}

#[test]
fn hostile_names_stay_text_in_html_markdown_and_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export");
    std::fs::create_dir_all(&export).expect("mkdir");
    let name = "=cmd|' c calc'!A1<img src=x onerror=alert(1)>[x](http:e)";
    let id = format!(
        "/subscriptions/11111111-0000-4000-8000-000000000001/resourceGroups/rg-<script>x/providers/Microsoft.Storage/storageAccounts/{name}"
    );
    let page = serde_json::json!({"data": [{
        "id": id,
        "name": name,
        "type": "microsoft.storage/storageaccounts",
        "properties": {"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Allow"}}
    }]});
    std::fs::write(export.join("resources.json"), page.to_string()).expect("write");
    let run = |format: &str| {
        String::from_utf8(moat(dir.path(), &["scan", "export", "-f", format])).expect("UTF-8")
    };
    let html = run("html");
    assert!(
        html.contains("storage-public-access"),
        "the fixture has a finding"
    );
    assert!(
        !html.contains("<img src=x"),
        "raw markup in the HTML report"
    );
    assert!(
        !html.contains("rg-<script>"),
        "raw markup in the HTML report"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let md = run("markdown");
    assert!(!md.contains("<img") && !md.contains("[x](http"), "{md}");
    let csv = run("csv");
    assert!(!csv.contains(",=cmd") && csv.contains(",'=cmd"), "{csv}");
    // The az command for the live resource quotes the names the export chose: one shell
    // word each.
    assert!(
        csv.contains("az storage account update --name '=cmd|'\\'' c calc'\\''!A1<img")
            && csv.contains("--resource-group 'rg-<script>x' --public-network-access"),
        "{csv}"
    );
}
