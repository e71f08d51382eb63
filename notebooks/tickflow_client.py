"""Small helpers the notebooks share: SQL over the Flink SQL Gateway's REST API, and the relay's fan-out over
ZeroMQ with payloads decoded by Avro (the contracts in ../schemas). Endpoints default to what `./tickflow up`
prints; set TICKFLOW_SQL_GATEWAY, TICKFLOW_RELAY_FANOUT to point elsewhere."""

import io
import json
import os
import pathlib
import time
from decimal import Decimal

import pandas as pd
import requests

SQL_GATEWAY = os.environ.get("TICKFLOW_SQL_GATEWAY", "http://127.0.0.1:8083")
RELAY_FANOUT = os.environ.get("TICKFLOW_RELAY_FANOUT", "tcp://127.0.0.1:5558")
# where notebooks save what they draw (CI checks the files)
OUTPUT_DIR = pathlib.Path(os.environ.get("TICKFLOW_NOTEBOOK_OUT", "output"))
SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "src" / "main" / "avro"


def sql(statement, timeout=120):
    """Runs one statement through the SQL Gateway, in the tickflow catalog, and returns a DataFrame. DECIMAL
    columns come back as exact Python Decimals (the gateway writes them as JSON numbers; they are parsed as
    Decimal, never float)."""
    session = _post("/v1/sessions", {})["sessionHandle"]
    try:
        _run(session, "USE CATALOG tickflow", timeout)
        return _run(session, statement, timeout)
    finally:
        requests.delete(SQL_GATEWAY + f"/v1/sessions/{session}", timeout=30)


def _run(session, statement, timeout):
    op = _post(f"/v1/sessions/{session}/statements", {"statement": statement})["operationHandle"]
    uri = f"/v3/sessions/{session}/operations/{op}/result/0?rowFormat=JSON"
    columns, rows = None, []
    deadline = time.monotonic() + timeout
    while uri:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no result within {timeout} s: {statement}")
        page = _get(uri)
        if page["resultType"] == "NOT_READY":
            time.sleep(0.2)  # the gateway asks to poll again
            continue
        results = page.get("results", {})
        if columns is None and results.get("columns"):
            columns = [c["name"] for c in results["columns"]]
        rows.extend(r["fields"] for r in results.get("data", []))
        uri = None if page["resultType"] == "EOS" else page.get("nextResultUri")
    return pd.DataFrame(rows, columns=columns)


def _post(path, body):
    r = requests.post(SQL_GATEWAY + path, json=body, timeout=60)
    if r.status_code != 200:
        raise RuntimeError(f"SQL Gateway {path}: HTTP {r.status_code}: {_first_error(r)}")
    return json.loads(r.text, parse_float=Decimal)


def _get(path):
    r = requests.get(SQL_GATEWAY + path, timeout=60)
    if r.status_code != 200:
        raise RuntimeError(f"SQL Gateway {path}: HTTP {r.status_code}: {_first_error(r)}")
    return json.loads(r.text, parse_float=Decimal)


def _first_error(response):
    try:
        errors = response.json().get("errors", [])
        causes = [l for e in errors for l in e.splitlines() if l.startswith("Caused by")]
        return (causes[-1] if causes else errors[0].splitlines()[0]) if errors else response.text
    except ValueError:
        return response.text


# --- the relay -----------------------------------------------------------------------------------------------

# what each kind of relay topic carries (EXCHANGE:BASE/QUOTE|kind)
TOPIC_TYPES = {"ohlc": "Candle", "quote": "Quote", "signal": "Signal", "alert": "PatternAlert",
               "decision": "AdvisorDecision", "fill": "Fill"}


def _schemas():
    import avro.schema
    names = avro.schema.Names()
    parsed = {}
    # the shared types first: the events refer to them by name
    for folder in ("common", "events"):
        pending = sorted((SCHEMAS / folder).glob("*.avsc"))
        while pending:
            retry = []
            for f in pending:
                try:
                    s = avro.schema.make_avsc_object(json.loads(f.read_text()), names)
                    parsed[f.stem] = s
                except avro.schema.SchemaParseException:
                    retry.append(f)
            if len(retry) == len(pending):
                raise RuntimeError(f"cannot parse {[p.name for p in retry]}")
            pending = retry
    return parsed


_PARSED = None


def decode(topic, payload):
    """Decodes a relay payload (Avro single-object encoding: 2-byte marker, 8-byte schema fingerprint, body)."""
    global _PARSED
    import avro.io
    if _PARSED is None:
        _PARSED = _schemas()
    kind = topic.split("|", 1)[1].split(":", 1)[0]
    schema = _PARSED[TOPIC_TYPES[kind]]
    if payload[:2] != b"\xc3\x01":
        raise ValueError(f"{topic}: not Avro single-object encoded")
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(payload[10:])))


def tail(topics, count, timeout=60):
    """Subscribes to the relay's fan-out (topic prefixes) and returns the first `count` messages as rows: topic,
    receive time and the decoded event's fields."""
    import zmq
    ctx = zmq.Context.instance()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.RCVTIMEO, 1000)
    sub.connect(RELAY_FANOUT)
    for t in topics:
        sub.setsockopt_string(zmq.SUBSCRIBE, t)
    rows = []
    deadline = time.monotonic() + timeout
    try:
        while len(rows) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(rows)} of {count} messages within {timeout} s from {RELAY_FANOUT}")
            try:
                frames = sub.recv_multipart()
            except zmq.Again:
                continue
            topic = frames[0].decode()
            event = decode(topic, frames[1])
            rows.append({"topic": topic, "received": pd.Timestamp.now(tz="UTC"), **event})
    finally:
        sub.close(linger=0)
    return pd.DataFrame(rows)
