// Azure ML workspace with "private" dependencies, as a team actually wrote it.
// It leaks in several places; tests/bicep.rs lists exactly where.
metadata description = 'Azure ML workspace for the contoso data science team'

@maxLength(8)
param prefix string = 'dev'
param location string = resourceGroup().location
@allowed([
  'Enabled'
  'Disabled'
])
param workspacePublicAccess string = 'Enabled'
param registrySku string = 'Basic'
param deploySql bool = true
param deployPostgres bool = false
@secure()
param sqlAdminPassword string
param managementPorts array = [
  { name: 'ssh', port: '22', priority: 300 }
  { name: 'rdp', port: '3389', priority: 310 }
]

type endpointSpec = {
  name: string
  group: string
  zones: string[]
}

var workspaceName = 'mlw-${prefix}'
var storageName = toLower('st${prefix}ml')
var dataLakeName = toLower('st${prefix}lake')
var subnetNames = [
  'snet-pe'
  'snet-compute'
  'snet-data'
]
var zoneNames = [
  'privatelink.blob.${environment().suffixes.storage}'
  'privatelink.file.${environment().suffixes.storage}'
  'privatelink.vaultcore.azure.net'
  'privatelink.azurecr.io'
  'privatelink.api.azureml.ms'
  'privatelink.notebooks.azure.net'
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${workspaceName}'
  location: location
}

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-04-01' = {
  name: 'nsg-${prefix}-ml'
  location: location
  properties: {
    securityRules: [
      {
        name: 'AllowAzureMLInbound'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'AzureMachineLearning'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRange: '44224'
        }
      }
      {
        name: 'AllowHttpsInternet'
        properties: {
          priority: 200
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
    ]
  }
}

// "temporary" management access, one rule per port
@batchSize(1)
resource managementRules 'Microsoft.Network/networkSecurityGroups/securityRules@2023-04-01' = [for (p, i) in managementPorts: {
  parent: nsg
  name: 'allow-${p.name}'
  properties: {
    priority: p.priority
    direction: 'Inbound'
    access: 'Allow'
    protocol: 'Tcp'
    sourceAddressPrefix: '*'
    sourcePortRange: '*'
    destinationAddressPrefix: '*'
    destinationPortRange: p.port
  }
}]

resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: 'vnet-${prefix}'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.20.0.0/16'
      ]
    }
    subnets: [for (subnet, i) in subnetNames: {
      name: subnet
      properties: {
        addressPrefix: '10.20.${i}.0/24'
        networkSecurityGroup: {
          id: nsg.id
        }
      }
    }]
  }
}

resource peSubnet 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' existing = {
  parent: vnet
  name: subnetNames[0]
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageName
  location: location
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    allowBlobPublicAccess: false
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}

// the data lake was "only for a quick test": network rules never added
resource dataLake 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: dataLakeName
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    isHnsEnabled: true
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    vaultName: 'kv-${prefix}-ml'
    location: location
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: toLower('cr${prefix}ml')
  location: location
  sku: {
    name: registrySku
  }
  properties: {
    adminUserEnabled: false
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {
  name: workspaceName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    friendlyName: workspaceName
    primaryUserAssignedIdentity: identity.id
    storageAccount: storage.id
    keyVault: vault.outputs.vaultId
    containerRegistry: registry.id
    publicNetworkAccess: workspacePublicAccess
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for zone in zoneNames: {
  name: zone
  location: 'global'
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (zone, i) in zoneNames: {
  parent: zones[i]
  name: 'link-${vnet.name}'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

// One private endpoint per dependency; zones refer to zoneNames by index
var endpoints endpointSpec[] = [
  { name: 'pe-st-blob', target: storage.id, group: 'blob', zones: [0] }
  { name: 'pe-st-file', target: storage.id, group: 'file', zones: [1] }
  { name: 'pe-kv', target: vault.outputs.vaultId, group: 'vault', zones: [2] }
  { name: 'pe-cr', target: registry.id, group: 'registry', zones: [3] }
  // the notebooks zone (5) is missing here
  { name: 'pe-mlw', target: workspace.id, group: 'amlworkspace', zones: [4] }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2023-04-01' = [for e in endpoints: {
  name: e.name
  location: location
  properties: {
    subnet: {
      id: peSubnet.id
    }
    privateLinkServiceConnections: [
      {
        name: e.group
        properties: {
          privateLinkServiceId: e.target
          groupIds: [
            e.group
          ]
        }
      }
    ]
  }
}]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-04-01' = [for (e, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [for z in e.zones: {
      name: replace(zoneNames[z], '.', '-')
      properties: {
        privateDnsZoneId: zones[z].id
      }
    }]
  }
}]

resource sql 'Microsoft.Sql/servers@2023-05-01-preview' = if (deploySql) {
  name: 'sql-${prefix}-features'
  location: location
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlAdminPassword
    minimalTlsVersion: '1.2'
  }

  resource allowAll 'firewallRules' = {
    name: 'AllowAll'
    properties: {
      startIpAddress: '0.0.0.0'
      endIpAddress: '255.255.255.255'
    }
  }
}

// would leak too, but is not deployed (deployPostgres is false)
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = if (deployPostgres) {
  name: 'psql-${prefix}'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '15'
  }

  resource allowAll 'firewallRules' = {
    name: 'AllowAll'
    properties: {
      startIpAddress: '0.0.0.0'
      endIpAddress: '255.255.255.255'
    }
  }
}

output workspaceId string = workspace.id
