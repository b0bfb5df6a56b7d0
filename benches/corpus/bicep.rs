//! A generated Bicep corpus for the benchmarks: one root file per spoke (its own deployment
//! unit) declaring a network, an NSG with a looped management rule, a storage account, a
//! key vault, private DNS zones and links, and a private endpoint with a zone group per
//! service, the endpoints and zones declared with `for` loops over a shared list. About
//! one spoke in five leaves its storage account public (one violation), chosen by a fixed
//! hash so every run writes the same files.

use std::fs;
use std::io;
use std::path::Path;

/// Resource instances in one spoke file.
pub const SPOKE_RESOURCES: usize = 12;

/// What [`write`] produced.
pub struct Written {
    /// Resource instances declared (after loops).
    pub resources: usize,
    /// Instances written with a violation.
    pub violations: usize,
}

/// Writes about `target` resources into `dir`, a hundred spoke files per folder.
pub fn write(dir: &Path, target: usize) -> io::Result<Written> {
    let spokes = target.div_ceil(SPOKE_RESOURCES).max(1);
    let mut violations = 0;
    for n in 0..spokes {
        let folder = dir.join(format!("batch-{:04}", n / 100));
        fs::create_dir_all(&folder)?;
        let public =
            ((n as u64 ^ 0xb1c3).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40).is_multiple_of(5);
        violations += usize::from(public);
        let text = SPOKE
            .replace("@N", &format!("{n:06}"))
            .replace("@PUBLIC", if public { "Enabled" } else { "Disabled" })
            .replace("@ACTION", if public { "Allow" } else { "Deny" });
        fs::write(folder.join(format!("spoke-{n:06}.bicep")), text)?;
    }
    Ok(Written {
        resources: spokes * SPOKE_RESOURCES,
        violations,
    })
}

const SPOKE: &str = r#"// spoke @N
param location string = resourceGroup().location
param prefix string = 'sp@N'
param services array = [
  { name: 'blob', zone: 'privatelink.blob.${environment().suffixes.storage}' }
  { name: 'vault', zone: 'privatelink.vaultcore.azure.net' }
]

var tags = { env: 'prod', spoke: prefix }

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-04-01' = {
  name: 'nsg-${prefix}'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'AllowHttpsFromVnet'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourcePortRange: '*'
          destinationPortRange: '443'
          sourceAddressPrefix: 'VirtualNetwork'
          destinationAddressPrefix: '*'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: 'vnet-${prefix}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/24'] }
    subnets: [
      {
        name: 'snet-pe'
        properties: { addressPrefix: '10.0.0.0/26', privateEndpointNetworkPolicies: 'Disabled' }
      }
      {
        name: 'snet-work'
        properties: { addressPrefix: '10.0.0.64/26', networkSecurityGroup: { id: nsg.id } }
      }
    ]
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: toLower('st${prefix}data')
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  tags: tags
  properties: {
    publicNetworkAccess: '@PUBLIC'
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    networkAcls: { bypass: 'AzureServices', defaultAction: '@ACTION' }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${prefix}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    publicNetworkAccess: 'Disabled'
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny' }
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for s in services: {
  name: s.zone
  location: 'global'
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (s, i) in services: {
  parent: zones[i]
  name: 'link-${prefix}'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}]

resource endpoints 'Microsoft.Network/privateEndpoints@2023-04-01' = [for (s, i) in services: {
  name: 'pe-${prefix}-${s.name}'
  location: location
  properties: {
    subnet: { id: '${vnet.id}/subnets/snet-pe' }
    privateLinkServiceConnections: [
      {
        name: 'psc-${s.name}'
        properties: {
          privateLinkServiceId: i == 0 ? storage.id : vault.id
          groupIds: [s.name]
        }
      }
    ]
  }
}]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-04-01' = [for (s, i) in services: {
  parent: endpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: replace(s.zone, '.', '-')
        properties: { privateDnsZoneId: zones[i].id }
      }
    ]
  }
}]
"#;
