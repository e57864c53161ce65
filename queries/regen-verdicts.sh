#!/bin/sh
# Regenerates queries/testdata/verdicts/{real,mutants}.jsonl: every query of
# the shared KQL corpora and of queries/testdata/fixtures, as huntlint loads
# them, plus their seeded mutants, judged by Microsoft's Kusto.Language
# (../shared/tools/kusto-oracle). Needs Node.js and the npm registry.
set -eu
cd "$(dirname "$0")/.."
ORACLE_DIR=${ORACLE_DIR:-/tmp/kusto-oracle}
if [ ! -d "$ORACLE_DIR/node_modules/@kusto/language-service-next" ]; then
	rm -rf "$ORACLE_DIR"
	cp -r ../shared/tools/kusto-oracle "$ORACLE_DIR"
	(cd "$ORACLE_DIR" && npm install --no-audit --no-fund)
fi
go test ./queries -run '^TestOracleAgreement$' -count=1 -v \
	-update-verdicts -oracle "$ORACLE_DIR/oracle.js" "$@"
