package main

import (
	"bytes"
	"time"

	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/sign"
)

// scanPage makes the demo's stand-in for a scanned paper (pdf.WriteScan).
func scanPage(title, subject string, seed uint64) ([]byte, error) {
	var b bytes.Buffer
	err := pdf.WriteScan(&b, pdf.Scan{Title: title, Subject: subject, Seed: seed})
	return b.Bytes(), err
}

// demoScanner digitizes the generated dossiers' components with signed
// scans, the generated communes' officers getting demo certificates; nil
// when the app neither signs nor keeps documents.
func demoScanner(cfg Config, a *app, certFrom time.Time) *demo.Scanner {
	if a.scfg.Signer == nil || a.scfg.Blobs == nil || cfg.Keys == "" {
		return nil
	}
	return &demo.Scanner{Signer: a.scfg.Signer, Blobs: a.scfg.Blobs, Page: scanPage,
		Certify: func(officers []demo.Officer) error {
			var holders []sign.DemoHolder
			for _, o := range officers {
				holders = append(holders, sign.DemoHolder{Username: o.User.Username, Name: o.User.FullName, Organization: o.Agency})
			}
			return sign.EnsureDemo(cfg.Keys, certFrom, "Tỉnh Mẫu (dữ liệu mẫu)", holders)
		}}
}
