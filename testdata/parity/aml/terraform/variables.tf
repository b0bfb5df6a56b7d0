variable "location" {
  type        = string
  description = "Azure region of every resource."
  default     = "westeurope"
}

variable "prefix" {
  type        = string
  description = "Short workload name used in resource names."
}

variable "address_space" {
  type    = string
  default = "10.60.0.0/16"
}

variable "vendor_rdp_enabled" {
  type        = bool
  description = "Keep the vendor's RDP rule (it is shadowed by Deny-RDP-Internet anyway)."
  default     = false
}

variable "postgres_admin_password" {
  type      = string
  sensitive = true
  default   = null
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
  default   = null
}

variable "office_ip_range" {
  type = object({
    start = string
    end   = string
  })
}

variable "tags" {
  type    = map(string)
  default = {}
}
