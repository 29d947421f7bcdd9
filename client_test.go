package fatora

import (
	"testing"
	"time"
)

func TestClientUpdate(t *testing.T) {
	t0, t1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	str := func(s string) *string { return &s }
	base := Client{ID: 1, ClientFields: ClientFields{Name: "José", Email: "a@example.com"}, CreatedAt: t0, UpdatedAt: t0}
	tests := []struct {
		name    string
		u       ClientUpdate
		changed bool
		want    ClientFields
	}{
		{"nothing sent", ClientUpdate{}, false, base.ClientFields},
		{"the same values", ClientUpdate{Name: str("José"), Email: str("a@example.com"), Phone: str("")}, false, base.ClientFields},
		{"the same name, decomposed", ClientUpdate{Name: str("Jose\u0301")}, false, base.ClientFields},
		{"the same e-mail with spaces", ClientUpdate{Email: str(" a@example.com ")}, false, base.ClientFields},
		{"a new phone", ClientUpdate{Phone: str("+974 5555 1234")}, true, ClientFields{Name: "José", Email: "a@example.com", Phone: "+974 5555 1234"}},
		{"a cleared e-mail", ClientUpdate{Email: str("")}, true, ClientFields{Name: "José"}},
	}
	for _, tt := range tests {
		c := base
		changed, err := c.Update(tt.u, t1)
		wantUpdated := t0
		if tt.changed {
			wantUpdated = t1
		}
		if err != nil || changed != tt.changed || !c.ClientFields.Equal(tt.want) || !c.UpdatedAt.Equal(wantUpdated) {
			t.Errorf("%s: changed %v, %v, %+v at %v; want changed %v, %+v at %v", tt.name, changed, err, c.ClientFields, c.UpdatedAt, tt.changed, tt.want, wantUpdated)
		}
	}
	c := base
	if changed, err := c.Update(ClientUpdate{Name: str(" ")}, t1); err == nil || changed || !c.ClientFields.Equal(base.ClientFields) || c.UpdatedAt != base.UpdatedAt {
		t.Errorf("a blank name: changed %v, %v, %+v; want an error and no change", changed, err, c)
	}
}
