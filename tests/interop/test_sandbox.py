"""The official SDKs as clients of the sandbox (`yizhan sandbox`): lark-oapi's Client and wechatpy's
WeChatClient get tokens and send messages, and see the providers' error codes."""
import json
import os
import subprocess
import urllib.request

import lark_oapi as lark
import pytest
from lark_oapi.api.im.v1 import CreateMessageRequest, CreateMessageRequestBody
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

SEED = {"lark": {
    "apps": [{"app_id": "cli_interop", "app_secret": "interop-secret"},
             {"app_id": "cli_other", "app_secret": "other-secret"}],
    "users": [{"open_id": "ou_alice", "email": "alice@corp.example", "name": "Alice"}],
    "chats": [{"chat_id": "oc_ops", "members": ["cli_interop"]}],
}, "wecom": {
    "apps": [{"corp_id": "wwinterop", "agent_id": 1000002, "secret": "wecom-secret"}],
    "users": [{"corp_id": "wwinterop", "userid": "zhangsan", "name": "张三"}],
}}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    binary = os.environ.get("YIZHAN_BIN")
    if not binary:
        pytest.fail("YIZHAN_BIN is not set: ./scripts/test sets it to the built yizhan")
    seed = tmp_path_factory.mktemp("seed") / "seed.json"
    seed.write_text(json.dumps(SEED))
    process = subprocess.Popen([binary, "sandbox", "--port", "0", "--seed", str(seed)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for _ in range(50):  # log lines may come first
            line = process.stdout.readline()
            if not line or line.startswith("sandbox listening on "):
                break
        assert line.startswith("sandbox listening on "), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def client(url, secret="interop-secret", app_id="cli_interop"):
    return lark.Client.builder().app_id(app_id).app_secret(secret).domain(url).build()


def text_request(id_type, receive_id, text):
    body = CreateMessageRequestBody.builder().receive_id(receive_id).msg_type("text") \
        .content(json.dumps({"text": text})).build()
    return CreateMessageRequest.builder().receive_id_type(id_type).request_body(body).build()


def test_lark_oapi_client_gets_a_token_and_sends_messages(sandbox):
    api = client(sandbox)
    sent = api.im.v1.message.create(text_request("open_id", "ou_alice", "hello from lark-oapi"))
    assert sent.success(), (sent.code, sent.msg)
    assert sent.data.message_id.startswith("om_")
    to_chat = api.im.v1.message.create(text_request("chat_id", "oc_ops", "to the group"))
    assert to_chat.success(), (to_chat.code, to_chat.msg)

    with urllib.request.urlopen(sandbox + "/_sandbox/messages?provider=lark&app_id=cli_interop") as answer:
        records = json.load(answer)["messages"]
    accepted = [r for r in records if r["outcome"] == "accepted"]
    assert [json.loads(r["content"])["text"] for r in accepted][:2] == ["hello from lark-oapi", "to the group"]


def test_lark_oapi_sees_larks_error_codes(sandbox):
    unknown = client(sandbox).im.v1.message.create(text_request("open_id", "ou_nobody", "x"))
    assert not unknown.success()
    assert unknown.code == 230013

    # lark-oapi caches tokens per app id process-wide, so the wrong secret goes with another app.
    try:
        wrong_secret = client(sandbox, "wrong", "cli_other").im.v1.message.create(text_request("open_id", "ou_alice", "x"))
        assert not wrong_secret.success()
    except Exception as error:  # lark-oapi raises when it cannot get a token
        assert "10015" in str(error) or "wrong app secret" in str(error), error


def wecom_client(sandbox, secret="wecom-secret"):
    class SandboxWeChatClient(WeChatClient):
        API_BASE_URL = sandbox + "/cgi-bin/"

        def fetch_access_token(self):  # wechatpy hard-codes the production gettoken URL
            return self._fetch_access_token(url=sandbox + "/cgi-bin/gettoken",
                                            params={"corpid": self.corp_id, "corpsecret": self.secret})

    return SandboxWeChatClient("wwinterop", secret)


def test_wechatpy_client_gets_a_token_and_sends_with_partial_failures(sandbox):
    client = wecom_client(sandbox)
    result = client.message.send_text(1000002, ["zhangsan", "ghost"], "来自 wechatpy")
    assert result["errcode"] == 0
    assert result["invaliduser"] == "ghost"
    assert result["msgid"]

    with urllib.request.urlopen(sandbox + "/_sandbox/messages?provider=wecom") as answer:
        records = json.load(answer)["messages"]
    assert [r["recipient"] for r in records if r["outcome"] == "accepted"] == ["zhangsan"]


def test_wechatpy_sees_wecoms_error_codes(sandbox):
    with pytest.raises(WeChatClientException) as raised:
        wecom_client(sandbox).message.send_text(1000002, ["nobody"], "x")
    assert raised.value.errcode == 81013
    with pytest.raises(WeChatClientException) as raised:
        wecom_client(sandbox, "wrong").message.send_text(1000002, ["zhangsan"], "x")
    assert raised.value.errcode == 40001
