"""Unit tests of tools/peer_compare.py's parsing and matching (no moat, no peer corpora):
`python3 -m unittest discover -s tools -p 'test_*.py'`."""

import tempfile
import unittest
from pathlib import Path

import peer_compare as pc


class RuleYaml(unittest.TestCase):
    def parse(self, text: str) -> pc.Rule:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.yaml"
            path.write_text(text, encoding="utf-8")
            rule = pc.parse_rule(path)
        assert rule is not None
        return rule

    def test_flow_and_block_lists(self):
        rule = self.parse(
            "id: demo\n"
            "resource:\n  - Microsoft.A/b\n  - Microsoft.C/d\n"
            "references:\n"
            "  checkov: [CKV_AZURE_1, CKV_AZURE_2]\n"
            "  azure_policy:\n    - 0000\n"
            "  kics:\n    - abc-def\n"
            "  links:\n    - https://example.invalid\n"
            "docs: |\n  text\n"
        )
        self.assertEqual(rule.id, "demo")
        self.assertEqual(rule.types, ["Microsoft.A/b", "Microsoft.C/d"])
        self.assertEqual(rule.refs["checkov"], ["CKV_AZURE_1", "CKV_AZURE_2"])
        self.assertEqual(rule.refs["kics"], ["abc-def"])
        self.assertEqual(rule.refs["trivy"], [])

    def test_scalar_resource(self):
        rule = self.parse("id: one\nresource: Microsoft.A/b\nreferences:\n  trivy: [AVD-AZU-0001]\n")
        self.assertEqual(rule.types, ["Microsoft.A/b"])
        self.assertEqual(rule.refs["trivy"], ["AVD-AZU-0001"])


class TrivyExamples(unittest.TestCase):
    def test_good_and_bad_examples_skip_links(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "check.yaml"
            path.write_text(
                "terraform:\n"
                "  links:\n    - https://example.invalid\n"
                "  good:\n    - |-\n      resource \"a\" \"g\" {\n      }\n"
                "  bad:\n    - |-\n      resource \"a\" \"b1\" {\n      }\n"
                "    - |-\n      resource \"a\" \"b2\" {\n      }\n",
                encoding="utf-8",
            )
            fixtures = pc.trivy_fixtures(path, "AVD-AZU-0001")
        self.assertEqual([f.kind for f in fixtures], ["all-pass", "any-fail", "any-fail"])
        self.assertTrue(str(fixtures[2].source).endswith("#bad2"))
        self.assertIn('resource "a" "b2"', fixtures[2].text)


class Extents(unittest.TestCase):
    def test_json_object_around_a_key(self):
        text = '{\n "resources": [\n  {\n   "name": "x",\n   "type": "T"\n  }\n ]\n}\n'
        self.assertEqual(pc._extent(text, 5, True), (3, 6))

    def test_block_after_a_head_ignores_braces_in_strings(self):
        text = 'resource "t" "n" {\n  a = "}{"\n  b {\n  }\n}\nresource "t" "m" {\n}\n'
        self.assertEqual(pc._extent(text, 1, False), (1, 5))
        self.assertIn('"m"', pc._tf_block_at(text, 7) or "")


class Matching(unittest.TestCase):
    def test_terraform_address_covers_children(self):
        res = {"address": 'azurerm_network_security_group.g.securityRules["r"]'}
        self.assertTrue(pc._matches(res, "azurerm_network_security_group.g"))
        self.assertFalse(pc._matches(res, "azurerm_network_security_group.gg"))

    def test_arm_type_and_name(self):
        res = {"type": "Microsoft.Storage/storageAccounts", "name": "pass"}
        self.assertTrue(pc._matches(res, "Microsoft.Storage/storageAccounts.pass"))
        self.assertFalse(pc._matches(res, "Microsoft.Storage/storageAccounts.fail"))

    def test_decisions_match_patterns_and_verdicts(self):
        row = pc.Row("r", "kics", "id", "/x/kics/assets/q/test/positive.tf", "t.positive5", True, "quiet")
        decisions = [
            {"rule": "r", "moat": "fires", "class": "peer-wrong"},
            {"rule": "r", "resource": "t.positive[5-9]", "class": "undeployable"},
        ]
        self.assertEqual(pc.decide(row, decisions)["class"], "undeployable")
        self.assertIsNone(pc.decide(row, decisions[:1]))


if __name__ == "__main__":
    unittest.main()
