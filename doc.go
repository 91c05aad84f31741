// Package motcua holds the domain of the one-stop administrative procedure
// system: agencies, procedures, dossiers, their lifecycle and the rules of
// Nghị định 118/2025/NĐ-CP that govern it.
//
// The package depends on the standard library only. Time is always passed in
// (the domain never reads the wall clock), stored in UTC, and interpreted in
// Vietnam time (UTC+7) through a Calendar. Storage, HTTP and every other
// outside technology live in their own packages and implement or call the
// interfaces declared here.
package motcua
