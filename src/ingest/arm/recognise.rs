//! Tells ARM deployment templates and parameter files from other JSON by their `$schema`.

use serde_json::Value as Json;

/// Where a deployment template deploys to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentScope {
    /// `deploymentTemplate.json`: a resource group.
    ResourceGroup,
    /// `subscriptionDeploymentTemplate.json`.
    Subscription,
    /// `managementGroupDeploymentTemplate.json`.
    ManagementGroup,
    /// `tenantDeploymentTemplate.json`.
    Tenant,
}

/// What an ARM JSON document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArmDocument {
    /// A deployment template for the given scope.
    Template(DeploymentScope),
    /// A deployment parameter file.
    Parameters,
}

/// Recognises a document by the file name its `$schema` URL ends in (any schema version,
/// any case); `None` for JSON that is not ARM.
pub fn recognise(doc: &Json) -> Option<ArmDocument> {
    let schema = doc.get("$schema")?.as_str()?.trim().to_ascii_lowercase();
    let file = schema.trim_end_matches('#').rsplit('/').next()?;
    Some(match file {
        "deploymenttemplate.json" => ArmDocument::Template(DeploymentScope::ResourceGroup),
        "subscriptiondeploymenttemplate.json" => {
            ArmDocument::Template(DeploymentScope::Subscription)
        }
        "managementgroupdeploymenttemplate.json" => {
            ArmDocument::Template(DeploymentScope::ManagementGroup)
        }
        "tenantdeploymenttemplate.json" => ArmDocument::Template(DeploymentScope::Tenant),
        "deploymentparameters.json"
        | "subscriptiondeploymentparameters.json"
        | "managementgroupdeploymentparameters.json"
        | "tenantdeploymentparameters.json" => ArmDocument::Parameters,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn recognises_every_scope_and_parameter_files() {
        let doc = |s: &str| json!({"$schema": s});
        assert_eq!(
            recognise(&doc(
                "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
            )),
            Some(ArmDocument::Template(DeploymentScope::ResourceGroup))
        );
        assert_eq!(
            recognise(&doc("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#")),
            Some(ArmDocument::Template(DeploymentScope::Subscription))
        );
        assert_eq!(
            recognise(&doc("https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#")),
            Some(ArmDocument::Template(DeploymentScope::ManagementGroup))
        );
        assert_eq!(
            recognise(&doc("https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#")),
            Some(ArmDocument::Template(DeploymentScope::Tenant))
        );
        assert_eq!(
            recognise(&doc(
                "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
            )),
            Some(ArmDocument::Parameters)
        );
        assert_eq!(
            recognise(&doc("http://json-schema.org/draft-07/schema#")),
            None
        );
        assert_eq!(recognise(&json!({"name": "x"})), None);
        assert_eq!(recognise(&json!([1])), None);
    }
}
