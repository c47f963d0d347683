"""The official SDKs as clients of the sandbox (`yizhan sandbox`): lark-oapi's Client and wechatpy's
WeChatClient get tokens and send messages, and see the providers' error codes."""
import json
import urllib.error
import urllib.request

import lark_oapi as lark
import pytest
from lark_oapi.api.im.v1 import CreateMessageRequest, CreateMessageRequestBody
from lark_oapi.core.model import RawRequest
from wechatpy.exceptions import WeChatClientException

from sandbox_clients import lark_client, wecom_client

def text_request(id_type, receive_id, text):
    body = CreateMessageRequestBody.builder().receive_id(receive_id).msg_type("text") \
        .content(json.dumps({"text": text})).build()
    return CreateMessageRequest.builder().receive_id_type(id_type).request_body(body).build()


def test_lark_oapi_client_gets_a_token_and_sends_messages(sandbox):
    api = lark_client(sandbox)
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
    unknown = lark_client(sandbox).im.v1.message.create(text_request("open_id", "ou_nobody", "x"))
    assert not unknown.success()
    assert unknown.code == 230013

    # lark-oapi caches tokens per app id process-wide, so the wrong secret goes with another app.
    try:
        wrong_secret = lark_client(sandbox, "wrong", "cli_other").im.v1.message.create(text_request("open_id", "ou_alice", "x"))
        assert not wrong_secret.success()
    except Exception as error:  # lark-oapi raises when it cannot get a token
        assert "10014" in str(error) or "app secret invalid" in str(error), error


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


def test_lark_oapi_dispatcher_accepts_events_the_sandbox_pushes(sandbox):
    """The sandbox encrypts and signs with its own code; lark-oapi's EventDispatcherHandler must accept it."""
    import http.server
    import threading

    received = []
    handler = (lark.EventDispatcherHandler.builder("push key", "vt_push")
               .register_p2_im_message_receive_v1(lambda event: received.append(event))
               .build())

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = RawRequest()
            request.uri = self.path
            request.body = self.rfile.read(int(self.headers["Content-Length"]))
            request.headers = {name: value for name, value in self.headers.items()}
            response = handler.do(request)
            self.send_response(response.status_code)
            self.end_headers()
            self.wfile.write(response.content or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        receiver_url = f"http://127.0.0.1:{server.server_address[1]}/webhook/event"
        register = urllib.request.Request(sandbox + "/_sandbox/lark/apps", method="POST", data=json.dumps({
            "app_id": "cli_push", "app_secret": "s", "encrypt_key": "push key",
            "verification_token": "vt_push", "event_url": receiver_url}).encode())
        urllib.request.urlopen(register).read()
        event = {"sender": {"sender_id": {"open_id": "ou_alice"}, "sender_type": "user"},
                 "message": {"message_id": "om_push", "chat_id": "oc_ops", "chat_type": "group",
                             "message_type": "text", "content": json.dumps({"text": "来自沙盒"})}}
        push = urllib.request.Request(sandbox + "/_sandbox/lark/events", method="POST", data=json.dumps({
            "app_id": "cli_push", "event_type": "im.message.receive_v1", "event": event,
            "url_verification": True, "retry_scale": 0.0001}).encode())
        delivery = json.load(urllib.request.urlopen(push))
    finally:
        server.shutdown()
    assert delivery["url_verification"] == "passed", delivery
    assert delivery["delivered"], delivery
    assert len(received) == 1
    assert received[0].event.message.message_id == "om_push"
    assert json.loads(received[0].event.message.content)["text"] == "来自沙盒"


def test_wechatpy_crypto_accepts_the_callbacks_the_sandbox_pushes(sandbox):
    """The sandbox encrypts WeCom callbacks with its own code; wechatpy's WeChatCrypto must verify
    the URL check and decrypt the message."""
    import http.server
    import threading
    import urllib.parse

    from wechatpy.enterprise.crypto import WeChatCrypto

    aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
    crypto = WeChatCrypto("interop-token", aes_key, "wwpush")
    received, verified = [], []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def query(self):
            return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).items()}

        def do_GET(self):
            q = self.query()
            echo = crypto.check_signature(q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"])
            verified.append(echo)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(echo if isinstance(echo, bytes) else echo.encode())

        def do_POST(self):
            q = self.query()
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/wecom/callback"
        register = urllib.request.Request(sandbox + "/_sandbox/wecom/apps", method="POST", data=json.dumps({
            "corp_id": "wwpush", "agent_id": 1000005, "secret": "s", "token": "interop-token",
            "encoding_aes_key": aes_key, "callback_url": url}).encode())
        urllib.request.urlopen(register).read()
        push = urllib.request.Request(sandbox + "/_sandbox/wecom/callbacks", method="POST", data=json.dumps({
            "corp_id": "wwpush", "agent_id": 1000005, "url_verification": True,
            "message": {"MsgType": "text", "FromUserName": "zhangsan", "Content": "来自沙盒"}}).encode())
        delivery = json.load(urllib.request.urlopen(push))
    finally:
        server.shutdown()
    assert delivery["url_verification"] == "passed", delivery
    assert delivery["delivered"], delivery
    assert len(verified) == 1
    from wechatpy.enterprise import parse_message
    message = parse_message(received[0])
    assert message.type == "text"
    assert message.content == "来自沙盒"
    assert message.source == "zhangsan"
    assert str(message.agent) == "1000005"


def test_lark_oapi_user_oauth_against_the_sandbox(sandbox):
    """lark-oapi's AccessToken helper (the v3 token endpoint) exchanges a code the sandbox issued
    with PKCE, refreshes once, and sees a rotated refresh token refused."""
    import base64
    import hashlib
    import secrets
    import urllib.parse

    from lark_oapi.core.exception import AccessTokenException

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect = "https://hub.corp.example/callback"
    query = urllib.parse.urlencode({"client_id": "cli_interop", "redirect_uri": redirect, "scope": "offline_access",
                                    "state": "st-1", "code_challenge": challenge, "code_challenge_method": "S256"})
    try:
        urllib.request.build_opener(NoRedirect).open(sandbox + "/open-apis/authen/v1/authorize?" + query)
        pytest.fail("the authorize page must redirect")
    except urllib.error.HTTPError as redirect_answer:
        assert redirect_answer.code == 302
        location = urllib.parse.urlparse(redirect_answer.headers["Location"])
    params = dict(urllib.parse.parse_qsl(location.query))
    assert params["state"] == "st-1"

    api = lark.Client.builder().app_id("cli_interop").app_secret("interop-secret").domain(sandbox) \
        .oauth_base_url(sandbox).build()
    token = api.access_token.retrieve_by_authorization_code(params["code"], redirect, verifier)
    assert token.access_token.startswith("u-")
    assert token.refresh_token.startswith("ur-")
    renewed = api.access_token.refresh(token.refresh_token)
    assert renewed.refresh_token != token.refresh_token
    with pytest.raises(AccessTokenException) as raised:
        api.access_token.refresh(token.refresh_token)
    assert "20007" in str(raised.value) or getattr(raised.value, "code", None) == 20007


def test_lark_oapi_dispatcher_rejects_a_tampered_push(sandbox):
    """A push whose signature does not match its body is refused by lark-oapi, so the sandbox
    reports it undelivered after Lark's retries."""
    import http.server
    import threading

    received = []
    handler = (lark.EventDispatcherHandler.builder("tamper key", "vt_tamper")
               .register_p2_im_message_receive_v1(lambda event: received.append(event))
               .build())

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = RawRequest()
            request.uri = self.path
            request.body = self.rfile.read(int(self.headers["Content-Length"]))
            request.headers = {name: value for name, value in self.headers.items()}
            response = handler.do(request)
            self.send_response(response.status_code)
            self.end_headers()
            self.wfile.write(response.content or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        register = urllib.request.Request(sandbox + "/_sandbox/lark/apps", method="POST", data=json.dumps({
            "app_id": "cli_tamper", "app_secret": "s", "encrypt_key": "tamper key", "verification_token": "vt_tamper",
            "event_url": f"http://127.0.0.1:{server.server_address[1]}/webhook/event"}).encode())
        urllib.request.urlopen(register).read()
        event = {"message": {"message_id": "om_tampered", "chat_id": "oc_ops", "message_type": "text",
                             "content": json.dumps({"text": "x"})}}
        push = urllib.request.Request(sandbox + "/_sandbox/lark/events", method="POST", data=json.dumps({
            "app_id": "cli_tamper", "event_type": "im.message.receive_v1", "event": event, "tamper": True,
            "retry_scale": 0.0001}).encode())
        delivery = json.load(urllib.request.urlopen(push))
    finally:
        server.shutdown()
    assert not delivery["delivered"], delivery
    assert len(delivery["attempts"]) == 5
    assert all(attempt["status"] != 200 for attempt in delivery["attempts"])
    assert received == []
