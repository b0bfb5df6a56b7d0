//! Rule selection, ruff-style: `select` and `ignore` hold rule ids or id prefixes
//! (`nsg`, `storage-`); the most specific matching entry decides, `ignore` winning a tie.

/// Compiled `select` / `ignore` lists.
#[derive(Debug)]
pub struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    /// Checks every entry matches at least one of `ids`.
    pub fn new(select: &[String], ignore: &[String], ids: &[&str]) -> Result<Selection, String> {
        let clean = |list: &[String], what: &str| -> Result<Vec<String>, String> {
            list.iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .map(|s| {
                    if s.eq_ignore_ascii_case("all") || ids.iter().any(|id| id.starts_with(&s)) {
                        Ok(s)
                    } else {
                        Err(format!(
                            "{what} '{s}' matches no rule; `moat rules list` shows them"
                        ))
                    }
                })
                .collect()
        };
        Ok(Selection {
            select: clean(select, "select")?,
            ignore: clean(ignore, "ignore")?,
        })
    }

    /// Whether the rule runs.
    pub fn selects(&self, id: &str) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| p.eq_ignore_ascii_case("all") || id.starts_with(p.as_str()))
                .map(|p| {
                    if p.eq_ignore_ascii_case("all") {
                        0
                    } else {
                        p.len()
                    }
                })
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &[
        "nsg-open-inbound",
        "storage-public-access",
        "acr-public-access",
    ];

    fn sel(select: &[&str], ignore: &[&str]) -> Selection {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::new(&own(select), &own(ignore), IDS).expect("valid")
    }

    #[test]
    fn the_most_specific_entry_wins() {
        assert!(sel(&[], &[]).selects("acr-public-access"));
        assert!(!sel(&["nsg"], &[]).selects("acr-public-access"));
        assert!(sel(&["nsg"], &[]).selects("nsg-open-inbound"));
        assert!(!sel(&[], &["acr"]).selects("acr-public-access"));
        assert!(sel(&["acr-public-access"], &["acr"]).selects("acr-public-access"));
        assert!(!sel(&["acr"], &["acr-public-access"]).selects("acr-public-access"));
        assert!(!sel(&["ALL"], &["storage"]).selects("storage-public-access"));
    }

    #[test]
    fn unknown_selectors_are_errors() {
        let err = Selection::new(&["nsq".into()], &[], IDS).expect_err("typo");
        assert!(err.contains("'nsq'"));
    }
}
