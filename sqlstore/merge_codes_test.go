package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/motcua/motcua"
)

// TestReplaceCode: a code is replaced where it stands as a whole code (in
// a sentence, a link, at the ends), never inside a longer code.
func TestReplaceCode(t *testing.T) {
	const c, to = "H01.1-250101-0001", "H01.1-250101-0001-H98"
	cases := []struct{ in, want string }{
		{c, to},
		{"hồ sơ " + c + ".", "hồ sơ " + to + "."},
		{"Xem hồ sơ: https://x/ho-so/" + c + "\n", "Xem hồ sơ: https://x/ho-so/" + to + "\n"},
		{"(" + c + ") và " + c, "(" + to + ") và " + to},
		{c + "0", c + "0"},       // a longer number
		{c + "-H98", c + "-H98"}, // renamed already
		{c + ".2", c + ".2"},     // a longer code
		{"X" + c, "X" + c},       // inside a word
		{"1." + c, "1." + c},     // after a dot that continues a code
		{"không có mã", "không có mã"},
	}
	for _, k := range cases {
		if got := replaceCode(k.in, c, to); got != k.want {
			t.Errorf("replaceCode(%q) = %q, want %q", k.in, got, k.want)
		}
	}
}

// TestPendingCodes: the codes each topic's undelivered message carries.
func TestPendingCodes(t *testing.T) {
	warn, _ := json.Marshal(map[string]any{"code": "A-1", "kind": "overdue", "holder_agency_id": 3})
	mail, _ := json.Marshal(motcua.StaffEmail{UserID: 4, Subject: "[motcua] Quá hạn: hồ sơ A-1", Body: "Quá hạn: hồ sơ A-1 (x).\n\nXem hồ sơ: http://h/ho-so/A-1\n"})
	cases := []struct {
		topic, okey, payload string
		want                 []string
	}{
		{motcua.TopicDeadlineWarning, "", string(warn), []string{"A-1"}},
		{motcua.TopicStaffEmail, "", string(mail), []string{"A-1"}},
		{motcua.TopicStorePush, "kho:A-1", `{"dossier_id":9}`, []string{"A-1"}},
		{motcua.TopicPortalSync, "dossier:9", `{"dossier_id":9,"seq":2}`, nil},
		{motcua.TopicDeadlineWarning, "", `not json`, nil},
	}
	for _, k := range cases {
		if got := pendingCodes(k.topic, k.okey, k.payload); !reflect.DeepEqual(got, k.want) {
			t.Errorf("%s: %v, want %v", k.topic, got, k.want)
		}
	}
	out, err := renameInJSON(string(mail), map[string]string{"A-1": "A-1-H98"})
	if err != nil {
		t.Fatal(err)
	}
	var m motcua.StaffEmail
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m.UserID != 4 || m.Subject != "[motcua] Quá hạn: hồ sơ A-1-H98" || m.Body != "Quá hạn: hồ sơ A-1-H98 (x).\n\nXem hồ sơ: http://h/ho-so/A-1-H98\n" {
		t.Fatalf("renamed mail: %+v", m)
	}
	if same, _ := renameInJSON(string(warn), map[string]string{"B-2": "B-2-H98"}); same != string(warn) {
		t.Fatalf("an unchanged document was rewritten: %s", same)
	}
	if _, err := renameInJSON(`{"code":`, map[string]string{"A-1": "x"}); err == nil {
		t.Fatal("a malformed payload was accepted")
	}
}
