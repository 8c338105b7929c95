// What many would pick instead: Go's net/http/cgi with a ServeMux, answering GET /greet/<count> with JSON.
package main

import (
	"encoding/json"
	"net/http"
	"net/http/cgi"
	"strconv"
	"strings"
)

type greeting struct {
	Message string `json:"message"`
	Count   int    `json:"count"`
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/greet/", func(w http.ResponseWriter, r *http.Request) {
		count, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/greet/"))
		if err != nil || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		body, _ := json.Marshal(greeting{"Hello", count})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	cgi.Serve(mux)
}
