package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/fatora-oss/fatora"
)

// BenchmarkRekey keys anew 20,000 clients left at the earlier version.
func BenchmarkRekey(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db, _ := openFileB(b)
		m := fatora.Merchant{Name: "Tenant", Email: "tenant@example.com"}
		if err := NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
			b.Fatal(err)
		}
		err := db.inBatch(context.Background(), func(tx runner) error {
			for i := range 20000 {
				_, err := tx.ExecContext(context.Background(), `INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes,
					email_folded, phone_digits, search_text, dedup, created_at, updated_at, search_version)
					VALUES (?, 'live', ?, '+974 5512 3456', ?, 'West Bay, Doha', '', '', '', '', ?, 0, 0, 1)`,
					m.ID, fmt.Sprintf("أحمد الكعبي %d", i), fmt.Sprintf("ahmad.%d@example.com", i), fmt.Sprint(i))
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for {
			n, err := db.rekeyOnce(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

func openFileB(b *testing.B) (*DB, string) {
	path := b.TempDir() + "/store.db"
	db, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	return db, path
}
