param prefix string = 'mlprod'

var storageName = toLower('${prefix}st')

// publicNetworkAccess and networkAcls omitted: open to all networks
resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageName
  location: resourceGroup().location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }
}
