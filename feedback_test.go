package motcua_test

import (
	"regexp"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// TestRedactPersonal masks telephone and ID numbers and e-mail addresses,
// and leaves dates, codes and short numbers alone.
func TestRedactPersonal(t *testing.T) {
	for in, want := range map[string]string{
		"Gọi 0912 345 678 hoặc 0912345678.":           "Gọi [đã ẩn] hoặc [đã ẩn].",
		"CCCD 001193012345, thư an.nguyen@example.vn": "CCCD [đã ẩn], thư [đã ẩn]",
		"Hồ sơ H99.101-250310-0001 hẹn 13/03/2025.":   "Hồ sơ H99.101-250310-0001 hẹn 13/03/2025.",
		"Phí 50.000 đồng, 3 ngày.":                    "Phí 50.000 đồng, 3 ngày.",
		"+84 912-345-678":                             "[đã ẩn]",
	} {
		if got := motcua.RedactPersonal(in); got != want {
			t.Errorf("RedactPersonal(%q) = %q, want %q", in, got, want)
		}
	}
}

var numberLike = regexp.MustCompile(`\+?\d[\d .-]{7,}\d`)

// FuzzPublicText: whatever the public page receives, the stripped text is
// valid UTF-8 without control characters (line breaks and tabs aside), so
// CleanText accepts it unless too long; redaction leaves no run of nine or
// more digits that does not continue a word.
func FuzzPublicText(f *testing.F) {
	for _, s := range []string{"", "Xin chào\x00\x07", "0912 345 678", "\xff\xfeabc", "a\u202eb", "an@vi.vn", "1-2-3-4-5-6-7-8-9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := motcua.StripControls(s)
		if !utf8.ValidString(c) {
			t.Fatalf("invalid UTF-8 left in %q", c)
		}
		for _, r := range c {
			if r != '\n' && r != '\r' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("control character %U left in %q", r, c)
			}
		}
		if _, ok := motcua.CleanText(c, 1<<20); !ok {
			t.Fatalf("CleanText refuses the stripped %q", c)
		}
		red := motcua.RedactPersonal(c)
		for _, m := range numberLike.FindAllStringIndex(red, -1) {
			digits := 0
			for _, r := range red[m[0]:m[1]] {
				if r >= '0' && r <= '9' {
					digits++
				}
			}
			before, _ := utf8.DecodeLastRuneInString(red[:m[0]])
			if digits >= 9 && !unicode.IsLetter(before) {
				t.Fatalf("number %q left in %q", red[m[0]:m[1]], red)
			}
		}
	})
}

// TestFeedbackOnTime applies indicator 5.2 to each stage.
func TestFeedbackOnTime(t *testing.T) {
	t0 := time.Date(2025, 4, 3, 3, 0, 0, 0, time.UTC)
	f := motcua.Feedback{State: motcua.FeedbackAssigned, ReceivedAt: t0, ClassifyDueAt: t0.Add(48 * time.Hour),
		AnswerDueAt: t0.Add(200 * time.Hour), ClassifiedAt: t0.Add(time.Hour)}
	if !f.OnTimeAt(t0.Add(100*time.Hour)) || f.OnTimeAt(t0.Add(201*time.Hour)) {
		t.Error("an open answer is on time before its due time only")
	}
	f.State, f.AnsweredAt, f.Consent, f.PublishDueAt = motcua.FeedbackAnswered, t0.Add(150*time.Hour), true, t0.Add(170*time.Hour)
	if !f.OnTimeAt(t0.Add(160*time.Hour)) || f.OnTimeAt(t0.Add(171*time.Hour)) {
		t.Error("publication with consent is due")
	}
	f.Consent = false
	if !f.OnTimeAt(t0.Add(1000 * time.Hour)) {
		t.Error("without consent nothing is to publish")
	}
	late := motcua.Feedback{State: motcua.FeedbackRejected, ClassifyDueAt: t0, ClassifiedAt: t0.Add(time.Minute), AnswerDueAt: t0}
	if late.OnTimeAt(t0) {
		t.Error("a rejection after the classify due time is late")
	}
}
