package awapi

// Page is one page of a paged list: Number is 1-based, Size the items per page.
type Page struct {
	Number, Size int
}

// Offset is the number of items before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// PageCount is the number of pages total items fill: 0 for an empty list.
func PageCount(total, size int) int {
	if total <= 0 || size <= 0 {
		return 0
	}
	return (total + size - 1) / size
}

// LastPage resolves an absent page number to the last page, as GetCreditsHistory documents.
func LastPage(number *int, total, size int) Page {
	if number == nil {
		return Page{Number: max(1, PageCount(total, size)), Size: size}
	}
	return Page{Number: *number, Size: size}
}
