//! The `az` command that fixes a live resource: the rule's `remediation_az` template with
//! `{id}`, `{name}` and `{resource_group}` filled in from the finding, each value quoted
//! for a POSIX shell unless it is plainly safe (the export chooses the names).

use super::doc::DocResource;
use crate::engine::Rule;

/// A value as one shell word: as is when made only of safe characters, else single-quoted.
pub fn shell_word(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c));
    if safe {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The command for a live resource, when the rule has one; none for resources read from
/// code (they are fixed in the code).
pub fn command(rule: Option<&Rule>, resource: &DocResource) -> Option<String> {
    let template = rule?.remediation_az.as_deref()?;
    if !resource.is_live() {
        return None;
    }
    let name = resource.id.rsplit('/').next().unwrap_or(&resource.name);
    Some(
        template
            .replace("{id}", &shell_word(&resource.id))
            .replace("{name}", &shell_word(name))
            .replace("{resource_group}", &shell_word(&resource.resource_group())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_values_are_one_quoted_word() {
        assert_eq!(shell_word("rg-app_1"), "rg-app_1");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
