-- Search is newest first over cruds and replies alike. For a rare term the
-- GIN index finds the few matches; for a common one (a popular #hashtag
-- matching a fifth of all cruds) walking this index newest first and
-- stopping at the page's end beats sorting every match. The planner picks
-- per term from the statistics.
CREATE INDEX activities_created_idx ON activities (created_at DESC, uuid DESC);
