//! Any bytes, named as any spreadsheet kind, go through the whole import reader without a panic.
#![no_main]

use genjin::excel::import::{parse, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["f.xlsx", "f.xls", "需求报告表14061903.xlsx"] {
        let parsed = parse(&[Source::new(name, data.to_vec())], &[]);
        assert_eq!(parsed.files.len(), 1);
    }
});
