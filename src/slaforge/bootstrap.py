"""The one composition root: settings, engine, sessions, units of work, the clock and the notifier.

Nothing connects at import time. Tests pass their own engine, session factory, clock or
notifier. Entry points receive the container this builds and import it, never the other way
round: the ASGI app's factory (`slaforge.entrypoints.asgi:asgi_app`) calls `bootstrap()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.adapters.db.unit_of_work import AuditKeySource, SqlAlchemyUnitOfWork
from slaforge.adapters.platform.audit_keys import load_key_ring
from slaforge.adapters.platform.notifiers import ByChannel, Notifier
from slaforge.adapters.platform.notifiers.mail_drop import MailDropNotifier
from slaforge.adapters.platform.notifiers.slack import SlackNotifier
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.adapters.platform.notifiers.webhook import WebhookNotifier
from slaforge.config import Settings, get_settings
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.audit_keys import AuditKeyRing
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.domain.platform.tenancy import Scope

log = logging.getLogger("slaforge.bootstrap")

Clock = Callable[[], datetime]
# Opens the configured channels for one delivery pass and closes them after it.
NotifierFactory = Callable[[], AbstractContextManager[Notifier]]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    notify: NotifyConfig
    notifier: NotifierFactory
    # The audit keys, read (or, outside production, made) when a unit of work first needs them.
    audit_keys: AuditKeySource
    # Whom a command line call acts for (`slaforge --as EMAIL`); None: the operator, who holds the
    # database and sees everything. Requests carry their own principal instead.
    acting: Principal | None = None

    def command_uow(self) -> SqlAlchemyUnitOfWork:
        """A command's unit of work: limited to what the user it acts as may see."""
        return self.uow(self.acting)

    def uow(self, principal: Principal | None) -> SqlAlchemyUnitOfWork:
        """A unit of work that sees only what `principal` may see (everything for None).

        Every unit of work made here carries the provider's name for new drafts and the
        notification settings and the audit keys, so whatever use case changes an agreement also
        knows whom to tell
        (agreement news); one made elsewhere (a test's own) tells nobody."""
        return SqlAlchemyUnitOfWork(
            self.session_factory,
            Scope.of(principal),
            provider_name=self.settings.provider_name.strip(),
            notify=self.notify,
            audit_keys=self.audit_keys,
            clock=self.clock,
        )

    def system_uow(self) -> SqlAlchemyUnitOfWork:
        """For work done on nobody's behalf: sign-in checks, token lookups, the worker."""
        return self.uow(None)


def settings_notifier(settings: Settings, clock: Clock) -> NotifierFactory:
    """The configured channels: e-mail by SMTP when SLAFORGE_SMTP_HOST is set, else into the mail
    drop folder when SLAFORGE_MAIL_DROP_DIR is; webhooks when their secret is set; Slack-compatible
    incoming webhooks always (a channel nobody configured fails its messages, which are retried and
    then marked failed)."""
    drop = settings.mail_drop_dir.strip()
    if drop:
        settings.check_mail_drop()  # again: a copy made with model_copy(update=...) skips validation
    if drop and settings.smtp_host:
        log.warning("SLAFORGE_MAIL_DROP_DIR is ignored: e-mail goes to SMTP (%s)", settings.smtp_host)

    @contextmanager
    def channels() -> Iterator[Notifier]:
        email: Notifier | None = None
        if settings.smtp_host:
            email = SmtpNotifier(
                SmtpConfig(
                    host=settings.smtp_host,
                    port=settings.smtp_port,
                    sender=settings.smtp_from,
                    username=settings.smtp_username or None,
                    password=settings.smtp_password or None,
                    starttls=settings.smtp_starttls,
                )
            )
        elif drop:
            email = MailDropNotifier(Path(drop), sender=settings.smtp_from, clock=clock)
        hooks = None
        if settings.notify_webhook_secret:
            hooks = WebhookNotifier(secret=settings.notify_webhook_secret, clock=lambda: clock().timestamp())
        slack = SlackNotifier()  # the hook's URL is its own secret: nothing to configure
        try:
            yield ByChannel(email=email, webhook=hooks, slack=slack)
        finally:
            slack.close()
            if hooks is not None:
                hooks.close()

    return channels


def settings_audit_keys(settings: Settings) -> AuditKeySource:
    """The configured audit keys, loaded once on first use: SLAFORGE_AUDIT_KEY (and the retired
    keys), else the key file, which is made with a fresh key outside production."""
    ring: list[AuditKeyRing] = []

    def keys() -> AuditKeyRing:
        if not ring:
            ring.append(
                load_key_ring(
                    key=settings.audit_key,
                    retired=settings.audit_retired_keys,
                    key_file=settings.audit_key_path(),
                    create_file=settings.environment != "production" and not settings.audit_key_file.strip(),
                )
            )
        return ring[0]

    return keys


def bootstrap(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    clock: Clock | None = None,
    notifier: NotifierFactory | None = None,
) -> Container:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    clock = clock or system_clock
    return Container(
        settings=settings,
        engine=engine,
        session_factory=session_factory or make_session_factory(engine),
        clock=clock,
        notify=NotifyConfig.from_settings(settings),
        notifier=notifier or settings_notifier(settings, clock),
        audit_keys=settings_audit_keys(settings),
    )


@contextmanager
def units_on(database_url: str, audit_keys: AuditKeySource | None = None) -> Iterator[SqlAlchemyUnitOfWork]:
    """Units of work on another database (the demo's own SQLite file), for as long as the context
    lasts; its engine is closed after. They carry no notification settings: the demo queues its
    e-mails explicitly and delivers them from its own server's container. They seal audit entries
    with `audit_keys`, by default the configured ones (so `slaforge audit verify` checks them)."""
    engine = make_engine(database_url, poolclass=NullPool)
    try:
        yield SqlAlchemyUnitOfWork(
            make_session_factory(engine), audit_keys=audit_keys or settings_audit_keys(get_settings())
        )
    finally:
        engine.dispose()
