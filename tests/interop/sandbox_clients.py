"""Shared by the sandbox interop tests: start `yizhan sandbox` with a seed, talk to its control API,
and build the official SDKs' clients pointed at it."""
import contextlib
import json
import os
import subprocess
import urllib.request

import lark_oapi as lark
import pytest
from wechatpy.enterprise import WeChatClient

SEED = {"lark": {
    "apps": [{"app_id": "cli_interop", "app_secret": "interop-secret"},
             {"app_id": "cli_other", "app_secret": "other-secret"}],
    "users": [{"open_id": "ou_alice", "user_id": "alice", "email": "alice@corp.example", "mobile": "+8613800000001",
               "name": "Alice"}],
    "chats": [{"chat_id": "oc_ops", "members": ["cli_interop"]}],
    "bots": [{"hook_token": "hook-interop", "secret": "bot-secret"}],
}, "wecom": {
    "apps": [{"corp_id": "wwinterop", "agent_id": 1000002, "secret": "wecom-secret"}],
    "users": [{"corp_id": "wwinterop", "userid": "zhangsan", "name": "张三", "biz_mail": "zhangsan@corp.example",
               "email": "zhangsan@personal.example", "mobile": "13800000002"},
              {"corp_id": "wwinterop", "userid": "lisi", "name": "李四"}],
    "robots": [{"key": "robot-interop"}],
}, "dingtalk": {
    "robots": [{"access_token": "ding-interop", "secret": "SECding-secret"}],
}}


@contextlib.contextmanager
def running_sandbox(seed=None):
    """Runs the built `yizhan sandbox` (YIZHAN_BIN) on a free port; yields its base URL."""
    binary = os.environ.get("YIZHAN_BIN")
    if not binary:
        pytest.fail("YIZHAN_BIN is not set: ./scripts/test sets it to the built yizhan")
    import tempfile
    with tempfile.TemporaryDirectory() as directory:
        seed_path = os.path.join(directory, "seed.json")
        with open(seed_path, "w") as f:
            json.dump(seed or SEED, f)
        process = subprocess.Popen([binary, "sandbox", "--port", "0", "--seed", seed_path],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = ""
            for _ in range(50):  # log lines may come first
                line = process.stdout.readline()
                if not line or line.startswith("sandbox listening on "):
                    break
            assert line.startswith("sandbox listening on "), line
            yield line.split()[-1]
        finally:
            process.terminate()
            process.wait(timeout=10)


def control(sandbox, path, body=None, method="POST"):
    """Calls the sandbox's control API (`/_sandbox/...`) and returns its JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(sandbox + path, method=method, data=data)
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def messages(sandbox, **query):
    """The sandbox's record of messages (`GET /_sandbox/messages`), filtered like its query."""
    from urllib.parse import urlencode
    return control(sandbox, "/_sandbox/messages?" + urlencode(query), method="GET")["messages"]


_token_caches = {}


def lark_client(url, secret="interop-secret", app_id="cli_interop"):
    """lark-oapi's Client for one app. lark-oapi keeps tokens in one process-wide cache keyed by app
    id alone (each client it builds installs its cache there), so each sandbox gets its own cache:
    a token one sandbox issued is never sent to another."""
    from lark_oapi.core.cache import LocalCache
    cache = _token_caches.setdefault(url, LocalCache())
    return lark.Client.builder().app_id(app_id).app_secret(secret).domain(url).cache(cache).build()


def wecom_client(sandbox, secret="wecom-secret", corp_id="wwinterop"):
    """wechatpy's enterprise WeChatClient pointed at the sandbox."""
    class SandboxWeChatClient(WeChatClient):
        API_BASE_URL = sandbox + "/cgi-bin/"

        def fetch_access_token(self):  # wechatpy hard-codes the production gettoken URL
            return self._fetch_access_token(url=sandbox + "/cgi-bin/gettoken",
                                            params={"corpid": self.corp_id, "corpsecret": self.secret})

    return SandboxWeChatClient(corp_id, secret)
