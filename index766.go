package motcua

import "time"

// IndexInput is a kind of data an indicator of the QĐ 766 index needs.
// An indicator whose inputs are not all held is shown as "chưa có dữ liệu"
// (no data), never as a number made up from partial data.
type IndexInput string

// Inputs. The dossier-level ones are captured by motcua at reception and
// during processing; the others come from systems or catalogue attributes
// that a deployment may not have yet.
const (
	InputDossiers         IndexInput = "dossiers"          // receptions, finishes, appointments, supplements
	InputDigitization     IndexInput = "digitization"      // digitized / reused / store flags of components, result files
	InputIdentity         IndexInput = "identity"          // VNeID authentication, population-database data
	InputPublication      IndexInput = "publication_dates" // dates of the decisions announcing procedures and of their publication
	InputProcedureInfo    IndexInput = "procedure_info"    // completeness of the seven parts of each procedure's publication
	InputPortalSync       IndexInput = "portal_sync"       // synchronisation counts of the national portal (DVCQG)
	InputPayments         IndexInput = "payments"          // online payment records
	InputFeedback         IndexInput = "feedback"          // complaints and suggestions (PAKN) and ratings
	InputServiceLevels    IndexInput = "service_levels"    // each procedure's online service level and eligibility for full online service
	InputResultKind       IndexInput = "result_kind"       // whether each procedure requires a paper result
	InputSubjects         IndexInput = "subjects"          // whether each procedure serves citizens
	InputCertifiedCopying IndexInput = "certified_copying" // electronic certified copies from originals offered
	InputStore            IndexInput = "store"             // components taken from, and results pushed to, the national store (Kho)
)

// InputLabel says in Vietnamese what an input is, for "chưa có dữ liệu".
func (in IndexInput) Label() string {
	switch in {
	case InputPublication:
		return "ngày ban hành quyết định công bố và ngày công khai thủ tục"
	case InputProcedureInfo:
		return "đủ 7 bộ phận thông tin công khai của từng thủ tục"
	case InputPortalSync:
		return "số liệu đồng bộ với Cổng Dịch vụ công quốc gia"
	case InputPayments:
		return "dữ liệu thanh toán trực tuyến"
	case InputFeedback:
		return "dữ liệu phản ánh, kiến nghị và đánh giá của người dân"
	case InputServiceLevels:
		return "mức độ dịch vụ công trực tuyến của từng thủ tục"
	case InputResultKind:
		return "thông tin thủ tục có yêu cầu kết quả bản giấy"
	case InputSubjects:
		return "đối tượng thực hiện của từng thủ tục"
	case InputCertifiedCopying:
		return "dữ liệu cấp bản sao điện tử từ bản chính"
	case InputDigitization:
		return "cờ số hóa thành phần hồ sơ và tệp kết quả"
	case InputIdentity:
		return "cờ xác thực VNeID và khai thác dữ liệu dân cư"
	case InputStore:
		return "kết nối Kho dữ liệu điện tử của tổ chức, cá nhân trên Cổng Dịch vụ công quốc gia"
	}
	return "dữ liệu hồ sơ"
}

// IndexGroup is a group of the index with its maximum points.
type IndexGroup struct {
	N      int     `json:"n"`
	Name   string  `json:"name"`
	Points float64 `json:"points"`
}

// Indicator is one indicator of the index: its points, its threshold
// (points = Points when the ratio reaches Threshold, otherwise ratio ×
// Points / Threshold; Threshold 0 means 100 %), and the inputs it needs.
// DisplayOnly indicators are shown without points.
type Indicator struct {
	ID          string       `json:"id"`
	Group       int          `json:"group"`
	Name        string       `json:"name"`
	Points      float64      `json:"points"`
	Threshold   float64      `json:"threshold,omitempty"`
	DisplayOnly bool         `json:"display_only,omitempty"`
	Inputs      []IndexInput `json:"inputs"`
}

// IndexConfig is the index's point table and the inputs this deployment
// holds. The per-indicator points are not confirmed in the law (the
// defaults are those displayed on the national portal, domain-vn.md §5), so
// they are configuration.
type IndexConfig struct {
	Groups     []IndexGroup        `json:"groups"`
	Indicators []Indicator         `json:"indicators"`
	Held       map[IndexInput]bool `json:"held"`
}

// DefaultIndexConfig returns the six groups as displayed on DVCQG in
// 2024–2026 (18/20/12/10/22/18) with the indicator points and thresholds of
// domain-vn.md §5, and the inputs motcua captures itself.
func DefaultIndexConfig() IndexConfig {
	return IndexConfig{
		Groups: []IndexGroup{
			{1, "Công khai, minh bạch", 18}, {2, "Tiến độ, kết quả giải quyết", 20},
			{3, "Cung cấp dịch vụ trực tuyến", 12}, {4, "Thanh toán trực tuyến", 10},
			{5, "Số hóa hồ sơ", 22}, {6, "Mức độ hài lòng", 18},
		},
		Indicators: []Indicator{
			{ID: "1.1", Group: 1, Name: "Thủ tục hành chính công bố đúng hạn", Points: 6, Inputs: []IndexInput{InputPublication}},
			{ID: "1.2", Group: 1, Name: "Thủ tục hành chính được công khai đúng hạn", Points: 4, Inputs: []IndexInput{InputPublication}},
			{ID: "1.3", Group: 1, Name: "Thủ tục hành chính công khai đầy đủ các bộ phận", Points: 2, Inputs: []IndexInput{InputProcedureInfo}},
			{ID: "1.4", Group: 1, Name: "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", Points: 6, Inputs: []IndexInput{InputDossiers, InputPortalSync}},
			{ID: "2.1", Group: 2, Name: "Hồ sơ giải quyết trước hạn, đúng hạn", Points: 20, Inputs: []IndexInput{InputDossiers}},
			{ID: "2.2", Group: 2, Name: "Thời gian giải quyết trung bình (theo từng thủ tục)", DisplayOnly: true, Inputs: []IndexInput{InputDossiers}},
			{ID: "3.0", Group: 3, Name: "Hồ sơ trực tuyến toàn trình trên hồ sơ của thủ tục đủ điều kiện toàn trình", Points: 12, Inputs: []IndexInput{InputDossiers, InputServiceLevels}},
			{ID: "3.1", Group: 3, Name: "Thủ tục hành chính có dịch vụ công trực tuyến", Points: 0, Threshold: 0.8, Inputs: []IndexInput{InputServiceLevels}},
			{ID: "3.2", Group: 3, Name: "Dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến", Points: 0, Inputs: []IndexInput{InputDossiers, InputServiceLevels, InputPortalSync}},
			{ID: "3.3", Group: 3, Name: "Hồ sơ nộp trực tuyến", Points: 0, Threshold: 0.5, Inputs: []IndexInput{InputDossiers, InputDigitization, InputResultKind, InputPortalSync}},
			{ID: "3.5", Group: 4, Name: "Thủ tục có phí, lệ phí được đồng bộ thanh toán trên Cổng Dịch vụ công quốc gia", Points: 2, Threshold: 0.8, Inputs: []IndexInput{InputPayments}},
			{ID: "3.5b", Group: 4, Name: "Thủ tục có phát sinh thanh toán trực tuyến", Points: 2, Inputs: []IndexInput{InputPayments}},
			{ID: "3.6", Group: 4, Name: "Hồ sơ thanh toán trực tuyến", Points: 6, Inputs: []IndexInput{InputDossiers, InputPayments}},
			{ID: "4.1", Group: 5, Name: "Hồ sơ có kết quả điện tử", Points: 6, Inputs: []IndexInput{InputDossiers, InputDigitization, InputResultKind}},
			{ID: "4.2", Group: 5, Name: "Hồ sơ được số hóa", Points: 4, Threshold: 0.8, Inputs: []IndexInput{InputDossiers, InputDigitization}},
			{ID: "4.2b", Group: 5, Name: "Cấp bản sao điện tử từ bản chính", Points: 2, Inputs: []IndexInput{InputCertifiedCopying}},
			{ID: "4.3", Group: 5, Name: "Hồ sơ tái sử dụng dữ liệu số hóa", Points: 2, Threshold: 0.8, Inputs: []IndexInput{InputDossiers, InputDigitization}},
			{ID: "4.4", Group: 5, Name: "Hồ sơ khai thác, đồng bộ kho dữ liệu điện tử của công dân", Points: 4, Inputs: []IndexInput{InputDossiers, InputDigitization, InputStore}},
			{ID: "4.5b", Group: 5, Name: "Hồ sơ sử dụng dữ liệu dân cư, định danh điện tử", Points: 2, Inputs: []IndexInput{InputDossiers, InputIdentity}},
			{ID: "4.5a", Group: 5, Name: "Thủ tục kết nối dữ liệu dân cư, định danh điện tử", Points: 2, Inputs: []IndexInput{InputDossiers, InputIdentity, InputSubjects}},
			{ID: "5.1", Group: 6, Name: "Phân loại phản ánh, kiến nghị", DisplayOnly: true, Inputs: []IndexInput{InputFeedback}},
			{ID: "5.2", Group: 6, Name: "Phản ánh, kiến nghị được xử lý đúng hạn", Points: 6, Inputs: []IndexInput{InputFeedback}},
			{ID: "5.3", Group: 6, Name: "Mức độ hài lòng về xử lý phản ánh, kiến nghị", Points: 6, Inputs: []IndexInput{InputFeedback}},
			{ID: "5.4", Group: 6, Name: "Mức độ hài lòng về tiếp nhận, giải quyết thủ tục hành chính", Points: 6, Threshold: 0.9, Inputs: []IndexInput{InputDossiers, InputFeedback}},
		},
		Held: map[IndexInput]bool{InputDossiers: true, InputDigitization: true, InputIdentity: true},
	}
}

// Validate checks the configuration: known groups, points adding up to
// each group's total, thresholds in (0, 1].
func (c IndexConfig) Validate() error {
	groups := map[int]float64{}
	for _, g := range c.Groups {
		groups[g.N] = g.Points
	}
	sums := map[int]float64{}
	seen := map[string]bool{}
	for _, ind := range c.Indicators {
		if seen[ind.ID] {
			return Errorf(EINVALID, "index_config_invalid", "Chỉ tiêu %s khai báo hai lần.", ind.ID)
		}
		seen[ind.ID] = true
		if _, ok := groups[ind.Group]; !ok {
			return Errorf(EINVALID, "index_config_invalid", "Chỉ tiêu %s thuộc nhóm %d không tồn tại.", ind.ID, ind.Group)
		}
		if ind.Points < 0 || ind.Threshold < 0 || ind.Threshold > 1 {
			return Errorf(EINVALID, "index_config_invalid", "Điểm hoặc ngưỡng của chỉ tiêu %s không hợp lệ.", ind.ID)
		}
		sums[ind.Group] += ind.Points
	}
	for n, pts := range groups {
		if sums[n] > pts+1e-9 {
			return Errorf(EINVALID, "index_config_invalid", "Tổng điểm các chỉ tiêu của nhóm %d vượt quá %.0f điểm.", n, pts)
		}
	}
	return nil
}

// Missing returns the inputs of ind that the configuration does not hold.
func (c IndexConfig) Missing(ind Indicator) []IndexInput {
	var out []IndexInput
	for _, in := range ind.Inputs {
		if !c.Held[in] {
			out = append(out, in)
		}
	}
	return out
}

// Score returns the points of a ratio under an indicator's rule.
func (ind Indicator) Score(ratio float64) float64 {
	if ind.DisplayOnly {
		return 0
	}
	t := ind.Threshold
	if t == 0 {
		t = 1
	}
	if ratio >= t {
		return ind.Points
	}
	return ratio * ind.Points / t
}

// IndicatorValue is one indicator computed for one unit and period.
type IndicatorValue struct {
	ID        string  `json:"id"`
	Num       int64   `json:"num"`
	Den       int64   `json:"den"`
	Ratio     float64 `json:"ratio"`
	Points    float64 `json:"points"`
	MaxPoints float64 `json:"max_points"`
	// Status is "ok", "no_data" (inputs not held: Reason says which) or
	// "empty" (nothing to count in the period).
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// Valued returns the value of ind for num out of den, or its no-data form.
func (c IndexConfig) Valued(ind Indicator, num, den int64) IndicatorValue {
	v := IndicatorValue{ID: ind.ID, Num: num, Den: den, MaxPoints: ind.Points}
	if miss := c.Missing(ind); len(miss) > 0 {
		v.Status, v.Num, v.Den = "no_data", 0, 0
		v.Reason = "Chưa có dữ liệu: " + miss[0].Label() + "."
		return v
	}
	if den == 0 {
		v.Status, v.Reason = "empty", "Không có hồ sơ, thủ tục nào để tính trong kỳ."
		return v
	}
	v.Status = "ok"
	v.Ratio = float64(num) / float64(den)
	v.Points = ind.Score(v.Ratio)
	return v
}

// IndexResult is the index for one unit (an agency, or the province when
// AgencyID is 0) and one period.
type IndexResult struct {
	AgencyID int64            `json:"agency_id"`
	Period   Period           `json:"period"`
	Values   []IndicatorValue `json:"values"`
	// Points is the sum of the points of the indicators computed;
	// Available the most those indicators could give; the rest of the
	// 100 points belong to indicators without data or without anything
	// to count in the period.
	Points    float64 `json:"points"`
	Available float64 `json:"available"`
}

// Sum fills Points and Available from Values.
func (r *IndexResult) Sum() {
	r.Points, r.Available = 0, 0
	for _, v := range r.Values {
		if v.Status == "ok" {
			r.Points += v.Points
			r.Available += v.MaxPoints
		}
	}
}

// ProcedureAverage is indicator 2.2 for one procedure: the average handling
// time of the dossiers finished in the period, in the procedure's unit.
type ProcedureAverage struct {
	ProcedureID int64   `json:"procedure_id"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Finished    int64   `json:"finished"`
	Average     float64 `json:"average"`
	Unit        string  `json:"unit"` // Vietnamese, e.g. "ngày làm việc"
}

// IndexReport is the QĐ 766 index for a period: one result per agency that
// settles dossiers, then the province (AgencyID 0), with the per-procedure
// averages of indicator 2.2 and the configuration used.
type IndexReport struct {
	Period Period `json:"period"`
	// Source says how the figures were computed: "base" (from the
	// dossiers) or "live" (from the counters kept at every change).
	Source   string             `json:"source"`
	Units    []IndexResult      `json:"units"`
	Averages []ProcedureAverage `json:"averages"`
	Config   IndexConfig        `json:"config"`
	// AsOf and FromReplica are as in Report06a.
	AsOf        time.Time `json:"as_of"`
	FromReplica bool      `json:"from_replica,omitempty"`
}

// Indicator returns the configuration of indicator id.
func (c IndexConfig) Indicator(id string) (Indicator, bool) {
	for _, ind := range c.Indicators {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}
