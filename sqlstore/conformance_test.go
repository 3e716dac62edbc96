package sqlstore_test

import (
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestConformance runs the storage conformance suite on SQLite, and on PostgreSQL when
// AWAPI_TEST_POSTGRES is set.
func TestConformance(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			storetest.Run(t, func(tb testing.TB) awapi.Store { return e.Open(tb) })
		})
	}
}
