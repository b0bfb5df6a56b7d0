//! Hash functions: `md5`, `sha1`, `sha256`, `base64sha256`, `uuidv5` (implemented here;
//! SHA-512 variants are left unknown).

use super::args::{self, ok_string};
use super::{EvalError, EvalResult, Func};
use crate::eval::base64::encode as base64_encode;
use crate::eval::digest::{hex, md5, sha1, sha256, uuid_v5};
use crate::eval::value::Value;

/// The hash functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(Func::Strict(match name {
        "md5" => |a| hex_of(a, |b| md5(b).to_vec()),
        "sha1" => |a| hex_of(a, |b| sha1(b).to_vec()),
        "sha256" => |a| hex_of(a, |b| sha256(b).to_vec()),
        "base64sha256" => |a| match a {
            [s] => ok_string(base64_encode(&sha256(args::string(s)?.as_bytes()))),
            _ => Err(EvalError),
        },
        "uuidv5" => uuidv5,
        _ => return None,
    }))
}

fn hex_of(args: &[Value], digest: fn(&[u8]) -> Vec<u8>) -> EvalResult {
    let [s] = args else { return Err(EvalError) };
    ok_string(hex(&digest(args::string(s)?.as_bytes())))
}

/// `uuidv5(namespace, name)`: namespace `dns`, `url`, `oid`, `x500` or a UUID.
fn uuidv5(args: &[Value]) -> EvalResult {
    let [namespace, name] = args else {
        return Err(EvalError);
    };
    let namespace = match args::string(namespace)?.as_str() {
        "dns" => "6ba7b810-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        "url" => "6ba7b811-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        "oid" => "6ba7b812-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        "x500" => "6ba7b814-9dad-11d1-80b4-00c04fd430c8".to_owned(),
        other => other.to_owned(),
    };
    let hex_digits: String = namespace.chars().filter(|c| *c != '-').collect();
    if hex_digits.len() != 32 || !hex_digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(EvalError);
    }
    let mut bytes = [0u8; 16];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = hex_digits
            .get(2 * i..2 * i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .ok_or(EvalError)?;
    }
    ok_string(uuid_v5(&bytes, args::string(name)?.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, s};

    #[test]
    fn digests_match_known_vectors() {
        assert_eq!(
            run("md5", vec![s("")]),
            Some(s("d41d8cd98f00b204e9800998ecf8427e"))
        );
        assert_eq!(
            run("md5", vec![s("hello world")]),
            Some(s("5eb63bbbe01eeed093cb22bb8f5acdc3"))
        );
        assert_eq!(
            run("sha1", vec![s("abc")]),
            Some(s("a9993e364706816aba3e25717850c26c9cd0d89d"))
        );
        assert_eq!(
            run("sha256", vec![s("abc")]),
            Some(s(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            ))
        );
        let long = "a".repeat(1000);
        assert_eq!(
            run("sha256", vec![s(&long)]),
            Some(s(
                "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
            ))
        );
        assert_eq!(
            run("base64sha256", vec![s("hello world")]),
            Some(s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="))
        );
        assert_eq!(
            run("uuidv5", vec![s("dns"), s("www.example.com")]),
            Some(s("2ed6657d-e927-568b-95e1-2665a8aea6a2"))
        );
    }
}
