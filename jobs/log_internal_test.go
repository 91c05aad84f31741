package jobs

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestClosedLogLineIsShort: closing 500 dossiers logs one short line with
// the count and a few codes, not 500 codes.
func TestClosedLogLineIsShort(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	var codes []string
	for i := range 500 {
		codes = append(codes, fmt.Sprintf("H99.101-250310-%04d", i+1))
	}
	logClosed(codes)
	line := buf.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "count=500") || strings.Count(line, "H99.101-") > 5 || len(line) > 400 {
		t.Errorf("log line (%d bytes): %s", len(line), line)
	}
}
