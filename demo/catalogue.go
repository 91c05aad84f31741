package demo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// catalogueJSON is the demo catalogue: the 53 real procedures of
// docs/data/procedures.json, structured, with their sources and every
// judgement made in curating them recorded in the file.
//
//go:embed catalogue.json
var catalogueJSON []byte

type catalogueFile struct {
	About      string               `json:"about"`
	Procedures []catalogueProcedure `json:"procedures"`
}

type catalogueProcedure struct {
	Code            string              `json:"code"`
	Name            string              `json:"name"`
	FieldName       string              `json:"field_name"`
	Level           string              `json:"level"`
	Agency          string              `json:"agency"`
	ServiceLevel    motcua.ServiceLevel `json:"service_level"`
	TimeLimit       *motcua.TimeLimit   `json:"time_limit"`
	NoTimeLimit     bool                `json:"no_time_limit"`
	TimeLimitSource string              `json:"time_limit_source"`
	// TimeLimitText is the national data's wording ("1 Khác") of a limit
	// confirmed from the law, kept so that an import sees it unchanged.
	TimeLimitText string              `json:"time_limit_text"`
	Components    []motcua.Component  `json:"components"`
	Fees          []motcua.Fee        `json:"fees"`
	Results       []motcua.ResultType `json:"results"`
	LegalBasis    []motcua.LegalDoc   `json:"legal_basis"`
	Sources       []string            `json:"sources"`
	OfficialRefs  []string            `json:"official_refs"`
	Notes         string              `json:"notes"`
}

// certifyingCopies are the procedures of the demo catalogue that certify
// copies from originals, by national code, with why (indicator 4.2b).
var certifyingCopies = map[string]string{
	"2.000815": "Thủ tục chứng thực bản sao từ bản chính (Nghị định 23/2015/NĐ-CP); bản sao điện tử được chứng thực từ bản chính " +
		"là kết quả điện tử của thủ tục này, ký số (Nghị định 45/2020/NĐ-CP): chỉ tiêu 4.2b tính từ các hồ sơ của thủ tục.",
}

// Catalogue returns the demo procedures, with AgencyID unset and the agency
// key of provincial procedures returned alongside (index-aligned). Records
// whose level the sources leave unknown are skipped.
func Catalogue() ([]*motcua.Procedure, []string, error) {
	var f catalogueFile
	dec := json.NewDecoder(strings.NewReader(string(catalogueJSON)))
	if err := dec.Decode(&f); err != nil {
		return nil, nil, fmt.Errorf("demo catalogue: %w", err)
	}
	var out []*motcua.Procedure
	var keys []string
	for _, c := range f.Procedures {
		var level motcua.AgencyLevel
		switch c.Level {
		case "commune":
			level = motcua.LevelCommune
		case "province":
			level = motcua.LevelProvince
		default:
			continue
		}
		p := &motcua.Procedure{Code: c.Code, Name: c.Name, FieldName: c.FieldName, Level: level,
			ServiceLevel: c.ServiceLevel, TimeLimit: c.TimeLimit, NoTimeLimit: c.NoTimeLimit, TimeLimitText: c.TimeLimitText,
			Components: c.Components, Fees: c.Fees, Results: c.Results, LegalBasis: c.LegalBasis,
			Published: true, Sources: append(append([]string{}, c.Sources...), c.OfficialRefs...)}
		notes := c.Notes
		if c.TimeLimitSource != "" {
			notes = strings.TrimSpace("Thời hạn theo nguồn: " + c.TimeLimitSource + "\n" + notes)
		}
		p.Notes = notes
		if basis, ok := certifyingCopies[c.Code]; ok {
			yes := true
			p.CertifiesCopies = &yes
			p.Notes = strings.TrimSpace(p.Notes + "\n" + basis)
		}
		out = append(out, p)
		keys = append(keys, c.Agency)
	}
	return out, keys, nil
}
