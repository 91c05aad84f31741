package sqlstore

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/motcua/motcua"
)

// A dossier code the survivor already uses is suffixed on the absorbed
// dossier (fixDossiers). The rows and messages that carry the code as
// text — a warning, a staff notification and its link, a result kept for
// the national store, an undelivered notice — must carry the new one: a
// message must name the code the applicant holds, and a link by the old
// code would open the survivor's dossier of that code.

// codeRenames returns, of codes, those the absorbed dossiers lose to the
// survivor, each with its new code (see fixDossiers).
func codeRenames(m *mergeMaps, c *mergeCtx, codes []string) (map[string]string, error) {
	var vals []string
	for _, s := range codes {
		if s != "" {
			vals = append(vals, s)
		}
	}
	tk, err := c.taken("dossiers", "code", "id", m.st.Off["dossiers"], vals)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(tk))
	for s := range tk {
		out[s] = s + "-" + m.st.Tag
	}
	return out, nil
}

// replaceCode replaces in text every occurrence of code that stands as a
// whole code (not part of a longer one) by to.
func replaceCode(text, code, to string) string {
	if code == "" || !strings.Contains(text, code) {
		return text
	}
	var b strings.Builder
	for i := 0; ; {
		j := strings.Index(text[i:], code)
		if j < 0 {
			b.WriteString(text[i:])
			return b.String()
		}
		j += i
		end := j + len(code)
		if codeBoundaryBefore(text, j) && codeBoundaryAfter(text, end) {
			b.WriteString(text[i:j])
			b.WriteString(to)
		} else {
			b.WriteString(text[i:end])
		}
		i = end
	}
}

func isCodeChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
}

// codeBoundaryBefore: text[:j] does not end inside a code.
func codeBoundaryBefore(text string, j int) bool {
	if j == 0 {
		return true
	}
	c := text[j-1]
	return !isCodeChar(c) && c != '-' && c != '.'
}

// codeBoundaryAfter: the code ends at text[end] (a '.' or '-' ends it
// unless a code character follows: "hồ sơ X." names X, "X-2" does not).
func codeBoundaryAfter(text string, end int) bool {
	if end == len(text) {
		return true
	}
	c := text[end]
	if c == '-' || c == '.' {
		return end+1 == len(text) || !isCodeChar(text[end+1])
	}
	return !isCodeChar(c)
}

// renameInText applies renames to text.
func renameInText(text string, renames map[string]string) string {
	for from, to := range renames {
		text = replaceCode(text, from, to)
	}
	return text
}

// codesInText returns the dossier codes a text links to ("/ho-so/<code>",
// as the staff e-mails and notifications write them).
func codesInText(text string) []string {
	var out []string
	for rest := text; ; {
		_, after, ok := strings.Cut(rest, "/ho-so/")
		if !ok {
			return out
		}
		n := strings.IndexFunc(after, func(r rune) bool {
			return r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == '"' || r == '?' || r == '#'
		})
		if n < 0 {
			n = len(after)
		}
		if n > 0 {
			out = append(out, strings.TrimRight(after[:n], "."))
		}
		rest = after
	}
}

// pendingCodes returns the dossier codes an undelivered outbox message
// carries, by its topic: a deadline warning names its dossier's code, a
// staff e-mail links to it, a push to the national store is ordered by
// it. The other topics name dossiers by id (remapped with them) and are
// made into messages at delivery, from the dossier as it then is.
func pendingCodes(topic, okey, payload string) []string {
	switch topic {
	case motcua.TopicDeadlineWarning:
		var p struct {
			Code string `json:"code"`
		}
		if json.Unmarshal([]byte(payload), &p) == nil && p.Code != "" {
			return []string{p.Code}
		}
	case motcua.TopicStaffEmail:
		var p struct {
			Subject string `json:"subject"`
			Body    string `json:"body"`
		}
		if json.Unmarshal([]byte(payload), &p) == nil {
			return codesInText(p.Body)
		}
	case motcua.TopicStorePush:
		if c, ok := strings.CutPrefix(okey, "kho:"); ok && c != "" {
			return []string{c}
		}
	}
	return nil
}

// renameInJSON applies renames to every string value of a JSON document
// (the keys and the numbers stay); an unchanged document is returned as
// it was.
func renameInJSON(doc string, renames map[string]string) (string, error) {
	if len(renames) == 0 {
		return doc, nil
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	changed := false
	var walk func(x any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case string:
			if s := renameInText(t, renames); s != t {
				changed = true
				return s
			}
		case map[string]any:
			for k, e := range t {
				t[k] = walk(e)
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		}
		return x
	}
	v = walk(v)
	if !changed {
		return doc, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// renamePending renames the dossier codes carried by the undelivered
// messages among rows (delivered ones stay as they were sent).
func renamePending(m *mergeMaps, c *mergeCtx, rows [][]any) error {
	ts := specByName("outbox")
	topic, okey, payload, delivered := col(ts, "topic"), col(ts, "okey"), col(ts, "payload"), col(ts, "delivered_at")
	var all []string
	for _, r := range rows {
		if r[delivered] == nil {
			all = append(all, pendingCodes(r[topic].(string), r[okey].(string), r[payload].(string))...)
		}
	}
	if len(all) == 0 {
		return nil
	}
	renames, err := codeRenames(m, c, all)
	if err != nil || len(renames) == 0 {
		return err
	}
	for _, r := range rows {
		if r[delivered] != nil {
			continue
		}
		mine := map[string]string{}
		for _, code := range pendingCodes(r[topic].(string), r[okey].(string), r[payload].(string)) {
			if to, ok := renames[code]; ok {
				mine[code] = to
			}
		}
		if len(mine) == 0 {
			continue
		}
		if k, ok := strings.CutPrefix(r[okey].(string), "kho:"); ok && mine[k] != "" {
			r[okey] = "kho:" + mine[k]
		}
		s, err := renameInJSON(r[payload].(string), mine)
		if err != nil {
			return err
		}
		r[payload] = s
	}
	return nil
}

// renameColumnCodes renames the code in column i of rows and, in the
// text columns given, the same code wherever it stands.
func renameColumnCodes(m *mergeMaps, c *mergeCtx, rows [][]any, i int, texts ...int) error {
	var all []string
	for _, r := range rows {
		all = append(all, r[i].(string))
	}
	renames, err := codeRenames(m, c, all)
	if err != nil || len(renames) == 0 {
		return err
	}
	for _, r := range rows {
		code := r[i].(string)
		to, ok := renames[code]
		if !ok {
			continue
		}
		r[i] = to
		for _, j := range texts {
			r[j] = replaceCode(r[j].(string), code, to)
		}
	}
	return nil
}

func fixDossierWarnings(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("dossier_warnings")
	if err := renameColumnCodes(m, c, rows, col(ts, "code")); err != nil {
		return nil, err
	}
	remapCols(ts, map[string]byte{"id": 'n', "dossier_id": 'd', "agency_id": 'a'})(m, rows)
	return rows, nil
}

func fixStaffNotifications(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("staff_notifications")
	if err := renameColumnCodes(m, c, rows, col(ts, "code"), col(ts, "text")); err != nil {
		return nil, err
	}
	remapCols(ts, map[string]byte{"id": 'm', "user_id": 'u', "dossier_id": 'd'})(m, rows)
	return rows, nil
}

func fixPersonalResults(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("personal_results")
	if err := renameColumnCodes(m, c, rows, col(ts, "dossier_code")); err != nil {
		return nil, err
	}
	remapCols(ts, map[string]byte{"id": 'h', "dossier_id": 'd'})(m, rows)
	return rows, nil
}
