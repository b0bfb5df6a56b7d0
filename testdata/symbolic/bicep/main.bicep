// Names built from a required parameter without a value: children must still join
// their parents, and the one real mistake (the Key Vault zone) must still be reported.
param prefix string
param subnetId string

var kvZone = 'privatelink${environment().suffixes.keyvaultDns}'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${prefix}'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    publicNetworkAccess: 'Disabled'
  }
}

resource store 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: toLower('st${prefix}data')
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: { publicNetworkAccess: 'Disabled' }
}

resource blobZone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.blob.${environment().suffixes.storage}'
  location: 'global'
}

resource vaultZone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: kvZone
  location: 'global'
}

resource blobPe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe-${prefix}-blob'
  location: 'westeurope'
  properties: {
    subnet: { id: subnetId }
    privateLinkServiceConnections: [
      {
        name: 'blob'
        properties: { privateLinkServiceId: store.id, groupIds: [ 'blob' ] }
      }
    ]
  }
}

// Declared by parent:
resource blobGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-04-01' = {
  parent: blobPe
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [ { name: 'blob', properties: { privateDnsZoneId: blobZone.id } } ]
  }
}

resource vaultPe 'Microsoft.Network/privateEndpoints@2023-04-01' = {
  name: 'pe-${prefix}-kv'
  location: 'westeurope'
  properties: {
    subnet: { id: subnetId }
    privateLinkServiceConnections: [
      {
        name: 'vault'
        properties: { privateLinkServiceId: vault.id, groupIds: [ 'vault' ] }
      }
    ]
  }
}

// Declared by '${parent.name}/child', pointing at the wrong zone.
resource vaultGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-04-01' = {
  name: '${vaultPe.name}/default'
  properties: {
    privateDnsZoneConfigs: [ { name: 'vault', properties: { privateDnsZoneId: vaultZone.id } } ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: 'vnet-${prefix}'
  location: 'westeurope'
  properties: { addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] } }

  // Nested child.
  resource apps 'subnets' = {
    name: 'snet-${prefix}-apps'
    properties: { addressPrefix: '10.0.1.0/24' }
  }
}
