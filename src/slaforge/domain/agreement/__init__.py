"""Agreements: lifecycle, frozen versions under a content hash, plain-language summaries."""
