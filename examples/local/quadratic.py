#!/usr/bin/env python3
"""The quadratic trial of quadratic.mjs, in Python with the standard library only: how a PyTorch or
Keras script speaks the kubetune trial contract (docs/local-mode.md).

  in:   $KUBETUNE_PARAMS_FILE (JSON) with x, y, shape
  live: one line per step on stdout:  kubetune-metrics step=<n> loss=<value>
  out:  $KUBETUNE_RESULT_FILE:  {"status": "succeeded", "metrics": {"loss": ...}}
  stop: SIGTERM -> write what we have (status "pruned") and exit
"""
import json
import os
import signal
import sys
import time

with open(os.environ["KUBETUNE_PARAMS_FILE"]) as f:
    params = json.load(f)

bonus = {"bowl": 0.0, "ridge": 0.05, "flat": 0.1}.get(params.get("shape"), 0.0)
target = (params["x"] - 0.3) ** 2 + (params["y"] + 0.1) ** 2 + bonus
steps = int(os.environ.get("QUADRATIC_STEPS", "5"))
state = {"loss": float("nan"), "step": 0}


def write_result(status):
    loss = state["loss"]
    doc = {"status": status, "metrics": {"loss": loss if loss == loss else "NaN"}, "step": state["step"]}
    result_file = os.environ.get("KUBETUNE_RESULT_FILE")
    if result_file:
        with open(result_file, "w") as f:
            json.dump(doc, f)


def on_sigterm(signum, frame):
    write_result("pruned")
    sys.exit(143)


signal.signal(signal.SIGTERM, on_sigterm)

for step in range(1, steps + 1):
    time.sleep(0.02)  # a training epoch would go here
    state["loss"] = target + 2.0 ** -step
    state["step"] = step
    print(f"kubetune-metrics step={step} loss={state['loss']!r}", flush=True)

write_result("succeeded")
