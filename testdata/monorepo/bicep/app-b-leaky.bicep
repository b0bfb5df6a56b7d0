resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stappbicep'
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }
}
