package sqlstore

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
)

// mergeState is the plan of one merge, fixed before anything is written
// and kept, as JSON, in the merge's first audit entry in the target
// ("merge.db.begin"): a rerun after an interruption reads it back and so
// maps every id exactly as the interrupted run did. Everything else a
// rule decides (a suffixed username or code) follows from the target's
// rows numbered up to the offsets, which the merge never changes.
type mergeState struct {
	Source string           `json:"source"` // fingerprint of the absorbed database
	Tag    string           `json:"tag"`    // suffix of renamed codes
	Off    map[string]int64 `json:"off"`    // per numbered table: the survivor's highest id at the plan
	SrcMax map[string]int64 `json:"src_max"`
	// Joined rows of the absorbed province: its id → the survivor's.
	Agencies   map[int64]int64 `json:"agencies"`
	Points     map[int64]int64 `json:"points"`
	Procedures map[int64]int64 `json:"procedures"`
	// AreaClashes: queue areas of a joined reception point with a prefix
	// the survivor's point uses there too (their tickets' numbers would
	// clash): absorbed area → the survivor's. They stop the merge.
	AreaClashes map[int64]int64 `json:"area_clashes,omitempty"`
	// Versions of joined procedures, by "absorbed procedure/version".
	Versions     map[string]versionMap `json:"versions"`
	SkipYears    map[int64]bool        `json:"skip_years"` // year → same calendar
	SkipMessages map[string]bool       `json:"skip_messages"`
	// SkipDevices: queue devices (by token hash) the survivor has.
	SkipDevices map[string]bool `json:"skip_devices,omitempty"`
	// JoinedMergers lists, per absorbed merger of agencies, what it moved
	// that this merge joins to the survivor's rows (see motcua.MergerImport).
	JoinedMergers map[int64][]string `json:"joined_mergers,omitempty"`
	// Before is each table's count and additive checksum at the plan.
	Before map[string]setSum `json:"before"`
	// AuditHead is the absorbed chain's verified head (0, "" if none).
	AuditHeadID   int64  `json:"audit_head_id"`
	AuditHeadHash string `json:"audit_head_hash"`
}

type versionMap struct {
	To   int64 `json:"to"`
	Join bool  `json:"join,omitempty"` // the survivor has this version already
}

// mergeMaps maps ids of the absorbed province to the survivor's.
type mergeMaps struct{ st *mergeState }

// mapID maps an id of kind (see idKinds). Ids ≤ 0 (none, the system) stay.
func (m *mergeMaps) mapID(kind byte, id int64) int64 {
	if id <= 0 {
		return id
	}
	var joined map[int64]int64
	switch kind {
	case 'a':
		joined = m.st.Agencies
	case 'r':
		joined = m.st.Points
	case 'p':
		joined = m.st.Procedures
	}
	if to, ok := joined[id]; ok {
		return to
	}
	return id + m.st.Off[idKinds[kind]]
}

// unmapID inverts mapID for kinds that are never joined.
func (m *mergeMaps) unmapID(kind byte, id int64) int64 {
	if id <= 0 {
		return id
	}
	return id - m.st.Off[idKinds[kind]]
}

// setSum is an order-independent checksum of a set of rows: their count
// and the sum, modulo 2^256, of their SHA-256 hashes (in the canonical
// form of copy.go). Sums of parts add up to the sum of the whole, which
// is what lets a merge predict the target's checksum.
type setSum struct {
	Rows int64  `json:"rows"`
	Sum  string `json:"sum"` // hex, big-endian
}

type acc struct {
	n int64
	w [4]uint64 // little-endian words
}

func (a *acc) addHash(h [32]byte, sign int64) {
	var x [4]uint64
	for i := range 4 {
		x[3-i] = binary.BigEndian.Uint64(h[i*8:])
	}
	if sign < 0 { // two's complement
		for i := range x {
			x[i] = ^x[i]
		}
		var c uint64 = 1
		for i := range x {
			x[i], c = bits.Add64(x[i], 0, c)
		}
	}
	var c uint64
	for i := range a.w {
		a.w[i], c = bits.Add64(a.w[i], x[i], c)
	}
	a.n += sign
}

func (a *acc) addRow(row []byte, sign int64) { a.addHash(sha256.Sum256(row), sign) }

func (a *acc) addSum(s setSum) {
	b, _ := hex.DecodeString(s.Sum)
	var h [32]byte
	copy(h[32-len(b):], b)
	a.addHash(h, 1)
	a.n += s.Rows - 1
}

func (a *acc) sum() setSum {
	var b [32]byte
	for i := range 4 {
		binary.BigEndian.PutUint64(b[i*8:], a.w[3-i])
	}
	return setSum{Rows: a.n, Sum: hex.EncodeToString(b[:])}
}
