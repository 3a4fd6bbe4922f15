//! Codes and tokens: hex strings drawn from the seed and a serial number,
//! in the shapes of Pipedrive's examples (`v1u:...` access tokens,
//! `1:1:<40 hex>` refresh tokens). Deterministic like everything else in
//! the simulator; they guard test data, not secrets.

use crate::data::rng::mix;

#[derive(Clone, Copy)]
pub(crate) enum SecretKind {
    Code = 1,
    AccessToken = 2,
    RefreshToken = 3,
}

fn hex(seed: u64, kind: SecretKind, serial: u64, len: usize) -> String {
    let mut out = String::with_capacity(len + 16);
    let mut state = mix(mix(seed ^ 0x6f61_7574_6800_0000) ^ mix(kind as u64) ^ serial);
    while out.len() < len {
        state = mix(state);
        out.push_str(&format!("{state:016x}"));
    }
    out.truncate(len);
    out
}

/// The secret of `kind` with this serial number.
pub(crate) fn make(seed: u64, kind: SecretKind, serial: u64) -> String {
    match kind {
        SecretKind::Code => hex(seed, kind, serial, 40),
        SecretKind::AccessToken => format!("v1u:{}", hex(seed, kind, serial, 64)),
        // `user id:company id:` as in the spec's example.
        SecretKind::RefreshToken => format!("1:1:{}", hex(seed, kind, serial, 40)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_uniqueness() {
        let a = make(42, SecretKind::AccessToken, 1);
        assert!(a.starts_with("v1u:") && a.len() == 68);
        assert_eq!(a, make(42, SecretKind::AccessToken, 1));
        assert_ne!(a, make(42, SecretKind::AccessToken, 2));
        assert_ne!(a, make(43, SecretKind::AccessToken, 1));
        let r = make(42, SecretKind::RefreshToken, 1);
        assert!(r.starts_with("1:1:") && r.len() == 44);
        assert_eq!(make(42, SecretKind::Code, 9).len(), 40);
    }
}
