package dashboard

import "net/http"

// registerFiles adds the import and export pages.
func (s *Server) registerFiles(mux *http.ServeMux) {}
