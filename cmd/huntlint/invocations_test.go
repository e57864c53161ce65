package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// The repository's action, hooks, workflow and docs call huntlint; these
// tests check every such call against the real command tree, so renaming a
// command or flag cannot silently break them.

// invocation is one huntlint command line found in a file.
type invocation struct {
	where string   // file:line
	words []string // after "huntlint"
}

var shellStop = map[string]bool{"|": true, "||": true, "&&": true, ";": true, ">": true, ">>": true, "2>": true, "2>&1": true, ")": true, "<": true, "<<<": true}

// shellWords splits a line roughly as a shell would, keeping quoted strings
// (with $-expansions) as one word.
func shellWords(line string) []string {
	var words []string
	var b strings.Builder
	quote := rune(0)
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, b.String())
			b.Reset()
			inWord = false
		}
	}
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case r == '"' || r == '\'' || r == '`':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			flush()
		case r == '#' && !inWord:
			flush()
			return words
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	flush()
	return words
}

// invocationsInScript finds huntlint calls in a shell script: literal
// "huntlint cmd --flag" lines and the args=(…) / args+=(…) arrays that a
// later `huntlint "${args[@]}"` runs.
func invocationsInScript(where string, firstLine int, script string) []invocation {
	var out []invocation
	var arr *invocation
	heredoc := ""
	for i, line := range strings.Split(script, "\n") {
		pos := where + ":" + itoa(firstLine+i)
		if heredoc != "" {
			if strings.TrimSpace(line) == heredoc {
				heredoc = ""
			}
			continue
		}
		if m := heredocRE.FindStringSubmatch(line); m != nil {
			heredoc = m[1]
		}
		words := shellWords(strings.TrimSpace(line))
		for j := 0; j < len(words); j++ {
			w := words[j]
			switch {
			case strings.HasPrefix(w, "args=("):
				arr = &invocation{where: pos}
				rest := append([]string{strings.TrimPrefix(w, "args=(")}, words[j+1:]...)
				arr.words = append(arr.words, trimArray(rest)...)
				j = len(words)
			case strings.HasPrefix(w, "args+=("):
				if arr != nil {
					rest := append([]string{strings.TrimPrefix(w, "args+=(")}, words[j+1:]...)
					arr.words = append(arr.words, trimArray(rest)...)
				}
				j = len(words)
			case isHuntlint(w, words[:j]):
				if j+1 < len(words) && words[j+1] == "${args[@]}" {
					if arr != nil {
						out = append(out, *arr)
					}
					j = len(words)
					continue
				}
				inv := invocation{where: pos}
				for _, a := range words[j+1:] {
					if shellStop[a] || strings.HasPrefix(a, ">") || strings.HasPrefix(a, "2>") {
						break
					}
					inv.words = append(inv.words, strings.TrimSuffix(a, ")"))
				}
				if len(inv.words) > 0 && !strings.HasPrefix(inv.words[0], "$") {
					out = append(out, inv)
				}
				j = len(words)
			}
		}
	}
	return out
}

var heredocRE = regexp.MustCompile(`<<-?\s*['"]?(\w+)['"]?`)

// commandStart holds the words after which a shell command starts.
var commandStart = map[string]bool{"|": true, "&&": true, "||": true, ";": true, "then": true, "do": true, "else": true, "xargs": true, "exec": true, "time": true, "!": true, "if": true}

// isHuntlint reports whether w, after the words before, runs huntlint: the
// command, a path to the binary, or go run ./cmd/huntlint (but not the
// output of go build -o, nor the repository's owner/name, nor the word in
// prose or YAML values).
func isHuntlint(w string, before []string) bool {
	prev := ""
	if len(before) > 0 {
		prev = before[len(before)-1]
	}
	atStart := prev == "" || commandStart[prev] || strings.Contains(prev, "=") && !strings.HasPrefix(prev, "-")
	w = strings.TrimPrefix(w, "(")
	switch {
	case w == "huntlint":
		return atStart
	case w == "./cmd/huntlint":
		return prev == "run"
	case strings.HasSuffix(w, "/huntlint"):
		return atStart && !strings.HasSuffix(w, "huntlint/huntlint")
	}
	return false
}

func trimArray(words []string) []string {
	var out []string
	for _, w := range words {
		w = strings.TrimSuffix(w, ";")
		if w == "" {
			continue
		}
		if strings.HasSuffix(w, ")") && !strings.Contains(w, "(") {
			w = strings.TrimSuffix(w, ")")
			if w != "" {
				out = append(out, w)
			}
			break
		}
		out = append(out, w)
	}
	return out
}

// invocationProblems resolves inv against the command tree: the words up to
// the first flag must name a runnable command, and every flag must exist.
func invocationProblems(root *cobra.Command, inv invocation) []string {
	var probs []string
	cmd := root
	i := 0
	for ; i < len(inv.words); i++ {
		w := inv.words[i]
		if strings.HasPrefix(w, "-") {
			break
		}
		sub := findSub(cmd, w)
		if sub == nil {
			break
		}
		cmd = sub
	}
	if cmd == root {
		return []string{fmt.Sprintf("%s: huntlint %s: no such command", inv.where, strings.Join(inv.words, " "))}
	}
	if !cmd.Runnable() {
		probs = append(probs, fmt.Sprintf("%s: huntlint %s: %q needs a subcommand", inv.where, strings.Join(inv.words, " "), cmd.CommandPath()))
	}
	for _, w := range inv.words[i:] {
		if !strings.HasPrefix(w, "-") || w == "-" || w == "--" {
			continue
		}
		name, _, _ := strings.Cut(w, "=")
		var found bool
		if long, ok := strings.CutPrefix(name, "--"); ok {
			found = cmd.Flags().Lookup(long) != nil || cmd.InheritedFlags().Lookup(long) != nil
		} else {
			found = cmd.Flags().ShorthandLookup(name[1:2]) != nil || cmd.InheritedFlags().ShorthandLookup(name[1:2]) != nil
		}
		if !found {
			probs = append(probs, fmt.Sprintf("%s: huntlint %s: %s has no flag %s", inv.where, strings.Join(inv.words, " "), cmd.CommandPath(), name))
		}
	}
	return probs
}

func findSub(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}

// yamlScripts returns every `run:` script and `entry:` of a YAML file with
// the line it starts on.
func yamlScripts(t *testing.T, path string) []invocation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []invocation
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.ScalarNode && (k.Value == "run" || k.Value == "entry") {
					first := v.Line
					if v.Style == yaml.LiteralStyle || v.Style == yaml.FoldedStyle {
						first++
					}
					out = append(out, invocationsInScript(path, first, v.Value)...)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	return out
}

// markdownInvocations returns the huntlint calls in the fenced code blocks
// of a Markdown file (shell and YAML alike).
func markdownInvocations(t *testing.T, path string) []invocation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []invocation
	fence, lang := "", ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if fence == "" {
			if m := fenceOpenRE.FindStringSubmatch(trimmed); m != nil {
				fence, lang = m[1], m[2]
			}
			continue
		}
		if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, "`~") == "" {
			fence = ""
			continue
		}
		if lang == "console" && !strings.HasPrefix(trimmed, "$ ") {
			continue // output, not a command
		}
		if shellish[lang] {
			line = strings.TrimPrefix(strings.TrimSpace(line), "$ ")
			line = regexp.MustCompile(`^(-\s+)?(run|entry):\s*`).ReplaceAllString(line, "")
			out = append(out, invocationsInScript(path, n, line)...)
		}
	}
	return out
}

var fenceOpenRE = regexp.MustCompile("^(```+|~~~+)\\s*([\\w-]*)")

// shellish are the code block languages that may run huntlint.
var shellish = map[string]bool{"": true, "sh": true, "bash": true, "shell": true, "console": true, "yaml": true, "yml": true}

func TestRepositoryInvocationsExist(t *testing.T) {
	root := tree()
	files := map[string]int{
		"../../action.yml":                0,
		"../../.pre-commit-hooks.yaml":    0,
		"../../.github/workflows/ci.yml":  0,
		"../../scripts/test-precommit.sh": 0,
	}
	mds, _ := filepath.Glob("../../docs/*.md")
	mds = append(mds, "../../README.md")
	var all []invocation
	for path := range files {
		var invs []invocation
		switch {
		case strings.HasSuffix(path, ".sh"):
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			invs = invocationsInScript(path, 1, string(data))
		default:
			invs = yamlScripts(t, path)
		}
		files[path] = len(invs)
		all = append(all, invs...)
	}
	for _, md := range mds {
		all = append(all, markdownInvocations(t, md)...)
	}
	for path, n := range files {
		if n == 0 && !strings.HasSuffix(path, ".sh") {
			t.Errorf("%s: no huntlint call found (the test's parser or the file is broken)", path)
		}
	}
	t.Logf("%d huntlint calls checked", len(all))
	for _, inv := range all {
		for _, p := range invocationProblems(root, inv) {
			t.Error(p)
		}
	}
	// The action must run lint with its inputs, SARIF, layer and layer diff.
	var seen []string
	for _, inv := range yamlScripts(t, "../../action.yml") {
		seen = append(seen, strings.Join(inv.words, " "))
	}
	joined := strings.Join(seen, "\n")
	for _, want := range []string{"lint --format", "--fail-on", "--config", "--format sarif --output", "layer -o", "layer diff --format markdown", "catalog update"} {
		if !strings.Contains(joined, want) {
			t.Errorf("action.yml: no huntlint call with %q in:\n%s", want, joined)
		}
	}
}

// TestInvocationParser makes sure the parser above finds what it should, so
// the test cannot pass by finding nothing.
func TestInvocationParser(t *testing.T) {
	script := `set -e
args=(lint --format "$F" --fail-on "$X")
if [ -n "$C" ]; then args+=(--config "$C"); fi
huntlint "${args[@]}" "${paths[@]}"
huntlint layer diff --format markdown a b >> "$GITHUB_STEP_SUMMARY"
(cd "$base" && huntlint layer -o "$RUNNER_TEMP/x.json" "${paths[@]}")
go run ./cmd/huntlint lint examples # comment --nope
cat >rule.yml <<EOF
huntlint nonsense --in-a-heredoc
EOF
author: huntlint tests
gh release download v1 --repo huntlint/huntlint
go build -o "$bin/huntlint" ./cmd/huntlint
`
	got := invocationsInScript("s", 1, script)
	want := []string{
		"lint --format $F --fail-on $X --config $C",
		"layer diff --format markdown a b",
		"layer -o $RUNNER_TEMP/x.json ${paths[@]}",
		"lint examples",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d invocations, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if g := strings.Join(got[i].words, " "); g != want[i] {
			t.Errorf("invocation %d: %q, want %q", i, g, want[i])
		}
	}
	// Wrong commands and flags are reported; right ones are not.
	root := tree()
	for words, bad := range map[string]bool{
		"lint --no-such-flag x":           true,
		"lnt x":                           true,
		"layer diff --formt markdown a b": true,
		"lint -o out --fail-on never -q":  false,
		"layer diff --format=json a b":    false,
		"catalog update --log-level info": false,
	} {
		probs := invocationProblems(root, invocation{where: "x", words: strings.Fields(words)})
		if bad != (len(probs) > 0) {
			t.Errorf("huntlint %s: problems %q, want bad=%v", words, probs, bad)
		}
	}
}
