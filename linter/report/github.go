package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/huntlint/huntlint/linter"
)

// GitHub writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request:
//
//	::error file=path,line=3,col=5,endLine=3,endColumn=19,title=[check]::message
type GitHub struct{}

func (GitHub) Format(w io.Writer, rep *Input) error {
	b := bufio.NewWriter(w)
	for _, f := range rep.Result.Findings {
		cmd := "notice"
		switch f.Severity {
		case linter.SeverityError:
			cmd = "error"
		case linter.SeverityWarning:
			cmd = "warning"
		}
		fmt.Fprintf(b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
			cmd, ghProperty(f.Path), f.Span.Start.Line, f.Span.Start.Column,
			f.Span.End.Line, f.Span.End.Column, ghProperty("["+f.Check+"]"), ghData(f.Message))
	}
	if note := rep.OutdatedNote(); note != "" {
		fmt.Fprintf(b, "::notice title=%s::%s\n", ghProperty("huntlint catalog"), ghData(note))
	}
	return b.Flush()
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
