"""Models of the relationship step (responsibilities, obligations, contracts, meetings, tasks)."""
