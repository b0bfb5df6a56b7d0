//! `no-literal-secret`: a password, key or connection string is not written into the
//! source as a literal. Never quotes the secret: bindings name where it is, not what.

use serde_json::Value;

use super::Predicate;
use crate::engine::outcome::{Outcome, Truth};
use crate::eval::symbolic::is_unknown_text;
use crate::model::{Graph, ResourceIndex};

/// The predicate's name.
pub const NAME: &str = "no-literal-secret";

/// What it says.
pub const DOC: &str = "On VMs, scale sets, database servers, Azure ML computes, Key Vault \
secrets and App Service apps: no administrator password, secret value, secret-named app setting \
(`*PASSWORD*`, `*SECRET*`, `*KEY*`, `*TOKEN*`, `*CONNECTIONSTRING*`, not the Application Insights \
instrumentation key) or connection string carrying a key or password is a literal text. A value \
passed by a variable or parameter without a default, a reference, a function result or a Key Vault \
reference (`@Microsoft.KeyVault(…)`) is not a literal; an ARM/Bicep parameter's default value is. \
False binds `{what}` (where the secret is, never its value).";

/// Fixed places a secret is written, per resource type.
const PLACES: &[(&str, &str, &str)] = &[
    (
        "Microsoft.Compute/virtualMachines",
        "/properties/osProfile/adminPassword",
        "the administrator password",
    ),
    (
        "Microsoft.Compute/virtualMachineScaleSets",
        "/properties/virtualMachineProfile/osProfile/adminPassword",
        "the administrator password",
    ),
    (
        "Microsoft.Sql/servers",
        "/properties/administratorLoginPassword",
        "the administrator password",
    ),
    (
        "Microsoft.Sql/managedInstances",
        "/properties/administratorLoginPassword",
        "the administrator password",
    ),
    (
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "/properties/administratorLoginPassword",
        "the administrator password",
    ),
    (
        "Microsoft.DBforPostgreSQL/servers",
        "/properties/administratorLoginPassword",
        "the administrator password",
    ),
    (
        "Microsoft.DBforMySQL/flexibleServers",
        "/properties/administratorLoginPassword",
        "the administrator password",
    ),
    (
        "Microsoft.DBforMySQL/servers",
        "/properties/administratorLoginPassword",
        "the administrator password",
    ),
    (
        "Microsoft.MachineLearningServices/workspaces/computes",
        "/properties/properties/userAccountCredentials/adminUserPassword",
        "the administrator password",
    ),
    (
        "Microsoft.KeyVault/vaults/secrets",
        "/properties/value",
        "the secret value",
    ),
];

/// Name parts of app settings that hold secrets (compared without `_`, `-`, `.`).
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "key",
    "token",
    "connectionstring",
    "credential",
];

/// Name parts of settings that look secret and are not.
const NOT_SECRET_NAMES: &[&str] = &["instrumentationkey", "keyvault", "keyid", "keyname"];

/// Name endings of settings about a secret rather than holding one
/// (`AzureWebJobsSecretStorageType`, `KEY_VAULT_URI`, `TOKEN_ENABLED`).
const SETTING_SUFFIXES: &[&str] = &[
    "type", "enabled", "name", "uri", "url", "endpoint", "version", "mode", "id",
];

/// Parts of a connection string that carry a credential.
const CREDENTIAL_PARTS: &[&str] = &[
    "accountkey=",
    "password=",
    "pwd=",
    "sharedaccesskey=",
    "sig=",
];

/// The compiled predicate.
pub struct NoLiteralSecret;

impl NoLiteralSecret {
    /// Takes no args.
    pub fn new(args: &Value) -> Result<NoLiteralSecret, String> {
        super::known_args(NAME, args, &[])?;
        Ok(NoLiteralSecret)
    }
}

/// Whether a value is literal text the source wrote (not unknown, not an unevaluated ARM
/// expression, not a Key Vault reference, not empty).
fn is_literal(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let t = text.trim();
    let expression = t.starts_with('[') && t.ends_with(']');
    let vault_reference = t.to_ascii_lowercase().starts_with("@microsoft.keyvault(");
    !(t.is_empty() || is_unknown_text(t) || expression || vault_reference)
}

/// Whether a setting name says it holds a secret.
fn secret_name(name: &str) -> bool {
    let squashed: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ':'))
        .collect::<String>()
        .to_ascii_lowercase();
    SECRET_NAMES.iter().any(|s| squashed.contains(s))
        && !NOT_SECRET_NAMES.iter().any(|s| squashed.contains(s))
        && !SETTING_SUFFIXES.iter().any(|s| squashed.ends_with(s))
}

/// Whether a setting's literal value looks like a secret: a connection string with a
/// credential, or (under a secret name) text that is not a flag or a number.
fn secret_value(name: &str, value: &Value) -> bool {
    if !is_literal(value) {
        return false;
    }
    let text = value.as_str().unwrap_or_default().trim();
    let lower = text.to_ascii_lowercase();
    let credential = CREDENTIAL_PARTS.iter().any(|part| {
        lower.split(';').any(|piece| {
            piece
                .trim()
                .strip_prefix(part)
                .is_some_and(|v| !v.is_empty())
        })
    });
    // Flags, numbers, addresses and connection strings without a credential are settings,
    // whatever their name.
    let plain = matches!(lower.as_str(), "true" | "false")
        || text.parse::<f64>().is_ok()
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.contains('=') && lower.contains(';'));
    credential || (secret_name(name) && !plain)
}

/// Secrets among `{name, value}` settings at `pointer`.
fn settings_list(
    body: &Value,
    pointer: &str,
    value_key: &str,
    label: &str,
) -> Vec<(String, String)> {
    let items = body.pointer(pointer).and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, item)| {
            let name = item.get("name").and_then(Value::as_str).unwrap_or("?");
            let value = item.get(value_key)?;
            secret_value(name, value).then(|| {
                (
                    format!("{pointer}/{i}/{value_key}"),
                    format!("{label} '{name}'"),
                )
            })
        })
        .collect()
}

/// Every place in a resource's body where a literal secret is: (pointer, what).
fn literal_secrets(graph: &Graph, subject: ResourceIndex) -> Vec<(String, String)> {
    let resource = graph.get(subject);
    let body = &*resource.body.json();
    let mut found: Vec<(String, String)> = PLACES
        .iter()
        .filter(|(kind, pointer, _)| {
            resource.is(kind) && body.pointer(pointer).is_some_and(is_literal)
        })
        .map(|(_, pointer, what)| ((*pointer).to_owned(), (*what).to_owned()))
        .collect();
    if resource.is("Microsoft.Web/sites") || resource.is("Microsoft.Web/sites/slots") {
        found.extend(settings_list(
            body,
            "/properties/siteConfig/appSettings",
            "value",
            "app setting",
        ));
        found.extend(settings_list(
            body,
            "/properties/siteConfig/connectionStrings",
            "connectionString",
            "connection string",
        ));
    }
    if resource.is("Microsoft.Web/sites/config") || resource.is("Microsoft.Web/sites/slots/config")
    {
        let config = resource.name.rsplit('/').next().unwrap_or_default();
        let settings = body.pointer("/properties").and_then(Value::as_object);
        for (name, value) in settings.into_iter().flatten() {
            let escaped = name.replace('~', "~0").replace('/', "~1");
            if config.eq_ignore_ascii_case("appsettings") && secret_value(name, value) {
                found.push((
                    format!("/properties/{escaped}"),
                    format!("app setting '{name}'"),
                ));
            }
            if config.eq_ignore_ascii_case("connectionstrings")
                && value.get("value").is_some_and(|v| secret_value(name, v))
            {
                found.push((
                    format!("/properties/{escaped}/value"),
                    format!("connection string '{name}'"),
                ));
            }
        }
    }
    found
}

impl Predicate for NoLiteralSecret {
    fn name(&self) -> &'static str {
        NAME
    }

    fn eval(&self, graph: &Graph, subject: ResourceIndex) -> Outcome {
        let found = literal_secrets(graph, subject);
        if found.is_empty() {
            return Outcome::new(Truth::True);
        }
        let what = found
            .iter()
            .map(|(_, what)| what.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut outcome = Outcome::new(Truth::False).with_binding("what", what);
        for (pointer, _) in found {
            outcome = outcome.with_evidence(subject, pointer);
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::UNKNOWN_MARKER;
    use crate::model::Resource;
    use serde_json::json;

    const SECRET: &str = "Sup3r-S3cret!Value";

    fn eval(kind: &str, name: &str, body: Value) -> Outcome {
        let id = format!("/subscriptions/s/resourceGroups/rg/providers/{kind}/{name}");
        let graph = Graph::new(vec![Resource::test(&id, kind, body)]);
        NoLiteralSecret.eval(&graph, 0)
    }

    #[test]
    fn literal_passwords_fire_without_quoting_them() {
        let o = eval(
            "Microsoft.Compute/virtualMachines",
            "vm",
            json!({"properties": {"osProfile": {"adminPassword": SECRET}}}),
        );
        assert_eq!(o.truth, Truth::False);
        assert_eq!(o.evidence[0].pointer, "/properties/osProfile/adminPassword");
        assert!(o.bindings.iter().all(|(_, v)| !v.contains(SECRET)));
        for unknown in [
            json!(UNKNOWN_MARKER),
            json!(crate::eval::symbolic::marker("adminPassword")),
            json!(""),
            json!("[parameters('adminPassword')]"),
        ] {
            let o = eval(
                "Microsoft.Compute/virtualMachines",
                "vm",
                json!({"properties": {"osProfile": {"adminPassword": unknown}}}),
            );
            assert_eq!(o.truth, Truth::True, "{unknown}");
        }
    }

    #[test]
    fn app_settings_fire_on_secret_names_and_credentials_only() {
        let o = eval(
            "Microsoft.Web/sites",
            "app",
            json!({"properties": {"siteConfig": {"appSettings": [
                {"name": "DB_PASSWORD", "value": SECRET},
                {"name": "APPINSIGHTS_INSTRUMENTATIONKEY", "value": "0000-1111"},
                {"name": "FEATURE_TOKEN_ENABLED", "value": "true"},
                {"name": "STORAGE", "value": format!("DefaultEndpointsProtocol=https;AccountName=a;AccountKey={SECRET}")},
                {"name": "API_KEY", "value": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/k)"},
                {"name": "STORAGE_NO_KEY", "value": "DefaultEndpointsProtocol=https;AccountName=a"},
            ]}}}),
        );
        assert_eq!(o.truth, Truth::False);
        let what = &o.bindings[0].1;
        assert_eq!(what, "app setting 'DB_PASSWORD', app setting 'STORAGE'");
        assert!(!what.contains(SECRET));
        let o = eval(
            "Microsoft.Web/sites/config",
            "app/appsettings",
            json!({"properties": {
                "SECRET_KEY": SECRET,
                "WEBSITE_RUN_FROM_PACKAGE": "1",
                "AzureWebJobsSecretStorageType": "Files",
            }}),
        );
        assert_eq!(o.bindings[0].1, "app setting 'SECRET_KEY'");
    }
}
