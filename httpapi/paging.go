package httpapi

import "github.com/awapi/awapi"

// The page fields every paged answer starts with, declared once and embedded (the encoders write an
// embedded struct's members as the model's own). What follows them, the page size and the total,
// each list names after its items (ProfilesPerPage, ReportsTotal, …), as the documentation does.

// Paging says where a page lies in its list: how many pages the list fills, and which one this is.
type Paging struct {
	PageCount  int
	PageNumber int
}

// SizedPaging is Paging with the size of a page, for the lists that call it PageSize.
type SizedPaging struct {
	Paging
	PageSize int
}

// pagingOf places page in a list of total items.
func pagingOf(total int, page awapi.Page) Paging {
	return Paging{PageCount: awapi.PageCount(total, page.Size), PageNumber: page.Number}
}

// sizedPagingOf places page in a list of total items, with its size.
func sizedPagingOf(total int, page awapi.Page) SizedPaging {
	return SizedPaging{Paging: pagingOf(total, page), PageSize: page.Size}
}
