variable "admin_source" {
  description = "Where SSH is allowed from."
  type        = string
  default     = "10.0.0.0/8"
}
