"""Checks on rendered Kustomize output that schema validation and checkov do
not make: every image pinned by digest, no Secret (so no secret value) in the
repository, every checkov suppression with its reason, and the replica and
availability shape each overlay promises.

Usage: check-rendered.py OVERLAY RENDERED.yaml; exits 1 with one line per
problem.
"""

import re
import sys

import yaml

DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
SKIP = re.compile(r"^CKV2?_[A-Z0-9_]+=\S.{19,}")  # an id, then a reason of at least 20 characters


def pod_spec(doc):
    kind = doc.get("kind")
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return doc["spec"]["template"]["spec"]
    if kind == "Pod":
        return doc["spec"]
    return None


def main(overlay, path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    problems = []
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    for doc in docs:
        name = f'{doc["kind"]}/{doc["metadata"]["name"]}'
        if doc["kind"] == "Secret":
            problems.append(f"{name}: Secrets are created out of band, never rendered from the repository")
        for key, value in (doc["metadata"].get("annotations") or {}).items():
            if key.startswith("checkov.io/skip") and not SKIP.match(value):
                problems.append(f"{name}: suppression {key} needs CHECK_ID=<reason>, got {value!r}")
        spec = pod_spec(doc)
        if spec is None:
            continue
        for container in spec.get("initContainers", []) + spec["containers"]:
            if not DIGEST.search(container["image"]):
                problems.append(f'{name}: image {container["image"]} is not pinned by digest')
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in container:
                    problems.append(f'{name}: container {container["name"]} has no {probe}')
    if overlay == "ha":
        sts = by_name.get(("StatefulSet", "openbao"))
        app = by_name.get(("Deployment", "secrets-manager"))
        if not sts or sts["spec"]["replicas"] != 3:
            problems.append("ha: OpenBao must be a 3-replica StatefulSet")
        if not app or app["spec"]["replicas"] < 2:
            problems.append("ha: the app must run at least 2 replicas")
        for pdb in ("openbao", "secrets-manager"):
            if ("PodDisruptionBudget", pdb) not in by_name:
                problems.append(f"ha: no PodDisruptionBudget for {pdb}")
        headless = by_name.get(("Service", "openbao-internal"))
        if not headless or headless["spec"].get("clusterIP") != "None":
            problems.append("ha: no headless Service for the Raft peers")
        hcl = by_name.get(("ConfigMap", "openbao-config"), {}).get("data", {}).get("openbao.hcl", "")
        if 'storage "raft"' not in hcl or hcl.count("retry_join") != 3:
            problems.append("ha: OpenBao config needs raft storage with a retry_join per node")
    if ("NetworkPolicy", "default-deny") not in by_name:
        problems.append(f"{overlay}: no default-deny NetworkPolicy")
    for problem in problems:
        print(f"  FAIL {problem}")
    kinds = sorted(f'{d["kind"]}/{d["metadata"]["name"]}' for d in docs)
    print(f"  {overlay}: {len(docs)} resources ({', '.join(kinds)}); {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
