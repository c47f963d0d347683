"""The official SDKs meet the sandbox's failure modes and the rest of its API, each asserting the
provider's specific code or outcome: rate limits, uuid dedupe through a lost answer, revoked and
expired tokens, replies, uploads, contacts, app chats and media; and the group robots, signed by
the algorithms the providers publish (no SDK has a robot client)."""
import base64
import hashlib
import hmac
import io
import json
import time
import urllib.parse
import urllib.request

import pytest
from lark_oapi.api.contact.v3 import BatchGetIdUserRequest, BatchGetIdUserRequestBody
from lark_oapi.api.im.v1 import (CreateFileRequest, CreateFileRequestBody, CreateImageRequest,
                                 CreateImageRequestBody, CreateMessageRequest, CreateMessageRequestBody,
                                 ReplyMessageRequest, ReplyMessageRequestBody)
from wechatpy.exceptions import WeChatClientException

from sandbox_clients import SEED, control, lark_client, messages, running_sandbox, wecom_client


def lark_message(receive_id, text, uuid=None, id_type="open_id", msg_type="text", content=None):
    body = CreateMessageRequestBody.builder().receive_id(receive_id).msg_type(msg_type) \
        .content(content or json.dumps({"text": text}))
    if uuid:
        body = body.uuid(uuid)
    return CreateMessageRequest.builder().receive_id_type(id_type).request_body(body.build()).build()


def seed_with_lark_app(app_id, users=()):
    seed = json.loads(json.dumps(SEED))
    seed["lark"]["apps"].append({"app_id": app_id, "app_secret": app_id + "-secret"})
    seed["lark"]["users"].extend(users)
    return seed


# Lark: rate limits

def test_lark_oapi_sees_99991400_and_the_reset_header_when_an_app_is_over_its_rate():
    """With the sandbox's clock frozen, calls of one app keep landing in the same window until the
    app's limit answers HTTP 429 with code 99991400 and `x-ogw-ratelimit-reset`."""
    with running_sandbox(seed_with_lark_app("cli_rate")) as sandbox:
        api = lark_client(sandbox, "cli_rate-secret", "cli_rate")
        control(sandbox, "/_sandbox/clock/freeze")
        request = BatchGetIdUserRequest.builder().user_id_type("open_id").request_body(
            BatchGetIdUserRequestBody.builder().emails(["alice@corp.example"]).build()).build()
        answers = []
        for _ in range(1100):  # above the per-minute limit of any API bucket
            answer = api.contact.v3.user.batch_get_id(request)
            answers.append(answer)
            if not answer.success():
                break
        limited = answers[-1]
        assert len(answers) > 1 and answers[0].success()
        assert limited.code == 99991400, (limited.code, limited.msg)
        assert limited.raw.status_code == 429
        headers = {name.lower(): value for name, value in limited.raw.headers.items()}
        assert int(headers["x-ogw-ratelimit-reset"]) >= 1


def test_lark_oapi_sees_230020_when_one_recipient_gets_more_than_five_a_second():
    with running_sandbox(seed_with_lark_app("cli_burst")) as sandbox:
        api = lark_client(sandbox, "cli_burst-secret", "cli_burst")
        control(sandbox, "/_sandbox/clock/freeze")
        codes = [api.im.v1.message.create(lark_message("ou_alice", f"burst {i}")).code for i in range(6)]
        assert codes == [0, 0, 0, 0, 0, 230020]
        control(sandbox, "/_sandbox/clock/advance", {"seconds": 1.5})
        assert api.im.v1.message.create(lark_message("ou_alice", "after the second")).success()


# Lark: uuid dedupe, and a lost answer retried with the same uuid

def test_lark_oapi_send_with_the_same_uuid_is_one_message(sandbox):
    api = lark_client(sandbox)
    first = api.im.v1.message.create(lark_message("ou_alice", "once", uuid="interop-dedupe-1"))
    again = api.im.v1.message.create(lark_message("ou_alice", "once", uuid="interop-dedupe-1"))
    assert first.success() and again.success(), (first.code, again.code)
    assert again.data.message_id == first.data.message_id
    accepted = [r for r in messages(sandbox, provider="lark") if r.get("dedupe_key") == "interop-dedupe-1"
                and r["outcome"] == "accepted"]
    assert len(accepted) == 1


def test_lark_oapi_retry_after_a_lost_answer_with_the_same_uuid_delivers_once(sandbox):
    """`drop_response`: the sandbox records the send, then closes the connection before answering;
    lark-oapi raises, and the retry with the same uuid gets the first message back."""
    api = lark_client(sandbox)
    api.im.v1.message.create(lark_message("ou_alice", "warm the token"))  # the fault is for the send only
    control(sandbox, "/_sandbox/faults", {"provider": "lark", "app_id": "cli_interop", "kind": "drop_response"})
    with pytest.raises(Exception):
        api.im.v1.message.create(lark_message("ou_alice", "maybe delivered", uuid="interop-lost-1"))
    retry = api.im.v1.message.create(lark_message("ou_alice", "maybe delivered", uuid="interop-lost-1"))
    assert retry.success(), (retry.code, retry.msg)
    delivered = [r for r in messages(sandbox, provider="lark") if r.get("dedupe_key") == "interop-lost-1"
                 and r["outcome"] == "accepted"]
    assert len(delivered) == 1
    assert delivered[0]["message_id"] == retry.data.message_id


def test_lark_oapi_sees_99991663_after_the_apps_tokens_are_revoked():
    """lark-oapi keeps its cached tenant token; once the sandbox revokes it the send answers
    99991663 (lark-oapi does not refetch by itself)."""
    with running_sandbox(seed_with_lark_app("cli_revoke")) as sandbox:
        api = lark_client(sandbox, "cli_revoke-secret", "cli_revoke")
        assert api.im.v1.message.create(lark_message("ou_alice", "before")).success()
        control(sandbox, "/_sandbox/faults", {"provider": "lark", "app_id": "cli_revoke", "kind": "revoke_tokens"})
        after = api.im.v1.message.create(lark_message("ou_alice", "after"))
        assert after.code == 99991663, (after.code, after.msg)


# Lark: reply, uploads, contacts

def test_lark_oapi_replies_into_the_chat_of_a_message_and_sees_230001_for_an_unknown_one(sandbox):
    api = lark_client(sandbox)
    original = api.im.v1.message.create(lark_message("oc_ops", "original", id_type="chat_id"))
    assert original.success(), (original.code, original.msg)

    def reply(message_id):
        body = ReplyMessageRequestBody.builder().msg_type("text").content(json.dumps({"text": "回复"})).build()
        return api.im.v1.message.reply(
            ReplyMessageRequest.builder().message_id(message_id).request_body(body).build())

    answer = reply(original.data.message_id)
    assert answer.success(), (answer.code, answer.msg)
    assert answer.data.message_id != original.data.message_id
    assert answer.data.chat_id == original.data.chat_id == "oc_ops"
    assert reply("om_unknown").code == 230001


def test_lark_oapi_uploads_an_image_and_a_file_and_sends_them(sandbox):
    api = lark_client(sandbox)
    image = api.im.v1.image.create(CreateImageRequest.builder().request_body(
        CreateImageRequestBody.builder().image_type("message").image(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64)).build()
    ).build())
    assert image.success(), (image.code, image.msg)
    assert image.data.image_key.startswith("img_")
    file = api.im.v1.file.create(CreateFileRequest.builder().request_body(
        CreateFileRequestBody.builder().file_type("stream").file_name("report.txt").file(io.BytesIO(b"report")).build()
    ).build())
    assert file.success(), (file.code, file.msg)
    assert file.data.file_key.startswith("file_")

    sent_image = api.im.v1.message.create(lark_message(
        "ou_alice", None, msg_type="image", content=json.dumps({"image_key": image.data.image_key})))
    sent_file = api.im.v1.message.create(lark_message(
        "ou_alice", None, msg_type="file", content=json.dumps({"file_key": file.data.file_key})))
    assert sent_image.success() and sent_file.success(), (sent_image.code, sent_file.code)
    foreign = api.im.v1.message.create(lark_message(
        "ou_alice", None, msg_type="image", content=json.dumps({"image_key": "img_not_uploaded"})))
    assert foreign.code == 230001


def test_lark_oapi_looks_up_users_by_email_and_mobile(sandbox):
    body = BatchGetIdUserRequestBody.builder().emails(["alice@corp.example", "nobody@corp.example"]) \
        .mobiles(["+8613800000001"]).build()
    answer = lark_client(sandbox).contact.v3.user.batch_get_id(
        BatchGetIdUserRequest.builder().user_id_type("open_id").request_body(body).build())
    assert answer.success(), (answer.code, answer.msg)
    found = {(user.email or user.mobile): user.user_id for user in answer.data.user_list}
    assert found["alice@corp.example"] == "ou_alice"
    assert found["+8613800000001"] == "ou_alice"
    assert found.get("nobody@corp.example") is None


# WeCom through wechatpy

def test_wechatpy_refetches_a_revoked_token_and_an_expired_one_and_the_send_succeeds():
    """wechatpy refetches on 40014 (revoked) and 42001 (expired) and retries the call once."""
    with running_sandbox() as sandbox:
        client = wecom_client(sandbox)
        client.message.send_text(1000002, ["zhangsan"], "first")
        first_token = client.access_token
        control(sandbox, "/_sandbox/faults", {"provider": "wecom", "app_id": "wwinterop", "kind": "revoke_tokens"})
        assert client.message.send_text(1000002, ["zhangsan"], "after revoke")["errcode"] == 0
        second_token = client.access_token
        assert second_token != first_token

        control(sandbox, "/_sandbox/clock/advance", {"seconds": 7300})  # past the 7,200 s lifetime
        assert client.message.send_text(1000002, ["zhangsan"], "after expiry")["errcode"] == 0
        assert client.access_token != second_token
        accepted = [r["content"] for r in messages(sandbox, provider="wecom") if r["outcome"] == "accepted"]
        assert len(accepted) == 3


def test_wechatpy_looks_up_userids_by_email_and_mobile(sandbox):
    client = wecom_client(sandbox)
    # email_type 1 (the default) is the corporate mailbox, 2 the personal address.
    assert client.post("user/get_userid_by_email", data={"email": "zhangsan@corp.example"})["userid"] == "zhangsan"
    assert client.post("user/get_userid_by_email", data={"email": "zhangsan@personal.example", "email_type": 2})["userid"] == "zhangsan"
    with pytest.raises(WeChatClientException) as wrong_type:
        client.post("user/get_userid_by_email", data={"email": "zhangsan@personal.example"})
    assert wrong_type.value.errcode == 46004
    assert client.post("user/getuserid", data={"mobile": "13800000002"})["userid"] == "zhangsan"
    with pytest.raises(WeChatClientException) as raised:
        client.post("user/getuserid", data={"mobile": "13900000000"})
    assert raised.value.errcode == 46004


def test_wechatpy_creates_an_app_chat_sends_to_it_and_reads_it(sandbox):
    client = wecom_client(sandbox)
    created = client.appchat.create(chat_id="interopchat", name="值班", owner="zhangsan", user_list=["zhangsan", "lisi"])
    assert created["chatid"] == "interopchat"
    assert client.appchat.send_text("interopchat", "群消息")["errcode"] == 0
    info = client.appchat.get("interopchat")
    assert sorted(info["userlist"]) == ["lisi", "zhangsan"]
    with pytest.raises(WeChatClientException) as raised:
        client.appchat.send_text("nochat", "x")
    assert raised.value.errcode == 86003
    with pytest.raises(WeChatClientException) as raised:
        client.appchat.create(chat_id="interopchat", name="again", owner="zhangsan", user_list=["zhangsan", "lisi"])
    assert raised.value.errcode == 86215


def test_wechatpy_uploads_media_and_sends_it_and_an_unknown_media_id_is_40007(sandbox):
    client = wecom_client(sandbox)
    uploaded = client.media.upload("image", ("chart.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"1" * 64)))
    media_id = uploaded["media_id"]
    assert media_id
    assert client.message.send_image(1000002, ["zhangsan"], media_id)["errcode"] == 0
    with pytest.raises(WeChatClientException) as raised:
        client.message.send_image(1000002, ["zhangsan"], "not-a-media-id")
    assert raised.value.errcode == 40007


# Group robots, signed as the providers document it

def post_json(url, body):
    request = urllib.request.Request(url, method="POST", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def lark_bot_sign(timestamp, secret):
    """Lark's published Python sample for custom bots: HMAC-SHA256 keyed by "timestamp\\nsecret"
    over nothing, Base64."""
    string_to_sign = "{}\n{}".format(timestamp, secret)
    return base64.b64encode(hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()).decode()


def dingtalk_sign(timestamp, secret):
    """DingTalk's published Python sample: HMAC-SHA256 keyed by the secret over
    "timestamp\\nsecret", Base64, URL-encoded."""
    string_to_sign = "{}\n{}".format(timestamp, secret)
    code = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(code))


def test_lark_custom_bot_accepts_the_published_signature_and_refuses_a_wrong_one_with_19021(sandbox):
    url = sandbox + "/open-apis/bot/v2/hook/hook-interop"
    timestamp = str(int(time.time()))
    signed = post_json(url, {"timestamp": timestamp, "sign": lark_bot_sign(timestamp, "bot-secret"),
                             "msg_type": "text", "content": {"text": "来自 Python"}})
    assert signed["code"] == 0, signed
    wrong = post_json(url, {"timestamp": timestamp, "sign": lark_bot_sign(timestamp, "other"),
                            "msg_type": "text", "content": {"text": "x"}})
    assert wrong["code"] == 19021


def test_dingtalk_robot_accepts_the_published_signature_and_refuses_a_wrong_one_with_310000(sandbox):
    timestamp = str(int(time.time() * 1000))

    def send(secret):
        query = f"access_token=ding-interop&timestamp={timestamp}&sign={dingtalk_sign(timestamp, secret)}"
        return post_json(sandbox + "/robot/send?" + query, {"msgtype": "text", "text": {"content": "来自 Python"}})

    assert send("SECding-secret")["errcode"] == 0
    assert send("SECwrong")["errcode"] == 310000


def test_wecom_robot_sends_and_an_unknown_key_is_93000(sandbox):
    sent = post_json(sandbox + "/cgi-bin/webhook/send?key=robot-interop", {"msgtype": "text", "text": {"content": "来自 Python"}})
    assert sent["errcode"] == 0, sent
    unknown = post_json(sandbox + "/cgi-bin/webhook/send?key=nokey", {"msgtype": "text", "text": {"content": "x"}})
    assert unknown["errcode"] == 93000
