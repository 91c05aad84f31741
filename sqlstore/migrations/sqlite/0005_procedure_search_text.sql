-- Catalogue search ranks the procedures whose name starts with the query
-- first: search_text now begins with the folded name ("Thủ tục" moved to
-- its end) instead of the code. Folding is the program's (motcua.Fold), so
-- the program writes every procedure's new search_text right after this
-- (sqlstore/migrate_search.go).
UPDATE procedures SET search_text = '';
