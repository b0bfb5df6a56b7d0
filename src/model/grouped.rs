//! Items grouped by an owner index in one vector with offsets (compressed sparse rows):
//! a relation from every resource costs one offset per resource and one slot per item,
//! not a map entry and a vector per owner.

/// Items per owner `0..owners`; see [`Grouped::new`].
#[derive(Debug)]
pub struct Grouped<T> {
    /// Owner `i`'s items are `items[start[i]..start[i + 1]]`.
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Grouped<T> {
    fn default() -> Self {
        Grouped {
            start: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T> Grouped<T> {
    /// Groups `(owner, item)` pairs for owners `0..owners` (others are dropped), each
    /// owner's items in the order given.
    pub fn new(owners: usize, mut pairs: Vec<(usize, T)>) -> Grouped<T> {
        pairs.retain(|(owner, _)| *owner < owners);
        // Stable: the order within an owner is kept.
        pairs.sort_by_key(|(owner, _)| *owner);
        let offset = |n: usize| u32::try_from(n).expect("fewer than 2^32 grouped items");
        let mut start = Vec::with_capacity(owners + 1);
        let mut at = 0;
        for owner in 0..owners {
            start.push(offset(at));
            while pairs.get(at).is_some_and(|(o, _)| *o == owner) {
                at += 1;
            }
        }
        start.push(offset(at));
        Grouped {
            start,
            items: pairs.into_iter().map(|(_, item)| item).collect(),
        }
    }

    /// The items of `owner`; none for an owner out of range.
    pub fn get(&self, owner: usize) -> &[T] {
        match (self.start.get(owner), self.start.get(owner + 1)) {
            (Some(&from), Some(&to)) => &self.items[from as usize..to as usize],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_their_order_and_empty_owners_have_none() {
        let grouped = Grouped::new(4, vec![(2, 'a'), (0, 'b'), (2, 'c'), (9, 'x'), (0, 'd')]);
        assert_eq!(grouped.get(0), ['b', 'd']);
        assert_eq!(grouped.get(1), [] as [char; 0]);
        assert_eq!(grouped.get(2), ['a', 'c']);
        assert_eq!(grouped.get(3), [] as [char; 0]);
        assert_eq!(grouped.get(4), [] as [char; 0]);
        assert_eq!(Grouped::<char>::default().get(0), [] as [char; 0]);
    }
}
