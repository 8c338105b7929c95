//go:build !fcgi

package main

import (
	"net/http"
	"net/http/cgi"
)

// serve answers the one CGI request of this process.
func serve(mux *http.ServeMux) {
	cgi.Serve(mux)
}
