#!/usr/bin/env python3
"""Reference verifier: runs sigstore-python's offline Verifier on every case of
a cases.json written by spec/fixtures/sigstore/generate.py and prints one JSON
line per case: {"name", "result": "ok"|"reject"|"unsupported", "error"}.

DSSE bundles get the check `sigstore verify` itself adds after verify_dsse:
the payload type is in-toto and a subject's sha256 is the artifact's.
"""
import hashlib
import json
import os
import sys

from sigstore.errors import Error as SigstoreError
from sigstore.hashes import Hashed
from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier
from sigstore.verify.policy import Identity
from sigstore_models.common.v1 import HashAlgorithm

root_dir = sys.argv[1]
verifier = Verifier(trusted_root=TrustedRoot.from_file(os.path.join(root_dir, "trusted_root.json")))


def read(rel):
    with open(os.path.join(root_dir, rel), "rb") as f:
        return f.read()


def judge(case):
    if "key" in case:
        return "unsupported", "sigstore-python verifies keyless bundles only"
    bundle = Bundle.from_json(read(case["bundle"]))
    policy = Identity(identity=case["identity"], issuer=case["issuer"])
    if "artifact" in case:
        data = read(case["artifact"])
        digest = hashlib.sha256(data).digest()
        subject_input = data
    else:
        alg, hexd = case["artifact_digest"].split(":")
        digest = bytes.fromhex(hexd)
        subject_input = Hashed(algorithm=HashAlgorithm.SHA2_256, digest=digest)
    if bundle._dsse_envelope is None:
        verifier.verify_artifact(subject_input, bundle, policy)
    else:
        ptype, payload = verifier.verify_dsse(bundle, policy)
        if ptype != "application/vnd.in-toto+json":
            raise SigstoreError(f"unexpected payload type {ptype}")
        stmt = json.loads(payload)
        if not any(s.get("digest", {}).get("sha256") == digest.hex() for s in stmt.get("subject", [])):
            raise SigstoreError("no subject matches the artifact")
    return "ok", None


for case in json.load(open(os.path.join(root_dir, "cases.json"))):
    try:
        result, error = judge(case)
    except Exception as e:  # every refusal, whatever its class
        result, error = "reject", f"{type(e).__name__}: {e}"
    print(json.dumps({"name": case["name"], "result": result, "error": error}), flush=True)
