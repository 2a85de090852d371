//! 身份证号: any text is refused or accepted without panicking; an accepted number reads back
//! as itself and masks to the same length.
#![no_main]
use gongshi_core::IdNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let today = time::macros::date!(2026 - 11 - 27);
    if let Ok(id) = IdNumber::parse(text, today) {
        let again = IdNumber::parse(id.as_str(), today).expect("an accepted number parses again");
        assert_eq!(again.as_str(), id.as_str());
        assert_eq!(id.masked().chars().count(), id.as_str().chars().count());
    }
});
