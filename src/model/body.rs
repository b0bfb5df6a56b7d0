//! A resource's body: a JSON tree while the model is built, packed into a compact byte
//! encoding once it is complete, and unpacked again only for the moment it is read.
//!
//! A `serde_json::Value` tree costs several times its text (an `IndexMap` per object, an
//! allocation per key and string); a whole tenant of them does not fit in memory. Packed,
//! a body is one allocation about the size of its minified text. Readers ask for
//! [`Body::json`] and get the tree back, decoded once and kept by each thread in a small
//! cache, so the rules reading one resource and its neighbours decode each of them once.
//!
//! Two things make the encoding small: object keys are interned once for the process
//! (a tenant's rows repeat a few hundred keys), and a string that starts like one of the
//! last few long strings before it in the same body (ids: `/subscriptions/…/
//! resourceGroups/…/providers/…`) stores only which, the length of the shared start and
//! the rest.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use serde_json::{Map, Number, Value};

use super::pointer::push_token;

/// Decoded bodies each thread keeps: the subject of the rules being checked and the
/// resources they follow.
const CACHE_SLOTS: usize = 64;

/// A resource body in ARM REST shape.
#[derive(Clone)]
pub struct Body(Inner);

#[derive(Clone)]
enum Inner {
    Tree(Arc<Value>),
    Packed(Packed),
}

/// The encoded bytes, and a key no other packing ever gets (the decode cache's key).
#[derive(Clone)]
struct Packed {
    bytes: Box<[u8]>,
    key: u64,
}

impl Body {
    /// The body as a JSON tree: shared when not packed, else decoded (or taken from this
    /// thread's cache of recently decoded bodies).
    pub fn json(&self) -> Arc<Value> {
        match &self.0 {
            Inner::Tree(tree) => Arc::clone(tree),
            Inner::Packed(packed) => cached(packed),
        }
    }

    /// The tree to change in place, unpacked first when packed.
    pub fn make_mut(&mut self) -> &mut Value {
        if let Inner::Packed(packed) = &self.0 {
            self.0 = Inner::Tree(Arc::new(decode_all(&packed.bytes)));
        }
        match &mut self.0 {
            Inner::Tree(tree) => Arc::make_mut(tree),
            Inner::Packed(_) => unreachable!("unpacked above"),
        }
    }

    /// Packs the body (a no-op when it already is).
    pub fn pack(&mut self) {
        if let Inner::Tree(tree) = &self.0 {
            let mut bytes = Vec::new();
            Encoder::default().value(tree, &mut bytes);
            self.0 = Inner::Packed(Packed {
                bytes: bytes.into_boxed_slice(),
                key: NEXT_KEY.fetch_add(1, Ordering::Relaxed),
            });
        }
    }

    /// Every string in the body with its JSON pointer, read without unpacking it.
    pub fn strings(&self, mut visit: impl FnMut(&str, &str)) {
        let mut pointer = String::new();
        match &self.0 {
            Inner::Tree(tree) => tree_strings(tree, &mut pointer, &mut visit),
            Inner::Packed(packed) => {
                let keys = KEYS.read().unwrap_or_else(PoisonError::into_inner);
                Reader::new(&packed.bytes, &keys.names).strings(&mut pointer, &mut visit);
            }
        }
    }
}

impl From<Value> for Body {
    fn from(value: Value) -> Body {
        Body(Inner::Tree(Arc::new(value)))
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.json().fmt(f)
    }
}

static NEXT_KEY: AtomicU64 = AtomicU64::new(0);

/// A slot of the decode cache: a packing's key and its tree.
type Slot = Option<(u64, Arc<Value>)>;

thread_local! {
    static CACHE: RefCell<Vec<Slot>> = RefCell::new(vec![None; CACHE_SLOTS]);
}

/// The decoded tree of `packed`, from this thread's cache when it is there.
fn cached(packed: &Packed) -> Arc<Value> {
    let slot = (packed.key % CACHE_SLOTS as u64) as usize;
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((key, tree)) = &cache[slot] {
            if *key == packed.key {
                return Arc::clone(tree);
            }
        }
        let tree = Arc::new(decode_all(&packed.bytes));
        cache[slot] = Some((packed.key, Arc::clone(&tree)));
        tree
    })
}

/// Object keys by number, for the whole process.
#[derive(Default)]
struct Keys {
    numbers: HashMap<Arc<str>, u32, foldhash::fast::RandomState>,
    names: Vec<Arc<str>>,
}

static KEYS: LazyLock<RwLock<Keys>> = LazyLock::new(RwLock::default);

thread_local! {
    /// This thread's copy of the key numbers it has used, read without a lock.
    static KEY_NUMBERS: RefCell<HashMap<Arc<str>, u32, foldhash::fast::RandomState>> =
        RefCell::default();
}

/// The number of an object key, interned on first sight.
fn key_number(key: &str) -> u32 {
    if let Some(n) = KEY_NUMBERS.with(|local| local.borrow().get(key).copied()) {
        return n;
    }
    let n = {
        let mut keys = KEYS.write().unwrap_or_else(PoisonError::into_inner);
        match keys.numbers.get(key) {
            Some(&n) => n,
            None => {
                let n = keys.names.len() as u32;
                let name: Arc<str> = Arc::from(key);
                keys.names.push(Arc::clone(&name));
                keys.numbers.insert(name, n);
                n
            }
        }
    };
    KEY_NUMBERS.with(|local| local.borrow_mut().insert(Arc::from(key), n));
    n
}

/// Strings shorter than this are never the base of a shared start.
const BASE_MIN: usize = 16;
/// How many recent long strings a string may share its start with.
const BASES: usize = 4;
/// Shared starts shorter than this are not worth a reference.
const SHARED_MIN: usize = 8;

// The first byte of every encoded value: what follows it.
const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const UNSIGNED: u8 = 3;
const SIGNED: u8 = 4;
const FLOAT: u8 = 5;
const STRING: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;
const SHARED_STRING: u8 = 9;

/// Writes values: a tag byte, then for numbers their 8 bytes (unsigned as a varint), for
/// strings the length and bytes (or the shared start's length, then the rest), for arrays
/// and objects the count and byte length of what follows (so a reader can skip them) and
/// the items, each key as its interned number.
#[derive(Default)]
struct Encoder {
    bases: Bases,
}

/// The last [`BASES`] strings of at least [`BASE_MIN`] bytes, the next to replace at
/// `next`: what a later string may share its start with.
#[derive(Default)]
struct Bases {
    strings: [String; BASES],
    next: usize,
}

impl Bases {
    /// The base sharing the longest start with `s`, and that length.
    fn best(&self, s: &str) -> (usize, usize) {
        (0..BASES)
            .map(|i| (i, shared_start(&self.strings[i], s)))
            .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))
            .unwrap_or((0, 0))
    }

    fn get(&self, base: usize, shared: usize) -> &str {
        self.strings
            .get(base)
            .and_then(|b| b.get(..shared))
            .unwrap_or_default()
    }

    /// Records `s` as a base when it is long enough.
    fn saw(&mut self, s: &str) {
        if s.len() >= BASE_MIN {
            s.clone_into(&mut self.strings[self.next]);
            self.next = (self.next + 1) % BASES;
        }
    }
}

impl Encoder {
    fn value(&mut self, value: &Value, out: &mut Vec<u8>) {
        match value {
            Value::Null => out.push(NULL),
            Value::Bool(false) => out.push(FALSE),
            Value::Bool(true) => out.push(TRUE),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    out.push(UNSIGNED);
                    varint(u, out);
                } else if let Some(i) = n.as_i64() {
                    out.push(SIGNED);
                    out.extend_from_slice(&i.to_le_bytes());
                } else {
                    out.push(FLOAT);
                    out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
                }
            }
            Value::String(s) => self.string(s, out),
            Value::Array(items) => {
                let mut inner = Vec::new();
                items.iter().for_each(|item| self.value(item, &mut inner));
                container(ARRAY, items.len(), &inner, out);
            }
            Value::Object(map) => {
                let mut inner = Vec::new();
                for (key, item) in map {
                    varint(u64::from(key_number(key)), &mut inner);
                    self.value(item, &mut inner);
                }
                container(OBJECT, map.len(), &inner, out);
            }
        }
    }

    fn string(&mut self, s: &str, out: &mut Vec<u8>) {
        let (base, shared) = self.bases.best(s);
        if shared >= SHARED_MIN {
            out.push(SHARED_STRING);
            out.push(base as u8);
            varint(shared as u64, out);
            text(&s[shared..], out);
        } else {
            out.push(STRING);
            text(s, out);
        }
        self.bases.saw(s);
    }
}

/// The byte length of the longest common start of `a` and `b`, on a character boundary.
fn shared_start(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// A container: tag, count, then the byte length of the items and the items.
fn container(tag: u8, count: usize, inner: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    varint(count as u64, out);
    varint(inner.len() as u64, out);
    out.extend_from_slice(inner);
}

fn text(s: &str, out: &mut Vec<u8>) {
    varint(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

/// LEB128.
fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn decode_all(bytes: &[u8]) -> Value {
    let keys = KEYS.read().unwrap_or_else(PoisonError::into_inner);
    Reader::new(bytes, &keys.names).value()
}

/// Reads what [`Encoder`] wrote; the bytes are always its own, so a short read is a bug,
/// answered with `null` rather than a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    names: &'a [Arc<str>],
    bases: Bases,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], names: &'a [Arc<str>]) -> Reader<'a> {
        Reader {
            bytes,
            at: 0,
            names,
            bases: Bases::default(),
        }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(NULL);
        self.at += 1;
        b
    }

    fn varint(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 || shift > 63 {
                return n;
            }
            shift += 7;
        }
    }

    fn eight(&mut self) -> [u8; 8] {
        let mut b = [0u8; 8];
        if let Some(s) = self.bytes.get(self.at..self.at + 8) {
            b.copy_from_slice(s);
        }
        self.at += 8;
        b
    }

    fn text(&mut self) -> &'a str {
        let len = self.varint() as usize;
        let s = self
            .bytes
            .get(self.at..self.at + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default();
        self.at += len;
        s
    }

    fn key(&mut self) -> &'a str {
        let n = self.varint() as usize;
        self.names.get(n).map_or("", |name| name)
    }

    /// The string after a `STRING` or `SHARED_STRING` tag.
    fn string(&mut self, tag: u8) -> String {
        let s = if tag == SHARED_STRING {
            let base = usize::from(self.byte());
            let shared = self.varint() as usize;
            let mut s = self.bases.get(base, shared).to_owned();
            s.push_str(self.text());
            s
        } else {
            self.text().to_owned()
        };
        self.bases.saw(&s);
        s
    }

    fn value(&mut self) -> Value {
        match self.byte() {
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            UNSIGNED => Value::Number(self.varint().into()),
            SIGNED => Value::Number(i64::from_le_bytes(self.eight()).into()),
            FLOAT => Number::from_f64(f64::from_le_bytes(self.eight()))
                .map_or(Value::Null, Value::Number),
            tag @ (STRING | SHARED_STRING) => Value::String(self.string(tag)),
            ARRAY => {
                let count = self.varint() as usize;
                self.varint();
                let mut items = Vec::with_capacity(count.min(self.bytes.len()));
                for _ in 0..count {
                    items.push(self.value());
                }
                Value::Array(items)
            }
            OBJECT => {
                let count = self.varint() as usize;
                self.varint();
                let mut map = Map::with_capacity(count.min(self.bytes.len()));
                for _ in 0..count {
                    let key = self.key().to_owned();
                    let item = self.value();
                    map.insert(key, item);
                }
                Value::Object(map)
            }
            _ => Value::Null,
        }
    }

    /// Visits every string below here with its pointer (`pointer` is restored).
    fn strings(&mut self, pointer: &mut String, visit: &mut impl FnMut(&str, &str)) {
        match self.byte() {
            UNSIGNED => {
                self.varint();
            }
            SIGNED | FLOAT => self.at += 8,
            tag @ (STRING | SHARED_STRING) => visit(pointer, &self.string(tag)),
            ARRAY => {
                let count = self.varint();
                self.varint();
                for i in 0..count {
                    let len = pointer.len();
                    let _ = write!(pointer, "/{i}");
                    self.strings(pointer, visit);
                    pointer.truncate(len);
                }
            }
            OBJECT => {
                let count = self.varint();
                self.varint();
                for _ in 0..count {
                    let key = self.key();
                    let len = pointer.len();
                    push_token(pointer, key);
                    self.strings(pointer, visit);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
}

fn tree_strings(value: &Value, pointer: &mut String, visit: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(s) => visit(pointer, s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                let _ = write!(pointer, "/{i}");
                tree_strings(item, pointer, visit);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = pointer.len();
                push_token(pointer, key);
                tree_strings(item, pointer, visit);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "name": "sa",
            "properties": {
                "n": 0, "big": u64::MAX, "neg": -5, "f": 1.5, "t": true, "f2": false,
                "nothing": null, "a/b~c": "escaped",
                "list": [{"id": "/x"}, [], {}, "é"],
            },
            "zz": "last", "aa": "order kept",
        })
    }

    #[test]
    fn packing_round_trips_exactly_in_order() {
        let mut body = Body::from(sample());
        body.pack();
        let back = body.json();
        assert_eq!(*back, sample());
        let keys: Vec<&String> = back.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "properties", "zz", "aa"]);
    }

    #[test]
    fn strings_are_visited_alike_packed_or_not() {
        let collect = |body: &Body| {
            let mut seen = Vec::new();
            body.strings(|p, s| seen.push((p.to_owned(), s.to_owned())));
            seen
        };
        let mut body = Body::from(sample());
        let tree = collect(&body);
        body.pack();
        assert_eq!(collect(&body), tree);
        assert!(tree.contains(&("/properties/a~1b~0c".into(), "escaped".into())));
        assert!(tree.contains(&("/properties/list/0/id".into(), "/x".into())));
    }

    #[test]
    fn ids_sharing_a_start_are_stored_once_and_read_back_whole() {
        let group = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";
        let ids: Vec<String> = (0..20).map(|i| format!("{group}/x/n{i}")).collect();
        let value = json!({"ids": ids, "short": "/subscriptions/s", "é": "ééééééééé/a"});
        let mut body = Body::from(value.clone());
        body.pack();
        assert_eq!(*body.json(), value);
        let Inner::Packed(packed) = &body.0 else {
            panic!("packed")
        };
        // Written out, the ids alone take 20 × 77 bytes.
        assert!(packed.bytes.len() < 300, "{}", packed.bytes.len());
    }

    /// A random tree from a seed: nested objects and arrays, numbers of every kind, and
    /// strings that share starts with each other (ids) or not, some of them multibyte.
    fn random(seed: &mut u64, depth: u32) -> Value {
        fn next_of(seed: &mut u64, n: u64) -> u64 {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) % n
        }
        let stems = [
            "/subscriptions/s/resourceGroups/rg/providers/",
            "é/ü/ß/ñ-",
            "x",
        ];
        let next = |seed: &mut u64, n| next_of(seed, n);
        match next(seed, if depth == 0 { 6 } else { 8 }) {
            0 => Value::Null,
            1 => Value::Bool(next(seed, 2) == 1),
            2 => json!(next(seed, 1 << 40) as i64 - (1 << 39)),
            3 => json!(next(seed, 1000) as f64 / 7.0),
            4 | 5 => {
                let stem = stems[next(seed, 3) as usize];
                json!(format!("{stem}{}", next(seed, 50)))
            }
            6 => Value::Array(
                (0..next(seed, 5))
                    .map(|_| random(seed, depth - 1))
                    .collect(),
            ),
            _ => {
                let mut map = Map::new();
                for _ in 0..next(seed, 6) {
                    let key = format!("k{}", next(seed, 12));
                    let item = random(seed, depth - 1);
                    map.insert(key, item);
                }
                Value::Object(map)
            }
        }
    }

    #[test]
    fn random_trees_round_trip() {
        let mut seed = 7;
        for _ in 0..2000 {
            let value = random(&mut seed, 4);
            let mut body = Body::from(value.clone());
            let mut before = Vec::new();
            body.strings(|p, s| before.push((p.to_owned(), s.to_owned())));
            body.pack();
            assert_eq!(*body.json(), value);
            let mut after = Vec::new();
            body.strings(|p, s| after.push((p.to_owned(), s.to_owned())));
            assert_eq!(after, before);
        }
    }

    #[test]
    fn make_mut_unpacks_and_the_cache_never_serves_a_stale_tree() {
        let mut body = Body::from(json!({"a": 1}));
        body.pack();
        assert_eq!(body.json()["a"], 1);
        body.make_mut()["a"] = json!(2);
        assert_eq!(body.json()["a"], 2);
        body.pack();
        assert_eq!(body.json()["a"], 2);
        let mut other = Body::from(json!({"a": 3}));
        other.pack();
        assert_eq!(other.json()["a"], 3);
        assert_eq!(body.json()["a"], 2);
    }
}
