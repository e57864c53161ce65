# Example huntlint configuration. Copy it to .huntlint.hcl at the root of a
# rule repository; huntlint lint finds it by walking up from the current
# folder (or takes --config FILE). Every block and attribute is optional.
# docs/config.md describes each setting.

# The ATT&CK catalog to check against.
catalog {
  # STIX bundles to use instead of the embedded catalog (relative to this file).
  # path = ["attack/enterprise-attack-18.1.json.gz"]

  # Active domains; rules are checked against these. The others are still
  # loaded so that attack-wrong-domain can say where an ID belongs.
  domains = ["enterprise-attack"]

  # Never use the download cache of `huntlint catalog update`.
  offline = false

  # How old the catalog may be before lint says so (ATT&CK ships a release
  # about every six months).
  max_age = "200d"

  # Refresh the download cache when it is older than this and the network
  # answers within a few seconds; otherwise use the cache or embedded catalog.
  # auto_update = "7d"
}

# Which files to lint under the given paths (doublestar patterns).
paths {
  include = ["**/*.yml", "**/*.yaml", "**/*.kql", "**/*.md"]
  exclude = ["deprecated/**", "unsupported/**"]
}

# Which checks run without --select: "default" (quiet on a well-kept rule
# set) or "coverage" (adds attack-missing-technique: every rule must name a
# technique to appear on a coverage layer).
lint {
  preset = "coverage"
}

# Turn a check off, or change its severity (error, warning, info).
check "attack-platform-mismatch" {
  enabled = false
}

check "attack-missing-technique" {
  severity = "info"
}

# Sigma tag style: "hyphen" (attack.defense-evasion, Sigma's current
# convention), "underscore" (attack.defense_evasion) or "any".
sigma {
  tactic_style = "hyphen"
}
