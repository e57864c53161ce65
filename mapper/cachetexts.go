package mapper

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// The download cache keeps, beside each domain's compact catalog, a second
// file with what only a full STIX bundle has: MITRE's descriptions of
// techniques and analytics and the detection relationships (the detection
// strategies of a technique, the analytics of a strategy, their log
// sources). They come from the bundle the user downloaded with `catalog
// update`, stay on the user's machine, and are never embedded in huntlint.

// TextsPath is the path of the texts file of domain d's cache in dir.
func TextsPath(dir string, d Domain) string { return textsPathOf(CachePath(dir, d)) }

// textsPathOf is the path of the texts file beside the cache file path.
func textsPathOf(catalogPath string) string {
	return strings.TrimSuffix(catalogPath, ".catalog.gz") + ".texts.json.gz"
}

// cachedTexts is the texts file: the release it belongs to and, per object
// that has any, its texts and detection relationships.
type cachedTexts struct {
	Domain   Domain       `json:"domain"`
	Release  string       `json:"release"`
	Modified string       `json:"modified"`
	Objects  []cachedText `json:"objects"`
}

type cachedText struct {
	Type        ObjectType `json:"type"`
	ID          string     `json:"id"`
	Description string     `json:"description,omitempty"`
	DetectedBy  []string   `json:"detected_by,omitempty"`
	Analytics   []string   `json:"analytics,omitempty"`
	LogSources  []string   `json:"log_sources,omitempty"`
}

// encodeTexts returns the gzip'd texts file of d, nil when d has no texts
// (a slim bundle).
func encodeTexts(d *domainData) ([]byte, error) {
	ct := cachedTexts{Domain: d.rel.Domain, Release: d.rel.Version, Modified: d.rel.Modified}
	for _, o := range d.all {
		if o.Description == "" && len(o.DetectedBy) == 0 && len(o.Analytics) == 0 && len(o.LogSources) == 0 {
			continue
		}
		ct.Objects = append(ct.Objects, cachedText{Type: o.Type, ID: o.ID, Description: o.Description,
			DetectedBy: o.DetectedBy, Analytics: o.Analytics, LogSources: o.LogSources})
	}
	if len(ct.Objects) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(ct); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// attachTexts reads the texts file at path into d's objects. A missing
// file, or one of another release (left from an older update), adds
// nothing; an unreadable one is an error naming the file.
func attachTexts(d *domainData, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("catalog cache: %w", err)
	}
	defer f.Close()
	bad := func(err error) error {
		return fmt.Errorf("catalog cache %q: %w (run 'huntlint catalog update' again or delete the file)", path, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return bad(err)
	}
	var ct cachedTexts
	if err := json.NewDecoder(io.LimitReader(zr, 256<<20)).Decode(&ct); err != nil {
		return bad(jsonErr(err))
	}
	if ct.Domain != d.rel.Domain || ct.Release != d.rel.Version || ct.Modified != d.rel.Modified {
		return nil
	}
	for _, t := range ct.Objects {
		if o, ok := d.byID[typeKey{t.Type, t.ID}]; ok {
			o.Description, o.DetectedBy, o.Analytics, o.LogSources = t.Description, t.DetectedBy, t.Analytics, t.LogSources
		}
	}
	return nil
}
