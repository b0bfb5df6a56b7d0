output "workspace_id" {
  value = azurerm_machine_learning_workspace.aml.id
}

output "private_endpoint_ids" {
  value = { for k, pe in azurerm_private_endpoint.pe : k => pe.id }
}
