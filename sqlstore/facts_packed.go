package sqlstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Since migration 0040 the facts document holds its components and fees
// packed (bytes per dossier, issue 15): a generated dossier's three
// components took 68 of its 180 bytes as one object each
// ({"id":1,"p":true,"d":true}), its fee 41.
//
//   - "cs" is one string of the components, "1:9,2:9,3:1": each one's id
//     and the sum of its flags (componentFlags), in order. A list with a
//     component holding text (a file reference, a reused result) keeps the
//     objects of "components", which every document before 0040 has.
//   - each fee of "fees" is [name, amount] instead of an object.
//
// Documents written before keep their form and read as before.

// componentFlags are the bits of a packed component's flags, one per
// boolean of storedComponent.
const (
	flagProvided = 1 << iota
	flagFromNationalDB
	flagReused
	flagDigitized
	flagTakenFromStore
	flagsKnown = 1<<iota - 1
)

// packComponents returns how a document holds cs: packed, the string of
// "cs", or, when one of them holds text, the objects of "components"; an
// empty list is neither (no key).
func packComponents(cs []storedComponent) (packed string, objects []storedComponent) {
	var b strings.Builder
	for i, c := range cs {
		if c.FileRef != "" || c.ReusedResult != "" || c.ReusedFrom != "" {
			return "", cs
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(c.ID, 10))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(c.flags()))
	}
	return b.String(), nil
}

// flags sums the bits of c's booleans.
func (c storedComponent) flags() int {
	bit := func(set bool, b int) int {
		if set {
			return b
		}
		return 0
	}
	return bit(c.Provided, flagProvided) | bit(c.FromNationalDB, flagFromNationalDB) | bit(c.Reused, flagReused) |
		bit(c.Digitized, flagDigitized) | bit(c.TakenFromStore, flagTakenFromStore)
}

// unpackComponents reads a "cs" string; an id or flags that is not a
// number, or flags this program does not know, is an error rather than
// a component read wrong.
func unpackComponents(s string) ([]storedComponent, error) {
	if s == "" {
		return []storedComponent{}, nil
	}
	out := make([]storedComponent, 0, strings.Count(s, ",")+1)
	for rest, more := s, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, ",")
		id, fl, ok := strings.Cut(p, ":")
		n, err1 := strconv.ParseInt(id, 10, 64)
		f, err2 := strconv.Atoi(fl)
		if !ok || err1 != nil || err2 != nil || f < 0 || f&^flagsKnown != 0 {
			return nil, fmt.Errorf("packed component %q", p)
		}
		out = append(out, storedComponent{ID: n, Provided: f&flagProvided != 0, FromNationalDB: f&flagFromNationalDB != 0,
			Reused: f&flagReused != 0, Digitized: f&flagDigitized != 0, TakenFromStore: f&flagTakenFromStore != 0})
	}
	return out, nil
}

// packedFee is a fee of the facts document: written [name, amount], read
// in that form or as the object {"name", "amount"} of before 0040.
type packedFee storedFee

// MarshalJSON writes the fee as [name, amount].
func (f packedFee) MarshalJSON() ([]byte, error) {
	name, err := json.Marshal(f.Name)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(name)+24)
	b = append(b, '[')
	b = append(b, name...)
	b = append(b, ',')
	b = strconv.AppendInt(b, f.Amount, 10)
	return append(b, ']'), nil
}

// UnmarshalJSON reads [name, amount] or {"name", "amount"}.
func (f *packedFee) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		return json.Unmarshal(b, (*storedFee)(f))
	}
	var pair [3]json.RawMessage // a third element is an error
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if pair[1] == nil || pair[2] != nil {
		return errors.New("a fee is [name, amount]")
	}
	if err := json.Unmarshal(pair[0], &f.Name); err != nil {
		return fmt.Errorf("fee name: %w", err)
	}
	if err := json.Unmarshal(pair[1], &f.Amount); err != nil {
		return fmt.Errorf("fee amount: %w", err)
	}
	return nil
}
