"""All models, imported here so that `Base.metadata` knows every table."""

from slaforge.adapters.db.base import Base

__all__ = ["Base"]
