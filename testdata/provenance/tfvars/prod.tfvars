kv_acl_default = "Allow"
kv_public      = true
