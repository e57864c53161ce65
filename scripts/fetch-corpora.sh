#!/usr/bin/env bash
# fetch-corpora.sh [DEST]: fetch the public corpora and ATT&CK bundles the real-corpus tests
# read, at pinned commits, into DEST (default: ../shared beside the repository) in the layout
# internal/testshared expects:
#
#   DEST/corpus/sigmahq-2026-04-28.tar.gz            SigmaHQ/sigma rules*, deprecated, unsupported, LICENSE
#   DEST/corpus/sigmahq-regression-2026-04-28.tar.gz SigmaHQ/sigma regression_data (no .evtx), tests/thor.yml, LICENSE
#   DEST/corpus/reprise99-sentinel-queries.tar.gz    reprise99/Sentinel-Queries *.kql, LICENSE
#   DEST/corpus/m365-defender-hunting-queries.tar.gz microsoft/Microsoft-365-Defender-Hunting-Queries *.md, *.txt, LICENSE
#   DEST/corpus/bertjan-hunting-queries-2026-04-13.tar.gz Bert-JanP/Hunting-Queries-Detection-Rules *.md, LICENSE files
#   DEST/attack/enterprise-attack-18.1.json.gz       mitre/cti ATT&CK-v18.1, per-object files assembled into one bundle
#   DEST/attack/mobile-attack-18.1.json.gz           mitre/cti ATT&CK-v18.1, assembled
#   DEST/attack/enterprise-attack-17.1-slim.json.gz  mitre/cti ATT&CK-v17.1, assembled and slimmed
#   DEST/attack/ics-attack-18.1.json.gz              mitre-attack/attack-stix-data, ics-attack-18.1.json as published
#   DEST/schemas/sarif-schema-2.1.0.json             oasis-tcs/sarif-spec, the official SARIF 2.1.0 schema
#
# Not fetched: tools/kusto-oracle (an npm tool, not test data; the tests that use it take
# -oracle and do not look for ../shared) and ../shared's README, STYLE.md and hooks.
#
# Each source is a GitHub archive at a pinned commit (curl over https). Every output is checked
# against a content checksum kept in this file, so the check does not depend on how GitHub
# compresses archives: for a corpus, the sha256 of its sorted "git-blob-hash path" lines; for a
# bundle, the sha256 of its uncompressed JSON. A file already in DEST that passes its check is
# kept; a mismatch is an error and nothing wrong is written.
#
# FETCH_CORPORA_FROM=DIR reads the sources from local bare git mirrors instead of the network:
# DIR/<owner>+<name>/repo (as `git archive` of the same pinned commits; git may print "invalid
# object" for large files a mirror lacks and the script does not read). FETCH_CORPORA_URL
# replaces https://codeload.github.com (a server answering /<owner>/<name>/tar.gz/<commit>).
#
# Not reproduced exactly: the gzip and tar bytes (timestamps, entry order, compression) differ
# from the copies in ../shared; contents (file names and bytes, bundle JSON) are identical.
# The enterprise download is the whole mitre/cti tree at the tag (large, about 100 MB).
#
# Needs bash, curl, tar, git and python3 (all on GitHub's ubuntu runners).
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$(dirname "$repo")/shared}
from=${FETCH_CORPORA_FROM:-}
base=${FETCH_CORPORA_URL:-https://codeload.github.com}

SIGMA=0e3b749e0d85cd943706ed610a1447f0d54e8388
REPRISE=96b1908558c5d5201dbf61c63cedce4c53e8f672
M365=efa17a600b43c897b4b7463cc8541daa1987eeb4
BERTJAN=7a0d998584dfab5872dc32b9ecd6c215a30c0ad7
CTI_181=421deacb77191b38bdd1bf63268954e93da91365 # tag ATT&CK-v18.1
CTI_171=dc2ea9270f1a91398c750a6dceb3591b86082ce8 # tag ATT&CK-v17.1
STIXDATA=7ad8a86f41edc91dd37de0487b0c2f44ae3a3af7 # ATT&CK v18.1
SARIF=e0583813964ec43cea53b6b531b402866095ed1f

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# source REPO COMMIT PATH...: unpack REPO at COMMIT (only PATHs, when given) into a fresh
# folder and print its path.
source_tree() {
	local repo=$1 commit=$2
	shift 2
	local out="$work/src-${repo//\//+}-$commit"
	if [ -d "$out" ]; then
		echo "$out"
		return
	fi
	mkdir -p "$out"
	if [ -n "$from" ]; then
		local gd="$from/${repo//\//+}/repo"
		[ -d "$gd" ] || { echo "fetch-corpora: no mirror of $repo at $gd (FETCH_CORPORA_FROM)" >&2; exit 1; }
		git --git-dir="$gd" archive --format=tar "$commit" -- "$@" | tar -x -C "$out"
	else
		local pats=()
		for p in "$@"; do
			case $p in
			:*) ;; # git exclude pathspecs: only for mirrors, whose largest files may be absent
			*) pats+=("*/${p%/}") ;;
			esac
		done
		echo "fetch-corpora: downloading $repo at $commit" >&2
		curl -fsSL --retry 3 "$base/$repo/tar.gz/$commit" |
			tar -xz -C "$out" --strip-components=1 --wildcards "${pats[@]}"
	fi
	echo "$out"
}

# assemble KIND OUT SUM ARGS...: build OUT from an unpacked source and check its content
# checksum (python below); "assemble check FILE -" prints a file's checksum.
assemble() {
	python3 - "$@" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile

kind, out, want = sys.argv[1:4]
args = sys.argv[4:]

def blob(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

def tar_sum(path):
    lines = []
    with tarfile.open(path, "r:gz") as t:
        for m in t.getmembers():
            if m.isfile():
                name = m.name[2:] if m.name.startswith("./") else m.name
                lines.append("%s %s\n" % (blob(t.extractfile(m).read()), name))
    return hashlib.sha256("".join(sorted(lines)).encode()).hexdigest()

def json_sum(path):
    return hashlib.sha256(gzip.open(path).read()).hexdigest()

def plain_sum(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()

check = {"corpus": tar_sum, "plain": plain_sum}.get(kind, json_sum)
if kind == "check":
    print(tar_sum(out) if out.endswith(".tar.gz") else json_sum(out) if out.endswith(".gz") else plain_sum(out))
    sys.exit(0)
if os.path.exists(out):
    try:
        if check(out) == want:
            print("fetch-corpora: %s is up to date" % out, file=sys.stderr)
            sys.exit(0)
    except Exception:
        pass

def fail(got):
    sys.exit("fetch-corpora: %s: content checksum %s, want %s: the pinned source changed or the download is damaged; nothing written" % (out, got, want))

def write_atomic(data):
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)

if kind == "corpus":
    # args: prefix src (selector)...; a selector is "dir/", "*.ext", "=name" (a file of that
    # name anywhere), "!*.ext" (exclude), or "from>to" (one file renamed).
    prefix, src = args[0], args[1]
    sels = args[2:]
    picked = {}
    for dp, dn, fn in os.walk(src):
        for f in fn:
            rel = os.path.relpath(os.path.join(dp, f), src).replace(os.sep, "/")
            keep, excl, name = False, False, rel
            for s in sels:
                if s.startswith("!*"):
                    excl = excl or rel.endswith(s[2:])
                elif s.endswith("/"):
                    keep = keep or rel.startswith(s)
                elif s.startswith("*"):
                    keep = keep or rel.endswith(s[1:])
                elif s.startswith("="):
                    keep = keep or os.path.basename(rel) == s[1:]
                elif ">" in s:
                    a, b = s.split(">", 1)
                    if rel == a:
                        keep, name = True, b
            if keep and not excl:
                picked[name] = os.path.join(dp, f)
    lines = []
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        dirs = set()
        for name in sorted(picked):
            data = open(picked[name], "rb").read()
            lines.append("%s %s\n" % (blob(data), name if prefix == "." else prefix + "/" + name))
            parts = name.split("/")[:-1]
            for i in range(len(parts)):
                d = "/".join(parts[: i + 1])
                if d not in dirs:
                    dirs.add(d)
                    ti = tarfile.TarInfo(prefix + "/" + d)
                    ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                    t.addfile(ti)
            ti = tarfile.TarInfo(prefix + "/" + name)
            ti.size, ti.mode = len(data), 0o644
            t.addfile(ti, io.BytesIO(data))
    got = hashlib.sha256("".join(sorted(lines)).encode()).hexdigest()
    if got != want:
        fail(got)
    write_atomic(buf.getvalue())
elif kind == "plain":
    data = open(args[0], "rb").read()
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        fail(got)
    write_atomic(data)
elif kind == "published":
    data = open(args[0], "rb").read()
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        fail(got)
    write_atomic(gzip.compress(data, mtime=0))
else:  # assembled or slim: args: domain src
    domain, src = args
    objs = []
    d = os.path.join(src, domain)
    for typ in sorted(os.listdir(d)):
        td = os.path.join(d, typ)
        if not os.path.isdir(td):
            continue
        for f in sorted(os.listdir(td)):
            if f.endswith(".json"):
                with open(os.path.join(td, f), "rb") as fh:
                    objs.extend(json.load(fh)["objects"])
    objs.sort(key=lambda o: o["id"])
    if kind == "slim":
        # Facts only: techniques, tactics, matrix, groups, software, campaigns, mitigations,
        # data sources and components, no description texts, only revoked-by and
        # subtechnique-of relationships, references only those that carry an ID.
        slim = []
        for o in objs:
            o = dict(o)
            if o["type"] == "relationship":
                if o.get("relationship_type") not in ("revoked-by", "subtechnique-of"):
                    continue
                o.pop("external_references", None)
            else:
                o.pop("description", None)
                o.pop("x_mitre_detection", None)
                o["external_references"] = [e for e in o.get("external_references", []) if "external_id" in e]
            slim.append(o)
        objs = slim
    bundle = {"type": "bundle", "id": "bundle--assembled-" + domain, "spec_version": "2.0", "objects": objs}
    data = json.dumps(bundle, separators=(",", ":"), ensure_ascii=False).encode()
    got = hashlib.sha256(data).hexdigest()
    if got != want:
        fail(got)
    write_atomic(gzip.compress(data, mtime=0))
PY
}

if [ "${1:-}" = "--sum" ]; then
	# --sum FILE: print a file's content checksum (to update the sums below).
	assemble check "$2" -
	exit 0
fi

# build KIND OUT SUM ARGS...: keep OUT when it already has the checksum SUM; otherwise unpack
# the source named by SRC (repo, commit, paths) and assemble OUT, @SRC@ in ARGS standing for
# the unpacked folder.
build() {
	local kind=$1 out=$2 want=$3
	shift 3
	if [ -e "$out" ] && [ "$(assemble check "$out" -)" = "$want" ]; then
		echo "fetch-corpora: $out is up to date" >&2
		return
	fi
	local src args=()
	src=$(source_tree "${SRC[@]}")
	for x in "$@"; do args+=("${x//@SRC@/$src}"); done
	assemble "$kind" "$out" "$want" "${args[@]}"
}

mkdir -p "$dest/corpus" "$dest/attack" "$dest/schemas"
c=$dest/corpus a=$dest/attack
SRC=(SigmaHQ/sigma $SIGMA LICENSE rules rules-compliance rules-dfir rules-emerging-threats \
	rules-placeholder rules-threat-hunting deprecated unsupported regression_data tests/thor.yml)
build corpus "$c/sigmahq-2026-04-28.tar.gz" f164716e8a2954cc2226218c66b46ca15ced1654c4b9b45aef450dc306c38f4a . "@SRC@" LICENSE'>'LICENSE rules/ rules-compliance/ \
	rules-dfir/ rules-emerging-threats/ rules-placeholder/ rules-threat-hunting/ deprecated/ unsupported/
build corpus "$c/sigmahq-regression-2026-04-28.tar.gz" e2c90af4dba7693a2d132b3c8855c752ee7589b5c346e36c1a51d54c3980b681 sigmahq-regression-2026-04-28 "@SRC@" \
	LICENSE'>'LICENSE regression_data/ '!*.evtx' tests/thor.yml'>'thor.yml
SRC=(reprise99/Sentinel-Queries $REPRISE '*.kql' LICENSE)
build corpus "$c/reprise99-sentinel-queries.tar.gz" 4bb5977784e5579b4a13514d9fa6468f4121bf4ba3e02ad9308099e52ffdb7a8 reprise99-sentinel-queries "@SRC@" '*.kql' =LICENSE
SRC=(microsoft/Microsoft-365-Defender-Hunting-Queries $M365 '*.md' '*.txt' LICENSE)
build corpus "$c/m365-defender-hunting-queries.tar.gz" f6fea912bd79c674da053c868f7973d7a0da91a70a821b8d07a4f2df524d75e0 m365-defender-hunting-queries "@SRC@" '*.md' '*.txt' =LICENSE
SRC=(Bert-JanP/Hunting-Queries-Detection-Rules $BERTJAN '*.md' '*LICENSE')
build corpus "$c/bertjan-hunting-queries-2026-04-13.tar.gz" 1b875f58e15c3fdd513acab5399bd7c7d8f526dffdb80fac9c4a37ad1559370c bertjan-hunting-queries "@SRC@" '*.md' =LICENSE
SRC=(mitre/cti $CTI_181 enterprise-attack/ mobile-attack/ ':(exclude)enterprise-attack/enterprise-attack.json' ':(exclude)mobile-attack/mobile-attack.json')
build assembled "$a/enterprise-attack-18.1.json.gz" b144ddd3e7ac3b65250750e78b051835333ef3ab7147815e0fbaa0ee8650d680 enterprise-attack "@SRC@"
build assembled "$a/mobile-attack-18.1.json.gz" e822876be0f50b885457b8bacf044efcfbddad5e67e76a7c4f0da4abea8c10a7 mobile-attack "@SRC@"
SRC=(mitre/cti $CTI_171 enterprise-attack/ ':(exclude)enterprise-attack/enterprise-attack.json')
build slim "$a/enterprise-attack-17.1-slim.json.gz" 8ebafcbbce6458fdbe482959f8c11e2f4c5527e9ff9ed1d165612abf8662f14e enterprise-attack "@SRC@"
SRC=(mitre-attack/attack-stix-data $STIXDATA ics-attack/ics-attack-18.1.json)
build published "$a/ics-attack-18.1.json.gz" a7c0106492843485340710be9e841c1584d8fc6da8950e7097db0e7b5bc9f164 "@SRC@/ics-attack/ics-attack-18.1.json"
SRC=(oasis-tcs/sarif-spec $SARIF sarif-2.1/schema/sarif-schema-2.1.0.json)
build plain "$dest/schemas/sarif-schema-2.1.0.json" c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e "@SRC@/sarif-2.1/schema/sarif-schema-2.1.0.json"
echo "fetch-corpora: $dest is complete" >&2
