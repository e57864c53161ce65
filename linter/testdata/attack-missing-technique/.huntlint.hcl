# Opt in to the coverage group: attack-missing-technique is off by default.
lint {
  preset = "coverage"
}
