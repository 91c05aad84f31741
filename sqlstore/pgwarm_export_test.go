package sqlstore

// HotTables are the tables a new PostgreSQL connection of a served store
// plans over before it serves (pgwarm.go).
var HotTables = hotTables
