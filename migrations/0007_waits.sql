-- "Wait with me": one wait at a time per person, while the urge to text
-- again rises and falls. `due` is the instant its end is to be sent (the
-- scheduler claims it by setting `due` to NULL, in the same transaction, so
-- an end is sent at most once). Once sent, the wait is kept an hour, so the
-- buttons on its end still work, then deleted; the person ending it
-- (I'm okay now, I still want to send it) deletes it at once.
-- Like `sessions`, it stands alone (waiting needs no users row);
-- `/mydata delete` removes it by user_id.
CREATE TABLE waits (
    user_id        BIGINT  PRIMARY KEY NOT NULL,
    started_at     BIGINT  NOT NULL,                -- names this wait in its buttons
    minutes        BIGINT  NOT NULL,                -- the length last chosen
    ends_at        BIGINT  NOT NULL,
    due            BIGINT,
    urge_before    BIGINT  CHECK (urge_before BETWEEN 1 AND 5),
    private        BOOLEAN NOT NULL,
    locale         TEXT    NOT NULL,
    -- Set for a wait kept on its message instead of by DM (DMs closed):
    -- the interaction whose message the end replaces, within the 15
    -- minutes Discord keeps its token valid.
    application_id BIGINT,
    token          TEXT
);

CREATE INDEX waits_by_due ON waits (due) WHERE due IS NOT NULL;

-- How strong the urge was at the start and at the end of a wait, kept only
-- for people who keep a mood history (and removed with it). Either tap may
-- be missing: both are optional.
CREATE TABLE urges (
    user_id    BIGINT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    before     BIGINT CHECK (before BETWEEN 1 AND 5),
    after      BIGINT CHECK (after BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, started_at)
);
