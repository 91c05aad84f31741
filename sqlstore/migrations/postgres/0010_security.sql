-- Sessions are found by their user: ending them all when a password is
-- reset, an account locked or its roles changed, and listing a user's own.
CREATE INDEX sessions_user ON sessions (user_id, created_at);
