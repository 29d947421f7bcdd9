package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestClientsMetadata sets metadata with --metadata, changes and filters
// by it, exports it as metadata.KEY columns and imports those columns back.
func TestClientsMetadata(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	c := e.client(t, "create", "--name", "Meta Mariam", "--metadata", "crm_id=42", "--metadata", "tier=gold")
	if want := map[string]string{"crm_id": "42", "tier": "gold"}; !cmp.Equal(c.Metadata, want) {
		t.Fatalf("create --metadata: %v, want %v", c.Metadata, want)
	}
	id := c.ID
	u := e.client(t, "update", strconv.FormatInt(id, 10), "--metadata", "tier=", "--metadata", "erp=E-1")
	if want := map[string]string{"crm_id": "42", "erp": "E-1"}; !cmp.Equal(u.Metadata, want) {
		t.Fatalf("update --metadata: %v, want %v", u.Metadata, want)
	}
	e.client(t, "create", "--name", "Plain Pete")
	if out := e.ok(t, "list", "--metadata", "erp=E-1"); !strings.Contains(out, "Meta Mariam") || strings.Contains(out, "Plain Pete") {
		t.Errorf("list --metadata erp=E-1:\n%s", out)
	}
	rows, err := csv.NewReader(strings.NewReader(e.ok(t, "export", "--format", "csv"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("the CSV export: %v %v", rows, err)
	}
	if want := []string{"metadata.crm_id", "metadata.erp"}; !cmp.Equal(rows[0][8:], want) || !cmp.Equal(rows[1][8:], []string{"42", "E-1"}) ||
		!cmp.Equal(rows[2][8:], []string{"", ""}) {
		t.Errorf("the export's metadata columns: %q", rows)
	}
	path := writeFile(t, "meta.csv", "name,Metadata.shop_id,metadata.crm_id\nImported Iman,S-9,\n")
	if r := e.clients(t, "import", path); r.err != nil {
		t.Fatalf("import: %v %s", r.err, r.stderr)
	}
	var imported clientOutput
	for _, c := range e.listAll(t) {
		if c.Name == "Imported Iman" {
			imported = c
		}
	}
	if want := map[string]string{"shop_id": "S-9"}; !cmp.Equal(imported.Metadata, want) {
		t.Errorf("imported metadata %v, want %v (an empty cell sends no key)", imported.Metadata, want)
	}
}

// TestClientsRestore deletes a client, restores it with the command, and
// erases it for good with --permanent.
func TestClientsRestore(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	id := strconv.FormatInt(e.client(t, "create", "--name", "Restored Rami").ID, 10)
	if out := e.ok(t, "delete", id); !strings.Contains(out, "restore "+id) {
		t.Errorf("delete says %q, want it to name the restore", out)
	}
	if c := e.client(t, "restore", id); c.Name != "Restored Rami" {
		t.Errorf("restore printed %+v", c)
	}
	e.ok(t, "delete", "--permanent", id)
	wantOneLineError(t, e.clients(t, "restore", id), "not_found")
}
