//! `uniqueString` and `guid`, computed exactly as Azure Resource Manager does.
//!
//! Both join their arguments with `-` and hash the UTF-8 bytes:
//! - `uniqueString`: a 64-bit MurmurHash variant (two 32-bit lanes, from Microsoft's
//!   ResourceStack library), rendered as 13 characters of RFC 4648 base-32 (lower case),
//!   taking 5 bits at a time from the most significant end.
//! - `guid`: an RFC 4122 version-5 (SHA-1, name-based) UUID in the ARM namespace
//!   `11fb06fb-712d-4ddd-98c7-e71bbd588830`.

use super::{arity, fail, EvalError};
use crate::eval::value::Value;

/// The namespace ARM's `guid()` hashes names in.
const ARM_NAMESPACE: [u8; 16] = [
    0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30,
];

/// Calls `uniqueString` or `guid`, or `None` if `name` is neither.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Result<Value, EvalError>> {
    let f: fn(&[&str]) -> String = match name {
        "uniquestring" => unique_string,
        "guid" => guid,
        _ => return None,
    };
    Some(arity(name, args, 1, usize::MAX).and_then(|()| {
        let parts = args.iter().map(Value::as_str).collect::<Option<Vec<_>>>();
        match parts {
            Some(parts) => Ok(Value::String(f(&parts))),
            None => fail(name, "expects string arguments"),
        }
    }))
}

/// ARM's `uniqueString(parts...)`: 13 base-32 characters.
pub fn unique_string(parts: &[&str]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut hash = murmur64(parts.join("-").as_bytes());
    (0..13)
        .map(|_| {
            let c = ALPHABET[(hash >> 59) as usize] as char;
            hash <<= 5;
            c
        })
        .collect()
}

/// ARM's `guid(parts...)`: a lower-case, hyphenated version-5 UUID.
pub fn guid(parts: &[&str]) -> String {
    let mut input = ARM_NAMESPACE.to_vec();
    input.extend_from_slice(parts.join("-").as_bytes());
    let digest = sha1(&input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The 64-bit MurmurHash variant ARM's `uniqueString` uses (seed 0).
fn murmur64(data: &[u8]) -> u64 {
    const C1: u32 = 0x239b_961b;
    const C2: u32 = 0xab0e_9789;
    let word = |bytes: &[u8]| {
        bytes
            .iter()
            .rev()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
    };
    let mix1 = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mix2 = |k: u32| k.wrapping_mul(C2).rotate_left(17).wrapping_mul(C1);
    let (mut h1, mut h2) = (0u32, 0u32);
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        h1 ^= mix1(word(&block[..4]));
        h1 = h1
            .rotate_left(19)
            .wrapping_add(h2)
            .wrapping_mul(5)
            .wrapping_add(0x561c_cd1b);
        h2 ^= mix2(word(&block[4..]));
        h2 = h2
            .rotate_left(13)
            .wrapping_add(h1)
            .wrapping_mul(5)
            .wrapping_add(0x0bca_a747);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        h1 ^= mix1(word(&tail[..tail.len().min(4)]));
        if tail.len() > 4 {
            h2 ^= mix2(word(&tail[4..]));
        }
    }
    let length = data.len() as u32;
    h1 ^= length;
    h2 ^= length;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (u64::from(h2) << 32) | u64::from(h1)
}

/// MurmurHash3's 32-bit finalizer.
fn fmix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// SHA-1 (FIPS 180-4) of `data`.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
                20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (hi, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hi = hi.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, v) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&v.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published input/output pairs from independent reimplementations that state they were
    /// checked against Azure (see the report; Azure itself was not reachable from here).
    #[test]
    fn unique_string_matches_published_vectors() {
        assert_eq!(unique_string(&["test"]), "rbgf3xv4ufgzg");
        assert_eq!(unique_string(&["hello", "world"]), "a7wkljktk6wne");
        assert_eq!(unique_string(&["abc"]), "cgtzqvhu4i23s");
        assert_eq!(
            unique_string(&[
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg"
            ]),
            "bmg7c6xu4tw46"
        );
        assert_eq!(unique_string(&["foo", "bar", "baz"]), "xzi4ioaxtmth4");
    }

    #[test]
    fn unique_string_covers_every_tail_length() {
        let outputs: Vec<String> = (0..=17).map(|n| unique_string(&[&"x".repeat(n)])).collect();
        for (i, out) in outputs.iter().enumerate() {
            assert_eq!(out.len(), 13);
            assert!(outputs[..i].iter().all(|o| o != out));
        }
    }

    #[test]
    fn guid_is_uuid_v5_in_the_arm_namespace() {
        assert_eq!(guid(&["test"]), "d6a5baf1-8b9b-542a-8525-2982f1f98a0c");
        assert_eq!(
            guid(&["test", "test2", "test3"]),
            "43ca56fb-e844-5667-aabf-b316c27c09cc"
        );
    }

    #[test]
    fn sha1_matches_fips_vectors() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
    }
}
