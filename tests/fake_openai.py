"""An OpenAI-compatible HTTP server on 127.0.0.1 with scripted answers and injected faults.

The real ``openai`` + ``instructor`` stack talks to it over a socket (current openai releases
send requests through httpx2, so transport-level mocks would not see them).  Every request is
recorded; each answer comes from a queue of scripted actions or from a responder function.

Actions:
    {"json": obj}                  answer with obj (as a tool call when the request offers tools,
                                   else as the message content)
    {"content": "text"}            answer with this raw content (malformed JSON, prose ...)
    {"status": 429, "headers": {...}, "body": {...}}   an HTTP error
    {"hang": seconds, then: action}                     wait, then answer
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Action = dict[str, Any]


class FakeOpenAI:
    def __init__(self, responder: Callable[[dict[str, Any]], Action] | None = None) -> None:
        self.queue: deque[Action] = deque()
        self.requests: list[dict[str, Any]] = []
        self.responder = responder
        self.prompt_tokens = 100
        self.completion_tokens = 20
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                action = fake.next_action(body)
                while "hang" in action:
                    time.sleep(action["hang"])
                    action = action.get("then", {"json": {}})
                if "status" in action:
                    self._send(action["status"], action.get("body", {"error": {"message": "injected fault"}}),
                               action.get("headers", {}))
                    return
                self._send(200, fake.completion(body, action))

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *actions: Action) -> None:
        self.queue.extend(actions)

    def next_action(self, body: dict[str, Any]) -> Action:
        if self.queue:
            return self.queue.popleft()
        if self.responder is not None:
            return self.responder(body)
        return {"status": 500, "body": {"error": {"message": "no scripted answer left"}}}

    def completion(self, body: dict[str, Any], action: Action) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None}
        if "json" in action and body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message["tool_calls"] = [{
                "id": f"call_{len(self.requests)}", "type": "function",
                "function": {"name": name, "arguments": json.dumps(action["json"], ensure_ascii=False)},
            }]
            finish = "tool_calls"
        else:
            content = action["content"] if "content" in action else json.dumps(action.get("json"), ensure_ascii=False)
            message["content"] = content
            finish = "stop"
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                      "total_tokens": self.prompt_tokens + self.completion_tokens},
        }

    def user_texts(self) -> list[str]:
        """The concatenated message texts of every request (what the model was sent)."""
        out = []
        for r in self.requests:
            msgs = r["body"].get("messages", [])
            out.append("\n".join(str(m.get("content") or "") for m in msgs))
        return out
