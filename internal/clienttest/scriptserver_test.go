package clienttest_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// scriptServer is an HTTP/1.1 server on loopback built on a bare TCP listener: each request is parsed off the
// connection and handed to a script, which writes whatever bytes it likes to the connection, or nothing, or
// resets it. Unlike an http.Server, nothing cleans the request or shapes the answer in between.
type scriptServer struct {
	url    string
	script func(conn *net.TCPConn, req seenRequest) (keepAlive bool)

	done  chan struct{} // closed when the test ends: scripts that hang (a server that never answers) return
	mu    sync.Mutex
	seen  []seenRequest
	conns map[net.Conn]bool
}

// seenRequest is what a scriptServer received: the request line's method and target as sent, the header
// and the whole body, and its index among the server's requests.
type seenRequest struct {
	N      int
	Method string
	Target string
	Header http.Header
	Body   []byte
}

func newScriptServer(t testing.TB, script func(conn *net.TCPConn, req seenRequest) (keepAlive bool)) *scriptServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptServer{url: "http://" + l.Addr().String(), script: script, done: make(chan struct{}), conns: map[net.Conn]bool{}}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		close(s.done)
		_ = l.Close()
		s.mu.Lock()
		for c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[conn] = true
			s.mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.serve(conn.(*net.TCPConn))
			}()
		}
	}()
	return s
}

func (s *scriptServer) serve(conn *net.TCPConn) {
	defer func() {
		_ = conn.Close()
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
	}()
	br := bufio.NewReader(conn)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		body, _ := io.ReadAll(req.Body)
		s.mu.Lock()
		seen := seenRequest{N: len(s.seen), Method: req.Method, Target: req.RequestURI, Header: req.Header, Body: body}
		s.seen = append(s.seen, seen)
		s.mu.Unlock()
		if !s.script(conn, seen) {
			return
		}
	}
}

// requests is every request the server has received so far.
func (s *scriptServer) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// hang blocks until the test ends: a server that never answers.
func (s *scriptServer) hang() { <-s.done }

// respond writes a whole HTTP/1.1 response with a Content-Length.
func respond(conn net.Conn, status int, header map[string]string, body string) {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	_, _ = io.WriteString(conn, b.String())
}

// reset closes conn with an RST instead of a FIN, as a crashed server or a middlebox does: the client reads
// "connection reset by peer".
func reset(conn *net.TCPConn) {
	_ = conn.SetLinger(0)
	_ = conn.Close()
}
