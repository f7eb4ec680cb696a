-- A request of someone who said to join anyway beside a member of their name (confirmSameName):
-- its approval is not refused for that (409 'same-name'), as their join would not have been.
ALTER TABLE "join_requests" ADD COLUMN "same_name_confirmed" boolean DEFAULT false NOT NULL;
