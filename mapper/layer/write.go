package layer

import (
	"fmt"
	"io"
	"strings"
)

// OutputFormat names a layer output format.
type OutputFormat string

// Output formats.
const (
	FormatNavigator OutputFormat = "navigator"
	FormatCSV       OutputFormat = "csv"
	FormatMarkdown  OutputFormat = "markdown"
	FormatSVG       OutputFormat = "svg"
	FormatHTML      OutputFormat = "html"
)

// OutputFormats lists the formats in documentation order.
var OutputFormats = []OutputFormat{FormatNavigator, FormatCSV, FormatMarkdown, FormatSVG, FormatHTML}

// ParseOutputFormat checks a --format value.
func ParseOutputFormat(s string) (OutputFormat, error) {
	for _, f := range OutputFormats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(OutputFormats))
	for i, f := range OutputFormats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("invalid format %q: use %s", s, strings.Join(names, ", "))
}

// Write writes cov in format f. Navigator layers are validated against the
// 4.5 model before they are written.
func Write(w io.Writer, f OutputFormat, cov *Coverage, o WriteOptions) error {
	switch f {
	case FormatNavigator, "":
		layers := Navigator(cov, o)
		for _, l := range layers {
			if err := l.Validate(nil); err != nil {
				return err
			}
		}
		return Encode(w, layers)
	case FormatCSV:
		return WriteCSV(w, cov)
	case FormatMarkdown:
		return WriteMarkdown(w, cov, o)
	case FormatSVG:
		return WriteSVG(w, cov, o)
	case FormatHTML:
		return WriteHTML(w, cov, o)
	}
	return fmt.Errorf("invalid format %q", f)
}
