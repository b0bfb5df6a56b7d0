"""moat's verdicts beside Checkov's and Trivy's on one input.

A moat finding agrees with a peer when the peer fails one of the check ids the moat rule
lists in its `references` on the same Terraform address; a peer failure of a covered id on an
address where moat reports none of the covering rules is "peer only".

    python3 tools/side_by_side.py MOAT.json CHECKOV.json TRIVY.json rules

MOAT.json: `moat scan DIR -f json`; CHECKOV.json: `checkov -d DIR -o json`; TRIVY.json:
`trivy config -f json DIR`. Python 3 standard library only.
"""
import json, sys, glob, re, collections
moat_json, ck_json, tv_json, rules_dir = sys.argv[1:5]
refs = {}
for path in glob.glob(f"{rules_dir}/**/*.yaml", recursive=True):
    text = open(path).read()
    rid = re.search(r"^id: (\S+)", text, re.M).group(1)
    ck = re.search(r"^  checkov: \[([^\]]*)\]", text, re.M)
    tv = re.search(r"^  trivy: \[([^\]]*)\]", text, re.M)
    refs[rid] = ({s.strip().strip('"') for s in ck.group(1).split(",")} if ck else set(),
                 {s.strip().strip('"').replace("AVD-", "") for s in tv.group(1).split(",")} if tv else set())
moat = json.load(open(moat_json))
m = collections.defaultdict(set)  # address -> rules
for f in moat["findings"]:
    m[f["resource"].get("address") or f["resource"]["name"]].add(f["rule_id"])
ck = json.load(open(ck_json))
ck = ck if isinstance(ck, list) else [ck]
c = collections.defaultdict(set)
for rep in ck:
    for r in rep.get("results", {}).get("failed_checks", []):
        c[r["resource"]].add(r["check_id"])
tv = json.load(open(tv_json))
t = collections.defaultdict(set)
for res in tv.get("Results", []) or []:
    for mc in res.get("Misconfigurations", []) or []:
        if mc.get("Status") != "FAIL": continue
        addr = (mc.get("CauseMetadata") or {}).get("Resource", "?")
        t[addr].add(mc["ID"].replace("AVD-", ""))
mapped_ck = set().union(*(v[0] for v in refs.values()))
mapped_tv = set().union(*(v[1] for v in refs.values()))
print("moat findings", sum(len(v) for v in m.values()), "on", len(m), "resources")
print("checkov failed", sum(len(v) for v in c.values()), "(", sum(len(v & mapped_ck) for v in c.values()), "on checks a moat rule covers )")
print("trivy failed", sum(len(v) for v in t.values()), "(", sum(len(v & mapped_tv) for v in t.values()), "on checks a moat rule covers )")
for name, peer, idx in (("checkov", c, 0), ("trivy", t, 1)):
    both = moat_only = peer_only = 0
    rows = []
    for addr in sorted(set(m) | set(peer)):
        for rule in sorted(m.get(addr, ())):
            ids = refs.get(rule, (set(), set()))[idx]
            if not ids: continue
            if peer.get(addr, set()) & ids: both += 1
            else: moat_only += 1; rows.append(f"  moat only: {rule} on {addr} ({name} {sorted(ids)})")
        for cid in sorted(peer.get(addr, set())):
            rules = [r for r, v in refs.items() if cid in v[idx]]
            if rules and not (set(rules) & m.get(addr, set())):
                peer_only += 1; rows.append(f"  {name} only: {cid} on {addr} (moat {rules})")
    print(f"{name}: both {both}, moat only {moat_only}, {name} only {peer_only}")
    print("\n".join(rows))
