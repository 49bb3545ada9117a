"""A real uvicorn server on a free 127.0.0.1 port, in a thread, for HTTP and browser tests."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Literal

import uvicorn
from fastapi import FastAPI

from slaforge.entrypoints.cli.platform.serve import free_port


class LiveServer:
    def __init__(self, app: FastAPI, *, lifespan: Literal["on", "off"] = "off") -> None:
        # Lifespan off by default: the app's background scheduler runs only where a test asks for it.
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan=lifespan)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
