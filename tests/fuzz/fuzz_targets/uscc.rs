//! 统一社会信用代码: any text is refused or accepted without panicking, and what is accepted
//! reads back as itself.
#![no_main]
use gongshi_core::Uscc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(uscc) = Uscc::parse(text) {
        let again = Uscc::parse(uscc.as_str()).expect("an accepted code parses again");
        assert_eq!(again.as_str(), uscc.as_str());
        assert_eq!(uscc.as_str().chars().count(), 18);
    }
});
