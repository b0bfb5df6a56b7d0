// TLS 1.2 minimum.

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stmlwprodweu01'
  location: resourceGroup().location
  sku: {
    name: 'Standard_ZRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }
}
