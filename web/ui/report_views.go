package ui

import "github.com/motcua/motcua/service"

// mergerViews are the reports' two views of agencies merged into others
// (parameter "xem").
var mergerViews = optionsOf("don-vi-cu", "Theo đơn vị cũ (như trước sáp nhập)", "ke-thua", "Gộp vào đơn vị kế thừa")

// mergerView maps the page's parameter to the service's view; anything
// else is the default, by old units.
func mergerView(f *form) string {
	if f.Trim("xem") == "ke-thua" {
		return service.ViewSuccessor
	}
	f.Values.Set("xem", "don-vi-cu")
	return service.ViewUnits
}
