//! A string that must never be printed: API tokens, OAuth secrets, proxy
//! passwords. Debug and Display both print a fixed mask, so a `Secret` can sit
//! in any struct that derives Debug without leaking into logs or messages.

use std::fmt;

/// What a secret prints as.
pub const MASK: &str = "********";

/// A secret value. The only way to read it is [`Secret::expose`], which makes
/// every use site easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret text, for the one place that needs it (an HTTP header, a
    /// token request, a completed connection string the caller passed it in).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_mask_the_value() {
        let secret = Secret::new("tok-123");
        assert_eq!(format!("{secret:?}"), MASK);
        assert_eq!(format!("{secret}"), MASK);
        assert_eq!(
            format!("{:?}", Some(secret.clone())),
            format!("Some({MASK})")
        );
        assert_eq!(secret.expose(), "tok-123");
    }
}
