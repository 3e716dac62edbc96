package sqlstore

import (
	"context"
	"strings"

	"github.com/pressly/goose/v3"
)

// DeleteAllData empties every table but the migration history and restarts the ID sequences, in one
// transaction, leaving the database as a fresh `migrate` does. `awapi seed` calls it to start over
// after a seed that did not finish, so the rerun creates exactly what a first run would.
func (s *DB) DeleteAllData(ctx context.Context) (err error) {
	defer wrap(&err, "DeleteAllData")
	// Ordinary tables only: a full-text table (virtual) and its shadow tables are emptied by the
	// triggers of the table whose content they index (emails_fts by emails'), never directly.
	list := `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> ?`
	if s.engine == Postgres {
		list = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> ?`
	}
	return s.inTx(ctx, func(tx txConn) (err error) {
		// A bulk load that did not finish left indexes dropped; they are built again on the empty
		// tables below, where that costs nothing.
		dropped, err := bulkIndexes(ctx, tx)
		if err != nil {
			return err
		}
		defer func() {
			if err == nil {
				err = restoreIndexesTx(ctx, tx, dropped)
			}
		}()
		rows, err := tx.query(ctx, list, goose.DefaultTablename)
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
			_, err := tx.exec(ctx, `TRUNCATE `+strings.Join(tables, ", ")+` RESTART IDENTITY`)
			return err
		}
		// Referencing tables are emptied first: deleting a row SQLite still looks for rows that
		// reference it, and on columns without an index that search made emptying members take
		// seconds (minutes under the race detector). Foreign keys are checked at commit, so any
		// order is correct. Integer primary keys restart by themselves once a table is empty.
		if _, err := tx.exec(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		if tables, err = referencingFirst(ctx, tx.conn, tables); err != nil {
			return err
		}
		for _, t := range tables {
			if _, err := tx.exec(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddRedirectURI registers uri for the project's OAuth client unless it already is, and reports
// whether it added it. Instances starting together on one database each add their own address
// without losing another's: the row is locked while its list is rewritten.
func (s *DB) AddRedirectURI(ctx context.Context, projectID int64, uri string) (_ bool, err error) {
	defer wrap(&err, "AddRedirectURI")
	added := false
	err = s.inTx(ctx, func(tx txConn) error {
		var uris string
		err := tx.queryRow(ctx, `SELECT redirect_uris FROM projects WHERE project_id = ?`+s.forUpdate(), projectID).Scan(&uris)
		if err != nil {
			return notFound(err, "The project")
		}
		list := splitLines(uris)
		for _, u := range list {
			if u == uri {
				return nil
			}
		}
		_, err = tx.exec(ctx, `UPDATE projects SET redirect_uris = ? WHERE project_id = ?`,
			strings.Join(append(list, uri), "\n"), projectID)
		added = err == nil
		return err
	})
	return added, err
}

// referencingFirst orders SQLite tables so each comes before the tables its foreign keys reference.
func referencingFirst(ctx context.Context, tx conn, tables []string) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table'`)
	if err != nil {
		return nil, err
	}
	referencedBy := map[string][]string{} // parent table -> child tables
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		referencedBy[`"`+parent+`"`] = append(referencedBy[`"`+parent+`"`], `"`+child+`"`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var (
		order  []string
		seen   = map[string]bool{}
		listed = map[string]bool{}
		visit  func(t string)
	)
	for _, t := range tables {
		listed[t] = true
	}
	visit = func(t string) {
		if seen[t] || !listed[t] {
			return
		}
		seen[t] = true
		for _, child := range referencedBy[t] {
			visit(child)
		}
		order = append(order, t)
	}
	for _, t := range tables {
		visit(t)
	}
	return order, nil
}
