package httpapi

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

// BenchmarkDecodeAndValidateCreate is the work on a create body before the
// store: strict decoding and validation with normalisation.
func BenchmarkDecodeAndValidateCreate(b *testing.B) {
	body := []byte(`{"name":"مريم الكواري","phone":"+974 5555 1234","email":"maryam@example.qa","address":"Doha, Qatar","notes":"Prefers Arabic invoices"}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		u, err := decodeClient(body)
		if err != nil {
			b.Fatal(err)
		}
		f, err := u.update.Apply(fatora.ClientFields{}).Normalize()
		if err != nil {
			b.Fatal(err)
		}
		_ = f.MatchKeys(fatora.DefaultRegion)
	}
}
