// Package q is new.
package q

// Hello says hello.
func Hello() string { return "hello" }
