//! Interned resource types: one allocation per distinct type for the whole scan, shared
//! by every resource of that type (a tenant has a few hundred types and millions of
//! resources).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use foldhash::fast::FixedState;

/// Every type interned so far. Kept until exit: as many types as the inputs name, never
/// more than one copy of each.
static KINDS: Mutex<HashSet<Arc<str>, FixedState>> =
    Mutex::new(HashSet::with_hasher(FixedState::with_seed(0)));

/// The shared copy of a resource type, as written (interning keeps its case).
pub fn kind(name: &str) -> Arc<str> {
    let mut kinds = KINDS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = kinds.get(name) {
        return Arc::clone(known);
    }
    let interned: Arc<str> = name.into();
    kinds.insert(Arc::clone(&interned));
    interned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_per_type_and_case() {
        let a = kind("Contoso.Test/interned");
        let b = kind(&String::from("Contoso.Test/interned"));
        assert!(Arc::ptr_eq(&a, &b));
        let c = kind("contoso.test/interned");
        assert_eq!(&*c, "contoso.test/interned");
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
