"""Phase 3 of the crypto interop: the official SDKs accept what the Swift kits encrypted and signed
(written by Tests/KitInteropTests to $YIZHAN_INTEROP_DIR/swift-vectors.json), and reject it tampered."""
import json
import os
import re

import lark_oapi as lark
import pytest
from lark_oapi.core.model import RawRequest
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException

DIRECTORY = os.environ.get("YIZHAN_INTEROP_DIR", "")
VECTORS_PATH = os.path.join(DIRECTORY, "swift-vectors.json")


def vectors():
    if not os.path.exists(VECTORS_PATH):
        pytest.fail(f"{VECTORS_PATH} is missing: run the Swift tests first (./scripts/test does)")
    with open(VECTORS_PATH) as f:
        return json.load(f)


def lark_request(vector, body: bytes) -> RawRequest:
    request = RawRequest()
    request.uri = "/webhook/event"
    request.body = body
    request.headers = {
        "X-Lark-Request-Timestamp": vector["timestamp"],
        "X-Lark-Request-Nonce": vector["nonce"],
        "X-Lark-Signature": vector["signature"],
    }
    return request


def test_lark_oapi_dispatcher_accepts_swift_events_and_rejects_tampered_ones():
    data = vectors()["lark"]
    assert len(data) == 25
    for vector in data:
        received = []
        handler = (lark.EventDispatcherHandler.builder(vector["encrypt_key"], vector["verification_token"])
                   .register_p2_customized_event("yizhan.test", lambda event: received.append(event))
                   .build())
        response = handler.do(lark_request(vector, vector["body"].encode()))
        assert response.status_code == 200, response.content
        assert len(received) == 1
        assert received[0].event["text"] == json.loads(vector["plaintext"])["event"]["text"]

        tampered = vector["body"].replace('"}', 'A"}').encode()
        assert handler.do(lark_request(vector, tampered)).status_code == 500
        resigned = dict(vector, signature="0" * 64)
        assert handler.do(lark_request(resigned, vector["body"].encode())).status_code == 500


def test_lark_oapi_aes_cipher_decrypts_swift_ciphertexts():
    from lark_oapi.core.utils import AESCipher
    for vector in vectors()["lark"]:
        encrypted = json.loads(vector["body"])["encrypt"]
        assert AESCipher(vector["encrypt_key"]).decrypt_str(encrypted) == vector["plaintext"]


def test_wechatpy_decrypts_swift_callbacks_and_passive_replies():
    data = vectors()["wecom"]
    assert len(data) == 25
    for vector in data:
        crypto = WeChatCrypto(vector["token"], vector["encoding_aes_key"], vector["corp_id"])
        inbound = f"<xml><ToUserName><![CDATA[{vector['corp_id']}]]></ToUserName><Encrypt><![CDATA[{vector['encrypt']}]]></Encrypt></xml>"
        assert crypto.decrypt_message(inbound, vector["msg_signature"], vector["timestamp"], vector["nonce"]) == vector["plaintext"]
        with pytest.raises(InvalidSignatureException):
            crypto.decrypt_message(inbound, vector["msg_signature"], vector["timestamp"], vector["nonce"] + "1")

        reply = vector["reply_xml"]
        signature = re.search(r"<MsgSignature><!\[CDATA\[([0-9a-f]+)\]\]>", reply).group(1)
        timestamp = re.search(r"<TimeStamp>(\d+)</TimeStamp>", reply).group(1)
        nonce = re.search(r"<Nonce><!\[CDATA\[(\w+)\]\]>", reply).group(1)
        assert crypto.decrypt_message(reply, signature, timestamp, nonce) == vector["plaintext"]


def test_wechatpy_url_verification_accepts_a_swift_echostr():
    for vector in vectors()["wecom"]:
        crypto = WeChatCrypto(vector["token"], vector["encoding_aes_key"], vector["corp_id"])
        assert crypto.check_signature(vector["msg_signature"], vector["timestamp"], vector["nonce"], vector["encrypt"]) == vector["plaintext"]
