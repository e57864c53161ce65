package queries

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

// TestProbe compares huntlint's verdicts with the oracle's on ad-hoc
// queries, one per line of the file named by $PROBE_FILE (\n in a line is a
// line break), and prints the disagreements. It is a development aid, run as
//
//	PROBE_FILE=queries.txt go test ./queries -run TestProbe -v -oracle /tmp/kusto-oracle/oracle.js
func TestProbe(t *testing.T) {
	f := os.Getenv("PROBE_FILE")
	if f == "" {
		t.Skip("set PROBE_FILE to a file of queries, one per line, to compare with the oracle")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			qs = append(qs, strings.ReplaceAll(l, `\n`, "\n"))
		}
	}
	var in strings.Builder
	for i, q := range qs {
		b, _ := json.Marshal(map[string]string{"id": fmt.Sprint(i), "text": q})
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := exec.Command("node", *oracleScript)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run oracle %s: %v", *oracleScript, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	i := 0
	for sc.Scan() {
		var r struct {
			OK          bool
			Diagnostics []struct {
				Start   int
				Message string
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		mine := Parse(qs[i])
		if mine.OK() != r.OK {
			m := ""
			if !mine.OK() {
				m = fmt.Sprintf("%d %s", mine.Diagnostics[0].Offset, mine.Diagnostics[0].Message)
			}
			o := ""
			if !r.OK {
				o = fmt.Sprintf("%d %s", r.Diagnostics[0].Start, r.Diagnostics[0].Message)
			}
			fmt.Printf("DIFF %q\n   oracle ok=%v %s | mine ok=%v %s\n", qs[i], r.OK, o, mine.OK(), m)
		}
		i++
	}
	fmt.Printf("%d probed\n", i)
}

// TestProbeDir compares huntlint's verdicts with the oracle's on every
// query of the files under $PROBE_DIR, loaded as huntlint loads them, and
// prints the disagreements: a differential test on any collection of rules,
// run as
//
//	PROBE_DIR=path/to/queries go test ./queries -run TestProbeDir -v
func TestProbeDir(t *testing.T) {
	root := os.Getenv("PROBE_DIR")
	if root == "" {
		t.Skip("set PROBE_DIR to a folder of queries to compare with the oracle")
	}
	var items []item
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rs, _ := rules.Load(p)
		for _, r := range rs {
			for i, q := range r.Queries {
				items = append(items, item{id: fmt.Sprintf("%s#%d", p, i), text: q.Text})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	vs := runOracle(t, items)
	same, bad := 0, 0
	for i, it := range items {
		r := Parse(it.text)
		if !vs[i].OK {
			bad++
		}
		if r.OK() == vs[i].OK {
			same++
			continue
		}
		if r.OK() {
			o := vs[i].Offset
			fmt.Printf("MISSED %s: oracle line %d near %q\n", it.id, lineOf(it.text, o), it.text[max(0, o-40):min(len(it.text), o+30)])
		} else {
			d := r.Diagnostics[0]
			fmt.Printf("FALSE %s: %s line %d near %q\n", it.id, d.Message, lineOf(it.text, d.Offset), it.text[max(0, d.Offset-40):min(len(it.text), d.Offset+30)])
		}
	}
	fmt.Printf("%d queries, %d oracle errors, same %d\n", len(items), bad, same)
}
