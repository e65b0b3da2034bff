//! Identifiers: [`NodeId`] (a 33-byte compressed public key) and [`ShortChannelId`].
//!
//! Both parse from and print to the textual forms used by Lightning implementations: lowercase
//! hex for node ids, `BLOCKxTXxOUT` for short channel ids (the packed `u64` form is accepted too).

#[cfg(feature = "serde")]
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Why an identifier failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// A node id was not 66 hex characters.
    #[error("node id {text:?} is not 66 hex characters (a 33-byte compressed public key)")]
    BadNodeIdLength {
        /// The offending text (truncated to 80 characters).
        text: String,
    },
    /// A node id contained a non-hex character.
    #[error("node id {text:?} is not valid hex")]
    BadNodeIdHex {
        /// The offending text (truncated to 80 characters).
        text: String,
    },
    /// A node id does not start with 02 or 03 (compressed key prefix).
    #[error("node id {text:?} does not start with 02 or 03 (compressed public key)")]
    BadNodeIdPrefix {
        /// The offending text.
        text: String,
    },
    /// A short channel id was neither `BLOCKxTXxOUT` nor a decimal `u64`.
    #[error("short channel id {text:?} is neither BLOCKxTXxOUT nor a u64: {reason}")]
    BadScid {
        /// The offending text (truncated to 80 characters).
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

fn truncated(s: &str) -> String {
    s.chars().take(80).collect()
}

/// A Lightning node id: a 33-byte compressed secp256k1 public key, printed as 66 lowercase hex
/// characters. Only the format is checked (length, hex, `02`/`03` prefix), not the curve point.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub [u8; 33]);

impl NodeId {
    /// The raw 33 bytes.
    pub fn as_bytes(&self) -> &[u8; 33] {
        &self.0
    }

    /// A node id made from a 32-bit seed, for synthetic graphs and tests: prefix `02`, the seed
    /// big-endian in bytes 1..5, the remaining bytes a fixed mix of the seed.
    pub fn synthetic(seed: u32) -> NodeId {
        let mut b = [0u8; 33];
        b[0] = 0x02;
        b[1..5].copy_from_slice(&seed.to_be_bytes());
        let mut x = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
        for chunk in b[5..].chunks_mut(8) {
            x ^= x >> 31;
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            let bytes = x.to_be_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        NodeId(b)
    }
}

impl FromStr for NodeId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        if s.len() != 66 {
            return Err(IdError::BadNodeIdLength { text: truncated(s) });
        }
        let mut b = [0u8; 33];
        hex::decode_to_slice(s, &mut b)
            .map_err(|_| IdError::BadNodeIdHex { text: truncated(s) })?;
        if b[0] != 0x02 && b[0] != 0x03 {
            return Err(IdError::BadNodeIdPrefix {
                text: s.to_string(),
            });
        }
        Ok(NodeId(b))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 66];
        // Cannot fail: the buffer is exactly twice the input length.
        hex::encode_to_slice(self.0, &mut buf).map_err(|_| fmt::Error)?;
        f.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({self})")
    }
}

#[cfg(feature = "serde")]
impl Serialize for NodeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = NodeId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 66-character hex node id")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeId, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A short channel id: block height (24 bits), transaction index (24 bits), output index
/// (16 bits), packed into a `u64` as in BOLT 7. Prints as `BLOCKxTXxOUT`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShortChannelId(pub u64);

impl ShortChannelId {
    /// Builds a short channel id from its parts, or `None` if a part is out of range.
    pub fn new(block: u32, tx: u32, out: u32) -> Option<ShortChannelId> {
        if block >= 1 << 24 || tx >= 1 << 24 || out >= 1 << 16 {
            return None;
        }
        Some(ShortChannelId(
            ((block as u64) << 40) | ((tx as u64) << 16) | out as u64,
        ))
    }
    /// The block height.
    pub const fn block(self) -> u32 {
        (self.0 >> 40) as u32
    }
    /// The transaction index within the block.
    pub const fn tx(self) -> u32 {
        ((self.0 >> 16) & 0xFF_FFFF) as u32
    }
    /// The output index within the transaction.
    pub const fn out(self) -> u32 {
        (self.0 & 0xFFFF) as u32
    }
}

impl FromStr for ShortChannelId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let bad = |reason| IdError::BadScid {
            text: truncated(s),
            reason,
        };
        if s.contains('x') {
            let mut parts = s.split('x');
            let mut next = |what: &'static str| -> Result<u32, IdError> {
                let p = parts.next().ok_or_else(|| bad(what))?;
                if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(bad("each part must be a non-empty decimal number"));
                }
                p.parse::<u32>().map_err(|_| bad("a part is too large"))
            };
            let block = next("missing block part")?;
            let tx = next("missing transaction part")?;
            let out = next("missing output part")?;
            if parts.next().is_some() {
                return Err(bad("more than three parts"));
            }
            ShortChannelId::new(block, tx, out)
                .ok_or_else(|| bad("block or tx above 2^24-1, or output above 2^16-1"))
        } else if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse::<u64>()
                .map(ShortChannelId)
                .map_err(|_| bad("u64 form out of range"))
        } else {
            Err(bad("expected BLOCKxTXxOUT or a decimal number"))
        }
    }
}

impl fmt::Display for ShortChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}x{}", self.block(), self.tx(), self.out())
    }
}

impl fmt::Debug for ShortChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShortChannelId({self})")
    }
}

#[cfg(feature = "serde")]
impl Serialize for ShortChannelId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for ShortChannelId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = ShortChannelId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a short channel id (BLOCKxTXxOUT string or u64)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ShortChannelId, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ShortChannelId, E> {
                Ok(ShortChannelId(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "02dd94d8d73ebccf4c960328c069c4315799419ab736b1902312ad78034f241cb7";

    #[test]
    fn node_id_round_trips_and_rejects_garbage() {
        let id: NodeId = KEY.parse().expect("valid key");
        assert_eq!(id.to_string(), KEY);
        assert!(matches!(
            "02ab".parse::<NodeId>(),
            Err(IdError::BadNodeIdLength { .. })
        ));
        let bad_hex = format!("02{}", "zz".repeat(32));
        assert!(matches!(
            bad_hex.parse::<NodeId>(),
            Err(IdError::BadNodeIdHex { .. })
        ));
        let bad_prefix = format!("05{}", &KEY[2..]);
        assert!(matches!(
            bad_prefix.parse::<NodeId>(),
            Err(IdError::BadNodeIdPrefix { .. })
        ));
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&id).expect("serialize");
            assert_eq!(
                serde_json::from_str::<NodeId>(&json).expect("deserialize"),
                id
            );
        }
    }

    #[test]
    fn scid_parses_both_forms() {
        let s: ShortChannelId = "600000x12x3".parse().expect("valid");
        assert_eq!((s.block(), s.tx(), s.out()), (600000, 12, 3));
        assert_eq!(s.to_string(), "600000x12x3");
        let packed: ShortChannelId = s.0.to_string().parse().expect("u64 form");
        assert_eq!(packed, s);
        assert_eq!(
            "0x2134x0".parse::<ShortChannelId>().expect("block 0").tx(),
            2134
        );
        for bad in [
            "",
            "1x2",
            "1x2x3x4",
            "ax1x2",
            "16777216x0x0",
            "1x1x65536",
            "-1",
            "1x-2x3",
        ] {
            assert!(
                bad.parse::<ShortChannelId>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn synthetic_ids_are_distinct_and_valid() {
        let a = NodeId::synthetic(1);
        let b = NodeId::synthetic(2);
        assert_ne!(a, b);
        assert_eq!(a.to_string().parse::<NodeId>().expect("valid"), a);
    }
}
