package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/pressly/goose/v3"
)

// DeleteAllData empties every table but the migration history and restarts the ID sequences, in one
// transaction, leaving the database as a fresh `migrate` does. `awapi seed` calls it to start over
// after a seed that did not finish, so the rerun creates exactly what a first run would.
func (s *DB) DeleteAllData(ctx context.Context) error {
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> ?`
	if s.engine == Postgres {
		list = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> ?`
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(list), goose.DefaultTablename)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, `"`+name+`"`)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if s.engine == Postgres {
			// One TRUNCATE of every table satisfies the foreign keys among them.
			_, err := tx.ExecContext(ctx, `TRUNCATE `+strings.Join(tables, ", ")+` RESTART IDENTITY`)
			return err
		}
		// Foreign keys are checked at commit, when the referencing rows are gone too. Integer
		// primary keys restart by themselves once a table is empty.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		for _, t := range tables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddRedirectURI registers uri for the project's OAuth client unless it already is, and reports
// whether it added it. Instances starting together on one database each add their own address
// without losing another's: the row is locked while its list is rewritten.
func (s *DB) AddRedirectURI(ctx context.Context, projectID int64, uri string) (bool, error) {
	added := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var uris string
		err := tx.QueryRowContext(ctx, s.q(`SELECT redirect_uris FROM projects WHERE project_id = ?`+s.forUpdate()),
			projectID).Scan(&uris)
		if err != nil {
			return notFound(err, "The project")
		}
		list := splitLines(uris)
		for _, u := range list {
			if u == uri {
				return nil
			}
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE projects SET redirect_uris = ? WHERE project_id = ?`),
			strings.Join(append(list, uri), "\n"), projectID)
		added = err == nil
		return err
	})
	return added, err
}
