package sqlstore

import (
	"testing"

	"github.com/motcua/motcua"
)

// BenchmarkFactsDocument decodes and encodes a generated dossier's facts
// document in its form of before migration 0040 (an object per component
// and fee) and in the packed one: what every dossier page and action pays
// (go test -run XXX -bench BenchmarkFactsDocument ./sqlstore).
func BenchmarkFactsDocument(b *testing.B) {
	const old = `{"applicant":{"date_of_birth":"1986-03-14","gender":"Nữ","phone":"0912345678","address":"Ấp Trung, xã An Phú, tỉnh Mẫu","source":"typed"},` +
		`"components":[{"id":1,"p":true,"d":true},{"id":2,"p":true,"d":true},{"id":3,"p":true}],"fees":[{"name":"Phí, lệ phí","amount":0}],` +
		`"lookup_secret":"Tmsm4MjjLw8hnPbr0PQqcg"}`
	var d motcua.Dossier
	if err := decodeFacts(&d, old, "001", "A"); err != nil {
		b.Fatal(err)
	}
	packed, err := encodeFacts(&d)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d bytes before 0040, %d packed", len(old), len(packed))
	for _, c := range []struct{ name, doc string }{{"decode-before-0040", old}, {"decode-packed", packed}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var x motcua.Dossier
				if err := decodeFacts(&x, c.doc, "001", "A"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("encode-packed", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := encodeFacts(&d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
