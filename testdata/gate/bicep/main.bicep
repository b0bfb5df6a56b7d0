// Gate fixture: suppressions in Bicep.

// moat:ignore storage-public-access -- public download bucket, reviewed
resource site 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stgatebicep'
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-gate-bicep'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enablePurgeProtection: true
    // moat:ignore keyvault-public-access -- expired exception until 2001-01-01
    publicNetworkAccess: 'Enabled'
  }
}

// moat:ignore acr-public-access -- registry is served by the module
module registry 'registry.bicep' = {
  name: 'registry'
}

// moat:ignore nsg-open-inbound -- nothing of this rule here
resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: 'vnet-gate-bicep'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: ['10.0.0.0/16']
    }
  }
}
