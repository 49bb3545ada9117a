"""Step 1 statistics: what a history of clocks says the provider can promise."""
