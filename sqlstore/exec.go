package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/awapi/awapi"
)

// The executor: every statement of the store runs through a conn (see the package documentation).

// runner is what the pool and a transaction both offer.
type runner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// conn runs statements written with ? placeholders on the pool or in one transaction.
type conn struct {
	s   *DB
	r   runner
	raw *sql.Conn // the connection below r, when inBulkTx opened it (PostgreSQL)
}

// txConn is a conn inside a transaction; what must run in one takes a txConn.
type txConn struct{ conn }

// pool is the executor on the connection pool.
func (s *DB) pool() conn { return conn{s: s, r: s.db} }

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.r.ExecContext(ctx, c.s.texts.engine(c.s.engine, query), args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.r.QueryContext(ctx, c.s.texts.engine(c.s.engine, query), args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return c.r.QueryRowContext(ctx, c.s.texts.engine(c.s.engine, query), args...)
}

// execCount runs one statement and answers how many rows it touched.
func (c conn) execCount(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// plannedArgs marks a statement whose plan depends on its values (a search over skewed data): on
// PostgreSQL it runs as pgx's unnamed statement, which the server plans for these values every time,
// instead of a prepared statement whose plan may turn generic. SQLite plans its prepared statements
// itself (with STAT4 it re-plans when a value that chose the plan changes).
func (c conn) plannedArgs(args []any) []any {
	if c.s.engine != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// queryPlanned is query for a statement planned for its values (plannedArgs).
func (c conn) queryPlanned(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.query(ctx, query, c.plannedArgs(args)...)
}

// queryRowPlanned is queryRow for a statement planned for its values (plannedArgs).
func (c conn) queryRowPlanned(ctx context.Context, query string, args ...any) *sql.Row {
	return c.queryRow(ctx, query, c.plannedArgs(args)...)
}

// onceStmt is a statement prepared for one bulk insert's chunks and closed after them.
type onceStmt struct {
	c    conn
	text string    // PostgreSQL: the engine text, run as the unnamed statement each time
	st   *sql.Stmt // SQLite
}

// prepareOnce prepares a statement that stays out of the statement caches (a multi-row insert of
// one size): on SQLite it is compiled once for all its runs; on PostgreSQL each run is described
// and run as the unnamed statement, which pgx's cache never keeps.
func (c conn) prepareOnce(ctx context.Context, query string) (*onceStmt, error) {
	if c.s.engine == Postgres {
		return &onceStmt{c: c, text: rebind(query)}, nil
	}
	st, err := c.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &onceStmt{c: c, st: st}, nil
}

func (o *onceStmt) exec(ctx context.Context, args ...any) error {
	if o.st == nil {
		_, err := o.c.r.ExecContext(ctx, o.text, append([]any{pgx.QueryExecModeDescribeExec}, args...)...)
		return err
	}
	_, err := o.st.ExecContext(ctx, args...)
	return err
}

func (o *onceStmt) close() {
	if o.st != nil {
		_ = o.st.Close()
	}
}

// The store's own conveniences on the pool.

func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.pool().exec(ctx, query, args...)
}

func (s *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.pool().query(ctx, query, args...)
}

func (s *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.pool().queryRow(ctx, query, args...)
}

// inTx runs fn in one transaction, committing when it returns nil.
func (s *DB) inTx(ctx context.Context, fn func(tx txConn) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(txConn{conn{s: s, r: tx}}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// inTxValue runs fn in one transaction (inTx) and returns its value only once that committed, so a
// caller never sees what a rolled-back transaction computed.
func inTxValue[T any](ctx context.Context, s *DB, fn func(tx txConn) (T, error)) (T, error) {
	var out T
	err := s.inTx(ctx, func(tx txConn) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// maxTexts bounds the distinct query texts the executor remembers. The store's texts are a bounded
// set (no text embeds a list); TestStatementTextsBounded counts them after the conformance suite.
const maxTexts = 4096

// texts maps each query text the store ran to its engine form ($n placeholders on PostgreSQL).
type texts struct {
	m sync.Map // string -> string
	n int      // entries in m, under mu
	// overflow counts the runs of texts that found the map full; TestStatementTextsBounded wants 0.
	overflow int
	mu       sync.Mutex
}

// engine returns query in the engine's form, remembering it the first time.
func (t *texts) engine(e Engine, query string) string {
	if v, ok := t.m.Load(query); ok {
		return v.(string)
	}
	text := query
	if e == Postgres {
		text = rebind(query)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n >= maxTexts {
		t.overflow++
		return text
	}
	if _, loaded := t.m.LoadOrStore(query, text); !loaded {
		t.n++
	}
	return text
}

// count reports the distinct texts remembered and the runs that found the map full.
func (t *texts) count() (n, overflow int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n, t.overflow
}

// rebind numbers the ? placeholders of query as PostgreSQL's $1, $2, ….
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// The dialect: the few places where the engines' SQL differs.

// marks returns "?, ?, …" for a fixed number of values (a row of columns), never for a list.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anyOf is the condition "expr is one of vals" with the whole list as one parameter, and that
// parameter: `expr IN (SELECT value FROM json_each(?))` with a JSON array on SQLite, `expr = ANY(?)`
// with an array on PostgreSQL. The text is the same for every list, so it is prepared once; an empty
// list matches nothing, and duplicates are harmless. Both engines probe an index on expr with the
// list's values (TestAnyOf checks the plans).
func anyOf[T int | int64 | string](s *DB, expr string, vals []T) (cond string, arg any) {
	if vals == nil {
		vals = []T{}
	}
	if s.engine == Postgres {
		return expr + ` = ANY (?)`, vals
	}
	b, err := json.Marshal(vals)
	if err != nil {
		panic(err) // ints and strings always marshal
	}
	return expr + ` IN (SELECT value FROM json_each(?))`, string(b)
}

// nearWith is the WITH clause naming near(code, km), the districts of a location search with their
// distances in km, and its arguments: one JSON object on SQLite, two arrays on PostgreSQL. It
// replaces a VALUES list as long as the district list, whose text never repeated (a 25-mile radius
// around SW1 is 398 districts).
func (s *DB) nearWith(near map[string]float64) (string, []any) {
	if s.engine == Postgres {
		codes := slices.Sorted(maps.Keys(near))
		kms := make([]float64, len(codes))
		for i, c := range codes {
			kms[i] = near[c]
		}
		return `WITH near (code, km) AS (SELECT * FROM unnest(CAST(? AS TEXT[]), CAST(? AS DOUBLE PRECISION[]))) `,
			[]any{codes, kms}
	}
	b, err := json.Marshal(near) // an object with the codes as keys, sorted
	if err != nil {
		panic(err) // finite distances always marshal
	}
	return `WITH near (code, km) AS (SELECT key, value FROM json_each(?)) `, []any{string(b)}
}

// forUpdate locks the selected rows until the transaction ends on PostgreSQL. SQLite has no row
// locks and needs none: its write transactions (begun IMMEDIATE) run one at a time.
func (s *DB) forUpdate() string {
	if s.engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// Errors.

// opError is an unexpected error of one store operation.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string { return "sqlstore: " + e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

// wrap names the operation op in *err, unless it is nil or the domain's own error (*awapi.Error:
// not found, conflict, invalid, …), which the handlers map to a status and so passes unchanged.
// Every exported method defers it. An operation that failed inside another one reads
// "sqlstore: Outer: Inner: cause".
func wrap(err *error, op string) {
	if *err == nil {
		return
	}
	var domain *awapi.Error
	if errors.As(*err, &domain) {
		return
	}
	if inner, ok := (*err).(*opError); ok {
		*err = &opError{op: op + ": " + inner.op, err: inner.err}
		return
	}
	*err = &opError{op: op, err: *err}
}
