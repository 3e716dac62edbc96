package httpapi

// Request pieces several areas share.

// noParams is the request of a method without parameters.
type noParams struct{}

// ids64 widens the IDs of a comma-separated list to the store's int64.
func ids64(ids []int) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}

// ptr points at a copy of v.
func ptr[T any](v T) *T { return &v }
