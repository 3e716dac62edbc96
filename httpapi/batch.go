package httpapi

import "github.com/awapi/awapi"

// The per-item answers of the batch changes (adding members to a hotlist or the blacklist, taking them
// off), shared by HotLists and the Blacklist.

type (
	// MemberAddOutput is one item of adding members to a hotlist or the blacklist: Added is false when
	// the member was already there (or the list is full), and Message says which.
	MemberAddOutput struct {
		UserID  int64
		Added   bool
		Message string
	}
	// MemberRemoveOutput is one item of removing members: Removed is false when it was not there.
	MemberRemoveOutput struct {
		UserID  int64
		Removed bool
		Message string
	}
)

func addOutputs(rs []awapi.ItemResult) []MemberAddOutput {
	out := make([]MemberAddOutput, len(rs))
	for i, r := range rs {
		out[i] = MemberAddOutput{UserID: r.UserID, Added: r.Done, Message: r.Message}
	}
	return out
}

func removeOutputs(rs []awapi.ItemResult) []MemberRemoveOutput {
	out := make([]MemberRemoveOutput, len(rs))
	for i, r := range rs {
		out[i] = MemberRemoveOutput{UserID: r.UserID, Removed: r.Done, Message: r.Message}
	}
	return out
}
