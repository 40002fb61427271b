"""A minimal Solana JSON-RPC for the schemathesis run: an empty chain. Every account has no
balance and no token accounts, no transaction exists, the latest blockhash is fixed. The
routes that need the chain then answer as they would against a real one, instead of 503.

    python3 scripts/lib/fake_solana_rpc.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTEXT = {"slot": 1}


def result(method, params):
    if method == "getLatestBlockhash":
        return {"context": CONTEXT, "value": {"blockhash": "1" * 32, "lastValidBlockHeight": 100}}
    if method == "getBalance":
        return {"context": CONTEXT, "value": 0}
    if method == "getTokenAccountsByOwner":
        return {"context": CONTEXT, "value": []}
    if method == "getTransaction":
        return None
    if method == "getSignatureStatuses":
        signatures = params[0] if params else []
        return {"context": CONTEXT, "value": [None for _ in signatures]}
    raise KeyError(method)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        try:
            body = {"jsonrpc": "2.0", "id": request.get("id"), "result": result(request.get("method"), request.get("params"))}
        except KeyError as missing:
            body = {"jsonrpc": "2.0", "id": request.get("id"), "error": {"code": -32601, "message": f"Method not found: {missing}"}}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
