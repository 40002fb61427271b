"""The worker's outside services for the schemathesis run, on one local server, with the
base paths the worker tests use (worker/tests/worker/fakes.rs):

    CoinGecko   /gecko/api/v3    every asked coin's market row, a one-point chart, 404 for
                                 ids starting with `no-such-`
    Azure       /azure           one fixed chat completion
    Colosseum   /colosseum/api   the project page of `neptu`; 404 for anything else

so the routes that call them answer as against the real ones, instead of reaching the
internet. Nothing is stored: every answer is the same.

    python3 scripts/lib/fake_worker_upstreams.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def coin(id_, index):
    price = 10.0 + index
    return {
        "id": id_, "symbol": id_[:4], "name": id_, "image": f"https://img.invalid/{id_}.png",
        "current_price": price, "market_cap": price * 1e7, "market_cap_rank": index + 1,
        "total_volume": 1.0e8, "high_24h": price * 1.1, "low_24h": price * 0.9,
        "price_change_24h": 0.5, "price_change_percentage_24h": 5.0,
        "circulating_supply": 1.0e7, "total_supply": 2.0e7, "max_supply": None,
        "ath": price * 2, "ath_change_percentage": -50.0, "ath_date": "2021-11-10T14:24:11.849Z",
        "atl": 0.5, "atl_change_percentage": 1000.0, "atl_date": "2015-10-20T00:00:00.000Z",
        "last_updated": "2026-11-25T10:00:00.000Z",
    }


PROJECT = {
    "project": {
        "id": 360, "name": "Neptu", "slug": "neptu", "humanUpvotes": 12, "agentUpvotes": 30,
        "ownerAgentName": "neptu", "ownerAgentClaim": {"xUsername": "neptu"},
    }
}

COMPLETION = {
    "choices": [{"message": {"content": "The stars favour a quiet start."}}],
    "usage": {"total_tokens": 42},
}


def answer(method, url):
    path, query = url.path, parse_qs(url.query)
    if method == "GET" and path == "/gecko/api/v3/coins/markets":
        ids = [i for i in ",".join(query.get("ids", [""])).split(",") if i]
        return 200, [coin(id_, n) for n, id_ in enumerate(ids)]
    if method == "GET" and path.startswith("/gecko/api/v3/coins/") and path.endswith("/market_chart"):
        if path.split("/")[5].startswith("no-such-"):
            return 404, {"error": "coin not found"}
        return 200, {"prices": [[1700000000000, 1.0]], "market_caps": [], "total_volumes": []}
    if method == "POST" and path.startswith("/azure/openai/deployments/") and path.endswith("/chat/completions"):
        return 200, COMPLETION
    if method == "GET" and path == "/colosseum/api/projects/neptu":
        return 200, PROJECT
    return 404, {"error": "not found"}


class Handler(BaseHTTPRequestHandler):
    def reply(self):
        length = int(self.headers.get("Content-Length", 0))
        if length:
            self.rfile.read(length)
        status, body = answer(self.command, urlsplit(self.path))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = reply
    do_POST = reply

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
