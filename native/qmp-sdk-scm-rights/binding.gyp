{
  "targets": [
    {
      "target_name": "scm_rights",
      "sources": ["src/scm_rights.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
