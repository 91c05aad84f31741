package service

// SetDrillChunk makes drill-downs work out standings n at a time until the
// returned function restores the default (tests of paging across chunks).
func SetDrillChunk(n int) (restore func()) {
	old := drillChunk
	drillChunk = n
	return func() { drillChunk = old }
}

// CleanFileName is cleanFileName, for its fuzz test.
var CleanFileName = cleanFileName

// WithExtension is withExtension, for its fuzz test.
var WithExtension = withExtension
