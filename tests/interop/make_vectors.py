"""Phase 1 of the crypto interop: callbacks encrypted by independent implementations, for the Swift
kits to decrypt (read by the Swift tests from $YIZHAN_INTEROP_DIR/python-vectors.json).

- WeCom: encrypted by wechatpy's WeChatCrypto (the official-SDK role).
- Lark: lark-oapi has no encrypt function, so events are encrypted here with `cryptography`
  following the documented algorithm, and each is checked to decrypt with lark-oapi's AESCipher
  before it is written.
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


def wecom_key() -> str:
    return word(42) + rng.choice("AQgw")


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
        token, aes_key, corp = word(32), wecom_key(), "ww" + word(16)
        crypto = WeChatCrypto(token, aes_key, corp)
        message = f"<xml><ToUserName><![CDATA[{corp}]]></ToUserName><Content><![CDATA[消息 {word(rng.randint(0, 500))}]]></Content></xml>"
        nonce, timestamp = word(10, string.digits), str(1700000000 + i)
        envelope = crypto.encrypt_message(message, nonce, timestamp)
        wecom.append({"token": token, "encoding_aes_key": aes_key, "corp_id": corp, "nonce": nonce,
                      "timestamp": timestamp, "envelope": envelope, "plaintext": message})

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "python-vectors.json"), "w") as f:
        json.dump({"lark": lark, "wecom": wecom}, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
