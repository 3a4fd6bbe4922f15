//! Stateless, order-independent randomness: every generated attribute is a
//! pure function of (seed, entity, id, attribute). That is what lets records
//! be produced by id, on any thread, in any order, with identical results.

/// SplitMix64's finaliser: a fast, well-mixed 64-bit hash.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Distinguishes entities so deal 7 and person 7 draw different values.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Deal = 1,
    Person = 2,
    Organization = 3,
    User = 4,
    Pipeline = 5,
    Stage = 6,
    Extras = 7,
    Activity = 8,
    Note = 9,
    Product = 10,
    Lead = 11,
    Project = 12,
    Task = 13,
    File = 14,
    CallLog = 15,
    DealProduct = 16,
    Participant = 17,
    Follower = 18,
    Comment = 19,
    Relationship = 20,
}

/// The random source of one record.
#[derive(Clone, Copy)]
pub(crate) struct Draw {
    state: u64,
}

impl Draw {
    pub(crate) fn new(seed: u64, stream: Stream, id: u64) -> Draw {
        Draw {
            state: mix(mix(seed ^ mix(stream as u64)) ^ id),
        }
    }

    /// A uniformly random 64-bit value for one attribute of the record.
    pub(crate) fn u64(&self, attribute: u64) -> u64 {
        mix(self.state ^ attribute.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&self, attribute: u64, n: u64) -> u64 {
        ((self.u64(attribute) as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&self, attribute: u64, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(attribute, (hi - lo) as u64 + 1) as i64
    }

    /// True with probability `percent`/100.
    pub(crate) fn percent(&self, attribute: u64, percent: u64) -> bool {
        self.below(attribute, 100) < percent
    }

    pub(crate) fn pick<T: Copy>(&self, attribute: u64, items: &[T]) -> T {
        items[self.below(attribute, items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_stable_and_spread() {
        let a = Draw::new(1, Stream::Deal, 5);
        assert_eq!(a.u64(3), Draw::new(1, Stream::Deal, 5).u64(3));
        assert_ne!(a.u64(3), Draw::new(1, Stream::Person, 5).u64(3));
        assert_ne!(a.u64(3), Draw::new(2, Stream::Deal, 5).u64(3));
        let mut counts = [0u32; 10];
        for id in 0..10_000 {
            counts[Draw::new(9, Stream::Deal, id).below(1, 10) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(a.range(4, 5, 5), 5);
    }
}
