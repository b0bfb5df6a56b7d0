//! The `az` command that fixes a live resource: a rule's `remediation.live` that names
//! `{id}`, `{name}` or `{resource_group}` is a command template, filled in from the
//! finding's resource, each value quoted for a POSIX shell unless it is plainly safe (the
//! export chooses the names).

use super::doc::DocResource;
use crate::engine::Rule;
use crate::model::SourceFormat;

/// The placeholders a live remediation may name.
const PLACEHOLDERS: [&str; 3] = ["{id}", "{name}", "{resource_group}"];

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

/// Whether a live remediation is a command template.
fn is_template(live: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| live.contains(p))
}

/// `template` with the resource's id, name (the id's last segment) and resource group.
fn fill(template: &str, id: &str, fallback_name: &str, resource_group: &str) -> String {
    let name = id
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(fallback_name);
    template
        .replace("{id}", &shell_word(id))
        .replace("{name}", &shell_word(name))
        .replace("{resource_group}", &shell_word(resource_group))
}

/// The command for a live resource, when the rule's live remediation is a template; none
/// for resources read from code (they are fixed in the code).
pub fn command(rule: Option<&Rule>, resource: &DocResource) -> Option<String> {
    let template = rule?.remediation.live.trim_end();
    if !resource.is_live() || !is_template(template) {
        return None;
    }
    Some(fill(
        template,
        &resource.id,
        &resource.name,
        &resource.resource_group(),
    ))
}

/// The rule's remediation for a finding from `format`, with a live template filled in from
/// the resource's ARM id.
pub fn remediation(rule: &Rule, format: SourceFormat, id: &str) -> String {
    let text = rule.remediation.for_format(format).trim_end();
    if format != SourceFormat::Snapshot || !is_template(text) {
        return text.to_owned();
    }
    let group = crate::model::id::resource_group(id).unwrap_or("<resource-group>");
    fill(text, id, "<name>", group)
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

    #[test]
    fn a_live_template_is_filled_from_the_id() {
        let id = "/subscriptions/s/resourceGroups/rg 1/providers/Microsoft.KeyVault/vaults/kv1";
        assert_eq!(
            fill(
                "az x --name {name} -g {resource_group} --ids {id}",
                id,
                "",
                "rg 1"
            ),
            format!("az x --name kv1 -g 'rg 1' --ids '{id}'")
        );
        assert!(is_template("az x --ids {id}"));
        assert!(!is_template("az x --name <vault>"));
    }
}
