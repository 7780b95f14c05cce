"""Storage of the open-data portal: usage counters, rate windows, grants, SQL runs."""
