//! Feeds arbitrary UTF-8 to the ARM expression parser and evaluator: neither may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    moat::ingest::arm::expr::exercise(text);
});
