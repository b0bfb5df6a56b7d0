variable "kv_public" {
  type    = bool
  default = false
}

variable "kv_acl_default" {
  type    = string
  default = "Allow"
}
