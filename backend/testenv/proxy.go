package testenv

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy forwards a loopback port to a server, and can cut or freeze the
// link, so a test can take a dependency away without touching the server
// other tests share.
type Proxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	state  string // "up", "down" (refuse and drop) or "frozen" (accept, never answer)
	conns  map[net.Conn]bool
	closed bool
}

// NewProxy starts a proxy to target (host:port), closed when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, state: "up", conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Through rewrites a URL's host to go through the proxy.
func (p *Proxy) Through(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	u.Host = p.Addr()
	return u.String()
}

// Down drops every connection and refuses new ones, like a stopped server.
func (p *Proxy) Down() { p.set("down", true) }

// Freeze holds connections open and passes nothing, like a hung server.
func (p *Proxy) Freeze() { p.set("frozen", true) }

// Up restores the link. Connections held while frozen are dropped (their
// clients have long given up); live piped ones carry on.
func (p *Proxy) Up() {
	p.mu.Lock()
	frozen := p.state == "frozen"
	p.mu.Unlock()
	p.set("up", frozen)
}

func (p *Proxy) set(state string, cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = state
	if cut {
		for c := range p.conns {
			c.Close()
		}
		p.conns = map[net.Conn]bool{}
	}
}

// Close stops the proxy.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.set("down", true)
}

func (p *Proxy) serve() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		state := p.state
		if state == "down" || p.closed {
			p.mu.Unlock()
			in.Close()
			continue
		}
		p.conns[in] = true
		p.mu.Unlock()
		if state == "frozen" {
			continue // held open until Up or Down cuts it
		}
		go p.pipe(in)
	}
}

func (p *Proxy) pipe(in net.Conn) {
	out, err := net.Dial("tcp", p.target)
	if err != nil {
		in.Close()
		return
	}
	p.mu.Lock()
	p.conns[out] = true
	p.mu.Unlock()
	go func() { io.Copy(out, in); out.Close() }()
	io.Copy(in, out)
	in.Close()
}
