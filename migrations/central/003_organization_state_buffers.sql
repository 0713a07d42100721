-- A state's row replaces the agency's pre-exclusion buffer for contacts in that state.
CREATE TABLE IF NOT EXISTS organization_state_buffers (
  org_id INTEGER NOT NULL,
  state_code TEXT NOT NULL CHECK (length(state_code) = 2 AND state_code = upper(state_code)),
  pre_exclusion_buffer_days INTEGER NOT NULL
    CHECK (pre_exclusion_buffer_days BETWEEN 0 AND 365),
  PRIMARY KEY (org_id, state_code)
);
