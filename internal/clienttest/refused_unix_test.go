//go:build unix

package clienttest_test

import (
	"strconv"
	"syscall"
	"testing"
)

// refusingAddr returns a loopback address where a connection is refused for as long as the test runs. The port
// is held by a socket that is bound but never listens: the kernel answers a connect with a reset, and no other
// process can start listening there. Closing a listener and reusing its port instead races with every other
// test binary on the machine, one of which may be handed the port and answer.
func refusingAddr(t *testing.T) (string, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return "", err
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return "", err
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		return "", err
	}
	return "127.0.0.1:" + strconv.Itoa(sa.(*syscall.SockaddrInet4).Port), nil
}
