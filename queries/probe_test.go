package queries

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestProbe compares huntlint's verdicts with the oracle's on ad-hoc
// queries, one per line of the file named by $PROBE_FILE (\n in a line is a
// line break), and prints the disagreements. It is a development aid, run as
//
//	PROBE_FILE=queries.txt go test ./queries -run TestProbe -v -oracle /tmp/kusto-oracle/oracle.js
func TestProbe(t *testing.T) {
	f := os.Getenv("PROBE_FILE")
	if f == "" {
		t.Skip()
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
