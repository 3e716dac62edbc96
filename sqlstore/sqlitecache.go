package sqlstore

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"sync/atomic"
)

// A prepared-statement cache per SQLite connection.
//
// modernc's driver compiles the SQL text on every ExecContext and QueryContext (conn.exec and
// conn.query prepare a statement and finalize it after use), which cost a quarter of the CPU of a
// simple bearer request. Its prepared statements, on the other hand, are compiled once and reset
// between runs. So each connection is wrapped in a cachingConn that answers ExecContext and
// QueryContext from an LRU of statements it prepared, keyed by text: the pool and any transaction on
// the connection use the same statements (a transaction is state of the connection), database/sql
// guarantees one goroutine at a time per connection, and a connection never waits for another to
// prepare. This is what pgx already does for PostgreSQL connections.

// sqliteStmtCacheSize bounds the statements one connection keeps prepared, as pgx keeps 512. The
// whole conformance suite runs about 250 distinct texts (TestStatementTextsBounded), most of them
// combinations of search filters; a statement takes about 3.6 KB, so a full cache is under 2 MB.
const sqliteStmtCacheSize = 512

// cachingConnector opens modernc connections wrapped in cachingConns.
type cachingConnector struct {
	driver.Connector
	size     int
	prepares *atomic.Int64 // statements compiled on every connection, for tests
}

// sqliteConn is what modernc's connection offers and cachingConn forwards (hiding any of these
// would make database/sql fall back to context-free calls).
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

func (c *cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(sqliteConn)
	if !ok {
		dc.Close()
		return nil, errors.New("sqlstore: the SQLite driver's connection lacks a context method")
	}
	return &cachingConn{sqliteConn: inner, size: c.size, prepares: c.prepares, stmts: map[string]*list.Element{}}, nil
}

// cachingConn is a modernc connection with an LRU of prepared statements.
type cachingConn struct {
	sqliteConn
	size     int
	prepares *atomic.Int64
	stmts    map[string]*list.Element // text -> element of lru holding a *cachedStmt
	lru      list.List                // most recently used first
}

// cachedStmt is a prepared statement; busy while its rows are open. A statement the cache let go
// while busy, or one prepared beside a busy one (oneOff), is closed once its rows are.
type cachedStmt struct {
	query         string
	ds            driver.Stmt
	busy, dropped bool
}

func (c *cachingConn) prepare(ctx context.Context, query string) (driver.Stmt, error) {
	c.prepares.Add(1)
	return c.sqliteConn.PrepareContext(ctx, query)
}

// Prepare and PrepareContext serve database/sql's own prepared statements (sql.DB.Prepare), which
// prepareOnce uses for texts that do not repeat; they are not cached.
func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.prepare(context.Background(), query)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.prepare(ctx, query)
}

// acquire returns query's statement, marked busy, preparing it on first use.
func (c *cachingConn) acquire(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.stmts[query]; ok {
		c.lru.MoveToFront(e)
		st := e.Value.(*cachedStmt)
		if !st.busy {
			st.busy = true
			return st, nil
		}
		// Its rows are still open (a transaction reading while it iterates): a statement of its own.
		ds, err := c.prepare(ctx, query)
		if err != nil {
			return nil, err
		}
		return &cachedStmt{query: query, ds: ds, busy: true, dropped: true}, nil
	}
	ds, err := c.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	st := &cachedStmt{query: query, ds: ds, busy: true}
	c.stmts[query] = c.lru.PushFront(st)
	for c.lru.Len() > c.size {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.stmts, old.query)
		old.dropped = true
		if !old.busy {
			old.ds.Close()
		}
	}
	return st, nil
}

// release ends a use of st.
func (st *cachedStmt) release() error {
	st.busy = false
	if st.dropped {
		return st.ds.Close()
	}
	return nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, err := c.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.ds.(driver.StmtExecContext).ExecContext(ctx, args)
	return res, errors.Join(err, st.release())
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := c.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.ds.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, errors.Join(err, st.release())
	}
	return &cachedRows{Rows: rows, st: st}, nil
}

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cachedStmt).ds.Close())
	}
	c.stmts, c.lru = nil, list.List{}
	return errors.Join(append(errs, c.sqliteConn.Close())...)
}

// cachedRows releases its statement when closed; the column-type methods reach modernc's rows.
type cachedRows struct {
	driver.Rows
	st *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	if r.st != nil {
		err = errors.Join(err, r.st.release())
		r.st = nil
	}
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
