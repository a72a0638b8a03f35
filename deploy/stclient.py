"""A headless Streamlit session: the browser's side of the websocket protocol, without a browser.

Streamlit's frontend talks to the server over one websocket (``/_stcore/stream``) in protobuf:
it sends ``BackMsg`` (here only ``rerun_script``, carrying the query string and widget values)
and receives ``ForwardMsg`` (``new_session``, element ``delta``s, ``page_info_changed`` with the
query string the script wrote, ``script_finished``). The classes ship with streamlit
(``streamlit.proto``), so a client speaks exactly the installed server's protocol.

``deploy/serve`` uses this to warm each replica up (the first run loads the geometry), and
``tests/bench/wsload.py`` to drive many sessions on a 2-core machine where twenty Chromium
renderers would saturate it long before the server. Like the browser, a session first loads
the page (which, through nginx, sets the affinity cookie) and sends that cookie and an Origin
with the websocket, and it tells the server which cacheable messages it already holds, so the
server sends references instead of resending them.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

DAY_MICROS = 86_400 * 1_000_000  # a date slider's values are microseconds since the epoch
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


class ProtocolError(RuntimeError):
    """The server answered with an exception, a failed run or a closed socket."""


@dataclass
class Slider:
    """A slider the script drew: its widget id and range (dates as epoch microseconds)."""

    id: str
    label: str
    min: float
    max: float
    step: float
    value: list[float]


@dataclass
class RunResult:
    """What one script run sent back."""

    seconds: float
    messages: int
    bytes: int
    query_string: str | None
    exceptions: list[str] = field(default_factory=list)


def widget_state(kind: str, proto: Any) -> WidgetState | None:  # noqa: ANN401 - any widget proto
    """The value the frontend reports for a widget it has just drawn (None: it reports none).

    The browser sends every widget's value with each rerun, and the server forgets a keyed
    widget's value that is missing, so a client must do the same for each kind on the page.
    """
    state = WidgetState(id=proto.id)
    is_set = getattr(proto, "set_value", False)
    if kind == "slider":
        state.double_array_value.data.extend(proto.value if is_set else proto.default)
    elif kind == "checkbox":
        state.bool_value = proto.value if is_set else proto.default
    elif kind in ("selectbox", "radio"):
        if is_set:
            if proto.raw_value:
                state.string_value = proto.raw_value
        elif proto.HasField("default") and proto.options:
            state.string_value = proto.options[proto.default]
    elif kind == "button_group":
        values = list(proto.raw_values) if is_set else [proto.options[i].content for i in proto.default]
        state.string_array_value.data.extend(values)
    elif kind == "date_input":
        state.string_array_value.data.extend(proto.value if is_set else proto.default)
    else:
        return None  # buttons (triggers), charts and components report only on user input
    return state


def first_cookie(base: str, *, timeout: float = 10.0) -> str | None:
    """GET the entry page as a browser would; return the ``name=value`` of any cookie it sets."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never via a proxy
    with opener.open(base.rstrip("/") + "/", timeout=timeout) as resp:
        resp.read()
        cookie = resp.headers.get("Set-Cookie")
    return cookie.split(";", 1)[0] if cookie else None


class Session:
    """One headless session. ``await open(query)``, then ``await rerun(...)``; ``await close()``."""

    def __init__(self, base: str, *, cookie: str | None = None, timeout: float = 30.0) -> None:
        self.base = base.rstrip("/")
        self.cookie = cookie
        self.timeout = timeout
        self.sliders: dict[str, Slider] = {}
        self.widgets: dict[str, WidgetState] = {}
        self.query_string = ""
        self.page_script_hash = ""
        self._cache: set[str] = set()
        self._ws: ClientConnection | None = None

    async def open(self, query: str = "") -> RunResult:
        """Connect and run the script once with ``query`` as the page's query string."""
        parts = urlsplit(self.base)
        ws_url = ("wss" if parts.scheme == "https" else "ws") + f"://{parts.netloc}{parts.path}/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self._ws = await asyncio.wait_for(
            connect(
                ws_url,
                subprotocols=["streamlit"],
                origin=f"{parts.scheme}://{parts.netloc}",
                additional_headers=headers,
                max_size=None,
                open_timeout=self.timeout,
            ),
            self.timeout,
        )
        self.query_string = query.lstrip("?")
        return await self.rerun()

    async def rerun(self, changed: list[WidgetState] | None = None) -> RunResult:
        """Send a rerun with the widgets in ``changed`` set (the rest as they are); wait for it to finish."""
        for widget in changed or []:
            self.widgets[widget.id] = widget
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.widget_states.widgets.extend(self.widgets.values())
        state.cached_message_hashes.extend(sorted(self._cache))
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        state.context_info.url = f"{self.base}/?{self.query_string}"
        if self._ws is None:
            raise ProtocolError("the session is not open")
        start = time.monotonic()
        await self._ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._until_finished(start), self.timeout)

    async def step_date(self, label: str = "Date", days: int = 1) -> RunResult:
        """Move the date slider ``label`` by ``days`` (back to its start past the end); rerun."""
        slider = self.sliders.get(label)
        if slider is None:
            raise ProtocolError(f"no slider {label!r} on the page; saw {sorted(self.sliders)}")
        value = slider.value[0] + days * DAY_MICROS
        if value > slider.max:
            value = slider.min
        slider.value = [value]
        widget = WidgetState(id=slider.id)
        widget.double_array_value.data.append(value)
        return await self.rerun([widget])

    async def _until_finished(self, start: float) -> RunResult:
        assert self._ws is not None
        result = RunResult(seconds=0.0, messages=0, bytes=0, query_string=None)
        async for raw in self._ws:
            result.messages += 1
            result.bytes += len(raw)
            fmsg = ForwardMsg()
            fmsg.ParseFromString(raw)
            if fmsg.metadata.cacheable and fmsg.hash:
                self._cache.add(fmsg.hash)
            kind = fmsg.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = fmsg.new_session.page_script_hash or self.page_script_hash
            elif kind == "delta":
                self._read_delta(fmsg, result)
            elif kind == "page_info_changed":
                self.query_string = result.query_string = fmsg.page_info_changed.query_string
            elif kind == "script_finished":
                result.seconds = time.monotonic() - start
                if fmsg.script_finished not in FINISHED_OK:
                    raise ProtocolError(f"script run ended with status {fmsg.script_finished}")
                if result.exceptions:
                    raise ProtocolError("exception on the page: " + "; ".join(result.exceptions))
                return result
        raise ProtocolError(f"the server closed the websocket (code {self._ws.close_code})")

    def _read_delta(self, fmsg: ForwardMsg, result: RunResult) -> None:
        if fmsg.delta.WhichOneof("type") != "new_element":
            return
        element = fmsg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message[:200]}")
            return
        proto = getattr(element, kind) if kind else None
        widget_id = getattr(proto, "id", "")
        if not widget_id:
            return
        # Like the frontend: a widget keeps the value it has unless the server sets one.
        if widget_id not in self.widgets or getattr(proto, "set_value", False):
            state = widget_state(kind, proto)
            if state is not None:
                self.widgets[widget_id] = state
        if kind == "slider":
            current = self.widgets[widget_id].double_array_value.data
            self.sliders[proto.label] = Slider(widget_id, proto.label, proto.min, proto.max, proto.step, list(current))

    async def close(self) -> None:
        """Close the websocket (the server then ends the session)."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None
