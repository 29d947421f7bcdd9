package fatora_test

import (
	"testing"

	"github.com/fatora-oss/fatora"
)

func TestMerchantNumber(t *testing.T) {
	for id, want := range map[int64]string{1: "10001", 42: "10042", 90000: "100000"} {
		if got := fatora.MerchantNumber(id); got != want {
			t.Errorf("MerchantNumber(%d) = %q, want %q", id, got, want)
		}
	}
}
