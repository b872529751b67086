//go:build !unix

package clienttest_test

import (
	"net"
	"testing"
)

// refusingAddr returns a loopback address where nothing listens: a listener's port, closed. Another process may
// be handed the port before the test dials it; unix systems hold it with a bound socket instead.
func refusingAddr(t *testing.T) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
