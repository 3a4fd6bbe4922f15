//! The connection-string parser and the configuration built from it.
//!
//! Properties checked, for any text:
//! - `parse` and `Config::resolve` return (Ok or an error), never panic;
//! - what `parse` accepts, `format_pairs` writes back so that `parse` reads
//!   the same pairs;
//! - `quote_value` and `brace` of any value parse back to that value;
//! - the completed connection string of a resolved configuration parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipedrive_odbc::config::connection_string::{brace, format_pairs, parse, quote_value};
use pipedrive_odbc::config::{Config, NoDsns};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_value_quoting(text);
    let Ok(pairs) = parse(text) else {
        return;
    };
    let formatted = format_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match parse(&formatted) {
        Ok(again) => assert_eq!(again, pairs, "format_pairs of {pairs:?} is {formatted:?}"),
        Err(e) => panic!("format_pairs of {pairs:?} is {formatted:?}, which fails: {e:?}"),
    }
    if let Ok((config, _warnings)) = Config::resolve(&pairs, &NoDsns) {
        let completed = config.completed_connection_string();
        if let Err(e) = parse(&completed) {
            panic!("the completed connection string of {pairs:?} does not parse: {e:?}");
        }
    }
});

fn check_value_quoting(value: &str) {
    let expected = vec![("K".to_string(), value.to_string())];
    for written in [quote_value(value), brace(value)] {
        let text = format!("K={written}");
        match parse(&text) {
            Ok(pairs) => assert_eq!(pairs, expected, "{text:?}"),
            Err(e) => panic!("{text:?} does not parse: {e:?}"),
        }
    }
}
