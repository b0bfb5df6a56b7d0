//! Three-valued results of evaluating a condition, with the evidence behind them.

use crate::model::ResourceIndex;

/// Whether a condition holds. `Unknown` when it depends on a value that cannot be known
/// statically: a rule never fires on an unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Cannot be decided statically.
    Unknown,
}

impl From<bool> for Truth {
    fn from(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    /// Logical negation; unknown stays unknown.
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// A place in a resource that a verdict rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The resource.
    pub resource: ResourceIndex,
    /// JSON pointer into its body (`""` for the resource as a whole).
    pub pointer: String,
}

/// A verdict with its evidence, the values a message may quote, and, when unknown, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The verdict.
    pub truth: Truth,
    /// Where the verdict comes from, most telling first.
    pub evidence: Vec<Evidence>,
    /// Named values for the message template (`{ports}`, `{problem}`).
    pub bindings: Vec<(String, String)>,
    /// Why the verdict is unknown.
    pub unknown_reason: Option<String>,
}

impl Outcome {
    /// A verdict without evidence.
    pub fn new(truth: Truth) -> Outcome {
        Outcome {
            truth,
            evidence: Vec::new(),
            bindings: Vec::new(),
            unknown_reason: None,
        }
    }

    /// An unknown verdict and why.
    pub fn unknown(reason: impl Into<String>) -> Outcome {
        Outcome {
            unknown_reason: Some(reason.into()),
            ..Outcome::new(Truth::Unknown)
        }
    }

    /// Adds evidence.
    pub fn with_evidence(mut self, resource: ResourceIndex, pointer: impl Into<String>) -> Outcome {
        self.evidence.push(Evidence {
            resource,
            pointer: pointer.into(),
        });
        self
    }

    /// Adds a binding for the message.
    pub fn with_binding(mut self, key: &str, value: impl Into<String>) -> Outcome {
        self.bindings.push((key.to_owned(), value.into()));
        self
    }

    /// Takes evidence, bindings and the unknown reason of `other` after this one's.
    pub fn absorb(&mut self, other: Outcome) {
        self.evidence.extend(other.evidence);
        self.bindings.extend(other.bindings);
        if self.unknown_reason.is_none() {
            self.unknown_reason = other.unknown_reason;
        }
    }

    /// The verdict negated, evidence kept.
    pub fn negate(mut self) -> Outcome {
        self.truth = !self.truth;
        self
    }

    /// Combines outcomes existentially: true if any is, else unknown if any is, else false.
    /// Evidence comes from the outcomes that decided the verdict.
    pub fn any(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
        Outcome::fold(outcomes, Truth::True, Truth::False)
    }

    /// Combines outcomes universally: false if any is, else unknown if any is, else true.
    pub fn all(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
        Outcome::fold(outcomes, Truth::False, Truth::True)
    }

    fn fold(
        outcomes: impl IntoIterator<Item = Outcome>,
        decisive: Truth,
        otherwise: Truth,
    ) -> Outcome {
        let mut decided = Outcome::new(decisive);
        let mut unknown = Outcome::new(Truth::Unknown);
        let mut rest = Outcome::new(otherwise);
        let (mut any_decisive, mut any_unknown) = (false, false);
        for o in outcomes {
            match o.truth {
                t if t == decisive => {
                    any_decisive = true;
                    decided.absorb(o);
                }
                Truth::Unknown => {
                    any_unknown = true;
                    unknown.absorb(o);
                }
                _ => rest.absorb(o),
            }
        }
        if any_decisive {
            decided
        } else if any_unknown {
            unknown
        } else {
            rest
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_and_all_are_three_valued() {
        let t = || Outcome::new(Truth::True).with_evidence(0, "/t");
        let f = || Outcome::new(Truth::False).with_evidence(0, "/f");
        let u = || Outcome::unknown("var.x has no value");
        assert_eq!(Outcome::any([f(), u()]).truth, Truth::Unknown);
        assert_eq!(Outcome::any([f(), t()]).evidence[0].pointer, "/t");
        assert_eq!(Outcome::all([t(), u()]).truth, Truth::Unknown);
        assert_eq!(
            Outcome::all([t(), f()]).evidence,
            vec![Evidence {
                resource: 0,
                pointer: "/f".into()
            }]
        );
        assert_eq!(Outcome::all([u(), f()]).truth, Truth::False);
        assert_eq!(Outcome::all([]).truth, Truth::True);
        assert_eq!(Outcome::any([]).truth, Truth::False);
        assert_eq!(
            Outcome::all([t(), u()]).unknown_reason.as_deref(),
            Some("var.x has no value")
        );
    }
}
