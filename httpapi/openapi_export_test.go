package httpapi

import (
	"net/http"

	"github.com/fatora-oss/fatora"
)

// StatusOfCode returns the status writeError answers an error code with:
// the table's, 500 for internal, 0 for a code it does not know.
func StatusOfCode(code string) int {
	if status, ok := statusOf[code]; ok {
		return status
	}
	if code == fatora.CodeInternal {
		return http.StatusInternalServerError
	}
	return 0
}

// TableCodes returns every code of the status table.
func TableCodes() []string {
	codes := make([]string, 0, len(statusOf))
	for code := range statusOf {
		codes = append(codes, code)
	}
	return codes
}
