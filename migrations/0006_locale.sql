-- The Discord locale a person last used with steady (`de`, `pt-BR`...), so
-- what steady sends later (a check-in, its notices) is in their language.
-- Set at `/checkin on` and kept up to date by every command and button
-- press of someone steady keeps something for; NULL reads English. It hangs off `users`, so
-- `/mydata delete` removes it with the rest.
ALTER TABLE users ADD COLUMN locale TEXT;

-- The locale of a running exercise, for its last words after a crash.
ALTER TABLE sessions ADD COLUMN locale TEXT NOT NULL DEFAULT 'en-US';
