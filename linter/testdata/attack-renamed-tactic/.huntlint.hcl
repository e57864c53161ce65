# The v19-style fixture bundle, newer than the embedded 18.1 release: its
# TA0005 is stealth, which 18.1 called defense-evasion.
catalog {
  path = "../../../testdata/attack/mini-19.json"
}
