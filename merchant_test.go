package fatora_test

import (
	"strings"
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

func TestAPIKeyValidate(t *testing.T) {
	good := fatora.APIKey{ID: "0f8fad5b-d9cb-469f-a165-70867728950e", Prefix: "E4B73FEE"}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(%+v) = %v", good, err)
	}
	for _, bad := range []fatora.APIKey{
		{ID: "id\x00", Prefix: "p"}, {ID: "\xff", Prefix: "p"}, {ID: "id", Prefix: "p\n"},
		{ID: strings.Repeat("a", 201), Prefix: "p"},
	} {
		if got := fatora.ErrorCode(bad.Validate()); got != fatora.CodeInvalidField {
			t.Errorf("Validate(%q, %q) gives %s, want %s", bad.ID, bad.Prefix, got, fatora.CodeInvalidField)
		}
	}
}

func TestMerchantSetID(t *testing.T) {
	var m fatora.Merchant
	keys := []*fatora.APIKey{{ID: "a"}, {ID: "b"}}
	m.SetID(7, keys)
	if m.ID != 7 || m.Number != fatora.MerchantNumber(7) || keys[0].MerchantID != 7 || keys[1].MerchantID != 7 {
		t.Errorf("after SetID(7): merchant %+v, keys %+v %+v", m, *keys[0], *keys[1])
	}
}
