package sqlstore

import (
	"context"
	"database/sql"
	"slices"
)

// pagedQuery is a paged search: the number of all its matches, then one page of them. Both
// statements are built here from one description, so they can never disagree, and
// ExplainProfileSearch explains exactly what SearchProfiles runs. Both are planned for their values
// (conn.plannedArgs): a search's best plan depends on them.
type pagedQuery struct {
	with  string // a WITH clause both statements begin with, or ""
	from  string // FROM …: the tables both statements read
	joins string // joins only the page needs (for its order), or ""
	where string // WHERE …, or ""
	args  []any  // the arguments of with, from and where, in the order of the text
	cols  string // the page's select list
	order string // the page's ORDER BY
	// outer, when set, is a statement around the page (SELECT … FROM (page) …), for joins that
	// are cheaper after paging.
	outer func(page string) string
}

func (q *pagedQuery) countSQL() string {
	return q.with + `SELECT COUNT(*) ` + q.from + ` ` + q.where
}

func (q *pagedQuery) pageSQL() string {
	page := `SELECT ` + q.cols + ` ` + q.from + q.joins + ` ` + q.where + ` ORDER BY ` + q.order + ` LIMIT ? OFFSET ?`
	if q.outer != nil {
		page = q.outer(page)
	}
	return q.with + page
}

func (q *pagedQuery) pageArgs(limit, offset int) []any {
	return append(slices.Clip(q.args), limit, offset)
}

// count counts every match.
func (q *pagedQuery) count(ctx context.Context, c conn) (int, error) {
	var total int
	err := c.queryRowPlanned(ctx, q.countSQL(), q.args...).Scan(&total)
	return total, err
}

// page reads limit matches after offset, in order.
func (q *pagedQuery) page(ctx context.Context, c conn, limit, offset int) (*sql.Rows, error) {
	return c.queryPlanned(ctx, q.pageSQL(), q.pageArgs(limit, offset)...)
}

// seek is the query of the matches after the row whose sort keys are end.
func (q *pagedQuery) seek(o profileOrder, end []any) *pagedQuery {
	cond, args := o.after(end)
	s := *q
	s.where = q.where + ` AND ` + cond
	s.args = append(slices.Clip(q.args), args...)
	return &s
}
