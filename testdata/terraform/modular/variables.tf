variable "prefix" {
  type        = string
  description = "Short name used in every resource name."
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "storage_accounts" {
  description = "Storage accounts to create, in order; public ones accept traffic from all networks."
  type = list(object({
    name   = string
    public = optional(bool, false)
  }))
}

variable "nsg_rules" {
  description = "Inbound rules of the workload subnet's NSG, by name."
  type = map(object({
    priority = number
    port     = string
    source   = string
    access   = optional(string, "Allow")
  }))
  default = {}
}
