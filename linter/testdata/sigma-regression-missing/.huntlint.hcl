# Opt in to the coverage group: sigma-regression-missing is off by default.
lint {
  preset = "coverage"
}
