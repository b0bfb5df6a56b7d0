module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stbicep'
  }
}
