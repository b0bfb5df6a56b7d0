#!/usr/bin/env python3
"""Compare moat's verdicts with the peers' own test fixtures (issue #10).

For every built-in rule, the peer check ids in its `references` (checkov, kics, trivy) name
the peer checks that cover the same thing. This script finds those checks' fixtures in the
extracted peer corpora, copies each fixture FILE into a folder of its own, scans it with moat
(`scan -f json --unknown --select <rule>` and `model -f json`) and compares, per resource of a
type the rule targets, the peer's expected verdict (fail/pass) with moat's (fires / quiet /
undecided).

Where the peers state expected verdicts:

* Checkov (tests/terraform/checks/resource/azure, tests/arm/checks/resource): a test_<Check>.py
  either scans an example_<Check>/ folder and lists `passing_resources` / `failing_resources`
  (`azurerm_type.name`, or `Microsoft.X/y.name` for ARM), or loads one inline HCL string per
  test method and asserts `CheckResult.PASSED` / `FAILED` on the named resource.
* KICS (assets/queries/terraform/azure, azureResourceManager): test/positive* files with the
  lines KICS reports in positive_expected_result.json (a resource fails when one of those lines
  falls inside it), test/negative* files where every resource passes.
* trivy-checks (checks/cloud/azure): the check's <name>.yaml `terraform: good/bad` examples; a
  good example's target resources all pass; a bad example counts as ONE failing unit that
  moat agrees with when it fires on any target resource in it (trivy does not say which).

Resources count only when moat models them with a type the rule targets; a peer resource moat
folds into another (or does not model) is listed as "not compared".

Every disagreement is looked up in tools/peer_decisions.json, which records the Azure fact
that decides it and its class: `undeployable` (Azure rejects the peer's fixture),
`different-check` (the moat rule asks a narrower question on purpose), `peer-default` (the
peer assumes an older provider default) or `peer-wrong`. The report gives the raw agreement
and the agreement on equivalent, deployable fixtures (rows of the first two classes left
out); a disagreement without a decision is listed as NEEDS A VERDICT.

Usage (from the repository root, after `cargo build`):

    python3 tools/peer_compare.py [--moat target/debug/moat] [--peers /work/corpus/peers]
                                  [--rule ID ...] [--update-doc docs/peer-comparison.md]
                                  [--json FILE]

`--update-doc` rewrites the part of the file between `<!-- results:begin -->` and
`<!-- results:end -->`. Exit status 1 when a disagreement has no decision, else 0.
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER_KEYS = ("checkov", "kics", "trivy")


# ---------------------------------------------------------------- rules


@dataclass
class Rule:
    """The parts of a rule YAML the comparison needs."""

    id: str
    types: list[str]
    refs: dict[str, list[str]]


def _list_value(text: str) -> list[str]:
    """A flow list `[a, "b"]` or a scalar, as strings."""
    text = text.split(" #", 1)[0].strip()
    if text.startswith("[") and text.endswith("]"):
        items = [i.strip() for i in text[1:-1].split(",")]
    else:
        items = [text] if text else []
    return [i.strip("'\"") for i in items if i]


def parse_rule(path: Path) -> Rule | None:
    """Reads id, resource and references.{checkov,kics,trivy} from a rule YAML (flow or block lists)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rid, types, refs = None, [], {k: [] for k in PEER_KEYS}
    i = 0

    def block_items(start: int, indent: int) -> tuple[list[str], int]:
        items, j = [], start
        while j < len(lines):
            m = re.match(r"^(\s*)-\s+(.*)$", lines[j])
            if not m or len(m.group(1)) < indent:
                break
            items.extend(_list_value(m.group(2)))
            j += 1
        return items, j

    while i < len(lines):
        line = lines[i]
        if m := re.match(r"^id:\s*(\S+)", line):
            rid = m.group(1).strip("'\"")
        elif m := re.match(r"^resource:\s*(.*)$", line):
            if m.group(1).strip():
                types = _list_value(m.group(1))
            else:
                types, i = block_items(i + 1, 0)
                continue
        elif re.match(r"^references:\s*$", line):
            i += 1
            while i < len(lines) and (lines[i].startswith(" ") or not lines[i].strip()):
                if m := re.match(r"^(\s+)(checkov|kics|trivy):\s*(.*)$", lines[i]):
                    if m.group(3).strip():
                        refs[m.group(2)] = _list_value(m.group(3))
                    else:
                        refs[m.group(2)], i = block_items(i + 1, len(m.group(1)))
                        continue
                i += 1
            continue
        i += 1
    if not rid:
        return None
    return Rule(rid, types, refs)


def load_rules(rules_dir: Path) -> list[Rule]:
    """Every rule under rules_dir, sorted by id."""
    rules = [parse_rule(p) for p in sorted(rules_dir.rglob("*.yaml"))]
    return sorted((r for r in rules if r), key=lambda r: r.id)


# ---------------------------------------------------------------- peer fixtures


@dataclass
class Fixture:
    """One fixture file and what the peer expects of its resources."""

    peer: str
    check: str
    source: Path
    name: str  # file name to write in the scan folder
    text: str
    # expectation kinds: "names" {address or Type.name: fail?}, "lines" [fail lines] (KICS
    # positive; others pass), "all-pass", "any-fail" (trivy bad example)
    kind: str
    names: dict[str, bool] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


def checkov_index(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Checkov id -> [(framework, check class file stem)] from the check sources."""
    index: dict[str, list[tuple[str, str]]] = {}
    for fw, sub in (("terraform", "checkov/terraform/checks/resource/azure"),
                    ("arm", "checkov/arm/checks/resource")):
        for py in sorted((root / sub).glob("*.py")):
            text = py.read_text(encoding="utf-8", errors="replace")
            for m in re.finditer(r"\b(?:check_)?id\s*=\s*[\"'](CKV2?_AZURE_\d+)[\"']", text):
                index.setdefault(m.group(1), []).append((fw, py.stem))
    return index


def _str_set(node: ast.AST) -> set[str] | None:
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    if isinstance(node, ast.Dict) and not node.keys:
        return set()
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "set" and not node.args:
        return set()
    return None


def checkov_fixtures(root: Path, check_id: str, index) -> list[Fixture]:
    """Fixtures of one Checkov check, terraform and ARM."""
    out: list[Fixture] = []
    for fw, stem in index.get(check_id, []):
        tests = root / ("tests/terraform/checks/resource/azure" if fw == "terraform" else "tests/arm/checks/resource")
        test = tests / f"test_{stem}.py"
        if not test.is_file():
            continue
        tree = ast.parse(test.read_text(encoding="utf-8", errors="replace"))
        passing: set[str] = set()
        failing: set[str] = set()
        folders: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = getattr(node.targets[0], "id", "")
                values = _str_set(node.value)
                if target == "passing_resources" and values is not None:
                    passing |= values
                elif target == "failing_resources" and values is not None:
                    failing |= values
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                m = re.search(r"(example_[A-Za-z0-9_]+)", node.value)
                if m and (tests / m.group(1)).is_dir():
                    folders.add(m.group(1))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                out.extend(_checkov_inline(test, node, check_id))
        expected = {n: False for n in passing} | {n: True for n in failing}
        for folder in sorted(folders):
            for f in sorted((tests / folder).rglob("*")):
                if f.suffix in (".tf", ".json") and f.is_file():
                    out.append(Fixture("checkov", check_id, f, f.name,
                                       f.read_text(encoding="utf-8", errors="replace"),
                                       "names", names=dict(expected)))
    return out


def _checkov_inline(test: Path, func: ast.FunctionDef, check_id: str) -> list[Fixture]:
    """An inline `hcl2.loads(...)` test: the named resource PASSED or FAILED."""
    hcl, verdict, address = None, None, None
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "loads" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                hcl = arg.value
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "CheckResult":
            if node.attr in ("PASSED", "FAILED") and verdict is None:
                verdict = node.attr == "FAILED"
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
            # conf = hcl_res['resource'][0]['azurerm_type']['name'], whatever the names.
            keys, cur = [], node.value
            while isinstance(cur, ast.Subscript):
                s = cur.slice
                if isinstance(s, ast.Constant) and isinstance(s.value, str):
                    keys.append(s.value)
                cur = cur.value
            keys.reverse()
            if keys[:1] == ["resource"] and len(keys) >= 3 and address is None:
                address = f"{keys[1]}.{keys[2]}"
    if hcl is None or verdict is None or address is None:
        return []
    return [Fixture("checkov", check_id, Path(f"{test}::{func.name}"), "main.tf", hcl,
                    "names", names={address: verdict})]


def kics_index(root: Path) -> dict[str, Path]:
    """KICS query id -> query folder."""
    index = {}
    for meta in sorted((root / "assets/queries").glob("*/**/metadata.json")):
        try:
            qid = json.loads(meta.read_text(encoding="utf-8")).get("id")
        except (OSError, ValueError):
            continue
        if qid and ("azure" in str(meta).lower()):
            index[qid] = meta.parent
    return index


def kics_fixtures(query: Path, check_id: str) -> list[Fixture]:
    """positive*/negative* files of one KICS query with the expected lines."""
    test = query / "test"
    try:
        expected = json.loads((test / "positive_expected_result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        expected = []
    positives = sorted(f for f in test.glob("positive*") if f.suffix in (".tf", ".json", ".bicep")
                       and not f.name.startswith("positive_expected"))
    out = []
    for f in sorted(test.iterdir()):
        if f.suffix not in (".tf", ".json", ".bicep") or f.name.startswith("positive_expected"):
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        if f.name.startswith("negative"):
            out.append(Fixture("kics", check_id, f, f.name, text, "all-pass"))
        elif f.name.startswith("positive"):
            lines = [e["line"] for e in expected if "line" in e and
                     (e.get("filename", e.get("fileName")) == f.name or
                      (not e.get("filename") and not e.get("fileName") and len(positives) == 1))]
            out.append(Fixture("kics", check_id, f, f.name, text, "lines", lines=lines))
    return out


def trivy_index(root: Path) -> dict[str, Path]:
    """AVD-AZU-nnnn -> the check's examples YAML."""
    index = {}
    for rego in sorted((root / "checks/cloud/azure").rglob("*.rego")):
        if rego.name.endswith("_test.rego"):
            continue
        text = rego.read_text(encoding="utf-8", errors="replace")
        m = re.search(r"^#\s+id:\s*(AZU-\d+)", text, re.M)
        examples = rego.with_suffix(".yaml")
        if m and examples.is_file():
            index["AVD-" + m.group(1)] = examples
    return index


def trivy_fixtures(examples: Path, check_id: str) -> list[Fixture]:
    """The `terraform: good:/bad:` block scalars of a trivy-checks examples file."""
    out, section, kind, buf = [], None, None, None
    n = {"good": 0, "bad": 0}
    lines = examples.read_text(encoding="utf-8").splitlines() + ["end:"]

    def flush():
        nonlocal buf
        if buf is not None and section == "terraform":
            n[kind] += 1
            text = "\n".join(l[6:] if l.startswith("      ") else l.strip() for l in buf) + "\n"
            out.append(Fixture("trivy", check_id, Path(f"{examples}#{kind}{n[kind]}"), "main.tf", text,
                               "all-pass" if kind == "good" else "any-fail"))
        buf = None

    for line in lines:
        if re.match(r"^\S.*:\s*$", line):
            flush()
            section = line.split(":")[0]
        elif m := re.match(r"^  (\w+):", line):
            flush()
            kind = m.group(1)
        elif re.match(r"^    - ", line) and kind in ("good", "bad"):
            flush()
            buf = []
        elif buf is not None and (line.startswith("      ") or not line.strip()):
            buf.append(line)
    return out


# ---------------------------------------------------------------- moat


def run_json(cmd: list[str], cwd: Path) -> dict:
    """Runs moat and parses its JSON standard output (empty dict when it is not JSON)."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return {}


@dataclass
class Row:
    """One compared unit."""

    rule: str
    peer: str
    check: str
    fixture: str
    resource: str
    peer_fails: bool
    moat: str  # fires | quiet | undecided

    @property
    def agrees(self) -> bool:
        return (self.moat == "fires") == self.peer_fails


def compare(moat: Path, rule: Rule, fx: Fixture, workdir: Path) -> tuple[list[Row], list[str]]:
    """Scans one fixture file alone and compares per resource."""
    folder = Path(tempfile.mkdtemp(dir=workdir))
    (folder / fx.name).write_text(fx.text, encoding="utf-8")
    model = run_json([str(moat), "model", "-f", "json", "."], folder).get("resources", [])
    report = run_json([str(moat), "scan", "-f", "json", "--unknown", "--select", rule.id, "."], folder)
    shutil.rmtree(folder, ignore_errors=True)
    if "findings" not in report:
        return [], [f"{rule.id}: moat gave no JSON report (a rule the binary does not know? rebuild)"]
    fired = {_key(f["resource"]) for f in report.get("findings", [])}
    undecided = {_key(f["resource"]) for f in report.get("undecided", [])}

    def verdict(res: dict) -> str:
        k = _key(res)
        return "fires" if k in fired else "undecided" if k in undecided else "quiet"

    targets = [r for r in model if r.get("type") in rule.types]
    label = str(fx.source)
    rows, skipped = [], []

    def row(resource: str, fails: bool, group: list[dict]) -> Row:
        vs = {verdict(r) for r in group}
        v = "fires" if "fires" in vs else "undecided" if "undecided" in vs else "quiet"
        return Row(rule.id, fx.peer, fx.check, label, resource, fails, v)

    if fx.kind == "names":
        for name, fails in sorted(fx.names.items()):
            group = [r for r in targets if _matches(r, name)]
            if group:
                rows.append(row(name, fails, group))
            elif not any(_matches(r, name) for r in model) and name.split(".")[0] in _types_in(fx.text):
                skipped.append(f"{fx.peer} {fx.check} {label}: {name} not modelled by moat")
    elif fx.kind == "all-pass":
        for r in targets:
            rows.append(row(_label(r), False, [r]))
    elif fx.kind == "any-fail":
        if targets:
            rows.append(row(",".join(_label(r) for r in targets), True, targets))
        else:
            skipped.append(f"{fx.peer} {fx.check} {label}: no resource of {rule.types}")
    elif fx.kind == "lines":
        # Each reported line belongs to the innermost resource whose braces enclose it.
        spans = {id(r): _extent(fx.text, _line(r), fx.name.endswith(".json")) for r in model}
        owner = {}
        for ln in fx.lines:
            holders = [r for r in model if spans[id(r)][0] <= ln <= spans[id(r)][1]]
            if holders:
                inner = min(holders, key=lambda r: spans[id(r)][1] - spans[id(r)][0])
                owner.setdefault(id(inner), True)
            elif (block := _tf_block_at(fx.text, ln)) is not None:
                # A block moat folds into another resource (azurerm_storage_account_network_rules
                # patches its account): the line belongs to the target resource it references.
                for r in targets:
                    if r.get("address") and re.search(re.escape(r["address"]) + r"\b", block):
                        owner.setdefault(id(r), True)
        for r in targets:
            rows.append(row(_label(r), id(r) in owner, [r]))
    return rows, skipped


def _tf_block_at(text: str, line: int) -> str | None:
    """The text of the top-level Terraform `resource` block that holds `line`, if any."""
    lines = text.splitlines()
    heads = [i for i, l in enumerate(lines, 1) if re.match(r'^resource\s+"', l) and i <= line]
    if not heads:
        return None
    start = heads[-1]
    end = _extent(text, start, False)[1]
    return "\n".join(lines[start - 1:end]) if start <= line <= end else None


def _extent(text: str, line: int, json_object: bool) -> tuple[int, int]:
    """The lines of the braces around a resource that moat locates at `line`: in JSON the
    object enclosing that line (moat points at a key inside it), elsewhere the first block
    opened on or after it (a Terraform or Bicep declaration head)."""
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return (line, line)
    offset = sum(len(l) for l in lines[: line - 1])
    quotes = '"' if json_object else "\"'"
    # Brace positions outside strings, with their depth.
    stack, pairs, in_str, esc = [], {}, None, False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == in_str:
                in_str = None
        elif ch in quotes:
            in_str = ch
        elif ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            pairs[stack.pop()] = i
    if json_object:
        candidates = [o for o, c in pairs.items() if o <= offset <= c]
        opened = max(candidates) if candidates else None
    else:
        after = [o for o in pairs if o >= offset]
        opened = min(after) if after else None
    if opened is None:
        return (line, line)
    return (line if not json_object else text.count("\n", 0, opened) + 1,
            text.count("\n", 0, pairs[opened]) + 1)


def _key(res: dict) -> tuple:
    return (res.get("type"), res.get("address"), res.get("id"))


def _line(res: dict) -> int:
    return (res.get("location") or {}).get("start_line", 0)


def _label(res: dict) -> str:
    return res.get("address") or f"{res.get('type')}/{res.get('name')}"


def _types_in(text: str) -> set[str]:
    return set(re.findall(r'resource\s+"([a-z0-9_]+)"', text)) | set(re.findall(r'"type"\s*:\s*"([^"]+)"', text))


def _matches(res: dict, name: str) -> bool:
    """A peer's resource name against a moat resource: Terraform address (children included) or
    ARM `Type.name`."""
    addr = res.get("address") or ""
    if addr == name or addr.startswith(name + ".") or addr.startswith(name + "["):
        return True
    m = re.match(r"^([Mm]icrosoft\.[^/]+/[^.]*)\.(.*)$", name)
    if not m:
        return False
    typ, short = m.group(1), m.group(2)
    rtype, rname = res.get("type") or "", res.get("name") or ""
    return rtype.lower() == typ.lower() and (rname == short or rname.split("/")[-1] == short.split("/")[-1])
    return False


# ---------------------------------------------------------------- decisions

EXCLUDED = ("undeployable", "different-check")


def load_decisions(path: Path) -> list[dict]:
    """The recorded verdicts on disagreements (empty when the file is missing)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def decide(row: Row, decisions: list[dict]) -> dict | None:
    """The first decision whose patterns (rule, check, fixture, resource; `peer` fail/pass,
    `moat` fires/quiet/undecided) all match the row; a missing field matches anything."""
    fields = {"rule": row.rule, "check": row.check, "fixture": _short(row.fixture),
              "resource": row.resource, "peer": "fail" if row.peer_fails else "pass",
              "moat": row.moat}
    for d in decisions:
        if all(fnmatch.fnmatchcase(fields[k], d.get(k, "*")) for k in fields):
            return d
    return None


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moat", default=str(REPO / "target/debug/moat"))
    ap.add_argument("--peers", default="/work/corpus/peers")
    ap.add_argument("--rules", default=str(REPO / "rules"))
    ap.add_argument("--rule", action="append", help="only this rule id (repeatable)")
    ap.add_argument("--decisions", default=str(REPO / "tools/peer_decisions.json"))
    ap.add_argument("--update-doc", help="rewrite the results section of this Markdown file")
    ap.add_argument("--json", help="write every compared row as JSON here")
    args = ap.parse_args()

    peers = Path(args.peers)
    moat = Path(args.moat).resolve()
    if not moat.is_file():
        print(f"no moat binary at {moat}: cargo build first", file=sys.stderr)
        return 2
    ck_root, kics_root, trivy_root = peers / "checkov", peers / "kics", peers / "trivy"
    ck_index = checkov_index(ck_root) if ck_root.is_dir() else {}
    k_index = kics_index(kics_root) if kics_root.is_dir() else {}
    t_index = trivy_index(trivy_root) if trivy_root.is_dir() else {}

    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="moat-peers-") as tmp:
        for rule in load_rules(Path(args.rules)):
            if args.rule and rule.id not in args.rule:
                continue
            fixtures: list[Fixture] = []
            for cid in rule.refs["checkov"]:
                found = checkov_fixtures(ck_root, cid, ck_index)
                fixtures += found
                if not found:
                    notes.append(f"{rule.id}: checkov {cid} has no resource-check fixtures in the corpus")
            for qid in rule.refs["kics"]:
                if qid in k_index:
                    fixtures += kics_fixtures(k_index[qid], qid)
                else:
                    notes.append(f"{rule.id}: kics {qid} not found")
            for tid in rule.refs["trivy"]:
                if tid in t_index:
                    fixtures += trivy_fixtures(t_index[tid], tid)
                else:
                    notes.append(f"{rule.id}: trivy {tid} not found")
            for fx in fixtures:
                got, skipped = compare(moat, rule, fx, Path(tmp))
                rows += got
                notes += skipped
    decisions = load_decisions(Path(args.decisions))
    print(render(rows, notes, decisions, markdown=False))
    if args.update_doc:
        doc = Path(args.update_doc)
        text = doc.read_text(encoding="utf-8")
        begin, end = "<!-- results:begin -->", "<!-- results:end -->"
        if begin not in text or end not in text:
            print(f"{doc} has no {begin} ... {end} section", file=sys.stderr)
            return 2
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        body = render(rows, notes, decisions, markdown=True)
        doc.write_text(f"{head}{begin}\n{body}{end}{tail}", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in rows], indent=1), encoding="utf-8")
    undecided = [r for r in rows if not r.agrees and decide(r, decisions) is None]
    return 1 if undecided else 0


def _short(path: str) -> str:
    for marker in ("/checkov/tests/", "/kics/assets/", "/trivy/checks/"):
        if marker in path:
            return path[path.index(marker) + 1:]
    return path


def render(rows: list[Row], notes: list[str], decisions: list[dict], markdown: bool) -> str:
    """Agreement per rule and peer, per peer and overall (raw, and on equivalent deployable
    fixtures); then every disagreement with the fact that decides it."""
    out: list[str] = []
    verdicts = {id(r): decide(r, decisions) for r in rows if not r.agrees}
    equivalent = [r for r in rows if r.agrees or (verdicts[id(r)] or {}).get("class") not in EXCLUDED]

    def pct(a: int, n: int) -> str:
        return f"{100.0 * a / n:.1f}%" if n else "-"

    def table(header: list[str], body: list[list[str]]) -> None:
        if markdown:
            out.append("| " + " | ".join(header) + " |")
            out.append("| " + " | ".join("---" if i == 0 else "---:" for i in range(len(header))) + " |")
            out.extend("| " + " | ".join(r) + " |" for r in body)
        else:
            widths = [max(len(x) for x in col) for col in zip(header, *body)]
            for r in [header] + body:
                out.append("  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(r, widths))))
        out.append("")

    per: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        per.setdefault((r.rule, r.peer), []).append(r)
    table(["rule / peer", "resources", "agree", "moat undecided", "agreement"],
          [[f"{rule} / {peer}", str(len(rs)), str(sum(r.agrees for r in rs)),
            str(sum(r.moat == "undecided" for r in rs)), pct(sum(r.agrees for r in rs), len(rs))]
           for (rule, peer), rs in sorted(per.items())])
    body = []
    for peer in PEER_KEYS + ("overall",):
        rs = [r for r in rows if peer == "overall" or r.peer == peer]
        eq = [r for r in equivalent if peer == "overall" or r.peer == peer]
        body.append([peer, str(len(rs)), str(sum(r.agrees for r in rs)), pct(sum(r.agrees for r in rs), len(rs)),
                     str(len(eq)), pct(sum(r.agrees for r in eq), len(eq))])
    table(["peer", "resources", "agree", "agreement", "equivalent & deployable", "agreement there"], body)

    out.append("### Disagreements" if markdown else "Disagreements:")
    out.append("")
    groups: dict[object, list[Row]] = {}
    for r in sorted((r for r in rows if not r.agrees), key=lambda r: (r.rule, r.peer, r.check, r.fixture, r.resource)):
        d = verdicts[id(r)]
        groups.setdefault(id(d) if d else ("undecided", r.rule, r.peer, r.check), []).append(r)
    by_id = {id(d): d for d in decisions}
    for key, rs in groups.items():
        d = by_id.get(key) if isinstance(key, int) else None
        title = f"{rs[0].rule} vs " + ", ".join(sorted({f"{r.peer} {r.check}" for r in rs}))
        if markdown:
            cls = d["class"] if d else "NEEDS A VERDICT"
            out.append(f"- **{title}** ({cls}, {len(rs)} resource{'s' if len(rs) > 1 else ''})")
            for r in rs:
                out.append(f"  - `{_short(r.fixture)}` `{r.resource}`: peer {'fail' if r.peer_fails else 'pass'}, moat {r.moat}")
            if d:
                out.append(f"  - Fact: {d['fact']} ({d['link']})")
        else:
            out.append(f"  [{d['class'] if d else 'NEEDS A VERDICT'}] {title}")
            for r in rs:
                out.append(f"      {_short(r.fixture)} | {r.resource} | peer {'fail' if r.peer_fails else 'pass'} / moat {r.moat}")
    out.append("")
    if notes:
        out.append("### Not compared" if markdown else "Not compared:")
        out.append("")
        out.extend(f"- {n}" if markdown else f"  {n}" for n in sorted(set(_short(n) for n in notes)))
        out.append("")
    return "\n".join(out) + "\n"

if __name__ == "__main__":
    sys.exit(main())
