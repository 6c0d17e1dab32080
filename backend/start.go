package backend

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Running is a Server listening on a port.
type Running struct {
	URL    string // http://host:port, no trailing slash
	Server *Server

	http *http.Server
	done chan struct{}
	err  error
}

// Start opens a server with opts, listens on addr ("127.0.0.1:0" picks a
// free port) and serves until ctx ends or Close is called.
func Start(ctx context.Context, addr string, opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	r := &Running{
		URL:    "http://" + ln.Addr().String(),
		Server: s,
		http: &http.Server{
			Handler:           s.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
		},
		done: make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		if err := r.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.err = err
			s.log.Error("serve", "err", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			r.Close()
		case <-r.done:
		}
	}()
	s.log.Info("backend listening", "url", r.URL)
	return r, nil
}

// Close stops the server: event streams end, requests in flight get a few
// seconds, then the store closes. It is safe to call more than once.
func (r *Running) Close() error {
	r.Server.stopStreams()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := r.http.Shutdown(ctx); err != nil {
		r.http.Close()
	}
	<-r.done
	return errors.Join(r.err, r.Server.Close())
}

// Done is closed when the server has stopped serving.
func (r *Running) Done() <-chan struct{} { return r.done }
