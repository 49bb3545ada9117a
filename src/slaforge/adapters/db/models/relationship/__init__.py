"""The relationship step's tables (its terms live in the agreement versions' JSON)."""
