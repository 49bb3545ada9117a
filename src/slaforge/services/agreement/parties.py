"""The provider's own name as a party to new drafts (SLAFORGE_PROVIDER_NAME), handed to the
drafting helpers on the session, the way agreement news gets its configuration.

Drafts are made deep inside use cases (from a study, from expectations, from a counter-offer)
that are given a unit of work and nothing else; the composition root puts the name on every
session its factory makes, so whichever session drafts also knows who the provider is. A session
made elsewhere (a test's own factory) carries no name, and drafts keep "the Provider".
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

NAME_KEY = "slaforge.provider_name"


def carrying(factory: sessionmaker[Session], provider_name: str) -> sessionmaker[Session]:
    """A session factory like `factory` whose sessions carry the provider's name (unchanged when
    the name is empty). The caller's factory is left as it was."""
    name = provider_name.strip()
    if not name:
        return factory
    info = {**factory.kw.get("info", {}), NAME_KEY: name}
    return sessionmaker(class_=factory.class_, **{**factory.kw, "info": info})


def provider_name(session: Session) -> str:
    """The configured name, or "" when none was configured."""
    name = session.info.get(NAME_KEY, "")
    return name if isinstance(name, str) else ""
