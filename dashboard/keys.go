package dashboard

import "net/http"

// registerKeys adds the API keys page.
func (s *Server) registerKeys(mux *http.ServeMux) {}
