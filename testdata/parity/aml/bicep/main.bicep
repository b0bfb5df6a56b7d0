// Azure ML workspace with private storage, registry and DNS: the Bicep rendering of moat's
// parity deployment. Every name derives from the prefix, as in the other renderings.
metadata description = 'Azure ML workspace with private storage, registry and DNS.'

@minLength(3)
@maxLength(16)
@description('Short workload name used in resource names.')
param prefix string

param location string = resourceGroup().location

param addressSpace string = '10.60.0.0/16'

@description('Keep the vendor\'s RDP rule (Deny-RDP-Internet shadows it anyway).')
param vendorRdpEnabled bool = false

@allowed([
  'Enabled'
  'Disabled'
])
param workspacePublicNetworkAccess string = 'Enabled'

@secure()
param postgresAdminPassword string

@secure()
param sqlAdminPassword string

param officeIpRange {
  start: string
  end: string
}

param tags object = {}

var compact = replace(prefix, '-', '')
var allTags = union(tags, { managed_by: 'bicep' })
var vnetName = 'vnet-${prefix}'
var privateStorageName = 'st${compact}priv'
var publicStorageName = 'st${compact}pub'
var registryName = 'cr${compact}'
var workspaceName = 'mlw-${prefix}'

var privateDnsZones = [
  'privatelink.blob.core.windows.net'
  'privatelink.file.core.windows.net'
  'privatelink.azurecr.io'
  'privatelink.api.azureml.ms'
  'privatelink.notebooks.azure.net'
]

// One entry per endpoint; the module creates the endpoint and its zone group.
// The workspace's entry lacks privatelink.notebooks.azure.net: nobody added it.
var privateEndpoints = [
  {
    name: 'pe-${privateStorageName}-blob'
    target: privateStorage.id
    groupId: 'blob'
    zones: [
      'privatelink.blob.core.windows.net'
    ]
  }
  {
    name: 'pe-${privateStorageName}-file'
    target: privateStorage.id
    groupId: 'file'
    zones: [
      'privatelink.file.core.windows.net'
    ]
  }
  {
    name: 'pe-${registryName}'
    target: registry.id
    groupId: 'registry'
    zones: [
      'privatelink.azurecr.io'
    ]
  }
  {
    name: 'pe-${workspaceName}'
    target: workspace.id
    groupId: 'amlworkspace'
    zones: [
      'privatelink.api.azureml.ms'
    ]
  }
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-mlw-${prefix}'
  location: location
  tags: allTags
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${prefix}'
  location: location
  kind: 'web'
  tags: allTags
  properties: {
    Application_Type: 'web'
  }
}

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-aml-training'
  location: location
  tags: allTags
  properties: {}

  // Azure ML compute needs this service tag inbound.
  resource allowAzureML 'securityRules' = {
    name: 'AllowAzureMLInbound'
    properties: {
      priority: 100
      direction: 'Inbound'
      access: 'Allow'
      protocol: 'Tcp'
      sourcePortRange: '*'
      destinationPortRange: '44224'
      sourceAddressPrefix: 'AzureMachineLearning'
      destinationAddressPrefix: 'VirtualNetwork'
    }
  }

  resource denyRdp 'securityRules' = {
    name: 'Deny-RDP-Internet'
    properties: {
      priority: 200
      direction: 'Inbound'
      access: 'Deny'
      protocol: '*'
      sourcePortRange: '*'
      destinationPortRange: '3389'
      sourceAddressPrefix: '*'
      destinationAddressPrefix: '*'
    }
  }

  // Debugging access for the data scientists. TODO: remove before go-live.
  resource allowSsh 'securityRules' = {
    name: 'Allow-SSH-Internet'
    properties: {
      priority: 300
      direction: 'Inbound'
      access: 'Allow'
      protocol: 'Tcp'
      sourcePortRange: '*'
      destinationPortRange: '22'
      sourceAddressPrefix: 'Internet'
      destinationAddressPrefix: '*'
    }
  }

  resource allowVendorRdp 'securityRules' = if (vendorRdpEnabled) {
    name: 'Allow-RDP-Vendor'
    properties: {
      priority: 400
      direction: 'Inbound'
      access: 'Allow'
      protocol: 'Tcp'
      sourcePortRange: '*'
      destinationPortRange: '3389'
      sourceAddressPrefix: '*'
      destinationAddressPrefix: '*'
    }
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: vnetName
  location: location
  tags: allTags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressSpace
      ]
    }
    subnets: [
      {
        name: 'snet-training'
        properties: {
          addressPrefix: '10.60.1.0/24'
          networkSecurityGroup: {
            id: nsg.id
          }
        }
      }
      {
        name: 'snet-pe'
        properties: {
          addressPrefix: '10.60.2.0/24'
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

// Declared inline above; referenced here for its id.
resource peSubnet 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' existing = {
  parent: vnet
  name: 'snet-pe'
}

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for zone in privateDnsZones: {
  name: zone
  location: 'global'
  tags: allTags
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (zone, i) in privateDnsZones: {
  parent: zones[i]
  name: 'link-vnet-${prefix}'
  location: 'global'
  tags: allTags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

// Workspace default storage: private, reached through blob and file endpoints.
resource privateStorage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: privateStorageName
  location: location
  tags: allTags
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    publicNetworkAccess: 'Disabled'
  }
}

// Landing zone for partner uploads: nobody restricted it.
resource publicStorage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: publicStorageName
  location: location
  tags: allTags
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${prefix}'
  location: location
  tags: allTags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 30
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: allTags
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: workspaceName
  location: location
  tags: allTags
  sku: {
    name: 'Basic'
    tier: 'Basic'
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    friendlyName: 'AML parity workspace'
    storageAccount: privateStorage.id
    keyVault: keyVault.id
    applicationInsights: insights.id
    containerRegistry: registry.id
    primaryUserAssignedIdentity: identity.id
    publicNetworkAccess: workspacePublicNetworkAccess
  }
}

module endpoints 'modules/private-endpoint.bicep' = [for (pe, i) in privateEndpoints: {
  name: 'endpoint-${i}'
  params: {
    name: pe.name
    location: location
    tags: allTags
    subnetId: peSubnet.id
    targetId: pe.target
    groupId: pe.groupId
    zones: pe.zones
  }
  dependsOn: [
    zones
  ]
}]

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' = {
  name: 'psql-${prefix}'
  location: location
  tags: allTags
  sku: {
    name: 'Standard_D2ds_v5'
    tier: 'GeneralPurpose'
  }
  properties: {
    version: '16'
    administratorLogin: 'pgadmin'
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 64
    }
    availabilityZone: '1'
  }

  // "Temporary" rule from the first load test.
  resource allowAll 'firewallRules' = {
    name: 'AllowAll'
    properties: {
      startIpAddress: '0.0.0.0'
      endIpAddress: '255.255.255.255'
    }
  }
}

resource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql-${prefix}'
  location: location
  tags: allTags
  properties: {
    version: '12.0'
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlAdminPassword
    minimalTlsVersion: '1.2'
  }

  resource allowOffice 'firewallRules' = {
    name: 'AllowOffice'
    properties: {
      startIpAddress: officeIpRange.start
      endIpAddress: officeIpRange.end
    }
  }
}

output workspaceId string = workspace.id
