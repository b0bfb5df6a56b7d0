variable "vault_public" {
  type = bool
}
