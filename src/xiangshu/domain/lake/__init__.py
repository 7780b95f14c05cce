"""Pure rules of the data lake: load modes and reports, query specs, masking."""
