"""Phase 1 of the crypto interop: callbacks encrypted by independent implementations, for the Swift
kits to decrypt (read by the Swift tests from $YIZHAN_INTEROP_DIR/python-vectors.json).

- WeCom: encrypted by wechatpy's WeChatCrypto (the official-SDK role).
- Lark: lark-oapi has no encrypt function, so events are encrypted here with `cryptography`
  following the documented algorithm, and each is checked to decrypt with lark-oapi's AESCipher
  before it is written.
- Lark requests: whole webhook requests as Lark sends them (v2 and v1 events, URL verification,
  encrypted or plain; `X-Lark-Signature` = SHA-256 hex of timestamp + nonce + Encrypt Key + body,
  as the docs publish it), each with what `LarkEventReceiver` must make of it, including tampered
  signatures and wrong tokens.
- WeCom keys are 43 random letters and digits as WeCom generates them, so the final character is
  often not canonical Base64 (its two low bits are not zero): half of them are forced to be.
"""
import base64
import hashlib
import json
import os
import random
import string
import sys

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lark_oapi.core.utils import AESCipher
from wechatpy.enterprise.crypto import WeChatCrypto

rng = random.Random(os.environ.get("YIZHAN_INTEROP_SEED"))


def word(n, alphabet=string.ascii_letters + string.digits):
    return "".join(rng.choice(alphabet) for _ in range(n))


def lark_encrypt(key: str, plaintext: bytes) -> str:
    aes_key = hashlib.sha256(key.encode()).digest()
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(data) + encryptor.finalize()).decode()


# Base64 digits whose two low bits are zero: the only canonical last characters of 32 bytes
# written as 43 digits. WeCom's keys end in any letter or digit.
CANONICAL_LAST = set("AEIMQUYcgkosw048")
NON_CANONICAL_LAST = "".join(c for c in string.ascii_letters + string.digits if c not in CANONICAL_LAST)


def wecom_key(index: int) -> str:
    return word(42) + rng.choice(NON_CANONICAL_LAST if index % 2 == 0 else string.ascii_letters + string.digits)


def lark_signature(timestamp: str, nonce: str, key: str, body: bytes) -> str:
    return hashlib.sha256((timestamp + nonce + key).encode() + body).hexdigest()


def lark_requests() -> list:
    """Webhook requests as Lark sends them, and what the receiver must answer (`expect`)."""
    requests = []

    def add(key, token, plaintext: dict, expect, timestamp, tamper=False, signed=True):
        text = json.dumps(plaintext, ensure_ascii=False)
        body = json.dumps({"encrypt": lark_encrypt(key, text.encode())}) if key else text
        if key:
            assert json.loads(AESCipher(key).decrypt_str(json.loads(body)["encrypt"])) == plaintext
        nonce = word(16)
        headers = {}
        if key and signed:
            signature = lark_signature(timestamp, nonce, key, body.encode())
            if tamper:
                signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
            headers = {"X-Lark-Request-Timestamp": timestamp, "X-Lark-Request-Nonce": nonce, "X-Lark-Signature": signature}
        requests.append({"encrypt_key": key, "verification_token": token, "headers": headers, "body": body,
                         "now": int(timestamp), "expect": expect})

    for i in range(10):
        key = word(rng.randint(1, 40), string.printable.strip())
        token = "vt_" + word(rng.randint(8, 32))
        timestamp = str(1700000000 + i * 97)
        text = "事件 " + word(rng.randint(0, 200))
        v2 = {"schema": "2.0", "header": {"event_id": f"py-ev-{i}", "event_type": "im.message.receive_v1", "token": token,
                                          "create_time": timestamp + "000", "app_id": "cli_py", "tenant_key": "tk"},
              "event": {"message": {"message_id": f"om_{i}", "content": json.dumps({"text": text}, ensure_ascii=False)}}}
        v1 = {"uuid": f"py-uuid-{i}", "token": token, "ts": timestamp, "type": "event_callback",
              "event": {"type": "message", "app_id": "cli_py", "text": text}}
        challenge = {"challenge": "ch-" + word(20), "token": token, "type": "url_verification"}
        add(key, token, v2, {"event_id": f"py-ev-{i}", "event_type": "im.message.receive_v1"}, timestamp)
        add(key, token, v1, {"event_id": f"py-uuid-{i}", "event_type": "message"}, timestamp)
        add(key, token, challenge, {"challenge": challenge["challenge"]}, timestamp, signed=False)
        add(key, token, v2, {"error": "signatureMismatch"}, timestamp, tamper=True)
        add(key, token, dict(v2, header=dict(v2["header"], token="vt_wrong")), {"error": "tokenMismatch"}, timestamp)
        # No Encrypt Key: plain bodies, checked by the token alone.
        add(None, token, v2, {"event_id": f"py-ev-{i}", "event_type": "im.message.receive_v1"}, timestamp)
        add(None, token, challenge, {"challenge": challenge["challenge"]}, timestamp)
        add(None, token, dict(challenge, token="vt_wrong"), {"error": "tokenMismatch"}, timestamp)
    return requests


def main(out_dir: str) -> None:
    lark = []
    for i in range(25):
        key = word(rng.randint(1, 40), string.printable.strip())
        event = json.dumps({"schema": "2.0", "header": {"event_id": f"ev-{i}", "event_type": "yizhan.test"},
                            "event": {"text": "你好 " + word(rng.randint(0, 300))}}, ensure_ascii=False)
        encrypted = lark_encrypt(key, event.encode())
        assert AESCipher(key).decrypt_str(encrypted) == event
        lark.append({"encrypt_key": key, "encrypt": encrypted, "plaintext": event})

    wecom = []
    for i in range(25):
        token, aes_key, corp = word(32), wecom_key(i), "ww" + word(16)
        crypto = WeChatCrypto(token, aes_key, corp)
        message = f"<xml><ToUserName><![CDATA[{corp}]]></ToUserName><Content><![CDATA[消息 {word(rng.randint(0, 500))}]]></Content></xml>"
        nonce, timestamp = word(10, string.digits), str(1700000000 + i)
        envelope = crypto.encrypt_message(message, nonce, timestamp)
        wecom.append({"token": token, "encoding_aes_key": aes_key, "corp_id": corp, "nonce": nonce,
                      "timestamp": timestamp, "envelope": envelope, "plaintext": message})

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "python-vectors.json"), "w") as f:
        json.dump({"lark": lark, "lark_requests": lark_requests(), "wecom": wecom}, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
