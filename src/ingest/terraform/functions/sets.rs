//! Set functions; sets are lists without duplicates, in first-seen order.

use super::args::{self, MAX_ELEMENTS};
use super::{EvalError, EvalResult, Func};
use crate::eval::value::Value;

/// The set functions by name.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(Func::Strict(match name {
        "setunion" => setunion,
        "setintersection" => setintersection,
        "setsubtract" => setsubtract,
        "setproduct" => setproduct,
        _ => return None,
    }))
}

fn sets(args: &[Value]) -> Result<Vec<&[Value]>, EvalError> {
    if args.is_empty() {
        return Err(EvalError);
    }
    args.iter().map(args::list).collect()
}

fn setunion(args: &[Value]) -> EvalResult {
    let all = sets(args)?.into_iter().flatten().cloned();
    Ok(Value::List(args::distinct(all)))
}

fn setintersection(args: &[Value]) -> EvalResult {
    let sets = sets(args)?;
    let (first, rest) = sets.split_first().ok_or(EvalError)?;
    let common = first
        .iter()
        .filter(|v| rest.iter().all(|s| s.contains(v)))
        .cloned();
    Ok(Value::List(args::distinct(common)))
}

fn setsubtract(args: &[Value]) -> EvalResult {
    let [a, b] = args else { return Err(EvalError) };
    let (a, b) = (args::list(a)?, args::list(b)?);
    Ok(Value::List(args::distinct(
        a.iter().filter(|v| !b.contains(v)).cloned(),
    )))
}

/// `setproduct(sets...)`: every combination, as lists.
fn setproduct(args: &[Value]) -> EvalResult {
    let sets: Vec<Vec<Value>> = sets(args)?
        .into_iter()
        .map(|s| args::distinct(s.to_vec()))
        .collect();
    let fits = sets
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.len()))
        .is_some_and(|n| n <= MAX_ELEMENTS);
    if !fits {
        return Err(EvalError);
    }
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for set in &sets {
        out = out
            .iter()
            .flat_map(|prefix| {
                set.iter().map(move |v| {
                    let mut combo = prefix.clone();
                    combo.push(v.clone());
                    combo
                })
            })
            .collect();
    }
    Ok(Value::List(out.into_iter().map(Value::List).collect()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, strs};
    use crate::eval::value::Value;

    #[test]
    fn set_operations() {
        let (ab, bc) = (strs(&["a", "b"]), strs(&["b", "c"]));
        assert_eq!(
            run("setunion", vec![ab.clone(), bc.clone()]),
            Some(strs(&["a", "b", "c"]))
        );
        assert_eq!(
            run("setintersection", vec![ab.clone(), bc.clone()]),
            Some(strs(&["b"]))
        );
        assert_eq!(
            run("setsubtract", vec![ab.clone(), bc.clone()]),
            Some(strs(&["a"]))
        );
        let product = run("setproduct", vec![ab, strs(&["x"])]);
        assert_eq!(
            product,
            Some(Value::List(vec![strs(&["a", "x"]), strs(&["b", "x"])]))
        );
        let big = Value::List((0..2000).map(|i| Value::Number(i as f64)).collect());
        assert_eq!(run("setproduct", vec![big.clone(), big]), None);
    }
}
