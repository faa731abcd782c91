-- "Write it here instead": the draft a person writes during a wait is a
-- `journal` row of kind 'draft' (sealed, deleted once its expires_at
-- passes unless kept); this names it from the wait, so writing again
-- replaces it and the wait's end offers it back. No foreign key: `waits`
-- stands alone and is locked before a person's rows, so a journal row's
-- delete may not reach back into it; the id is read only with its owner
-- and only as a draft not yet kept (see `Store::wait_draft`), and a new
-- wait starts without one.
ALTER TABLE waits ADD COLUMN draft_id BIGINT;
