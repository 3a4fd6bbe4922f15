//! UUID ids (leads, lead labels) that encode a record number: the last
//! twelve hex digits are the number, the rest a hash of (seed, salt,
//! number). A UUID therefore maps back to its number without a lookup
//! table, and one that was not issued by this dataset is rejected.

use crate::data::rng::mix;

pub(crate) const LEAD_SALT: u64 = 0x6c65_6164;
pub(crate) const LEAD_LABEL_SALT: u64 = 0x6c61_6265;

pub(crate) fn uuid(seed: u64, salt: u64, n: u64) -> String {
    let h = mix(seed ^ mix(salt ^ mix(n)));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        0x8000 | ((h >> 20) & 0x3fff),
        n & 0xffff_ffff_ffff
    )
}

/// The number of a UUID issued by [`uuid`] with the same seed and salt.
pub(crate) fn parse_uuid(seed: u64, salt: u64, text: &str) -> Option<u64> {
    if text.len() != 36 {
        return None;
    }
    let n = u64::from_str_radix(text.get(24..)?, 16).ok()?;
    (n > 0 && uuid(seed, salt, n) == text.to_ascii_lowercase()).then_some(n)
}

/// Whether `text` has the shape of a UUID (8-4-4-4-12 hex digits).
pub(crate) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejection() {
        let u = uuid(42, LEAD_SALT, 1234);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(parse_uuid(42, LEAD_SALT, &u), Some(1234));
        assert_eq!(parse_uuid(42, LEAD_LABEL_SALT, &u), None);
        assert_eq!(parse_uuid(43, LEAD_SALT, &u), None);
        assert_eq!(parse_uuid(42, LEAD_SALT, "not-a-uuid"), None);
        assert!(is_uuid(&u));
        assert!(!is_uuid("not-a-uuid"));
    }
}
