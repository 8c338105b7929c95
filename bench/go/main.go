// What many would pick instead: Go's net/http with a ServeMux, answering GET /greet/<count> and GET /items/<id>
// with the same JSON as samples/Hello (encoding/json, struct tags for the names). Built twice from these handlers:
// as a CGI program (serve_cgi.go, net/http/cgi) and, with -tags fcgi, as a FastCGI worker (serve_fcgi.go).
package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

type greeting struct {
	Message string `json:"message"`
	Count   int    `json:"count"`
}

type owner struct {
	Name  string `json:"name"`
	Since int    `json:"since"`
}

type item struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Tags  []string `json:"tags"`
	Owner owner    `json:"owner"`
}

// handle answers GET PREFIX<int> with the JSON of make(int).
func handle(mux *http.ServeMux, prefix string, make func(int) any) {
	mux.HandleFunc(prefix, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, prefix))
		if err != nil || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		body, _ := json.Marshal(make(n))
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

func main() {
	mux := http.NewServeMux()
	handle(mux, "/greet/", func(n int) any { return greeting{"Hello", n} })
	handle(mux, "/items/", func(n int) any {
		return item{n, "item" + strconv.Itoa(n), []string{"a", "b"}, owner{"Ann", 2019}}
	})
	serve(mux)
}
