//! Codes: parse and format round trips.

use proptest::prelude::*;
use xuncha_org::{Code, Level};

fn level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

/// A valid code: a non-zero province and city part, anything below.
fn code() -> impl Strategy<Value = Code> {
    (
        level(),
        1u64..=99,
        1u64..=99,
        0u64..=99,
        0u64..=999,
        0u64..=999,
    )
        .prop_map(|(level, p, c, county, town, village)| {
            let padded =
                p * 10_000_000_000 + c * 100_000_000 + county * 1_000_000 + town * 1_000 + village;
            let digits = padded / 10u64.pow(u32::try_from(12 - level.digits()).expect("small"));
            Code::new(level, digits).expect("the strategy builds valid codes")
        })
}

proptest! {
    #[test]
    fn formatting_then_parsing_at_the_level_gives_the_code_back(code in code()) {
        let text = code.to_string();
        prop_assert_eq!(text.len(), code.level().digits());
        prop_assert_eq!(Code::parse_at(&text, code.level()).expect("formatted codes parse"), code);
        let padded = format!("{code:#}");
        prop_assert_eq!(padded.len(), 12);
        prop_assert_eq!(Code::parse_at(&padded, code.level()).expect("padded codes parse"), code);
    }

    #[test]
    fn parsing_natural_digits_gives_the_level_of_the_length(code in code()) {
        // Natural digits are unambiguous except at the village level, where
        // a code ending in zero parts reads as the padded form of a higher
        // division.
        let parsed = Code::parse(&code.to_string()).expect("formatted codes parse");
        prop_assert_eq!(parsed.padded(), code.padded());
        if code.level() != Level::Village {
            prop_assert_eq!(parsed, code);
        }
    }

    #[test]
    fn the_parent_is_one_level_up_and_contains_the_code(code in code()) {
        match code.parent() {
            None => prop_assert_eq!(code.level(), Level::Province),
            Some(parent) => {
                prop_assert_eq!(Some(parent.level()), code.level().parent());
                prop_assert!(parent.contains(code));
                prop_assert!(!code.contains(parent));
                prop_assert!(parent < code, "codes sort in pre-order");
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_errors_name_the_input(text in ".{0,16}") {
        match Code::parse(&text) {
            Ok(code) => prop_assert_eq!(code.padded() % 10u64.pow(u32::try_from(12 - code.level().digits()).expect("small")), 0),
            Err(err) => {
                let quoted = format!("{text:?}");
                prop_assert!(err.to_string().contains(&quoted));
            }
        }
    }
}
