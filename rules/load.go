package rules

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// DefaultMaxSize is the largest file Load reads (5 MB); larger files are a
// load problem.
const DefaultMaxSize = 5 << 20

// Load reads one file and returns its rules. The format comes from the file
// extension and, for YAML and unknown extensions, from the content. Every
// failure is a Problem naming the file (and line and column where known); a
// file never makes Load panic.
func Load(path string) ([]*Rule, []Problem) {
	return LoadOptions{}.Load(path)
}

// LoadBytes loads a file's content as Load does, without reading the disk.
func LoadBytes(path string, data []byte) ([]*Rule, []Problem) {
	return LoadOptions{}.LoadBytes(path, data)
}

// LoadOptions tune loading.
type LoadOptions struct {
	// MaxSize is the largest file size in bytes; 0 means DefaultMaxSize.
	MaxSize int64
}

func (o LoadOptions) maxSize() int64 {
	if o.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return o.MaxSize
}

// Load reads and loads one file.
func (o LoadOptions) Load(path string) ([]*Rule, []Problem) {
	f, err := os.Open(path)
	if err != nil {
		return nil, []Problem{{Path: path, Message: "cannot read file: " + describeErr(err)}}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, []Problem{{Path: path, Message: "cannot read file: " + describeErr(err)}}
	}
	if fi.IsDir() {
		return nil, []Problem{{Path: path, Message: "is a directory, not a file"}}
	}
	if !fi.Mode().IsRegular() {
		return nil, []Problem{{Path: path, Message: "not a regular file (a device, pipe or socket); not read"}}
	}
	if fi.Size() > o.maxSize() {
		return nil, []Problem{tooBig(path, fi.Size(), o.maxSize())}
	}
	// Read what Stat promised, then anything a growing file added.
	data := make([]byte, fi.Size())
	n, err := io.ReadFull(f, data)
	data = data[:n]
	switch err {
	case io.ErrUnexpectedEOF, io.EOF: // the file shrank
		err = nil
	case nil:
		var probe [1]byte
		if k, _ := f.Read(probe[:]); k > 0 {
			var rest []byte
			rest, err = io.ReadAll(io.LimitReader(f, o.maxSize()-int64(n)))
			data = append(append(data, probe[0]), rest...)
		}
	}
	if err != nil {
		return nil, []Problem{{Path: path, Message: "cannot read file: " + describeErr(err)}}
	}
	return o.LoadBytes(path, data)
}

func describeErr(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func tooBig(path string, size, limit int64) Problem {
	return Problem{Path: path, Message: fmt.Sprintf("file is %d bytes, larger than the %d byte limit; not loaded", size, limit)}
}

// LoadBytes loads a file's content.
func (o LoadOptions) LoadBytes(path string, data []byte) ([]*Rule, []Problem) {
	if int64(len(data)) > o.maxSize() {
		return nil, []Problem{tooBig(path, int64(len(data)), o.maxSize())}
	}
	if p, ok := checkText(path, data); !ok {
		return nil, []Problem{p}
	}
	li := newLineIndex(data)
	switch DetectFormat(path, data) {
	case FormatKQL:
		return loadKQL(path, li)
	case FormatMarkdown:
		return loadMarkdown(path, li)
	case formatYAML:
		return loadYAML(path, li)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []Problem{{Path: path, Message: "empty file: nothing to load"}}
	}
	return nil, []Problem{{Path: path, Message: "unrecognised file: expected Sigma or Sentinel YAML (.yml, .yaml), KQL (.kql, .csl, .kusto) or Markdown (.md)"}}
}

// checkText refuses binary, UTF-16/32 and invalid UTF-8 content.
func checkText(path string, data []byte) (Problem, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return Problem{Path: path, Message: "file is UTF-16 encoded; save it as UTF-8"}, false
	}
	head := data[:min(len(data), 8000)]
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return Problem{Path: path, Message: "binary file (NUL byte at offset " + fmt.Sprint(i) + "); expected a text file"}, false
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		p := newLineIndex(data).pos(i)
		return Problem{Path: path, Line: p.Line, Column: p.Column,
			Message: fmt.Sprintf("invalid UTF-8 (byte 0x%02X); save the file as UTF-8", data[i])}, false
	}
	return Problem{}, true
}

// formatYAML is YAML whose documents are told apart (Sigma or Sentinel) by
// content.
const formatYAML Format = "yaml"

// DetectFormat returns the format of a file from its extension and content:
// FormatKQL, FormatMarkdown, "yaml" (Sigma or Sentinel, decided per
// document) or "" when the file is none of these.
func DetectFormat(path string, data []byte) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yml", ".yaml":
		return formatYAML
	case ".kql", ".csl", ".kusto":
		return FormatKQL
	case ".md", ".markdown":
		return FormatMarkdown
	}
	// Unknown extension (named explicitly or included by a glob): sniff.
	text := string(data[:min(len(data), 4096)])
	if yamlKeys(text) {
		return formatYAML
	}
	if looksLikeKQL(text) {
		return FormatKQL
	}
	return ""
}

// yamlKeys reports whether text starts like a Sigma rule or Sentinel query.
func yamlKeys(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" {
			continue
		}
		for _, k := range []string{"title:", "id:", "name:", "action:", "detection:", "query:"} {
			if strings.HasPrefix(line, k) {
				return true
			}
		}
		return false
	}
	return false
}

// LoadAll loads files with up to jobs goroutines (0 means one per
// processor) and returns rules and problems in the order of files.
func LoadAll(files []string, jobs int) ([]*Rule, []Problem) {
	return LoadOptions{}.LoadAll(files, jobs)
}

// LoadAll loads files in parallel; see the package function.
func (o LoadOptions) LoadAll(files []string, jobs int) ([]*Rule, []Problem) {
	var rules []*Rule
	var problems []Problem
	Stream(o, files, jobs, nil, func(f File[struct{}]) {
		rules = append(rules, f.Rules...)
		problems = append(problems, f.Problems...)
	})
	return rules, problems
}
