//! A Terraform network security group open to the internet on SSH, shared by the report
//! format tests.

/// The NSG `label` named `name` (HCL string syntax, escapes allowed), with `comment` (a
/// suppression, or nothing) above its one security rule.
pub fn open_nsg(label: &str, name: &str, comment: &str) -> String {
    format!(
        r#"
resource "azurerm_network_security_group" "{label}" {{
  name                = "{name}"
  location            = "westeurope"
  resource_group_name = "rg"

  {comment}
  security_rule {{
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }}
}}
"#
    )
}
