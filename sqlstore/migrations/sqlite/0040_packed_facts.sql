-- The facts documents with their components and fees packed (issue 15,
-- bytes per dossier; sqlstore/facts_packed.go): the components as one
-- string of ids and flags, each fee as [name, amount]. The documents are
-- rewritten after this file, on both engines, by the program
-- (compactFacts, migrationSteps); documents written before read as before.
SELECT 1;
