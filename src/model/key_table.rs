//! Resource indices keyed by strings the resources already hold (an id, parts of an id),
//! compared without ASCII case. The keys are hashed, never stored: a lookup compares its
//! key with each candidate's own, read back from the resource, so a hash collision costs a
//! comparison, never a wrong answer. A table costs about 9 bytes per member where a map
//! of lowercased copies cost a few hundred.

use std::hash::{BuildHasher, Hasher};

use foldhash::fast::FixedState;
use hashbrown::HashTable;

/// End of a chain of members.
const NONE: u32 = u32::MAX;

/// A key: a deployment unit (`0` where every unit shares the key) and two strings (the
/// second empty when one is enough), compared without ASCII case.
#[derive(Clone, Copy, Debug)]
pub struct Key<'a> {
    unit: u32,
    parts: [&'a str; 2],
}

impl<'a> Key<'a> {
    /// A key of one string in a unit.
    pub fn new(unit: u32, part: &'a str) -> Key<'a> {
        Key {
            unit,
            parts: [part, ""],
        }
    }

    /// A key of two strings in a unit.
    pub fn pair(unit: u32, first: &'a str, second: &'a str) -> Key<'a> {
        Key {
            unit,
            parts: [first, second],
        }
    }

    fn matches(&self, other: &Key<'_>) -> bool {
        self.unit == other.unit
            && self
                .parts
                .iter()
                .zip(other.parts)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

/// Members (indices into some slice) grouped by [`Key`]: the first member added under a
/// key, then the others. `key_of` in every method gives the key of a member added before.
#[derive(Debug, Default)]
pub struct KeyTable<S = FixedState> {
    /// The first member of each key.
    heads: HashTable<u32>,
    /// Per member: the next member with its key, or [`NONE`].
    next: Vec<u32>,
    state: S,
}

impl KeyTable {
    /// An empty table with room for `members` members.
    pub fn with_capacity(members: usize) -> KeyTable {
        KeyTable::with_hasher(members, FixedState::default())
    }
}

impl<S: BuildHasher> KeyTable<S> {
    /// An empty table with room for `members` members, hashing with `state`.
    pub fn with_hasher(members: usize, state: S) -> KeyTable<S> {
        KeyTable {
            heads: HashTable::with_capacity(members),
            next: Vec::with_capacity(members),
            state,
        }
    }

    /// Adds `member` under `key`. Members are below 2³² - 1 (a graph that large would not
    /// fit in memory anyway).
    pub fn insert<'k>(&mut self, member: usize, key: Key<'_>, key_of: impl Fn(usize) -> Key<'k>) {
        let member = u32::try_from(member).expect("fewer than 2^32 - 1 resources");
        let slot = member as usize;
        if self.next.len() <= slot {
            self.next.resize(slot + 1, NONE);
        }
        let key_hash = hash(&self.state, &key);
        match self
            .heads
            .find(key_hash, |&h| key_of(h as usize).matches(&key))
        {
            // After the head: the head stays the first member added.
            Some(&head) => {
                self.next[slot] = self.next[head as usize];
                self.next[head as usize] = member;
            }
            None => {
                let state = &self.state;
                self.heads
                    .insert_unique(key_hash, member, |&h| hash(state, &key_of(h as usize)));
            }
        }
    }

    /// The members added under `key`: the first one added, then the others.
    pub fn get<'k>(&self, key: Key<'_>, key_of: impl Fn(usize) -> Key<'k>) -> Members<'_> {
        let head = self.heads.find(hash(&self.state, &key), |&h| {
            key_of(h as usize).matches(&key)
        });
        Members {
            next: &self.next,
            at: head.copied().unwrap_or(NONE),
        }
    }
}

/// Hashes a key as its lowercased bytes, so that keys equal without case hash alike.
fn hash<S: BuildHasher>(state: &S, key: &Key<'_>) -> u64 {
    let mut hasher = state.build_hasher();
    hasher.write_u32(key.unit);
    let mut buffer = [0u8; 64];
    for part in key.parts {
        for chunk in part.as_bytes().chunks(buffer.len()) {
            let lower = &mut buffer[..chunk.len()];
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            hasher.write(lower);
        }
        // Not a byte of UTF-8: `ab`+`` and `a`+`b` hash apart.
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

/// The members of one key, see [`KeyTable::get`].
pub struct Members<'t> {
    next: &'t [u32],
    at: u32,
}

impl Iterator for Members<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.at == NONE {
            return None;
        }
        let member = self.at as usize;
        self.at = self.next[member];
        Some(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key in one bucket: lookups must tell keys apart by comparing them.
    #[derive(Default)]
    struct Collide;

    struct Zero;

    impl Hasher for Zero {
        fn finish(&self) -> u64 {
            0
        }
        fn write(&mut self, _: &[u8]) {}
    }

    impl BuildHasher for Collide {
        type Hasher = Zero;
        fn build_hasher(&self) -> Zero {
            Zero
        }
    }

    fn table<S: BuildHasher>(keys: &[(u32, &str)], state: S) -> KeyTable<S> {
        let mut table = KeyTable::with_hasher(0, state);
        for (i, (unit, s)) in keys.iter().enumerate() {
            table.insert(i, Key::new(*unit, s), |j| Key::new(keys[j].0, keys[j].1));
        }
        table
    }

    fn members<S: BuildHasher>(
        table: &KeyTable<S>,
        keys: &[(u32, &str)],
        unit: u32,
        s: &str,
    ) -> Vec<usize> {
        table
            .get(Key::new(unit, s), |j| Key::new(keys[j].0, keys[j].1))
            .collect()
    }

    const KEYS: &[(u32, &str)] = &[
        (0, "/subscriptions/s/resourceGroups/RG/x"),
        (0, "/subscriptions/s/resourcegroups/rg/X"),
        (1, "/subscriptions/s/resourceGroups/rg/x"),
        (0, "/subscriptions/s/resourceGroups/rg/y"),
        (0, "/Subscriptions/S/resourceGroups/rg/x"),
        (0, "/subscriptions/s/resourceGroups/rg/é"),
    ];

    fn check<S: BuildHasher>(state: S) {
        let table = table(KEYS, state);
        // Case-insensitive; duplicates in a unit keep the first added first.
        assert_eq!(
            members(&table, KEYS, 0, "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/X"),
            [0, 4, 1]
        );
        // The same id in another unit is another key.
        assert_eq!(
            members(&table, KEYS, 1, "/subscriptions/s/resourceGroups/rg/X"),
            [2]
        );
        assert_eq!(
            members(&table, KEYS, 0, "/subscriptions/s/resourceGroups/rg/Y"),
            [3]
        );
        assert_eq!(members(&table, KEYS, 2, KEYS[0].1), [] as [usize; 0]);
        assert_eq!(
            members(&table, KEYS, 0, "/subscriptions/s/resourceGroups/rg/É"),
            [] as [usize; 0]
        );
        assert_eq!(members(&table, KEYS, 0, KEYS[5].1), [5]);
        assert_eq!(
            members(&table, KEYS, 0, "/subscriptions/s/resourceGroups/rg"),
            [] as [usize; 0]
        );
    }

    #[test]
    fn keys_match_without_case_and_per_unit() {
        check(FixedState::default());
    }

    #[test]
    fn colliding_hashes_never_mix_keys() {
        check(Collide);
    }

    #[test]
    fn two_part_keys_do_not_run_together() {
        let keys = [("ab", ""), ("a", "b")];
        let mut table = KeyTable::with_hasher(2, Collide);
        for (i, (a, b)) in keys.iter().enumerate() {
            table.insert(i, Key::pair(0, a, b), |j| {
                Key::pair(0, keys[j].0, keys[j].1)
            });
        }
        let get = |a, b| -> Vec<usize> {
            table
                .get(Key::pair(0, a, b), |j| Key::pair(0, keys[j].0, keys[j].1))
                .collect()
        };
        assert_eq!(get("AB", ""), [0]);
        assert_eq!(get("A", "B"), [1]);
        assert_eq!(get("", "ab"), [] as [usize; 0]);
    }
}
