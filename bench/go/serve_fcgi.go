//go:build fcgi

package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/fcgi"
	"os"
	"strings"
)

// serve answers FastCGI requests on the address of the first argument: unix:PATH or HOST:PORT.
func serve(mux *http.ServeMux) {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-fcgi unix:PATH | HOST:PORT")
		os.Exit(2)
	}
	network, address := "tcp", os.Args[1]
	if strings.HasPrefix(address, "unix:") {
		network, address = "unix", strings.TrimPrefix(address, "unix:")
	}
	listener, err := net.Listen(network, address)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := fcgi.Serve(listener, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
