#!/usr/bin/env python3
"""Writes the committed seed corpora, fuzz/corpus/<target>/seed-<sha1>, from
the shared OpenBao and Wycheproof vectors and from fixtures like the specs'.

Run from anywhere: python3 fuzz/make_seeds.py [SHARED_VECTORS_DIR]. Old seed-*
files are replaced; inputs libFuzzer adds (other names) are left alone.
Tokens are signed with the fuzz targets' fixed test keys (src/lib.rs)."""
import base64, hashlib, hmac, json, os, sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

FUZZ = Path(__file__).resolve().parent
VECTORS = Path(sys.argv[1]) if len(sys.argv) > 1 else FUZZ.parent.parent / "shared" / "vectors"
NOW = 1_735_689_600
HMAC_SECRET = b"fuzzing-secret-0123456789abcdef!"
EC_PEM = (FUZZ / "src" / "lib.rs").read_text().split('EC_PRIVATE_PEM: &str = "')[1].split('";')[0]
EC_KEY = serialization.load_pem_private_key(EC_PEM.encode(), password=None)
MAX_SEED = 4096
seeds = {}


def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) <= MAX_SEED:
        seeds.setdefault(target, {})[hashlib.sha1(data).hexdigest()] = data


def load(name):
    return json.loads((VECTORS / name).read_text())


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def compact(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def token(header, payload, alg="HS256"):
    if isinstance(header, dict):
        header = compact(header)
    signing_input = f"{b64u(header)}.{b64u(payload)}".encode()
    if alg == "HS256":
        sig = hmac.new(HMAC_SECRET, signing_input, hashlib.sha256).digest()
    else:
        r, s = utils.decode_dss_signature(EC_KEY.sign(signing_input, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input.decode()}.{b64u(sig)}"


# --- ACL policies (HCL and JSON), valid and refused by OpenBao -------------
acl = load("openbao/acl_cases.json")
for case in acl["cases"]:
    probes = "\n".join(c["path"] for c in case["checks"][:16])
    for p in case["policies"]:
        add("hcl_parse", p["text"])
        add("acl_invariants", p["text"] + "\0" + probes)
for bad in acl["invalid_policies"]:
    add("hcl_parse", bad["text"])
    add("acl_invariants", bad["text"])
for text in [
    'path "a" { capabilities = ["read"] capabilities = ["list"] }',
    'path "a/+/b/*" {\n  capabilities = ["read", "update",]\n  min_wrapping_ttl = "1h"\n}',
    'path "x" {\n  policy = <<EOT\nwrite\nEOT\n}',
    'path "p" { capabilities = ["create"] allowed_parameters = { "k" = ["v*", 1, true] } }',
    'path "e" { capabilities = ["read"] expiration = "2030-01-01T00:00:00Z" }',
    'name = "n"\npath "{{identity.entity.id}}/*" { capabilities = ["read"] }',
    '{"path": {"a/*": {"capabilities": ["read", "deny"]}, "b": [{"policy": "write"}]}}',
]:
    add("hcl_parse", text)
    add("acl_invariants", text + "\0a/b\nb\n/a/\n")

# --- JWT: tokens, headers, claims -------------------------------------------
roles = load("openbao/jwt_role_cases.json")


def absolute(claims):
    out = {}
    for k, v in claims.items():
        if k.endswith("_offset"):
            out[k[: -len("_offset")]] = NOW + v
        else:
            out[k] = v
    return out


claim_sets = [absolute(c["claims"]) for c in roles["cases"][:20]]
claim_sets += [
    {"sub": "s", "iss": "https://gitlab.example.com", "aud": ["a", "b"], "exp": NOW + 60,
     "nbf": NOW - 5, "iat": NOW - 5, "jti": "j", "project_id": 1},
    {"exp": "soon", "nbf": None, "iat": 1.5, "aud": 7},
    {"exp": NOW - 10, "iat": NOW + 100},
]
headers = [
    {"alg": "HS256", "typ": "JWT"},
    {"alg": "HS256", "kid": "k1"},
    {"alg": "HS256", "crit": ["b64"], "b64": False},
    {"alg": "HS256", "crit": []},
    {"alg": "HS256", "jwk": {"kty": "oct", "k": "AA"}},
    {"alg": "none"},
    {"alg": "ES256", "kid": 5},
    {"typ": "JWT"},
]
for h in headers:
    add("jose_header", compact(h))
add("jose_header", b'{"alg":"HS256","alg":"ES256"}')
for i, claims in enumerate(claim_sets):
    body = compact(claims)
    add("claims_json", bytes([i % 2, 1, i % 3 == 0] + [0] * 21) + body)
    alg = "ES256" if i % 3 == 0 else "HS256"
    add("jws_decode", token({"alg": alg, "typ": "JWT"}, body, alg))
add("jws_decode", token({"alg": "HS256"}, b'{"sub":"a","sub":"b"}'))
add("jws_decode", "a.b.c")
add("jws_decode", "eyJhbGciOiJIUzI1NiJ9..")

# --- keys: JWK, JWKS, PEM, DER ------------------------------------------------
for name in ["ecdsa_secp256r1_sha256_p1363_test.json", "ecdsa_secp384r1_sha384_p1363_test.json",
             "ecdsa_secp521r1_sha512_p1363_test.json", "ed25519_test.json",
             "rsa_signature_2048_sha256_test.json", "rsa_pss_2048_sha256_mgf1_32_test.json"]:
    doc = load("wycheproof/" + name)
    for group in doc["testGroups"][:2]:
        for field in ("publicKeyJwk", "keyJwk"):
            if isinstance(group.get(field), dict):
                add("jwk", compact(group[field]))
                add("jwk", compact({"keys": [group[field]]}))
        if "publicKeyDer" in group:
            add("pem_der", bytes.fromhex(group["publicKeyDer"]))
        if "publicKeyPem" in group:
            add("pem_der", group["publicKeyPem"])
for pem in roles["signing_keys"].values():
    add("pem_der", pem)
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    add("pem_der", key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()))
for pem in roles["auth_config"]["jwt_validation_pubkeys"]:
    add("pem_der", pem)
add("pem_der", EC_PEM)
nums = EC_KEY.private_numbers()
ec_jwk = {"kty": "EC", "crv": "P-256", "x": b64u(nums.public_numbers.x.to_bytes(32, "big")),
          "y": b64u(nums.public_numbers.y.to_bytes(32, "big")),
          "d": b64u(nums.private_value.to_bytes(32, "big")), "kid": "fuzz"}
add("jwk", compact(ec_jwk))
add("jwk", compact({"kty": "oct", "k": b64u(HMAC_SECRET), "alg": "HS256"}))
add("jwk", compact({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}))

# --- transit --------------------------------------------------------------------
transit = load("openbao/transit_cases.json")
key_index = {"plain": 0, "derived": 1, "convergent": 2, "rotated": 3}
for c in transit["ciphertexts"]:
    if c["key"] not in key_index or not c.get("ciphertext"):
        continue
    ctx = base64.b64decode(c["context_b64"]) if c.get("context_b64") else b""
    aad = base64.b64decode(c["associated_data_b64"]) if c.get("associated_data_b64") else b""
    add("transit_decrypt", bytes([key_index[c["key"]]]) + c["ciphertext"].encode() + b"\0" + ctx + b"\0" + aad)
for name, k in transit["keys"].items():
    flags = (1 if k["derived"] else 0) | (2 if k["convergent_encryption"] else 0)
    add("transit_export", bytes([flags]) + compact(k))
    add("transit_export", bytes([flags]) + compact({"data": k, "request_id": "r"}))
    add("transit_export", bytes([flags]) + compact({"keys": k["keys"]}))

# --- RBAC definitions and memberships -------------------------------------------
defs = {"levels": {"reporter": ["read_secret"], "developer": ["create_secret"],
                   "owner": ["admin_secrets"]},
        "member_roles": [{"id": 7, "base_access_level": 20, "abilities": ["update_secret"]}]}
members = [{"user_id": 1, "path": "group/sub", "access_level": 30},
           {"user_id": 2, "path": "group", "access_level": "reporter", "member_role_id": 7},
           {"user_id": 3, "path": "group/sub/app", "access_level": 50, "expires_at": NOW + 10},
           {"user_id": 4, "path": "other", "access_level": 40, "expires_at": NOW - 10}]
add("rbac_definitions", compact(defs) + b"\0" + compact(members) + b"\0group/subway\ngroup/sub/x")
add("rbac_definitions", b"\0" + compact(members[:1]))
add("rbac_definitions", b'{"levels":{"guest":[],"planner":["x"]},"member_roles":[{"id":1,"base_access_level":15}]}\0[]')

# --- OpenBao JWT roles, CI ID token claims, secrets ------------------------------
for c in roles["cases"][:40]:
    add("openbao_role", compact(c["role"]) + b"\0" + compact(absolute(c["claims"])))
for bad in roles["invalid_roles"]:
    add("openbao_role", compact(bad["role"]))
job = {"issuer": "https://gitlab.example.com", "audience": "https://bao.example.com",
       "issued_at": NOW, "namespace_id": 72, "namespace_path": "acme", "project_id": 20,
       "project_path": "acme/app", "user_id": 1, "user_login": "root", "user_email": "root@example.com",
       "user_access_level": "owner", "pipeline_id": 574, "pipeline_source": "push", "job_id": 302,
       "ref": "main", "ref_type": "branch", "ref_protected": True,
       "environment": {"name": "review/x", "protected": False, "action": "start", "deployment_tier": "development"},
       "runner_id": 1, "runner_environment": "self-hosted", "sha": "714a629c0b401fdce83e847fc9589983fc6f46bc",
       "project_visibility": "private", "secrets_manager_scope": "pipeline", "project_group_ids": [72]}
secrets = [{"name": "DB", "environment": "review/*", "branch": "*"},
           {"name": "PROD", "environment": "production", "branch": "main", "protected": True},
           {"name": "REL", "environment": "*", "branch": "release/*"}]
add("ci_id_token", compact(job) + b"\0" + compact(secrets))
claims = {"sub": "project_path:acme/app:ref_type:branch:ref:main", "secrets_manager_scope": "pipeline",
          "project_id": "20", "user_id": "1", "environment": "review/a", "ref": "release/1",
          "ref_type": "branch", "ref_protected": "false"}
add("ci_id_token", compact(claims) + b"\0" + compact(secrets))
for c in claim_sets[:10]:
    add("ci_id_token", compact(c) + b"\0" + compact(secrets))

for t in ["2025-09-01", "2025-09-01T00:00:00Z", "2025-09-01T12:30:45.123+02:00", "1970-01-01T00:00:00-00:30",
          "9999-12-31T23:59:59Z", "2024-02-29T00:00:00Z", " 2025-01-01T00:00:00+14:00 "]:
    add("timestamps", t)

for fields in [["User", "7", "read,write", "2030-01-01T00:00:00Z", "review/*", "review/app-1"],
               ["Role", "30", "read_value,delete", "", "rel*ase/*x", "release/1x"],
               ["MemberRole", "9", "read_metadata", "2025-01-02", "*", ""],
               ["Group", "3", "read", "2024-12-31", "production", "production"]]:
    add("secrets_inputs", "\n".join(fields))

# --- DSSE envelopes ---------------------------------------------------------------
def pae(payload_type, body):
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d " % (len(t), t, len(body)) + body


CORE_DATA = FUZZ.parent / "core" / "tests" / "data"
for v in json.loads((CORE_DATA / "dsse_vectors.json").read_text())["vectors"]:
    add("dsse_envelope", compact(v["envelope"]))
statement = (CORE_DATA / "gitlab_provenance_example.json").read_bytes()
for body in [statement, b'{"_type":"https://in-toto.io/Statement/v1"}', b""]:
    in_toto = "application/vnd.in-toto+json"
    sig = EC_KEY.sign(pae(in_toto, body), ec.ECDSA(hashes.SHA256()))  # DER, as DSSE uses
    add("dsse_envelope", compact({"payloadType": in_toto, "payload": base64.b64encode(body).decode(),
                                  "signatures": [{"keyid": "", "sig": base64.b64encode(sig).decode()}]}))

# --- OpenBao audit entries recorded from a live OpenBao 2.7.2 ---------------
AUDIT = (FUZZ.parent / "core" / "tests" / "data" / "openbao_audit_2.7.2.jsonl").read_bytes()
audit_lines = [line for line in AUDIT.split(b"\n") if line.strip()]
for line in audit_lines:
    add("openbao_audit", line)
add("openbao_audit", b"\n".join(audit_lines[:3]) + b"\n")
for bad in [b'{"type":"QQQSECRETQQQ"}', b'{"type":"response","auth":{"policies":"QQQSECRETQQQ"}}',
            b'{"type":"response","auth":{"metadata":{"user_id":["QQQSECRETQQQ"]}}}',
            b'{"type":"response","request":{"data":"QQQSECRETQQQ"}}', b'["QQQSECRETQQQ"]']:
    add("openbao_audit", bad)

# --- inputs that found bugs (see docs/fuzzing.md), replayed by every run ----
FINDINGS = Path(__file__).resolve().parent / "findings"
for path in sorted(FINDINGS.glob("*/*")):
    add(path.parent.name, path.read_bytes())

total = 0
for target, files in sorted(seeds.items()):
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*"):
        old.unlink()
    for sha, data in files.items():
        (d / f"seed-{sha}").write_bytes(data)
        total += len(data)
    print(f"{target}: {len(files)} seeds")
print(f"total {total} bytes")
