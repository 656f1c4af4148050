#!/usr/bin/env node
// Second reference verifier: sigstore-js (@sigstore/verify) run offline on
// every case of a cases.json written by spec/fixtures/sigstore/generate.py.
// Prints one JSON line per case, as judge_sigstore_python.py does. DSSE
// bundles get the caller's checks (in-toto payload type, a subject digest
// equal to the artifact's), as `sigstore verify` tools add them.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { bundleFromJSON } = require("@sigstore/bundle");
const { TrustedRoot } = require("@sigstore/protobuf-specs");
const { Verifier, toSignedEntity, toTrustMaterial } = require("@sigstore/verify");

const dir = process.argv[2];
const read = (rel) => fs.readFileSync(path.join(dir, rel));
const root = TrustedRoot.fromJSON(JSON.parse(read("trusted_root.json")));

function judge(kase) {
  let artifact;
  let digest;
  if (kase.artifact) {
    artifact = read(kase.artifact);
    digest = { sha256: crypto.createHash("sha256").update(artifact).digest("hex") };
  } else {
    const [alg, hex] = kase.artifact_digest.split(":");
    digest = { [alg]: hex.toLowerCase() };
  }
  const bundle = bundleFromJSON(JSON.parse(read(kase.bundle)));
  const isDsse = bundle.content.$case === "dsseEnvelope";
  if (!isDsse && !artifact) return ["unsupported", "sigstore-js verifies message signatures over artifact bytes only"];
  let keys;
  if (kase.key) {
    const publicKey = crypto.createPublicKey(read(kase.key));
    keys = () => ({ publicKey, validFor: () => true });
  }
  const verifier = new Verifier(toTrustMaterial(root, keys));
  const policy = kase.key ? undefined : { subjectAlternativeName: kase.identity, extensions: { issuer: kase.issuer } };
  verifier.verify(toSignedEntity(bundle, isDsse ? undefined : artifact), policy);
  if (isDsse) {
    const env = bundle.content.dsseEnvelope;
    if (env.payloadType !== "application/vnd.in-toto+json") throw new Error(`unexpected payload type ${env.payloadType}`);
    const stmt = JSON.parse(Buffer.from(env.payload).toString());
    const ok = (stmt.subject || []).some((s) =>
      Object.entries(digest).some(([alg, hex]) => (s.digest || {})[alg] === hex));
    if (!ok) throw new Error("no subject matches the artifact");
  }
  return ["ok", null];
}

for (const kase of JSON.parse(read("cases.json"))) {
  let result;
  let error;
  try {
    [result, error] = judge(kase);
  } catch (e) {
    [result, error] = ["reject", `${e.name}: ${e.message}`];
  }
  console.log(JSON.stringify({ name: kase.name, result, error }));
}
