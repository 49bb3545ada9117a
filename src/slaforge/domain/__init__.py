"""Pure rules of slaforge: no I/O, no frameworks, no wall clock."""
