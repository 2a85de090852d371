//! 手机号码: any text is refused or accepted without panicking; an accepted number reads back
//! as itself and masks to the same length.
#![no_main]
use gongshi_core::Mobile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(mobile) = Mobile::parse(text) {
        let again = Mobile::parse(mobile.as_str()).expect("an accepted number parses again");
        assert_eq!(again.as_str(), mobile.as_str());
        assert_eq!(mobile.masked().chars().count(), mobile.as_str().chars().count());
    }
});
