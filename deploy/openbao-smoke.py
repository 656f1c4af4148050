"""Boots OpenBao (the bao binary of bin/setup) on loopback exactly as the
rendered overlays run it, so the manifests' command lines, environment,
configuration file and probe paths are exercised, not just their schema:

- dev: the openbao Deployment's command and env, the root token taken from
  BAO_DEV_ROOT_TOKEN_ID, the readiness probe path answering 200;
- ha: three nodes from the openbao-config ConfigMap and the StatefulSet's
  env ($(POD_NAME) expanded per node), with the peer DNS names and ports
  mapped onto loopback, TLS from a throwaway CA; one node is initialised and
  unsealed, the others join through retry_join and are unsealed, then the
  Raft configuration must list openbao-0..2 as voters and every readiness and
  liveness probe path must answer.

Usage: openbao-smoke.py BAO_BINARY DEV.yaml HA.yaml
"""

import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

DEADLINE_S = 60


def docs(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d]


def find(items, kind, name):
    for d in items:
        if d["kind"] == kind and d["metadata"]["name"] == name:
            return d
    raise SystemExit(f"openbao-smoke: no {kind}/{name} in the render")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, method="GET", body=None, token=None, ctx=None, timeout=5):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    if token:
        req.add_header("X-Vault-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=ctx) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else {}
        except ValueError:
            return e.code, {}
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
        return None, {}


def wait_for(what, check, deadline):
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise SystemExit(f"openbao-smoke: timed out waiting for {what}")


def literal_env(container, values):
    """The container's env as the kubelet would set it: $(VAR) expanded."""
    env = {}
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), item["value"])
        else:
            env[item["name"]] = values[item["name"]]
    return env


def probe_path(container, probe):
    spec = container[probe]["httpGet"]
    return spec["path"], spec.get("scheme", "HTTP").lower()


def start(cmd, env, log_path):
    log = open(log_path, "w", encoding="utf-8")
    full_env = {"PATH": os.environ["PATH"], "HOME": os.path.dirname(log_path), **env}
    return subprocess.Popen(cmd, env=full_env, stdout=log, stderr=subprocess.STDOUT)


def check_log(log_path):
    with open(log_path, encoding="utf-8") as f:
        text = f.read()
    if "unknown or unsupported field" in text:
        raise SystemExit(f"openbao-smoke: OpenBao rejects part of the configuration:\n{text}")


def dev(bao, rendered, tmp, procs):
    container = find(rendered, "Deployment", "openbao")["spec"]["template"]["spec"]["containers"][0]
    port = free_port()
    token = "smoke-" + os.urandom(12).hex()
    cmd = [bao if c == "bao" else c for c in container["command"]] + [
        f"-dev-listen-address=127.0.0.1:{port}" if a.startswith("-dev-listen-address=") else a for a in container["args"]
    ]
    env = literal_env(container, {"BAO_DEV_ROOT_TOKEN_ID": token})
    log = os.path.join(tmp, "dev.log")
    procs.append(start(cmd, env, log))
    path, scheme = probe_path(container, "readinessProbe")
    base = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + DEADLINE_S
    wait_for("the dev server's readiness probe", lambda: call(base + path)[0] == 200, deadline)
    status, _ = call(base + "/v1/auth/token/lookup-self", token=token)
    if status != 200:
        raise SystemExit(f"openbao-smoke: dev root token from BAO_DEV_ROOT_TOKEN_ID not accepted ({status})")
    check_log(log)
    print(f"  dev: `{' '.join(container['command'] + container['args'])}` serves, readiness 200, root token from the Secret's env")


def make_tls(tmp):
    tls = os.path.join(tmp, "tls")
    os.mkdir(tls)

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=smoke-ca",
        "-keyout", f"{tls}/ca.key", "-out", f"{tls}/ca.crt")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=openbao", "-keyout", f"{tls}/tls.key", "-out", f"{tls}/tls.csr")
    with open(f"{tls}/ext.cnf", "w", encoding="utf-8") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("x509", "-req", "-days", "1", "-in", f"{tls}/tls.csr", "-CA", f"{tls}/ca.crt", "-CAkey", f"{tls}/ca.key",
        "-CAcreateserial", "-extfile", f"{tls}/ext.cnf", "-out", f"{tls}/tls.crt")
    return tls


def ha(bao, rendered, tmp, procs):
    sts = find(rendered, "StatefulSet", "openbao")
    hcl = find(rendered, "ConfigMap", "openbao-config")["data"]["openbao.hcl"]
    container = sts["spec"]["template"]["spec"]["containers"][0]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    replicas = sts["spec"]["replicas"]
    service = sts["spec"]["serviceName"]
    tls = make_tls(tmp)
    api = [free_port() for _ in range(replicas)]
    cluster = [free_port() for _ in range(replicas)]

    def loopback(text):
        for i in range(replicas):
            text = text.replace(f"openbao-{i}.{service}:8200", f"127.0.0.1:{api[i]}")
            text = text.replace(f"openbao-{i}.{service}:8201", f"127.0.0.1:{cluster[i]}")
        return text

    joins = re.findall(r'leader_api_addr\s*=\s*"([^"]+)"', hcl)
    expected = [f"https://openbao-{i}.{service}:8200" for i in range(replicas)]
    if joins != expected:
        raise SystemExit(f"openbao-smoke: retry_join addresses {joins} != {expected}")
    ctx = ssl.create_default_context(cafile=f"{tls}/ca.crt")
    logs = []
    for i in range(replicas):
        node = os.path.join(tmp, f"openbao-{i}")
        os.makedirs(os.path.join(node, "data"))
        config = loopback(hcl).replace(f'{mounts["tls"]}/', f"{tls}/").replace(mounts["data"], f"{node}/data")
        config = config.replace('"[::]:8200"', f'"127.0.0.1:{api[i]}"').replace('"[::]:8201"', f'"127.0.0.1:{cluster[i]}"')
        with open(os.path.join(node, "openbao.hcl"), "w", encoding="utf-8") as f:
            f.write(config)
        pod = literal_env(container, {"POD_NAME": f"openbao-{i}"})
        env = {k: loopback(v).replace(mounts["tls"], tls) for k, v in pod.items()}
        env["BAO_ADDR"] = f"https://127.0.0.1:{api[i]}"
        args = [a.replace(mounts["config"], node) for a in container["args"]]
        log = os.path.join(node, "server.log")
        logs.append(log)
        procs.append(start([bao if c == "bao" else c for c in container["command"]] + args, env, log))

    ready, _ = probe_path(container, "readinessProbe")
    alive, _ = probe_path(container, "livenessProbe")
    url = [f"https://127.0.0.1:{p}" for p in api]
    deadline = time.monotonic() + DEADLINE_S
    wait_for("node 0 to listen", lambda: call(url[0] + alive, ctx=ctx)[0] in (200, 204), deadline)
    status, init = call(url[0] + "/v1/sys/init", "PUT", {"secret_shares": 1, "secret_threshold": 1}, ctx=ctx, timeout=30)
    if status != 200:
        raise SystemExit(f"openbao-smoke: init failed ({status})")
    key, root = init["keys_base64"][0], init["root_token"]

    def unsealed(i):
        status, body = call(url[i] + "/v1/sys/unseal", "PUT", {"key": key}, ctx=ctx)
        return status == 200 and body.get("sealed") is False

    for i in range(replicas):
        wait_for(f"openbao-{i} to join and unseal", lambda i=i: unsealed(i), deadline)
    for i in range(replicas):
        wait_for(f"openbao-{i} readiness probe", lambda i=i: call(url[i] + ready, ctx=ctx)[0] == 200, deadline)
        if call(url[i] + alive, ctx=ctx)[0] not in (200, 204):
            raise SystemExit(f"openbao-smoke: openbao-{i} liveness probe fails")

    def voters():
        status, body = call(url[0] + "/v1/sys/storage/raft/configuration", token=root, ctx=ctx)
        if status != 200:
            return None
        servers = body["data"]["config"]["servers"]
        ids = sorted(s["node_id"] for s in servers if s["voter"])
        return ids if ids == [f"openbao-{i}" for i in range(replicas)] else None

    ids = wait_for("all nodes to be Raft voters", voters, deadline)
    for log in logs:
        check_log(log)
    print(f"  ha: {replicas} nodes from the ConfigMap + StatefulSet env formed a Raft cluster over TLS "
          f"(retry_join), voters {', '.join(ids)}; readiness and liveness paths answer")


def main(bao, dev_yaml, ha_yaml):
    tmp = tempfile.mkdtemp(prefix="openbao-smoke.")
    procs = []
    try:
        dev(bao, docs(dev_yaml), tmp, procs)
        ha(bao, docs(ha_yaml), tmp, procs)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        if os.environ.get("OPENBAO_SMOKE_KEEP"):
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
