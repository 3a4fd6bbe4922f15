//! Encryption of the OAuth settings file: ChaCha20-Poly1305 (authenticated,
//! so a modified file is detected, not misread) with a key derived by
//! HKDF-SHA256 from the OAuth client id and secret.
//!
//! Why those inputs: the headless-transfer flow copies the file to another
//! machine, where the same app (same OAuthClientId/OAuthClientSecret) must
//! read it without any extra secret to carry along. Whoever knows the client
//! secret can read the tokens, which is no more than they could get from
//! the OAuth server with that secret anyway; the file mode (0600) keeps
//! other local users out. The key derivation is versioned by its salt, so
//! a later format can change it.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

const KEY_SALT: &[u8] = b"pipedrive-odbc OAuthSettings v1";
const KEY_INFO: &[u8] = b"chacha20poly1305 key";
const NONCE_LEN: usize = 12;

/// The file key for one OAuth app.
pub struct FileKey(Key);

impl FileKey {
    pub fn derive(client_id: &str, client_secret: &str) -> FileKey {
        // Length-prefixing the id keeps ("ab","c") and ("a","bc") apart.
        let id_len = u32::try_from(client_id.len()).unwrap_or(u32::MAX);
        let mut input = Vec::with_capacity(4 + client_id.len() + client_secret.len());
        input.extend_from_slice(&id_len.to_be_bytes());
        input.extend_from_slice(client_id.as_bytes());
        input.extend_from_slice(client_secret.as_bytes());
        let mut key = Key::default();
        // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand
        // cannot fail; a zero key would still only fail closed (no file
        // written by another version decrypts).
        let _ = Hkdf::<Sha256>::new(Some(KEY_SALT), &input).expand(KEY_INFO, &mut key);
        FileKey(key)
    }

    /// nonce || ciphertext || tag, with `header` authenticated alongside.
    pub fn seal(&self, header: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
        let cipher = ChaCha20Poly1305::new(&self.0);
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: header,
                },
            )
            .ok()?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Some(out)
    }

    /// The plaintext, or `None` when the bytes were not sealed with this key
    /// and header (another app's file, or a modified one).
    pub fn open(&self, header: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        ChaCha20Poly1305::new(&self.0)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .ok()
    }
}

/// A random value for the OAuth `state` parameter: 128 bits, hex.
pub fn random_state() -> String {
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let extra = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    nonce
        .iter()
        .chain(extra.iter())
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of a value, hex: remembers which authorization code produced the
/// stored tokens without storing the code.
pub fn fingerprint(value: &str) -> String {
    use sha2::Digest;
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_only_with_the_same_app_and_header() {
        let key = FileKey::derive("app", "secret");
        let sealed = key.seal(b"v1", b"tokens").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"tokens"));
        assert_eq!(key.open(b"v1", &sealed).as_deref(), Some(&b"tokens"[..]));
        assert_eq!(
            FileKey::derive("app", "secret")
                .open(b"v1", &sealed)
                .as_deref(),
            Some(&b"tokens"[..]),
            "the same credentials derive the same key"
        );
        assert!(FileKey::derive("app", "other")
            .open(b"v1", &sealed)
            .is_none());
        assert!(FileKey::derive("ap", "psecret")
            .open(b"v1", &sealed)
            .is_none());
        assert!(key.open(b"v2", &sealed).is_none());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(key.open(b"v1", &tampered).is_none());
        assert!(key.open(b"v1", &sealed[..5]).is_none());
        // A fresh nonce every time.
        assert_ne!(key.seal(b"v1", b"tokens").unwrap(), sealed);
    }

    #[test]
    fn states_are_random_and_fingerprints_stable() {
        let a = random_state();
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_state());
        assert_eq!(fingerprint("code"), fingerprint("code"));
        assert_ne!(fingerprint("code"), fingerprint("code2"));
    }
}
