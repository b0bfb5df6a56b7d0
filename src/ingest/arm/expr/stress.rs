//! A deterministic stress test for stable toolchains (the libFuzzer target in `fuzz/` needs
//! nightly): mutated expressions through parse and evaluate must never panic.
//! Run with `cargo test --release -- --ignored stress`.

use super::*;

/// Expressions the mutations start from.
const SEEDS: &[&str] = &[
    "[concat(parameters('s'), '-sa', copyIndex(1))]",
    "[format('{0:D3}-{1,-4}|{{x}}', 7, 'x')]",
    "[resourceId('sub', 'rg', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
    "[map(range(0, 3), lambda('x', 'i', mul(lambdaVariables('x'), lambdaVariables('i'))))]",
    "[reduce(parameters('l'), '', lambda('a', 'b', concat(string(lambdaVariables('a')), 'x')))]",
    "[parameters('l')[0].?x?[1]]",
    "[if(equals(parameters('n'), 3), uniqueString('a', 'b'), guid('c'))]",
    "[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
    "[union(json('{\"a\":{\"b\":1}}'), createObject('a', createObject('c', 2)))]",
    "[substring(base64ToString(base64('h\u{e9}llo \u{1F600}')), 1, 2)]",
    "[split('a,b;c', createArray(',', ';'))]",
    "[uri('http://x.io/a/', uriComponent('b c'))]",
    "[padLeft(string(length(items(createObject('k', 'v')))), 5, '0')]",
    "[ns.fn(tryGet(parameters('l'), 5), 'it''s', -12, true, null)]",
    "[and(or(true, parameters('u')), not(empty(skip(take('abc', 2), 1))))]",
];

/// Fragments the mutations insert.
const FRAGMENTS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    ".?",
    "?[",
    "'",
    "''",
    "-",
    "0",
    "-1",
    "99999",
    "{0}",
    "{",
    "}",
    "concat(",
    "range(0, 10000)",
    "lambda('x', ",
    "lambdaVariables('x')",
    "parameters('l')",
    "parameters('u')",
    "createArray(",
    "json('[1,[2]]')",
    "string(",
    "if(",
    "reduce(",
    "map(",
    "sort(",
    "substring(",
    "div(1, 0)",
    "\u{1F600}",
    "\u{e9}",
    " ",
    "true",
    "null",
];

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Applies a few random insertions, deletions and duplications at char boundaries.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s = text.to_owned();
    for _ in 0..=rng.below(4) {
        let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        let at = bounds[rng.below(bounds.len())];
        let to = bounds[rng.below(bounds.len())].max(at);
        match rng.below(3) {
            0 => s.insert_str(at, FRAGMENTS[rng.below(FRAGMENTS.len())]),
            1 => s.replace_range(at..to, ""),
            _ => {
                let piece = s[at..to].to_owned();
                s.insert_str(to, &piece);
            }
        }
    }
    s
}

#[test]
#[ignore = "slow: run with --release -- --ignored"]
fn stress_mutated_expressions_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0;
    for case in 0..200_000 {
        let seed = SEEDS[case % SEEDS.len()];
        let text = mutate(&mut rng, seed);
        if exercise(&text) {
            parsed += 1;
        }
    }
    // The mutations must leave enough valid expressions to exercise the evaluator.
    assert!(parsed > 20_000, "only {parsed} mutated inputs parsed");
}
