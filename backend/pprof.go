package main

import (
	"net/http"
	"net/http/pprof"
)

// pprofMux serves the runtime profiles on their usual paths, on a server of
// their own (PPROF_ADDR), never on the API's.
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
