// Package wire is a counting TCP proxy for loopback benchmarks: every byte
// between the screens and the backend passes through it, and it reads the
// HTTP requests going by (without changing a byte) to count them by route.
// Bytes are TCP payload: HTTP headers and bodies, not TCP/IP headers or TLS.
package wire

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Proxy forwards connections from Addr to a target address.
type Proxy struct {
	Addr   string // host:port the screens connect to
	target string
	ln     net.Listener

	mu      sync.Mutex
	routes  map[string]int64 // "GET /api/screen/v1/board" -> requests
	conns   map[net.Conn]bool
	stream  atomic.Int64 // bytes on connections that carry the event stream
	other   atomic.Int64 // bytes on every other connection
	nconns  atomic.Int64
	stopped atomic.Bool
	wg      sync.WaitGroup
}

// Listen starts a proxy on a free loopback port in front of target.
func Listen(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("proxy listen: %w", err)
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, ln: ln, routes: map[string]int64{}, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Counts is a snapshot of what went through.
type Counts struct {
	StreamBytes int64            // both directions, event-stream connections
	OtherBytes  int64            // both directions, all other connections
	Conns       int64            // TCP connections accepted
	Routes      map[string]int64 // requests by "METHOD path" (media hashes folded)
}

// Total is every byte both ways.
func (c Counts) Total() int64 { return c.StreamBytes + c.OtherBytes }

// Requests is every request.
func (c Counts) Requests() int64 {
	var n int64
	for _, v := range c.Routes {
		n += v
	}
	return n
}

// Sub is c minus an earlier snapshot.
func (c Counts) Sub(old Counts) Counts {
	out := Counts{StreamBytes: c.StreamBytes - old.StreamBytes, OtherBytes: c.OtherBytes - old.OtherBytes,
		Conns: c.Conns - old.Conns, Routes: map[string]int64{}}
	for k, v := range c.Routes {
		if d := v - old.Routes[k]; d != 0 {
			out.Routes[k] = d
		}
	}
	return out
}

// String lists the routes, most frequent first.
func (c Counts) String() string {
	keys := make([]string, 0, len(c.Routes))
	for k := range c.Routes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return c.Routes[keys[i]] > c.Routes[keys[j]] })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d ", k, c.Routes[k])
	}
	return strings.TrimSpace(b.String())
}

// Counts returns the counts so far.
func (p *Proxy) Counts() Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := Counts{StreamBytes: p.stream.Load(), OtherBytes: p.other.Load(), Conns: p.nconns.Load(), Routes: map[string]int64{}}
	for k, v := range p.routes {
		c.Routes[k] = v
	}
	return c
}

// DropAll closes every open connection (a backend restart seen from the
// screens is the same as this plus refused connections).
func (p *Proxy) DropAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// Close stops accepting and closes every connection.
func (p *Proxy) Close() error {
	p.stopped.Store(true)
	err := p.ln.Close()
	p.DropAll()
	p.wg.Wait()
	return err
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if p.stopped.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.nconns.Add(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(c)
		}()
	}
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *Proxy) handle(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close() // the backend is down: the screen sees a reset
		return
	}
	p.track(client, true)
	p.track(server, true)
	defer func() {
		p.track(client, false)
		p.track(server, false)
		client.Close()
		server.Close()
	}()
	var isStream atomic.Bool
	count := func(n int64) {
		if isStream.Load() {
			p.stream.Add(n)
		} else {
			p.other.Add(n)
		}
	}
	done := make(chan struct{}, 2)
	// Client to server: forwarded unchanged as it is read, and parsed.
	go func() {
		defer func() { done <- struct{}{} }()
		cw := &countWriter{w: server, n: count}
		br := bufio.NewReader(io.TeeReader(client, cw))
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				server.(*net.TCPConn).CloseWrite()
				return
			}
			route := req.Method + " " + fold(req.URL.Path)
			if strings.HasSuffix(req.URL.Path, "/events") {
				// From here on the connection carries the stream (a
				// stream holds its connection until it ends).
				isStream.Store(true)
			}
			p.mu.Lock()
			p.routes[route]++
			p.mu.Unlock()
			io.Copy(io.Discard, req.Body)
			req.Body.Close()
		}
	}()
	// Server to client.
	go func() {
		defer func() { done <- struct{}{} }()
		io.Copy(&countWriter{w: client, n: count}, server)
		client.(*net.TCPConn).CloseWrite()
	}()
	<-done
	<-done
}

// fold replaces the hash in a media path so routes stay few.
func fold(path string) string {
	if i := strings.Index(path, "/media/"); i >= 0 {
		return path[:i] + "/media/{sha256}"
	}
	return path
}

type countWriter struct {
	w io.Writer
	n func(int64)
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n(int64(n))
	return n, err
}
