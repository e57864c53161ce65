package mapper

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Limits of a download, unless UpdateOptions say otherwise. MITRE's
// enterprise bundle is about 45 MB of JSON, 8 MB gzipped: the limits leave
// room for years of growth and stop a hostile or broken server long before
// it fills a disk or the memory.
const (
	// DefaultMaxDownloadSize is the most bytes read from the network for
	// one bundle (gzipped, when the server sends it so).
	DefaultMaxDownloadSize int64 = 64 << 20
	// DefaultMaxExpandedSize is the most bytes of JSON one bundle may
	// expand to after gunzip (a file, or a download).
	DefaultMaxExpandedSize int64 = 512 << 20
	// DefaultConnectTimeout bounds the time from the request to the
	// response's headers: DNS, connection, TLS, redirects.
	DefaultConnectTimeout = 30 * time.Second
	// DefaultIdleTimeout ends a download that sends no byte for this long.
	DefaultIdleTimeout = 30 * time.Second
)

// UnreachableError is a download that got no answer from its host: a DNS
// failure, a refused or timed-out connection, a failed TLS handshake or no
// response in time. Update reports each host once, naming every URL of it
// that it did not get.
type UnreachableError struct {
	Host string
	URLs []string
	Err  error // the cause: "dial tcp: lookup example.com: no such host"
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s (%v); the cache is unchanged. Offline? Import a bundle with 'huntlint catalog update --from FILE', or pass --catalog FILE", e.Host, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// redirectError is a redirect that CheckRedirect refused.
type redirectError struct{ to string }

func (e *redirectError) Error() string {
	return fmt.Sprintf("the server redirected to %s, which is not https: refused", e.to)
}

// Causes of a cancelled request, told apart from the caller's cancellation.
var (
	errConnectTimeout = errors.New("connect timeout")
	errIdleTimeout    = errors.New("idle timeout")
)

// downloader fetches bundles over HTTPS within the limits of its options.
type downloader struct {
	client                *http.Client
	allowHTTP             bool
	maxSize, maxExpanded  int64
	connectTime, idleTime time.Duration
	progress              func(url string, size int64) (io.Writer, func())
}

func newDownloader(opts UpdateOptions) *downloader {
	d := &downloader{
		allowHTTP:   opts.AllowHTTP,
		maxSize:     orDefault(opts.MaxDownloadSize, DefaultMaxDownloadSize),
		maxExpanded: orDefault(opts.MaxExpandedSize, DefaultMaxExpandedSize),
		connectTime: orDefault(opts.ConnectTimeout, DefaultConnectTimeout),
		idleTime:    orDefault(opts.IdleTimeout, DefaultIdleTimeout),
		progress:    opts.Progress,
	}
	var c http.Client
	if opts.Client != nil {
		c = *opts.Client
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DialContext = (&net.Dialer{Timeout: d.connectTime, KeepAlive: 30 * time.Second}).DialContext
		tr.TLSHandshakeTimeout = d.connectTime
		tr.ResponseHeaderTimeout = d.connectTime
		c.Transport = tr
	}
	// Every hop must be https: a redirect to plain http would let anyone
	// on the path change the catalog.
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !d.schemeAllowed(req.URL) {
			return &redirectError{to: req.URL.Redacted()}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	d.client = &c
	return d
}

func orDefault[T int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (d *downloader) schemeAllowed(u *url.URL) bool {
	return u.Scheme == "https" || (d.allowHTTP && u.Scheme == "http")
}

// fetched is a download in a temporary file of the cache folder.
type fetched struct {
	file *os.File
	// gzipped is true when the server sent the body with
	// Content-Encoding: gzip (the file holds it as sent).
	gzipped bool
}

// close removes the temporary file.
func (f *fetched) close() {
	f.file.Close()
	os.Remove(f.file.Name())
}

// fetch downloads rawURL into a temporary file in dir. On any error no
// temporary file remains.
func (d *downloader) fetch(ctx context.Context, dir, rawURL string) (*fetched, error) {
	reqCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "huntlint")
	// Asked for explicitly, a gzip body is not decoded by the transport:
	// the size limit then counts the bytes on the wire and the expanded
	// limit the JSON.
	req.Header.Set("Accept-Encoding", "gzip")
	connect := time.AfterFunc(d.connectTime, func() { cancel(errConnectTimeout) })
	resp, err := d.client.Do(req)
	if !connect.Stop() && err == nil {
		// The timer fired as the response came: the request is cancelled.
		resp.Body.Close()
		err = errConnectTimeout
	}
	if err != nil {
		return nil, d.requestError(ctx, reqCtx, req, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: HTTP %s; the cache is unchanged", rawURL, resp.Status)
	}
	f := &fetched{}
	switch enc := strings.ToLower(resp.Header.Get("Content-Encoding")); enc {
	case "", "identity":
	case "gzip":
		f.gzipped = true
	default:
		return nil, fmt.Errorf("download %s: the server sent Content-Encoding %q, not gzip; the cache is unchanged", rawURL, enc)
	}
	if resp.ContentLength > d.maxSize {
		return nil, fmt.Errorf("download %s: %s, more than the %s download limit; the cache is unchanged (raise it with --max-download-size if the bundle is genuine)",
			rawURL, sizeText(resp.ContentLength), sizeText(d.maxSize))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("catalog cache: %w", err)
	}
	if f.file, err = os.CreateTemp(dir, ".download-*"); err != nil {
		return nil, fmt.Errorf("catalog cache: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.close()
		}
	}()
	var w io.Writer = f.file
	if d.progress != nil {
		pw, done := d.progress(rawURL, resp.ContentLength)
		if done != nil {
			defer done()
		}
		if pw != nil {
			w = io.MultiWriter(f.file, pw)
		}
	}
	idle := time.AfterFunc(d.idleTime, func() { cancel(errIdleTimeout) })
	defer idle.Stop()
	body := &idleReader{r: io.LimitReader(resp.Body, d.maxSize+1), timer: idle, d: d.idleTime}
	n, err := io.Copy(w, body)
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("download %s: interrupted after %d bytes; the cache is unchanged", rawURL, n)
	case errors.Is(context.Cause(reqCtx), errIdleTimeout):
		return nil, fmt.Errorf("download %s: no data for %s after %d bytes (idle timeout); the cache is unchanged", rawURL, d.idleTime, n)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("download %s: the connection ended after %d of %d bytes (truncated); the cache is unchanged", rawURL, n, resp.ContentLength)
	case err != nil:
		return nil, fmt.Errorf("download %s: %w after %d bytes; the cache is unchanged", rawURL, err, n)
	case n > d.maxSize:
		return nil, fmt.Errorf("download %s: more than the %s download limit; the cache is unchanged (raise it with --max-download-size if the bundle is genuine)", rawURL, sizeText(d.maxSize))
	case resp.ContentLength >= 0 && n != resp.ContentLength:
		return nil, fmt.Errorf("download %s: got %d of %d bytes (truncated); the cache is unchanged", rawURL, n, resp.ContentLength)
	}
	ok = true
	return f, nil
}

// requestError explains a failed request: refused redirect, interruption,
// or a host that did not answer.
func (d *downloader) requestError(ctx, reqCtx context.Context, req *http.Request, err error) error {
	var re *redirectError
	if errors.As(err, &re) {
		return fmt.Errorf("download %s: %v; the cache is unchanged", req.URL, re)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("download %s: interrupted; the cache is unchanged", req.URL)
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	if errors.Is(context.Cause(reqCtx), errConnectTimeout) {
		cause = fmt.Errorf("no answer within %s", d.connectTime)
	}
	return &UnreachableError{Host: req.URL.Hostname(), URLs: []string{req.URL.String()}, Err: cause}
}

// idleReader resets timer by d on every read that gets data.
type idleReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.timer.Reset(r.d)
	}
	return n, err
}

// errExpanded says that a bundle expands past the limit.
type errExpanded struct{ limit int64 }

func (e errExpanded) Error() string {
	return fmt.Sprintf("it expands to more than the %s limit after gunzip (raise it with --max-expanded-size if the bundle is genuine)", sizeText(e.limit))
}

// decodeLimited decodes the bundle in f (plain or gzip JSON; gzipped once
// more when transportGzip) after checking, by a streaming pass that keeps
// nothing, that its JSON is at most maxExpanded bytes: a gzip bomb is
// refused in bounded memory before the JSON decoder sees it.
func decodeLimited(f *os.File, transportGzip bool, maxExpanded int64, name, release string) (*domainData, error) {
	open := func() (io.Reader, func(), error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, nil, err
		}
		if !transportGzip {
			return f, func() {}, nil
		}
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
		if err != nil {
			return nil, nil, fmt.Errorf("Content-Encoding gzip: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	}
	r, done, err := open()
	if err != nil {
		return nil, err
	}
	if err := checkExpanded(r, f, transportGzip, maxExpanded); err != nil {
		done()
		return nil, err
	}
	done()
	if r, done, err = open(); err != nil {
		return nil, err
	}
	defer done()
	d, err := decodeBundle(r, name, release)
	if err != nil {
		// Without decodeBundle's "load catalog NAME:": callers name the
		// file or URL.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return nil, err
	}
	return d, nil
}

// checkExpanded reads r (the content of f) to its end, gunzipping it when
// it is gzip, and fails when that gives more than limit bytes. Other read
// errors are left for the decoder to report in its usual words.
func checkExpanded(r io.Reader, f *os.File, transportGzip bool, limit int64) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(2)
	if !bytes.Equal(head, []byte{0x1f, 0x8b}) {
		if !transportGzip {
			if fi, err := f.Stat(); err == nil && fi.Size() > limit {
				return errExpanded{limit}
			}
			return nil
		}
		if n, _ := io.Copy(io.Discard, io.LimitReader(br, limit+1)); n > limit {
			return errExpanded{limit}
		}
		return nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil
	}
	defer zr.Close()
	if n, _ := io.Copy(io.Discard, io.LimitReader(zr, limit+1)); n > limit {
		return errExpanded{limit}
	}
	return nil
}

// sizeText writes a byte count for people: "64 MiB", "1.5 GiB", "900 KiB".
func sizeText(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	v := float64(n)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// ParseSize parses a byte size: a whole number with an optional unit, B,
// KiB, MiB, GiB (or K, M, G, by 1024) or KB, MB, GB (by 1000): "64MiB",
// "512M", "100000000". It must be positive.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	num, unit := t[:i], strings.ToUpper(strings.TrimSpace(t[i:]))
	mult := map[string]int64{
		"": 1, "B": 1,
		"K": 1 << 10, "KIB": 1 << 10, "KB": 1000,
		"M": 1 << 20, "MIB": 1 << 20, "MB": 1000 * 1000,
		"G": 1 << 30, "GIB": 1 << 30, "GB": 1000 * 1000 * 1000,
	}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || mult == 0 || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q: use a positive number of bytes with an optional unit, as \"64MiB\" or \"512M\"", s)
	}
	return n * mult, nil
}
